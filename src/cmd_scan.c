/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame [OPTIONS] [PATH...]: load the PATHs (directories walked with du's
 * numbers, archives drawn as their contents, "-" an archive on standard
 * input) and write an SVG flame graph, folded stacks or a text summary.
 * Options with du's names mean what they mean in du.
 */
#include "cli.h"
#include "cmd.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: duflame [OPTIONS] [PATH...]\n"
                            "       duflame render [OPTIONS] [FILE...]\n"
                            "       duflame diff [OPTIONS] BEFORE AFTER\n"
                            "Scan each PATH (default .) and draw where the disk space goes.\n";

static const struct cli_command command = {"duflame", usage, 0, SIZE_MAX, ""};

/* title: "Disk usage of A, B" (names shown as the user would type them) */
static char *make_title(const char *const *paths, size_t n, const char *what)
{
    size_t len = strlen(what) + 8;
    for (size_t i = 0; i < n; i++)
        len += strlen(paths[i]) + 2;
    char *s = xmalloc(len);
    strcpy(s, what);
    for (size_t i = 0; i < n; i++) {
        strcat(s, i ? ", " : " ");
        strcat(s, paths[i]);
    }
    return s;
}

/* the picture of a scan: a disk scan's, coloured by kind, the subtitle
 * naming what is counted when it is not disk usage */
static void scan_picture(struct cli_picture *p, unsigned weight)
{
    cli_picture_du(p, weight);
    p->fo.color_by_kind = true;
    p->fo.weight = weight;
    if (!p->fo.subtitle)
        p->fo.subtitle = weight == TREE_W_COUNT      ? "number of entries (du --inodes)"
                         : weight == TREE_W_APPARENT ? "apparent sizes (du --apparent-size)"
                                                     : NULL;
}

static int draw(struct cli_output *out, struct cli_picture *pic, unsigned weight,
                struct source_result *r, const char *const *paths, size_t npaths)
{
    const struct sink_format *f = sink_pick(out->format, out->output);
    char *title = NULL, *what = NULL;
    if (!pic->fo.title)
        pic->fo.title = title = make_title(paths, npaths, "Disk usage of");
    source_notes_weight(r->notes, weight);
    if (r->notes) {
        pic->fo.note = source_note; /* tooltips: extracted bytes, ratio */
        pic->fo.note_ctx = r->notes;
    }
    struct report_opts ro;
    report_opts_init(&ro);
    ro.weight = weight;
    ro.bytes = weight != TREE_W_COUNT;
    ro.width = out->output ? 80 : report_term_width(1);
    ro.what = what = make_title(paths, npaths,
                                weight == TREE_W_DISK       ? "Disk usage of"
                                : weight == TREE_W_APPARENT ? "Apparent size of"
                                                            : "Entries in");
    struct sink_job job = {.t = r->t, .weight = weight, .fo = &pic->fo, .ro = &ro};
    int status = cli_write(out, f, &job);
    free(title);
    free(what);
    return status;
}

int cmd_scan(int argc, char **argv)
{
    struct cli_input in;
    struct cli_picture pic;
    struct cli_output out;
    cli_input_init(&in);
    cli_picture_init(&pic);
    cli_output_init(&out, true);
    struct cli_group groups[] = {cli_output_group(&out), cli_scan_group(&in),
                                 cli_archive_group(&in), cli_picture_group(&pic)};
    groups[3].heading = "Renderer options (as duflame render; a scan sorts largest first)";
    int first = 0;
    int status = cli_parse(&command, groups, ARRAY_LEN(groups), argc, argv, &first);
    if (status < 0) {
        const char *dot[] = {"."};
        const char *const *paths = first < argc ? (const char *const *)argv + first : dot;
        size_t npaths = first < argc ? (size_t)(argc - first) : 1;
        scan_picture(&pic, in.weight);
        in.so.families = SOURCE_DU;
        in.so.fallback = &source_path;
        in.so.archive_notes = true;
        struct source_result r;
        cli_load(&in, paths, npaths, &r); /* a du load always gives a tree */
        status = draw(&out, &pic, in.weight, &r, paths, npaths);
        if (status < 2 && r.status)
            status = 1;
        source_result_release(&r);
    }
    cli_output_release(&out);
    cli_input_release(&in);
    return status;
}
