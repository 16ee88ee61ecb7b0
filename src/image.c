/* SPDX-License-Identifier: BSD-2-Clause */
/* image: a docker save tarball or an OCI image layout read layer by layer
 * (see include/image.h) */
#include "image.h"
#include "arc.h"
#include "arc_dec.h"
#include "arc_reader.h"
#include "arc_stored.h"
#include "diag.h"
#include "image_hash.h"
#include "image_jobs.h"
#include "image_tar.h"
#include "json.h"
#include "mapguard.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL_MEMBER (1u << 20) /* tar members held in memory */
#define MAX_DOC (16u << 20)     /* a layout directory's JSON files */
#define MAX_HOPS 16             /* symbolic links followed between members */
#define MAX_NEST 8              /* indexes within indexes */
#define IOBUF (1u << 20)

/* one member of an image tar */
struct member {
    char *name;
    char *link;          /* a symbolic link's target, resolved to a member name */
    unsigned char *data; /* small members; every member when the tar is in memory */
    bool owned;          /* data is a copy (else it points into the tar) */
    bool cut;            /* the tar broke inside its data: no digest checked */
    uint64_t size;
    unsigned char sha[32];
    bool hashed;
    bool is_layer;    /* read as a layer as it passed */
    long first_layer; /* the first layer of the plan that is this member, or -1 */
    int layer_r;      /* 0 read, -1 not a tar, 1 broken partway */
    char *err;
    struct image_layer layer;
};

/* messages held back, to be said in order later */
struct msgq {
    char **v;
    size_t n, cap;
};

struct rd {
    struct msgq *q; /* set: messages go here instead of to o->warn */
    const struct image_opts *o;
    struct image *im;
    int dirfd; /* a layout directory, or -1 */
    struct member *m;
    size_t nm, capm;
    uint64_t entries, bytes, max_entries, max_bytes;
    bool stopped;
    int status;
    char *qlabel; /* the image's name, quoted */
};

/* emit: msg said, or held in r->q */
static void emit(struct rd *r, const char *msg)
{
    if (!r->q) {
        r->o->warn(r->o->warn_ctx, msg);
        return;
    }
    if (r->q->n == r->q->cap) {
        r->q->cap = r->q->cap ? r->q->cap * 2 : 4;
        r->q->v = xreallocarray(r->q->v, r->q->cap, sizeof *r->q->v);
    }
    r->q->v[r->q->n++] = xstrdup(msg);
}

static void msgq_free(struct msgq *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->v[i]);
    free(q->v);
    memset(q, 0, sizeof *q);
}

/* flush: the messages held in q said, in order */
static void flush(struct rd *r, struct msgq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (r->o->warn)
            r->o->warn(r->o->warn_ctx, q->v[i]);
        free(q->v[i]);
    }
    free(q->v);
    memset(q, 0, sizeof *q);
}

static void say(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct rd *r, const char *fmt, ...)
{
    r->status = 1;
    if (!r->o->warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) >= 0) {
        char *msg = xasprintf("image '%s': %s", r->qlabel, s);
        emit(r, msg);
        free(msg);
        free(s);
    }
    va_end(ap);
}

static char *quote(const char *s)
{
    return diag_quote(s, strlen(s));
}

static void hex(const unsigned char sha[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", sha[i]);
}

/* ---- sniffing ------------------------------------------------------------- */

static bool is_hex64(const char *s, size_t n)
{
    if (n < 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

bool image_sniff_dir(const char *path)
{
    int d = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0)
        return false;
    struct stat st;
    bool blobs = fstatat(d, "blobs", &st, 0) == 0 && S_ISDIR(st.st_mode);
    bool yes = faccessat(d, "oci-layout", F_OK, 0) == 0 ||
               (blobs && (faccessat(d, "index.json", F_OK, 0) == 0 ||
                          faccessat(d, "manifest.json", F_OK, 0) == 0));
    close(d);
    return yes;
}

bool image_sniff_tar(const void *head, size_t len)
{
    const char *h = head;
    if (len < 512 || memcmp(h + 257, "ustar", 5) != 0)
        return false;
    char name[101];
    memcpy(name, h, 100);
    name[100] = 0;
    const char *n = name;
    if (strncmp(n, "./", 2) == 0)
        n += 2;
    if (!strcmp(n, "oci-layout") || !strcmp(n, "index.json") || !strcmp(n, "manifest.json") ||
        !strcmp(n, "repositories") || !strncmp(n, "blobs/", 6) || !strcmp(n, "blobs"))
        return true;
    /* docker save before version 25 (and skopeo's docker-archive): <id>/
     * directories, <id>.json configs, <id>.tar layers */
    size_t nl = strlen(n);
    return is_hex64(n, nl) &&
           (nl == 64 || n[64] == '/' || !strcmp(n + 64, ".json") || !strcmp(n + 64, ".tar"));
}

/* ---- layers: entries from a tar reader ---------------------------------- */

enum image_etype image_entry_type(struct archive_entry *e)
{
    if (archive_entry_hardlink(e))
        return IMAGE_HARDLINK;
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        return IMAGE_REG;
    case AE_IFDIR:
        return IMAGE_DIR;
    case AE_IFLNK:
        return IMAGE_SYMLINK;
    default:
        return IMAGE_OTHER;
    }
}

/* the bytes of a layer: from the outer tar as they pass, from a file or
 * from memory; hashed on the way (on the hash's thread), and decoded here
 * when they are gzip, xz or zstd, so that each entry's compressed bytes
 * are known (stored bytes: the checkpoints in map) */
struct feed {
    struct archive *outer; /* or NULL: fd, or mem when fd < 0 */
    int fd;
    const unsigned char *mem;
    size_t mem_len;
    unsigned char *buf; /* fd: raw bytes read */
    struct image_hash *hash;
    uint64_t n; /* raw bytes taken */
    bool failed, eof;
    /* decoding */
    bool sniffed;
    struct arc_dec *dec;
    unsigned char *out;
    const unsigned char *raw;
    size_t raw_len;
    uint64_t served;
    struct arc_map map;
};

/* raw_next: the next raw block into *p, *len (0 at the end); false on an
 * error (set in a) */
static bool raw_next(struct archive *a, struct feed *f, const unsigned char **p, size_t *len)
{
    *len = 0;
    if (f->eof)
        return true;
    if (f->outer) {
        const void *b;
        size_t sz;
        la_int64_t off;
        int x = archive_read_data_block(f->outer, &b, &sz, &off);
        if (x == ARCHIVE_EOF) {
            f->eof = true;
            return true;
        }
        if (x < ARCHIVE_WARN) {
            const char *m = archive_error_string(f->outer);
            archive_set_error(a, EIO, "%s", m ? m : "read error");
            f->failed = true;
            return false;
        }
        *p = b;
        *len = sz;
    } else if (f->fd < 0) {
        *p = f->mem;
        *len = f->mem_len;
        f->eof = true;
    } else {
        ssize_t n;
        do
            n = read(f->fd, f->buf, IOBUF);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            archive_set_error(a, errno, "%s", strerror(errno));
            f->failed = true;
            return false;
        }
        f->eof = n == 0;
        *p = f->buf;
        *len = (size_t)n;
    }
    if (f->hash)
        image_hash_put(f->hash, *p, *len);
    f->n += *len;
    return true;
}

