/* SPDX-License-Identifier: BSD-2-Clause */
/* The text report: order, shares, bars, folding of chains, depth, top,
 * threshold, largest files, footer, colours, du's summary lines and units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "tree.h"

static struct tree_node *add(struct tree *t, struct tree_node *p, const char *name, uint64_t w,
                             bool dir)
{
    struct tree_node *n = tree_add(tree_main_arena(t), p, name, strlen(name));
    tree_set_w(n, 0, w);
    if (dir)
        n->flags |= TREE_DIR;
    return n;
}

static char *render(struct tree *t, struct report_opts *o)
{
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(report_write(f, t, o), 0);
    fclose(f);
    return buf;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* top/ (4 KiB own) holds small/ (s1 100 B) and big/ (b1 600 B, b2 300 B) */
static struct tree *sample(void)
{
    struct tree *t = tree_new("all", 1);
    struct tree_node *p = add(t, t->root, "top", 0, true);
    struct tree_node *small = add(t, p, "small", 0, true);
    add(t, small, "s1", 100, false);
    struct tree_node *big = add(t, p, "big", 0, true);
    add(t, big, "b1", 600, false);
    add(t, big, "b2", 300, false);
    tree_finish(t);
    return t;
}

static void test_order_and_shares(void **state)
{
    (void)state;
    struct tree *t = sample();
    struct report_opts o;
    report_opts_init(&o);
    o.what = "Disk usage of top";
    o.files = 0;
    o.ascii = true;
    char *s = render(t, &o);
    /* heading, then top, big, b1, b2, small, s1 in that order */
    const char *order[] = {"Disk usage of top: 1000 B (1,000 bytes)\n",
                           "top/\n",
                           "  big/\n",
                           "    b1\n",
                           "    b2\n",
                           "  s1\n"};
    const char *at = s;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *hit = strstr(at, order[i]);
        assert_non_null(hit);
        at = hit;
    }
    /* small/ holds one file only: not a chain of directories, not folded */
    assert_non_null(strstr(s, "small/\n"));
    assert_non_null(strstr(s, "100.0% ################ top/"));
    assert_non_null(strstr(s, "     600 B  60.0% ##########...... "));
    assert_int_equal(count_lines(s), 7);
    free(s);
    tree_free(t);
}

static void test_top_and_width(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *p = add(t, t->root, "p", 0, true);
    char name[300];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "%0200d", i);
        add(t, p, name, (uint64_t)(i + 1), false);
    }
    tree_finish(t);
    struct report_opts o;
    report_opts_init(&o);
    o.top = 10;
    o.files = 0;
    o.width = 50;
    o.ascii = true;
    char *s = render(t, &o);
    int lines = 0;
    for (char *l = strtok(s, "\n"); l; l = strtok(NULL, "\n")) {
        lines++;
        assert_true(strlen(l) <= 50);
        if (lines > 1) /* the largest first, cut at the width and marked */
            assert_non_null(strstr(l, "..."));
    }
    assert_int_equal(lines, 10);
    free(s);
    /* the Unicode cut mark counts one column */
    o.ascii = false;
    s = render(t, &o);
    assert_non_null(strstr(s, "\xe2\x80\xa6\n"));
    free(s);
    tree_free(t);
}

static void test_names_are_escaped(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    add(t, t->root, "a\nb\x1b[2J\xff", 5, false);
    tree_finish(t);
    struct report_opts o;
    report_opts_init(&o);
    o.files = 0;
    char *s = render(t, &o);
    assert_null(strchr(s, '\x1b'));
    const char *nl = strchr(s, '\n');
    assert_non_null(nl);
    assert_string_equal(nl, "\n"); /* one line */
    assert_non_null(strstr(s, "\\xff"));
    free(s);
    tree_free(t);
}

/* PATH/ holds only pkg/ which holds only 3.2/ which holds src/ and doc/:
 * pkg/3.2/ is one row with pkg's size, and depth still counts both */
