/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame collapse perf|dtrace|bpftrace [OPTIONS] [FILE...]: a profiler's
 * stack text from the FILEs (or standard input) as folded stacks, the same
 * bytes as FlameGraph's stackcollapse-perf.pl, stackcollapse.pl and
 * stackcollapse-bpftrace.pl print (collapse.h).
 *
 * --inline runs addr2line (and nm) as those scripts do, without a shell,
 * once per distinct address and module.
 *
 * Exit status: 0; 1 when the output was written but an input could not be
 * read, lines of no known form were skipped or the input ended inside a
 * record; 2 on bad usage, no record at all, or a write error (then no output
 * file is left behind).
 */
#include "child.h"
#include "cmd.h"
#include "cmd_collapse.h"
#include "collapse.h"
#include "diag.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_HELP = 0x100,
    OPT_PID,
    OPT_TID,
    OPT_KERNEL,
    OPT_JIT,
    OPT_ALL,
    OPT_ADDRS,
    OPT_INLINE,
    OPT_CONTEXT,
    OPT_SRCLINE,
    OPT_EVENT,
};

static const struct option collapse_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {"pid", no_argument, NULL, OPT_PID},
    {"tid", no_argument, NULL, OPT_TID},
    {"kernel", no_argument, NULL, OPT_KERNEL},
    {"jit", no_argument, NULL, OPT_JIT},
    {"all", no_argument, NULL, OPT_ALL},
    {"addrs", no_argument, NULL, OPT_ADDRS},
    {"inline", no_argument, NULL, OPT_INLINE},
    {"context", no_argument, NULL, OPT_CONTEXT},
    {"srcline", no_argument, NULL, OPT_SRCLINE},
    {"event-filter", required_argument, NULL, OPT_EVENT},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: duflame collapse perf [OPTIONS] [FILE...]\n"
    "       duflame collapse dtrace [-o FILE] [FILE...]\n"
    "       duflame collapse bpftrace [-o FILE] [FILE...]\n"
    "Turn a profiler's stacks into folded stacks (\"frame;frame COUNT\"), the input of\n"
    "duflame render and flamegraph.pl: the same bytes as FlameGraph's\n"
    "stackcollapse-perf.pl, stackcollapse.pl (DTrace) and stackcollapse-bpftrace.pl.\n"
    "Reads each FILE, or standard input when there is none or FILE is -.\n"
    "\n"
    "  -o, --output FILE     write to FILE (default standard output)\n"
    "  -h, --help            this help\n"
    "\n"
    "perf (the text of `perf script`; counts are the samples' periods):\n"
    "      --pid             include the PID with the process name [1]\n"
    "      --tid             include the PID and TID with the process name [1]\n"
    "      --kernel          mark kernel frames with _[k]\n"
    "      --jit             mark JIT frames (from /tmp/perf-PID.map) with _[j]\n"
    "      --all             both --kernel and --jit\n"
    "      --addrs           keep the address of frames without a symbol\n"
    "      --inline          expand inlined functions with addr2line (binutils)\n"
    "      --context         with --inline, add each frame's source file and line\n"
    "      --srcline         read `perf script -F+srcline` output: add source lines\n"
    "      --event-filter=EVENT  keep the samples of EVENT (default: the first\n"
    "                        event in the input)\n"
    "[1] perf script must print both, e.g.\n"
    "    perf script -F comm,pid,tid,cpu,time,event,ip,sym,dso,trace\n";

/* --- --inline: addr2line and nm, as stackcollapse-perf.pl runs them ----- */

struct a2l_entry {
    char *key; /* "PC\nMOD" */
    char *value;
};

struct a2l {
    bool context;
    struct a2l_entry *v;
    size_t n, cap;
    struct a2l_entry *nm; /* MOD -> nm's output */
    size_t nnm, capnm;
};

/* run argv (no shell), its standard output into out; 0 when it ran */
static int run_capture(char *const argv[], struct name_buf *out)
{
    pid_t pid;
    int fd;
    if (child_start(argv, &pid, &fd) != 0)
        return -1;
    char buf[8192];
    for (ssize_t got; (got = read(fd, buf, sizeof buf)) != 0;) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        name_buf_add(out, buf, (size_t)got);
    }
    close(fd);
    child_wait(pid);
    return 0;
}

static const char *cache_get(struct a2l_entry *v, size_t n, const char *key)
{
    for (size_t i = n; i-- > 0;)
        if (strcmp(v[i].key, key) == 0)
            return v[i].value;
    return NULL;
}

static void cache_put(struct a2l_entry **v, size_t *n, size_t *cap, char *key, const char *value)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = xreallocarray(*v, *cap, sizeof **v);
    }
    (*v)[*n].key = key;
    (*v)[(*n)++].value = xstrdup(value);
}

