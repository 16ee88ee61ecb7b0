/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tree.h"

static struct tree_node *child(struct tree *t, struct tree_node *p, const char *name)
{
    return tree_child(tree_main_arena(t), p, name, strlen(name), NULL);
}

static void test_child_lookup_and_totals(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *a = child(t, t->root, "a");
    struct tree_node *b = child(t, a, "b");
    tree_set_w(b, 0, tree_w(b, 0) + 5);
    struct tree_node *a2 = child(t, t->root, "a");
    assert_ptr_equal(a, a2);
    {
        struct tree_node *x_ = child(t, a, "c");
        tree_set_w(x_, 0, tree_w(x_, 0) + 3);
    }
    {
        struct tree_node *x_ = child(t, a, "b");
        tree_set_w(x_, 0, tree_w(x_, 0) + 2);
    }
    tree_set_w(a, 0, tree_w(a, 0) + 1);
    tree_finish(t);
    assert_int_equal(tree_w(t->root, 0), 11);
    assert_int_equal(tree_w(a, 0), 11);
    assert_int_equal(tree_w(b, 0), 7);
    assert_int_equal(tree_own(a, 0), 1);
    assert_int_equal(tree_count_nodes(t->root), 4);
    tree_free(t);
}

static void test_names_with_any_bytes(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    bool created;
    struct tree_node *n = tree_child(tree_main_arena(t), t->root, "x\0y", 3, &created);
    assert_true(created);
    assert_int_equal(n->len, 3);
    struct tree_node *m = tree_child(tree_main_arena(t), t->root, "x\0z", 3, &created);
    assert_true(created);
    assert_ptr_not_equal(n, m);
    assert_ptr_equal(tree_child(tree_main_arena(t), t->root, "x\0y", 3, &created), n);
    assert_false(created);
    /* the empty name is a name like any other */
    struct tree_node *e = tree_child(tree_main_arena(t), t->root, "", 0, &created);
    assert_true(created);
    assert_int_equal(e->len, 0);
    tree_free(t);
}

static void test_same_name_other_parent(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *a = child(t, t->root, "x");
    struct tree_node *b = child(t, a, "x");
    assert_ptr_not_equal(a, b);
    assert_ptr_equal(tree_parent(b), a);
    tree_free(t);
}

static void test_million_children(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    char buf[32];
    for (int i = 0; i < 1000000; i++) {
        int len = snprintf(buf, sizeof buf, "f%07d", i);
        {
            struct tree_node *x_ = tree_child(tree_main_arena(t), t->root, buf, (size_t)len, NULL);
            tree_set_w(x_, 0, tree_w(x_, 0) + 1);
        }
    }
    for (int i = 0; i < 1000000; i += 7919) {
        int len = snprintf(buf, sizeof buf, "f%07d", i);
        bool created = true;
        struct tree_node *n = tree_child(tree_main_arena(t), t->root, buf, (size_t)len, &created);
        assert_false(created);
        assert_memory_equal(n->name, buf, (size_t)len);
    }
    tree_finish(t);
    assert_int_equal(tree_w(t->root, 0), 1000000);
    tree_free(t);
}

static void test_deep_tree(void **state)
{
    (void)state;
    /* far deeper than any recursion would survive */
    struct tree *t = tree_new("all", 2);
    struct tree_node *n = t->root;
    for (int i = 0; i < 200000; i++) {
        n = tree_add(tree_main_arena(t), n, "d", 1);
        tree_set_w(n, 0, 1);
        tree_set_w(n, 1, 2);
    }
    tree_finish(t);
    tree_sort(t, TREE_BY_WEIGHT, 0);
    assert_int_equal(tree_w(t->root, 0), 200000);
    assert_int_equal(tree_w(t->root, 1), 400000);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    unsigned maxd = 0;
    for (struct tree_node *m; (m = tree_iter_next(&it, true));)
        if (it.depth > maxd)
            maxd = it.depth;
    assert_int_equal(maxd, 200000);
    tree_free(t);
}

