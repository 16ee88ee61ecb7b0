/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_links: a file with several names counts once across ranks. The walker
 * keeps every name's weights (links_elsewhere); each name goes, with its
 * path key, to the rank that owns its (dev, ino) by hash. The owner keeps
 * the weights on the name the single-process walker keeps (the earliest
 * PATH, then the smallest path: wire_key_cmp) and answers each name with a
 * byte; the others are zeroed and flagged as the walker flags them. Two
 * all-to-all exchanges, and each rank holds only the names it owns.
 */
#include "mpi_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct rec {
    struct tree_node *n;
    struct tree_link l;
    int owner;
};

struct recs {
    struct rec *v;
    size_t n, cap;
    int size;
};

static void on_link(void *ctx, struct tree_node *n, const struct tree_link *l)
{
    struct recs *rs = ctx;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 256;
        rs->v = xreallocarray(rs->v, rs->cap, sizeof *rs->v);
    }
    uint64_t h = util_mix64(l->ino * 0x9e3779b97f4a7c15ULL ^ l->dev);
    rs->v[rs->n++] = (struct rec){n, *l, (int)(h % (uint64_t)rs->size)};
}

/* a name at its owner */
struct owned {
    uint64_t dev, ino;
    const unsigned char *key;
    size_t klen;
    int src;
    size_t idx; /* its place among the names src sent */
};

static int cmp_owned(const void *x, const void *y)
{
    const struct owned *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return wire_key_cmp(a->key, a->klen, b->key, b->klen);
}

static int *displs(const int *counts, int n)
{
    int *d = xcalloc((size_t)n, sizeof *d);
    for (int i = 1; i < n; i++)
        d[i] = d[i - 1] + counts[i - 1];
    return d;
}

/* decide: the names this rank owns, from the bytes each rank sent; the
 * answer for each (1: it keeps the weights) in rank order */
static unsigned char *decide(struct ms *m, const unsigned char *in, const int *rcount,
                             const int *rdispl, int *nback)
{
    struct owned *v = NULL;
    size_t n = 0, cap = 0;
    for (int src = 0; src < m->size; src++) {
        struct wire_rd r = {in + rdispl[src], in + rdispl[src] + rcount[src], false};
        nback[src] = 0;
        while (r.p < r.end && !r.bad) {
            struct owned o = {.src = src, .idx = (size_t)nback[src]};
            o.dev = wire_get_u64(&r);
            o.ino = wire_get_u64(&r);
            o.key = wire_get_bytes(&r, &o.klen);
            if (r.bad)
                break;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                v = xreallocarray(v, cap, sizeof *v);
            }
            v[n++] = o;
            nback[src]++;
        }
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_owned);
    int *bd = displs(nback, m->size);
    size_t total = n ? (size_t)bd[m->size - 1] + (size_t)nback[m->size - 1] : 0;
    unsigned char *back = xcalloc(total + 1, 1);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i].dev != v[i - 1].dev || v[i].ino != v[i - 1].ino)
            back[(size_t)bd[v[i].src] + v[i].idx] = 1;
    free(bd);
    free(v);
    return back;
}

int ms_links(struct ms *m)
{
    struct recs rs = {.size = m->size};
    walk_links(m->w, on_link, &rs);
    /* the names in owner order, each owner's in the order sent */
    int *scount = xcalloc((size_t)m->size, sizeof *scount);
    struct wire_buf *per = xcalloc((size_t)m->size, sizeof *per);
    size_t **order = xcalloc((size_t)m->size, sizeof *order);
    size_t *norder = xcalloc((size_t)m->size, sizeof *norder);
    for (size_t i = 0; i < rs.n; i++)
        norder[rs.v[i].owner]++;
    for (int o = 0; o < m->size; o++) {
        order[o] = xcalloc(norder[o] + 1, sizeof **order);
        norder[o] = 0;
    }
    for (size_t i = 0; i < rs.n; i++) {
        struct rec *r = &rs.v[i];
        struct wire_buf *b = &per[r->owner];
        wire_put_u64(b, r->l.dev);
        wire_put_u64(b, r->l.ino);
        struct wire_buf key = {0};
        ms_key(m, &m->kb, &key, r->n);
        wire_put_bytes(b, key.p, key.len);
        free(key.p);
        order[r->owner][norder[r->owner]++] = i;
    }
    struct wire_buf all = {0};
    for (int o = 0; o < m->size; o++) {
        scount[o] = (int)per[o].len;
        wire_put_raw(&all, per[o].p, per[o].len);
        free(per[o].p);
    }
    int *rcount = xcalloc((size_t)m->size, sizeof *rcount);
    MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, m->comm);
    int *sd = displs(scount, m->size), *rd = displs(rcount, m->size);
    size_t rtotal = (size_t)rd[m->size - 1] + (size_t)rcount[m->size - 1];
    unsigned char *in = xmalloc(rtotal + 1);
    MPI_Alltoallv(all.p ? all.p : in, scount, sd, MPI_BYTE, in, rcount, rd, MPI_BYTE, m->comm);
    m->st.link_bytes += all.len;

    int *nback = xcalloc((size_t)m->size, sizeof *nback);
    unsigned char *back = decide(m, in, rcount, rd, nback);
    int *acount = xcalloc((size_t)m->size, sizeof *acount);
    MPI_Alltoall(nback, 1, MPI_INT, acount, 1, MPI_INT, m->comm);
    int *bd = displs(nback, m->size), *ad = displs(acount, m->size);
    size_t atotal = (size_t)ad[m->size - 1] + (size_t)acount[m->size - 1];
    unsigned char *ans = xcalloc(atotal + 1, 1);
    MPI_Alltoallv(back, nback, bd, MPI_BYTE, ans, acount, ad, MPI_BYTE, m->comm);
    int rc = 0;
    for (int o = 0; o < m->size; o++) {
        if ((size_t)acount[o] != norder[o])
            rc = -1;
        for (size_t j = 0; j < norder[o] && j < (size_t)acount[o]; j++) {
            struct rec *r = &rs.v[order[o][j]];
            struct tree_node *n = r->n;
            tree_link_set(m->t, n, &r->l);
            if (ans[(size_t)ad[o] + j])
                continue;
            /* as the walker: the weights (and an archive's contents) stay
             * with the chosen name only */
            memset(n->w, 0, sizeof n->w);
            n->child = NULL;
            n->flags = (uint16_t)((n->flags & ~TREE_ARCHIVE) | TREE_HARDLINK);
        }
        free(order[o]);
    }
    free(ans);
    free(ad);
    free(bd);
    free(acount);
    free(back);
    free(nback);
    free(in);
    free(sd);
    free(rd);
    free(rcount);
    free(all.p);
    free(norder);
    free(order);
    free(per);
    free(scount);
    free(rs.v);
    return rc;
}
