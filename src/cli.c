/* SPDX-License-Identifier: BSD-2-Clause */
/* cli: one option driver over option groups, every usage message (see include/cli.h) */
#include "cli.h"
#include "diag.h"
#include "progress.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLI_VERSION "duflame 0.1"

/* the driver's own codes, and the groups' ranges: none below overlaps */
enum {
    O_HELP = 0x4000,
    O_VERSION,
};

/* ---- messages --------------------------------------------------------------- */

int cli_invalid(char **err, const char *opt, const char *arg, const char *want)
{
    char *q = diag_quote(arg, strlen(arg));
    *err = xasprintf("invalid --%s '%s': expected %s", opt, q, want);
    free(q);
    return -1;
}

static void try_help(const struct cli_command *cmd)
{
    diag_warn("try '%s --help'", cmd->name);
}

/* ---- the driver ----------------------------------------------------------------- */

static const char help_lines[] = "      --help               this help\n"
                                 "      --version            the version\n";

static void print_help(const struct cli_command *cmd, const struct cli_group *g, size_t ng)
{
    fputs(cmd->usage, stdout);
    for (size_t i = 0; i < ng; i++) {
        if (g[i].heading)
            printf("\n%s:\n", g[i].heading);
        fputs(g[i].help ? g[i].help : "", stdout);
        if (i == 0)
            fputs(help_lines, stdout);
    }
}

static const struct cli_group *owner(const struct cli_group *g, size_t ng, int code)
{
    for (size_t i = 0; i < ng; i++) {
        for (size_t j = 0; j < g[i].nlongs; j++)
            if (g[i].longs[j].val == code)
                return &g[i];
        if (code > 0 && code < 0x80 && code != ':' && g[i].shorts && strchr(g[i].shorts, code))
            return &g[i];
    }
    return NULL;
}

static void unknown(char **argv)
{
    if (optopt && optopt < 0x100)
        diag_warn("unknown option '-%c'", optopt);
    else
        diag_warn("unknown option '%s'", argv[optind - 1]);
}

int cli_parse(const struct cli_command *cmd, const struct cli_group *g, size_t ng, int argc,
              char **argv, int *first)
{
    size_t nl = 2, ns = 2;
    for (size_t i = 0; i < ng; i++) {
        nl += g[i].nlongs;
        ns += g[i].shorts ? strlen(g[i].shorts) : 0;
    }
    struct option *longs = xcalloc(nl + 1, sizeof *longs);
    char *shorts = xcalloc(ns + 1, 1);
    size_t k = 0;
    strcpy(shorts, ":");
    for (size_t i = 0; i < ng; i++) {
        for (size_t j = 0; j < g[i].nlongs; j++)
            longs[k++] = g[i].longs[j];
        if (g[i].shorts)
            strcat(shorts, g[i].shorts);
    }
    longs[k++] = (struct option){"help", no_argument, NULL, O_HELP};
    longs[k++] = (struct option){"version", no_argument, NULL, O_VERSION};
    int rc = -1, opt;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const struct cli_group *o = owner(g, ng, opt);
        char *err = NULL;
        int r = o ? o->apply(o->ctx, opt, optarg, &err) : 0;
        if (opt == O_HELP || r == CLI_HELP) {
            print_help(cmd, g, ng);
            rc = 0;
        } else if (opt == O_VERSION) {
            puts(CLI_VERSION);
            rc = 0;
        } else if (opt == ':') {
            diag_warn("option '%s' needs a value", argv[optind - 1]);
            try_help(cmd);
            rc = 2;
        } else if (!o) {
            unknown(argv);
            try_help(cmd);
            rc = 2;
        } else if (r < 0) {
            diag_warn("%s", err ? err : "invalid option");
            rc = 2;
        }
        free(err);
    }
    free(longs);
    free(shorts);
    if (rc >= 0)
        return rc;
    size_t n = (size_t)(argc - optind);
    if (n < cmd->min_operands || n > cmd->max_operands) {
        diag_warn("%s", cmd->operands_msg);
        try_help(cmd);
        return 2;
    }
    *first = optind;
    return -1;
}

/* ---- the scan group: du's options ------------------------------------------ */

enum {
    S_EXCLUDE = 0x4200,
    S_INODES,
    S_APPARENT,
    S_METRIC,
};

/* the scan options a walk shared by processes takes too (duflame-mpi) */
/* clang-format off */
#define WALK_LONGS                                                  \
    {"one-file-system", no_argument, NULL, 'x'},                    \
    {"exclude", required_argument, NULL, S_EXCLUDE},                \
    {"exclude-from", required_argument, NULL, 'X'},                 \
    {"count-links", no_argument, NULL, 'l'},                        \
    {"threads", required_argument, NULL, 'j'},                      \
    {"quiet", no_argument, NULL, 'q'},                              \
    {"apparent-size", no_argument, NULL, S_APPARENT},               \
    {"inodes", no_argument, NULL, S_INODES},                        \
    {"bytes", no_argument, NULL, 'b'},                              \
    {"metric", required_argument, NULL, S_METRIC}
