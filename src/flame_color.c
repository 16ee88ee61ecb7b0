/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each frame's fill. A differential graph colours by change (red grew, blue
 * shrank); a disk scan by file kind (kind.c's table, varied a little per
 * name); otherwise flamegraph.pl's palettes, picked per name by a strong hash
 * (default), flamegraph.pl's name hash (--hash) or a seeded sequence
 * (--random), and with --cp taken from and added to the palette map.
 */
#include "count.h"
#include "flame_internal.h"
#include "kind.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

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

static enum flame_palette java_hue(const char *s, size_t len)
{
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
}

static enum flame_palette js_hue(const char *s, size_t len)
{
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
}

static enum flame_palette perl_hue(const char *s, size_t len)
{
    if (has(s, len, "::"))
        return FLAME_PAL_YELLOW;
    if (has(s, len, "Perl") || has(s, len, ".pl"))
        return FLAME_PAL_GREEN;
    if (ends(s, len, "_[k]"))
        return FLAME_PAL_ORANGE;
    return FLAME_PAL_RED;
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
        return java_hue(s, len);
    case FLAME_PAL_JS:
        return js_hue(s, len);
    case FLAME_PAL_PERL:
        return perl_hue(s, len);
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

static int clamp255(int v)
{
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

static struct rgb vary(struct rgb c, double v)
{
    int d = (int)(v * 24) - 12;
    return (struct rgb){clamp255(c.r + d), clamp255(c.g + d), clamp255(c.b + d)};
}

uint64_t flame_absdelta(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

static double rnd(struct flame_render *r)
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
    size_t k = 4;
    memcpy(out, "rgb(", 4);
    k += count_digits(out + k, (uint64_t)c.r);
    out[k++] = ',';
    k += count_digits(out + k, (uint64_t)c.g);
    out[k++] = ',';
    k += count_digits(out + k, (uint64_t)c.b);
    out[k++] = ')';
    out[k] = '\0';
}

/* red grew, blue shrank, white unchanged; shade by the change's size */
static void diff_color(struct flame_render *r, const struct tree_node *n, char out[32])
{
    uint64_t a = n->w[r->wa], b = n->w[r->wb];
    double v = (double)flame_absdelta(a, b) / (double)r->maxdelta;
    if (v > 1)
        v = 1;
    bool grew = a > b;
    if (r->o->negate)
        grew = !grew;
    int x = r->o->diff_readable ? (int)(210 - 100 * v) : (int)(210 * (1 - v));
    if (a == b)
        snprintf(out, 32, "rgb(255,255,255)");
    else if (grew)
        snprintf(out, 32, "rgb(255,%d,%d)", x, x);
    else
        snprintf(out, 32, "rgb(%d,%d,255)", x, x);
}

/* a disk scan: the kind's colour, a little lighter or darker per name */
static void kind_fill(const struct tree_node *n, char out[32])
{
    const unsigned char *s = (const unsigned char *)n->name;
    double v = (double)(strong_hash(s, n->len) >> 11) / 9007199254740992.0;
    struct kind_rgb k = (n->flags & TREE_DIR) ? kind_dir_rgb() : kind_rgb(tree_kind_of(n));
    rgb_str(out, vary((struct rgb){k.r, k.g, k.b}, v));
}

/* flamegraph.pl's palettes: three numbers in [0, 1) from the name or the
 * sequence pick the shade */
static void palette_fill(struct flame_render *r, const struct tree_node *n, char out[32])
{
    const struct flame_opts *o = r->o;
    const unsigned char *s = (const unsigned char *)n->name;
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
}

void flame_frame_color(struct flame_render *r, const struct tree_node *n, const char *disp,
                       size_t displen, char out[32])
{
    struct flame_palmap *pal = r->o->palmap;
    if (r->diff) {
        diff_color(r, n, out);
        return;
    }
    if (r->o->color_by_kind) {
        kind_fill(n, out);
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
    const char *v = flame_palmap_find(pal, disp);
    if (v) {
        snprintf(out, 32, "%s", v);
        return;
    }
    palette_fill(r, n, out);
    if (pal) {
        flame_palmap_add(pal, disp, displen, out);
        flame_palmap_set_changed(pal, true);
    }
}
