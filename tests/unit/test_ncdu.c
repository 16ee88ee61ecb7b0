/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "ncdu_read.h"
#include "ncdu_write.h"
#include "tree.h"

/* the messages of one read, joined by '\n' */
struct msgs {
    char buf[4096];
    size_t len;
    unsigned n;
};

static void on_warn(void *ctx, const char *msg)
{
    struct msgs *m = ctx;
    m->n++;
    int k = snprintf(m->buf + m->len, sizeof m->buf - m->len, "%s\n", msg);
    if (k > 0 && m->len + (size_t)k < sizeof m->buf)
        m->len += (size_t)k;
}

static struct tree *rd(const char *text, size_t len, struct msgs *m, int *status)
{
    memset(m, 0, sizeof *m);
    struct ncdu_read_opts o = {.warn = on_warn, .warn_ctx = m};
    return ncdu_read_memory(text, len, "x.json", &o, status);
}

#define RD(text, m, st) rd(text, sizeof(text) - 1, m, st)

/* the child of n named s */
static struct tree_node *kid(struct tree_node *n, const char *s)
{
    for (struct tree_node *c = n ? tree_first_child(n) : NULL; c; c = tree_next_sibling(c))
        if (c->len == strlen(s) && !memcmp(c->name, s, c->len))
            return c;
    return NULL;
}

static char *wr(struct tree *t, size_t *len)
{
    char *mem = NULL;
    FILE *f = open_memstream(&mem, len);
    assert_non_null(f);
    struct ncdu_write_opts o = {.timestamp = 1234, .progver = "t"};
    assert_int_equal(ncdu_write(f, t, &o), 0);
    fclose(f);
    return mem;
}

static const char sample[] =
    "[1,2,{\"progname\":\"ncdu\",\"progver\":\"1.18\",\"timestamp\":1},\n"
    "[{\"name\":\"/r\",\"asize\":4096,\"dsize\":4096,\"dev\":7},\n"
    "{\"name\":\"a.c\",\"asize\":10,\"dsize\":4096,\"mtime\":5,\"uid\":[1,{\"x\":null}]},\n"
    "[{\"name\":\"d\",\"asize\":4096,\"dsize\":4096,\"read_error\":true}],\n"
    "{\"name\":\"h1\",\"asize\":100,\"dsize\":4096,\"ino\":9,\"hlnkc\":true,\"nlink\":2},\n"
    "[{\"name\":\"s\",\"asize\":4096,\"dsize\":4096},\n"
    "{\"name\":\"h0\",\"asize\":100,\"dsize\":4096,\"ino\":9,\"hlnkc\":true,\"nlink\":2},\n"
    "{\"name\":\"ln\",\"asize\":3,\"notreg\":true},\n"
    "{\"name\":\"ex\",\"excluded\":\"otherfs\"}]]]\n";

static void test_read_sample(void **state)
{
    (void)state;
    struct msgs m;
    int st;
    struct tree *t = RD(sample, &m, &st);
    assert_non_null(t);
    assert_int_equal(st, 0);
    assert_int_equal(m.n, 0);
    assert_string_equal(t->root->name, "all");
    struct tree_node *top = kid(t->root, "/r");
    assert_non_null(top);
    /* dirs 3 x 4096 + a.c + one hard-linked file; entries: the excluded one
     * and the second name of the file are not counted */
    assert_int_equal(tree_w(t->root, TREE_W_DISK), 5 * 4096);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), 3 * 4096 + 10 + 100 + 3);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 6);
    assert_true(kid(top, "d")->flags & TREE_UNREADABLE);
    assert_true(kid(top, "d")->flags & TREE_DIR);
    assert_true(kid(kid(top, "s"), "ln")->flags & TREE_SPECIAL);
    struct tree_node *ex = kid(kid(top, "s"), "ex");
    assert_int_equal(tree_excluded_of(ex), TREE_EXCL_OTHERFS);
    assert_int_equal(tree_w(ex, TREE_W_COUNT), 0);
    /* the file counts on the first path bytewise: "/r/h1" < "/r/s/h0" */
    struct tree_node *h1 = kid(top, "h1"), *h0 = kid(kid(top, "s"), "h0");
    assert_int_equal(tree_w(h1, TREE_W_APPARENT), 100);
    assert_int_equal(tree_w(h0, TREE_W_APPARENT), 0);
    assert_true(h0->flags & TREE_HARDLINK);
    struct tree_link l;
    assert_true(tree_link_get(t, h0, &l));
    assert_int_equal(l.dev, 7); /* inherited from the top */
    assert_int_equal(l.ino, 9);
    assert_int_equal(l.nlink, 2);
    tree_free(t);
}

