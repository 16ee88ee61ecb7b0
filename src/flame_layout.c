/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which frames are drawn and where, as flamegraph.pl: the root spans the
 * width; children sit above their parent (below it when inverted), after the
 * parent's own weight; a frame narrower than minwidth is not drawn, nor
 * anything above it. Positions are exact counts (x, width) and depths;
 * flame_frame_box() turns them into pixels. Any writer (the SVG one, or
 * another format) walks the drawn frames with flame_layout_walk().
 */
#include "flame_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

bool flame_drawn(const struct flame_render *r, const struct tree_node *n, unsigned depth)
{
    if (depth == 0)
        return true;
    uint64_t w = tree_w(n, r->wl);
    return w > 0 && (double)w >= r->minw;
}

static void ensure_xs(struct flame_render *r, size_t d)
{
    if (d < r->capxs)
        return;
    size_t cap = r->capxs ? r->capxs * 2 : 256;
    while (cap <= d)
        cap *= 2;
    r->xs = xreallocarray(r->xs, cap, sizeof *r->xs);
    r->capxs = cap;
}

/* Sort the child lists that drawing reads: those of drawn frames (a frame
 * too narrow to draw is skipped with its subtree, and only its width counts).
 * A large profile draws a few percent of its nodes, so this is much less
 * than tree_sort(). The same order as tree_sort() where it matters. */
static void sort_drawn(struct flame_render *r, enum tree_order order, unsigned w)
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        descend = flame_drawn(r, n, it.depth);
        if (descend)
            tree_sort_children(n, order, w);
    }
}

/* depth of the deepest drawn frame, the largest change, which legend entries */
static void measure(struct flame_render *r)
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        if (!flame_drawn(r, n, it.depth)) {
            descend = false;
            continue;
        }
        descend = true;
        if (it.depth > r->depthmax)
            r->depthmax = it.depth;
        if (r->diff && it.depth > 0) {
            uint64_t d = flame_absdelta(tree_w(n, r->wa), tree_w(n, r->wb));
            if (d > r->maxdelta)
                r->maxdelta = d;
        }
        if (r->o->color_by_kind)
            r->kinds_seen |= 1u << ((n->flags & TREE_DIR) ? FLAME_KIND_DIR : tree_kind_of(n));
        if (r->o->marks)
            r->marks_seen |= n->flags & (TREE_UNREADABLE | TREE_ARCHIVE | TREE_LITERAL);
    }
    if (r->maxdelta == 0)
        r->maxdelta = 1;
}

/* max(own BEFORE, own AFTER) summed up the tree into slot 2 */
static void diff_max_widths(struct tree *t)
{
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t b = tree_own(n, TREE_W_BEFORE), a = tree_own(n, TREE_W_AFTER);
        tree_set_w(n, 2, a > b ? a : b);
    }
    /* post-order: each node is added into its parent when it is left */
    struct tree_node *n = t->root;
    while (tree_first_child(n))
        n = tree_first_child(n);
    while (n != t->root) {
        struct tree_node *p = tree_parent(n);
        tree_set_w(p, 2,
                   tree_w(p, 2) > UINT64_MAX - tree_w(n, 2) ? UINT64_MAX
                                                            : tree_w(p, 2) + tree_w(n, 2));
        if (tree_next_sibling(n)) {
            n = tree_next_sibling(n);
            while (tree_first_child(n))
                n = tree_first_child(n);
        } else {
            n = p;
        }
    }
}

/* which weight slots give widths and titles */
static void pick_slots(struct flame_render *r)
{
    const struct flame_opts *o = r->o;
    if (r->diff) {
        r->wa = TREE_W_AFTER;
        r->wb = TREE_W_BEFORE;
        r->wl = TREE_W_AFTER;
        if (o->diff_width == FLAME_DIFF_MAX) {
            diff_max_widths(r->t);
            r->wl = 2;
        }
    } else {
        r->wa = r->wb = r->wl = o->weight;
    }
}