/* clang-format on */

static const struct option scan_longs[] = {
    WALK_LONGS,
    {"dereference", no_argument, NULL, 'L'},
    {"dereference-args", no_argument, NULL, 'D'},
};

/* the names --metric takes, by weight slot */
static const char *const metric_names[] = {"disk", "apparent", "entries", "stored"};

const char *cli_metric_name(unsigned weight)
{
    return weight < ARRAY_LEN(metric_names) ? metric_names[weight] : "disk";
}

static int parse_metric(struct cli_input *in, const char *arg, char **err)
{
    for (unsigned i = 0; i < ARRAY_LEN(metric_names); i++)
        if (strcmp(arg, metric_names[i]) == 0) {
            in->weight = i;
            in->metric_set = true;
            return 0;
        }
    return cli_invalid(err, "metric", arg, "disk, apparent, entries or stored");
}

#define SCAN_HELP(bytes)                                                                           \
    "  -x, --one-file-system    skip directories on other file systems\n"                          \
    "      --exclude=GLOB       skip entries whose path matches GLOB (as du; repeatable)\n"        \
    "  -X, --exclude-from=FILE  skip entries matching any glob in FILE (one a line;\n"             \
    "                           - is standard input)\n"                                            \
    "  -L, --dereference        follow symbolic links (loops are entered once)\n"                  \
    "  -D, -H, --dereference-args  follow only the PATHs that are symbolic links\n"                \
    "  -l, --count-links        count hard-linked files every time they are met\n"                 \
    "  -j, --threads=N          walk with N threads (default: 4 per core, at most 16)\n"           \
    "                           (an image's layers: default 1 per core, at most 4)\n"              \
    "  -q, --quiet              no progress line\n"                                                \
    "      --apparent-size      count apparent sizes (st_size) instead of disk usage\n"            \
    "  -b, --bytes              " bytes "\n"                                                       \
    "      --inodes             count entries instead of disk usage\n"                             \
    "      --metric=WHAT        what is counted: disk (usage, the default), apparent\n"            \
    "                           (--apparent-size), entries (--inodes) or stored (the bytes\n"      \
    "                           each entry takes in its archive; a plain file's disk usage)\n"

static const char scan_help[] = SCAN_HELP("the same; a scan's text and -s in bytes (as du -b)");

void cli_input_init(struct cli_input *in)
{
    memset(in, 0, sizeof *in);
    source_opts_init(&in->so);
    in->weight = TREE_W_DISK;
}

void cli_input_release(struct cli_input *in)
{
    for (size_t i = 0; i < in->nexcludes; i++)
        free(in->excludes[i]);
    free(in->excludes);
    in->excludes = NULL;
    in->nexcludes = in->capexcludes = 0;
    progress_free(in->progress);
    in->progress = NULL;
}

static void add_exclude(struct cli_input *in, const char *glob, size_t len)
{
    if (in->nexcludes == in->capexcludes) {
        in->capexcludes = in->capexcludes ? in->capexcludes * 2 : 8;
        in->excludes = xreallocarray(in->excludes, in->capexcludes, sizeof *in->excludes);
    }
    in->excludes[in->nexcludes++] = xmemdup(glob, len);
}

static char *cannot_read(const char *path, int e)
{
    char *q = diag_quote(path, strlen(path));
    char *s = xasprintf("cannot read '%s': %s", q, strerror(e));
    free(q);
    return s;
}

/* read_excludes: the globs of the file at path ("-": standard input), one
 * a line, as du -X; empty lines are ignored */
static int read_excludes(struct cli_input *in, const char *path, char **err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        *err = cannot_read(path, errno);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            n--;
        if (n > 0)
            add_exclude(in, line, (size_t)n);
    }
    free(line);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        *err = cannot_read(path, EIO);
        return -1;
    }
    return 0;
}

int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int scan_apply(void *ctx, int code, const char *arg, char **err)
{
    struct cli_input *in = ctx;
    struct walk_opts *w = &in->so.walk;
    uint64_t v;
    switch (code) {
    case 'x':
        w->one_file_system = true;
        return 0;
    case S_EXCLUDE:
        add_exclude(in, arg, strlen(arg));
        return 0;
    case 'X':
        return read_excludes(in, arg, err);
    case 'L':
        w->dereference = true;
        return 0;
    case 'D':
    case 'H':
        w->dereference_args = true;
        return 0;
    case 'l':
        w->count_links = true;
        return 0;
    case 'j':
        if (cli_parse_uint(arg, 1, 256, &v) < 0)
            return cli_invalid(err, "threads", arg, "a number from 1 to 256");
        w->threads = (unsigned)v;
        return 0;
    case 'q':
        in->quiet = true;
        return 0;
    case 'b':
        /* du -b: --apparent-size --block-size=1 */
        if (in->units)
            *in->units = (struct report_units){REPORT_UNITS_BLOCK, 1, ""};
        if (in->weight != TREE_W_COUNT && !in->metric_set)
            in->weight = TREE_W_APPARENT;
        return 0;
    case S_APPARENT:
        /* --inodes wins, whatever the order; --metric over both */
        if (in->weight != TREE_W_COUNT && !in->metric_set)
            in->weight = TREE_W_APPARENT;
        return 0;
    case S_METRIC:
        return parse_metric(in, arg, err);
    default: /* S_INODES */
        if (!in->metric_set)
            in->weight = TREE_W_COUNT;
        return 0;
    }
}

