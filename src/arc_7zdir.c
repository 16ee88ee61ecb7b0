/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_7zdir: a 7z archive's folders shared out to its files by unpacked size
 * (see include/arc_7zdir.h) */
#include "arc_7zdir.h"

#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SIG_LEN 32
#define MAX_HEADER (64u << 20) /* a header (packed or not) larger is refused */
#define MAX_ENCODED 4          /* encoded headers within encoded headers */

enum {
    K_END = 0x00,
    K_HEADER = 0x01,
    K_ARCHIVE_PROPS = 0x02,
    K_ADD_STREAMS = 0x03,
    K_MAIN_STREAMS = 0x04,
    K_FILES = 0x05,
    K_PACK_INFO = 0x06,
    K_UNPACK_INFO = 0x07,
    K_SUBSTREAMS = 0x08,
    K_SIZE = 0x09,
    K_CRC = 0x0a,
    K_FOLDER = 0x0b,
    K_UNPACK_SIZE = 0x0c,
    K_NUM_UNPACK = 0x0d,
    K_EMPTY_STREAM = 0x0e,
    K_ENCODED = 0x17,
};

/* a cursor over a header in memory; any read past its end sets bad */
struct cur {
    const unsigned char *p;
    size_t n, at;
    bool bad;
};

static unsigned byte(struct cur *c)
{
    if (c->at >= c->n) {
        c->bad = true;
        return 0;
    }
    return c->p[c->at++];
}

/* num: a 7z NUMBER (the first byte's high bits say how many bytes follow) */
static uint64_t num(struct cur *c)
{
    unsigned first = byte(c), mask = 0x80;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        if (!(first & mask))
            return v | ((uint64_t)(first & (mask - 1)) << (8 * i));
        v |= (uint64_t)byte(c) << (8 * i);
        mask >>= 1;
    }
    return v;
}

static void skip(struct cur *c, uint64_t len)
{
    if (len > c->n - c->at)
        c->bad = true;
    else
        c->at += (size_t)len;
}

/* a count that must fit what is left of the header (each item takes a byte
 * at least) and the limit */
static uint64_t count(struct cur *c, uint64_t limit)
{
    uint64_t v = num(c);
    if (v > c->n - c->at + 1 || v > limit)
        c->bad = true;
    return c->bad ? 0 : v;
}

/* digests: skip a digests record of n items */
static void digests(struct cur *c, uint64_t n)
{
    uint64_t defined = n;
    if (!byte(c)) {
        defined = 0;
        for (uint64_t i = 0; i < (n + 7) / 8; i++)
            defined += (uint64_t)__builtin_popcount(byte(c));
    }
    skip(c, defined * 4);
}

struct folder {
    uint64_t packed;   /* bytes of its pack streams */
    uint64_t unpacked; /* its main output */
    uint64_t nsub;     /* files with data in it */
    bool crc;          /* its output has a CRC in the folder record */
    /* a one-coder folder (an encoded header): the coder */
    unsigned char id[8];
    unsigned idlen;
    unsigned char props[8];
    unsigned nprops;
    bool simple;
};

struct streams {
    uint64_t pack_pos;
    uint64_t *pack; /* pack stream sizes */
    uint64_t npack;
    struct folder *f;
    uint64_t nf;
    uint64_t *sub; /* every substream's size, folder by folder */
    uint64_t nsubs;
};

static void streams_free(struct streams *s)
{
    free(s->pack);
    free(s->f);
    free(s->sub);
    memset(s, 0, sizeof *s);
}

static void pack_info(struct cur *c, struct streams *s, uint64_t limit)
{
    s->pack_pos = num(c);
    s->npack = count(c, limit);
    s->pack = calloc(s->npack ? s->npack : 1, sizeof *s->pack);
    if (!s->pack) {
        c->bad = true;
        return;
    }
    for (unsigned id; !c->bad && (id = byte(c)) != K_END;) {
        if (id == K_SIZE)
            for (uint64_t i = 0; i < s->npack; i++)
                s->pack[i] = num(c);
        else if (id == K_CRC)
            digests(c, s->npack);
        else
            c->bad = true;
    }
}

/* folder: one folder record; *nout its output streams, *main which one is
 * the folder's output, *npacked its pack streams */
