/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The consistent palette (--cp): shown name -> "rgb(r,g,b)". Entries live in
 * a vector, found through an open-addressing table of indexes (+1, 0 is
 * empty); sorted by name only when the front end saves them.
 */
#include "flame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pal_entry {
    char *key; /* display name */
    char *val; /* "rgb(r,g,b)" */
};

struct flame_palmap {
    struct pal_entry *e;
    size_t n, cap;
    size_t *ht;
    size_t htmask;
    bool changed;
};

struct flame_palmap *flame_palmap_new(void)
{
    return xcalloc(1, sizeof(struct flame_palmap));
}

void flame_palmap_free(struct flame_palmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].key);
        free(m->e[i].val);
    }
    free(m->e);
    free(m->ht);
    free(m);
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static size_t *pal_slot(const struct flame_palmap *m, const char *key)
{
    size_t j = str_hash(key) & m->htmask;
    while (m->ht[j] && strcmp(m->e[m->ht[j] - 1].key, key) != 0)
        j = (j + 1) & m->htmask;
    return &m->ht[j];
}

const char *flame_palmap_find(const struct flame_palmap *m, const char *name)
{
    if (!m || !m->n)
        return NULL;
    size_t *sl = pal_slot(m, name);
    return *sl ? m->e[*sl - 1].val : NULL;
}

static void grow_table(struct flame_palmap *m)
{
    size_t cap = m->ht ? (m->htmask + 1) * 2 : 256;
    free(m->ht);
    m->ht = xcalloc(cap, sizeof *m->ht);
    m->htmask = cap - 1;
    for (size_t i = 0; i < m->n; i++)
        *pal_slot(m, m->e[i].key) = i + 1;
}

bool flame_palmap_valid_rgb(const char *v)
{
    int r, g, b, n = 0;
    return sscanf(v, "rgb(%d,%d,%d)%n", &r, &g, &b, &n) == 3 && v[n] == '\0' && r >= 0 && r < 256 &&
           g >= 0 && g < 256 && b >= 0 && b < 256;
}

void flame_palmap_add(struct flame_palmap *m, const char *name, size_t len, const char *rgb)
{
    if ((m->n + 1) * 2 > m->htmask + 1 || !m->ht)
        grow_table(m);
    char *key = xmemdup(name, len);
    size_t *sl = pal_slot(m, key);
    if (*sl) {
        free(key);
        return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->e = xreallocarray(m->e, m->cap, sizeof *m->e);
    }
    m->e[m->n].key = key;
    m->e[m->n].val = xstrdup(rgb);
    *sl = ++m->n;
}

void flame_palmap_set_changed(struct flame_palmap *m, bool changed)
{
    m->changed = changed;
}

bool flame_palmap_changed(const struct flame_palmap *m)
{
    return m && m->changed;
}

static int pal_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pal_entry *)a)->key, ((const struct pal_entry *)b)->key);
}

size_t flame_palmap_sort(struct flame_palmap *m)
{
    /* keys are unique: the order is total, a saved file the same every time */
    if (m->n)
        qsort(m->e, m->n, sizeof *m->e, pal_cmp);
    return m->n;
}

void flame_palmap_entry(const struct flame_palmap *m, size_t i, const char **name, const char **rgb)
{
    *name = m->e[i].key;
    *rgb = m->e[i].val;
}