/* addr2line's answer without its first line (the address) */
static void addr2line(const char *pc, const char *mod, struct name_buf *out)
{
    char *argv[] = {"addr2line", "-a", (char *)pc, "-e", (char *)mod, "-i", "-f", "-s", "-C", NULL};
    struct name_buf raw = {0};
    name_buf_add(&raw, "", 0);
    run_capture(argv, &raw);
    const char *nl = memchr(raw.s, '\n', raw.len);
    if (nl)
        name_buf_add(out, nl + 1, raw.len - (size_t)(nl + 1 - raw.s));
    name_buf_release(&raw);
}

/* s/ \(discriminator \S+\)//: the first such note whose non-space run
 * holds a ')' after its first byte, up to the last such ')' */
static void drop_discriminator(struct name_buf *line)
{
    for (char *d = line->s; (d = strstr(d, " (discriminator ")); d++) {
        char *r = d + 16;
        while (*r && !collapse_is_space((unsigned char)*r))
            r++;
        char *close = NULL;
        for (char *p = d + 17; p < r; p++)
            if (*p == ')')
                close = p;
        if (close) {
            memmove(d, close + 1, strlen(close + 1) + 1);
            line->len = strlen(line->s);
            return;
        }
    }
}

/* the frames of addr2line's function / FILE:LINE pairs, outermost first */
static void a2l_frames(const struct a2l *a, const char *text, size_t len, struct name_buf *out)
{
    struct name_buf parts = {0}, one = {0};
    size_t *offs = NULL, noffs = 0;
    bool have_one = false;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        struct name_buf line = {0};
        name_buf_add(&line, text + i, e - i);
        drop_discriminator(&line);
        if (!have_one) {
            name_buf_reset(&one);
            name_buf_add(&one, line.s, line.len);
            have_one = line.len > 0;
        } else {
            offs = xreallocarray(offs, noffs + 2, sizeof *offs);
            offs[noffs++] = parts.len;
            name_buf_add(&parts, one.s, one.len);
            if (a->context) {
                name_buf_addc(&parts, ':');
                name_buf_add(&parts, line.s, line.len);
            }
            offs[noffs] = parts.len;
            have_one = false;
        }
        name_buf_release(&line);
        i = e + 1;
    }
    for (size_t k = noffs; k-- > 0;) {
        if (k + 1 < noffs)
            name_buf_addc(out, ';');
        name_buf_add(out, parts.s + offs[k], offs[k + 1] - offs[k]);
    }
    free(offs);
    name_buf_release(&parts);
    name_buf_release(&one);
}

/* nm's address of func in mod, as "0x..." plus off; false if not found */
static bool nm_address(struct a2l *a, const char *mod, const char *func, unsigned long long off,
                       char *pc, size_t pcsize)
{
    const char *text = cache_get(a->nm, a->nnm, mod);
    if (!text) {
        struct name_buf o = {0};
        name_buf_add(&o, "", 0);
        char *argv[] = {"nm", (char *)mod, NULL};
        run_capture(argv, &o);
        cache_put(&a->nm, &a->nnm, &a->capnm, xstrdup(mod), o.s);
        name_buf_release(&o);
        text = a->nm[a->nnm - 1].value;
    }
    size_t fl = strlen(func);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        /* "HEX T NAME" */
        size_t h = 0;
        while (h < len && ((p[h] >= '0' && p[h] <= '9') || (p[h] >= 'a' && p[h] <= 'f')))
            h++;
        if (h > 0 && h + 3 + fl == len && p[h] == ' ' && p[h + 2] == ' ' &&
            memcmp(p + h + 3, func, fl) == 0) {
            unsigned long long base = strtoull(p, NULL, 16);
            snprintf(pc, pcsize, "0x%llx", base + off);
            return true;
        }
        p += len + (nl ? 1 : 0);
    }
    return false;
}

static void a2l_resolve(struct a2l *a, const char *pc, const char *rawfunc, const char *mod,
                        struct name_buf *out)
{
    struct name_buf text = {0};
    name_buf_add(&text, "", 0);
    addr2line(pc, mod, &text);
    if (strstr(text.s, "??\n??:0")) {
        /* addr2line knows nothing: try the symbol's address plus offset */
        const char *plus = strrchr(rawfunc, '+');
        if (plus && plus > rawfunc && plus[1] == '0' && plus[2] == 'x' && plus[3] &&
            strspn(plus + 3, "0123456789abcdef") == strlen(plus + 3)) {
            char *func = xmemdup(rawfunc, (size_t)(plus - rawfunc));
            char npc[40];
            if (nm_address(a, mod, func, strtoull(plus + 3, NULL, 16), npc, sizeof npc)) {
                free(func);
                name_buf_release(&text);
                a2l_resolve(a, npc, "", mod, out);
                return;
            }
            free(func);
        }
    }
    a2l_frames(a, text.s, text.len, out);
    name_buf_release(&text);
}

