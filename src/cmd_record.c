/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame record [OPTIONS] [--] [COMMAND...]: profile COMMAND (or a running
 * process, or the whole system) with `perf record`, read `perf script`'s
 * text through the perf collapser (collapse.h) into a tree and draw it,
 * in one go. perf runs without a shell (posix_spawn); its data goes to a
 * temporary file, removed afterwards unless --keep-data names where to keep
 * it.
 *
 * Exit status: 0; 1 when the graph was written but something was skipped;
 * 2 on bad usage, when perf is missing, may not record, or recorded nothing,
 * or on a write error.
 */
#include "cli.h"
#include "cmd.h"
#include "child.h"
#include "cmd_collapse.h"
#include "collapse.h"
#include "diag.h"
#include "folded.h"
#include "sink.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { OPT_CALL_GRAPH = CLI_OWN_BASE + 1, OPT_DURATION, OPT_KEEP };

static const struct option record_longs[] = {
    {"freq", required_argument, NULL, 'F'},
    {"pid", required_argument, NULL, 'p'},
    {"all-cpus", no_argument, NULL, 'a'},
    {"call-graph", required_argument, NULL, OPT_CALL_GRAPH},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"keep-data", required_argument, NULL, OPT_KEEP},
};

static const char usage[] =
    "usage: duflame record [OPTIONS] [--] COMMAND [ARG...]\n"
    "       duflame record [OPTIONS] -p PID | -a\n"
    "Profile COMMAND (or process PID, or every CPU) with perf record, and draw\n"
    "where the time went as a flame graph (default perf.html, the explorable page): perf record, "
    "perf\n"
    "script and stackcollapse-perf.pl's collapsing in one step. perf comes from\n"
    "Debian's linux-perf package; the event is cpu-clock.\n";

static const char record_help[] =
    "  -F, --freq HZ            samples per second (default 999)\n"
    "      --call-graph=fp|dwarf\n"
    "                           how perf walks the stacks: fp (frame pointers, the\n"
    "                           default) or dwarf. Debian's libraries are built\n"
    "                           without frame pointers, so their stacks stop early\n"
    "                           under fp: --call-graph=dwarf gives deeper stacks\n"
    "                           (larger data, slower perf script)\n"
    "  -p, --pid PID            record the running process PID instead of a COMMAND\n"
    "  -a, --all-cpus           record the whole system (needs root or\n"
    "                           kernel.perf_event_paranoid <= 0)\n"
    "      --duration S         stop after S seconds (without it, -p records until\n"
    "                           the process ends, -a until Ctrl-C)\n"
    "      --keep-data FILE     keep perf's data as FILE (default: removed)\n";

static const struct cli_command command = {"duflame record", usage, 0, SIZE_MAX, ""};

struct record {
    const char *freq, *pid, *keep, *duration_arg;
    bool all, dwarf;
    double duration;
    char **command;
};

