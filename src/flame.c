/* SPDX-License-Identifier: BSD-2-Clause */
#include "flame.h"
#include "names.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "assets.i"

#define XPAD 10.0
#define FRAMEPAD 1.0
#define SEARCH_COLOR "rgb(230,0,230)"

void flame_opts_init(struct flame_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1200;
    o->frameheight = 16;
    o->minwidth = 0.1;
    o->fonttype = "Verdana, DejaVu Sans, sans-serif";
    o->fontsize = 12;
    o->fontwidth = 0.59;
    o->countname = "samples";
    o->nametype = "Function:";
    o->palette = FLAME_PAL_HOT;
    o->palette_file = "palette.map";
    o->factor = 1.0;
    o->sort = FLAME_SORT_NAME;
    o->units = FLAME_UNITS_COUNT;
    o->diff_width = FLAME_DIFF_AFTER;
}

static const char *const palette_names[] = {
    "hot", "mem",   "io",   "wakeup", "chain",  "java",   "js",     "perl",
    "red", "green", "blue", "aqua",   "yellow", "purple", "orange",
};

int flame_parse_palette(const char *s, enum flame_palette *out)
{
    for (size_t i = 0; i < ARRAY_LEN(palette_names); i++)
        if (strcmp(s, palette_names[i]) == 0) {
            *out = (enum flame_palette)i;
            return 0;
        }
    return -1;
}

static char *msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        s = xstrdup("out of memory");
    return s;
}

/* --- colours ------------------------------------------------------------ */

struct rgb {
    int r, g, b;
};

/* flamegraph.pl's name hash: the first three characters (after a "module`"
 * prefix) decide, the first weighing most, so similar names look alike */
static double fg_namehash(const unsigned char *s, size_t len, bool reversed)
{
    size_t start = 0, end = len;
    if (reversed) {
        /* the name read backwards; the backtick cut applies to it too */
        unsigned char *rev = xmalloc(len + 1);
        for (size_t i = 0; i < len; i++)
            rev[i] = s[len - 1 - i];
        double v = fg_namehash(rev, len, false);
        free(rev);
        return v;
    }
    /* "x...`rest": drop everything up to the first backtick after the first byte */
    if (len > 1) {
        const unsigned char *bt = memchr(s + 1, '`', len - 1);
        if (bt)
            start = (size_t)(bt - s) + 1;
    }
    double vector = 0, weight = 1, max = 1;
    int mod = 10;
    for (size_t i = start; i < end; i++) {
        int c = s[i] % mod;
        vector += ((double)c / (mod - 1)) * weight;
        mod++;
        max += weight;
        weight *= 0.70;
        if (mod > 12)
            break;
    }
    return 1 - vector / max;
}

static uint64_t strong_hash(const unsigned char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then a finaliser */
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return util_mix64(h ^ len);
}

static bool has(const char *s, size_t len, const char *needle)
{
    return memmem(s, len, needle, strlen(needle)) != NULL;
}

static bool ends(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* a Java package path at the start: "java/", "Ljava/", "org/" ... */
static bool java_path(const char *s, size_t len)
{
    static const char *const pk[] = {"java/", "javax/", "jdk/", "net/",
                                     "org/",  "com/",   "io/",  "sun/"};
    if (len && s[0] == 'L') {
        s++;
        len--;
    }
    for (size_t i = 0; i < ARRAY_LEN(pk); i++)
        if (len >= strlen(pk[i]) && memcmp(s, pk[i], strlen(pk[i])) == 0)
            return true;
    return false;
}

/* the single-hue palette a multi palette picks for this name */
static enum flame_palette multi(enum flame_palette p, const char *s, size_t len)
{
    switch (p) {
    case FLAME_PAL_WAKEUP:
        return FLAME_PAL_AQUA;
    case FLAME_PAL_CHAIN:
        return has(s, len, "_[w]") ? FLAME_PAL_AQUA : FLAME_PAL_BLUE;
    case FLAME_PAL_JAVA:
        if (ends(s, len, "_[j]"))
            return FLAME_PAL_GREEN;
        if (ends(s, len, "_[i]"))
            return FLAME_PAL_AQUA;
        if (java_path(s, len) || has(s, len, ":::"))
            return FLAME_PAL_GREEN;
        if (has(s, len, "::"))
            return FLAME_PAL_YELLOW;
        if (ends(s, len, "_[k]"))
            return FLAME_PAL_ORANGE;
        return FLAME_PAL_RED;
    case FLAME_PAL_JS:
        if (ends(s, len, "_[j]"))
            return FLAME_PAL_GREEN;
        if (ends(s, len, "_[k]"))
            return FLAME_PAL_ORANGE;
        if (has(s, len, "::"))
            return FLAME_PAL_YELLOW;
        if (has(s, len, "/"))
            return FLAME_PAL_GREEN;
        if (has(s, len, ":"))
            return FLAME_PAL_AQUA;
        if (len == 1 && s[0] == ' ')
            return FLAME_PAL_GREEN;
        return FLAME_PAL_RED;
    case FLAME_PAL_PERL:
        if (has(s, len, "::"))
            return FLAME_PAL_YELLOW;
        if (has(s, len, "Perl") || has(s, len, ".pl"))
            return FLAME_PAL_GREEN;
        if (ends(s, len, "_[k]"))
            return FLAME_PAL_ORANGE;
        return FLAME_PAL_RED;
    default:
        return p;
    }
}

static struct rgb palette_color(enum flame_palette p, double v1, double v2, double v3)
{
    switch (p) {
    case FLAME_PAL_HOT:
        return (struct rgb){205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2)};
    case FLAME_PAL_MEM:
        return (struct rgb){0, 190 + (int)(50 * v2), (int)(210 * v1)};
    case FLAME_PAL_IO: {
        int r = 80 + (int)(60 * v1);
        return (struct rgb){r, r, 190 + (int)(55 * v2)};
    }
    case FLAME_PAL_RED: {
        int x = 50 + (int)(80 * v1);
        return (struct rgb){200 + (int)(55 * v1), x, x};
    }
    case FLAME_PAL_GREEN: {
        int x = 50 + (int)(60 * v1);
        return (struct rgb){x, 200 + (int)(55 * v1), x};
    }
    case FLAME_PAL_BLUE: {
        int x = 80 + (int)(60 * v1);
        return (struct rgb){x, x, 205 + (int)(50 * v1)};
    }
    case FLAME_PAL_YELLOW: {
        int x = 175 + (int)(55 * v1);
        return (struct rgb){x, x, 50 + (int)(20 * v1)};
    }
    case FLAME_PAL_PURPLE: {
        int x = 190 + (int)(65 * v1);
        return (struct rgb){x, 80 + (int)(60 * v1), x};
    }
    case FLAME_PAL_AQUA:
        return (struct rgb){50 + (int)(60 * v1), 165 + (int)(55 * v1), 165 + (int)(55 * v1)};
    case FLAME_PAL_ORANGE:
        return (struct rgb){190 + (int)(65 * v1), 90 + (int)(65 * v1), 0};
    default:
        return (struct rgb){0, 0, 0};
    }
}

