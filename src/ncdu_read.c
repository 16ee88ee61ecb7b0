/* SPDX-License-Identifier: BSD-2-Clause */
#include "ncdu_read.h"
#include "kind.h"
#include "names.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* bytes read from the input (and decoded) at once */
#define BLOCK (256u * 1024)
/* duplicate names said one by one; further ones are counted */
#define MAX_DUP_MESSAGES 10

/* ---- input: plain, gzip or zstd, in blocks ------------------------------ */

enum codec { C_PLAIN, C_GZIP, C_ZSTD };

struct in {
    int fd; /* -1: pre is all there is */
    const unsigned char *pre;
    size_t prelen, prepos;
    enum codec codec;
    z_stream z;
    bool zinit, zend;
    ZSTD_DStream *zd;
    unsigned char *raw; /* compressed bytes not yet decoded */
    size_t rawlen, rawpos;
    bool raweof;
    unsigned char *buf; /* JSON text */
    size_t len, pos;
    uint64_t base; /* offset of buf[0] in the JSON text */
    bool eof;
    char err[160]; /* why the input ended early, "" if it did not */
};

/* raw_read: up to cap bytes of the file as stored; 0 at its end, -1 on error */
static ssize_t raw_read(struct in *in, unsigned char *dst, size_t cap)
{
    if (in->prepos < in->prelen) {
        size_t n = in->prelen - in->prepos;
        if (n > cap)
            n = cap;
        memcpy(dst, in->pre + in->prepos, n);
        in->prepos += n;
        return (ssize_t)n;
    }
    if (in->fd < 0)
        return 0;
    for (;;) {
        ssize_t n = read(in->fd, dst, cap);
        if (n >= 0)
            return n;
        if (errno != EINTR) {
            snprintf(in->err, sizeof in->err, "%s", strerror(errno));
            return -1;
        }
    }
}

/* raw_fill: more compressed bytes into raw (keeping those not yet used) */
static void raw_fill(struct in *in)
{
    if (in->rawpos > 0) {
        memmove(in->raw, in->raw + in->rawpos, in->rawlen - in->rawpos);
        in->rawlen -= in->rawpos;
        in->rawpos = 0;
    }
    if (in->raweof || in->rawlen == BLOCK)
        return;
    ssize_t n = raw_read(in, in->raw + in->rawlen, BLOCK - in->rawlen);
    if (n <= 0)
        in->raweof = true;
    else
        in->rawlen += (size_t)n;
}

static void in_init(struct in *in, int fd, const void *pre, size_t prelen)
{
    memset(in, 0, sizeof *in);
    in->fd = fd;
    in->pre = pre;
    in->prelen = prelen;
    in->raw = xmalloc(BLOCK);
    /* the first bytes say how the text is stored */
    while (in->rawlen < 4 && !in->raweof)
        raw_fill(in);
    const unsigned char *r = in->raw;
    if (in->rawlen >= 2 && r[0] == 0x1f && r[1] == 0x8b) {
        in->codec = C_GZIP;
        if (inflateInit2(&in->z, 15 + 32) == Z_OK)
            in->zinit = true;
        else
            snprintf(in->err, sizeof in->err, "cannot start the gzip decoder");
    } else if (in->rawlen >= 4 && r[0] == 0x28 && r[1] == 0xb5 && r[2] == 0x2f && r[3] == 0xfd) {
        in->codec = C_ZSTD;
        in->zd = ZSTD_createDStream();
        if (!in->zd)
            snprintf(in->err, sizeof in->err, "cannot start the zstd decoder");
    }
    if (in->codec == C_PLAIN) {
        /* the raw block is the text */
        in->buf = in->raw;
        in->len = in->rawlen;
        in->raw = NULL;
        if (in->raweof && !in->len)
            in->eof = true;
    } else {
        in->buf = xmalloc(BLOCK);
    }
}

static void in_release(struct in *in)
{
    if (in->zinit)
        inflateEnd(&in->z);
    if (in->zd)
        ZSTD_freeDStream(in->zd);
    free(in->raw);
    free(in->buf);
}

/* decode: fill buf with decoded text; false at the end or on an error */
static bool decode(struct in *in)
{
    for (;;) {
        if (in->rawpos == in->rawlen)
            raw_fill(in);
        if (in->rawpos == in->rawlen && in->raweof) {
            if (!in->zend && !in->err[0])
                snprintf(in->err, sizeof in->err, "the compressed data ends early");
            return false;
        }
        size_t avail = in->rawlen - in->rawpos;
        if (in->codec == C_GZIP) {
            if (in->zend) {
                /* another gzip member follows (as `cat a.gz b.gz` makes) */
                inflateReset(&in->z);
                in->zend = false;
            }
            in->z.next_in = in->raw + in->rawpos;
            in->z.avail_in = (uInt)avail;
            in->z.next_out = in->buf;
            in->z.avail_out = BLOCK;
            int rc = inflate(&in->z, Z_NO_FLUSH);
            in->rawpos = in->rawlen - in->z.avail_in;
            in->len = BLOCK - in->z.avail_out;
            if (rc == Z_STREAM_END)
                in->zend = true;
            else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                snprintf(in->err, sizeof in->err, "gzip data is corrupt");
                return false;
            }
        } else {
            ZSTD_inBuffer ib = {in->raw + in->rawpos, avail, 0};
            ZSTD_outBuffer ob = {in->buf, BLOCK, 0};
            size_t rc = ZSTD_decompressStream(in->zd, &ob, &ib);
            in->rawpos += ib.pos;
            in->len = ob.pos;
            if (ZSTD_isError(rc)) {
                snprintf(in->err, sizeof in->err, "zstd data is corrupt: %s",
                         ZSTD_getErrorName(rc));
                return false;
            }
            in->zend = rc == 0;
        }
        if (in->len)
            return true;
    }
}

