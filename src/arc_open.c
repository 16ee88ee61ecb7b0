/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_open: the outermost archive's head and reader (see include/arc_open.h) */
#include "arc_open.h"
#include "arc_xz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* read_fd_head: the first want bytes of fd into head (*hlen already
 * there); -1 on a read error (errno set) */
static int read_fd_head(struct arc_ctx *c, struct arc_top *t, size_t want)
{
    while (t->hlen < want) {
        size_t room = want - t->hlen;
        ssize_t n = t->regular ? pread(t->fd, t->head + t->hlen, room, (off_t)t->hlen)
                               : read(t->fd, t->head + t->hlen, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        t->hlen += (size_t)n;
        if (!t->regular)
            c->pipe_bytes += (uint64_t)n;
    }
    return 0;
}

int arc_top_head(struct arc_ctx *c, struct arc_top *t)
{
    if (t->mem) {
        c->file_size = t->len;
        t->hlen = t->len < ARC_HEAD_ISO ? t->len : ARC_HEAD_ISO;
        memcpy(t->head, t->mem, t->hlen);
        t->s = arc_sniff(t->head, t->hlen);
        return 0;
    }
    t->regular = fstat(t->fd, &t->st) == 0 && S_ISREG(t->st.st_mode);
    if (t->regular)
        c->file_size = (uint64_t)t->st.st_size;
    /* a scan looks at 4 KiB of each file (enough to peek into a gzip or xz
     * stream), more only for a start of zeros (iso9660) */
    size_t want = t->regular && t->mode == ARC_SCAN ? ARC_HEAD_PEEK : ARC_HEAD_ISO;
    if (read_fd_head(c, t, want) < 0 ||
        (want < ARC_HEAD_ISO && arc_sniff(t->head, t->hlen) == ARC_SNIFF_MORE &&
         read_fd_head(c, t, ARC_HEAD_ISO) < 0)) {
        char *qa = arc_quote(t->label);
        arc_warnf(c, "cannot read %s: %s", qa, strerror(errno));
        free(qa);
        return -1;
    }
    t->s = arc_sniff(t->head, t->hlen);
    return 0;
}

/* compressed_text: a scanned file, not named like an archive, whose gzip or
 * xz stream decodes to something that is no archive */
static bool compressed_text(const struct arc_top *t)
{
    if (t->s != ARC_SNIFF_STREAM || !t->regular || t->mode != ARC_SCAN || t->says)
        return false;
    unsigned char out[ARC_HEAD_SMALL];
    long got = arc_sniff_decoded_head(t->head, t->hlen, out, sizeof out);
    return got >= 0 && arc_sniff(out, (size_t)got) == ARC_SNIFF_NONE;
}

bool arc_top_offered(struct arc_ctx *c, struct arc_top *t, struct tree_node *node)
{
    if (compressed_text(t))
        return false;
    if (t->s == ARC_SNIFF_EXTERNAL) {
        arc_warn_external(c, t->label);
        return false;
    }
    /* a PATH given as input is always offered to libarchive (a zip behind
     * an executable stub is found), and so is a scanned file whose name
     * says archive */
    bool looks = t->s == ARC_SNIFF_STREAM || t->s == ARC_SNIFF_SEEK;
    if (t->hlen == 0 || (!looks && t->mode == ARC_SCAN && !t->says)) {
        if (t->says) {
            arc_warn_archive(c, t->label, "empty file");
            node->flags |= TREE_UNREADABLE;
        }
        return false;
    }
    return true;
}

/* threads for xz decoding: the online CPUs, at most 8 */
static unsigned cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

static int open_regular(struct arc_top *t)
{
    enum arc_dec_kind dk = arc_dec_kind(t->head, t->hlen);
    if (t->mode == ARC_INPUT && arc_sniff_is_xz(t->head, t->hlen) &&
        lseek(t->fd, 0, SEEK_SET) == 0 && (t->f.xz = arc_xz_start(t->fd, cpus()))) {
        /* the decompression is what takes the time: decoded on every core
         * while libarchive reads the tar stream */
        return arc_feed_open(t->ar, &t->f);
    }
    t->f.fd = t->fd;
    if (dk != ARC_DEC_NONE && lseek(t->fd, 0, SEEK_SET) == 0 && (t->f.dec = arc_dec_new(dk))) {
        /* decoded here, not by libarchive's filter: what was decoded before
         * a truncation reaches the tar reader (arc_dec.h) */
        return arc_feed_open(t->ar, &t->f);
    }
    t->f.seekable = lseek(t->fd, 0, SEEK_SET) == 0;
    return arc_feed_open(t->ar, &t->f);
}

/* hold_pipe: a zip or 7z on a pipe (head, then the rest of fd) into t->w */
static enum arc_whole_result hold_pipe(struct arc_ctx *c, struct arc_top *t)
{
    struct archive *pipe_ar = archive_read_new();
    if (!pipe_ar)
        return ARC_WHOLE_NO_MEMORY;
    struct arc_feed pf = {.c = c, .fd = t->fd, .pre = t->head, .pre_len = t->hlen};
    archive_read_support_format_raw(pipe_ar);
    archive_read_support_filter_none(pipe_ar);
    int pr = arc_feed_open(pipe_ar, &pf);
    struct archive_entry *pe;
    enum arc_whole_result wr = ARC_WHOLE_READ_ERROR;
    if (pr == ARCHIVE_OK && archive_read_next_header(pipe_ar, &pe) == ARCHIVE_OK)
        wr = arc_whole_read(c, pipe_ar, t->head, 0, -1, &t->w);
    archive_read_free(pipe_ar);
    arc_feed_release(&pf);
    return wr;
}

static int open_pipe_whole(struct arc_ctx *c, struct arc_top *t)
{
    enum arc_whole_result wr = hold_pipe(c, t);
    if (wr != ARC_WHOLE_OK) {
        arc_warn_archive(c, t->label,
                         wr == ARC_WHOLE_TOO_BIG     ? "it must be read whole and is larger than "
                                                       "--archive-memory and --archive-spool allow"
                         : wr == ARC_WHOLE_NO_MEMORY ? "out of memory"
                                                     : "read error");
        return ARC_TOP_NOT_OPENED;
    }
    t->whole = true;
    c->file_size = arc_whole_size(&t->w);
    return arc_whole_open(t->ar, &t->w, &t->f);
}

static int open_pipe(struct arc_ctx *c, struct arc_top *t)
{
    enum arc_dec_kind dk = arc_dec_kind(t->head, t->hlen);
    t->f.fd = t->fd;
    t->f.pre = t->head;
    t->f.pre_len = t->hlen;
    c->top_raw = &t->f.served;
    if (dk != ARC_DEC_NONE && (t->f.dec = arc_dec_new(dk)))
        c->top_raw = &c->pipe_bytes; /* served counts decoded bytes */
    return arc_feed_open(t->ar, &t->f);
}

int arc_top_open(struct arc_ctx *c, struct arc_top *t)
{
    t->f = (struct arc_feed){.c = c, .fd = -1};
    t->w = (struct arc_whole){.fd = -1};
    if (t->mem)
        return archive_read_open_memory(t->ar, t->mem, t->len);
    if (t->regular)
        return open_regular(t);
    if (t->s == ARC_SNIFF_SEEK)
        return open_pipe_whole(c, t);
    return open_pipe(c, t);
}

void arc_top_close(struct arc_ctx *c, struct arc_top *t)
{
    archive_read_free(t->ar);
    t->ar = NULL;
    arc_feed_release(&t->f);
    if (t->whole)
        arc_whole_release(c, &t->w);
    t->whole = false;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

void arc_top_changed(struct arc_ctx *c, const struct arc_top *t)
{
    struct stat now;
    if (!t->regular || fstat(t->fd, &now) < 0)
        return;
    if (now.st_size == t->st.st_size && same_time(&now.st_mtim, &t->st.st_mtim) &&
        same_time(&now.st_ctim, &t->st.st_ctim))
        return;
    char *qa = arc_quote(t->label);
    arc_warnf(c, "archive %s changed while it was read; what was read is kept", qa);
    free(qa);
}