/* colours of a disk scan, by what a node is */
static const struct {
    const char *label;
    struct rgb c;
} kind_colors[] = {
    [TREE_KIND_OTHER] = {"other file", {175, 175, 165}},
    [TREE_KIND_SOURCE] = {"source", {110, 195, 105}},
    [TREE_KIND_OBJECT] = {"object code", {225, 100, 85}},
    [TREE_KIND_ARCHIVE] = {"archive", {175, 120, 215}},
    [TREE_KIND_IMAGE] = {"image", {85, 190, 195}},
    [TREE_KIND_MEDIA] = {"media", {110, 140, 225}},
    [TREE_KIND_DOCUMENT] = {"document", {220, 200, 85}},
};
#define KIND_DIR TREE_KIND_COUNT /* legend slot for directories */
static const struct rgb dir_color = {235, 165, 65};

static int clamp255(int v)
{
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

static struct rgb vary(struct rgb c, double v)
{
    int d = (int)(v * 24) - 12;
    return (struct rgb){clamp255(c.r + d), clamp255(c.g + d), clamp255(c.b + d)};
}

/* --- consistent palette (--cp) ------------------------------------------ */

struct pal_entry {
    char *key; /* display name */
    char *val; /* "rgb(r,g,b)" */
};

/* name -> colour: entries in a vector, found through an open-addressing
 * table of indexes (+1, 0 is empty); sorted only when saved */
struct palmap {
    struct pal_entry *e;
    size_t n, cap;
    size_t *ht;
    size_t htmask;
    bool changed;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static size_t *pal_slot(struct palmap *m, const char *key)
{
    size_t j = str_hash(key) & m->htmask;
    while (m->ht[j] && strcmp(m->e[m->ht[j] - 1].key, key) != 0)
        j = (j + 1) & m->htmask;
    return &m->ht[j];
}

static const char *pal_find(struct palmap *m, const char *key)
{
    if (!m->n)
        return NULL;
    size_t *sl = pal_slot(m, key);
    return *sl ? m->e[*sl - 1].val : NULL;
}

/* add key -> val (both heap strings, now the map's); a key already there
 * keeps its first colour */
static void pal_add(struct palmap *m, char *key, char *val)
{
    if ((m->n + 1) * 2 > m->htmask + 1 || !m->ht) {
        size_t cap = m->ht ? (m->htmask + 1) * 2 : 256;
        free(m->ht);
        m->ht = xcalloc(cap, sizeof *m->ht);
        m->htmask = cap - 1;
        for (size_t i = 0; i < m->n; i++)
            *pal_slot(m, m->e[i].key) = i + 1;
    }
    size_t *sl = pal_slot(m, key);
    if (*sl) {
        free(key);
        free(val);
        return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->e = xreallocarray(m->e, m->cap, sizeof *m->e);
    }
    m->e[m->n].key = key;
    m->e[m->n].val = val;
    *sl = ++m->n;
}

static int pal_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pal_entry *)a)->key, ((const struct pal_entry *)b)->key);
}

static void pal_free(struct palmap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].key);
        free(m->e[i].val);
    }
    free(m->e);
    free(m->ht);
}

static bool valid_rgb(const char *v)
{
    int r, g, b, n = 0;
    return sscanf(v, "rgb(%d,%d,%d)%n", &r, &g, &b, &n) == 3 && v[n] == '\0' && r >= 0 && r < 256 &&
           g >= 0 && g < 256 && b >= 0 && b < 256;
}

/* palette.map: "NAME->rgb(r,g,b)" per line; a missing file is an empty map */
static int pal_load(struct palmap *m, const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        *err = msg("cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *arrow = NULL;
        for (char *p = line; (p = strstr(p, "->")); p++)
            arrow = p;
        if (!arrow)
            continue;
        *arrow = '\0';
        if (!valid_rgb(arrow + 2))
            continue; /* never copy text from the file into an attribute unchecked */
        pal_add(m, xstrdup(line), xstrdup(arrow + 2));
    }
    free(line);
    fclose(f);
    return 0;
}

