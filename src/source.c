/* SPDX-License-Identifier: BSD-2-Clause */
/* source: any PATH into a finished tree, its kind decided here (see include/source.h) */
#include "source.h"
#include "diag.h"
#include "image.h"
#include "lazylib.h"
#include "scan.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the kinds, in the order they are tried: one line per kind */
const struct source_kind *const source_kinds[] = {
    &source_image,     &source_directory, &source_ncdu,    &source_folded,
    &source_perf_text, &source_perf_data, &source_archive,
};
const size_t source_nkinds = ARRAY_LEN(source_kinds);

/* the first bytes a sniff sees */
#define SOURCE_HEAD (64 * 1024)

struct source_run {
    const struct source_opts *o;
    struct source_result *r;
    unsigned family;          /* of the first PATH's kind */
    struct tree *t;           /* a du tree, while loading */
    struct walk *w;           /* its walker */
    struct folded_reader *rd; /* a profile, while loading */
    struct walk_opts wo;      /* the walker's options, hooks ours */
    bool stdin_done;          /* a second "-" adds nothing, as a PATH given twice */
    char **keep;              /* strings the walker reads until the run ends */
    size_t nkeep;
};

void source_opts_init(struct source_opts *o)
{
    memset(o, 0, sizeof *o);
    arc_opts_init(&o->arc);
}

/* ---- messages ------------------------------------------------------------ */

static void vwarn(const struct source_opts *o, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void vwarn(const struct source_opts *o, const char *fmt, va_list ap)
{
    if (!o->warn)
        return;
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        return;
    o->warn(o->warn_ctx, s);
    free(s);
}

void source_run_warn(struct source_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(run->o, fmt, ap);
    va_end(ap);
}

static void say(const struct source_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const struct source_opts *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(o, fmt, ap);
    va_end(ap);
}

void source_run_cannot_read(struct source_run *run, const struct source_probe *p, int e)
{
    const char *name = p->is_stdin ? "standard input" : p->path;
    char *q = diag_quote(name, strlen(name));
    source_run_warn(run, "cannot read '%s': %s", q, strerror(e));
    free(q);
}

void source_run_add_folded(struct source_run *run, const struct folded_stats *st, const char *name)
{
    struct source_result *r = source_run_result(run);
    r->stats.lines += st->lines;
    r->stats.valid += st->valid;
    r->stats.blank += st->blank;
    r->stats.invalid += st->invalid;
    r->stats.no_count += st->no_count;
    r->stats.overflow += st->overflow;
    r->stats.negative += st->negative;
    r->stats.differential |= st->differential;
    if (st->invalid && !r->first_invalid) {
        r->first_invalid = xstrdup(name);
        r->first_invalid_line = st->first_invalid;
        r->stats.first_invalid = st->first_invalid;
    }
}

char *source_not_a(const struct source_opts *o, const char *path)
{
    char *q = diag_quote(path, strlen(path));
    size_t cap = strlen(q) + 32, n = 0;
    for (size_t i = 0; i < source_nkinds; i++)
        cap += strlen(source_kinds[i]->noun) + 4;
    char *s = xmalloc(cap);
    n += (size_t)snprintf(s, cap, "'%s' is not ", q);
    size_t said = 0, total = 0;
    for (size_t i = 0; i < source_nkinds; i++)
        total += (source_kinds[i]->family & o->families) != 0;
    /* the du kinds first, then the profiles, each in table order */
    for (unsigned fam = SOURCE_DU; fam <= SOURCE_PROFILE; fam <<= 1)
        for (size_t i = 0; i < source_nkinds; i++) {
            if (source_kinds[i]->family != fam || !(fam & o->families))
                continue;
            const char *sep = !said ? "" : said + 1 == total ? " or " : ", ";
            n += (size_t)snprintf(s + n, cap - n, "%s%s", sep, source_kinds[i]->noun);
            said++;
        }
    free(q);
    return s;
}

/* the walker's warnings, as the front end says them: "WHAT 'PATH': reason" */
static void on_walk_warn(void *ctx, const char *what, const char *path, int errnum)
{
    const struct source_opts *o = ctx;
    char *q = diag_quote(path, strlen(path));
    if (errnum)
        say(o, "%s '%s': %s", what, q, strerror(errnum));
    else
        say(o, "%s '%s'", what, q);
    free(q);
}

static void on_arc_warn(void *ctx, const char *msg)
{
    const struct source_opts *o = ctx;
    say(o, "%s", msg);
}

/* ---- archive notes ------------------------------------------------------- */

/* what a scan's archives extracted to, by node, for the tooltips */
struct source_note_rec {
    const struct tree_node *node;
    uint64_t extracted, disk, apparent;
};

struct source_notes {
    pthread_mutex_t mu;
    struct source_note_rec *v;
    size_t n, cap;
    bool sorted;
    unsigned weight; /* the slot drawn */
};

struct source_notes *source_notes_new(void)
{
    struct source_notes *ns = xcalloc(1, sizeof *ns);
    pthread_mutex_init(&ns->mu, NULL);
    return ns;
}

void source_notes_add(struct source_notes *ns, const struct tree_node *node, uint64_t extracted,
                      uint64_t disk, uint64_t apparent)
{
    pthread_mutex_lock(&ns->mu);
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
    }
    ns->v[ns->n++] = (struct source_note_rec){node, extracted, disk, apparent};
    ns->sorted = false;
    pthread_mutex_unlock(&ns->mu);
}

