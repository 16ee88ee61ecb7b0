/* SPDX-License-Identifier: BSD-2-Clause */
#include "walk.h"
#include "kind.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* A directory whose path is this long could have children whose path does
 * not fit in PATH_MAX (counted in walk_stats.deep). */
#define DEEP_PATH (PATH_MAX - NAME_MAX - 2)
/* descriptors one walk keeps open; shallower ones are closed and reopened
 * through ".." when the walk comes back up */
#define DEEP_OPEN 24
/* entries between two progress ticks of one worker */
#define TICK_EVERY 4096

/* ---- the set of (st_dev, st_ino) already counted ------------------------- */

#define SHARDS 64

struct key {
    uint64_t dev, ino;
};

/* a file with st_nlink > 1 met during the walk: which of its names carries
 * the weights is decided after the walk (link_resolve), so that the choice
 * does not depend on which thread came first */
struct linkrec {
    uint64_t dev, ino;
    struct tree_node *node;
    uint64_t nlink; /* for the tree's link table (ncdu output) */
};

struct shard {
    pthread_mutex_t lock;
    struct key *slots; /* open addressing; (0, 0) is empty */
    size_t mask, used;
    bool has_zero; /* the real key (0, 0) */
    struct linkrec *recs;
    size_t nrecs, caprecs;
};

static void shard_grow(struct shard *s)
{
    size_t cap = s->slots ? (s->mask + 1) * 2 : 256;
    struct key *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; s->slots && i <= s->mask; i++) {
        struct key k = s->slots[i];
        if (!k.dev && !k.ino)
            continue;
        size_t j = (util_mix64(k.ino * 0x9e3779b97f4a7c15ULL ^ k.dev) >> 6) & (cap - 1);
        while (slots[j].dev || slots[j].ino)
            j = (j + 1) & (cap - 1);
        slots[j] = k;
    }
    free(s->slots);
    s->slots = slots;
    s->mask = cap - 1;
}

/* linkset_insert: true if (dev, ino) was not there yet (the caller counts it) */
static bool linkset_insert(struct shard *shards, dev_t dev, ino_t ino)
{
    struct key k = {(uint64_t)dev, (uint64_t)ino};
    uint64_t h = util_mix64(k.ino * 0x9e3779b97f4a7c15ULL ^ k.dev);
    struct shard *s = &shards[h % SHARDS];
    bool fresh = true;
    pthread_mutex_lock(&s->lock);
    if (!k.dev && !k.ino) {
        fresh = !s->has_zero;
        s->has_zero = true;
    } else {
        if (!s->slots || (s->used + 1) * 4 > (s->mask + 1) * 3)
            shard_grow(s);
        size_t j = (h >> 6) & s->mask;
        for (; s->slots[j].dev || s->slots[j].ino; j = (j + 1) & s->mask)
            if (s->slots[j].dev == k.dev && s->slots[j].ino == k.ino) {
                fresh = false;
                break;
            }
        if (fresh) {
            s->slots[j] = k;
            s->used++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return fresh;
}

/* ---- the walker ---------------------------------------------------------- */

struct item {
    struct item *next;
    struct tree_node *node; /* made, with its own weights, by whoever queued it */
    char *path;
    dev_t root_dev; /* the device of its PATH, for one_file_system */
    bool file;      /* a PATH that is a regular file, for the archives hook */
    bool follow;    /* a PATH that names a link to its directory: open it by path, following */
    int fd;         /* the directory, open already (queued by a worker), or -1 */
    struct stat st; /* its stat */
};

struct root {
    struct tree_node *parent;
    const char *path, *label;
    struct tree_node *node; /* made by add_root, NULL if none */
};

/* an entry of the directory being read: its inode and where it is */
struct dent {
    uint64_t ino;
    size_t off;
};

struct worker {
    struct walk *w;
    pthread_t thread;
    struct tree_arena *a;
    uint64_t entries, dirs, handoffs, deep, errors;
    uint64_t tick_entries, tick_bytes; /* not yet added to the shared totals */
    int status;
    /* the entries of the directories of the walk in progress, one region
     * per level, innermost last (read_names): a type byte, the name, a NUL */
    char *names;
    size_t nameslen, namescap;
    char *dents;            /* getdents64()'s buffer, DENTS_BUF bytes */
    struct dent *dents_ino; /* the entries of the directory read last, by inode */
    size_t ndents, capdents;
    char *sortbuf; /* scratch of names_by_inode */
    size_t sortcap;
};

struct walk {
    struct tree *t;
    struct walk_opts o;
    bool hash_all; /* dedupe every entry, as du with several PATHs or -L */
    struct root *roots;
    size_t nroots, rootcap;
    struct shard shards[SHARDS];

    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct item *qhead, *qtail;
    unsigned busy;      /* workers not waiting for work (under qlock) */
    bool done;          /* under qlock */
    bool held;          /* under qlock: o.hold, until walk_release */
    bool running;       /* under qlock: walk_run has queued its PATHs */
    atomic_uint idle;   /* hint for handing off, read without the lock */
    atomic_size_t qlen; /* hint: items queued */
    atomic_uint_fast64_t progress_entries, progress_bytes;

    struct worker *workers;
    unsigned nthreads;
    size_t deep_open; /* descriptors per walk of an item, <= DEEP_OPEN (fd_budget) */
    int status;
    struct walk_stats stats;
};

unsigned walk_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    /* More threads than cores keep more directory and inode reads in
     * flight on a cold cache; on a warm cache extra threads only wait, and
     * cost little. Measured on the Linux tree, 2 cores (bench/scan.sh, cold,
     * medians against du -s): -j2 0.70x, -j4 0.52x, -j8 0.41x, -j16 0.41x,
     * -j32 0.44x; warm, -j2 to -j32 were within the noise of each other. */
    n *= 4;
    return (unsigned)(n > 16 ? 16 : n);
}

bool walk_exclude_match(const char *const *globs, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++) {
        if (fnmatch(globs[i], path, 0) == 0)
            return true;
        for (const char *p = path; *p; p++)
            if (*p == '/' && p[1] != '/' && fnmatch(globs[i], p + 1, 0) == 0)
                return true;
    }
    return false;
}

