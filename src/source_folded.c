/* SPDX-License-Identifier: BSD-2-Clause */
/* source_folded: folded stacks ("frame;frame COUNT" lines) as a source kind */
#include "source.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the complete lines of the first bytes that are judged */
#define SNIFF_LINES 100

/*
 * Is the regular file a folded profile? The rule (man page, DIFF): its
 * first 64 KiB hold no NUL byte, and each of its first 100 non-blank
 * complete lines there ends in a count, as the folded reader reads it. An
 * empty file is an empty profile. Standard input is never sniffed (it
 * cannot be read twice): it is folded text only where a profile is wanted.
 */
static bool sniff_folded(const struct source_probe *p)
{
    if (p->is_stdin || !p->stat_ok || !S_ISREG(p->st.st_mode))
        return false;
    if (p->len == 0 && !p->head_eof)
        return false; /* unreadable: not judged here, its load says why */
    const char *buf = p->head;
    size_t n = p->len;
    if (memchr(buf, '\0', n))
        return false;
    struct folded_reader *r = folded_reader_new(NULL);
    bool yes = true;
    size_t lines = 0;
    for (size_t i = 0; yes && i < n && lines < SNIFF_LINES;) {
        const char *nl = memchr(buf + i, '\n', n - i);
        if (!nl && !p->head_eof)
            break; /* a line cut off by the sample is not judged */
        size_t len = (nl ? (size_t)(nl - buf) : n) - i;
        enum folded_line k = folded_reader_line(r, buf + i, len);
        if (k == FOLDED_OK)
            lines++;
        else if (k != FOLDED_BLANK)
            yes = false;
        i += len + 1;
    }
    folded_reader_free(r);
    return yes;
}

/* Every line of the PATH into the run's profile; the statistics add up, and
 * the first invalid line's place is kept for the front end's summary. */
static int load_folded(struct source_run *run, const struct source_probe *p)
{
    FILE *in = p->is_stdin ? stdin : fopen(p->path, "rb");
    if (!in) {
        int e = errno;
        struct source_probe named = *p;
        named.is_stdin = false;
        source_run_cannot_read(run, &named, e);
        return -1;
    }
    struct folded_stats st = {0};
    errno = 0;
    int rc = 0;
    if (folded_reader_read(source_run_profile(run), in, &st) != 0) {
        source_run_cannot_read(run, p, errno ? errno : EIO);
        rc = -1;
    }
    if (p->is_stdin)
        clearerr(stdin);
    else
        fclose(in);
    source_run_add_folded(run, &st, p->is_stdin ? "standard input" : p->path);
    return rc ? rc : st.invalid ? 1 : 0;
}

const struct source_kind source_folded = {
    .name = "folded profile",
    .noun = "a folded profile",
    .family = SOURCE_PROFILE,
    .needs_head = true,
    .sniff = sniff_folded,
    .load = load_folded,
};
