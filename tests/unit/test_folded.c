/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "names.h"
#include "tree.h"

/* read text (with embedded NULs allowed) into a finished tree */
static struct tree *read_text(const char *text, size_t len, const struct folded_opts *o,
                              struct folded_stats *st)
{
    FILE *f = fmemopen((void *)text, len, "r");
    assert_non_null(f);
    struct folded_reader *r = folded_reader_new(o);
    memset(st, 0, sizeof *st);
    assert_int_equal(folded_reader_read(r, f, st), 0);
    fclose(f);
    return folded_reader_finish(r);
}

#define READ(text, st) read_text(text, sizeof(text) - 1, NULL, st)

/* the node at a ';'-separated path below the root (no escaping), or NULL */
static struct tree_node *at(struct tree *t, const char *path, size_t len)
{
    struct tree_node *n = t->root;
    const char *p = path, *end = path + len;
    while (n && p <= end) {
        const char *q = memchr(p, ';', (size_t)(end - p));
        size_t l = (size_t)((q ? q : end) - p);
        struct tree_node *c = tree_first_child(n);
        while (c && !(c->len == l && memcmp(c->name, p, l) == 0))
            c = tree_next_sibling(c);
        n = c;
        if (!q)
            break;
        p = q + 1;
    }
    return n;
}
#define AT(t, s) at(t, s, strlen(s))

static void test_merge_whatever_order(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("main;foo 5\nmain;foo2;x 1\nmain;foo;bar 3\n", &st);
    assert_int_equal(st.lines, 3);
    assert_int_equal(st.valid, 3);
    assert_int_equal(st.invalid, 0);
    assert_int_equal(t->nweights, 1);
    assert_string_equal(t->wnames[0], "samples");
    assert_string_equal(t->root->name, "all");
    assert_int_equal(tree_w(t->root, 0), 9);
    assert_int_equal(tree_w(AT(t, "main;foo"), 0), 8); /* one foo of 8 */
    assert_int_equal(tree_own(AT(t, "main;foo"), 0), 5);
    assert_int_equal(tree_w(AT(t, "main;foo;bar"), 0), 3);
    assert_int_equal(tree_w(AT(t, "main;foo2;x"), 0), 1);
    assert_int_equal(tree_count_nodes(t->root), 6);
    tree_free(t);
}

static void test_decimals(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("a 3\nb 0.5\nc 1.25\nd 2.50\ne 7.\n", &st);
    assert_int_equal(st.valid, 5);
    assert_int_equal(t->scale, 2);
    assert_int_equal(tree_w(AT(t, "a"), 0), 300);
    assert_int_equal(tree_w(AT(t, "b"), 0), 50);
    assert_int_equal(tree_w(AT(t, "c"), 0), 125);
    assert_int_equal(tree_w(AT(t, "d"), 0), 250);
    assert_int_equal(tree_w(AT(t, "e"), 0), 700);
    tree_free(t);
    /* trailing zeros do not raise the scale */
    t = READ("a 1.500\n", &st);
    assert_int_equal(t->scale, 1);
    assert_int_equal(tree_w(AT(t, "a"), 0), 15);
    tree_free(t);
}

static void test_differential(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("a;b 1 2\na;c 5\nd 4 0\n", &st);
    assert_true(st.differential);
    assert_int_equal(t->nweights, 2);
    assert_string_equal(t->wnames[TREE_W_BEFORE], "before");
    struct tree_node *b = AT(t, "a;b"), *c = AT(t, "a;c"), *d = AT(t, "d");
    assert_int_equal(tree_w(b, TREE_W_BEFORE), 1);
    assert_int_equal(tree_w(b, TREE_W_AFTER), 2);
    assert_int_equal(tree_w(c, TREE_W_BEFORE), 5); /* one count: no change */
    assert_int_equal(tree_w(c, TREE_W_AFTER), 5);
    assert_int_equal(tree_w(d, TREE_W_BEFORE), 4);
    assert_int_equal(tree_w(d, TREE_W_AFTER), 0);
    assert_int_equal(tree_w(t->root, TREE_W_AFTER), 7);
    assert_int_equal(tree_w(t->root, TREE_W_BEFORE), 10);
    tree_free(t);
    /* a name that merely ends in digits is no count: it needs whitespace */
    t = READ("x;y12 3\n", &st);
    assert_false(st.differential);
    assert_int_equal(tree_w(AT(t, "x;y12"), 0), 3);
    tree_free(t);
    /* decimals on either side */
    t = READ("a 0.5 1.25\n", &st);
    assert_int_equal(t->scale, 2);
    assert_int_equal(tree_w(AT(t, "a"), TREE_W_BEFORE), 50);
    assert_int_equal(tree_w(AT(t, "a"), TREE_W_AFTER), 125);
    tree_free(t);
}

