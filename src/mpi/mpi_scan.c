/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mpi_scan: the walk shared by the ranks (see mpi_scan.h): the held walker
 * on a thread of its own, the calling thread talking MPI. Rank 0 queues the
 * directories given away and hands them to idle ranks; a rank that has no
 * work says so once (REQ), a busy rank asked to share (STEAL) gives away the
 * next directories its walker meets. Messages go one way per pair in the
 * order sent, so a rank's gifts reach rank 0 before its REQ: when all ranks
 * are idle and nothing is queued, nothing is in flight. Both sides run one
 * loop (converse); a struct side says what each does with its walker's
 * gifts, its walker running dry and each message. The file hook reads
 * archives where they are met (on_file).
 */
#include "diag.h"
#include "mpi_int.h"
#include "scan.h"
#include "source.h"
#include "util.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAG_CTL 11
/* message kinds, the first byte */
enum { M_REQ = 1, M_GIFT, M_WORK, M_STEAL, M_DONE };
/* a directory whose path is longer is walked where it was met: another rank
 * opens by path, and the walker below reaches any depth through descriptors */
#define GIFT_PATH (PATH_MAX / 2)

/* ---- small helpers ---- */

bool ms_is_ph(const struct tree_node *n, size_t *u)
{
    if (n->len != PH_LEN || n->name[0] != '\0')
        return false;
    uint64_t v;
    memcpy(&v, n->name + 1, 8);
    *u = (size_t)v;
    return true;
}

void ms_key(struct ms *m, struct keybuf *kb, struct wire_buf *b, struct tree_node *n)
{
    size_t k = 0;
    for (struct tree_node *p = n; tree_parent(p); p = tree_parent(p)) {
        if (k == kb->cap) {
            kb->cap = kb->cap ? kb->cap * 2 : 64;
            kb->v = xreallocarray(kb->v, kb->cap, sizeof *kb->v);
        }
        kb->v[k++] = p;
    }
    /* kb->v[k-1] is the top: a PATH's node or a placeholder */
    struct tree_node *top = kb->v[k - 1];
    size_t u;
    if (ms_is_ph(top, &u)) {
        wire_put_raw(b, m->units[u].prefix, m->units[u].plen);
        k--;
    } else {
        unsigned char idx[2] = {(unsigned char)(top->spare >> 8), (unsigned char)top->spare};
        wire_put_raw(b, idx, 2);
    }
    while (k--)
        wire_put_bytes(b, kb->v[k]->name, kb->v[k]->len);
}

void ms_say(struct ms *m, const char *msg)
{
    if (m->rank == 0) {
        if (m->o->warn)
            m->o->warn(m->o->warn_ctx, msg);
        return;
    }
    pthread_mutex_lock(&m->mu);
    wire_put_bytes(&m->warns, msg, strlen(msg));
    m->nwarns++;
    pthread_mutex_unlock(&m->mu);
}

/* the walker's warnings, worded as duflame words them */
static void on_walk_warn(void *ctx, const char *what, const char *path, int errnum)
{
    char *q = diag_quote(path, strlen(path));
    char *msg = errnum ? xasprintf("%s '%s': %s", what, q, strerror(errnum))
                       : xasprintf("%s '%s'", what, q);
    ms_say(ctx, msg);
    free(msg);
    free(q);
}

/* a pause that grows while nothing happens: no core spun at 100% */
void ms_nap(unsigned *us)
{
    struct timespec ts = {0, (long)*us * 1000};
    nanosleep(&ts, NULL);
    if (*us < 2000)
        *us *= 2;
}

void ms_wait(MPI_Request *req)
{
    unsigned us = 20;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        ms_nap(&us);
    }
}

/* ---- archives ---- */

static void on_arc_warn(void *ctx, const char *msg)
{
    ms_say(ctx, msg);
}

/* the walker's file hook: a regular file as duflame's scan reads it (a
 * PATH's always, as an archive given as input; one met in a directory with
 * --archives), on this rank; its note kept (ms_note) */