/* what the full width stands for: the root, or a larger --total */
static int pick_total(struct flame_render *r, char **warn, char **err)
{
    const struct flame_opts *o = r->o;
    r->timemax = tree_w(r->t->root, r->wl);
    r->pctref = tree_w(r->t->root, r->wa);
    if (!o->total)
        return 0;
    uint64_t tot;
    if (flame_parse_total(o->total, r->t->scale, &tot) != 0) {
        *err = xasprintf("invalid --total '%s': expected a count", o->total);
        return -1;
    }
    if (tot < r->timemax) {
        *warn = xasprintf("--total %s is less than the actual total, so ignored", o->total);
    } else {
        r->timemax = tot;
        r->pctref = tot;
    }
    return 0;
}

/* vertical layout, as flamegraph.pl, plus rows for a subtitle and the legend */
static void vertical(struct flame_render *r)
{
    const struct flame_opts *o = r->o;
    double fs = o->fontsize;
    double ypad1 = fs * 3;
    r->ypad2 = fs * 2 + 10;
    if (o->subtitle) {
        r->subtitle_y = ypad1 + fs * 0.5;
        ypad1 += fs * 2;
    }
    r->legend = (o->color_by_kind && r->kinds_seen) || r->marks_seen || (r->diff && o->diff_totals);
    if (r->legend) {
        r->legend_y = ypad1 + fs * 0.5;
        ypad1 += fs * 2;
    }
    r->top = ypad1;
    r->height = (r->depthmax + 1) * (double)o->frameheight + ypad1 + r->ypad2;
}

int flame_layout(struct flame_render *r, char **warn, char **err)
{
    const struct flame_opts *o = r->o;
    r->rng = 0x9e3779b97f4a7c15ULL;
    r->diff = o->diff;
    r->bytes = o->units == FLAME_UNITS_BYTES || strcmp(o->countname, "bytes") == 0;
    pick_slots(r);
    if (pick_total(r, warn, err) != 0)
        return -1;
    double gw = (double)o->width - 2 * FLAME_XPAD;
    r->wpt = r->timemax ? gw / (double)r->timemax : 0;
    if (o->minwidth_pct)
        r->minw = (double)r->timemax * o->minwidth / 100.0;
    else
        r->minw = r->wpt > 0 ? o->minwidth / r->wpt : 0;
    r->fonttotal = o->fontsize * o->fontwidth;
    if (!o->flamechart && o->sort == FLAME_SORT_NAME)
        sort_drawn(r, TREE_BY_NAME, 0);
    else if (!o->flamechart && o->sort == FLAME_SORT_SIZE)
        sort_drawn(r, TREE_BY_WEIGHT, r->wl);
    measure(r);
    vertical(r);
    return 0;
}

struct flame_box flame_frame_box(const struct flame_render *r, const struct tree_node *n,
                                 unsigned depth, uint64_t x)
{
    const struct flame_opts *o = r->o;
    uint64_t w = tree_w(n, r->wl);
    struct flame_box bx;
    bx.x1 = FLAME_XPAD + (double)x * r->wpt;
    bx.x2 = FLAME_XPAD + (double)(x + w) * r->wpt;
    if (depth == 0 && r->timemax == 0)
        bx.x2 = (double)o->width - FLAME_XPAD; /* nothing counted: the root still spans */
    double fh = (double)o->frameheight;
    if (o->inverted) {
        bx.y1 = r->top + depth * fh;
        bx.y2 = r->top + (depth + 1) * fh - FLAME_FRAMEPAD;
    } else {
        bx.y1 = r->height - r->ypad2 - (depth + 1) * fh + FLAME_FRAMEPAD;
        bx.y2 = r->height - r->ypad2 - depth * fh;
    }
    return bx;
}

void flame_layout_walk(struct flame_render *r,
                       void (*fn)(struct flame_render *r, const struct tree_node *n, unsigned depth,
                                  uint64_t x))
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        unsigned d = it.depth;
        ensure_xs(r, (size_t)d + 1);
        if (d == 0)
            r->xs[0] = 0;
        if (!flame_drawn(r, n, d)) {
            r->xs[d] += tree_w(n, r->wl);
            descend = false;
            continue;
        }
        descend = true;
        uint64_t x = r->xs[d];
        r->xs[d] += tree_w(n, r->wl);
        /* children start after the parent's own weight, which sits at the left
         * where flamegraph.pl's sorted lines put it */
        r->xs[d + 1] = x + tree_own(n, r->wl);
        fn(r, n, d, x);
    }
}

void flame_layout_release(struct flame_render *r)
{
    free(r->xs);
    r->xs = NULL;
    r->capxs = 0;
}