/* in_more: the next block of text into buf; false at the end */
static bool in_more(struct in *in)
{
    if (in->eof || in->err[0])
        return false;
    in->base += in->len;
    in->pos = in->len = 0;
    bool ok;
    if (in->codec == C_PLAIN) {
        ssize_t n = raw_read(in, in->buf, BLOCK);
        ok = n > 0;
        if (ok)
            in->len = (size_t)n;
    } else {
        ok = decode(in);
    }
    if (!ok)
        in->eof = true;
    return ok;
}

/* ---- the reader ---------------------------------------------------------- */

struct item {
    bool hasname, hasdev, hasino;
    bool hlnkc, notreg, read_error, archive, uncounted, paths;
    enum tree_excluded excl;
    uint64_t asize, dsize, dev, ino, nlink;
};

struct devlevel {
    unsigned depth; /* the directory level that set it */
    uint64_t dev;
};

struct linkrec {
    uint64_t dev, ino, nlink;
    struct tree_node *node;
};

struct rd {
    struct in in;
    const struct ncdu_read_opts *o;
    const char *name;
    size_t max_name;
    unsigned max_depth;
    struct tree *t;
    struct tree_arena *a;
    struct tree_node *cur; /* the directory open innermost; NULL before the top */
    ncdu_top_fn top_fn;    /* ncdu_read_into: where the top goes */
    void *top_ctx;
    bool started;        /* the top was read */
    unsigned depth;      /* directories open */
    bool top_is_root;    /* the top directory is t->root ("paths":true) */
    struct name_buf nm;  /* the name of the entry being read */
    struct name_buf key; /* the key being read */
    struct devlevel *devs;
    size_t ndevs, capdevs;
    unsigned char *skip; /* '[' or '{' per level of a value being skipped */
    size_t skipcap;
    struct tree_node **dup; /* names in the open directories, by (parent, name) */
    size_t dupmask, dupused;
    uint32_t *dstack; /* the slots filled, in order; DIR_MARK where a directory opened */
    size_t dsn, dscap;
    struct tree_node **tails; /* the last child of each open directory */
    size_t tailcap;
    struct linkrec *links;
    size_t nlinks, caplinks;
    bool failed; /* stopped: the message was given */
    unsigned long long dups;
};

static void say(struct rd *r, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct rd *r, uint64_t off, const char *fmt, ...)
{
    if (!r->o->warn)
        return;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    struct name_buf b = {0};
    name_buf_addc(&b, '\'');
    name_display_add(&b, r->name, strlen(r->name));
    char tail[600];
    snprintf(tail, sizeof tail, "': byte %llu: %s", (unsigned long long)off, what);
    name_buf_addstr(&b, tail);
    r->o->warn(r->o->warn_ctx, b.s);
    name_buf_release(&b);
}

static uint64_t offset(const struct rd *r)
{
    return r->in.base + r->in.pos;
}

/* fail: stop reading with one message (false, for `return fail(...)`) */
#define fail(r, ...) (say((r), offset(r), __VA_ARGS__), (r)->failed = true, false)

static inline int peekc(struct rd *r)
{
    if (r->in.pos < r->in.len || in_more(&r->in))
        return r->in.buf[r->in.pos];
    return -1;
}

static inline int getc_(struct rd *r)
{
    int c = peekc(r);
    if (c >= 0)
        r->in.pos++;
    return c;
}

/* the message for an unexpected byte c (or the end) where `want` was due */
static bool unexpected(struct rd *r, int c, const char *want)
{
    if (c < 0) {
        if (r->in.err[0])
            return fail(r, "%s", r->in.err);
        return fail(r, "unexpected end of input (expected %s)", want);
    }
    if (c >= 0x20 && c < 0x7f)
        return fail(r, "expected %s, found '%c'", want, c);
    return fail(r, "expected %s, found byte 0x%02x", want, (unsigned)c);
}

/* ws: skip white space; the next byte, not consumed (-1 at the end) */
static inline int ws(struct rd *r)
{
    for (;;) {
        int c = peekc(r);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return c;
        r->in.pos++;
    }
}

static bool expect(struct rd *r, int want, const char *what)
{
    int c = ws(r);
    if (c != want)
        return unexpected(r, c, what);
    r->in.pos++;
    return true;
}

static bool literal(struct rd *r, const char *word)
{
    for (const char *p = word; *p; p++) {
        int c = peekc(r);
        if (c != *p)
            return unexpected(r, c, word);
        r->in.pos++;
    }
    return true;
}

