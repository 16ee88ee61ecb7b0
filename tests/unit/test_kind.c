/* SPDX-License-Identifier: BSD-2-Clause */
/* File classes by name and mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kind.h"

static enum tree_kind k(const char *name, mode_t mode)
{
    return kind_classify(name, strlen(name), mode);
}

static void test_extensions(void **state)
{
    (void)state;
    mode_t f = S_IFREG | 0644;
    assert_int_equal(k("main.c", f), TREE_KIND_SOURCE);
    assert_int_equal(k("x.PY", f), TREE_KIND_SOURCE);
    assert_int_equal(k("Makefile", f), TREE_KIND_SOURCE);
    assert_int_equal(k("a.o", f), TREE_KIND_OBJECT);
    assert_int_equal(k("libz.so.1.2.13", f), TREE_KIND_OBJECT);
    assert_int_equal(k("x.tar.gz", f), TREE_KIND_ARCHIVE);
    assert_int_equal(k("app.JAR", f), TREE_KIND_ARCHIVE);
    assert_int_equal(k("p.jpeg", f), TREE_KIND_IMAGE);
    assert_int_equal(k("song.flac", f), TREE_KIND_MEDIA);
    assert_int_equal(k("film.mkv", f), TREE_KIND_MEDIA);
    assert_int_equal(k("notes.md", f), TREE_KIND_DOCUMENT);
    assert_int_equal(k("README", f), TREE_KIND_DOCUMENT);
    assert_int_equal(k("data.unknownext", f), TREE_KIND_OTHER);
    assert_int_equal(k("noext", f), TREE_KIND_OTHER);
}

static void test_edge_names(void **state)
{
    (void)state;
    mode_t f = S_IFREG | 0644;
    assert_int_equal(k(".c", f), TREE_KIND_OTHER); /* a dot file, not an extension */
    assert_int_equal(k("x.", f), TREE_KIND_OTHER);
    assert_int_equal(k("", f), TREE_KIND_OTHER);
    assert_int_equal(k("a.b.c", f), TREE_KIND_SOURCE);
    assert_int_equal(k("x.verylongextension", f), TREE_KIND_OTHER);
    assert_int_equal(kind_classify("a.c\0junk", 3, f), TREE_KIND_SOURCE);
    assert_int_equal(kind_classify("a.c;x", 5, f), TREE_KIND_OTHER);
    assert_int_equal(kind_classify("\xff.\xfe", 3, f), TREE_KIND_OTHER);
}

static void test_executables(void **state)
{
    (void)state;
    assert_int_equal(k("tool", S_IFREG | 0755), TREE_KIND_OBJECT);
    assert_int_equal(k("run.sh", S_IFREG | 0755), TREE_KIND_SOURCE); /* extension first */
    assert_int_equal(k("tool", S_IFREG | 0644), TREE_KIND_OTHER);
}

static void test_labels_and_colors(void **state)
{
    (void)state;
    for (int i = 0; i < TREE_KIND_COUNT; i++) {
        assert_non_null(kind_label((enum tree_kind)i));
        const char *c = kind_color((enum tree_kind)i);
        assert_int_equal(strlen(c), 7);
        assert_int_equal(c[0], '#');
        for (int j = 0; j < i; j++)
            assert_string_not_equal(c, kind_color((enum tree_kind)j));
    }
    assert_string_equal(kind_label(TREE_KIND_MEDIA), "audio/video");
    assert_string_equal(kind_label((enum tree_kind)99), "other");
}

/* one table: the numbers and the "#rrggbb" are the same colour */
static void test_rgb_matches_hex(void **state)
{
    (void)state;
    char hex[8];
    for (int i = 0; i < TREE_KIND_COUNT; i++) {
        struct kind_rgb c = kind_rgb((enum tree_kind)i);
        snprintf(hex, sizeof hex, "#%02x%02x%02x", c.r, c.g, c.b);
        assert_string_equal(hex, kind_color((enum tree_kind)i));
    }
    struct kind_rgb d = kind_dir_rgb();
    snprintf(hex, sizeof hex, "#%02x%02x%02x", d.r, d.g, d.b);
    assert_string_equal(hex, kind_dir_color());
    assert_string_equal(kind_dir_label(), "directory");
    assert_string_equal(kind_label(TREE_KIND_OBJECT), "object/binary");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extensions),        cmocka_unit_test(test_rgb_matches_hex),
        cmocka_unit_test(test_edge_names),        cmocka_unit_test(test_executables),
        cmocka_unit_test(test_labels_and_colors),
    };
    return cmocka_run_group_tests_name("kind", tests, NULL, NULL);
}
