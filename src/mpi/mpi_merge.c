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
 * they come, each rank's in order, makes their nodes, then moves every
 * unit's entries under the directory they came from: a tree merge by
 * (rank, number), no names looked up.
 *
 * Marks: a directory given away as number s is marked 2s + 2, the archive
 * of note i 2i + 1.
 */
#include "mpi_int.h"
#include "util.h"

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
        mk.v[mk.n++] = (struct byptr){m->donated[i], 2 * (uint64_t)i + 2};
    for (size_t i = 0; i < m->nnotes; i++)
        mk.v[mk.n++] = (struct byptr){m->notes[i].n, 2 * (uint64_t)i + 1};
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

/* where one rank's part is read up to */
enum phase { P_NWARNS, P_WARN, P_NDONATED, P_NNOTES, P_NOTE, P_NUNITS, P_UNIT, P_BODY, P_DONE };

struct part {
    enum phase ph;
    uint64_t left; /* warnings, notes or units still to read */
    bool bad, last;
    struct tree_node **map; /* the directories it gave away, by number */
    size_t nmap;
    uint64_t (*notes)[3]; /* its archives' notes */
    size_t nnotes, capnotes;
    struct wire_dec dec; /* in P_BODY */
    struct graft cur;
};

struct merge {
    struct ms *m;
    struct part *parts; /* by rank; rank 0's map only */
    struct graft *g;
    size_t ng, capg;
    int from;
};

static void on_marked(void *ctx, uint64_t mark, struct tree_node *n)
{
    struct merge *mg = ctx;
    struct part *p = &mg->parts[mg->from];
    uint64_t i = (mark - 1) / 2;
    if (mark % 2 == 0) {
        if (i < p->nmap)
            p->map[i] = n;
        else
            p->bad = true;
    } else if (i >= p->nnotes || !(n->flags & TREE_ARCHIVE)) {
        p->bad = true;
    } else if (mg->m->o->info) {
        mg->m->o->info(mg->m->o->info_ctx, n, p->notes[i][0], p->notes[i][1], p->notes[i][2]);
    }
}

static void add_graft(struct merge *mg, struct graft g)
{
    if (mg->ng == mg->capg) {
        mg->capg = mg->capg ? mg->capg * 2 : 64;
        mg->g = xreallocarray(mg->g, mg->capg, sizeof *mg->g);
    }
    mg->g[mg->ng++] = g;
}

/* feed: one message of a rank's part, its records in order. 0 when it is
 * read (the part may go on in the next), -1 on malformed bytes (the rest
 * of the part is then ignored). */