/* number: a non-negative integer up to max (the byte after it must end it) */
static bool number(struct rd *r, uint64_t max, uint64_t *out, const char *key)
{
    uint64_t start = offset(r);
    int c = peekc(r);
    if (c == '-')
        return fail(r, "'%s' is negative", key);
    if (c < '0' || c > '9')
        return unexpected(r, c, "a number");
    uint64_t v = 0;
    bool over = false;
    /* the common case: a short number whole in the block, 18 digits or
     * fewer, which cannot overflow */
    const unsigned char *p = r->in.buf + r->in.pos, *e = r->in.buf + r->in.len;
    if (e - p > 19) {
        const unsigned char *q = p;
        while (q < p + 19 && *q >= '0' && *q <= '9')
            v = v * 10 + (unsigned)(*q++ - '0');
        if (q - p <= 18 && *q != '.' && *q != 'e' && *q != 'E' && v <= max) {
            r->in.pos += (size_t)(q - p);
            *out = v;
            return true;
        }
        v = 0;
    }
    while ((c = peekc(r)) >= '0' && c <= '9') {
        unsigned d = (unsigned)(c - '0');
        if (v > (max - d) / 10)
            over = true;
        else
            v = v * 10 + d;
        r->in.pos++;
    }
    if (c == '.' || c == 'e' || c == 'E')
        return fail(r, "'%s' is not a whole number", key);
    if (over) {
        say(r, start, "'%s' is out of range (more than %llu)", key, (unsigned long long)max);
        r->failed = true;
        return false;
    }
    *out = v;
    return true;
}

static bool boolean(struct rd *r, bool *out, const char *key)
{
    int c = peekc(r);
    if (c == 't') {
        *out = true;
        return literal(r, "true");
    }
    if (c == 'f') {
        *out = false;
        return literal(r, "false");
    }
    return fail(r, "'%s' is not true or false", key);
}

static void put_utf8(struct name_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    name_buf_add(b, u, n);
}

static bool hex4(struct rd *r, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int c = peekc(r);
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return unexpected(r, c, "a hex digit");
        v = v * 16 + d;
        r->in.pos++;
    }
    *out = v;
    return true;
}