/* the scan options of a walk shared by processes (duflame-mpi): no
 * dereferencing (a link followed on one rank is not known to the others) */
static const struct option walk_longs[] = {WALK_LONGS};

static const char walk_help[] =
    "  -x, --one-file-system    skip directories on other file systems\n"
    "      --exclude=GLOB       skip entries whose path matches GLOB (as du; repeatable)\n"
    "  -X, --exclude-from=FILE  skip entries matching any glob in FILE (one a line)\n"
    "  -l, --count-links        count hard-linked files every time they are met\n"
    "  -j, --threads=N          walk with N threads in each rank (default: 4 per core,\n"
    "                           at most 16)\n"
    "  -q, --quiet              accepted for duflame's sake (there is no progress line)\n"
    "      --apparent-size      count apparent sizes (st_size) instead of disk usage\n"
    "  -b, --bytes              the same; a scan's text and -s in bytes (as du -b)\n"
    "      --inodes             count entries instead of disk usage\n"
    "      --metric=WHAT        what is counted: disk (usage, the default), apparent\n"
    "                           (--apparent-size), entries (--inodes) or stored (the bytes\n"
    "                           each entry takes in its archive; a plain file's disk usage)\n";

struct cli_group cli_walk_group(struct cli_input *in)
{
    return (struct cli_group){"Scan options",        walk_help,  "xX:lj:qb", walk_longs,
                              ARRAY_LEN(walk_longs), scan_apply, in};
}

struct cli_group cli_scan_group(struct cli_input *in)
{
    return (struct cli_group){
        "Scan options", scan_help, "xX:LDHlj:qb", scan_longs, ARRAY_LEN(scan_longs),
        scan_apply,     in};
}

/* ---- the archive group ------------------------------------------------------------ */

enum {
    A_ARCHIVES = 0x4400,
    A_DEPTH,
    A_ENTRIES,
    A_BYTES,
    A_MEMORY,
    A_SPOOL,
    A_LAYERS,
};

static const struct option archive_longs[] = {
    {"archives", no_argument, NULL, A_ARCHIVES},
    {"archive-depth", required_argument, NULL, A_DEPTH},
    {"archive-entries", required_argument, NULL, A_ENTRIES},
    {"archive-bytes", required_argument, NULL, A_BYTES},
    {"archive-memory", required_argument, NULL, A_MEMORY},
    {"archive-spool", required_argument, NULL, A_SPOOL},
    {"layers", no_argument, NULL, A_LAYERS},
};

/* the archive options but --layers (an image is not a PATH of duflame-mpi) */
#define ARCHIVE_HELP_COMMON                                                                        \
    "      --archives           also look inside archives found in directories\n"                  \
    "      --archive-depth=N    open nested archives up to N levels (default 8)\n"                 \
    "      --archive-entries=N  stop an archive after N entries (default 10000000)\n"              \
    "      --archive-bytes=SIZE stop an archive after SIZE extracted bytes\n"                      \
    "                           (default: the larger of 4G and 200 x its size)\n"                  \
    "      --archive-memory=SIZE  nested zip/7z/iso held in memory (default 64M)\n"                \
    "      --archive-spool=SIZE   ... and in temporary files (default 1G)\n"

static const char archive_help[] = ARCHIVE_HELP_COMMON
    "      --layers             a container image drawn one top per layer, not as its\n"
    "                           final file system (the limits count all layers)\n";

static int archive_apply(void *ctx, int code, const char *arg, char **err)
{
    struct cli_input *in = ctx;
    struct arc_opts *a = &in->so.arc;
    uint64_t v;
    switch (code) {
    case A_ARCHIVES:
        in->so.archives = true;
        return 0;
    case A_DEPTH:
        if (cli_parse_uint(arg, 0, ARC_MAX_DEPTH, &v) < 0)
            return cli_invalid(err, "archive-depth", arg, "a number from 0 to 64");
        a->max_depth = (unsigned)v;
        return 0;
    case A_ENTRIES:
        if (cli_parse_uint(arg, 1, UINT64_MAX, &v) < 0)
            return cli_invalid(err, "archive-entries", arg, "a positive number");
        a->max_entries = v;
        return 0;
    case A_BYTES:
        if (util_parse_size(arg, &v) < 0 || v == 0)
            return cli_invalid(err, "archive-bytes", arg, "a positive size such as 10G");
        a->max_bytes = v;
        return 0;
    case A_LAYERS:
        in->so.image_layers = true;
        return 0;
    case A_MEMORY:
        if (util_parse_size(arg, &v) < 0)
            return cli_invalid(err, "archive-memory", arg, "a size such as 64M");
        a->max_memory = v;
        return 0;
    default: /* A_SPOOL */
        if (util_parse_size(arg, &v) < 0)
            return cli_invalid(err, "archive-spool", arg, "a size such as 64M");
        a->max_spool = v;
        return 0;
    }
}

