/* SPDX-License-Identifier: BSD-2-Clause */
/* report: the text report and du's summary lines (see include/report.h) */
#include "report.h"
#include "kind.h"
#include "names.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

void report_opts_init(struct report_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bytes = true;
    o->top = 40;
    o->files = 10;
    o->width = 80;
    o->max_depth = UINT_MAX;
    o->units.block = 1;
    o->seconds = -1;
}

/* ---- the terminal ---------------------------------------------------------- */

static unsigned env_number(const char *name, unsigned dflt)
{
    const char *c = getenv(name);
    if (c) {
        long v = strtol(c, NULL, 10);
        if (v > 0 && v < 10000)
            return (unsigned)v;
    }
    return dflt;
}

unsigned report_term_width(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return env_number("COLUMNS", 80);
}

unsigned report_term_height(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        return ws.ws_row;
    return env_number("LINES", 24);
}

unsigned report_fit(unsigned height, bool total, unsigned *files)
{
    /* heading, footer, the prompt, and the total line */
    unsigned fixed = 3 + (total ? 1 : 0);
    unsigned room = height > fixed ? height - fixed : 0;
    /* a fifth of what is left for the largest files (with their blank
     * line and heading), at most 10 */
    unsigned f = room / 5 > 2 ? room / 5 - 2 : 0;
    if (f > 10)
        f = 10;
    *files = f;
    unsigned rows = room - (f ? f + 2 : 0);
    return rows < 5 ? 5 : rows;
}

/* ---- sizes --------------------------------------------------------------------- */

char *report_bar(char *buf, unsigned width, double frac, bool ascii)
{
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    char *p = buf;
    if (ascii) {
        unsigned full = (unsigned)(frac * width + 0.5);
        for (unsigned i = 0; i < width; i++)
            *p++ = i < full ? '#' : '.';
        *p = '\0';
        return buf;
    }
    unsigned eighths = (unsigned)(frac * width * 8 + 0.5);
    unsigned full = eighths / 8, part = eighths % 8, cells = 0;
    for (; cells < full; cells++) {
        memcpy(p, "\xe2\x96\x88", 3); /* U+2588 full block */
        p += 3;
    }
    if (part) {
        /* U+258F (one eighth) .. U+2589 (seven eighths) */
        unsigned cp = 0x2590 - part;
        *p++ = (char)0xe2;
        *p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *p++ = (char)(0x80 | (cp & 0x3f));
        cells++;
    }
    for (; cells < width; cells++)
        *p++ = ' ';
    *p = '\0';
    return buf;
}

static uint64_t ceil_div(uint64_t v, uint64_t d)
{
    return v / d + (v % d != 0);
}

static char *block_size(uint64_t v, const struct report_units *u, char buf[32])
{
    uint64_t b = u->block ? u->block : 1;
    snprintf(buf, 32, "%llu%s", (unsigned long long)ceil_div(v, b), u->suffix);
    return buf;
}

/* du -h and --si: below one unit the number itself; then the largest unit
 * that leaves a value below the base, rounded up, with one decimal while
 * that stays below 10 ("9.9K", "10K"); a value that rounds up to the base
 * moves up a unit ("1.0M") */
static char *du_human(uint64_t v, unsigned base, char buf[32])
{
    const char *letters = base == 1000 ? "kMGTPE" : "KMGTPE";
    if (v < base) {
        snprintf(buf, 32, "%llu", (unsigned long long)v);
        return buf;
    }
    uint64_t d = base;
    unsigned e = 0;
    while (e + 1 < 6 && v / d >= base) {
        d *= base;
        e++;
    }
    for (;;) {
        uint64_t q = v / d, r = v % d;
        /* tenths rounded up; r * 10 fits: d is at most 2^60 */
        uint64_t tenths = q * 10 + ceil_div(r * 10, d);
        if (tenths < 100) {
            snprintf(buf, 32, "%llu.%llu%c", (unsigned long long)(tenths / 10),
                     (unsigned long long)(tenths % 10), letters[e]);
            return buf;
        }
        uint64_t whole = q + (r != 0);
        if (whole < base || e + 1 >= 6) {
            snprintf(buf, 32, "%llu%c", (unsigned long long)whole, letters[e]);
            return buf;
        }
        d *= base;
        e++;
    }
}

