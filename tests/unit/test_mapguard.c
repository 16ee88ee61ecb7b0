/* SPDX-License-Identifier: BSD-2-Clause */
/* A mapped file cut short while it is read: zeros where it was, the cut
 * reported at unmap; a whole file reports none; mappings past the limit are
 * refused, not lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapguard.h"

enum { LEN = 65536 };

static int make_file(void)
{
    char path[] = "/tmp/duflame-mapguard.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    unsigned char buf[LEN];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(write(fd, buf, sizeof buf), LEN);
    return fd;
}

static void test_cut_short(void **state)
{
    (void)state;
    int fd = make_file();
    const unsigned char *p = mapguard_map(fd, LEN);
    assert_non_null(p);
    assert_int_equal(p[100], 'x');
    assert_int_equal(ftruncate(fd, 4096), 0);
    unsigned sum = 0;
    for (size_t i = 4096; i < LEN; i += 512)
        sum += p[i]; /* past the end: SIGBUS without the guard */
    assert_int_equal(sum, 0);
    assert_int_equal(p[100], 'x');
    assert_true(mapguard_unmap(p, LEN));
    close(fd);
}

static void test_whole(void **state)
{
    (void)state;
    int fd = make_file();
    const unsigned char *p = mapguard_map(fd, LEN);
    assert_non_null(p);
    unsigned sum = 0;
    for (size_t i = 0; i < LEN; i += 512)
        sum += p[i];
    assert_int_equal(sum, 'x' * (LEN / 512));
    assert_false(mapguard_unmap(p, LEN));
    close(fd);
}

static void test_limit(void **state)
{
    (void)state;
    int fd = make_file();
    const unsigned char *p[MAPGUARD_MAX + 1];
    for (int i = 0; i < MAPGUARD_MAX; i++)
        assert_non_null(p[i] = mapguard_map(fd, LEN));
    assert_null(mapguard_map(fd, LEN));
    assert_null(mapguard_map(fd, 0));
    for (int i = 0; i < MAPGUARD_MAX; i++)
        assert_false(mapguard_unmap(p[i], LEN));
    assert_non_null(p[0] = mapguard_map(fd, LEN));
    assert_false(mapguard_unmap(p[0], LEN));
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
