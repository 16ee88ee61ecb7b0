/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_glob.h"
#include "diff_metrics.h"
#include "diff_rank.h"
#include "tree.h"

/* Adds "a/b/c" with own weight w in slot 0 (and slot 1 = w*10, to check the
 * join reads the slot it is told to); directories on the way get TREE_DIR. */
static struct tree_node *put(struct tree *t, const char *path, uint64_t w)
{
    struct tree_node *n = t->root;
    const char *p = path;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        n = tree_child(tree_main_arena(t), n, p, len, NULL);
        if (e) {
            n->flags |= TREE_DIR;
            p = e + 1;
        } else {
            p += len;
        }
    }
    tree_set_w(n, 0, tree_w(n, 0) + w);
    tree_set_w(n, 1, tree_w(n, 1) + w * 10);
    return n;
}

static void mkdir_(struct tree *t, const char *path, uint64_t own)
{
    put(t, path, own)->flags |= TREE_DIR;
}

/* the joined node at a slash-separated path, or NULL */
static const struct tree_node *find(const struct tree *j, const char *path)
{
    const struct tree_node *n = j->root;
    const char *p = path;
    while (*p && n) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const struct tree_node *c = tree_first_child(n);
        while (c && !(c->len == len && memcmp(c->name, p, len) == 0))
            c = tree_next_sibling(c);
        n = c;
        p += len + (e ? 1 : 0);
    }
    return n;
}

static struct tree *join(struct tree *b, struct tree *a, bool match_top, struct diff_info *info)
{
    tree_finish(b);
    tree_finish(a);
    struct diff_opts o = {0, 0, NULL, NULL, NULL, match_top, false, NULL};
    struct tree *j = NULL;
    const char *err = NULL;
    assert_int_equal(diff_join(b, a, &o, &j, info, &err), 0);
    assert_non_null(j);
    assert_int_equal(j->nweights, 2);
    assert_true(j->finished);
    uint64_t mb = 1, ma = 1;
    for (unsigned i = b->scale; i < j->scale; i++)
        mb *= 10;
    for (unsigned i = a->scale; i < j->scale; i++)
        ma *= 10;
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), tree_w(b->root, 0) * mb);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), tree_w(a->root, 0) * ma);
    /* every node: total = own + children, on both sides */
    struct tree_iter it;
    tree_iter_init(&it, j->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        for (unsigned s = 0; s < 2; s++) {
            uint64_t sum = 0;
            for (struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c))
                sum += tree_w(c, s);
            assert_true(tree_w(n, s) >= sum);
        }
    return j;
}

