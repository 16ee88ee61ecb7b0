/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * html: the HTML sink. One self-contained page: the tree as embedded data
 * (viewdata.h), the page engine and its style (src/assets/viewer.js and
 * viewer.css) and a small JSON configuration, with nothing fetched from
 * anywhere. The engine lays out and draws only what the current zoom shows,
 * so a page stays interactive with millions of entries.
 *
 * Like flame, it knows nothing about files: what each weight slot means
 * (its key in the URL, its label, its unit) and how a path is joined reach
 * it through struct html_opts. Every string the page shows is escaped for
 * the place it goes (JSON inside a script element: no "<", ">" or "&" left
 * raw; the data is base64), so no name can inject markup.
 *
 * html_write() reads a finished tree and may sort its siblings (largest
 * first by opts->weight). Not thread-safe for one tree; prints nothing.
 */
#ifndef DUFLAME_HTML_H
#define DUFLAME_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tree.h"
#include "viewdata.h"

struct html_metric {
    const char *key;   /* in the URL (?m=KEY) and the switch: "disk", "samples" */
    const char *label; /* shown: "Disk usage" */
    const char *unit;  /* "bytes" (shown in binary units) or a count's name ("entries") */
    const char *side;  /* a diff page's: "before" or "after"; NULL otherwise */
};

struct html_opts {
    const char *title;                         /* the page's heading; NULL: "Flame Graph" */
    const char *subtitle;                      /* NULL: none */
    struct html_metric metrics[VIEWDATA_MAXW]; /* one per weight slot of the tree */
    unsigned weight;                           /* the slot the page opens in */
    /* 0: the data's slots are the tree's, a metric each, and the page
     * opens in weight. Otherwise (a diff page) the data has nmetrics slots,
     * from the extra callback below (viewdata_opts) when it is set, else
     * the tree's; the page opens in slot open_metric */
    unsigned nmetrics, open_metric;
    void (*extra)(void *ctx, const struct tree_node *n, uint64_t *tot);
    void *extra_ctx;
    const char *sep;    /* joins names into a path: "/" for scans, ";" for stacks */
    size_t max_entries; /* the data budget (viewdata_opts); 0: the default */
    bool name_sort;     /* open sorted by name instead of by size */
    bool inverted;      /* open as an icicle graph */
    /* a joined tree (duflame diff): the ranking as diff_write_json() writes
     * it, and the path of the compared roots' node below the root (the
     * ranking's paths start there); NULL for any other tree */
    const char *diff_json;
    const char *diff_base;
    /* NULL, or a JSON array of the ranking in each of the nmetrics metrics
     * (the page's table follows its metric switch) */
    const char *diff_ranks;
    /* container images (image.h): their JSON array for the config
     * ("images"), the tag of each node (its layer; viewdata_opts.tag) and the
     * tree of the images by layer, embedded as a second data block for the
     * page's "by layer" view (sorted, and finished here); NULL: none */
    const char *images_json;
    long (*tag)(void *ctx, const struct tree_node *n);
    void *tag_ctx;
    struct tree *layers;
};

void html_opts_init(struct html_opts *o);

/* html_json_display: s as a JSON string, shown as typed (valid UTF-8,
 * control bytes escaped visibly) and inert inside a <script> element; null
 * for NULL */
void html_json_display(struct name_buf *b, const char *s);

/* html_write: the page for the finished tree t. Returns 0, or -1 with *err
 * set (a heap string the caller frees) on a write error. *stats (may be
 * NULL) says how much of the tree went into aggregates. */
int html_write(FILE *out, struct tree *t, const struct html_opts *o, struct viewdata_stats *stats,
               char **err);

/* html_svg_extra: the same data and engine for the end of an SVG (after its
 * static frames, before "</svg>"): the style and the engine in CDATA
 * sections, the configuration and the data in script elements that no
 * browser runs. The tree is encoded in its present sibling order, which is
 * the SVG's, so a frame's place among its siblings finds its node. Returns 0,
 * or -1 on a write error. */
int html_svg_extra(FILE *out, struct tree *t, const struct html_opts *o,
                   struct viewdata_stats *stats);

#endif
