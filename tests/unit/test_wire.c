/* SPDX-License-Identifier: BSD-2-Clause */
/* wire: varints, a subtree through bytes and back (weights, flags, links,
 * marks, sibling order, any depth), malformed bytes refused, and path keys
 * ordered as tree_path_cmp orders the nodes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "wire.h"

static struct tree_node *add(struct tree *t, struct tree_node *p, const char *name, uint64_t w)
{
    struct tree_node *n = tree_add(tree_main_arena(t), p, name, strlen(name));
    tree_set_w(n, 0, w);
    tree_set_w(n, 1, w * 3);
    tree_set_w(n, 2, 1);
    return n;
}

static void test_varints(void **state)
{
    (void)state;
    struct wire_buf b = {0};
    uint64_t v[] = {0, 1, 127, 128, 300, UINT32_MAX, UINT64_MAX};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        wire_put_u64(&b, v[i]);
    wire_put_bytes(&b, "a\0b", 3);
    struct wire_rd r = {b.p, b.p + b.len, false};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        assert_true(wire_get_u64(&r) == v[i]);
    size_t n;
    const char *s = wire_get_bytes(&r, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(s, "a\0b", 3);
    assert_false(r.bad);
    wire_get_u64(&r);
    assert_true(r.bad);
    free(b.p);
}

static uint64_t mark_x(void *ctx, const struct tree_node *n)
{
    (void)ctx;
    return n->len == 1 && n->name[0] == 'x' ? 42 : 0;
}

static void on_marked(void *ctx, uint64_t m, struct tree_node *n)
{
    assert_int_equal(m, 42);
    *(struct tree_node **)ctx = n;
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 3);
    struct tree_node *top = add(t, t->root, "top", 1);
    struct tree_node *a = add(t, top, "a", 10);
    add(t, top, "b\nc", 20)->flags = TREE_UNREADABLE | TREE_DIR;
    struct tree_node *x = add(t, a, "x", 5);
    x->flags = TREE_DIR;
    struct tree_node *l = add(t, a, "link", 7);
    tree_link_set(t, l, &(struct tree_link){3, 99, 2});
    struct tree_node *d = a;
    for (int i = 0; i < 5000; i++)
        d = add(t, d, "deep", 1);

    struct wire_buf b = {0};
    wire_put_children(&b, t, top, mark_x, NULL);
    struct tree *u = tree_new("all", 3);
    struct tree_node *h = add(u, u->root, "h", 0), *marked = NULL;
    struct wire_rd r = {b.p, b.p + b.len, false};
    assert_int_equal(wire_get_children(&r, u, tree_main_arena(u), h, on_marked, &marked), 0);
    assert_ptr_equal(r.p, r.end);
    assert_non_null(marked);
    assert_string_equal(marked->name, "x");
    /* the same sibling order, the same weights and flags */
    struct tree_node *p = tree_first_child(top), *q = tree_first_child(h);
    for (; p && q; p = tree_next_sibling(p), q = tree_next_sibling(q)) {
        assert_int_equal(p->len, q->len);
        assert_memory_equal(p->name, q->name, p->len);
        for (unsigned i = 0; i < TREE_MAXW; i++)
            assert_true(tree_w(p, i) == tree_w(q, i));
        assert_int_equal(p->flags, q->flags);
    }
    assert_null(p);
    assert_null(q);
    size_t n1 = tree_count_nodes(top), n2 = tree_count_nodes(h);
    assert_int_equal(n1, n2);
    struct tree_link got;
    struct tree_node *ql = NULL;
    for (struct tree_node *c = tree_first_child(h); c; c = tree_next_sibling(c))
        if (c->len == 1 && c->name[0] == 'a')
            for (struct tree_node *e = tree_first_child(c); e; e = tree_next_sibling(e))
                if (e->len == 4 && memcmp(e->name, "link", 4) == 0)
                    ql = e;
    assert_non_null(ql);
    assert_true(tree_link_get(u, ql, &got));
    assert_true(got.dev == 3 && got.ino == 99 && got.nlink == 2);

    /* every cut of the bytes is refused, never a crash */
    for (size_t cut = 0; cut < b.len; cut += 97) {
        struct tree *v = tree_new("all", 3);
        struct wire_rd rc = {b.p, b.p + cut, false};
        assert_int_equal(wire_get_children(&rc, v, tree_main_arena(v), v->root, NULL, NULL), -1);
        tree_free(v);
    }
    free(b.p);
    tree_free(u);
    tree_free(t);
}