static void test_basic_join(void **state)
{
    (void)state;
    struct tree *b = tree_new("old", 3), *a = tree_new("new", 3);
    mkdir_(b, "src", 4096);
    put(b, "src/main.c", 1000);
    put(b, "src/gone.c", 300);
    mkdir_(b, "docs", 4096);
    put(b, "docs/x.txt", 50);
    mkdir_(a, "src", 4096);
    put(a, "src/main.c", 1500);
    put(a, "src/new.c", 70);
    mkdir_(a, "lib", 4096);
    put(a, "lib/libx.so", 9000);
    tree_set_w(b->root, 0, tree_w(b->root, 0) + 4096);
    tree_set_w(a->root, 0, tree_w(a->root, 0) + 4096);
    struct tree *j = join(b, a, true, NULL);
    assert_string_equal(j->root->name, "new");
    const struct tree_node *n = find(j, "src/main.c");
    assert_non_null(n);
    assert_int_equal(tree_w(n, TREE_W_BEFORE), 1000);
    assert_int_equal(tree_w(n, TREE_W_AFTER), 1500);
    n = find(j, "docs");
    assert_non_null(n);
    assert_true(n->flags & TREE_DIR);
    assert_int_equal(tree_w(n, TREE_W_BEFORE), 4146);
    assert_int_equal(tree_w(n, TREE_W_AFTER), 0);
    n = find(j, "lib/libx.so");
    assert_int_equal(tree_w(n, TREE_W_BEFORE), 0);
    assert_int_equal(tree_w(n, TREE_W_AFTER), 9000);
    assert_int_equal(tree_w(find(j, "src/gone.c"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(find(j, "src"), TREE_W_BEFORE), 4096 + 1300);
    assert_int_equal(tree_own(find(j, "src"), TREE_W_AFTER), 4096);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 4096 * 3 + 1350);
    /* sorted by name */
    assert_string_equal(tree_first_child(j->root)->name, "docs");
    assert_string_equal(tree_next_sibling(tree_first_child(j->root))->name, "lib");
    assert_string_equal(tree_next_sibling(tree_next_sibling(tree_first_child(j->root)))->name,
                        "src");
    assert_int_equal(tree_count_nodes(j->root), 9);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_slots(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 3), *a = tree_new("a", 3);
    put(b, "f", 5);
    put(a, "f", 7);
    tree_finish(b);
    tree_finish(a);
    struct diff_opts o = {1, 0, NULL, NULL, NULL, false, false, NULL};
    struct tree *j;
    const char *err;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), 0);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 50);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), 7);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_empty_sides(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    struct tree *j = join(b, a, true, NULL);
    assert_int_equal(tree_w(j->root, 0), 0);
    assert_int_equal(tree_w(j->root, 1), 0);
    assert_null(tree_first_child(j->root));
    tree_free(j);
    tree_free(a);
    tree_free(b);

    /* one side empty: every path of the other appears, 0 on the empty side */
    b = tree_new("b", 1);
    a = tree_new("a", 1);
    put(a, "x/y/z", 3);
    put(a, "x/w", 4);
    j = join(b, a, true, NULL);
    assert_int_equal(tree_w(find(j, "x/y/z"), TREE_W_AFTER), 3);
    assert_int_equal(tree_w(find(j, "x/y/z"), TREE_W_BEFORE), 0);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), 7);
    tree_free(j);
    j = join(a, b, true, NULL);
    assert_int_equal(tree_w(find(j, "x/w"), TREE_W_BEFORE), 4);
    assert_int_equal(tree_w(find(j, "x/w"), TREE_W_AFTER), 0);
    assert_string_equal(j->root->name, "b");
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_root_names_ignored(void **state)
{
    (void)state;
    struct tree *b = tree_new("build-old", 1), *a = tree_new("build-new", 1);
    put(b, "bin/app", 10);
    put(a, "bin/app", 12);
    put(b, "lib/x", 1);
    put(a, "lib/x", 1);
    struct diff_info info;
    struct tree *j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_NONE);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_BEFORE), 10);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_AFTER), 12);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