static int on_file(const struct walk_opts *wo, struct tree_arena *a, struct tree_node *node,
                   int dirfd, const char *name, const char *path, const struct stat *st)
{
    struct ms *m = wo->hook_ctx;
    /* a PATH's node hangs right under the root (a unit's under its
     * placeholder) */
    bool input = tree_parent(node) && !tree_parent(tree_parent(node));
    if ((!input && !m->o->archives) || (node->flags & TREE_HARDLINK))
        return 0;
    struct arc_opts ao = m->o->arc;
    ao.warn = on_arc_warn;
    ao.warn_ctx = m;
    ao.info = m->o->archives ? ms_note : NULL;
    ao.info_ctx = m;
    return source_arc_file(a, node, dirfd, name, path, st, input, &ao);
}

/* ---- sends in flight ---- */

struct sends {
    MPI_Request *req;
    unsigned char **buf;
    size_t n, cap;
};

static void send_msg(struct ms *m, struct sends *s, int to, struct wire_buf *b)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->req = xreallocarray(s->req, s->cap, sizeof *s->req);
        s->buf = xreallocarray(s->buf, s->cap, sizeof *s->buf);
    }
    s->buf[s->n] = b->p;
    MPI_Isend(b->p, (int)b->len, MPI_BYTE, to, TAG_CTL, m->comm, &s->req[s->n]);
    s->n++;
    *b = (struct wire_buf){0};
}

static void send_kind(struct ms *m, struct sends *s, int to, unsigned kind, uint64_t arg)
{
    struct wire_buf b = {0};
    wire_put_u64(&b, kind);
    wire_put_u64(&b, arg);
    send_msg(m, s, to, &b);
}

/* sends_reap: free what was sent; all of it when wait */
static void sends_reap(struct sends *s, bool wait)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        int done = 0;
        if (wait)
            ms_wait(&s->req[i]), done = 1;
        else
            MPI_Test(&s->req[i], &done, MPI_STATUS_IGNORE);
        if (done) {
            free(s->buf[i]);
        } else {
            s->req[k] = s->req[i];
            s->buf[k++] = s->buf[i];
        }
    }
    s->n = k;
}

/* ---- directories given away ---- */

/* the defer hook, on a walker thread: give this directory away when rank
 * 0 asked for some */
static bool on_defer(void *ctx, struct tree_node *n, const char *path, size_t len,
                     const struct stat *st, dev_t root_dev)
{
    struct ms *m = ctx;
    if (len > GIFT_PATH || atomic_load_explicit(&m->want, memory_order_relaxed) <= 0)
        return false;
    /* the shallower, the more work it is likely to hold */
    int depth = 0, most = atomic_load_explicit(&m->depth, memory_order_relaxed);
    for (const struct tree_node *p = n; tree_parent(p) && depth <= most; p = tree_parent(p))
        depth++;
    if (depth > most)
        return false;
    if (atomic_fetch_sub(&m->want, 1) <= 0) {
        atomic_fetch_add(&m->want, 1);
        return false;
    }
    pthread_mutex_lock(&m->mu);
    if (m->ndonated == m->capdonated) {
        m->capdonated = m->capdonated ? m->capdonated * 2 : 64;
        m->donated = xreallocarray(m->donated, m->capdonated, sizeof *m->donated);
    }
    uint64_t seq = m->ndonated;
    m->donated[m->ndonated++] = n;
    struct wire_buf *b = &m->outbox;
    wire_put_u64(b, (uint64_t)m->rank);
    wire_put_u64(b, seq);
    wire_put_u64(b, (uint64_t)st->st_dev);
    wire_put_u64(b, (uint64_t)st->st_ino);
    wire_put_u64(b, (uint64_t)root_dev);
    wire_put_bytes(b, path, len);
    struct wire_buf key = {0};
    ms_key(m, &m->kb, &key, n);
    wire_put_bytes(b, key.p, key.len);
    free(key.p);
    pthread_mutex_unlock(&m->mu);
    return true;
}

/* take_outbox: the items given away since last time (mu) */
static struct wire_buf take_outbox(struct ms *m)
{
    pthread_mutex_lock(&m->mu);
    struct wire_buf b = m->outbox;
    m->outbox = (struct wire_buf){0};
    pthread_mutex_unlock(&m->mu);
    return b;
}

