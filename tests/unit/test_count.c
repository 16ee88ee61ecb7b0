/* SPDX-License-Identifier: BSD-2-Clause */
/* Exact counts: powers of ten, saturating sums, text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "count.h"

static void test_pow10(void **state)
{
    (void)state;
    assert_int_equal(count_pow10(0), 1);
    assert_int_equal(count_pow10(3), 1000);
    assert_true(count_pow10(19) == 10000000000000000000ULL);
    assert_int_equal(count_pow10(20), 0);
    assert_int_equal(count_pow10(400), 0);
}

static void test_sat_add(void **state)
{
    (void)state;
    assert_int_equal(count_sat_add(2, 3), 5);
    assert_true(count_sat_add(UINT64_MAX - 1, 1) == UINT64_MAX);
    assert_true(count_sat_add(UINT64_MAX - 1, 2) == UINT64_MAX);
    assert_true(count_sat_add(UINT64_MAX, UINT64_MAX) == UINT64_MAX);
}

static void expect(uint64_t v, unsigned scale, unsigned flags, const char *want)
{
    char buf[COUNT_TEXT_MAX];
    size_t n = count_format(buf, v, scale, flags);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_format(void **state)
{
    (void)state;
    expect(0, 0, 0, "0");
    expect(1234567, 0, 0, "1234567");
    expect(1234567, 0, COUNT_COMMAS, "1,234,567");
    expect(123, 0, COUNT_COMMAS, "123");
    expect(1234, 0, COUNT_COMMAS, "1,234");
    expect(15000, 4, COUNT_TRIM, "1.5");
    expect(20000, 4, COUNT_TRIM, "2");
    expect(20000, 4, 0, "2.0000");
    expect(12345678, 3, COUNT_COMMAS, "12,345.678");
    expect(1234567805, 4, COUNT_COMMAS | COUNT_TRIM, "123,456.7805");
    expect(5, 2, COUNT_TRIM, "0.05");
    expect(UINT64_MAX, 0, COUNT_COMMAS, "18,446,744,073,709,551,615");
    expect(UINT64_MAX, 19, 0, "1.8446744073709551615");
    expect(42, 25, COUNT_COMMAS, "42"); /* no such power of ten: whole */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pow10),
        cmocka_unit_test(test_sat_add),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