/* feed_decoded: the next decoded bytes, a checkpoint every ARC_MAP_STEP */
static la_ssize_t feed_decoded(struct archive *a, struct feed *f, const void **out)
{
    size_t have = 0;
    for (;;) {
        if (!f->raw_len && !f->eof && !raw_next(a, f, &f->raw, &f->raw_len))
            return -1;
        bool end = false;
        const char *err = "corrupt data";
        size_t step = IOBUF - have < ARC_MAP_STEP ? IOBUF - have : ARC_MAP_STEP;
        ssize_t n =
            arc_dec_run(f->dec, &f->raw, &f->raw_len, f->eof, f->out + have, step, &end, &err);
        if (n < 0 && have)
            break;
        if (n < 0) {
            archive_set_error(a, EIO, "%s", err);
            return -1;
        }
        if (n > 0) {
            have += (size_t)n;
            arc_map_add(&f->map, f->served + have, f->n - f->raw_len);
        }
        if (have == IOBUF || end || (have && n == 0) || (!n && f->eof && !f->raw_len))
            break;
    }
    *out = f->out;
    f->served += have;
    return (la_ssize_t)have;
}

static la_ssize_t feed_read(struct archive *a, void *ctx, const void **out)
{
    struct feed *f = ctx;
    if (f->dec)
        return feed_decoded(a, f, out);
    const unsigned char *p;
    size_t len;
    if (!raw_next(a, f, &p, &len))
        return -1;
    if (!f->sniffed) {
        /* the first block says whether this is compressed */
        f->sniffed = true;
        enum arc_dec_kind k = arc_dec_kind(p, len);
        if (k != ARC_DEC_NONE && (f->dec = arc_dec_new(k)) != NULL &&
            (f->out = malloc(IOBUF)) != NULL) {
            f->raw = p;
            f->raw_len = len;
            return feed_decoded(a, f, out);
        }
        arc_dec_free(f->dec);
        f->dec = NULL;
    }
    *out = p;
    f->served += len;
    return (la_ssize_t)len;
}

/* feed_pos: where the reader's current header starts, in raw bytes */
static uint64_t feed_pos(struct feed *f, struct archive *ar)
{
    if (!f->dec && archive_filter_count(ar) > 1) {
        la_int64_t r = archive_filter_bytes(ar, -1);
        return r > 0 ? (uint64_t)r : 0;
    }
    la_int64_t p = archive_read_header_position(ar);
    uint64_t pos = p > 0 ? (uint64_t)p : 0;
    return f->dec ? arc_map_raw(&f->map, pos) : pos;
}

/* feed_drain: the rest of the bytes, for the hash */
static void feed_drain(struct feed *f)
{
    struct archive *dummy = archive_read_new();
    const unsigned char *p;
    size_t len;
    while (!f->failed && dummy && raw_next(dummy, f, &p, &len) && len)
        ;
    archive_read_free(dummy);
}

/* read_entries: the entries of an opened layer reader into l, each with the
 * raw bytes from its header to the next one (stored bytes). 0, -1 when it
 * is not a tar, 1 when it broke partway or a limit stopped it (*err says
 * why, NULL for a limit: the entry over the limit is the last one in l, so
 * that the sum in order stops at it or before) */
static int read_entries(struct image_lim *lim, struct archive *ar, struct feed *f,
                        struct image_layer *l, char **err)
{
    *err = NULL;
    uint64_t at = 0;
    for (bool first = true;; first = false) {
        struct archive_entry *e;
        int x = archive_read_next_header(ar, &e);
        if (x >= ARCHIVE_WARN || x == ARCHIVE_EOF) {
            uint64_t pos = feed_pos(f, ar);
            if (!first && l->n && pos > at)
                l->v[l->n - 1].stored = pos - at;
            if (first || pos > at)
                at = pos;
        }
        if (x == ARCHIVE_EOF)
            return 0;
        if (x < ARCHIVE_WARN) {
            const char *m = archive_error_string(ar);
            *err = xstrdup(m ? m : "unreadable");
            return first ? -1 : 1;
        }
        if (first && arc_reader_external(ar)) {
            *err = xstrdup("compressed with a filter that needs an external program");
            return -1;
        }
        enum image_etype t = image_entry_type(e);
        uint64_t size =
            t == IMAGE_REG && archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
        const char *p = archive_entry_pathname(e);
        if (!p)
            p = archive_entry_pathname_utf8(e);
        image_layer_add(l, p ? p : "?", t, size);
        if (++lim->entries > lim->max_entries || size > lim->max_bytes - lim->bytes)
            return 1;
        lim->bytes += size;
    }
}

/* read_layer_feed: a layer whose bytes come through f (hashed when f->hash) */
static int read_layer_feed(struct image_lim *lim, struct feed *f, struct image_layer *l, char **err)
{
    struct archive *ar = arc_reader_tar_new();
    int res = -1;
    *err = NULL;
    if (!ar) {
        *err = xstrdup("out of memory");
    } else if (archive_read_open(ar, f, NULL, feed_read, NULL) != ARCHIVE_OK) {
        const char *m = archive_error_string(ar);
        *err = xstrdup(m ? m : "not a tar");
        res = -1;
    } else {
        res = read_entries(lim, ar, f, l, err);
    }
    if (f->hash)
        feed_drain(f);
    if (ar)
        archive_read_free(ar);
    arc_dec_free(f->dec);
    free(f->out);
    f->dec = NULL;
    f->out = NULL;
    return res;
}

/* read_layer_hashed: read_layer_feed with the raw bytes' sha256 into sha
 * (false: it could not be had) */
