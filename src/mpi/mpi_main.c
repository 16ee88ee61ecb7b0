/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame-mpi: `mpirun -n N duflame-mpi [OPTIONS] PATH...`: duflame's scan
 * with the walk shared by N MPI ranks (mpi_scan.h), rank 0 writing what
 * duflame writes, byte for byte. This file is the front end: MPI's start
 * and end, the options through duflame's scan command (cmd_scan_with), the
 * messages of every rank said by rank 0, and with DUFLAME_MPI_STATS set
 * one line per rank about its share (bench/mpi.sh reads them).
 */
#include "cli.h"
#include "cmd.h"
#include "diag.h"
#include "mpi_scan.h"
#include "util.h"

#include <fcntl.h>
#include <stdbool.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage[] =
    "usage: mpirun -n N duflame-mpi [OPTIONS] PATH...\n"
    "Scan each PATH with the walk shared by the N ranks of an MPI job and draw\n"
    "where the disk space goes, as duflame does: the same output, byte for byte,\n"
    "written by rank 0. Every rank must see the PATHs at the same paths. A PATH\n"
    "is a directory, a file or an archive; an ncdu export, a container image or\n"
    "- (standard input) is refused (exit status 2: give it to duflame).\n";

struct front {
    int rank;
    bool gated;               /* took part in the options' agreement */
    int saved_out, saved_err; /* ranks but 0: their output during the options */
};

static void on_warn(void *ctx, const char *msg)
{
    struct cli_input *in = ctx;
    diag_warn("%s", msg);
    __atomic_add_fetch(&in->warnings, 1, __ATOMIC_RELAXED);
}

static void say_stats(int rank, const struct mpi_scan_stats *st)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "duflame-mpi: stats rank=%d entries=%llu units=%llu donated=%llu archives=%llu "
            "link_bytes=%llu tree_bytes=%llu walk_seconds=%.3f max_rss_kib=%ld\n",
            rank, (unsigned long long)st->entries, (unsigned long long)st->units,
            (unsigned long long)st->donated, (unsigned long long)st->archives,
            (unsigned long long)st->link_bytes, (unsigned long long)st->tree_bytes,
            st->walk_seconds, ru.ru_maxrss);
}

/* gate: whether every rank goes on to the scan (each takes part once, in
 * the load or after the options failed), so that no rank waits alone */
static bool gate(struct front *fr, int go)
{
    int all = 0;
    fr->gated = true;
    MPI_Allreduce(&go, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all != 0;
}

static void on_info(void *ctx, const struct tree_node *node, uint64_t extracted, uint64_t disk,
                    uint64_t apparent)
{
    source_notes_add(ctx, node, extracted, disk, apparent);
}

/* kinds: what duflame would make of each PATH (rank 0). A directory, a
 * file or an archive is walked here as there; standard input (rank 0's
 * only), an ncdu export or a container image is refused, said once.
 * The first PATH's kind, or NULL when one is refused. */
static const struct source_kind *kinds(struct cli_input *in, const char *const *paths, size_t n)
{
    const struct source_kind *first = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct source_kind *k =
            strcmp(paths[i], "-") == 0 ? NULL : source_kind_of(paths[i], &in->so);
        if (k != &source_directory && k != &source_archive && k != &source_path) {
            char *q = diag_quote(paths[i], strlen(paths[i]));
            if (!k)
                diag_warn("'%s': duflame-mpi does not read standard input", q);
            else
                diag_warn("'%s' is %s: duflame-mpi walks directories, files and archives "
                          "(duflame reads it)",
                          q, k->noun);
            free(q);
            return NULL;
        }
        if (!first)
            first = k;
    }
    return first;
}

static int load(void *ctx, struct cli_input *in, const char *const *paths, size_t n,
                struct source_result *r)
{
    struct front *fr = ctx;
    if (fr->rank != 0) {
        /* the options were said by rank 0; what is said now is this rank's */
        dup2(fr->saved_out, 1);
        dup2(fr->saved_err, 2);
    }
    memset(r, 0, sizeof *r);
    const struct source_kind *kind = fr->rank == 0 ? kinds(in, paths, n) : &source_directory;
    if (!gate(fr, kind != NULL)) {
        if (fr->rank == 0 && kind)
            diag_warn("another rank could not read the options (a file of -X?)");
        r->status = 2;
        return fr->rank == 0 ? -1 : 0;
    }
    struct mpi_scan_opts o = {.walk = in->so.walk, .root_name = in->so.root_name};
    o.walk.excludes = (const char *const *)in->excludes;
    o.walk.nexcludes = in->nexcludes;
    o.warn = on_warn;
    o.warn_ctx = in;
    o.archives = in->so.archives;
    o.arc = in->so.arc;
    if (o.archives && fr->rank == 0) {
        /* the archives' extracted bytes, for the tooltips and ncdu's export */
        r->notes = source_notes_new();
        o.info = on_info;
        o.info_ctx = r->notes;
    }
    struct mpi_scan_stats st;
    int status = 0;
    r->t = mpi_scan_load(MPI_COMM_WORLD, paths, n, &o, &status, &st);
    if (getenv("DUFLAME_MPI_STATS"))
        say_stats(fr->rank, &st);
    r->status = status ? 1 : 0;
    if (status == 2) {
        if (fr->rank == 0)
            diag_warn("the ranks' parts could not be merged");
        source_result_release(r);
        r->status = 2;
        return fr->rank == 0 ? -1 : 0;
    }
    if (!r->t)
        return 0;
    r->kind = kind;
    return 1;
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "");
    int provided = 0;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        diag_warn("cannot start MPI");
        return 2;
    }
    struct front fr = {.saved_out = -1, .saved_err = -1};
    MPI_Comm_rank(MPI_COMM_WORLD, &fr.rank);
    if (provided < MPI_THREAD_FUNNELED) {
        if (fr.rank == 0)
            diag_warn("this MPI offers no threads (MPI_THREAD_FUNNELED)");
        MPI_Finalize();
        return 2;
    }
    if (fr.rank != 0) {
        /* every rank reads the options; rank 0 alone says what is wrong */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        fr.saved_out = dup(1);
        fr.saved_err = dup(2);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
            close(null);
        }
    }
    struct cmd_scan_loader ld = {"duflame-mpi", usage, load, &fr};
    int status = cmd_scan_with(argc, argv, &ld);
    if (!fr.gated)
        (void)gate(&fr, 0);
    fflush(stdout);
    if (fr.saved_out >= 0) {
        dup2(fr.saved_out, 1);
        dup2(fr.saved_err, 2);
    }
    /* the exit status is the job's: the writer's (rank 0) counts for all */
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return status;
}
