/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A CPU-bound program with known call chains, for the tests that profile
 * with perf: main -> alpha -> burn (1 unit of work) and main -> beta ->
 * gamma -> burn (2 units), then main -> outer, where hot() is inlined into
 * outer (for --inline). The tests build it with -O0 -fno-omit-frame-pointer
 * so that every function, leaves too, keeps a frame pointer and perf's
 * frame-pointer unwinding sees every frame. The argument scales the work.
 */
#include <stdio.h>
#include <stdlib.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void burn(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        sink += i ^ (sink >> 3);
}

__attribute__((noinline)) static void alpha(unsigned long n)
{
    burn(n);
    sink++;
}

__attribute__((noinline)) static void gamma_(unsigned long n)
{
    burn(2 * n);
    sink++;
}

__attribute__((noinline)) static void beta(unsigned long n)
{
    gamma_(n);
    sink++;
}

static inline __attribute__((always_inline)) void hot(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        sink += i * 7;
}

__attribute__((noinline)) static void outer(unsigned long n)
{
    hot(n);
    sink++;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    n *= 1000000UL;
    alpha(n);
    beta(n);
    outer(n);
    printf("%lu\n", (unsigned long)sink & 1);
    return 0;
}