char *report_size(char buf[32], uint64_t v, bool bytes, const struct report_units *u)
{
    switch (bytes ? u->mode : REPORT_UNITS_AUTO) {
    case REPORT_UNITS_SI:
        return util_human_si(v, buf);
    case REPORT_UNITS_BLOCK:
        return block_size(v, u, buf);
    default:
        return bytes ? util_human(v, buf) : util_commas(v, buf);
    }
}

char *report_du_size(char buf[32], uint64_t v, bool bytes, const struct report_units *u)
{
    switch (u->mode) {
    case REPORT_UNITS_SI:
        return du_human(v, 1000, buf);
    case REPORT_UNITS_HUMAN:
        return du_human(v, 1024, buf);
    case REPORT_UNITS_BLOCK:
        if (bytes)
            return block_size(v, u, buf);
        break;
    default:
        if (bytes)
            return du_human(v, 1024, buf);
        break;
    }
    snprintf(buf, 32, "%llu", (unsigned long long)v);
    return buf;
}

int report_parse_block_size(const char *s, struct report_units *u)
{
    if (strcmp(s, "human-readable") == 0 || strcmp(s, "si") == 0) {
        memset(u, 0, sizeof *u);
        u->mode = s[0] == 'h' ? REPORT_UNITS_HUMAN : REPORT_UNITS_SI;
        u->block = 1;
        return 0;
    }
    if (!*s)
        return -1;
    uint64_t n = 1;
    size_t digits = strspn(s, "0123456789");
    if (digits) {
        if (digits > 19)
            return -1;
        n = strtoull(s, NULL, 10);
        if (n == 0)
            return -1;
    }
    const char *unit = s + digits;
    uint64_t mult = 1;
    char suffix[4] = "";
    if (*unit) {
        static const char letters[] = "KMGTPE";
        const char *l = strchr(letters, *unit == 'k' ? 'K' : *unit);
        if (!l || !*l)
            return -1;
        unsigned e = (unsigned)(l - letters) + 1;
        unsigned base = strcmp(unit + 1, "B") == 0 ? 1000 : 1024;
        if (unit[1] && base == 1024 && strcmp(unit + 1, "iB") != 0)
            return -1;
        for (unsigned i = 0; i < e; i++)
            mult *= base;
        if (!digits) {
            /* du writes the unit after each number: "M", "kB", "KiB" */
            suffix[0] = base == 1000 && *l == 'K' ? 'k' : *l;
            if (unit[1])
                strncpy(suffix + 1, unit + 1, 2);
        }
    }
    if (n > UINT64_MAX / mult)
        return -1;
    memset(u, 0, sizeof *u);
    u->mode = REPORT_UNITS_BLOCK;
    u->block = n * mult;
    memcpy(u->suffix, suffix, sizeof suffix);
    return 0;
}

/* ---- the title --------------------------------------------------------------- */

char *report_title(unsigned weight, const char *const *paths, size_t n, bool all_archives,
                   bool inside_archives)
{
    const char *what = weight == TREE_W_COUNT      ? "Entries in"
                       : weight == TREE_W_STORED   ? "Stored size of"
                       : all_archives              ? "Extracted size of"
                       : weight == TREE_W_APPARENT ? "Apparent size of"
                                                   : "Disk usage of";
    const char *tail = !inside_archives || all_archives ? ""
                       : weight == TREE_W_COUNT         ? ", counting entries inside archives"
                       : weight == TREE_W_STORED        ? ", with archive entries' stored bytes"
                                                        : ", with extracted sizes inside archives";
    struct name_buf b = {0};
    name_buf_addstr(&b, what);
    for (size_t i = 0; i < n; i++) {
        name_buf_addstr(&b, i ? ", " : " ");
        name_display_add(&b, paths[i], strlen(paths[i]));
    }
    name_buf_addstr(&b, tail);
    return b.s;
}

/* ---- choosing the rows ----------------------------------------------------------- */

/* a candidate row: a node, the row above it, its depth (du's) and level
 * (indentation) */
struct cand {
    const struct tree_node *n;
    size_t parent;
    unsigned depth, level;
};

