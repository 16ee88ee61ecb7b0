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
#include "folded.h"
#include "out.h"
#include "progress.h"
#include "report.h"
#include "scan.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum format { FMT_AUTO, FMT_SVG, FMT_FOLDED, FMT_TEXT };

/* codes of long options without a short one: below FLAME_CLI_BASE */
enum {
    OPT_EXCLUDE = 0x100,
    OPT_INODES,
    OPT_HELP,
    OPT_VERSION,
    /* ---- archives (issue 4): codes of archive options go here ---- */
};

static const struct option scan_options[] = {
    {"one-file-system", no_argument, NULL, 'x'},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"exclude-from", required_argument, NULL, 'X'},
    {"dereference", no_argument, NULL, 'L'},
    {"count-links", no_argument, NULL, 'l'},
    {"threads", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"apparent-size", no_argument, NULL, 'b'},
    {"inodes", no_argument, NULL, OPT_INODES},
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    /* ---- archives (issue 4): archive options go here ---- */
    ARC_CLI_OPTIONS};

static const char usage_text[] =
    "usage: duflame [OPTIONS] [PATH...]\n"
    "       duflame render [OPTIONS] [FILE...]\n"
    "       duflame diff [OPTIONS] BEFORE AFTER\n"
    "Scan each PATH (default .) and draw where the disk space goes.\n"
    "\n"
    "Scan options:\n"
    "  -x, --one-file-system    skip directories on other file systems\n"
    "      --exclude=GLOB       skip entries whose path matches GLOB (as du; repeatable)\n"
    "  -X, --exclude-from=FILE  skip entries matching any glob in FILE (one a line)\n"
    "  -L, --dereference        follow symbolic links (loops are entered once)\n"
    "  -l, --count-links        count hard-linked files every time they are met\n"
    "  -j, --threads=N          walk with N threads (default: 4 per core, at most 16)\n"
    "  -q, --quiet              no progress line\n"
    "  -b, --apparent-size      draw apparent sizes (st_size) instead of disk usage\n"
    "      --inodes             draw the number of entries instead of disk usage\n"
    "  -o, --output=FILE        write to FILE; the format follows its extension\n"
    "                           (.svg, .folded, .txt)\n"
    "  -f, --format=FMT         svg, folded or text (default: text on a terminal,\n"
    "                           svg otherwise)\n"
    "      --help               this help\n"
    "      --version            the version\n"
    /* ---- archives (issue 4): help lines of archive options go here ---- */
    ARC_CLI_HELP "\n"
    "Renderer options (as duflame render; a scan sorts largest first):\n";

struct scan_cli {
    struct scan_opts so;
    struct flame_opts fo;
    enum format format;
    const char *output;
    unsigned weight;
    bool quiet;
    char **excludes;
    size_t nexcludes, capexcludes;
    struct progress *progress;
};

static void add_exclude(struct scan_cli *c, const char *glob, size_t len)
{
    if (c->nexcludes == c->capexcludes) {
        c->capexcludes = c->capexcludes ? c->capexcludes * 2 : 8;
        c->excludes = xreallocarray(c->excludes, c->capexcludes, sizeof *c->excludes);
    }
    c->excludes[c->nexcludes++] = xmemdup(glob, len);
}

/* read_exclude_file: one glob a line, as du -X; empty lines are ignored */
static int read_exclude_file(struct scan_cli *c, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        char *q = diag_quote(path, strlen(path));
        diag_warn("cannot read '%s': %s", q, strerror(errno));
        free(q);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            n--;
        if (n > 0)
            add_exclude(c, line, (size_t)n);
    }
    free(line);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        char *q = diag_quote(path, strlen(path));
        diag_warn("cannot read '%s': %s", q, strerror(EIO));
        free(q);
        return -1;
    }
    return 0;
}

static void on_warn(void *ctx, const char *what, const char *path, int errnum)
{
    struct scan_cli *c = ctx;
    progress_clear(c->progress);
    char *q = diag_quote(path, strlen(path));
    if (errnum)
        diag_warn("%s '%s': %s", what, q, strerror(errnum));
    else
        diag_warn("%s '%s'", what, q);
    free(q);
}

static int parse_format(const char *s, enum format *f)
{
    if (strcmp(s, "svg") == 0)
        *f = FMT_SVG;
    else if (strcmp(s, "folded") == 0)
        *f = FMT_FOLDED;
    else if (strcmp(s, "text") == 0 || strcmp(s, "txt") == 0)
        *f = FMT_TEXT;
    else
        return -1;
    return 0;
}

/* format_of_path: from the extension of -o FILE; FMT_AUTO when unknown */
static enum format format_of_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return FMT_AUTO;
    if (strcmp(dot, ".svg") == 0)
        return FMT_SVG;
    if (strcmp(dot, ".folded") == 0)
        return FMT_FOLDED;
    if (strcmp(dot, ".txt") == 0)
        return FMT_TEXT;
    return FMT_AUTO;
}

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