static void warn(struct worker *k, const char *what, const char *path, int errnum)
{
    k->errors++;
    k->status = 1;
    if (k->w->o.warn)
        k->w->o.warn(k->w->o.warn_ctx, what, path, errnum);
}

static void set_flags(struct tree_node *n, const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        n->flags |= TREE_DIR;
    else if (S_ISLNK(st->st_mode))
        n->flags |= TREE_SYMLINK;
    else if (!S_ISREG(st->st_mode))
        n->flags |= TREE_SPECIAL;
}

static void set_weights(struct tree_node *n, const struct stat *st)
{
    tree_set_w(n, TREE_W_DISK, (uint64_t)st->st_blocks * 512);
    tree_set_w(n, TREE_W_APPARENT, st->st_size > 0 ? (uint64_t)st->st_size : 0);
    tree_set_w(n, TREE_W_COUNT, 1);
    /* a plain file is stored as it is on disk */
    tree_set_w(n, TREE_W_STORED, (uint64_t)st->st_blocks * 512);
    set_flags(n, st);
}

/* deferred: a hard-linked file, counted once but decided after the walk */
static bool deferred(const struct walk *w, const struct stat *st)
{
    return !w->o.count_links && !S_ISDIR(st->st_mode) && st->st_nlink > 1;
}

static void link_record(struct walk *w, const struct stat *st, struct tree_node *n)
{
    struct linkrec r = {(uint64_t)st->st_dev, (uint64_t)st->st_ino, n, (uint64_t)st->st_nlink};
    struct shard *s = &w->shards[util_mix64(r.ino * 0x9e3779b97f4a7c15ULL ^ r.dev) % SHARDS];
    pthread_mutex_lock(&s->lock);
    if (s->nrecs == s->caprecs) {
        s->caprecs = s->caprecs ? s->caprecs * 2 : 64;
        s->recs = xreallocarray(s->recs, s->caprecs, sizeof *s->recs);
    }
    s->recs[s->nrecs++] = r;
    pthread_mutex_unlock(&s->lock);
}

/* counted: the du rules for whether an entry adds anything. False for an
 * inode seen before (with hash_all: any entry but a hard-linked file, whose
 * names are all recorded and sorted out by link_resolve()). */
static bool counted(struct walk *w, const struct stat *st)
{
    if (w->o.count_links || deferred(w, st))
        return true;
    if (!w->hash_all && (S_ISDIR(st->st_mode) || st->st_nlink <= 1))
        return true;
    return linkset_insert(w->shards, st->st_dev, st->st_ino);
}

static void tick(struct worker *k, const struct stat *st, const char *dir)
{
    k->entries++;
    k->tick_entries++;
    k->tick_bytes += (uint64_t)st->st_blocks * 512;
    if (k->tick_entries >= TICK_EVERY) {
        struct walk *w = k->w;
        uint64_t e =
            atomic_fetch_add_explicit(&w->progress_entries, k->tick_entries, memory_order_relaxed) +
            k->tick_entries;
        uint64_t b =
            atomic_fetch_add_explicit(&w->progress_bytes, k->tick_bytes, memory_order_relaxed) +
            k->tick_bytes;
        k->tick_entries = k->tick_bytes = 0;
        if (w->o.tick)
            w->o.tick(w->o.tick_ctx, e, b, dir);
    }
}