/* graft: walk one item given to this rank, into a placeholder. Returns -1
 * on a malformed item. */
static int graft(struct ms *m, struct wire_rd *r)
{
    uint64_t donor = wire_get_u64(r), seq = wire_get_u64(r);
    struct stat st = {0};
    st.st_dev = (dev_t)wire_get_u64(r);
    st.st_ino = (ino_t)wire_get_u64(r);
    st.st_mode = S_IFDIR;
    dev_t root_dev = (dev_t)wire_get_u64(r);
    size_t plen, klen;
    const char *path = wire_get_bytes(r, &plen);
    const unsigned char *key = wire_get_bytes(r, &klen);
    if (r->bad)
        return -1;
    char *p = xmemdup(path, plen);
    pthread_mutex_lock(&m->mu);
    if (m->nunits == m->capunits) {
        m->capunits = m->capunits ? m->capunits * 2 : 16;
        m->units = xreallocarray(m->units, m->capunits, sizeof *m->units);
    }
    uint64_t u = m->nunits;
    char name[PH_LEN] = {0};
    memcpy(name + 1, &u, 8);
    struct tree_node *ph = tree_add(m->a, m->t->root, name, PH_LEN);
    ph->flags = TREE_DIR;
    m->units[m->nunits++] =
        (struct unit){ph, donor, seq, (unsigned char *)xmemdup(key, klen), klen};
    pthread_mutex_unlock(&m->mu);
    m->st.units++;
    walk_graft(m->w, ph, p, &st, root_dev);
    free(p);
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* deepen: while asked to share, give away shallow directories first (they
 * hold more), and deeper ones the longer none is met: one level more every
 * 2 ms; back to the top after each gift */
#define DEEPEN_EVERY 0.002
static void deepen(struct ms *m, bool gave)
{
    double t = now();
    if (gave || atomic_load(&m->want) <= 0) {
        atomic_store(&m->depth, 2);
        m->want_since = t;
    } else if (t - m->want_since > DEEPEN_EVERY) {
        if (atomic_load(&m->depth) < (1 << 20))
            atomic_fetch_add(&m->depth, 1);
        m->want_since = t;
    }
}

/* ---- the walk thread ---- */

static void *walk_main(void *arg)
{
    struct ms *m = arg;
    m->status = walk_run(m->w);
    return NULL;
}

/* ---- the conversation, on the calling thread ---- */

/* One side of it: rank 0 (the queue and the idle ranks) or another rank.
 * The loop (converse) is the same on both; what a side does with its
 * walker's gifts, its walker running dry and each message is its own. */
struct side {
    int from; /* whose control messages it reads: MPI_ANY_SOURCE or 0 */
    /* gave: the directories this rank's walker gave away (encoded items) */
    void (*gave)(struct ms *m, void *st, struct sends *s, const struct wire_buf *out);
    /* dry: the walker is idle; true when that was news */
    bool (*dry)(struct ms *m, void *st, struct sends *s);
    /* got: one message: 0, 1 when the walk is over, -1 when malformed */
    int (*got)(struct ms *m, void *st, struct sends *s, int from, uint64_t kind,
               struct wire_rd *rd);
    /* step: after the messages (may be NULL): true when the walk is over */
    bool (*step)(struct ms *m, void *st, struct sends *s, bool *moved);
};

/* ms_recv: a message with tag waiting from rank from (or MPI_ANY_SOURCE),
 * into b, whose memory is reused when large enough; its sender, or -1 */
int ms_recv(struct ms *m, int from, int tag, struct wire_buf *b)
{
    int flag = 0;
    MPI_Status s;
    MPI_Iprobe(from, tag, m->comm, &flag, &s);
    if (!flag)
        return -1;
    int count = 0;
    MPI_Get_count(&s, MPI_BYTE, &count);
    if ((size_t)count + 1 > b->cap) {
        free(b->p);
        b->cap = (size_t)count + 1;
        b->p = xmalloc(b->cap);
    }
    b->len = (size_t)count;
    MPI_Recv(b->p, count, MPI_BYTE, s.MPI_SOURCE, tag, m->comm, MPI_STATUS_IGNORE);
    return s.MPI_SOURCE;
}

/* converse: until the walk is over; 0, or -1 when a message was malformed */
static int converse(struct ms *m, const struct side *sd, void *st, struct sends *s)
{
    unsigned us = 20;
    int rc = 0;
    struct wire_buf b = {0}; /* the control messages, one at a time */
    for (;;) {
        bool moved = false, over = false;
        sends_reap(s, false);
        /* idle first, then the gifts: every gift made before idling is in */
        bool idle = walk_idle(m->w);
        struct wire_buf out = take_outbox(m);
        deepen(m, out.len > 0);
        if (out.len) {
            sd->gave(m, st, s, &out);
            moved = true;
        }
        free(out.p);
        if (idle && sd->dry(m, st, s)) {
            atomic_store(&m->want, 0);
            moved = true;
        }
        int from;
        while (!over && (from = ms_recv(m, sd->from, TAG_CTL, &b)) >= 0) {
            struct wire_rd rd = {b.p, b.p + b.len, false};
            uint64_t kind = wire_get_u64(&rd);
            int k = sd->got(m, st, s, from, kind, &rd);
            if (k < 0)
                rc = -1;
            over = k > 0;
            moved = true;
        }
        if (!over && sd->step)
            over = sd->step(m, st, s, &moved);
        if (over) {
            free(b.p);
            return rc;
        }
        if (moved)
            us = 20;
        else
            ms_nap(&us);
    }
}

/* ---- rank 0: the queue and the idle ranks ---- */

struct coord {
    unsigned char **items; /* each item encoded alone */
    size_t *lens;
    size_t head, n, cap;
    bool *idle, *asked; /* per rank: waiting for work; asked to share */
    int nidle;
};

static void queue_items(struct ms *m, struct coord *c, const unsigned char *p, size_t len)
{
    struct wire_rd r = {p, p + len, false};
    while (r.p < r.end && !r.bad) {
        const unsigned char *s = r.p;
        for (int i = 0; i < 5; i++)
            (void)wire_get_u64(&r);
        size_t n;
        (void)wire_get_bytes(&r, &n);
        (void)wire_get_bytes(&r, &n);
        if (r.bad)
            break;
        if (c->head + c->n == c->cap) {
            if (c->head) {
                memmove(c->items, c->items + c->head, c->n * sizeof *c->items);
                memmove(c->lens, c->lens + c->head, c->n * sizeof *c->lens);
                c->head = 0;
            } else {
                c->cap = c->cap ? c->cap * 2 : 64;
                c->items = xreallocarray(c->items, c->cap, sizeof *c->items);
                c->lens = xreallocarray(c->lens, c->cap, sizeof *c->lens);
            }
        }
        c->items[c->head + c->n] = (unsigned char *)xmemdup(s, (size_t)(r.p - s));
        c->lens[c->head + c->n] = (size_t)(r.p - s);
        c->n++;
        m->ngifts++;
    }
}

static void set_idle(struct coord *c, int r, bool idle)
{
    if (c->idle[r] != idle)
        c->nidle += idle ? 1 : -1;
    c->idle[r] = idle;
    c->asked[r] = false;
}

/* dispatch: queued items to idle ranks; true if something moved */
static bool dispatch(struct ms *m, struct coord *c, struct sends *s)
{
    bool moved = false;
    for (int r = 0; r < m->size && c->n; r++) {
        if (!c->idle[r])
            continue;
        unsigned char *it = c->items[c->head];
        size_t len = c->lens[c->head];
        c->head++;
        c->n--;
        if (r == 0) {
            struct wire_rd rd = {it, it + len, false};
            graft(m, &rd);
            free(it);
        } else {
            struct wire_buf b = {0};
            wire_put_u64(&b, M_WORK);
            wire_put_raw(&b, it, len);
            free(it);
            send_msg(m, s, r, &b);
        }
        set_idle(c, r, false);
        moved = true;
    }
    return moved;
}

/* steal: nothing queued, some ranks idle: ask the busy ones to share */
static void steal(struct ms *m, struct coord *c, struct sends *s)
{
    int busy = m->size - c->nidle;
    if (!c->nidle || c->n || busy <= 0)
        return;
    int k = (c->nidle + busy - 1) / busy;
    for (int r = 0; r < m->size; r++) {
        if (c->idle[r] || c->asked[r])
            continue;
        c->asked[r] = true;
        if (r == 0)
            atomic_fetch_add(&m->want, k);
        else
            send_kind(m, s, r, M_STEAL, (uint64_t)k);
    }
}

static void coord_gave(struct ms *m, void *st, struct sends *s, const struct wire_buf *out)
{
    struct coord *c = st;
    (void)s;
    queue_items(m, c, out->p, out->len);
    c->asked[0] = false;
}

static bool coord_dry(struct ms *m, void *st, struct sends *s)
{
    struct coord *c = st;
    (void)m, (void)s;
    if (c->idle[0])
        return false;
    set_idle(c, 0, true);
    return true;
}

static int coord_got(struct ms *m, void *st, struct sends *s, int from, uint64_t kind,
                     struct wire_rd *rd)
{
    struct coord *c = st;
    (void)s;
    if (kind == M_REQ) {
        set_idle(c, from, true);
    } else if (kind == M_GIFT) {
        queue_items(m, c, rd->p, (size_t)(rd->end - rd->p));
        c->asked[from] = false;
    } else {
        return -1;
    }
    return 0;
}

/* the walk is over when every rank is idle and nothing is queued (nothing
 * is in flight then: see the top of this file) */
static bool coord_step(struct ms *m, void *st, struct sends *s, bool *moved)
{
    struct coord *c = st;
    *moved |= dispatch(m, c, s);
    if (c->nidle == m->size && !c->n)
        return true;
    steal(m, c, s);
    return false;
}

static const struct side coord_side = {MPI_ANY_SOURCE, coord_gave, coord_dry, coord_got,
                                       coord_step};

/* ---- the other ranks ---- */

/* a test hook: DUFLAME_MPI_TEST_KILL=R ends rank R with SIGKILL when it
 * is given its first directory (or at the end of the walk) */
static void test_kill(const struct ms *m)
{
    const char *s = getenv("DUFLAME_MPI_TEST_KILL");
    if (s && *s && atoi(s) == m->rank)
        raise(SIGKILL);
}

struct asker {
    bool asked; /* said REQ, no work since */
};

static void work_gave(struct ms *m, void *st, struct sends *s, const struct wire_buf *out)
{
    (void)st;
    struct wire_buf b = {0};
    wire_put_u64(&b, M_GIFT);
    wire_put_raw(&b, out->p, out->len);
    send_msg(m, s, 0, &b);
}

static bool work_dry(struct ms *m, void *st, struct sends *s)
{
    struct asker *k = st;
    if (k->asked)
        return false;
    send_kind(m, s, 0, M_REQ, 0);
    k->asked = true;
    return true;
}

static int work_got(struct ms *m, void *st, struct sends *s, int from, uint64_t kind,
                    struct wire_rd *rd)
{
    struct asker *k = st;
    (void)s, (void)from;
    if (kind == M_WORK) {
        test_kill(m);
        atomic_store(&m->want, 0);
        k->asked = false;
        return graft(m, rd) < 0 ? -1 : 0;
    }
    if (kind == M_STEAL) {
        uint64_t arg = wire_get_u64(rd);
        if (!k->asked)
            atomic_fetch_add(&m->want, (int)(arg < 1024 ? arg : 1024));
        return 0;
    }
    return kind == M_DONE ? 1 : -1;
}

static const struct side work_side = {0, work_gave, work_dry, work_got, NULL};

/* share: this rank's side of the walk, until it is over */
static int share(struct ms *m)
{
    struct sends s = {0};
    struct coord c = {0};
    struct asker k = {0};
    int rc;
    if (m->rank == 0) {
        c.idle = xcalloc((size_t)m->size, sizeof *c.idle);
        c.asked = xcalloc((size_t)m->size, sizeof *c.asked);
        rc = converse(m, &coord_side, &c, &s);
        for (int r = 1; r < m->size; r++)
            send_kind(m, &s, r, M_DONE, 0);
        for (size_t i = 0; i < c.n; i++)
            free(c.items[c.head + i]);
        free(c.items);
        free(c.lens);
        free(c.idle);
        free(c.asked);
    } else {
        rc = converse(m, &work_side, &k, &s);
    }
    sends_reap(&s, true);
    free(s.req);
    free(s.buf);
    return rc;
}

/* ---- the load ---- */

/* with several PATHs every inode counts once: the PATHs themselves are met
 * first on rank 0, so the others learn them before they walk */
static void seed_paths(struct ms *m, const char *const *paths, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (lstat(paths[i], &st) == 0 &&
            !walk_exclude_match(m->wo.excludes, m->wo.nexcludes, paths[i]))
            walk_counted(m->w, st.st_dev, st.st_ino);
    }
}

