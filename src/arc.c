/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc: the entry points of include/arc.h. One call reads one outermost
 * archive: its head and reader come from arc_open, its entries become nodes
 * through arc_level (and arc_nested below it); what is left here is the
 * order of those steps, the locale libarchive decodes names under, the
 * weights of an archive met in a scan, and a pipe that held no archive.
 *
 * The rest of the reader, one job a file:
 *   arc_ctx     one read's limits, budgets, status and messages
 *   arc_sniff   what the first bytes say (and arc_name_says_archive)
 *   arc_reader  libarchive readers with the in-process filter whitelist
 *   arc_open    the outermost archive's head, and how its bytes are fed
 *   arc_feed    libarchive's read/skip/seek callbacks over fd, pipe, parent
 *   arc_dec     gzip/xz/zstd decoded here; arc_xz: xz on several threads
 *   arc_whole   a member that needs seeking, held in memory or spooled
 *   arc_level   an archive's entries become tree nodes; the limits
 *   arc_nested  a member that is an archive itself
 *   arc_stored  each entry's bytes in the archive file; arc_zipdir: a zip's
 *               member offsets
 */
#include "arc.h"
#include "arc_level.h"
#include "arc_open.h"
#include "arc_reader.h"
#include "arc_stored.h"
#include "util.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void arc_opts_init(struct arc_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_depth = ARC_DEFAULT_DEPTH;
    o->max_entries = ARC_DEFAULT_ENTRIES;
    o->max_bytes = 0;
    o->max_memory = ARC_DEFAULT_MEMORY;
    o->max_spool = ARC_DEFAULT_SPOOL;
}

/* ---- scan weights ---------------------------------------------------------- */

static uint64_t share(uint64_t total, uint64_t cum, uint64_t whole)
{
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)((u128)total * cum / whole);
}

static uint64_t extracted_bytes(struct tree_node *arc)
{
    uint64_t extracted = 0;
    struct tree_iter it;
    tree_iter_init(&it, arc);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t e = tree_w(n, TREE_W_DISK);
        extracted = extracted > UINT64_MAX - e ? UINT64_MAX : extracted + e;
    }
    return extracted;
}

/* apportion: in a scan, the archive node keeps the weights it came with;
 * its descendants share them by extracted size (cumulative rounding, so
 * the shares sum exactly). Returns the extracted bytes. */
static uint64_t apportion(struct tree_node *arc, uint64_t disk, uint64_t apparent)
{
    uint64_t extracted = extracted_bytes(arc);
    uint64_t cum = 0, dprev = 0, aprev = 0;
    struct tree_iter it;
    tree_iter_init(&it, arc);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t e = tree_w(n, TREE_W_DISK);
        tree_set_w(n, TREE_W_COUNT, 0);
        if (!extracted) {
            tree_set_w(n, TREE_W_APPARENT, 0);
            tree_set_w(n, TREE_W_DISK, tree_w(n, TREE_W_APPARENT));
            continue;
        }
        cum = cum > UINT64_MAX - e ? UINT64_MAX : cum + e;
        if (cum > extracted)
            cum = extracted;
        uint64_t d = share(disk, cum, extracted), a = share(apparent, cum, extracted);
        tree_set_w(n, TREE_W_DISK, d - dprev);
        tree_set_w(n, TREE_W_APPARENT, a - aprev);
        dprev = d;
        aprev = a;
    }
    tree_set_w(arc, TREE_W_DISK, extracted ? 0 : disk);
    tree_set_w(arc, TREE_W_APPARENT, extracted ? 0 : apparent);
    return extracted;
}

/* ---- one outermost archive --------------------------------------------------- */

/* Names are decoded by libarchive through the thread's locale: under a
 * non-UTF-8 locale (LANG=C) a UTF-8 zip name cannot be converted and is
 * lost, so the reading thread switches to C.UTF-8 while it reads. */
struct locale_guard {
    locale_t old, utf8;
};

