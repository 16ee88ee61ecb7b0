/* SPDX-License-Identifier: BSD-2-Clause */
#include "diff.h"
#include "count.h"
#include "diff_metrics.h"
#include "names.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 10^e into *out; -1 when it does not fit */
static int pow10_u64(unsigned e, uint64_t *out)
{
    *out = count_pow10(e);
    return *out ? 0 : -1;
}

/* the only child of n, or NULL when it has none or several; an archive's
 * "(archive overhead)" entry is not counted */
static const struct tree_node *only_child(const struct tree_node *n)
{
    const struct tree_node *one = NULL;
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c)) {
        if (tree_is_overhead(c))
            continue;
        if (one)
            return NULL;
        one = c;
    }
    return one;
}

static bool has_child_named(const struct tree_node *p, const struct tree_node *like)
{
    for (const struct tree_node *c = tree_first_child(p); c; c = tree_next_sibling(c))
        if (c->len == like->len && memcmp(c->name, like->name, c->len) == 0)
            return true;
    return false;
}

/* Rule 2 of the top-level rule (diff.h): side's root an archive holding one
 * directory that the other side does not have. */
static const struct tree_node *wrapper_of(const struct tree_node *side,
                                          const struct tree_node *other)
{
    if (!(side->flags & TREE_ARCHIVE))
        return NULL;
    const struct tree_node *w = only_child(side);
    if (!w || !(w->flags & TREE_DIR) || has_child_named(other, w))
        return NULL;
    return w;
}

/*
 * Adds every node of one side into j, own weight of slot `in` (times mul)
 * into slot `out`. Pre-order, so a node's joined parent is known before the
 * node: stack[d] is the joined node of the current node at depth d. The
 * side's node `wrapper` (or NULL) is mapped to `wrap_to` instead of being
 * looked up by name.
 */
static int add_side(struct tree *j, const struct tree_node *side, unsigned in, unsigned out,
                    uint64_t mul, const struct tree_node *wrapper, struct tree_node *wrap_to,
                    struct tree_node *base, struct diff_metrics *metrics)
{
    struct tree_arena *a = tree_main_arena(j);
    size_t cap = 64;
    struct tree_node **stack = xmalloc(cap * sizeof *stack);
    struct tree_iter it;
    /* tree_iter does not write through its start node */
    tree_iter_init(&it, (struct tree_node *)side);
    int rc = 0;
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        struct tree_node *jn;
        if (it.depth == 0)
            jn = base;
        else if (n == wrapper)
            jn = wrap_to;
        else
            jn = tree_child(a, stack[it.depth - 1], n->name, n->len, NULL);
        if (it.depth >= cap) {
            cap *= 2;
            stack = xreallocarray(stack, cap, sizeof *stack);
        }
        stack[it.depth] = jn;
        uint64_t own = tree_own(n, in);
        if (mul != 1 && own > UINT64_MAX / mul) {
            rc = -1;
            break;
        }
        tree_set_w(jn, out, count_sat_add(tree_w(jn, out), own * mul));
        if (metrics && diff_metrics_add(metrics, jn, out == TREE_W_AFTER, n, mul)) {
            rc = -1;
            break;
        }
        /* the file class is taken from the first side that has one */
        uint16_t kind = jn->flags & TREE_KIND_MASK;
        jn->flags |= (uint16_t)(n->flags & ~TREE_KIND_MASK);
        if (!kind)
            jn->flags |= (uint16_t)(n->flags & TREE_KIND_MASK);
    }
    free(stack);
    return rc;
}

/* o->normalize: BEFORE's own weights times after/before; before tree_finish,
 * when w[] are still own weights */
static void normalize_before(struct tree *j)
{
    uint64_t tb = 0, ta = 0;
    struct tree_iter it;
    tree_iter_init(&it, j->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        tb = count_sat_add(tb, tree_w(n, TREE_W_BEFORE));
        ta = count_sat_add(ta, tree_w(n, TREE_W_AFTER));
    }
    if (tb == 0 || tb == ta)
        return;
    long double f = (long double)ta / (long double)tb;
    tree_iter_init(&it, j->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        long double v = (long double)tree_w(n, TREE_W_BEFORE) * f + 0.5L;
        tree_set_w(n, TREE_W_BEFORE, v >= 18446744073709551615.0L ? UINT64_MAX : (uint64_t)v);
    }
}

