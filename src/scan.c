/* SPDX-License-Identifier: BSD-2-Clause */
#include "scan.h"

const char *const scan_wnames[4] = {"disk", "apparent", "count", "stored"};

struct tree *scan_tree_new(const char *root_name)
{
    struct tree *t = tree_new(root_name ? root_name : "all", 4);
    for (unsigned i = 0; i < 4; i++)
        t->wnames[i] = scan_wnames[i];
    return t;
}

struct tree *scan_load(const char *const *paths, size_t n, const struct scan_opts *o, int *status)
{
    struct tree *t = scan_tree_new(o->root_name);
    struct walk *w = walk_new(t, &o->walk);
    for (size_t i = 0; i < n; i++)
        walk_add(w, t->root, paths[i], NULL);
    *status = walk_run(w);
    walk_free(w);
    tree_finish(t);
    return t;
}