static void test_crlf_blank_whitespace(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("a;b 1\r\n\r\n   \n\t\nc d;e\t 2 \r\nf 3", &st);
    assert_int_equal(st.lines, 6);
    assert_int_equal(st.blank, 3);
    assert_int_equal(st.valid, 3);
    assert_int_equal(st.invalid, 0);
    assert_non_null(AT(t, "a;b"));
    assert_int_equal(tree_w(AT(t, "a;b"), 0), 1);
    assert_int_equal(tree_w(AT(t, "c d;e"), 0), 2); /* spaces inside names stay */
    assert_int_equal(tree_w(AT(t, "f"), 0), 3);     /* last line without a newline */
    tree_free(t);
}

static void test_invalid_lines(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("ok 1\n"
                          "nocount\n"
                          "a 18446744073709551616\n"
                          "b -5\n"
                          "c 1x\n"
                          "d 18446744073709551615\n"
                          "12\n"
                          "e 0.1234567890123456789\n",
                          &st);
    assert_int_equal(st.lines, 8);
    assert_int_equal(st.valid, 2);
    assert_int_equal(st.invalid, 6);
    assert_int_equal(st.no_count, 3);
    assert_int_equal(st.overflow, 2);
    assert_int_equal(st.negative, 1);
    assert_int_equal(st.first_invalid, 2);
    assert_int_equal(tree_w(AT(t, "d"), 0), UINT64_MAX);
    assert_null(AT(t, "a"));
    assert_null(AT(t, "b"));
    tree_free(t);
    /* a decimal that would make an earlier count overflow is refused, and the
     * tree is unchanged */
    t = READ("big 18446744073709551615\nsmall 0.5\n", &st);
    assert_int_equal(st.overflow, 1);
    assert_int_equal(st.first_invalid, 2);
    assert_int_equal(t->scale, 0);
    assert_int_equal(tree_w(AT(t, "big"), 0), UINT64_MAX);
    tree_free(t);
    /* folded_reader_line says what a line was */
    struct folded_reader *r = folded_reader_new(NULL);
    assert_int_equal(folded_reader_line(r, "x 1", 3), FOLDED_OK);
    assert_int_equal(folded_reader_line(r, "  ", 2), FOLDED_BLANK);
    assert_int_equal(folded_reader_line(r, "x -1", 4), FOLDED_NEGATIVE);
    assert_int_equal(folded_reader_line(r, "x", 1), FOLDED_NO_COUNT);
    assert_int_equal(folded_reader_line(r, "x 99999999999999999999", 22), FOLDED_OVERFLOW);
    folded_reader_free(r);
}

static void test_empty_frames(void **state)
{
    (void)state;
    struct folded_stats st;
    struct tree *t = READ("a;;b 1\n;c 2\nd;e;; 3\n 4\n", &st);
    assert_int_equal(st.valid, 4);
    struct tree_node *e = at(t, "a;;b", 4);
    assert_non_null(e);
    assert_int_equal(tree_w(e, 0), 1);
    assert_int_equal(tree_parent(e)->len, 0);
    assert_int_equal(tree_w(at(t, ";c", 2), 0), 2);
    /* trailing ';' make no frame, as Perl's split */
    assert_int_equal(tree_own(AT(t, "d;e"), 0), 3);
    assert_null(tree_first_child(AT(t, "d;e")));
    /* an empty stack counts for the root itself */
    assert_int_equal(tree_own(t->root, 0), 4);
    assert_int_equal(tree_w(t->root, 0), 10);
    tree_free(t);
}

static void test_deep_stack(void **state)
{
    (void)state;
    size_t n = 10000;
    char *line = malloc(n * 8 + 16);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(line + len, "%sf%zu", i ? ";" : "", i);
    len += (size_t)sprintf(line + len, " 7\n");
    struct folded_stats st;
    struct tree *t = read_text(line, len, NULL, &st);
    assert_int_equal(st.valid, 1);
    assert_int_equal(tree_count_nodes(t->root), n + 1);
    struct tree_node *leaf = t->root;
    size_t depth = 0;
    while (tree_first_child(leaf)) {
        leaf = tree_first_child(leaf);
        depth++;
    }
    assert_int_equal(depth, n);
    assert_string_equal(leaf->name, "f9999");
    assert_int_equal(tree_w(t->root, 0), 7);
    /* and it is written back as the same line */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_int_equal(folded_write(f, t, 0, 0), 0);
    fclose(f);
    assert_int_equal(outlen, len);
    assert_memory_equal(out, line, len);
    free(out);
    free(line);
    tree_free(t);
}

