/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kind: the class of a file by its name (extension) and mode, for colouring
 * a disk scan: source, object/binary, archive, image, audio/video, document,
 * other (enum tree_kind in tree.h). Pure functions over constant tables:
 * thread-safe, nothing to free.
 */
#ifndef DUFLAME_KIND_H
#define DUFLAME_KIND_H

#include <stddef.h>
#include <sys/types.h>

#include "tree.h"

/* kind_classify: the class of a regular file named name[0..len) with mode
 * (st_mode; an executable without a known extension is object/binary).
 * Extensions compare case-insensitively; "x.tar.gz" is an archive. */
enum tree_kind kind_classify(const char *name, size_t len, mode_t mode);

/* kind_label: "source", "object/binary", "archive", "image", "audio/video",
 * "document", "other" */
const char *kind_label(enum tree_kind k);

/* the colour of a class as red, green, blue (0..255) */
struct kind_rgb {
    int r, g, b;
};

/* kind_color, kind_rgb: the fill colour of frames of class k, as "#rrggbb"
 * or as numbers (the same colour); directories are drawn in their own colour
 * (kind_dir_color, kind_dir_rgb) and named kind_dir_label() ("directory") */
const char *kind_color(enum tree_kind k);
struct kind_rgb kind_rgb(enum tree_kind k);
const char *kind_dir_label(void);
const char *kind_dir_color(void);
struct kind_rgb kind_dir_rgb(void);

#endif
