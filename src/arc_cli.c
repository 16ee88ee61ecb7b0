/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_cli: archive options and the walker's file hook (see include/arc_cli.h) */
#include "arc_cli.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void arc_cli_init(struct arc_cli *c)
{
    memset(c, 0, sizeof *c);
    arc_opts_init(&c->o);
}

/* what a scan's archives extracted to, by node, for the tooltips */
struct arc_note {
    const struct tree_node *node;
    uint64_t extracted, disk, apparent;
};

struct arc_notes {
    pthread_mutex_t mu;
    struct arc_note *v;
    size_t n, cap;
    bool sorted;
    unsigned weight; /* the slot drawn */
};

void arc_cli_release(struct arc_cli *c)
{
    if (!c->notes)
        return;
    pthread_mutex_destroy(&c->notes->mu);
    free(c->notes->v);
    free(c->notes);
    c->notes = NULL;
}

static void on_info(void *ctx, const struct tree_node *node, uint64_t extracted, uint64_t disk,
                    uint64_t apparent)
{
    struct arc_notes *ns = ctx;
    pthread_mutex_lock(&ns->mu);
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
    }
    ns->v[ns->n++] = (struct arc_note){node, extracted, disk, apparent};
    pthread_mutex_unlock(&ns->mu);
}

static int cmp_note(const void *a, const void *b)
{
    const struct arc_note *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->node, q = (uintptr_t)y->node;
    return (p > q) - (p < q);
}

/* note: called by the renderer, single-threaded, after the scan */
static size_t note(void *ctx, const struct tree_node *n, char *buf, size_t cap)
{
    struct arc_notes *ns = ctx;
    if (!ns->n)
        return 0;
    if (!ns->sorted) {
        qsort(ns->v, ns->n, sizeof *ns->v, cmp_note);
        ns->sorted = true;
    }
    const struct arc_note *a = NULL;
    for (const struct tree_node *p = n; p && !a; p = p->parent) {
        if (!(p->flags & TREE_ARCHIVE))
            continue;
        struct arc_note key = {.node = p};
        a = bsearch(&key, ns->v, ns->n, sizeof *ns->v, cmp_note);
    }
    if (!a)
        return 0;
    uint64_t base = ns->weight == TREE_W_APPARENT ? a->apparent : a->disk;
    if (ns->weight == TREE_W_COUNT || !base || !a->extracted)
        return 0;
    double ratio = (double)a->extracted / (double)base;
    char c[32], h[32];
    int len;
    /* no " (" in a note: the script takes a frame's name from its title as
     * everything before the last " (" (docs/svg-format.md) */
    if (a->node == n) {
        len = snprintf(buf, cap, "extracted %s bytes, %s, %.1fx its %s",
                       util_commas(a->extracted, c), util_human(a->extracted, h), ratio,
                       ns->weight == TREE_W_APPARENT ? "size" : "disk usage");
    } else {
        double e = (double)n->w[ns->weight] * ratio;
        uint64_t ev = e > 1.8e19 ? UINT64_MAX : (uint64_t)(e + 0.5);
        len = snprintf(buf, cap, "about %s bytes, %s, extracted", util_commas(ev, c),
                       util_human(ev, h));
    }
    return len > 0 ? (size_t)len : 0;
}

void arc_cli_flame(struct arc_cli *c, struct flame_opts *fo)
{
    if (!c->archives)
        return;
    if (!c->notes) {
        c->notes = xcalloc(1, sizeof *c->notes);
        pthread_mutex_init(&c->notes->mu, NULL);
    }
    c->notes->weight = fo->weight;
    c->o.info = on_info;
    c->o.info_ctx = c->notes;
    fo->note = note;
    fo->note_ctx = c->notes;
}

bool arc_cli_is_option(int code)
{
    return code >= ARC_CLI_ARCHIVES && code <= ARC_CLI_SPOOL;
}

static char *errf(const char *opt, const char *arg, const char *want)
{
    char *q = diag_quote(arg, strlen(arg));
    size_t n = strlen(opt) + strlen(q) + strlen(want) + 32;
    char *s = xmalloc(n);
    snprintf(s, n, "invalid --%s '%s': expected %s", opt, q, want);
    free(q);
    return s;
}