struct row {
    const struct tree_node *top, *end; /* a folded chain: top .. end */
    size_t parent;                     /* NO_ROW for a PATH */
    unsigned level;
};

#define NO_ROW SIZE_MAX

/* the order rows are chosen and shown in: larger first, then by name, then
 * by the row above (a total order, so the output is deterministic) */
static int cand_cmp(const struct cand *a, const struct cand *b, unsigned w)
{
    if (tree_w(a->n, w) != tree_w(b->n, w))
        return tree_w(a->n, w) > tree_w(b->n, w) ? -1 : 1;
    int c = tree_cmp_name(a->n, b->n);
    if (c)
        return c;
    return (a->parent > b->parent) - (a->parent < b->parent);
}

/* a binary heap of candidates; `max` puts the first in cand_cmp order on
 * top, else the last */
struct heap {
    struct cand *v;
    size_t n, cap;
    unsigned w;
    bool max;
};

static bool above(const struct heap *h, const struct cand *a, const struct cand *b)
{
    int c = cand_cmp(a, b, h->w);
    return h->max ? c < 0 : c > 0;
}

static void heap_push(struct heap *h, struct cand x)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!above(h, &x, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = x;
}

static struct cand heap_pop(struct heap *h)
{
    struct cand top = h->v[0], x = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && above(h, &h->v[c + 1], &h->v[c]))
            c++;
        if (!above(h, &h->v[c], &x))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = x;
    return top;
}

/* a bounded min-heap (max false): x is kept when it is among the room
 * largest offered so far */
static void heap_keep(struct heap *h, struct cand x, size_t room)
{
    if (h->n < room) {
        heap_push(h, x);
    } else if (room && cand_cmp(&x, &h->v[0], h->w) < 0) {
        heap_pop(h);
        heap_push(h, x);
    }
}

/* the candidates of a bounded min-heap, largest first, in a new array (with
 * one spare slot); the heap is freed */
static size_t heap_take_sorted(struct heap *h, struct cand **out)
{
    size_t n = h->n;
    struct cand *v = xcalloc(n + 1, sizeof *v);
    /* popping the min-heap gives the smallest first: fill from the back */
    for (size_t i = n; i-- > 0;)
        v[i] = heap_pop(h);
    free(h->v);
    *out = v;
    return n;
}

static bool is_dir(const struct tree_node *n)
{
    return (n->flags & (TREE_DIR | TREE_ARCHIVE)) == TREE_DIR;
}

/* the end of the chain of single directories that starts at n (depth d):
 * n itself unless n's only child is a directory that may be shown */
static const struct tree_node *chain_end(const struct tree_node *n, unsigned *d,
                                         const struct report_opts *o)
{
    while (is_dir(n) && !(n->flags & TREE_UNREADABLE) && tree_first_child(n) &&
           !tree_next_sibling(tree_first_child(n)) && is_dir(tree_first_child(n)) &&
           *d < o->max_depth && tree_w(tree_first_child(n), o->weight) >= o->threshold) {
        n = tree_first_child(n);
        (*d)++;
    }
    return n;
}

/* offer the children of n as candidates (not a further link to a file
 * counted elsewhere: du does not list those either); of a large directory
 * only the
 * `room` largest can ever be shown, so only those are kept (a bounded
 * min-heap) */
static void offer_children(struct heap *h, const struct tree_node *n, struct cand proto,
                           size_t room, const struct report_opts *o)
{
    if (!room)
        return;
    struct heap keep = {.w = o->weight, .max = false};
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c)) {
        if (tree_w(c, o->weight) < o->threshold || c->flags & TREE_HARDLINK)
            continue;
        proto.n = c;
        heap_keep(&keep, proto, room);
    }
    for (size_t i = 0; i < keep.n; i++)
        heap_push(h, keep.v[i]);
    free(keep.v);
}

/* choose_rows: greedily the largest candidate whose parent is shown, so the
 * rows are a connected tree of the biggest things */
