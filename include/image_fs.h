/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image_fs: a container image's layers applied in order into one tree, the
 * image's final file system, as a container runtime would unpack them
 * (OCI image spec, "Applying Changesets"):
 *  - the whiteouts of a layer (".wh.NAME": NAME is removed; ".wh..wh..opq":
 *    the directory's contents from lower layers are removed) apply first,
 *    to the layers below only, then its entries; so the order of entries in
 *    a layer's tar does not matter;
 *  - an entry replaces what the layers below had at its path (a directory
 *    stays a directory when a later layer lists it again, and keeps the
 *    layer that made it);
 *  - a path with a ".." component (an entry or a whiteout that would leave
 *    the root) is skipped with a warning; a path below a whiteout's name
 *    ("a/.wh.b/c") names nothing and is skipped.
 * What a later layer replaces or removes is wasted: its extracted bytes are
 * added to `wasted` and each such file is listed in `waste` (path, bytes,
 * the layer that added it and the one that removed it), so that
 * total == final + wasted, where total is the regular bytes of every layer
 * and final the bytes of the tree.
 *
 * Nodes get a scan's weights (TREE_W_DISK = TREE_W_APPARENT = the
 * extracted size of a regular file, TREE_W_COUNT = 1 an entry, and
 * TREE_W_STORED the entry's stored bytes, those of every entry listing a
 * directory again added up) as own weights; the stored bytes of what is
 * removed or replaced, of whiteouts and of skipped entries are in no node
 * (the image's overhead); hard links, directories, symbolic links and devices have no
 * bytes. image_fs_end() takes the removed nodes out of the tree and records
 * the layer of every node left (image_fs_layer_of); it uses the nodes'
 * spare fields until then.
 *
 * Library: no printing; problems go to warn. One thread; nodes come from a.
 */
#ifndef DUFLAME_IMAGE_FS_H
#define DUFLAME_IMAGE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* most layers an image may have (the layer index lives in 15 bits) */
#define IMAGE_MAX_LAYERS 32000

enum image_etype { IMAGE_REG, IMAGE_DIR, IMAGE_SYMLINK, IMAGE_HARDLINK, IMAGE_OTHER };

/* one entry of a layer's tar, its path as stored */
struct image_entry {
    char *path;
    uint64_t size;
    uint64_t stored; /* bytes of the layer's blob from its header to the next */
    enum image_etype type;
};

/* one layer read: its entries in tar order */
struct image_layer {
    struct image_entry *v;
    size_t n, cap;
    uint64_t bytes; /* regular bytes */
};

void image_layer_add(struct image_layer *l, const char *path, enum image_etype type, uint64_t size);
void image_layer_release(struct image_layer *l);

struct image_waste {
    char *path; /* below the image's root, '/'-separated */
    uint64_t bytes;
    unsigned layer, by; /* added by layer, replaced or removed by layer by (0-based) */
};

struct image_origin {
    const struct tree_node *node;
    unsigned layer;
};

typedef void (*image_warn_fn)(void *ctx, const char *msg);

struct image_fs {
    struct tree_node *root; /* the image's node: the final file system's root */
    struct tree_arena *a;
    const char *label; /* the image's name, for messages */
    image_warn_fn warn;
    void *warn_ctx;
    int status; /* 0, or 1 once warned */
    uint64_t total, wasted;
    struct image_waste *waste;
    size_t nwaste, capwaste;
    struct image_origin *origin; /* sorted by node, after image_fs_end */
    size_t norigin;
    /* private: the last directory dir_of() found, valid while gen is cache_gen */
    char *cache_path;
    size_t cache_len, cache_cap;
    struct tree_node *cache_dir;
    uint64_t gen, cache_gen;
};

void image_fs_init(struct image_fs *f, struct tree_node *root, struct tree_arena *a,
                   const char *label, image_warn_fn warn, void *warn_ctx);
/* image_fs_apply: layer l as layer number index (0-based, < IMAGE_MAX_LAYERS,
 * increasing from call to call) */
void image_fs_apply(struct image_fs *f, const struct image_layer *l, unsigned index);
/* image_fs_end: the removed nodes taken out, every node's layer recorded */
void image_fs_end(struct image_fs *f);
/* image_fs_layer_of: the layer a node of the image came from, -1 if none
 * (the root, a node not of this image) */
int image_fs_layer_of(const struct image_fs *f, const struct tree_node *n);
void image_fs_release(struct image_fs *f);

#endif