struct cli_group cli_archive_group(struct cli_input *in)
{
    return (struct cli_group){
        "Archives (a PATH that is an archive is always drawn as its contents)",
        archive_help,
        NULL,
        archive_longs,
        ARRAY_LEN(archive_longs),
        archive_apply,
        in};
}

struct cli_group cli_walk_archive_group(struct cli_input *in)
{
    struct cli_group g = cli_archive_group(in);
    g.help = ARCHIVE_HELP_COMMON;
    g.nlongs--; /* --layers is the last */
    return g;
}

/* ---- loading ----------------------------------------------------------------------- */

/* every problem of a load: said once, the progress line cleared first
 * (called from the walker's threads: diag and the progress line are
 * thread-safe) */
static void on_load_warn(void *ctx, const char *msg)
{
    struct cli_input *in = ctx;
    progress_clear(in->progress);
    diag_warn("%s", msg);
    __atomic_add_fetch(&in->warnings, 1, __ATOMIC_RELAXED);
}

int cli_load(struct cli_input *in, const char *const *paths, size_t n, struct source_result *r)
{
    progress_free(in->progress);
    in->progress = progress_new(!in->quiet);
    struct source_opts so = in->so;
    so.walk.excludes = (const char *const *)in->excludes;
    so.walk.nexcludes = in->nexcludes;
    so.walk.tick = progress_tick;
    so.walk.tick_ctx = in->progress;
    so.warn = on_load_warn;
    so.warn_ctx = in;
    int rc = source_load(paths, n, &so, r);
    progress_free(in->progress);
    in->progress = NULL;
    return rc;
}

/* ---- the report group: the text report and du -s ----------------------------- */

enum {
    R_TOP = 0x4500,
    R_SI,
    R_COLOR,
    R_ASCII,
};

static const struct option report_longs[] = {
    {"summarize", no_argument, NULL, 's'},        {"max-depth", required_argument, NULL, 'd'},
    {"depth", required_argument, NULL, 'd'},      {"top", required_argument, NULL, R_TOP},
    {"threshold", required_argument, NULL, 't'},  {"min-size", required_argument, NULL, 't'},
    {"human-readable", no_argument, NULL, 'h'},   {"si", no_argument, NULL, R_SI},
    {"block-size", required_argument, NULL, 'B'}, {"color", optional_argument, NULL, R_COLOR},
    {"ascii", no_argument, NULL, R_ASCII},
};

static const char report_help[] =
    "  -d, --max-depth=N        rows down to depth N below each PATH (0: the PATHs\n"
    "                           only), as du; also --depth=N\n"
    "      --top=N              rows of the tree (default: the terminal's height; 40\n"
    "                           on a pipe or in a file)\n"
    "  -t, --threshold=SIZE     leave out entries smaller than SIZE (entries with\n"
    "                           --inodes); also --min-size=SIZE\n"
    "  -s, --summarize          only a line SIZE<TAB>PATH for each PATH, as du -s\n"
    "  -c                       a grand total line, \"total\", as du -c\n"
    "  -h, --human-readable     1.5 MiB in the report, 1.5M with -s (the default)\n"
    "      --si                 powers of 1000 (1.6 MB, 1.6M)\n"
    "  -B, --block-size=SIZE    sizes in blocks of SIZE, rounded up: 1 (bytes), K,\n"
    "                           M, G, KB (1000), MB, 4K...; a unit alone is also\n"
    "                           shown after the number (-BM: 12M)\n"
    "      --color[=WHEN]       colour bars and names by kind: auto (on a terminal,\n"
    "                           unless NO_COLOR is set; the default), always, never\n"
    "      --ascii              bars of '#' (the default in a locale not UTF-8)\n";

void cli_report_init(struct cli_report *r)
{
    memset(r, 0, sizeof *r);
    report_opts_init(&r->ro);
}

