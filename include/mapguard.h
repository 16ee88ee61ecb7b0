/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mapguard: files read through a read-only mapping that may shrink while
 * they are read (another program truncating an image as it is scanned).
 * A page past the file's new end would raise SIGBUS; for a mapping made
 * here the signal's handler maps a page of zeros in its place instead and
 * notes it, so the reader sees zeros (an end of archive, a digest that does
 * not match) and the caller learns at unmap time that the file was cut
 * short. A SIGBUS anywhere else is left to its default action. Up to
 * MAPGUARD_MAX mappings at once; thread-safe.
 */
#ifndef DUFLAME_MAPGUARD_H
#define DUFLAME_MAPGUARD_H

#include <stdbool.h>
#include <stddef.h>

#define MAPGUARD_MAX 64

/* mapguard_map: fd's first len bytes (len > 0) mapped read-only, or NULL
 * when they cannot be (the caller then reads them another way) */
const unsigned char *mapguard_map(int fd, size_t len);

/* mapguard_unmap: p (from mapguard_map, with its len) unmapped; true when
 * the file was cut short while it was mapped and zeros stood in for what
 * was gone */
bool mapguard_unmap(const unsigned char *p, size_t len);

#endif