static void on_info(void *ctx, const struct tree_node *node, uint64_t extracted, uint64_t disk,
                    uint64_t apparent)
{
    source_notes_add(ctx, node, extracted, disk, apparent);
}

static int cmp_note(const void *a, const void *b)
{
    const struct source_note_rec *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->node, q = (uintptr_t)y->node;
    return (p > q) - (p < q);
}

void source_notes_weight(struct source_notes *ns, unsigned weight)
{
    if (ns)
        ns->weight = weight;
}

uint64_t source_note_extracted(struct source_notes *ns, const struct tree_node *archive)
{
    if (!ns || !ns->n)
        return 0;
    if (!ns->sorted) {
        qsort(ns->v, ns->n, sizeof *ns->v, cmp_note);
        ns->sorted = true;
    }
    struct source_note_rec key = {.node = archive};
    const struct source_note_rec *a = bsearch(&key, ns->v, ns->n, sizeof *ns->v, cmp_note);
    return a ? a->extracted : 0;
}

/* called by the renderer, single-threaded, after the load */
size_t source_note(void *ctx, const struct tree_node *n, char *buf, size_t cap)
{
    struct source_notes *ns = ctx;
    if (!ns || !ns->n)
        return 0;
    if (!ns->sorted) {
        qsort(ns->v, ns->n, sizeof *ns->v, cmp_note);
        ns->sorted = true;
    }
    const struct source_note_rec *a = NULL;
    for (const struct tree_node *p = n; p && !a; p = tree_parent(p)) {
        if (!(p->flags & TREE_ARCHIVE))
            continue;
        struct source_note_rec key = {.node = p};
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
        double e = (double)tree_w(n, ns->weight) * ratio;
        uint64_t ev = e > 1.8e19 ? UINT64_MAX : (uint64_t)(e + 0.5);
        len = snprintf(buf, cap, "about %s bytes, %s, extracted", util_commas(ev, c),
                       util_human(ev, h));
    }
    return len > 0 ? (size_t)len : 0;
}

static void notes_free(struct source_notes *ns)
{
    if (!ns)
        return;
    pthread_mutex_destroy(&ns->mu);
    free(ns->v);
    free(ns);
}

/* ---- the walker's archive hook ------------------------------------------ */

/* the archive options of a run, its hooks set */
static struct arc_opts run_arc_opts(const struct source_run *run)
{
    struct arc_opts ao = run->o->arc;
    ao.warn = on_arc_warn;
    ao.warn_ctx = (void *)run->o;
    if (run->r->notes) {
        ao.info = on_info;
        ao.info_ctx = run->r->notes;
    }
    return ao;
}

int source_arc_file(struct tree_arena *a, struct tree_node *node, int dirfd, const char *name,
                    const char *path, const struct stat *st, bool input, const struct arc_opts *ao)
{
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
            if (ao->warn) {
                char *q = diag_quote(path, strlen(path));
                char *msg = xasprintf("cannot read '%s': %s", q, strerror(e));
                ao->warn(ao->warn_ctx, msg);
                free(msg);
                free(q);
            }
            return 1;
        }
        return 0;
    }
    /* O_NONBLOCK changes nothing for a regular file: left as it is */
    int r = arc_fill_fd(fd, path, node, a, input ? ARC_INPUT : ARC_SCAN, ao);
    close(fd);
    return r;
}

/* What reaches arc: a PATH that is a regular file is always offered (an
 * archive given as input: ARC_INPUT, drawn as its contents); a regular file
 * met in a walked directory only with --archives (ARC_SCAN, totals stay
 * du's). A file with several names is opened under each; the walker's
 * hard-link rule keeps the contents with the one name that carries the
 * file's weights and drops the others'. Called from every walker thread at
 * once: reads the run only. */
static int arc_hook(const struct walk_opts *wo, struct tree_arena *a, struct tree_node *node,
                    int dirfd, const char *name, const char *path, const struct stat *st)
{
    const struct source_run *run = wo->hook_ctx;
    /* a PATH's node hangs right under the root */
    bool input = tree_parent(node) && !tree_parent(tree_parent(node));
    if (!input && !run->o->archives)
        return 0;
    if (node->flags & TREE_HARDLINK)
        return 0;
    struct arc_opts ao = run_arc_opts(run);
    return source_arc_file(a, node, dirfd, name, path, st, input, &ao);
}

