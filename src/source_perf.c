/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_perf: perf's output as profile kinds (see source.h).
 *
 *   source_perf_text  `perf script` text, collapsed as stackcollapse-perf.pl
 *                     does (collapse.h) into the run's profile
 *   source_perf_data  a perf.data file, turned into text by running
 *                     `perf script -i FILE` (no shell), then as above
 *   source_profile    a fallback for commands that read profiles (render):
 *                     standard input, or a file no kind claimed, is peeked
 *                     at and read as one of the two, or as folded stacks;
 *                     input that is mostly not folded stacks gets a message
 *                     that names the format and the collapse command to try
 *
 * What each does is said through source_run_warn ("'x' is perf script text:
 * collapsing it ..."); lines it could not read, too.
 */
#include "child.h"
#include "collapse.h"
#include "diag.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *name_of(const struct source_probe *p)
{
    return p->is_stdin ? "standard input" : p->path;
}

static int emit_reader(void *arg, const char *line, size_t len)
{
    folded_reader_line(arg, line, len);
    return 0;
}

/* what the collapser skipped, said; 1 if anything was */
static int say_skipped(struct source_run *run, const struct collapse_stats *cs, const char *q)
{
    int rc = 0;
    if (cs->unrecognized) {
        source_run_warn(run,
                        "skipped %llu line%s that %s not `perf script` text, the first at '%s' "
                        "line %llu",
                        (unsigned long long)cs->unrecognized, cs->unrecognized == 1 ? "" : "s",
                        cs->unrecognized == 1 ? "is" : "are", q,
                        (unsigned long long)cs->first_unrecognized);
        rc = 1;
    }
    if (cs->truncated) {
        source_run_warn(run, "'%s' ends inside a record (cut short?): its last stack was dropped",
                        q);
        rc = 1;
    }
    if (cs->filtered) {
        char *a = diag_quote(cs->event, strlen(cs->event));
        char *b = diag_quote(cs->other_event, strlen(cs->other_event));
        source_run_warn(run,
                        "kept the samples of the first event, '%s'; %llu of other events (such as "
                        "'%s') left out: choose with duflame collapse perf --event-filter",
                        a, (unsigned long long)cs->filtered, b);
        free(a);
        free(b);
    }
    return rc;
}

/* perf text from in into the run's profile; its distinct stacks count as
 * the profile's valid lines */
static int collapse_into(struct source_run *run, FILE *in, const char *name)
{
    struct collapse *c = collapse_new(COLLAPSE_PERF, NULL, emit_reader, source_run_profile(run));
    errno = 0;
    int rc = collapse_read(c, in);
    int e = errno;
    collapse_finish(c);
    const struct collapse_stats *cs = collapse_get_stats(c);
    struct source_result *r = source_run_result(run);
    r->stats.valid += cs->stacks;
    r->stats.lines += cs->lines;
    char *q = diag_quote(name, strlen(name));
    int said = cs->records ? say_skipped(run, cs, q) : 0;
    if (!cs->records)
        source_run_warn(run, "no samples with stacks in '%s'", q);
    free(q);
    collapse_free(c);
    errno = e;
    return rc < 0 ? -1 : said;
}

/* perf script text from in, said and collapsed into the run's profile */
static int perf_text_into(struct source_run *run, FILE *in, const char *name)
{
    char *q = diag_quote(name, strlen(name));
    source_run_warn(run,
                    "'%s' is perf script text: collapsing it as stackcollapse-perf.pl would "
                    "(duflame collapse perf)",
                    q);
    free(q);
    return collapse_into(run, in, name);
}

/* perf script -i data, collapsed into the run's profile */
static int perf_data_into(struct source_run *run, const char *data, const char *name)
{
    char *q = diag_quote(name, strlen(name));
    if (!util_on_path("perf")) {
        source_run_warn(run,
                        "'%s' is a perf.data file, and reading it needs perf: as root, 'apt-get "
                        "install linux-perf' (Debian)",
                        q);
        free(q);
        return 1;
    }
    source_run_warn(run, "'%s' is a perf.data file: reading it through perf script", q);
    char *argv[] = {"perf", "script", "-i", (char *)data, NULL};
    pid_t pid;
    int fd;
    int rc = child_start(argv, &pid, &fd);
    if (rc != 0) {
        source_run_warn(run, "cannot run perf script: %s", strerror(rc));
        free(q);
        return 1;
    }
    FILE *in = fdopen(fd, "rb");
    int ret = in ? collapse_into(run, in, name) : -1;
    if (in)
        fclose(in);
    else
        close(fd);
    if (child_status(child_wait(pid)) != 0) {
        source_run_warn(run, "perf script could not read all of '%s'", q);
        ret = ret < 0 ? ret : 1;
    }
    free(q);
    return ret;
}

/* a perf.data on standard input: perf script needs a file */
static int perf_data_stdin(struct source_run *run, FILE *in)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/duflame-perf.XXXXXX", dir);
    int fd = mkstemp(path);
    int ret = -1;
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (out) {
        char buf[65536];
        for (size_t got; (got = fread(buf, 1, sizeof buf, in)) > 0;)
            if (fwrite(buf, 1, got, out) != got)
                break;
        bool ok = !ferror(in) && !ferror(out);
        if (fclose(out) == 0 && ok)
            ret = perf_data_into(run, path, "standard input");
    } else if (fd >= 0) {
        close(fd);
    }
    if (fd >= 0)
        unlink(path);
    free(path);
    return ret;
}

/* --- the kinds ------------------------------------------------------------ */