/* a scan's tree: root "all", one child per PATH; the PATH nodes are compared */
static void test_root_override(void **state)
{
    (void)state;
    struct tree *b = tree_new("all", 1), *a = tree_new("all", 1);
    put(b, "old/bin/app", 10);
    put(b, "old/x", 1);
    put(a, "new/bin/app", 12);
    put(a, "new/y", 2);
    tree_finish(b);
    tree_finish(a);
    struct diff_opts o = {
        0, 0, tree_first_child(b->root), tree_first_child(a->root), NULL, true, false, NULL};
    struct tree *j;
    const char *err;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), 0);
    assert_string_equal(j->root->name, "new");
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_BEFORE), 10);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_AFTER), 12);
    assert_int_equal(tree_w(find(j, "x"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(find(j, "y"), TREE_W_BEFORE), 0);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 11);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), 14);
    tree_free(j);

    /* the shape of a scan: "all", then the matched roots named as AFTER's */
    o.root_name = "all";
    struct diff_info info;
    assert_int_equal(diff_join(b, a, &o, &j, &info, &err), 0);
    assert_string_equal(j->root->name, "all");
    assert_ptr_equal(tree_first_child(j->root), info.base);
    assert_null(tree_next_sibling(info.base));
    assert_string_equal(info.base->name, "new");
    assert_int_equal(tree_w(find(j, "new/bin/app"), TREE_W_BEFORE), 10);
    assert_int_equal(tree_w(find(j, "new/x"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 11);
    assert_int_equal(tree_own(j->root, TREE_W_BEFORE), 0);
    /* the report's paths start below the base */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct diff_text_opts to = {DIFF_COUNT, "bytes", "old", "new", '/', info.base, 10, NULL, 0};
    assert_int_equal(diff_write_text(fp, j, &to), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "      +2      10     12   +20.0%  bin/app\n"));
    assert_null(strstr(buf, "new/bin"));
    free(buf);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_wrapper_matched(void **state)
{
    (void)state;
    struct tree *b = tree_new("app-1.0.tar.gz", 1), *a = tree_new("app-1.1.tar.gz", 1);
    put(b, "app-1.0/bin/app", 100);
    put(b, "app-1.0/README", 5);
    put(a, "app-1.1/bin/app", 130);
    put(a, "app-1.1/NEWS", 9);
    struct diff_info info;
    struct tree *j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_MATCHED);
    assert_string_equal(info.top_before->name, "app-1.0");
    assert_string_equal(info.top_after->name, "app-1.1");
    assert_null(find(j, "app-1.0"));
    assert_int_equal(tree_w(find(j, "app-1.1/bin/app"), TREE_W_BEFORE), 100);
    assert_int_equal(tree_w(find(j, "app-1.1/bin/app"), TREE_W_AFTER), 130);
    assert_int_equal(tree_w(find(j, "app-1.1/README"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(find(j, "app-1.1/NEWS"), TREE_W_BEFORE), 0);
    assert_int_equal(tree_count_nodes(j->root), 6);
    tree_free(j);

    /* without the rule the two wrappers are two paths */
    j = join(b, a, false, &info);
    assert_int_equal(info.top, DIFF_TOP_NONE);
    assert_int_equal(tree_w(find(j, "app-1.0"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(find(j, "app-1.1"), TREE_W_BEFORE), 0);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_wrapper_not_matched(void **state)
{
    (void)state;
    /* a single FILE at the top is not a wrapper */
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(b, "one", 1);
    put(a, "two", 2);
    struct diff_info info;
    struct tree *j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_NONE);
    assert_int_equal(tree_w(find(j, "one"), TREE_W_AFTER), 0);
    assert_int_equal(tree_w(find(j, "two"), TREE_W_BEFORE), 0);
    tree_free(j);
    tree_free(a);
    tree_free(b);

    /* same single name: matched by name, the rule is not needed */
    b = tree_new("b", 1);
    a = tree_new("a", 1);
    put(b, "src/x", 1);
    put(a, "src/x", 2);
    j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_NONE);
    assert_int_equal(tree_w(find(j, "src/x"), TREE_W_BEFORE), 1);
    tree_free(j);
    tree_free(a);
    tree_free(b);

    /* a directory (not an archive) with one subdirectory is not unwrapped */
    b = tree_new("b", 1);
    a = tree_new("a", 1);
    put(b, "src/x", 1);
    put(a, "x", 2);
    put(a, "y", 2);
    j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_NONE);
    assert_int_equal(tree_w(find(j, "src/x"), TREE_W_AFTER), 0);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_wrapper_unwrapped(void **state)
{
    (void)state;
    /* a tarball with a top directory against a directory scanned itself */
    struct tree *b = tree_new("app-1.0.tar", 1), *a = tree_new("app-1.1", 1);
    b->root->flags |= TREE_ARCHIVE;
    mkdir_(b, "app-1.0", 512);
    put(b, "app-1.0/bin/app", 100);
    put(a, "bin/app", 120);
    put(a, "NEWS", 3);
    struct diff_info info;
    struct tree *j = join(b, a, true, &info);
    assert_int_equal(info.top, DIFF_TOP_UNWRAP_BEFORE);
    assert_null(find(j, "app-1.0"));
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_BEFORE), 100);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_AFTER), 120);
    assert_int_equal(tree_own(j->root, TREE_W_BEFORE), 512);
    tree_free(j);
    /* and the other way round */
    j = join(a, b, true, &info);
    assert_int_equal(info.top, DIFF_TOP_UNWRAP_AFTER);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_BEFORE), 120);
    assert_int_equal(tree_w(find(j, "bin/app"), TREE_W_AFTER), 100);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

