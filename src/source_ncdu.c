/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_ncdu: a PATH that is an ncdu export (ncdu -o, gdu -o, duflame -f
 * ncdu; plain, gzip or zstd; "-" too) is read as the scan it holds
 * (ncdu_read.h): its top directory becomes the PATH's node under the run's
 * root, named as in the file (ncdu writes the full path scanned), or, for an
 * export duflame wrote of several PATHs, its entries go under the root.
 */
#include "ncdu_read.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the first bytes looked at on standard input (as a probe's head) */
#define PEEK (64 * 1024)

/* peek_pipe: is the pipe on fd an export, looked at without consuming it
 * (tee(2) copies its bytes into a pipe of our own)? Waits a little for a
 * slow writer. -1 when fd is not a pipe. */
static int peek_pipe(int fd, unsigned char *buf, size_t cap)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    int yes = -1;
    for (int tries = 0; tries < 200; tries++) {
        ssize_t n = tee(fd, p[1], cap, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || read(p[0], buf, (size_t)n) != n)
            break;
        yes = ncdu_sniff(buf, (size_t)n);
        /* n == 0: the writer closed the pipe, all there is was seen */
        if (yes || n == 0 || (size_t)n >= cap)
            break;
        /* the same bytes are copied again next time: tee does not consume */
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    close(p[0]);
    close(p[1]);
    return yes;
}

/* stdin_is_export: standard input looked at without being consumed: read
 * and sought back when it is a file, copied with tee(2) when a pipe */
static bool stdin_is_export(void)
{
    unsigned char *buf = xmalloc(PEEK);
    bool yes = false;
    off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
    if (at >= 0) {
        ssize_t n = read(STDIN_FILENO, buf, PEEK);
        yes = n > 0 && ncdu_sniff(buf, (size_t)n) && lseek(STDIN_FILENO, at, SEEK_SET) == at;
    } else {
        yes = peek_pipe(STDIN_FILENO, buf, PEEK) == 1;
    }
    free(buf);
    return yes;
}

static bool sniff_ncdu(const struct source_probe *p)
{
    if (p->is_stdin)
        return stdin_is_export();
    return p->stat_ok && S_ISREG(p->st.st_mode) && ncdu_sniff(p->head, p->len);
}

/* top: where the export's top directory goes */
static struct tree_node *top(void *ctx, const char *name, size_t len, bool paths)
{
    struct source_run *run = ctx;
    if (paths)
        return source_run_tree(run)->root;
    char *s = xmemdup(name, len);
    struct tree_node *n = source_run_node(run, s);
    free(s);
    return n;
}

static void on_warn(void *ctx, const char *msg)
{
    source_run_warn(ctx, "%s", msg);
}

static int load_ncdu(struct source_run *run, const struct source_probe *p)
{
    int fd = p->is_stdin ? STDIN_FILENO : open(p->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        source_run_cannot_read(run, p, errno);
        return -1;
    }
    struct ncdu_read_opts o = {.warn = on_warn, .warn_ctx = run};
    struct tree *t = source_run_tree(run);
    int st = ncdu_read_into(fd, NULL, 0, p->path, t, source_run_arena(run), top, run, &o);
    if (!p->is_stdin)
        close(fd);
    return st == 2 ? -1 : st;
}

const struct source_kind source_ncdu = {
    .name = "ncdu export",
    .noun = "an ncdu export",
    .family = SOURCE_DU,
    .needs_head = true,
    .sniff = sniff_ncdu,
    .load = load_ncdu,
};