static void test_round_trip_bytes(void **state)
{
    (void)state;
    struct msgs m;
    int st;
    struct tree *t = RD(sample, &m, &st);
    size_t len;
    char *out = wr(t, &len);
    /* the writer's output reads back to the same totals and writes the
     * same bytes again */
    struct tree *t2 = rd(out, len, &m, &st);
    assert_non_null(t2);
    assert_int_equal(st, 0);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(tree_w(t->root, i), tree_w(t2->root, i));
    size_t len2;
    char *out2 = wr(t2, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(out, out2, len);
    assert_non_null(strstr(out, "{\"name\":\"ex\",\"excluded\":\"otherfs\"}"));
    /* every name of the file has its sizes and inode */
    assert_non_null(strstr(out, "{\"name\":\"h0\",\"asize\":100,\"dsize\":4096,\"dev\":7,"
                                "\"ino\":9,\"hlnkc\":true,\"nlink\":2}"));
    assert_non_null(strstr(out, "\"timestamp\":1234"));
    free(out);
    free(out2);
    tree_free(t);
    tree_free(t2);
}

static void test_names_any_bytes(void **state)
{
    (void)state;
    /* every byte value but '/' and NUL in a name, and escapes in the input */
    struct tree *t = tree_new("all", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *top = tree_add(a, t->root, "top", 3);
    top->flags |= TREE_DIR;
    char name[300];
    size_t k = 0;
    for (unsigned c = 1; c < 256; c++)
        if (c != '/')
            name[k++] = (char)c;
    tree_set_w(tree_add(a, top, name, k), TREE_W_COUNT, 1);
    tree_set_w(tree_add(a, top, "new\nline\xff\xfe", 10), TREE_W_COUNT, 1);
    tree_finish(t);
    size_t len;
    char *out = wr(t, &len);
    struct msgs m;
    int st;
    struct tree *t2 = rd(out, len, &m, &st);
    assert_int_equal(st, 0);
    struct tree_node *top2 = kid(t2->root, "top");
    assert_non_null(top2);
    struct tree_node *n = tree_first_child(top2);
    int found = 0;
    for (; n; n = tree_next_sibling(n)) {
        if (n->len == k && !memcmp(n->name, name, k))
            found |= 1;
        if (n->len == 10 && !memcmp(n->name, "new\nline\xff\xfe", 10))
            found |= 2;
    }
    assert_int_equal(found, 3);
    /* no raw control byte in the output but the newlines between entries */
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)out[i] >= 0x20 || out[i] == '\n');
    free(out);
    tree_free(t);
    tree_free(t2);

    static const char esc[] = "[1,0,{},[{\"name\":\"r\"},{\"name\":\"a\\u00e9\\ud83d\\ude00\\ud800"
                              "\\n\\/\\\"\\\\\\t\"}]]";
    t = RD(esc, &m, &st);
    assert_int_equal(st, 0);
    assert_non_null(kid(kid(t->root, "r"), "a\xc3\xa9\xf0\x9f\x98\x80\xed\xa0\x80\n/\"\\\t"));
    tree_free(t);
}

