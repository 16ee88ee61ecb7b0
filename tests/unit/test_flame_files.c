/* SPDX-License-Identifier: BSD-2-Clause */
/* The files around a flame graph: the --cp palette map and --nameattr, read
 * by the front end and handed to the renderer, which opens no file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flame.h"
#include "flame_files.h"
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

/* a temporary file holding text; returns its name (static buffer) */
static const char *tmpfile_with(const char *text)
{
    static char name[64];
    snprintf(name, sizeof name, "/tmp/test_flame_files.XXXXXX");
    int fd = mkstemp(name);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return name;
}

static char *draw(struct tree *t, const struct flame_opts *o, int want)
{
    char *out = NULL, *err = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    int ret = flame_files_write(f, t, o, &err);
    fclose(f);
    if (ret != want)
        fail_msg("flame_files_write returned %d: %s", ret, err ? err : "");
    free(err);
    return out;
}

static void test_palette_roundtrip(void **state)
{
    (void)state;
    const char *map = tmpfile_with("main->rgb(1,2,3)\n"
                                   "junk line\n"
                                   "evil->rgb(1,2,3)\" onload=\"x\n"
                                   "a->b->rgb(4,5,6)\r\n");
    struct tree *t = folded("main;foo 3\nmain;bar 2\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.cp = true;
    o.palette_file = map;
    char *svg = draw(t, &o, 0);
    assert_non_null(strstr(svg, "<title>main (5 samples"));
    assert_non_null(strstr(svg, "fill=\"rgb(1,2,3)\""));
    assert_null(strstr(svg, "onload"));
    free(svg);
    /* saved sorted, with the new names; the junk is gone, the checked kept */
    struct flame_palmap *m = NULL;
    char *err = NULL;
    assert_int_equal(flame_files_read_palette(map, &m, &err), 0);
    assert_string_equal(flame_palmap_find(m, "main"), "rgb(1,2,3)");
    assert_string_equal(flame_palmap_find(m, "a->b"), "rgb(4,5,6)");
    assert_non_null(flame_palmap_find(m, "foo"));
    assert_non_null(flame_palmap_find(m, "bar"));
    assert_null(flame_palmap_find(m, "evil"));
    assert_int_equal(flame_palmap_sort(m), 5);
    const char *name, *rgb;
    flame_palmap_entry(m, 0, &name, &rgb);
    assert_string_equal(name, "a->b");
    assert_false(flame_palmap_changed(m));
    flame_palmap_free(m);
    unlink(map);
    tree_free(t);
}

static void test_palette_missing_is_empty(void **state)
{
    (void)state;
    struct flame_palmap *m = NULL;
    char *err = NULL;
    assert_int_equal(flame_files_read_palette("/nonexistent/palette.map", &m, &err), 0);
    assert_null(err);
    assert_null(flame_palmap_find(m, "x"));
    assert_int_equal(flame_files_save_palette(m, "/nonexistent/palette.map", &err), -1);
    assert_non_null(strstr(err, "cannot write '/nonexistent/palette.map'"));
    free(err);
    flame_palmap_free(m);
}

static void test_nameattr(void **state)
{
    (void)state;
    const char *path = tmpfile_with("foo\tclass=hot\tstyle=opacity:0.5\ttitle=<why>\tonclick=x\n"
                                    "bar\ttitle=one\ttitle=two\n");
    struct tree *t = folded("main;foo 3\nmain;bar 2\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.nameattr = path;
    char *svg = draw(t, &o, 0);
    assert_non_null(strstr(svg, "class=\"hot\" style=\"opacity:0.5\"><title>foo (3 samples, "
                                "60.00%)\n&lt;why&gt;</title>"));
    assert_non_null(strstr(svg, "40.00%)\ntwo</title>"));
    assert_null(strstr(svg, "onclick"));
    free(svg);
    unlink(path);
    o.nameattr = "/nonexistent/attrs";
    svg = draw(t, &o, -1);
    free(svg);
    path = tmpfile_with("no tab here\n");
    struct flame_nameattrs *a = NULL;
    char *err = NULL;
    assert_int_equal(flame_files_read_nameattr(path, &a, &err), -1);
    assert_null(a);
    assert_non_null(strstr(err, "line 1: expected NAME, a tab"));
    free(err);
    unlink(path);
    tree_free(t);
}

/* the renderer alone: tables through the options, no file named or opened */
static void test_renderer_takes_tables(void **state)
{
    (void)state;
    struct tree *t = folded("main;foo 3\n");
    struct flame_opts o;
    flame_opts_init(&o);
    o.cp = true;
    o.palette_file = "/nonexistent/never-read";
    struct flame_palmap *m = flame_palmap_new();
    flame_palmap_add(m, "foo", 3, "rgb(9,9,9)");
    o.palmap = m;
    char *out = NULL, *err = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(flame_write(f, t, &o, &err), 0);
    fclose(f);
    assert_non_null(strstr(out, "fill=\"rgb(9,9,9)\""));
    assert_true(flame_palmap_changed(m)); /* "main" and "all" were added */
    assert_non_null(flame_palmap_find(m, "main"));
    free(out);
    flame_palmap_free(m);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette_roundtrip),
        cmocka_unit_test(test_palette_missing_is_empty),
        cmocka_unit_test(test_nameattr),
        cmocka_unit_test(test_renderer_takes_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
