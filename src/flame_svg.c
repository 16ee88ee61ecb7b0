/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SVG writer: flame_write() lays the tree out (flame_layout.c) and
 * writes the document of docs/svg-format.md: the XML head, the embedded style
 * and script (src/assets/), the fg-config element the script reads, title,
 * controls and legend, then one <g> per drawn frame.
 */
#include "flame_internal.h"
#include "kind.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "assets.i"

static void text_el(struct name_buf *b, const char *id, const char *cls, double x, double y,
                    const char *anchor, double size, const char *text)
{
    name_buf_addstr(b, "<text");
    if (id)
        flame_addf(b, " id=\"%s\"", id);
    if (cls)
        flame_addf(b, " class=\"%s\"", cls);
    flame_addf(b, " x=\"%.2f\" y=\"%.2f\"", x, y);
    if (anchor)
        flame_addf(b, " text-anchor=\"%s\"", anchor);
    if (size > 0)
        flame_addf(b, " font-size=\"%g\"", size);
    name_buf_addc(b, '>');
    flame_add_xml_str(b, text);
    name_buf_addstr(b, "</text>\n");
}

/* <g fg:w fg:d fg:x [fg:b fg:a]: the exact numbers flame.js works from */
static void frame_numbers(struct flame_render *r, struct name_buf *b, const struct tree_node *n,
                          unsigned depth, uint64_t x)
{
    name_buf_add(b, "<g fg:w=\"", 9);
    flame_add_u64(b, tree_w(n, r->wl));
    name_buf_add(b, "\" fg:d=\"", 8);
    flame_add_u64(b, depth);
    name_buf_add(b, "\" fg:x=\"", 8);
    flame_add_u64(b, x);
    name_buf_addc(b, '"');
    if (r->diff) {
        name_buf_add(b, " fg:b=\"", 7);
        flame_add_u64(b, tree_w(n, r->wb));
        name_buf_add(b, "\" fg:a=\"", 8);
        flame_add_u64(b, tree_w(n, r->wa));
        name_buf_addc(b, '"');
    }
}

/* class="unreadable archive literal NAMEATTR-CLASS" and style="..." */
static void frame_class(struct flame_render *r, struct name_buf *b, const struct tree_node *n,
                        const struct flame_nameattr *na)
{
    const struct flame_opts *o = r->o;
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
            flame_addf(b, "%sarchive", sep);
            sep = " ";
        }
        if (o->marks && n->flags & TREE_LITERAL) {
            flame_addf(b, "%sliteral", sep);
            sep = " ";
        }
        if (na && na->cls) {
            name_buf_addstr(b, sep);
            flame_add_xml_str(b, na->cls);
        }
        name_buf_addc(b, '"');
    }
    if (na && na->style) {
        name_buf_add(b, " style=\"", 8);
        flame_add_xml_str(b, na->style);
        name_buf_addc(b, '"');
    }
}

/* <rect .../> with a mark's outline */
static void frame_rect(struct flame_render *r, struct name_buf *b, const struct tree_node *n,
                       struct flame_box bx, const char *fill)
{
    name_buf_add(b, "<rect x=\"", 9);
    flame_add_fixed(b, bx.x1, 1);
    name_buf_add(b, "\" y=\"", 5);
    flame_add_fixed(b, bx.y1, 1);
    name_buf_add(b, "\" width=\"", 9);
    flame_add_fixed(b, bx.x2 - bx.x1, 1);
    name_buf_add(b, "\" height=\"", 10);
    flame_add_fixed(b, bx.y2 - bx.y1, 1);
    name_buf_add(b, "\" fill=\"", 8);
    name_buf_addstr(b, fill);
    name_buf_add(b, "\" rx=\"2\" ry=\"2\"", 15);
    if (r->o->marks && n->flags & TREE_UNREADABLE)
        name_buf_addstr(b, " stroke=\"rgb(200,0,0)\" stroke-width=\"1.2\" "
                           "stroke-dasharray=\"3,2\"");
    else if (r->o->marks && n->flags & TREE_ARCHIVE)
        name_buf_addstr(b, " stroke=\"rgb(80,50,120)\" stroke-width=\"1\"");
    name_buf_add(b, "/>", 2);
}

