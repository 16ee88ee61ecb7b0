/* SPDX-License-Identifier: BSD-2-Clause */
#include "diag.h"
#include "names.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void diag_warn(const char *fmt, ...)
{
    char buf[4096];
    int off = snprintf(buf, sizeof buf, "duflame: ");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + off, sizeof buf - (size_t)off - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    size_t len = (size_t)off + (size_t)n;
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    /* one write, so lines from several threads do not interleave */
    ssize_t w = write(STDERR_FILENO, buf, len);
    (void)w;
}

char *diag_quote(const char *name, size_t len)
{
    char *out = xmalloc(len * 4 + 1);
    size_t o = 0;
    const unsigned char *s = (const unsigned char *)name;
    for (size_t i = 0; i < len;) {
        size_t l = name_utf8_len(s + i, len - i);
        if (l == 1 && (s[i] < 0x20 || s[i] == 0x7f)) {
            l = 0;
        }
        if (l == 0) {
            o += (size_t)sprintf(out + o, "\\x%02x", s[i]);
            i++;
        } else if (l == 1 && (s[i] == '\'' || s[i] == '\\')) {
            out[o++] = '\\';
            out[o++] = (char)s[i++];
        } else {
            memcpy(out + o, s + i, l);
            o += l;
            i += l;
        }
    }
    out[o] = '\0';
    return out;
}
