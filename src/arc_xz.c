/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_xz: threaded xz decoding for arc.c (see include/arc_xz.h) */
#include "arc_xz.h"

#include <errno.h>
#include <lzma.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Four 1 MiB buffers: the reader holds one, the feeder fills the next. */
#define NSLOTS 4
#define SLOT (1u << 20)
#define INBUF (1u << 20)
/* decoded bytes between two marks of the compressed bytes taken */
#define STEP (32u << 10)
#define NMARKS (SLOT / STEP)

struct arc_xz {
    int fd;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char *slot[NSLOTS];
    unsigned char *in; /* the feeder's INBUF bytes of the file */
    size_t len[NSLOTS];
    struct arc_xz_mark marks[NSLOTS][NMARKS]; /* of each slot, in order */
    unsigned nmarks[NSLOTS];
    unsigned head, count; /* filled slots: head .. head+count-1 */
    bool held;            /* the reader holds slot head */
    bool done, stop;
    const char *err;
    unsigned long long raw;
    lzma_stream strm;
};

static const char *lzma_msg(lzma_ret r)
{
    switch (r) {
    case LZMA_MEM_ERROR:
        return "xz: out of memory";
    case LZMA_MEMLIMIT_ERROR:
        return "xz: the stream needs more memory than allowed";
    case LZMA_FORMAT_ERROR:
        return "xz: not an xz stream";
    case LZMA_OPTIONS_ERROR:
        return "xz: unsupported options";
    case LZMA_DATA_ERROR:
        return "xz: corrupt data";
    case LZMA_BUF_ERROR:
        return "xz: truncated input";
    default:
        return "xz: decoding error";
    }
}

/* the feeder's own state between slots */
struct feed_state {
    lzma_action action;
    const char *err;
    unsigned long long raw;
};

/* free_slot: wait for a slot to fill; false when told to stop */
static bool free_slot(struct arc_xz *x, unsigned *slot)
{
    pthread_mutex_lock(&x->mu);
    while (!x->stop && x->count == NSLOTS)
        pthread_cond_wait(&x->cv, &x->mu);
    bool stop = x->stop;
    *slot = (x->head + x->count) % NSLOTS;
    pthread_mutex_unlock(&x->mu);
    return !stop;
}

/* fill_slot: decode into slot i until it is full, the stream ends or an
 * error (fs->err) */
static lzma_ret fill_slot(struct arc_xz *x, unsigned i, struct feed_state *fs)
{
    size_t filled = 0;
    x->nmarks[i] = 0;
    lzma_ret r = LZMA_OK;
    while (filled < SLOT) {
        if (x->strm.avail_in == 0 && fs->action == LZMA_RUN) {
            ssize_t n;
            do
                n = read(x->fd, x->in, INBUF);
            while (n < 0 && errno == EINTR);
            if (n < 0) {
                fs->err = "read error";
                break;
            }
            if (n == 0)
                fs->action = LZMA_FINISH;
            x->strm.next_in = x->in;
            x->strm.avail_in = (size_t)n;
            fs->raw += (unsigned long long)n;
        }
        /* STEP bytes at a time, each marked with the input taken so far */
        size_t chunk = SLOT - filled < STEP ? SLOT - filled : STEP;
        x->strm.next_out = x->slot[i] + filled;
        x->strm.avail_out = chunk;
        r = lzma_code(&x->strm, fs->action);
        size_t made = chunk - x->strm.avail_out;
        filled += made;
        if (made) {
            unsigned k = x->nmarks[i] < NMARKS ? x->nmarks[i]++ : NMARKS - 1;
            x->marks[i][k] = (struct arc_xz_mark){(uint32_t)filled, x->strm.total_in};
        }
        if (r != LZMA_OK)
            break;
    }
    x->strm.avail_out = SLOT - filled;
    if (!fs->err && r != LZMA_OK && r != LZMA_STREAM_END)
        fs->err = lzma_msg(r);
    return r;
}

static void *feeder(void *arg)
{
    struct arc_xz *x = arg;
    struct feed_state fs = {.action = LZMA_RUN};
    unsigned i;
    while (free_slot(x, &i)) {
        lzma_ret r = fill_slot(x, i, &fs);
        size_t got = SLOT - x->strm.avail_out;
        pthread_mutex_lock(&x->mu);
        x->raw = fs.raw;
        if (got) {
            x->len[i] = got;
            x->count++;
        }
        if (fs.err || r == LZMA_STREAM_END) {
            x->err = fs.err;
            x->done = true;
        }
        pthread_cond_broadcast(&x->cv);
        bool end = x->done;
        pthread_mutex_unlock(&x->mu);
        if (end)
            break;
    }
    return NULL;
}

/* buffers_new: the slots and the input buffer; false when memory is
 * short (the caller then decodes as usual) */
static bool buffers_new(struct arc_xz *x)
{
    bool ok = (x->in = malloc(INBUF)) != NULL;
    for (unsigned i = 0; i < NSLOTS; i++)
        ok = (x->slot[i] = malloc(SLOT)) != NULL && ok;
    return ok;
}

/* buffers_free: the buffers and x itself */
static void buffers_free(struct arc_xz *x)
{
    for (unsigned i = 0; i < NSLOTS; i++)
        free(x->slot[i]);
    free(x->in);
    free(x);
}

struct arc_xz *arc_xz_start(int fd, unsigned threads)
{
    if (threads < 2)
        return NULL;
    struct arc_xz *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->fd = fd;
    lzma_stream init = LZMA_STREAM_INIT;
    x->strm = init;
    lzma_mt mt = {0};
    mt.threads = threads;
    mt.flags = LZMA_CONCATENATED;
    /* above this, liblzma decodes on one thread; above the hard limit (as
     * libarchive's own xz reader) it stops with an error */
    mt.memlimit_threading = 256u << 20;
    mt.memlimit_stop = 1u << 30;
    if (lzma_stream_decoder_mt(&x->strm, &mt) != LZMA_OK) {
        free(x);
        return NULL;
    }
    if (!buffers_new(x)) {
        lzma_end(&x->strm);
        buffers_free(x);
        return NULL;
    }
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    if (pthread_create(&x->thread, NULL, feeder, x) != 0) {
        lzma_end(&x->strm);
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
        buffers_free(x);
        return NULL;
    }
    return x;
}

ssize_t arc_xz_read(struct arc_xz *x, const void **buf, const struct arc_xz_mark **marks,
                    unsigned *nmarks, const char **err)
{
    pthread_mutex_lock(&x->mu);
    if (x->held) {
        x->held = false;
        x->head = (x->head + 1) % NSLOTS;
        x->count--;
        pthread_cond_broadcast(&x->cv);
    }
    while (x->count == 0 && !x->done)
        pthread_cond_wait(&x->cv, &x->mu);
    ssize_t n;
    if (x->count > 0) {
        x->held = true;
        *buf = x->slot[x->head];
        *marks = x->marks[x->head];
        *nmarks = x->nmarks[x->head];
        n = (ssize_t)x->len[x->head];
    } else if (x->err) {
        *err = x->err;
        n = -1;
    } else {
        n = 0;
    }
    pthread_mutex_unlock(&x->mu);
    return n;
}

unsigned long long arc_xz_raw(struct arc_xz *x)
{
    pthread_mutex_lock(&x->mu);
    unsigned long long r = x->raw;
    pthread_mutex_unlock(&x->mu);
    return r;
}

void arc_xz_stop(struct arc_xz *x)
{
    if (!x)
        return;
    pthread_mutex_lock(&x->mu);
    x->stop = true;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->thread, NULL);
    lzma_end(&x->strm);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    buffers_free(x);
}