static void test_deep(void **state)
{
    (void)state;
    size_t levels = 20000, cap = levels * 30 + 100, n = 0;
    char *s = malloc(cap);
    n += (size_t)sprintf(s, "[1,2,{},");
    for (size_t i = 0; i < levels; i++)
        n += (size_t)sprintf(s + n, "[{\"name\":\"d\",\"asize\":1},");
    n += (size_t)sprintf(s + n, "{\"name\":\"f\",\"asize\":5}");
    for (size_t i = 0; i < levels; i++)
        s[n++] = ']';
    s[n++] = ']';
    struct msgs m;
    int st;
    struct tree *t = rd(s, n, &m, &st);
    assert_int_equal(st, 0);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), levels + 5);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), levels + 1);
    /* and it writes back, and reads back, whole */
    size_t len;
    char *out = wr(t, &len);
    struct tree *t2 = rd(out, len, &m, &st);
    assert_int_equal(st, 0);
    assert_int_equal(tree_w(t2->root, TREE_W_APPARENT), levels + 5);
    free(out);
    tree_free(t2);
    tree_free(t);
    /* beyond the limit: stopped, with what was read kept */
    struct ncdu_read_opts o = {.warn = on_warn, .warn_ctx = &m, .max_depth = 100};
    memset(&m, 0, sizeof m);
    t = ncdu_read_memory(s, n, "x.json", &o, &st);
    assert_non_null(t);
    assert_int_equal(st, 1);
    assert_non_null(strstr(m.buf, "nested deeper than 100 levels"));
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 100);
    tree_free(t);
    free(s);
}

/* one bad input: its status, a piece of its message, the entries kept */
static void bad(const char *text, int want_status, const char *want_msg, uint64_t entries)
{
    struct msgs m;
    int st = -1;
    struct tree *t = rd(text, strlen(text), &m, &st);
    if (st != want_status || !strstr(m.buf, want_msg))
        fail_msg("input %s: status %d, messages: %s", text, st, m.buf);
    assert_true(strncmp(m.buf, "'x.json': byte ", 15) == 0);
    if (want_status == 2) {
        assert_null(t);
        return;
    }
    assert_non_null(t);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), entries);
    tree_free(t);
}

static void test_bad_input(void **state)
{
    (void)state;
    bad("", 2, "unexpected end of input", 0);
    bad("hello", 2, "expected '['", 0);
    bad("[2,0,{},[{\"name\":\"r\"}]]", 2, "major version 2", 0);
    bad("[1,2,{},{\"name\":\"r\"}]", 2, "expected '['", 0);
    bad("[1,2,{},[{\"asize\":1}]]", 2, "byte 9: an entry without a name", 0);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"asize\":1}", 1, "unexpected end", 2);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"asi", 1, "unexpected end", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"asize\":\"1\"}]]", 1,
        "byte 42: expected a number", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":7}]]", 1, "'name' is not a string", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"asize\":9223372036854775808}]]", 1,
        "byte 42: 'asize' is out of range", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"dsize\":-1}]]", 1, "negative", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"dsize\":1.5}]]", 1, "whole number", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"hlnkc\":1}]]", 1, "not true or false", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\\q\"}]]", 1, "invalid escape", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\tb\"}]]", 1, "control byte 0x09", 1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\"}]] x", 1, "more after the end", 2);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\"},{\"name\":\"a\"},[{\"name\":\"a\"}]]]", 1,
        "byte 35: duplicate name 'r/a'", 4);
    /* an unknown key may hold anything, but it must be JSON */
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"x\":[1,{\"y\":[}]}]]", 1, "expected a value",
        1);
    bad("[1,2,{},[{\"name\":\"r\"},{\"name\":\"a\",\"x\":[1,2}]]", 1, "expected ',' or ']'", 1);
}

