/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame diff [OPTIONS] BEFORE AFTER: load each side (a directory, an
 * archive or a folded profile: source.h decides) into its own finished
 * tree, join them (diff.c), and write a differential SVG, folded stacks or
 * a text report; --fail-over turns the total's growth into exit status 3.
 */
#include "cli.h"
#include "cmd.h"
#include "diag.h"
#include "diff.h"
#include "diff_metrics.h"
#include "diff_glob.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct side {
    const char *arg;
    char *q; /* arg made printable (diag_quote) */
    struct source_result r;
    const struct tree_node *root; /* the node compared: the PATH's for a scan */
    bool folded;                  /* a profile, not a scan */
};

/* the command's own long options */
enum {
    OPT_FAIL_OVER = CLI_OWN_BASE,
    OPT_TOP,
    OPT_NO_MATCH_TOP,
    OPT_FAIL_OVER_PATH,
    OPT_NORMALIZE,
};

static const struct option diff_options[] = {
    {"fail-over", required_argument, NULL, OPT_FAIL_OVER},
    {"top", required_argument, NULL, OPT_TOP},
    {"no-match-top", no_argument, NULL, OPT_NO_MATCH_TOP},
    {"fail-over-path", required_argument, NULL, OPT_FAIL_OVER_PATH},
    {"normalize", no_argument, NULL, OPT_NORMALIZE},
};

static const char diff_help[] =
    "      --fail-over=LIMIT    exit 3 when the total grew by more than LIMIT: a size\n"
    "                           (bytes, K, M, G, T; a count with --inodes and for\n"
    "                           profiles) or a percentage of BEFORE such as 5%\n"
    "      --fail-over-path=LIMIT:GLOB\n"
    "                           exit 3 when the paths matching GLOB grew, together,\n"
    "                           by more than LIMIT (as --fail-over; a percentage of\n"
    "                           their BEFORE sum). GLOB is matched against paths\n"
    "                           below the roots: * does not cross /, ** does, ?\n"
    "                           is one character. Repeatable: each is a gate\n"
    "      --top=N              rows of the ranking of what changed most (10)\n"
    "      --normalize          scale BEFORE to AFTER's total before comparing\n"
    "                           (profiles: the share of samples, not the count)\n"
    "      --no-match-top       do not match differently named top-level directories\n"
    "                           (app-1.0/ and app-1.1/ in two tarballs)\n"
    "Output: text (on a terminal), svg, html, folded, json or markdown. text,\n"
    "json (-f json or -o FILE.json: in a diff, json is the ranking, not an ncdu\n"
    "export) and markdown (-o FILE.md) hold the totals and the ranking of the\n"
    "paths that changed most; svg and html open in the explorable viewer, each\n"
    "frame as wide as the larger of its two sizes (--diff-width=after: AFTER's).\n";

static const char usage[] =
    "usage: duflame diff [OPTIONS] BEFORE AFTER\n"
    "Compare two directories, two archives or two folded profiles: what grew and\n"
    "what shrank, path by path below the two roots. Either side may be a saved\n"
    "scan (an ncdu export: duflame -o scan.json, ncdu -o, gdu -o).\n";

static const struct cli_command command = {"duflame diff", usage, 2, 2,
                                           "expected two operands, BEFORE and AFTER"};

struct diff_cmd {
    const char *fail_over;
    const char **path_gates; /* --fail-over-path arguments */
    size_t npath_gates;
    bool normalize;
    size_t top;
    bool match_top;
    struct cli_input in;
    struct cli_picture pic;
    struct cli_output out;
};

static int own_apply(void *ctx, int code, const char *arg, char **err)
{
    struct diff_cmd *c = ctx;
    struct diff_gate g;
    uint64_t v;
    switch (code) {
    case OPT_FAIL_OVER:
        /* checked now; parsed again once the sides' decimal scale is known */
        c->fail_over = arg;
        if (diff_gate_parse(arg, 0, &g))
            return cli_invalid(err, "fail-over", arg,
                               "a size such as 10M or a percentage such as 5%");
        return 0;
    case OPT_TOP:
        if (cli_parse_uint(arg, 0, 1000000, &v) < 0)
            return cli_invalid(err, "top", arg, "a number from 0 to 1000000");
        c->top = (size_t)v;
        return 0;
    case OPT_FAIL_OVER_PATH: {
        struct diff_path_gate pg;
        if (diff_path_gate_parse(arg, 0, &pg))
            return cli_invalid(err, "fail-over-path", arg,
                               "LIMIT:GLOB, LIMIT a size such as 10M or a percentage such as 5%");
        c->path_gates = xreallocarray(c->path_gates, c->npath_gates + 1, sizeof *c->path_gates);
        c->path_gates[c->npath_gates++] = arg;
        return 0;
    }
    case OPT_NORMALIZE:
        c->normalize = true;
        return 0;
    default: /* OPT_NO_MATCH_TOP */
        c->match_top = false;
        return 0;
    }
}

