/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame diff [OPTIONS] BEFORE AFTER: load each side (a directory, an
 * archive or a folded profile) into its own finished tree, join them
 * (diff.c), and write a differential SVG, folded stacks or a text report;
 * --fail-over turns the total's growth into exit status 3.
 */
#include "arc_cli.h"
#include "cmd.h"
#include "diag.h"
#include "diff.h"
#include "flame.h"
#include "flame_cli.h"
#include "flame_files.h"
#include "folded.h"
#include "out.h"
#include "scan.h"
#include "scan_cli.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum side_kind { SIDE_DIR, SIDE_ARCHIVE, SIDE_FOLDED };

struct side {
    const char *arg;
    enum side_kind kind;
    struct tree *t;
    const struct tree_node *root; /* the node compared: the PATH's for a scan */
    char *q;                      /* arg made printable (diag_quote) */
    bool follow;                  /* a symbolic link to a directory */
};

/* codes of long options without a short one: below FLAME_CLI_BASE */
enum {
    OPT_FAIL_OVER = 0x100,
    OPT_TOP,
    OPT_NO_MATCH_TOP,
    OPT_HELP,
};

/* the scan options are duflame's (scan_cli.h), with the same names */
static const struct option diff_options[] = {{"output", required_argument, NULL, 'o'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"fail-over", required_argument, NULL, OPT_FAIL_OVER},
                                             {"top", required_argument, NULL, OPT_TOP},
                                             {"no-match-top", no_argument, NULL, OPT_NO_MATCH_TOP},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             SCAN_CLI_OPTIONS ARC_CLI_OPTIONS};

struct diff_cmd {
    enum scan_cli_format format;
    const char *output; /* NULL: standard output */
    const char *fail_over;
    size_t top;
    bool match_top;
    unsigned metric;      /* TREE_W_DISK, TREE_W_APPARENT or TREE_W_COUNT */
    struct scan_cli scan; /* the scan options, shared with duflame PATH */
    struct flame_opts flame;
    struct arc_cli arc;
    bool sort_set, countname_set, nametype_set; /* given on the command line */
};

static const char usage_text[] =
    "usage: duflame diff [OPTIONS] BEFORE AFTER\n"
    "Compare two directories, two archives or two folded profiles: what grew and\n"
    "what shrank, path by path below the two roots.\n"
    "\n"
    "Diff options:\n"
    "  -o, --output=FILE        write to FILE; the format follows its extension\n"
    "                           (.svg, .folded, .txt)\n"
    "  -f, --format=FMT         svg, folded (STACK BEFORE AFTER) or text (default:\n"
    "                           text on a terminal, svg otherwise)\n"
    "      --fail-over=LIMIT    exit 3 when the total grew by more than LIMIT: a size\n"
    "                           (bytes, K, M, G, T; a count with --inodes and for\n"
    "                           profiles) or a percentage of BEFORE such as 5%\n"
    "      --top=N              entries listed as grown and as shrunk in text (10)\n"
    "      --no-match-top       do not match differently named top-level directories\n"
    "                           (app-1.0/ and app-1.1/ in two tarballs)\n"
    "      --help               this help\n"
    "Scan options (as duflame PATH):\n" SCAN_CLI_HELP ARC_CLI_HELP "\n"
    "Renderer options (as duflame render; --diff-width=max draws paths only in\n"
    "BEFORE):\n";

static void help(void)
{
    fputs(usage_text, stdout);
    fputs(flame_cli_help(), stdout);
}

/* ---- loading a side ---------------------------------------------------- */

/* The first bytes a side is sniffed on, and the lines looked at. */
#define SNIFF_BYTES (64 * 1024)
#define SNIFF_LINES 100

/*
 * Is the regular file at path a folded profile? The rule (man page, DIFF):
 * its first 64 KiB hold no NUL byte, and each of its first 100 non-blank
 * complete lines there ends in a count, as the folded reader reads it. An
 * empty file is an empty profile. Returns 1 yes, 0 no, -1 read error.
 */