/* deep paths: the join, finish and iteration must not recurse */
static void test_deep(void **state)
{
    (void)state;
    enum { DEPTH = 200000 };
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    struct tree_node *nb = b->root, *na = a->root;
    for (int i = 0; i < DEPTH; i++) {
        nb = tree_child(tree_main_arena(b), nb, "d", 1, NULL);
        na = tree_child(tree_main_arena(a), na, "d", 1, NULL);
        nb->flags |= TREE_DIR;
        na->flags |= TREE_DIR;
    }
    tree_set_w(nb, 0, 5);
    tree_set_w(na, 0, 8);
    tree_set_w(tree_child(tree_main_arena(a), a->root, "e", 1, NULL), 0, 1);
    struct tree *j = join(b, a, true, NULL);
    assert_int_equal(tree_count_nodes(j->root), DEPTH + 2);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 5);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), 9);
    struct diff_entry g[2], s[2];
    size_t ng, ns;
    diff_top_changes(j->root, 2, g, &ng, s, &ns);
    assert_int_equal(ng, 2);
    assert_int_equal(ns, 0);
    assert_int_equal(g[0].after - g[0].before, 3);
    assert_int_equal(g[0].node->len, 1);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_scales(void **state)
{
    (void)state;
    struct tree *b = tree_new("all", 1), *a = tree_new("all", 1);
    put(b, "f", 3);   /* 3 */
    put(a, "f", 325); /* 3.25 at scale 2 */
    a->scale = 2;
    struct tree *j = join(b, a, false, NULL);
    assert_int_equal(j->scale, 2);
    assert_int_equal(tree_w(find(j, "f"), TREE_W_BEFORE), 300);
    assert_int_equal(tree_w(find(j, "f"), TREE_W_AFTER), 325);
    tree_free(j);
    tree_free(a);
    tree_free(b);

    /* a count that cannot be scaled is an error, not a wrong number */
    b = tree_new("all", 1);
    a = tree_new("all", 1);
    put(b, "f", UINT64_MAX / 50);
    a->scale = 2;
    tree_finish(b);
    tree_finish(a);
    struct diff_opts o = {0, 0, NULL, NULL, NULL, false, false, NULL};
    const char *err = NULL;
    j = (struct tree *)1;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), -1);
    assert_null(j);
    assert_non_null(err);
    tree_free(a);
    tree_free(b);
}

static void test_gate(void **state)
{
    (void)state;
    struct diff_gate g;
    assert_int_equal(diff_gate_parse("1K", 0, &g), 0);
    assert_false(g.percent);
    assert_int_equal(g.amount, 1024);
    assert_false(diff_gate_trips(&g, 1000, 2024));
    assert_true(diff_gate_trips(&g, 1000, 2025));
    assert_false(diff_gate_trips(&g, 5000, 10));
    assert_int_equal(diff_gate_parse("5%", 0, &g), 0);
    assert_true(g.percent);
    assert_false(diff_gate_trips(&g, 100, 105));
    assert_true(diff_gate_trips(&g, 100, 106));
    assert_true(diff_gate_trips(&g, 0, 1));
    assert_false(diff_gate_trips(&g, 0, 0));
    assert_int_equal(diff_gate_parse("0%", 0, &g), 0);
    assert_true(diff_gate_trips(&g, 100, 101));
    assert_false(diff_gate_trips(&g, 100, 100));
    assert_int_equal(diff_gate_parse("2.5%", 0, &g), 0);
    assert_false(diff_gate_trips(&g, 1000, 1025));
    assert_true(diff_gate_trips(&g, 1000, 1026));
    assert_int_equal(diff_gate_parse("3", 2, &g), 0);
    assert_int_equal(g.amount, 300);
    assert_int_equal(diff_gate_parse("", 0, &g), -1);
    assert_int_equal(diff_gate_parse("%", 0, &g), -1);
    assert_int_equal(diff_gate_parse("-5%", 0, &g), -1);
    assert_int_equal(diff_gate_parse("5x", 0, &g), -1);
    assert_int_equal(diff_gate_parse("1e3%", 0, &g), -1);
    assert_int_equal(diff_gate_parse("5%%", 0, &g), -1);
    assert_int_equal(diff_gate_parse("99999999999999999999", 0, &g), -1);
    struct diff_gate none = {0};
    assert_false(diff_gate_trips(&none, 0, 1000));
}

