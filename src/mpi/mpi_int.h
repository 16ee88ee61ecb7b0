/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_int: the state one rank keeps during mpi_scan_load(), shared by its
 * parts: mpi_scan.c (the walk and its work sharing), mpi_links.c (hard
 * links across ranks), mpi_merge.c (the parts reduced on rank 0, and the
 * notes of archives opened).
 *
 * Placeholders: a directory given to this rank is walked into a node under
 * the root named "\0" and the unit's index (9 bytes; no PATH can be named
 * so). Its path key (wire.h) is the unit's prefix.
 */
#ifndef DUFLAME_MPI_INT_H
#define DUFLAME_MPI_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "mpi_scan.h"
#include "wire.h"

#define PH_LEN 9

struct unit {
    struct tree_node *ph; /* its placeholder */
    uint64_t donor, seq;  /* who gave it away, and its number there */
    unsigned char *prefix;
    size_t plen;
};

/* an archive's note on a rank but 0 (arc_info_fn's numbers) */
struct ms_note {
    const struct tree_node *n;
    uint64_t v[3]; /* extracted, disk, apparent */
};

/* scratch for path keys */
struct keybuf {
    struct tree_node **v;
    size_t cap;
};

struct ms {
    MPI_Comm comm;
    int rank, size;
    const struct mpi_scan_opts *o;
    struct tree *t;
    struct walk *w;
    struct walk_opts wo;
    struct tree_arena *a; /* the MPI thread's */
    size_t npaths;

    pthread_mutex_t mu; /* guards what follows up to want */
    struct unit *units; /* directories given to this rank */
    size_t nunits, capunits;
    struct tree_node **donated; /* directories given away, by number */
    size_t ndonated, capdonated;
    struct wire_buf outbox; /* items given away, not sent yet */
    struct keybuf kb;       /* for keys made by the defer hook */
    struct wire_buf warns;  /* messages of a rank other than 0 */
    uint64_t nwarns;
    struct ms_note *notes; /* archives opened, on a rank other than 0 */
    size_t nnotes, capnotes;
    atomic_int want;   /* directories rank 0 asked for */
    atomic_int depth;  /* the deepest directory given away now (see deepen) */
    double want_since; /* the MPI thread's: when depth last changed */

    size_t ngifts; /* rank 0: directories given away by any rank */
    int status;
    struct mpi_scan_stats st;
};

/* ms_is_ph: is n a placeholder; its unit's index in *u */
bool ms_is_ph(const struct tree_node *n, size_t *u);

/* ms_key: n's path key into b (mu held, or no walker running) */
void ms_key(struct ms *m, struct keybuf *kb, struct wire_buf *b, struct tree_node *n);

/* ms_links: settle hard links across ranks (collective). 0, or -1. */
int ms_links(struct ms *m);

/* ms_merge: send the parts to rank 0 and merge them there (collective).
 * 0, or -1 on malformed data (said). */
int ms_merge(struct ms *m);

/* ms_say: a message: said now on rank 0, kept for rank 0 elsewhere */
void ms_say(struct ms *m, const char *msg);

/* ms_note: an archive's note (arc_info_fn): rank 0's go to o->info, the
 * others' are kept for the part. Thread-safe. */
void ms_note(void *ctx, const struct tree_node *n, uint64_t extracted, uint64_t disk,
             uint64_t apparent);

/* ms_wait: wait for a request without spinning a core */
void ms_wait(MPI_Request *req);

/* ms_recv: a message with tag waiting from rank from (or MPI_ANY_SOURCE),
 * into b, whose memory is reused when large enough; its sender, or -1 */
int ms_recv(struct ms *m, int from, int tag, struct wire_buf *b);

/* ms_nap: a pause that grows while nothing happens (*us: 20 to start) */
void ms_nap(unsigned *us);

#endif
