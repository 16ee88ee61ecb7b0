/* SPDX-License-Identifier: BSD-2-Clause */
/* diff_metrics: the three scan metrics of a joined tree, beside it (diff_metrics.h) */
#include "diff_metrics.h"

#include "count.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct rec {
    const struct tree_node *n;
    uint64_t w[DIFF_MSLOTS];
};

/* records in the order they were made; idx maps a node's address to its
 * record (index + 1, 0 for a free slot), open addressing, at most half full */
struct diff_metrics {
    struct rec *v;
    size_t n, cap;
    uint32_t *idx;
    size_t mask;
};

static const unsigned scan_slot[DIFF_NMETRICS] = {TREE_W_DISK, TREE_W_APPARENT, TREE_W_COUNT};

unsigned diff_metrics_slot(unsigned k)
{
    return scan_slot[k < DIFF_NMETRICS ? k : 0];
}

struct diff_metrics *diff_metrics_new(void)
{
    struct diff_metrics *m = xcalloc(1, sizeof *m);
    m->mask = 63;
    m->idx = xcalloc(m->mask + 1, sizeof *m->idx);
    return m;
}

void diff_metrics_free(struct diff_metrics *m)
{
    if (!m)
        return;
    free(m->v);
    free(m->idx);
    free(m);
}

static size_t slot_of(const struct diff_metrics *m, const struct tree_node *n)
{
    size_t j = util_mix64((uint64_t)(uintptr_t)n) & m->mask;
    while (m->idx[j] && m->v[m->idx[j] - 1].n != n)
        j = (j + 1) & m->mask;
    return j;
}

static void grow_index(struct diff_metrics *m)
{
    free(m->idx);
    m->mask = m->mask * 2 + 1;
    m->idx = xcalloc(m->mask + 1, sizeof *m->idx);
    for (size_t i = 0; i < m->n; i++)
        m->idx[slot_of(m, m->v[i].n)] = (uint32_t)(i + 1);
}

static struct rec *find(const struct diff_metrics *m, const struct tree_node *n)
{
    uint32_t i = m->idx[slot_of(m, n)];
    return i ? &m->v[i - 1] : NULL;
}

static struct rec *find_or_add(struct diff_metrics *m, const struct tree_node *n)
{
    struct rec *r = find(m, n);
    if (r)
        return r;
    if ((m->n + 1) * 2 > m->mask + 1)
        grow_index(m);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
    }
    r = &m->v[m->n++];
    memset(r, 0, sizeof *r);
    r->n = n;
    m->idx[slot_of(m, n)] = (uint32_t)m->n;
    return r;
}

int diff_metrics_add(struct diff_metrics *m, const struct tree_node *jn, unsigned side,
                     const struct tree_node *n, uint64_t mul)
{
    struct rec *r = find_or_add(m, jn);
    for (unsigned k = 0; k < DIFF_NMETRICS; k++) {
        uint64_t own = tree_own(n, scan_slot[k]);
        if (mul != 1 && own > UINT64_MAX / mul)
            return -1;
        uint64_t *w = &r->w[2 * k + side];
        *w = count_sat_add(*w, own * mul);
    }
    return 0;
}

/* every node below root, in pre-order, each with a record */
static struct rec **preorder(struct diff_metrics *m, const struct tree_node *root, size_t *count)
{
    size_t n = tree_count_nodes((struct tree_node *)root), k = 0;
    /* records are made first: the array may move while it grows */
    struct tree_iter it;
    tree_iter_init(&it, (struct tree_node *)root);
    for (struct tree_node *x; (x = tree_iter_next(&it, true));)
        find_or_add(m, x);
    struct rec **v = xreallocarray(NULL, n ? n : 1, sizeof *v);
    tree_iter_init(&it, (struct tree_node *)root);
    for (struct tree_node *x; (x = tree_iter_next(&it, true)) && k < n;)
        v[k++] = find(m, x);
    *count = k;
    return v;
}

/* as diff.c's normalize_before, for each metric's pair */
static void normalize(struct rec **v, size_t n)
{
    for (unsigned k = 0; k < DIFF_NMETRICS; k++) {
        uint64_t tb = 0, ta = 0;
        for (size_t i = 0; i < n; i++) {
            tb = count_sat_add(tb, v[i]->w[2 * k]);
            ta = count_sat_add(ta, v[i]->w[2 * k + 1]);
        }
        if (tb == 0 || tb == ta)
            continue;
        long double f = (long double)ta / (long double)tb;
        for (size_t i = 0; i < n; i++) {
            long double x = (long double)v[i]->w[2 * k] * f + 0.5L;
            v[i]->w[2 * k] = x >= 18446744073709551615.0L ? UINT64_MAX : (uint64_t)x;
        }
    }
}

void diff_metrics_finish(struct diff_metrics *m, const struct tree_node *root, bool normalize_)
{
    size_t n;
    struct rec **v = preorder(m, root, &n);
    if (normalize_)
        normalize(v, n);
    /* reversed pre-order: every node is added to its parent after its own
     * children were added to it */
    for (size_t i = n; i-- > 1;) {
        struct rec *p = find(m, tree_parent(v[i]->n));
        if (!p)
            continue;
        for (unsigned s = 0; s < DIFF_MSLOTS; s++)
            p->w[s] = count_sat_add(p->w[s], v[i]->w[s]);
    }
    free(v);
}

bool diff_metrics_get(const struct diff_metrics *m, const struct tree_node *n, uint64_t *tot)
{
    const struct rec *r = find(m, n);
    for (unsigned s = 0; s < DIFF_MSLOTS; s++)
        tot[s] = r ? r->w[s] : 0;
    return r != NULL;
}

void diff_metrics_use(const struct diff_metrics *m, struct tree_node *root, unsigned k)
{
    if (k >= DIFF_NMETRICS)
        return;
    struct tree_iter it;
    tree_iter_init(&it, root);
    for (struct tree_node *x; (x = tree_iter_next(&it, true));) {
        const struct rec *r = find(m, x);
        tree_set_w(x, TREE_W_BEFORE, r ? r->w[2 * k] : 0);
        tree_set_w(x, TREE_W_AFTER, r ? r->w[2 * k + 1] : 0);
    }
}

void diff_metrics_viewdata(void *ctx, const struct tree_node *n, uint64_t *tot)
{
    diff_metrics_get(ctx, n, tot);
}