static int sniff_folded(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char *buf = xmalloc(SNIFF_BYTES);
    size_t n = fread(buf, 1, SNIFF_BYTES, fp);
    bool eof = feof(fp), err = ferror(fp);
    fclose(fp);
    if (err) {
        free(buf);
        return -1;
    }
    int yes = memchr(buf, '\0', n) ? 0 : 1;
    struct folded_reader *r = yes ? folded_reader_new(NULL) : NULL;
    size_t lines = 0;
    for (size_t i = 0; yes && i < n && lines < SNIFF_LINES;) {
        char *nl = memchr(buf + i, '\n', n - i);
        if (!nl && !eof)
            break; /* a line cut off by the sample is not judged */
        size_t len = (nl ? (size_t)(nl - buf) : n) - i;
        enum folded_line k = folded_reader_line(r, buf + i, len);
        if (k == FOLDED_OK)
            lines++;
        else if (k != FOLDED_BLANK)
            yes = 0;
        i += len + 1;
    }
    if (r)
        folded_reader_free(r);
    free(buf);
    return yes;
}

static int load_folded(struct side *s)
{
    FILE *fp = fopen(s->arg, "rb");
    if (!fp) {
        diag_warn("cannot read '%s': %s", s->q, strerror(errno));
        return 2;
    }
    struct folded_reader *r = folded_reader_new(NULL);
    struct folded_stats st = {0};
    int rc = folded_reader_read(r, fp, &st);
    int e = errno;
    fclose(fp);
    if (rc) {
        folded_reader_free(r);
        diag_warn("cannot read '%s': %s", s->q, strerror(e));
        return 2;
    }
    if (st.differential) {
        folded_reader_free(r);
        diag_warn("'%s' holds differential stacks (STACK BEFORE AFTER): compare two plain "
                  "profiles",
                  s->q);
        return 2;
    }
    s->t = folded_reader_finish(r);
    s->root = s->t->root;
    if (st.invalid) {
        diag_warn("'%s': skipped %llu invalid line%s (the first is line %llu)", s->q,
                  (unsigned long long)st.invalid, st.invalid == 1 ? "" : "s",
                  (unsigned long long)st.first_invalid);
        return 1;
    }
    return 0;
}

/* A directory is walked as by duflame PATH; an archive (a regular file, or
 * "-" for standard input) is what is compared (ARC_INPUT): its totals are
 * the extracted bytes and the entry count, as `duflame ARCHIVE` draws it. */
static int load_scan(struct side *s, struct diff_cmd *c)
{
    scan_cli_start(&c->scan);
    struct scan_opts so = c->scan.so;
    arc_cli_setup(&c->arc, &so.walk);
    int status = 0;
    char *real = s->follow ? realpath(s->arg, NULL) : NULL;
    if (real) {
        /* a side that is a symbolic link to a directory is that directory
         * (as du -H), still named as given */
        s->t = tree_new("all", 3);
        for (unsigned i = 0; i < 3; i++)
            s->t->wnames[i] = scan_wnames[i];
        struct walk *w = walk_new(s->t, &so.walk);
        walk_add(w, s->t->root, real, s->arg);
        status = walk_run(w);
        walk_free(w);
        tree_finish(s->t);
        free(real);
    } else {
        const char *paths[1] = {s->arg};
        s->t = arc_cli_scan_load(paths, 1, &so, &status);
    }
    scan_cli_stop(&c->scan);
    s->root = s->t->root->child;
    if (!s->root) {
        /* the walker said why, or the PATH itself is excluded */
        if (status == 0)
            diag_warn("'%s' is excluded: nothing to compare", s->q);
        return 2;
    }
    if (s->kind == SIDE_ARCHIVE && !(s->root->flags & TREE_ARCHIVE)) {
        /* when arc could not read it, it said so already */
        if (status == 0)
            diag_warn("'%s' is not a directory, an archive or a folded profile", s->q);
        return 2;
    }
    return status;
}