static struct row *choose_rows(const struct tree *t, const struct report_opts *o, size_t *nrows)
{
    size_t cap = o->top, n = 0;
    struct row *rows = xcalloc(cap ? cap : 1, sizeof *rows);
    struct heap h = {.w = o->weight, .max = true};
    offer_children(&h, t->root, (struct cand){.parent = NO_ROW}, cap, o);
    while (n < cap && h.n) {
        struct cand c = heap_pop(&h);
        unsigned d = c.depth;
        const struct tree_node *end = chain_end(c.n, &d, o);
        rows[n] = (struct row){c.n, end, c.parent, c.level};
        if (d < o->max_depth)
            offer_children(&h, end, (struct cand){NULL, n, d + 1, c.level + 1}, cap - n - 1, o);
        n++;
    }
    free(h.v);
    *nrows = n;
    return rows;
}

/* ---- writing rows -------------------------------------------------------------------- */

struct painter {
    FILE *out;
    const struct report_opts *o;
    uint64_t total;
    int sizew;     /* columns of the size */
    unsigned barw; /* cells of the bar */
    char *bar;     /* 3 * barw + 1 bytes */
    struct name_buf name;
};

static void color_on(struct painter *p, struct kind_rgb c, bool bold)
{
    if (!p->o->color)
        return;
    /* the 6x6x6 cube of the 256 colours: every terminal since the 1990s */
    int r = (c.r * 5 + 127) / 255, g = (c.g * 5 + 127) / 255, b = (c.b * 5 + 127) / 255;
    fprintf(p->out, "\033[%s38;5;%dm", bold ? "1;" : "", 16 + 36 * r + 6 * g + b);
}

static void color_off(struct painter *p)
{
    if (p->o->color)
        fputs("\033[0m", p->out);
}

static struct kind_rgb node_rgb(const struct tree_node *n)
{
    return is_dir(n) ? kind_dir_rgb() : kind_rgb(tree_kind_of(n));
}

/* columns of UTF-8 text: one a code point (the escaped names hold no
 * control characters) */
static size_t columns(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* write name cut to room columns, the cut marked */
static void put_cut(struct painter *p, const char *s, size_t len, size_t room)
{
    if (columns(s, len) <= room) {
        fwrite(s, 1, len, p->out);
        return;
    }
    const char *mark = p->o->ascii ? "..." : "\xe2\x80\xa6";
    size_t keep = room > 3 ? room - (p->o->ascii ? 3 : 1) : 0, cut = 0, cols = 0;
    while (cut < len && cols < keep) {
        cut++;
        while (cut < len && ((unsigned char)s[cut] & 0xc0) == 0x80)
            cut++;
        cols++;
    }
    fwrite(s, 1, cut, p->out);
    fputs(mark, p->out);
}

/* one row: size, share, bar, indentation, the name in name */
static void put_row(struct painter *p, uint64_t v, const struct tree_node *kind_of, unsigned level,
                    bool bold)
{
    const struct report_opts *o = p->o;
    char sz[32];
    double frac = p->total ? (double)v / (double)p->total : 0;
    fprintf(p->out, "%*s %5.1f%% ", p->sizew, report_size(sz, v, o->bytes, &o->units), frac * 100);
    struct kind_rgb c = kind_of ? node_rgb(kind_of) : kind_dir_rgb();
    color_on(p, c, false);
    fputs(report_bar(p->bar, p->barw, frac, o->ascii), p->out);
    color_off(p);
    fprintf(p->out, " %*s", (int)(2 * level), "");
    size_t head = (size_t)p->sizew + 8 + p->barw + 1 + 2 * level;
    size_t width = o->width >= 40 ? o->width : 40;
    size_t room = head + 8 < width ? width - head : 8;
    if (bold)
        color_on(p, c, true);
    put_cut(p, p->name.s, p->name.len, room);
    if (bold)
        color_off(p);
    fputc('\n', p->out);
}

/* the name of a row: the chain's names joined with '/', a directory ending
 * in '/' */
static void row_name(struct name_buf *b, const struct row *r)
{
    name_buf_reset(b);
    const struct tree_node *chain[64];
    size_t n = 0;
    for (const struct tree_node *x = r->end; n < ARRAY_LEN(chain); x = tree_parent(x)) {
        chain[n++] = x;
        if (x == r->top)
            break;
    }
    while (n--) {
        name_display_add(b, chain[n]->name, chain[n]->len);
        if (chain[n]->flags & TREE_DIR || n)
            name_buf_addc(b, '/');
    }
    if (r->end->flags & TREE_UNREADABLE)
        name_buf_addstr(b, " (unreadable)");
}

struct row_order {
    const struct row *rows;
    unsigned w;
};

/* rows by the row above them (the PATHs first), then larger first */
static int cmp_row(const void *a, const void *b, void *ctx)
{
    const struct row_order *ro = ctx;
    const struct row *x = &ro->rows[*(const size_t *)a], *y = &ro->rows[*(const size_t *)b];
    size_t px = x->parent + 1, py = y->parent + 1; /* NO_ROW + 1 == 0 */
    if (px != py)
        return px < py ? -1 : 1;
    struct cand cx = {.n = x->top}, cy = {.n = y->top};
    return cand_cmp(&cx, &cy, ro->w);
}

/* show the rows in pre-order: each row's children follow it, larger first */
static void put_tree(struct painter *p, const struct row *rows, size_t n)
{
    unsigned w = p->o->weight;
    /* idx: the rows grouped by the row above, in order; first[k] .. first[k + 1]
     * the children of row k - 1 (k = 0: the PATHs) */
    size_t *idx = xcalloc(n + 1, sizeof *idx), *first = xcalloc(n + 2, sizeof *first);
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
        first[rows[i].parent + 2]++;
    }
    struct row_order ro = {rows, w};
    qsort_r(idx, n, sizeof *idx, cmp_row, &ro);
    for (size_t k = 1; k < n + 2; k++)
        first[k] += first[k - 1];
    /* a stack of ranges of idx still to show */
    size_t *at = xcalloc(n + 1, sizeof *at), *stop = xcalloc(n + 1, sizeof *stop), sp = 1;
    at[0] = first[0];
    stop[0] = first[1];
    while (sp) {
        if (at[sp - 1] == stop[sp - 1]) {
            sp--;
            continue;
        }
        size_t i = idx[at[sp - 1]++];
        const struct row *r = &rows[i];
        row_name(&p->name, r);
        put_row(p, tree_w(r->top, w), r->end, r->level, is_dir(r->end));
        at[sp] = first[i + 1];
        stop[sp] = first[i + 2];
        sp++;
    }
    free(at);
    free(stop);
    free(first);
    free(idx);
}

