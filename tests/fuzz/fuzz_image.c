/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_image: a container image's manifests and whiteouts on any bytes.
 *
 * The first byte picks what the rest is:
 *  - 0: an image tar held in memory (manifest.json or index.json, configs,
 *    layers, symbolic links between members), read by image_fill_memory;
 *  - 1: a JSON document for json_parse;
 *  - 2: a script of layers for image_fs: each line "<layer digit><type
 *    letter><path>", type r (regular, its size the path's length), d, l
 *    (symbolic link) or h (hard link); whiteouts are paths like any other.
 *
 * Invariants checked:
 *  - the bytes of every layer applied equal the final file system's bytes
 *    plus the wasted ones, and the wasted list sums to the wasted total;
 *  - no node of the final file system is a whiteout (".wh." name) or "..";
 *  - every message names the image; a status is -1, 0 or 1;
 *  - a JSON value parsed has no NUL inside a string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "image.h"
#include "image_fs.h"
#include "json.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void img_on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "image 'fz'", 10) != 0)
        fc_fail("message without the image's name: %s", msg);
}

static struct tree_node *img_make_node(void *ctx)
{
    struct tree *t = ctx;
    return tree_child(tree_main_arena(t), t->root, "fz", 2, NULL);
}

/* the final file system against the tally */
static void img_check_fs(const struct image_fs *f, struct tree_node *top)
{
    uint64_t final = 0, wasted = 0;
    struct tree_iter it;
    tree_iter_init(&it, top);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        if (n != top && ((n->len >= 4 && memcmp(n->name, ".wh.", 4) == 0) ||
                         (n->len == 2 && memcmp(n->name, "..", 2) == 0)))
            fc_fail("'%s' left in the file system", n->name);
        final += n->w[TREE_W_APPARENT];
    }
    for (size_t i = 0; i < f->nwaste; i++)
        wasted += f->waste[i].bytes;
    if (wasted != f->wasted)
        fc_fail("wasted list %llu, total %llu", (unsigned long long)wasted,
                (unsigned long long)f->wasted);
    if (f->total != final + f->wasted)
        fc_fail("layers %llu != final %llu + wasted %llu", (unsigned long long)f->total,
                (unsigned long long) final, (unsigned long long)f->wasted);
}

static void img_run_tar(const uint8_t *data, size_t size)
{
    struct tree *t = tree_new("all", 3);
    struct image_opts o = {.max_entries = 5000, .max_bytes = 1 << 30, .warn = img_on_warn};
    struct image *im = NULL;
    int st = image_fill_memory(data, size, "fz", img_make_node, t, tree_main_arena(t), &o, &im);
    if (st < -1 || st > 1)
        fc_fail("status %d", st);
    if (im)
        img_check_fs(&im->fs, im->node);
    image_free(im);
    tree_free(t);
}

static void img_run_json(const uint8_t *data, size_t size)
{
    char err[160];
    struct json_value *v = json_parse((const char *)data, size, err, sizeof err);
    if (!v && !err[0])
        fc_fail("no value and no message");
    json_free(v);
}

static void img_run_script(const uint8_t *data, size_t size)
{
    struct tree *t = tree_new("all", 3);
    struct tree_node *top = tree_child(tree_main_arena(t), t->root, "fz", 2, NULL);
    struct image_fs f;
    image_fs_init(&f, top, tree_main_arena(t), "fz", img_on_warn, NULL);
    struct image_layer l = {0};
    unsigned cur = 0;
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (len >= 2 && s[0] >= '0' && s[0] <= '9') {
            unsigned layer = (unsigned)(s[0] - '0');
            if (layer > cur) {
                image_fs_apply(&f, &l, cur);
                image_layer_release(&l);
                cur = layer;
            }
            enum image_etype ty = s[1] == 'd'   ? IMAGE_DIR
                                  : s[1] == 'l' ? IMAGE_SYMLINK
                                  : s[1] == 'h' ? IMAGE_HARDLINK
                                                : IMAGE_REG;
            char *path = strndup(s + 2, len - 2);
            if (!path)
                abort();
            image_layer_add(&l, path, ty, len - 2);
            free(path);
        }
        s += len + 1;
    }
    image_fs_apply(&f, &l, cur);
    image_layer_release(&l);
    image_fs_end(&f);
    img_check_fs(&f, top);
    image_fs_release(&f);
    tree_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0:
        img_run_tar(data + 1, size - 1);
        break;
    case 1:
        img_run_json(data + 1, size - 1);
        break;
    default:
        img_run_script(data + 1, size - 1);
        break;
    }
    return 0;
}