/* key: as duflame-mpi makes one, from the PATH node (its index in spare) */
static struct wire_buf key(struct tree_node *n)
{
    struct tree_node *v[64];
    size_t k = 0;
    for (struct tree_node *p = n; tree_parent(p); p = tree_parent(p))
        v[k++] = p;
    struct wire_buf b = {0};
    unsigned char idx[2] = {(unsigned char)(v[k - 1]->spare >> 8), (unsigned char)v[k - 1]->spare};
    wire_put_raw(&b, idx, 2);
    while (k--)
        wire_put_bytes(&b, v[k]->name, v[k]->len);
    return b;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void test_keys_order_as_tree_path_cmp(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 3);
    struct tree_node *p0 = add(t, t->root, "zz", 0), *p1 = add(t, t->root, "aa", 0);
    p0->spare = 0;
    p1->spare = 1;
    struct tree_node *v[12];
    size_t n = 0;
    v[n++] = p0;
    v[n++] = p1;
    v[n++] = add(t, p0, "b", 0);
    v[n++] = add(t, p0, "ab", 0);
    v[n++] = add(t, p0, "a", 0);
    v[n++] = add(t, v[4], "c", 0);
    v[n++] = add(t, v[4], "c\xff", 0);
    v[n++] = add(t, p1, "a", 0);
    v[n++] = add(t, v[7], "a", 0);
    struct tree_path_buf ba = {0}, bb = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            struct wire_buf ki = key(v[i]), kj = key(v[j]);
            int want = sign(tree_path_cmp(v[i], v[j], &ba, &bb, true));
            assert_int_equal(sign(wire_key_cmp(ki.p, ki.len, kj.p, kj.len)), want);
            free(ki.p);
            free(kj.p);
        }
    free(ba.v);
    free(bb.v);
    tree_free(t);
}

/* the streamed form: the same bytes as the whole, cut between nodes into
 * pieces of about limit bytes; read piece by piece, the same subtree */
static void test_stream(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 3);
    struct tree_node *top = add(t, t->root, "top", 1);
    struct tree_node *d = top;
    for (int i = 0; i < 300; i++) {
        struct tree_node *dir = add(t, d, "dir", 3);
        dir->flags = TREE_DIR;
        add(t, dir, "file", (uint64_t)i);
        add(t, dir, "x", 7);
        if (i % 10 == 0)
            d = dir;
    }
    struct wire_buf whole = {0};
    wire_put_children(&whole, t, top, mark_x, NULL);

    struct wire_enc e;
    struct wire_buf b = {0}, all = {0};
    size_t cuts[4096], ncuts = 0;
    wire_enc_begin(&e, &b, t, top, mark_x, NULL);
    bool done;
    do {
        done = wire_enc_more(&e, &b, 64);
        assert_true(done || b.len >= 64);
        wire_put_raw(&all, b.p, b.len);
        assert_true(ncuts < 4096);
        cuts[ncuts++] = all.len;
        b.len = 0;
    } while (!done);
    assert_true(ncuts > 10);
    assert_int_equal(all.len, whole.len);
    assert_memory_equal(all.p, whole.p, whole.len);

    struct tree *u = tree_new("all", 3);
    struct tree_node *h = add(u, u->root, "h", 0), *marked = NULL;
    struct wire_dec dec;
    struct wire_rd r = {all.p, all.p + cuts[0], false};
    wire_dec_begin(&dec, &r, u, tree_main_arena(u), h, on_marked, &marked);
    int k = 0;
    for (size_t i = 0; i < ncuts; i++) {
        r.end = all.p + cuts[i];
        k = wire_dec_more(&dec, &r, false);
        assert_int_equal(k, i + 1 < ncuts ? 0 : 1);
        assert_ptr_equal(r.p, r.end);
    }
    wire_dec_free(&dec);
    assert_non_null(marked);
    assert_int_equal(tree_count_nodes(top), tree_count_nodes(h));
    /* written again, the same bytes (the sibling order kept) */
    struct wire_buf again = {0};
    wire_put_children(&again, u, h, mark_x, NULL);
    assert_int_equal(again.len, whole.len);
    assert_memory_equal(again.p, whole.p, whole.len);

    /* a piece cut inside a node is malformed */
    struct tree *v = tree_new("all", 3);
    struct wire_rd rc = {all.p, all.p + cuts[0] + 1, false};
    wire_dec_begin(&dec, &rc, v, tree_main_arena(v), v->root, NULL, NULL);
    assert_int_equal(wire_dec_more(&dec, &rc, false), -1);
    wire_dec_free(&dec);
    tree_free(v);
    free(again.p);
    free(all.p);
    free(b.p);
    free(whole.p);
    tree_free(u);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varints),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_keys_order_as_tree_path_cmp),
    };
    return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