/* ---- the largest files ------------------------------------------------------------- */

static bool is_file(const struct tree_node *n)
{
    return !(n->flags & TREE_DIR);
}

/* the o->files largest files anywhere in the tree, largest first; a file
 * is any entry that is not a directory (an archive too, whose entries are
 * not looked at: they are inside it) */
static size_t largest_files(const struct tree *t, const struct report_opts *o, struct cand **out)
{
    struct heap keep = {.w = o->weight, .max = false};
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    bool descend = true;
    for (const struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        descend = !(n->flags & TREE_ARCHIVE);
        if (n == t->root || !is_file(n) || n->flags & TREE_HARDLINK ||
            tree_w(n, o->weight) < o->threshold)
            continue;
        heap_keep(&keep, (struct cand){.n = n}, o->files);
    }
    return heap_take_sorted(&keep, out);
}

/* the path of n from its PATH: "PATH/a/b/f" */
static void path_name(struct name_buf *b, const struct tree *t, const struct tree_node *n)
{
    size_t depth = 0;
    for (const struct tree_node *x = n; x && x != t->root; x = tree_parent(x))
        depth++;
    const struct tree_node **chain = xcalloc(depth + 1, sizeof *chain);
    size_t k = depth;
    for (const struct tree_node *x = n; x && x != t->root; x = tree_parent(x))
        chain[--k] = x;
    name_buf_reset(b);
    for (size_t i = 0; i < depth; i++) {
        if (i && (b->len == 0 || b->s[b->len - 1] != '/'))
            name_buf_addc(b, '/');
        name_display_add(b, chain[i]->name, chain[i]->len);
    }
    free(chain);
}

