/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_feed: the bytes a libarchive reader reads (see include/arc_feed.h) */
#include "arc_feed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* buffers: the feed's buffers, a reader error when they cannot be had */
static bool buffers(struct archive *ar, struct arc_feed *f)
{
    bool need_buf = !f->xz;
    if (need_buf && !f->buf)
        f->buf = malloc(ARC_IOBUF);
    if (f->dec && !f->rawbuf)
        f->rawbuf = malloc(ARC_IOBUF);
    if ((need_buf && !f->buf) || (f->dec && !f->rawbuf)) {
        archive_set_error(ar, ENOMEM, "out of memory");
        return false;
    }
    return true;
}

/* feed_fd_read: up to ARC_IOBUF bytes of f->fd into buf; -1 (error set in a) on failure */
static ssize_t feed_fd_read(struct archive *a, struct arc_feed *f, unsigned char *buf)
{
    ssize_t n;
    do
        n = read(f->fd, buf, ARC_IOBUF);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        archive_set_error(a, errno, "read error: %s", strerror(errno));
        return -1;
    }
    if (!f->seekable)
        f->c->pipe_bytes += (uint64_t)n;
    return n;
}

/* raw_refill: the next undecoded input for arc_dec: pre first, then fd */
static bool raw_refill(struct archive *a, struct arc_feed *f)
{
    if (f->pre_pos < f->pre_len) {
        f->raw = f->pre + f->pre_pos;
        f->raw_len = f->pre_len - f->pre_pos;
        f->pre_pos = f->pre_len;
        f->raw_fed += f->raw_len;
        return true;
    }
    ssize_t n = feed_fd_read(a, f, f->rawbuf);
    if (n < 0)
        return false;
    f->raw = f->rawbuf;
    f->raw_len = (size_t)n;
    f->raw_fed += (uint64_t)n;
    f->raw_eof = n == 0;
    return true;
}

/* feed_decoded: the next bytes arc_dec decodes from pre, then fd: every
 * byte decoded comes out before the error of a truncated or corrupt input.
 * Decoded ARC_MAP_STEP bytes at a time, each step a checkpoint of the
 * compressed bytes it took (stored bytes, arc_stored.h). */
static la_ssize_t feed_decoded(struct archive *a, struct arc_feed *f, const void **out)
{
    size_t have = 0;
    for (;;) {
        if (!f->raw_len && !f->raw_eof && !raw_refill(a, f))
            return -1;
        bool end = false;
        const char *err = "corrupt data";
        size_t step = ARC_IOBUF - have < ARC_MAP_STEP ? ARC_IOBUF - have : ARC_MAP_STEP;
        ssize_t n =
            arc_dec_run(f->dec, &f->raw, &f->raw_len, f->raw_eof, f->buf + have, step, &end, &err);
        if (n < 0 && have)
            break; /* what was decoded first, the error on the next call */
        if (n < 0) {
            archive_set_error(a, EIO, "%s", err);
            return -1;
        }
        if (n > 0) {
            have += (size_t)n;
            arc_map_add(&f->map, f->served + have, f->raw_fed - f->raw_len);
        }
        if (have == ARC_IOBUF || end || (have && n == 0))
            break;
    }
    *out = f->buf;
    f->served += have;
    return (la_ssize_t)have;
}

static la_ssize_t feed_xz(struct archive *a, struct arc_feed *f, const void **out)
{
    const char *err = "xz: decoding error";
    const struct arc_xz_mark *marks = NULL;
    unsigned nmarks = 0;
    la_ssize_t n = arc_xz_read(f->xz, out, &marks, &nmarks, &err);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", err);
        return -1;
    }
    for (unsigned i = 0; i < nmarks; i++)
        arc_map_add(&f->map, f->served + marks[i].out, marks[i].raw);
    f->served += (uint64_t)n;
    return n;
}

/* feed_parent: the next bytes of the parent archive's current entry */
static la_ssize_t feed_parent(struct archive *a, struct arc_feed *f)
{
    la_ssize_t n = archive_read_data(f->parent, f->buf, ARC_IOBUF);
    if (n < 0) {
        f->parent_failed = true;
        const char *msg = archive_error_string(f->parent);
        archive_set_error(a, EIO, "%s", msg ? msg : "read error");
    }
    return n;
}

static la_ssize_t feed_read(struct archive *a, void *client, const void **out)
{
    struct arc_feed *f = client;
    if (f->dec)
        return feed_decoded(a, f, out);
    if (f->pre_pos < f->pre_len) {
        *out = f->pre + f->pre_pos;
        size_t n = f->pre_len - f->pre_pos;
        f->pre_pos = f->pre_len;
        f->served += n;
        return (la_ssize_t)n;
    }
    if (f->xz)
        return feed_xz(a, f, out);
    la_ssize_t n = f->fd >= 0 ? feed_fd_read(a, f, f->buf) : feed_parent(a, f);
    if (n < 0)
        return -1;
    *out = f->buf;
    f->served += (uint64_t)n;
    return n;
}

static la_int64_t feed_skip(struct archive *a, void *client, la_int64_t request)
{
    (void)a;
    struct arc_feed *f = client;
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
    struct arc_feed *f = client;
    off_t r = lseek(f->fd, offset, whence);
    if (r < 0) {
        archive_set_error(a, errno, "seek error: %s", strerror(errno));
        return ARCHIVE_FATAL;
    }
    return r;
}

int arc_feed_open(struct archive *ar, struct arc_feed *f)
{
    if (!buffers(ar, f))
        return ARCHIVE_FATAL;
    archive_read_set_callback_data(ar, f);
    archive_read_set_read_callback(ar, feed_read);
    if (f->seekable) {
        archive_read_set_skip_callback(ar, feed_skip);
        archive_read_set_seek_callback(ar, feed_seek);
    }
    return archive_read_open1(ar);
}

void arc_feed_release(struct arc_feed *f)
{
    arc_xz_stop(f->xz);
    arc_dec_free(f->dec);
    free(f->rawbuf);
    free(f->buf);
    f->xz = NULL;
    f->dec = NULL;
    f->rawbuf = f->buf = NULL;
}
