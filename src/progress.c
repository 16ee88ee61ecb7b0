/* SPDX-License-Identifier: BSD-2-Clause */
#include "progress.h"
#include "names.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define FIRST_NS 500000000LL /* show nothing for scans shorter than this */
#define EVERY_NS 200000000LL

struct progress {
    bool on;
    bool shown;
    pthread_mutex_t lock;
    long long start, last;
};

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct progress *progress_new(bool want)
{
    struct progress *p = xcalloc(1, sizeof *p);
    p->on = want && isatty(2);
    pthread_mutex_init(&p->lock, NULL);
    p->start = p->last = now_ns();
    return p;
}

static unsigned term_width(void)
{
    struct winsize ws;
    if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* Names are shown escaped (no control bytes can reach the terminal) and cut
 * from the left, so the deepest part of the path stays visible. */
void progress_tick(void *ctx, uint64_t entries, uint64_t bytes, const char *dir)
{
    struct progress *p = ctx;
    if (!p->on || pthread_mutex_trylock(&p->lock) != 0)
        return;
    long long t = now_ns();
    if (t - p->start >= FIRST_NS && t - p->last >= EVERY_NS) {
        p->last = t;
        char e[32], h[32], r[32];
        double secs = (double)(t - p->start) / 1e9;
        util_commas(entries, e);
        util_human(bytes, h);
        util_commas((uint64_t)((double)entries / secs), r);
        char head[128];
        int hl = snprintf(head, sizeof head, "%s entries  %s  %s/s  ", e, h, r);
        struct name_buf nb = {0};
        name_display_add(&nb, dir, strlen(dir));
        size_t room = term_width() - 1;
        const char *shown = nb.s ? nb.s : "";
        size_t len = nb.len;
        if (hl < 0 || (size_t)hl + 8 >= room) {
            len = 0;
        } else if (len > room - (size_t)hl) {
            size_t cut = len - (room - (size_t)hl) + 3;
            /* do not start inside a UTF-8 sequence */
            while (cut < len && ((unsigned char)shown[cut] & 0xc0) == 0x80)
                cut++;
            fprintf(stderr, "\r\033[K%s...%s", head, shown + cut);
            len = (size_t)-1;
        }
        if (len != (size_t)-1)
            fprintf(stderr, "\r\033[K%s%.*s", head, (int)len, shown);
        fflush(stderr);
        p->shown = true;
        name_buf_release(&nb);
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_clear(struct progress *p)
{
    if (!p || !p->on)
        return;
    pthread_mutex_lock(&p->lock);
    if (p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->shown = false;
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_free(struct progress *p)
{
    if (!p)
        return;
    progress_clear(p);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