static bool is_uint(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* one of record's own options: 0, or -1 with *err set */
static int record_apply(void *ctx, int code, const char *arg, char **err)
{
    struct record *r = ctx;
    char *end;
    switch (code) {
    case 'F':
        if (!is_uint(arg) || atoi(arg) <= 0)
            return cli_invalid(err, "-F", arg, "samples per second");
        r->freq = arg;
        return 0;
    case 'p':
        if (!is_uint(arg))
            return cli_invalid(err, "-p", arg, "a process id");
        r->pid = arg;
        return 0;
    case 'a':
        r->all = true;
        return 0;
    case OPT_CALL_GRAPH:
        if (strcmp(arg, "fp") != 0 && strcmp(arg, "dwarf") != 0)
            return cli_invalid(err, "--call-graph", arg, "fp or dwarf");
        r->dwarf = strcmp(arg, "dwarf") == 0;
        return 0;
    case OPT_DURATION:
        r->duration_arg = arg;
        r->duration = strtod(arg, &end);
        if (end == arg || *end || !(r->duration > 0) || r->duration > 1e7)
            return cli_invalid(err, "--duration", arg, "seconds");
        return 0;
    case OPT_KEEP:
        r->keep = arg;
        return 0;
    default:
        return 0;
    }
}

/* the command line; -1 to go on, else the exit status */
static int parse(struct record *r, struct cli_output *out, struct cli_picture *pic, int argc,
                 char **argv)
{
    struct cli_group groups[] = {
        {NULL, record_help, "F:p:a", record_longs, ARRAY_LEN(record_longs), record_apply, r},
        cli_output_group(out),
        cli_picture_group(pic),
    };
    /* the COMMAND's own options are not ours: stop at the first operand */
    setenv("POSIXLY_CORRECT", "1", 1);
    int first = 0;
    int status = cli_parse(&command, groups, ARRAY_LEN(groups), argc, argv, &first);
    unsetenv("POSIXLY_CORRECT");
    if (status >= 0)
        return status;
    r->command = argv + first;
    bool cmd = first < argc;
    if ((r->pid != NULL) + r->all + cmd != 1) {
        diag_warn("%s", cmd ? "give a COMMAND, or -p PID, or -a, not several"
                            : "what to record? give a COMMAND, -p PID or -a");
        diag_warn("try 'duflame record --help'");
        return 2;
    }
    return -1;
}

static int paranoid_level(void)
{
    FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
    int v = 2;
    if (f) {
        if (fscanf(f, "%d", &v) != 1)
            v = 2;
        fclose(f);
    }
    return v;
}

/* what to tell a user whom perf_event_paranoid stops; 0 when nothing does */
static int check_paranoid(const struct record *r)
{
    if (geteuid() == 0)
        return 0;
    int v = paranoid_level();
    int need = r->all ? 0 : 2;
    if (v <= need)
        return 0;
    diag_warn("kernel.perf_event_paranoid is %d, which does not let this user record%s: "
              "run as root, or as root set 'sysctl kernel.perf_event_paranoid=%d'",
              v, r->all ? " every CPU" : "", need < 1 ? need : 1);
    return 2;
}

/* perf record's command line */
static char **record_argv(const struct record *r, const char *data)
{
    size_t n = 0;
    while (r->command[n])
        n++;
    char **v = xcalloc(n + 20, sizeof *v);
    size_t k = 0;
    v[k++] = "perf";
    v[k++] = "record";
    v[k++] = "-q";
    v[k++] = "-e";
    v[k++] = "cpu-clock";
    v[k++] = "-F";
    v[k++] = (char *)(r->freq ? r->freq : "999");
    v[k++] = "--call-graph";
    v[k++] = r->dwarf ? "dwarf" : "fp";
    v[k++] = "-o";
    v[k++] = (char *)data;
    if (r->pid || r->all) {
        if (r->pid) {
            v[k++] = "-p";
            v[k++] = (char *)r->pid;
        } else {
            v[k++] = "-a";
        }
        if (r->duration_arg) {
            /* perf's own timing: it starts after perf's setup, which
             * can take seconds on a busy machine */
            v[k++] = "--";
            v[k++] = "sleep";
            v[k++] = (char *)r->duration_arg;
        }
    } else {
        v[k++] = "--";
        for (size_t i = 0; i < n; i++)
            v[k++] = r->command[i];
    }
    v[k] = NULL;
    return v;
}

/* wait for pid; after duration seconds (> 0) send it SIGINT, as Ctrl-C
 * would. Returns the wait status. */
static int wait_for(pid_t pid, double duration)
{
    int st = 0;
    if (duration > 0) {
        struct timespec t0, now, nap = {0, 20 * 1000 * 1000};
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
            pid_t w = waitpid(pid, &st, WNOHANG);
            if (w == pid)
                return st;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
            if (el >= duration)
                break;
            nanosleep(&nap, NULL);
        }
        kill(pid, SIGINT);
    }
    return child_wait(pid);
}

static int run_record(const struct record *r, const char *data)
{
    char **argv = record_argv(r, data);
    pid_t pid;
    /* Ctrl-C stops perf record, which then writes its data: duflame goes on */
    void (*old)(int) = signal(SIGINT, SIG_IGN);
    int rc = child_start(argv, &pid, NULL);
    free(argv);
    if (rc != 0) {
        signal(SIGINT, old);
        diag_warn("cannot run perf: %s", strerror(rc));
        return 2;
    }
    int st = child_status(wait_for(pid, r->pid || r->all ? 0 : r->duration));
    signal(SIGINT, old);
    struct stat sb;
    if (stat(data, &sb) != 0 || sb.st_size == 0) {
        diag_warn("perf record recorded nothing (exit status %d)%s", st,
                  geteuid() == 0 ? "" : "; is kernel.perf_event_paranoid too strict?");
        return 2;
    }
    return 0;
}

