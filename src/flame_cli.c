/* SPDX-License-Identifier: BSD-2-Clause */
#include "flame_cli.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_TITLE = FLAME_CLI_BASE,
    O_SUBTITLE,
    O_WIDTH,
    O_HEIGHT,
    O_MINWIDTH,
    O_FONTTYPE,
    O_FONTSIZE,
    O_FONTWIDTH,
    O_COUNTNAME,
    O_NAMETYPE,
    O_COLORS,
    O_BGCOLORS,
    O_HASH,
    O_RANDOM,
    O_CP,
    O_REVERSE,
    O_INVERTED,
    O_FLAMECHART,
    O_NEGATE,
    O_NOTES,
    O_TOTAL,
    O_FACTOR,
    O_NAMEATTR,
    O_ENCODING,
    O_SORT,
    O_DIFF_WIDTH,
    O_END
};

const struct option flame_cli_options[] = {
    {"title", required_argument, NULL, O_TITLE},
    {"subtitle", required_argument, NULL, O_SUBTITLE},
    {"width", required_argument, NULL, O_WIDTH},
    {"height", required_argument, NULL, O_HEIGHT},
    {"minwidth", required_argument, NULL, O_MINWIDTH},
    {"fonttype", required_argument, NULL, O_FONTTYPE},
    {"fontsize", required_argument, NULL, O_FONTSIZE},
    {"fontwidth", required_argument, NULL, O_FONTWIDTH},
    {"countname", required_argument, NULL, O_COUNTNAME},
    {"nametype", required_argument, NULL, O_NAMETYPE},
    {"colors", required_argument, NULL, O_COLORS},
    {"bgcolors", required_argument, NULL, O_BGCOLORS},
    {"hash", no_argument, NULL, O_HASH},
    {"random", no_argument, NULL, O_RANDOM},
    {"cp", no_argument, NULL, O_CP},
    {"reverse", no_argument, NULL, O_REVERSE},
    {"inverted", no_argument, NULL, O_INVERTED},
    {"flamechart", no_argument, NULL, O_FLAMECHART},
    {"negate", no_argument, NULL, O_NEGATE},
    {"notes", required_argument, NULL, O_NOTES},
    {"total", required_argument, NULL, O_TOTAL},
    {"factor", required_argument, NULL, O_FACTOR},
    {"nameattr", required_argument, NULL, O_NAMEATTR},
    {"encoding", required_argument, NULL, O_ENCODING},
    {"sort", required_argument, NULL, O_SORT},
    {"diff-width", required_argument, NULL, O_DIFF_WIDTH},
    {NULL, 0, NULL, 0},
};

const size_t flame_cli_noptions = ARRAY_LEN(flame_cli_options) - 1;

bool flame_cli_is_option(int code)
{
    return code >= FLAME_CLI_BASE && code < O_END;
}

static const char *name_of(int code)
{
    for (size_t i = 0; i < flame_cli_noptions; i++)
        if (flame_cli_options[i].val == code)
            return flame_cli_options[i].name;
    return "?";
}

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = xstrdup("out of memory");
    va_end(ap);
    return -1;
}

