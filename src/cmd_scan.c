/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame [OPTIONS] [PATH...]: load the PATHs (directories walked with du's
 * numbers, archives drawn as their contents, ncdu exports as the scans they
 * hold, "-" an archive or an export on standard input) and write the text
 * report (on standard output, a terminal or not), or by -o's extension or -f
 * an SVG flame graph, the explorable page, folded stacks or an ncdu export.
 * Options with du's names mean what they mean in du.
 */
#include "cli.h"
#include "cmd.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] = "usage: duflame [OPTIONS] [PATH...]\n"
                            "       duflame render [OPTIONS] [FILE...]\n"
                            "       duflame diff [OPTIONS] BEFORE AFTER\n"
                            "       duflame collapse perf|dtrace|bpftrace [OPTIONS] [FILE...]\n"
                            "       duflame record [OPTIONS] [--] COMMAND [ARG...]\n"
                            "Scan each PATH (default .) and draw where the disk space goes.\n"
                            "A PATH that is an ncdu export (duflame -f ncdu, ncdu -o, gdu -o;\n"
                            "also compressed, or -) is read as the scan it holds.\n";

static const struct cli_command command = {"duflame", usage, 0, SIZE_MAX, ""};

/* "WHAT A, B" (names as the user typed them) */
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

/* any archive opened inside the tree (--archives) */
static bool has_archive(struct tree *t)
{
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        if (n->flags & TREE_ARCHIVE)
            return true;
    return false;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
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
                         : weight == TREE_W_STORED
                             ? "bytes stored in the archive files (a plain file's disk usage)"
                             : NULL;
}

/* the title names what was measured: disk usage, apparent size, entries,
 * or an archive's extracted size */
static char *scan_title(const struct cli_input *in, const struct source_result *r,
                        const char *const *paths, size_t npaths)
{
    bool all_archives = npaths == 1 && (r->kind == &source_archive || r->kind == &source_image);
    bool inside = in->so.archives && !all_archives && has_archive(r->t);
    return report_title(in->weight, paths, npaths, all_archives, inside);
}

static int draw(struct cli_output *out, const struct sink_format *f, struct cli_picture *pic,
                struct cli_report *rep, const struct cli_input *in, struct source_result *r,
                const char *const *paths, size_t npaths, const struct timespec *t0)
{
    unsigned weight = in->weight;
    char *title = scan_title(in, r, paths, npaths);
    if (!pic->fo.title)
        pic->fo.title = title;
    source_notes_weight(r->notes, weight);
    if (r->notes) {
        pic->fo.note = source_note; /* tooltips: extracted bytes, ratio */
        pic->fo.note_ctx = r->notes;
    }
    if (r->nimages) {
        pic->fo.note = source_image_note; /* tooltips: layers and commands */
        pic->fo.note_ctx = r;
    }
    struct report_opts *ro = &rep->ro;
    cli_report_fit(rep, out->output);
    ro->weight = weight;
    ro->bytes = weight != TREE_W_COUNT;
    ro->what = title;
    ro->paths = paths;
    ro->npaths = npaths;
    if (r->nimages) {
        ro->extra = source_image_report; /* wasted bytes, largest wasted paths */
        ro->extra_ctx = r;
        ro->packed = source_image_packed; /* worst compressed: an image's files too */
    }
    ro->entries = tree_w(r->t->root, TREE_W_COUNT);
    ro->warnings = in->warnings;
    /* the time only on a terminal: a file or a pipe gets the same text each run */
    ro->seconds = !out->output && isatty(1) ? seconds_since(t0) : -1;
    /* the page names its metric itself: its heading is the PATHs */
    char *bare = make_title(paths, npaths, "");
    struct sink_job job = {.t = r->t,
                           .weight = weight,
                           .fo = &pic->fo,
                           .ro = ro,
                           .page_title = pic->fo.title == title ? bare + 1 : NULL,
                           .max_entries = out->max_entries,
                           .explore = f == &sink_svg,
                           .notes = r->notes,
                           .images = r->images,
                           .nimages = r->nimages,
                           .image_layers = r->image_layers};
    int status = cli_write(out, f, &job);
    free(bare);
    free(title);
    return status;
}

int cmd_scan(int argc, char **argv)
{
    return cmd_scan_with(argc, argv, NULL);
}

int cmd_scan_with(int argc, char **argv, const struct cmd_scan_loader *ld)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct cli_input in;
    struct cli_picture pic;
    struct cli_output out;
    struct cli_report rep;
    cli_input_init(&in);
    cli_picture_init(&pic);
    cli_output_init(&out, true);
    cli_output_default(&out, "text");
    cli_report_init(&rep);
    pic.du = true;
    in.units = &rep.ro.units; /* -b is du's: apparent sizes in bytes */
    struct cli_group groups[] = {cli_output_group(&out), cli_scan_group(&in),
                                 cli_report_group(&rep), cli_archive_group(&in),
                                 cli_picture_group(&pic)};
    groups[4].heading = "Renderer options (as duflame render, with a scan's defaults)";
    struct cli_command cmd = command;
    size_t ngroups = ARRAY_LEN(groups);
    if (ld) {
        /* no dereferencing, no container images: see cmd.h */
        cmd.name = ld->name;
        cmd.usage = ld->usage;
        groups[1] = cli_walk_group(&in);
        groups[3] = cli_walk_archive_group(&in);
    }
    int first = 0;
    int status = cli_parse(&cmd, groups, ngroups, argc, argv, &first);
    const struct sink_format *f = status < 0 ? cli_format(&out, &sink_text) : NULL;
    if (status < 0 && !f)
        status = 2;
    if (status < 0) {
        const char *dot[] = {"."};
        const char *const *paths = first < argc ? (const char *const *)argv + first : dot;
        size_t npaths = first < argc ? (size_t)(argc - first) : 1;
        scan_picture(&pic, in.weight);
        in.so.families = SOURCE_DU;
        in.so.fallback = &source_path;
        in.so.archive_notes = true;
        /* an ncdu export records what was left out */
        in.so.walk.keep_excluded = f == &sink_ncdu;
        /* a page shows an image by layer too */
        in.so.image_pages = f == &sink_html || f == &sink_svg;
        struct source_result r;
        int writes = 1;
        if (ld)
            writes = ld->load(ld->ctx, &in, paths, npaths, &r);
        else
            cli_load(&in, paths, npaths, &r); /* a du load always gives a tree */
        if (writes <= 0) {
            status = writes < 0 ? 2 : r.status;
            cli_output_release(&out);
            cli_input_release(&in);
            return status;
        }
        /* every PATH unusable (an ncdu export broken before its top
         * directory; said): nothing usable, status 2; nothing read at all
         * (every PATH said as missing or unreadable): nothing written, 1 */
        status = r.failed == npaths ? 2
                 : !tree_first_child(r.t->root)
                     ? 1
                     : draw(&out, f, &pic, &rep, &in, &r, paths, npaths, &t0);
        if (status < 2 && r.status)
            status = 1;
        source_result_release(&r);
    }
    cli_output_release(&out);
    cli_input_release(&in);
    return status;
}
