/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "folded.h"
#include "tree.h"

static struct tree *folded(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    struct folded_reader *r = folded_reader_new(NULL);
    struct folded_stats st = {0};
    assert_int_equal(folded_reader_read(r, f, &st), 0);
    fclose(f);
    return folded_reader_finish(r);
}

/* render t with o; returns the SVG (caller frees); *ret gets flame_write's value */
static char *render(struct tree *t, const struct flame_opts *o, int *ret, char **err)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    *ret = flame_write(f, t, o, err);
    fclose(f);
    return out;
}

static char *render_ok(struct tree *t, const struct flame_opts *o)
{
    int ret;
    char *err = NULL;
    char *svg = render(t, o, &ret, &err);
    if (ret != 0)
        fail_msg("flame_write returned %d: %s", ret, err ? err : "");
    free(err);
    return svg;
}

/* occurrences of needle; a plain loop, since strstr in a loop is quadratic
 * under ASan (its interceptor measures the haystack every call) */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (*p == needle[0] && strncmp(p, needle, nl) == 0)
            n++;
    return n;
}

static void test_frames_and_titles(void **state)
{
    (void)state;
    struct tree *t = folded("main;foo 5\nmain;foo2;x 1\nmain;foo;bar 3\n");
    struct flame_opts o;
    flame_opts_init(&o);
    char *svg = render_ok(t, &o);
    assert_int_equal(count(svg, "<g fg:w="), 6);
    assert_non_null(strstr(svg, "<g fg:w=\"9\" fg:d=\"0\" fg:x=\"0\"><title>all (9 samples, "
                                "100.00%)</title>"));
    assert_non_null(strstr(svg, "<g fg:w=\"8\" fg:d=\"2\" fg:x=\"0\"><title>foo (8 samples, "
                                "88.89%)</title>"));
    /* bar sits after foo's own 5 */
    assert_non_null(strstr(svg, "<g fg:w=\"3\" fg:d=\"3\" fg:x=\"5\"><title>bar (3 samples"));
    assert_non_null(strstr(svg, "<g fg:w=\"1\" fg:d=\"2\" fg:x=\"8\"><title>foo2 (1 samples"));
    assert_non_null(strstr(svg, "xmlns:fg=\"urn:duflame:fg\""));
    assert_non_null(strstr(svg, "id=\"fg-config\" fg:total=\"9\" fg:scale=\"0\""));
    assert_non_null(strstr(svg, ">Flame Graph</text>"));
    assert_non_null(strstr(svg, "id=\"matched\""));
    assert_non_null(strstr(svg, "id=\"unzoom\" class=\"hide\""));
    /* the root spans the drawing width */
    assert_non_null(strstr(svg, "<rect x=\"10.0\" y=\"85.0\" width=\"1180.0\" height=\"15.0\""));
    /* same bytes again */
    char *again = render_ok(t, &o);
    assert_string_equal(svg, again);
    free(again);
    free(svg);
    tree_free(t);
}

static void test_no_injection(void **state)
{
    (void)state;
    struct tree *t = folded("</title><script>alert(1)</script>;]]>;\"a'&b 1\n"
                            "x\x01\xff;<!-- 2\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.title = "<script>t</script>]]>";
    o.subtitle = "\"sub\"";
    o.notes = "--> ]]> <x>";
    o.countname = "<b>";
    char *svg = render_ok(t, &o);
    assert_null(strstr(svg, "<script>alert"));
    assert_null(strstr(svg, "<script>t"));
    assert_null(strstr(svg, "<!--"));
    assert_null(strstr(svg, "<b>"));
    /* only the style's and the script's CDATA sections end */
    assert_int_equal(count(svg, "]]>"), 2);
    assert_non_null(strstr(svg, "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; ("));
    assert_non_null(strstr(svg, "<title>]]&gt; ("));
    assert_non_null(strstr(svg, "<title>&quot;a&#39;&amp;b ("));
    assert_non_null(strstr(svg, "<title>x\\x01\\xff ("));
    free(svg);
    tree_free(t);
}