static int read_layer_hashed(struct image_lim *lim, struct feed *f, bool async,
                             struct image_layer *l, char **err, unsigned char sha[32], bool *hashed)
{
    struct image_hash h;
    *hashed = false;
    if (!image_hash_start(&h, async)) {
        *err = xstrdup("out of memory");
        return -1;
    }
    f->hash = &h;
    int res = read_layer_feed(lim, f, l, err);
    *hashed = image_hash_end(&h, sha) && !f->failed;
    f->hash = NULL;
    return res;
}

static struct image_lim lim_new(const struct rd *r)
{
    return (struct image_lim){.max_entries = r->max_entries, .max_bytes = r->max_bytes};
}

/* ---- an image tar: one pass over its members ------------------------------ */

static char *clean_name(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    while (*p == '/')
        p++;
    char *s = xstrdup(p);
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        s[--n] = 0;
    return s;
}

/* link_target: a symbolic link member's target as a member name, or NULL
 * when it leaves the tar */
static char *link_target(const char *name, const char *target)
{
    if (target[0] == '/')
        return NULL;
    const char *slash = strrchr(name, '/');
    char *joined =
        slash ? xasprintf("%.*s/%s", (int)(slash - name), name, target) : xstrdup(target);
    /* resolve "." and ".." in place */
    char *out = xmalloc(strlen(joined) + 1);
    size_t on = 0;
    bool escaped = false;
    for (char *save = NULL, *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, "."))
            continue;
        if (!strcmp(c, "..")) {
            if (!on) {
                escaped = true;
                break;
            }
            while (on && out[on - 1] != '/')
                on--;
            if (on)
                on--;
            continue;
        }
        if (on)
            out[on++] = '/';
        size_t cl = strlen(c);
        memcpy(out + on, c, cl);
        on += cl;
    }
    out[on] = 0;
    free(joined);
    if (escaped) {
        free(out);
        return NULL;
    }
    return out;
}

static struct member *add_member(struct rd *r, const char *name)
{
    if (r->nm == r->capm) {
        r->capm = r->capm ? r->capm * 2 : 32;
        r->m = xreallocarray(r->m, r->capm, sizeof *r->m);
    }
    struct member *m = &r->m[r->nm++];
    memset(m, 0, sizeof *m);
    m->first_layer = -1;
    m->name = clean_name(name);
    return m;
}

