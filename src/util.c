/* SPDX-License-Identifier: BSD-2-Clause */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* Out of memory ends the program with exit status 2 ("a fatal error"), not
 * abort(): a core dump and status 134 tell a user nothing more. _exit, not
 * exit: another thread may hold stdio locks, and half-written output must
 * not be flushed as if it were whole. */
static void oom(void)
{
    static const char msg[] = "duflame: out of memory\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        oom();
    return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s)
{
    return xmemdup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s ? s : xstrdup("out of memory");
}

char *xmemdup(const void *p, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

/* v in units of base (1024 or 1000) with one decimal; a value that would
 * round up to base (1023.96 KiB printed as "1024.0 KiB") moves up a unit */
static char *human_in(uint64_t v, double base, const char *const units[6], char buf[32])
{
    if (v < (uint64_t)base) {
        snprintf(buf, 32, "%llu B", (unsigned long long)v);
        return buf;
    }
    double x = (double)v / base;
    size_t u = 0;
    while (x >= base - 0.05 && u + 1 < 6) {
        x /= base;
        u++;
    }
    snprintf(buf, 32, "%.1f %s", x, units[u]);
    return buf;
}

char *util_human(uint64_t bytes, char buf[32])
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    return human_in(bytes, 1024.0, units, buf);
}

char *util_human_si(uint64_t bytes, char buf[32])
{
    static const char *const units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    return human_in(bytes, 1000.0, units, buf);
}

char *util_commas(uint64_t n, char buf[32])
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
    int out = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = tmp[i];
    }
    buf[out] = '\0';
    return buf;
}

int util_parse_size(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    unsigned long long whole = strtoull(s, &end, 10);
    if (errno)
        return -1;
    uint64_t frac_num = 0, frac_den = 1;
    if (*end == '.') {
        end++;
        while (isdigit((unsigned char)*end)) {
            if (frac_den < 1000000000ULL) {
                frac_num = frac_num * 10 + (uint64_t)(*end - '0');
                frac_den *= 10;
            }
            end++;
        }
    }
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    case 'T':
        shift = 40;
        break;
    case 'P':
        shift = 50;
        break;
    default:
        break;
    }
    if (shift) {
        end++;
        if (*end == 'i')
            end++;
    }
    if (*end == 'B')
        end++;
    if (*end != '\0')
        return -1;
    uint64_t mul = (uint64_t)1 << shift;
    if (whole > UINT64_MAX / mul)
        return -1;
    uint64_t v = (uint64_t)whole * mul;
    /* the fraction of a unit, rounded down: frac_num/frac_den * mul */
    __extension__ typedef unsigned __int128 u128;
    uint64_t f = (uint64_t)((u128)frac_num * mul / frac_den);
    if (v > UINT64_MAX - f)
        return -1;
    *out = v + f;
    return 0;
}

bool util_on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    size_t nl = strlen(name);
    for (const char *p = path;;) {
        const char *colon = strchr(p, ':');
        size_t dl = colon ? (size_t)(colon - p) : strlen(p);
        char *full = xmalloc(dl + nl + 2);
        snprintf(full, dl + nl + 2, "%.*s/%s", (int)dl, dl ? p : ".", name);
        bool ok = access(full, X_OK) == 0;
        free(full);
        if (ok)
            return true;
        if (!colon)
            return false;
        p = colon + 1;
    }
}