/* ---- loading a side ---------------------------------------------------- */

static void say_side(const struct side *s, const char *what)
{
    diag_warn("'%s' %s", s->q, what);
}

/* A directory is walked as by duflame PATH (a symbolic link to one is that
 * directory, named as given); an archive (a regular file, or "-" for
 * standard input) is what is compared (its totals are the extracted bytes
 * and the entry count, as `duflame ARCHIVE` draws it); a folded profile is
 * read as duflame render reads it. */
static int load_side(struct side *s, struct diff_cmd *c)
{
    c->in.so.families = SOURCE_DU | SOURCE_PROFILE;
    c->in.so.follow_dir_link = true;
    const char *paths[1] = {s->arg};
    if (cli_load(&c->in, paths, 1, &s->r) < 0)
        return 2;
    s->folded = s->r.kind->family == SOURCE_PROFILE;
    int status = s->r.status;
    if (s->folded) {
        if (s->r.failed)
            return 2;
        if (s->r.stats.differential) {
            say_side(s, "holds differential stacks (STACK BEFORE AFTER): compare two plain "
                        "profiles");
            return 2;
        }
        s->root = s->r.t->root;
        if (s->r.stats.invalid)
            diag_warn("'%s': skipped %llu invalid line%s (the first is line %llu)", s->q,
                      (unsigned long long)s->r.stats.invalid, s->r.stats.invalid == 1 ? "" : "s",
                      (unsigned long long)s->r.first_invalid_line);
        return status;
    }
    s->root = tree_first_child(s->r.t->root);
    if (!s->root) {
        /* the walker said why, or the PATH itself is excluded */
        if (status == 0)
            say_side(s, "is excluded: nothing to compare");
        return 2;
    }
    if (s->r.kind == &source_archive && !(s->root->flags & TREE_ARCHIVE)) {
        /* when arc could not read it, it said so already */
        if (status == 0) {
            char *m = source_not_a(&c->in.so, s->arg);
            diag_warn("%s", m);
            free(m);
        }
        return 2;
    }
    return status;
}

/* ---- output ------------------------------------------------------------ */

/* The format: as for a scan, except that json (-f json, -f ncdu, -o
 * FILE.json: a scan's ncdu export) is the ranking as JSON: a joined tree has
 * no ncdu export. NULL when said why not. */
static const struct sink_format *diff_format(const struct cli_output *out)
{
    const struct sink_format *f = cli_format(out, isatty(1) ? &sink_text : &sink_svg);
    return f == &sink_ncdu ? &sink_json : f;
}

/* the picture: differential, a disk scan's for scans */
/* the legend's totals, as the page's legend writes them: "Before 1.0 MiB →
 * after 1.5 MiB, change +512.0 KiB (+50.0%)" (counts with their unit) */
static void legend_totals(char *buf, size_t cap, const struct tree *j, const struct tree_node *base,
                          enum diff_units units, const char *unit)
{
    uint64_t tb = tree_w(base, TREE_W_BEFORE), ta = tree_w(base, TREE_W_AFTER);
    char hb[80], ha[80], ch[DIFF_CHANGE_LEN];
    diff_amount(tb, units, j->scale, hb);
    diff_amount(ta, units, j->scale, ha);
    diff_change(tb, ta, units, j->scale, ch);
    const char *sp = units == DIFF_BYTES ? "" : " ";
    const char *u = units == DIFF_BYTES ? "" : unit;
    snprintf(buf, cap, "Before %s%s%s \xe2\x86\x92 after %s%s%s, change %s", hb, sp, u, ha, sp, u,
             ch);
}