static void test_any_bytes_pass_unchanged(void **state)
{
    (void)state;
    static const char text[] = "\xff\x01na\\x3bme;x\ty;<&>\"' 3\n";
    struct folded_stats st;
    struct tree *t = read_text(text, sizeof text - 1, NULL, &st);
    assert_int_equal(st.valid, 1);
    assert_non_null(at(t, "\xff\x01na\\x3bme;x\ty;<&>\"'", 20));
    tree_free(t);
    /* a NUL byte inside a name too */
    static const char nul[] = "a\0b;c 2\n";
    t = read_text(nul, sizeof nul - 1, NULL, &st);
    assert_int_equal(st.valid, 1);
    assert_non_null(at(t, "a\0b;c", 5));
    tree_free(t);
}

static void test_reverse_and_flamechart(void **state)
{
    (void)state;
    struct folded_stats st;
    struct folded_opts rev = {.reverse = true};
    static const char text[] = "a;b;c 1\na;b 2\n";
    struct tree *t = read_text(text, sizeof text - 1, &rev, &st);
    assert_int_equal(tree_w(AT(t, "c;b;a"), 0), 1);
    assert_int_equal(tree_w(AT(t, "b;a"), 0), 2);
    tree_free(t);

    struct folded_opts fc = {.flamechart = true};
    static const char chart[] = "a;b 1\na 2\na;b 3\nc 4\na 5\n";
    t = read_text(chart, sizeof chart - 1, &fc, &st);
    /* a, c, a at the top in time order; the first a holds two separate b */
    struct tree_node *a = tree_first_child(t->root);
    assert_string_equal(a->name, "a");
    assert_string_equal(tree_next_sibling(a)->name, "c");
    assert_string_equal(tree_next_sibling(tree_next_sibling(a))->name, "a");
    assert_null(tree_next_sibling(tree_next_sibling(tree_next_sibling(a))));
    assert_int_equal(tree_w(a, 0), 6);
    assert_string_equal(tree_first_child(a)->name, "b");
    assert_int_equal(tree_w(tree_first_child(a), 0), 1);
    assert_string_equal(tree_next_sibling(tree_first_child(a))->name, "b");
    assert_int_equal(tree_w(tree_next_sibling(tree_first_child(a)), 0), 3);
    assert_int_equal(tree_w(tree_next_sibling(tree_next_sibling(a)), 0), 5);
    tree_free(t);
}

static void test_prefix_reuse_after_mismatch(void **state)
{
    (void)state;
    /* consecutive lines share prefixes; a later line must still find nodes
     * made by earlier ones, not only by the line before */
    struct folded_stats st;
    struct tree *t = READ("a;b;c 1\na;x;c 1\na;b;c 1\nz 1\na;b;d 1\n", &st);
    assert_int_equal(tree_w(AT(t, "a;b;c"), 0), 2);
    assert_int_equal(tree_w(AT(t, "a;b"), 0), 3);
    assert_int_equal(tree_count_nodes(t->root), 8);
    tree_free(t);
}

/* folded_write then the reader: the same tree, names as folded-escaped */
static void test_write_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {"semi;colon",  "new\nline", "cr\r", "tab\there",
                                        " lead",       "trail ",    "x 12", "",
                                        "back\\slash", "\xff\xfe",  "ok"};
    struct tree *t = tree_new("all", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *dir = tree_child(a, t->root, "dir", 3, NULL);
    tree_set_w(dir, 0, 4096);
    uint64_t sum = 4096;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        struct tree_node *n = tree_child(a, dir, names[i], strlen(names[i]), NULL);
        tree_set_w(n, 0, 100 + i);
        sum += 100 + i;
        struct tree_node *deep = tree_child(a, n, names[i], strlen(names[i]), NULL);
        tree_set_w(deep, 0, 1);
        sum += 1;
    }
    struct tree_node *empty = tree_child(a, dir, "nothing", 7, NULL); /* own 0: no line */
    (void)empty;
    tree_finish(t);
    tree_sort(t, TREE_BY_NAME, 0);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_int_equal(folded_write(f, t, 0, 0), 0);
    fclose(f);
    /* one line per node with an own weight */
    size_t lines = 0;
    for (size_t i = 0; i < outlen; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, 1 + 2 * (sizeof names / sizeof *names));
    assert_non_null(strstr(out, "dir 4096\n"));
    assert_non_null(strstr(out, "dir;semi\\x3bcolon 100\n"));
    assert_non_null(strstr(out, "dir;x\\x2012;x\\x2012 1\n"));

    struct folded_stats st;
    struct tree *r = read_text(out, outlen, NULL, &st);
    assert_int_equal(st.invalid, 0);
    assert_int_equal(st.valid, lines);
    assert_false(st.differential);
    assert_int_equal(tree_w(r->root, 0), sum);
    assert_int_equal(tree_count_nodes(r->root), tree_count_nodes(t->root) - 1);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *e = name_folded_escape(names[i], strlen(names[i]), NULL);
        char path[128];
        snprintf(path, sizeof path, "dir;%s;%s", e, e);
        assert_non_null(AT(r, path));
        assert_int_equal(tree_w(AT(r, path), 0), 1);
        assert_int_equal(tree_w(tree_parent(AT(r, path)), 0), 101 + i);
        free(e);
    }
    free(out);
    tree_free(r);
    tree_free(t);
}

