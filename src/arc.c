/* SPDX-License-Identifier: BSD-2-Clause */
/* arc: archives read with libarchive (see include/arc.h). */
#include "arc.h"
#include "arc_dec.h"
#include "arc_xz.h"
#include "diag.h"
#include "kind.h"
#include "names.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <lzma.h>
#include <zlib.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes looked at before libarchive is asked: enough for tar's "ustar" at 257
 * and the checksum; HEAD_ISO when the start is zeros, for iso9660's "CD001"
 * at 32769. */
#define HEAD_SMALL 512
#define HEAD_ISO (32 * 1024 + 2048)
#define HEAD_PEEK 4096
#define IOBUF (128 * 1024)

enum sniff {
    SNIFF_NONE,     /* not an archive or compressed stream we know */
    SNIFF_STREAM,   /* libarchive can read it from a stream */
    SNIFF_SEEK,     /* zip, 7z, iso: read it whole (memory or spool) */
    SNIFF_EXTERNAL, /* needs an external program: rejected */
    SNIFF_MORE,     /* starts with zeros: look further (iso9660) */
};

struct ctx {
    const struct arc_opts *o;
    struct tree_arena *a;
    uint64_t entries;
    uint64_t bytes;          /* extracted bytes counted against max_bytes */
    uint64_t file_size;      /* of the outermost archive; 0 unknown (pipe) */
    const uint64_t *top_raw; /* raw bytes read from a pipe so far */
    uint64_t mem_used, spool_used;
    uint64_t pipe_bytes; /* bytes read from a pipe (the outermost input) */
    int status;
    bool stopped;         /* a limit was reached: every level stops */
    const char *external; /* set when a filter needing a program was met */
};

/* where a libarchive reader gets its bytes */
struct feed {
    struct ctx *c;
    const unsigned char *pre; /* bytes already read (a pipe's head) */
    size_t pre_len, pre_pos;
    int fd;                   /* >= 0: read from this descriptor */
    bool seekable;            /* fd is a regular file: skip and seek by lseek */
    struct archive *parent;   /* fd < 0: the parent's current entry data */
    bool parent_failed;       /* the parent's data could not be read */
    struct arc_xz *xz;        /* set: the decoded bytes of an xz file */
    struct arc_dec *dec;      /* set: gzip/xz/zstd decoded here (arc_dec.h) */
    const unsigned char *raw; /* dec: undecoded input not used yet */
    size_t raw_len;
    unsigned char *rawbuf; /* dec: IOBUF bytes read from fd */
    bool raw_eof;
    unsigned char *buf;
    uint64_t served; /* bytes handed out */
};

/* one archive being read, at some nesting depth */
struct level {
    struct ctx *c;
    struct archive *ar;
    struct feed *feed;
    struct tree_node *node;
    char *label;    /* the archive's path for messages */
    unsigned depth; /* 1 for the outermost archive */
    uint64_t encrypted;
    bool failed; /* warned already: stop quietly */
};

/* ---- messages ---------------------------------------------------------- */

static void warnf(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(struct ctx *c, const char *fmt, ...)
{
    c->status = 1;
    if (!c->o->warn)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* names are quoted already; libarchive's own messages may quote bytes
     * of the archive: keep only printable UTF-8 */
    char out[sizeof buf * 4];
    size_t o = 0, n = strlen(buf);
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)buf + i;
        size_t l = name_utf8_len(p, n - i);
        if (l && *p >= 0x20 && *p != 0x7f) {
            memcpy(out + o, p, l);
            o += l;
            i += l;
        } else {
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", *p);
            i++;
        }
    }
    out[o] = '\0';
    c->o->warn(c->o->warn_ctx, out);
}

/* q: a quoted, printable copy of a name, freed by the caller */
static char *q(const char *s)
{
    char *e = diag_quote(s, strlen(s));
    size_t n = strlen(e);
    char *r = xmalloc(n + 3);
    r[0] = '\'';
    memcpy(r + 1, e, n);
    r[n + 1] = '\'';
    r[n + 2] = '\0';
    free(e);
    return r;
}

static const char *entry_name(struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    if (!p)
        p = archive_entry_pathname_utf8(e);
    return p ? p : "?";
}

/* ---- which filters run in-process ---------------------------------------- */

/* libarchive falls back to an external program for a filter it was built
 * without, and says so by returning ARCHIVE_WARN when the filter is enabled.
 * Enabling that on a real reader cannot be undone, so it is tried once on a
 * throw-away reader and only filters that answer ARCHIVE_OK are used. */
typedef int (*support_fn)(struct archive *);
static const support_fn filter_fns[] = {
    archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
    archive_read_support_filter_xz,   archive_read_support_filter_lzma,
    archive_read_support_filter_lzip, archive_read_support_filter_zstd,
    archive_read_support_filter_lz4,  archive_read_support_filter_compress,
    archive_read_support_filter_rpm,
};
static pthread_once_t filters_once = PTHREAD_ONCE_INIT;
static unsigned filters_ok; /* written once, under filters_once */

static void probe_filters(void)
{
    struct archive *a = archive_read_new();
    for (size_t i = 0; a && i < ARRAY_LEN(filter_fns); i++)
        if (filter_fns[i](a) == ARCHIVE_OK)
            filters_ok |= 1u << i;
    archive_read_free(a);
}

