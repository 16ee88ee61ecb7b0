/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * coldstat: how to have more stat requests in flight on a cold cache. The
 * paths on stdin are stat'ed either by N threads calling fstatat() ("threads
 * N") or by one thread keeping N statx requests in an io_uring ("uring N");
 * the wall time is printed. bench/coldstat.sh drops the page cache before
 * each run. Built only where liburing's header is (Debian: liburing-dev).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char **paths;
static size_t npaths;
static atomic_size_t next_path;

static void read_paths(void)
{
    char *line = NULL;
    size_t cap = 0, have = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (npaths == have) {
            have = have ? 2 * have : 4096;
            paths = realloc(paths, have * sizeof *paths);
            if (!paths)
                exit(2);
        }
        paths[npaths++] = strdup(line);
    }
    free(line);
}

/* a thread: paths 16 at a time until none is left */
static void *stat_some(void *arg)
{
    (void)arg;
    struct stat st;
    for (;;) {
        size_t i = atomic_fetch_add(&next_path, 16);
        if (i >= npaths)
            return NULL;
        for (size_t k = i; k < i + 16 && k < npaths; k++)
            fstatat(AT_FDCWD, paths[k], &st, AT_SYMLINK_NOFOLLOW);
    }
}

static int by_threads(unsigned n)
{
    pthread_t *t = calloc(n, sizeof *t);
    for (unsigned i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, stat_some, NULL) != 0)
            return -1;
    for (unsigned i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    free(t);
    return 0;
}

/* one thread, depth requests in flight: each completion frees a slot */
static int by_uring(unsigned depth)
{
    struct io_uring ring;
    if (io_uring_queue_init(depth, &ring, 0) < 0)
        return -1;
    struct statx *sx = calloc(depth, sizeof *sx);
    unsigned *free_slot = calloc(depth, sizeof *free_slot), nfree = depth;
    for (unsigned i = 0; i < depth; i++)
        free_slot[i] = i;
    size_t sent = 0, done = 0;
    while (done < npaths) {
        while (sent < npaths && nfree) {
            unsigned s = free_slot[--nfree];
            struct io_uring_sqe *q = io_uring_get_sqe(&ring);
            io_uring_prep_statx(q, AT_FDCWD, paths[sent++], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
                                &sx[s]);
            io_uring_sqe_set_data64(q, s);
        }
        io_uring_submit(&ring);
        struct io_uring_cqe *c;
        if (io_uring_wait_cqe(&ring, &c) < 0)
            return -1;
        do {
            free_slot[nfree++] = (unsigned)io_uring_cqe_get_data64(c);
            io_uring_cqe_seen(&ring, c);
            done++;
        } while (io_uring_peek_cqe(&ring, &c) == 0);
    }
    io_uring_queue_exit(&ring);
    free(sx);
    free(free_slot);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "threads") && strcmp(argv[1], "uring")) ||
        atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: coldstat threads|uring N <paths\n");
        return 2;
    }
    read_paths();
    unsigned n = (unsigned)atoi(argv[2]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = argv[1][0] == 't' ? by_threads(n) : by_uring(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r < 0) {
        fprintf(stderr, "coldstat: %s %u failed\n", argv[1], n);
        return 1;
    }
    printf("%s %u %.3f\n", argv[1], n,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