static void test_write_diff_and_decimals(void **state)
{
    (void)state;
    struct folded_stats st;
    static const char text[] = "a;b 1 2\na;c 3 0\nd 0 5\ne 0.5 0.25\n";
    struct tree *t = read_text(text, sizeof text - 1, NULL, &st);
    tree_sort(t, TREE_BY_NAME, 0);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_int_equal(folded_write(f, t, 0, FOLDED_WRITE_DIFF), 0);
    fclose(f);
    assert_string_equal(out, "a;b 1 2\na;c 3 0\nd 0 5\ne 0.5 0.25\n");
    free(out);
    /* one slot, decimals */
    out = NULL;
    f = open_memstream(&out, &outlen);
    assert_int_equal(folded_write(f, t, TREE_W_AFTER, 0), 0);
    fclose(f);
    assert_string_equal(out, "a;b 2\nd 5\ne 0.25\n");
    free(out);
    tree_free(t);
}

static void test_many_lines_few_frames(void **state)
{
    (void)state;
    /* many lines over the same stacks: nodes follow distinct frames */
    struct folded_reader *r = folded_reader_new(NULL);
    char line[64];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(line, sizeof line, "main;f%d;g%d 1", i % 10, i % 7);
        assert_int_equal(folded_reader_line(r, line, (size_t)n), FOLDED_OK);
    }
    struct tree *t = folded_reader_finish(r);
    assert_int_equal(tree_count_nodes(t->root), 1 + 1 + 10 + 70);
    assert_int_equal(tree_w(t->root, 0), 100000);
    tree_free(t);
}

/* the same lines in any order give the same tree: the prefix cache and the
 * lazy index must never split or lose a frame */
static char *write_sorted(struct tree *t)
{
    tree_sort(t, TREE_BY_NAME, 0);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(folded_write(f, t, 0, 0), 0);
    fclose(f);
    return out;
}

static void test_order_does_not_matter(void **state)
{
    (void)state;
    enum { N = 3000 };
    static char lines[N][64];
    uint64_t x = 0x1234567;
    for (int i = 0; i < N; i++) {
        int n = 0, depth = 1 + (int)(x % 6);
        for (int d = 0; d < depth; d++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            n += snprintf(lines[i] + n, sizeof lines[i] - (size_t)n, "%sf%d", d ? ";" : "",
                          (int)(x % 4));
        }
        snprintf(lines[i] + n, sizeof lines[i] - (size_t)n, " %d", 1 + i % 5);
    }
    char *first = NULL;
    for (int round = 0; round < 4; round++) {
        /* round 0: as generated; 1: sorted; 2: reversed; 3: shuffled */
        int order[N];
        for (int i = 0; i < N; i++)
            order[i] = round == 2 ? N - 1 - i : i;
        if (round == 1)
            for (int i = 1; i < N; i++)
                for (int j = i; j > 0 && strcmp(lines[order[j - 1]], lines[order[j]]) > 0; j--) {
                    int tmp = order[j];
                    order[j] = order[j - 1];
                    order[j - 1] = tmp;
                }
        if (round == 3)
            for (int i = N - 1; i > 0; i--) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                int j = (int)(x % (uint64_t)(i + 1)), tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        struct folded_reader *r = folded_reader_new(NULL);
        for (int i = 0; i < N; i++)
            assert_int_equal(folded_reader_line(r, lines[order[i]], strlen(lines[order[i]])),
                             FOLDED_OK);
        struct tree *t = folded_reader_finish(r);
        char *out = write_sorted(t);
        tree_free(t);
        if (!first)
            first = out;
        else {
            assert_string_equal(first, out);
            free(out);
        }
    }
    free(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_whatever_order),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_crlf_blank_whitespace),
        cmocka_unit_test(test_invalid_lines),
        cmocka_unit_test(test_empty_frames),
        cmocka_unit_test(test_deep_stack),
        cmocka_unit_test(test_any_bytes_pass_unchanged),
        cmocka_unit_test(test_reverse_and_flamechart),
        cmocka_unit_test(test_prefix_reuse_after_mismatch),
        cmocka_unit_test(test_write_round_trip),
        cmocka_unit_test(test_write_diff_and_decimals),
        cmocka_unit_test(test_many_lines_few_frames),
        cmocka_unit_test(test_order_does_not_matter),
    };
    return cmocka_run_group_tests_name("folded", tests, NULL, NULL);
}
