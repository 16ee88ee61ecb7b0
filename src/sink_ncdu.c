/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_ncdu: -f ncdu (also json) or -o FILE.json: a scan's tree as ncdu's
 * JSON export (ncdu_write.h), the header's timestamp SOURCE_DATE_EPOCH when
 * that is set, archives' extracted sizes from the load's notes.
 */
#include "ncdu_write.h"
#include "sink.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t extracted(void *ctx, const struct tree_node *archive)
{
    return source_note_extracted(ctx, archive);
}

/* timestamp: SOURCE_DATE_EPOCH (reproducible builds' convention), else now */
static int64_t timestamp(char **warn)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!errno && !*end && v >= 0)
            return v;
        if (asprintf(warn,
                     "SOURCE_DATE_EPOCH '%s' is not a number of seconds: the time now is used",
                     s) < 0)
            *warn = NULL;
    }
    return (int64_t)time(NULL);
}

static int write_ncdu(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    if (job->diff || job->t->nweights < 3) {
        *err = xstrdup(job->diff ? "a diff cannot be written as an ncdu export: use svg, folded "
                                   "or text"
                                 : "an ncdu export holds a scan (disk usage, sizes, entries): a "
                                   "profile cannot be written as one");
        return -1;
    }
    struct ncdu_write_opts o = {
        .timestamp = timestamp(warn),
        .progver = "0.1",
        .extracted = job->notes ? extracted : NULL,
        .extracted_ctx = job->notes,
    };
    if (ncdu_write(fp, job->t, &o) < 0)
        return -1;
    return *warn ? 1 : 0;
}

static const char *const aliases[] = {"json", NULL};
static const char *const exts[] = {".json", NULL};

const struct sink_format sink_ncdu = {
    .name = "ncdu",
    .aliases = aliases,
    .exts = exts,
    .write = write_ncdu,
};