/* escape: after a backslash; the bytes it stands for go to b (if not NULL) */
static bool escape(struct rd *r, struct name_buf *b)
{
    int c = getc_(r);
    char one;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        one = (char)c;
        break;
    case 'b':
        one = '\b';
        break;
    case 'f':
        one = '\f';
        break;
    case 'n':
        one = '\n';
        break;
    case 'r':
        one = '\r';
        break;
    case 't':
        one = '\t';
        break;
    case 'u': {
        unsigned cp;
        if (!hex4(r, &cp))
            return false;
        if (cp >= 0xd800 && cp < 0xdc00 && peekc(r) == '\\') {
            /* a surrogate pair is one character; a lone surrogate is kept
             * as its three bytes (as ncdu reads it) */
            r->in.pos++;
            unsigned lo;
            if (peekc(r) == 'u') {
                r->in.pos++;
                if (!hex4(r, &lo))
                    return false;
                if (lo >= 0xdc00 && lo < 0xe000) {
                    if (b)
                        put_utf8(b, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
                    return true;
                }
                if (b)
                    put_utf8(b, cp);
                cp = lo;
            } else {
                /* not a \u: the backslash starts the next escape */
                if (b)
                    put_utf8(b, cp);
                return escape(r, b);
            }
        }
        if (b)
            put_utf8(b, cp);
        return true;
    }
    default:
        if (c < 0)
            return unexpected(r, c, "an escape");
        r->in.pos--;
        return fail(r, "invalid escape '\\%c' in a string", c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (b)
        name_buf_addc(b, one);
    return true;
}

/*
 * string: after the opening quote, up to and past the closing one. The bytes
 * go to b when it is not NULL, at most limit of them: more is an error
 * naming `what`, or with what == NULL the rest is dropped quietly. Without
 * b the string is only checked, at any length, holding nothing.
 */
static bool string(struct rd *r, struct name_buf *b, size_t limit, const char *what)
{
    uint64_t start = offset(r) - 1;
    for (;;) {
        /* the plain bytes in this block at once */
        const unsigned char *p = r->in.buf + r->in.pos, *e = r->in.buf + r->in.len, *q = p;
        while (q < e && *q != '"' && *q != '\\' && *q >= 0x20)
            q++;
        if (b && q > p) {
            size_t n = (size_t)(q - p);
            if (b->len + n > limit) {
                if (what) {
                    r->in.pos += limit - b->len;
                    say(r, start, "%s longer than %zu bytes", what, limit);
                    r->failed = true;
                    return false;
                }
                n = limit - b->len; /* what == NULL: cut, quietly */
            }
            name_buf_add(b, p, n);
        }
        r->in.pos += (size_t)(q - p);
        if (q == e) {
            if (!in_more(&r->in))
                return unexpected(r, -1, "'\"' to end a string");
            continue;
        }
        r->in.pos++;
        if (*q == '"')
            return true;
        if (*q != '\\') {
            r->in.pos--;
            return fail(r, "control byte 0x%02x in a string (it must be escaped)", *q);
        }
        if (!escape(r, b))
            return false;
        if (b && b->len > limit) {
            if (what) {
                say(r, start, "%s longer than %zu bytes", what, limit);
                r->failed = true;
                return false;
            }
            b->len = limit;
            b->s[limit] = '\0';
        }
    }
}

/* skip_value: any JSON value, iteratively (nesting up to max_depth) */
static bool skip_value(struct rd *r)
{
    size_t level = 0;
    for (;;) {
        int c = ws(r);
        switch (c) {
        case '{':
        case '[':
            if (level >= r->max_depth)
                return fail(r, "values nested deeper than %u levels", r->max_depth);
            if (level == r->skipcap) {
                r->skipcap = r->skipcap ? r->skipcap * 2 : 64;
                r->skip = xrealloc(r->skip, r->skipcap);
            }
            r->skip[level++] = (unsigned char)c;
            r->in.pos++;
            c = ws(r);
            if (c == (level && r->skip[level - 1] == '{' ? '}' : ']')) {
                r->in.pos++;
                level--;
                break;
            }
            if (r->skip[level - 1] == '{') {
                if (c != '"')
                    return unexpected(r, c, "'\"' to start a key");
                r->in.pos++;
                if (!string(r, NULL, 0, "key") || !expect(r, ':', "':'"))
                    return false;
            }
            continue; /* the first value inside */
        case '"':
            r->in.pos++;
            if (!string(r, NULL, 0, "string"))
                return false;
            break;
        case 't':
            if (!literal(r, "true"))
                return false;
            break;
        case 'f':
            if (!literal(r, "false"))
                return false;
            break;
        case 'n':
            if (!literal(r, "null"))
                return false;
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                bool digit = false;
                while ((c = peekc(r)) == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' ||
                       (c >= '0' && c <= '9')) {
                    digit |= c >= '0' && c <= '9';
                    r->in.pos++;
                }
                if (!digit)
                    return fail(r, "a malformed number");
                break;
            }
            return unexpected(r, c, "a value");
        }
        /* a value ended: what follows it in its container */
        while (level) {
            unsigned char open = r->skip[level - 1];
            c = ws(r);
            if (c == ',') {
                r->in.pos++;
                if (open == '{') {
                    if (!expect(r, '"', "'\"' to start a key") || !string(r, NULL, 0, "key") ||
                        !expect(r, ':', "':'"))
                        return false;
                }
                break;
            }
            if (c != (open == '{' ? '}' : ']'))
                return unexpected(r, c, open == '{' ? "',' or '}'" : "',' or ']'");
            r->in.pos++;
            level--;
        }
        if (!level)
            return true;
    }
}

static enum tree_excluded excluded_reason(const char *s)
{
    if (!strcmp(s, "pattern"))
        return TREE_EXCL_PATTERN;
    if (!strcmp(s, "otherfs"))
        return TREE_EXCL_OTHERFS;
    if (!strcmp(s, "kernfs"))
        return TREE_EXCL_KERNFS;
    if (!strcmp(s, "frmlink"))
        return TREE_EXCL_FRMLINK;
    return TREE_EXCL_OTHER;
}

enum key {
    K_OTHER,
    K_NAME,
    K_ASIZE,
    K_DSIZE,
    K_DEV,
    K_INO,
    K_NLINK,
    K_HLNKC,
    K_READ_ERROR,
    K_NOTREG,
    K_EXCLUDED,
    K_ARCHIVE,
    K_PATHS,
    K_COUNTED,
};

/* key_of: which key k[0..len) is (a switch on the length first: this runs
 * three times per entry) */
static enum key key_of(const char *k, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(k, lit, sizeof(lit) - 1))
    switch (len) {
    case 3:
        return IS("dev") ? K_DEV : IS("ino") ? K_INO : K_OTHER;
    case 4:
        return IS("name") ? K_NAME : K_OTHER;
    case 5:
        return IS("asize")   ? K_ASIZE
               : IS("dsize") ? K_DSIZE
               : IS("nlink") ? K_NLINK
               : IS("hlnkc") ? K_HLNKC
               : IS("paths") ? K_PATHS
                             : K_OTHER;
    case 6:
        return IS("notreg") ? K_NOTREG : K_OTHER;
    case 7:
        return IS("archive") ? K_ARCHIVE : IS("counted") ? K_COUNTED : K_OTHER;
    case 8:
        return IS("excluded") ? K_EXCLUDED : K_OTHER;
    case 10:
        return IS("read_error") ? K_READ_ERROR : K_OTHER;
    default:
        return K_OTHER;
    }
#undef IS
}

static bool excluded_value(struct rd *r, int c, struct item *it)
{
    if (c == '"') {
        /* a short reason; anything longer is none of the known ones */
        struct name_buf s = {0};
        r->in.pos++;
        bool ok = string(r, &s, 16, NULL);
        if (ok)
            it->excl = excluded_reason(s.s ? s.s : "");
        name_buf_release(&s);
        return ok;
    }
    bool v = false;
    if (c == 't' || c == 'f') {
        if (!boolean(r, &v, "excluded"))
            return false;
        it->excl = v ? TREE_EXCL_PATTERN : TREE_EXCL_NONE;
        return true;
    }
    return fail(r, "'excluded' is not a string");
}

static const char *const key_names[] = {
    [K_OTHER] = "?",       [K_NAME] = "name",         [K_ASIZE] = "asize",
    [K_DSIZE] = "dsize",   [K_DEV] = "dev",           [K_INO] = "ino",
    [K_NLINK] = "nlink",   [K_HLNKC] = "hlnkc",       [K_READ_ERROR] = "read_error",
    [K_NOTREG] = "notreg", [K_EXCLUDED] = "excluded", [K_ARCHIVE] = "archive",
    [K_PATHS] = "paths",   [K_COUNTED] = "counted",
};