static int report_apply(void *ctx, int code, const char *arg, char **err)
{
    struct cli_report *r = ctx;
    uint64_t v;
    switch (code) {
    case 's':
        r->ro.summarize = true;
        return 0;
    case 'c':
        r->ro.total = true;
        return 0;
    case 'd':
        if (cli_parse_uint(arg, 0, UINT_MAX - 1, &v) < 0)
            return cli_invalid(err, "max-depth", arg, "a number from 0");
        r->ro.max_depth = (unsigned)v;
        return 0;
    case R_TOP:
        if (cli_parse_uint(arg, 0, 1000000, &v) < 0)
            return cli_invalid(err, "top", arg, "a number from 0 to 1000000");
        r->ro.top = (unsigned)v;
        r->top_set = true;
        return 0;
    case 't':
        if (arg[0] == '-' || util_parse_size(arg, &v) < 0)
            return cli_invalid(err, "threshold", arg, "a size such as 10M");
        r->ro.threshold = v;
        return 0;
    case 'h':
        r->ro.units = (struct report_units){REPORT_UNITS_HUMAN, 1, ""};
        return 0;
    case R_SI:
        r->ro.units = (struct report_units){REPORT_UNITS_SI, 1, ""};
        return 0;
    case 'B':
        if (report_parse_block_size(arg, &r->ro.units) < 0)
            return cli_invalid(err, "block-size", arg, "a size such as 1, K, M, KB or 4K");
        return 0;
    case R_COLOR:
        if (!arg || strcmp(arg, "always") == 0)
            r->color = CLI_COLOR_ALWAYS;
        else if (strcmp(arg, "auto") == 0)
            r->color = CLI_COLOR_AUTO;
        else if (strcmp(arg, "never") == 0)
            r->color = CLI_COLOR_NEVER;
        else
            return cli_invalid(err, "color", arg, "auto, always or never");
        return 0;
    default: /* R_ASCII */
        r->ascii = true;
        return 0;
    }
}

struct cli_group cli_report_group(struct cli_report *r)
{
    return (struct cli_group){"Report options (the text report, and du -s)",
                              report_help,
                              "d:t:schB:",
                              report_longs,
                              ARRAY_LEN(report_longs),
                              report_apply,
                              r};
}

/* the locale's character set is UTF-8 (asked of the environment, as
 * setlocale would, without changing the program's locale) */
static bool utf8_locale(void)
{
    const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
    }
    return false;
}

void cli_report_fit(struct cli_report *r, const char *output)
{
    bool tty = !output && isatty(1);
    const char *no_color = getenv("NO_COLOR");
    r->ro.color = r->color == CLI_COLOR_ALWAYS ||
                  (r->color == CLI_COLOR_AUTO && tty && !(no_color && *no_color));
    r->ro.ascii = r->ascii || !utf8_locale();
    r->ro.width = output ? 80 : report_term_width(1);
    if (!r->top_set && tty)
        r->ro.top = report_fit(report_term_height(1), r->ro.total, &r->ro.files);
    r->ro.footer = true;
}

/* ---- the picture group: the renderer's options ------------------------------- */

enum {
    P_TITLE = 0x4600,
    P_SUBTITLE,
    P_WIDTH,
    P_HEIGHT,
    P_MINWIDTH,
    P_FONTTYPE,
    P_FONTSIZE,
    P_FONTWIDTH,
    P_COUNTNAME,
    P_NAMETYPE,
    P_COLORS,
    P_BGCOLORS,
    P_HASH,
    P_RANDOM,
    P_CP,
    P_REVERSE,
    P_INVERTED,
    P_FLAMECHART,
    P_NEGATE,
    P_NOTES,
    P_TOTAL,
    P_FACTOR,
    P_NAMEATTR,
    P_ENCODING,
    P_SORT,
    P_DIFF_WIDTH,
};

static const struct option picture_longs[] = {
    {"title", required_argument, NULL, P_TITLE},
    {"subtitle", required_argument, NULL, P_SUBTITLE},
    {"width", required_argument, NULL, P_WIDTH},
    {"height", required_argument, NULL, P_HEIGHT},
    {"minwidth", required_argument, NULL, P_MINWIDTH},
    {"fonttype", required_argument, NULL, P_FONTTYPE},
    {"fontsize", required_argument, NULL, P_FONTSIZE},
    {"fontwidth", required_argument, NULL, P_FONTWIDTH},
    {"countname", required_argument, NULL, P_COUNTNAME},
    {"nametype", required_argument, NULL, P_NAMETYPE},
    {"colors", required_argument, NULL, P_COLORS},
    {"bgcolors", required_argument, NULL, P_BGCOLORS},
    {"hash", no_argument, NULL, P_HASH},
    {"random", no_argument, NULL, P_RANDOM},
    {"cp", no_argument, NULL, P_CP},
    {"reverse", no_argument, NULL, P_REVERSE},
    {"inverted", no_argument, NULL, P_INVERTED},
    {"flamechart", no_argument, NULL, P_FLAMECHART},
    {"negate", no_argument, NULL, P_NEGATE},
    {"notes", required_argument, NULL, P_NOTES},
    {"total", required_argument, NULL, P_TOTAL},
    {"factor", required_argument, NULL, P_FACTOR},
    {"nameattr", required_argument, NULL, P_NAMEATTR},
    {"encoding", required_argument, NULL, P_ENCODING},
    {"sort", required_argument, NULL, P_SORT},
    {"diff-width", required_argument, NULL, P_DIFF_WIDTH},
};