static void enqueue(struct walk *w, struct item *it)
{
    pthread_mutex_lock(&w->qlock);
    it->next = NULL;
    if (w->qtail)
        w->qtail->next = it;
    else
        w->qhead = it;
    w->qtail = it;
    atomic_fetch_add_explicit(&w->qlen, 1, memory_order_relaxed);
    pthread_cond_signal(&w->qcond);
    pthread_mutex_unlock(&w->qlock);
}

static struct item *item_new(struct tree_node *node, const char *path, size_t len, dev_t dev)
{
    struct item *it = xcalloc(1, sizeof *it);
    it->node = node;
    it->path = xmemdup(path, len);
    it->root_dev = dev;
    it->fd = -1;
    return it;
}

static void file_hook(struct worker *k, struct tree_node *n, int dirfd, const char *name,
                      const char *path, const struct stat *st)
{
    struct walk *w = k->w;
    if (w->o.archives && w->o.file_hook && S_ISREG(st->st_mode))
        if (w->o.file_hook(&w->o, k->a, n, dirfd, name, path, st) != 0)
            k->status = 1;
}

/* ---- du's rule for one entry --------------------------------------------- */

/* take_entry: du's rule for one entry, the same for a PATH and for every
 * entry below one. st is its stat, path its full path (excludes, messages),
 * name the node's name. The entry adds nothing (NULL) when an exclude
 * matches, when one_file_system and it is on another device than root_dev,
 * or when its inode was counted already; otherwise it gets a node under
 * parent, made on arena a, with its own weights and, for a regular file, a
 * kind from its base name. A file with several links is recorded for
 * link_resolve(). */
/* excluded: with keep_excluded (ncdu output), a node without weights for
 * an entry left out, saying why; NULL */
static struct tree_node *excluded(const struct walk *w, struct tree_arena *a,
                                  struct tree_node *parent, const char *name, size_t nlen,
                                  enum tree_excluded why)
{
    if (w->o.keep_excluded)
        tree_set_excluded(tree_add(a, parent, name, nlen), why);
    return NULL;
}

static struct tree_node *take_entry(struct worker *k, struct tree_arena *a,
                                    struct tree_node *parent, const char *name, size_t nlen,
                                    const char *path, const struct stat *st, dev_t root_dev,
                                    bool top)
{
    struct walk *w = k->w;
    if (w->o.nexcludes && walk_exclude_match(w->o.excludes, w->o.nexcludes, path))
        return excluded(w, a, parent, name, nlen, TREE_EXCL_PATTERN);
    if (w->o.one_file_system && st->st_dev != root_dev)
        return excluded(w, a, parent, name, nlen, TREE_EXCL_OTHERFS);
    if (!counted(w, st))
        return NULL;
    struct tree_node *n;
    bool hooked = w->o.archives && w->o.file_hook && (top || w->o.hook_inside);
    if (S_ISDIR(st->st_mode) || (hooked && S_ISREG(st->st_mode))) {
        n = tree_add(a, parent, name, nlen);
        set_weights(n, st);
    } else {
        /* a file whose entries will not be read: a leaf, its weights in
         * as few bytes as they need */
        uint64_t disk = (uint64_t)st->st_blocks * 512;
        uint64_t ws[] = {disk, st->st_size > 0 ? (uint64_t)st->st_size : 0, 1, disk};
        n = tree_add_leaf(a, parent, name, nlen, ws, 4);
        set_flags(n, st);
    }
    if (deferred(w, st))
        link_record(w, st, n);
    tick(k, st, path);
    if (S_ISDIR(st->st_mode)) {
        k->dirs++;
    } else if (S_ISREG(st->st_mode)) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        tree_set_kind(n, kind_classify(base, strlen(base), st->st_mode));
    }
    return n;
}

/* ---- the walker: openat() relative to directory descriptors -------------- */

struct dlevel {
    int fd; /* -1 while closed to save descriptors */
    struct tree_node *node;
    dev_t dev;
    ino_t ino;
    size_t names, pos; /* its entries: worker.names from names, next at pos */
    size_t pathlen;    /* length of this directory's path in the path buffer */
};

struct pathbuf {
    char *s;
    size_t len, cap;
};

static void path_set(struct pathbuf *p, size_t len, const char *add, size_t addlen)
{
    if (len + addlen + 2 > p->cap) {
        p->cap = (len + addlen + 2) * 2;
        p->s = xrealloc(p->s, p->cap);
    }
    p->len = len;
    if (add) {
        if (len && p->s[len - 1] != '/')
            p->s[p->len++] = '/';
        memcpy(p->s + p->len, add, addlen);
        p->len += addlen;
    }
    p->s[p->len] = '\0';
}

/* getdents64()'s buffer: large enough that most directories are read in
 * one call besides the one that says the end */