/* ---- the run ------------------------------------------------------------- */

const struct source_opts *source_run_opts(const struct source_run *run)
{
    return run->o;
}

struct source_result *source_run_result(struct source_run *run)
{
    return run->r;
}

static void du_start(struct source_run *run)
{
    if (run->t)
        return;
    run->t = scan_tree_new(run->o->root_name);
    run->wo = run->o->walk;
    run->wo.warn = on_walk_warn;
    run->wo.warn_ctx = (void *)run->o;
    /* PATHs that are files always reach the hook */
    run->wo.archives = true;
    run->wo.file_hook = arc_hook;
    run->wo.hook_inside = run->o->archives;
    run->wo.hook_ctx = run;
    run->wo.arc_opts = &run->o->arc;
    run->w = walk_new(run->t, &run->wo);
}

struct tree_node *source_run_node(struct source_run *run, const char *name)
{
    du_start(run);
    return tree_add(tree_main_arena(run->t), run->t->root, name, strlen(name));
}

struct tree *source_run_tree(struct source_run *run)
{
    du_start(run);
    return run->t;
}

struct tree_arena *source_run_arena(struct source_run *run)
{
    du_start(run);
    return tree_main_arena(run->t);
}

void source_run_walk(struct source_run *run, const char *path, const char *label)
{
    du_start(run);
    walk_add(run->w, run->t->root, path, label);
}

struct folded_reader *source_run_profile(struct source_run *run)
{
    if (!run->rd)
        run->rd = folded_reader_new(&run->o->folded);
    return run->rd;
}

/* ---- probing -------------------------------------------------------------- */

static bool wants_head(const struct source_opts *o)
{
    for (size_t i = 0; i < source_nkinds; i++)
        if ((source_kinds[i]->family & o->families) && source_kinds[i]->needs_head)
            return true;
    return false;
}

/* probe: stat the PATH and, when a kind wants them, read its first bytes
 * into buf (a file that cannot be opened has none: its load says why) */
static void probe(const char *path, char *buf, struct source_probe *p)
{
    memset(p, 0, sizeof *p);
    p->path = path;
    p->head = buf;
    p->is_stdin = strcmp(path, "-") == 0;
    if (p->is_stdin)
        return;
    p->stat_ok = stat(path, &p->st) == 0;
    p->stat_errno = p->stat_ok ? 0 : errno;
    if (!p->stat_ok || !S_ISREG(p->st.st_mode) || !buf)
        return;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    p->len = fread(buf, 1, SOURCE_HEAD, fp);
    p->head_eof = feof(fp) && !ferror(fp);
    if (ferror(fp))
        p->len = 0;
    fclose(fp);
}

static const struct source_kind *choose(const struct source_opts *o, const struct source_probe *p)
{
    for (size_t i = 0; i < source_nkinds; i++) {
        const struct source_kind *k = source_kinds[i];
        if ((k->family & o->families) && k->sniff(p))
            return k;
    }
    return o->fallback;
}

const struct source_kind *source_kind_of(const char *path, const struct source_opts *o)
{
    char *buf = wants_head(o) ? xmalloc(SOURCE_HEAD) : NULL;
    struct source_probe p;
    probe(path, buf, &p);
    const struct source_kind *k = choose(o, &p);
    free(buf);
    return k;
}

/* refuse: why a PATH has no kind */
static void refuse(const struct source_opts *o, const struct source_probe *p)
{
    if (!p->is_stdin && !p->stat_ok) {
        char *q = diag_quote(p->path, strlen(p->path));
        say(o, "cannot access '%s': %s", q, strerror(p->stat_errno));
        free(q);
        return;
    }
    char *s = source_not_a(o, p->path);
    say(o, "%s", s);
    free(s);
}

static void run_end(struct source_run *run)
{
    if (run->w) {
        int st = walk_run(run->w);
        if (st && !run->r->status)
            run->r->status = st;
        walk_free(run->w);
        run->w = NULL;
    }
    if (run->t) {
        tree_finish(run->t);
        run->r->t = run->t;
        run->t = NULL;
    } else if (run->rd) {
        run->r->stats.differential = folded_reader_differential(run->rd);
        run->r->t = folded_reader_finish(run->rd);
        run->rd = NULL;
    }
}

static void run_free_kept(struct source_run *run)
{
    for (size_t i = 0; i < run->nkeep; i++)
        free(run->keep[i]);
    free(run->keep);
    run->keep = NULL;
    run->nkeep = 0;
}

static void run_drop(struct source_run *run)
{
    if (run->w)
        walk_free(run->w);
    run_free_kept(run);
    tree_free(run->t);
    if (run->rd)
        folded_reader_free(run->rd);
}

