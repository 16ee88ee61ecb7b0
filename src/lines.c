/* SPDX-License-Identifier: BSD-2-Clause */
#include "lines.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Lines are cut out of a large buffer with memchr; a line longer than the
 * buffer grows it, and the partial last line moves to the front. */
int lines_read(struct lines *l, FILE *in, size_t initial, lines_fn fn, void *arg)
{
    if (!l->buf) {
        l->cap = initial ? initial : 1u << 16;
        l->buf = xmalloc(l->cap);
    }
    size_t have = 0;
    int ret = 0;
    for (bool eof = false; !eof;) {
        if (have == l->cap) {
            l->cap *= 2;
            l->buf = xrealloc(l->buf, l->cap);
        }
        size_t got = fread(l->buf + have, 1, l->cap - have, in);
        if (got == 0) {
            if (ferror(in)) {
                ret = -1;
                if (!errno)
                    errno = EIO;
            }
            eof = true;
        }
        have += got;
        char *p = l->buf, *end = l->buf + have;
        for (char *nl; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1)
            fn(arg, p, (size_t)(nl - p));
        if (eof && p < end) {
            fn(arg, p, (size_t)(end - p));
            p = end;
        }
        have = (size_t)(end - p);
        if (have && p != l->buf)
            memmove(l->buf, p, have);
    }
    return ret;
}

void lines_release(struct lines *l)
{
    free(l->buf);
    *l = (struct lines){0};
}
