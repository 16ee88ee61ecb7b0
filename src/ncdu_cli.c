/* SPDX-License-Identifier: BSD-2-Clause */
#include "ncdu_cli.h"
#include "diag.h"
#include "ncdu_read.h"
#include "ncdu_write.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* bytes looked at to recognise an export: a zstd frame shows its first
 * bytes only once its first block is whole */
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

bool ncdu_cli_is_export(const char *path)
{
    unsigned char *buf = xmalloc(PEEK);
    ssize_t n = -1;
    bool yes = false;
    if (strcmp(path, "-") == 0) {
        off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
        if (at >= 0) {
            n = read(STDIN_FILENO, buf, PEEK);
            if (lseek(STDIN_FILENO, at, SEEK_SET) < 0)
                n = -1;
        } else {
            yes = peek_pipe(STDIN_FILENO, buf, PEEK) == 1;
        }
    } else {
        struct stat st;
        int fd = stat(path, &st) == 0 && S_ISREG(st.st_mode)
                     ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
                     : -1;
        if (fd >= 0) {
            n = read(fd, buf, PEEK);
            close(fd);
        }
    }
    if (n > 0)
        yes = ncdu_sniff(buf, (size_t)n);
    free(buf);
    return yes;
}

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    diag_warn("%s", msg);
}

struct tree *ncdu_cli_load(const char *path, const char *root_name, int *status)
{
    bool dash = strcmp(path, "-") == 0;
    int fd = dash ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        char *q = diag_quote(path, strlen(path));
        diag_warn("cannot read '%s': %s", q, strerror(errno));
        free(q);
        *status = 2;
        return NULL;
    }
    struct ncdu_read_opts o = {.root_name = root_name, .warn = on_warn};
    struct tree *t = ncdu_read_fd(fd, NULL, 0, path, &o, status);
    if (!dash)
        close(fd);
    return t;
}

/* ---- archives' extracted bytes -------------------------------------------- */

struct note {
    const struct tree_node *node;
    uint64_t extracted;
};

struct ncdu_cli_notes {
    pthread_mutex_t mu;
    struct note *v;
    size_t n, cap;
    bool sorted;
};

static void on_info(void *ctx, const struct tree_node *node, uint64_t extracted, uint64_t disk,
                    uint64_t apparent)
{
    (void)disk;
    (void)apparent;
    struct ncdu_cli_notes *ns = ctx;
    pthread_mutex_lock(&ns->mu);
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
    }
    ns->v[ns->n++] = (struct note){node, extracted};
    pthread_mutex_unlock(&ns->mu);
}

struct ncdu_cli_notes *ncdu_cli_notes_new(struct arc_cli *arc)
{
    struct ncdu_cli_notes *ns = xcalloc(1, sizeof *ns);
    pthread_mutex_init(&ns->mu, NULL);
    arc->o.info = on_info;
    arc->o.info_ctx = ns;
    return ns;
}

void ncdu_cli_notes_free(struct ncdu_cli_notes *ns)
{
    if (!ns)
        return;
    pthread_mutex_destroy(&ns->mu);
    free(ns->v);
    free(ns);
}

static int cmp_note(const void *a, const void *b)
{
    uintptr_t p = (uintptr_t)((const struct note *)a)->node;
    uintptr_t q = (uintptr_t)((const struct note *)b)->node;
    return (p > q) - (p < q);
}

static uint64_t extracted(void *ctx, const struct tree_node *archive)
{
    struct ncdu_cli_notes *ns = ctx;
    if (!ns->n)
        return 0;
    if (!ns->sorted) {
        qsort(ns->v, ns->n, sizeof *ns->v, cmp_note);
        ns->sorted = true;
    }
    struct note key = {archive, 0};
    const struct note *f = bsearch(&key, ns->v, ns->n, sizeof *ns->v, cmp_note);
    return f ? f->extracted : 0;
}

/* timestamp: SOURCE_DATE_EPOCH (reproducible builds' convention) or now */
static int64_t timestamp(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!errno && !*end && v >= 0)
            return v;
        diag_warn("SOURCE_DATE_EPOCH '%s' is not a number of seconds: the time now is used", s);
    }
    return (int64_t)time(NULL);
}

int ncdu_cli_write(FILE *f, struct tree *t, struct ncdu_cli_notes *notes)
{
    struct ncdu_write_opts o = {
        .timestamp = timestamp(),
        .progver = "0.1",
        .extracted = notes ? extracted : NULL,
        .extracted_ctx = notes,
    };
    return ncdu_write(f, t, &o);
}