static struct tree *chain_tree(void)
{
    struct tree *t = tree_new("all", 1);
    struct tree_node *p = add(t, t->root, "PATH", 10, true);
    struct tree_node *pkg = add(t, p, "pkg", 1, true);
    struct tree_node *v = add(t, pkg, "3.2", 2, true);
    struct tree_node *src = add(t, v, "src", 3, true);
    add(t, src, "a.c", 400, false);
    add(t, v, "doc", 50, true);
    add(t, p, "README", 7, false);
    tree_finish(t);
    return t;
}

static void test_chains_fold(void **state)
{
    (void)state;
    struct tree *t = chain_tree();
    struct report_opts o;
    report_opts_init(&o);
    o.units.mode = REPORT_UNITS_BLOCK;
    o.units.block = 1;
    o.files = 0;
    o.ascii = true;
    char *s = render(t, &o);
    /* PATH has two children: not folded; pkg/3.2/ is, at pkg's size 456 */
    assert_non_null(strstr(s, "473 100.0% ################ PATH/\n"));
    assert_non_null(strstr(s, " 456  96.4% "));
    assert_non_null(strstr(s, "   pkg/3.2/\n"));
    assert_non_null(strstr(s, "     src/\n"));
    assert_non_null(strstr(s, "       a.c\n"));
    assert_non_null(strstr(s, "     doc/\n"));
    assert_null(strstr(s, " 3.2/\n"));
    free(s);

    /* depth 2 is 3.2: the chain stops there and src/ is not shown */
    o.max_depth = 2;
    s = render(t, &o);
    assert_non_null(strstr(s, "   pkg/3.2/\n"));
    assert_null(strstr(s, "src/"));
    assert_int_equal(count_lines(s), 3);
    free(s);

    /* depth 1: pkg alone, as du --max-depth=1 prints it */
    o.max_depth = 1;
    s = render(t, &o);
    assert_non_null(strstr(s, " 456  96.4% "));
    assert_non_null(strstr(s, "   pkg/\n"));
    assert_null(strstr(s, "3.2"));
    free(s);

    /* depth 0: the PATH only */
    o.max_depth = 0;
    s = render(t, &o);
    assert_int_equal(count_lines(s), 1);
    free(s);
    tree_free(t);
}

static void test_threshold_and_top(void **state)
{
    (void)state;
    struct tree *t = chain_tree();
    struct report_opts o;
    report_opts_init(&o);
    o.units.mode = REPORT_UNITS_BLOCK;
    o.units.block = 1;
    o.files = 0;
    o.ascii = true;
    o.threshold = 60; /* doc (50) and README (7) are below */
    char *s = render(t, &o);
    assert_null(strstr(s, "doc"));
    assert_null(strstr(s, "README"));
    assert_non_null(strstr(s, "a.c"));
    free(s);
    /* below the threshold, a single directory is no longer folded into a
     * chain: it would not be shown */
    o.threshold = 456;
    s = render(t, &o);
    assert_non_null(strstr(s, "   pkg/\n"));
    assert_int_equal(count_lines(s), 2);
    free(s);

    o.threshold = 0;
    o.top = 2; /* PATH and its largest */
    s = render(t, &o);
    assert_int_equal(count_lines(s), 2);
    assert_non_null(strstr(s, "pkg/3.2/"));
    free(s);
    o.top = 0;
    s = render(t, &o);
    assert_string_equal(s, "");
    free(s);
    tree_free(t);
}

static void test_files_footer_total(void **state)
{
    (void)state;
    struct tree *t = chain_tree();
    struct report_opts o;
    report_opts_init(&o);
    o.units.mode = REPORT_UNITS_BLOCK;
    o.units.block = 1;
    o.ascii = true;
    o.files = 2;
    o.total = true;
    o.footer = true;
    o.entries = 7;
    o.warnings = 1;
    o.seconds = 0.5;
    char *s = render(t, &o);
    const char *order[] = {"PATH/\n",
                           " total\n",
                           "\nLargest files:\n",
                           " PATH/pkg/3.2/src/a.c\n",
                           " PATH/README\n",
                           "7 entries, 1 warning, 0.50 s\n"};
    const char *at = s;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *hit = strstr(at, order[i]);
        assert_non_null(hit);
        at = hit;
    }
    assert_non_null(strstr(s, "473 100.0% ################ total\n"));
    free(s);
    tree_free(t);
}

