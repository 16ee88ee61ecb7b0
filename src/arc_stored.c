/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_stored: archive entries' stored bytes (see include/arc_stored.h) */
#include "arc_stored.h"

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

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void arc_span_give(struct arc_span *s, uint64_t bytes)
{
    struct tree_node *n = s->cur;
    if (!n)
        return;
    /* a nested archive's entries hold its own bytes: scaled to these */
    if (n->flags & TREE_ARCHIVE)
        tree_share_stored(n, bytes);
    else
        tree_set_w(n, TREE_W_STORED, sat_add(tree_w(n, TREE_W_STORED), bytes));
    s->sum = sat_add(s->sum, bytes);
}

void arc_span_close(struct arc_span *s, uint64_t pos)
{
    if (s->begun)
        arc_span_give(s, pos > s->pos ? pos - s->pos : 0);
    if (!s->begun || pos > s->pos)
        s->pos = pos;
    s->begun = true;
    s->cur = NULL;
}

void arc_span_overhead(struct arc_span *s, struct tree_node *node, struct tree_arena *a,
                       uint64_t total)
{
    if (s->sum > total) {
        tree_share_stored(node, total);
        return;
    }
    if (s->sum == total)
        return;
    tree_add_overhead(a, node, total - s->sum);
}