static void put_files(struct painter *p, const struct tree *t)
{
    struct cand *v;
    size_t n = largest_files(t, p->o, &v);
    if (n) {
        fputs("\nLargest files:\n", p->out);
        for (size_t i = 0; i < n; i++) {
            path_name(&p->name, t, v[i].n);
            put_row(p, tree_w(v[i].n, p->o->weight), v[i].n, 0, false);
        }
    }
    free(v);
}

/* ---- the worst compressed of the largest stored entries ------------------------------- */

/* an entry of an archive that holds data of its own: a regular entry that
 * is no archive itself */
static bool archive_file(const struct tree_node *n)
{
    if (n->flags & (TREE_DIR | TREE_ARCHIVE | TREE_HARDLINK | TREE_SYMLINK | TREE_SPECIAL) ||
        tree_is_overhead(n) || tree_first_child(n))
        return false;
    for (const struct tree_node *p = tree_parent(n); p; p = tree_parent(p))
        if (p->flags & TREE_ARCHIVE)
            return true;
    return false;
}

/* packed_file: a regular file (no archive's: archive_file says) */
static bool packed_file(const struct tree_node *n)
{
    return !(n->flags & (TREE_DIR | TREE_ARCHIVE | TREE_HARDLINK | TREE_SYMLINK | TREE_SPECIAL)) &&
           !tree_is_overhead(n) && !tree_first_child(n);
}

/* stored bytes per extracted byte, ranked high first */
static double ratio(const struct tree_node *n)
{
    uint64_t a = tree_w(n, TREE_W_APPARENT);
    return a ? (double)tree_w(n, TREE_W_STORED) / (double)a : 1e300;
}

static int cmp_ratio(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    double ra = ratio(a->n), rb = ratio(b->n);
    if (ra != rb)
        return ra > rb ? -1 : 1;
    return cand_cmp(a, b, TREE_W_STORED);
}

/* put_ratios: of the 5 * o->files archive entries that take the most
 * stored bytes (and at least 1% of the largest's: a tiny file's header
 * outweighs its data), the o->files that compressed worst */