static void test_colors(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *p = add(t, t->root, "p", 0, true);
    struct tree_node *c = add(t, p, "x.c", 10, false);
    tree_set_kind(c, TREE_KIND_SOURCE);
    tree_finish(t);
    struct report_opts o;
    report_opts_init(&o);
    o.files = 0;
    char *s = render(t, &o);
    assert_null(strchr(s, '\033'));
    free(s);
    o.color = true;
    s = render(t, &o);
    /* source is (110, 195, 105): cube 2, 4, 2 */
    assert_non_null(strstr(s, "\033[38;5;114m"));
    /* a directory: (235, 165, 65), bold for its name */
    assert_non_null(strstr(s, "\033[1;38;5;215mp/\033[0m"));
    free(s);
    tree_free(t);
}

static void test_summary(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    add(t, t->root, "d", 126976, true);
    add(t, t->root, "e f", 100, true);
    tree_finish(t);
    struct report_opts o;
    report_opts_init(&o);
    o.summarize = true;
    const char *paths[] = {"e f", "d"};
    o.paths = paths;
    o.npaths = 2;
    char *s = render(t, &o);
    /* the PATHs in the order given, as du prints them */
    assert_string_equal(s, "100\te f\n124K\td\n");
    free(s);
    o.paths = NULL;
    o.npaths = 0;
    o.total = true;
    assert_int_equal(report_parse_block_size("1", &o.units), 0);
    o.threshold = 101;
    s = render(t, &o);
    assert_string_equal(s, "126976\td\n127076\ttotal\n");
    free(s);
    tree_free(t);
}

static void test_bar(void **state)
{
    (void)state;
    char b[128];
    assert_string_equal(report_bar(b, 10, 0.5, true), "#####.....");
    assert_string_equal(report_bar(b, 4, 2.0, true), "####");
    assert_string_equal(report_bar(b, 4, -1, true), "....");
    assert_string_equal(report_bar(b, 2, 1.0, false), "\xe2\x96\x88\xe2\x96\x88");
    /* 3/16 of 2 cells: one cell and a half: a full block and a half block */
    assert_string_equal(report_bar(b, 2, 0.75, false), "\xe2\x96\x88\xe2\x96\x8c");
    /* one eighth of a cell */
    assert_string_equal(report_bar(b, 2, 1.0 / 16, false), "\xe2\x96\x8f ");
    assert_string_equal(report_bar(b, 3, 0, false), "   ");
}

static void test_sizes(void **state)
{
    (void)state;
    char b[32];
    struct report_units u = {REPORT_UNITS_AUTO, 1, ""};
    assert_string_equal(report_size(b, 1234567, false, &u), "1,234,567");
    assert_string_equal(report_size(b, 1536, true, &u), "1.5 KiB");
    u.mode = REPORT_UNITS_SI;
    assert_string_equal(report_size(b, 1536, true, &u), "1.5 kB");
    assert_string_equal(report_size(b, 999, true, &u), "999 B");
    assert_string_equal(report_size(b, 2500000, true, &u), "2.5 MB");
    assert_int_equal(report_parse_block_size("M", &u), 0);
    assert_string_equal(report_size(b, 126976, true, &u), "1M");
    assert_string_equal(report_size(b, 5, false, &u), "5"); /* a count: no unit */
}