static struct archive *reader_new(void)
{
    pthread_once(&filters_once, probe_filters);
    struct archive *a = archive_read_new();
    if (!a) {
        diag_warn("out of memory");
        abort();
    }
    for (size_t i = 0; i < ARRAY_LEN(filter_fns); i++)
        if (filters_ok & (1u << i))
            filter_fns[i](a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_xar(a);
    /* raw takes whatever no archive format wants: that is how a compressed
     * file that holds no archive is told apart */
    archive_read_support_format_raw(a);
    return a;
}

/* a filter in the chain that would run a program (never enabled; checked
 * anyway so that a libarchive change cannot make duflame run one) */
static const char *external_filter(struct archive *a)
{
    int n = archive_filter_count(a);
    for (int i = 0; i < n; i++) {
        int code = archive_filter_code(a, i);
        if (code == ARCHIVE_FILTER_PROGRAM || code == ARCHIVE_FILTER_LRZIP ||
            code == ARCHIVE_FILTER_LZOP || code == ARCHIVE_FILTER_GRZIP)
            return archive_filter_name(a, i) ? archive_filter_name(a, i) : "program";
    }
    return NULL;
}

/* ---- content sniffing ---------------------------------------------------- */

static bool has(const unsigned char *p, size_t n, size_t off, const char *magic, size_t mlen)
{
    return n >= off + mlen && memcmp(p + off, magic, mlen) == 0;
}

/* tar: "ustar" at 257, or an old header whose checksum adds up */
static bool tar_header(const unsigned char *p, size_t n)
{
    if (n < 512)
        return false;
    if (has(p, n, 257, "ustar", 5))
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

static enum sniff sniff(const unsigned char *p, size_t n)
{
    static const struct {
        const char *m;
        size_t len, off;
        enum sniff kind;
    } tab[] = {
        {"\x1f\x8b", 2, 0, SNIFF_STREAM}, /* gzip */
        {"BZh", 3, 0, SNIFF_STREAM},      /* bzip2 */
        {"\xfd"
         "7zXZ\0",
         6, 0, SNIFF_STREAM},                           /* xz */
        {"LZIP", 4, 0, SNIFF_STREAM},                   /* lzip */
        {"\x28\xb5\x2f\xfd", 4, 0, SNIFF_STREAM},       /* zstd */
        {"\x04\x22\x4d\x18", 4, 0, SNIFF_STREAM},       /* lz4 */
        {"\x02\x21\x4c\x18", 4, 0, SNIFF_STREAM},       /* lz4 legacy */
        {"\x1f\x9d", 2, 0, SNIFF_STREAM},               /* compress */
        {"\xed\xab\xee\xdb", 4, 0, SNIFF_STREAM},       /* rpm */
        {"!<arch>\n", 8, 0, SNIFF_STREAM},              /* ar */
        {"0707", 4, 0, SNIFF_STREAM},                   /* cpio odc, newc, crc */
        {"\xc7\x71", 2, 0, SNIFF_STREAM},               /* cpio binary */
        {"\x71\xc7", 2, 0, SNIFF_STREAM},               /* cpio binary, big-endian */
        {"MSCF\0\0\0\0", 8, 0, SNIFF_SEEK},             /* cab */
        {"Rar!\x1a\x07", 6, 0, SNIFF_STREAM},           /* rar, rar5 */
        {"xar!", 4, 0, SNIFF_SEEK},                     /* xar */
        {"PK\x03\x04", 4, 0, SNIFF_SEEK},               /* zip */
        {"PK\x05\x06", 4, 0, SNIFF_SEEK},               /* empty zip */
        {"PK\x07\x08", 4, 0, SNIFF_SEEK},               /* spanned zip */
        {"PK00PK\x03\x04", 8, 0, SNIFF_SEEK},           /* zip */
        {"7z\xbc\xaf\x27\x1c", 6, 0, SNIFF_SEEK},       /* 7z */
        {"LRZI", 4, 0, SNIFF_EXTERNAL},                 /* lrzip */
        {"\x89LZO\0\r\n\x1a\n", 9, 0, SNIFF_EXTERNAL},  /* lzop */
        {"GRZipII\0\x02\x04:)", 12, 0, SNIFF_EXTERNAL}, /* grzip */
        {"CD001", 5, 32769, SNIFF_SEEK},                /* iso9660 */
    };
    for (size_t i = 0; i < ARRAY_LEN(tab); i++)
        if (has(p, n, tab[i].off, tab[i].m, tab[i].len))
            return tab[i].kind;
    if (n >= 7 && p[2] == '-' && p[3] == 'l' && p[6] == '-')
        return SNIFF_STREAM; /* lha "-lh5-" */
    if (lzma_alone(p, n) || tar_header(p, n))
        return SNIFF_STREAM;
    if (n >= HEAD_SMALL && n < HEAD_ISO) {
        size_t k = 0;
        while (k < HEAD_SMALL && p[k] == 0)
            k++;
        if (k == HEAD_SMALL)
            return SNIFF_MORE;
    }
    return SNIFF_NONE;
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

/* ---- libarchive callbacks over a feed -------------------------------------- */

/* feed_fd_read: up to IOBUF bytes of f->fd into buf; -1 (error set in a) on failure */
static ssize_t feed_fd_read(struct archive *a, struct feed *f, unsigned char *buf)
{
    ssize_t n;
    do
        n = read(f->fd, buf, IOBUF);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        archive_set_error(a, errno, "read error: %s", strerror(errno));
        return -1;
    }
    if (!f->seekable)
        f->c->pipe_bytes += (uint64_t)n;
    return n;
}

/* feed_decoded: the next bytes arc_dec decodes from pre, then fd: every
 * byte decoded comes out before the error of a truncated or corrupt input */
static la_ssize_t feed_decoded(struct archive *a, struct feed *f, const void **out)
{
    for (;;) {
        if (!f->raw_len && !f->raw_eof) {
            if (f->pre_pos < f->pre_len) {
                f->raw = f->pre + f->pre_pos;
                f->raw_len = f->pre_len - f->pre_pos;
                f->pre_pos = f->pre_len;
            } else {
                ssize_t n = feed_fd_read(a, f, f->rawbuf);
                if (n < 0)
                    return -1;
                f->raw = f->rawbuf;
                f->raw_len = (size_t)n;
                f->raw_eof = n == 0;
            }
        }
        bool end = false;
        const char *err = "corrupt data";
        ssize_t n =
            arc_dec_run(f->dec, &f->raw, &f->raw_len, f->raw_eof, f->buf, IOBUF, &end, &err);
        if (n < 0) {
            archive_set_error(a, EIO, "%s", err);
            return -1;
        }
        if (n > 0 || end) {
            *out = f->buf;
            f->served += (uint64_t)n;
            return n;
        }
    }
}

static la_ssize_t feed_read(struct archive *a, void *client, const void **out)
{
    struct feed *f = client;
    if (f->dec)
        return feed_decoded(a, f, out);
    if (f->pre_pos < f->pre_len) {
        *out = f->pre + f->pre_pos;
        size_t n = f->pre_len - f->pre_pos;
        f->pre_pos = f->pre_len;
        f->served += n;
        return (la_ssize_t)n;
    }
    la_ssize_t n;
    if (f->xz) {
        const char *err = "xz: decoding error";
        n = arc_xz_read(f->xz, out, &err);
        if (n < 0) {
            archive_set_error(a, EIO, "%s", err);
            return -1;
        }
        f->served += (uint64_t)n;
        return n;
    }
    if (f->fd >= 0) {
        n = feed_fd_read(a, f, f->buf);
        if (n < 0)
            return -1;
    } else {
        n = archive_read_data(f->parent, f->buf, IOBUF);
        if (n < 0) {
            f->parent_failed = true;
            const char *msg = archive_error_string(f->parent);
            archive_set_error(a, EIO, "%s", msg ? msg : "read error");
            return -1;
        }
    }
    *out = f->buf;
    f->served += (uint64_t)n;
    return n;
}

static la_int64_t feed_skip(struct archive *a, void *client, la_int64_t request)
{
    (void)a;
    struct feed *f = client;
    if (!f->seekable || f->pre_pos < f->pre_len || request <= 0)
        return 0;
    off_t cur = lseek(f->fd, 0, SEEK_CUR);
    off_t end = lseek(f->fd, 0, SEEK_END);
    if (cur < 0 || end < 0)
        return 0;
    if (request > end - cur)
        request = end - cur;
    if (lseek(f->fd, cur + request, SEEK_SET) < 0)
        return 0;
    f->served += (uint64_t)request;
    return request;
}

static la_int64_t feed_seek(struct archive *a, void *client, la_int64_t offset, int whence)
{
    struct feed *f = client;
    off_t r = lseek(f->fd, offset, whence);
    if (r < 0) {
        archive_set_error(a, errno, "seek error: %s", strerror(errno));
        return ARCHIVE_FATAL;
    }
    return r;
}

static int feed_open(struct archive *ar, struct feed *f)
{
    archive_read_set_callback_data(ar, f);
    archive_read_set_read_callback(ar, feed_read);
    if (f->seekable) {
        archive_read_set_skip_callback(ar, feed_skip);
        archive_read_set_seek_callback(ar, feed_seek);
    }
    return archive_read_open1(ar);
}

/* ---- the tree -------------------------------------------------------------- */

#define TYPE_FLAGS (TREE_DIR | TREE_SYMLINK | TREE_SPECIAL | TREE_HARDLINK | TREE_ENCRYPTED)

/* entry_node: the node for path under root (root itself for an empty path),
 * creating implicit parents */
static struct tree_node *entry_node(struct ctx *c, struct tree_node *root, const char *p,
                                    size_t len)
{
    struct tree_node *n = root;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && p[j] != '/')
            j++;
        size_t cl = j - i;
        if (cl == 0 || (cl == 1 && p[i] == '.')) {
            i = j + 1;
            continue;
        }
        bool created;
        n = tree_child(c->a, n, p + i, cl, &created);
        if (created && cl == 2 && p[i] == '.' && p[i + 1] == '.')
            n->flags |= TREE_LITERAL;
        if (j < len)
            n->flags |= TREE_DIR;
        i = j + 1;
    }
    return n;
}