static void put_ratios(struct painter *p, const struct tree *t)
{
    const struct report_opts *o = p->o;
    struct heap keep = {.w = TREE_W_STORED, .max = false};
    size_t pool = (size_t)o->files * 5;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (const struct tree_node *n; (n = tree_iter_next(&it, true));) {
        if (!tree_w(n, TREE_W_STORED) ||
            !(archive_file(n) || (o->packed && packed_file(n) && o->packed(o->extra_ctx, n))))
            continue;
        heap_keep(&keep, (struct cand){.n = n}, pool);
    }
    struct cand *v;
    size_t n = heap_take_sorted(&keep, &v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (tree_w(v[i].n, TREE_W_STORED) >= tree_w(v[0].n, TREE_W_STORED) / 100)
            v[k++] = v[i];
    n = k;
    qsort(v, n, sizeof *v, cmp_ratio);
    if (n)
        fputs("\nWorst compressed of the largest stored entries (stored, % of extracted):\n",
              p->out);
    struct name_buf path = {0};
    for (size_t i = 0; i < n && i < o->files; i++) {
        char pct[32];
        uint64_t a = tree_w(v[i].n, TREE_W_APPARENT);
        snprintf(pct, sizeof pct, a ? "%6.1f%% " : "      - ", 100.0 * ratio(v[i].n));
        path_name(&path, t, v[i].n);
        name_buf_reset(&p->name);
        name_buf_addstr(&p->name, pct);
        name_buf_add(&p->name, path.s, path.len);
        put_row(p, tree_w(v[i].n, TREE_W_STORED), v[i].n, 0, false);
    }
    name_buf_release(&path);
    free(v);
}

/* ---- the whole ------------------------------------------------------------------------ */

static void put_heading(struct painter *p)
{
    const struct report_opts *o = p->o;
    char a[32], b[32];
    fprintf(p->out, "%s: %s", o->what, report_size(a, p->total, o->bytes, &o->units));
    if (o->bytes && (o->units.mode == REPORT_UNITS_AUTO || o->units.mode == REPORT_UNITS_HUMAN ||
                     o->units.mode == REPORT_UNITS_SI))
        fprintf(p->out, " (%s bytes)", util_commas(p->total, b));
    else if (!o->bytes && o->what)
        fputs(o->weight == TREE_W_COUNT ? " entries" : "", p->out);
    fputc('\n', p->out);
}

static void put_footer(struct painter *p)
{
    const struct report_opts *o = p->o;
    char a[32];
    fprintf(p->out, "%s %s, %lu %s", util_commas(o->entries, a),
            o->entries == 1 ? "entry" : "entries", o->warnings,
            o->warnings == 1 ? "warning" : "warnings");
    if (o->seconds >= 0)
        fprintf(p->out, ", %.2f s", o->seconds);
    fputc('\n', p->out);
}

static void put_summary_line(FILE *out, struct name_buf *b, const struct tree_node *n,
                             const struct report_opts *o)
{
    char sz[32];
    if (tree_w(n, o->weight) < o->threshold)
        return;
    name_buf_reset(b);
    name_display_add(b, n->name, n->len);
    fprintf(out, "%s\t%s\n", report_du_size(sz, tree_w(n, o->weight), o->bytes, &o->units), b->s);
}

/* du -s: SIZE<TAB>PATH per PATH in the order given (each PATH's node once),
 * then SIZE<TAB>total with -c */
static void put_summary(FILE *out, const struct tree *t, const struct report_opts *o)
{
    struct name_buf b = {0};
    size_t n = 0;
    for (const struct tree_node *c = tree_first_child(t->root); c; c = tree_next_sibling(c))
        n++;
    const struct tree_node **kids = xcalloc(n + 1, sizeof *kids);
    n = 0;
    for (const struct tree_node *c = tree_first_child(t->root); c; c = tree_next_sibling(c))
        kids[n++] = c;
    for (size_t i = 0; i < o->npaths; i++) {
        size_t len = strlen(o->paths[i]);
        for (size_t k = 0; k < n; k++) {
            if (kids[k] && kids[k]->len == len && memcmp(kids[k]->name, o->paths[i], len) == 0) {
                put_summary_line(out, &b, kids[k], o);
                kids[k] = NULL;
                break;
            }
        }
    }
    for (size_t k = 0; k < n; k++) /* any not named as given */
        if (kids[k])
            put_summary_line(out, &b, kids[k], o);
    free(kids);
    if (o->total) {
        char sz[32];
        fprintf(out, "%s\ttotal\n",
                report_du_size(sz, tree_w(t->root, o->weight), o->bytes, &o->units));
    }
    name_buf_release(&b);
}

/* the widest size any row can show: the total's */
static int size_width(const struct report_opts *o, uint64_t total)
{
    char sz[32];
    int w = (int)strlen(report_size(sz, total, o->bytes, &o->units));
    if (o->bytes && (o->units.mode == REPORT_UNITS_AUTO || o->units.mode == REPORT_UNITS_SI))
        w = 10; /* "1023.9 KiB" */
    return w < 4 ? 4 : w;
}

int report_write(FILE *out, const struct tree *t, const struct report_opts *o)
{
    if (o->summarize) {
        put_summary(out, t, o);
        return ferror(out) ? -1 : 0;
    }
    struct painter p = {.out = out, .o = o, .total = tree_w(t->root, o->weight)};
    unsigned width = o->width >= 40 ? o->width : 40;
    p.sizew = size_width(o, p.total);
    /* the bar takes a fifth of the width, from 8 to 40 cells */
    p.barw = width / 5 < 8 ? 8 : width / 5 > 40 ? 40 : width / 5;
    p.bar = xmalloc(3 * (size_t)p.barw + 1);
    if (o->what)
        put_heading(&p);
    size_t n;
    struct row *rows = choose_rows(t, o, &n);
    put_tree(&p, rows, n);
    free(rows);
    if (o->total) {
        name_buf_reset(&p.name);
        name_buf_addstr(&p.name, "total");
        put_row(&p, p.total, NULL, 0, false);
    }
    if (o->files)
        put_files(&p, t);
    if (o->files && o->weight == TREE_W_STORED && t->nweights > TREE_W_STORED)
        put_ratios(&p, t);
    if (o->extra)
        o->extra(out, o->extra_ctx);
    if (o->footer)
        put_footer(&p);
    name_buf_release(&p.name);
    free(p.bar);
    return ferror(out) ? -1 : 0;
}