static void read_small(struct archive *ar, struct member *m)
{
    m->data = xmalloc(m->size ? (size_t)m->size : 1);
    m->owned = true;
    size_t got = 0;
    while (got < m->size) {
        la_ssize_t n = archive_read_data(ar, m->data + got, (size_t)m->size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    m->size = got;
    EVP_Digest(m->data, got, m->sha, NULL, EVP_sha256(), NULL);
    m->hashed = true;
}

static void read_big(struct rd *r, struct archive *ar, struct member *m)
{
    struct feed f = {.outer = ar, .fd = -1};
    struct image_lim lim = lim_new(r);
    m->is_layer = true;
    m->layer_r = read_layer_hashed(&lim, &f, true, &m->layer, &m->err, m->sha, &m->hashed);
    m->size = f.n;
}

/* in_place: the data of the current member of a tar held in memory
 * (mem[0..len)), where it is when its blocks follow each other there (a
 * sparse member's blocks are copied one after the other) */
static void in_place(struct archive *ar, struct member *m, const unsigned char *mem, size_t len)
{
    const unsigned char *start = NULL;
    size_t got = 0, cap = 0;
    unsigned char *copy = NULL;
    for (;;) {
        const void *b;
        size_t sz;
        la_int64_t off;
        int x = archive_read_data_block(ar, &b, &sz, &off);
        if (x == ARCHIVE_EOF)
            break;
        if (x < ARCHIVE_WARN) {
            m->cut = true;
            break;
        }
        if (!sz)
            continue;
        uintptr_t p = (uintptr_t)b, lo = (uintptr_t)mem;
        bool inside = p >= lo && p - lo <= len && sz <= len - (p - lo);
        if (!copy && inside && (start ? b == start + got : true)) {
            if (!start)
                start = b;
            got += sz;
            continue;
        }
        if (!copy || got + sz > cap) {
            cap = (got + sz) * 2;
            unsigned char *c = xrealloc(copy, cap);
            if (!copy && got)
                memcpy(c, start, got);
            copy = c;
        }
        memcpy(copy + got, b, sz);
        got += sz;
    }
    m->data = copy ? copy : (unsigned char *)start;
    m->owned = copy != NULL;
    m->size = got;
}

/* scan_tar: every member of the image tar on fd (or in mem, when fd < 0);
 * false when it is no tar */
static bool scan_tar(struct rd *r, int fd, const unsigned char *mem, size_t len)
{
    struct archive *ar = archive_read_new();
    if (!ar)
        return false;
    archive_read_support_format_tar(ar);
    bool ok =
        (fd >= 0 ? archive_read_open_fd(ar, fd, IOBUF)
                 : archive_read_open_memory(ar, mem ? mem : (const void *)"", len)) == ARCHIVE_OK;
    for (bool first = true; ok; first = false) {
        struct archive_entry *e;
        int x = archive_read_next_header(ar, &e);
        if (x == ARCHIVE_EOF)
            break;
        if (x < ARCHIVE_WARN) {
            if (first) {
                ok = false;
                break;
            }
            const char *msg = archive_error_string(ar);
            say(r, "%s", msg ? msg : "the tar is broken");
            break;
        }
        const char *p = archive_entry_pathname(e);
        if (!p)
            continue;
        if (archive_entry_filetype(e) == AE_IFLNK && archive_entry_symlink(e)) {
            struct member *m = add_member(r, p);
            m->link = link_target(m->name, archive_entry_symlink(e));
            if (!m->link)
                m->link = xstrdup("/");
            continue;
        }
        if (archive_entry_hardlink(e)) {
            struct member *m = add_member(r, p);
            m->link = clean_name(archive_entry_hardlink(e));
            continue;
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        struct member *m = add_member(r, p);
        m->size = archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
        if (fd < 0)
            in_place(ar, m, mem, len);
        else if (m->size <= SMALL_MEMBER)
            read_small(ar, m);
        else
            read_big(r, ar, m);
    }
    archive_read_free(ar);
    return ok;
}

/* find: the member called name, symbolic links followed; *loop when they
 * go round */
static struct member *find(struct rd *r, const char *name, bool *loop)
{
    *loop = false;
    char *want = clean_name(name);
    struct member *found = NULL;
    for (int hop = 0; hop <= MAX_HOPS && !found; hop++) {
        struct member *m = NULL;
        for (size_t i = r->nm; i-- > 0;)
            if (!strcmp(r->m[i].name, want)) {
                m = &r->m[i];
                break;
            }
        if (!m)
            break;
        if (!m->link) {
            found = m;
            break;
        }
        free(want);
        want = xstrdup(m->link);
        if (hop == MAX_HOPS)
            *loop = true;
    }
    free(want);
    return found;
}

/* ---- blobs: a member of the tar or a file of the directory ---------------- */

/* blob_path: "blobs/ALG/HEX" for a digest "ALG:HEX" whose characters are
 * safe for a path, else NULL */
static char *blob_path(const char *digest)
{
    const char *colon = digest ? strchr(digest, ':') : NULL;
    if (!colon || colon == digest || !colon[1])
        return NULL;
    for (const char *c = digest; *c; c++)
        if (c != colon && !((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '+' ||
                            *c == '.' || *c == '_' || *c == '-' || *c == '='))
            return NULL;
    if (digest[0] == '.' || colon[1] == '.')
        return NULL;
    return xasprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

/* read_doc: a JSON document of the image: member or file name */
static char *read_doc(struct rd *r, const char *name, size_t *len, bool *missing, bool *loop)
{
    *missing = *loop = false;
    if (r->dirfd < 0) {
        struct member *m = find(r, name, loop);
        if (!m || m->is_layer || m->size > SMALL_MEMBER) {
            *missing = !*loop && !m;
            if (m)
                *missing = true; /* larger than any document read */
            return NULL;
        }
        *len = (size_t)m->size;
        return xmemdup(m->data ? m->data : (const unsigned char *)"", (size_t)m->size);
    }
    int fd = openat(r->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_DOC) {
        *loop = errno == ELOOP;
        *missing = !*loop;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = 0;
    *len = got;
    return buf;
}

/* parse_doc: the JSON document name, or NULL (said) */
static struct json_value *parse_doc(struct rd *r, const char *name, const char *what)
{
    size_t len = 0;
    bool missing, loop;
    char *buf = read_doc(r, name, &len, &missing, &loop);
    char *q = quote(name);
    struct json_value *v = NULL;
    if (!buf) {
        say(r, "%s '%s' %s", what, q,
            loop ? "is a loop of symbolic links" : "is missing from the image");
    } else {
        char err[160];
        v = json_parse(buf, len, err, sizeof err);
        if (!v)
            say(r, "%s '%s' is not JSON: %s", what, q, err);
        free(buf);
    }
    free(q);
    return v;
}

/* ---- what the manifest says ------------------------------------------------ */

struct ref {
    char *name;   /* member or blob path */
    char *digest; /* expected "sha256:HEX", NULL: not known */
    uint64_t size;
    bool has_size;
};

struct plan {
    struct ref *layers;
    size_t n;
    char *config;
    char *config_digest;
};

static void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->layers[i].name);
        free(p->layers[i].digest);
    }
    free(p->layers);
    free(p->config);
    free(p->config_digest);
    memset(p, 0, sizeof *p);
}

static bool plan_docker(struct rd *r, const struct json_value *man, struct plan *p)
{
    const struct json_value *img = json_at(man, 0);
    const struct json_value *layers = json_get(img, "Layers");
    const char *config = json_get_str(img, "Config");
    if (!img || !layers || layers->type != JSON_ARRAY) {
        say(r, "manifest.json names no layers");
        return false;
    }
    p->config = config ? xstrdup(config) : NULL;
    p->layers = xcalloc(layers->n ? layers->n : 1, sizeof *p->layers);
    for (size_t i = 0; i < layers->n; i++) {
        const char *s = json_str(&layers->items[i]);
        if (!s) {
            say(r, "manifest.json: layer %zu is not a name", i + 1);
            continue;
        }
        struct ref *f = &p->layers[p->n++];
        f->name = xstrdup(s);
        /* docker 25 and later store layers by digest */
        if (!strncmp(s, "blobs/sha256/", 13) && is_hex64(s + 13, strlen(s + 13)))
            f->digest = xasprintf("sha256:%s", s + 13);
    }
    return true;
}

static bool descriptor(struct rd *r, const struct json_value *d, struct ref *f, const char *what)
{
    const char *digest = json_get_str(d, "digest");
    char *path = blob_path(digest);
    if (!path) {
        say(r, "%s has no usable digest", what);
        return false;
    }
    f->name = path;
    f->digest = xstrdup(digest);
    f->has_size = json_uint(json_get(d, "size"), &f->size);
    return true;
}

/* plan_oci: from an index (or a manifest it names), recursively */
static bool plan_oci(struct rd *r, const struct json_value *doc, struct plan *p, char **seen,
                     unsigned depth)
{
    const struct json_value *mans = json_get(doc, "manifests");
    if (mans) {
        const struct json_value *d = json_at(mans, 0);
        struct ref f = {0};
        if (!d) {
            say(r, "the index names no manifest");
            return false;
        }
        if (!descriptor(r, d, &f, "the index's first manifest"))
            return false;
        bool ok = false;
        for (unsigned i = 0; i < depth; i++)
            if (!strcmp(seen[i], f.digest)) {
                char *q = quote(f.digest);
                say(r, "index '%s' names itself: a loop", q);
                free(q);
                goto out;
            }
        if (depth >= MAX_NEST) {
            say(r, "indexes nested deeper than %d", MAX_NEST);
            goto out;
        }
        struct json_value *sub = parse_doc(r, f.name, "manifest");
        if (sub) {
            seen[depth] = f.digest;
            ok = plan_oci(r, sub, p, seen, depth + 1);
            json_free(sub);
        }
    out:
        free(f.name);
        free(f.digest);
        return ok;
    }
    const struct json_value *layers = json_get(doc, "layers");
    if (!layers || layers->type != JSON_ARRAY) {
        say(r, "the manifest names no layers");
        return false;
    }
    struct ref c = {0};
    if (json_get(doc, "config") && descriptor(r, json_get(doc, "config"), &c, "the config")) {
        p->config = c.name;
        p->config_digest = c.digest;
    }
    p->layers = xcalloc(layers->n ? layers->n : 1, sizeof *p->layers);
    for (size_t i = 0; i < layers->n; i++) {
        char what[48];
        snprintf(what, sizeof what, "layer %zu", i + 1);
        if (descriptor(r, &layers->items[i], &p->layers[p->n], what))
            p->n++;
    }
    return true;
}

static bool make_plan(struct rd *r, struct plan *p)
{
    size_t len;
    bool missing, loop;
    char *buf = read_doc(r, "manifest.json", &len, &missing, &loop);
    const char *top = "manifest.json";
    if (!buf) {
        buf = read_doc(r, "index.json", &len, &missing, &loop);
        top = "index.json";
    }
    if (!buf)
        return false;
    char err[160];
    struct json_value *v = json_parse(buf, len, err, sizeof err);
    free(buf);
    if (!v) {
        say(r, "%s is not JSON: %s", top, err);
        return true; /* an image all the same: nothing drawn */
    }
    if (!strcmp(top, "manifest.json")) {
        plan_docker(r, v, p);
    } else {
        char *seen[MAX_NEST];
        plan_oci(r, v, p, seen, 0);
    }
    json_free(v);
    return true;
}

/* history: the commands of the layers that are not empty, from the config */
static void history(struct rd *r, const struct plan *p, char ***cmds, size_t *ncmds,
                    char ***diff_ids, size_t *ndiff)
{
    *cmds = *diff_ids = NULL;
    *ncmds = *ndiff = 0;
    if (!p->config)
        return;
    struct json_value *c = parse_doc(r, p->config, "config");
    if (!c)
        return;
    const struct json_value *h = json_get(c, "history");
    *cmds = xcalloc(json_array_len(h) + 1, sizeof **cmds);
    for (size_t i = 0; i < json_array_len(h); i++) {
        const struct json_value *e = json_at(h, i);
        const struct json_value *empty = json_get(e, "empty_layer");
        if (empty && empty->type == JSON_BOOL && empty->b)
            continue;
        const char *cb = json_get_str(e, "created_by");
        (*cmds)[(*ncmds)++] = cb ? xstrdup(cb) : NULL;
    }
    const struct json_value *ids = json_get(json_get(c, "rootfs"), "diff_ids");
    *diff_ids = xcalloc(json_array_len(ids) + 1, sizeof **diff_ids);
    for (size_t i = 0; i < json_array_len(ids); i++) {
        const char *s = json_str(json_at(ids, i));
        (*diff_ids)[(*ndiff)++] = s ? xstrdup(s) : NULL;
    }
    json_free(c);
}

/* ---- one layer ------------------------------------------------------------- */

/* check: a blob's size and sha256 against what the manifest says */
static void check(struct rd *r, unsigned i, const struct ref *f, const unsigned char sha[32],
                  uint64_t size, const char *diff_id)
{
    char got[72] = "sha256:";
    hex(sha, got + 7);
    const char *want = f->digest;
    if (!want && diff_id && !strncmp(diff_id, "sha256:", 7))
        want = diff_id; /* an uncompressed docker layer: its diff_id */
    char *q = quote(f->name);
    if (f->has_size && f->size != size)
        say(r, "layer %u '%s': %llu bytes, the manifest says %llu", i + 1, q,
            (unsigned long long)size, (unsigned long long)f->size);
    else if (want && !strncmp(want, "sha256:", 7) && strcmp(want, got) != 0)
        say(r, "layer %u '%s': digest mismatch: the manifest says %s, the blob is %s", i + 1, q,
            want, got);
    free(q);
}

/* ---- the layers: read and hashed on threads, applied in order ------------- */

enum lj_state { LJ_READ, LJ_MISSING, LJ_LOOP, LJ_MEMBER };

/* one layer of the plan: where its bytes are, then what reading them gave.
 * Its two jobs (2i: the entries, 2i + 1: the sha256) write only the
 * results below; the applying thread reads them once both have run. */
struct lj {
    const struct ref *f;
    const char *lname; /* the layer's name in a limit's message */
    enum lj_state state;
    struct member *m;         /* a tar's member */
    const unsigned char *mem; /* the blob's bytes, or NULL: read from its file */
    size_t len;               /* of mem, or the file's size */
    const unsigned char *map; /* a directory's blob mapped: mem */
    bool plain;               /* mem is a plain tar: image_tar may read it */
    long dup;                 /* an earlier layer of the same blob (its results), or -1 */
    bool keep;                /* a later layer is a dup of this one: l kept */
    bool taken;               /* its entries were applied: its digest is still to check */
    const char *diff_id;      /* the config's diff_id for it, or NULL */
    struct msgq pre, post;    /* its messages before and after the digest's */
    struct image_layer l;
    int res;
    char *err;
    unsigned char sha[32];
    bool hashed;
    uint64_t stored;
};

struct ljs {
    struct lj *v;
    size_t n;
    int dirfd;
    struct image_lim lim;
};

/* layer_cut: l without its entries from k on */
static void layer_cut(struct image_layer *l, size_t k)
{
    for (size_t x = k; x < l->n; x++)
        free(l->v[x].path);
    l->n = k;
    l->bytes = 0;
    for (size_t x = 0; x < k; x++)
        if (l->v[x].type == IMAGE_REG)
            l->bytes = l->bytes > UINT64_MAX - l->v[x].size ? UINT64_MAX : l->bytes + l->v[x].size;
}

static void layer_copy(struct image_layer *to, const struct image_layer *from)
{
    for (size_t k = 0; k < from->n; k++) {
        image_layer_add(to, from->v[k].path, from->v[k].type, from->v[k].size);
        to->v[to->n - 1].stored = from->v[k].stored;
    }
}

/* lj_file: a directory's blob that is not mapped, read from its file */
static void lj_file(const struct ljs *c, struct lj *j, struct image_lim *lim)
{
    int fd = openat(c->dirfd, j->f->name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        j->res = -1;
        j->err = xstrdup(strerror(errno));
        return;
    }
    struct feed fe = {.fd = fd, .buf = xmalloc(IOBUF)};
    j->res = read_layer_hashed(lim, &fe, j->len > SMALL_MEMBER, &j->l, &j->err, j->sha, &j->hashed);
    j->stored = fe.n;
    close(fd);
    free(fe.buf);
}

/* plain_tar: libarchive reads mem[0..len) as a tar with no filter (no
 * compression it would undo), its first header read: image_tar may try */
static bool plain_tar(const unsigned char *mem, size_t len)
{
    if (arc_dec_kind(mem, len) != ARC_DEC_NONE)
        return false;
    struct archive *ar = arc_reader_tar_new();
    struct archive_entry *e;
    bool yes = ar && archive_read_open_memory(ar, mem, len) == ARCHIVE_OK &&
               archive_read_next_header(ar, &e) == ARCHIVE_OK && archive_filter_count(ar) == 1;
    if (ar)
        archive_read_free(ar);
    return yes;
}

/* lj_run: job k, on any thread: layer k / 2's entries, or its sha256 */
static void lj_run(void *ctx, size_t k)
{
    struct ljs *c = ctx;
    struct lj *j = &c->v[k / 2];
    if (j->state != LJ_READ || j->dup >= 0)
        return;
    if (k % 2) {
        if (j->mem)
            j->hashed = EVP_Digest(j->mem, j->len, j->sha, NULL, EVP_sha256(), NULL) == 1;
        return;
    }
    struct image_lim lim = c->lim;
    if (!j->mem) {
        lj_file(c, j, &lim);
        return;
    }
    j->stored = j->len;
    if (j->plain) {
        enum image_tar_result t = image_tar_read(j->mem, j->len, &lim, &j->l);
        if (t != IMAGE_TAR_UNKNOWN) {
            j->res = t == IMAGE_TAR_LIMIT;
            return;
        }
        lim = c->lim;
    }
    struct feed f = {.fd = -1, .mem = j->mem, .mem_len = j->len};
    j->res = read_layer_feed(&lim, &f, &j->l, &j->err);
}

/* lj_tar: layer j's member of the image tar */
static void lj_tar(struct rd *r, struct lj *j, long i)
{
    bool loop;
    struct member *m = find(r, j->f->name, &loop);
    if (!m) {
        j->state = loop ? LJ_LOOP : LJ_MISSING;
        return;
    }
    j->m = m;
    j->lname = m->name;
    if (m->is_layer) {
        j->state = LJ_MEMBER;
        return;
    }
    if (m->first_layer >= 0) {
        j->dup = m->first_layer;
        return;
    }
    m->first_layer = i;
    j->mem = m->data ? m->data : (const unsigned char *)"";
    j->len = (size_t)m->size;
}

/* lj_dir: layer j's blob in a layout directory, mapped when it can be */
static void lj_dir(struct rd *r, struct lj *j)
{
    j->lname = j->f->name;
    int fd = openat(r->dirfd, j->f->name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        j->state = fd < 0 && e == ELOOP ? LJ_LOOP : LJ_MISSING;
        return;
    }
    j->len = (uint64_t)st.st_size <= SIZE_MAX ? (size_t)st.st_size : SIZE_MAX;
    if (!st.st_size) {
        j->mem = (const unsigned char *)"";
    } else if ((uint64_t)st.st_size <= SIZE_MAX) {
        const unsigned char *p = mapguard_map(fd, (size_t)st.st_size);
        if (p) {
            j->map = p;
            j->mem = p;
        }
    }
    close(fd);
}

static int by_name(const void *a, const void *b)
{
    const struct lj *x = *(const struct lj *const *)a, *y = *(const struct lj *const *)b;
    int c = strcmp(x->f->name, y->f->name);
    return c ? c : (x < y ? -1 : x > y);
}

/* lj_dir_dups: each layer naming a blob an earlier layer names is a dup */
static void lj_dir_dups(struct lj *v, size_t n)
{
    struct lj **s = xcalloc(n ? n : 1, sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = &v[i];
    qsort(s, n, sizeof *s, by_name);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(s[i]->f->name, s[i - 1]->f->name))
            s[i]->dup = s[i - 1]->dup >= 0 ? s[i - 1]->dup : s[i - 1] - v;
    free(s);
}

/* lj_plan: where each layer's bytes are (on this thread, before the jobs) */
static void lj_plan(struct rd *r, struct ljs *c, const struct plan *p, size_t n)
{
    c->v = xcalloc(n ? n : 1, sizeof *c->v);
    c->n = n;
    c->dirfd = r->dirfd;
    c->lim = lim_new(r);
    for (size_t i = 0; i < n; i++) {
        c->v[i].f = &p->layers[i];
        c->v[i].dup = -1;
    }
    if (r->dirfd >= 0)
        lj_dir_dups(c->v, n);
    for (size_t i = 0; i < n; i++) {
        struct lj *j = &c->v[i];
        if (r->dirfd < 0)
            lj_tar(r, j, (long)i);
        else if (j->dup < 0)
            lj_dir(r, j);
        if (j->dup >= 0)
            c->v[j->dup].keep = true;
        else if (j->state == LJ_READ && j->mem)
            j->plain = plain_tar(j->mem, j->len);
    }
}

/* layer_limits: l's entries added to the image's counts in order; at the
 * first one over a limit l is cut there, that is said and the reading
 * stops */
static bool layer_limits(struct rd *r, const char *lname, struct image_layer *l)
{
    for (size_t k = 0; k < l->n; k++) {
        uint64_t size = l->v[k].size;
        if (++r->entries > r->max_entries || size > r->max_bytes - r->bytes) {
            char *q = quote(lname);
            say(r, "layer '%s': the image holds more than %s; stopped there", q,
                r->entries > r->max_entries ? "--archive-entries entries"
                                            : "--archive-bytes extracted bytes");
            free(q);
            r->stopped = true;
            layer_cut(l, k);
            return true;
        }
        r->bytes += size;
    }
    return false;
}

/* lj_take: layer i's entries (its first job done) into l, what was wrong
 * said; the digest is checked by lj_finish */
static void lj_take(struct rd *r, struct ljs *c, unsigned i, struct image_layer *l)
{
    struct lj *j = &c->v[i];
    const struct lj *s = j->dup >= 0 ? &c->v[j->dup] : j;
    char *q = quote(j->f->name);
    if (s->state == LJ_MISSING || s->state == LJ_LOOP) {
        say(r, "layer %u '%s' %s", i + 1, q,
            s->state == LJ_LOOP ? "is a loop of symbolic links" : "is missing from the image");
        free(q);
        return;
    }
    const struct member *m = s->state == LJ_MEMBER ? s->m : NULL;
    if (m)
        layer_copy(l, &m->layer); /* a layer listed twice is applied twice */
    else if (j->dup >= 0 || j->keep)
        layer_copy(l, &s->l);
    else
        *l = j->l, memset(&j->l, 0, sizeof j->l);
    int res = m ? m->layer_r : s->res;
    const char *err = m ? m->err : s->err;
    if (!layer_limits(r, s->lname, l)) {
        if (res < 0)
            say(r, "layer %u '%s' is not a tar: %s", i + 1, q, err ? err : "unreadable");
        else if (res > 0 && err)
            say(r, "layer %u '%s': %s; what was read is kept", i + 1, q, err);
    }
    r->im->layers[i].stored = m ? m->size : s->stored;
    j->taken = true;
    free(q);
}

/* lj_finish: layer i's messages said in order, its digest checked between
 * them (its second job done) */
static void lj_finish(struct rd *r, struct ljs *c, unsigned i)
{
    struct lj *j = &c->v[i];
    const struct lj *s = j->dup >= 0 ? &c->v[j->dup] : j;
    flush(r, &j->pre);
    if (j->taken && s->state != LJ_MISSING && s->state != LJ_LOOP) {
        const struct member *m = s->state == LJ_MEMBER ? s->m : NULL;
        if (m ? m->hashed : s->hashed && !(s->m && s->m->cut))
            check(r, i, j->f, m ? m->sha : s->sha, r->im->layers[i].stored, j->diff_id);
    }
    /* a layer not taken (a limit stopped the image) may still be in a
     * job's hands: lj_release unmaps it once the jobs have ended */
    bool cut = false;
    if (j->taken && j->map) {
        cut = mapguard_unmap(j->map, j->len);
        j->map = NULL;
    }
    if (cut) {
        char *q = quote(j->f->name);
        say(r, "layer %u '%s' was cut short while it was read; what was read is kept", i + 1, q);
        free(q);
    }
    flush(r, &j->post);
}

/* lj_finish_ready: the layers from fin on, below upto, finished in order
 * while their hash is done (all: waiting for it); the next one to finish */
static size_t lj_finish_ready(struct rd *r, struct ljs *c, struct image_jobs *jobs, size_t fin,
                              size_t upto, bool all)
{
    for (; fin < upto; fin++) {
        if (c->v[fin].taken) {
            if (!jobs)
                lj_run(c, 2 * fin + 1);
            else if (all)
                image_jobs_wait(jobs, 2 * fin + 1);
            else if (!image_jobs_done(jobs, 2 * fin + 1))
                break;
        }
        lj_finish(r, c, (unsigned)fin);
        if (jobs)
            image_jobs_release(jobs, 2 * fin + 1);
    }
    return fin;
}

/* lj_threads: the threads reading layers besides the applying one */
static unsigned lj_threads(const struct image_opts *o)
{
    if (o->threads)
        return o->threads > 16 ? 16 : o->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 4 ? 4 : (unsigned)n;
}

static void lj_release(struct ljs *c)
{
    for (size_t i = 0; i < c->n; i++) {
        image_layer_release(&c->v[i].l);
        free(c->v[i].err);
        msgq_free(&c->v[i].pre);
        msgq_free(&c->v[i].post);
        if (c->v[i].map)
            mapguard_unmap(c->v[i].map, c->v[i].len);
    }
    free(c->v);
}

/* ---- the image ------------------------------------------------------------- */

static void fs_warn(void *ctx, const char *msg)
{
    struct rd *r = ctx;
    r->status = 1;
    if (r->o->warn)
        emit(r, msg);
}

static uint64_t dir_blob_bytes(int top)
{
    uint64_t sum = 0;
    int b = openat(top, "blobs", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = b >= 0 ? fdopendir(b) : NULL;
    if (!d) {
        if (b >= 0)
            close(b);
        return 0;
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        int a = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        DIR *ad = a >= 0 ? fdopendir(a) : NULL;
        if (!ad) {
            if (a >= 0)
                close(a);
            continue;
        }
        struct stat st;
        for (struct dirent *f; (f = readdir(ad));)
            if (f->d_name[0] != '.' &&
                fstatat(dirfd(ad), f->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                sum += (uint64_t)st.st_size;
        closedir(ad);
    }
    closedir(d);
    return sum;
}

/* apply_alone: layer i alone (what it adds; its whiteouts remove nothing
 * there) as "layer-N" below parent; its node is returned */
static struct tree_node *apply_alone(struct rd *r, struct image *im, unsigned i,
                                     struct image_layer *l, struct tree_node *parent,
                                     struct tree_arena *a)
{
    char name[32];
    snprintf(name, sizeof name, "layer-%u", i + 1);
    struct tree_node *n = tree_child(a, parent, name, strlen(name), NULL);
    n->flags |= TREE_DIR;
    tree_set_w(n, TREE_W_COUNT, 1);
    struct image_fs one;
    image_fs_init(&one, n, a, im->label, r->o->layers_parent ? NULL : fs_warn, r);
    image_fs_apply(&one, l, 0);
    image_fs_end(&one);
    image_fs_release(&one);
    return n;
}

static void apply(struct rd *r, struct image *im, unsigned i, struct image_layer *l,
                  struct tree_arena *a)
{
    im->layers[i].bytes = l->bytes;
    im->layers[i].entries = l->n;
    if (im->layers_node)
        im->layers[i].node = apply_alone(r, im, i, l, im->layers_node, r->o->layers_arena);
    if (!im->by_layer)
        image_fs_apply(&im->fs, l, i);
    else
        im->layers[i].node = apply_alone(r, im, i, l, im->node, a);
}

static void read_image(struct rd *r, struct image *im, struct tree_arena *a, image_node_fn node_fn,
                       void *node_ctx)
{
    struct plan p = {0};
    if (!make_plan(r, &p)) {
        r->status = -1;
        return;
    }
    im->node = node_fn(node_ctx);
    im->node->flags |= TREE_DIR;
    if (r->o->layers_parent && !im->by_layer) {
        im->layers_node =
            tree_add(r->o->layers_arena, r->o->layers_parent, im->node->name, im->node->len);
        im->layers_node->flags |= TREE_DIR;
    }
    image_fs_init(&im->fs, im->node, a, im->label, fs_warn, r);
    char **cmds, **diff_ids;
    size_t ncmds, ndiff;
    history(r, &p, &cmds, &ncmds, &diff_ids, &ndiff);
    if (p.n > IMAGE_MAX_LAYERS) {
        say(r, "more than %d layers: the first %d read", IMAGE_MAX_LAYERS, IMAGE_MAX_LAYERS);
        p.n = IMAGE_MAX_LAYERS;
    }
    im->nlayers = p.n;
    im->layers = xcalloc(p.n ? p.n : 1, sizeof *im->layers);
    struct ljs c;
    lj_plan(r, &c, &p, p.n);
    struct image_jobs jobs;
    unsigned nth = lj_threads(r->o);
    bool threaded = image_jobs_start(&jobs, 2 * p.n, nth, 2 * (nth + 2), lj_run, &c);
    /* layer i is applied once its entries are read; its messages are held
     * until its digest is checked too (lj_finish, in order), so that the
     * applying thread does not wait for the hash */
    size_t fin = 0;
    for (unsigned i = 0; i < p.n; i++) {
        struct image_layer l = {0};
        c.v[i].diff_id = i < ndiff ? diff_ids[i] : NULL;
        im->layers[i].name = xstrdup(p.layers[i].digest ? p.layers[i].digest : p.layers[i].name);
        im->layers[i].created_by = i < ncmds && cmds[i] ? xstrdup(cmds[i]) : NULL;
        if (!r->stopped) {
            if (threaded)
                image_jobs_wait(&jobs, 2 * i);
            else
                lj_run(&c, 2 * i);
            r->q = &c.v[i].pre;
            lj_take(r, &c, i, &l);
        }
        r->q = &c.v[i].post;
        apply(r, im, i, &l, a);
        r->q = NULL;
        image_layer_release(&l);
        fin = lj_finish_ready(r, &c, threaded ? &jobs : NULL, fin, i + 1, false);
    }
    lj_finish_ready(r, &c, threaded ? &jobs : NULL, fin, p.n, true);
    if (threaded)
        image_jobs_end(&jobs);
    lj_release(&c);
    for (size_t i = 0; i < ncmds; i++)
        free(cmds[i]);
    for (size_t i = 0; i < ndiff; i++)
        free(diff_ids[i]);
    free(cmds);
    free(diff_ids);
    plan_release(&p);
}

/* stored_overhead: what of the image's stored bytes no entry kept (its
 * manifest, config and index, the tar's headers, whiteouts, what later
 * layers replaced or removed, each layer's end) becomes its
 * "(archive overhead)" child, so that its stored total is its size */
static void stored_overhead(struct tree_node *node, uint64_t total, struct tree_arena *a)
{
    uint64_t kept = 0;
    struct tree_iter it;
    tree_iter_init(&it, node);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t w = tree_w(n, TREE_W_STORED);
        kept = kept > UINT64_MAX - w ? UINT64_MAX : kept + w;
    }
    if (kept > total)
        tree_share_stored(node, total);
    else if (kept < total)
        tree_add_overhead(a, node, total - kept);
}

/* wasted_by_layer: each layer's bytes that later layers replace or remove */
static void wasted_by_layer(struct image *im)
{
    for (size_t k = 0; k < im->fs.nwaste; k++)
        if (im->fs.waste[k].layer < im->nlayers)
            im->layers[im->fs.waste[k].layer].wasted += im->fs.waste[k].bytes;
}

/* fill: the image of a layout directory (dirfd), a tar on fd, or a tar in mem */
static int fill(const char *label, int fd, bool dir, const void *mem, uint64_t size,
                image_node_fn node_fn, void *node_ctx, struct tree_arena *a,
                const struct image_opts *o, struct image **out)
{
    struct rd r = {.o = o, .dirfd = dir ? fd : -1, .qlabel = quote(label)};
    struct image *im = xcalloc(1, sizeof *im);
    im->label = xstrdup(label);
    im->by_layer = o->by_layer;
    r.im = im;
    r.max_entries = o->max_entries ? o->max_entries : ARC_DEFAULT_ENTRIES;
    im->stored = dir ? dir_blob_bytes(fd) : size;
    r.max_bytes = o->max_bytes;
    if (!r.max_bytes) {
        uint64_t ratio = im->stored > UINT64_MAX / ARC_DEFAULT_BYTES_RATIO
                             ? UINT64_MAX
                             : im->stored * ARC_DEFAULT_BYTES_RATIO;
        r.max_bytes = ratio > ARC_DEFAULT_BYTES_MIN ? ratio : ARC_DEFAULT_BYTES_MIN;
    }
    int res = -1;
    if (dir || scan_tar(&r, fd, mem, (size_t)size)) {
        read_image(&r, im, a, node_fn, node_ctx);
        if (r.status >= 0) {
            if (!im->by_layer)
                image_fs_end(&im->fs);
            wasted_by_layer(im);
            stored_overhead(im->node, im->stored, a);
            if (im->layers_node)
                stored_overhead(im->layers_node, im->stored, o->layers_arena);
            res = r.status;
        }
    }
    for (size_t i = 0; i < r.nm; i++) {
        free(r.m[i].name);
        free(r.m[i].link);
        if (r.m[i].owned)
            free(r.m[i].data);
        free(r.m[i].err);
        image_layer_release(&r.m[i].layer);
    }
    free(r.m);
    free(r.qlabel);
    if (res < 0) {
        image_free(im);
        return -1;
    }
    *out = im;
    return res;
}

int image_fill(const char *path, bool dir, image_node_fn node_fn, void *node_ctx,
               struct tree_arena *a, const struct image_opts *o, struct image **out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (dir ? O_DIRECTORY : O_NONBLOCK));
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (o->warn) {
            char *q = quote(path);
            char *msg = xasprintf("cannot read '%s': %s", q, strerror(e));
            o->warn(o->warn_ctx, msg);
            free(msg);
            free(q);
        }
        if (fd >= 0)
            close(fd);
        return -2;
    }
    /* a tar is read where it lies, mapped; from its descriptor when that fails */
    const unsigned char *map = NULL;
    if (!dir && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= SIZE_MAX)
        map = mapguard_map(fd, (size_t)st.st_size);
    int res = map ? fill(path, -1, false, map, (uint64_t)st.st_size, node_fn, node_ctx, a, o, out)
                  : fill(path, fd, dir, NULL, (uint64_t)st.st_size, node_fn, node_ctx, a, o, out);
    if (map && mapguard_unmap(map, (size_t)st.st_size)) {
        if (o->warn) {
            char *q = quote(path);
            char *msg = xasprintf("'%s' was cut short while it was read; what was read is kept", q);
            o->warn(o->warn_ctx, msg);
            free(msg);
            free(q);
        }
        if (res == 0)
            res = 1;
    }
    close(fd);
    return res;
}

int image_fill_memory(const void *buf, size_t len, const char *label, image_node_fn node_fn,
                      void *node_ctx, struct tree_arena *a, const struct image_opts *o,
                      struct image **out)
{
    *out = NULL;
    return fill(label, -1, false, buf, len, node_fn, node_ctx, a, o, out);
}

void image_free(struct image *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->nlayers; i++) {
        free(im->layers[i].name);
        free(im->layers[i].created_by);
    }
    free(im->layers);
    image_fs_release(&im->fs);
    free(im->label);
    free(im);
}
