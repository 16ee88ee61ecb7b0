/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flame: the SVG flame graph renderer every command shares. It reads a
 * FINISHED tree (tree.h) and writes the SVG described in docs/svg-format.md:
 * every frame laid out in C (a complete picture without scripts), with the
 * embedded script and style (src/assets/) for zoom and search.
 *
 * It knows nothing about files: disk-specific things (units, colour by file
 * kind, marks for unreadable / archive / label-only nodes, folded-escaped
 * names, which weight slot, before/after of a diff) reach it through
 * struct flame_opts and the nodes' flags.
 *
 * Layout as flamegraph.pl: the root (t->root, "all" for folded input) at
 * depth 0 spans the width; children sit above their parent (below it with
 * inverted), ordered by opts->sort, after the parent's own weight (which is
 * at the left, where flamegraph.pl's sorted lines put it). A frame narrower
 * than minwidth is not drawn, nor anything above it (its count stays in the
 * parent's). Output bytes depend only on the tree and the options.
 *
 * Colours: default, a hash of the name picks each frame's colour in the
 * palette (the same name has the same colour in every graph); --hash uses
 * flamegraph.pl's name hash (early characters weigh most, so similar names
 * get similar colours); --random gives each drawn frame its own colour from
 * a random sequence with a fixed seed (reproducible, unlike flamegraph.pl);
 * --cp takes colours from the palette map and adds those of new names to it
 * (the front end reads and saves palette_file: flame_files.h). Differential graphs colour by the
 * change of each frame's total: red grew, blue shrank (swapped by negate),
 * shaded by |change| relative to the largest change of a drawn frame other
 * than the root; white for no change.
 *
 * flame_write() may sort the tree (tree_sort) and, with diff_width
 * FLAME_DIFF_MAX, uses weight slot 2 as scratch (so such a tree must have
 * nweights <= 2, as a diff has). Not thread-safe for one tree; separate trees
 * may be drawn in parallel. Nothing is printed and no file is opened;
 * messages come back in *err (a heap string the caller frees).
 *
 * The code: src/flame_svg.c is the SVG writer; include/flame_internal.h lists
 * the other src/flame_*.c files (layout, colours, text, options, tables).
 */
#ifndef DUFLAME_FLAME_H
#define DUFLAME_FLAME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

enum flame_palette {
    FLAME_PAL_HOT, /* flamegraph.pl's default */
    FLAME_PAL_MEM,
    FLAME_PAL_IO,
    FLAME_PAL_WAKEUP,
    FLAME_PAL_CHAIN,
    FLAME_PAL_JAVA,
    FLAME_PAL_JS,
    FLAME_PAL_PERL,
    FLAME_PAL_RED,
    FLAME_PAL_GREEN,
    FLAME_PAL_BLUE,
    FLAME_PAL_AQUA,
    FLAME_PAL_YELLOW,
    FLAME_PAL_PURPLE,
    FLAME_PAL_ORANGE,
};

enum flame_sort {
    FLAME_SORT_NAME, /* bytewise by name, like flamegraph.pl (default) */
    FLAME_SORT_SIZE, /* largest first, then by name */
    FLAME_SORT_NONE, /* keep the tree's order (flame charts: input order) */
};

enum flame_units {
    FLAME_UNITS_COUNT, /* "NAME (1,234 samples, 5.67%)" */
    FLAME_UNITS_BYTES, /* "NAME (1,234,567 bytes, 1.2 MiB, 5.67%)" */
};

enum flame_diff_width {
    FLAME_DIFF_AFTER, /* widths from AFTER, as flamegraph.pl: what vanished is not drawn */
    FLAME_DIFF_MAX,   /* widths from max(own BEFORE, own AFTER) summed up the tree, so
                         paths that exist only in BEFORE stay visible */
};

struct flame_opts {
    /* flamegraph.pl's options; strings are borrowed, not copied */
    const char *title;          /* NULL: "Flame Graph", "Icicle Graph" (inverted), "Flame Chart" */
    const char *subtitle;       /* NULL: none */
    unsigned width;             /* --width, pixels (1200) */
    unsigned frameheight;       /* --height, pixels per frame (16) */
    double minwidth;            /* --minwidth (0.1): pixels, or percent of the total */
    bool minwidth_pct;          /* --minwidth ended in '%' */
    const char *fonttype;       /* --fonttype ("Verdana") */
    double fontsize;            /* --fontsize (12) */
    double fontwidth;           /* --fontwidth (0.59): average glyph width / fontsize */
    const char *countname;      /* --countname ("samples"); "bytes" implies FLAME_UNITS_BYTES */
    const char *nametype;       /* --nametype ("Function:") */
    enum flame_palette palette; /* --colors */
    const char *bgcolors;       /* --bgcolors: yellow, blue, green, grey or #rrggbb; NULL:
                                   the palette's (as flamegraph.pl) */
    bool hash;                  /* --hash */
    bool random;                /* --random */
    bool cp;                    /* --cp: consistent palette through palette_file (the
                                   front end's; the renderer uses palmap) */
    const char *palette_file;   /* "palette.map"; read and saved by the front end */
    bool reverse;               /* --reverse: honoured by the source that builds the tree
                                   (the folded reader), ignored by flame_write */
    bool inverted;              /* --inverted: icicle graph */
    bool flamechart;            /* --flamechart: title "Flame Chart", no sorting (the source
                                   keeps time order) */
    bool negate;                /* --negate: swap differential hues */
    const char *notes;          /* --notes: kept in <desc id="notes"> */
    const char *total;          /* --total: the count the width stands for (ignored, with a
                                   warning, when smaller than the real total); NULL: real */
    double factor;              /* --factor: counts in titles are multiplied by this (1) */
    const char *nameattr;       /* --nameattr FILE: per-name attributes (see the man page),
                                   read by the front end into nameattrs */
    const char *encoding;       /* --encoding: the XML declaration's encoding (the bytes
                                   written are UTF-8 whatever it says) */
    enum flame_sort sort;       /* --sort=name|size */

