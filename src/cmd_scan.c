/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame [OPTIONS] [PATH...]: scan PATHs (scan.h, walk.h) and write an SVG
 * flame graph (flame.h), folded stacks (folded.h) or a text summary
 * (report.h). Options with du's names mean what they mean in du.
 */
#include "arc_cli.h"
#include "cmd.h"
#include "diag.h"
#include "flame.h"
#include "flame_cli.h"
#include "flame_files.h"
#include "folded.h"
#include "out.h"
#include "report.h"
#include "scan.h"
#include "scan_cli.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* codes of long options without a short one: below FLAME_CLI_BASE */
enum {
    OPT_HELP = 0x100,
    OPT_VERSION,
};

static const struct option scan_options[] = {
    SCAN_CLI_OPTIONS /* the scan options proper, shared with duflame diff */
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    ARC_CLI_OPTIONS};

static const char usage_text[] =
    "usage: duflame [OPTIONS] [PATH...]\n"
    "       duflame render [OPTIONS] [FILE...]\n"
    "       duflame diff [OPTIONS] BEFORE AFTER\n"
    "Scan each PATH (default .) and draw where the disk space goes.\n"
    "\n"
    "Scan options:\n" SCAN_CLI_HELP
    "  -o, --output=FILE        write to FILE; the format follows its extension\n"
    "                           (.svg, .folded, .txt)\n"
    "  -f, --format=FMT         svg, folded or text (default: text on a terminal,\n"
    "                           svg otherwise)\n"
    "      --help               this help\n"
    "      --version            the version\n" ARC_CLI_HELP "\n"
    "Renderer options (as duflame render; a scan sorts largest first):\n";

struct scan_cmd {
    struct scan_cli scan; /* the scan options, shared with duflame diff */
    struct flame_opts fo;
    enum scan_cli_format format;
    const char *output;
    unsigned weight;
};

static void help(void)
{
    fputs(usage_text, stdout);
    fputs(flame_cli_help(), stdout);
}

static void usage_error(void)
{
    diag_warn("try 'duflame --help'");
}

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

static int write_output(struct scan_cmd *c, struct tree *t, const char *const *paths, size_t npaths)
{
    struct out o;
    if (out_open(&o, c->output) < 0) {
        char *q = diag_quote(c->output, strlen(c->output));
        diag_warn("cannot write '%s': %s", q, strerror(errno));
        free(q);
        return 2;
    }
    int status = 0;
    int rc = 0;
    char *title = NULL;
    if (c->format == SCAN_CLI_FMT_FOLDED) {
        tree_sort(t, c->fo.sort == FLAME_SORT_NAME ? TREE_BY_NAME : TREE_BY_WEIGHT, c->weight);
        rc = folded_write(o.fp, t, c->weight, 0);
    } else if (c->format == SCAN_CLI_FMT_TEXT) {
        struct report_opts ro;
        report_opts_init(&ro);
        ro.weight = c->weight;
        ro.bytes = c->weight != TREE_W_COUNT;
        ro.width = c->output ? 80 : report_term_width(1);
        title = make_title(paths, npaths,
                           c->weight == TREE_W_DISK       ? "Disk usage of"
                           : c->weight == TREE_W_APPARENT ? "Apparent size of"
                                                          : "Entries in");
        ro.what = title;
        rc = report_write(o.fp, t, &ro);
    } else {
        if (!c->fo.title)
            c->fo.title = title = make_title(paths, npaths, "Disk usage of");
        char *err = NULL;
        int fr = flame_files_write(o.fp, t, &c->fo, &err);
        if (fr < 0) {
            diag_warn("%s", err ? err : "cannot draw the flame graph");
            free(err);
            free(title);
            out_abort(&o);
            return 2;
        }
        if (fr > 0) {
            diag_warn("%s", err ? err : "the flame graph is incomplete");
            status = 1;
        }
        free(err);
    }
    free(title);
    return cmd_finish_output(&o, c->output, rc < 0, status);
}

int cmd_scan(int argc, char **argv)
{
    struct scan_cmd c = {0};
    scan_cli_init(&c.scan);
    flame_opts_init(&c.fo);
    /* a disk scan's picture: bytes, colours by kind, largest first, names
     * as the folded output writes them */
    c.fo.sort = FLAME_SORT_SIZE;
    c.fo.units = FLAME_UNITS_BYTES;
    c.fo.countname = "bytes";
    c.fo.color_by_kind = true;
    c.fo.marks = true;
    c.fo.folded_names = true;
    c.fo.nametype = "Path:";
    struct arc_cli arc;
    arc_cli_init(&arc);

    struct option *longopts = flame_cli_options_merge(scan_options, ARRAY_LEN(scan_options));
    int status = 0;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" SCAN_CLI_SHORT "o:f:", longopts, NULL)) != -1) {
        char *err = NULL;
        if (flame_cli_is_option(opt)) {
            if (flame_cli_option(&c.fo, opt, optarg, &err) < 0) {
                diag_warn("%s", err);
                free(err);
                status = 2;
                goto done;
            }
            continue;
        }
        if (scan_cli_is_option(opt) || arc_cli_is_option(opt)) {
            if ((scan_cli_is_option(opt) ? scan_cli_option(&c.scan, opt, optarg, &err)
                                         : arc_cli_option(&arc, opt, optarg, &err)) < 0) {
                diag_warn("%s", err);
                free(err);
                status = 2;
                goto done;
            }
            continue;
        }
        switch (opt) {
        case 'o':
            c.output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'f':
            if (scan_cli_parse_format(optarg, &c.format, &err) < 0) {
                diag_warn("%s", err);
                free(err);
                status = 2;
                goto done;
            }
            break;
        case OPT_HELP:
            help();
            goto done;
        case OPT_VERSION:
            puts("duflame 0.1");
            goto done;
        case ':':
            diag_warn("option '%s' needs a value", argv[optind - 1]);
            usage_error();
            status = 2;
            goto done;
        default:
            if (optopt && optopt < 0x100)
                diag_warn("unknown option '-%c'", optopt);
            else
                diag_warn("unknown option '%s'", argv[optind - 1]);
            usage_error();
            status = 2;
            goto done;
        }
    }
    c.weight = c.scan.weight;
    bool inodes = c.weight == TREE_W_COUNT, apparent = c.weight == TREE_W_APPARENT;
    if (inodes) {
        c.fo.units = FLAME_UNITS_COUNT;
        if (c.fo.countname && strcmp(c.fo.countname, "bytes") == 0)
            c.fo.countname = "entries";
    }
    if (!c.fo.subtitle)
        c.fo.subtitle = inodes     ? "number of entries (du --inodes)"
                        : apparent ? "apparent sizes (du --apparent-size)"
                                   : NULL;
    c.fo.weight = c.weight;
    c.format = scan_cli_output_format(c.format, c.output);

    const char *dot[] = {"."};
    const char *const *paths = optind < argc ? (const char *const *)argv + optind : dot;
    size_t npaths = optind < argc ? (size_t)(argc - optind) : 1;

    scan_cli_start(&c.scan);
    arc_cli_setup(&arc, &c.scan.so.walk);
    arc_cli_flame(&arc, &c.fo); /* tooltips: extracted bytes, ratio */
    int scan_status = 0;
    struct tree *t = arc_cli_scan_load(paths, npaths, &c.scan.so, &scan_status);
    scan_cli_stop(&c.scan);
    status = write_output(&c, t, paths, npaths);
    if (status < 2 && scan_status)
        status = 1;
    tree_free(t);
done:
    arc_cli_release(&arc);
    free(longopts);
    scan_cli_release(&c.scan);
    return status;
}
