/* SPDX-License-Identifier: BSD-2-Clause */
#include "report.h"
#include "names.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

void report_opts_init(struct report_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bytes = true;
    o->lines = 30;
    o->width = 80;
}

unsigned report_term_width(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    if (c) {
        long v = strtol(c, NULL, 10);
        if (v > 0 && v < 10000)
            return (unsigned)v;
    }
    return 80;
}

char *report_bar(char *buf, unsigned width, double frac)
{
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    unsigned full = (unsigned)(frac * width + 0.5);
    for (unsigned i = 0; i < width; i++)
        buf[i] = i < full ? '#' : '.';
    buf[width] = '\0';
    return buf;
}

char *report_size(char buf[32], uint64_t v, bool bytes)
{
    return bytes ? util_human(v, buf) : util_commas(v, buf);
}

/* A max-heap of nodes by weight: the greedy choice of which entries to list
 * (always the largest not yet listed whose parent is listed) keeps the
 * listing a connected tree of the biggest things. */
struct heap {
    struct tree_node **v;
    size_t n, cap;
    unsigned w;
};

static void heap_push(struct heap *h, struct tree_node *x)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->v[p]->w[h->w] >= x->w[h->w])
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = x;
}

static struct tree_node *heap_pop(struct heap *h)
{
    if (!h->n)
        return NULL;
    struct tree_node *top = h->v[0], *x = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1]->w[h->w] > h->v[c]->w[h->w])
            c++;
        if (h->v[c]->w[h->w] <= x->w[h->w])
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = x;
    return top;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (struct tree_node *const *)a;
    uintptr_t y = (uintptr_t) * (struct tree_node *const *)b;
    return (x > y) - (x < y);
}

static bool chosen(struct tree_node **sel, size_t n, struct tree_node *x)
{
    return bsearch(&x, sel, n, sizeof *sel, cmp_ptr) != NULL;
}

int report_write(FILE *out, struct tree *t, const struct report_opts *o)
{
    unsigned w = o->weight;
    tree_sort(t, TREE_BY_WEIGHT, w);
    uint64_t total = t->root->w[w];
    char a[32], b[32];
    if (o->what) {
        fprintf(out, "%s: %s", o->what, report_size(a, total, o->bytes));
        if (o->bytes)
            fprintf(out, " (%s bytes)", util_commas(total, b));
        else if (o->unit)
            fprintf(out, " %s", o->unit);
        fputc('\n', out);
    }

    /* choose the entries to list */
    struct heap h = {.w = w};
    size_t cap = o->lines ? o->lines : 30, n = 0;
    struct tree_node **sel = xcalloc(cap, sizeof *sel);
    for (struct tree_node *c = t->root->child; c; c = c->next)
        heap_push(&h, c);
    for (struct tree_node *x; n < cap && (x = heap_pop(&h));) {
        sel[n++] = x;
        for (struct tree_node *c = x->child; c; c = c->next)
            heap_push(&h, c);
    }
    free(h.v);
    qsort(sel, n, sizeof *sel, cmp_ptr);

    unsigned width = o->width >= 40 ? o->width : 40;
    unsigned barw = width >= 100 ? 20 : width >= 70 ? 12 : 6;
    char *bar = xmalloc(barw + 1);
    struct name_buf nb = {0};
    /* pre-order over the chosen nodes only: they form a tree under the root */
    struct tree_node *x = t->root->child;
    unsigned depth = 0;
    while (x) {
        if (chosen(sel, n, x)) {
            double frac = total ? (double)x->w[w] / (double)total : 0;
            name_buf_reset(&nb);
            name_display_add(&nb, x->name, x->len);
            if (x->flags & TREE_DIR)
                name_buf_addc(&nb, '/');
            if (x->flags & TREE_UNREADABLE)
                name_buf_addstr(&nb, " (unreadable)");
            int head = fprintf(out, "%10s %5.1f%% %s %*s", report_size(a, x->w[w], o->bytes),
                               frac * 100, report_bar(bar, barw, frac), (int)(2 * depth), "");
            size_t room = head > 0 && (unsigned)head + 4 < width ? width - (unsigned)head : 4;
            if (nb.len <= room) {
                fwrite(nb.s, 1, nb.len, out);
            } else {
                /* cut at a character boundary and mark the cut */
                size_t cut = room - 3;
                while (cut > 0 && ((unsigned char)nb.s[cut] & 0xc0) == 0x80)
                    cut--;
                fwrite(nb.s, 1, cut, out);
                fputs("...", out);
            }
            fputc('\n', out);
            if (x->child) {
                x = x->child;
                depth++;
                continue;
            }
        }
        while (x && !x->next && x->parent != t->root) {
            x = x->parent;
            depth--;
        }
        x = x ? x->next : NULL;
    }
    name_buf_release(&nb);
    free(bar);
    free(sel);
    return ferror(out) ? -1 : 0;
}