static void locale_enter(struct locale_guard *g)
{
    g->old = (locale_t)0;
    g->utf8 = (locale_t)0;
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        return;
    g->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (g->utf8 != (locale_t)0)
        g->old = uselocale(g->utf8);
}

static void locale_leave(struct locale_guard *g)
{
    if (g->utf8 != (locale_t)0) {
        uselocale(g->old);
        freelocale(g->utf8);
    }
}

/* read_top: the entries of an archive with a first header, under node */
static void read_top(struct arc_ctx *c, struct arc_top *t, struct tree_node *node, int r,
                     struct archive_entry *e)
{
    uint64_t disk = tree_w(node, TREE_W_DISK), apparent = tree_w(node, TREE_W_APPARENT);
    uint64_t count = tree_w(node, TREE_W_COUNT), stored = tree_w(node, TREE_W_STORED);
    node->flags |= TREE_ARCHIVE;
    tree_set_w(node, TREE_W_DISK, 0);
    tree_set_w(node, TREE_W_APPARENT, 0);
    tree_set_w(node, TREE_W_COUNT, 0);
    tree_set_w(node, TREE_W_STORED, 0);
    struct arc_level lv = {.c = c,
                           .ar = t->ar,
                           .node = node,
                           .label = xstrdup(t->label),
                           .depth = 1,
                           .map = t->f.dec || t->f.xz ? &t->f.map : NULL};
    struct arc_zipsrc zs = {.fd = -1};
    if (t->mem)
        zs = (struct arc_zipsrc){.mem = t->mem, .fd = -1, .size = t->len};
    else if (t->whole)
        zs = (struct arc_zipsrc){.mem = t->w.mem, .fd = t->w.fd, .size = arc_whole_size(&t->w)};
    else if (t->f.seekable)
        zs = (struct arc_zipsrc){.fd = t->fd, .size = c->file_size};
    if (zs.mem || zs.fd >= 0) {
        lv.zip = arc_level_zipdir(&lv, &zs);
        lv.sz = arc_level_7zdir(&lv, &zs);
    }
    arc_level_read(&lv, r, e);
    free(lv.label);
    /* the entries and the overhead add up to the file (or the bytes of the
     * pipe read) */
    arc_level_stored_end(&lv, c->file_size ? c->file_size : c->pipe_bytes);
    arc_zipdir_free(lv.zip);
    arc_7zdir_free(lv.sz);
    if (t->mode != ARC_SCAN)
        return;
    /* in a scan, the file's stored bytes are its disk usage: shared out */
    tree_share_stored(node, stored);
    uint64_t extracted = apportion(node, disk, apparent);
    tree_set_w(node, TREE_W_COUNT, count);
    if (c->o->info)
        c->o->info(c->o->info_ctx, node, extracted, disk, apparent);
}

/* read_opened: the first header of the opened reader says archive or not */
static void read_opened(struct arc_ctx *c, struct arc_top *t, struct tree_node *node, int open_r)
{
    int r = ARCHIVE_OK;
    struct archive_entry *e = NULL;
    int fh = arc_reader_first_header(t->ar, open_r, &r, &e);
    if (fh > 0 && arc_reader_external(t->ar)) {
        arc_warn_external(c, t->label);
        fh = -2;
    }
    if (fh == -1 && (t->says || t->s == ARC_SNIFF_STREAM || t->s == ARC_SNIFF_SEEK)) {
        /* it looked like an archive and is broken at its start */
        const char *msg = archive_error_string(t->ar);
        arc_warn_archive(c, t->label, msg ? msg : "not an archive");
        node->flags |= TREE_UNREADABLE;
    } else if (fh == 0 && t->says && archive_format(t->ar) == ARCHIVE_FORMAT_RAW) {
        arc_warn_archive(c, t->label, "not an archive duflame can read");
        node->flags |= TREE_UNREADABLE;
    }
    if (fh > 0)
        read_top(c, t, node, r, e);
    if (fh > 0 || (node->flags & TREE_UNREADABLE))
        arc_top_changed(c, t);
}