static void ms_free(struct ms *m)
{
    for (size_t i = 0; i < m->nunits; i++)
        free(m->units[i].prefix);
    free(m->units);
    free(m->donated);
    free(m->outbox.p);
    free(m->warns.p);
    free(m->kb.v);
    free(m->notes);
    if (m->w)
        walk_free(m->w);
    pthread_mutex_destroy(&m->mu);
}

struct tree *mpi_scan_load(MPI_Comm comm, const char *const *paths, size_t n,
                           const struct mpi_scan_opts *o, int *status, struct mpi_scan_stats *stats)
{
    struct ms m = {.comm = comm, .o = o, .npaths = n};
    MPI_Comm_rank(comm, &m.rank);
    MPI_Comm_size(comm, &m.size);
    pthread_mutex_init(&m.mu, NULL);
    m.t = scan_tree_new(o->root_name);
    m.a = tree_arena_new(m.t);
    m.wo = o->walk;
    m.wo.warn = on_walk_warn;
    m.wo.warn_ctx = &m;
    m.wo.tick = NULL;
    m.wo.archives = true; /* a PATH that is a file is offered always */
    m.wo.file_hook = on_file;
    m.wo.hook_inside = o->archives;
    m.wo.hook_ctx = &m;
    m.wo.defer = on_defer;
    m.wo.defer_ctx = &m;
    m.wo.hold = true;
    m.wo.links_elsewhere = !m.wo.count_links;
    m.wo.several_paths = n > 1;
    m.w = walk_new(m.t, &m.wo);
    if (m.rank == 0)
        for (size_t i = 0; i < n; i++)
            walk_add(m.w, m.t->root, paths[i], NULL);
    else
        seed_paths(&m, paths, n);

    double t0 = now();
    pthread_t th;
    int rc = 0;
    if (pthread_create(&th, NULL, walk_main, &m) != 0) {
        ms_say(&m, "cannot start a thread: out of resources");
        MPI_Abort(comm, 2);
    }
    rc = share(&m);
    walk_release(m.w);
    pthread_join(th, NULL);
    if (m.rank != 0 && m.st.units == 0)
        test_kill(&m);
    m.st.walk_seconds = now() - t0;
    struct walk_stats ws;
    walk_get_stats(m.w, &ws);
    m.st.entries = ws.entries;
    m.st.donated = m.ndonated;
    if (rc < 0)
        ms_say(&m, "malformed message between ranks");
    /* the PATHs' order, for the keys of hard links */
    for (size_t i = 0; i < n; i++) {
        struct tree_node *r = walk_root(m.w, i);
        if (r)
            r->spare = (uint16_t)(i < UINT16_MAX ? i : UINT16_MAX);
    }
    if (ms_links(&m) < 0)
        rc = -1;
    /* the walker's inode sets and link records are not needed any more:
     * gone before the parts come in */
    walk_free(m.w);
    m.w = NULL;
    if (ms_merge(&m) < 0)
        rc = -1;
    int mine = rc < 0 ? 2 : m.status, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MAX, comm);
    *status = all;
    if (stats)
        *stats = m.st;
    struct tree *t = m.t;
    m.t = NULL;
    ms_free(&m);
    if (m.rank != 0) {
        tree_free(t);
        return NULL;
    }
    tree_finish(t);
    return t;
}
