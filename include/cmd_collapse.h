/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_collapse: what the front ends that read profiler text share (collapse,
 * record, render): feeding inputs to a struct collapse with the usual
 * messages, and saying afterwards what was skipped. They print through diag;
 * only front ends call them. Not thread-safe (getopt, stdio).
 */
#ifndef DUFLAME_CMD_COLLAPSE_H
#define DUFLAME_CMD_COLLAPSE_H

#include <stdbool.h>
#include <stdio.h>

#include "collapse.h"

/* cmd_collapse_inputs: feed files[0..n) ("-" or none: standard input) to c;
 * names[i] gets each input's name for messages (names needs max(n, 1)
 * slots). Returns 0, or 1 when an input could not be read (said). */
int cmd_collapse_inputs(struct collapse *c, int n, char *const *files, const char **names);

/* cmd_collapse_report: after collapse_finish, say what was skipped. Returns
 * 0; 1 when lines were skipped or the last record was cut off; 2 when there
 * was no record at all. quiet_event: the user chose the event, so samples of
 * others are not mentioned. */
int cmd_collapse_report(const struct collapse *c, enum collapse_kind k, const char *const *names,
                        bool quiet_event);

/* cmd_collapse_kind_name: "perf", "dtrace", "bpftrace" */
const char *cmd_collapse_kind_name(enum collapse_kind k);

struct folded_reader;
struct folded_stats;

/* cmd_profile_read: one input of render into r, by what it holds: `perf
 * script` text is collapsed (said on stderr; its distinct stacks count as
 * valid lines), a perf.data file is run through `perf script` (said; a
 * missing perf is said and sets *status to 1), anything else is read as
 * folded stacks, and an input with more than three invalid lines for each
 * valid one (or that looks like bpftrace's output) gets a message that names
 * the format expected and the collapse command to try. path is the
 * file's name, NULL for standard input; name is how messages call it.
 * Statistics are added to *st. Returns 0, or -1 on a read error (errno). */
int cmd_profile_read(struct folded_reader *r, FILE *in, const char *path, const char *name,
                     struct folded_stats *st, int *status);

/* cmd_have_program: whether name is an executable file in $PATH */
bool cmd_have_program(const char *name);

#endif