static uint64_t bytes_limit(const struct ctx *c)
{
    if (c->o->max_bytes)
        return c->o->max_bytes;
    uint64_t size = c->file_size;
    if (!size && c->top_raw)
        size = *c->top_raw;
    uint64_t scaled =
        size > UINT64_MAX / ARC_DEFAULT_BYTES_RATIO ? UINT64_MAX : size * ARC_DEFAULT_BYTES_RATIO;
    return scaled > ARC_DEFAULT_BYTES_MIN ? scaled : ARC_DEFAULT_BYTES_MIN;
}

/* count bytes against the limit; false (and the warning) when it is passed */
static bool count_bytes(struct level *lv, uint64_t n, const char *entry)
{
    struct ctx *c = lv->c;
    uint64_t lim = bytes_limit(c);
    if (n > lim || c->bytes > lim - n) {
        char *qa = q(lv->label), *qe = q(entry);
        warnf(c,
              "archive %s: stopped at entry %s: more than %llu extracted bytes "
              "(--archive-bytes); the rest is not shown",
              qa, qe, (unsigned long long)lim);
        free(qa);
        free(qe);
        c->stopped = true;
        return false;
    }
    c->bytes += n;
    return true;
}

/* ---- nested members ------------------------------------------------------- */

static int read_entries(struct level *lv, int r, struct archive_entry *e);

/* read_head: up to want bytes of the current entry's data into buf */
static la_ssize_t read_head(struct archive *ar, unsigned char *buf, size_t have, size_t want)
{
    while (have < want) {
        la_ssize_t n = archive_read_data(ar, buf + have, want - have);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        have += (size_t)n;
    }
    return (la_ssize_t)have;
}