static void diff_picture(struct diff_cmd *c, struct flame_opts *fo, char *subtitle, size_t cap,
                         struct tree *j, const struct diff_info *info, const struct side *b,
                         const struct side *a, enum diff_units units, char *totals, size_t tcap)
{
    struct cli_picture p = c->pic;
    if (!b->folded)
        cli_picture_du(&p, c->in.weight);
    *fo = p.fo;
    fo->diff = true;
    fo->diff_readable = true;
    if (!fo->title)
        fo->title = "Differential Flame Graph";
    const struct tree_node *base = info->base;
    legend_totals(totals, tcap, j, base, units,
                  b->folded                      ? (fo->countname ? fo->countname : "samples")
                  : c->in.weight == TREE_W_COUNT ? "entries"
                                                 : "bytes");
    fo->diff_totals = totals;
    if (fo->subtitle)
        return;
    char ch[DIFF_CHANGE_LEN];
    diff_change(tree_w(base, TREE_W_BEFORE), tree_w(base, TREE_W_AFTER), units, j->scale, ch);
    int len = snprintf(subtitle, cap, "%s -> %s: %s", b->q, a->q, ch);
    uint64_t gone_w;
    size_t gone = diff_count_gone(base, &gone_w);
    if (gone && fo->diff_width == FLAME_DIFF_AFTER && len > 0 && (size_t)len < cap) {
        char amount[80];
        snprintf(subtitle + len, cap - (size_t)len,
                 "; %zu path%s only in BEFORE (%s) not drawn: --diff-width=max draws them", gone,
                 gone == 1 ? "" : "s", diff_amount(gone_w, units, j->scale, amount));
    }
    fo->subtitle = subtitle;
}

/* the page's metric (DIFF_M_*) of a scan's weight slot */
static unsigned page_metric(unsigned weight)
{
    for (unsigned k = 0; k < DIFF_NMETRICS; k++)
        if (diff_metrics_slot(k) == weight)
            return k;
    return 0;
}

static int write_output(struct diff_cmd *c, struct tree *j, const struct diff_info *info,
                        const struct side *b, const struct side *a, enum diff_units units,
                        const struct diff_metrics *metrics)
{
    struct flame_opts fo;
    char subtitle[2048], totals[512];
    diff_picture(c, &fo, subtitle, sizeof subtitle, j, info, b, a, units, totals, sizeof totals);
    unsigned metric = c->in.weight;
    struct diff_text_opts to = {
        .units = units,
        .countname = b->folded                ? "samples"
                     : metric == TREE_W_COUNT ? "entries"
                                              : "bytes",
        .before_label = b->q,
        .after_label = a->q,
        .sep = b->folded ? ';' : '/',
        .base = info->base,
        .top = c->top,
        .metrics = metrics,
        .metric = page_metric(metric),
    };
    const struct sink_format *f = diff_format(&c->out);
    struct sink_job job = {.t = j,
                           .diff = true,
                           .fo = &fo,
                           .dto = &to,
                           .max_entries = c->out.max_entries,
                           .explore = f == &sink_svg};
    return cli_write(&c->out, f, &job);
}

/* ---- the command ------------------------------------------------------- */

/* join: the two sides into *j; 0 or 2 (said) */
static int join(struct diff_cmd *c, struct side *b, struct side *a, struct tree **j,
                struct diff_info *info, struct diff_gate *gate, struct diff_metrics *metrics)
{
    /* scans get a scan's shape, "all" then the PATH (named as AFTER), so
     * the SVG and the folded lines look like a scan of AFTER */
    bool folded = b->folded;
    unsigned metric = c->in.weight;
    struct diff_opts o = {
        .wbefore = folded ? 0 : metric,
        .wafter = folded ? 0 : metric,
        .root_before = b->root,
        .root_after = a->root,
        .root_name = folded ? NULL : "all",
        .match_top = c->match_top && !folded,
        .normalize = c->normalize,
        .metrics = metrics,
    };
    const char *err = NULL;
    if (diff_join(b->r.t, a->r.t, &o, j, info, &err)) {
        diag_warn("%s", err);
        return 2;
    }
    if (c->fail_over && diff_gate_parse(c->fail_over, (*j)->scale, gate)) {
        diag_warn("invalid --fail-over '%s': too large for these counts", c->fail_over);
        return 2;
    }
    return 0;
}

static int load_sides(struct diff_cmd *c, struct side *b, struct side *a)
{
    if (strcmp(b->arg, "-") == 0 && strcmp(a->arg, "-") == 0) {
        diag_warn("only one side can be standard input");
        return 2;
    }
    int status = load_side(b, c);
    if (status < 2) {
        int s2 = load_side(a, c);
        status = s2 > status ? s2 : status;
    }
    if (status < 2 && b->folded != a->folded) {
        const struct side *f = b->folded ? b : a, *d = f == b ? a : b;
        diag_warn("cannot compare the folded profile '%s' with the %s '%s'", f->q, d->r.kind->name,
                  d->q);
        status = 2;
    }
    return status;
}