static int emit_folded(void *arg, const char *line, size_t len)
{
    folded_reader_line(arg, line, len);
    return 0;
}

/* perf script -i data, collapsed into r */
static int read_script(const char *data, struct collapse *c)
{
    char *argv[] = {"perf", "script", "-i", (char *)data, NULL};
    pid_t pid;
    int fd;
    int rc = child_start(argv, &pid, &fd);
    if (rc != 0) {
        diag_warn("cannot run perf script: %s", strerror(rc));
        return 2;
    }
    FILE *in = fdopen(fd, "rb");
    int status = 0;
    if (!in || collapse_read(c, in) != 0) {
        diag_warn("cannot read perf script's output: %s", strerror(errno ? errno : EIO));
        status = 1;
    }
    if (in)
        fclose(in);
    else
        close(fd);
    int st = child_status(child_wait(pid));
    if (st != 0) {
        diag_warn("perf script failed (exit status %d)", st);
        status = 1;
    }
    return status;
}

/* the data file: --keep-data's name, or a new temporary one */
static char *data_path(const struct record *r)
{
    if (r->keep)
        return xstrdup(r->keep);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/duflame-perf.XXXXXX", dir);
    int fd = mkstemp(p);
    if (fd < 0) {
        diag_warn("cannot create a temporary file in '%s': %s", dir, strerror(errno));
        free(p);
        return NULL;
    }
    close(fd);
    return p;
}

static int draw(struct cli_output *out, struct cli_picture *pic, struct folded_reader *fr,
                int status)
{
    pic->fo.diff = false;
    struct tree *t = folded_reader_finish(fr);
    if (!out->output)
        out->output = out->format == &sink_svg ? "perf.svg" : "perf.html";
    /* the explorable page by default, -f html or -o x.html; else the SVG */
    struct sink_job job = {.t = t, .fo = &pic->fo, .max_entries = out->max_entries};
    int w = cli_write(out, cli_format(out, &sink_html), &job);
    tree_free(t);
    return w > status ? w : status;
}

/* record, read back, draw: the exit status */
static int record(struct record *r, struct cli_output *out, struct cli_picture *pic)
{
    if (!util_on_path("perf")) {
        diag_warn("perf is not installed: as root, 'apt-get install linux-perf' (Debian)");
        return 2;
    }
    if (check_paranoid(r))
        return 2;
    char *data = data_path(r);
    if (!data)
        return 2;
    int status = run_record(r, data);
    if (status == 0) {
        struct collapse_opts co = {0};
        struct folded_reader *fr = folded_reader_new(NULL);
        struct collapse *c = collapse_new(COLLAPSE_PERF, &co, emit_folded, fr);
        status = read_script(data, c);
        collapse_finish(c);
        const char *names[] = {"perf script"};
        int rs;
        if (collapse_get_stats(c)->records == 0) {
            diag_warn("perf recorded no samples: did the command run long enough? (-F HZ "
                      "samples more often)");
            rs = 2;
        } else {
            rs = cmd_collapse_report(c, COLLAPSE_PERF, names, false);
        }
        collapse_free(c);
        if (rs == 2) {
            folded_reader_free(fr);
            status = 2;
        } else {
            status = draw(out, pic, fr, rs > status ? rs : status);
        }
    }
    if (!r->keep)
        unlink(data);
    free(data);
    return status;
}

int cmd_record(int argc, char **argv)
{
    struct record r = {0};
    struct cli_output out;
    struct cli_picture pic;
    cli_output_init(&out, false);
    cli_output_pictures(&out, &sink_html);
    cli_picture_init(&pic);
    int status = parse(&r, &out, &pic, argc, argv);
    if (status < 0)
        status = record(&r, &out, &pic);
    cli_output_release(&out);
    return status;
}