static int tmpfile_fd(const struct ctx *c)
{
    const char *dir = c->o->tmpdir;
    if (!dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    size_t n = strlen(dir) + 32;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/duflame-arc.XXXXXX", dir);
    int fd2 = mkostemp(path, O_CLOEXEC);
    if (fd2 >= 0)
        unlink(path);
    free(path);
    return fd2;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* A member that needs seeking, held whole: in memory while the memory
 * budget lasts, else in an unlinked temporary file while the spool budget
 * lasts. */
struct whole {
    unsigned char *mem;
    size_t len, held; /* bytes in mem, bytes of mem counted in mem_used */
    int fd;
    uint64_t spooled;
    uint64_t mem_avail, spool_avail;
};

enum whole_result { WHOLE_OK, WHOLE_TOO_BIG, WHOLE_READ_ERROR, WHOLE_SPOOL_ERROR };

/* open_whole: open ar on a member read whole, from memory or from its spool
 * file (seekable, through the feed f) */
static int open_whole(struct archive *ar, struct whole *w, struct feed *f)
{
    if (w->mem)
        return archive_read_open_memory(ar, w->mem, w->len);
    f->fd = w->fd;
    f->seekable = true;
    f->buf = xmalloc(IOBUF);
    return feed_open(ar, f);
}

static enum whole_result whole_to_file(struct ctx *c, struct whole *w)
{
    w->fd = tmpfile_fd(c);
    if (w->fd < 0 || !write_all(w->fd, w->mem, w->len))
        return WHOLE_SPOOL_ERROR;
    w->spooled = w->len;
    c->spool_used += w->len;
    free(w->mem);
    w->mem = NULL;
    c->mem_used -= w->held;
    w->held = w->len = 0;
    return WHOLE_OK;
}

static enum whole_result whole_add(struct ctx *c, struct whole *w, const unsigned char *p, size_t n)
{
    if (w->fd < 0 && w->len + n > w->held) {
        uint64_t want = (uint64_t)w->held * 2;
        if (want < w->len + n)
            want = w->len + n;
        if (want < 65536)
            want = 65536;
        if (want > w->mem_avail && w->len + n <= w->mem_avail)
            want = w->mem_avail;
        if (want <= w->mem_avail) {
            w->mem = xrealloc(w->mem, (size_t)want);
            c->mem_used += want - w->held;
            w->held = (size_t)want;
        } else {
            if (w->len + n > w->spool_avail)
                return WHOLE_TOO_BIG;
            enum whole_result r = whole_to_file(c, w);
            if (r != WHOLE_OK)
                return r;
        }
    }
    if (w->fd < 0) {
        if (n)
            memcpy(w->mem + w->len, p, n);
        w->len += n;
        return WHOLE_OK;
    }
    if (w->spooled + n > w->spool_avail)
        return WHOLE_TOO_BIG;
    if (!write_all(w->fd, p, n))
        return WHOLE_SPOOL_ERROR;
    w->spooled += n;
    c->spool_used += n;
    return WHOLE_OK;
}

static void whole_release(struct ctx *c, struct whole *w)
{
    free(w->mem);
    w->mem = NULL;
    c->mem_used -= w->held;
    w->held = w->len = 0;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    c->spool_used -= w->spooled;
    w->spooled = 0;
}

/* read_whole: head[0..hlen) and the rest of lv's current entry data (size
 * bytes, -1 unknown) into w */
static enum whole_result read_whole(struct level *lv, const unsigned char *head, size_t hlen,
                                    int64_t size, struct whole *w)
{
    struct ctx *c = lv->c;
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->mem_avail = c->o->max_memory > c->mem_used ? c->o->max_memory - c->mem_used : 0;
    w->spool_avail = c->o->max_spool > c->spool_used ? c->o->max_spool - c->spool_used : 0;
    if (size >= 0 && (uint64_t)size > w->mem_avail && (uint64_t)size > w->spool_avail)
        return WHOLE_TOO_BIG;
    enum whole_result res = WHOLE_OK;
    if (size >= 0 && (uint64_t)size > w->mem_avail)
        res = whole_to_file(c, w);
    else if (size > 0) {
        w->mem = xmalloc((size_t)size);
        w->held = (size_t)size;
        c->mem_used += w->held;
    }
    if (res == WHOLE_OK && hlen)
        res = whole_add(c, w, head, hlen);
    unsigned char *buf = xmalloc(IOBUF);
    while (res == WHOLE_OK) {
        la_ssize_t n = archive_read_data(lv->ar, buf, IOBUF);
        if (n < 0)
            res = WHOLE_READ_ERROR;
        else if (n == 0)
            break;
        else
            res = whole_add(c, w, buf, (size_t)n);
    }
    free(buf);
    if (res == WHOLE_OK && w->fd >= 0 && lseek(w->fd, 0, SEEK_SET) < 0)
        res = WHOLE_SPOOL_ERROR;
    if (res != WHOLE_OK)
        whole_release(c, w);
    return res;
}

static char *join_label(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* open_level: read the first header of a reader opened on some bytes. Returns
 * 1 and fills *r / *e when it is an archive with at least one entry; 0 when
 * it is not an archive (raw, or a tar with no entry); -1 on an error before
 * any entry (the message is in ar). */
static int first_header(struct archive *ar, int open_r, int *r, struct archive_entry **e)
{
    if (open_r != ARCHIVE_OK && open_r != ARCHIVE_WARN)
        return -1;
    *r = archive_read_next_header(ar, e);
    if (*r == ARCHIVE_EOF)
        return 0; /* a tar of zeros, an empty archive: a file */
    if (*r < ARCHIVE_WARN)
        return -1;
    if (archive_format(ar) == ARCHIVE_FORMAT_RAW)
        return 0;
    return 1;
}

/*
 * try_nested: the current entry of lv is a regular member of the given size
 * (-1 unknown) at node. If its content is an archive, read it as a level
 * below. Returns the number of data bytes consumed when the size was unknown
 * and the member was not opened (so the caller can count the rest), via
 * *consumed; returns false when lv must stop (its data stream broke).
 */
static bool try_nested(struct level *lv, struct archive_entry *e, struct tree_node *node,
                       int64_t size, const char *ename, uint64_t *consumed, bool *opened)
{
    struct ctx *c = lv->c;
    *consumed = 0;
    *opened = false;
    unsigned char *head = xmalloc(HEAD_ISO);
    size_t want = HEAD_SMALL;
    la_ssize_t hn = read_head(lv->ar, head, 0, want);
    enum sniff s = hn >= 0 ? sniff(head, (size_t)hn) : SNIFF_NONE;
    if (hn >= 0 && s == SNIFF_MORE && (size < 0 || size >= 32774)) {
        hn = read_head(lv->ar, head, (size_t)hn, HEAD_ISO);
        s = hn >= 0 ? sniff(head, (size_t)hn) : SNIFF_NONE;
    }
    if (hn < 0) {
        char *qa = q(lv->label), *qe = q(ename);
        const char *msg = archive_error_string(lv->ar);
        warnf(c, "cannot read archive %s: entry %s: %s", qa, qe, msg ? msg : "read error");
        free(qa);
        free(qe);
        lv->failed = true;
        free(head);
        return false;
    }
    *consumed = (uint64_t)hn;
    (void)e;
    if (s == SNIFF_NONE || s == SNIFF_MORE) {
        free(head);
        return true;
    }
    char *label = join_label(lv->label, ename);
    if (s == SNIFF_EXTERNAL) {
        char *qa = q(label);
        warnf(c,
              "cannot read archive %s: its compression needs an external program, "
              "which duflame never runs",
              qa);
        free(qa);
        free(label);
        free(head);
        return true;
    }

    struct archive *na = reader_new();
    struct feed f = {.c = c, .fd = -1};
    struct whole w = {.fd = -1};
    int open_r;
    bool whole = s == SNIFF_SEEK;
    if (whole) {
        enum whole_result wr = read_whole(lv, head, (size_t)hn, size, &w);
        if (wr != WHOLE_OK) {
            char *qa = q(label), *qp = q(lv->label), *qe = q(ename);
            if (wr == WHOLE_TOO_BIG)
                warnf(c,
                      "archive %s not opened: a nested archive that must be read whole "
                      "and is larger than --archive-memory and --archive-spool allow",
                      qa);
            else if (wr == WHOLE_SPOOL_ERROR)
                warnf(c, "archive %s not opened: cannot write a temporary file: %s", qa,
                      strerror(errno));
            else
                warnf(c, "cannot read archive %s: entry %s: %s", qp, qe,
                      archive_error_string(lv->ar) ? archive_error_string(lv->ar) : "read error");
            free(qa);
            free(qp);
            free(qe);
            archive_read_free(na);
            free(label);
            free(head);
            if (wr == WHOLE_READ_ERROR) {
                lv->failed = true;
                return false;
            }
            *consumed = UINT64_MAX; /* size unknown: the caller cannot count it */
            return true;
        }
        open_r = open_whole(na, &w, &f);
        *consumed = w.mem ? w.len : w.spooled;
    } else {
        f.pre = head;
        f.pre_len = (size_t)hn;
        f.parent = lv->ar;
        f.buf = xmalloc(IOBUF);
        open_r = feed_open(na, &f);
    }

    int r = ARCHIVE_OK;
    struct archive_entry *ne = NULL;
    int fh = first_header(na, open_r, &r, &ne);
    bool ok = true;
    if (fh > 0 && external_filter(na)) {
        char *qa = q(label);
        warnf(c,
              "cannot read archive %s: its compression needs an external program, "
              "which duflame never runs",
              qa);
        free(qa);
        fh = 0;
    }
    if (fh < 0) {
        char *qa = q(label);
        const char *msg = archive_error_string(na);
        warnf(c, "cannot read archive %s: %s", qa, msg ? msg : "not an archive");
        free(qa);
        if (f.parent_failed) {
            lv->failed = true;
            ok = false;
        }
        node->flags |= TREE_UNREADABLE;
    } else if (fh > 0) {
        *opened = true;
        node->flags |= TREE_ARCHIVE;
        tree_set_kind(node, TREE_KIND_ARCHIVE);
        node->w[TREE_W_DISK] = node->w[TREE_W_APPARENT] = 0;
        struct level sub = {
            .c = c, .ar = na, .feed = &f, .node = node, .label = label, .depth = lv->depth + 1};
        read_entries(&sub, r, ne);
        if (f.parent_failed) {
            lv->failed = true;
            ok = false;
        }
    }
    if (!whole && !*opened)
        *consumed = f.served;
    archive_read_free(na);
    if (whole)
        whole_release(c, &w);
    free(f.buf);
    free(label);
    free(head);
    return ok;
}

/* ---- one level's entries ------------------------------------------------------ */

/* drain: read the rest of the current entry's data, counting it, for an
 * entry whose size the header did not give. false when lv must stop. */
static bool drain(struct level *lv, uint64_t *count, const char *ename)
{
    const void *blk;
    size_t len;
    la_int64_t off;
    for (;;) {
        int r = archive_read_data_block(lv->ar, &blk, &len, &off);
        if (r == ARCHIVE_EOF)
            return true;
        if (r < ARCHIVE_WARN) {
            char *qa = q(lv->label), *qe = q(ename);
            const char *msg = archive_error_string(lv->ar);
            warnf(lv->c, "cannot read archive %s: entry %s: %s", qa, qe, msg ? msg : "read error");
            free(qa);
            free(qe);
            lv->failed = true;
            return false;
        }
        *count += len;
        if (!count_bytes(lv, len, ename))
            return false;
    }
}

static void entry(struct level *lv, struct archive_entry *e)
{
    struct ctx *c = lv->c;
    const char *name = entry_name(e);
    mode_t type = archive_entry_filetype(e);
    if (type == 0)
        type = AE_IFREG; /* ar (deterministic mode) stores no file type */
    bool hardlink = archive_entry_hardlink(e) != NULL;
    bool encrypted = archive_entry_is_encrypted(e) != 0;
    int64_t size = -1;
    if (type == AE_IFREG && !hardlink)
        size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    if (size < -1)
        size = 0;
    if (size > 0 && !count_bytes(lv, (uint64_t)size, name))
        return;
    struct tree_node *n = entry_node(c, lv->node, name, strlen(name));
    if (n == lv->node) {
        /* "./" or "/": the archive itself */
        n->w[TREE_W_COUNT] += 1;
        return;
    }
    unsigned flags = 0;
    if (hardlink)
        flags = TREE_HARDLINK;
    else if (type == AE_IFDIR)
        flags = TREE_DIR;
    else if (type == AE_IFLNK)
        flags = TREE_SYMLINK;
    else if (type != AE_IFREG)
        flags = TREE_SPECIAL;
    if (encrypted) {
        flags |= TREE_ENCRYPTED;
        lv->encrypted++;
    }
    n->flags = (uint16_t)((n->flags & ~(TYPE_FLAGS | TREE_ARCHIVE)) | flags);
    n->w[TREE_W_DISK] = n->w[TREE_W_APPARENT] = size > 0 ? (uint64_t)size : 0;
    n->w[TREE_W_COUNT] = 1;
    if (type == AE_IFREG)
        tree_set_kind(n, kind_classify(n->name, n->len, archive_entry_mode(e)));
    if (type != AE_IFREG || hardlink || encrypted || size == 0)
        return;
    uint64_t consumed = 0;
    bool opened = false;
    if (lv->depth < c->o->max_depth) {
        if (!try_nested(lv, e, n, size, name, &consumed, &opened))
            return;
        if (c->stopped || opened)
            return;
    }
    if (size < 0 && consumed != UINT64_MAX) {
        /* zip with a data descriptor read as a stream: count the bytes */
        if (!count_bytes(lv, consumed, name))
            return;
        uint64_t total = consumed;
        drain(lv, &total, name);
        n->w[TREE_W_DISK] = n->w[TREE_W_APPARENT] = total;
    }
}

/* read_entries: the entries of lv, the first one (result r) already read */
static int read_entries(struct level *lv, int r, struct archive_entry *e)
{
    struct ctx *c = lv->c;
    char *last = NULL;
    unsigned retries = 0;
    for (;;) {
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_RETRY && ++retries < 16) {
            r = archive_read_next_header(lv->ar, &e);
            continue;
        }
        if (r < ARCHIVE_WARN) {
            char *qa = q(lv->label);
            const char *msg = archive_error_string(lv->ar);
            if (last) {
                char *ql = q(last);
                warnf(c, "cannot read archive %s after entry %s: %s", qa, ql,
                      msg ? msg : "read error");
                free(ql);
            } else {
                warnf(c, "cannot read archive %s: %s", qa, msg ? msg : "read error");
            }
            free(qa);
            lv->node->flags |= TREE_UNREADABLE;
            break;
        }
        if (r == ARCHIVE_WARN) {
            const char *msg = archive_error_string(lv->ar);
            char *qa = q(lv->label), *qe = q(entry_name(e));
            warnf(c, "archive %s: entry %s: %s", qa, qe, msg ? msg : "warning");
            free(qa);
            free(qe);
        }
        if (c->entries >= c->o->max_entries) {
            char *qa = q(lv->label);
            warnf(c,
                  "archive %s: stopped after %llu entries (--archive-entries); the rest "
                  "is not shown",
                  qa, (unsigned long long)c->entries);
            free(qa);
            c->stopped = true;
        }
        if (c->stopped)
            break;
        c->entries++;
        free(last);
        last = xstrdup(entry_name(e));
        entry(lv, e);
        if (lv->failed || c->stopped)
            break;
        r = archive_read_next_header(lv->ar, &e);
    }
    if (c->stopped || lv->failed)
        lv->node->flags |= TREE_UNREADABLE;
    if (lv->encrypted) {
        char *qa = q(lv->label);
        warnf(c, "archive %s: %llu encrypted %s listed, %s not read", qa,
              (unsigned long long)lv->encrypted, lv->encrypted == 1 ? "entry" : "entries",
              lv->encrypted == 1 ? "its contents" : "their contents");
        free(qa);
    }
    free(last);
    return c->status;
}

/* ---- scan weights ---------------------------------------------------------------- */

static uint64_t share(uint64_t total, uint64_t cum, uint64_t whole)
{
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)((u128)total * cum / whole);
}

/* apportion: in a scan, the archive node keeps the weights it came with;
 * its descendants share them by extracted size. Returns the extracted
 * bytes. */
static uint64_t apportion(struct tree_node *arc, uint64_t disk, uint64_t apparent)
{
    uint64_t extracted = 0;
    struct tree_iter it;
    tree_iter_init(&it, arc);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t e = n->w[TREE_W_DISK];
        extracted = extracted > UINT64_MAX - e ? UINT64_MAX : extracted + e;
    }
    uint64_t cum = 0, dprev = 0, aprev = 0;
    tree_iter_init(&it, arc);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t e = n->w[TREE_W_DISK];
        n->w[TREE_W_COUNT] = 0;
        if (!extracted) {
            n->w[TREE_W_DISK] = n->w[TREE_W_APPARENT] = 0;
            continue;
        }
        cum = cum > UINT64_MAX - e ? UINT64_MAX : cum + e;
        if (cum > extracted)
            cum = extracted;
        uint64_t d = share(disk, cum, extracted), a = share(apparent, cum, extracted);
        n->w[TREE_W_DISK] = d - dprev;
        n->w[TREE_W_APPARENT] = a - aprev;
        dprev = d;
        aprev = a;
    }
    arc->w[TREE_W_DISK] = extracted ? 0 : disk;
    arc->w[TREE_W_APPARENT] = extracted ? 0 : apparent;
    return extracted;
}