static int write_output(struct scan_cli *c, struct tree *t, const char *const *paths, size_t npaths)
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
    if (c->format == FMT_FOLDED) {
        tree_sort(t, c->fo.sort == FLAME_SORT_NAME ? TREE_BY_NAME : TREE_BY_WEIGHT, c->weight);
        rc = folded_write(o.fp, t, c->weight, 0);
    } else if (c->format == FMT_TEXT) {
        struct report_opts ro;
        report_opts_init(&ro);
        ro.weight = c->weight;
        ro.bytes = c->weight != TREE_W_COUNT;
        ro.unit = "entries";
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
        int fr = flame_write(o.fp, t, &c->fo, &err);
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
    if (rc < 0 || ferror(o.fp)) {
        int e = errno ? errno : EIO;
        out_abort(&o);
        diag_warn("cannot write '%s': %s", c->output ? c->output : "standard output", strerror(e));
        return 2;
    }
    if (out_commit(&o) < 0) {
        diag_warn("cannot write '%s': %s", c->output ? c->output : "standard output",
                  strerror(errno));
        return 2;
    }
    return status;
}

int cmd_scan(int argc, char **argv)
{
    struct scan_cli c = {0};
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
    c.weight = TREE_W_DISK;
    bool inodes = false, apparent = false;
    struct arc_cli arc; /* archives (issue 4) */
    arc_cli_init(&arc);

    struct option *longopts = flame_cli_options_merge(scan_options, ARRAY_LEN(scan_options));
    int status = 0;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":xX:Llj:qbo:f:", longopts, NULL)) != -1) {
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
        if (arc_cli_is_option(opt)) { /* archives (issue 4) */
            if (arc_cli_option(&arc, opt, optarg, &err) < 0) {
                diag_warn("%s", err);
                free(err);
                status = 2;
                goto done;
            }
            continue;
        }
        switch (opt) {
        case 'x':
            c.so.walk.one_file_system = true;
            break;
        case OPT_EXCLUDE:
            add_exclude(&c, optarg, strlen(optarg));
            break;
        case 'X':
            if (read_exclude_file(&c, optarg) < 0) {
                status = 2;
                goto done;
            }
            break;
        case 'L':
            c.so.walk.dereference = true;
            break;
        case 'l':
            c.so.walk.count_links = true;
            break;
        case 'j': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 1 || v > 256) {
                diag_warn("invalid --threads '%s': expected a number from 1 to 256", optarg);
                status = 2;
                goto done;
            }
            c.so.walk.threads = (unsigned)v;
            break;
        }
        case 'q':
            c.quiet = true;
            break;
        case 'b':
            apparent = true;
            break;
        case OPT_INODES:
            inodes = true;
            break;
        case 'o':
            c.output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'f':
            if (parse_format(optarg, &c.format) < 0) {
                diag_warn("invalid --format '%s': expected svg, folded or text", optarg);
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
    if (inodes) {
        c.weight = TREE_W_COUNT;
        c.fo.units = FLAME_UNITS_COUNT;
        if (c.fo.countname && strcmp(c.fo.countname, "bytes") == 0)
            c.fo.countname = "entries";
    } else if (apparent) {
        c.weight = TREE_W_APPARENT;
    }
    if (!c.fo.subtitle)
        c.fo.subtitle = inodes     ? "number of entries (du --inodes)"
                        : apparent ? "apparent sizes (du --apparent-size)"
                                   : NULL;
    c.fo.weight = c.weight;
    if (c.format == FMT_AUTO && c.output)
        c.format = format_of_path(c.output);
    if (c.format == FMT_AUTO)
        c.format = !c.output && isatty(1) ? FMT_TEXT : FMT_SVG;

    const char *dot[] = {"."};
    const char *const *paths = optind < argc ? (const char *const *)argv + optind : dot;
    size_t npaths = optind < argc ? (size_t)(argc - optind) : 1;

    c.progress = progress_new(!c.quiet);
    c.so.walk.excludes = (const char *const *)c.excludes;
    c.so.walk.nexcludes = c.nexcludes;
    c.so.walk.warn = on_warn;
    c.so.walk.warn_ctx = &c;
    c.so.walk.tick = progress_tick;
    c.so.walk.tick_ctx = c.progress;
    /* ---- archives (issue 4): set c.so.walk.archives / file_hook here ---- */
    arc_cli_setup(&arc, &c.so.walk);
    arc_cli_flame(&arc, &c.fo); /* tooltips: extracted bytes, ratio */
    int scan_status = 0;
    struct tree *t = arc_cli_scan_load(paths, npaths, &c.so, &scan_status);
    progress_free(c.progress);
    c.progress = NULL;
    status = write_output(&c, t, paths, npaths);
    if (status < 2 && scan_status)
        status = 1;
    tree_free(t);
done:
    arc_cli_release(&arc);
    free(longopts);
    for (size_t i = 0; i < c.nexcludes; i++)
        free(c.excludes[i]);
    free(c.excludes);
    return status;
}
