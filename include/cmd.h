/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd: the front ends of duflame's subcommands. Each parses its own options
 * (argv[0] is the subcommand's name), wires a source to a sink, talks to the
 * user through diag, and returns the exit status: 0 success, 1 output written
 * but something was unreadable, skipped or truncated, 2 bad usage or a fatal
 * error, 3 (diff --fail-over) the gate tripped.
 */
#ifndef DUFLAME_CMD_H
#define DUFLAME_CMD_H

#include <stdbool.h>

struct out;

/* cmd_finish_output: the end every front end shares: if the output failed
 * (failed, or a stream error on o), remove it; else commit it into place.
 * Says "cannot write 'NAME': reason" and returns 2 on failure, else status.
 * output is the -o name, NULL for standard output. */
int cmd_finish_output(struct out *o, const char *output, bool failed, int status);

int cmd_render(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_collapse(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif
