/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diag: the one place that writes messages for the user on stderr, in the
 * form "duflame: cannot read 'x': Permission denied". Only main.c and the
 * cmd_* front ends call it; library modules return errors instead.
 * Thread-safe (each message is one write).
 */
#ifndef DUFLAME_DIAG_H
#define DUFLAME_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* diag_warn: "duflame: <message>\n" on stderr */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* diag_quote: a name made safe to print inside quotes: bytes that are not
 * printable UTF-8 become \xHH, a quote or backslash is escaped. Returns a
 * heap string the caller frees. */
char *diag_quote(const char *name, size_t len);

#endif