static void test_minwidth(void **state)
{
    (void)state;
    struct tree *t = folded("big 100000\nsmall 1\nsmall;child 1\nmid 500\n");
    struct flame_opts o;
    flame_opts_init(&o);
    char *svg = render_ok(t, &o);
    /* 2 of 100502 is 0.02 px: neither small nor its child is drawn */
    assert_null(strstr(svg, "<title>small"));
    assert_null(strstr(svg, "<title>child"));
    assert_non_null(strstr(svg, "<title>mid"));
    free(svg);
    o.minwidth = 1;
    o.minwidth_pct = true; /* 1% of 100502 */
    svg = render_ok(t, &o);
    assert_null(strstr(svg, "<title>mid"));
    assert_non_null(strstr(svg, "<title>big"));
    free(svg);
    o.minwidth = 0;
    o.minwidth_pct = false;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>child"));
    free(svg);
    tree_free(t);
}

static void test_bytes_and_decimals(void **state)
{
    (void)state;
    struct tree *t = folded("a 1048576\nb 1048576\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.countname = "bytes";
    char *svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>a (1,048,576 bytes, 1.0 MiB, 50.00%)</title>"));
    assert_non_null(strstr(svg, "fg:units=\"bytes\""));
    free(svg);
    tree_free(t);

    t = folded("a 1.5\nb 0.25\n");
    flame_opts_init(&o);
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<g fg:w=\"150\" fg:d=\"1\""));
    assert_non_null(strstr(svg, "<title>a (1.5 samples, 85.71%)"));
    assert_non_null(strstr(svg, "fg:scale=\"2\""));
    free(svg);
    o.factor = 1000;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>a (1,500 samples"));
    free(svg);
    tree_free(t);
}

static void test_differential(void **state)
{
    (void)state;
    struct tree *t = folded("a;grow 10 30\na;shrink 20 10\na;same 5 5\ngone 8 0\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.diff = true;
    char *svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "fg:diff=\"1\""));
    /* widths from AFTER: gone is not drawn */
    assert_null(strstr(svg, "<title>gone"));
    assert_non_null(strstr(svg, "<g fg:w=\"30\" fg:d=\"2\" fg:x=\"0\" fg:b=\"10\" fg:a=\"30\">"
                                "<title>grow (30 samples, 66.67%; +44.44%)</title>"));
    const char *g = strstr(svg, "<title>grow");
    assert_non_null(g);
    assert_non_null(strstr(g, "fill=\"rgb(255,"));
    const char *s = strstr(svg, "<title>shrink (10 samples, 22.22%; -22.22%)");
    assert_non_null(s);
    const char *fill = strstr(s, "fill=\"rgb(");
    assert_non_null(fill);
    assert_non_null(strstr(fill, ",255)\"")); /* blue */
    assert_true(strstr(fill, ",255)\"") - fill < 24);
    s = strstr(svg, "<title>same");
    assert_non_null(strstr(s, "fill=\"rgb(255,255,255)\""));
    free(svg);

    /* max widths keep what vanished */
    o.diff_width = FLAME_DIFF_MAX;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<g fg:w=\"8\" fg:d=\"1\""));
    assert_non_null(strstr(svg, "fg:b=\"8\" fg:a=\"0\"><title>gone (0 samples"));
    /* the root is the sum of max(own before, own after): 30 + 20 + 5 + 8 */
    assert_non_null(strstr(svg, "<g fg:w=\"63\" fg:d=\"0\""));
    free(svg);

    /* bytes: before, change and relative change */
    o.countname = "bytes";
    o.diff_width = FLAME_DIFF_AFTER;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>grow (30 bytes, 30 B, 66.67%; before 10 bytes, "
                                "+20 bytes, +200.00%)"));
    free(svg);
    o.negate = true;
    svg = render_ok(t, &o);
    g = strstr(svg, "<title>grow");
    fill = strstr(g, "fill=\"rgb(");
    assert_true(strstr(fill, ",255)\"") - fill < 24);
    free(svg);
    tree_free(t);
}

