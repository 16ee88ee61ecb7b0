/* SPDX-License-Identifier: BSD-2-Clause */
/* Helper programs: their output through the pipe, their exit status as a
 * shell gives it, and a program that is not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "child.h"

static size_t read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    for (ssize_t got; n < cap && (got = read(fd, buf + n, cap - n)) > 0;)
        n += (size_t)got;
    close(fd);
    return n;
}

static void test_output_and_status(void **state)
{
    (void)state;
    char *argv[] = {"sh", "-c", "echo one; echo two; exit 3", NULL};
    pid_t pid;
    int fd = -1;
    assert_int_equal(child_start(argv, &pid, &fd), 0);
    char buf[64];
    size_t n = read_all(fd, buf, sizeof buf);
    assert_int_equal(n, 8);
    assert_memory_equal(buf, "one\ntwo\n", 8);
    assert_int_equal(child_status(child_wait(pid)), 3);
}

static void test_signal(void **state)
{
    (void)state;
    char *argv[] = {"sh", "-c", "kill -9 $$", NULL};
    pid_t pid;
    assert_int_equal(child_start(argv, &pid, NULL), 0);
    assert_int_equal(child_status(child_wait(pid)), 128 + 9);
    assert_int_equal(child_status(-1), -1);
}

static void test_missing(void **state)
{
    (void)state;
    char *argv[] = {"duflame-no-such-program", NULL};
    pid_t pid;
    int fd = -1;
    assert_int_equal(child_start(argv, &pid, &fd), ENOENT);
    assert_int_equal(fd, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_and_status),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
