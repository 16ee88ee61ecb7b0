/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_sniff: what a file's first bytes say it is (see include/arc_sniff.h) */
#include "arc.h"
#include "arc_sniff.h"
#include "util.h"

#include <lzma.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

bool arc_sniff_has(const unsigned char *p, size_t n, size_t off, const char *magic, size_t mlen)
{
    return n >= off + mlen && memcmp(p + off, magic, mlen) == 0;
}

/* tar: "ustar" at 257, or an old header whose checksum adds up */
static bool tar_header(const unsigned char *p, size_t n)
{
    if (n < 512)
        return false;
    if (arc_sniff_has(p, n, 257, "ustar", 5))
        return true;
    size_t i = 148;
    while (i < 156 && p[i] == ' ')
        i++;
    if (i == 156 || p[i] < '0' || p[i] > '7')
        return false;
    unsigned long want = 0;
    for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++)
        want = want * 8 + (unsigned long)(p[i] - '0');
    unsigned long usum = 0;
    long ssum = 0;
    for (size_t k = 0; k < 512; k++) {
        unsigned char b = (k >= 148 && k < 156) ? ' ' : p[k];
        usum += b;
        ssum += (signed char)b;
    }
    return p[0] != 0 && (usum == want || (long)want == ssum);
}

static bool lzma_alone(const unsigned char *p, size_t n)
{
    if (n < 13 || p[0] > 224)
        return false;
    uint32_t dict =
        (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
    bool ok = false;
    for (unsigned b = 12; b <= 30 && !ok; b++)
        ok = dict == (1u << b) || dict == ((1u << b) | (1u << (b - 1)));
    if (!ok)
        return false;
    /* uncompressed size: unknown (all 0xff) or a sane 64-bit number */
    bool unknown = true;
    for (int i = 5; i < 13; i++)
        unknown = unknown && p[i] == 0xff;
    return unknown || p[12] == 0;
}

enum arc_sniff arc_sniff(const unsigned char *p, size_t n)
{
    static const struct {
        const char *m;
        size_t len, off;
        enum arc_sniff kind;
    } tab[] = {
        {"\x1f\x8b", 2, 0, ARC_SNIFF_STREAM}, /* gzip */
        {"BZh", 3, 0, ARC_SNIFF_STREAM},      /* bzip2 */
        {"\xfd"
         "7zXZ\0",
         6, 0, ARC_SNIFF_STREAM},                           /* xz */
        {"LZIP", 4, 0, ARC_SNIFF_STREAM},                   /* lzip */
        {"\x28\xb5\x2f\xfd", 4, 0, ARC_SNIFF_STREAM},       /* zstd */
        {"\x04\x22\x4d\x18", 4, 0, ARC_SNIFF_STREAM},       /* lz4 */
        {"\x02\x21\x4c\x18", 4, 0, ARC_SNIFF_STREAM},       /* lz4 legacy */
        {"\x1f\x9d", 2, 0, ARC_SNIFF_STREAM},               /* compress */
        {"\xed\xab\xee\xdb", 4, 0, ARC_SNIFF_STREAM},       /* rpm */
        {"!<arch>\n", 8, 0, ARC_SNIFF_STREAM},              /* ar */
        {"0707", 4, 0, ARC_SNIFF_STREAM},                   /* cpio odc, newc, crc */
        {"\xc7\x71", 2, 0, ARC_SNIFF_STREAM},               /* cpio binary */
        {"\x71\xc7", 2, 0, ARC_SNIFF_STREAM},               /* cpio binary, big-endian */
        {"MSCF\0\0\0\0", 8, 0, ARC_SNIFF_SEEK},             /* cab */
        {"Rar!\x1a\x07", 6, 0, ARC_SNIFF_STREAM},           /* rar, rar5 */
        {"xar!", 4, 0, ARC_SNIFF_SEEK},                     /* xar */
        {"PK\x03\x04", 4, 0, ARC_SNIFF_SEEK},               /* zip */
        {"PK\x05\x06", 4, 0, ARC_SNIFF_SEEK},               /* empty zip */
        {"PK\x07\x08", 4, 0, ARC_SNIFF_SEEK},               /* spanned zip */
        {"PK00PK\x03\x04", 8, 0, ARC_SNIFF_SEEK},           /* zip */
        {"7z\xbc\xaf\x27\x1c", 6, 0, ARC_SNIFF_SEEK},       /* 7z */
        {"LRZI", 4, 0, ARC_SNIFF_EXTERNAL},                 /* lrzip */
        {"\x89LZO\0\r\n\x1a\n", 9, 0, ARC_SNIFF_EXTERNAL},  /* lzop */
        {"GRZipII\0\x02\x04:)", 12, 0, ARC_SNIFF_EXTERNAL}, /* grzip */
        {"CD001", 5, 32769, ARC_SNIFF_SEEK},                /* iso9660 */
    };
    for (size_t i = 0; i < ARRAY_LEN(tab); i++)
        if (arc_sniff_has(p, n, tab[i].off, tab[i].m, tab[i].len))
            return tab[i].kind;
    if (n >= 7 && p[2] == '-' && p[3] == 'l' && p[6] == '-')
        return ARC_SNIFF_STREAM; /* lha "-lh5-" */
    if (lzma_alone(p, n) || tar_header(p, n))
        return ARC_SNIFF_STREAM;
    if (n >= ARC_HEAD_SMALL && n < ARC_HEAD_ISO) {
        size_t k = 0;
        while (k < ARC_HEAD_SMALL && p[k] == 0)
            k++;
        if (k == ARC_HEAD_SMALL)
            return ARC_SNIFF_MORE;
    }
    return ARC_SNIFF_NONE;
}

bool arc_name_says_archive(const char *name)
{
    static const char *const ext[] = {
        ".tar",  ".tgz",  ".tbz", ".tbz2", ".txz", ".tlz",   ".tzst", ".taz",  ".tz",
        ".zip",  ".jar",  ".war", ".ear",  ".aar", ".whl",   ".apk",  ".epub", ".docx",
        ".xlsx", ".pptx", ".odt", ".ods",  ".odp", ".nupkg", ".deb",  ".udeb", ".ipk",
        ".rpm",  ".7z",   ".iso", ".cpio", ".cab", ".rar",   ".xar",  ".lha",  ".lzh",
    };
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    if (strstr(base, ".tar."))
        return true;
    for (size_t i = 0; i < ARRAY_LEN(ext); i++) {
        size_t l = strlen(ext[i]);
        if (n > l && strcasecmp(base + n - l, ext[i]) == 0)
            return true;
    }
    return false;
}

/* gzip_head, xz_head: the first decoded bytes of a stream, -1 on an error
 * that is not just the input ending */
static long gzip_head(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return -1;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int r = inflate(&z, Z_SYNC_FLUSH);
    size_t got = cap - z.avail_out;
    inflateEnd(&z);
    if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
        return -1;
    return (long)got;
}

static long xz_head(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    lzma_stream z = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&z, 256u << 20, 0) != LZMA_OK)
        return -1;
    z.next_in = in;
    z.avail_in = n;
    z.next_out = out;
    z.avail_out = cap;
    lzma_ret r = LZMA_OK;
    while (r == LZMA_OK && z.avail_out && z.avail_in)
        r = lzma_code(&z, LZMA_RUN);
    size_t got = cap - z.avail_out;
    lzma_end(&z);
    if (r != LZMA_OK && r != LZMA_STREAM_END && r != LZMA_BUF_ERROR)
        return -1;
    return (long)got;
}

/* arc_sniff_decoded_head: so that a scan can tell a compressed text from a
 * compressed archive without setting up a libarchive reader (a tenth of the
 * cost on /usr/share, where most files are gzipped manual pages) */
long arc_sniff_decoded_head(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    if (arc_sniff_has(in, n, 0, "\x1f\x8b", 2))
        return gzip_head(in, n, out, cap);
    if (arc_sniff_is_xz(in, n))
        return xz_head(in, n, out, cap);
    return -1;
}

bool arc_sniff_is_xz(const unsigned char *p, size_t n)
{
    return arc_sniff_has(p, n, 0,
                         "\xfd"
                         "7zXZ\0",
                         6);
}