int diff_join(const struct tree *before, const struct tree *after, const struct diff_opts *o,
              struct tree **out, struct diff_info *info, const char **err)
{
    struct diff_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    *out = NULL;
    if (!before->finished || !after->finished) {
        *err = "diff_join: a side is not finished";
        return -1;
    }
    unsigned scale = before->scale > after->scale ? before->scale : after->scale;
    uint64_t mulb, mula;
    if (pow10_u64(scale - before->scale, &mulb) || pow10_u64(scale - after->scale, &mula)) {
        *err = "the two sides' decimal counts cannot be brought to one scale";
        return -1;
    }

    const struct tree_node *rb = o->root_before ? o->root_before : before->root;
    const struct tree_node *ra = o->root_after ? o->root_after : after->root;
    struct tree *j = tree_new(o->root_name ? o->root_name : ra->name, 2);
    j->wnames[TREE_W_BEFORE] = "before";
    j->wnames[TREE_W_AFTER] = "after";
    j->scale = scale;
    struct tree_node *base = j->root;
    if (o->root_name) {
        base = tree_child(tree_main_arena(j), j->root, ra->name, ra->len, NULL);
        base->flags |= TREE_DIR;
    }
    info->base = base;

    const struct tree_node *wb = NULL, *wa = NULL;
    struct tree_node *wb_to = NULL, *wa_to = NULL;
    if (o->match_top) {
        const struct tree_node *cb = only_child(rb), *ca = only_child(ra);
        if (cb && ca && (cb->flags & TREE_DIR) && (ca->flags & TREE_DIR) &&
            (cb->len != ca->len || memcmp(cb->name, ca->name, cb->len) != 0)) {
            info->top = DIFF_TOP_MATCHED;
            wb = cb;
            wa = ca;
            wb_to = wa_to = tree_child(tree_main_arena(j), base, ca->name, ca->len, NULL);
        } else if ((wb = wrapper_of(rb, ra))) {
            info->top = DIFF_TOP_UNWRAP_BEFORE;
            wb_to = base;
        } else if ((wa = wrapper_of(ra, rb))) {
            info->top = DIFF_TOP_UNWRAP_AFTER;
            wa_to = base;
        }
        info->top_before = wb;
        info->top_after = wa;
    }

    if (add_side(j, rb, o->wbefore, TREE_W_BEFORE, mulb, wb, wb_to, base, o->metrics) ||
        add_side(j, ra, o->wafter, TREE_W_AFTER, mula, wa, wa_to, base, o->metrics)) {
        tree_free(j);
        *err = "a count is too large once the two sides are brought to one scale";
        return -1;
    }
    if (o->normalize)
        normalize_before(j);
    tree_finish(j);
    if (o->metrics)
        diff_metrics_finish(o->metrics, j->root, o->normalize);
    tree_sort(j, TREE_BY_NAME, 0);
    *out = j;
    return 0;
}

/* ---- the gate ---------------------------------------------------------- */

int diff_gate_parse(const char *s, unsigned scale, struct diff_gate *g)
{
    memset(g, 0, sizeof *g);
    size_t len = strlen(s);
    if (len > 1 && s[len - 1] == '%') {
        /* digits, optionally a point and digits: no sign, exponent or hex */
        size_t i = 0, digits = 0;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
        if (s[i] == '.')
            for (i++; isdigit((unsigned char)s[i]); i++)
                digits++;
        if (!digits || i != len - 1)
            return -1;
        errno = 0;
        double v = strtod(s, NULL);
        if (errno || !isfinite(v))
            return -1;
        g->set = g->percent = true;
        g->pct = v;
        return 0;
    }
    uint64_t v, mul;
    if (util_parse_size(s, &v) || pow10_u64(scale, &mul) || v > UINT64_MAX / mul)
        return -1;
    g->set = true;
    g->amount = v * mul;
    return 0;
}

bool diff_gate_trips(const struct diff_gate *g, uint64_t before, uint64_t after)
{
    if (!g->set || after <= before)
        return false;
    uint64_t growth = after - before;
    if (!g->percent)
        return growth > g->amount;
    if (before == 0)
        return true;
    return (long double)growth * 100.0L > (long double)g->pct * (long double)before;
}

/* ---- the report -------------------------------------------------------- */

struct ranked {
    struct diff_entry e;
    uint64_t key; /* the size of the change */
    size_t order; /* pre-order position, for ties */
};

/* a ranks below b: smaller change, or the same change met later */
static bool worse(const struct ranked *a, const struct ranked *b)
{
    return a->key < b->key || (a->key == b->key && a->order > b->order);
}