static void write_frame(struct flame_render *r, const struct tree_node *n, unsigned depth,
                        uint64_t x)
{
    const struct flame_opts *o = r->o;
    struct name_buf *b = &r->b, *nm = &r->nm;
    name_buf_reset(nm);
    name_display_add(nm, n->name, n->len);
    const char *disp = nm->s ? nm->s : "";
    struct flame_box bx = flame_frame_box(r, n, depth, x);
    char fill[32];
    flame_frame_color(r, n, disp, nm->len, fill);
    const struct flame_nameattr *na = flame_nameattrs_find(o->nameattrs, n->name, n->len);

    name_buf_reset(b);
    frame_numbers(r, b, n, depth, x);
    frame_class(r, b, n, na);
    name_buf_add(b, "><title>", 8);
    name_xml_add(b, disp, nm->len);
    flame_add_title_counts(r, b, n);
    if (na && na->title) {
        name_buf_addc(b, '\n');
        flame_add_xml_str(b, na->title);
    }
    name_buf_add(b, "</title>", 8);
    frame_rect(r, b, n, bx, fill);
    name_buf_add(b, "<text x=\"", 9);
    flame_add_fixed(b, bx.x1 + 3, 2);
    name_buf_add(b, "\" y=\"", 5);
    flame_add_fixed(b, 3 + (bx.y1 + bx.y2) / 2, 1);
    name_buf_addc(b, '"');
    if (o->marks && n->flags & TREE_LITERAL)
        name_buf_addstr(b, " font-style=\"italic\"");
    name_buf_addc(b, '>');
    flame_add_label(r, b, disp, nm->len, bx.x2 - bx.x1);
    name_buf_add(b, "</text></g>\n", 12);
    fwrite(b->s, 1, b->len, r->out);
}

/* one legend entry: a swatch (fill or outline attributes) and its label */
static void legend_entry(struct flame_render *r, double *x, const char *swatch, const char *label)
{
    struct name_buf *b = &r->b;
    double sw = r->o->fontsize, ly = r->legend_y;
    flame_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" %s rx=\"2\" ry=\"2\"/>",
               *x, ly, sw, sw, swatch);
    flame_addf(b, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", *x + sw + 4, ly + sw - 2, label);
    *x += sw + 4 + (double)strlen(label) * r->fonttotal + 14;
}

/* a differential graph's: what the shades mean (as diff_color() makes
 * them: the strongest shade of each hue), then the totals and the change */
static void write_diff_legend(struct flame_render *r, double *x)
{
    int s = r->o->diff_readable ? 110 : 0;
    char red[48], blue[48];
    snprintf(red, sizeof red, "fill=\"rgb(255,%d,%d)\"", s, s);
    snprintf(blue, sizeof blue, "fill=\"rgb(%d,%d,255)\"", s, s);
    legend_entry(r, x, r->o->negate ? blue : red, "grew (deeper: more)");
    legend_entry(r, x, r->o->negate ? red : blue, "shrank or went away");
    legend_entry(r, x, "fill=\"rgb(255,255,255)\" stroke=\"rgb(90,90,90)\"", "unchanged");
    name_buf_addstr(&r->b, "<text id=\"diff-totals\" x=\"");
    flame_add_fixed(&r->b, *x, 1);
    name_buf_addstr(&r->b, "\" y=\"");
    flame_add_fixed(&r->b, r->legend_y + r->o->fontsize - 2, 1);
    name_buf_addstr(&r->b, "\">");
    flame_add_xml_str(&r->b, r->o->diff_totals);
    name_buf_addstr(&r->b, "</text>\n");
}

