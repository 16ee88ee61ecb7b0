/* SPDX-License-Identifier: BSD-2-Clause */
/* Sizes for people (binary and SI units), counts with commas, sizes from
 * options, and the PATH search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util.h"

static void test_human(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(util_human(0, b), "0 B");
    assert_string_equal(util_human(1023, b), "1023 B");
    assert_string_equal(util_human(1024, b), "1.0 KiB");
    assert_string_equal(util_human(1536, b), "1.5 KiB");
    /* 1023.96 KiB rounds to the next unit, not to "1024.0 KiB" */
    assert_string_equal(util_human(1048535, b), "1.0 MiB");
    assert_string_equal(util_human(3ULL << 30, b), "3.0 GiB");
    assert_string_equal(util_human(UINT64_MAX, b), "16.0 EiB");
}

static void test_human_si(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(util_human_si(999, b), "999 B");
    assert_string_equal(util_human_si(1000, b), "1.0 kB");
    assert_string_equal(util_human_si(1500, b), "1.5 kB");
    assert_string_equal(util_human_si(999949, b), "999.9 kB");
    assert_string_equal(util_human_si(999950, b), "1.0 MB");
    assert_string_equal(util_human_si(2500000000ULL, b), "2.5 GB");
    assert_string_equal(util_human_si(UINT64_MAX, b), "18.4 EB");
}

static void test_commas(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(util_commas(0, b), "0");
    assert_string_equal(util_commas(999, b), "999");
    assert_string_equal(util_commas(1234567, b), "1,234,567");
    assert_string_equal(util_commas(UINT64_MAX, b), "18,446,744,073,709,551,615");
}

static void test_parse_size(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(util_parse_size("123", &v), 0);
    assert_true(v == 123);
    assert_int_equal(util_parse_size("4K", &v), 0);
    assert_true(v == 4096);
    assert_int_equal(util_parse_size("1.5M", &v), 0);
    assert_true(v == 1572864);
    assert_int_equal(util_parse_size("2GiB", &v), 0);
    assert_true(v == 2ULL << 30);
    assert_int_equal(util_parse_size("", &v), -1);
    assert_int_equal(util_parse_size("12Q", &v), -1);
    assert_int_equal(util_parse_size("99999999999T", &v), -1);
}

static void test_on_path(void **state)
{
    (void)state;
    char *old = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
    setenv("PATH", "/nonexistent:/bin:/usr/bin", 1);
    assert_true(util_on_path("sh"));
    assert_false(util_on_path("no-such-program-here"));
    setenv("PATH", "/nonexistent", 1);
    assert_false(util_on_path("sh"));
    if (old) {
        setenv("PATH", old, 1);
        free(old);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_human),   cmocka_unit_test(test_human_si),
        cmocka_unit_test(test_commas),  cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_on_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
