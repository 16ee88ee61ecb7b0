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
        errno = e;
        return -1;
    }
    setvbuf(o->fp, NULL, _IOFBF, 1 << 16);
    o->path = xstrdup(path);
    o->tmppath = tmp;
    return 0;
}

int out_commit(struct out *o)
{
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
