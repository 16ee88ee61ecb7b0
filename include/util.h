/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * util: the allocation wrappers every module uses, and small helpers for
 * formatting numbers that more than one sink needs.
 *
 * Out of memory is not an error a caller can handle: the x* functions print
 * "duflame: out of memory" and exit with status 2. Everything they return is owned by the
 * caller and released with free(). All functions are thread-safe.
 */
#ifndef DUFLAME_UTIL_H
#define DUFLAME_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: realloc to nmemb*size, ending the program on overflow as on OOM */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n); /* adds a terminating NUL */
/* xasprintf: a formatted message the caller frees; "out of memory" when
 * the message itself cannot be had (it never returns NULL) */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* util_human: "1.5 MiB", "512 B", "3.0 GiB" (binary units, one decimal from
 * KiB up); writes at most 32 bytes including the NUL into buf and returns buf */
char *util_human(uint64_t bytes, char buf[32]);
/* util_human_si: "1.5 kB", "512 B" (powers of 1000, as du --si) */
char *util_human_si(uint64_t bytes, char buf[32]);

/* util_commas: 1234567 -> "1,234,567" (flamegraph.pl's count format); buf of
 * at least 32 bytes; returns buf */
char *util_commas(uint64_t n, char buf[32]);

/* util_parse_size: "123", "4K", "1.5M", "2G", "1T" (powers of 1024; a trailing
 * "B" or "iB" is accepted). Returns 0 and sets *out, or -1 on bad input or
 * overflow. */
int util_parse_size(const char *s, uint64_t *out);

/* util_on_path: whether name is an executable file in a directory of $PATH
 * (the default path when PATH is unset or empty) */
bool util_on_path(const char *name);

/* util_mix64: a 64-bit finalizer (xor-shift-multiply) that spreads every
 * input bit over the result; the hash tables' building block */
static inline uint64_t util_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
