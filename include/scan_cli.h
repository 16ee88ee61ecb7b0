/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scan_cli: the scan options shared by `duflame [OPTIONS] PATH...` and
 * `duflame diff` (du's names: -x, --exclude, -X, -L, -D/-H, -l, -j, -q, -b,
 * --inodes), so both front ends accept the same options with the same
 * ranges, messages and help text.
 *
 * A front end puts SCAN_CLI_SHORT into its getopt short options,
 * SCAN_CLI_OPTIONS into its getopt_long table and SCAN_CLI_HELP into its
 * help, hands every code for which scan_cli_is_option() is true to
 * scan_cli_option(), and brackets each scan with scan_cli_start() /
 * scan_cli_stop() (progress line, warnings, excludes in c->so.walk).
 *
 * Codes: the letters above and [SCAN_CLI_BASE, SCAN_CLI_BASE + 16), below
 * ARC_CLI_BASE and FLAME_CLI_BASE; a front end's own codes must differ.
 * struct scan_cli is the caller's: init, use, release, on one thread; the
 * walk's warning hook it installs is thread-safe (diag and the progress line
 * are). The strings of c->so.walk.excludes belong to c until release.
 */
#ifndef DUFLAME_SCAN_CLI_H
#define DUFLAME_SCAN_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "scan.h"

#define SCAN_CLI_BASE 0x4200

enum {
    SCAN_CLI_EXCLUDE = SCAN_CLI_BASE,
    SCAN_CLI_INODES,
};

/* the short options, for getopt's optstring */
#define SCAN_CLI_SHORT "xX:LDHlj:qb"

#define SCAN_CLI_OPTIONS                                                                           \
    {"one-file-system", no_argument, NULL, 'x'},                                                   \
        {"exclude", required_argument, NULL, SCAN_CLI_EXCLUDE},                                    \
        {"exclude-from", required_argument, NULL, 'X'}, {"dereference", no_argument, NULL, 'L'},   \
        {"dereference-args", no_argument, NULL, 'D'}, {"count-links", no_argument, NULL, 'l'},     \
        {"threads", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},              \
        {"apparent-size", no_argument, NULL, 'b'}, {"inodes", no_argument, NULL, SCAN_CLI_INODES},

#define SCAN_CLI_HELP                                                                              \
    "  -x, --one-file-system    skip directories on other file systems\n"                          \
    "      --exclude=GLOB       skip entries whose path matches GLOB (as du; repeatable)\n"        \
    "  -X, --exclude-from=FILE  skip entries matching any glob in FILE (one a line;\n"             \
    "                           - is standard input)\n"                                            \
    "  -L, --dereference        follow symbolic links (loops are entered once)\n"                  \
    "  -D, -H, --dereference-args  follow only the PATHs that are symbolic links\n"                \
    "  -l, --count-links        count hard-linked files every time they are met\n"                 \
    "  -j, --threads=N          walk with N threads (default: 4 per core, at most 16)\n"           \
    "  -q, --quiet              no progress line\n"                                                \
    "  -b, --apparent-size      count apparent sizes (st_size) instead of disk usage\n"            \
    "      --inodes             count entries instead of disk usage\n"

struct progress;

struct scan_cli {
    struct scan_opts so; /* walk options as given; hooks set by scan_cli_start */
    unsigned weight;     /* TREE_W_DISK, TREE_W_APPARENT (-b) or TREE_W_COUNT (--inodes) */
    bool quiet;          /* -q */
    char **excludes;     /* --exclude and -X globs, owned */
    size_t nexcludes, capexcludes;
    struct progress *progress; /* between start and stop */
};

/* the output format of -f / -o, the same in both front ends */
enum scan_cli_format {
    SCAN_CLI_FMT_AUTO,
    SCAN_CLI_FMT_SVG,
    SCAN_CLI_FMT_FOLDED,
    SCAN_CLI_FMT_TEXT,
    SCAN_CLI_FMT_HTML
};

/* scan_cli_parse_format: -f's value, "svg", "html", "folded", "text" or "txt".
 * Returns 0, or -1 with *err set (heap string). */
int scan_cli_parse_format(const char *arg, enum scan_cli_format *f, char **err);

/* scan_cli_output_format: the format to write: f when given, else from the
 * extension of output (.svg, .html or .htm, .folded, .txt), else text when output is NULL
 * (standard output) and a terminal, else svg. */
enum scan_cli_format scan_cli_output_format(enum scan_cli_format f, const char *output);

void scan_cli_init(struct scan_cli *c);
void scan_cli_release(struct scan_cli *c);

/* scan_cli_is_option: whether getopt_long's return value is a scan option */
bool scan_cli_is_option(int code);

/* scan_cli_option: apply one option. Returns 0, or -1 with *err set (a heap
 * string the caller frees), e.g. "invalid --threads '0': expected a number
 * from 1 to 256" or "cannot read 'globs': No such file or directory". */
int scan_cli_option(struct scan_cli *c, int code, const char *arg, char **err);

/* scan_cli_read_excludes: add the globs of the file at path ("-": standard
 * input), one a line, as du -X; empty lines are ignored. Returns 0, or -1
 * with *err set (heap string). */
int scan_cli_read_excludes(struct scan_cli *c, const char *path, char **err);

/* scan_cli_start: before a scan: a progress line unless -q, and c->so.walk's
 * excludes, warning hook (prints through diag, clearing the progress line)
 * and tick hook. scan_cli_stop: after it, the progress line goes. */
void scan_cli_start(struct scan_cli *c);
void scan_cli_stop(struct scan_cli *c);

#endif
