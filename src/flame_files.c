/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The files around a flame graph: reads --nameattr and the --cp palette map,
 * draws through flame_write(), saves the palette map (formats: flame_files.h).
 */
#include "flame_files.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* the value slot of a used key ("class", "style", "title"), or NULL */
static char **attr_slot(struct flame_nameattr *e, const char *key, size_t kl)
{
    if (kl != 5)
        return NULL;
    return !memcmp(key, "class", 5)   ? &e->cls
           : !memcmp(key, "style", 5) ? &e->style
           : !memcmp(key, "title", 5) ? &e->title
                                      : NULL;
}

/* the key=value pairs of line[tab+1..end) into e; the last of a key wins */
static void parse_pairs(struct flame_nameattr *e, char *p, char *end)
{
    while (p < end) {
        char *q = memchr(p, '\t', (size_t)(end - p));
        if (!q)
            q = end;
        char *eq = memchr(p, '=', (size_t)(q - p));
        if (eq) {
            char **slot = attr_slot(e, p, (size_t)(eq - p));
            if (slot) {
                free(*slot);
                *slot = xmemdup(eq + 1, (size_t)(q - eq - 1));
            }
        }
        p = q + 1;
    }
}

/* one line (without its end); -1 when it has no tab */
static int parse_nameattr_line(struct flame_nameattrs *a, char *line, size_t n)
{
    char *tab = memchr(line, '\t', n);
    if (!tab)
        return -1;
    struct flame_nameattr e = {xmemdup(line, (size_t)(tab - line)), (size_t)(tab - line), NULL,
                               NULL, NULL};
    parse_pairs(&e, tab + 1, line + n);
    flame_nameattrs_add(a, &e);
    return 0;
}

int flame_files_read_nameattr(const char *path, struct flame_nameattrs **out, char **err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xasprintf("cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    struct flame_nameattrs *a = flame_nameattrs_new();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int ret = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (parse_nameattr_line(a, line, (size_t)n) != 0) {
            *err = xasprintf("invalid format in '%s' line %lu: expected NAME, a tab and "
                             "key=value pairs",
                             path, lineno);
            ret = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    if (ret != 0) {
        flame_nameattrs_free(a);
        return -1;
    }
    flame_nameattrs_sort(a);
    *out = a;
    return 0;
}

int flame_files_read_palette(const char *path, struct flame_palmap **out, char **err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f && errno != ENOENT) {
        *err = xasprintf("cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    struct flame_palmap *m = flame_palmap_new();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (f && (n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *arrow = NULL;
        for (char *p = line; (p = strstr(p, "->")); p++)
            arrow = p;
        /* never copy text from the file into an attribute unchecked */
        if (arrow && flame_palmap_valid_rgb(arrow + 2))
            flame_palmap_add(m, line, (size_t)(arrow - line), arrow + 2);
    }
    free(line);
    if (f)
        fclose(f);
    *out = m;
    return 0;
}

int flame_files_save_palette(struct flame_palmap *m, const char *path, char **err)
{
    size_t n = flame_palmap_sort(m);
    struct out o;
    if (out_open(&o, path) != 0) {
        *err = xasprintf("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name, *rgb;
        flame_palmap_entry(m, i, &name, &rgb);
        fprintf(o.fp, "%s->%s\n", name, rgb);
    }
    if (out_commit(&o) != 0) {
        *err = xasprintf("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* with a failed save, its message replaces a warning flame_write gave */
static int save_after(struct flame_palmap *m, const char *path, int ret, char **err)
{
    char *perr = NULL;
    if (ret < 0 || !flame_palmap_changed(m) || flame_files_save_palette(m, path, &perr) == 0)
        return ret;
    free(*err);
    *err = perr;
    return 1;
}

int flame_files_write(FILE *out, struct tree *t, const struct flame_opts *o, char **err)
{
    if (flame_check(o, t, err) != 0)
        return -1;
    struct flame_opts fo = *o;
    struct flame_nameattrs *attrs = NULL;
    struct flame_palmap *pal = NULL;
    int ret = -1;
    if (o->nameattr && flame_files_read_nameattr(o->nameattr, &attrs, err) != 0)
        goto done;
    if (o->cp && flame_files_read_palette(o->palette_file, &pal, err) != 0)
        goto done;
    fo.nameattrs = attrs;
    fo.palmap = pal;
    ret = flame_write(out, t, &fo, err);
    if (pal)
        ret = save_after(pal, o->palette_file, ret, err);
done:
    flame_nameattrs_free(attrs);
    flame_palmap_free(pal);
    return ret;
}