/* value: the value of key id in an entry's object */
static bool value(struct rd *r, enum key id, struct item *it)
{
    int c = ws(r);
    const uint64_t smax = INT64_MAX, umax = UINT64_MAX;
    const char *key = key_names[id];
    bool v = true;
    switch (id) {
    case K_NAME:
        if (c != '"')
            return fail(r, "'name' is not a string");
        r->in.pos++;
        name_buf_reset(&r->nm);
        it->hasname = true;
        return string(r, &r->nm, r->max_name, "a name");
    case K_ASIZE:
        return number(r, smax, &it->asize, key);
    case K_DSIZE:
        return number(r, smax, &it->dsize, key);
    case K_DEV:
        it->hasdev = true;
        return number(r, umax, &it->dev, key);
    case K_INO:
        it->hasino = true;
        return number(r, umax, &it->ino, key);
    case K_NLINK:
        return number(r, umax, &it->nlink, key);
    case K_HLNKC:
        return boolean(r, &it->hlnkc, key);
    case K_READ_ERROR:
        return boolean(r, &it->read_error, key);
    case K_NOTREG:
        return boolean(r, &it->notreg, key);
    case K_ARCHIVE:
        return boolean(r, &it->archive, key);
    case K_PATHS:
        return boolean(r, &it->paths, key);
    case K_COUNTED:
        if (!boolean(r, &v, key))
            return false;
        it->uncounted = !v;
        return true;
    case K_EXCLUDED:
        return excluded_value(r, c, it);
    default:
        return skip_value(r);
    }
}

/* object: an entry's object, after its '{' */
static bool object(struct rd *r, struct item *it)
{
    memset(it, 0, sizeof *it);
    uint64_t start = offset(r) - 1;
    int c = ws(r);
    if (c == '}') {
        r->in.pos++;
    } else {
        for (;;) {
            /* keys that matter are short: a longer one is cut, so it
             * matches none of them and its value is skipped */
            if (!expect(r, '"', "'\"' to start a key"))
                return false;
            /* the common case: the key whole in the block, no escape */
            const char *k = (const char *)r->in.buf + r->in.pos;
            size_t n = 0, room = r->in.len - r->in.pos;
            while (n < room && n < 24 && k[n] != '"' && k[n] != '\\' && (unsigned char)k[n] >= 0x20)
                n++;
            if (n < room && n < 24 && k[n] == '"') {
                r->in.pos += n + 1;
            } else {
                name_buf_reset(&r->key);
                if (!string(r, &r->key, 23, NULL))
                    return false;
                k = r->key.s ? r->key.s : "";
                n = r->key.len;
            }
            /* which key, before any further byte is read (k may point
             * into the block) */
            enum key id = key_of(k, n);
            if (!expect(r, ':', "':'") || !value(r, id, it))
                return false;
            c = ws(r);
            if (c == '}') {
                r->in.pos++;
                break;
            }
            if (c != ',')
                return unexpected(r, c, "',' or '}'");
            r->in.pos++;
        }
    }
    if (!it->hasname) {
        say(r, start, "an entry without a name");
        r->failed = true;
        return false;
    }
    return true;
}

/* ---- duplicate names: the children of the open directories -------------- */

/* dup_hash: the parent's address and the name, a multiply per 8 bytes */
static size_t dup_hash(const struct tree_node *parent, const char *name, size_t len)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    uint64_t h = ((uint64_t)(uintptr_t)parent ^ len) * k;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, name + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, name + i, len - i);
    return (size_t)util_mix64(h ^ w);
}

#define DIR_MARK UINT32_MAX

static void dpush(struct rd *r, uint32_t v)
{
    if (r->dsn == r->dscap) {
        r->dscap = r->dscap ? r->dscap * 2 : 1024;
        r->dstack = xreallocarray(r->dstack, r->dscap, sizeof *r->dstack);
    }
    r->dstack[r->dsn++] = v;
}

/* dup_grow: a table twice the size, filled again in the order of the stack
 * (which keeps removal in reverse order exact, see dup_close) */
static void dup_grow(struct rd *r)
{
    size_t cap = r->dup ? (r->dupmask + 1) * 2 : 1024;
    struct tree_node **v = xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < r->dsn; i++) {
        if (r->dstack[i] == DIR_MARK)
            continue;
        struct tree_node *n = r->dup[r->dstack[i]];
        size_t j = dup_hash(tree_parent(n), n->name, n->len) & (cap - 1);
        while (v[j])
            j = (j + 1) & (cap - 1);
        v[j] = n;
        r->dstack[i] = (uint32_t)j;
    }
    free(r->dup);
    r->dup = v;
    r->dupmask = cap - 1;
}

/* dup_add: note n among its siblings; the earlier sibling of that name, if
 * there is one (n is not noted then) */
