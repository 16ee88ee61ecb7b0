/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The renderer's numbers and text: fixed-point coordinates as printf would
 * write them (but faster), counts with commas, pixel lengths, XML-escaped
 * strings, --total, a frame's title text and the label that fits its width.
 */
#include "count.h"
#include "flame_internal.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
            int k = (int)count_digits(buf, u / m);
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

void flame_add_fixed(struct name_buf *b, double v, int digits)
{
    char tmp[40];
    name_buf_add(b, tmp, (size_t)fmt_fixed(tmp, v, digits));
}

/* an exact count, times 10^scale in v, as "1,234.5" */
static void add_count(struct name_buf *b, uint64_t v, unsigned scale, double factor)
{
    char tmp[COUNT_TEXT_MAX];
    if (factor != 1.0) {
        double d = (double)v / (double)count_pow10(scale) * factor;
        d = floor(d + 0.5);
        if (d >= 1.8e19) {
            snprintf(tmp, sizeof tmp, "%.0f", d);
            name_buf_addstr(b, tmp);
            return;
        }
        name_buf_add(b, tmp, count_format(tmp, (uint64_t)d, 0, COUNT_COMMAS));
        return;
    }
    name_buf_add(b, tmp, count_format(tmp, v, scale, COUNT_COMMAS | COUNT_TRIM));
}

/* plain exact count for attributes: "12345" (scaled integer) */
void flame_add_u64(struct name_buf *b, uint64_t v)
{
    char tmp[24];
    name_buf_add(b, tmp, count_digits(tmp, v));
}

/* a length in pixels: at most two decimals, no exponent (%g would write
 * 1.6e+06 for a deep graph's height) */
const char *flame_px(double v, char buf[40])
{
    int n = snprintf(buf, 40, "%.2f", v);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return buf;
}

void flame_addf(struct name_buf *b, const char *fmt, ...)
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
void flame_add_xml_str(struct name_buf *b, const char *s)
{
    name_xml_add(b, s, strlen(s));
}

/* parse a --total as an exact count at this scale */
int flame_parse_total(const char *s, unsigned scale, uint64_t *out)
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
    uint64_t m = count_pow10(scale);
    if (ip > UINT64_MAX / m)
        return -1;
    *out = ip * m + fp * count_pow10(scale - nf);
    return 0;
}

static void add_pct(struct name_buf *b, uint64_t v, uint64_t ref)
{
    double p = ref ? 100.0 * (double)v / (double)ref : 0.0;
    flame_add_fixed(b, p, 2);
    name_buf_addc(b, '%');
}

/* " COUNT COUNTNAME" */
static void add_count_name(struct flame_render *r, struct name_buf *b, uint64_t v)
{
    add_count(b, v, r->t->scale, r->o->factor);
    name_buf_addc(b, ' ');
    flame_add_xml_str(b, r->o->countname);
}

/* a diff's change: bytes relative to BEFORE, samples as a share of the whole */
static void add_change(struct flame_render *r, struct name_buf *b, uint64_t v, uint64_t bw)
{
    bool up = v > bw;
    uint64_t d = flame_absdelta(v, bw);
    if (r->bytes) {
        name_buf_add(b, "; before ", 9);
        add_count_name(r, b, bw);
        name_buf_add(b, ", ", 2);
        name_buf_addc(b, up ? '+' : d ? '-' : '+');
        add_count_name(r, b, d);
        name_buf_add(b, ", ", 2);
        if (bw == 0 && v > 0)
            name_buf_addstr(b, "new");
        else if (bw == 0)
            name_buf_addstr(b, "+0.00%");
        else
            flame_addf(b, "%s%.2f%%", up ? "+" : d ? "-" : "+", 100.0 * (double)d / (double)bw);
    } else {
        /* flamegraph.pl: the change as a share of the whole */
        double p = r->pctref ? 100.0 * (double)d / (double)r->pctref : 0.0;
        flame_addf(b, "; %s%.2f%%", up ? "+" : d ? "-" : "", p);
    }
}

/* " [unreadable]" etc., then a front end's note */
static void add_marks_note(struct flame_render *r, struct name_buf *b, const struct tree_node *n)
{
    const struct flame_opts *o = r->o;
    if (n->flags & TREE_UNREADABLE && o->marks)
        name_buf_addstr(b, " [unreadable]");
    if (n->flags & TREE_ARCHIVE && o->marks)
        name_buf_addstr(b, " [archive]");
    if (n->flags & TREE_LITERAL && o->marks)
        name_buf_addstr(b, " [label only]");
    char note[256]; /* archives: a front end's note */
    if (o->note && o->note(o->note_ctx, n, note, sizeof note) > 0) {
        name_buf_addc(b, ' ');
        flame_add_xml_str(b, note);
    }
}

/* the title after the name: " (1,234 samples, 5.67%)" and the rest */
void flame_add_title_counts(struct flame_render *r, struct name_buf *b, const struct tree_node *n)
{
    const struct flame_opts *o = r->o;
    uint64_t v = tree_w(n, r->wa);
    char h[32];
    name_buf_add(b, " (", 2);
    add_count_name(r, b, v);
    name_buf_add(b, ", ", 2);
    if (r->bytes && r->t->scale == 0 && o->factor == 1.0) {
        name_buf_addstr(b, util_human(v, h));
        name_buf_add(b, ", ", 2);
    }
    add_pct(b, v, r->pctref);
    if (r->diff)
        add_change(r, b, v, tree_w(n, r->wb));
    name_buf_addc(b, ')');
    add_marks_note(r, b, n);
}

/* the label that fits width pixels: the same rule as flame.js */
void flame_add_label(struct flame_render *r, struct name_buf *b, const char *disp, size_t len,
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