#define DENTS_BUF (64 * 1024)

/* names_put: one entry at the end of the worker's names stack */
static void names_put(struct worker *k, unsigned char type, const char *s, size_t l)
{
    if (k->nameslen + l + 2 > k->namescap) {
        k->namescap = (k->nameslen + l + 2) * 2;
        k->names = xrealloc(k->names, k->namescap);
    }
    char *d = k->names + k->nameslen;
    d[0] = (char)type;
    memcpy(d + 1, s, l + 1);
    k->nameslen += l + 2;
}

static int cmp_dent(const void *x, const void *y)
{
    const struct dent *a = x, *b = y;
    return (a->ino > b->ino) - (a->ino < b->ino);
}

/* names_by_inode: put the entries from start on in inode order, so that
 * their stat()s read the inode table in order: on a cold cache, neighbours
 * come in one read and the disk sees fewer, longer requests (fts does the
 * same for large directories) */
static void names_by_inode(struct worker *k, size_t start)
{
    size_t n = k->ndents;
    if (n < 2)
        return;
    qsort(k->dents_ino, n, sizeof *k->dents_ino, cmp_dent);
    size_t len = k->nameslen - start;
    if (len > k->sortcap) {
        k->sortcap = len * 2;
        k->sortbuf = xrealloc(k->sortbuf, k->sortcap);
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = k->names + k->dents_ino[i].off;
        size_t l = strlen(e + 1) + 2;
        memcpy(k->sortbuf + o, e, l);
        o += l;
    }
    memcpy(k->names + start, k->sortbuf, len);
}

/* read_names: every entry of the directory open on fd but "." and "..", with
 * its d_type, pushed on the worker's names stack from *start on (the caller
 * pops them by setting k->nameslen back to *start). Read with getdents64()
 * straight from fd: no stdio-like DIR, no duplicate descriptor. fd stays
 * open, at its end. Returns 0, or -1 with errno set (nothing pushed). */
static int read_names(struct worker *k, int fd, size_t *start)
{
    *start = k->nameslen;
    k->ndents = 0;
    if (!k->dents)
        k->dents = xmalloc(DENTS_BUF);
    for (;;) {
        ssize_t got = getdents64(fd, k->dents, DENTS_BUF);
        if (got < 0) {
            k->nameslen = *start;
            return -1;
        }
        if (got == 0)
            break;
        for (ssize_t off = 0; off < got;) {
            const struct dirent64 *e = (const struct dirent64 *)(k->dents + off);
            off += e->d_reclen;
            const char *s = e->d_name;
            if (s[0] == '.' && (!s[1] || (s[1] == '.' && !s[2])))
                continue;
            if (k->ndents == k->capdents) {
                k->capdents = k->capdents ? k->capdents * 2 : 256;
                k->dents_ino = xreallocarray(k->dents_ino, k->capdents, sizeof *k->dents_ino);
            }
            k->dents_ino[k->ndents++] = (struct dent){(uint64_t)e->d_ino, k->nameslen};
            names_put(k, e->d_type, s, strlen(s));
        }
    }
    names_by_inode(k, *start);
    return 0;
}

