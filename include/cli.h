/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli: the command line of every duflame command. One driver, cli_parse(),
 * runs getopt_long over option groups: the scan's options (du's names), the
 * archives', the picture's (the renderer's, as flamegraph.pl's), the output
 * (-o, -f) and the command's own. --help and --version are the driver's, in
 * every command. Every message about the command line is said here, in one
 * wording: "option '-o' needs a value", "unknown option '--x'", "invalid
 * --width '0': expected an integer from 21 to 1000000", then "try 'duflame
 * diff --help'".
 *
 * A group is a table of long options, its short letters, its lines of
 * --help and an apply function; a command's own group is one more of them.
 * Codes: the short letters, CLI_OWN_BASE.. for a command's own long
 * options, and the ranges the groups here use (above CLI_OWN_BASE + 0x100),
 * so they never collide.
 *
 * This is front-end code: it prints through diag. Not thread-safe, except
 * the load's warning and progress hooks (cli_load), which the walker calls
 * from its threads. The structs are the caller's: init, parse, use, release.
 */
#ifndef DUFLAME_CLI_H
#define DUFLAME_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flame.h"
#include "report.h"
#include "sink.h"
#include "source.h"

/* a command's own long options without a letter take codes from here */
#define CLI_OWN_BASE 0x100

/* apply's return value for an option that asks for the help (render -h) */
#define CLI_HELP 1

struct cli_group {
    const char *heading;        /* its heading in --help ("Scan options"), or NULL */
    const char *help;           /* its lines of --help */
    const char *shorts;         /* getopt letters, e.g. "o:f:" */
    const struct option *longs; /* its long options */
    size_t nlongs;
    /* apply: one option: 0; CLI_HELP; -1 with *err set (heap string) */
    int (*apply)(void *ctx, int code, const char *arg, char **err);
    void *ctx;
};

struct cli_command {
    const char *name;  /* "duflame", "duflame render", "duflame diff" */
    const char *usage; /* the opening lines of --help */
    size_t min_operands, max_operands;
    const char *operands_msg; /* said when the count is outside them */
};

/* cli_parse: parse argv[1..argc) over the groups, in order. Returns -1 to
 * go on (*first is the index of the first operand), 0 after --help or
 * --version was printed, 2 after bad usage was said. */
int cli_parse(const struct cli_command *cmd, const struct cli_group *groups, size_t ngroups,
              int argc, char **argv, int *first);

/* cli_invalid: "invalid --OPT 'ARG': expected WANT" (ARG made printable),
 * into *err; returns -1 */
int cli_invalid(char **err, const char *opt, const char *arg, const char *want);

/* cli_parse_uint: digits only (no sign, no blanks), from min to max;
 * 0, or -1 */
int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* ---- input: the scan and archive groups, and loading ------------------- */

struct progress;

struct cli_input {
    struct source_opts so; /* walker and archive options as given; load hooks by cli_load */
    unsigned weight;       /* TREE_W_DISK, TREE_W_APPARENT (-b), TREE_W_COUNT (--inodes) or
                              TREE_W_STORED (--metric=stored) */
    bool metric_set;       /* --metric was given: -b, --apparent-size and --inodes keep it */
    bool quiet;            /* -q */
    char **excludes;       /* --exclude and -X globs, owned */
    size_t nexcludes, capexcludes;
    struct progress *progress;  /* during cli_load */
    unsigned long warnings;     /* said during cli_load */
    struct report_units *units; /* when set (a scan), -b is du's: apparent sizes in bytes */
};

/* cli_metric_name: --metric's name of a weight slot ("disk", "apparent",
 * "entries", "stored") */
const char *cli_metric_name(unsigned weight);

void cli_input_init(struct cli_input *in);
void cli_input_release(struct cli_input *in);
struct cli_group cli_scan_group(struct cli_input *in);
struct cli_group cli_archive_group(struct cli_input *in);
/* cli_walk_group: the scan options without -L, -H (duflame-mpi) */
struct cli_group cli_walk_group(struct cli_input *in);
/* cli_walk_archive_group: the archive options without --layers (duflame-mpi) */
struct cli_group cli_walk_archive_group(struct cli_input *in);

/* cli_load: source_load() with a progress line (unless -q), the excludes,
 * and every warning said through diag. Returns source_load()'s value. */
int cli_load(struct cli_input *in, const char *const *paths, size_t n, struct source_result *r);

/* ---- the report group: the text report and du -s ------------------------ */

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli_report {
    struct report_opts ro; /* as given; the rest by cli_report_fit */
    enum cli_color color;  /* --color */
    bool top_set, ascii;   /* --top given, --ascii given */
};

void cli_report_init(struct cli_report *r);
struct cli_group cli_report_group(struct cli_report *r);

/* cli_report_fit: what the command line left to where the report goes,
 * standard output (output NULL: a terminal or not) or a file: colours (on a
 * terminal unless NO_COLOR is set, with --color=auto), Unicode bars (in a
 * UTF-8 locale, without --ascii), the width, and the rows (the terminal's
 * height; else 40 and 10 largest files) */
void cli_report_fit(struct cli_report *r, const char *output);

/* ---- the picture group ----------------------------------------------------- */

struct cli_picture {
    struct flame_opts fo;
    bool sort_set, countname_set, nametype_set; /* given on the command line */
    bool du; /* a disk scan's picture: its defaults in --help (cli_picture_du) */
};

void cli_picture_init(struct cli_picture *p);
struct cli_group cli_picture_group(struct cli_picture *p);

/* cli_picture_du: a disk scan's picture where the command line did not say
 * otherwise: largest first, paths, bytes (entries for TREE_W_COUNT), marks
 * and names as folded output writes them */
void cli_picture_du(struct cli_picture *p, unsigned weight);

/* ---- the output group: -o FILE, -f FORMAT ------------------------------- */

struct cli_output {
    const char *output;                     /* NULL: standard output */
    const struct sink_format *format;       /* -f; NULL: by sink_pick() */
    bool with_format;                       /* -f accepted */
    bool pictures;                          /* only svg and html (render, record) */
    const struct sink_format *picture_dflt; /* with pictures: the default format */
    size_t max_entries;                     /* --max-entries (0: the default) */
    char *help;                             /* owned */
};

void cli_output_init(struct cli_output *o, bool with_format);
void cli_output_release(struct cli_output *o);
/* cli_output_default: name dflt as the format on standard output in --help
 * (the default says "text on a terminal, svg otherwise") */
void cli_output_default(struct cli_output *o, const char *dflt);
/* cli_output_pictures: o writes pictures only: -f svg or html, -o FILE by its
 * extension (.html, .htm: the page), any other FILE and standard output dflt */
void cli_output_pictures(struct cli_output *o, const struct sink_format *dflt);
struct cli_group cli_output_group(struct cli_output *o);

/* cli_format: the format of o: sink_pick() with dflt for standard output;
 * NULL after saying that the extension of -o names none */
const struct sink_format *cli_format(const struct cli_output *o, const struct sink_format *dflt);

/* cli_write: sink_write() to o's output in fmt, its warning and error said.
 * Returns 0, 1 (written, incomplete) or 2. */
int cli_write(const struct cli_output *o, const struct sink_format *fmt,
              const struct sink_job *job);

#endif