/* A bounded min-heap on worse(): the root is the entry to drop first. */
struct topn {
    struct ranked *v;
    size_t n, cap;
};

static void topn_push(struct topn *h, const struct ranked *r)
{
    if (h->cap == 0)
        return;
    size_t i;
    if (h->n < h->cap) {
        i = h->n++;
        while (i > 0 && worse(r, &h->v[(i - 1) / 2])) {
            h->v[i] = h->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h->v[i] = *r;
        return;
    }
    if (!worse(&h->v[0], r))
        return;
    /* replace the root and sift down */
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const struct ranked *best = r;
        if (l < h->n && worse(&h->v[l], best)) {
            m = l;
            best = &h->v[l];
        }
        if (l + 1 < h->n && worse(&h->v[l + 1], best))
            m = l + 1;
        if (m == i)
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    h->v[i] = *r;
}

static int cmp_ranked_desc(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    if (worse(a, b))
        return 1;
    if (worse(b, a))
        return -1;
    return 0;
}

static void topn_out(struct topn *h, struct diff_entry *out, size_t *nout)
{
    qsort(h->v, h->n, sizeof *h->v, cmp_ranked_desc);
    for (size_t i = 0; i < h->n; i++)
        out[i] = h->v[i].e;
    *nout = h->n;
}

void diff_top_changes(const struct tree_node *base, size_t n, struct diff_entry *grew,
                      size_t *ngrew, struct diff_entry *shrank, size_t *nshrank)
{
    struct topn g = {xcalloc(n ? n : 1, sizeof(struct ranked)), 0, n};
    struct topn s = {xcalloc(n ? n : 1, sizeof(struct ranked)), 0, n};
    struct tree_iter it;
    /* tree_iter does not write through its start node */
    tree_iter_init(&it, (struct tree_node *)base);
    size_t order = 0;
    bool descend = true;
    for (struct tree_node *node; (node = tree_iter_next(&it, descend)); order++) {
        uint64_t b = tree_w(node, TREE_W_BEFORE), a = tree_w(node, TREE_W_AFTER);
        struct ranked r = {{node, b, a, false}, 0, order};
        descend = true;
        /* a path on one side only is one entry; the root is on both sides */
        if (node != base && ((b == 0) != (a == 0))) {
            r.e.whole = true;
            descend = false;
        } else {
            r.e.before = b = tree_own(node, TREE_W_BEFORE);
            r.e.after = a = tree_own(node, TREE_W_AFTER);
        }
        if (a > b) {
            r.key = a - b;
            topn_push(&g, &r);
        } else if (b > a) {
            r.key = b - a;
            topn_push(&s, &r);
        }
    }
    topn_out(&g, grew, ngrew);
    topn_out(&s, shrank, nshrank);
    free(g.v);
    free(s.v);
}

size_t diff_count_gone(const struct tree_node *base, uint64_t *weight)
{
    size_t n = 0;
    uint64_t w = 0;
    struct tree_iter it;
    tree_iter_init(&it, (struct tree_node *)base);
    bool descend = true;
    for (struct tree_node *node; (node = tree_iter_next(&it, descend));) {
        descend = true;
        if (node != base && tree_w(node, TREE_W_BEFORE) > 0 && tree_w(node, TREE_W_AFTER) == 0) {
            n++;
            w = count_sat_add(w, tree_w(node, TREE_W_BEFORE));
            descend = false;
        }
    }
    *weight = w;
    return n;
}

char *diff_amount(uint64_t v, enum diff_units units, unsigned scale, char buf[80])
{
    if (units == DIFF_BYTES) {
        char h[32];
        snprintf(buf, 80, "%s", util_human(v, h));
        return buf;
    }
    count_format(buf, v, scale, COUNT_COMMAS);
    return buf;
}

char *diff_change(uint64_t before, uint64_t after, enum diff_units units, unsigned scale,
                  char buf[DIFF_CHANGE_LEN])
{
    uint64_t d = after >= before ? after - before : before - after;
    const char *sign = after > before ? "+" : after < before ? "-" : "";
    char amt[80];
    diff_amount(d, units, scale, amt);
    if (before == 0 && after > 0)
        snprintf(buf, DIFF_CHANGE_LEN, "%s%s (new)", sign, amt);
    else if (before == 0)
        snprintf(buf, DIFF_CHANGE_LEN, "%s (0.0%%)", amt);
    else
        snprintf(buf, DIFF_CHANGE_LEN, "%s%s (%s%.1f%%)", sign, amt, sign,
                 (double)d * 100.0 / (double)before);
    return buf;
}
