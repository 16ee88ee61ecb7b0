/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame render [OPTIONS] [FILE...]: folded stacks (flamegraph.pl's input)
 * from the FILEs, or standard input when there are none or a FILE is "-",
 * drawn as an SVG flame graph on standard output or -o FILE; `perf script`
 * text and perf.data files too (source_perf.c).
 *
 * Exit status: 0; 1 when the SVG was written but an input could not be read,
 * invalid lines were skipped (said once, with the first one's place) or the
 * renderer warned; 2 on bad usage, no valid line at all, or a write error
 * (then no output file is left behind).
 */
#include "cli.h"
#include "cmd.h"
#include "diag.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: duflame render [OPTIONS] [FILE...]\n"
    "Draw folded stacks (\"frame;frame;frame COUNT\" lines, as flamegraph.pl reads them)\n"
    "from each FILE, or standard input when there is none or FILE is -, as an SVG\n"
    "flame graph, or the explorable page (-f html, or -o FILE.html). A line\n"
    "\"STACK BEFORE AFTER\" makes a differential graph.\n"
    "The text of `perf script` is collapsed first (as by duflame collapse perf), and\n"
    "a perf.data file is read through perf script.\n";

static const struct cli_command command = {"duflame render", usage, 0, SIZE_MAX, ""};

/* -h: the help, as --help */
static int own_apply(void *ctx, int code, const char *arg, char **err)
{
    (void)ctx, (void)code, (void)arg, (void)err;
    return CLI_HELP;
}

/* the invalid lines of every FILE, said once with the first one's place */
static void say_invalid(const struct source_result *r)
{
    uint64_t n = r->stats.invalid;
    char *q = diag_quote(r->first_invalid, strlen(r->first_invalid));
    diag_warn("skipped %llu invalid line%s (no count, a negative count or one too large), "
              "the first at '%s' line %llu",
              (unsigned long long)n, n == 1 ? "" : "s", q,
              (unsigned long long)r->first_invalid_line);
    free(q);
}

static int render(struct cli_input *in, struct cli_picture *pic, struct cli_output *out,
                  const char *const *files, size_t nfiles)
{
    in->so.families = SOURCE_PROFILE;
    /* what no kind claimed (standard input too): perf text, perf.data or
     * folded stacks, by its first bytes */
    in->so.fallback = &source_profile;
    in->so.folded =
        (struct folded_opts){.reverse = pic->fo.reverse, .flamechart = pic->fo.flamechart};
    struct source_result r;
    cli_load(in, files, nfiles, &r);
    int status = r.status ? 1 : 0;
    if (r.stats.invalid)
        say_invalid(&r);
    if (r.stats.valid == 0) {
        diag_warn("no valid stack lines (\"STACK COUNT\") in the input: nothing to draw");
        source_result_release(&r);
        return 2;
    }
    pic->fo.diff = r.stats.differential;
    /* -f html or -o x.html: the page, with samples as the metric */
    struct sink_job job = {.t = r.t, .fo = &pic->fo, .max_entries = out->max_entries};
    int w = cli_write(out, cli_format(out, &sink_svg), &job);
    source_result_release(&r);
    return w > status ? w : status;
}

int cmd_render(int argc, char **argv)
{
    struct cli_input in;
    struct cli_picture pic;
    struct cli_output out;
    cli_input_init(&in);
    in.quiet = true;
    cli_picture_init(&pic);
    cli_output_init(&out, false);
    cli_output_pictures(&out, &sink_svg);
    struct cli_group groups[] = {
        cli_output_group(&out),
        {NULL, "  -h                       this help, as --help\n", "h", NULL, 0, own_apply, NULL},
        cli_picture_group(&pic),
    };
    int first = 0;
    int status = cli_parse(&command, groups, ARRAY_LEN(groups), argc, argv, &first);
    if (status < 0) {
        const char *dash[] = {"-"};
        bool none = first >= argc;
        status = render(&in, &pic, &out, none ? dash : (const char *const *)argv + first,
                        none ? 1 : (size_t)(argc - first));
    }
    cli_output_release(&out);
    cli_input_release(&in);
    return status;
}