static void test_long_string_not_held(void **state)
{
    (void)state;
    /* a huge string in a key that is skipped costs nothing; a name longer
     * than the limit stops the reading where the name started */
    size_t big = 3u << 20;
    char *s = malloc(2 * big + 200);
    size_t n = (size_t)sprintf(s, "[1,2,{\"junk\":\"");
    memset(s + n, 'x', big);
    n += big;
    n += (size_t)sprintf(s + n, "\"},[{\"name\":\"r\"},{\"name\":\"");
    size_t at = n - 1;
    memset(s + n, 'y', big);
    n += big / 2;
    n += (size_t)sprintf(s + n, "\"}]]");
    struct msgs m;
    int st;
    struct tree *t = rd(s, n, &m, &st);
    assert_non_null(t);
    assert_int_equal(st, 1);
    char want[64];
    snprintf(want, sizeof want, "byte %zu: a name longer than 65536 bytes", at);
    if (!strstr(m.buf, want))
        fail_msg("%s", m.buf);
    tree_free(t);
    free(s);
}

static void test_compressed_and_fd(void **state)
{
    (void)state;
    size_t len = sizeof sample - 1;
    /* gzip */
    unsigned char gz[4096];
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)sample;
    z.avail_in = (uInt)len;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gzlen = sizeof gz - z.avail_out;
    deflateEnd(&z);
    /* zstd */
    unsigned char zs[4096];
    size_t zslen = ZSTD_compress(zs, sizeof zs, sample, len, 3);
    assert_false(ZSTD_isError(zslen));
    assert_true(ncdu_sniff(sample, len));
    assert_true(ncdu_sniff(gz, gzlen));
    assert_true(ncdu_sniff(zs, zslen));
    assert_false(ncdu_sniff("[2,", 3));
    assert_false(ncdu_sniff("a;b 1\n", 6));
    assert_false(ncdu_sniff("[1,2];main 5\n", 13)); /* a folded line */
    assert_false(ncdu_sniff("[1, x", 5));
    assert_true(ncdu_sniff(" [ 1 ,\n2 , {", 13));
    assert_true(ncdu_sniff("[1,", 3)); /* all there is so far */
    struct msgs m;
    int st;
    const void *in[] = {gz, zs};
    size_t inlen[] = {gzlen, zslen};
    for (int i = 0; i < 2; i++) {
        /* through a pipe, with the first bytes already read */
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(write(p[1], (const char *)in[i] + 5, inlen[i] - 5),
                         (ssize_t)(inlen[i] - 5));
        close(p[1]);
        memset(&m, 0, sizeof m);
        struct ncdu_read_opts o = {.warn = on_warn, .warn_ctx = &m};
        struct tree *t = ncdu_read_fd(p[0], in[i], 5, "x.json", &o, &st);
        close(p[0]);
        assert_non_null(t);
        if (st)
            fail_msg("%s", m.buf);
        assert_int_equal(tree_w(t->root, TREE_W_COUNT), 6);
        tree_free(t);
        /* cut short: what was read is kept, and the message says so */
        t = rd((const char *)in[i], inlen[i] * 3 / 4, &m, &st);
        assert_int_equal(st, t ? 1 : 2);
        assert_non_null(strstr(m.buf, "ends early"));
        tree_free(t);
    }
}

