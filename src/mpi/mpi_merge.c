/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_merge: the reduction. Each rank but 0 sends its part: its warnings,
 * how many directories it gave away, and per directory it walked for
 * another rank (a unit) who gave it and that directory's entries
 * (wire.h), the directories it gave away marked with their numbers. Rank
 * 0 receives the parts one rank at a time (one part in memory besides the
 * tree), makes their nodes, then moves every unit's entries under the
 * directory they came from: a tree merge by (rank, number), no names
 * looked up.
 */
#include "mpi_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define TAG_PART 12
/* one message at most (MPI counts in int) */
#define CHUNK ((size_t)1 << 30)

struct byptr {
    const struct tree_node *n;
    uint64_t seq;
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

/* a node's mark: its number + 1 when this rank gave it away */
static uint64_t mark_of(void *ctx, const struct tree_node *n)
{
    struct marks *mk = ctx;
    if (!(n->flags & TREE_DIR) || !mk->n)
        return 0;
    struct byptr key = {n, 0};
    struct byptr *f = bsearch(&key, mk->v, mk->n, sizeof *mk->v, cmp_byptr);
    return f ? f->seq + 1 : 0;
}

static struct wire_buf make_part(struct ms *m)
{
    struct marks mk = {xcalloc(m->ndonated + 1, sizeof *mk.v), m->ndonated};
    for (size_t i = 0; i < m->ndonated; i++)
        mk.v[i] = (struct byptr){m->donated[i], i};
    if (mk.n)
        qsort(mk.v, mk.n, sizeof *mk.v, cmp_byptr);
    struct wire_buf b = {0};
    wire_put_u64(&b, m->nwarns);
    wire_put_raw(&b, m->warns.p, m->warns.len);
    wire_put_u64(&b, m->ndonated);
    wire_put_u64(&b, m->nunits);
    for (size_t i = 0; i < m->nunits; i++) {
        struct unit *u = &m->units[i];
        wire_put_u64(&b, u->donor);
        wire_put_u64(&b, u->seq);
        wire_put_u64(&b, u->ph->flags);
        wire_put_children(&b, m->t, u->ph, mark_of, &mk);
    }
    free(mk.v);
    return b;
}

static void send_part(struct ms *m, const struct wire_buf *b)
{
    uint64_t len = b->len;
    MPI_Request req;
    MPI_Isend(&len, 1, MPI_UINT64_T, 0, TAG_PART, m->comm, &req);
    ms_wait(&req);
    for (size_t off = 0; off < b->len; off += CHUNK) {
        size_t n = b->len - off < CHUNK ? b->len - off : CHUNK;
        MPI_Isend(b->p + off, (int)n, MPI_BYTE, 0, TAG_PART, m->comm, &req);
        ms_wait(&req);
    }
}

static unsigned char *recv_part(struct ms *m, int from, size_t *len)
{
    uint64_t n = 0;
    MPI_Request req;
    MPI_Irecv(&n, 1, MPI_UINT64_T, from, TAG_PART, m->comm, &req);
    ms_wait(&req);
    unsigned char *p = xmalloc((size_t)n + 1);
    for (size_t off = 0; off < n; off += CHUNK) {
        size_t k = n - off < CHUNK ? n - off : CHUNK;
        MPI_Irecv(p + off, (int)k, MPI_BYTE, from, TAG_PART, m->comm, &req);
        ms_wait(&req);
    }
    *len = (size_t)n;
    return p;
}

/* ---- rank 0 ---- */

struct graft {
    uint64_t donor, seq;
    struct tree_node *holder;
};

struct merge {
    struct ms *m;
    struct tree_node ***map; /* per rank, the directories it gave away */
    size_t *nmap;
    struct graft *g;
    size_t ng, capg;
    int from;
    bool bad;
};

static void on_marked(void *ctx, uint64_t mark, struct tree_node *n)
{
    struct merge *mg = ctx;
    if (mark - 1 < mg->nmap[mg->from])
        mg->map[mg->from][mark - 1] = n;
    else
        mg->bad = true;
}

static void add_graft(struct merge *mg, uint64_t donor, uint64_t seq, struct tree_node *holder)
{
    if (mg->ng == mg->capg) {
        mg->capg = mg->capg ? mg->capg * 2 : 64;
        mg->g = xreallocarray(mg->g, mg->capg, sizeof *mg->g);
    }
    mg->g[mg->ng++] = (struct graft){donor, seq, holder};
}

/* take_part: one rank's part into the tree */
static int take_part(struct merge *mg, const unsigned char *p, size_t len)
{
    struct ms *m = mg->m;
    struct wire_rd r = {p, p + len, false};
    uint64_t nw = wire_get_u64(&r);
    for (uint64_t i = 0; i < nw && !r.bad; i++) {
        size_t n;
        const char *s = wire_get_bytes(&r, &n);
        if (!s)
            break;
        char *msg = xmemdup(s, n);
        ms_say(m, msg);
        free(msg);
    }
    uint64_t nd = wire_get_u64(&r), nu = wire_get_u64(&r);
    if (r.bad || nd > len)
        return -1;
    mg->nmap[mg->from] = (size_t)nd;
    mg->map[mg->from] = xcalloc((size_t)nd + 1, sizeof **mg->map);
    char name[PH_LEN] = {0};
    for (uint64_t i = 0; i < nu && !r.bad; i++) {
        uint64_t donor = wire_get_u64(&r), seq = wire_get_u64(&r), flags = wire_get_u64(&r);
        struct tree_node *h = tree_add(m->a, m->t->root, name, PH_LEN);
        h->flags = (uint16_t)(flags & 0xffff);
        if (wire_get_children(&r, m->t, m->a, h, on_marked, mg) < 0)
            return -1;
        add_graft(mg, donor, seq, h);
    }
    return r.bad || mg->bad ? -1 : 0;
}

/* attach: every unit's entries under the directory they came from; the
 * placeholders leave the root */
static int attach(struct merge *mg)
{
    struct ms *m = mg->m;
    int rc = 0;
    for (size_t i = 0; i < mg->ng; i++) {
        struct graft *g = &mg->g[i];
        struct tree_node *to = g->donor < (uint64_t)m->size && g->seq < mg->nmap[g->donor]
                                   ? mg->map[g->donor][g->seq]
                                   : NULL;
        if (!to) {
            rc = -1;
            continue;
        }
        struct tree_node *c = g->holder->child, *last = NULL;
        for (; c; c = c->next) {
            c->parent = to;
            last = c;
        }
        if (last) {
            last->next = to->child;
            to->child = g->holder->child;
        }
        g->holder->child = NULL;
        to->flags |= g->holder->flags & TREE_UNREADABLE;
    }
    struct tree_node **pp = &m->t->root->child;
    size_t u;
    while (*pp)
        if (ms_is_ph(*pp, &u))
            *pp = (*pp)->next;
        else
            pp = &(*pp)->next;
    return rc;
}

static int merge_all(struct ms *m)
{
    struct merge mg = {.m = m};
    mg.map = xcalloc((size_t)m->size, sizeof *mg.map);
    mg.nmap = xcalloc((size_t)m->size, sizeof *mg.nmap);
    mg.map[0] = m->donated;
    mg.nmap[0] = m->ndonated;
    for (size_t i = 0; i < m->nunits; i++)
        add_graft(&mg, m->units[i].donor, m->units[i].seq, m->units[i].ph);
    int rc = 0;
    for (int r = 1; r < m->size; r++) {
        size_t len;
        unsigned char *p = recv_part(m, r, &len);
        mg.from = r;
        if (take_part(&mg, p, len) < 0)
            rc = -1;
        free(p);
    }
    if (attach(&mg) < 0)
        rc = -1;
    for (int r = 1; r < m->size; r++)
        free(mg.map[r]);
    free(mg.map);
    free(mg.nmap);
    free(mg.g);
    return rc;
}

int ms_merge(struct ms *m)
{
    if (m->rank == 0)
        return merge_all(m);
    struct wire_buf b = make_part(m);
    m->st.tree_bytes = b.len;
    /* the part is all that is needed of this rank's tree now */
    send_part(m, &b);
    free(b.p);
    return 0;
}