/* the renderer's help: the same lines for every command, but for the
 * defaults a disk scan chooses (PICTURE_HELP_DU) */
#define PICTURE_HELP(title, countname, nametype, colors, sort)                                     \
    "  --title TEXT        title (default " title ")\n"                                            \
    "  --subtitle TEXT     second line under the title\n"                                          \
    "  --width N           image width in pixels (1200)\n"                                         \
    "  --height N          height of each frame in pixels (16)\n"                                  \
    "  --minwidth N[%]     omit frames narrower than N pixels, or N% of the total (0.1)\n"         \
    "  --fonttype FONT     font family (Verdana, then sans-serif)\n"                               \
    "  --fontsize N        font size (12)\n"                                                       \
    "  --fontwidth N       average character width relative to the font size (0.59)\n"             \
    "  --countname TEXT    what the counts are (" countname "); \"bytes\" adds KiB/MiB/GiB\n"      \
    "  --nametype TEXT     what the names are (" nametype ")\n"                                    \
    "  --colors PALETTE    hot, mem, io, wakeup, chain, java, js, perl, red, green, blue,\n"       \
    "                      aqua, yellow, purple, orange (" colors ")\n"                            \
    "  --bgcolors COLOR    background: yellow, blue, green, grey or #rrggbb\n"                     \
    "  --hash              colour by flamegraph.pl's name hash\n"                                  \
    "  --random            colour each frame from a fixed-seed random sequence\n"                  \
    "  --cp                consistent colours through ./palette.map (read and updated)\n"          \
    "  --reverse           reverse each stack before merging\n"                                    \
    "  --inverted          icicle graph (root at the top)\n"                                       \
    "  --flamechart        flame chart: input order, no merging across lines\n"                    \
    "  --negate            swap differential colours (blue grew, red shrank)\n"                    \
    "  --notes TEXT        a note kept in the SVG\n"                                               \
    "  --total N           the count the full width stands for\n"                                  \
    "  --factor N          multiply counts in tooltips by N (1)\n"                                 \
    "  --nameattr FILE     per-name class, style and title: NAME<TAB>key=value...\n"               \
    "  --encoding NAME     encoding named in the XML declaration\n"                                \
    "  --sort name|size    order of frames beside each other (" sort ")\n"                         \
    "  --diff-width after|max  differential widths from AFTER (as flamegraph.pl)\n"                \
    "                      or from the larger of before and after (shows removals)\n"

static const char picture_help[] = PICTURE_HELP(
    "\"Flame Graph\", \"Icicle Graph\", \"Flame Chart\"", "samples", "Function:", "hot", "name");
static const char picture_help_du[] =
    PICTURE_HELP("what was measured: \"Disk usage of PATH\"", "bytes/entries",
                 "Path:", "by kind of file", "size");