static void test_sort_orders(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    const char *names[] = {"b", "a", "ab", "c", "B"};
    uint64_t w[] = {5, 5, 9, 1, 5};
    for (int i = 0; i < 5; i++)
        tree_set_w(tree_add(tree_main_arena(t), t->root, names[i], strlen(names[i])), 0, w[i]);
    tree_finish(t);
    tree_sort(t, TREE_BY_NAME, 0);
    const char *want_name[] = {"B", "a", "ab", "b", "c"};
    int i = 0;
    for (struct tree_node *c = tree_first_child(t->root); c; c = tree_next_sibling(c))
        assert_string_equal(c->name, want_name[i++]);
    assert_int_equal(i, 5);
    tree_sort(t, TREE_BY_WEIGHT, 0);
    const char *want_w[] = {"ab", "B", "a", "b", "c"};
    i = 0;
    for (struct tree_node *c = tree_first_child(t->root); c; c = tree_next_sibling(c))
        assert_string_equal(c->name, want_w[i++]);
    tree_free(t);
}

static void test_iter_skip(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *a = child(t, t->root, "a");
    child(t, a, "a1");
    child(t, t->root, "b");
    tree_sort(t, TREE_BY_NAME, 0);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    char seen[64] = "";
    struct tree_node *n;
    bool descend = true;
    while ((n = tree_iter_next(&it, descend))) {
        strcat(seen, n->name);
        strcat(seen, ",");
        descend = strcmp(n->name, "a") != 0;
    }
    assert_string_equal(seen, "all,a,b,");
    tree_free(t);
}

static void test_rescale(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    tree_set_w(child(t, t->root, "a"), 0, 15);
    assert_int_equal(tree_rescale(t, 2), 0);
    assert_int_equal(t->scale, 2);
    assert_int_equal(tree_w(child(t, t->root, "a"), 0), 1500);
    tree_set_w(child(t, t->root, "b"), 0, UINT64_MAX / 5);
    assert_true(tree_rescale(t, 3) == -1);
    assert_int_equal(t->scale, 2);
    assert_int_equal(tree_w(child(t, t->root, "a"), 0), 1500);
    tree_free(t);
}

static void test_totals_saturate(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    tree_set_w(child(t, t->root, "a"), 0, UINT64_MAX - 1);
    tree_set_w(child(t, t->root, "b"), 0, 10);
    tree_finish(t);
    assert_true(tree_w(t->root, 0) == UINT64_MAX);
    tree_free(t);
}

/* the link table: an inode for the nodes that have one, nothing for the
 * others, through growth; the excluded reason beside the kind */
static void test_links_and_excluded(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *v[1000];
    for (unsigned i = 0; i < 1000; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "f%u", i);
        v[i] = tree_add(a, t->root, name, (size_t)n);
        if (i % 3 == 0)
            tree_link_set(t, v[i], &(struct tree_link){7, i, 2});
    }
    struct tree_link l;
    for (unsigned i = 0; i < 1000; i++) {
        bool has = tree_link_get(t, v[i], &l);
        assert_int_equal(has, i % 3 == 0);
        assert_int_equal(!!(v[i]->flags & TREE_LINKED), i % 3 == 0);
        if (has) {
            assert_int_equal(l.dev, 7);
            assert_int_equal(l.ino, i);
            assert_int_equal(l.nlink, 2);
        }
    }
    /* set again: replaced, not added */
    tree_link_set(t, v[3], &(struct tree_link){8, 9, 3});
    assert_true(tree_link_get(t, v[3], &l));
    assert_int_equal(l.dev, 8);
    /* a tree without a table: nothing, even for a flag copied from elsewhere */
    struct tree *u = tree_new("all", 3);
    struct tree_node *x = tree_add(tree_main_arena(u), u->root, "x", 1);
    x->flags |= TREE_LINKED;
    assert_false(tree_link_get(u, x, &l));
    tree_set_kind(x, TREE_KIND_IMAGE);
    tree_set_excluded(x, TREE_EXCL_OTHERFS);
    assert_int_equal(tree_kind_of(x), TREE_KIND_IMAGE);
    assert_int_equal(tree_excluded_of(x), TREE_EXCL_OTHERFS);
    tree_set_excluded(x, TREE_EXCL_NONE);
    assert_int_equal(tree_excluded_of(x), TREE_EXCL_NONE);
    assert_true(x->flags & TREE_LINKED);
    tree_free(u);
    tree_free(t);
}

