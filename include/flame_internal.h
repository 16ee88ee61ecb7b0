/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flame_internal: what the renderer's own files share, private to
 * src/flame_*.c (front ends include flame.h). One drawing is one struct
 * flame_render, owned by flame_write() for the length of a call: not shared
 * between threads.
 *
 *   flame_opts.c     defaults, palette names, option checks, backgrounds
 *   flame_layout.c   which frames are drawn and where (x, width, depth, minwidth)
 *   flame_color.c    each frame's fill: palettes, hashes, file kinds, diffs
 *   flame_text.c     numbers and text: fixed-point, counts, titles, labels
 *   flame_palmap.c   the --cp palette map the front end reads and saves
 *   flame_nameattr.c the --nameattr table the front end reads
 *   flame_svg.c      the SVG writer: flame_write(), header, legend, frames
 */
#ifndef DUFLAME_FLAME_INTERNAL_H
#define DUFLAME_FLAME_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flame.h"
#include "names.h"
#include "tree.h"

#define FLAME_XPAD 10.0
#define FLAME_FRAMEPAD 1.0
#define FLAME_SEARCH_COLOR "rgb(230,0,230)"
#define FLAME_KIND_DIR TREE_KIND_COUNT /* kinds_seen bit for directories */

struct flame_render {
    FILE *out;
    struct tree *t;
    const struct flame_opts *o;
    unsigned wl;     /* layout slot: what widths come from */
    unsigned wa, wb; /* the count in titles (after / the drawn slot) and before */
    bool diff, bytes;
    uint64_t timemax;   /* the count the full width stands for */
    uint64_t pctref;    /* what percentages are of */
    double wpt;         /* pixels per count */
    double minw;        /* minimum width, in counts */
    double fonttotal;   /* fontsize * fontwidth */
    double height, top; /* image height, y of depth 0 (inverted) */
    double ypad2;
    double subtitle_y, legend_y; /* rows under the title (0: none) */
    bool legend;
    unsigned depthmax;
    uint64_t maxdelta;
    unsigned kinds_seen; /* bit per kind, bit FLAME_KIND_DIR for directories */
    unsigned marks_seen; /* TREE_UNREADABLE | TREE_ARCHIVE | TREE_LITERAL */
    uint64_t rng;
    struct name_buf b, nm;
    uint64_t *xs; /* next free x per depth */
    size_t capxs;
};

/* a frame's box in pixels */
struct flame_box {
    double x1, y1, x2, y2;
};

/* flame_opts.c */
int flame_bg_colors(const struct flame_opts *o, const char **c1, const char **c2, char **err);

/* flame_layout.c */
int flame_layout(struct flame_render *r, char **warn, char **err);
bool flame_drawn(const struct flame_render *r, const struct tree_node *n, unsigned depth);
struct flame_box flame_frame_box(const struct flame_render *r, const struct tree_node *n,
                                 unsigned depth, uint64_t x);
void flame_layout_walk(struct flame_render *r,
                       void (*fn)(struct flame_render *r, const struct tree_node *n, unsigned depth,
                                  uint64_t x));
void flame_layout_release(struct flame_render *r);

/* flame_color.c */
void flame_frame_color(struct flame_render *r, const struct tree_node *n, const char *disp,
                       size_t displen, char out[32]);
uint64_t flame_absdelta(uint64_t a, uint64_t b);

/* flame_text.c */
void flame_addf(struct name_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void flame_add_xml_str(struct name_buf *b, const char *s);
void flame_add_fixed(struct name_buf *b, double v, int digits);
void flame_add_u64(struct name_buf *b, uint64_t v);
const char *flame_px(double v, char buf[40]);
int flame_parse_total(const char *s, unsigned scale, uint64_t *out);
void flame_add_title_counts(struct flame_render *r, struct name_buf *b, const struct tree_node *n);
void flame_add_label(struct flame_render *r, struct name_buf *b, const char *disp, size_t len,
                     double width);

#endif
