/* SPDX-License-Identifier: BSD-2-Clause */
/* json: small JSON documents read whole into values (see include/json.h) */
#include "json.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jp {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errcap;
    bool failed;
};

static void fail(struct jp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct jp *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->err || !p->errcap)
        return;
    int n = snprintf(p->err, p->errcap, "byte %zu: ", p->pos);
    if (n < 0 || (size_t)n >= p->errcap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errcap - (size_t)n, fmt, ap);
    va_end(ap);
}

static void skip_ws(struct jp *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int peek(struct jp *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool word(struct jp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0) {
        fail(p, "expected a value");
        return false;
    }
    p->pos += n;
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex4(struct jp *p, unsigned *out)
{
    if (p->len - p->pos < 4) {
        fail(p, "short \\u escape");
        return false;
    }
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p->s[p->pos + (size_t)i]);
        if (h < 0) {
            fail(p, "bad \\u escape");
            return false;
        }
        v = v << 4 | (unsigned)h;
    }
    p->pos += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xc0 | cp >> 6);
        d[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xe0 | cp >> 12);
        d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        d[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    d[0] = (char)(0xf0 | cp >> 18);
    d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    d[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* escape: after the backslash; writes at most 4 bytes to d */
static bool escape(struct jp *p, char *d, size_t *dn)
{
    int c = peek(p);
    p->pos++;
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *k = c > 0 ? strchr(from, c) : NULL;
    if (k) {
        d[(*dn)++] = to[k - from];
        return true;
    }
    if (c != 'u') {
        p->pos--;
        fail(p, "bad escape");
        return false;
    }
    unsigned cp;
    if (!hex4(p, &cp))
        return false;
    if (cp >= 0xdc00 && cp < 0xe000) {
        fail(p, "unpaired surrogate");
        return false;
    }
    if (cp >= 0xd800 && cp < 0xdc00) {
        unsigned lo;
        if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
            fail(p, "unpaired surrogate");
            return false;
        }
        p->pos += 2;
        if (!hex4(p, &lo))
            return false;
        if (lo < 0xdc00 || lo >= 0xe000) {
            fail(p, "unpaired surrogate");
            return false;
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    if (cp == 0) {
        fail(p, "NUL in a string");
        return false;
    }
    *dn += put_utf8(d + *dn, cp);
    return true;
}

/* string: at the opening quote; a heap string */
static char *string(struct jp *p)
{
    p->pos++;
    size_t start = p->pos;
    /* the decoded text is never longer than the escaped one */
    size_t end = start;
    while (end < p->len && p->s[end] != '"')
        end += p->s[end] == '\\' ? 2 : 1;
    if (end >= p->len) {
        fail(p, "unterminated string");
        return NULL;
    }
    char *d = xmalloc(end - start + 1);
    size_t dn = 0;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c < 0x20) {
            fail(p, "control character in a string");
            free(d);
            return NULL;
        }
        if (c == '\\') {
            p->pos++;
            if (!escape(p, d, &dn)) {
                free(d);
                return NULL;
            }
            continue;
        }
        d[dn++] = (char)c;
        p->pos++;
    }
    if (p->pos != end) {
        fail(p, "bad escape");
        free(d);
        return NULL;
    }
    p->pos++;
    d[dn] = 0;
    return d;
}

/* one digit or more, as a fraction and an exponent need */
static bool digits(struct jp *p)
{
    int c = peek(p);
    if (c < '0' || c > '9') {
        fail(p, "bad number");
        return false;
    }
    while ((c = peek(p)) >= '0' && c <= '9')
        p->pos++;
    return true;
}

static bool number(struct jp *p, double *out)
{
    size_t start = p->pos;
    if (peek(p) == '-')
        p->pos++;
    int c = peek(p);
    if (c == '0') {
        p->pos++;
    } else if (c >= '1' && c <= '9') {
        while ((c = peek(p)) >= '0' && c <= '9')
            p->pos++;
    } else {
        fail(p, "expected a value");
        return false;
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!digits(p))
            return false;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (!digits(p))
            return false;
    }
    char buf[64];
    size_t n = p->pos - start;
    if (n >= sizeof buf) {
        *out = 1e300; /* a number this long is out of any range read here */
        return true;
    }
    memcpy(buf, p->s + start, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    return true;
}

static void release(struct json_value *v)
{
    if (v->type == JSON_STRING)
        free(v->str);
    if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
        for (size_t i = 0; i < v->n; i++) {
            release(&v->items[i]);
            if (v->keys)
                free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
    }
}

static bool value(struct jp *p, struct json_value *v, unsigned depth);

/* elements: an array or an object, at its opening bracket */
static bool elements(struct jp *p, struct json_value *v, unsigned depth)
{
    bool obj = peek(p) == '{';
    char close = obj ? '}' : ']';
    v->type = obj ? JSON_OBJECT : JSON_ARRAY;
    if (depth >= JSON_MAX_DEPTH) {
        fail(p, "nested deeper than %d", JSON_MAX_DEPTH);
        return false;
    }
    p->pos++;
    skip_ws(p);
    if (peek(p) == close) {
        p->pos++;
        return true;
    }
    size_t cap = 0;
    for (;;) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 4;
            v->items = xreallocarray(v->items, cap, sizeof *v->items);
            if (obj)
                v->keys = xreallocarray(v->keys, cap, sizeof *v->keys);
        }
        struct json_value *it = &v->items[v->n];
        memset(it, 0, sizeof *it);
        if (obj) {
            skip_ws(p);
            if (peek(p) != '"') {
                fail(p, "expected a key");
                return false;
            }
            char *k = string(p);
            if (!k)
                return false;
            v->keys[v->n] = k;
            skip_ws(p);
            if (peek(p) != ':') {
                v->n++;
                fail(p, "expected ':'");
                return false;
            }
            p->pos++;
        }
        v->n++;
        if (!value(p, it, depth + 1))
            return false;
        skip_ws(p);
        int c = peek(p);
        p->pos++;
        if (c == close)
            return true;
        if (c != ',') {
            p->pos--;
            fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            return false;
        }
    }
}