static int pal_save(struct palmap *m, const char *path, char **err)
{
    /* keys are unique: the order is total, the file the same every time */
    if (m->n)
        qsort(m->e, m->n, sizeof *m->e, pal_cmp);
    struct out o;
    if (out_open(&o, path) != 0) {
        *err = msg("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        fprintf(o.fp, "%s->%s\n", m->e[i].key, m->e[i].val);
    if (out_commit(&o) != 0) {
        *err = msg("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* --- --nameattr --------------------------------------------------------- */

struct nameattr {
    char *name;
    size_t len;
    char *cls, *style, *title;
};

struct attrs {
    struct nameattr *e;
    size_t n, cap;
};

static int attr_cmp(const void *a, const void *b)
{
    const struct nameattr *x = a, *y = b;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, l);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* "NAME<tab>key=value<tab>key=value": class, style and title are used;
 * flamegraph.pl's event handlers and raw markup (onclick, g_extra, ...) are
 * not, since they would let a file inject script */
static int attrs_load(struct attrs *a, const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = msg("cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int ret = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        char *tab = memchr(line, '\t', (size_t)n);
        if (!tab) {
            *err = msg("invalid format in '%s' line %lu: expected NAME, a tab and "
                       "key=value pairs",
                       path, lineno);
            ret = -1;
            break;
        }
        struct nameattr e = {xmemdup(line, (size_t)(tab - line)), (size_t)(tab - line), NULL, NULL,
                             NULL};
        char *p = tab + 1, *end = line + n;
        while (p < end) {
            char *q = memchr(p, '\t', (size_t)(end - p));
            if (!q)
                q = end;
            char *eq = memchr(p, '=', (size_t)(q - p));
            if (eq) {
                size_t kl = (size_t)(eq - p);
                char *v = xmemdup(eq + 1, (size_t)(q - eq - 1));
                char **slot = kl == 5 && !memcmp(p, "class", 5)   ? &e.cls
                              : kl == 5 && !memcmp(p, "style", 5) ? &e.style
                              : kl == 5 && !memcmp(p, "title", 5) ? &e.title
                                                                  : NULL;
                if (slot) {
                    free(*slot);
                    *slot = v;
                } else {
                    free(v);
                }
            }
            p = q + 1;
        }
        if (a->n == a->cap) {
            a->cap = a->cap ? a->cap * 2 : 16;
            a->e = xreallocarray(a->e, a->cap, sizeof *a->e);
        }
        a->e[a->n++] = e;
    }
    free(line);
    fclose(f);
    if (a->n)
        qsort(a->e, a->n, sizeof *a->e, attr_cmp);
    return ret;
}

static const struct nameattr *attrs_find(const struct attrs *a, const char *name, size_t len)
{
    if (!a->n)
        return NULL;
    struct nameattr k = {(char *)name, len, NULL, NULL, NULL};
    return bsearch(&k, a->e, a->n, sizeof *a->e, attr_cmp);
}

static void attrs_free(struct attrs *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->e[i].name);
        free(a->e[i].cls);
        free(a->e[i].style);
        free(a->e[i].title);
    }
    free(a->e);
}

/* --- numbers ------------------------------------------------------------ */

static uint64_t pow10u(unsigned e)
{
    uint64_t p = 1;
    while (e--)
        p *= 10;
    return p;
}

/* the decimal digits of v into buf (no NUL); returns how many */
static int u64_digits(char *buf, uint64_t v)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < k; i++)
        buf[i] = tmp[k - 1 - i];
    return k;
}

/*
 * v as printf's "%.1f" or "%.2f" (digits 1 or 2) into buf (40 bytes, NUL
 * added); returns the length. Thousands of frames print several such numbers
 * each, and snprintf was a quarter of a render's instructions. printf rounds
 * the exact value of v; v * 10^digits is within 1.2e-7 of it below 1e9, so
 * the rounding is decided here unless the fraction is within 1e-6 of a tie;
 * those, negative values and others go to snprintf, so the bytes are the same.
 */
static int fmt_fixed(char *buf, double v, int digits)
{
    double y = v * (digits == 1 ? 10.0 : 100.0);
    if (y >= 0 && y < 1e9 && !signbit(y)) {
        double t = floor(y);
        double frac = y - t;
        if (fabs(frac - 0.5) > 1e-6) {
            uint64_t u = (uint64_t)t + (frac > 0.5);
            uint64_t m = digits == 1 ? 10 : 100;
            int k = u64_digits(buf, u / m);
            buf[k++] = '.';
            uint64_t f = u % m;
            if (digits == 2)
                buf[k++] = (char)('0' + f / 10);
            buf[k++] = (char)('0' + f % 10);
            buf[k] = '\0';
            return k;
        }
    }
    return snprintf(buf, 40, "%.*f", digits, v);
}

static void add_fixed(struct name_buf *b, double v, int digits)
{
    char tmp[40];
    name_buf_add(b, tmp, (size_t)fmt_fixed(tmp, v, digits));
}

/* v with a ',' between groups of three digits, as util_commas */
static void add_commas(struct name_buf *b, uint64_t v)
{
    char d[24], out[32];
    int len = u64_digits(d, v), k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = d[i];
    }
    name_buf_add(b, out, (size_t)k);
}

/* an exact count, times 10^scale in v, as "1,234.5" */
static void add_count(struct name_buf *b, uint64_t v, unsigned scale, double factor)
{
    char tmp[64];
    if (factor != 1.0) {
        double d = (double)v / (double)pow10u(scale) * factor;
        d = floor(d + 0.5);
        if (d >= 1.8e19) {
            snprintf(tmp, sizeof tmp, "%.0f", d);
            name_buf_addstr(b, tmp);
            return;
        }
        add_commas(b, (uint64_t)d);
        return;
    }
    uint64_t m = pow10u(scale);
    add_commas(b, v / m);
    uint64_t fp = v % m;
    if (scale && fp) {
        int n = snprintf(tmp, sizeof tmp, ".%0*llu", (int)scale, (unsigned long long)fp);
        while (n > 1 && tmp[n - 1] == '0')
            n--;
        name_buf_add(b, tmp, (size_t)n);
    }
}

/* plain exact count for attributes: "12345" (scaled integer) */
static void add_u64(struct name_buf *b, uint64_t v)
{
    char tmp[24];
    name_buf_add(b, tmp, (size_t)u64_digits(tmp, v));
}

/* a length in pixels: at most two decimals, no exponent (%g would write
 * 1.6e+06 for a deep graph's height) */
static const char *px(double v, char buf[40])
{
    int n = snprintf(buf, 40, "%.2f", v);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return buf;
}

static void addf(struct name_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct name_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        name_buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    name_buf_add(b, big, (size_t)n);
    free(big);
}

/* a user string (option) as XML text */
static void add_xml_str(struct name_buf *b, const char *s)
{
    name_xml_add(b, s, strlen(s));
}

/* parse a --total as an exact count at this scale */
static int parse_total(const char *s, unsigned scale, uint64_t *out)
{
    uint64_t ip = 0, fp = 0;
    unsigned nf = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (ip > (UINT64_MAX - 9) / 10)
            return -1;
        ip = ip * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++)
            if (nf < scale) {
                fp = fp * 10 + (uint64_t)(*p - '0');
                nf++;
            }
    }
    if (*p)
        return -1;
    uint64_t m = pow10u(scale);
    if (ip > UINT64_MAX / m)
        return -1;
    *out = ip * m + fp * pow10u(scale - nf);
    return 0;
}