    /* set by front ends, mostly the disk scan */
    unsigned weight;        /* weight slot to draw (0) */
    enum flame_units units; /* FLAME_UNITS_COUNT */
    bool color_by_kind;     /* colour by tree_kind_of() and TREE_DIR, with a legend */
    bool marks;             /* mark TREE_UNREADABLE / TREE_ARCHIVE / TREE_LITERAL frames
                               (outline, italics, a note after the title) */
    bool diff;              /* differential: slots TREE_W_BEFORE and TREE_W_AFTER */
    enum flame_diff_width diff_width;
    /* differential shades stop short of pure red and blue, so that the dark
     * labels keep a contrast of at least 4.5:1 (duflame diff); without it,
     * flamegraph.pl's shades */
    bool diff_readable;
    /* a differential graph's legend (duflame diff): the colours, then this
     * text, both totals and the change ("Before 1.0 MiB -> after ..."); NULL:
     * no legend */
    const char *diff_totals;
    /* archives: more text for a frame's tooltip, after its counts
     * and marks (an archive's extracted bytes and compression ratio). Writes
     * a NUL-terminated plain text of at most cap bytes into buf, which the
     * renderer escapes; returns 0 for none. NULL: no notes. */
    size_t (*note)(void *ctx, const struct tree_node *n, char *buf, size_t cap);
    void *note_ctx;
    /* more content for the end of the SVG, after the frames (a disk scan
     * embeds the whole tree and the page engine there: html_svg_extra).
     * Returns 0, or -1 on a write error. NULL: nothing. */
    int (*extra)(void *ctx, FILE *out, struct tree *t);
    void *extra_ctx;

    /* what the front end read from files (flame_files.h); borrowed */
    struct flame_palmap *palmap;             /* --cp: colours by shown name; the
                                                colours of names not in it are added
                                                (flame_palmap_changed). NULL: no --cp */
    const struct flame_nameattrs *nameattrs; /* --nameattr's table; NULL: none */
};

/* flame_opts_init: flamegraph.pl's defaults */
void flame_opts_init(struct flame_opts *o);

/* flame_write: draw the finished tree t to out. Returns 0; 1 when the SVG
 * was written whole but something is worth a warning (*err says what: an
 * ignored --total); -1 on a fatal error (*err set: a bad option value, a
 * write error). It reads o->palmap and o->nameattrs, never o->cp,
 * o->palette_file or o->nameattr: those name files for the front end
 * (flame_files_write reads them, calls this, and saves the map). */
int flame_write(FILE *out, struct tree *t, const struct flame_opts *o, char **err);

/* flame_check: the checks flame_write makes first (option values, weight
 * slots, --bgcolors), finishing t if it is not; 0, or -1 with *err set */
int flame_check(const struct flame_opts *o, struct tree *t, char **err);

/* flame_parse_palette: "hot" etc. to the enum; -1 if unknown */
int flame_parse_palette(const char *s, enum flame_palette *out);

/* The consistent palette (--cp): shown name -> "rgb(r,g,b)". One drawing
 * at a time may use a map. */
struct flame_palmap;
struct flame_palmap *flame_palmap_new(void);
void flame_palmap_free(struct flame_palmap *m);
/* flame_palmap_valid_rgb: v is exactly "rgb(R,G,B)" with each in 0..255 (text
 * from a file goes into an attribute only after this check) */
bool flame_palmap_valid_rgb(const char *v);
/* flame_palmap_add: name[0..len) -> rgb (both copied); a name already there
 * keeps its first colour */
void flame_palmap_add(struct flame_palmap *m, const char *name, size_t len, const char *rgb);
const char *flame_palmap_find(const struct flame_palmap *m, const char *name);
/* whether a drawing added colours, so the map is worth saving */
void flame_palmap_set_changed(struct flame_palmap *m, bool changed);
bool flame_palmap_changed(const struct flame_palmap *m);
/* flame_palmap_sort: order the entries by name (bytewise); returns how many.
 * flame_palmap_entry: the i-th (borrowed strings) */
size_t flame_palmap_sort(struct flame_palmap *m);
void flame_palmap_entry(const struct flame_palmap *m, size_t i, const char **name,
                        const char **rgb);

/* Per-name attributes (--nameattr): class, style and title text. */
struct flame_nameattr {
    char *name; /* heap strings, the table's once added; cls, style, title may be NULL */
    size_t len;
    char *cls, *style, *title;
};
struct flame_nameattrs;
struct flame_nameattrs *flame_nameattrs_new(void);
void flame_nameattrs_free(struct flame_nameattrs *a);
/* flame_nameattrs_add: take *e's strings; flame_nameattrs_sort once all are
 * added (find sees nothing before) */
void flame_nameattrs_add(struct flame_nameattrs *a, const struct flame_nameattr *e);
void flame_nameattrs_sort(struct flame_nameattrs *a);
const struct flame_nameattr *flame_nameattrs_find(const struct flame_nameattrs *a, const char *name,
                                                  size_t len);

#endif
