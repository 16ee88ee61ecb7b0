/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * progress: one status line on standard error while a scan runs ("1,234,567
 * entries  12.3 GiB  250,000/s  /usr/share/doc"), drawn only when stderr is
 * a terminal, first after about half a second, then a few times a second,
 * updated in place and cleared at the end. A front-end helper (like diag):
 * it writes to stderr itself.
 *
 * Thread-safe: progress_tick() is a walk_tick_fn called from worker threads;
 * a tick that finds another thread drawing is dropped rather than waited for.
 * progress_clear() before any other message on stderr keeps the line from
 * mixing with it. The struct is the caller's (progress_new/progress_free).
 */
#ifndef DUFLAME_PROGRESS_H
#define DUFLAME_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress;

/* progress_new: enabled only if want is true and fd 2 is a terminal */
struct progress *progress_new(bool want);
/* progress_tick: walk_tick_fn; ctx is the struct progress */
void progress_tick(void *ctx, uint64_t entries, uint64_t bytes, const char *dir);
/* progress_clear: erase the line if one is shown (the next tick redraws) */
void progress_clear(struct progress *p);
/* progress_free: clear the line for good and free p (NULL is fine) */
void progress_free(struct progress *p);

#endif
