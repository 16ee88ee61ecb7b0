/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ncdu_cli: the front ends' glue to ncdu_read.h and ncdu_write.h: is a
 * PATH an ncdu export, read one (a file or "-", plain, gzip or zstd) with
 * its messages printed through diag, and write a tree as one with the
 * header's timestamp from SOURCE_DATE_EPOCH.
 *
 * Front-end code: it prints (through diag) and reads the environment. Not
 * thread-safe (one caller thread).
 */
#ifndef DUFLAME_NCDU_CLI_H
#define DUFLAME_NCDU_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "arc_cli.h"
#include "tree.h"

/* ncdu_cli_is_export: is path (a regular file, or "-" for standard input,
 * which is looked at without being consumed when it is a pipe or a file)
 * an ncdu export, plain or compressed? False when it cannot be read (the
 * caller's own loading then says why). */
bool ncdu_cli_is_export(const char *path);

/* ncdu_cli_load: read the export at path ("-": standard input) into a
 * finished scan tree whose root is named root_name (NULL: "all"). Every
 * problem is said on stderr. *status: 0, 1 (something was wrong, what was
 * read is kept) or 2 (nothing usable: NULL is returned). */
struct tree *ncdu_cli_load(const char *path, const char *root_name, int *status);

struct ncdu_cli_notes;

/* ncdu_cli_notes_new: before a scan with --archives whose output is an
 * ncdu export: remember each archive's extracted bytes (thread-safe) for
 * ncdu_cli_write. It takes over arc's info hook (a flame graph's archive
 * notes are then not kept). Free after the writing. */
struct ncdu_cli_notes *ncdu_cli_notes_new(struct arc_cli *arc);
void ncdu_cli_notes_free(struct ncdu_cli_notes *ns);

/* ncdu_cli_write: write t (a finished scan tree) to f as an ncdu export;
 * the timestamp is SOURCE_DATE_EPOCH when that is set (a number), else the
 * time now; notes (may be NULL) give the extracted sizes of archives.
 * Returns 0, or -1 on a write error. */
int ncdu_cli_write(FILE *f, struct tree *t, struct ncdu_cli_notes *notes);

#endif
