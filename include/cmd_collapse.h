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

#endif
