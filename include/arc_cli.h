/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_cli: the archive options of `duflame [OPTIONS] PATH...` and the glue
 * between the walker's file hook (walk.h) and arc.h, kept out of cmd_scan.c.
 *
 * cmd_scan puts ARC_CLI_OPTIONS into its getopt_long table and ARC_CLI_HELP
 * into its help, hands every code for which arc_cli_is_option() is true to
 * arc_cli_option(), calls arc_cli_setup() on its walk options and loads with
 * arc_cli_scan_load() (scan_load() plus `-`, an archive on standard input).
 *
 * What reaches arc: a PATH that is a regular file is always offered (an
 * archive given as input: ARC_INPUT, drawn as its contents); a regular file
 * met in a walked directory only with --archives (ARC_SCAN, totals stay
 * du's). A file with several names is opened under each; the walker's
 * hard-link rule (walk.c, link_resolve) keeps the contents with the one
 * name that carries the file's weights and drops the others'.
 *
 * Codes are in [ARC_CLI_BASE, ARC_CLI_BASE + 16), below FLAME_CLI_BASE.
 * struct arc_cli is the caller's; the hook only reads it, so it may be
 * called from every walker thread at once. Warnings are printed through
 * diag (this is front-end code).
 */
#ifndef DUFLAME_ARC_CLI_H
#define DUFLAME_ARC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "arc.h"
#include "flame.h"
#include "scan.h"
#include "walk.h"

#define ARC_CLI_BASE 0x4400

enum {
    ARC_CLI_ARCHIVES = ARC_CLI_BASE,
    ARC_CLI_DEPTH,
    ARC_CLI_ENTRIES,
    ARC_CLI_BYTES,
    ARC_CLI_MEMORY,
    ARC_CLI_SPOOL,
};

#define ARC_CLI_OPTIONS                                                                            \
    {"archives", no_argument, NULL, ARC_CLI_ARCHIVES},                                             \
        {"archive-depth", required_argument, NULL, ARC_CLI_DEPTH},                                 \
        {"archive-entries", required_argument, NULL, ARC_CLI_ENTRIES},                             \
        {"archive-bytes", required_argument, NULL, ARC_CLI_BYTES},                                 \
        {"archive-memory", required_argument, NULL, ARC_CLI_MEMORY},                               \
        {"archive-spool", required_argument, NULL, ARC_CLI_SPOOL},

#define ARC_CLI_HELP                                                                               \
    "\n"                                                                                           \
    "Archives (a PATH that is an archive is always drawn as its contents):\n"                      \
    "      --archives           also look inside archives found in directories\n"                  \
    "      --archive-depth=N    open nested archives up to N levels (default 8)\n"                 \
    "      --archive-entries=N  stop an archive after N entries (default 10000000)\n"              \
    "      --archive-bytes=SIZE stop an archive after SIZE extracted bytes\n"                      \
    "                           (default: the larger of 4G and 200 x its size)\n"                  \
    "      --archive-memory=SIZE  nested zip/7z/iso held in memory (default 64M)\n"                \
    "      --archive-spool=SIZE   ... and in temporary files (default 1G)\n"

struct arc_notes;

struct arc_cli {
    bool archives; /* --archives */
    struct arc_opts o;
    struct arc_notes *notes; /* private: see arc_cli_flame() */
};

void arc_cli_init(struct arc_cli *c);
/* arc_cli_release: frees what arc_cli_flame() made; the tree's notes go */
void arc_cli_release(struct arc_cli *c);

bool arc_cli_is_option(int code);

/* arc_cli_option: apply one option. Returns 0, or -1 with *err set (a heap
 * string the caller frees), e.g. "invalid --archive-depth 'x': expected a
 * number from 0 to 64". */
int arc_cli_option(struct arc_cli *c, int code, const char *arg, char **err);

/* arc_cli_setup: point w's archive hook at c (c must outlive the walk) */
void arc_cli_setup(struct arc_cli *c, struct walk_opts *w);

/* arc_cli_flame: with --archives, remember each archive's extracted bytes
 * during the scan (thread-safe) and give fo a note for the tooltips: on an
 * archive "extracted 12,345,678 bytes (11.8 MiB), 3.2x its disk usage", on
 * an entry inside one "about N bytes extracted" (its share of the archive's
 * width times that ratio). Call before the scan, after arc_cli_setup(). */
void arc_cli_flame(struct arc_cli *c, struct flame_opts *fo);

/* arc_cli_scan_load: scan_load(), except that a PATH "-" is standard input,
 * read as an archive (or counted as one file when it is not one). */
struct tree *arc_cli_scan_load(const char *const *paths, size_t n, const struct scan_opts *o,
                               int *status);

#endif
