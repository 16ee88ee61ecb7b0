/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_scan: a du scan shared by the ranks of an MPI job (duflame-mpi).
 * Every rank runs the ordinary walker (walk.h) in held mode; rank 0 also
 * hands out work. A rank that runs out of work asks rank 0; rank 0 asks a
 * busy rank to give away directories it has not opened yet (the walker's
 * defer hook), and passes them on (walk_graft on the idle rank). When every
 * rank is idle and nothing is queued the walk is over. Then the names of
 * hard-linked files are settled across ranks (the owner of each (dev, ino),
 * by hash, picks the name the single-process walker would keep), and every
 * rank sends its part to rank 0, which merges the parts under the
 * directories they came from: the same tree a single process makes.
 * Archives (a PATH that is a regular file; with archives, every one met)
 * are read in place by the rank whose walker meets them, as duflame reads
 * them (source_arc_file), and travel to rank 0 as entries.
 *
 * Collective: every rank of comm calls mpi_scan_load() with the same PATHs
 * and options. MPI must have been initialised with at least
 * MPI_THREAD_FUNNELED: only the calling thread talks MPI. Library code:
 * messages (warnings of every rank) go to o->warn on rank 0, from any
 * thread; nothing is printed.
 */
#ifndef DUFLAME_MPI_SCAN_H
#define DUFLAME_MPI_SCAN_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "arc.h"
#include "tree.h"
#include "walk.h"

struct mpi_scan_opts {
    struct walk_opts walk;                    /* -x, excludes, -l, threads, keep_excluded; the
                                                 hooks are mpi_scan's */
    const char *root_name;                    /* NULL: "all" */
    void (*warn)(void *ctx, const char *msg); /* rank 0, thread-safe */
    void *warn_ctx;
    bool archives;       /* --archives: open the archives met in directories, each
                            on the rank that meets it (a PATH that is a regular
                            file is always offered, as an archive given as input) */
    struct arc_opts arc; /* archive limits (the hooks are mpi_scan's) */
    arc_info_fn info;    /* rank 0, with archives: each archive's extracted bytes,
                            on its node in rank 0's tree; thread-safe; may be NULL */
    void *info_ctx;
};

struct mpi_scan_stats {
    uint64_t entries;    /* nodes this rank's walker made */
    uint64_t units;      /* directories given to this rank by another */
    uint64_t donated;    /* directories this rank gave away */
    uint64_t archives;   /* archives this rank opened in directories (--archives) */
    uint64_t link_bytes; /* bytes sent to settle hard links */
    uint64_t tree_bytes; /* bytes of this rank's part sent to rank 0 */
    double walk_seconds; /* until the last rank was idle */
};

/* mpi_scan_load: on rank 0 the merged, FINISHED tree (the caller frees it),
 * NULL on the others. *status: 0, or 1 when something was unreadable or
 * missing on any rank (said through o->warn), the same on every rank; 2 on
 * malformed data between ranks (said). */
struct tree *mpi_scan_load(MPI_Comm comm, const char *const *paths, size_t n,
                           const struct mpi_scan_opts *o, int *status,
                           struct mpi_scan_stats *stats);

#endif