void cli_picture_init(struct cli_picture *p)
{
    memset(p, 0, sizeof *p);
    flame_opts_init(&p->fo);
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

static int picture_minwidth(struct flame_opts *o, const char *arg, char **err)
{
    size_t n = strlen(arg);
    bool pct = n > 0 && arg[n - 1] == '%';
    char *tmp = xmemdup(arg, pct ? n - 1 : n);
    double v;
    int bad = parse_double(tmp, &v) != 0 || v < 0 || (pct && v > 100);
    free(tmp);
    if (bad)
        return cli_invalid(err, "minwidth", arg, "pixels (0.1) or a percentage (0.5%)");
    o->minwidth = v;
    o->minwidth_pct = pct;
    return 0;
}

static int picture_bgcolors(struct flame_opts *o, const char *arg, char **err)
{
    static const char *const ok[] = {"yellow", "blue", "green", "grey", "gray"};
    bool good = arg[0] == '#' && strlen(arg) == 7 && strspn(arg + 1, "0123456789abcdefABCDEF") == 6;
    for (size_t i = 0; i < ARRAY_LEN(ok); i++)
        good = good || strcmp(arg, ok[i]) == 0;
    if (!good)
        return cli_invalid(err, "bgcolors", arg, "yellow, blue, green, grey or #rrggbb");
    o->bgcolors = arg;
    return 0;
}

static int picture_total(struct flame_opts *o, const char *arg, char **err)
{
    size_t d = strspn(arg, "0123456789");
    if (d == 0 || (arg[d] && (arg[d] != '.' || arg[d + 1 + strspn(arg + d + 1, "0123456789")])))
        return cli_invalid(err, "total", arg, "a count such as 1000 or 12.5");
    o->total = arg;
    return 0;
}

/* the options that take a number */
static int picture_number(struct flame_opts *o, int code, const char *arg, char **err)
{
    uint64_t u;
    double v;
    switch (code) {
    case P_WIDTH:
        if (cli_parse_uint(arg, 21, 1000000, &u) != 0)
            return cli_invalid(err, "width", arg, "an integer from 21 to 1000000");
        o->width = (unsigned)u;
        return 0;
    case P_HEIGHT:
        if (cli_parse_uint(arg, 2, 10000, &u) != 0)
            return cli_invalid(err, "height", arg, "an integer from 2 to 10000");
        o->frameheight = (unsigned)u;
        return 0;
    case P_FONTSIZE:
    case P_FONTWIDTH:
        if (parse_double(arg, &v) != 0 || !(v > 0) || v > 1000)
            return cli_invalid(err, code == P_FONTSIZE ? "fontsize" : "fontwidth", arg,
                               "a positive number");
        *(code == P_FONTSIZE ? &o->fontsize : &o->fontwidth) = v;
        return 0;
    default: /* P_FACTOR */
        if (parse_double(arg, &v) != 0 || !(v > 0))
            return cli_invalid(err, "factor", arg, "a positive number");
        o->factor = v;
        return 0;
    }
}

/* the options that name one of a few words */
static int picture_word(struct flame_opts *o, int code, const char *arg, char **err)
{
    switch (code) {
    case P_COLORS:
        if (flame_parse_palette(arg, &o->palette) != 0)
            return cli_invalid(err, "colors", arg,
                               "hot, mem, io, wakeup, chain, java, js, perl, red, green, blue, "
                               "aqua, yellow, purple or orange");
        return 0;
    case P_ENCODING:
        if (!arg[0] || strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789._-") != strlen(arg))
            return cli_invalid(err, "encoding", arg, "an encoding name such as UTF-8");
        o->encoding = arg;
        return 0;
    case P_SORT:
        if (strcmp(arg, "name") == 0)
            o->sort = FLAME_SORT_NAME;
        else if (strcmp(arg, "size") == 0)
            o->sort = FLAME_SORT_SIZE;
        else
            return cli_invalid(err, "sort", arg, "name or size");
        return 0;
    default: /* P_DIFF_WIDTH */
        if (strcmp(arg, "after") == 0)
            o->diff_width = FLAME_DIFF_AFTER;
        else if (strcmp(arg, "max") == 0)
            o->diff_width = FLAME_DIFF_MAX;
        else
            return cli_invalid(err, "diff-width", arg, "after or max");
        return 0;
    }
}

static int picture_apply(void *ctx, int code, const char *arg, char **err)
{
    struct cli_picture *p = ctx;
    struct flame_opts *o = &p->fo;
    switch (code) {
    case P_TITLE:
        o->title = arg;
        return 0;
    case P_SUBTITLE:
        o->subtitle = arg;
        return 0;
    case P_WIDTH:
    case P_HEIGHT:
    case P_FONTSIZE:
    case P_FONTWIDTH:
    case P_FACTOR:
        return picture_number(o, code, arg, err);
    case P_MINWIDTH:
        return picture_minwidth(o, arg, err);
    case P_FONTTYPE:
        o->fonttype = arg;
        return 0;
    case P_COUNTNAME:
        o->countname = arg;
        p->countname_set = true;
        return 0;
    case P_NAMETYPE:
        o->nametype = arg;
        p->nametype_set = true;
        return 0;
    case P_COLORS:
    case P_ENCODING:
    case P_DIFF_WIDTH:
        return picture_word(o, code, arg, err);
    case P_SORT:
        p->sort_set = true;
        return picture_word(o, code, arg, err);
    case P_BGCOLORS:
        return picture_bgcolors(o, arg, err);
    case P_HASH:
        o->hash = true;
        return 0;
    case P_RANDOM:
        o->random = true;
        return 0;
    case P_CP:
        o->cp = true;
        return 0;
    case P_REVERSE:
        o->reverse = true;
        return 0;
    case P_INVERTED:
        o->inverted = true;
        return 0;
    case P_FLAMECHART:
        o->flamechart = true;
        o->sort = FLAME_SORT_NONE;
        p->sort_set = true;
        return 0;
    case P_NEGATE:
        o->negate = true;
        return 0;
    case P_NOTES:
        o->notes = arg;
        return 0;
    case P_TOTAL:
        return picture_total(o, arg, err);
    default: /* P_NAMEATTR */
        o->nameattr = arg;
        return 0;
    }
}

struct cli_group cli_picture_group(struct cli_picture *p)
{
    return (struct cli_group){"Renderer options (as flamegraph.pl's)",
                              p->du ? picture_help_du : picture_help,
                              NULL,
                              picture_longs,
                              ARRAY_LEN(picture_longs),
                              picture_apply,
                              p};
}

void cli_picture_du(struct cli_picture *p, unsigned weight)
{
    struct flame_opts *o = &p->fo;
    bool count = weight == TREE_W_COUNT;
    if (!p->sort_set)
        o->sort = FLAME_SORT_SIZE;
    if (!p->nametype_set)
        o->nametype = "Path:";
    if (!p->countname_set)
        o->countname = count ? "entries" : "bytes";
    o->units = count ? FLAME_UNITS_COUNT : FLAME_UNITS_BYTES;
    o->marks = true;
}

/* ---- the output group ----------------------------------------------------------------- */

/* the output group's own code, apart from the other groups' ranges */
enum { OPT_MAX_ENTRIES = 0x4800 };
static const struct option output_longs[] = {
    {"output", required_argument, NULL, 'o'},
    {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
    {"format", required_argument, NULL, 'f'},
};

static int output_apply(void *ctx, int code, const char *arg, char **err)
{
    struct cli_output *o = ctx;
    if (code == 'o') {
        o->output = strcmp(arg, "-") == 0 ? NULL : arg;
        return 0;
    }
    if (code == OPT_MAX_ENTRIES) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        if (errno || end == arg || *end || v < 2 || arg[0] == '-') {
            *err = xasprintf("invalid --max-entries '%s': expected a number of at least 2", arg);
            return -1;
        }
        o->max_entries = (size_t)v;
        return 0;
    }
    o->format = sink_find(arg);
    if (o->pictures && o->format && o->format != &sink_svg && o->format != &sink_html) {
        *err = xasprintf("invalid --format '%s': expected svg or html", arg);
        return -1;
    }
    if (!o->format) {
        *err = o->pictures ? xasprintf("invalid --format '%s': expected svg or html", arg)
                           : sink_bad_format(arg);
        return -1;
    }
    return 0;
}

/* the help of -o and -f, from the formats' table; dflt: the format on
 * standard output */
static const char budget_help[] =
    "      --max-entries=N      embed at most N entries in the page (or a scan's\n"
    "                           svg); beyond that the smallest subtrees are merged\n"
    "                           (2000000)\n";

static char *output_help(bool with_format, const char *dflt)
{
    const char *budget = budget_help;
    if (!with_format)
        return xasprintf(
            "  -o, --output=FILE        write the SVG to FILE (default standard output);\n"
            "                           a FILE ending in .html gets the page instead\n%s",
            budget);
    char exts[256] = "", names[256] = "";
    size_t ne = 0, nn = 0;
    for (size_t i = 0; i < sink_nformats; i++) {
        const struct sink_format *f = sink_formats[i];
        for (const char *const *e = f->exts; e && *e; e++)
            ne += (size_t)snprintf(exts + ne, sizeof exts - ne, "%s%s", ne ? ", " : "", *e);
        const char *sep = i == 0 ? "" : i + 1 == sink_nformats ? " or " : ", ";
        nn += (size_t)snprintf(names + nn, sizeof names - nn, "%s%s", sep, f->name);
    }
    return xasprintf("  -o, --output=FILE        write to FILE; the format follows its extension\n"
                     "                           (%s)\n"
                     "  -f, --format=FMT         %s\n"
                     "                           (default: %s)\n%s",
                     exts, names, dflt, budget);
}

void cli_output_init(struct cli_output *o, bool with_format)
{
    memset(o, 0, sizeof *o);
    o->with_format = with_format;
    o->help =
        output_help(with_format, "text on a terminal,\n                           svg otherwise");
}

void cli_output_default(struct cli_output *o, const char *dflt)
{
    free(o->help);
    o->help = output_help(o->with_format, dflt);
}

void cli_output_pictures(struct cli_output *o, const struct sink_format *dflt)
{
    free(o->help);
    o->with_format = true;
    o->pictures = true;
    o->picture_dflt = dflt;
    o->help =
        xasprintf("  -o, --output=FILE        write to FILE (default %s); the format follows\n"
                  "                           its extension: .html or .htm the page, else svg\n"
                  "  -f, --format=FMT         svg or html (default: by -o, else %s)\n%s",
                  dflt == &sink_html ? "perf.html" : "standard output", dflt->name, budget_help);
}

void cli_output_release(struct cli_output *o)
{
    free(o->help);
    o->help = NULL;
}

struct cli_group cli_output_group(struct cli_output *o)
{
    return (struct cli_group){"Options",
                              o->help,
                              o->with_format ? "o:f:" : "o:",
                              output_longs,
                              o->with_format ? 3u : 2u,
                              output_apply,
                              o};
}

const struct sink_format *cli_format(const struct cli_output *o, const struct sink_format *dflt)
{
    const struct sink_format *f = sink_pick(o->format, o->output, dflt);
    if (o->pictures && f != &sink_svg && f != &sink_html)
        return &sink_svg; /* an output named otherwise gets the SVG, as flamegraph.pl's */
    if (!f) {
        char *msg = sink_bad_ext(o->output);
        diag_warn("%s", msg);
        free(msg);
    }
    return f;
}

int cli_write(const struct cli_output *o, const struct sink_format *fmt_,
              const struct sink_job *job)
{
    char *warn = NULL, *err = NULL;
    int rc = sink_write(fmt_, o->output, job, &warn, &err);
    if (warn)
        diag_warn("%s", warn);
    if (err)
        diag_warn("%s", err);
    free(warn);
    free(err);
    return rc;
}