/* --- layout -------------------------------------------------------------- */

struct render {
    FILE *out;
    struct tree *t;
    const struct flame_opts *o;
    unsigned wl;     /* layout slot: what widths come from */
    unsigned wa, wb; /* the count in titles (after / the drawn slot) and before */
    bool diff, bytes;
    uint64_t timemax;   /* the count the full width stands for */
    uint64_t pctref;    /* what percentages are of */
    double wpt;         /* pixels per count */
    double minw;        /* minimum width, in counts */
    double fonttotal;   /* fontsize * fontwidth */
    double height, top; /* image height, y of depth 0 (inverted) */
    double ypad2;
    unsigned depthmax;
    uint64_t maxdelta;
    unsigned kinds_seen; /* bit per kind, bit KIND_DIR for directories */
    unsigned marks_seen; /* TREE_UNREADABLE | TREE_ARCHIVE | TREE_LITERAL */
    uint64_t rng;
    struct palmap pal;
    struct attrs attrs;
    struct name_buf b, nm;
    uint64_t *xs; /* next free x per depth */
    size_t capxs;
};

static bool drawn(const struct render *r, const struct tree_node *n, unsigned depth)
{
    if (depth == 0)
        return true;
    uint64_t w = n->w[r->wl];
    return w > 0 && (double)w >= r->minw;
}

static uint64_t own_layout(const struct render *r, const struct tree_node *n)
{
    return tree_own(n, r->wl);
}

static void ensure_xs(struct render *r, size_t d)
{
    if (d < r->capxs)
        return;
    size_t cap = r->capxs ? r->capxs * 2 : 256;
    while (cap <= d)
        cap *= 2;
    r->xs = xreallocarray(r->xs, cap, sizeof *r->xs);
    r->capxs = cap;
}

static uint64_t absdelta(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

/* Sort the child lists that drawing reads: those of drawn frames (a frame
 * too narrow to draw is skipped with its subtree, and only its width counts).
 * A large profile draws a few percent of its nodes, so this is much less
 * than tree_sort(). The same order as tree_sort() where it matters. */
static void sort_drawn(struct render *r, enum tree_order order, unsigned w)
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        descend = drawn(r, n, it.depth);
        if (descend)
            tree_sort_children(n, order, w);
    }
}

/* depth of the deepest drawn frame, the largest change, which legend entries */
static void measure(struct render *r)
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        if (!drawn(r, n, it.depth)) {
            descend = false;
            continue;
        }
        descend = true;
        if (it.depth > r->depthmax)
            r->depthmax = it.depth;
        if (r->diff && it.depth > 0) {
            uint64_t d = absdelta(n->w[r->wa], n->w[r->wb]);
            if (d > r->maxdelta)
                r->maxdelta = d;
        }
        if (r->o->color_by_kind)
            r->kinds_seen |= 1u << ((n->flags & TREE_DIR) ? KIND_DIR : tree_kind_of(n));
        if (r->o->marks)
            r->marks_seen |= n->flags & (TREE_UNREADABLE | TREE_ARCHIVE | TREE_LITERAL);
    }
    if (r->maxdelta == 0)
        r->maxdelta = 1;
}

/* max(own BEFORE, own AFTER) summed up the tree into slot 2 */
static void diff_max_widths(struct tree *t)
{
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        uint64_t b = tree_own(n, TREE_W_BEFORE), a = tree_own(n, TREE_W_AFTER);
        n->w[2] = a > b ? a : b;
    }
    /* post-order: each node is added into its parent when it is left */
    struct tree_node *n = t->root;
    while (n->child)
        n = n->child;
    while (n != t->root) {
        struct tree_node *p = n->parent;
        p->w[2] = p->w[2] > UINT64_MAX - n->w[2] ? UINT64_MAX : p->w[2] + n->w[2];
        if (n->next) {
            n = n->next;
            while (n->child)
                n = n->child;
        } else {
            n = p;
        }
    }
}

