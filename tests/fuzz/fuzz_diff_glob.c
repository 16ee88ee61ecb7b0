/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_diff_glob: --fail-over-path's LIMIT:GLOB reader and glob matcher
 * (diff_glob.h) on any bytes. The input is a pattern, a newline, a path.
 *
 * Invariants checked:
 *  - diff_glob_match agrees with a plain backtracking matcher of the same
 *    rules (inputs short enough for it to finish);
 *  - a pattern without '*', '?' or '\' matches exactly the equal path;
 *    "**" matches every path; "*" matches exactly the paths without '/';
 *  - diff_path_gate_parse of the whole input either refuses it or returns a
 *    non-empty glob that is the text after the first ':'.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_glob.h"
#include "fuzz_check.h"

/* the reference: the rules of diff_glob.h, by backtracking */
static bool ref(const char *p, const char *s, const char *end)
{
    if (!*p)
        return s == end;
    if (p[0] == '*' && p[1] == '*') {
        if (p[2] == '/' && ref(p + 3, s, end))
            return true;
        for (const char *t = s;; t++) {
            if (ref(p + 2, t, end))
                return true;
            if (t == end)
                return false;
        }
    }
    if (p[0] == '*') {
        for (const char *t = s;; t++) {
            if (ref(p + 1, t, end))
                return true;
            if (t == end || *t == '/')
                return false;
        }
    }
    if (s == end)
        return false;
    if (p[0] == '?')
        return *s != '/' && ref(p + 1, s + 1, end);
    if (p[0] == '\\' && p[1])
        return *s == p[1] && ref(p + 2, s + 1, end);
    return *s == p[0] && ref(p + 1, s + 1, end);
}

static bool has_meta(const char *p)
{
    return strpbrk(p, "*?\\") != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *all = malloc(size + 1);
    if (!all)
        return 0;
    memcpy(all, data, size);
    all[size] = '\0';
    size_t plen = strlen(all); /* the pattern stops at a NUL too */
    char *nl = memchr(all, '\n', plen);
    if (nl)
        plen = (size_t)(nl - all);
    char *pat = strndup(all, plen);
    const char *path = nl ? nl + 1 : "";
    size_t n = nl ? size - (size_t)(nl + 1 - all) : 0;
    if (!pat) {
        free(all);
        return 0;
    }
    bool got = diff_glob_match(pat, path, n);
    size_t stars = 0;
    for (const char *q = pat; *q; q++)
        stars += *q == '*';
    if (plen <= 24 && n <= 48 && stars <= 6 && got != ref(pat, path, path + n))
        fc_fail("'%s' against %zu bytes: %d, the reference says %d", pat, n, got, !got);
    if (!has_meta(pat) && got != (n == plen && memcmp(pat, path, n) == 0))
        fc_fail("literal '%s': match %d", pat, got);
    if (!diff_glob_match("**", path, n))
        fc_fail("** does not match a path");
    if (diff_glob_match("*", path, n) != (memchr(path, '/', n) == NULL))
        fc_fail("* and '/'");

    struct diff_path_gate pg;
    if (diff_path_gate_parse(all, 0, &pg) == 0) {
        const char *colon = strchr(all, ':');
        if (!colon || pg.glob != colon + 1 || !*pg.glob)
            fc_fail("the glob is not what follows the first ':'");
    }
    free(pat);
    free(all);
    return 0;
}