static void test_inverted_chart_sort(void **state)
{
    (void)state;
    struct tree *t = folded("b 1\na 5\nc 3\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.inverted = true;
    char *svg = render_ok(t, &o);
    assert_non_null(strstr(svg, ">Icicle Graph</text>"));
    /* the root at the top: y = ypad1 = 36 */
    assert_non_null(strstr(svg, "<rect x=\"10.0\" y=\"36.0\" width=\"1180.0\""));
    free(svg);
    o.inverted = false;
    o.sort = FLAME_SORT_SIZE;
    svg = render_ok(t, &o);
    char *a = strstr(svg, "<title>a ("), *c = strstr(svg, "<title>c ("),
         *b = strstr(svg, "<title>b (");
    assert_true(a && b && c && a < c && c < b);
    free(svg);
    o.sort = FLAME_SORT_NAME;
    svg = render_ok(t, &o);
    a = strstr(svg, "<title>a (");
    b = strstr(svg, "<title>b (");
    c = strstr(svg, "<title>c (");
    assert_true(a && b && c && a < b && b < c);
    free(svg);
    o.flamechart = true;
    o.title = NULL;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, ">Flame Chart</text>"));
    free(svg);
    tree_free(t);
}

/* the legend names the classes as kind.c and the man page do */
static void test_legend_names(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_arena *ar = tree_main_arena(t);
    static const struct {
        const char *name;
        enum tree_kind kind;
    } files[] = {{"a.o", TREE_KIND_OBJECT}, {"b.mp4", TREE_KIND_MEDIA}, {"c", TREE_KIND_OTHER}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct tree_node *f = tree_child(ar, t->root, files[i].name, strlen(files[i].name), NULL);
        tree_set_kind(f, files[i].kind);
        f->w[0] = 100;
    }
    tree_finish(t);
    struct flame_opts o;
    flame_opts_init(&o);
    o.color_by_kind = true;
    char *svg = render_ok(t, &o);
    assert_non_null(strstr(svg, ">object/binary</text>"));
    assert_non_null(strstr(svg, ">audio/video</text>"));
    assert_non_null(strstr(svg, ">other</text>"));
    assert_null(strstr(svg, ">object code</text>"));
    free(svg);
    tree_free(t);
}

static void test_disk_options(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 3);
    struct tree_arena *ar = tree_main_arena(t);
    struct tree_node *d = tree_child(ar, t->root, "dir", 3, NULL);
    d->flags |= TREE_DIR;
    struct tree_node *f = tree_child(ar, d, "a;b.c", 5, NULL);
    tree_set_kind(f, TREE_KIND_SOURCE);
    f->w[0] = 2048;
    f->w[1] = 100;
    struct tree_node *u = tree_child(ar, d, "locked", 6, NULL);
    u->flags |= TREE_DIR | TREE_UNREADABLE;
    u->w[0] = 4096;
    u->w[1] = 4096;
    struct tree_node *z = tree_child(ar, d, "x.tar", 5, NULL);
    z->flags |= TREE_ARCHIVE;
    tree_set_kind(z, TREE_KIND_ARCHIVE);
    z->w[0] = 1024;
    tree_finish(t);
    struct flame_opts o;
    flame_opts_init(&o);
    o.units = FLAME_UNITS_BYTES;
    o.countname = "bytes";
    o.color_by_kind = true;
    o.marks = true;
    char *svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>a;b.c (2,048 bytes, 2.0 KiB, 28.57%)</title>"));
    assert_non_null(strstr(svg, "class=\"unreadable\"><title>locked (4,096 bytes, 4.0 KiB, "
                                "57.14%) [unreadable]</title>"));
    assert_non_null(strstr(svg, "class=\"archive\"><title>x.tar"));
    assert_non_null(strstr(svg, "id=\"legend\""));
    assert_non_null(strstr(svg, ">directory</text>"));
    assert_non_null(strstr(svg, ">source</text>"));
    assert_null(strstr(svg, ">media</text>"));
    assert_non_null(strstr(svg, "stroke-dasharray"));
    free(svg);
    /* another weight slot */
    o.weight = 1;
    svg = render_ok(t, &o);
    assert_non_null(strstr(svg, "<title>a;b.c (100 bytes, 100 B,"));
    free(svg);
    o.weight = 3;
    int ret;
    char *err = NULL;
    svg = render(t, &o, &ret, &err);
    assert_int_equal(ret, -1);
    assert_non_null(err);
    free(err);
    free(svg);
    tree_free(t);
}