static int load_side(struct side *s, struct diff_cmd *c)
{
    if (strcmp(s->arg, "-") == 0) {
        s->kind = SIDE_ARCHIVE;
        return load_scan(s, c);
    }
    struct stat st;
    if (stat(s->arg, &st) != 0) {
        diag_warn("cannot access '%s': %s", s->q, strerror(errno));
        return 2;
    }
    if (S_ISDIR(st.st_mode)) {
        s->kind = SIDE_DIR;
        struct stat lst;
        s->follow =
            !c->scan.so.walk.dereference && lstat(s->arg, &lst) == 0 && S_ISLNK(lst.st_mode);
        return load_scan(s, c);
    }
    if (!S_ISREG(st.st_mode)) {
        diag_warn("'%s' is not a directory, an archive or a folded profile", s->q);
        return 2;
    }
    int f = sniff_folded(s->arg);
    if (f < 0) {
        diag_warn("cannot read '%s': %s", s->q, strerror(errno));
        return 2;
    }
    s->kind = f ? SIDE_FOLDED : SIDE_ARCHIVE;
    return f ? load_folded(s) : load_scan(s, c);
}

/* ---- output ------------------------------------------------------------ */

/* Returns 0, 1 (drawn, with a warning) or 2. */
static int write_svg(FILE *fp, struct tree *j, const struct diff_info *info, struct diff_cmd *c,
                     const struct side *b, const struct side *a, enum diff_units units)
{
    struct flame_opts fo = c->flame;
    fo.diff = true;
    if (!fo.title)
        fo.title = "Differential Flame Graph";
    char subtitle[2048];
    if (!fo.subtitle) {
        const struct tree_node *base = info->base;
        char ch[DIFF_CHANGE_LEN];
        diff_change(base->w[TREE_W_BEFORE], base->w[TREE_W_AFTER], units, j->scale, ch);
        int len = snprintf(subtitle, sizeof subtitle, "%s -> %s: %s", b->q, a->q, ch);
        uint64_t gone_w;
        size_t gone = diff_count_gone(base, &gone_w);
        if (gone && fo.diff_width == FLAME_DIFF_AFTER && len > 0 && (size_t)len < sizeof subtitle) {
            char amount[80];
            snprintf(subtitle + len, sizeof subtitle - (size_t)len,
                     "; %zu path%s only in BEFORE (%s) not drawn: --diff-width=max draws them",
                     gone, gone == 1 ? "" : "s", diff_amount(gone_w, units, j->scale, amount));
        }
        fo.subtitle = subtitle;
    }
    if (b->kind != SIDE_FOLDED) {
        /* a disk scan's picture, as duflame PATH draws it */
        if (!c->sort_set)
            fo.sort = FLAME_SORT_SIZE;
        if (!c->nametype_set)
            fo.nametype = "Path:";
        if (!c->countname_set)
            fo.countname = c->metric == TREE_W_COUNT ? "entries" : "bytes";
        fo.units = c->metric == TREE_W_COUNT ? FLAME_UNITS_COUNT : FLAME_UNITS_BYTES;
        fo.marks = true;
        fo.folded_names = true;
    }
    char *err = NULL;
    int rc = flame_files_write(fp, j, &fo, &err);
    if (rc != 0)
        diag_warn("%s", err ? err : "cannot draw the flame graph");
    free(err);
    return rc < 0 ? 2 : rc;
}

