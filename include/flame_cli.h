/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flame_cli: the renderer's command-line options, shared by every command
 * that draws a flame graph (render, diff, the scan), so the same names mean
 * the same thing everywhere. A front end appends its own options to
 * flame_cli_options (which ends in a zero entry), calls getopt_long, and
 * hands every code for which flame_cli_is_option() is true to
 * flame_cli_option(). Codes are >= FLAME_CLI_BASE, so a front end's own codes
 * must stay below it (characters, or small enums).
 *
 * Immutable tables and pure functions: thread-safe.
 */
#ifndef DUFLAME_FLAME_CLI_H
#define DUFLAME_FLAME_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "flame.h"

#define FLAME_CLI_BASE 0x4600

/* the options, ending in {0, 0, 0, 0}; flame_cli_noptions excludes it */
extern const struct option flame_cli_options[];
extern const size_t flame_cli_noptions;

/* flame_cli_is_option: whether getopt_long's return value is one of ours */
bool flame_cli_is_option(int code);

/* flame_cli_option: apply one option. Returns 0, or -1 with *err set to a
 * message (heap string, caller frees) such as
 * "invalid --width '0': expected a positive integer". */
int flame_cli_option(struct flame_opts *o, int code, const char *arg, char **err);

/* flame_cli_help: the options' help text, one "  --name ARG   meaning" per
 * line, for a command's --help */
const char *flame_cli_help(void);

/* flame_cli_options_merge: a new table of flame_cli_options followed by
 * extra[0..nextra) and the zero entry; the caller frees it */
struct option *flame_cli_options_merge(const struct option *extra, size_t nextra);

#endif