static void folder(struct cur *c, struct folder *f, uint64_t *nout, uint64_t *main,
                   uint64_t *npacked)
{
    uint64_t ncoders = count(c, 64), nin = 0;
    *nout = 0;
    f->simple = ncoders == 1;
    for (uint64_t k = 0; k < ncoders && !c->bad; k++) {
        unsigned flags = byte(c), idlen = flags & 0x0f;
        if (flags & 0x80) {
            c->bad = true; /* alternative methods: never written */
            return;
        }
        for (unsigned i = 0; i < idlen; i++) {
            unsigned b = byte(c);
            if (i < sizeof f->id)
                f->id[i] = (unsigned char)b;
        }
        f->idlen = idlen;
        uint64_t ci = 1, co = 1;
        if (flags & 0x10) {
            ci = count(c, 64);
            co = count(c, 64);
            f->simple = false;
        }
        nin += ci;
        *nout += co;
        if (flags & 0x20) {
            uint64_t np = num(c);
            for (uint64_t i = 0; i < np && !c->bad; i++) {
                unsigned b = byte(c);
                if (i < sizeof f->props)
                    f->props[i] = (unsigned char)b;
            }
            f->nprops = np < sizeof f->props ? (unsigned)np : 0;
        } else {
            f->nprops = 0;
        }
    }
    if (!*nout || *nout > 64 || nin > 64) {
        c->bad = true;
        return;
    }
    uint64_t bound = 0; /* output streams bound to a coder's input */
    for (uint64_t k = 0; k + 1 < *nout && !c->bad; k++) {
        num(c);
        uint64_t out = num(c);
        if (out < 64)
            bound |= 1ull << out;
    }
    *main = 0;
    while (*main < *nout && (bound >> *main & 1))
        (*main)++;
    if (nin < *nout - 1 || *main >= *nout) {
        c->bad = true;
        return;
    }
    *npacked = nin - (*nout - 1);
    if (*npacked > 1)
        for (uint64_t k = 0; k < *npacked; k++)
            num(c);
}

static void unpack_info(struct cur *c, struct streams *s, uint64_t limit)
{
    if (byte(c) != K_FOLDER) {
        c->bad = true;
        return;
    }
    s->nf = count(c, limit);
    if (byte(c) != 0) {
        c->bad = true; /* folders stored elsewhere: never written */
        return;
    }
    s->f = calloc(s->nf ? s->nf : 1, sizeof *s->f);
    uint64_t *nout = calloc(s->nf ? s->nf : 1, sizeof *nout);
    uint64_t *main = calloc(s->nf ? s->nf : 1, sizeof *main);
    if (!s->f || !nout || !main) {
        c->bad = true;
        goto out;
    }
    uint64_t next_pack = 0;
    for (uint64_t i = 0; i < s->nf && !c->bad; i++) {
        uint64_t np = 0;
        folder(c, &s->f[i], &nout[i], &main[i], &np);
        for (uint64_t k = 0; k < np && !c->bad; k++, next_pack++) {
            if (next_pack >= s->npack)
                c->bad = true;
            else
                s->f[i].packed += s->pack[next_pack];
        }
        s->f[i].nsub = 1;
    }
    if (c->bad || byte(c) != K_UNPACK_SIZE) {
        c->bad = true;
        goto out;
    }
    for (uint64_t i = 0; i < s->nf; i++)
        for (uint64_t k = 0; k < nout[i]; k++) {
            uint64_t v = num(c);
            if (k == main[i])
                s->f[i].unpacked = v;
        }
    for (unsigned id; !c->bad && (id = byte(c)) != K_END;) {
        if (id != K_CRC) {
            c->bad = true;
            break;
        }
        /* which folders have a CRC: they need none in the substreams */
        size_t at = c->at;
        bool all = byte(c) != 0;
        for (uint64_t i = 0; i < s->nf; i++)
            s->f[i].crc =
                all || (at + 1 + i / 8 < c->n && (c->p[at + 1 + i / 8] >> (7 - i % 8) & 1));
        c->at = at;
        digests(c, s->nf);
    }
out:
    free(nout);
    free(main);
}

