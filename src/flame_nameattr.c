/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-name attributes (--nameattr): a frame whose name matches gets a class,
 * a style and more title text. Entries are collected, then sorted once by
 * name (bytewise, shorter first) and found by binary search.
 */
#include "flame.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct flame_nameattrs {
    struct flame_nameattr *e;
    size_t n, cap;
    bool sorted;
};

struct flame_nameattrs *flame_nameattrs_new(void)
{
    return xcalloc(1, sizeof(struct flame_nameattrs));
}

void flame_nameattrs_free(struct flame_nameattrs *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->e[i].name);
        free(a->e[i].cls);
        free(a->e[i].style);
        free(a->e[i].title);
    }
    free(a->e);
    free(a);
}

void flame_nameattrs_add(struct flame_nameattrs *a, const struct flame_nameattr *e)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->e = xreallocarray(a->e, a->cap, sizeof *a->e);
    }
    a->e[a->n++] = *e;
    a->sorted = false;
}

static int attr_cmp(const void *a, const void *b)
{
    const struct flame_nameattr *x = a, *y = b;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, l);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

void flame_nameattrs_sort(struct flame_nameattrs *a)
{
    if (a->n)
        qsort(a->e, a->n, sizeof *a->e, attr_cmp);
    a->sorted = true;
}

const struct flame_nameattr *flame_nameattrs_find(const struct flame_nameattrs *a, const char *name,
                                                  size_t len)
{
    if (!a || !a->n || !a->sorted)
        return NULL;
    struct flame_nameattr k = {(char *)name, len, NULL, NULL, NULL};
    return bsearch(&k, a->e, a->n, sizeof *a->e, attr_cmp);
}
