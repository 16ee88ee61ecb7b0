/* SPDX-License-Identifier: BSD-2-Clause */
/* diff_glob: --fail-over-path's globs and sums (see include/diff_glob.h) */
#include "diff_glob.h"
#include "count.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

bool diff_glob_match(const char *pat, const char *s, size_t ns)
{
    size_t np = strlen(pat);
    size_t row = ns + 1;
    /* m[i * row + j]: pat[i..] matches s[j..]; rows np..np+3 are "past the
     * end" so that i + 3 is always inside the table */
    unsigned char *m = xcalloc((np + 4) * row, 1);
    m[np * row + ns] = 1;
    for (size_t i = np; i-- > 0;) {
        unsigned char *r = m + i * row;
        /* "**" eats s[j..k) then the rest matches at k: run holds it for j + 1 */
        bool run = false;
        for (size_t j = ns + 1; j-- > 0;) {
            bool more = j < ns, ok;
            char c = pat[i];
            if (c == '*' && pat[i + 1] == '*') {
                run = m[(i + 2) * row + j] || (more && run);
                /* "**" "/" also matches no directory, where it starts */
                ok = run || (pat[i + 2] == '/' && m[(i + 3) * row + j]);
            } else if (c == '*') {
                ok = m[(i + 1) * row + j] || (more && s[j] != '/' && r[j + 1]);
            } else if (c == '?') {
                ok = more && s[j] != '/' && m[(i + 1) * row + j + 1];
            } else if (c == '\\' && pat[i + 1]) {
                ok = more && s[j] == pat[i + 1] && m[(i + 2) * row + j + 1];
            } else {
                ok = more && s[j] == c && m[(i + 1) * row + j + 1];
            }
            r[j] = ok;
        }
        /* the second byte of "**" and of "\c" is never a start of its own:
         * its row is filled as if it were, which only the first byte reads
         * through i + 2, never i + 1 */
    }
    bool ok = m[0];
    free(m);
    return ok;
}

int diff_path_gate_parse(const char *arg, unsigned scale, struct diff_path_gate *pg)
{
    memset(pg, 0, sizeof *pg);
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg || !colon[1])
        return -1;
    char *size = xstrdup(arg);
    size[colon - arg] = '\0';
    int rc = diff_gate_parse(size, scale, &pg->gate);
    free(size);
    if (rc)
        return -1;
    pg->glob = colon + 1;
    return 0;
}

void diff_glob_sum(const struct tree_node *base, const char *glob, uint64_t *before,
                   uint64_t *after, size_t *matched)
{
    uint64_t b = 0, a = 0;
    size_t nm = 0, cap = 256, ncap = 64;
    char *path = xmalloc(cap);
    size_t *end = xmalloc(ncap * sizeof *end); /* end[d]: the path's length at depth d */
    end[0] = 0;
    struct tree_iter it;
    tree_iter_init(&it, (struct tree_node *)base);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        descend = true;
        unsigned d = it.depth;
        if (d == 0)
            continue;
        if (d + 1 > ncap) {
            ncap *= 2;
            end = xreallocarray(end, ncap, sizeof *end);
        }
        size_t at = end[d - 1] + (d > 1 ? 1 : 0);
        if (at + n->len + 1 > cap) {
            while (at + n->len + 1 > cap)
                cap *= 2;
            path = xrealloc(path, cap);
        }
        if (d > 1)
            path[at - 1] = '/';
        memcpy(path + at, n->name, n->len);
        end[d] = at + n->len;
        if (diff_glob_match(glob, path, end[d])) {
            b = count_sat_add(b, n->w[TREE_W_BEFORE]);
            a = count_sat_add(a, n->w[TREE_W_AFTER]);
            nm++;
            descend = false;
        }
    }
    free(path);
    free(end);
    *before = b;
    *after = a;
    *matched = nm;
}
