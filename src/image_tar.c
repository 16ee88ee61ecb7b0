/* SPDX-License-Identifier: BSD-2-Clause */
/* image_tar: a plain tar layer's entries from its headers (see include/image_tar.h) */
#include "image_tar.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK 512
#define MAX_LONGNAME (64u << 10)

/* octal: a numeric field: spaces, octal digits, then only NULs or spaces;
 * false for anything else (base-256, a sign, stray characters) */
static bool octal(const unsigned char *p, size_t n, uint64_t *v)
{
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    size_t digits = 0;
    uint64_t x = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++, digits++) {
        if (x >> 60)
            return false;
        x = x * 8 + (uint64_t)(p[i] - '0');
    }
    if (!digits)
        return false;
    for (; i < n; i++)
        if (p[i] != 0 && p[i] != ' ')
            return false;
    *v = x;
    return true;
}

/* header_ok: the checksum (unsigned or signed sum, the field as spaces) */
static bool header_ok(const unsigned char *h)
{
    uint64_t want;
    if (!octal(h + 148, 8, &want))
        return false;
    /* whole-block sums (the loops vectorise), then the field counted as spaces */
    uint32_t u = 0;
    int32_t s = 0;
    for (size_t i = 0; i < BLOCK; i++)
        u += h[i];
    for (size_t i = 0; i < BLOCK; i++)
        s += (signed char)h[i];
    for (size_t i = 148; i < 156; i++) {
        u -= h[i];
        s -= (signed char)h[i];
    }
    u += 8 * ' ';
    s += 8 * ' ';
    return u == want || (s >= 0 && (uint64_t)s == want);
}

static bool is_zero(const unsigned char *h)
{
    for (size_t i = 0; i < BLOCK; i++)
        if (h[i])
            return false;
    return true;
}

static size_t field_len(const unsigned char *p, size_t n)
{
    const unsigned char *z = memchr(p, 0, n);
    return z ? (size_t)(z - p) : n;
}

/* entry_type: the entry's type from its typeflag; false for the ones not read here */
static bool entry_type(unsigned char flag, enum image_etype *t)
{
    switch (flag) {
    case '0':
    case 0:
        *t = IMAGE_REG;
        return true;
    case '1':
        *t = IMAGE_HARDLINK;
        return true;
    case '2':
        *t = IMAGE_SYMLINK;
        return true;
    case '5':
        *t = IMAGE_DIR;
        return true;
    case '3':
    case '4':
    case '6':
        *t = IMAGE_OTHER;
        return true;
    default:
        return false;
    }
}

struct cursor {
    const unsigned char *buf;
    size_t len, pos;
    char *path; /* MAX_LONGNAME + 1 bytes */
};

/* long_name: a GNU 'L' header's name into c->path, c->pos past it */
static bool long_name(struct cursor *c, const unsigned char *h)
{
    uint64_t size;
    if (!octal(h + 124, 12, &size) || size == 0 || size > MAX_LONGNAME)
        return false;
    size_t pad = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
    if (c->len - c->pos - BLOCK < pad)
        return false;
    const unsigned char *d = h + BLOCK;
    size_t n = field_len(d, (size_t)size);
    memcpy(c->path, d, n);
    c->path[n] = 0;
    c->pos += BLOCK + pad;
    return true;
}

/* one_entry: the entry whose first header is at c->pos into l; its path,
 * type and extracted size. false: not one read here. */
static bool one_entry(struct cursor *c, struct image_layer *l, uint64_t *size_out)
{
    const unsigned char *h = c->buf + c->pos;
    bool longname = false;
    if (h[156] == 'L') {
        if (memcmp(h + 257, "ustar  ", 8) != 0 || !header_ok(h) || !long_name(c, h))
            return false;
        longname = true;
        if (c->len - c->pos < BLOCK)
            return false;
        h = c->buf + c->pos;
    }
    bool ustar = !memcmp(h + 257,
                         "ustar\0"
                         "00",
                         8);
    bool gnu = !memcmp(h + 257, "ustar  ", 8);
    enum image_etype t;
    uint64_t size;
    if ((!ustar && !gnu) || !entry_type(h[156], &t) || !header_ok(h) || !octal(h + 124, 12, &size))
        return false;
    if (gnu && (h[386] || h[482] || h[483]))
        return false; /* GNU sparse maps, or a real size apart from the stored one */
    if (t != IMAGE_REG && size)
        return false; /* data on a link, a directory or a device */
    if (t == IMAGE_HARDLINK && !h[157])
        return false;
    size_t pad = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
    if (size > SIZE_MAX - BLOCK || c->len - c->pos - BLOCK < pad)
        return false;
    if (!longname) {
        size_t at = 0;
        size_t pn = ustar ? field_len(h + 345, 155) : 0;
        if (pn) {
            memcpy(c->path, h + 345, pn);
            at = pn;
            if (c->path[pn - 1] != '/')
                c->path[at++] = '/';
        }
        size_t nn = field_len(h, 100);
        memcpy(c->path + at, h, nn);
        c->path[at + nn] = 0;
    }
    size_t plen = strlen(c->path);
    if (t == IMAGE_REG && plen && c->path[plen - 1] == '/')
        return false; /* libarchive makes it a directory */
    image_layer_add(l, c->path, t, size);
    *size_out = t == IMAGE_REG ? size : 0;
    c->pos += BLOCK + pad;
    return true;
}

enum image_tar_result image_tar_read(const unsigned char *buf, size_t len, struct image_lim *lim,
                                     struct image_layer *l)
{
    struct cursor c = {.buf = buf, .len = len, .path = xmalloc(MAX_LONGNAME + 1)};
    enum image_tar_result res = IMAGE_TAR_UNKNOWN;
    uint64_t at = 0;
    for (;;) {
        if (c.pos < len && len - c.pos < BLOCK)
            break; /* a short block: libarchive says what is wrong */
        uint64_t hp = c.pos;
        if (l->n && hp > at)
            l->v[l->n - 1].stored = hp - at;
        at = hp;
        if (c.pos == len || is_zero(buf + c.pos)) {
            res = l->n || c.pos ? IMAGE_TAR_END : IMAGE_TAR_UNKNOWN;
            break;
        }
        uint64_t size;
        if (!one_entry(&c, l, &size))
            break;
        if (++lim->entries > lim->max_entries || size > lim->max_bytes - lim->bytes) {
            res = IMAGE_TAR_LIMIT;
            break;
        }
        lim->bytes += size;
    }
    free(c.path);
    if (res == IMAGE_TAR_UNKNOWN)
        image_layer_release(l);
    return res;
}
