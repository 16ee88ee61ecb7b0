/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_ctx: one archive read's limits and messages (see include/arc_ctx.h) */
#include "arc_ctx.h"
#include "diag.h"
#include "names.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printable: buf with every byte that is not printable UTF-8 as \xHH; names
 * are quoted already, but libarchive's own messages may quote bytes of the
 * archive */
static void printable(const char *buf, char *out, size_t cap)
{
    size_t o = 0, n = strlen(buf);
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)buf + i;
        size_t l = name_utf8_len(p, n - i);
        if (l && *p >= 0x20 && *p != 0x7f) {
            memcpy(out + o, p, l);
            o += l;
            i += l;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
            i++;
        }
    }
    out[o] = '\0';
}

void arc_warnf(struct arc_ctx *c, const char *fmt, ...)
{
    c->status = 1;
    if (!c->o->warn)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char out[sizeof buf * 4];
    printable(buf, out, sizeof out);
    c->o->warn(c->o->warn_ctx, out);
}

char *arc_quote(const char *s)
{
    char *e = diag_quote(s, strlen(s));
    size_t n = strlen(e);
    char *r = xmalloc(n + 3);
    r[0] = '\'';
    memcpy(r + 1, e, n);
    r[n + 1] = '\'';
    r[n + 2] = '\0';
    free(e);
    return r;
}

void arc_warn_archive(struct arc_ctx *c, const char *label, const char *what)
{
    char *qa = arc_quote(label);
    arc_warnf(c, "cannot read archive %s: %s", qa, what);
    free(qa);
}

void arc_warn_entry(struct arc_ctx *c, const char *label, const char *entry, const char *what)
{
    char *qa = arc_quote(label), *qe = arc_quote(entry);
    arc_warnf(c, "cannot read archive %s: entry %s: %s", qa, qe, what);
    free(qa);
    free(qe);
}

void arc_warn_external(struct arc_ctx *c, const char *label)
{
    arc_warn_archive(c, label,
                     "its compression needs an external program, which duflame never runs");
}

uint64_t arc_bytes_limit(const struct arc_ctx *c)
{
    if (c->o->max_bytes)
        return c->o->max_bytes;
    uint64_t size = c->file_size;
    if (!size && c->top_raw)
        size = *c->top_raw;
    uint64_t scaled =
        size > UINT64_MAX / ARC_DEFAULT_BYTES_RATIO ? UINT64_MAX : size * ARC_DEFAULT_BYTES_RATIO;
    return scaled > ARC_DEFAULT_BYTES_MIN ? scaled : ARC_DEFAULT_BYTES_MIN;
}