/* the kinds seen, directories first, then the marks seen, left to right */
static void write_legend(struct flame_render *r)
{
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
    name_buf_addstr(&r->b, "<g id=\"legend\">\n");
    double x = FLAME_XPAD;
    if (r->diff && r->o->diff_totals)
        write_diff_legend(r, &x);
    for (unsigned k = 0; k <= FLAME_KIND_DIR && !r->diff; k++) {
        unsigned kk = k == 0 ? FLAME_KIND_DIR : k - 1; /* directories first */
        if (!(r->kinds_seen & (1u << kk)))
            continue;
        bool dir = kk == FLAME_KIND_DIR;
        struct kind_rgb c = dir ? kind_dir_rgb() : kind_rgb((enum tree_kind)kk);
        char fill[40];
        snprintf(fill, sizeof fill, "fill=\"rgb(%d,%d,%d)\"", c.r, c.g, c.b);
        legend_entry(r, &x, fill, dir ? kind_dir_label() : kind_label((enum tree_kind)kk));
    }
    for (size_t i = 0; i < ARRAY_LEN(marks); i++)
        if (r->marks_seen & marks[i].flag)
            legend_entry(r, &x, marks[i].attr, marks[i].label);
    name_buf_addstr(&r->b, "</g>\n");
}

/* the XML head, <svg>, notes and the background gradient */
static void write_head(struct flame_render *r, const char *hbuf, const char *bg1, const char *bg2)
{
    const struct flame_opts *o = r->o;
    struct name_buf *b = &r->b;
    name_buf_addstr(b, "<?xml version=\"1.0\"");
    if (o->encoding)
        flame_addf(b, " encoding=\"%s\"", o->encoding);
    name_buf_addstr(b, " standalone=\"no\"?>\n");
    flame_addf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
               "xmlns:fg=\"urn:duflame:fg\" version=\"1.1\" width=\"%u\" height=\"%s\" "
               "viewBox=\"0 0 %u %s\" fg:version=\"1\">\n",
               o->width, hbuf, o->width, hbuf);
    if (o->notes) {
        name_buf_addstr(b, "<desc id=\"notes\">");
        flame_add_xml_str(b, o->notes);
        name_buf_addstr(b, "</desc>\n");
    }
    flame_addf(b,
               "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
               "<stop stop-color=\"%s\" offset=\"5%%\"/><stop stop-color=\"%s\" "
               "offset=\"95%%\"/></linearGradient></defs>\n",
               bg1, bg2);
}

/* the embedded style and script, straight from the assets */
static void write_assets(struct flame_render *r)
{
    struct name_buf *b = &r->b;
    name_buf_addstr(b, "<style type=\"text/css\"><![CDATA[\n");
    fwrite(b->s, 1, b->len, r->out);
    name_buf_reset(b);
    fwrite(asset_flame_css, 1, asset_flame_css_len, r->out);
    name_buf_addstr(b, "]]></style>\n<script type=\"text/ecmascript\"><![CDATA[\n");
    fwrite(b->s, 1, b->len, r->out);
    name_buf_reset(b);
    fwrite(asset_flame_js, 1, asset_flame_js_len, r->out);
    name_buf_addstr(b, "]]></script>\n");
}

/* <g id="fg-config">: what flame.js needs to redraw and search */
static void write_config(struct flame_render *r)
{
    const struct flame_opts *o = r->o;
    struct name_buf *b = &r->b;
    name_buf_addstr(b, "<g id=\"fg-config\" fg:total=\"");
    flame_add_u64(b, r->timemax);
    flame_addf(b, "\" fg:scale=\"%u\" fg:countname=\"", r->t->scale);
    flame_add_xml_str(b, o->countname);
    flame_addf(b,
               "\" fg:units=\"%s\" fg:inverted=\"%d\" fg:frameheight=\"%u\" fg:fontsize=\"%g\" "
               "fg:fontwidth=\"%g\" fg:xpad=\"%g\" fg:minwidth=\"%g\" fg:diff=\"%d\" "
               "fg:nametype=\"",
               r->bytes ? "bytes" : "samples", o->inverted ? 1 : 0, o->frameheight, o->fontsize,
               o->fontwidth, FLAME_XPAD, r->minw * r->wpt, r->diff ? 1 : 0);
    flame_add_xml_str(b, o->nametype);
    flame_addf(b, "\" fg:searchcolor=\"%s\" fg:factor=\"%g\"/>\n", FLAME_SEARCH_COLOR, o->factor);
}

