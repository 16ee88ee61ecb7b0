/* SPDX-License-Identifier: BSD-2-Clause */
/* diff_rank: the paths that changed most, as text, JSON and Markdown (see include/diff_rank.h) */
#include "diff_rank.h"
#include "count.h"
#include "names.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ranking --------------------------------------------------------- */

static uint64_t absdiff(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

/* n's change is all one child's: the rest of n is the same on both sides */
static bool folds_into_child(const struct tree_node *n)
{
    for (const struct tree_node *c = n->child; c; c = c->next)
        if (n->w[TREE_W_BEFORE] - c->w[TREE_W_BEFORE] == n->w[TREE_W_AFTER] - c->w[TREE_W_AFTER])
            return true;
    return false;
}

struct ranked_row {
    struct diff_row r;
    uint64_t key;
    size_t order;
};

static int cmp_rows(const void *pa, const void *pb)
{
    const struct ranked_row *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? 1 : -1;
    return a->order < b->order ? -1 : a->order > b->order ? 1 : 0;
}

struct diff_row *diff_rank(const struct tree_node *base, size_t *n)
{
    size_t cap = 0, len = 0, order = 0;
    struct ranked_row *v = NULL;
    struct tree_iter it;
    /* tree_iter does not write through its start node */
    tree_iter_init(&it, (struct tree_node *)base);
    bool descend = true;
    for (struct tree_node *node; (node = tree_iter_next(&it, descend)); order++) {
        uint64_t b = node->w[TREE_W_BEFORE], a = node->w[TREE_W_AFTER];
        descend = true;
        if (node == base || a == b || folds_into_child(node))
            continue;
        enum diff_mark mark = b == 0 ? DIFF_NEW : a == 0 ? DIFF_REMOVED : DIFF_CHANGED;
        if (mark != DIFF_CHANGED)
            descend = false; /* counted whole */
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            v = xreallocarray(v, cap, sizeof *v);
        }
        v[len++] = (struct ranked_row){{node, b, a, mark}, absdiff(a, b), order};
    }
    if (len)
        qsort(v, len, sizeof *v, cmp_rows);
    struct diff_row *out = len ? xreallocarray(NULL, len, sizeof *out) : NULL;
    for (size_t i = 0; i < len; i++)
        out[i] = v[i].r;
    free(v);
    *n = len;
    return out;
}

char *diff_path(const struct tree_node *base, const struct tree_node *n, char sep)
{
    struct name_buf b = {0};
    size_t depth = 0;
    for (const struct tree_node *p = n; p && p != base; p = p->parent)
        depth++;
    const struct tree_node **v = xmalloc((depth ? depth : 1) * sizeof *v);
    size_t i = depth;
    for (const struct tree_node *p = n; p && p != base; p = p->parent)
        v[--i] = p;
    for (i = 0; i < depth; i++) {
        if (i > 0)
            name_buf_addc(&b, sep);
        name_display_add(&b, v[i]->name, v[i]->len);
    }
    free(v);
    if (!b.s)
        return xstrdup("");
    return b.s;
}

/* ---- shared text --------------------------------------------------------- */

/* "+1.5 MiB" or "-12": the signed change */
static char *signed_amount(uint64_t before, uint64_t after, enum diff_units u, unsigned scale,
                           char buf[96])
{
    char amt[80];
    diff_amount(absdiff(before, after), u, scale, amt);
    snprintf(buf, 96, "%s%s", after > before ? "+" : after < before ? "-" : "", amt);
    return buf;
}

/* "+12.3%", "new" or "removed" */
static char *percent_text(const struct diff_row *r, char buf[32])
{
    if (r->mark == DIFF_NEW)
        return strcpy(buf, "new");
    if (r->mark == DIFF_REMOVED)
        return strcpy(buf, "removed");
    double p = ((double)r->after - (double)r->before) * 100.0 / (double)r->before;
    snprintf(buf, 32, "%+.1f%%", p);
    return buf;
}

/* the path of a row as printed: a directory ends in '/' in a scan */
static char *row_path(const struct tree_node *base, const struct diff_row *r, char sep)
{
    char *p = diff_path(base, r->node, sep);
    if (sep == '/' && (r->node->flags & TREE_DIR)) {
        char *q = xasprintf("%s/", p);
        free(p);
        return q;
    }
    return p;
}

static const struct tree_node *base_of(const struct tree *j, const struct diff_text_opts *o)
{
    return o->base ? o->base : j->root;
}

/* ---- text ---------------------------------------------------------------- */

struct cells {
    char change[96], before[80], after[80], pct[32];
    char *path;
};

