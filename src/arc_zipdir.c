/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_zipdir: a zip's member offsets from its central directory (see
 * include/arc_zipdir.h) */
#include "arc_zipdir.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EOCD_LEN 22
#define EOCD_SEARCH (EOCD_LEN + 65535)
#define CEN_LEN 46

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t le32(const unsigned char *p)
{
    return le16(p) | (uint32_t)le16(p + 2) << 16;
}
static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

bool arc_zipsrc_get(const struct arc_zipsrc *s, uint64_t off, void *buf, size_t n)
{
    if (off > s->size || n > s->size - off)
        return false;
    if (s->mem) {
        memcpy(buf, s->mem + off, n);
        return true;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(s->fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* the end record's central directory: where it starts, its size and
 * entries (zip64 values when the record says so); false when none */
struct cdinfo {
    uint64_t off, size, n;
};

static bool zip64_end(const struct arc_zipsrc *s, uint64_t eocd, struct cdinfo *cd)
{
    unsigned char loc[20], rec[56];
    if (eocd < 20 || !arc_zipsrc_get(s, eocd - 20, loc, 20) || le32(loc) != 0x07064b50)
        return false;
    if (!arc_zipsrc_get(s, le64(loc + 8), rec, 56) || le32(rec) != 0x06064b50)
        return false;
    cd->n = le64(rec + 32);
    cd->size = le64(rec + 40);
    cd->off = le64(rec + 48);
    return true;
}

static bool find_end(const struct arc_zipsrc *s, struct cdinfo *cd)
{
    size_t want = s->size < EOCD_SEARCH ? (size_t)s->size : EOCD_SEARCH;
    if (want < EOCD_LEN)
        return false;
    unsigned char *tail = malloc(want);
    if (!tail || !arc_zipsrc_get(s, s->size - want, tail, want)) {
        free(tail);
        return false;
    }
    bool found = false;
    for (size_t i = want - EOCD_LEN + 1; i-- > 0 && !found;) {
        const unsigned char *p = tail + i;
        if (le32(p) != 0x06054b50 || i + EOCD_LEN + le16(p + 20) != want)
            continue;
        found = true;
        cd->n = le16(p + 10);
        cd->size = le32(p + 12);
        cd->off = le32(p + 16);
        if (cd->n == 0xffff || cd->size == 0xffffffffu || cd->off == 0xffffffffu)
            found = zip64_end(s, s->size - want + i, cd);
    }
    free(tail);
    return found;
}

/* local_offset: a central header's local header offset, from its zip64
 * extra field when the 32-bit one says so */
static bool local_offset(const unsigned char *h, const unsigned char *extra, size_t elen,
                         uint64_t *off)
{
    *off = le32(h + 42);
    if (*off != 0xffffffffu)
        return true;
    /* the zip64 field holds, in order, the sizes that are 0xffffffff */
    size_t skip = (le32(h + 24) == 0xffffffffu ? 8 : 0) + (le32(h + 20) == 0xffffffffu ? 8 : 0);
    for (size_t i = 0; i + 4 <= elen;) {
        size_t id = le16(extra + i), len = le16(extra + i + 2);
        if (i + 4 + len > elen)
            return false;
        if (id == 0x0001 && skip + 8 <= len) {
            *off = le64(extra + i + 4 + skip);
            return true;
        }
        i += 4 + len;
    }
    return false;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* read_offsets: the local header offsets of the n central headers at cd */
static bool read_offsets(const struct arc_zipsrc *s, const struct cdinfo *cd, struct arc_zipdir *z)
{
    unsigned char h[CEN_LEN];
    unsigned char *extra = malloc(65535);
    uint64_t pos = cd->off, end = cd->off + cd->size;
    bool ok = extra != NULL;
    for (uint64_t k = 0; ok && k < cd->n; k++) {
        if (pos > end || end - pos < CEN_LEN || !arc_zipsrc_get(s, pos, h, CEN_LEN) ||
            le32(h) != 0x02014b50) {
            ok = false;
            break;
        }
        size_t nlen = le16(h + 28), elen = le16(h + 30), clen = le16(h + 32);
        if (!arc_zipsrc_get(s, pos + CEN_LEN + nlen, extra, elen) ||
            !local_offset(h, extra, elen, &z->off[z->n]) || z->off[z->n] >= cd->off)
            ok = false;
        z->n++;
        pos += CEN_LEN + nlen + elen + clen;
    }
    free(extra);
    return ok;
}

struct arc_zipdir *arc_zipdir_read(const struct arc_zipsrc *src, uint64_t max_entries)
{
    struct cdinfo cd;
    if (!find_end(src, &cd) || cd.n == 0 || cd.n > max_entries || cd.off > src->size ||
        cd.size > src->size - cd.off || cd.n > cd.size / CEN_LEN)
        return NULL;
    struct arc_zipdir *z = calloc(1, sizeof *z);
    if (!z || !(z->off = calloc((size_t)cd.n, sizeof *z->off))) {
        free(z);
        return NULL;
    }
    z->cd = cd.off;
    if (!read_offsets(src, &cd, z)) {
        arc_zipdir_free(z);
        return NULL;
    }
    qsort(z->off, z->n, sizeof *z->off, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < z->n; i++)
        if (!k || z->off[i] != z->off[k - 1])
            z->off[k++] = z->off[i];
    z->n = k;
    return z;
}

uint64_t arc_zipdir_span(const struct arc_zipdir *z, uint64_t pos)
{
    size_t lo = 0, hi = z->n; /* the first offset above pos */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->off[mid] <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    uint64_t end = lo < z->n ? z->off[lo] : z->cd;
    return end - z->off[lo - 1];
}

void arc_zipdir_free(struct arc_zipdir *z)
{
    if (!z)
        return;
    free(z->off);
    free(z);
}
