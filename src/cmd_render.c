/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame render [OPTIONS] [FILE...]: folded stacks (flamegraph.pl's input)
 * from the FILEs, or standard input when there are none or a FILE is "-",
 * drawn as an SVG flame graph on standard output or -o FILE.
 *
 * Exit status: 0; 1 when the SVG was written but an input could not be read,
 * invalid lines were skipped (said once, with the first one's place) or the
 * renderer warned; 2 on bad usage, no valid line at all, or a write error
 * (then no output file is left behind).
 */
#include "cmd.h"
#include "diag.h"
#include "flame.h"
#include "flame_cli.h"
#include "flame_files.h"
#include "folded.h"
#include "html.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_HELP = 0x100, OPT_MAX_ENTRIES };

static const struct option render_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
    {"help", no_argument, NULL, OPT_HELP},
};

static const char usage_text[] =
    "usage: duflame render [OPTIONS] [FILE...]\n"
    "Draw folded stacks (\"frame;frame;frame COUNT\" lines, as flamegraph.pl reads them)\n"
    "from each FILE, or standard input when there is none or FILE is -, as an SVG\n"
    "flame graph. A line \"STACK BEFORE AFTER\" makes a differential graph.\n"
    "\n"
    "  -o, --output FILE   write the SVG to FILE (default standard output); a name\n"
    "                      ending in .html writes the page instead\n"
    "  -f, --format FMT    svg or html (one self-contained page that stays fast\n"
    "                      with millions of frames)\n"
    "      --max-entries N  embed at most N frames in an html page; beyond that\n"
    "                      the smallest are merged (2000000)\n"
    "  -h, --help          this help\n"
    "\n";

static void quoted_warn(const char *what, const char *name, const char *why)
{
    char *q = diag_quote(name, strlen(name));
    diag_warn("%s '%s': %s", what, q, why);
    free(q);
}

/* the page: samples (or before and after) as the metric, frames joined by ";"
 * as the folded text spells them */
static int write_html(FILE *out, struct tree *t, const struct flame_opts *fo, size_t max_entries,
                      char **err)
{
    struct html_opts ho;
    html_opts_init(&ho);
    ho.title = fo->title ? fo->title : fo->inverted ? "Icicle Graph" : "Flame Graph";
    ho.subtitle = fo->subtitle;
    const char *unit = fo->countname ? fo->countname : "samples";
    if (t->nweights >= 2) {
        ho.metrics[TREE_W_BEFORE] = (struct html_metric){"before", "Before", unit};
        ho.metrics[TREE_W_AFTER] = (struct html_metric){"after", "After", unit};
        ho.weight = TREE_W_AFTER;
    } else {
        ho.metrics[0] = (struct html_metric){"samples", "Samples", unit};
    }
    ho.sep = ";";
    ho.max_entries = max_entries;
    ho.name_sort = fo->sort == FLAME_SORT_NAME;
    ho.inverted = fo->inverted;
    struct viewdata_stats st;
    if (html_write(out, t, &ho, &st, err) < 0)
        return -1;
    if (st.merged)
        diag_warn("note: the page holds %zu of %zu frames: the %zu smallest are merged into %zu "
                  "aggregates (--max-entries)",
                  st.embedded - st.aggregates, st.nodes, st.merged, st.aggregates);
    return 0;
}

int cmd_render(int argc, char **argv)
{
    struct flame_opts fo;
    flame_opts_init(&fo);
    const char *output = NULL;
    int html = -1; /* -1: by the output's extension */
    size_t max_entries = 0;
    struct option *longopts = flame_cli_options_merge(render_options, ARRAY_LEN(render_options));
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:f:h", longopts, NULL)) != -1) {
        if (flame_cli_is_option(opt)) {
            char *err = NULL;
            if (flame_cli_option(&fo, opt, optarg, &err) < 0) {
                diag_warn("%s", err);
                free(err);
                free(longopts);
                return 2;
            }
            continue;
        }
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "svg") != 0 && strcmp(optarg, "html") != 0) {
                char *q = diag_quote(optarg, strlen(optarg));
                diag_warn("invalid --format '%s': expected svg or html", q);
                free(q);
                free(longopts);
                return 2;
            }
            html = strcmp(optarg, "html") == 0;
            break;
        case OPT_MAX_ENTRIES: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 2 || optarg[0] == '-') {
                char *q = diag_quote(optarg, strlen(optarg));
                diag_warn("invalid --max-entries '%s': expected a number of at least 2", q);
                free(q);
                free(longopts);
                return 2;
            }
            max_entries = (size_t)v;
            break;
        }
        case 'h':
        case OPT_HELP:
            fputs(usage_text, stdout);
            fputs(flame_cli_help(), stdout);
            free(longopts);
            return 0;
        case ':':
            diag_warn("option '%s' needs an argument", argv[optind - 1]);
            diag_warn("try 'duflame render --help'");
            free(longopts);
            return 2;
        default:
            if (optopt && optopt < 0x100)
                diag_warn("unknown option '-%c'", optopt);
            else
                diag_warn("unknown option '%s'", argv[optind - 1]);
            diag_warn("try 'duflame render --help'");
            free(longopts);
            return 2;
        }
    }
    free(longopts);

    struct folded_opts fopts = {.reverse = fo.reverse, .flamechart = fo.flamechart};
    struct folded_reader *r = folded_reader_new(&fopts);
    int status = 0;
    uint64_t valid = 0, invalid = 0, first_line = 0;
    const char *first_file = NULL;
    int nfiles = argc - optind;
    for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
        const char *name = nfiles ? argv[optind + i] : "-";
        bool is_stdin = strcmp(name, "-") == 0;
        FILE *in = is_stdin ? stdin : fopen(name, "rb");
        if (!in) {
            quoted_warn("cannot read", name, strerror(errno));
            status = 1;
            continue;
        }
        struct folded_stats st = {0};
        errno = 0;
        if (folded_reader_read(r, in, &st) != 0) {
            quoted_warn("cannot read", is_stdin ? "standard input" : name,
                        strerror(errno ? errno : EIO));
            status = 1;
        }
        if (is_stdin)
            clearerr(stdin);
        else
            fclose(in);
        valid += st.valid;
        if (st.invalid && !first_file) {
            first_file = is_stdin ? "standard input" : name;
            first_line = st.first_invalid;
        }
        invalid += st.invalid;
    }
    if (invalid) {
        char *q = diag_quote(first_file, strlen(first_file));
        diag_warn("skipped %llu invalid line%s (no count, a negative count or one too large), "
                  "the first at '%s' line %llu",
                  (unsigned long long)invalid, invalid == 1 ? "" : "s", q,
                  (unsigned long long)first_line);
        free(q);
        status = 1;
    }
    if (valid == 0) {
        diag_warn("no valid stack lines (\"STACK COUNT\") in the input: nothing to draw");
        folded_reader_free(r);
        return 2;
    }
    fo.diff = folded_reader_differential(r);
    struct tree *t = folded_reader_finish(r);

    struct out o;
    if (out_open(&o, output) < 0) {
        quoted_warn("cannot write", output, strerror(errno));
        tree_free(t);
        return 2;
    }
    if (html < 0) {
        const char *dot = output ? strrchr(output, '.') : NULL;
        html = dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0);
    }
    char *err = NULL;
    int fr =
        html ? write_html(o.fp, t, &fo, max_entries, &err) : flame_files_write(o.fp, t, &fo, &err);
    tree_free(t);
    if (fr < 0) {
        diag_warn("%s", err ? err : "cannot draw the flame graph");
        free(err);
        out_abort(&o);
        return 2;
    }
    if (fr > 0) {
        diag_warn("%s", err ? err : "the flame graph may be incomplete");
        status = 1;
    }
    free(err);
    return cmd_finish_output(&o, output, false, status);
}