static int a2l_lookup(void *arg, const char *pc, const char *rawfunc, const char *mod,
                      struct name_buf *out)
{
    struct a2l *a = arg;
    size_t kl = strlen(pc) + strlen(mod) + 2;
    char *key = xmalloc(kl);
    snprintf(key, kl, "%s\n%s", pc, mod);
    const char *hit = cache_get(a->v, a->n, key);
    if (hit) {
        free(key);
        name_buf_addstr(out, hit);
        return 0;
    }
    struct name_buf r = {0};
    name_buf_add(&r, "", 0);
    a2l_resolve(a, pc, rawfunc, mod, &r);
    cache_put(&a->v, &a->n, &a->cap, key, r.s);
    name_buf_add(out, r.s, r.len);
    name_buf_release(&r);
    return 0;
}

static void a2l_free(struct a2l *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].key), free(a->v[i].value);
    for (size_t i = 0; i < a->nnm; i++)
        free(a->nm[i].key), free(a->nm[i].value);
    free(a->v);
    free(a->nm);
}

/* --- reading and reporting ---------------------------------------------- */

/* the output committed, or removed after a failure (said); the status */
static int finish_output(struct out *o, const char *output, bool failed, int status)
{
    const char *name = output ? output : "standard output";
    int e = 0;
    if (failed || ferror(o->fp)) {
        e = errno ? errno : EIO;
        out_abort(o);
    } else if (out_commit(o) < 0) {
        e = errno;
    }
    if (!e)
        return status;
    char *q = diag_quote(name, strlen(name));
    diag_warn("cannot write '%s': %s", q, strerror(e));
    free(q);
    return 2;
}

static int emit_file(void *arg, const char *line, size_t len)
{
    FILE *f = arg;
    if (fwrite(line, 1, len, f) != len || putc('\n', f) == EOF)
        return -1;
    return 0;
}

const char *cmd_collapse_kind_name(enum collapse_kind k)
{
    return k == COLLAPSE_PERF ? "perf" : k == COLLAPSE_DTRACE ? "dtrace" : "bpftrace";
}

static const char *kind_text(enum collapse_kind k)
{
    return k == COLLAPSE_PERF     ? "`perf script` text"
           : k == COLLAPSE_DTRACE ? "DTrace stacks"
                                  : "bpftrace stacks";
}

int cmd_collapse_report(const struct collapse *c, enum collapse_kind k, const char *const *names,
                        bool quiet_event)
{
    const struct collapse_stats *st = collapse_get_stats(c);
    int status = 0;
    if (st->unrecognized) {
        const char *name = names[st->first_unrecognized_input];
        char *q = diag_quote(name, strlen(name));
        diag_warn("skipped %llu line%s that %s not %s, the first at '%s' line %llu",
                  (unsigned long long)st->unrecognized, st->unrecognized == 1 ? "" : "s",
                  st->unrecognized == 1 ? "is" : "are", kind_text(k), q,
                  (unsigned long long)st->first_unrecognized);
        free(q);
        status = 1;
    }
    if (st->truncated) {
        diag_warn("the input ends inside a record (cut short?): its last stack was dropped");
        status = 1;
    }
    if (st->filtered && !quiet_event) {
        char *a = diag_quote(st->event, strlen(st->event));
        char *b = diag_quote(st->other_event, strlen(st->other_event));
        diag_warn("kept the samples of the first event, '%s'; %llu of other events (such as "
                  "'%s') left out: choose with --event-filter",
                  a, (unsigned long long)st->filtered, b);
        free(a);
        free(b);
    }
    if (st->records == 0) {
        diag_warn("no stacks found: the input is not %s (try 'duflame collapse %s --help')",
                  kind_text(k), cmd_collapse_kind_name(k));
        return 2;
    }
    return status;
}

int cmd_collapse_inputs(struct collapse *c, int n, char *const *files, const char **names)
{
    int status = 0;
    for (int i = 0; i < (n ? n : 1); i++) {
        const char *name = n ? files[i] : "-";
        bool is_stdin = strcmp(name, "-") == 0;
        names[i] = is_stdin ? "standard input" : name;
        FILE *in = is_stdin ? stdin : fopen(name, "rb");
        if (!in) {
            char *q = diag_quote(name, strlen(name));
            diag_warn("cannot read '%s': %s", q, strerror(errno));
            free(q);
            status = 1;
            collapse_skip_input(c); /* keeps the inputs' numbers in step with names[] */
            continue;
        }
        errno = 0;
        if (collapse_read(c, in) != 0) {
            char *q = diag_quote(names[i], strlen(names[i]));
            diag_warn("cannot read '%s': %s", q, strerror(errno ? errno : EIO));
            free(q);
            status = 1;
        }
        if (is_stdin)
            clearerr(stdin);
        else
            fclose(in);
    }
    return status;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_warn("%s", msg);
    diag_warn("try 'duflame collapse --help'");
    return 2;
}