static struct tree_node *dup_add(struct rd *r, struct tree_node *n)
{
    if (!r->dup || (r->dupused + 1) * 4 > (r->dupmask + 1) * 3) {
        if (r->dup && r->dupmask + 1 > (size_t)UINT32_MAX / 2)
            return NULL; /* (beyond any memory) */
        dup_grow(r);
    }
    size_t j = dup_hash(tree_parent(n), n->name, n->len) & r->dupmask;
    for (struct tree_node *m; (m = r->dup[j]); j = (j + 1) & r->dupmask)
        if (tree_parent(m) == tree_parent(n) && m->len == n->len &&
            !memcmp(m->name, n->name, n->len))
            return m;
    r->dup[j] = n;
    r->dupused++;
    dpush(r, (uint32_t)j);
    return NULL;
}

/*
 * dup_close: forget the children of the directory that ends. They are the
 * entries noted since its DIR_MARK (its subdirectories' children were
 * forgotten when those ended), and they are forgotten in the reverse order
 * of their noting: each one's slot is emptied, which puts the table back as
 * it was before it was noted (everything noted after it is gone already),
 * so no probe sequence is broken and nothing is hashed again.
 */
static void dup_close(struct rd *r)
{
    while (r->dsn && r->dstack[r->dsn - 1] != DIR_MARK) {
        r->dup[r->dstack[--r->dsn]] = NULL;
        r->dupused--;
    }
    if (r->dsn)
        r->dsn--;
}

/* path_of: the path of n below the root, '/'-separated, shown printable */
static void path_of(struct name_buf *b, const struct tree_node *n, const struct tree_node *root)
{
    size_t depth = 0;
    for (const struct tree_node *x = n; x && x != root; x = tree_parent(x))
        depth++;
    const struct tree_node **v = xcalloc(depth ? depth : 1, sizeof *v);
    size_t i = depth;
    for (const struct tree_node *x = n; x && x != root; x = tree_parent(x))
        v[--i] = x;
    for (i = 0; i < depth; i++) {
        if (i && !(i == 1 && v[0]->len && v[0]->name[v[0]->len - 1] == '/'))
            name_buf_addc(b, '/');
        name_display_add(b, v[i]->name, v[i]->len);
    }
    free(v);
}

static void say_duplicate(struct rd *r, uint64_t off, struct tree_node *n)
{
    if (++r->dups > MAX_DUP_MESSAGES)
        return;
    struct name_buf p = {0};
    path_of(&p, n, r->top_is_root ? NULL : r->t->root);
    say(r, off, "duplicate name '%s'%s", p.s ? p.s : "",
        r->dups == MAX_DUP_MESSAGES ? " (further duplicates are counted, not shown)" : "");
    name_buf_release(&p);
}

/* ---- entries ------------------------------------------------------------- */

static uint64_t current_dev(const struct rd *r)
{
    return r->ndevs ? r->devs[r->ndevs - 1].dev : 0;
}

/* add: the entry just read (its name in r->nm) as a node; dir: it opens a
 * directory (its info object) */
/* n, just made under r->cur, moved to the end of the list: tree_add
 * prepends, and the children keep the file's order (equal names keep
 * theirs through a sort and a round trip) */
static struct tree_node *append(struct rd *r, struct tree_node *n, uint64_t start)
{
    struct tree_node **tail = &r->tails[r->depth];
    tree_set_first_child(r->cur, tree_next_sibling(n));
    tree_set_next_sibling(n, NULL);
    if (*tail)
        tree_set_next_sibling(*tail, n);
    else
        tree_set_first_child(r->cur, n);
    *tail = n;
    if (dup_add(r, n))
        say_duplicate(r, start, n);
    return n;
}

