/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scan: a du tree (three weights: disk, apparent, count) and PATHs loaded
 * into one by the walker. source.c drives the walker through this for
 * every kind of the du family; scan_load() is the plain form (tests).
 *
 * The tree has TREE_W_DISK, TREE_W_APPARENT and TREE_W_COUNT filled (see
 * walk.h), a root named o->root_name (default "all") standing for all PATHs,
 * and one child of the root per PATH, named as the PATH was given. A
 * directory is walked by the walker; a regular file is one frame, handed to
 * o->walk.file_hook when o->walk.archives is set (archive as input); a PATH
 * given twice, or already inside another PATH, adds nothing (as du).
 *
 * Ownership: the returned tree is the caller's (tree_free). Not thread-safe
 * itself (it starts the walker's threads); callbacks in o->walk run on
 * worker threads.
 */
#ifndef DUFLAME_SCAN_H
#define DUFLAME_SCAN_H

#include <stddef.h>

#include "tree.h"
#include "walk.h"

struct scan_opts {
    struct walk_opts walk; /* walker options, warning and archive hooks */
    const char *root_name; /* NULL: "all" */
};

/* scan_load: scan paths[0..n) into a new FINISHED tree (tree_finish() done,
 * siblings unsorted). *status is set to 0, or 1 when something was missing
 * or unreadable (each said once through o->walk.warn). Never NULL. */
struct tree *scan_load(const char *const *paths, size_t n, const struct scan_opts *o, int *status);

/* scan_tree_new: an empty du tree: root root_name (NULL: "all"), three
 * weights named as scan_wnames. The caller frees it. */
struct tree *scan_tree_new(const char *root_name);

/* scan_wnames: the weight names a scan records, "disk", "apparent", "count",
 * "stored" */
extern const char *const scan_wnames[4];

#endif