/* du -h: the numbers GNU du 9 prints for these sizes */
static void test_du_human(void **state)
{
    (void)state;
    static const struct {
        uint64_t v;
        const char *h, *si;
    } cases[] = {
        {0, "0", "0"},
        {100, "100", "100"},
        {1023, "1023", "1.1k"},
        {1024, "1.0K", "1.1k"},
        {4096, "4.0K", "4.1k"},
        {10137, "9.9K", "11k"},
        {10138, "10K", "11k"},
        {126976, "124K", "127k"},
        {1048575, "1.0M", "1.1M"},
        {1048576, "1.0M", "1.1M"},
        {9663676416ULL, "9.0G", "9.7G"},
        {UINT64_MAX, "16E", "19E"},
    };
    char b[32];
    struct report_units h = {REPORT_UNITS_AUTO, 1, ""}, si = {REPORT_UNITS_SI, 1, ""};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_string_equal(report_du_size(b, cases[i].v, true, &h), cases[i].h);
        assert_string_equal(report_du_size(b, cases[i].v, true, &si), cases[i].si);
    }
    /* counts: plain unless -h or --si were asked for */
    assert_string_equal(report_du_size(b, 154000, false, &h), "154000");
    h.mode = REPORT_UNITS_HUMAN;
    assert_string_equal(report_du_size(b, 157000, false, &h), "154K");
}

static void test_block_size(void **state)
{
    (void)state;
    struct report_units u;
    char b[32];
    static const struct {
        const char *arg;
        uint64_t block;
        const char *suffix, *shown; /* of 126976 bytes, as du -B shows it */
    } ok[] = {
        {"1", 1, "", "126976"},      {"M", 1048576, "M", "1M"},      {"1M", 1048576, "", "1"},
        {"KB", 1000, "kB", "127kB"}, {"KiB", 1024, "KiB", "124KiB"}, {"2K", 2048, "", "62"},
        {"k", 1024, "K", "124K"},    {"E", 1ULL << 60, "E", "1E"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(report_parse_block_size(ok[i].arg, &u), 0);
        assert_int_equal(u.mode, REPORT_UNITS_BLOCK);
        assert_true(u.block == ok[i].block);
        assert_string_equal(u.suffix, ok[i].suffix);
        assert_string_equal(report_du_size(b, 126976, true, &u), ok[i].shown);
    }
    static const char *const bad[] = {
        "0", "1.5K", "X", "KiBx", "Ki", "-1", "", "16E", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(report_parse_block_size(bad[i], &u), -1);
    assert_int_equal(report_parse_block_size("human-readable", &u), 0);
    assert_int_equal(u.mode, REPORT_UNITS_HUMAN);
    assert_int_equal(report_parse_block_size("si", &u), 0);
    assert_int_equal(u.mode, REPORT_UNITS_SI);
}

static void test_title_and_fit(void **state)
{
    (void)state;
    const char *two[] = {"/usr", "a\nb"};
    char *s = report_title(TREE_W_DISK, two, 2, false, false);
    assert_string_equal(s, "Disk usage of /usr, a\\x0ab");
    free(s);
    s = report_title(TREE_W_APPARENT, two, 1, false, true);
    assert_string_equal(s, "Apparent size of /usr, with extracted sizes inside archives");
    free(s);
    const char *tar[] = {"linux.tar.xz"};
    s = report_title(TREE_W_DISK, tar, 1, true, true);
    assert_string_equal(s, "Extracted size of linux.tar.xz");
    free(s);
    s = report_title(TREE_W_COUNT, tar, 1, true, false);
    assert_string_equal(s, "Entries in linux.tar.xz");
    free(s);

    unsigned files;
    unsigned rows = report_fit(50, false, &files);
    /* heading + rows + blank + "Largest files:" + files + footer + prompt */
    assert_int_equal(1 + rows + 2 + files + 1 + 1, 50);
    assert_true(files > 0 && files <= 10);
    rows = report_fit(50, true, &files);
    assert_int_equal(1 + rows + 1 + 2 + files + 1 + 1, 50);
    assert_int_equal(report_fit(3, false, &files), 5);
    assert_int_equal(files, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_shares),
        cmocka_unit_test(test_top_and_width),
        cmocka_unit_test(test_names_are_escaped),
        cmocka_unit_test(test_chains_fold),
        cmocka_unit_test(test_threshold_and_top),
        cmocka_unit_test(test_files_footer_total),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_du_human),
        cmocka_unit_test(test_block_size),
        cmocka_unit_test(test_title_and_fit),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