static void test_colors(void **state)
{
    (void)state;
    struct tree *t = folded("java/lang/Thread.run 1\nfoo::bar 1\nplain 1\n- 1\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.palette = FLAME_PAL_JAVA;
    o.hash = true;
    char *svg = render_ok(t, &o);
    const char *p = strstr(svg, "<title>java/lang/Thread.run (");
    assert_non_null(p);
    int r, g, b;
    assert_int_equal(sscanf(strstr(p, "fill=\"") + 6, "rgb(%d,%d,%d)", &r, &g, &b), 3);
    assert_true(g > r && g > b); /* green for Java */
    p = strstr(svg, "<title>foo::bar (");
    assert_int_equal(sscanf(strstr(p, "fill=\"") + 6, "rgb(%d,%d,%d)", &r, &g, &b), 3);
    assert_true(r > b && g > b); /* yellow for C++ */
    p = strstr(svg, "<title>- (");
    assert_non_null(strstr(p, "fill=\"rgb(200,200,200)\""));
    free(svg);
    /* random: fixed seed, same bytes every time */
    o.palette = FLAME_PAL_HOT;
    o.hash = false;
    o.random = true;
    char *s1 = render_ok(t, &o), *s2 = render_ok(t, &o);
    assert_string_equal(s1, s2);
    free(s1);
    free(s2);
    tree_free(t);
}

static void test_option_errors_and_total(void **state)
{
    (void)state;
    struct tree *t = folded("a 10\n");
    struct flame_opts o;
    flame_opts_init(&o);
    int ret;
    char *err = NULL;
    o.width = 5;
    char *svg = render(t, &o, &ret, &err);
    assert_int_equal(ret, -1);
    assert_non_null(strstr(err, "--width"));
    free(err);
    free(svg);
    flame_opts_init(&o);
    o.total = "5";
    svg = render(t, &o, &ret, &err);
    assert_int_equal(ret, 1); /* drawn, with a warning */
    assert_non_null(strstr(err, "--total"));
    assert_non_null(strstr(svg, "</svg>"));
    free(err);
    free(svg);
    o.total = "20";
    svg = render(t, &o, &ret, &err);
    assert_int_equal(ret, 0);
    assert_non_null(strstr(svg, "<title>a (10 samples, 50.00%)"));
    assert_non_null(strstr(svg, "fg:total=\"20\""));
    free(svg);
    o.total = NULL;
    o.diff = true;
    svg = render(t, &o, &ret, &err);
    assert_int_equal(ret, -1);
    free(err);
    free(svg);
    tree_free(t);
}

static void test_very_deep_tree(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_node *n = t->root;
    for (int i = 0; i < 100000; i++)
        n = tree_add(tree_main_arena(t), n, "d", 1);
    n->w[0] = 1;
    tree_finish(t);
    struct flame_opts o;
    flame_opts_init(&o);
    o.minwidth = 0;
    char *svg = render_ok(t, &o);
    assert_int_equal(count(svg, "<g fg:w=\"1\""), 100001);
    assert_non_null(strstr(svg, "fg:d=\"100000\""));
    free(svg);
    tree_free(t);
}

static void test_labels(void **state)
{
    (void)state;
    struct tree *t = folded("a_rather_long_function_name_that_cannot_fit 1\n"
                            "b 1000\n");
    struct flame_opts o;
    flame_opts_init(&o);
    char *svg = render_ok(t, &o);
    /* 1180 * 1/1001 = 1.2 px: no label */
    const char *p = strstr(svg, "<title>a_rather");
    assert_non_null(strstr(p, "\"></text>"));
    free(svg);
    tree_free(t);
    t = folded("a_rather_long_function_name_that_cannot_fit 1\nb 9\n");
    svg = render_ok(t, &o);
    /* 118 px: floor((118 - 3) / 7.08) = 16 characters: 14 and ".." */
    p = strstr(svg, "<title>a_rather");
    assert_non_null(strstr(p, ">a_rather_long_..</text>"));
    free(svg);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_and_titles),
        cmocka_unit_test(test_legend_names),
        cmocka_unit_test(test_no_injection),
        cmocka_unit_test(test_minwidth),
        cmocka_unit_test(test_bytes_and_decimals),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_inverted_chart_sort),
        cmocka_unit_test(test_disk_options),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_option_errors_and_total),
        cmocka_unit_test(test_very_deep_tree),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests_name("flame", tests, NULL, NULL);
}