/* ---- entry points ----------------------------------------------------------------- */

void arc_opts_init(struct arc_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_depth = ARC_DEFAULT_DEPTH;
    o->max_entries = ARC_DEFAULT_ENTRIES;
    o->max_bytes = 0;
    o->max_memory = ARC_DEFAULT_MEMORY;
    o->max_spool = ARC_DEFAULT_SPOOL;
}

/* Names are decoded by libarchive through the thread's locale: under a
 * non-UTF-8 locale (LANG=C) a UTF-8 zip name cannot be converted and is
 * lost, so the reading thread switches to C.UTF-8 while it reads. */
struct locale_guard {
    locale_t old, utf8;
};

static void locale_enter(struct locale_guard *g)
{
    g->old = (locale_t)0;
    g->utf8 = (locale_t)0;
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        return;
    g->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (g->utf8 != (locale_t)0)
        g->old = uselocale(g->utf8);
}

static void locale_leave(struct locale_guard *g)
{
    if (g->utf8 != (locale_t)0) {
        uselocale(g->old);
        freelocale(g->utf8);
    }
}

/* A source of the outermost archive: fd (regular or pipe) or memory. */
struct top_src {
    int fd;
    const unsigned char *mem;
    size_t len;
};

/* read_fd_head: the first want bytes of fd into head (*hlen already
 * there); -1 on a read error (errno set) */
