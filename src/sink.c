/* SPDX-License-Identifier: BSD-2-Clause */
/* sink: the output formats and writing one safely (see include/sink.h) */
#include "sink.h"
#include "diag.h"
#include "flame_files.h"
#include "folded.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the formats: one line per format */
const struct sink_format *const sink_formats[] = {
    &sink_svg, &sink_html, &sink_folded, &sink_text, &sink_ncdu,
};
const size_t sink_nformats = ARRAY_LEN(sink_formats);

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

const struct sink_format *sink_find(const char *name)
{
    for (size_t i = 0; i < sink_nformats; i++)
        if (strcmp(sink_formats[i]->name, name) == 0 || in_list(sink_formats[i]->aliases, name))
            return sink_formats[i];
    return NULL;
}

char *sink_bad_format(const char *name)
{
    char *q = diag_quote(name, strlen(name));
    size_t cap = strlen(q) + 64;
    for (size_t i = 0; i < sink_nformats; i++)
        cap += strlen(sink_formats[i]->name) + 4;
    char *s = xmalloc(cap);
    size_t n = (size_t)snprintf(s, cap, "invalid --format '%s': expected ", q);
    for (size_t i = 0; i < sink_nformats; i++) {
        const char *sep = i == 0 ? "" : i + 1 == sink_nformats ? " or " : ", ";
        n += (size_t)snprintf(s + n, cap - n, "%s%s", sep, sink_formats[i]->name);
    }
    free(q);
    return s;
}

const struct sink_format *sink_pick(const struct sink_format *f, const char *output,
                                    const struct sink_format *dflt)
{
    if (f)
        return f;
    if (!output || strcmp(output, "-") == 0)
        return dflt;
    const char *dot = strrchr(output, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sink_nformats; i++)
            if (in_list(sink_formats[i]->exts, dot))
                return sink_formats[i];
    /* a device or a pipe (-o /dev/null, -o /dev/stderr) is written like
     * standard output */
    struct stat st;
    if (stat(output, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return dflt;
    return NULL;
}

char *sink_bad_ext(const char *output)
{
    char *q = diag_quote(output, strlen(output));
    size_t n = 0, cap = strlen(q) + 128;
    for (size_t i = 0; i < sink_nformats; i++)
        for (const char *const *e = sink_formats[i]->exts; e && *e; e++)
            n++, cap += strlen(*e) + 4;
    char *s = xmalloc(cap);
    size_t len =
        (size_t)snprintf(s, cap, "cannot tell the format of '%s' from its extension: expected ", q);
    size_t k = 0;
    for (size_t i = 0; i < sink_nformats; i++)
        for (const char *const *e = sink_formats[i]->exts; e && *e; e++, k++)
            len += (size_t)snprintf(s + len, cap - len, "%s%s",
                                    k == 0       ? ""
                                    : k + 1 == n ? " or "
                                                 : ", ",
                                    *e);
    snprintf(s + len, cap - len, ", or give --format");
    free(q);
    return s;
}

static char *cannot_write(const char *output, int e)
{
    const char *name = output ? output : "standard output";
    char *q = diag_quote(name, strlen(name));
    char *s;
    if (asprintf(&s, "cannot write '%s': %s", q, strerror(e)) < 0)
        s = xstrdup("cannot write the output");
    free(q);
    return s;
}

int sink_write(const struct sink_format *f, const char *output, const struct sink_job *job,
               char **warn, char **err)
{
    *warn = *err = NULL;
    if (output && strcmp(output, "-") == 0)
        output = NULL;
    struct out o;
    if (out_open(&o, output) < 0) {
        *err = cannot_write(output, errno);
        return 2;
    }
    errno = 0;
    int rc = f->write(o.fp, job, warn, err);
    if (rc < 0 && *err && ferror(o.fp)) {
        /* the writer's own "write error" does not name the output */
        int we = errno;
        free(*err);
        *err = NULL;
        errno = we;
    } else if (rc < 0 && *err) {
        out_abort(&o);
        return 2;
    }
    int e = 0;
    if (rc < 0 || ferror(o.fp)) {
        e = errno ? errno : EIO;
        out_abort(&o);
    } else if (out_commit(&o) < 0) {
        e = errno;
    }
    if (e) {
        *err = cannot_write(output, e);
        return 2;
    }
    return rc > 0 ? 1 : 0;
}

/* ---- svg ---------------------------------------------------------------- */

static int write_svg(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    char *msg = NULL, *note = NULL;
    /* with the files the options name: --nameattr, the --cp palette map;
     * a scan's SVG also embeds the whole tree and the page engine */
    int r = job->explore ? sink_svg_explorable(fp, job, &msg, &note)
                         : flame_files_write(fp, job->t, job->fo, &msg);
    if (note && r == 0) {
        *warn = note; /* a note: the exit status stays 0 */
        note = NULL;
    }
    free(note);
    if (r < 0) {
        *err = msg ? msg : xstrdup("cannot draw the flame graph");
        return -1;
    }
    if (r > 0)
        *warn = msg ? msg : xstrdup("the flame graph is incomplete");
    else
        free(msg);
    return r > 0 ? 1 : 0;
}

static const char *const svg_exts[] = {".svg", NULL};
const struct sink_format sink_svg = {
    .name = "svg",
    .exts = svg_exts,
    .write = write_svg,
};

/* ---- folded --------------------------------------------------------------- */

static int write_folded(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    (void)warn;
    (void)err;
    if (job->diff)
        return folded_write(fp, job->t, 0, FOLDED_WRITE_DIFF);
    tree_sort(job->t, job->fo && job->fo->sort == FLAME_SORT_NAME ? TREE_BY_NAME : TREE_BY_WEIGHT,
              job->weight);
    return folded_write(fp, job->t, job->weight, 0);
}

static const char *const folded_exts[] = {".folded", NULL};
const struct sink_format sink_folded = {
    .name = "folded",
    .exts = folded_exts,
    .write = write_folded,
};

/* ---- text ---------------------------------------------------------------- */

static int write_text(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    (void)warn;
    (void)err;
    if (job->diff)
        return diff_write_text(fp, job->t, job->dto);
    return report_write(fp, job->t, job->ro);
}

static const char *const text_aliases[] = {"txt", NULL};
static const char *const text_exts[] = {".txt", NULL};
const struct sink_format sink_text = {
    .name = "text",
    .aliases = text_aliases,
    .exts = text_exts,
    .write = write_text,
};