static double rnd(struct render *r)
{
    /* xorshift64*, fixed seed: --random is reproducible */
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return (double)((r->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

/* "rgb(R,G,B)" into out (32 bytes), as snprintf would write it */
static void rgb_str(char out[32], struct rgb c)
{
    if (c.r < 0 || c.g < 0 || c.b < 0 || c.r > 999 || c.g > 999 || c.b > 999) {
        snprintf(out, 32, "rgb(%d,%d,%d)", c.r, c.g, c.b);
        return;
    }
    int k = 4;
    memcpy(out, "rgb(", 4);
    k += u64_digits(out + k, (uint64_t)c.r);
    out[k++] = ',';
    k += u64_digits(out + k, (uint64_t)c.g);
    out[k++] = ',';
    k += u64_digits(out + k, (uint64_t)c.b);
    out[k++] = ')';
    out[k] = '\0';
}

/* the fill of frame n, whose shown name is disp */
static void frame_color(struct render *r, const struct tree_node *n, const char *disp,
                        size_t displen, char out[32])
{
    const struct flame_opts *o = r->o;
    const unsigned char *s = (const unsigned char *)n->name;
    if (r->diff) {
        uint64_t a = n->w[r->wa], b = n->w[r->wb];
        double v = (double)absdelta(a, b) / (double)r->maxdelta;
        if (v > 1)
            v = 1;
        bool grew = a > b;
        if (o->negate)
            grew = !grew;
        int x = (int)(210 * (1 - v));
        if (a == b)
            snprintf(out, 32, "rgb(255,255,255)");
        else if (grew)
            snprintf(out, 32, "rgb(255,%d,%d)", x, x);
        else
            snprintf(out, 32, "rgb(%d,%d,255)", x, x);
        return;
    }
    if (o->color_by_kind) {
        double v = (double)(strong_hash(s, n->len) >> 11) / 9007199254740992.0;
        struct rgb c = (n->flags & TREE_DIR) ? dir_color : kind_colors[tree_kind_of(n)].c;
        c = vary(c, v);
        rgb_str(out, c);
        return;
    }
    if (n->len == 2 && memcmp(n->name, "--", 2) == 0) {
        snprintf(out, 32, "rgb(160,160,160)");
        return;
    }
    if (n->len == 1 && n->name[0] == '-') {
        snprintf(out, 32, "rgb(200,200,200)");
        return;
    }
    if (o->cp) {
        const char *v = pal_find(&r->pal, disp);
        if (v) {
            snprintf(out, 32, "%s", v);
            return;
        }
    }
    double v1, v2, v3;
    if (o->hash) {
        v1 = fg_namehash(s, n->len, false);
        v2 = v3 = fg_namehash(s, n->len, true);
    } else if (o->random) {
        v1 = rnd(r);
        v2 = rnd(r);
        v3 = rnd(r);
    } else {
        uint64_t h = strong_hash(s, n->len);
        v1 = (double)(h & 0x1fffff) / 2097152.0;
        v2 = (double)((h >> 21) & 0x1fffff) / 2097152.0;
        v3 = (double)((h >> 42) & 0x1fffff) / 2097152.0;
    }
    struct rgb c = palette_color(multi(o->palette, n->name, n->len), v1, v2, v3);
    snprintf(out, 32, "rgb(%d,%d,%d)", c.r, c.g, c.b);
    if (o->cp) {
        pal_add(&r->pal, xmemdup(disp, displen), xstrdup(out));
        r->pal.changed = true;
    }
}

static void add_pct(struct name_buf *b, uint64_t v, uint64_t ref)
{
    double p = ref ? 100.0 * (double)v / (double)ref : 0.0;
    add_fixed(b, p, 2);
    name_buf_addc(b, '%');
}

/* the title after the name: " (1,234 samples, 5.67%)" and the rest */
static void add_title_counts(struct render *r, struct name_buf *b, const struct tree_node *n)
{
    const struct flame_opts *o = r->o;
    uint64_t v = n->w[r->wa];
    char h[32];
    name_buf_add(b, " (", 2);
    add_count(b, v, r->t->scale, o->factor);
    name_buf_addc(b, ' ');
    add_xml_str(b, o->countname);
    name_buf_add(b, ", ", 2);
    if (r->bytes && r->t->scale == 0 && o->factor == 1.0) {
        name_buf_addstr(b, util_human(v, h));
        name_buf_add(b, ", ", 2);
    }
    add_pct(b, v, r->pctref);
    if (r->diff) {
        uint64_t bw = n->w[r->wb];
        bool up = v > bw;
        uint64_t d = absdelta(v, bw);
        if (r->bytes) {
            name_buf_add(b, "; before ", 9);
            add_count(b, bw, r->t->scale, o->factor);
            name_buf_addc(b, ' ');
            add_xml_str(b, o->countname);
            name_buf_add(b, ", ", 2);
            name_buf_addc(b, up ? '+' : d ? '-' : '+');
            add_count(b, d, r->t->scale, o->factor);
            name_buf_addc(b, ' ');
            add_xml_str(b, o->countname);
            name_buf_add(b, ", ", 2);
            if (bw == 0 && v > 0)
                name_buf_addstr(b, "new");
            else if (bw == 0)
                name_buf_addstr(b, "+0.00%");
            else
                addf(b, "%s%.2f%%", up ? "+" : d ? "-" : "+", 100.0 * (double)d / (double)bw);
        } else {
            /* flamegraph.pl: the change as a share of the whole */
            double p = r->pctref ? 100.0 * (double)d / (double)r->pctref : 0.0;
            addf(b, "; %s%.2f%%", up ? "+" : d ? "-" : "", p);
        }
    }
    name_buf_addc(b, ')');
    if (n->flags & TREE_UNREADABLE && o->marks)
        name_buf_addstr(b, " [unreadable]");
    if (n->flags & TREE_ARCHIVE && o->marks)
        name_buf_addstr(b, " [archive]");
    if (n->flags & TREE_LITERAL && o->marks)
        name_buf_addstr(b, " [label only]");
    char note[256]; /* archives: a front end's note */
    if (o->note && o->note(o->note_ctx, n, note, sizeof note) > 0) {
        name_buf_addc(b, ' ');
        add_xml_str(b, note);
    }
}

/* the label that fits width pixels: the same rule as flame.js */
static void add_label(struct render *r, struct name_buf *b, const char *disp, size_t len,
                      double width)
{
    double c = floor((width - 3) / r->fonttotal);
    if (!(c >= 3))
        return;
    size_t chars = c > 1e9 ? (size_t)1e9 : (size_t)c;
    /* count code points (disp is valid UTF-8) */
    size_t ncp = 0, cut = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)disp[i] & 0xc0) != 0x80) {
            if (ncp == chars - 2)
                cut = i;
            ncp++;
        }
    if (ncp <= chars) {
        name_xml_add(b, disp, len);
        return;
    }
    name_xml_add(b, disp, cut);
    name_buf_add(b, "..", 2);
}

