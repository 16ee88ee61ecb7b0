/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_dec: gzip, xz and zstd decoded without libarchive (see include/arc_dec.h) */
#include "arc_dec.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

struct arc_dec {
    enum arc_dec_kind kind;
    bool ended;  /* the (last) stream ended */
    bool member; /* gzip: a member was started and not ended */
    z_stream z;
    lzma_stream x;
    ZSTD_DStream *zs;
    bool zframe; /* zstd: inside a frame */
};

enum arc_dec_kind arc_dec_kind(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return ARC_DEC_GZIP;
    if (n >= 6 && memcmp(p,
                         "\xfd"
                         "7zXZ\0",
                         6) == 0)
        return ARC_DEC_XZ;
    if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        return ARC_DEC_ZSTD;
    return ARC_DEC_NONE;
}

struct arc_dec *arc_dec_new(enum arc_dec_kind kind)
{
    struct arc_dec *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->kind = kind;
    bool ok = false;
    if (kind == ARC_DEC_GZIP) {
        ok = inflateInit2(&d->z, 15 + 16) == Z_OK;
    } else if (kind == ARC_DEC_XZ) {
        lzma_stream init = LZMA_STREAM_INIT;
        d->x = init;
        /* the memory limit libarchive's xz reader has none of: a hostile
         * header cannot make the decoder allocate more than this */
        ok = lzma_stream_decoder(&d->x, 1ULL << 30, LZMA_CONCATENATED) == LZMA_OK;
    } else if (kind == ARC_DEC_ZSTD) {
        d->zs = ZSTD_createDStream();
        ok = d->zs && !ZSTD_isError(ZSTD_initDStream(d->zs));
    }
    if (!ok) {
        arc_dec_free(d);
        return NULL;
    }
    return d;
}

void arc_dec_free(struct arc_dec *d)
{
    if (!d)
        return;
    if (d->kind == ARC_DEC_GZIP)
        inflateEnd(&d->z);
    else if (d->kind == ARC_DEC_XZ)
        lzma_end(&d->x);
    else if (d->zs)
        ZSTD_freeDStream(d->zs);
    free(d);
}

static ssize_t run_gzip(struct arc_dec *d, const unsigned char **in, size_t *inlen, bool last,
                        unsigned char *out, size_t cap, const char **err)
{
    size_t made = 0;
    while (made < cap && !d->ended) {
        if (!d->member && *inlen) {
            /* a new member, or trailing bytes that are not one: the end */
            if (*inlen < 2 && !last)
                break;
            if (*inlen < 2 || (*in)[0] != 0x1f || (*in)[1] != 0x8b) {
                d->ended = true;
                *in += *inlen;
                *inlen = 0;
                break;
            }
            d->member = true;
        }
        if (!d->member) {
            if (last)
                d->ended = true; /* nothing more: the last member ended */
            break;
        }
        d->z.next_in = (Bytef *)(uintptr_t)*in;
        d->z.avail_in = (uInt)(*inlen > UINT32_MAX ? UINT32_MAX : *inlen);
        d->z.next_out = out + made;
        d->z.avail_out = (uInt)(cap - made > UINT32_MAX ? UINT32_MAX : cap - made);
        uInt before_in = d->z.avail_in, before_out = d->z.avail_out;
        int r = inflate(&d->z, Z_NO_FLUSH);
        size_t used = before_in - d->z.avail_in, got = before_out - d->z.avail_out;
        *in += used;
        *inlen -= used;
        made += got;
        if (r == Z_STREAM_END) {
            d->member = false;
            inflateReset(&d->z);
            continue;
        }
        if (r == Z_BUF_ERROR || (r == Z_OK && !used && !got)) {
            if (last && !*inlen && !got) {
                if (made)
                    return (ssize_t)made; /* the rest first */
                *err = "truncated gzip input";
                return -1;
            }
            break; /* needs more input, or more room */
        }
        if (r != Z_OK) {
            *err = d->z.msg ? d->z.msg : "gzip: corrupt data";
            return -1;
        }
    }
    return (ssize_t)made;
}

static ssize_t run_xz(struct arc_dec *d, const unsigned char **in, size_t *inlen, bool last,
                      unsigned char *out, size_t cap, const char **err)
{
    d->x.next_in = *in;
    d->x.avail_in = *inlen;
    d->x.next_out = out;
    d->x.avail_out = cap;
    lzma_ret r = lzma_code(&d->x, last ? LZMA_FINISH : LZMA_RUN);
    size_t used = *inlen - d->x.avail_in, made = cap - d->x.avail_out;
    *in += used;
    *inlen -= used;
    if (r == LZMA_STREAM_END) {
        d->ended = true;
        return (ssize_t)made;
    }
    if (r == LZMA_OK || (r == LZMA_BUF_ERROR && !last))
        return (ssize_t)made;
    if (made)
        return (ssize_t)made; /* the rest first; the error comes again */
    *err = r == LZMA_BUF_ERROR        ? "truncated xz input"
           : r == LZMA_MEMLIMIT_ERROR ? "xz: needs too much memory"
           : r == LZMA_FORMAT_ERROR   ? "xz: not an xz stream"
                                      : "xz: corrupt data";
    return -1;
}

static ssize_t run_zstd(struct arc_dec *d, const unsigned char **in, size_t *inlen, bool last,
                        unsigned char *out, size_t cap, const char **err)
{
    ZSTD_inBuffer ib = {*in, *inlen, 0};
    ZSTD_outBuffer ob = {out, cap, 0};
    while (ob.pos < ob.size && (ib.pos < ib.size || d->zframe)) {
        size_t before_in = ib.pos, before_out = ob.pos;
        size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
        if (ZSTD_isError(r)) {
            *in += ib.pos;
            *inlen -= ib.pos;
            if (ob.pos)
                return (ssize_t)ob.pos;
            *err = "zstd: corrupt data";
            return -1;
        }
        d->zframe = r != 0;
        if (ib.pos == before_in && ob.pos == before_out)
            break;
    }
    *in += ib.pos;
    *inlen -= ib.pos;
    if (ob.pos)
        return (ssize_t)ob.pos;
    if (last && !*inlen) {
        if (!d->zframe) {
            d->ended = true;
            return 0;
        }
        *err = "truncated zstd input";
        return -1;
    }
    return 0;
}

ssize_t arc_dec_run(struct arc_dec *d, const unsigned char **in, size_t *inlen, bool last,
                    unsigned char *out, size_t cap, bool *end, const char **err)
{
    *end = false;
    ssize_t n = 0;
    if (!d->ended) {
        if (d->kind == ARC_DEC_GZIP)
            n = run_gzip(d, in, inlen, last, out, cap, err);
        else if (d->kind == ARC_DEC_XZ)
            n = run_xz(d, in, inlen, last, out, cap, err);
        else
            n = run_zstd(d, in, inlen, last, out, cap, err);
    }
    *end = d->ended && n == 0;
    return n;
}
