/* SPDX-License-Identifier: BSD-2-Clause */
/* html: one self-contained page, the tree as data plus the page engine */
#include "html.h"

#include "names.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.i"

void html_opts_init(struct html_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sep = "/";
}

/* a JSON string that is also inert inside a <script> element */
static void json_str(struct name_buf *b, const char *s)
{
    name_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            name_buf_addc(b, '\\');
            name_buf_addc(b, (char)*p);
        } else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == 0x7f) {
            char tmp[8];
            snprintf(tmp, sizeof tmp, "\\u%04x", *p);
            name_buf_addstr(b, tmp);
        } else {
            name_buf_addc(b, (char)*p);
        }
    }
    name_buf_addc(b, '"');
}

void html_json_display(struct name_buf *b, const char *s)
{
    if (!s) {
        name_buf_addstr(b, "null");
        return;
    }
    char *d = name_display(s, strlen(s), NULL);
    json_str(b, d);
    free(d);
}

static void config(struct name_buf *b, const struct tree *t, const struct html_opts *o,
                   const struct viewdata_stats *st)
{
    char num[64];
    name_buf_addstr(b, "{\"version\":1,\"title\":");
    html_json_display(b, o->title ? o->title : "Flame Graph");
    name_buf_addstr(b, ",\"subtitle\":");
    html_json_display(b, o->subtitle);
    name_buf_addstr(b, ",\"metrics\":[");
    unsigned nm = o->nmetrics ? o->nmetrics : t->nweights;
    for (unsigned i = 0; i < nm && i < VIEWDATA_MAXW; i++) {
        const struct html_metric *m = &o->metrics[i];
        name_buf_addstr(b, i ? ",{\"key\":" : "{\"key\":");
        html_json_display(b, m->key                            ? m->key
                             : i < t->nweights && t->wnames[i] ? t->wnames[i]
                                                               : "count");
        name_buf_addstr(b, ",\"label\":");
        html_json_display(b, m->label ? m->label : m->key ? m->key : "Count");
        name_buf_addstr(b, ",\"unit\":");
        html_json_display(b, m->unit ? m->unit : "samples");
        if (m->side) {
            name_buf_addstr(b, ",\"side\":");
            html_json_display(b, m->side);
        }
        name_buf_addc(b, '}');
    }
    unsigned open = o->nmetrics               ? (o->open_metric < nm ? o->open_metric : 0)
                    : o->weight < t->nweights ? o->weight
                                              : 0;
    snprintf(num, sizeof num, "],\"metric\":%u,\"scale\":%u,\"sep\":", open, t->scale);
    name_buf_addstr(b, num);
    html_json_display(b, o->sep ? o->sep : "/");
    snprintf(num, sizeof num, ",\"sort\":\"%s\",\"icicle\":%s", o->name_sort ? "name" : "size",
             o->inverted ? "true" : "false");
    name_buf_addstr(b, num);
    snprintf(num, sizeof num, ",\"nodes\":%zu,\"merged\":%zu,\"aggregates\":%zu", st->nodes,
             st->merged, st->aggregates);
    name_buf_addstr(b, num);
    if (o->images_json) {
        name_buf_addstr(b, ",\"images\":");
        name_buf_addstr(b, o->images_json);
    }
    if (o->diff_json) {
        /* diff_write_json() escapes "<", ">" and "&" itself */
        name_buf_addstr(b, ",\"diffBase\":");
        html_json_display(b, o->diff_base ? o->diff_base : "");
        name_buf_addstr(b, ",\"diff\":");
        name_buf_addstr(b, o->diff_json);
        if (o->diff_ranks) {
            name_buf_addstr(b, ",\"diffRanks\":");
            name_buf_addstr(b, o->diff_ranks);
        }
    }
    name_buf_addc(b, '}');
}

static void html_text(struct name_buf *b, const char *s)
{
    char *d = name_display(s, strlen(s), NULL);
    for (const char *p = d; *p; p++) {
        switch (*p) {
        case '<':
            name_buf_addstr(b, "&lt;");
            break;
        case '>':
            name_buf_addstr(b, "&gt;");
            break;
        case '&':
            name_buf_addstr(b, "&amp;");
            break;
        default:
            name_buf_addc(b, *p);
        }
    }
    free(d);
}

/* the embedded data's options: a diff's extra weights, an image's layer tags */
static struct viewdata_opts data_opts(const struct html_opts *o, unsigned w)
{
    return (struct viewdata_opts){.weight = w,
                                  .max_entries = o->max_entries,
                                  .nextra = o->extra ? o->nmetrics : 0,
                                  .extra = o->extra,
                                  .extra_ctx = o->extra_ctx,
                                  .tag = o->tag,
                                  .tag_ctx = o->tag_ctx};
}

