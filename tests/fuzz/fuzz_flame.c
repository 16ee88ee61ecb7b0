/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_flame: the SVG renderer on a tree built from the input, with names
 * of any bytes (';', NUL, markup, "]]>", invalid UTF-8) and any options.
 *
 * Input: 4 option bytes, then records
 *     OP FLAGS LEN NAME[LEN] W0 W1
 * OP picks the parent (a node on the current path, OP % (path length)),
 * FLAGS the node's tree flags and kind, W0/W1 its own weights (one byte
 * each, scaled by the option bytes so that huge and tiny frames both
 * happen). The first record's name is also used as title, subtitle, notes,
 * countname and nametype, which the front ends take from the command line.
 *
 * Invariants checked: the SVG is valid UTF-8 without controls other than
 * newline, well-formed (fc_xml_check), has exactly one <script> (no name or
 * option string added one) and no event-handler attribute, and rendering is
 * deterministic (the same tree and options give the same bytes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "fuzz_check.h"
#include "tree.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *render(struct tree *t, const struct flame_opts *o, size_t *len)
{
    char *svg = NULL;
    *len = 0;
    FILE *f = open_memstream(&svg, len);
    if (!f)
        abort();
    char *err = NULL;
    int rc = flame_write(f, t, o, &err);
    fclose(f);
    if (rc < 0)
        fc_fail("flame_write failed: %s", err ? err : "?");
    free(err);
    return svg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > 32768)
        return 0;
    uint8_t o0 = data[0], o1 = data[1], o2 = data[2], o3 = data[3];
    bool diff = o0 & 1;
    struct tree *t = tree_new("all", diff ? 2 : 3);
    if (diff) {
        t->wnames[0] = "before";
        t->wnames[1] = "after";
    } else {
        t->wnames[0] = "disk";
        t->wnames[1] = "apparent";
        t->wnames[2] = "count";
    }
    struct tree_arena *a = tree_main_arena(t);
    enum { MAXPATH = 512 };
    struct tree_node *path[MAXPATH];
    size_t plen = 1;
    path[0] = t->root;
    char *label = NULL;
    unsigned shift = (o3 >> 4) * 4; /* weights up to 2^68: saturation too */
    for (size_t i = 4; i + 3 <= size;) {
        uint8_t op = data[i], fl = data[i + 1], len = data[i + 2];
        i += 3;
        if (len > size - i)
            len = (uint8_t)(size - i);
        const char *name = (const char *)data + i;
        i += len;
        if (!label)
            label = xmemdup(name, len);
        struct tree_node *parent = path[op % plen];
        plen = op % plen + 1;
        struct tree_node *n = tree_child(a, parent, name, len, NULL);
        n->flags = (uint16_t)(fl & 0xfe ? (fl & 0x3e) | ((unsigned)(fl >> 6) << TREE_KIND_SHIFT)
                                        : TREE_DIR);
        for (unsigned k = 0; k < 2 && i < size; k++, i++) {
            uint64_t v = data[i];
            v = shift >= 64 ? (v ? UINT64_MAX / 2 : 0) : v << shift;
            n->w[k] += v;
        }
        if (!diff)
            n->w[TREE_W_COUNT] = 1;
        if (plen < MAXPATH)
            path[plen++] = n;
    }
    tree_finish(t);

    struct flame_opts o;
    flame_opts_init(&o);
    o.diff = diff;
    o.inverted = o0 & 2;
    o.units = (o0 & 4) ? FLAME_UNITS_BYTES : FLAME_UNITS_COUNT;
    o.color_by_kind = o0 & 8;
    o.marks = o0 & 16;
    o.diff_width = (o0 & 64) ? FLAME_DIFF_MAX : FLAME_DIFF_AFTER;
    o.negate = o0 & 128;
    o.sort = (enum flame_sort)(o1 % 3);
    o.palette = (enum flame_palette)((o1 >> 2) % (FLAME_PAL_ORANGE + 1));
    o.hash = o1 & 0x40;
    o.random = o1 & 0x80;
    o.weight = diff ? 0 : o2 % 3;
    o.minwidth = (o2 >> 2) & 1 ? 0 : (double)(o2 >> 3) / 4;
    o.minwidth_pct = (o2 >> 2) & 2;
    o.width = 30 + (unsigned)(o3 & 15) * 150;
    if (label && (o3 & 1)) {
        /* strings from the command line; a NUL inside ends them there */
        o.title = label;
        o.subtitle = label;
        o.notes = label;
        o.nametype = label;
    }
    if (label && (o3 & 2))
        o.countname = label;

    size_t sl, sl2;
    char *svg = render(t, &o, &sl);
    fc_utf8_clean("svg", svg, sl, "\n");
    struct fc_xml_result xr = fc_xml_check(svg, sl);
    if (xr.scripts != 1)
        fc_fail("svg has %zu <script> elements", xr.scripts);
    if (xr.titles < 1)
        fc_fail("svg has no frame");
    char *again = render(t, &o, &sl2);
    if (sl != sl2 || memcmp(svg, again, sl) != 0)
        fc_fail("rendering the same tree twice gave different bytes");
    free(again);
    free(svg);
    free(label);
    tree_free(t);
    return 0;
}