static bool value(struct jp *p, struct json_value *v, unsigned depth)
{
    skip_ws(p);
    int c = peek(p);
    switch (c) {
    case '{':
    case '[':
        return elements(p, v, depth);
    case '"':
        v->type = JSON_STRING;
        v->str = string(p);
        return v->str != NULL;
    case 't':
        v->type = JSON_BOOL;
        v->b = true;
        return word(p, "true");
    case 'f':
        v->type = JSON_BOOL;
        return word(p, "false");
    case 'n':
        v->type = JSON_NULL;
        return word(p, "null");
    default:
        v->type = JSON_NUMBER;
        return number(p, &v->num);
    }
}

struct json_value *json_parse(const char *buf, size_t len, char *err, size_t errcap)
{
    struct jp p = {.s = buf, .len = len, .err = err, .errcap = errcap};
    if (err && errcap)
        err[0] = 0;
    struct json_value *v = xcalloc(1, sizeof *v);
    if (value(&p, v, 0)) {
        skip_ws(&p);
        if (p.pos < p.len)
            fail(&p, "text after the value");
    }
    if (p.failed) {
        json_free(v);
        return NULL;
    }
    return v;
}

void json_free(struct json_value *v)
{
    if (!v)
        return;
    release(v);
    free(v);
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT)
        return NULL;
    for (size_t i = v->n; i-- > 0;)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *json_str(const struct json_value *v)
{
    return v && v->type == JSON_STRING ? v->str : NULL;
}

const char *json_get_str(const struct json_value *v, const char *key)
{
    return json_str(json_get(v, key));
}

size_t json_array_len(const struct json_value *v)
{
    return v && v->type == JSON_ARRAY ? v->n : 0;
}

const struct json_value *json_at(const struct json_value *v, size_t i)
{
    return v && v->type == JSON_ARRAY && i < v->n ? &v->items[i] : NULL;
}

bool json_uint(const struct json_value *v, uint64_t *out)
{
    if (!v || v->type != JSON_NUMBER || !(v->num >= 0) || v->num > 9007199254740992.0 ||
        v->num != (double)(uint64_t)v->num)
        return false;
    *out = (uint64_t)v->num;
    return true;
}
