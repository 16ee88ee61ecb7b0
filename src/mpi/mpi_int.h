/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_int: the state one rank keeps during mpi_scan_load(), shared by its
 * parts: mpi_scan.c (the walk and its work sharing), mpi_links.c (hard
 * links across ranks), mpi_merge.c (the parts reduced on rank 0).
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
    atomic_int want;   /* directories rank 0 asked for */
    atomic_int depth;  /* the deepest directory given away now (see deepen) */
    double want_since; /* the MPI thread's: when depth last changed */

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

/* ms_wait: wait for a request without spinning a core */
void ms_wait(MPI_Request *req);

#endif
