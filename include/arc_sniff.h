/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_sniff: what a file's first bytes say it is, before libarchive is
 * asked: an archive format or compressed stream duflame knows, one that
 * must be read whole (it needs seeking), one that needs an external
 * program, or nothing known. Also a peek into a gzip or xz stream's first
 * decoded bytes, so that a scan tells a compressed text from a compressed
 * archive cheaply. arc_name_says_archive (arc.h) lives here too.
 *
 * Private to the arc_*.c files. Pure functions: no state, thread-safe.
 */
#ifndef DUFLAME_ARC_SNIFF_H
#define DUFLAME_ARC_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes looked at before libarchive is asked: enough for tar's "ustar" at 257
 * and the checksum; ARC_HEAD_ISO when the start is zeros, for iso9660's
 * "CD001" at 32769; ARC_HEAD_PEEK for a scan's look into a compressed
 * stream. */
#define ARC_HEAD_SMALL 512
#define ARC_HEAD_ISO (32 * 1024 + 2048)
#define ARC_HEAD_PEEK 4096

enum arc_sniff {
    ARC_SNIFF_NONE,     /* not an archive or compressed stream we know */
    ARC_SNIFF_STREAM,   /* libarchive can read it from a stream */
    ARC_SNIFF_SEEK,     /* zip, 7z, iso: read it whole (memory or spool) */
    ARC_SNIFF_EXTERNAL, /* needs an external program: rejected */
    ARC_SNIFF_MORE,     /* starts with zeros: look further (iso9660) */
};

enum arc_sniff arc_sniff(const unsigned char *p, size_t n);

/* arc_sniff_has: p[off..off+mlen) is magic */
bool arc_sniff_has(const unsigned char *p, size_t n, size_t off, const char *magic, size_t mlen);

/* arc_sniff_is_xz: p starts an xz stream */
bool arc_sniff_is_xz(const unsigned char *p, size_t n);

/* arc_sniff_decoded_head: the first bytes (at most cap) that a gzip or xz
 * stream in[0..n) decodes to; -1 when it cannot tell */
long arc_sniff_decoded_head(const unsigned char *in, size_t n, unsigned char *out, size_t cap);

#endif