/* Leaves keep each weight in as few bytes as it needs: every width reads
 * back whole, a slot not given is 0, a value that fits can be written
 * again, and totals, own weights and sorting see the same numbers as for
 * nodes made by tree_add(). */
static void test_leaf_weights(void **state)
{
    (void)state;
    struct tree *t = tree_new("r", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *d = tree_add(a, t->root, "d", 1);
    tree_set_w(d, 0, 4096);
    const uint64_t v[][3] = {{0, 255, 1},
                             {256, 65535, 1},
                             {65536, UINT32_MAX, 1},
                             {(uint64_t)UINT32_MAX + 1, UINT64_MAX / 4, 1}};
    for (int i = 0; i < 4; i++) {
        char nm[4] = {'f', (char)('0' + i), 0, 0};
        struct tree_node *f = tree_add_leaf(a, d, nm, 2, v[i], 3);
        assert_int_equal(f->len, 2);
        assert_string_equal(f->name, nm);
        for (unsigned k = 0; k < 3; k++)
            assert_true(tree_w(f, k) == v[i][k]);
        assert_null(tree_first_child(f));
        tree_set_first_child(f, NULL); /* no child: allowed on a leaf */
        assert_true(tree_parent(f) == d);
    }
    const uint64_t one[] = {7};
    struct tree_node *g = tree_add_leaf(a, d, "g", 1, one, 1);
    assert_int_equal(tree_w(g, 0), 7);
    assert_int_equal(tree_w(g, 1), 0);
    assert_int_equal(tree_w(g, 2), 0);
    tree_set_w(g, 0, 200);
    assert_int_equal(tree_w(g, 0), 200);
    tree_finish(t);
    uint64_t sum1 = 0;
    for (int i = 0; i < 4; i++)
        sum1 += v[i][1];
    assert_true(tree_w(d, 0) == 4096 + 0 + 256 + 65536 + (uint64_t)UINT32_MAX + 1 + 200);
    assert_true(tree_w(d, 1) == sum1);
    assert_int_equal(tree_w(d, 2), 4);
    assert_int_equal(tree_own(d, 0), 4096);
    assert_true(tree_w(t->root, 1) == sum1);
    tree_sort(t, TREE_BY_WEIGHT, 0);
    const char *want[] = {"f3", "f2", "f1", "g", "f0"};
    int k = 0;
    for (struct tree_node *c = tree_first_child(d); c; c = tree_next_sibling(c), k++)
        assert_string_equal(c->name, want[k]);
    assert_int_equal(k, 5);
    tree_free(t);
}

/* A leaf keeps a 0, a 1 and stored bytes equal to its disk usage in no
 * bytes at all: they read back, 0 and 1 can be written over each other,
 * stored bytes follow a later write of the disk usage, and the leaf is as
 * small as its name and its other weights make it. */
static void test_leaf_free_slots(void **state)
{
    (void)state;
    struct tree *t = tree_new("r", 4);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *d = tree_add(a, t->root, "d", 1);
    const uint64_t w[] = {4096, 300, 1, 4096};
    struct tree_node *f = tree_add_leaf(a, d, "f", 1, w, 4);
    struct tree_node *g = tree_add_leaf(a, d, "g", 1, w, 4);
    /* 16 bytes of fields, "f" and its NUL, 2 + 2 bytes of weights */
    assert_int_equal((char *)g - (char *)f, 24);
    for (unsigned k = 0; k < 4; k++)
        assert_true(tree_w(f, k) == w[k]);
    tree_set_w(f, TREE_W_COUNT, 0);
    assert_int_equal(tree_w(f, TREE_W_COUNT), 0);
    tree_set_w(f, TREE_W_COUNT, 1);
    assert_int_equal(tree_w(f, TREE_W_COUNT), 1);
    tree_set_w(f, TREE_W_DISK, 8192);
    assert_int_equal(tree_w(f, TREE_W_STORED), 8192);
    assert_int_equal(tree_w(f, TREE_W_APPARENT), 300);
    tree_set_w(f, TREE_W_STORED, 0); /* no longer the disk usage */
    assert_int_equal(tree_w(f, TREE_W_STORED), 0);
    assert_int_equal(tree_w(f, TREE_W_DISK), 8192);
    tree_set_w(f, TREE_W_STORED, 8192); /* the disk usage again */
    assert_int_equal(tree_w(f, TREE_W_STORED), 8192);
    /* stored bytes other than the disk usage take bytes of their own */
    const uint64_t x[] = {4096, 0, 1, 70000};
    struct tree_node *h = tree_add_leaf(a, d, "h", 1, x, 4);
    assert_int_equal(tree_w(h, TREE_W_STORED), 70000);
    assert_int_equal(tree_w(h, TREE_W_APPARENT), 0);
    tree_finish(t);
    assert_int_equal(tree_w(d, TREE_W_DISK), 8192 + 4096 + 4096);
    assert_int_equal(tree_w(d, TREE_W_STORED), 8192 + 4096 + 70000);
    assert_int_equal(tree_w(d, TREE_W_COUNT), 3);
    tree_free(t);
}

/* Nodes of several arenas, interleaved over many chunks, link to each
 * other both ways (the links are offsets within one address range). */
static void test_arenas_interleaved(void **state)
{
    (void)state;
    struct tree *t = tree_new("r", 3);
    struct tree_arena *ar[3] = {tree_main_arena(t), tree_arena_new(t), tree_arena_new(t)};
    struct tree_node *dirs[3];
    for (int i = 0; i < 3; i++)
        dirs[i] = tree_add(ar[i], t->root, i == 0 ? "a" : i == 1 ? "b" : "c", 1);
    enum { N = 300000 };
    char nm[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(nm, sizeof nm, "n%d", i);
        const uint64_t w[] = {(uint64_t)i, 1, 1};
        /* a node on one arena under a directory made on another */
        tree_add_leaf(ar[i % 3], dirs[(i + 1) % 3], nm, (size_t)len, w, 3);
    }
    tree_finish(t);
    assert_int_equal(tree_count_nodes(t->root), N + 4);
    assert_int_equal(tree_w(t->root, 2), N);
    assert_true(tree_w(t->root, 0) == (uint64_t)N * (N - 1) / 2);
    for (int i = 0; i < 3; i++)
        for (struct tree_node *c = tree_first_child(dirs[i]); c; c = tree_next_sibling(c))
            assert_true(tree_parent(c) == dirs[i]);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_lookup_and_totals),
        cmocka_unit_test(test_names_with_any_bytes),
        cmocka_unit_test(test_same_name_other_parent),
        cmocka_unit_test(test_million_children),
        cmocka_unit_test(test_deep_tree),
        cmocka_unit_test(test_sort_orders),
        cmocka_unit_test(test_iter_skip),
        cmocka_unit_test(test_rescale),
        cmocka_unit_test(test_totals_saturate),
        cmocka_unit_test(test_links_and_excluded),
        cmocka_unit_test(test_leaf_weights),
        cmocka_unit_test(test_leaf_free_slots),
        cmocka_unit_test(test_arenas_interleaved),
    };
    return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