static void fill_cells(struct cells *c, const struct tree *j, const struct tree_node *base,
                       const struct diff_text_opts *o, const struct diff_row *r)
{
    signed_amount(r->before, r->after, o->units, j->scale, c->change);
    diff_amount(r->before, o->units, j->scale, c->before);
    diff_amount(r->after, o->units, j->scale, c->after);
    percent_text(r, c->pct);
    c->path = row_path(base, r, o->sep);
}

static int width_of(const char *s, int w)
{
    int n = (int)strlen(s);
    return n > w ? n : w;
}

static int put_table(FILE *fp, const struct tree *j, const struct diff_text_opts *o,
                     const struct diff_row *rows, size_t n, size_t all)
{
    const struct tree_node *base = base_of(j, o);
    if (fprintf(fp, "\nchanged most (%zu of %zu path%s, largest change first)\n", n, all,
                all == 1 ? "" : "s") < 0)
        return -1;
    if (n == 0)
        return fputs("  (nothing)\n", fp) == EOF ? -1 : 0;
    struct cells *c = xcalloc(n, sizeof *c);
    int wc = 6, wb = 6, wa = 5, wp = 1;
    for (size_t i = 0; i < n; i++) {
        fill_cells(&c[i], j, base, o, &rows[i]);
        wc = width_of(c[i].change, wc);
        wb = width_of(c[i].before, wb);
        wa = width_of(c[i].after, wa);
        wp = width_of(c[i].pct, wp);
    }
    int rc = fprintf(fp, "  %*s  %*s  %*s  %*s  path\n", wc, "change", wb, "before", wa, "after",
                     wp, "%") < 0
                 ? -1
                 : 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (fprintf(fp, "  %*s  %*s  %*s  %*s  %s\n", wc, c[i].change, wb, c[i].before, wa,
                    c[i].after, wp, c[i].pct, c[i].path) < 0)
            rc = -1;
    for (size_t i = 0; i < n; i++)
        free(c[i].path);
    free(c);
    return rc;
}

int diff_write_text(FILE *fp, const struct tree *j, const struct diff_text_opts *o)
{
    const struct tree_node *base = base_of(j, o);
    uint64_t b = base->w[TREE_W_BEFORE], a = base->w[TREE_W_AFTER];
    char hb[80], ha[80], cb[COUNT_TEXT_MAX], ca[COUNT_TEXT_MAX], ch[DIFF_CHANGE_LEN];
    diff_amount(b, o->units, j->scale, hb);
    diff_amount(a, o->units, j->scale, ha);
    count_format(cb, b, j->scale, COUNT_COMMAS);
    count_format(ca, a, j->scale, COUNT_COMMAS);
    diff_change(b, a, o->units, j->scale, ch);
    if (o->units == DIFF_BYTES) {
        if (fprintf(fp, "before  %12s  %s bytes  %s\n", hb, cb, o->before_label) < 0 ||
            fprintf(fp, "after   %12s  %s bytes  %s\n", ha, ca, o->after_label) < 0)
            return -1;
    } else {
        if (fprintf(fp, "before  %s %s  %s\n", cb, o->countname, o->before_label) < 0 ||
            fprintf(fp, "after   %s %s  %s\n", ca, o->countname, o->after_label) < 0)
            return -1;
    }
    if (fprintf(fp, "change  %s\n", ch) < 0)
        return -1;
    size_t all;
    struct diff_row *rows = diff_rank(base, &all);
    int rc = 0;
    if (o->top > 0)
        rc = put_table(fp, j, o, rows, all < o->top ? all : o->top, all);
    free(rows);
    if (rc == 0 && fflush(fp) == EOF)
        rc = -1;
    return rc;
}

/* ---- JSON ---------------------------------------------------------------- */

/* a JSON string; also inert inside an HTML script element */
static void json_str(FILE *fp, const char *s)
{
    putc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == 0x7f)
            fprintf(fp, "\\u%04x", *p);
        else
            putc(*p, fp);
    }
    putc('"', fp);
}

/* a count as a JSON number: v / 10^scale, negative when neg */
static void json_count(FILE *fp, uint64_t v, unsigned scale, bool neg)
{
    char buf[COUNT_TEXT_MAX];
    count_format(buf, v, scale, COUNT_TRIM);
    fprintf(fp, "%s%s", neg && v ? "-" : "", buf);
}

static void json_percent(FILE *fp, uint64_t before, uint64_t after)
{
    if (before == 0) {
        fputs("null", fp);
        return;
    }
    fprintf(fp, "%.2f", ((double)after - (double)before) * 100.0 / (double)before);
}