static void write_frame(struct render *r, const struct tree_node *n, unsigned depth, uint64_t x)
{
    const struct flame_opts *o = r->o;
    struct name_buf *b = &r->b, *nm = &r->nm;
    name_buf_reset(nm);
    if (o->folded_names)
        name_folded_escape_add(nm, n->name, n->len);
    else
        name_display_add(nm, n->name, n->len);
    uint64_t w = n->w[r->wl];
    double x1 = XPAD + (double)x * r->wpt;
    double x2 = XPAD + (double)(x + w) * r->wpt;
    if (depth == 0 && r->timemax == 0)
        x2 = (double)o->width - XPAD; /* nothing counted: the root still spans */
    double fh = (double)o->frameheight;
    double y1, y2;
    if (o->inverted) {
        y1 = r->top + depth * fh;
        y2 = r->top + (depth + 1) * fh - FRAMEPAD;
    } else {
        y1 = r->height - r->ypad2 - (depth + 1) * fh + FRAMEPAD;
        y2 = r->height - r->ypad2 - depth * fh;
    }
    char fill[32];
    frame_color(r, n, nm->s ? nm->s : "", nm->len, fill);
    const struct nameattr *na = attrs_find(&r->attrs, n->name, n->len);

    name_buf_reset(b);
    name_buf_add(b, "<g fg:w=\"", 9);
    add_u64(b, w);
    name_buf_add(b, "\" fg:d=\"", 8);
    add_u64(b, depth);
    name_buf_add(b, "\" fg:x=\"", 8);
    add_u64(b, x);
    name_buf_addc(b, '"');
    if (r->diff) {
        name_buf_add(b, " fg:b=\"", 7);
        add_u64(b, n->w[r->wb]);
        name_buf_add(b, "\" fg:a=\"", 8);
        add_u64(b, n->w[r->wa]);
        name_buf_addc(b, '"');
    }
    bool cls = (o->marks && (n->flags & (TREE_UNREADABLE | TREE_ARCHIVE | TREE_LITERAL))) ||
               (na && na->cls);
    if (cls) {
        name_buf_add(b, " class=\"", 8);
        const char *sep = "";
        if (o->marks && n->flags & TREE_UNREADABLE) {
            name_buf_addstr(b, "unreadable");
            sep = " ";
        }
        if (o->marks && n->flags & TREE_ARCHIVE) {
            addf(b, "%sarchive", sep);
            sep = " ";
        }
        if (o->marks && n->flags & TREE_LITERAL) {
            addf(b, "%sliteral", sep);
            sep = " ";
        }
        if (na && na->cls) {
            name_buf_addstr(b, sep);
            add_xml_str(b, na->cls);
        }
        name_buf_addc(b, '"');
    }
    if (na && na->style) {
        name_buf_add(b, " style=\"", 8);
        add_xml_str(b, na->style);
        name_buf_addc(b, '"');
    }
    name_buf_add(b, "><title>", 8);
    name_xml_add(b, nm->s ? nm->s : "", nm->len);
    add_title_counts(r, b, n);
    if (na && na->title) {
        name_buf_addc(b, '\n');
        add_xml_str(b, na->title);
    }
    name_buf_add(b, "</title>", 8);
    name_buf_add(b, "<rect x=\"", 9);
    add_fixed(b, x1, 1);
    name_buf_add(b, "\" y=\"", 5);
    add_fixed(b, y1, 1);
    name_buf_add(b, "\" width=\"", 9);
    add_fixed(b, x2 - x1, 1);
    name_buf_add(b, "\" height=\"", 10);
    add_fixed(b, y2 - y1, 1);
    name_buf_add(b, "\" fill=\"", 8);
    name_buf_addstr(b, fill);
    name_buf_add(b, "\" rx=\"2\" ry=\"2\"", 15);
    if (o->marks && n->flags & TREE_UNREADABLE)
        name_buf_addstr(b, " stroke=\"rgb(200,0,0)\" stroke-width=\"1.2\" "
                           "stroke-dasharray=\"3,2\"");
    else if (o->marks && n->flags & TREE_ARCHIVE)
        name_buf_addstr(b, " stroke=\"rgb(80,50,120)\" stroke-width=\"1\"");
    name_buf_add(b, "/>", 2);
    name_buf_add(b, "<text x=\"", 9);
    add_fixed(b, x1 + 3, 2);
    name_buf_add(b, "\" y=\"", 5);
    add_fixed(b, 3 + (y1 + y2) / 2, 1);
    name_buf_addc(b, '"');
    if (o->marks && n->flags & TREE_LITERAL)
        name_buf_addstr(b, " font-style=\"italic\"");
    name_buf_addc(b, '>');
    add_label(r, b, nm->s ? nm->s : "", nm->len, x2 - x1);
    name_buf_add(b, "</text></g>\n", 12);
    fwrite(b->s, 1, b->len, r->out);
}

static void write_frames(struct render *r)
{
    struct tree_iter it;
    tree_iter_init(&it, r->t->root);
    bool descend = true;
    for (struct tree_node *n; (n = tree_iter_next(&it, descend));) {
        unsigned d = it.depth;
        ensure_xs(r, (size_t)d + 1);
        if (d == 0)
            r->xs[0] = 0;
        if (!drawn(r, n, d)) {
            r->xs[d] += n->w[r->wl];
            descend = false;
            continue;
        }
        descend = true;
        uint64_t x = r->xs[d];
        r->xs[d] += n->w[r->wl];
        /* children start after the parent's own weight, which sits at the left
         * where flamegraph.pl's sorted lines put it */
        r->xs[d + 1] = x + own_layout(r, n);
        write_frame(r, n, d, x);
    }
}

static void bg_colors(const struct flame_opts *o, const char **c1, const char **c2, char **err)
{
    const char *bg = o->bgcolors;
    if (!bg) {
        switch (o->palette) {
        case FLAME_PAL_MEM:
            bg = "green";
            break;
        case FLAME_PAL_IO:
        case FLAME_PAL_WAKEUP:
        case FLAME_PAL_CHAIN:
            bg = "blue";
            break;
        case FLAME_PAL_RED:
        case FLAME_PAL_GREEN:
        case FLAME_PAL_BLUE:
        case FLAME_PAL_AQUA:
        case FLAME_PAL_YELLOW:
        case FLAME_PAL_PURPLE:
        case FLAME_PAL_ORANGE:
            bg = "grey";
            break;
        default:
            bg = "yellow";
        }
        if (o->color_by_kind || o->diff)
            bg = "grey";
    }
    if (strcmp(bg, "yellow") == 0) {
        *c1 = "#eeeeee";
        *c2 = "#eeeeb0";
    } else if (strcmp(bg, "blue") == 0) {
        *c1 = "#eeeeee";
        *c2 = "#e0e0ff";
    } else if (strcmp(bg, "green") == 0) {
        *c1 = "#eef2ee";
        *c2 = "#e0ffe0";
    } else if (strcmp(bg, "grey") == 0 || strcmp(bg, "gray") == 0) {
        *c1 = "#f8f8f8";
        *c2 = "#e8e8e8";
    } else if (bg[0] == '#' && strlen(bg) == 7 && strspn(bg + 1, "0123456789abcdefABCDEF") == 6) {
        *c1 = *c2 = bg;
    } else {
        *err = msg("invalid --bgcolors '%s': expected yellow, blue, green, grey or #rrggbb", bg);
    }
}

static void text_el(struct name_buf *b, const char *id, const char *cls, double x, double y,
                    const char *anchor, double size, const char *text)
{
    name_buf_addstr(b, "<text");
    if (id)
        addf(b, " id=\"%s\"", id);
    if (cls)
        addf(b, " class=\"%s\"", cls);
    addf(b, " x=\"%.2f\" y=\"%.2f\"", x, y);
    if (anchor)
        addf(b, " text-anchor=\"%s\"", anchor);
    if (size > 0)
        addf(b, " font-size=\"%g\"", size);
    name_buf_addc(b, '>');
    add_xml_str(b, text);
    name_buf_addstr(b, "</text>\n");
}

