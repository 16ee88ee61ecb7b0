/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_merge: the reduction. Each rank but 0 sends its part: its warnings,
 * how many directories it gave away, the notes of the archives it opened
 * (--archives: extracted bytes, for the tooltips and ncdu's "extracted"),
 * and per directory it walked for another rank (a unit) who gave it and
 * that directory's entries (wire.h), the directories it gave away and the
 * archives it noted marked. The part is streamed: cut between records into
 * messages of about CHUNK bytes, so that neither side holds more than one
 * of them besides its tree. Rank 0 reads the messages of every rank as
 * they come, each rank's in order (wire_part.h: the records and the marks),
 * makes their nodes, then moves every unit's entries under the directory
 * they came from: a tree merge by (rank, number), no names looked up.
 */
#include "mpi_int.h"
#include "util.h"
#include "wire_part.h"

#include <stdlib.h>
#include <string.h>

#define TAG_PART 12
/* a message holds about this much (one record more at most) */
#define CHUNK ((size_t)1 << 20)

/* ---- the notes of a rank's archives ---- */

void ms_note(void *ctx, const struct tree_node *n, uint64_t extracted, uint64_t disk,
             uint64_t apparent)
{
    struct ms *m = ctx;
    __atomic_add_fetch(&m->st.archives, 1, __ATOMIC_RELAXED);
    if (m->rank == 0) {
        if (m->o->info)
            m->o->info(m->o->info_ctx, n, extracted, disk, apparent);
        return;
    }
    pthread_mutex_lock(&m->mu);
    if (m->nnotes == m->capnotes) {
        m->capnotes = m->capnotes ? m->capnotes * 2 : 16;
        m->notes = xreallocarray(m->notes, m->capnotes, sizeof *m->notes);
    }
    m->notes[m->nnotes++] = (struct ms_note){n, {extracted, disk, apparent}};
    pthread_mutex_unlock(&m->mu);
}

/* ---- ranks but 0: the part ---- */

struct byptr {
    const struct tree_node *n;
    uint64_t mark;
};

static int cmp_byptr(const void *x, const void *y)
{
    const struct byptr *a = x, *b = y;
    return (a->n > b->n) - (a->n < b->n);
}

struct marks {
    struct byptr *v;
    size_t n;
};

/* a node's mark, 0 for none: a directory given away or an archive noted
 * (only those that kept their flag: a further name of a hard link lost
 * its contents, and the sinks look notes up on archives only) */
static uint64_t mark_of(void *ctx, const struct tree_node *n)
{
    struct marks *mk = ctx;
    if (!(n->flags & (TREE_DIR | TREE_ARCHIVE)) || !mk->n)
        return 0;
    struct byptr key = {n, 0};
    struct byptr *f = bsearch(&key, mk->v, mk->n, sizeof *mk->v, cmp_byptr);
    return f ? f->mark : 0;
}

static struct marks make_marks(struct ms *m)
{
    struct marks mk = {xcalloc(m->ndonated + m->nnotes + 1, sizeof *mk.v), 0};
    for (size_t i = 0; i < m->ndonated; i++)
        mk.v[mk.n++] = (struct byptr){m->donated[i], WIRE_MARK_GIFT(i)};
    for (size_t i = 0; i < m->nnotes; i++)
        mk.v[mk.n++] = (struct byptr){m->notes[i].n, WIRE_MARK_NOTE(i)};
    if (mk.n)
        qsort(mk.v, mk.n, sizeof *mk.v, cmp_byptr);
    return mk;
}

/* flush: the bytes gathered so far as one message (each starts with a
 * byte: 1 on the part's last); with !last, only once CHUNK are there */
static void flush(struct ms *m, struct wire_buf *b, bool last)
{
    if (!last && b->len < CHUNK)
        return;
    b->p[0] = last;
    MPI_Request req;
    MPI_Isend(b->p, (int)b->len, MPI_BYTE, 0, TAG_PART, m->comm, &req);
    ms_wait(&req);
    m->st.tree_bytes += b->len - 1;
    b->len = 1;
}

static void send_part(struct ms *m)
{
    struct marks mk = make_marks(m);
    struct wire_buf b = {0};
    wire_put_raw(&b, "", 1);
    wire_put_u64(&b, m->nwarns);
    struct wire_rd wr = {m->warns.p, m->warns.p + m->warns.len, false};
    for (uint64_t i = 0; i < m->nwarns; i++) {
        size_t n;
        const void *s = wire_get_bytes(&wr, &n);
        wire_put_bytes(&b, s, n);
        flush(m, &b, false);
    }
    free(m->warns.p);
    m->warns = (struct wire_buf){0};
    wire_put_u64(&b, m->ndonated);
    wire_put_u64(&b, m->nnotes);
    for (size_t i = 0; i < m->nnotes; i++) {
        for (unsigned k = 0; k < 3; k++)
            wire_put_u64(&b, m->notes[i].v[k]);
        flush(m, &b, false);
    }
    wire_put_u64(&b, m->nunits);
    for (size_t i = 0; i < m->nunits; i++) {
        struct unit *u = &m->units[i];
        wire_put_u64(&b, u->donor);
        wire_put_u64(&b, u->seq);
        wire_put_u64(&b, u->ph->flags);
        struct wire_enc e;
        wire_enc_begin(&e, &b, m->t, u->ph, mark_of, &mk);
        while (!wire_enc_more(&e, &b, CHUNK))
            flush(m, &b, false);
    }
    flush(m, &b, true);
    free(b.p);
    free(mk.v);
}

/* ---- rank 0 ---- */

struct graft {
    uint64_t donor, seq;
    struct tree_node *holder;
};

struct merge {
    struct ms *m;
    struct wire_part *parts; /* by rank (rank 0's: its map only) */
    bool *last;              /* by rank: its last message came */
    struct graft *g;
    size_t ng, capg;
};

static void add_graft(struct merge *mg, struct graft g)
{
    if (mg->ng == mg->capg) {
        mg->capg = mg->capg ? mg->capg * 2 : 64;
        mg->g = xreallocarray(mg->g, mg->capg, sizeof *mg->g);
    }
    mg->g[mg->ng++] = g;
}

static struct tree_node *on_holder(void *ctx)
{
    struct merge *mg = ctx;
    char name[PH_LEN] = {0};
    return tree_add(mg->m->a, mg->m->t->root, name, PH_LEN);
}

static void on_say(void *ctx, const char *msg, size_t len)
{
    struct merge *mg = ctx;
    char *s = xmemdup(msg, len);
    ms_say(mg->m, s);
    free(s);
}

static void on_note(void *ctx, struct tree_node *n, const uint64_t v[3])
{
    struct merge *mg = ctx;
    if (mg->m->o->info)
        mg->m->o->info(mg->m->o->info_ctx, n, v[0], v[1], v[2]);
}

static void on_unit(void *ctx, uint64_t donor, uint64_t seq, struct tree_node *holder)
{
    add_graft(ctx, (struct graft){donor, seq, holder});
}

/* take_parts: every other rank's part, read as its messages come */
static int take_parts(struct merge *mg)
{
    struct ms *m = mg->m;
    int pending = m->size - 1, rc = 0;
    struct wire_buf b = {0};
    unsigned us = 20;
    while (pending > 0) {
        int from = ms_recv(m, MPI_ANY_SOURCE, TAG_PART, &b);
        if (from < 0) {
            ms_nap(&us);
            continue;
        }
        us = 20;
        if (from == 0 || mg->last[from] || b.len == 0) {
            rc = -1; /* not a message of a part in progress */
            continue;
        }
        struct wire_part *p = &mg->parts[from];
        mg->last[from] = b.p[0] != 0;
        struct wire_rd r = {b.p + 1, b.p + b.len, false};
        (void)wire_part_feed(p, &r);
        if (mg->last[from]) {
            if (!wire_part_done(p))
                rc = -1;
            pending--;
        }
    }
    free(b.p);
    return rc;
}

/* attach: every unit's entries under the directory they came from; the
 * placeholders leave the root */
static int attach(struct merge *mg)
{
    struct ms *m = mg->m;
    int rc = 0;
    for (size_t i = 0; i < mg->ng; i++) {
        struct graft *g = &mg->g[i];
        struct wire_part *p = g->donor < (uint64_t)m->size ? &mg->parts[g->donor] : NULL;
        struct tree_node *to = p && g->seq < p->nmap ? p->map[g->seq] : NULL;
        if (!to) {
            rc = -1;
            continue;
        }
        struct tree_node *c = tree_first_child(g->holder), *last = NULL;
        for (; c; c = tree_next_sibling(c)) {
            tree_set_parent(c, to);
            last = c;
        }
        if (last) {
            tree_set_next_sibling(last, tree_first_child(to));
            tree_set_first_child(to, tree_first_child(g->holder));
        }
        tree_set_first_child(g->holder, NULL);
        to->flags |= g->holder->flags & TREE_UNREADABLE;
    }
    size_t u;
    struct tree_node *prev = NULL;
    for (struct tree_node *c = tree_first_child(m->t->root), *cn; c; c = cn) {
        cn = tree_next_sibling(c);
        if (!ms_is_ph(c, &u))
            prev = c;
        else if (prev)
            tree_set_next_sibling(prev, cn);
        else
            tree_set_first_child(m->t->root, cn);
    }
    return rc;
}

static int merge_all(struct ms *m)
{
    struct merge mg = {.m = m};
    struct wire_part_hooks h = {.t = m->t,
                                .a = m->a,
                                .holder = on_holder,
                                .say = on_say,
                                .note = on_note,
                                .unit = on_unit,
                                .ctx = &mg,
                                .max_gifts = m->ngifts};
    mg.parts = xcalloc((size_t)m->size, sizeof *mg.parts);
    mg.last = xcalloc((size_t)m->size, sizeof *mg.last);
    for (int r = 1; r < m->size; r++)
        wire_part_init(&mg.parts[r], &h);
    mg.parts[0].map = m->donated;
    mg.parts[0].nmap = m->ndonated;
    for (size_t i = 0; i < m->nunits; i++)
        add_graft(&mg, (struct graft){m->units[i].donor, m->units[i].seq, m->units[i].ph});
    int rc = take_parts(&mg);
    if (attach(&mg) < 0)
        rc = -1;
    for (int r = 1; r < m->size; r++)
        wire_part_free(&mg.parts[r]);
    free(mg.parts);
    free(mg.last);
    free(mg.g);
    return rc;
}

int ms_merge(struct ms *m)
{
    if (m->rank == 0)
        return merge_all(m);
    send_part(m);
    return 0;
}