/* background, title, subtitle, controls and legend */
static void write_chrome(struct flame_render *r, const char *hbuf)
{
    const struct flame_opts *o = r->o;
    struct name_buf *b = &r->b;
    double fs = o->fontsize, w = o->width;
    const char *title = o->title        ? o->title
                        : o->flamechart ? "Flame Chart"
                        : o->inverted   ? "Icicle Graph"
                                        : "Flame Graph";
    flame_addf(b, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%s\" fill=\"url(#background)\"/>\n",
               o->width, hbuf);
    name_buf_addstr(b, "<g font-family=\"");
    flame_add_xml_str(b, o->fonttype);
    flame_addf(b, "\" font-size=\"%g\" fill=\"rgb(0,0,0)\">\n", fs);
    text_el(b, "title", NULL, w / 2.0, fs * 2, "middle", fs + 5, title);
    if (o->subtitle)
        text_el(b, "subtitle", NULL, w / 2.0, r->subtitle_y + fs, "middle", 0, o->subtitle);
    text_el(b, "details", NULL, FLAME_XPAD, r->height - r->ypad2 / 2, NULL, 0, " ");
    text_el(b, "unzoom", "hide", FLAME_XPAD, fs * 2, NULL, 0, "Reset Zoom");
    text_el(b, "search", NULL, w - FLAME_XPAD - 100, fs * 2, NULL, 0, "Search");
    text_el(b, "ignorecase", NULL, w - FLAME_XPAD - 16, fs * 2, NULL, 0, "ic");
    text_el(b, "matched", NULL, w - FLAME_XPAD - 100, r->height - r->ypad2 / 2, NULL, 0, " ");
    if (r->legend)
        write_legend(r);
    name_buf_addstr(b, "</g>\n");
}

static int write_svg(struct flame_render *r, const char *bg1, const char *bg2)
{
    struct name_buf *b = &r->b;
    char hbuf[40];
    flame_px(r->height, hbuf);
    write_head(r, hbuf, bg1, bg2);
    write_assets(r);
    write_config(r);
    write_chrome(r, hbuf);
    name_buf_addstr(b, "<g id=\"frames\" font-family=\"");
    flame_add_xml_str(b, r->o->fonttype);
    flame_addf(b, "\" font-size=\"%g\">\n", r->o->fontsize);
    fwrite(b->s, 1, b->len, r->out);

    flame_layout_walk(r, write_frame);

    name_buf_reset(b);
    name_buf_addstr(b, "</g>\n");
    fwrite(b->s, 1, b->len, r->out);
    if (r->o->extra && r->o->extra(r->o->extra_ctx, r->out, r->t) < 0)
        return -1;
    fputs("</svg>\n", r->out);
    return 0;
}

int flame_write(FILE *out, struct tree *t, const struct flame_opts *o, char **err)
{
    if (flame_check(o, t, err) != 0)
        return -1;
    const char *bg1 = NULL, *bg2 = NULL;
    flame_bg_colors(o, &bg1, &bg2, err);

    struct flame_render r;
    memset(&r, 0, sizeof r);
    r.out = out;
    r.t = t;
    r.o = o;
    char *warn = NULL;
    int ret = 0;
    if (flame_layout(&r, &warn, err) != 0) {
        ret = -1;
    } else {
        if (write_svg(&r, bg1, bg2) < 0 || fflush(out) != 0 || ferror(out)) {
            *err = xasprintf("write error: %s", strerror(errno ? errno : EIO));
            ret = -1;
        }
    }
    if (ret == 0 && warn) {
        *err = warn;
        warn = NULL;
        ret = 1;
    }
    free(warn);
    flame_layout_release(&r);
    name_buf_release(&r.b);
    name_buf_release(&r.nm);
    return ret;
}
