/* SPDX-License-Identifier: BSD-2-Clause */
#include "names.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void name_buf_init(struct name_buf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
}

void name_buf_release(struct name_buf *b)
{
    free(b->s);
    name_buf_init(b);
}

void name_buf_reset(struct name_buf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* room for n more bytes and the NUL */
static void grow(struct name_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2)
            cap = SIZE_MAX; /* xrealloc aborts on failure */
        else
            cap *= 2;
    }
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void name_buf_add(struct name_buf *b, const void *p, size_t n)
{
    grow(b, n);
    if (n)
        memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void name_buf_addc(struct name_buf *b, char c)
{
    grow(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void name_buf_addstr(struct name_buf *b, const char *s)
{
    name_buf_add(b, s, strlen(s));
}

size_t name_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    unsigned cp = c & (0xffu >> (need + 1));
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return need;
}

static void add_hex(struct name_buf *b, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
    name_buf_add(b, e, 4);
}

/* The length of the character at s that may be shown as it is, or 0 if the
 * byte at s must become \xHH: invalid UTF-8, C0 controls, DEL, and U+FFFE /
 * U+FFFF, which XML cannot hold. */
static size_t showable(const unsigned char *s, size_t n)
{
    size_t l = name_utf8_len(s, n);
    if (l == 1 && (s[0] < 0x20 || s[0] == 0x7f))
        return 0;
    if (l == 3 && s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
        return 0;
    return l;
}

void name_display_add(struct name_buf *b, const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    for (size_t i = 0; i < len;) {
        size_t run = i;
        size_t l;
        /* copy runs of showable characters in one go */
        while (run < len && (l = showable(s + run, len - run)) != 0)
            run += l;
        if (run > i) {
            name_buf_add(b, s + i, run - i);
            i = run;
        }
        if (i < len) {
            add_hex(b, s[i]);
            i++;
        }
    }
}

void name_xml_add(struct name_buf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len;) {
        size_t run = i, l;
        while (run < len && (l = showable(s + run, len - run)) != 0 &&
               !(l == 1 && strchr("&<>\"'", s[run])))
            run += l;
        if (run > i) {
            name_buf_add(b, s + i, run - i);
            i = run;
        }
        if (i >= len)
            break;
        switch (s[i]) {
        case '&':
            name_buf_add(b, "&amp;", 5);
            break;
        case '<':
            name_buf_add(b, "&lt;", 4);
            break;
        case '>':
            name_buf_add(b, "&gt;", 4);
            break;
        case '"':
            name_buf_add(b, "&quot;", 6);
            break;
        case '\'':
            name_buf_add(b, "&#39;", 5);
            break;
        default:
            add_hex(b, s[i]);
            break;
        }
        i++;
    }
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* If the name ends in " NUMBER" (digits, optionally "." and digits), the
 * index of that space: a folded reader would take NUMBER as a count. */
static size_t count_space(const unsigned char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && is_digit(s[i - 1]))
        i--;
    if (i > 0 && s[i - 1] == '.') {
        size_t j = i - 1;
        while (j > 0 && is_digit(s[j - 1]))
            j--;
        if (j == i - 1)
            return SIZE_MAX; /* ".5": no digit before the point */
        i = j;
    } else if (i == len) {
        return SIZE_MAX; /* no trailing digit */
    }
    if (i > 0 && s[i - 1] == ' ')
        return i - 1;
    return SIZE_MAX;
}

static bool folded_special(const unsigned char *s, size_t len, size_t i, size_t l, size_t sp)
{
    if (l == 0)
        return true;
    if (l > 1)
        return s[i] == 0xef && s[i + 1] == 0xbf && (s[i + 2] == 0xbe || s[i + 2] == 0xbf);
    unsigned char c = s[i];
    if (c < 0x20 || c == 0x7f || c == ';' || c == '\\')
        return true;
    if (c == ' ' && (i == 0 || i == len - 1 || i == sp))
        return true;
    return false;
}

bool name_folded_needs_escape(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    if (len == 0)
        return true;
    size_t sp = count_space(s, len);
    for (size_t i = 0; i < len;) {
        size_t l = name_utf8_len(s + i, len - i);
        if (folded_special(s, len, i, l, sp))
            return true;
        i += l;
    }
    return false;
}

void name_folded_escape_add(struct name_buf *b, const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    if (len == 0) {
        name_buf_addstr(b, "\\(empty)");
        return;
    }
    size_t sp = count_space(s, len);
    for (size_t i = 0; i < len;) {
        size_t run = i, l;
        while (run < len && !folded_special(s, len, run, l = name_utf8_len(s + run, len - run), sp))
            run += l;
        if (run > i) {
            name_buf_add(b, s + i, run - i);
            i = run;
        }
        if (i >= len)
            break;
        l = name_utf8_len(s + i, len - i);
        if (s[i] == '\\') {
            name_buf_add(b, "\\\\", 2);
            i++;
        } else if (l > 1) {
            /* U+FFFE / U+FFFF: every byte escaped */
            for (size_t k = 0; k < l; k++)
                add_hex(b, s[i + k]);
            i += l;
        } else {
            add_hex(b, s[i]);
            i++;
        }
    }
}

static char *finish(struct name_buf *b, size_t *outlen)
{
    if (!b->s)
        name_buf_add(b, "", 0);
    if (outlen)
        *outlen = b->len;
    return b->s;
}

char *name_display(const char *name, size_t len, size_t *outlen)
{
    struct name_buf b = {0};
    name_display_add(&b, name, len);
    return finish(&b, outlen);
}

char *name_xml(const char *s, size_t len, size_t *outlen)
{
    struct name_buf b = {0};
    name_xml_add(&b, s, len);
    return finish(&b, outlen);
}

char *name_folded_escape(const char *name, size_t len, size_t *outlen)
{
    struct name_buf b = {0};
    name_folded_escape_add(&b, name, len);
    return finish(&b, outlen);
}

void name_xml_fwrite(FILE *f, const char *s, size_t len)
{
    struct name_buf b = {0};
    name_xml_add(&b, s, len);
    if (b.len)
        fwrite(b.s, 1, b.len, f);
    name_buf_release(&b);
}
