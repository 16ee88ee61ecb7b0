/* SPDX-License-Identifier: BSD-2-Clause */
/* image_page: what the page and the tooltips know about an image's nodes:
 * the layer each came from, and the image's layer table as JSON for the
 * page (docs/viewer-data.md, "images"; see include/image.h) */
#include "html.h"
#include "image.h"
#include "names.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int image_layer_of(const struct image *im, const struct tree_node *n)
{
    const struct tree_node *by = im->by_layer ? im->node : im->layers_node;
    for (const struct tree_node *p = n; by && p; p = tree_parent(p)) {
        if (tree_parent(p) != by)
            continue;
        for (size_t i = 0; i < im->nlayers; i++)
            if (im->layers[i].node == p)
                return (int)i;
        return -1;
    }
    return im->by_layer ? -1 : image_fs_layer_of(&im->fs, n);
}

static void json_u64(struct name_buf *b, const char *key, uint64_t v)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, ",\"%s\":%" PRIu64, key, v);
    name_buf_addstr(b, tmp);
}

void image_page_json(struct name_buf *b, const struct image *im, const char *path)
{
    name_buf_addstr(b, "{\"path\":");
    html_json_display(b, path);
    json_u64(b, "stored", im->stored);
    json_u64(b, "total", im->fs.total);
    json_u64(b, "wasted", im->by_layer ? 0 : im->fs.wasted);
    name_buf_addstr(b, im->by_layer ? ",\"byLayer\":true" : ",\"byLayer\":false");
    name_buf_addstr(b, ",\"layers\":[");
    for (size_t i = 0; i < im->nlayers; i++) {
        const struct image_layer_info *l = &im->layers[i];
        name_buf_addstr(b, i ? ",{\"digest\":" : "{\"digest\":");
        html_json_display(b, l->name);
        name_buf_addstr(b, ",\"createdBy\":");
        html_json_display(b, l->created_by);
        json_u64(b, "bytes", l->bytes);
        json_u64(b, "entries", l->entries);
        json_u64(b, "stored", l->stored);
        json_u64(b, "wasted", l->wasted);
        name_buf_addc(b, '}');
    }
    name_buf_addstr(b, "]}");
}
