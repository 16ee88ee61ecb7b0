/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The renderer's options: flamegraph.pl's defaults, the palette names, the
 * checks flame_write() makes before drawing, and the background gradient.
 */
#include "flame_internal.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void flame_opts_init(struct flame_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1200;
    o->frameheight = 16;
    o->minwidth = 0.1;
    o->fonttype = "Verdana, DejaVu Sans, sans-serif";
    o->fontsize = 12;
    o->fontwidth = 0.59;
    o->countname = "samples";
    o->nametype = "Function:";
    o->palette = FLAME_PAL_HOT;
    o->palette_file = "palette.map";
    o->factor = 1.0;
    o->sort = FLAME_SORT_NAME;
    o->units = FLAME_UNITS_COUNT;
    o->diff_width = FLAME_DIFF_AFTER;
}

static const char *const palette_names[] = {
    "hot", "mem",   "io",   "wakeup", "chain",  "java",   "js",     "perl",
    "red", "green", "blue", "aqua",   "yellow", "purple", "orange",
};

int flame_parse_palette(const char *s, enum flame_palette *out)
{
    for (size_t i = 0; i < ARRAY_LEN(palette_names); i++)
        if (strcmp(s, palette_names[i]) == 0) {
            *out = (enum flame_palette)i;
            return 0;
        }
    return -1;
}

/* the background flamegraph.pl gives a palette */
static const char *default_bg(const struct flame_opts *o)
{
    if (o->color_by_kind || o->diff)
        return "grey";
    switch (o->palette) {
    case FLAME_PAL_MEM:
        return "green";
    case FLAME_PAL_IO:
    case FLAME_PAL_WAKEUP:
    case FLAME_PAL_CHAIN:
        return "blue";
    case FLAME_PAL_RED:
    case FLAME_PAL_GREEN:
    case FLAME_PAL_BLUE:
    case FLAME_PAL_AQUA:
    case FLAME_PAL_YELLOW:
    case FLAME_PAL_PURPLE:
    case FLAME_PAL_ORANGE:
        return "grey";
    default:
        return "yellow";
    }
}

int flame_bg_colors(const struct flame_opts *o, const char **c1, const char **c2, char **err)
{
    const char *bg = o->bgcolors ? o->bgcolors : default_bg(o);
    if (strcmp(bg, "yellow") == 0) {
        *c1 = "#eeeeee";
        *c2 = "#eeeeb0";
    } else if (strcmp(bg, "blue") == 0) {
        *c1 = "#eeeeee";
        *c2 = "#e0e0ff";
    } else if (strcmp(bg, "green") == 0) {
        *c1 = "#eef2ee";
        *c2 = "#e0ffe0";
    } else if (strcmp(bg, "grey") == 0 || strcmp(bg, "gray") == 0) {
        *c1 = "#f8f8f8";
        *c2 = "#e8e8e8";
    } else if (bg[0] == '#' && strlen(bg) == 7 && strspn(bg + 1, "0123456789abcdefABCDEF") == 6) {
        *c1 = *c2 = bg;
    } else {
        *err =
            xasprintf("invalid --bgcolors '%s': expected yellow, blue, green, grey or #rrggbb", bg);
        return -1;
    }
    return 0;
}

static int check_sizes(const struct flame_opts *o, char **err)
{
    if (o->width < 2 * (unsigned)FLAME_XPAD + 1) {
        *err = xasprintf("invalid --width %u: must be at least %u", o->width,
                         2 * (unsigned)FLAME_XPAD + 1);
        return -1;
    }
    if (o->frameheight < 2) {
        *err = xasprintf("invalid --height %u: must be at least 2", o->frameheight);
        return -1;
    }
    if (!(o->fontsize > 0) || !(o->fontwidth > 0) || !isfinite(o->fontsize) ||
        !isfinite(o->fontwidth)) {
        *err = xasprintf("invalid --fontsize or --fontwidth: must be positive");
        return -1;
    }
    if (!(o->minwidth >= 0) || !isfinite(o->minwidth)) {
        *err = xasprintf("invalid --minwidth: must not be negative");
        return -1;
    }
    if (!(o->factor > 0) || !isfinite(o->factor)) {
        *err = xasprintf("invalid --factor: must be positive");
        return -1;
    }
    return 0;
}

static int check_slots(const struct flame_opts *o, const struct tree *t, char **err)
{
    if (o->diff && t->nweights < 2) {
        *err = xasprintf("a differential graph needs a tree with before and after weights");
        return -1;
    }
    if (o->diff && o->diff_width == FLAME_DIFF_MAX && t->nweights > 2) {
        *err = xasprintf("diff_width=max needs weight slot 2 free");
        return -1;
    }
    if (!o->diff && o->weight >= (t->nweights ? t->nweights : 1)) {
        *err = xasprintf("weight slot %u is not filled in this tree", o->weight);
        return -1;
    }
    return 0;
}

static int check_encoding(const struct flame_opts *o, char **err)
{
    if (o->encoding &&
        (!o->encoding[0] ||
         strspn(o->encoding, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(o->encoding))) {
        *err = xasprintf("invalid --encoding '%s'", o->encoding);
        return -1;
    }
    return 0;
}

int flame_check(const struct flame_opts *o, struct tree *t, char **err)
{
    *err = NULL;
    if (!t->finished)
        tree_finish(t);
    const char *c1, *c2;
    if (check_sizes(o, err) || check_slots(o, t, err) || check_encoding(o, err) ||
        flame_bg_colors(o, &c1, &c2, err))
        return -1;
    return 0;
}
