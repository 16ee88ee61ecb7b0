/* SPDX-License-Identifier: BSD-2-Clause */
#include "out.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int out_open(struct out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    /* hardening: a target that exists and is not a regular file (a
     * device such as /dev/null, a FIFO, /dev/stdout) is written in place:
     * renaming a temporary file over it would replace the node itself; a
     * symbolic link to a regular file keeps the link and replaces the file
     * it points to */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->fp = fopen(path, "w");
        if (!o->fp)
            return -1;
        o->path = xstrdup(path);
        return 0;
    }
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        real = realpath(path, NULL);
    if (real)
        path = real;
    size_t len = strlen(path);
    char *tmp = xmalloc(len + 16);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    /* a hidden name beside the target, so the rename stays in one file system */
    memcpy(tmp, path, dirlen);
    snprintf(tmp + dirlen, len - dirlen + 16, ".%s.XXXXXX", path + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        free(real);
        errno = e;
        return -1;
    }
    /* mkstemp makes 0600; an output file gets the usual 0666 & ~umask */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        free(real);
        errno = e;
        return -1;
    }
    setvbuf(o->fp, NULL, _IOFBF, 1 << 16);
    o->path = xstrdup(path);
    o->tmppath = tmp;
    free(real);
    return 0;
}

int out_commit(struct out *o)
{
    if (!o->tmppath && o->path) {
        /* written in place (not a regular file) */
        int e = fflush(o->fp) != 0 || ferror(o->fp) ? (errno ? errno : EIO) : 0;
        if (fclose(o->fp) != 0 && !e)
            e = errno;
        o->fp = NULL;
        free(o->path);
        o->path = NULL;
        errno = e;
        return e ? -1 : 0;
    }
    if (!o->tmppath) {
        if (fflush(o->fp) != 0 || ferror(o->fp))
            return -1;
        return 0;
    }
    int err = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
        err = errno ? errno : EIO;
    if (fclose(o->fp) != 0 && !err)
        err = errno;
    o->fp = NULL;
    if (!err && rename(o->tmppath, o->path) != 0)
        err = errno;
    if (err)
        unlink(o->tmppath);
    free(o->tmppath);
    free(o->path);
    o->tmppath = o->path = NULL;
    errno = err;
    return err ? -1 : 0;
}

void out_abort(struct out *o)
{
    if (!o->tmppath && o->path) {
        fclose(o->fp);
        free(o->path);
        o->fp = NULL;
        o->path = NULL;
        return;
    }
    if (!o->tmppath)
        return;
    if (o->fp)
        fclose(o->fp);
    unlink(o->tmppath);
    free(o->tmppath);
    free(o->path);
    o->fp = NULL;
    o->tmppath = o->path = NULL;
}