static int feed(struct merge *mg, struct part *p, struct wire_rd *r)
{
    struct ms *m = mg->m;
    char name[PH_LEN] = {0};
    for (;;) {
        /* the steps that read nothing */
        if ((p->ph == P_WARN || p->ph == P_NOTE || p->ph == P_UNIT) && !p->left) {
            p->ph = p->ph == P_WARN ? P_NDONATED : p->ph == P_NOTE ? P_NUNITS : P_DONE;
            continue;
        }
        if (p->ph == P_BODY) {
            int k = wire_dec_more(&p->dec, r, false);
            if (k < 0 || p->bad)
                return -1;
            if (k == 0)
                return 0; /* the unit goes on in the next message */
            wire_dec_free(&p->dec);
            add_graft(mg, p->cur);
            p->ph = P_UNIT;
            continue;
        }
        if (r->p == r->end)
            return 0;
        switch (p->ph) {
        case P_NWARNS:
            p->left = wire_get_u64(r);
            p->ph = P_WARN;
            break;
        case P_WARN: {
            size_t n;
            const char *s = wire_get_bytes(r, &n);
            if (!s)
                return -1;
            char *msg = xmemdup(s, n);
            ms_say(m, msg);
            free(msg);
            p->left--;
            break;
        }
        case P_NDONATED:
            /* every gift went through rank 0's queue: no rank gave more */
            p->nmap = (size_t)wire_get_u64(r);
            if (r->bad || p->nmap > m->ngifts)
                return -1;
            p->map = xcalloc(p->nmap + 1, sizeof *p->map);
            p->ph = P_NNOTES;
            break;
        case P_NNOTES:
            p->left = wire_get_u64(r);
            p->ph = P_NOTE;
            break;
        case P_NOTE:
            if (p->nnotes == p->capnotes) {
                p->capnotes = p->capnotes ? p->capnotes * 2 : 16;
                p->notes = xreallocarray(p->notes, p->capnotes, sizeof *p->notes);
            }
            for (unsigned k = 0; k < 3; k++)
                p->notes[p->nnotes][k] = wire_get_u64(r);
            p->nnotes++;
            p->left--;
            break;
        case P_NUNITS:
            p->left = wire_get_u64(r);
            p->ph = P_UNIT;
            break;
        case P_UNIT: {
            uint64_t donor = wire_get_u64(r), seq = wire_get_u64(r), flags = wire_get_u64(r);
            if (r->bad)
                return -1;
            struct tree_node *h = tree_add(m->a, m->t->root, name, PH_LEN);
            h->flags = (uint16_t)(flags & 0xffff);
            p->cur = (struct graft){donor, seq, h};
            wire_dec_begin(&p->dec, r, m->t, m->a, h, on_marked, mg);
            p->ph = P_BODY;
            p->left--;
            break;
        }
        default: /* P_DONE: bytes after the end */
            return -1;
        }
        if (r->bad)
            return -1;
    }
}

/* recv_msg: the next message of any part, into b; its sender, or -1 when
 * none is waiting */
static int recv_msg(struct ms *m, struct wire_buf *b)
{
    int flag = 0;
    MPI_Status s;
    MPI_Iprobe(MPI_ANY_SOURCE, TAG_PART, m->comm, &flag, &s);
    if (!flag)
        return -1;
    int count = 0;
    MPI_Get_count(&s, MPI_BYTE, &count);
    if ((size_t)count + 1 > b->cap) {
        free(b->p);
        b->cap = (size_t)count + 1;
        b->p = xmalloc(b->cap);
    }
    b->len = (size_t)count;
    MPI_Recv(b->p, count, MPI_BYTE, s.MPI_SOURCE, TAG_PART, m->comm, MPI_STATUS_IGNORE);
    return s.MPI_SOURCE;
}

/* take_parts: every other rank's part, read as its messages come */
static int take_parts(struct merge *mg)
{
    struct ms *m = mg->m;
    int pending = m->size - 1, rc = 0;
    struct wire_buf b = {0};
    unsigned us = 20;
    while (pending > 0) {
        int from = recv_msg(m, &b);
        if (from < 0) {
            ms_nap(&us);
            continue;
        }
        us = 20;
        struct part *p = &mg->parts[from];
        if (from == 0 || p->last || b.len == 0) {
            rc = -1; /* not a message of a part in progress */
            continue;
        }
        p->last = b.p[0] != 0;
        struct wire_rd r = {b.p + 1, b.p + b.len, false};
        mg->from = from;
        if (!p->bad && feed(mg, p, &r) < 0)
            p->bad = true;
        if (p->last) {
            if (p->bad || p->ph != P_DONE)
                rc = -1;
            if (p->ph == P_BODY)
                wire_dec_free(&p->dec);
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
        struct part *p = g->donor < (uint64_t)m->size ? &mg->parts[g->donor] : NULL;
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
    mg.parts = xcalloc((size_t)m->size, sizeof *mg.parts);
    mg.parts[0].map = m->donated;
    mg.parts[0].nmap = m->ndonated;
    for (size_t i = 0; i < m->nunits; i++)
        add_graft(&mg, (struct graft){m->units[i].donor, m->units[i].seq, m->units[i].ph});
    int rc = take_parts(&mg);
    if (attach(&mg) < 0)
        rc = -1;
    for (int r = 1; r < m->size; r++) {
        free(mg.parts[r].map);
        free(mg.parts[r].notes);
    }
    free(mg.parts);
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
