/* SPDX-License-Identifier: BSD-2-Clause */
/* The page data's budget (viewdata.c): which entries are kept when not all
 * fit, checked against a direct reading of the rule on random trees with
 * many equal weights, for every budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viewdata.h"

/* the rule, read directly: rank every node by weight (heaviest first, then
 * pre-order) and keep the longest prefix whose nodes plus one aggregate per
 * kept node with a child left out fit max; the kept nodes and aggregates */
struct ref_node {
    uint64_t w;
    size_t i, parent;
};

static int cmp_ref(const void *a, const void *b)
{
    const struct ref_node *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

static void reference(const struct tree *t, size_t max, size_t *kept, size_t *aggs)
{
    size_t n = tree_count_nodes(t->root), k = 0;
    struct ref_node *r = calloc(n, sizeof *r);
    size_t *left = calloc(n, sizeof *left);
    const struct tree_node **at = calloc(n, sizeof *at);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *x; (x = tree_iter_next(&it, true)); k++) {
        size_t p = 0;
        while (k && at[p] != tree_parent(x))
            p++;
        at[k] = x;
        r[k] = (struct ref_node){tree_w(x, 0), k, p};
        if (k)
            left[p]++;
    }
    qsort(r, n, sizeof *r, cmp_ref);
    size_t a = 0, m = 0;
    for (; m < n; m++) {
        size_t na = a + (left[r[m].i] > 0) - (m && left[r[m].parent] == 1);
        if (m + 1 + na > max)
            break;
        a = na;
        if (m)
            left[r[m].parent]--;
    }
    *kept = m;
    *aggs = a;
    free(r);
    free(left);
    free(at);
}

/* a random tree of about n nodes: leaves weigh 0, 1, 2 or 7 (many ties),
 * directories nothing of their own; chains of one child make equal
 * weights across levels */
static struct tree *random_tree(unsigned seed, size_t n)
{
    srand(seed);
    struct tree *t = tree_new("all", 1);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node **dirs = calloc(n, sizeof *dirs);
    size_t nd = 0;
    dirs[nd++] = t->root;
    char nm[16];
    static const uint64_t ws[] = {0, 1, 2, 7};
    for (size_t i = 0; i < n; i++) {
        struct tree_node *p = dirs[(size_t)rand() % nd];
        int len = snprintf(nm, sizeof nm, "n%zu", i);
        if (rand() % 5 == 0) {
            dirs[nd++] = tree_add(a, p, nm, (size_t)len);
        } else {
            uint64_t w = ws[rand() % 4];
            tree_add_leaf(a, p, nm, (size_t)len, &w, 1);
        }
    }
    free(dirs);
    tree_finish(t);
    tree_sort(t, TREE_BY_WEIGHT, 0);
    return t;
}

static void test_budget_as_ranked(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 6; seed++) {
        struct tree *t = random_tree(seed, seed < 4 ? 300 : 3000);
        size_t nodes = tree_count_nodes(t->root);
        for (size_t max = 2; max < nodes; max += max < 400 ? 1 : 37) {
            struct viewdata_opts o = {.weight = 0, .max_entries = max};
            struct viewdata_stats st;
            assert_int_equal(viewdata_measure(t, &o, &st), 0);
            size_t kept, aggs;
            reference(t, max, &kept, &aggs);
            assert_int_equal(st.aggregates, aggs);
            assert_int_equal(st.embedded, kept + aggs);
            assert_int_equal(st.merged, nodes - kept);
            assert_true(st.embedded <= max);
        }
        tree_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_as_ranked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
