/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_html: the html format (one self-contained page, html.h), and the
 * whole tree plus the page engine at the end of a scan's SVG (sink.c's svg
 * writer asks for it with job->explore). What each weight slot means comes
 * from the tree's weight names: a scan's "disk", "apparent" and "count", or
 * a profile's counts named by --countname.
 */
#include "diff_metrics.h"
#include "diff_rank.h"
#include "flame_files.h"
#include "html.h"
#include "image.h"
#include "names.h"
#include "sink.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the ranking of the joined tree's present slots as JSON: a heap string,
 * NULL when it could not be made */
static char *ranking_json(const struct sink_job *job, const struct diff_text_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return NULL;
    int rc = diff_write_json(fp, job->t, o);
    if (fclose(fp) != 0 || rc < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static const struct html_metric diff_scan_metrics[DIFF_NMETRICS] = {
    {"disk", "Disk usage", "bytes", NULL},
    {"apparent", "Apparent size", "bytes", NULL},
    {"entries", "Entries", "entries", NULL},
};

/* With every scan metric at hand (diff_metrics.h): the data's slots are the
 * three metrics' BEFORE and AFTER, and the config holds the ranking in each
 * (the joined slots are switched to each metric in turn, then back). */
static void diff_page_metrics(const struct sink_job *job, struct html_opts *ho)
{
    const struct diff_text_opts *dto = job->dto;
    struct diff_metrics *m = (struct diff_metrics *)dto->metrics;
    unsigned open = dto->metric < DIFF_NMETRICS ? dto->metric : 0;
    ho->nmetrics = DIFF_MSLOTS;
    ho->open_metric = 2 * open;
    for (unsigned k = 0; k < DIFF_MSLOTS; k++) {
        ho->metrics[k] = diff_scan_metrics[k / 2];
        ho->metrics[k].side = k % 2 ? "after" : "before";
    }
    ho->extra = diff_metrics_viewdata;
    ho->extra_ctx = m;
    struct name_buf all = {0};
    name_buf_addc(&all, '[');
    bool ok = true;
    for (unsigned k = 0; k < DIFF_NMETRICS && ok; k++) {
        struct diff_text_opts o = *dto;
        o.units = k == DIFF_M_COUNT ? DIFF_COUNT : DIFF_BYTES;
        o.countname = k == DIFF_M_COUNT ? "entries" : "bytes";
        diff_metrics_use(m, job->t->root, k);
        char *js = ranking_json(job, &o);
        if (!js) {
            ok = false;
            break;
        }
        if (k)
            name_buf_addc(&all, ',');
        name_buf_addstr(&all, js);
        free(js);
    }
    diff_metrics_use(m, job->t->root, open);
    name_buf_addc(&all, ']');
    if (ok)
        ho->diff_ranks = xstrdup(all.s);
    name_buf_release(&all);
}

/* a joined tree's page: the ranking (the text report's rows) as JSON, and
 * where its paths start. The page sorts the tree after this, so the rows
 * are in the text report's order. A profile's page has one metric (its
 * count, BEFORE and AFTER: the tree's two slots); a scan's has all three. */
static void diff_page(const struct sink_job *job, struct html_opts *ho)
{
    const char *unit = ho->metrics[0].unit;
    bool bytes = job->dto->units == DIFF_BYTES;
    ho->nmetrics = 2;
    ho->open_metric = 0;
    for (unsigned k = 0; k < 2; k++)
        ho->metrics[k] =
            (struct html_metric){bytes ? "size" : job->dto->countname, bytes ? "Size" : "Samples",
                                 bytes ? "bytes" : unit, k ? "after" : "before"};
    if (job->dto->metrics)
        diff_page_metrics(job, ho);
    ho->diff_json = ranking_json(job, job->dto);
    if (!ho->diff_json)
        return;
    const struct tree_node *base = job->dto->base ? job->dto->base : job->t->root;
    ho->diff_base = diff_path(job->t->root, base, job->dto->sep);
}

/* image_tag: a node's tag in the page: image number * 65536 + its layer */
static long image_tag(void *ctx, const struct tree_node *n)
{
    const struct sink_job *job = ctx;
    for (size_t i = 0; i < job->nimages; i++) {
        int l = image_layer_of(job->images[i], n);
        if (l >= 0)
            return (long)i * 65536 + l;
    }
    return -1;
}

/* image_page: the images' table and the tags of their nodes */
static void image_page(const struct sink_job *job, struct html_opts *ho)
{
    if (!job->nimages)
        return;
    struct name_buf b = {0};
    name_buf_addc(&b, '[');
    for (size_t i = 0; i < job->nimages; i++) {
        char *path = diff_path(job->t->root, job->images[i]->node, ho->sep[0]);
        if (i)
            name_buf_addc(&b, ',');
        image_page_json(&b, job->images[i], path);
        free(path);
    }
    name_buf_addc(&b, ']');
    name_buf_addc(&b, 0);
    ho->images_json = b.s;
    ho->tag = image_tag;
    ho->tag_ctx = (void *)job;
    ho->layers = job->image_layers;
}

/* the page's options for a job: its metrics, opening metric, title */
static void page_opts(const struct sink_job *job, struct html_opts *ho)
{
    const struct flame_opts *fo = job->fo;
    struct tree *t = job->t;
    html_opts_init(ho);
    ho->title = job->page_title ? job->page_title : fo && fo->title ? fo->title : NULL;
    ho->subtitle = job->page_title ? NULL : fo ? fo->subtitle : NULL;
    const char *unit = fo && fo->countname ? fo->countname : "samples";
    bool scan = false;
    for (unsigned i = 0; i < t->nweights; i++) {
        const char *w = t->wnames[i] ? t->wnames[i] : "";
        if (strcmp(w, "disk") == 0)
            ho->metrics[i] = (struct html_metric){"disk", "Disk usage", "bytes", NULL}, scan = true;
        else if (strcmp(w, "apparent") == 0)
            ho->metrics[i] = (struct html_metric){"apparent", "Apparent size", "bytes", NULL};
        else if (strcmp(w, "count") == 0)
            ho->metrics[i] = (struct html_metric){"entries", "Entries", "entries", NULL};
        else if (strcmp(w, "stored") == 0)
            ho->metrics[i] = (struct html_metric){"stored", "Stored size", "bytes", NULL};
        else if (job->diff || t->nweights == 2)
            ho->metrics[i] = i == TREE_W_BEFORE
                                 ? (struct html_metric){"before", "Before", unit, NULL}
                                 : (struct html_metric){"after", "After", unit, NULL};
        else
            ho->metrics[i] = (struct html_metric){"samples", "Samples", unit, NULL};
    }
    ho->weight = scan || t->nweights < 2 ? job->weight : TREE_W_AFTER;
    ho->sep = scan ? "/" : ";";
    ho->max_entries = job->max_entries;
    ho->name_sort = fo && fo->sort == FLAME_SORT_NAME;
    ho->inverted = fo && fo->inverted;
    if (job->diff && job->dto) {
        ho->sep = job->dto->sep == '/' ? "/" : ";";
        diff_page(job, ho);
    }
    image_page(job, ho);
}

static void page_release(struct html_opts *ho)
{
    free((char *)ho->diff_json);
    free((char *)ho->diff_base);
    free((char *)ho->diff_ranks);
    free((char *)ho->images_json);
}

/* a note (not a warning: the exit status stays 0) when entries were merged */
static void merged_note(const struct viewdata_stats *st, char **warn)
{
    if (!st->merged || *warn)
        return;
    if (asprintf(warn,
                 "note: the picture holds %zu of %zu entries: the %zu smallest are merged into "
                 "%zu aggregates (--max-entries)",
                 st->embedded - st->aggregates, st->nodes, st->merged, st->aggregates) < 0)
        *warn = NULL;
}

static int write_html(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    struct html_opts ho;
    page_opts(job, &ho);
    struct viewdata_stats st;
    int rc = html_write(fp, job->t, &ho, &st, err);
    page_release(&ho);
    if (rc < 0)
        return -1;
    merged_note(&st, warn);
    return 0;
}

static const char *const html_exts[] = {".html", ".htm", NULL};
static const char *const html_aliases[] = {"htm", NULL};
const struct sink_format sink_html = {
    .name = "html",
    .aliases = html_aliases,
    .exts = html_exts,
    .write = write_html,
};

struct svg_extra {
    struct html_opts ho;
    struct viewdata_stats st;
};

static int svg_extra(void *ctx, FILE *out, struct tree *t)
{
    struct svg_extra *x = ctx;
    return html_svg_extra(out, t, &x->ho, &x->st);
}

int sink_svg_explorable(FILE *fp, const struct sink_job *job, char **msg, char **note)
{
    struct svg_extra x;
    memset(&x, 0, sizeof x);
    page_opts(job, &x.ho);
    struct flame_opts fo = *job->fo;
    fo.extra = svg_extra;
    fo.extra_ctx = &x;
    int r = flame_files_write(fp, job->t, &fo, msg);
    page_release(&x.ho);
    if (r >= 0)
        merged_note(&x.st, note);
    return r;
}