static int write_output(struct diff_cmd *c, struct tree *j, const struct diff_info *info,
                        const struct side *b, const struct side *a, enum diff_units units)
{
    struct out o;
    if (out_open(&o, c->output) < 0) {
        char *q = diag_quote(c->output, strlen(c->output));
        diag_warn("cannot write '%s': %s", q, strerror(errno));
        free(q);
        return 2;
    }
    int status = 0, rc = 0;
    bool folded = b->kind == SIDE_FOLDED;
    if (c->format == SCAN_CLI_FMT_SVG) {
        status = write_svg(o.fp, j, info, c, b, a, units);
        if (status == 2) {
            out_abort(&o);
            return 2;
        }
    } else if (c->format == SCAN_CLI_FMT_FOLDED) {
        rc = folded_write(o.fp, j, 0, FOLDED_WRITE_DIFF);
    } else {
        struct diff_text_opts to = {
            .units = units,
            .countname = folded                      ? "samples"
                         : c->metric == TREE_W_COUNT ? "entries"
                                                     : "bytes",
            .before_label = b->q,
            .after_label = a->q,
            .sep = folded ? ';' : '/',
            .base = info->base,
            .top = c->top,
        };
        rc = diff_write_text(o.fp, j, &to);
    }
    return cmd_finish_output(&o, c->output, rc < 0, status);
}

/* ---- the command ------------------------------------------------------- */

