/* SPDX-License-Identifier: BSD-2-Clause */
/* source_image: the container-image kind: a docker save tarball or an OCI
 * image layout (a directory, or a tar of one) read with image.h into its
 * final file system (or one child per layer with --layers); the images are
 * kept in the result for the tooltips and the text report */
#include "image.h"
#include "scan.h"
#include "source.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>

static bool sniff_image(const struct source_probe *p)
{
    if (p->is_stdin || !p->stat_ok)
        return false;
    if (S_ISDIR(p->st.st_mode))
        return image_sniff_dir(p->path);
    return S_ISREG(p->st.st_mode) && image_sniff_tar(p->head, p->len);
}

static void on_warn(void *ctx, const char *msg)
{
    source_run_warn(ctx, "%s", msg);
}

struct node_ctx {
    struct source_run *run;
    const char *path;
};

static struct tree_node *make_node(void *ctx)
{
    struct node_ctx *c = ctx;
    return source_run_node(c->run, c->path);
}

static int load_image(struct source_run *run, const struct source_probe *p)
{
    const struct source_opts *so = source_run_opts(run);
    struct image_opts o = {.max_entries = so->arc.max_entries,
                           .max_bytes = so->arc.max_bytes,
                           .by_layer = so->image_layers,
                           .threads = so->walk.threads,
                           .warn = on_warn,
                           .warn_ctx = run};
    struct source_result *res = source_run_result(run);
    if (so->image_pages && !so->image_layers) {
        if (!res->image_layers)
            res->image_layers = scan_tree_new(so->root_name);
        o.layers_parent = res->image_layers->root;
        o.layers_arena = tree_main_arena(res->image_layers);
    }
    struct node_ctx nc = {run, p->path};
    struct image *im = NULL;
    bool dir = S_ISDIR(p->st.st_mode);
    int r = image_fill(p->path, dir, make_node, &nc, source_run_arena(run), &o, &im);
    if (r == -2)
        return -1;
    if (r == -1) {
        /* no manifest after all: a directory or an archive like any other */
        source_run_walk(run, p->path, NULL);
        return 0;
    }
    res->images = xreallocarray(res->images, res->nimages + 1, sizeof *res->images);
    res->images[res->nimages++] = im;
    return r;
}

const struct source_kind source_image = {
    .name = "container image",
    .noun = "a container image",
    .family = SOURCE_DU,
    .needs_head = true,
    .libraries = true,
    .sniff = sniff_image,
    .load = load_image,
};

static bool inside(const struct tree_node *n, const struct tree_node *top)
{
    for (; n; n = tree_parent(n))
        if (n == top)
            return true;
    return false;
}

size_t source_image_note(void *ctx, const struct tree_node *n, char *buf, size_t cap)
{
    struct source_result *r = ctx;
    for (size_t i = 0; i < r->nimages; i++)
        if (inside(n, r->images[i]->node))
            return image_note(r->images[i], n, buf, cap);
    return r->notes ? source_note(r->notes, n, buf, cap) : 0;
}

bool source_image_packed(void *ctx, const struct tree_node *n)
{
    struct source_result *r = ctx;
    for (size_t i = 0; i < r->nimages; i++)
        if (inside(n, r->images[i]->node))
            return true;
    return false;
}

void source_image_report(FILE *fp, void *ctx)
{
    struct source_result *r = ctx;
    for (size_t i = 0; i < r->nimages; i++)
        image_report(fp, r->images[i], 10);
}
