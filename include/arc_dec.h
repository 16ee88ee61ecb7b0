/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_dec: a gzip, xz or zstd stream decoded by duflame itself (zlib,
 * liblzma, libzstd) instead of by libarchive's filters, for the outermost
 * archive. Why: libarchive's filters fill a whole output buffer (64 KiB and
 * more) before they hand any of it on, and throw it away when the input ends
 * too early, so a .tar.gz cut short lost the members decoded last, and one
 * cut within its first buffer was no archive at all. This decoder hands out
 * every byte it decoded and only then says the input was truncated, so the
 * tar reader keeps every complete member (arc.h: "a truncated archive keeps
 * what was read").
 *
 * Several gzip members, xz streams and zstd frames in a row are one stream
 * (as gzip -d, xz -d, zstd -d); bytes after the last gzip member that do not
 * start another are ignored (as gzip).
 *
 * One struct arc_dec is used by one thread; no globals.
 */
#ifndef DUFLAME_ARC_DEC_H
#define DUFLAME_ARC_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum arc_dec_kind { ARC_DEC_NONE, ARC_DEC_GZIP, ARC_DEC_XZ, ARC_DEC_ZSTD };

/* arc_dec_kind: which compression p[0..n) (a file's first bytes) starts */
enum arc_dec_kind arc_dec_kind(const unsigned char *p, size_t n);

struct arc_dec;

/* arc_dec_new: a decoder for kind (not ARC_DEC_NONE); NULL when the library
 * cannot set one up */
struct arc_dec *arc_dec_new(enum arc_dec_kind kind);

/* arc_dec_run: decode input *in[0..*inlen) into out[0..cap); *in and *inlen
 * advance over what was used. Returns the bytes written (0 when more input
 * is needed, or at the end: then *end is true), or -1 on corrupt data with
 * *err set to a static message. At the end of the input, call with
 * *inlen == 0 and last set: the remaining output comes out, then -1 with
 * "truncated gzip input" (etc.) if the stream did not end. */
ssize_t arc_dec_run(struct arc_dec *d, const unsigned char **in, size_t *inlen, bool last,
                    unsigned char *out, size_t cap, bool *end, const char **err);

void arc_dec_free(struct arc_dec *d);

#endif