static void substreams(struct cur *c, struct streams *s, uint64_t limit)
{
    unsigned id = byte(c);
    uint64_t total = s->nf;
    if (id == K_NUM_UNPACK) {
        total = 0;
        for (uint64_t i = 0; i < s->nf; i++) {
            s->f[i].nsub = num(c);
            if (s->f[i].nsub > limit || total + s->f[i].nsub > limit)
                c->bad = true;
            total += s->f[i].nsub;
        }
        id = byte(c);
    }
    if (c->bad)
        return;
    s->sub = calloc(total ? total : 1, sizeof *s->sub);
    if (!s->sub) {
        c->bad = true;
        return;
    }
    s->nsubs = total;
    bool sizes = id == K_SIZE;
    uint64_t at = 0;
    for (uint64_t i = 0; i < s->nf && !c->bad; i++) {
        uint64_t left = s->f[i].unpacked;
        for (uint64_t k = 0; k < s->f[i].nsub; k++) {
            uint64_t v = left;
            if (sizes && k + 1 < s->f[i].nsub) {
                v = num(c);
                if (v > left)
                    c->bad = true;
            }
            left -= v <= left ? v : left;
            s->sub[at++] = v;
        }
    }
    if (sizes)
        id = byte(c);
    while (!c->bad && id != K_END) {
        if (id != K_CRC) {
            c->bad = true;
            break;
        }
        uint64_t n = 0;
        for (uint64_t i = 0; i < s->nf; i++)
            if (!(s->f[i].nsub == 1 && s->f[i].crc))
                n += s->f[i].nsub;
        digests(c, n);
        id = byte(c);
    }
}