static int read_fd_head(struct ctx *c, int fd, bool regular, unsigned char *head, size_t *hlen,
                        size_t want)
{
    while (*hlen < want) {
        ssize_t n = regular ? pread(fd, head + *hlen, want - *hlen, (off_t)*hlen)
                            : read(fd, head + *hlen, want - *hlen);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        *hlen += (size_t)n;
        if (!regular)
            c->pipe_bytes += (uint64_t)n;
    }
    return 0;
}

/* decoded_head: the first bytes that a gzip or xz stream in[0..n) decodes
 * to, at most cap, so that a scan can tell a compressed text from a
 * compressed archive without setting up a libarchive reader (a tenth of the
 * cost on /usr/share, where most files are gzipped manual pages). -1 when
 * it cannot tell: libarchive decides. */
static long decoded_head(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    size_t got;
    if (has(in, n, 0, "\x1f\x8b", 2)) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, 15 + 16) != Z_OK)
            return -1;
        z.next_in = (Bytef *)(uintptr_t)in;
        z.avail_in = (uInt)n;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        int r = inflate(&z, Z_SYNC_FLUSH);
        got = cap - z.avail_out;
        inflateEnd(&z);
        if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
            return -1;
    } else if (has(in, n, 0,
                   "\xfd"
                   "7zXZ\0",
                   6)) {
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
        got = cap - z.avail_out;
        lzma_end(&z);
        if (r != LZMA_OK && r != LZMA_STREAM_END && r != LZMA_BUF_ERROR)
            return -1;
    } else {
        return -1;
    }
    return (long)got;
}