static bool add(struct rd *r, const struct item *it, bool dir, uint64_t start)
{
    const char *name = r->nm.s ? r->nm.s : "";
    struct tree_node *n;
    if (dir && r->depth >= r->max_depth) {
        say(r, start, "directories nested deeper than %u levels", r->max_depth);
        r->failed = true;
        return false;
    }
    if (r->top_fn && !r->cur) {
        /* the top directory, where the caller wants it */
        r->top_is_root = it->paths;
        n = r->top_fn(r->top_ctx, name, r->nm.len, it->paths);
    } else if (!r->t) {
        /* the top directory */
        r->top_is_root = it->paths;
        const char *rn = r->o->root_name ? r->o->root_name : "all";
        if (it->paths) {
            char *s = xmemdup(name, r->nm.len);
            r->t = tree_new(s, 3);
            free(s);
        } else {
            r->t = tree_new(rn, 3);
        }
        r->t->wnames[TREE_W_DISK] = "disk";
        r->t->wnames[TREE_W_APPARENT] = "apparent";
        r->t->wnames[TREE_W_COUNT] = "count";
        r->a = tree_main_arena(r->t);
        n = it->paths ? r->t->root : tree_add(r->a, r->t->root, name, r->nm.len);
    } else if (!dir && !it->archive) {
        /* an entry that will have none: a leaf, its weights (set again
         * below) in as few bytes as they need */
        uint64_t ws[TREE_MAXW] = {0};
        if (!it->excl) {
            ws[TREE_W_DISK] = it->dsize;
            ws[TREE_W_APPARENT] = it->asize;
            ws[TREE_W_COUNT] = it->uncounted || it->paths ? 0 : 1;
            if (r->t->nweights > TREE_W_STORED)
                ws[TREE_W_STORED] = it->dsize;
        }
        n = append(r, tree_add_leaf(r->a, r->cur, name, r->nm.len, ws, TREE_MAXW), start);
    } else {
        n = append(r, tree_add(r->a, r->cur, name, r->nm.len), start);
    }
    uint64_t dev = it->hasdev ? it->dev : current_dev(r);
    if (it->excl) {
        tree_set_excluded(n, it->excl);
    } else {
        tree_set_w(n, TREE_W_DISK, it->dsize);
        tree_set_w(n, TREE_W_APPARENT, it->asize);
        tree_set_w(n, TREE_W_COUNT, it->uncounted || it->paths ? 0 : 1);
        /* an export has no stored bytes: a file is stored as it is on disk */
        if (r->t->nweights > TREE_W_STORED)
            tree_set_w(n, TREE_W_STORED, it->dsize);
    }
    if (dir)
        n->flags |= TREE_DIR;
    else if (it->notreg)
        n->flags |= TREE_SPECIAL;
    else if (!it->excl)
        tree_set_kind(n, kind_classify(n->name, n->len, S_IFREG));
    if (it->read_error)
        n->flags |= TREE_UNREADABLE;
    if (it->archive)
        n->flags |= TREE_ARCHIVE;
    if (it->hlnkc && it->hasino && !dir && !it->excl) {
        if (r->nlinks == r->caplinks) {
            r->caplinks = r->caplinks ? r->caplinks * 2 : 64;
            r->links = xreallocarray(r->links, r->caplinks, sizeof *r->links);
        }
        r->links[r->nlinks++] = (struct linkrec){dev, it->ino, it->nlink, n};
    }
    if (dir) {
        r->started = true;
        r->depth++;
        r->cur = n;
        if (r->depth >= r->tailcap) {
            r->tailcap = r->tailcap ? r->tailcap * 2 : 64;
            r->tails = xreallocarray(r->tails, r->tailcap, sizeof *r->tails);
        }
        /* (a caller's top may have children already) */
        struct tree_node *last = tree_first_child(n);
        while (last && tree_next_sibling(last))
            last = tree_next_sibling(last);
        r->tails[r->depth] = last;
        dpush(r, DIR_MARK);
        if (dev != current_dev(r)) {
            if (r->ndevs == r->capdevs) {
                r->capdevs = r->capdevs ? r->capdevs * 2 : 16;
                r->devs = xreallocarray(r->devs, r->capdevs, sizeof *r->devs);
            }
            r->devs[r->ndevs++] = (struct devlevel){r->depth, dev};
        }
    }
    return true;
}

/* close_dir: the innermost open directory ends */
static void close_dir(struct rd *r)
{
    dup_close(r);
    if (r->ndevs && r->devs[r->ndevs - 1].depth == r->depth)
        r->ndevs--;
    r->depth--;
    r->cur = r->depth ? tree_parent(r->cur) : NULL;
}

/* ---- hard links ---------------------------------------------------------- */

static int cmp_link(const void *x, const void *y)
{
    const struct linkrec *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return (a->ino > b->ino) - (a->ino < b->ino);
}

/* resolve_links: each inode counts once, on the first of its names by path
 * (the walker's choice); every name's inode goes to the link table */
static void resolve_links(struct rd *r)
{
    if (!r->nlinks)
        return;
    struct tree_path_buf la = {0}, lb = {0};
    qsort(r->links, r->nlinks, sizeof *r->links, cmp_link);
    for (size_t i = 0, j; i < r->nlinks; i = j) {
        struct tree_node *win = r->links[i].node;
        for (j = i + 1; j < r->nlinks && !cmp_link(&r->links[i], &r->links[j]); j++)
            if (tree_path_cmp(r->links[j].node, win, &la, &lb, false) < 0)
                win = r->links[j].node;
        for (size_t m = i; m < j; m++) {
            struct linkrec *k = &r->links[m];
            tree_link_set(r->t, k->node, &(struct tree_link){k->dev, k->ino, k->nlink});
            if (k->node != win) {
                for (unsigned s = 0; s < TREE_MAXW; s++)
                    tree_set_w(k->node, s, 0);
                k->node->flags |= TREE_HARDLINK;
            }
        }
    }
    free(la.v);
    free(lb.v);
}

/* ---- the document -------------------------------------------------------- */

/* header: '[' major ',' minor ',' metadata ','; false (and a message) when
 * this is not an export of major version 1 */
static bool header(struct rd *r)
{
    uint64_t major = 0, minor = 0;
    if (!expect(r, '[', "'[' (an ncdu export starts with one)"))
        return false;
    (void)ws(r);
    uint64_t at = offset(r);
    if (!number(r, UINT64_MAX, &major, "major version") || !expect(r, ',', "','"))
        return false;
    if (major != 1) {
        say(r, at, "format major version %llu is not 1 (not an ncdu export duflame can read)",
            (unsigned long long)major);
        r->failed = true;
        return false;
    }
    (void)ws(r);
    return number(r, UINT64_MAX, &minor, "minor version") && expect(r, ',', "','") &&
           skip_value(r) && expect(r, ',', "','");
}

