/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_diff: the formats that only duflame diff writes, the ranking of what
 * changed (diff_rank.h): json for other tools (-f json or -o FILE.json in
 * duflame diff, which for a scan name its ncdu export) and markdown, a table
 * for a pull request comment (-f markdown, -o FILE.md). A scan has no
 * ranking: they refuse it.
 */
#include "diff_rank.h"
#include "sink.h"
#include "util.h"

#include <stdio.h>

static int no_ranking(const char *name, char **err)
{
    *err =
        xasprintf("the %s format is the ranking that duflame diff writes; a scan has none", name);
    return -1;
}

static int write_json(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    (void)warn;
    if (!job->diff || !job->dto)
        return no_ranking("json", err);
    return diff_write_json(fp, job->t, job->dto);
}

static int write_markdown(FILE *fp, const struct sink_job *job, char **warn, char **err)
{
    (void)warn;
    if (!job->diff || !job->dto)
        return no_ranking("markdown", err);
    return diff_write_markdown(fp, job->t, job->dto);
}

/* not in sink_formats[]: -f json and .json name sink_ncdu, which duflame
 * diff turns into this */
static const char *const json_exts[] = {NULL};
const struct sink_format sink_json = {
    .name = "json",
    .exts = json_exts,
    .write = write_json,
};

static const char *const md_aliases[] = {"md", NULL};
static const char *const md_exts[] = {".md", NULL};
const struct sink_format sink_markdown = {
    .name = "markdown",
    .aliases = md_aliases,
    .exts = md_exts,
    .write = write_markdown,
};