/* a whole positive integer up to max */
static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int flame_cli_option(struct flame_opts *o, int code, const char *arg, char **err)
{
    *err = NULL;
    const char *nm = name_of(code);
    switch (code) {
    case O_TITLE:
        o->title = arg;
        return 0;
    case O_SUBTITLE:
        o->subtitle = arg;
        return 0;
    case O_WIDTH:
        if (parse_uint(arg, 21, 1000000, &o->width) != 0)
            return fail(err, "invalid --%s '%s': expected an integer from 21 to 1000000", nm, arg);
        return 0;
    case O_HEIGHT:
        if (parse_uint(arg, 2, 10000, &o->frameheight) != 0)
            return fail(err, "invalid --%s '%s': expected an integer from 2 to 10000", nm, arg);
        return 0;
    case O_MINWIDTH: {
        size_t n = strlen(arg);
        bool pct = n > 0 && arg[n - 1] == '%';
        char *tmp = xmemdup(arg, pct ? n - 1 : n);
        double v;
        int bad = parse_double(tmp, &v) != 0 || v < 0 || (pct && v > 100);
        free(tmp);
        if (bad)
            return fail(err, "invalid --%s '%s': expected pixels (0.1) or a percentage (0.5%%)", nm,
                        arg);
        o->minwidth = v;
        o->minwidth_pct = pct;
        return 0;
    }
    case O_FONTTYPE:
        o->fonttype = arg;
        return 0;
    case O_FONTSIZE:
    case O_FONTWIDTH: {
        double v;
        if (parse_double(arg, &v) != 0 || !(v > 0) || v > 1000)
            return fail(err, "invalid --%s '%s': expected a positive number", nm, arg);
        if (code == O_FONTSIZE)
            o->fontsize = v;
        else
            o->fontwidth = v;
        return 0;
    }
    case O_COUNTNAME:
        o->countname = arg;
        return 0;
    case O_NAMETYPE:
        o->nametype = arg;
        return 0;
    case O_COLORS:
        if (flame_parse_palette(arg, &o->palette) != 0)
            return fail(err,
                        "invalid --%s '%s': expected hot, mem, io, wakeup, chain, java, js, "
                        "perl, red, green, blue, aqua, yellow, purple or orange",
                        nm, arg);
        return 0;
    case O_BGCOLORS: {
        static const char *const ok[] = {"yellow", "blue", "green", "grey", "gray"};
        bool good =
            arg[0] == '#' && strlen(arg) == 7 && strspn(arg + 1, "0123456789abcdefABCDEF") == 6;
        for (size_t i = 0; i < ARRAY_LEN(ok); i++)
            good = good || strcmp(arg, ok[i]) == 0;
        if (!good)
            return fail(err, "invalid --%s '%s': expected yellow, blue, green, grey or #rrggbb", nm,
                        arg);
        o->bgcolors = arg;
        return 0;
    }
    case O_HASH:
        o->hash = true;
        return 0;
    case O_RANDOM:
        o->random = true;
        return 0;
    case O_CP:
        o->cp = true;
        return 0;
    case O_REVERSE:
        o->reverse = true;
        return 0;
    case O_INVERTED:
        o->inverted = true;
        return 0;
    case O_FLAMECHART:
        o->flamechart = true;
        o->sort = FLAME_SORT_NONE;
        return 0;
    case O_NEGATE:
        o->negate = true;
        return 0;
    case O_NOTES:
        o->notes = arg;
        return 0;
    case O_TOTAL: {
        const char *p = arg;
        size_t d = strspn(p, "0123456789");
        if (d == 0 || (p[d] && (p[d] != '.' || p[d + 1 + strspn(p + d + 1, "0123456789")])))
            return fail(err, "invalid --%s '%s': expected a count such as 1000 or 12.5", nm, arg);
        o->total = arg;
        return 0;
    }
    case O_FACTOR: {
        double v;
        if (parse_double(arg, &v) != 0 || !(v > 0))
            return fail(err, "invalid --%s '%s': expected a positive number", nm, arg);
        o->factor = v;
        return 0;
    }
    case O_NAMEATTR:
        o->nameattr = arg;
        return 0;
    case O_ENCODING:
        if (!arg[0] || strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789._-") != strlen(arg))
            return fail(err, "invalid --%s '%s': expected an encoding name such as UTF-8", nm, arg);
        o->encoding = arg;
        return 0;
    case O_SORT:
        if (strcmp(arg, "name") == 0)
            o->sort = FLAME_SORT_NAME;
        else if (strcmp(arg, "size") == 0)
            o->sort = FLAME_SORT_SIZE;
        else
            return fail(err, "invalid --%s '%s': expected name or size", nm, arg);
        return 0;
    case O_DIFF_WIDTH:
        if (strcmp(arg, "after") == 0)
            o->diff_width = FLAME_DIFF_AFTER;
        else if (strcmp(arg, "max") == 0)
            o->diff_width = FLAME_DIFF_MAX;
        else
            return fail(err, "invalid --%s '%s': expected after or max", nm, arg);
        return 0;
    default:
        return fail(err, "unknown renderer option %d", code);
    }
}

const char *flame_cli_help(void)
{
    return "Flame graph options (as flamegraph.pl's):\n"
           "  --title TEXT        title (default \"Flame Graph\", \"Icicle Graph\", \"Flame "
           "Chart\")\n"
           "  --subtitle TEXT     second line under the title\n"
           "  --width N           image width in pixels (1200)\n"
           "  --height N          height of each frame in pixels (16)\n"
           "  --minwidth N[%]     omit frames narrower than N pixels, or N% of the total (0.1)\n"
           "  --fonttype FONT     font family (Verdana, then sans-serif)\n"
           "  --fontsize N        font size (12)\n"
           "  --fontwidth N       average character width relative to the font size (0.59)\n"
           "  --countname TEXT    what the counts are (samples); \"bytes\" adds KiB/MiB/GiB\n"
           "  --nametype TEXT     what the names are (Function:)\n"
           "  --colors PALETTE    hot, mem, io, wakeup, chain, java, js, perl, red, green, blue,\n"
           "                      aqua, yellow, purple, orange (hot)\n"
           "  --bgcolors COLOR    background: yellow, blue, green, grey or #rrggbb\n"
           "  --hash              colour by flamegraph.pl's name hash\n"
           "  --random            colour each frame from a fixed-seed random sequence\n"
           "  --cp                consistent colours through ./palette.map (read and updated)\n"
           "  --reverse           reverse each stack before merging\n"
           "  --inverted          icicle graph (root at the top)\n"
           "  --flamechart        flame chart: input order, no merging across lines\n"
           "  --negate            swap differential colours (blue grew, red shrank)\n"
           "  --notes TEXT        a note kept in the SVG\n"
           "  --total N           the count the full width stands for\n"
           "  --factor N          multiply counts in tooltips by N (1)\n"
           "  --nameattr FILE     per-name class, style and title: NAME<TAB>key=value...\n"
           "  --encoding NAME     encoding named in the XML declaration\n"
           "  --sort name|size    order of frames beside each other (name)\n"
           "  --diff-width after|max  differential widths from AFTER (as flamegraph.pl)\n"
           "                      or from the larger of before and after (shows removals)\n";
}

struct option *flame_cli_options_merge(const struct option *extra, size_t nextra)
{
    struct option *all = xcalloc(flame_cli_noptions + nextra + 1, sizeof *all);
    memcpy(all, flame_cli_options, flame_cli_noptions * sizeof *all);
    for (size_t i = 0; i < nextra && extra[i].name; i++)
        all[flame_cli_noptions + i] = extra[i];
    return all;
}
