/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_stored: archive entries' stored bytes (see include/arc_stored.h) */
#include "arc_stored.h"

#include <string.h>

void arc_map_add(struct arc_map *m, uint64_t decoded, uint64_t raw)
{
    if (m->n == ARC_MAP_N) {
        /* the reader is far behind the decoder: the oldest is the base */
        m->bd = m->d[m->first];
        m->br = m->r[m->first];
        m->first = (m->first + 1) % ARC_MAP_N;
        m->n--;
    }
    unsigned i = (m->first + m->n) % ARC_MAP_N;
    m->d[i] = decoded;
    m->r[i] = raw;
    m->n++;
}

uint64_t arc_map_raw(struct arc_map *m, uint64_t p)
{
    while (m->n && m->d[m->first] <= p) {
        m->bd = m->d[m->first];
        m->br = m->r[m->first];
        m->first = (m->first + 1) % ARC_MAP_N;
        m->n--;
    }
    if (!m->n || p <= m->bd)
        return m->br;
    uint64_t d0 = m->bd, r0 = m->br, d1 = m->d[m->first], r1 = m->r[m->first];
    if (r1 <= r0)
        return r0;
    __extension__ typedef unsigned __int128 u128;
    return r0 + (uint64_t)((u128)(r1 - r0) * (p - d0) / (d1 - d0));
}

static uint64_t share(uint64_t total, uint64_t cum, uint64_t whole)
{
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)((u128)total * cum / whole);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void arc_stored_share(struct tree_node *node, uint64_t total)
{
    uint64_t whole = 0;
    struct tree_iter it;
    tree_iter_init(&it, node);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        whole = sat_add(whole, n->w[TREE_W_STORED]);
    if (!whole) {
        node->w[TREE_W_STORED] = total;
        return;
    }
    node->w[TREE_W_STORED] = 0;
    uint64_t cum = 0, prev = 0;
    tree_iter_init(&it, node);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        cum = sat_add(cum, n->w[TREE_W_STORED]);
        uint64_t s = share(total, cum, whole);
        n->w[TREE_W_STORED] = s - prev;
        prev = s;
    }
}

void arc_span_close(struct arc_span *s, uint64_t pos)
{
    if (s->begun && s->cur) {
        uint64_t span = pos > s->pos ? pos - s->pos : 0;
        struct tree_node *n = s->cur;
        /* a nested archive's entries hold its own bytes: scaled to span */
        if (n->flags & TREE_ARCHIVE)
            arc_stored_share(n, span);
        else
            n->w[TREE_W_STORED] = sat_add(n->w[TREE_W_STORED], span);
        s->sum = sat_add(s->sum, span);
    }
    if (!s->begun || pos > s->pos)
        s->pos = pos;
    s->begun = true;
    s->cur = NULL;
}

void arc_span_overhead(struct arc_span *s, struct tree_node *node, struct tree_arena *a,
                       uint64_t total)
{
    if (s->sum > total) {
        arc_stored_share(node, total);
        return;
    }
    if (s->sum == total)
        return;
    struct tree_node *o = tree_add(a, node, ARC_OVERHEAD, strlen(ARC_OVERHEAD));
    o->flags |= TREE_LITERAL;
    o->w[TREE_W_STORED] = total - s->sum;
}
