/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame render [OPTIONS] [FILE...]: folded stacks (flamegraph.pl's input)
 * from the FILEs, or standard input when there are none or a FILE is "-",
 * drawn as an SVG flame graph on standard output or -o FILE. `perf script`
 * text and perf.data files are read too (cmd_profile_read).
 *
 * Exit status: 0; 1 when the SVG was written but an input could not be read,
 * invalid lines were skipped (said once, with the first one's place) or the
 * renderer warned; 2 on bad usage, no valid line at all, or a write error
 * (then no output file is left behind).
 */
#include "cmd.h"
#include "cmd_collapse.h"
#include "diag.h"
#include "flame.h"
#include "flame_cli.h"
#include "flame_files.h"
#include "folded.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_HELP = 0x100 };

static const struct option render_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
};

static const char usage_text[] =
    "usage: duflame render [OPTIONS] [FILE...]\n"
    "Draw folded stacks (\"frame;frame;frame COUNT\" lines, as flamegraph.pl reads them)\n"
    "from each FILE, or standard input when there is none or FILE is -, as an SVG\n"
    "flame graph. A line \"STACK BEFORE AFTER\" makes a differential graph.\n"
    "The text of `perf script` is collapsed first (as by duflame collapse perf), and\n"
    "a perf.data file is read through perf script.\n"
    "\n"
    "  -o, --output FILE   write the SVG to FILE (default standard output)\n"
    "  -h, --help          this help\n"
    "\n";

static void quoted_warn(const char *what, const char *name, const char *why)
{
    char *q = diag_quote(name, strlen(name));
    diag_warn("%s '%s': %s", what, q, why);
    free(q);
}

int cmd_render(int argc, char **argv)
{
    struct flame_opts fo;
    flame_opts_init(&fo);
    const char *output = NULL;
    struct option *longopts = flame_cli_options_merge(render_options, ARRAY_LEN(render_options));
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
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
        if (cmd_profile_read(r, in, is_stdin ? NULL : name, is_stdin ? "standard input" : name, &st,
                             &status) != 0) {
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
    char *err = NULL;
    int fr = flame_files_write(o.fp, t, &fo, &err);
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