/* threads for xz decoding: the online CPUs, at most 8 */
static unsigned cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

/* A pipe given as input that holds no archive is a file of the bytes it
 * held: read the rest and count them. */
static void pipe_rest(struct ctx *c, const struct top_src *src, bool regular,
                      struct tree_node *node, enum arc_mode mode)
{
    if (src->mem || regular || mode != ARC_INPUT || (node->flags & TREE_ARCHIVE))
        return;
    unsigned char *buf = xmalloc(IOBUF);
    for (;;) {
        ssize_t n = read(src->fd, buf, IOBUF);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        c->pipe_bytes += (uint64_t)n;
    }
    free(buf);
    node->w[TREE_W_DISK] = node->w[TREE_W_APPARENT] = c->pipe_bytes;
    node->w[TREE_W_COUNT] = 1;
}

static int fill(const struct top_src *src, const char *name, struct tree_node *node,
                struct tree_arena *a, enum arc_mode mode, const struct arc_opts *o)
{
    struct arc_opts defaults;
    if (!o) {
        arc_opts_init(&defaults);
        o = &defaults;
    }
    struct ctx c = {.o = o, .a = a};
    if (o->max_depth == 0)
        return 0;
    const char *label = name ? name : "-";
    bool says = arc_name_says_archive(label);
    struct stat st;
    bool regular = false;
    unsigned char *head = xmalloc(HEAD_ISO);
    size_t hlen = 0;
    if (src->mem) {
        c.file_size = src->len;
        hlen = src->len < HEAD_ISO ? src->len : HEAD_ISO;
        memcpy(head, src->mem, hlen);
    } else {
        regular = fstat(src->fd, &st) == 0 && S_ISREG(st.st_mode);
        if (regular)
            c.file_size = (uint64_t)st.st_size;
        /* a scan looks at 4 KiB of each file (enough to peek into a gzip or
         * xz stream), more only for a start of zeros (iso9660) */
        size_t want = regular && mode == ARC_SCAN ? HEAD_PEEK : HEAD_ISO;
        if (read_fd_head(&c, src->fd, regular, head, &hlen, want) < 0 ||
            (want < HEAD_ISO && sniff(head, hlen) == SNIFF_MORE &&
             read_fd_head(&c, src->fd, regular, head, &hlen, HEAD_ISO) < 0)) {
            char *qa = q(label);
            warnf(&c, "cannot read %s: %s", qa, strerror(errno));
            free(qa);
            free(head);
            return c.status;
        }
    }
    enum sniff s = sniff(head, hlen);
    if (s == SNIFF_STREAM && regular && mode == ARC_SCAN && !says) {
        unsigned char out[HEAD_SMALL];
        long got = decoded_head(head, hlen, out, sizeof out);
        if (got >= 0 && sniff(out, (size_t)got) == SNIFF_NONE) {
            free(head);
            return c.status; /* a compressed file that holds no archive */
        }
    }
    if (s == SNIFF_EXTERNAL) {
        char *qa = q(label);
        warnf(&c,
              "cannot read archive %s: its compression needs an external program, "
              "which duflame never runs",
              qa);
        free(qa);
        free(head);
        pipe_rest(&c, src, regular, node, mode);
        return c.status;
    }
    /* a PATH given as input is always offered to libarchive (a zip behind an
     * executable stub is found), and so is a scanned file whose name says
     * archive; other files met in a scan only when their first bytes look
     * like an archive, so that a scan does not set up a reader per file */
    if (hlen == 0 || (s != SNIFF_STREAM && s != SNIFF_SEEK && mode == ARC_SCAN && !says)) {
        if (says) {
            char *qa = q(label);
            warnf(&c, "cannot read archive %s: empty file", qa);
            free(qa);
            node->flags |= TREE_UNREADABLE;
        }
        free(head);
        pipe_rest(&c, src, regular, node, mode);
        return c.status;
    }