static int parse_count(const char *arg, uint64_t max, uint64_t *out)
{
    if (!arg || *arg < '0' || *arg > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int arc_cli_option(struct arc_cli *c, int code, const char *arg, char **err)
{
    uint64_t v;
    switch (code) {
    case ARC_CLI_ARCHIVES:
        c->archives = true;
        return 0;
    case ARC_CLI_DEPTH:
        if (parse_count(arg, ARC_MAX_DEPTH, &v) < 0) {
            *err = errf("archive-depth", arg, "a number from 0 to 64");
            return -1;
        }
        c->o.max_depth = (unsigned)v;
        return 0;
    case ARC_CLI_ENTRIES:
        if (parse_count(arg, UINT64_MAX, &v) < 0 || v == 0) {
            *err = errf("archive-entries", arg, "a positive number");
            return -1;
        }
        c->o.max_entries = v;
        return 0;
    case ARC_CLI_BYTES:
    case ARC_CLI_MEMORY:
    case ARC_CLI_SPOOL: {
        const char *name = code == ARC_CLI_BYTES    ? "archive-bytes"
                           : code == ARC_CLI_MEMORY ? "archive-memory"
                                                    : "archive-spool";
        if (util_parse_size(arg, &v) < 0 || (code == ARC_CLI_BYTES && v == 0)) {
            *err =
                errf(name, arg,
                     code == ARC_CLI_BYTES ? "a positive size such as 10G" : "a size such as 64M");
            return -1;
        }
        if (code == ARC_CLI_BYTES)
            c->o.max_bytes = v;
        else if (code == ARC_CLI_MEMORY)
            c->o.max_memory = v;
        else
            c->o.max_spool = v;
        return 0;
    }
    default:
        *err = xstrdup("unknown archive option");
        return -1;
    }
}

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    diag_warn("%s", msg);
}

static int hook(const struct walk_opts *wo, struct tree_arena *a, struct tree_node *node, int dirfd,
                const char *name, const char *path, const struct stat *st)
{
    const struct arc_cli *c = wo->hook_ctx;
    /* a PATH's node hangs right under the scan's root */
    bool input = node->parent && !node->parent->parent;
    if (!input && !c->archives)
        return 0;
    if (node->flags & TREE_HARDLINK)
        return 0;
    /* O_NONBLOCK: a file swapped for a fifo since the stat must not block */
    int flags = O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | (input ? 0 : O_NOFOLLOW);
    int fd = openat(dirfd, name, flags);
    struct stat fst;
    if (fd < 0 || fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode) || fst.st_ino != st->st_ino ||
        fst.st_dev != st->st_dev) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (fd >= 0 || e == ENOENT)
            return 0; /* replaced or gone while walking: as the walker, quietly */
        if (input || arc_name_says_archive(path)) {
            char *q = diag_quote(path, strlen(path));
            diag_warn("cannot read '%s': %s", q, strerror(e));
            free(q);
            return 1;
        }
        return 0;
    }
    /* O_NONBLOCK changes nothing for a regular file: left as it is */
    struct arc_opts o = c->o;
    o.warn = on_warn;
    int r = arc_fill_fd(fd, path, node, a, input ? ARC_INPUT : ARC_SCAN, &o);
    close(fd);
    return r;
}

void arc_cli_setup(struct arc_cli *c, struct walk_opts *w)
{
    w->archives = true; /* PATHs that are files always reach the hook */
    w->file_hook = hook;
    w->hook_ctx = c;
    w->arc_opts = &c->o;
}

struct tree *arc_cli_scan_load(const char *const *paths, size_t n, const struct scan_opts *o,
                               int *status)
{
    size_t dash = n;
    for (size_t i = 0; i < n && dash == n; i++)
        if (strcmp(paths[i], "-") == 0)
            dash = i;
    if (dash == n)
        return scan_load(paths, n, o, status);
    /* scan_load() with the first "-" read from standard input (a second one
     * adds nothing, as a PATH given twice) */
    struct tree *t = tree_new(o->root_name ? o->root_name : "all", 3);
    for (unsigned i = 0; i < 3; i++)
        t->wnames[i] = scan_wnames[i];
    struct walk *w = walk_new(t, &o->walk);
    for (size_t i = 0; i < n; i++)
        if (i == dash) {
            struct tree_node *node = tree_add(tree_main_arena(t), t->root, "-", 1);
            const struct arc_cli *c = o->walk.hook_ctx;
            struct arc_opts ao;
            if (c)
                ao = c->o;
            else
                arc_opts_init(&ao);
            ao.warn = on_warn;
            if (arc_fill_fd(STDIN_FILENO, "-", node, tree_main_arena(t), ARC_INPUT, &ao))
                *status = 1;
        } else if (strcmp(paths[i], "-") != 0) {
            walk_add(w, t->root, paths[i], NULL);
        }
    int st = walk_run(w);
    if (st)
        *status = st;
    walk_free(w);
    tree_finish(t);
    return t;
}
