/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * child: the helper programs duflame runs (perf record, perf script,
 * addr2line), started without a shell, and waited for.
 */
#ifndef DUFLAME_CHILD_H
#define DUFLAME_CHILD_H

#include <sys/types.h>

/* child_start: run argv (argv[0] looked up on PATH) with SIGINT at its
 * default action. When out is not NULL the child's standard output is a pipe
 * and *out its read end (the caller closes it). Returns 0, or an errno value
 * (nothing is left open then). */
int child_start(char *const argv[], pid_t *pid, int *out);

/* child_wait: wait for pid through EINTR; its wait status, or -1 */
int child_wait(pid_t pid);

/* child_status: a wait status as a shell gives it: the exit status, or 128
 * plus the signal that ended the child (-1 stays -1) */
int child_status(int wstatus);

#endif
