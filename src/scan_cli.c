/* SPDX-License-Identifier: BSD-2-Clause */
/* scan_cli: the scan options of duflame and duflame diff (see include/scan_cli.h) */
#include "scan_cli.h"
#include "diag.h"
#include "progress.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void scan_cli_init(struct scan_cli *c)
{
    memset(c, 0, sizeof *c);
    c->weight = TREE_W_DISK;
}

void scan_cli_release(struct scan_cli *c)
{
    for (size_t i = 0; i < c->nexcludes; i++)
        free(c->excludes[i]);
    free(c->excludes);
    c->excludes = NULL;
    c->nexcludes = c->capexcludes = 0;
    progress_free(c->progress);
    c->progress = NULL;
}

bool scan_cli_is_option(int code)
{
    switch (code) {
    case 'x':
    case 'X':
    case 'L':
    case 'D':
    case 'H':
    case 'l':
    case 'j':
    case 'q':
    case 'b':
    case SCAN_CLI_EXCLUDE:
    case SCAN_CLI_INODES:
        return true;
    default:
        return false;
    }
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, f);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, f, ap);
    va_end(ap);
    return s;
}

/* cannot_read: "cannot read 'PATH': strerror(e)", the path made printable */
static char *cannot_read(const char *path, int e)
{
    char *q = diag_quote(path, strlen(path));
    char *s = fmt("cannot read '%s': %s", q, strerror(e));
    free(q);
    return s;
}

static void add_exclude(struct scan_cli *c, const char *glob, size_t len)
{
    if (c->nexcludes == c->capexcludes) {
        c->capexcludes = c->capexcludes ? c->capexcludes * 2 : 8;
        c->excludes = xreallocarray(c->excludes, c->capexcludes, sizeof *c->excludes);
    }
    c->excludes[c->nexcludes++] = xmemdup(glob, len);
}

int scan_cli_read_excludes(struct scan_cli *c, const char *path, char **err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        *err = cannot_read(path, errno);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            n--;
        if (n > 0)
            add_exclude(c, line, (size_t)n);
    }
    free(line);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        *err = cannot_read(path, EIO);
        return -1;
    }
    return 0;
}

/* parse_threads: digits only (no sign, no blanks), 1 to 256 */
static int parse_threads(const char *arg, unsigned *out)
{
    if (arg[0] < '0' || arg[0] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v < 1 || v > 256)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int scan_cli_option(struct scan_cli *c, int code, const char *arg, char **err)
{
    switch (code) {
    case 'x':
        c->so.walk.one_file_system = true;
        return 0;
    case SCAN_CLI_EXCLUDE:
        add_exclude(c, arg, strlen(arg));
        return 0;
    case 'X':
        return scan_cli_read_excludes(c, arg, err);
    case 'L':
        c->so.walk.dereference = true;
        return 0;
    case 'D':
    case 'H':
        c->so.walk.dereference_args = true;
        return 0;
    case 'l':
        c->so.walk.count_links = true;
        return 0;
    case 'j':
        if (parse_threads(arg, &c->so.walk.threads) < 0) {
            *err = fmt("invalid --threads '%s': expected a number from 1 to 256", arg);
            return -1;
        }
        return 0;
    case 'q':
        c->quiet = true;
        return 0;
    case 'b':
        /* --inodes wins, whatever the order */
        if (c->weight != TREE_W_COUNT)
            c->weight = TREE_W_APPARENT;
        return 0;
    case SCAN_CLI_INODES:
        c->weight = TREE_W_COUNT;
        return 0;
    default:
        *err = fmt("unknown scan option %d", code);
        return -1;
    }
}

static void on_warn(void *ctx, const char *what, const char *path, int errnum)
{
    struct scan_cli *c = ctx;
    progress_clear(c->progress);
    char *q = diag_quote(path, strlen(path));
    if (errnum)
        diag_warn("%s '%s': %s", what, q, strerror(errnum));
    else
        diag_warn("%s '%s'", what, q);
    free(q);
}

void scan_cli_start(struct scan_cli *c)
{
    progress_free(c->progress);
    c->progress = progress_new(!c->quiet);
    c->so.walk.excludes = (const char *const *)c->excludes;
    c->so.walk.nexcludes = c->nexcludes;
    c->so.walk.warn = on_warn;
    c->so.walk.warn_ctx = c;
    c->so.walk.tick = progress_tick;
    c->so.walk.tick_ctx = c->progress;
}

void scan_cli_stop(struct scan_cli *c)
{
    progress_free(c->progress);
    c->progress = NULL;
}

int scan_cli_parse_format(const char *arg, enum scan_cli_format *f, char **err)
{
    if (strcmp(arg, "svg") == 0)
        *f = SCAN_CLI_FMT_SVG;
    else if (strcmp(arg, "html") == 0)
        *f = SCAN_CLI_FMT_HTML;
    else if (strcmp(arg, "folded") == 0)
        *f = SCAN_CLI_FMT_FOLDED;
    else if (strcmp(arg, "text") == 0 || strcmp(arg, "txt") == 0)
        *f = SCAN_CLI_FMT_TEXT;
    else {
        *err = fmt("invalid --format '%s': expected svg, html, folded or text", arg);
        return -1;
    }
    return 0;
}

enum scan_cli_format scan_cli_output_format(enum scan_cli_format f, const char *output)
{
    if (f != SCAN_CLI_FMT_AUTO)
        return f;
    const char *dot = output ? strrchr(output, '.') : NULL;
    if (dot && !strchr(dot, '/')) {
        if (strcmp(dot, ".svg") == 0)
            return SCAN_CLI_FMT_SVG;
        if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
            return SCAN_CLI_FMT_HTML;
        if (strcmp(dot, ".folded") == 0)
            return SCAN_CLI_FMT_FOLDED;
        if (strcmp(dot, ".txt") == 0)
            return SCAN_CLI_FMT_TEXT;
    }
    return !output && isatty(1) ? SCAN_CLI_FMT_TEXT : SCAN_CLI_FMT_SVG;
}
