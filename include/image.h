/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image: a container image read as its layers: a `docker save` tarball
 * (manifest.json naming a config and layer tars) or an OCI image layout
 * (index.json and blobs/, as a directory or a tar of one). The manifest and
 * config are read with json.h; each layer (a tar, maybe compressed) with a
 * tar-only libarchive reader; the layers are applied in the manifest's order
 * by image_fs.h into the image's node: its final file system, or with
 * by_layer one child per layer ("layer-1", ...) holding that layer's entries.
 * Each layer is matched with its command: the config's history, entries
 * marked empty_layer skipped.
 *
 * Bad input is a warning (through warn; the result is 1) and the rest is
 * drawn: a document that is not JSON or lacks what it must have, a manifest
 * naming a blob the image does not hold, a layer that is not a tar (or is
 * broken partway: what was read is kept), a blob whose sha256 or size is
 * not what the manifest says (it is drawn all the same), an index that
 * names itself again (a loop) or a member that is a symbolic link going
 * round, and an entry or whiteout with a ".." component. The limits of
 * archives apply to all layers together: entries, and extracted bytes (by
 * default the larger of 4 GiB and 200 times the image's stored size);
 * reaching one stops the reading with a warning, keeping what was read.
 * Each layer is read counting from 0 (a layer alone over a limit stops
 * there), and the counts are added up in the manifest's order as the
 * layers are applied, so the entry that stops the image is always the same.
 *
 * A tar is read in one pass (so the order of its members does not matter).
 * A regular file is mapped and its members used where they lie; when it
 * cannot be mapped, members up to 1 MiB are held in memory and larger ones
 * read as layers as they pass and kept as entry lists. A layout
 * directory's blobs are opened by digest under blobs/ (the digest's
 * characters checked, so no name leaves the directory) and mapped. A layer
 * in memory that is a plain tar is read by image_tar.h, else by libarchive.
 *
 * Threads: each layer's entries and its sha256 are two jobs run on
 * opts->threads threads (image_jobs.h) while the calling thread applies
 * the layers in order, each as soon as its entries are read; a job writes
 * only its layer's results. A layer's messages are held until its digest
 * is checked, then said with the digest's in between, so the warnings
 * come in the layers' order as if read one after the other. The tree,
 * node_fn and warn are touched on the calling thread only.
 *
 * Ownership: image_fill() returns a struct image the caller frees with
 * image_free(); the nodes are the tree's. Library: nothing printed.
 */
#ifndef DUFLAME_IMAGE_H
#define DUFLAME_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image_fs.h"
#include "tree.h"

struct image_opts {
    uint64_t max_entries; /* entries of all layers together; 0: ARC_DEFAULT_ENTRIES */
    uint64_t max_bytes;   /* extracted bytes of all layers; 0: see above */
    bool by_layer;        /* one child per layer instead of the final file system */
    unsigned threads;     /* threads reading layers (at most 16); 0: the online CPUs, at most 4 */
    /* set (and not by_layer): also the image by layer, one child per layer,
     * below a node of its own made under layers_parent through layers_arena
     * (the page's "by layer" view); that node is im->layers_node */
    struct tree_node *layers_parent;
    struct tree_arena *layers_arena;
    image_warn_fn warn; /* may be NULL */
    void *warn_ctx;
};

struct image_layer_info {
    char *name;       /* the layer's blob: digest, or member name */
    char *created_by; /* its command from the history; NULL when not known */
    uint64_t bytes;   /* regular bytes in it */
    uint64_t entries;
    struct tree_node *node; /* by_layer (or layers_parent): its node */
    uint64_t stored;        /* its blob's bytes */
    uint64_t wasted;        /* of its bytes, what later layers replace or remove */
};

struct image {
    char *label;
    struct tree_node *node; /* the image's node */
    struct image_layer_info *layers;
    size_t nlayers;
    struct image_fs fs; /* the final file system's tally (not by_layer) */
    uint64_t stored;    /* bytes as stored: the tar's size, or a directory's blob files */
    bool by_layer;
    struct tree_node *layers_node; /* layers_parent: the image by layer */
};

/* image_sniff_dir: path is a directory holding an image: oci-layout, or
 * index.json or manifest.json beside a blobs directory */
bool image_sniff_dir(const char *path);
/* image_sniff_tar: the first bytes of a file are a tar whose first member
 * is an image's: oci-layout, index.json, manifest.json, repositories, blobs/,
 * or a docker save's 64-hex-digit directory, config or layer */
bool image_sniff_tar(const void *head, size_t len);

/* image_node_fn: the image's node, made when the file turns out to be one */
typedef struct tree_node *(*image_node_fn)(void *ctx);

/* image_fill: read the image at path (a directory when dir, else a tar) into
 * the node node_fn makes, through a. Returns 0, 1 (warned, the rest drawn), -1 when path is no
 * image after all (a tar with neither manifest.json nor index.json: nothing
 * added, nothing said) or -2 when it cannot be read at all (said). *out
 * gets the image on 0 and 1. */
int image_fill(const char *path, bool dir, image_node_fn node_fn, void *node_ctx,
               struct tree_arena *a, const struct image_opts *o, struct image **out);
/* image_fill_memory: the same for an image tar held in memory (len bytes;
 * never -2), for the fuzz harness and tests */
int image_fill_memory(const void *buf, size_t len, const char *label, image_node_fn node_fn,
                      void *node_ctx, struct tree_arena *a, const struct image_opts *o,
                      struct image **out);
void image_free(struct image *im);

/* image_note: what a frame's tooltip says about node n of image im (the
 * image: layers, wasted bytes and efficiency; an entry: its layer and that
 * layer's command); 0 when n is not in im. Holds no " (". */
size_t image_note(const struct image *im, const struct tree_node *n, char *buf, size_t cap);

/* image_layer_of: the layer (0-based) node n of im came from, in its final
 * file system or by layer; -1 when n is not one of im's or has none */
int image_layer_of(const struct image *im, const struct tree_node *n);

/* image_page_json: what the page says about im (docs/viewer-data.md,
 * "images"), a JSON object appended to out; path is the image node's path
 * in the page */
struct name_buf;
void image_page_json(struct name_buf *out, const struct image *im, const char *path);

/* image_report: the image's lines for the text report: wasted bytes, their
 * share and the efficiency, then the `top` largest wasted paths (a path
 * wasted more than once summed). -1 on a write error. */
int image_report(FILE *fp, const struct image *im, unsigned top);

/* image_entry_type: what a layer entry libarchive read is (a hard link
 * whatever its mode) */
struct archive_entry;
enum image_etype image_entry_type(struct archive_entry *e);

#endif
