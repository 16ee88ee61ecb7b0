/* SPDX-License-Identifier: BSD-2-Clause */
/* image_text: what an image's tooltips and text report say: its layers'
 * commands, the wasted bytes and the largest wasted paths (see
 * include/image.h) */
#include "diag.h"
#include "image.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* the layer's command, shortened and without " (" (the SVG's script takes
 * a frame's name as everything before the last " (") */
static void command(const struct image_layer_info *l, char *out, size_t cap)
{
    const char *c = l->created_by ? l->created_by : "";
    /* docker's "/bin/sh -c #(nop) " says nothing */
    const char *nop = strstr(c, "#(nop) ");
    if (nop)
        c = nop + 7;
    /* any bytes: printable UTF-8 (\xHH for the rest), for XML and terminals */
    char *q = diag_quote(c, strlen(c));
    size_t n = 0;
    const char *p = q;
    for (; *p && n + 4 < cap; p++) {
        char ch = *p;
        if (ch == '(' && n && out[n - 1] == ' ')
            ch = '[';
        out[n++] = ch;
    }
    /* never end inside a UTF-8 character */
    while (*p && n && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
        n--;
    if (*p && n && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
        n--;
    if (*p) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = 0;
    free(q);
}

size_t image_note(const struct image *im, const struct tree_node *n, char *buf, size_t cap)
{
    int len;
    char a[32], b[32];
    if (n == im->node) {
        uint64_t total = im->fs.total;
        if (im->by_layer) {
            len = snprintf(buf, cap, "image of %zu layers", im->nlayers);
        } else {
            len = snprintf(buf, cap,
                           "image of %zu layers: %s in its layers, %s of it wasted by later "
                           "layers, %.1f%%; efficiency %.1f%%",
                           im->nlayers, util_human(total, a), util_human(im->fs.wasted, b),
                           pct(im->fs.wasted, total), 100.0 - pct(im->fs.wasted, total));
        }
        return len > 0 ? (size_t)len : 0;
    }
    int l = image_layer_of(im, n);
    if (l < 0)
        return 0;
    char cmd[160];
    command(&im->layers[l], cmd, sizeof cmd);
    len = snprintf(buf, cap, "layer %d of %zu%s%s", l + 1, im->nlayers, cmd[0] ? ": " : "", cmd);
    return len > 0 ? (size_t)len : 0;
}

struct wpath {
    const char *path;
    uint64_t bytes;
    unsigned times;
};

static int cmp_path(const void *x, const void *y)
{
    const struct image_waste *a = x, *b = y;
    return strcmp(a->path, b->path);
}

static int cmp_bytes(const void *x, const void *y)
{
    const struct wpath *a = x, *b = y;
    if (a->bytes != b->bytes)
        return a->bytes < b->bytes ? 1 : -1;
    return strcmp(a->path, b->path);
}

int image_report(FILE *fp, const struct image *im, unsigned top)
{
    if (im->by_layer) {
        char *label = diag_quote(im->label, strlen(im->label));
        int said = fprintf(fp, "\nLayers of %s:\n", label);
        free(label);
        if (said < 0)
            return -1;
        for (size_t i = 0; i < im->nlayers; i++) {
            char h[32], cmd[160];
            command(&im->layers[i], cmd, sizeof cmd);
            if (fprintf(fp, "  layer %zu  %10s  %s\n", i + 1, util_human(im->layers[i].bytes, h),
                        cmd) < 0)
                return -1;
        }
        return 0;
    }
    const struct image_fs *f = &im->fs;
    char a[32], b[32], c[32];
    char *label = diag_quote(im->label, strlen(im->label));
    int said = fprintf(
        fp,
        "\nImage %s: %zu layers, %s in its layers, %s (%s bytes) wasted by later layers "
        "(%.1f%%), efficiency %.1f%%\n",
        label, im->nlayers, util_human(f->total, a), util_human(f->wasted, b),
        util_commas(f->wasted, c), pct(f->wasted, f->total), 100.0 - pct(f->wasted, f->total));
    free(label);
    if (said < 0)
        return -1;
    if (!f->nwaste || !top)
        return 0;
    /* a path wasted more than once counts once, summed */
    struct image_waste *v = xreallocarray(NULL, f->nwaste, sizeof *v);
    memcpy(v, f->waste, f->nwaste * sizeof *v);
    qsort(v, f->nwaste, sizeof *v, cmp_path);
    struct wpath *w = xcalloc(f->nwaste, sizeof *w);
    size_t nw = 0;
    for (size_t i = 0; i < f->nwaste; i++) {
        if (nw && !strcmp(w[nw - 1].path, v[i].path)) {
            w[nw - 1].bytes += v[i].bytes;
            w[nw - 1].times++;
            continue;
        }
        w[nw++] = (struct wpath){v[i].path, v[i].bytes, 1};
    }
    qsort(w, nw, sizeof *w, cmp_bytes);
    int r = fprintf(fp, "Largest wasted paths:\n") < 0 ? -1 : 0;
    for (size_t i = 0; i < nw && i < top && r == 0; i++)
        if (fprintf(fp, "  %10s  %ux  %s\n", util_human(w[i].bytes, a), w[i].times, w[i].path) < 0)
            r = -1;
    free(w);
    free(v);
    return r;
}