static int parse_size_opt(const char *name, const char *arg, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || arg[0] == '+' || v > max) {
        diag_warn("invalid --%s '%s': expected a number from 0 to %lu", name, arg, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* Returns 0 to go on, -1 after --help, 2 for bad usage. */
static int parse_args(int argc, char **argv, struct diff_cmd *c)
{
    struct option *longopts = flame_cli_options_merge(diff_options, ARRAY_LEN(diff_options));
    int rc = 0;
    optind = 1;
    opterr = 0;
    int ch, idx = -1;
    while (rc == 0 &&
           (ch = getopt_long(argc, argv, ":o:f:" SCAN_CLI_SHORT, longopts, &idx)) != -1) {
        const char *name = idx >= 0 ? longopts[idx].name : "";
        idx = -1;
        if (flame_cli_is_option(ch)) {
            char *err = NULL;
            if (flame_cli_option(&c->flame, ch, optarg, &err) < 0) {
                diag_warn("%s", err ? err : "invalid option");
                rc = 2;
            }
            free(err);
            c->sort_set |= strcmp(name, "sort") == 0;
            c->countname_set |= strcmp(name, "countname") == 0;
            c->nametype_set |= strcmp(name, "nametype") == 0;
            continue;
        }
        if (scan_cli_is_option(ch) || arc_cli_is_option(ch)) {
            char *err = NULL;
            int r = scan_cli_is_option(ch) ? scan_cli_option(&c->scan, ch, optarg, &err)
                                           : arc_cli_option(&c->arc, ch, optarg, &err);
            if (r < 0) {
                diag_warn("%s", err ? err : "invalid option");
                rc = 2;
            }
            free(err);
            continue;
        }
        unsigned long v;
        struct diff_gate g;
        switch (ch) {
        case 'o':
            c->output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'f': {
            char *err = NULL;
            if (scan_cli_parse_format(optarg, &c->format, &err) < 0) {
                diag_warn("%s", err);
                rc = 2;
            }
            free(err);
            break;
        }
        case OPT_FAIL_OVER:
            /* checked now; parsed again once the sides' decimal scale is known */
            c->fail_over = optarg;
            if (diff_gate_parse(optarg, 0, &g)) {
                diag_warn("invalid --fail-over '%s': expected a size such as 10M or a "
                          "percentage such as 5%%",
                          optarg);
                rc = 2;
            }
            break;
        case OPT_TOP:
            if (parse_size_opt("top", optarg, 1000000, &v))
                rc = 2;
            else
                c->top = v;
            break;
        case OPT_NO_MATCH_TOP:
            c->match_top = false;
            break;
        case OPT_HELP:
            help();
            rc = -1;
            break;
        case ':':
            diag_warn("option '%s' needs a value", argv[optind - 1]);
            rc = 2;
            break;
        default:
            if (optopt && optopt < 0x100)
                diag_warn("unknown option '-%c'", optopt);
            else
                diag_warn("unknown option '%s'", argv[optind - 1]);
            rc = 2;
            break;
        }
    }
    free(longopts);
    if (rc == 0 && argc - optind != 2) {
        diag_warn("expected two operands, BEFORE and AFTER");
        rc = 2;
    }
    if (rc == 2)
        diag_warn("try 'duflame diff --help'");
    return rc;
}

static void cmd_release(struct diff_cmd *c)
{
    scan_cli_release(&c->scan);
}

static void side_release(struct side *s)
{
    tree_free(s->t);
    s->t = NULL;
    free(s->q);
}

int cmd_diff(int argc, char **argv)
{
    struct diff_cmd c = {0};
    c.top = 10;
    c.match_top = true;
    scan_cli_init(&c.scan);
    flame_opts_init(&c.flame);
    arc_cli_init(&c.arc);
    int rc = parse_args(argc, argv, &c);
    c.metric = c.scan.weight;
    if (rc) {
        cmd_release(&c);
        return rc < 0 ? 0 : rc;
    }
    c.format = scan_cli_output_format(c.format, c.output);

    struct side b = {argv[optind], SIDE_DIR, NULL, NULL, NULL, false};
    struct side a = {argv[optind + 1], SIDE_DIR, NULL, NULL, NULL, false};
    if (strcmp(b.arg, "-") == 0 && strcmp(a.arg, "-") == 0) {
        diag_warn("only one side can be standard input");
        cmd_release(&c);
        return 2;
    }
    b.q = diag_quote(b.arg, strlen(b.arg));
    a.q = diag_quote(a.arg, strlen(a.arg));
    int status = load_side(&b, &c);
    if (status < 2) {
        int s2 = load_side(&a, &c);
        status = s2 > status ? s2 : status;
    }
    if (status < 2 && (b.kind == SIDE_FOLDED) != (a.kind == SIDE_FOLDED)) {
        const struct side *f = b.kind == SIDE_FOLDED ? &b : &a, *d = f == &b ? &a : &b;
        diag_warn("cannot compare the folded profile '%s' with the %s '%s'", f->q,
                  d->kind == SIDE_DIR ? "directory" : "archive", d->q);
        status = 2;
    }
    struct tree *j = NULL;
    struct diff_info info = {0};
    struct diff_gate gate = {0};
    bool folded = b.kind == SIDE_FOLDED;
    enum diff_units units = folded || c.metric == TREE_W_COUNT ? DIFF_COUNT : DIFF_BYTES;
    if (status < 2) {
        /* scans get a scan's shape, "all" then the PATH (named as AFTER), so
         * the SVG and the folded lines look like a scan of AFTER */
        struct diff_opts o = {
            .wbefore = folded ? 0 : c.metric,
            .wafter = folded ? 0 : c.metric,
            .root_before = b.root,
            .root_after = a.root,
            .root_name = folded ? NULL : "all",
            .match_top = c.match_top && !folded,
        };
        const char *err = NULL;
        if (diff_join(b.t, a.t, &o, &j, &info, &err)) {
            diag_warn("%s", err);
            status = 2;
        } else if (c.fail_over && diff_gate_parse(c.fail_over, j->scale, &gate)) {
            diag_warn("invalid --fail-over '%s': too large for these counts", c.fail_over);
            status = 2;
        }
    }
    /* the sides are not needed any more: free them before drawing */
    tree_free(b.t);
    tree_free(a.t);
    b.t = a.t = NULL;
    if (status < 2) {
        int w = write_output(&c, j, &info, &b, &a, units);
        status = w > status ? w : status;
    }
    if (status < 2) {
        uint64_t tb = info.base->w[TREE_W_BEFORE], ta = info.base->w[TREE_W_AFTER];
        if (diff_gate_trips(&gate, tb, ta)) {
            char ch[DIFF_CHANGE_LEN];
            diff_change(tb, ta, units, j->scale, ch);
            diag_warn("the total grew by %s, more than --fail-over=%s", ch, c.fail_over);
            status = 3;
        }
    }
    tree_free(j);
    side_release(&b);
    side_release(&a);
    cmd_release(&c);
    return status;
}
