/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_whole: a seekable member held in memory or a temporary file (see
 * include/arc_whole.h) */
#include "arc_whole.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* tmpfile_fd: an unlinked temporary file in tmpdir, $TMPDIR or /tmp; -1
 * with errno set when none can be made */
static int tmpfile_fd(const struct arc_ctx *c)
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
    char *path = malloc(n);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
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

uint64_t arc_whole_size(const struct arc_whole *w)
{
    return w->mem ? w->len : w->spooled;
}

int arc_whole_open(struct archive *ar, struct arc_whole *w, struct arc_feed *f)
{
    if (w->mem)
        return archive_read_open_memory(ar, w->mem, w->len);
    f->fd = w->fd;
    f->seekable = true;
    return arc_feed_open(ar, f);
}

/* mem_free: drop the memory copy and give its budget back */
static void mem_free(struct arc_ctx *c, struct arc_whole *w)
{
    free(w->mem);
    w->mem = NULL;
    c->mem_used -= w->held;
    w->held = w->len = 0;
}

/* to_file: move what is held in memory to a temporary file */
static enum arc_whole_result to_file(struct arc_ctx *c, struct arc_whole *w)
{
    w->fd = tmpfile_fd(c);
    if (w->fd < 0 || !write_all(w->fd, w->mem, w->len))
        return ARC_WHOLE_SPOOL_ERROR;
    w->spooled = w->len;
    c->spool_used += w->len;
    mem_free(c, w);
    return ARC_WHOLE_OK;
}

/* mem_grow: room for n more bytes in memory; false when the memory budget
 * is spent or the memory cannot be had */
static bool mem_grow(struct arc_ctx *c, struct arc_whole *w, size_t n)
{
    uint64_t want = (uint64_t)w->held * 2;
    if (want < w->len + n)
        want = w->len + n;
    if (want < 65536)
        want = 65536;
    if (want > w->mem_avail && w->len + n <= w->mem_avail)
        want = w->mem_avail;
    if (want > w->mem_avail || want > SIZE_MAX)
        return false;
    unsigned char *m = realloc(w->mem, (size_t)want);
    if (!m)
        return false;
    w->mem = m;
    c->mem_used += want - w->held;
    w->held = (size_t)want;
    return true;
}

static enum arc_whole_result spool_add(struct arc_ctx *c, struct arc_whole *w,
                                       const unsigned char *p, size_t n)
{
    if (w->spooled + n > w->spool_avail)
        return ARC_WHOLE_TOO_BIG;
    if (!write_all(w->fd, p, n))
        return ARC_WHOLE_SPOOL_ERROR;
    w->spooled += n;
    c->spool_used += n;
    return ARC_WHOLE_OK;
}

static enum arc_whole_result whole_add(struct arc_ctx *c, struct arc_whole *w,
                                       const unsigned char *p, size_t n)
{
    if (w->fd < 0 && w->len + n > w->held && !mem_grow(c, w, n)) {
        if (w->len + n > w->spool_avail)
            return ARC_WHOLE_TOO_BIG;
        enum arc_whole_result r = to_file(c, w);
        if (r != ARC_WHOLE_OK)
            return r;
    }
    if (w->fd >= 0)
        return spool_add(c, w, p, n);
    if (n)
        memcpy(w->mem + w->len, p, n);
    w->len += n;
    return ARC_WHOLE_OK;
}

void arc_whole_release(struct arc_ctx *c, struct arc_whole *w)
{
    mem_free(c, w);
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    c->spool_used -= w->spooled;
    w->spooled = 0;
}

/* whole_start: room for a member of size bytes (-1 unknown) where it fits */
static enum arc_whole_result whole_start(struct arc_ctx *c, struct arc_whole *w, int64_t size)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->mem_avail = c->o->max_memory > c->mem_used ? c->o->max_memory - c->mem_used : 0;
    w->spool_avail = c->o->max_spool > c->spool_used ? c->o->max_spool - c->spool_used : 0;
    if (size >= 0 && (uint64_t)size > w->mem_avail && (uint64_t)size > w->spool_avail)
        return ARC_WHOLE_TOO_BIG;
    if (size > 0 && (uint64_t)size <= w->mem_avail && (uint64_t)size <= SIZE_MAX)
        w->mem = malloc((size_t)size);
    if (w->mem) {
        w->held = (size_t)size;
        c->mem_used += w->held;
        return ARC_WHOLE_OK;
    }
    if (size > 0 && (uint64_t)size > w->spool_avail)
        return ARC_WHOLE_TOO_BIG; /* fits the memory budget, but no memory */
    if (size > 0)
        return to_file(c, w);
    return ARC_WHOLE_OK;
}

enum arc_whole_result arc_whole_read(struct arc_ctx *c, struct archive *ar,
                                     const unsigned char *head, size_t hlen, int64_t size,
                                     struct arc_whole *w)
{
    enum arc_whole_result res = whole_start(c, w, size);
    if (res == ARC_WHOLE_OK && hlen)
        res = whole_add(c, w, head, hlen);
    unsigned char *buf = res == ARC_WHOLE_OK ? malloc(ARC_IOBUF) : NULL;
    if (res == ARC_WHOLE_OK && !buf)
        res = ARC_WHOLE_NO_MEMORY;
    while (res == ARC_WHOLE_OK) {
        la_ssize_t n = archive_read_data(ar, buf, ARC_IOBUF);
        if (n < 0)
            res = ARC_WHOLE_READ_ERROR;
        else if (n == 0)
            break;
        else
            res = whole_add(c, w, buf, (size_t)n);
    }
    free(buf);
    if (res == ARC_WHOLE_OK && w->fd >= 0 && lseek(w->fd, 0, SEEK_SET) < 0)
        res = ARC_WHOLE_SPOOL_ERROR;
    if (res != ARC_WHOLE_OK)
        arc_whole_release(c, w);
    return res;
}
