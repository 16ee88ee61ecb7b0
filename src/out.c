/* SPDX-License-Identifier: BSD-2-Clause */
#include "out.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files and signals ----------------------------------------
 * A signal that ends the process (Ctrl-C, kill, a closed terminal, the file
 * size limit) must not leave a temporary file behind. While one exists, its
 * name is in a slot below; the handler unlinks every name in use (unlink is
 * async-signal-safe), restores the default action and raises the signal
 * again, so the process ends at once, every thread with it, with the usual
 * status (130 for SIGINT, 143 for SIGTERM). A signal handler can only reach
 * process-wide state: these slots are that state, written by the thread
 * that opens outputs, read by the handler on any thread (atomic flags,
 * release/acquire). */

#define TMP_SLOTS 4 /* outputs open at once: an image and its palette map */

static char tmp_name[TMP_SLOTS][PATH_MAX];
static atomic_int tmp_used[TMP_SLOTS];
static atomic_int handlers_set;

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ, SIGPIPE};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static void on_fatal_signal(int sig)
{
    int e = errno;
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load_explicit(&tmp_used[i], memory_order_acquire))
            unlink(tmp_name[i]);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* blocked until this handler returns, then the default action */
    raise(sig);
    errno = e;
}

/* set_handlers: once, for the signals not ignored (a signal ignored when
 * the program started, as under nohup, stays ignored) */
static void set_handlers(void)
{
    if (atomic_exchange(&handlers_set, 1))
        return;
    for (size_t i = 0; i < NFATAL; i++) {
        struct sigaction old, sa;
        if (sigaction(fatal_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < NFATAL; j++)
            sigaddset(&sa.sa_mask, fatal_signals[j]);
        sigaction(fatal_signals[i], &sa, NULL);
    }
}

static void block_fatal(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NFATAL; i++)
        sigaddset(&set, fatal_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

/* tmp_register: a slot for name, or -1 when none is free or the name does
 * not fit (then no file can be made by that name anyway) */
static int tmp_register(const char *name)
{
    size_t len = strlen(name);
    if (len >= PATH_MAX)
        return -1;
    for (int i = 0; i < TMP_SLOTS; i++)
        if (!atomic_load_explicit(&tmp_used[i], memory_order_relaxed)) {
            memcpy(tmp_name[i], name, len + 1);
            atomic_store_explicit(&tmp_used[i], 1, memory_order_release);
            return i;
        }
    return -1;
}

static void tmp_unregister(int slot)
{
    if (slot >= 0)
        atomic_store_explicit(&tmp_used[slot], 0, memory_order_release);
}

int out_open(struct out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
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
    /* no signal between making the file and noting its name */
    set_handlers();
    sigset_t oldmask;
    block_fatal(&oldmask);
    int fd = mkstemp(tmp);
    int e = errno;
    o->slot = fd >= 0 ? tmp_register(tmp) : -1;
    pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    if (fd < 0) {
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
        e = errno;
        close(fd);
        unlink(tmp);
        tmp_unregister(o->slot);
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
    /* after the rename: a signal in between finds the name gone */
    tmp_unregister(o->slot);
    o->slot = -1;
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
    tmp_unregister(o->slot);
    o->slot = -1;
    free(o->tmppath);
    free(o->path);
    o->fp = NULL;
    o->tmppath = o->path = NULL;
}