/* --fail-over-path: each gate said when it trips; true when one did */
static bool path_gates(const struct diff_cmd *c, const struct tree *j, const struct tree_node *base,
                       enum diff_units units)
{
    bool tripped = false;
    for (size_t i = 0; i < c->npath_gates; i++) {
        struct diff_path_gate pg;
        if (diff_path_gate_parse(c->path_gates[i], j->scale, &pg)) {
            diag_warn("invalid --fail-over-path '%s': too large for these counts",
                      c->path_gates[i]);
            tripped = true;
            continue;
        }
        uint64_t b, a;
        size_t n;
        diff_glob_sum(base, pg.glob, &b, &a, &n);
        if (!diff_gate_trips(&pg.gate, b, a))
            continue;
        char ch[DIFF_CHANGE_LEN];
        diff_change(b, a, units, j->scale, ch);
        diag_warn("the %zu path%s matching '%s' grew by %s, more than --fail-over-path=%s", n,
                  n == 1 ? "" : "s", pg.glob, ch, c->path_gates[i]);
        tripped = true;
    }
    return tripped;
}

static int compare(struct diff_cmd *c, struct side *b, struct side *a)
{
    int status = load_sides(c, b, a);
    struct tree *j = NULL;
    struct diff_info info = {0};
    struct diff_gate gate = {0};
    enum diff_units units = b->folded || c->in.weight == TREE_W_COUNT ? DIFF_COUNT : DIFF_BYTES;
    /* every scan metric for the page's switch, when the joined slots hold
     * one of them (not --metric=stored) */
    struct diff_metrics *metrics = NULL;
    if (status < 2 && !b->folded && b->r.t->nweights > TREE_W_COUNT &&
        a->r.t->nweights > TREE_W_COUNT &&
        diff_metrics_slot(page_metric(c->in.weight)) == c->in.weight)
        metrics = diff_metrics_new();
    if (status < 2) {
        int s = join(c, b, a, &j, &info, &gate, metrics);
        status = s > status ? s : status;
    }
    /* the sides are not needed any more: free them before drawing */
    tree_free(b->r.t);
    tree_free(a->r.t);
    b->r.t = a->r.t = NULL;
    if (status < 2) {
        int w = write_output(c, j, &info, b, a, units, metrics);
        status = w > status ? w : status;
    }
    if (status < 2) {
        uint64_t tb = tree_w(info.base, TREE_W_BEFORE), ta = tree_w(info.base, TREE_W_AFTER);
        if (diff_gate_trips(&gate, tb, ta)) {
            char ch[DIFF_CHANGE_LEN];
            diff_change(tb, ta, units, j->scale, ch);
            diag_warn("the total grew by %s, more than --fail-over=%s", ch, c->fail_over);
            status = 3;
        }
        if (path_gates(c, j, info.base, units))
            status = 3;
    }
    diff_metrics_free(metrics);
    tree_free(j);
    return status;
}

int cmd_diff(int argc, char **argv)
{
    struct diff_cmd c = {.top = 10, .match_top = true};
    cli_input_init(&c.in);
    cli_picture_init(&c.pic);
    /* deletions have area unless --diff-width=after says otherwise */
    c.pic.fo.diff_width = FLAME_DIFF_MAX;
    cli_output_init(&c.out, true);
    struct cli_group groups[] = {
        cli_output_group(&c.out),
        {NULL, diff_help, NULL, diff_options, ARRAY_LEN(diff_options), own_apply, &c},
        cli_scan_group(&c.in),
        cli_archive_group(&c.in),
        cli_picture_group(&c.pic),
    };
    groups[0].heading = "Diff options";
    groups[2].heading = "Scan options (as duflame PATH)";
    groups[4].heading = "Renderer options (as duflame render, except that --diff-width is max\n"
                        "unless given: paths only in BEFORE keep their area)";
    int first = 0;
    int status = cli_parse(&command, groups, ARRAY_LEN(groups), argc, argv, &first);
    /* an -o whose extension names no format: refused before any scan */
    if (status < 0 && !diff_format(&c.out))
        status = 2;
    if (status < 0) {
        struct side b = {.arg = argv[first]}, a = {.arg = argv[first + 1]};
        b.q = diag_quote(b.arg, strlen(b.arg));
        a.q = diag_quote(a.arg, strlen(a.arg));
        status = compare(&c, &b, &a);
        source_result_release(&b.r);
        source_result_release(&a.r);
        free(b.q);
        free(a.q);
    }
    free(c.path_gates);
    cli_output_release(&c.out);
    cli_input_release(&c.in);
    return status;
}
