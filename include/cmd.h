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

#include <stddef.h>

int cmd_render(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_scan(int argc, char **argv);

/* A scan whose load is done elsewhere (duflame-mpi): its own name and
 * usage, the scan options without dereferencing, the archive options
 * without --layers, the same output. load() fills r as cli_load() would and returns 1 when this
 * process writes the output, 0 when another does (r->status then holds the
 * exit status), -1 when nothing could be loaded. */
struct cli_input;
struct source_result;
struct cmd_scan_loader {
    const char *name;
    const char *usage;
    int (*load)(void *ctx, struct cli_input *in, const char *const *paths, size_t n,
                struct source_result *r);
    void *ctx;
};
int cmd_scan_with(int argc, char **argv, const struct cmd_scan_loader *ld);
int cmd_collapse(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif
