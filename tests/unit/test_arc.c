/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc.h"
#include "tree.h"

/* an archive built in memory with libarchive's writer */
struct mem {
    unsigned char *buf;
    size_t cap, used;
    struct archive *a;
};

static void mem_begin(struct mem *m, int format, int filter)
{
    m->cap = 1 << 22;
    m->buf = malloc(m->cap);
    m->a = archive_write_new();
    archive_write_set_format(m->a, format);
    if (filter)
        archive_write_add_filter(m->a, filter);
    archive_write_set_bytes_in_last_block(m->a, 1);
    assert_int_equal(archive_write_open_memory(m->a, m->buf, m->cap, &m->used), ARCHIVE_OK);
}

static void mem_add(struct mem *m, const char *name, int type, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, (unsigned)type);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
    assert_int_equal(archive_write_header(m->a, e), ARCHIVE_OK);
    if (type == AE_IFREG && len)
        assert_int_equal(archive_write_data(m->a, data, len), (la_ssize_t)len);
    archive_entry_free(e);
}

static void mem_end(struct mem *m)
{
    archive_write_close(m->a);
    archive_write_free(m->a);
}

static struct tree_node *find(struct tree_node *n, const char *path)
{
    while (*path) {
        const char *s = strchr(path, '/');
        size_t l = s ? (size_t)(s - path) : strlen(path);
        struct tree_node *c = tree_first_child(n);
        while (c && !(c->len == l && memcmp(c->name, path, l) == 0))
            c = tree_next_sibling(c);
        if (!c)
            return NULL;
        n = c;
        path += l + (s ? 1 : 0);
    }
    return n;
}

struct warns {
    int n;
    char last[512];
};

static void on_warn(void *ctx, const char *msg)
{
    struct warns *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

static void test_tar_names_and_weights(void **state)
{
    (void)state;
    struct mem m;
    mem_begin(&m, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP);
    char data[1000];
    memset(data, 'x', sizeof data);
    mem_add(&m, "d/e/f.txt", AE_IFREG, data, 100);
    mem_add(&m, "d", AE_IFDIR, NULL, 0);
    mem_add(&m, "../up", AE_IFREG, data, 7);
    mem_add(&m, "/abs/x", AE_IFREG, data, 9);
    mem_add(&m, "./dot", AE_IFREG, data, 11);
    mem_add(&m, "sym", AE_IFLNK, NULL, 0);
    mem_end(&m);
    struct warns w = {0};
    struct arc_opts o;
    arc_opts_init(&o);
    o.warn = on_warn;
    o.warn_ctx = &w;
    int status = -1;
    struct tree *t = arc_load_memory(m.buf, m.used, "x.tgz", &o, &status);
    assert_int_equal(status, 0);
    assert_int_equal(w.n, 0);
    assert_true(t->root->flags & TREE_ARCHIVE);
    assert_int_equal(tree_w(t->root, TREE_W_DISK), 100 + 7 + 9 + 11);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), 127);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 6);
    struct tree_node *up = find(t->root, "..");
    assert_non_null(up);
    assert_true(up->flags & TREE_LITERAL);
    assert_non_null(find(t->root, "../up"));
    assert_int_equal(tree_w(find(t->root, "abs/x"), 0), 9);
    assert_int_equal(tree_w(find(t->root, "dot"), 0), 11);
    struct tree_node *d = find(t->root, "d");
    assert_true(d->flags & TREE_DIR);
    assert_int_equal(tree_w(d, TREE_W_COUNT), 2); /* d itself and f.txt; e is implicit */
    assert_true(find(t->root, "sym")->flags & TREE_SYMLINK);
    tree_free(t);
    free(m.buf);
}

static void test_nested_and_depth(void **state)
{
    (void)state;
    struct mem in;
    mem_begin(&in, ARCHIVE_FORMAT_ZIP, 0);
    char data[5000];
    memset(data, 'z', sizeof data);
    mem_add(&in, "inner/file", AE_IFREG, data, sizeof data);
    mem_end(&in);
    struct mem out;
    mem_begin(&out, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_XZ);
    mem_add(&out, "lib.jar", AE_IFREG, in.buf, in.used);
    mem_add(&out, "readme", AE_IFREG, data, 10);
    mem_end(&out);
    struct arc_opts o;
    arc_opts_init(&o);
    int status;
    struct tree *t = arc_load_memory(out.buf, out.used, "o.tar.xz", &o, &status);
    assert_int_equal(status, 0);
    struct tree_node *jar = find(t->root, "lib.jar");
    assert_non_null(jar);
    assert_true(jar->flags & TREE_ARCHIVE);
    assert_int_equal(tree_w(jar, 0), 5000);
    assert_int_equal(tree_w(t->root, 0), 5010);
    tree_free(t);
    /* depth 1: the jar is a file of its own size */
    o.max_depth = 1;
    t = arc_load_memory(out.buf, out.used, "o.tar.xz", &o, &status);
    jar = find(t->root, "lib.jar");
    assert_false(jar->flags & TREE_ARCHIVE);
    assert_int_equal(tree_w(jar, 0), in.used);
    tree_free(t);
    free(in.buf);
    free(out.buf);
}

static void test_not_an_archive(void **state)
{
    (void)state;
    const char text[] = "just some text, not an archive\n";
    struct warns w = {0};
    struct arc_opts o;
    arc_opts_init(&o);
    o.warn = on_warn;
    o.warn_ctx = &w;
    int status;
    struct tree *t = arc_load_memory(text, sizeof text - 1, "notes.txt", &o, &status);
    assert_int_equal(status, 0);
    assert_false(t->root->flags & TREE_ARCHIVE);
    assert_null(tree_first_child(t->root));
    assert_int_equal(tree_w(t->root, 0), sizeof text - 1);
    tree_free(t);
    /* the same bytes named like an archive: a warning */
    t = arc_load_memory(text, sizeof text - 1, "notes.tar.gz", &o, &status);
    assert_int_equal(status, 1);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.last, "'notes.tar.gz'"));
    tree_free(t);
    t = arc_load_memory("", 0, "empty", &o, &status);
    assert_int_equal(status, 0);
    tree_free(t);
}

static void test_limits(void **state)
{
    (void)state;
    struct mem m;
    mem_begin(&m, ARCHIVE_FORMAT_TAR_USTAR, 0);
    char data[100] = {0};
    char name[32];
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name, "f%02d", i);
        mem_add(&m, name, AE_IFREG, data, sizeof data);
    }
    mem_end(&m);
    struct warns w = {0};
    struct arc_opts o;
    arc_opts_init(&o);
    o.warn = on_warn;
    o.warn_ctx = &w;
    o.max_entries = 10;
    int status;
    struct tree *t = arc_load_memory(m.buf, m.used, "l.tar", &o, &status);
    assert_int_equal(status, 1);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 10);
    assert_true(t->root->flags & TREE_UNREADABLE);
    assert_non_null(strstr(w.last, "--archive-entries"));
    assert_non_null(strstr(w.last, "'l.tar'"));
    tree_free(t);
    o.max_entries = ARC_DEFAULT_ENTRIES;
    o.max_bytes = 1000;
    t = arc_load_memory(m.buf, m.used, "l.tar", &o, &status);
    assert_int_equal(status, 1);
    assert_int_equal(tree_w(t->root, 0), 1000);
    assert_non_null(strstr(w.last, "--archive-bytes"));
    tree_free(t);
    /* truncated: what was read is kept */
    o.max_bytes = 0;
    t = arc_load_memory(m.buf, 512 * 41, "l.tar", &o, &status);
    assert_int_equal(status, 1);
    assert_true(tree_w(t->root, 0) >= 1000 && tree_w(t->root, 0) < 5000);
    tree_free(t);
    free(m.buf);
}

/* ARC_SCAN: the node keeps its weights; the entries share them exactly */
static void test_scan_apportion(void **state)
{
    (void)state;
    struct mem m;
    mem_begin(&m, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);
    static char data[30000];
    mem_add(&m, "a", AE_IFREG, data, 1);
    mem_add(&m, "b", AE_IFREG, data, 2);
    mem_add(&m, "c/d", AE_IFREG, data, 30000);
    mem_end(&m);
    struct tree *t = tree_new("all", 3);
    struct tree_node *n = tree_add(tree_main_arena(t), t->root, "x.tgz", 5);
    tree_set_w(n, TREE_W_DISK, 4096);
    tree_set_w(n, TREE_W_APPARENT, 333);
    tree_set_w(n, TREE_W_COUNT, 1);
    struct arc_opts o;
    arc_opts_init(&o);
    int r = arc_fill_memory(m.buf, m.used, "x.tgz", n, tree_main_arena(t), ARC_SCAN, &o);
    assert_int_equal(r, 0);
    tree_finish(t);
    assert_int_equal(tree_w(n, TREE_W_DISK), 4096);
    assert_int_equal(tree_w(n, TREE_W_APPARENT), 333);
    assert_int_equal(tree_w(n, TREE_W_COUNT), 1);
    assert_int_equal(tree_own(n, TREE_W_DISK), 0);
    uint64_t d = tree_w(find(n, "c/d"), TREE_W_DISK);
    assert_true(d == 4095 || d == 4096); /* 4096 * 30000 / 30003 = 4095.6 */
    tree_free(t);
    free(m.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tar_names_and_weights), cmocka_unit_test(test_nested_and_depth),
        cmocka_unit_test(test_not_an_archive),        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_scan_apportion),
    };
    return cmocka_run_group_tests_name("arc", tests, NULL, NULL);
}