    enum arc_dec_kind dk = src->mem ? ARC_DEC_NONE : arc_dec_kind(head, hlen);
    struct locale_guard lg;
    locale_enter(&lg);
    struct archive *ar = reader_new();
    struct feed f = {.c = &c, .fd = -1};
    struct whole w = {.fd = -1};
    bool whole = false;
    int open_r;
    if (src->mem) {
        open_r = archive_read_open_memory(ar, src->mem, src->len);
    } else if (regular && mode == ARC_INPUT &&
               has(head, hlen, 0,
                   "\xfd"
                   "7zXZ\0",
                   6) &&
               lseek(src->fd, 0, SEEK_SET) == 0 && (f.xz = arc_xz_start(src->fd, cpus()))) {
        /* the decompression is what takes the time: decoded on every core
         * while libarchive reads the tar stream */
        open_r = feed_open(ar, &f);
    } else if (regular && dk != ARC_DEC_NONE && lseek(src->fd, 0, SEEK_SET) == 0 &&
               (f.dec = arc_dec_new(dk))) {
        /* decoded here, not by libarchive's filter: what was decoded before
         * a truncation reaches the tar reader (arc_dec.h) */
        f.fd = src->fd;
        f.buf = xmalloc(IOBUF);
        f.rawbuf = xmalloc(IOBUF);
        open_r = feed_open(ar, &f);
    } else if (regular) {
        f.fd = src->fd;
        f.seekable = true;
        f.buf = xmalloc(IOBUF);
        if (lseek(src->fd, 0, SEEK_SET) < 0)
            f.seekable = false;
        open_r = feed_open(ar, &f);
    } else if (s == SNIFF_SEEK) {
        /* a zip or 7z on a pipe: hold it whole first */
        struct archive *pipe_ar = archive_read_new();
        struct feed pf = {.c = &c, .fd = src->fd, .pre = head, .pre_len = hlen};
        pf.buf = xmalloc(IOBUF);
        archive_read_support_format_raw(pipe_ar);
        archive_read_support_filter_none(pipe_ar);
        int pr = feed_open(pipe_ar, &pf);
        struct archive_entry *pe;
        struct level pl = {.c = &c, .ar = pipe_ar, .label = (char *)label};
        enum whole_result wr = WHOLE_READ_ERROR;
        if (pr == ARCHIVE_OK && archive_read_next_header(pipe_ar, &pe) == ARCHIVE_OK)
            wr = read_whole(&pl, head, 0, -1, &w);
        archive_read_free(pipe_ar);
        free(pf.buf);
        if (wr != WHOLE_OK) {
            char *qa = q(label);
            warnf(&c, "cannot read archive %s: %s", qa,
                  wr == WHOLE_TOO_BIG ? "it must be read whole and is larger than "
                                        "--archive-memory and --archive-spool allow"
                                      : "read error");
            free(qa);
            archive_read_free(ar);
            locale_leave(&lg);
            free(head);
            pipe_rest(&c, src, regular, node, mode);
            return c.status;
        }
        whole = true;
        c.file_size = w.mem ? w.len : w.spooled;
        open_r = open_whole(ar, &w, &f);
    } else {
        f.fd = src->fd;
        f.pre = head;
        f.pre_len = hlen;
        f.buf = xmalloc(IOBUF);
        c.top_raw = &f.served;
        if (dk != ARC_DEC_NONE && (f.dec = arc_dec_new(dk))) {
            f.rawbuf = xmalloc(IOBUF);
            c.top_raw = &c.pipe_bytes; /* served counts decoded bytes */
        }
        open_r = feed_open(ar, &f);
    }

    int r = ARCHIVE_OK;
    struct archive_entry *e = NULL;
    int fh = first_header(ar, open_r, &r, &e);
    if (fh > 0 && external_filter(ar)) {
        char *qa = q(label);
        warnf(&c,
              "cannot read archive %s: its compression needs an external program, "
              "which duflame never runs",
              qa);
        free(qa);
        fh = -2;
    }
    if (fh == -1 && (says || s == SNIFF_STREAM || s == SNIFF_SEEK)) {
        /* it looked like an archive and is broken at its start */
        char *qa = q(label);
        const char *msg = archive_error_string(ar);
        warnf(&c, "cannot read archive %s: %s", qa, msg ? msg : "not an archive");
        free(qa);
        node->flags |= TREE_UNREADABLE;
    } else if (fh == 0 && says && archive_format(ar) == ARCHIVE_FORMAT_RAW) {
        char *qa = q(label);
        warnf(&c, "cannot read archive %s: not an archive duflame can read", qa);
        free(qa);
        node->flags |= TREE_UNREADABLE;
    }
    if (fh > 0) {
        uint64_t disk = node->w[TREE_W_DISK], apparent = node->w[TREE_W_APPARENT];
        uint64_t count = node->w[TREE_W_COUNT];
        node->flags |= TREE_ARCHIVE;
        node->w[TREE_W_DISK] = node->w[TREE_W_APPARENT] = 0;
        node->w[TREE_W_COUNT] = 0;
        struct level lv = {
            .c = &c, .ar = ar, .feed = &f, .node = node, .label = xstrdup(label), .depth = 1};
        read_entries(&lv, r, e);
        free(lv.label);
        if (mode == ARC_SCAN) {
            uint64_t extracted = apportion(node, disk, apparent);
            node->w[TREE_W_COUNT] = count;
            if (o->info)
                o->info(o->info_ctx, node, extracted, disk, apparent);
        }
    }
    archive_read_free(ar);
    arc_xz_stop(f.xz);
    arc_dec_free(f.dec);
    free(f.rawbuf);
    if (whole)
        whole_release(&c, &w);
    locale_leave(&lg);
    free(f.buf);
    free(head);
    pipe_rest(&c, src, regular, node, mode);
    return c.status;
}

int arc_fill_fd(int fd, const char *name, struct tree_node *node, struct tree_arena *a,
                enum arc_mode mode, const struct arc_opts *o)
{
    struct top_src src = {.fd = fd};
    return fill(&src, name, node, a, mode, o);
}

int arc_fill_memory(const void *buf, size_t len, const char *name, struct tree_node *node,
                    struct tree_arena *a, enum arc_mode mode, const struct arc_opts *o)
{
    struct top_src src = {.fd = -1, .mem = buf, .len = len};
    return fill(&src, name, node, a, mode, o);
}

struct tree *arc_load_memory(const void *buf, size_t len, const char *name,
                             const struct arc_opts *o, int *status)
{
    struct tree *t = tree_new(name ? name : "-", 3);
    t->wnames[TREE_W_DISK] = "disk";
    t->wnames[TREE_W_APPARENT] = "apparent";
    t->wnames[TREE_W_COUNT] = "count";
    t->root->flags = 0;
    int st = arc_fill_memory(buf, len, name, t->root, tree_main_arena(t), ARC_INPUT, o);
    if (!(t->root->flags & TREE_ARCHIVE)) {
        t->root->w[TREE_W_DISK] = t->root->w[TREE_W_APPARENT] = len;
        t->root->w[TREE_W_COUNT] = 1;
    }
    tree_finish(t);
    if (status)
        *status = st;
    return t;
}