int source_load(const char *const *paths, size_t n, const struct source_opts *o,
                struct source_result *r)
{
    memset(r, 0, sizeof *r);
    if (o->archives && o->archive_notes)
        r->notes = source_notes_new();
    struct source_run run = {.o = o, .r = r};
    char *buf = wants_head(o) ? xmalloc(SOURCE_HEAD) : NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct source_probe p;
        probe(paths[i], buf, &p);
        const struct source_kind *k = choose(o, &p);
        if (!k) {
            refuse(o, &p);
            rc = -1;
            break;
        }
        if (i == 0) {
            r->kind = k;
            run.family = k->family;
        } else if (k->family != run.family) {
            char *q = diag_quote(p.path, strlen(p.path));
            char *q0 = diag_quote(paths[0], strlen(paths[0]));
            say(o, "cannot load the %s '%s' with the %s '%s'", k->name, q, r->kind->name, q0);
            free(q);
            free(q0);
            rc = -1;
            break;
        }
        if (k->libraries)
            lazylib_preload();
        int lr = k->load(&run, &p);
        if (lr < 0)
            r->failed++;
        if (lr != 0)
            r->status = 1;
    }
    free(buf);
    if (rc < 0) {
        run_drop(&run);
        return -1;
    }
    run_end(&run);
    run_free_kept(&run);
    if (!r->t) {
        /* nothing at all was loaded (every PATH failed): an empty tree */
        r->t = run.family == SOURCE_PROFILE ? folded_reader_finish(folded_reader_new(&o->folded))
                                            : scan_tree_new(o->root_name);
        if (run.family != SOURCE_PROFILE)
            tree_finish(r->t);
    }
    return 0;
}

void source_result_release(struct source_result *r)
{
    tree_free(r->t);
    r->t = NULL;
    free(r->first_invalid);
    r->first_invalid = NULL;
    notes_free(r->notes);
    r->notes = NULL;
    for (size_t i = 0; i < r->nimages; i++)
        image_free(r->images[i]);
    free(r->images);
    r->images = NULL;
    r->nimages = 0;
    tree_free(r->image_layers);
    r->image_layers = NULL;
}

/* ---- the du kinds ---------------------------------------------------------- */

static bool sniff_directory(const struct source_probe *p)
{
    return p->stat_ok && S_ISDIR(p->st.st_mode);
}

static int load_directory(struct source_run *run, const struct source_probe *p)
{
    const struct source_opts *o = run->o;
    struct stat lst;
    if (o->follow_dir_link && !o->walk.dereference && lstat(p->path, &lst) == 0 &&
        S_ISLNK(lst.st_mode)) {
        char *real = realpath(p->path, NULL);
        if (real) {
            /* the walker reads the string until the run ends */
            run->keep = xreallocarray(run->keep, run->nkeep + 1, sizeof *run->keep);
            run->keep[run->nkeep++] = real;
            source_run_walk(run, real, p->path);
            return 0;
        }
    }
    source_run_walk(run, p->path, NULL);
    return 0;
}

const struct source_kind source_directory = {
    .name = "directory",
    .noun = "a directory",
    .family = SOURCE_DU,
    .sniff = sniff_directory,
    .load = load_directory,
};

static bool sniff_archive(const struct source_probe *p)
{
    return p->is_stdin || (p->stat_ok && S_ISREG(p->st.st_mode));
}

/* An archive PATH is walked as a file: the walker's hook reads it
 * (ARC_INPUT). "-" is standard input, read here (or counted as one file
 * when it is not an archive). */
static int load_archive(struct source_run *run, const struct source_probe *p)
{
    if (!p->is_stdin) {
        source_run_walk(run, p->path, NULL);
        return 0;
    }
    if (run->stdin_done) {
        du_start(run);
        return 0;
    }
    run->stdin_done = true;
    struct tree_node *node = source_run_node(run, "-");
    struct arc_opts ao = run_arc_opts(run);
    return arc_fill_fd(STDIN_FILENO, "-", node, source_run_arena(run), ARC_INPUT, &ao) ? 1 : 0;
}

const struct source_kind source_archive = {
    .name = "archive",
    .noun = "an archive",
    .family = SOURCE_DU,
    .libraries = true,
    .sniff = sniff_archive,
    .load = load_archive,
};

static bool sniff_never(const struct source_probe *p)
{
    (void)p;
    return false;
}

/* anything else a scan is given: the walker stats it and says what is wrong */
static int load_path(struct source_run *run, const struct source_probe *p)
{
    source_run_walk(run, p->path, NULL);
    return 0;
}

const struct source_kind source_path = {
    .name = "path",
    .noun = "a path",
    .family = SOURCE_DU,
    .sniff = sniff_never,
    .load = load_path,
};