static bool sniff_text(const struct source_probe *p)
{
    return !p->is_stdin && p->stat_ok && S_ISREG(p->st.st_mode) &&
           collapse_sniff(p->head, p->len) == COLLAPSE_GUESS_PERF;
}

static bool sniff_data(const struct source_probe *p)
{
    return !p->is_stdin && p->stat_ok && S_ISREG(p->st.st_mode) &&
           collapse_sniff(p->head, p->len) == COLLAPSE_GUESS_PERF_DATA;
}

static int load_text(struct source_run *run, const struct source_probe *p)
{
    FILE *in = p->is_stdin ? stdin : fopen(p->path, "rb");
    if (!in) {
        source_run_cannot_read(run, p, errno);
        return -1;
    }
    int rc = perf_text_into(run, in, name_of(p));
    if (rc < 0)
        source_run_cannot_read(run, p, errno ? errno : EIO);
    if (p->is_stdin)
        clearerr(stdin);
    else
        fclose(in);
    return rc;
}

static int load_data(struct source_run *run, const struct source_probe *p)
{
    return perf_data_into(run, p->path, p->path);
}

const struct source_kind source_perf_text = {
    .name = "perf script text",
    .noun = "perf script text",
    .family = SOURCE_PROFILE,
    .needs_head = true,
    .sniff = sniff_text,
    .load = load_text,
};

const struct source_kind source_perf_data = {
    .name = "perf.data file",
    .noun = "a perf.data file",
    .family = SOURCE_PROFILE,
    .needs_head = true,
    .sniff = sniff_data,
    .load = load_data,
};

/* --- the fallback: peek, then read as what it is ------------------------- */

/* A FILE that gives back the bytes peeked at the start of another, then the
 * rest of it: standard input cannot be rewound. */
struct peek {
    FILE *in;
    char *head;
    size_t n, off;
};

static ssize_t peek_read(void *cookie, char *buf, size_t size)
{
    struct peek *p = cookie;
    if (p->off < p->n) {
        size_t k = p->n - p->off < size ? p->n - p->off : size;
        memcpy(buf, p->head + p->off, k);
        p->off += k;
        return (ssize_t)k;
    }
    size_t got = fread(buf, 1, size, p->in);
    if (got == 0 && ferror(p->in))
        return -1;
    return (ssize_t)got;
}

static int peek_close(void *cookie)
{
    struct peek *p = cookie;
    free(p->head);
    free(p);
    return 0;
}

#define PEEK_BYTES 65536

/* peek_open: the first bytes of in (into *head, *n) and a FILE that reads
 * all of in from its start (closing it leaves in open) */
static FILE *peek_open(FILE *in, const char **head, size_t *n)
{
    struct peek *p = xcalloc(1, sizeof *p);
    p->in = in;
    p->head = xmalloc(PEEK_BYTES);
    while (p->n < PEEK_BYTES) {
        size_t got = fread(p->head + p->n, 1, PEEK_BYTES - p->n, in);
        if (got == 0)
            break;
        p->n += got;
    }
    *head = p->head;
    *n = p->n;
    cookie_io_functions_t io = {.read = peek_read, .close = peek_close};
    FILE *f = fopencookie(p, "rb", io);
    if (!f)
        peek_close(p);
    return f;
}

/* folded text from f, its statistics added up as the folded kind does */
static int folded_into(struct source_run *run, FILE *f, const char *name, enum collapse_guess g)
{
    struct folded_stats st = {0};
    errno = 0;
    int rc = folded_reader_read(source_run_profile(run), f, &st) != 0 ? -1 : 0;
    source_run_add_folded(run, &st, name);
    /* mostly not folded stacks: a profiler's own text, most likely */
    if (g == COLLAPSE_GUESS_BPFTRACE || st.invalid > 3 * st.valid) {
        char *q = diag_quote(name, strlen(name));
        source_run_warn(run,
                        "'%s' is not folded stacks (\"frame;frame;frame COUNT\" lines): for a "
                        "profiler's output try 'duflame collapse %s'",
                        q, g == COLLAPSE_GUESS_BPFTRACE ? "bpftrace" : "perf|dtrace|bpftrace");
        free(q);
    }
    return rc < 0 ? -1 : st.invalid ? 1 : 0;
}

static int load_any(struct source_run *run, const struct source_probe *p)
{
    FILE *in = p->is_stdin ? stdin : fopen(p->path, "rb");
    if (!in) {
        source_run_cannot_read(run, p, errno);
        return -1;
    }
    const char *head;
    size_t n;
    FILE *f = peek_open(in, &head, &n);
    int rc = -1;
    if (f) {
        enum collapse_guess g = collapse_sniff(head, n);
        const char *name = name_of(p);
        if (g == COLLAPSE_GUESS_PERF) {
            rc = perf_text_into(run, f, name);
        } else if (g == COLLAPSE_GUESS_PERF_DATA) {
            rc = p->is_stdin ? perf_data_stdin(run, f) : perf_data_into(run, p->path, name);
        } else {
            rc = folded_into(run, f, name, g);
        }
        int e = errno;
        fclose(f);
        errno = e;
    }
    if (rc < 0)
        source_run_cannot_read(run, p, errno ? errno : EIO);
    if (p->is_stdin)
        clearerr(stdin);
    else
        fclose(in);
    return rc;
}

static bool sniff_never(const struct source_probe *p)
{
    (void)p;
    return false;
}

const struct source_kind source_profile = {
    .name = "profile",
    .noun = "a profile",
    .family = SOURCE_PROFILE,
    .needs_head = false,
    .sniff = sniff_never,
    .load = load_any,
};