static void test_top_and_text(void **state)
{
    (void)state;
    struct tree *b = tree_new("old", 1), *a = tree_new("new", 1);
    put(b, "src/main.c", 1000);
    put(b, "docs/a", 50);
    put(b, "docs/b", 60);
    put(a, "src/main.c", 3000);
    put(a, "lib/x", 500);
    put(a, "lib/y", 600);
    put(b, "same", 7);
    put(a, "same", 7);
    struct tree *j = join(b, a, true, NULL);
    struct diff_entry g[5], s[5];
    size_t ng, ns;
    diff_top_changes(j->root, 5, g, &ng, s, &ns);
    assert_int_equal(ng, 2);
    assert_string_equal(g[0].node->name, "main.c");
    assert_false(g[0].whole);
    assert_string_equal(g[1].node->name, "lib");
    assert_true(g[1].whole);
    assert_int_equal(g[1].after, 1100);
    assert_int_equal(ns, 1);
    assert_string_equal(s[0].node->name, "docs");
    assert_int_equal(s[0].before, 110);
    uint64_t gw;
    assert_int_equal(diff_count_gone(j->root, &gw), 1);
    assert_int_equal(gw, 110);
    diff_top_changes(j->root, 1, g, &ng, s, &ns);
    assert_int_equal(ng, 1);
    assert_string_equal(g[0].node->name, "main.c");

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct diff_text_opts o = {DIFF_BYTES, "bytes", "old", "new", '/', NULL, 10, NULL, 0};
    assert_int_equal(diff_write_text(fp, j, &o), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "1,117 bytes  old"));
    assert_non_null(strstr(buf, "4,107 bytes  new"));
    assert_non_null(strstr(buf, "change  +2.9 KiB (+267.7%)"));
    /* largest absolute change first; one line a path; marks in the % column */
    const char *want = "changed most (3 of 3 paths, largest change first)\n"
                       "    change  before    after        %  path\n"
                       "  +2.0 KiB  1000 B  2.9 KiB  +200.0%  src/main.c\n"
                       "  +1.1 KiB     0 B  1.1 KiB      new  lib/\n"
                       "    -110 B   110 B      0 B  removed  docs/\n";
    assert_non_null(strstr(buf, want));
    assert_null(strstr(buf, "same"));
    free(buf);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_change_text(void **state)
{
    (void)state;
    char buf[DIFF_CHANGE_LEN];
    assert_string_equal(diff_change(100, 150, DIFF_COUNT, 0, buf), "+50 (+50.0%)");
    assert_string_equal(diff_change(100, 50, DIFF_COUNT, 0, buf), "-50 (-50.0%)");
    assert_string_equal(diff_change(0, 5, DIFF_COUNT, 0, buf), "+5 (new)");
    assert_string_equal(diff_change(7, 7, DIFF_COUNT, 0, buf), "0 (0.0%)");
    assert_string_equal(diff_change(0, 0, DIFF_COUNT, 0, buf), "0 (0.0%)");
    assert_string_equal(diff_change(100, 1125, DIFF_COUNT, 2, buf), "+10.25 (+1025.0%)");
    assert_string_equal(diff_change(1024, 3072, DIFF_BYTES, 0, buf), "+2.0 KiB (+200.0%)");
}

