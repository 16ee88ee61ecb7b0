/* SPDX-License-Identifier: BSD-2-Clause */
/* image_jobs: numbered jobs on a few threads, results taken in order (see
 * include/image_jobs.h) */
#include "image_jobs.h"

#include <stdlib.h>
#include <string.h>

/* take: the next job, or n when none may start now (called with mu held) */
static size_t take(struct image_jobs *j)
{
    if (j->stop || j->next >= j->n || j->next - j->base >= j->window)
        return j->n;
    j->done[j->next] = 1;
    return j->next++;
}

/* run: job i, then marked done (called with mu held, released meanwhile) */
static void run(struct image_jobs *j, size_t i)
{
    pthread_mutex_unlock(&j->mu);
    j->fn(j->ctx, i);
    pthread_mutex_lock(&j->mu);
    j->done[i] = 2;
    pthread_cond_broadcast(&j->cv);
}

static void *worker(void *arg)
{
    struct image_jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        size_t i = take(j);
        if (i < j->n) {
            run(j, i);
            continue;
        }
        if (j->stop || j->next >= j->n)
            break;
        pthread_cond_wait(&j->cv, &j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

bool image_jobs_start(struct image_jobs *j, size_t n, unsigned threads, size_t window,
                      image_job_fn fn, void *ctx)
{
    memset(j, 0, sizeof *j);
    j->n = n;
    j->window = window ? window : 1;
    j->fn = fn;
    j->ctx = ctx;
    j->done = calloc(n ? n : 1, 1);
    if (!j->done)
        return false;
    if (pthread_mutex_init(&j->mu, NULL) != 0) {
        free(j->done);
        return false;
    }
    if (pthread_cond_init(&j->cv, NULL) != 0) {
        pthread_mutex_destroy(&j->mu);
        free(j->done);
        return false;
    }
    if (threads > n)
        threads = (unsigned)n;
    j->th = threads ? calloc(threads, sizeof *j->th) : NULL;
    if (!j->th)
        return true;
    pthread_mutex_lock(&j->mu);
    for (unsigned k = 0; k < threads; k++)
        if (pthread_create(&j->th[j->nth], NULL, worker, j) == 0)
            j->nth++;
    pthread_mutex_unlock(&j->mu);
    return true;
}

void image_jobs_wait(struct image_jobs *j, size_t i)
{
    if (i >= j->n)
        return;
    pthread_mutex_lock(&j->mu);
    while (j->done[i] != 2) {
        if (j->done[i] == 0 && j->next <= i) {
            /* in order: the jobs before it first, here */
            size_t k = j->next++;
            j->done[k] = 1;
            run(j, k);
        } else {
            pthread_cond_wait(&j->cv, &j->mu);
        }
    }
    pthread_mutex_unlock(&j->mu);
}

bool image_jobs_done(struct image_jobs *j, size_t i)
{
    if (i >= j->n)
        return true;
    pthread_mutex_lock(&j->mu);
    bool done = j->done[i] == 2;
    pthread_mutex_unlock(&j->mu);
    return done;
}

void image_jobs_release(struct image_jobs *j, size_t i)
{
    pthread_mutex_lock(&j->mu);
    if (i + 1 > j->base)
        j->base = i + 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

void image_jobs_end(struct image_jobs *j)
{
    pthread_mutex_lock(&j->mu);
    j->stop = true;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    for (unsigned k = 0; k < j->nth; k++)
        pthread_join(j->th[k], NULL);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j->th);
    free(j->done);
    memset(j, 0, sizeof *j);
}