/* read_offered: set up a reader on the source and read it */
static void read_offered(struct arc_ctx *c, struct arc_top *t, struct tree_node *node)
{
    struct locale_guard lg;
    locale_enter(&lg);
    t->ar = arc_reader_new();
    if (!t->ar) {
        arc_warn_archive(c, t->label, "out of memory");
        node->flags |= TREE_UNREADABLE;
    } else {
        int open_r = arc_top_open(c, t);
        if (open_r != ARC_TOP_NOT_OPENED)
            read_opened(c, t, node, open_r);
        arc_top_close(c, t);
    }
    locale_leave(&lg);
}

/* pipe_rest: a pipe given as input that holds no archive is a file of the
 * bytes it held: read the rest and count them */
static void pipe_rest(struct arc_ctx *c, const struct arc_top *t, struct tree_node *node)
{
    if (t->mem || t->regular || t->mode != ARC_INPUT || (node->flags & TREE_ARCHIVE))
        return;
    unsigned char small[4096];
    unsigned char *big = malloc(ARC_IOBUF), *buf = big ? big : small;
    size_t cap = big ? ARC_IOBUF : sizeof small;
    for (;;) {
        ssize_t n = read(t->fd, buf, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        c->pipe_bytes += (uint64_t)n;
    }
    free(big);
    tree_set_w(node, TREE_W_DISK, c->pipe_bytes);
    tree_set_w(node, TREE_W_APPARENT, c->pipe_bytes);
    tree_set_w(node, TREE_W_STORED, c->pipe_bytes);
    tree_set_w(node, TREE_W_COUNT, 1);
}

static int fill(struct arc_top *t, const char *name, struct tree_node *node, struct tree_arena *a,
                const struct arc_opts *o)
{
    struct arc_opts defaults;
    if (!o) {
        arc_opts_init(&defaults);
        o = &defaults;
    }
    struct arc_ctx c = {.o = o, .a = a};
    if (o->max_depth == 0)
        return 0;
    t->label = name ? name : "-";
    t->says = arc_name_says_archive(t->label);
    t->head = malloc(ARC_HEAD_ISO);
    if (!t->head) {
        arc_warn_archive(&c, t->label, "out of memory");
        return c.status;
    }
    if (arc_top_head(&c, t) == 0) {
        if (arc_top_offered(&c, t, node))
            read_offered(&c, t, node);
        pipe_rest(&c, t, node);
    }
    free(t->head);
    return c.status;
}

int arc_fill_fd(int fd, const char *name, struct tree_node *node, struct tree_arena *a,
                enum arc_mode mode, const struct arc_opts *o)
{
    struct arc_top t = {.fd = fd, .mode = mode};
    return fill(&t, name, node, a, o);
}

int arc_fill_memory(const void *buf, size_t len, const char *name, struct tree_node *node,
                    struct tree_arena *a, enum arc_mode mode, const struct arc_opts *o)
{
    struct arc_top t = {.fd = -1, .mem = buf, .len = len, .mode = mode};
    return fill(&t, name, node, a, o);
}

struct tree *arc_load_memory(const void *buf, size_t len, const char *name,
                             const struct arc_opts *o, int *status)
{
    struct tree *t = tree_new(name ? name : "-", 4);
    t->wnames[TREE_W_DISK] = "disk";
    t->wnames[TREE_W_APPARENT] = "apparent";
    t->wnames[TREE_W_COUNT] = "count";
    t->wnames[TREE_W_STORED] = "stored";
    t->root->flags = 0;
    int st = arc_fill_memory(buf, len, name, t->root, tree_main_arena(t), ARC_INPUT, o);
    if (!(t->root->flags & TREE_ARCHIVE)) {
        tree_set_w(t->root, TREE_W_DISK, len);
        tree_set_w(t->root, TREE_W_APPARENT, len);
        tree_set_w(t->root, TREE_W_STORED, len);
        tree_set_w(t->root, TREE_W_COUNT, 1);
    }
    tree_finish(t);
    if (status)
        *status = st;
    return t;
}