/* control bytes in names never reach the terminal raw */
static void test_text_escapes(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(a, "evil\033[2Jname", 5);
    struct tree *j = join(b, a, true, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct diff_text_opts o = {DIFF_COUNT, "samples", "b", "a", ';', NULL, 3, NULL, 0};
    assert_int_equal(diff_write_text(fp, j, &o), 0);
    fclose(fp);
    assert_null(strchr(buf, '\033'));
    assert_non_null(strstr(buf, "evil\\x1b[2Jname"));
    free(buf);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

/* the ranking: by absolute change, chains of one change folded, new and
 * removed paths whole */
static void test_rank(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(b, "dist/app.js", 100);
    put(a, "dist/app.js", 400);
    put(b, "dist/vendor.js", 50);
    put(a, "dist/vendor.js", 50);
    put(b, "gone/x/y", 30);
    put(b, "gone/z", 5);
    put(a, "new/deep/only", 20);
    put(b, "swap/up", 10);
    put(a, "swap/up", 60);
    put(b, "swap/down", 60);
    put(a, "swap/down", 10);
    put(b, "pair/p", 10);
    put(a, "pair/p", 20);
    put(b, "pair/q", 10);
    put(a, "pair/q", 20);
    struct tree *j = join(b, a, false, NULL);
    size_t n;
    struct diff_row *r = diff_rank(j->root, &n);
    /* ties in pre-order (siblings by name) */
    const char *want[] = {"dist/app.js",   "swap/down", "swap/up", "gone",
                          "new/deep/only", "pair",      "pair/p",  "pair/q"};
    const uint64_t change[] = {300, 50, 50, 35, 20, 20, 10, 10};
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++) {
        char *p = diff_path(j->root, r[i].node, '/');
        assert_string_equal(p, want[i]);
        uint64_t d = r[i].after > r[i].before ? r[i].after - r[i].before : r[i].before - r[i].after;
        assert_int_equal(d, change[i]);
        free(p);
    }
    assert_int_equal(r[0].mark, DIFF_CHANGED);
    assert_int_equal(r[3].mark, DIFF_REMOVED);
    assert_int_equal(r[3].before, 35);
    assert_int_equal(r[4].mark, DIFF_NEW);
    assert_int_equal(r[5].mark, DIFF_CHANGED);
    free(r);
    /* nothing changed: no rows */
    struct diff_row *none = diff_rank(find(j, "dist/vendor.js"), &n);
    assert_null(none);
    assert_int_equal(n, 0);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static char *written(int (*w)(FILE *, const struct tree *, const struct diff_text_opts *),
                     const struct tree *j, const struct diff_text_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(w(fp, j, o), 0);
    fclose(fp);
    return buf;
}

static void test_rank_json_markdown(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(b, "main;foo", 100);
    put(a, "main;foo", 125);
    put(b, "old|<x>", 8);
    put(a, "new`*", 3);
    b->scale = a->scale = 0;
    struct tree *j = join(b, a, false, NULL);
    struct diff_text_opts o = {DIFF_COUNT, "samples", "b \"1\"", "a", '/', NULL, 2, NULL, 0};
    char *js = written(diff_write_json, j, &o);
    assert_non_null(strstr(js, "\"before\": {\"label\": \"b \\\"1\\\"\", \"total\": 108}"));
    assert_non_null(strstr(js, "\"after\": {\"label\": \"a\", \"total\": 128}"));
    assert_non_null(strstr(js, "\"change\": 20,"));
    assert_non_null(strstr(js, "\"paths_changed\": 3"));
    assert_non_null(strstr(js, "{\"path\": \"main;foo\", \"dir\": false, \"before\": 100, "
                               "\"after\": 125, \"change\": 25, \"percent\": 25.00, "
                               "\"mark\": \"changed\"}"));
    /* no raw "<" (the page embeds this in a script element) */
    assert_non_null(strstr(js, "\"path\": \"old|\\u003cx\\u003e\""));
    assert_non_null(strstr(js, "\"change\": -8, \"percent\": -100.00, \"mark\": \"removed\""));
    assert_null(strstr(js, "new`"));
    free(js);
    char *md = written(diff_write_markdown, j, &o);
    assert_non_null(strstr(md, "| Path | Before | After | Change | % |\n|:--|--:|--:|--:|--:|\n"
                               "| main;foo | 100 | 125 | +25 | +25.0% |\n"
                               "| old\\|&lt;x&gt; | 8 | 0 | -8 | removed |\n"));
    assert_non_null(strstr(md, "2 of 3 changed paths"));
    free(md);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

static void test_glob(void **state)
{
    (void)state;
#define M(p, s) diff_glob_match(p, s, strlen(s))
    assert_true(M("dist/*.js", "dist/app.js"));
    assert_false(M("dist/*.js", "dist/sub/app.js"));
    assert_false(M("dist/*.js", "dist/app.json"));
    assert_true(M("dist/**.js", "dist/sub/app.js"));
    assert_true(M("**/*.js", "app.js"));
    assert_true(M("**/*.js", "a/b/c/app.js"));
    assert_true(M("dist/**", "dist/a/b"));
    assert_false(M("dist/**", "dist"));
    assert_true(M("a?c", "abc"));
    assert_false(M("a?c", "a/c"));
    assert_true(M("a\\*", "a*"));
    assert_false(M("a\\*", "ab"));
    assert_true(M("*", "x"));
    assert_false(M("*", "x/y"));
    assert_true(M("**", "x/y"));
    assert_true(M("", ""));
    assert_false(M("", "x"));
    assert_true(M("a:b/*", "a:b/c"));
    /* no exponential blow-up on many stars */
    assert_false(
        M("*a*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
#undef M
    struct diff_path_gate pg;
    assert_int_equal(diff_path_gate_parse("5%:dist/*.js", 0, &pg), 0);
    assert_true(pg.gate.percent);
    assert_string_equal(pg.glob, "dist/*.js");
    assert_int_equal(diff_path_gate_parse("1K:a:b", 0, &pg), 0);
    assert_int_equal(pg.gate.amount, 1024);
    assert_string_equal(pg.glob, "a:b");
    assert_int_equal(diff_path_gate_parse("dist/*.js", 0, &pg), -1);
    assert_int_equal(diff_path_gate_parse("5%:", 0, &pg), -1);
    assert_int_equal(diff_path_gate_parse(":x", 0, &pg), -1);
    assert_int_equal(diff_path_gate_parse("lots:x", 0, &pg), -1);
}

static void test_glob_sum(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(b, "dist/app.js", 100);
    put(a, "dist/app.js", 200);
    put(b, "dist/sub/x.js", 10);
    put(a, "dist/sub/x.js", 11);
    put(a, "dist/new.js", 50);
    put(b, "src/a.c", 1000);
    put(a, "src/a.c", 1000);
    struct tree *j = join(b, a, false, NULL);
    uint64_t sb, sa;
    size_t n;
    diff_glob_sum(j->root, "dist/*.js", &sb, &sa, &n);
    assert_int_equal(n, 2);
    assert_int_equal(sb, 100);
    assert_int_equal(sa, 250);
    /* a match counts whole: dist/ once, not again for what is below it */
    diff_glob_sum(j->root, "**", &sb, &sa, &n);
    assert_int_equal(n, 2);
    assert_int_equal(sb, 1110);
    assert_int_equal(sa, 1261);
    diff_glob_sum(j->root, "**.js", &sb, &sa, &n);
    assert_int_equal(n, 3);
    assert_int_equal(sa, 261);
    diff_glob_sum(j->root, "nothing", &sb, &sa, &n);
    assert_int_equal(n, 0);
    assert_int_equal(sb + sa, 0);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

/* --normalize: BEFORE scaled to AFTER's total */
static void test_normalize(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 1), *a = tree_new("a", 1);
    put(b, "f", 50);
    put(b, "g", 50);
    put(a, "f", 150);
    put(a, "g", 50);
    tree_finish(b);
    tree_finish(a);
    struct diff_opts o = {0, 0, NULL, NULL, NULL, false, true, NULL};
    struct tree *j;
    const char *err;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), 0);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 200);
    assert_int_equal(tree_w(j->root, TREE_W_AFTER), 200);
    assert_int_equal(tree_w(find(j, "f"), TREE_W_BEFORE), 100);
    assert_int_equal(tree_w(find(j, "g"), TREE_W_BEFORE), 100);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

/* every scan metric beside the joined tree: BEFORE and AFTER totals of disk
 * (slot 0), apparent (slot 1, ten times disk here) and entries (slot 2),
 * equal to each side's; the joined slots hold the one asked for and can be
 * switched to another and back */
static void test_metrics(void **state)
{
    (void)state;
    struct tree *b = tree_new("b", 3), *a = tree_new("a", 3);
    const char *bp[] = {"src/main.c", "src/gone.c", "docs/x"}, *ap[] = {"src/main.c", "lib/y"};
    uint64_t bw[] = {1000, 300, 50}, aw[] = {1500, 9000};
    for (int i = 0; i < 3; i++)
        tree_set_w(put(b, bp[i], bw[i]), 2, 1);
    for (int i = 0; i < 2; i++)
        tree_set_w(put(a, ap[i], aw[i]), 2, 1);
    tree_set_w((struct tree_node *)find(b, "src"), 2, 1);
    tree_set_w((struct tree_node *)find(b, "docs"), 2, 1);
    tree_set_w((struct tree_node *)find(a, "src"), 2, 1);
    tree_set_w((struct tree_node *)find(a, "lib"), 2, 1);
    tree_finish(b);
    tree_finish(a);
    struct diff_metrics *m = diff_metrics_new();
    struct diff_opts o = {1, 1, NULL, NULL, NULL, false, false, m};
    struct tree *j;
    const char *err;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), 0);
    uint64_t tot[DIFF_MSLOTS];
    assert_true(diff_metrics_get(m, j->root, tot));
    for (unsigned k = 0; k < DIFF_NMETRICS; k++) {
        assert_int_equal(tot[2 * k], tree_w(b->root, diff_metrics_slot(k)));
        assert_int_equal(tot[2 * k + 1], tree_w(a->root, diff_metrics_slot(k)));
    }
    assert_int_equal(tot[0], 1350);
    assert_int_equal(tot[3], 105000);
    assert_int_equal(tot[4], 5);
    assert_int_equal(tot[5], 4);
    /* the joined slots hold apparent size (slot 1), as asked */
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), tot[2]);
    const struct tree_node *g = find(j, "src/gone.c");
    assert_true(diff_metrics_get(m, g, tot));
    assert_int_equal(tot[0], 300);
    assert_int_equal(tot[1], 0);
    assert_int_equal(tot[4], 1);
    assert_int_equal(tot[5], 0);
    /* switched to entries, then back to apparent size */
    diff_metrics_use(m, j->root, DIFF_M_COUNT);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 5);
    assert_int_equal(tree_w(find(j, "src"), TREE_W_AFTER), 2);
    diff_metrics_use(m, j->root, DIFF_M_APPARENT);
    assert_int_equal(tree_w(j->root, TREE_W_BEFORE), 13500);
    assert_int_equal(tree_w(g, TREE_W_BEFORE), 3000);
    diff_metrics_free(m);
    tree_free(j);
    /* --normalize: each metric's BEFORE scaled to its AFTER total, the
     * opening one exactly as the joined slots */
    m = diff_metrics_new();
    o.normalize = true;
    o.metrics = m;
    assert_int_equal(diff_join(b, a, &o, &j, NULL, &err), 0);
    assert_true(diff_metrics_get(m, find(j, "src/main.c"), tot));
    assert_int_equal(tot[2], tree_w(find(j, "src/main.c"), TREE_W_BEFORE));
    assert_true(diff_metrics_get(m, j->root, tot));
    assert_int_equal(tot[2], tree_w(j->root, TREE_W_BEFORE));
    /* disk: 1350 scaled to 10500, rounded node by node */
    assert_true(tot[0] >= 10498 && tot[0] <= 10502);
    /* entries: 1 each, times 4/5, still rounds to 1 each */
    assert_int_equal(tot[4], 5);
    diff_metrics_free(m);
    tree_free(j);
    tree_free(a);
    tree_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_join),
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_empty_sides),
        cmocka_unit_test(test_root_names_ignored),
        cmocka_unit_test(test_root_override),
        cmocka_unit_test(test_wrapper_matched),
        cmocka_unit_test(test_wrapper_not_matched),
        cmocka_unit_test(test_wrapper_unwrapped),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_scales),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_top_and_text),
        cmocka_unit_test(test_change_text),
        cmocka_unit_test(test_text_escapes),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_rank_json_markdown),
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_glob_sum),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_metrics),
    };
    return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