static void streams_info(struct cur *c, struct streams *s, uint64_t limit)
{
    for (unsigned id; !c->bad && (id = byte(c)) != K_END;) {
        if (id == K_PACK_INFO && !s->pack)
            pack_info(c, s, limit);
        else if (id == K_UNPACK_INFO && s->pack && !s->f)
            unpack_info(c, s, limit);
        else if (id == K_SUBSTREAMS && s->f && !s->sub)
            substreams(c, s, limit);
        else
            c->bad = true;
    }
    if (!c->bad && s->f && !s->sub) {
        /* no substreams record: one file per folder */
        s->sub = calloc(s->nf ? s->nf : 1, sizeof *s->sub);
        if (!s->sub) {
            c->bad = true;
            return;
        }
        for (uint64_t i = 0; i < s->nf; i++)
            s->sub[i] = s->f[i].unpacked;
        s->nsubs = s->nf;
    }
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* unpack: an encoded header's folder (one LZMA, LZMA2 or copy coder) into
 * a new buffer of its unpacked size */
static unsigned char *unpack(const struct arc_zipsrc *src, const struct streams *s, size_t *len)
{
    if (s->nf != 1 || !s->f[0].simple || s->npack < 1 || s->f[0].unpacked > MAX_HEADER ||
        s->f[0].packed > MAX_HEADER || s->pack_pos > src->size)
        return NULL;
    const struct folder *f = &s->f[0];
    size_t in_len = (size_t)f->packed, out_len = (size_t)f->unpacked;
    unsigned char *in = malloc(in_len ? in_len : 1), *out = malloc(out_len ? out_len : 1);
    bool ok = in && out && arc_zipsrc_get(src, SIG_LEN + s->pack_pos, in, in_len);
    if (ok && f->idlen == 1 && f->id[0] == 0) {
        ok = in_len >= out_len;
        if (ok)
            memcpy(out, in, out_len);
    } else if (ok) {
        lzma_filter filters[2] = {{.id = LZMA_VLI_UNKNOWN}, {.id = LZMA_VLI_UNKNOWN}};
        if (f->idlen == 3 && f->id[0] == 3 && f->id[1] == 1 && f->id[2] == 1)
            filters[0].id = LZMA_FILTER_LZMA1;
        else if (f->idlen == 1 && f->id[0] == 0x21)
            filters[0].id = LZMA_FILTER_LZMA2;
        lzma_stream z = LZMA_STREAM_INIT;
        ok = filters[0].id != LZMA_VLI_UNKNOWN &&
             lzma_properties_decode(&filters[0], NULL, f->props, f->nprops) == LZMA_OK;
        /* no dictionary larger than the output is ever needed (a claimed
         * 4 GiB one would be allocated) */
        lzma_options_lzma *lo = filters[0].options;
        if (ok && lo->dict_size > out_len)
            lo->dict_size = out_len > 4096 ? (uint32_t)out_len : 4096;
        if (ok && lzma_raw_decoder(&z, filters) == LZMA_OK) {
            z.next_in = in;
            z.avail_in = in_len;
            z.next_out = out;
            z.avail_out = out_len;
            lzma_ret r = LZMA_OK;
            while (r == LZMA_OK && z.avail_out)
                r = lzma_code(&z, LZMA_FINISH);
            ok = !z.avail_out;
            lzma_end(&z);
        } else {
            ok = false;
        }
        free(filters[0].options);
    }
    free(in);
    if (!ok) {
        free(out);
        return NULL;
    }
    *len = out_len;
    return out;
}

/* files: the files record: which files have data; their shares */
static struct arc_7zdir *files(struct cur *c, const struct streams *s, uint64_t limit)
{
    uint64_t n = count(c, limit);
    if (c->bad)
        return NULL;
    struct arc_7zdir *z = calloc(1, sizeof *z);
    unsigned char *empty = calloc(n ? n : 1, 1);
    if (z)
        z->stored = calloc(n ? n : 1, sizeof *z->stored);
    if (!z || !z->stored || !empty) {
        free(empty);
        arc_7zdir_free(z);
        return NULL;
    }
    z->n = (size_t)n;
    for (unsigned id; !c->bad && (id = byte(c)) != K_END;) {
        uint64_t size = num(c);
        if (id != K_EMPTY_STREAM) {
            skip(c, size);
            continue;
        }
        size_t start = c->at;
        skip(c, size);
        for (uint64_t i = 0; i < n && !c->bad && start + i / 8 < c->at; i++)
            empty[i] = (c->p[start + i / 8] >> (7 - i % 8)) & 1;
    }
    /* the files with data take the substreams in order; each folder's
     * packed bytes shared by unpacked sizes */
    uint64_t sub = 0, file = 0;
    for (uint64_t i = 0; i < s->nf && !c->bad; i++) {
        uint64_t whole = 0, cum = 0, prev = 0;
        if (s->f[i].nsub > s->nsubs - sub) {
            c->bad = true;
            break;
        }
        for (uint64_t k = 0; k < s->f[i].nsub; k++)
            whole += s->sub[sub + k];
        for (uint64_t k = 0; k < s->f[i].nsub; k++, sub++) {
            while (file < n && empty[file])
                file++;
            if (file >= n) {
                c->bad = true;
                break;
            }
            cum += s->sub[sub];
            __extension__ typedef unsigned __int128 u128;
            uint64_t v = whole ? (uint64_t)((u128)s->f[i].packed * cum / whole)
                               : (k + 1 == s->f[i].nsub ? s->f[i].packed : 0);
            z->stored[file++] = v - prev;
            prev = v;
        }
    }
    free(empty);
    if (c->bad) {
        arc_7zdir_free(z);
        return NULL;
    }
    return z;
}

static struct arc_7zdir *header(struct cur *c, uint64_t limit)
{
    struct streams s = {0};
    struct arc_7zdir *z = NULL;
    unsigned id = byte(c);
    if (id == K_ARCHIVE_PROPS) {
        for (unsigned t; !c->bad && (t = byte(c)) != K_END;)
            skip(c, num(c));
        id = byte(c);
    }
    if (id == K_ADD_STREAMS) {
        struct streams add = {0};
        streams_info(c, &add, limit);
        streams_free(&add);
        id = byte(c);
    }
    if (id == K_MAIN_STREAMS) {
        streams_info(c, &s, limit);
        id = byte(c);
    }
    if (!c->bad && id == K_FILES)
        z = files(c, &s, limit);
    else if (!c->bad && id == K_END && !s.nf)
        z = calloc(1, sizeof *z); /* no files */
    streams_free(&s);
    return z;
}

struct arc_7zdir *arc_7zdir_read(const struct arc_zipsrc *src, uint64_t max_entries)
{
    unsigned char sig[SIG_LEN];
    if (!arc_zipsrc_get(src, 0, sig, SIG_LEN) || memcmp(sig, "7z\xbc\xaf\x27\x1c", 6) != 0)
        return NULL;
    uint64_t off = le64(sig + 12), len = le64(sig + 20);
    if (off > src->size || len > src->size - SIG_LEN - off || len > MAX_HEADER || !len)
        return NULL;
    unsigned char *buf = malloc((size_t)len);
    if (!buf || !arc_zipsrc_get(src, SIG_LEN + off, buf, (size_t)len)) {
        free(buf);
        return NULL;
    }
    size_t blen = (size_t)len;
    struct arc_7zdir *z = NULL;
    for (int depth = 0; depth <= MAX_ENCODED; depth++) {
        struct cur c = {.p = buf, .n = blen};
        unsigned id = byte(&c);
        if (id == K_HEADER) {
            z = header(&c, max_entries);
            break;
        }
        if (id != K_ENCODED)
            break;
        struct streams s = {0};
        streams_info(&c, &s, max_entries);
        unsigned char *next = c.bad ? NULL : unpack(src, &s, &blen);
        streams_free(&s);
        free(buf);
        buf = next;
        if (!buf)
            break;
    }
    free(buf);
    return z;
}

void arc_7zdir_free(struct arc_7zdir *z)
{
    if (!z)
        return;
    free(z->stored);
    free(z);
}