static bool parse_kind(const char *s, enum collapse_kind *k)
{
    if (strcmp(s, "perf") == 0)
        *k = COLLAPSE_PERF;
    else if (strcmp(s, "dtrace") == 0)
        *k = COLLAPSE_DTRACE;
    else if (strcmp(s, "bpftrace") == 0)
        *k = COLLAPSE_BPFTRACE;
    else
        return false;
    return true;
}

struct collapse_cmd {
    struct collapse_opts o;
    bool use_inline, context, perf_only;
    const char *output;
};

/* one option; 1 for --help, -1 for a usage error, else 0 */
static int one_option(struct collapse_cmd *cc, int opt, char **argv)
{
    if (opt >= OPT_PID)
        cc->perf_only = true;
    switch (opt) {
    case 'o':
        cc->output = optarg;
        return 0;
    case 'h':
    case OPT_HELP:
        return 1;
    case OPT_PID:
        cc->o.pid = true;
        return 0;
    case OPT_TID:
        cc->o.tid = true;
        return 0;
    case OPT_KERNEL:
        cc->o.kernel = true;
        return 0;
    case OPT_JIT:
        cc->o.jit = true;
        return 0;
    case OPT_ALL:
        cc->o.kernel = cc->o.jit = true;
        return 0;
    case OPT_ADDRS:
        cc->o.addrs = true;
        return 0;
    case OPT_INLINE:
        cc->use_inline = true;
        return 0;
    case OPT_CONTEXT:
        cc->context = true;
        return 0;
    case OPT_SRCLINE:
        cc->o.srcline = true;
        return 0;
    case OPT_EVENT:
        cc->o.event_filter = optarg;
        return 0;
    case ':':
        usage_error("option '%s' needs an argument", argv[optind - 1]);
        return -1;
    default:
        if (optopt && optopt < 0x100) {
            char o[3] = {'-', (char)optopt, 0};
            usage_error("unknown option '%s'", o);
        } else {
            usage_error("unknown option '%s'", argv[optind - 1]);
        }
        return -1;
    }
}

int cmd_collapse(int argc, char **argv)
{
    struct collapse_cmd cc = {0};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:h", collapse_options, NULL)) != -1) {
        int r = one_option(&cc, opt, argv);
        if (r > 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (r < 0)
            return 2;
    }
    if (optind >= argc)
        return usage_error("which input? perf, dtrace or bpftrace");
    enum collapse_kind kind;
    if (!parse_kind(argv[optind], &kind))
        return usage_error("unknown input kind '%s' (perf, dtrace or bpftrace)", argv[optind]);
    /* getopt_long has moved the options after the kind before it */
    int first = optind++;
    if (cc.perf_only && kind != COLLAPSE_PERF)
        return usage_error("the options of 'collapse perf' do not apply to '%s'", argv[first]);
    struct a2l a2l = {.context = cc.context};
    if (cc.use_inline) {
        if (!util_on_path("addr2line")) {
            diag_warn("--inline needs addr2line, which is not installed (Debian: apt-get "
                      "install binutils)");
            return 2;
        }
        cc.o.inline_fn = a2l_lookup;
        cc.o.inline_arg = &a2l;
    }
    struct out o;
    if (out_open(&o, cc.output) < 0) {
        char *q = diag_quote(cc.output, strlen(cc.output));
        diag_warn("cannot write '%s': %s", q, strerror(errno));
        free(q);
        return 2;
    }
    struct collapse *c = collapse_new(kind, &cc.o, emit_file, o.fp);
    int nfiles = argc - optind;
    const char **names = xcalloc((size_t)(nfiles ? nfiles : 1), sizeof *names);
    int status = cmd_collapse_inputs(c, nfiles, argv + optind, names);
    bool failed = collapse_finish(c) != 0;
    bool quiet = cc.o.event_filter && *cc.o.event_filter;
    int rs = cmd_collapse_report(c, kind, names, quiet);
    collapse_free(c);
    free(names);
    a2l_free(&a2l);
    if (rs == 2) {
        out_abort(&o);
        return 2;
    }
    return finish_output(&o, cc.output, failed, rs > status ? rs : status);
}
