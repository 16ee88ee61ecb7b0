/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image_tar: the entries of a layer that is a plain tar held in memory,
 * read straight from its headers, without libarchive's per-entry work
 * (a layer of an image is read in full, and most are plain tars of short
 * names). Only headers this reader knows are read: the ustar ("ustar\0",
 * version "00", its prefix joined to the name) and GNU ("ustar  \0")
 * magics with a valid checksum and octal size, the types regular file,
 * hard link, symbolic link, character and block device, directory and
 * FIFO, and GNU long names ('L'). At anything else (pax headers, sparse
 * files, base-256 numbers, a regular file named with a trailing '/', data
 * on a link or a directory, a truncated tar, ...) it gives up, so that the
 * caller reads the layer with libarchive instead: where this reader
 * answers, the entries are those libarchive gives.
 *
 * The limits are counted as image.c's libarchive reader counts them: the
 * entry over a limit is the last one kept and the reading stops there.
 * Library: nothing printed; no state; any thread.
 */
#ifndef DUFLAME_IMAGE_TAR_H
#define DUFLAME_IMAGE_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image_fs.h"

/* the archive limits as one layer's reader counts them */
struct image_lim {
    uint64_t max_entries, max_bytes, entries, bytes;
};

enum image_tar_result {
    IMAGE_TAR_END,     /* every entry read: l holds them */
    IMAGE_TAR_LIMIT,   /* a limit stopped it: l holds the entries up to that one */
    IMAGE_TAR_UNKNOWN, /* a header this reader does not know: l is emptied */
};

/* image_tar_read: the entries of the tar buf[0..len) into l (empty on
 * entry), each with its stored bytes (from its first header to the next
 * entry's); lim counts them */
enum image_tar_result image_tar_read(const unsigned char *buf, size_t len, struct image_lim *lim,
                                     struct image_layer *l);

#endif
