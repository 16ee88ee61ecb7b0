/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd: the front ends of duflame's subcommands, each a short recipe:
 * options (cli.h), source(s) (source.h), maybe a join (diff.h), a sink
 * (sink.h). argv[0] is the subcommand's name. Each talks to the user
 * through cli and diag and returns the exit status: 0 success, 1 output
 * written but something was unreadable, skipped or truncated, 2 bad usage
 * or a fatal error, 3 (diff --fail-over) the gate tripped.
 */
#ifndef DUFLAME_CMD_H
#define DUFLAME_CMD_H

int cmd_render(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_scan(int argc, char **argv);

#endif