static int open_dir_at(int dirfd, const char *name, bool follow)
{
    return openat(dirfd, name,
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
}

/* dir_open: a descriptor on the directory that was stat()ed as st at name
 * (relative to dirfd), or -1 with errno set. The file system may have
 * changed in between: a directory replaced by a file or, unless follow, by
 * a symbolic link is not entered (ENOTDIR), nor one replaced by another
 * directory (ENOENT: the one that was listed is gone), as du does. */
static int dir_open(int dirfd, const char *name, bool follow, const struct stat *st)
{
    int fd = open_dir_at(dirfd, name, follow);
    if (fd < 0) {
        if (errno == ELOOP && !follow)
            errno = ENOTDIR; /* O_NOFOLLOW met a link */
        return -1;
    }
    struct stat now;
    int e = 0;
    if (fstat(fd, &now) < 0)
        e = errno;
    else if (now.st_dev != st->st_dev || now.st_ino != st->st_ino)
        e = ENOENT;
    if (e) {
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* unreadable: a directory whose entries cannot be read keeps its own size */
static void unreadable(struct worker *k, struct tree_node *n, const char *path, int errnum)
{
    n->flags |= TREE_UNREADABLE;
    warn(k, "cannot read directory", path, errnum);
}

/* stat_failed: an entry listed but not stat()able: said, as du does, with
 * the path that failed (one that vanished since it was listed too). With
 * follow (-L), a dangling link is left out quietly, as du -L does. */
static void stat_failed(struct worker *k, int dirfd, const char *name, const char *path,
                        bool follow)
{
    int e = errno;
    struct stat lst;
    if (follow && e == ENOENT && fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0)
        return;
    warn(k, "cannot access", path, e);
}

/* handoff_wanted: another worker waits and the queue is short */
static bool handoff_wanted(struct walk *w)
{
    return atomic_load_explicit(&w->idle, memory_order_relaxed) > 0 &&
           atomic_load_explicit(&w->qlen, memory_order_relaxed) < w->nthreads;
}

/* entry_stat: the stat of the entry name of the directory on dirfd, whose
 * type getdents64() said. A directory (but with one_file_system, where a
 * mount point must not be entered) is opened first and its descriptor
 * stat()ed: one call fewer than fstatat() then open and check, and the stat
 * is that of the directory opened; *cfd is then its descriptor. Else, or
 * when that open fails (the entry changed, or cannot be read: said later),
 * fstatat() and *cfd = -1. Returns 0, or -1 with errno set. */
static int entry_stat(const struct walk *w, int dirfd, const char *name, unsigned char type,
                      struct stat *st, int *cfd)
{
    bool follow = w->o.dereference;
    *cfd = -1;
    if (type == DT_DIR && !w->o.one_file_system) {
        int fd = open_dir_at(dirfd, name, follow);
        if (fd >= 0) {
            if (fstat(fd, st) == 0 && S_ISDIR(st->st_mode)) {
                *cfd = fd;
                return 0;
            }
            close(fd);
        }
    }
    return fstatat(dirfd, name, st, follow ? 0 : AT_SYMLINK_NOFOLLOW);
}

/* walk_dir: walk the directory of it (its node made and counted already)
 * with openat() relative to descriptors, so paths of any length are walked
 * whole and a directory swapped for a link is never followed (but with -L).
 * A subdirectory is opened where it is met; if another worker is idle, it
 * is queued, open, for that worker, else walked here. Descriptors are kept
 * for the deep_open innermost levels; shallower ones are closed and reopened
 * through ".." (checked by device and inode) on the way back up. The
 * entries of every level are on the worker's names stack, the innermost
 * level's last. */
static void walk_dir(struct worker *k, struct item *it)
{
    struct walk *w = k->w;
    bool follow = w->o.dereference;
    int fd = it->fd;
    if (fd < 0)
        fd = dir_open(AT_FDCWD, it->path, it->follow, &it->st);
    size_t names;
    if (fd < 0 || read_names(k, fd, &names) < 0) {
        unreadable(k, it->node, it->path, errno);
        if (fd >= 0)
            close(fd);
        return;
    }
    struct pathbuf pb = {0};
    path_set(&pb, 0, it->path, strlen(it->path));
    if (pb.len >= DEEP_PATH)
        k->deep++;
    size_t cap = 16, depth = 0;
    struct dlevel *lv = xcalloc(cap, sizeof *lv);
    lv[0] = (struct dlevel){fd, it->node, it->st.st_dev, it->st.st_ino, names, names, pb.len};
    struct stat st;
    for (;;) {
        struct dlevel *L = &lv[depth];
        if (L->pos >= k->nameslen) {
            /* this directory is done: back up one level */
            k->nameslen = L->names;
            if (depth == 0) {
                close(L->fd);
                break;
            }
            struct dlevel *P = &lv[depth - 1];
            if (P->fd < 0) {
                P->fd = open_dir_at(L->fd, "..", false);
                struct stat pst;
                if (P->fd < 0 || fstat(P->fd, &pst) < 0 || pst.st_dev != P->dev ||
                    pst.st_ino != P->ino) {
                    /* moved while we were below it: the rest of it is lost */
                    if (P->fd >= 0)
                        close(P->fd);
                    P->fd = -1;
                    path_set(&pb, P->pathlen, NULL, 0);
                    P->node->flags |= TREE_UNREADABLE;
                    warn(k, "cannot read directory", pb.s, errno ? errno : ESTALE);
                    P->pos = L->names; /* the end of P's entries */
                }
            }
            close(L->fd);
            depth--;
            path_set(&pb, lv[depth].pathlen, NULL, 0);
            continue;
        }
        /* valid until the next read_names(), which may move the stack */
        unsigned char type = (unsigned char)k->names[L->pos];
        const char *name = k->names + L->pos + 1;
        size_t nlen = strlen(name);
        L->pos += nlen + 2;
        if (L->fd < 0)
            continue; /* lost, see above */
        path_set(&pb, L->pathlen, name, nlen);
        int cfd;
        if (entry_stat(w, L->fd, name, type, &st, &cfd) < 0) {
            stat_failed(k, L->fd, name, pb.s, follow);
            continue;
        }
        struct tree_node *n =
            take_entry(k, k->a, L->node, name, nlen, pb.s, &st, it->root_dev, false);
        if (!n) {
            if (cfd >= 0)
                close(cfd);
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            file_hook(k, n, L->fd, name, pb.s, &st);
            continue;
        }
        if (w->o.defer && w->o.defer(w->o.defer_ctx, n, pb.s, pb.len, &st, it->root_dev)) {
            if (cfd >= 0)
                close(cfd);
            continue;
        }
        if (cfd < 0)
            cfd = dir_open(L->fd, name, follow, &st);
        if (cfd < 0) {
            unreadable(k, n, pb.s, errno);
            continue;
        }
        if (handoff_wanted(w)) {
            struct item *ci = item_new(n, pb.s, pb.len, it->root_dev);
            ci->fd = cfd;
            ci->st = st;
            k->handoffs++;
            enqueue(w, ci);
            continue;
        }
        if (read_names(k, cfd, &names) < 0) {
            unreadable(k, n, pb.s, errno);
            close(cfd);
            continue;
        }
        if (pb.len >= DEEP_PATH)
            k->deep++;
        if (depth + 1 == cap) {
            cap *= 2;
            lv = xreallocarray(lv, cap, sizeof *lv);
        }
        depth++;
        lv[depth] = (struct dlevel){cfd, n, st.st_dev, st.st_ino, names, names, pb.len};
        size_t keep = w->deep_open;
        if (depth >= keep && lv[depth - keep].fd >= 0 && depth - keep > 0) {
            close(lv[depth - keep].fd);
            lv[depth - keep].fd = -1;
        }
    }
    free(lv);
    free(pb.s);
}

static void run_item(struct worker *k, struct item *it)
{
    if (it->file)
        file_hook(k, it->node, AT_FDCWD, it->path, it->path, &it->st);
    else
        walk_dir(k, it);
    free(it->path);
    free(it);
}

static void *worker_main(void *arg)
{
    struct worker *k = arg;
    struct walk *w = k->w;
    k->a = tree_arena_new(w->t);
    pthread_mutex_lock(&w->qlock);
    for (;;) {
        struct item *it = w->qhead;
        if (it) {
            w->qhead = it->next;
            if (!w->qhead)
                w->qtail = NULL;
            atomic_fetch_sub_explicit(&w->qlen, 1, memory_order_relaxed);
            pthread_mutex_unlock(&w->qlock);
            run_item(k, it);
            pthread_mutex_lock(&w->qlock);
            continue;
        }
        if (w->done)
            break;
        /* nothing queued: if every other worker waits too, the walk is over */
        w->busy--;
        if (w->busy == 0 && !w->held) {
            w->done = true;
            pthread_cond_broadcast(&w->qcond);
            break;
        }
        atomic_fetch_add_explicit(&w->idle, 1, memory_order_relaxed);
        pthread_cond_wait(&w->qcond, &w->qlock);
        atomic_fetch_sub_explicit(&w->idle, 1, memory_order_relaxed);
        w->busy++;
    }
    pthread_mutex_unlock(&w->qlock);
    free(k->names);
    free(k->dents);
    free(k->dents_ino);
    free(k->sortbuf);
    k->names = k->dents = k->sortbuf = NULL;
    k->dents_ino = NULL;
    return NULL;
}

/* ---- hardening: few file descriptors ---------------------------- */

/* descriptors kept for the rest of the process (stdio, the output file, the
 * archive reader's input), and per thread besides its walk (the file a hook
 * opens, an archive's temporary files) */
#define FD_RESERVE 10
/* besides the levels of its walk, a worker holds the file a hook opens, an
 * archive's temporary files, a
 * subdirectory just opened and one it queued for another worker */
#define FD_PER_THREAD_EXTRA 6
#define FD_MIN_WALK 8

/* fd_budget: fit threads x descriptors under RLIMIT_NOFILE (ulimit -n), so
 * that few descriptors make a slower walk (fewer threads, fewer levels kept
 * open, reopened through "..") rather than directories lost to EMFILE. */
static void fd_budget(struct walk *w)
{
    w->deep_open = DEEP_OPEN;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= (rlim_t)FD_RESERVE + (rlim_t)w->nthreads * (DEEP_OPEN + FD_PER_THREAD_EXTRA))
        return;
    long avail = (long)rl.rlim_cur - FD_RESERVE;
    long per = avail / (long)w->nthreads - FD_PER_THREAD_EXTRA;
    if (per < FD_MIN_WALK) {
        long n = avail / (FD_MIN_WALK + FD_PER_THREAD_EXTRA);
        w->nthreads = n > 1 ? (unsigned)n : 1;
        per = avail / (long)w->nthreads - FD_PER_THREAD_EXTRA;
    }
    if (per < 2)
        per = 2;
    if ((size_t)per < w->deep_open)
        w->deep_open = (size_t)per;
}

struct walk *walk_new(struct tree *t, const struct walk_opts *o)
{
    struct walk *w = xcalloc(1, sizeof *w);
    w->t = t;
    w->o = *o;
    w->nthreads = o->threads ? o->threads : walk_default_threads();
    if (w->nthreads > 256)
        w->nthreads = 256;
    fd_budget(w);
    for (unsigned i = 0; i < SHARDS; i++)
        pthread_mutex_init(&w->shards[i].lock, NULL);
    pthread_mutex_init(&w->qlock, NULL);
    pthread_cond_init(&w->qcond, NULL);
    return w;
}

void walk_add(struct walk *w, struct tree_node *parent, const char *path, const char *label)
{
    if (w->nroots == w->rootcap) {
        w->rootcap = w->rootcap ? w->rootcap * 2 : 4;
        w->roots = xreallocarray(w->roots, w->rootcap, sizeof *w->roots);
    }
    w->roots[w->nroots++] = (struct root){parent, path, label, NULL};
}

/* names_link: is path, without its trailing slashes, a symbolic link? */
static bool names_link(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    char *p = xmemdup(path, len);
    struct stat lst;
    bool link = lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode);
    free(p);
    return link;
}

/* add_root: stat one PATH on the calling thread and queue it */
static void add_root(struct walk *w, struct worker *k, struct root *r)
{
    struct stat st;
    bool deref = w->o.dereference || w->o.dereference_args;
    int rc = deref ? stat(r->path, &st) : lstat(r->path, &st);
    if (rc < 0) {
        warn(k, "cannot access", r->path, errno);
        return;
    }
    const char *label = r->label ? r->label : r->path;
    struct tree_node *n = take_entry(k, tree_main_arena(w->t), r->parent, label, strlen(label),
                                     r->path, &st, st.st_dev, true);
    if (!n)
        return;
    n->spare = (uint16_t)(r - w->roots < UINT16_MAX ? r - w->roots : UINT16_MAX);
    r->node = n;
    if (S_ISDIR(st.st_mode)) {
        struct item *it = item_new(n, r->path, strlen(r->path), st.st_dev);
        it->st = st;
        /* a PATH that names a link reached its directory (by -L, -H or a
         * trailing slash, as du): opened through the link */
        it->follow = names_link(r->path);
        enqueue(w, it);
    } else if (S_ISREG(st.st_mode) && w->o.archives && w->o.file_hook) {
        struct item *it = item_new(n, r->path, strlen(r->path), st.st_dev);
        it->file = true;
        it->st = st;
        enqueue(w, it);
    }
}

/* ---- which name of a hard-linked file carries it ------------------------ */

/* link_order: the order of two names of one file: the earlier PATH first (its
 * index is in the PATH node's spare field), then bytewise by path. du gives
 * the file to the name it meets first; this is a fixed choice instead, the
 * same whatever the threads did. */
static int link_order(struct tree_node *a, struct tree_node *b, struct tree_path_buf *la,
                      struct tree_path_buf *lb)
{
    return tree_path_cmp(a, b, la, lb, true);
}

static int cmp_linkrec(const void *x, const void *y)
{
    const struct linkrec *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return (a->ino > b->ino) - (a->ino < b->ino);
}

/* link_resolve: for every file met under several names, keep its weights on
 * the first name in link_order and zero the others (flagged TREE_HARDLINK),
 * so the file counts once. Runs after the workers are joined. */
static void link_resolve(struct walk *w)
{
    struct tree_path_buf la = {0}, lb = {0};
    for (unsigned s = 0; s < SHARDS; s++) {
        struct shard *sh = &w->shards[s];
        if (sh->nrecs) /* qsort with a NULL base is undefined, even for 0 */
            qsort(sh->recs, sh->nrecs, sizeof *sh->recs, cmp_linkrec);
        for (size_t i = 0, j; i < sh->nrecs; i = j) {
            struct tree_node *win = sh->recs[i].node;
            for (j = i + 1; j < sh->nrecs && cmp_linkrec(&sh->recs[i], &sh->recs[j]) == 0; j++)
                if (link_order(sh->recs[j].node, win, &la, &lb) < 0)
                    win = sh->recs[j].node;
            for (size_t m = i; m < j; m++) {
                struct tree_node *n = sh->recs[m].node;
                tree_link_set(
                    w->t, n,
                    &(struct tree_link){sh->recs[m].dev, sh->recs[m].ino, sh->recs[m].nlink});
                if (n == win)
                    continue;
                for (unsigned k = 0; k < TREE_MAXW; k++)
                    tree_set_w(n, k, 0);
                /* an archive read under this name too (--archives): its
                 * entries are counted under the chosen name only */
                tree_set_first_child(n, NULL);
                n->flags = (uint16_t)((n->flags & ~TREE_ARCHIVE) | TREE_HARDLINK);
                /* archives: the contents the file hook filled in
                 * count with the winner only */
                tree_set_first_child(n, NULL);
                n->flags &= (uint16_t)~TREE_ARCHIVE;
            }
        }
    }
    free(la.v);
    free(lb.v);
}

int walk_run(struct walk *w)
{
    w->hash_all = w->nroots > 1 || w->o.dereference || w->o.several_paths;
    struct worker main_k = {.w = w};
    for (size_t i = 0; i < w->nroots; i++)
        add_root(w, &main_k, &w->roots[i]);

    w->workers = xcalloc(w->nthreads, sizeof *w->workers);
    pthread_mutex_lock(&w->qlock);
    w->busy = w->nthreads;
    w->held = w->o.hold;
    w->running = true;
    pthread_mutex_unlock(&w->qlock);
    unsigned created = 0;
    for (unsigned i = 0; i < w->nthreads; i++) {
        w->workers[i].w = w;
        if (pthread_create(&w->workers[i].thread, NULL, worker_main, &w->workers[i]) != 0)
            break;
        created++;
    }
    unsigned ran = created;
    if (created < w->nthreads) {
        /* fewer threads than asked: the ones that run share the work, and if
         * they all wait already, the walk is over */
        pthread_mutex_lock(&w->qlock);
        w->busy -= w->nthreads - (created ? created : 1);
        if (created && w->busy == 0 && !w->held) {
            w->done = true;
            pthread_cond_broadcast(&w->qcond);
        }
        pthread_mutex_unlock(&w->qlock);
        if (created == 0) {
            w->nthreads = 1;
            worker_main(&w->workers[0]);
            ran = 1;
        }
    }
    for (unsigned i = 0; i < created; i++)
        pthread_join(w->workers[i].thread, NULL);

    if (!w->o.links_elsewhere)
        link_resolve(w);
    for (size_t i = 0; i < w->nroots; i++)
        if (w->roots[i].node)
            w->roots[i].node->spare = 0; /* back to free for the caller */

    struct walk_stats *s = &w->stats;
    int status = main_k.status;
    s->entries = main_k.entries;
    s->dirs = main_k.dirs;
    s->errors = main_k.errors;
    for (unsigned i = 0; i < ran; i++) {
        struct worker *k = &w->workers[i];
        s->entries += k->entries;
        s->dirs += k->dirs;
        s->handoffs += k->handoffs;
        s->deep += k->deep;
        s->errors += k->errors;
        if (k->status)
            status = 1;
    }
    w->status = status;
    return status;
}

/* ---- a walk shared with other processes ------------------------------- */

void walk_graft(struct walk *w, struct tree_node *node, const char *path, const struct stat *st,
                dev_t root_dev)
{
    struct item *it = item_new(node, path, strlen(path), root_dev);
    it->st = *st;
    enqueue(w, it);
}

void walk_release(struct walk *w)
{
    pthread_mutex_lock(&w->qlock);
    w->held = false;
    if (w->running && w->busy == 0) {
        w->done = true;
        pthread_cond_broadcast(&w->qcond);
    }
    pthread_mutex_unlock(&w->qlock);
}

bool walk_idle(struct walk *w)
{
    pthread_mutex_lock(&w->qlock);
    bool idle = w->running && w->busy == 0 && !w->qhead;
    pthread_mutex_unlock(&w->qlock);
    return idle;
}

void walk_counted(struct walk *w, dev_t dev, ino_t ino)
{
    (void)linkset_insert(w->shards, dev, ino);
}

struct tree_node *walk_root(const struct walk *w, size_t i)
{
    return i < w->nroots ? w->roots[i].node : NULL;
}

void walk_links(const struct walk *w,
                void (*fn)(void *ctx, struct tree_node *n, const struct tree_link *l), void *ctx)
{
    for (unsigned s = 0; s < SHARDS; s++)
        for (size_t i = 0; i < w->shards[s].nrecs; i++) {
            const struct linkrec *r = &w->shards[s].recs[i];
            fn(ctx, r->node, &(struct tree_link){r->dev, r->ino, r->nlink});
        }
}

void walk_get_stats(const struct walk *w, struct walk_stats *s)
{
    *s = w->stats;
}

void walk_free(struct walk *w)
{
    if (!w)
        return;
    for (unsigned i = 0; i < SHARDS; i++) {
        pthread_mutex_destroy(&w->shards[i].lock);
        free(w->shards[i].slots);
        free(w->shards[i].recs);
    }
    while (w->qhead) {
        struct item *it = w->qhead;
        w->qhead = it->next;
        if (it->fd >= 0)
            close(it->fd);
        free(it->path);
        free(it);
    }
    pthread_mutex_destroy(&w->qlock);
    pthread_cond_destroy(&w->qcond);
    free(w->workers);
    free(w->roots);
    free(w);
}