static void test_write_shapes(void **state)
{
    (void)state;
    /* several PATHs: the root is the top, marked, and reads back as root */
    struct tree *t = tree_new("all", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *f = tree_add(a, t->root, "file.txt", 8);
    tree_set_w(f, TREE_W_DISK, 4096);
    tree_set_w(f, TREE_W_APPARENT, 5);
    tree_set_w(f, TREE_W_COUNT, 1);
    struct tree_node *d = tree_add(a, t->root, "dir", 3);
    d->flags |= TREE_DIR | TREE_UNREADABLE;
    tree_set_w(d, TREE_W_COUNT, 1);
    struct tree_node *arc = tree_add(a, d, "x.tar", 5);
    arc->flags |= TREE_ARCHIVE;
    tree_set_w(arc, TREE_W_COUNT, 1);
    struct tree_node *mem = tree_add(a, arc, "m", 1);
    tree_set_w(mem, TREE_W_DISK, 8192);
    tree_set_w(mem, TREE_W_APPARENT, 100);
    tree_finish(t);
    size_t len;
    char *out = wr(t, &len);
    assert_non_null(strstr(out, "[{\"name\":\"all\",\"paths\":true},\n"));
    assert_non_null(strstr(out, "[{\"name\":\"dir\",\"read_error\":true},\n"));
    assert_non_null(strstr(out, "[{\"name\":\"x.tar\",\"archive\":true},\n"));
    assert_non_null(strstr(out, "{\"name\":\"m\",\"asize\":100,\"dsize\":8192,\"counted\":false}"));
    struct msgs m;
    int st;
    struct tree *t2 = rd(out, len, &m, &st);
    assert_int_equal(st, 0);
    assert_string_equal(t2->root->name, "all");
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(tree_w(t->root, i), tree_w(t2->root, i));
    assert_true(kid(kid(t2->root, "dir"), "x.tar")->flags & TREE_ARCHIVE);
    free(out);
    tree_free(t2);
    tree_free(t);
}

struct into_ctx {
    struct tree *t;
    int calls;
    char name[64];
    bool paths;
};

static struct tree_node *top_node(void *ctx, const char *name, size_t len, bool paths)
{
    struct into_ctx *c = ctx;
    c->calls++;
    c->paths = paths;
    snprintf(c->name, sizeof c->name, "%.*s", (int)len, name);
    return paths ? c->t->root : tree_add(tree_main_arena(c->t), c->t->root, "given", 5);
}

static void test_read_into(void **state)
{
    (void)state;
    /* into a node the caller makes, named as the caller likes */
    struct tree *t = tree_new("all", 3);
    struct into_ctx c = {.t = t};
    struct msgs m = {0};
    struct ncdu_read_opts o = {.warn = on_warn, .warn_ctx = &m};
    int st = ncdu_read_into(-1, sample, sizeof sample - 1, "x.json", t, tree_main_arena(t),
                            top_node, &c, &o);
    assert_int_equal(st, 0);
    assert_int_equal(c.calls, 1);
    assert_string_equal(c.name, "/r");
    assert_false(t->finished);
    tree_finish(t);
    assert_int_equal(tree_w(kid(t->root, "given"), TREE_W_COUNT), 6);
    assert_non_null(kid(kid(t->root, "given"), "a.c"));
    tree_free(t);
    /* several PATHs: into the root, after what is there */
    static const char paths[] = "[1,2,{},[{\"name\":\"all\",\"paths\":true},"
                                "{\"name\":\"p\",\"asize\":3},{\"name\":\"q\",\"asize\":4}]]";
    t = tree_new("all", 3);
    tree_set_w(tree_add(tree_main_arena(t), t->root, "old", 3), TREE_W_APPARENT, 10);
    c = (struct into_ctx){.t = t};
    st = ncdu_read_into(-1, paths, sizeof paths - 1, "x.json", t, tree_main_arena(t), top_node, &c,
                        &o);
    assert_int_equal(st, 0);
    assert_true(c.paths);
    tree_finish(t);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), 17);
    assert_non_null(kid(t->root, "old"));
    assert_non_null(kid(t->root, "q"));
    tree_free(t);
    /* nothing usable: the top is never asked for */
    t = tree_new("all", 3);
    c = (struct into_ctx){.t = t};
    st = ncdu_read_into(-1, "[1,2,{}", 7, "x.json", t, tree_main_arena(t), top_node, &c, &o);
    assert_int_equal(st, 2);
    assert_int_equal(c.calls, 0);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_sample),       cmocka_unit_test(test_round_trip_bytes),
        cmocka_unit_test(test_names_any_bytes),   cmocka_unit_test(test_deep),
        cmocka_unit_test(test_bad_input),         cmocka_unit_test(test_long_string_not_held),
        cmocka_unit_test(test_compressed_and_fd), cmocka_unit_test(test_write_shapes),
        cmocka_unit_test(test_read_into),
    };
    return cmocka_run_group_tests_name("ncdu", tests, NULL, NULL);
}