static const char *const mark_names[] = {"changed", "new", "removed"};

static void json_row(FILE *fp, const struct tree *j, const struct tree_node *base,
                     const struct diff_row *r, char sep)
{
    char *p = diff_path(base, r->node, sep);
    fputs("    {\"path\": ", fp);
    json_str(fp, p);
    free(p);
    fprintf(fp, ", \"dir\": %s, \"before\": ", r->node->flags & TREE_DIR ? "true" : "false");
    json_count(fp, r->before, j->scale, false);
    fputs(", \"after\": ", fp);
    json_count(fp, r->after, j->scale, false);
    fputs(", \"change\": ", fp);
    json_count(fp, absdiff(r->after, r->before), j->scale, r->after < r->before);
    fputs(", \"percent\": ", fp);
    json_percent(fp, r->before, r->after);
    fprintf(fp, ", \"mark\": \"%s\"}", mark_names[r->mark]);
}

int diff_write_json(FILE *fp, const struct tree *j, const struct diff_text_opts *o)
{
    const struct tree_node *base = base_of(j, o);
    uint64_t b = base->w[TREE_W_BEFORE], a = base->w[TREE_W_AFTER];
    size_t all;
    struct diff_row *rows = diff_rank(base, &all);
    size_t n = all < o->top ? all : o->top;
    fputs("{\n  \"before\": {\"label\": ", fp);
    json_str(fp, o->before_label);
    fputs(", \"total\": ", fp);
    json_count(fp, b, j->scale, false);
    fputs("},\n  \"after\": {\"label\": ", fp);
    json_str(fp, o->after_label);
    fputs(", \"total\": ", fp);
    json_count(fp, a, j->scale, false);
    fputs("},\n  \"unit\": ", fp);
    json_str(fp, o->countname);
    fputs(",\n  \"change\": ", fp);
    json_count(fp, absdiff(a, b), j->scale, a < b);
    fputs(",\n  \"percent\": ", fp);
    json_percent(fp, b, a);
    fprintf(fp, ",\n  \"sep\": \"%c\",\n  \"paths_changed\": %zu,\n  \"rows\": [", o->sep, all);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n" : "\n", fp);
        json_row(fp, j, base, &rows[i], o->sep);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", fp);
    free(rows);
    return ferror(fp) || fflush(fp) == EOF ? -1 : 0;
}

/* ---- Markdown ------------------------------------------------------------ */

/* text in a table cell: what Markdown would read as markup is escaped */
static void md_text(FILE *fp, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '&')
            fputs("&amp;", fp);
        else if (*p == '<')
            fputs("&lt;", fp);
        else if (*p == '>')
            fputs("&gt;", fp);
        else if (strchr("\\`*_[]|#~", *p))
            fprintf(fp, "\\%c", *p);
        else
            putc(*p, fp);
    }
}

int diff_write_markdown(FILE *fp, const struct tree *j, const struct diff_text_opts *o)
{
    const struct tree_node *base = base_of(j, o);
    uint64_t b = base->w[TREE_W_BEFORE], a = base->w[TREE_W_AFTER];
    char hb[80], ha[80], ch[DIFF_CHANGE_LEN];
    diff_amount(b, o->units, j->scale, hb);
    diff_amount(a, o->units, j->scale, ha);
    diff_change(b, a, o->units, j->scale, ch);
    const char *unit = o->units == DIFF_BYTES ? "" : o->countname;
    fputs("**", fp);
    md_text(fp, o->before_label);
    fputs("** \xe2\x86\x92 **", fp);
    md_text(fp, o->after_label);
    fprintf(fp, "**: %s \xe2\x86\x92 %s%s%s, %s\n\n", hb, ha, *unit ? " " : "", unit, ch);
    size_t all;
    struct diff_row *rows = diff_rank(base, &all);
    size_t n = all < o->top ? all : o->top;
    if (n == 0) {
        fputs("Nothing changed.\n", fp);
    } else {
        fputs("| Path | Before | After | Change | % |\n|:--|--:|--:|--:|--:|\n", fp);
        for (size_t i = 0; i < n; i++) {
            struct cells c;
            fill_cells(&c, j, base, o, &rows[i]);
            fputs("| ", fp);
            md_text(fp, c.path);
            fprintf(fp, " | %s | %s | %s | %s |\n", c.before, c.after, c.change, c.pct);
            free(c.path);
        }
        if (n < all)
            fprintf(fp, "\n%zu of %zu changed paths, largest change first.\n", n, all);
    }
    free(rows);
    return ferror(fp) || fflush(fp) == EOF ? -1 : 0;
}
