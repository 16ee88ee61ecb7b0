/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image_jobs: jobs numbered 0..n-1 run on a few threads, in order of their
 * numbers, while the caller takes their results in the same order: it
 * waits for job i (running it itself when no thread has taken it yet), uses
 * what the job wrote, and releases it. Threads take a job only while it is
 * fewer than `window` jobs past the first one not released, so that the
 * results held at once stay bounded.
 *
 * The jobs' function gets the caller's ctx and the job's number; a job
 * writes only what is its own (the caller reads it after image_jobs_wait,
 * which orders those writes before the read). With 0 threads, or when none
 * can be started, every job runs in image_jobs_wait on the caller's thread.
 *
 * Ownership: the struct is the caller's, released by image_jobs_end (which
 * waits for the running jobs; jobs not started by then never run). Used by
 * one calling thread.
 */
#ifndef DUFLAME_IMAGE_JOBS_H
#define DUFLAME_IMAGE_JOBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef void (*image_job_fn)(void *ctx, size_t i);

struct image_jobs {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t *th;
    unsigned nth; /* threads started */
    size_t n, next, base, window;
    unsigned char *done; /* per job: 0 waiting, 1 running, 2 done */
    bool stop;
    image_job_fn fn;
    void *ctx;
};

/* image_jobs_start: n jobs of fn on up to threads threads; false when out of memory */
bool image_jobs_start(struct image_jobs *j, size_t n, unsigned threads, size_t window,
                      image_job_fn fn, void *ctx);
/* image_jobs_wait: job i has run (the jobs before it taken first) */
void image_jobs_wait(struct image_jobs *j, size_t i);
/* image_jobs_done: job i has run (without waiting) */
bool image_jobs_done(struct image_jobs *j, size_t i);
/* image_jobs_release: the caller is done with every job up to i */
void image_jobs_release(struct image_jobs *j, size_t i);
/* image_jobs_end: jobs not started are dropped, the threads joined */
void image_jobs_end(struct image_jobs *j);

#endif
