/* SPDX-License-Identifier: BSD-2-Clause */
/* The text summary: largest first, an indented tree, shares, bars, width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "tree.h"

static struct tree_node *add(struct tree *t, struct tree_node *p, const char *name, uint64_t w,
                             bool dir)
{
    struct tree_node *n = tree_add(tree_main_arena(t), p, name, strlen(name));
    n->w[0] = w;
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

static void test_order_and_shares(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *p = add(t, t->root, "top", 0, true);
    struct tree_node *small = add(t, p, "small", 0, true);
    add(t, small, "s1", 100, false);
    struct tree_node *big = add(t, p, "big", 0, true);
    add(t, big, "b1", 600, false);
    add(t, big, "b2", 300, false);
    tree_finish(t);
    struct report_opts o;
    report_opts_init(&o);
    o.what = "Disk usage of top";
    char *s = render(t, &o);
    /* heading, then top, big, b1, b2, small, s1 in that order */
    const char *order[] = {"Disk usage of top: 1000 B", "top/", "big/", "b1", "b2", "small/", "s1"};
    const char *at = s;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *hit = strstr(at, order[i]);
        assert_non_null(hit);
        at = hit;
    }
    assert_non_null(strstr(s, " 60.0% "));
    assert_non_null(strstr(s, "100.0% "));
    assert_non_null(strstr(s, "\n      600 B  60.0% #######..... ") || strstr(s, "600 B  60.0%"));
    /* indentation grows with depth */
    assert_non_null(strstr(s, "     b1\n"));
    free(s);
    tree_free(t);
}

static void test_line_budget_and_width(void **state)
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
    o.lines = 10;
    o.width = 50;
    char *s = render(t, &o);
    int lines = 0;
    for (char *l = strtok(s, "\n"); l; l = strtok(NULL, "\n")) {
        lines++;
        assert_true(strlen(l) <= 50);
    }
    assert_int_equal(lines, 10);
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
    char *s = render(t, &o);
    assert_null(strchr(s, '\x1b'));
    const char *nl = strchr(s, '\n');
    assert_non_null(nl);
    assert_string_equal(nl, "\n"); /* one line */
    assert_non_null(strstr(s, "\\xff"));
    free(s);
    tree_free(t);
}

static void test_helpers(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(report_bar(b, 10, 0.5), "#####.....");
    assert_string_equal(report_bar(b, 4, 2.0), "####");
    assert_string_equal(report_bar(b, 4, -1), "....");
    assert_string_equal(report_size(b, 1234567, false), "1,234,567");
    assert_string_equal(report_size(b, 1536, true), "1.5 KiB");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_shares),
        cmocka_unit_test(test_line_budget_and_width),
        cmocka_unit_test(test_names_are_escaped),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