/* body: the top directory and everything in it, then the closing ']' */
static bool body(struct rd *r)
{
    struct item it;
    if (!expect(r, '[', "'[' to start the top directory"))
        return false;
    uint64_t start = offset(r);
    if (!expect(r, '{', "'{' (a directory's own entry)") || !object(r, &it) ||
        !add(r, &it, true, start))
        return false;
    while (r->depth) {
        int c = ws(r);
        if (c == ']') {
            r->in.pos++;
            close_dir(r);
            continue;
        }
        if (c != ',')
            return unexpected(r, c, "',' or ']'");
        r->in.pos++;
        c = ws(r);
        start = offset(r);
        if (c == '{') {
            r->in.pos++;
            if (!object(r, &it) || !add(r, &it, false, start))
                return false;
        } else if (c == '[') {
            r->in.pos++;
            if (!expect(r, '{', "'{' (a directory's own entry)") || !object(r, &it) ||
                !add(r, &it, true, start))
                return false;
        } else {
            return unexpected(r, c, "'{' or '['");
        }
    }
    if (!expect(r, ']', "']' to end the export"))
        return false;
    int c = ws(r);
    if (c >= 0)
        return fail(r, "more after the end of the export");
    if (r->in.err[0])
        return fail(r, "%s", r->in.err);
    return true;
}

static struct tree *run(struct rd *r, int *status)
{
    r->max_depth = r->o->max_depth ? r->o->max_depth : NCDU_DEFAULT_DEPTH;
    r->max_name = r->o->max_name ? r->o->max_name : NCDU_DEFAULT_NAME;
    bool ok = header(r) && body(r);
    if (!ok && !r->failed)
        say(r, offset(r), "cannot read");
    if (r->dups > MAX_DUP_MESSAGES)
        say(r, offset(r), "%llu duplicate names in all", r->dups);
    struct tree *t = r->t;
    bool any = r->top_fn ? r->started : t != NULL;
    if (any) {
        resolve_links(r);
        if (!r->top_fn)
            tree_finish(t);
    }
    *status = !any ? 2 : (!ok || r->dups) ? 1 : 0;
    in_release(&r->in);
    name_buf_release(&r->nm);
    name_buf_release(&r->key);
    free(r->devs);
    free(r->skip);
    free(r->dup);
    free(r->dstack);
    free(r->tails);
    free(r->links);
    return t;
}

struct tree *ncdu_read_fd(int fd, const void *head, size_t headlen, const char *name,
                          const struct ncdu_read_opts *o, int *status)
{
    struct ncdu_read_opts none = {0};
    struct rd r = {.o = o ? o : &none, .name = name ? name : "-"};
    in_init(&r.in, fd, head, headlen);
    return run(&r, status);
}

int ncdu_read_into(int fd, const void *head, size_t headlen, const char *name, struct tree *t,
                   struct tree_arena *a, ncdu_top_fn top, void *top_ctx,
                   const struct ncdu_read_opts *o)
{
    struct ncdu_read_opts none = {0};
    struct rd r = {.o = o ? o : &none, .name = name ? name : "-", .t = t, .a = a};
    r.top_fn = top;
    r.top_ctx = top_ctx;
    in_init(&r.in, fd, head, headlen);
    int status;
    run(&r, &status);
    return status;
}

struct tree *ncdu_read_memory(const void *buf, size_t len, const char *name,
                              const struct ncdu_read_opts *o, int *status)
{
    return ncdu_read_fd(-1, buf, len, name, o, status);
}

/* looks_plain: '[' 1 ',' MINOR ',' '{' (white space allowed between), the
 * start of an export of major version 1; a shorter s that is a beginning of
 * that counts too */
static bool looks_plain(const unsigned char *s, size_t n)
{
    size_t i = 0;
    const char *want = "[1,#,{";
    for (const char *w = want; *w; w++) {
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
            i++;
        if (i >= n)
            return i > 0 && w - want >= 3;
        if (*w == '#') {
            if (s[i] < '0' || s[i] > '9')
                return false;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            continue;
        }
        if (s[i] != (unsigned char)*w)
            return false;
        i++;
    }
    return true;
}

bool ncdu_sniff(const void *buf, size_t len)
{
    const unsigned char *s = buf;
    unsigned char out[64];
    size_t got = 0;
    if (len >= 2 && s[0] == 0x1f && s[1] == 0x8b) {
        z_stream z = {0};
        if (inflateInit2(&z, 15 + 32) != Z_OK)
            return false;
        z.next_in = (unsigned char *)s;
        z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
        z.next_out = out;
        z.avail_out = sizeof out;
        (void)inflate(&z, Z_SYNC_FLUSH);
        got = sizeof out - z.avail_out;
        inflateEnd(&z);
        return looks_plain(out, got);
    }
    if (len >= 4 && s[0] == 0x28 && s[1] == 0xb5 && s[2] == 0x2f && s[3] == 0xfd) {
        ZSTD_DStream *d = ZSTD_createDStream();
        if (!d)
            return false;
        ZSTD_inBuffer ib = {s, len, 0};
        ZSTD_outBuffer ob = {out, sizeof out, 0};
        while (ob.pos < ob.size && ib.pos < ib.size) {
            size_t rc = ZSTD_decompressStream(d, &ob, &ib);
            if (ZSTD_isError(rc) || rc == 0)
                break;
        }
        ZSTD_freeDStream(d);
        return looks_plain(out, ob.pos);
    }
    return looks_plain(s, len);
}
