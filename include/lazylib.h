/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lazylib: libarchive and libcrypto, loaded on their first use
 * (src/lazylib.c stands in for their functions). lazylib_preload() loads
 * both now: called before a run that will read an archive or an image
 * starts its threads, so that their mappings are made while the address
 * space is still free (under a tight ulimit -v, the threads' malloc arenas
 * could leave no room for them later).
 */
#ifndef DUFLAME_LAZYLIB_H
#define DUFLAME_LAZYLIB_H

void lazylib_preload(void);

#endif