static int check_opts(const struct flame_opts *o, const struct tree *t, char **err)
{
    if (o->width < 2 * (unsigned)XPAD + 1) {
        *err = msg("invalid --width %u: must be at least %u", o->width, 2 * (unsigned)XPAD + 1);
        return -1;
    }
    if (o->frameheight < 2) {
        *err = msg("invalid --height %u: must be at least 2", o->frameheight);
        return -1;
    }
    if (!(o->fontsize > 0) || !(o->fontwidth > 0) || !isfinite(o->fontsize) ||
        !isfinite(o->fontwidth)) {
        *err = msg("invalid --fontsize or --fontwidth: must be positive");
        return -1;
    }
    if (!(o->minwidth >= 0) || !isfinite(o->minwidth)) {
        *err = msg("invalid --minwidth: must not be negative");
        return -1;
    }
    if (!(o->factor > 0) || !isfinite(o->factor)) {
        *err = msg("invalid --factor: must be positive");
        return -1;
    }
    if (o->diff && t->nweights < 2) {
        *err = msg("a differential graph needs a tree with before and after weights");
        return -1;
    }
    if (o->diff && o->diff_width == FLAME_DIFF_MAX && t->nweights > 2) {
        *err = msg("diff_width=max needs weight slot 2 free");
        return -1;
    }
    if (!o->diff && o->weight >= (t->nweights ? t->nweights : 1)) {
        *err = msg("weight slot %u is not filled in this tree", o->weight);
        return -1;
    }
    if (o->encoding &&
        (!o->encoding[0] ||
         strspn(o->encoding, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(o->encoding))) {
        *err = msg("invalid --encoding '%s'", o->encoding);
        return -1;
    }
    return 0;
}

int flame_write(FILE *out, struct tree *t, const struct flame_opts *o, char **err)
{
    *err = NULL;
    if (!t->finished)
        tree_finish(t);
    if (check_opts(o, t, err) != 0)
        return -1;
    const char *bg1 = NULL, *bg2 = NULL;
    bg_colors(o, &bg1, &bg2, err);
    if (*err)
        return -1;

    struct render r;
    memset(&r, 0, sizeof r);
    r.out = out;
    r.t = t;
    r.o = o;
    r.rng = 0x9e3779b97f4a7c15ULL;
    r.diff = o->diff;
    r.bytes = o->units == FLAME_UNITS_BYTES || strcmp(o->countname, "bytes") == 0;
    if (r.diff) {
        r.wa = TREE_W_AFTER;
        r.wb = TREE_W_BEFORE;
        r.wl = TREE_W_AFTER;
        if (o->diff_width == FLAME_DIFF_MAX) {
            diff_max_widths(t);
            r.wl = 2;
        }
    } else {
        r.wa = r.wb = r.wl = o->weight;
    }
    if (o->nameattr && attrs_load(&r.attrs, o->nameattr, err) != 0) {
        attrs_free(&r.attrs);
        return -1;
    }
    if (o->cp && pal_load(&r.pal, o->palette_file, err) != 0) {
        attrs_free(&r.attrs);
        pal_free(&r.pal);
        return -1;
    }

    int ret = 0;
    char *warn = NULL;
    r.timemax = t->root->w[r.wl];
    r.pctref = t->root->w[r.wa];
    if (o->total) {
        uint64_t tot;
        if (parse_total(o->total, t->scale, &tot) != 0) {
            *err = msg("invalid --total '%s': expected a count", o->total);
            attrs_free(&r.attrs);
            pal_free(&r.pal);
            return -1;
        }
        if (tot < r.timemax) {
            warn = msg("--total %s is less than the actual total, so ignored", o->total);
        } else {
            r.timemax = tot;
            r.pctref = tot;
        }
    }
    double gw = (double)o->width - 2 * XPAD;
    r.wpt = r.timemax ? gw / (double)r.timemax : 0;
    if (o->minwidth_pct)
        r.minw = (double)r.timemax * o->minwidth / 100.0;
    else
        r.minw = r.wpt > 0 ? o->minwidth / r.wpt : 0;
    r.fonttotal = o->fontsize * o->fontwidth;
    if (!o->flamechart && o->sort == FLAME_SORT_NAME)
        sort_drawn(&r, TREE_BY_NAME, 0);
    else if (!o->flamechart && o->sort == FLAME_SORT_SIZE)
        sort_drawn(&r, TREE_BY_WEIGHT, r.wl);
    measure(&r);

    /* vertical layout, as flamegraph.pl, plus a row for the legend */
    double fs = o->fontsize;
    double ypad1 = fs * 3;
    r.ypad2 = fs * 2 + 10;
    double subtitle_y = 0, legend_y = 0;
    if (o->subtitle) {
        subtitle_y = ypad1 + fs * 0.5;
        ypad1 += fs * 2;
    }
    bool legend = (o->color_by_kind && r.kinds_seen) || r.marks_seen;
    if (legend) {
        legend_y = ypad1 + fs * 0.5;
        ypad1 += fs * 2;
    }
    r.top = ypad1;
    r.height = (r.depthmax + 1) * (double)o->frameheight + ypad1 + r.ypad2;
    const char *title = o->title        ? o->title
                        : o->flamechart ? "Flame Chart"
                        : o->inverted   ? "Icicle Graph"
                                        : "Flame Graph";

    struct name_buf *b = &r.b;
    name_buf_addstr(b, "<?xml version=\"1.0\"");
    if (o->encoding)
        addf(b, " encoding=\"%s\"", o->encoding);
    name_buf_addstr(b, " standalone=\"no\"?>\n");
    char hbuf[40];
    px(r.height, hbuf);
    addf(b,
         "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
         "xmlns:fg=\"urn:duflame:fg\" version=\"1.1\" width=\"%u\" height=\"%s\" "
         "viewBox=\"0 0 %u %s\" fg:version=\"1\">\n",
         o->width, hbuf, o->width, hbuf);
    if (o->notes) {
        name_buf_addstr(b, "<desc id=\"notes\">");
        add_xml_str(b, o->notes);
        name_buf_addstr(b, "</desc>\n");
    }
    addf(b,
         "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
         "<stop stop-color=\"%s\" offset=\"5%%\"/><stop stop-color=\"%s\" offset=\"95%%\"/>"
         "</linearGradient></defs>\n",
         bg1, bg2);
    name_buf_addstr(b, "<style type=\"text/css\"><![CDATA[\n");
    fwrite(b->s, 1, b->len, out);
    name_buf_reset(b);
    fwrite(asset_flame_css, 1, asset_flame_css_len, out);
    name_buf_addstr(b, "]]></style>\n<script type=\"text/ecmascript\"><![CDATA[\n");
    fwrite(b->s, 1, b->len, out);
    name_buf_reset(b);
    fwrite(asset_flame_js, 1, asset_flame_js_len, out);
    name_buf_addstr(b, "]]></script>\n");

    name_buf_addstr(b, "<g id=\"fg-config\" fg:total=\"");
    add_u64(b, r.timemax);
    addf(b, "\" fg:scale=\"%u\" fg:countname=\"", t->scale);
    add_xml_str(b, o->countname);
    addf(b,
         "\" fg:units=\"%s\" fg:inverted=\"%d\" fg:frameheight=\"%u\" fg:fontsize=\"%g\" "
         "fg:fontwidth=\"%g\" fg:xpad=\"%g\" fg:minwidth=\"%g\" fg:diff=\"%d\" fg:nametype=\"",
         r.bytes ? "bytes" : "samples", o->inverted ? 1 : 0, o->frameheight, o->fontsize,
         o->fontwidth, XPAD, r.minw * r.wpt, r.diff ? 1 : 0);
    add_xml_str(b, o->nametype);
    addf(b, "\" fg:searchcolor=\"%s\" fg:factor=\"%g\"/>\n", SEARCH_COLOR, o->factor);

    addf(b, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%s\" fill=\"url(#background)\"/>\n",
         o->width, hbuf);
    name_buf_addstr(b, "<g font-family=\"");
    add_xml_str(b, o->fonttype);
    addf(b, "\" font-size=\"%g\" fill=\"rgb(0,0,0)\">\n", fs);
    text_el(b, "title", NULL, o->width / 2.0, fs * 2, "middle", fs + 5, title);
    if (o->subtitle)
        text_el(b, "subtitle", NULL, o->width / 2.0, subtitle_y + fs, "middle", 0, o->subtitle);
    text_el(b, "details", NULL, XPAD, r.height - r.ypad2 / 2, NULL, 0, " ");
    text_el(b, "unzoom", "hide", XPAD, fs * 2, NULL, 0, "Reset Zoom");
    text_el(b, "search", NULL, o->width - XPAD - 100, fs * 2, NULL, 0, "Search");
    text_el(b, "ignorecase", NULL, o->width - XPAD - 16, fs * 2, NULL, 0, "ic");
    text_el(b, "matched", NULL, o->width - XPAD - 100, r.height - r.ypad2 / 2, NULL, 0, " ");
    if (legend) {
        /* swatch and label per class seen, left to right */
        name_buf_addstr(b, "<g id=\"legend\">\n");
        double x = XPAD, sw = fs, ly = legend_y;
        for (unsigned k = 0; k <= KIND_DIR; k++) {
            unsigned kk = k == 0 ? KIND_DIR : k - 1; /* directories first */
            if (!(r.kinds_seen & (1u << kk)))
                continue;
            struct rgb c = kk == KIND_DIR ? dir_color : kind_colors[kk].c;
            const char *label = kk == KIND_DIR ? "directory" : kind_colors[kk].label;
            addf(b,
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" fill=\"rgb(%d,%d,%d)\" "
                 "rx=\"2\" ry=\"2\"/>",
                 x, ly, sw, sw, c.r, c.g, c.b);
            addf(b, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + sw + 4, ly + sw - 2, label);
            x += sw + 4 + (double)strlen(label) * r.fonttotal + 14;
        }
        static const struct {
            unsigned flag;
            const char *label, *attr;
        } marks[] = {
            {TREE_UNREADABLE, "unreadable",
             "fill=\"none\" stroke=\"rgb(200,0,0)\" stroke-width=\"1.2\" "
             "stroke-dasharray=\"3,2\""},
            {TREE_ARCHIVE, "archive (entries inside)",
             "fill=\"none\" stroke=\"rgb(80,50,120)\" stroke-width=\"1\""},
            {TREE_LITERAL, "label only (italic)", "fill=\"none\" stroke=\"rgb(90,90,90)\""},
        };
        for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
            if (!(r.marks_seen & marks[i].flag))
                continue;
            addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" %s rx=\"2\" ry=\"2\"/>",
                 x, ly, sw, sw, marks[i].attr);
            addf(b, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + sw + 4, ly + sw - 2,
                 marks[i].label);
            x += sw + 4 + (double)strlen(marks[i].label) * r.fonttotal + 14;
        }
        name_buf_addstr(b, "</g>\n");
    }
    name_buf_addstr(b, "</g>\n");
    name_buf_addstr(b, "<g id=\"frames\" font-family=\"");
    add_xml_str(b, o->fonttype);
    addf(b, "\" font-size=\"%g\">\n", fs);
    fwrite(b->s, 1, b->len, out);

    write_frames(&r);

    name_buf_reset(b);
    name_buf_addstr(b, "</g>\n</svg>\n");
    fwrite(b->s, 1, b->len, out);

    if (fflush(out) != 0 || ferror(out)) {
        free(warn);
        warn = NULL;
        *err = msg("write error: %s", strerror(errno ? errno : EIO));
        ret = -1;
    } else if (o->cp && r.pal.changed) {
        char *perr = NULL;
        if (pal_save(&r.pal, o->palette_file, &perr) != 0) {
            free(warn);
            warn = perr;
        }
    }
    if (ret == 0 && warn) {
        *err = warn;
        ret = 1;
    }
    free(r.xs);
    name_buf_release(&r.b);
    name_buf_release(&r.nm);
    attrs_free(&r.attrs);
    pal_free(&r.pal);
    return ret;
}