/* layers_block: the images by layer as a second data block, after the
 * first (the page reads it in its "by layer" view); 0, or -1 when the data
 * could not be made */
static int layers_block(FILE *out, const struct html_opts *o, unsigned w)
{
    if (!o->layers)
        return 0;
    tree_finish(o->layers);
    tree_sort(o->layers, o->name_sort ? TREE_BY_NAME : TREE_BY_WEIGHT, w);
    struct viewdata_opts vo = {
        .weight = w, .max_entries = o->max_entries, .tag = o->tag, .tag_ctx = o->tag_ctx};
    struct viewdata_prep *p = viewdata_prepare(o->layers, &vo, NULL);
    if (!p)
        return 0;
    fputs("</script>\n<script type=\"application/octet-stream\" id=\"dv-data-layers\">", out);
    return viewdata_write(out, p);
}

/* data_blocks: the page's configuration, its data (prep, released) and an
 * image's layers, each in a script element; 0, or -1 when the data could
 * not be made */
static int data_blocks(FILE *out, const struct html_opts *o, const struct name_buf *cfg,
                       struct viewdata_prep *prep, unsigned w)
{
    fputs("<script type=\"application/json\" id=\"dv-config\">", out);
    fwrite(cfg->s, 1, cfg->len, out);
    fputs("</script>\n<script type=\"application/octet-stream\" id=\"dv-data\">", out);
    int vr = viewdata_write(out, prep);
    if (vr == 0)
        vr = layers_block(out, o, w);
    fputs("</script>\n", out);
    return vr;
}

int html_write(FILE *out, struct tree *t, const struct html_opts *o, struct viewdata_stats *stats,
               char **err)
{
    struct viewdata_stats dummy;
    struct viewdata_stats *st = stats ? stats : &dummy;
    unsigned w = o->weight < t->nweights ? o->weight : 0;
    tree_sort(t, o->name_sort ? TREE_BY_NAME : TREE_BY_WEIGHT, w);
    struct viewdata_opts vo = data_opts(o, w);
    struct viewdata_prep *prep = viewdata_prepare(t, &vo, st);
    if (!prep) {
        *err = xstrdup("cannot draw a tree that is not finished");
        return -1;
    }
    struct name_buf head = {0};
    name_buf_addstr(&head,
                    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"generator\" content=\"duflame\">\n<title>");
    html_text(&head, o->title ? o->title : "Flame Graph");
    name_buf_addstr(&head, "</title>\n<style>\n");
    struct name_buf cfg = {0};
    config(&cfg, t, o, st);
    errno = 0;
    fwrite(head.s, 1, head.len, out);
    fwrite(asset_viewer_css, 1, asset_viewer_css_len, out);
    fputs("</style>\n</head>\n<body>\n<noscript><p>This page draws its picture with JavaScript; "
          "please enable it.</p></noscript>\n",
          out);
    int vr = data_blocks(out, o, &cfg, prep, w);
    fputs("<script>\n", out);
    fwrite(asset_viewer_js, 1, asset_viewer_js_len, out);
    fputs("</script>\n</body>\n</html>\n", out);
    name_buf_release(&head);
    name_buf_release(&cfg);
    if (vr < 0) {
        *err = xstrdup("cannot compress the page's data");
        return -1;
    }
    if (fflush(out) != 0 || ferror(out)) {
        *err = xstrdup(strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int html_svg_extra(FILE *out, struct tree *t, const struct html_opts *o,
                   struct viewdata_stats *stats)
{
    struct viewdata_stats dummy;
    struct viewdata_stats *st = stats ? stats : &dummy;
    unsigned w = o->weight < t->nweights ? o->weight : 0;
    struct name_buf cfg = {0};
    struct viewdata_opts vo = data_opts(o, w);
    struct viewdata_prep *prep = viewdata_prepare(t, &vo, st);
    if (!prep)
        return -1;
    config(&cfg, t, o, st);
    errno = 0;
    fputs("<style type=\"text/css\"><![CDATA[\n", out);
    fwrite(asset_viewer_css, 1, asset_viewer_css_len, out);
    fputs("]]></style>\n", out);
    int vr = data_blocks(out, o, &cfg, prep, w);
    fputs("<script type=\"text/ecmascript\"><![CDATA[\n", out);
    fwrite(asset_viewer_js, 1, asset_viewer_js_len, out);
    fputs("]]></script>\n", out);
    name_buf_release(&cfg);
    return vr < 0 || ferror(out) ? -1 : 0;
}
