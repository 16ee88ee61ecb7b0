/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * collapse: profilers' multi-line stack text turned into folded stacks
 * ("frame;frame;frame COUNT"), byte for byte as FlameGraph's stackcollapse
 * scripts print them, without Perl.
 *
 *   COLLAPSE_PERF      `perf script` text, as stackcollapse-perf.pl (its
 *                      options are in struct collapse_opts; collapse_perf.c)
 *   COLLAPSE_DTRACE    DTrace's aggregated stacks, as stackcollapse.pl
 *                      (collapse_dtrace.c)
 *   COLLAPSE_BPFTRACE  bpftrace's printed stack maps, as
 *                      stackcollapse-bpftrace.pl (collapse_bpftrace.c)
 *
 * Input is streamed line by line (any length, any bytes; several inputs are
 * one stream, as Perl's <> reads them). perf and DTrace stacks are summed in
 * a hash of distinct stacks, so memory follows the number of distinct stacks,
 * not the input size, and are emitted at collapse_finish() sorted by their
 * bytes (Perl's `sort { $a cmp $b }`), counts added as Perl adds them (exact
 * up to 2^64 - 1, then a double printed as "%.15g"). bpftrace lines are
 * emitted as they complete, in input order, unsummed, as that script does.
 *
 * Each output line goes to the caller's emit function without its '\n'.
 * What the scripts would warn about or silently drop is counted in struct
 * collapse_stats for the caller to report: lines of no known form
 * ("Unrecognized line" in stackcollapse-perf.pl), a last record cut off
 * before its end, samples of other events than the one kept.
 *
 * Library code: nothing is printed and nothing exits; --inline's addr2line is
 * the caller's, through collapse_opts.inline_fn. Not thread-safe: one
 * collapse per thread.
 */
#ifndef DUFLAME_COLLAPSE_H
#define DUFLAME_COLLAPSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "names.h"

enum collapse_kind { COLLAPSE_PERF, COLLAPSE_DTRACE, COLLAPSE_BPFTRACE };

/* collapse_inline_fn: --inline's lookup of one frame: the frames that
 * `addr2line -a PC -e MOD -i -f -s -C` reports for it, outermost first,
 * joined with ';' (with --context each is "FUNC:FILE:LINE"), appended to
 * out. rawfunc is the symbol as perf printed it ("main+0x1a"), for a
 * fallback through the symbol's address. All strings are NUL-terminated.
 * Returns 0, or -1 when nothing could be found (then the frame is read as
 * without --inline). */
typedef int (*collapse_inline_fn)(void *arg, const char *pc, const char *rawfunc, const char *mod,
                                  struct name_buf *out);

/* stackcollapse-perf.pl's options, under its names */
struct collapse_opts {
    bool pid;                     /* --pid: "comm-PID" */
    bool tid;                     /* --tid: "comm-PID/TID" */
    bool kernel;                  /* --kernel: kernel frames get "_[k]" */
    bool jit;                     /* --jit: frames from /tmp/perf-PID.map get "_[j]" */
    bool addrs;                   /* --addrs: "[dso <addr>]" for unknown symbols */
    bool srcline;                 /* --srcline: input from perf script -F+srcline */
    const char *event_filter;     /* --event-filter: NULL or "" for the first event */
    collapse_inline_fn inline_fn; /* --inline: NULL when off */
    void *inline_arg;
};

/* collapse_emit_fn: one output line (no '\n'); return nonzero to make
 * collapse_finish fail (a write error) */
typedef int (*collapse_emit_fn)(void *arg, const char *line, size_t len);

struct collapse_stats {
    uint64_t lines;                    /* lines read */
    uint64_t records;                  /* stacks counted (samples, DTrace/bpftrace stacks) */
    uint64_t stacks;                   /* distinct stacks emitted */
    uint64_t unrecognized;             /* lines of no known form */
    uint64_t first_unrecognized;       /* its line number in its input (1-based), 0 if none */
    unsigned first_unrecognized_input; /* which collapse_read call (0-based) */
    uint64_t filtered;                 /* perf samples of an event other than the one kept */
    bool truncated;                    /* the input ended inside a record (dropped) */
    char event[64];                    /* the perf event kept ("" if none seen), cut to fit */
    char other_event[64];              /* the first other event seen, "" if none */
};

struct collapse;

/* collapse_new: a collapser of kind k; o may be NULL (defaults). The strings
 * in o must outlive the collapser. */
struct collapse *collapse_new(enum collapse_kind k, const struct collapse_opts *o,
                              collapse_emit_fn emit, void *emit_arg);

/* collapse_read: feed every line of in. Returns 0, or -1 on a read error
 * (errno set; lines read so far count). Each call is one more input for the
 * line numbers in the statistics. */
int collapse_read(struct collapse *c, FILE *in);

/* collapse_skip_input: count an input that could not be opened */
void collapse_skip_input(struct collapse *c);

/* collapse_line: feed one line (without its '\n'; any bytes) */
void collapse_line(struct collapse *c, const char *s, size_t n);

/* collapse_finish: end of input: emit the summed stacks (sorted). Returns 0,
 * or -1 when emit failed. Call once. */
int collapse_finish(struct collapse *c);

const struct collapse_stats *collapse_get_stats(const struct collapse *c);

void collapse_free(struct collapse *c);

/* what the start of an input looks like (collapse_sniff) */
enum collapse_guess {
    COLLAPSE_GUESS_OTHER,     /* none of these: folded stacks, or unknown */
    COLLAPSE_GUESS_PERF,      /* `perf script` text */
    COLLAPSE_GUESS_PERF_DATA, /* a perf.data file ("PERFILE2") */
    COLLAPSE_GUESS_BPFTRACE,  /* bpftrace's output ("Attaching ...", "@[") */
};

/* collapse_sniff: a guess from the first n bytes of an input (a few KiB
 * are enough; a cut last line is ignored). perf text: the first line that
 * is not blank or a '#' comment is a sample's header (as
 * stackcollapse-perf.pl reads one) ending in "EVENT:", or followed by a
 * frame line. */
enum collapse_guess collapse_sniff(const char *head, size_t n);

/* --- the pieces the per-format readers share (collapse.c) ------------- */

/* collapse_is_space: Perl's \s on bytes: space, \t, \n, \v, \f, \r */
static inline bool collapse_is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool collapse_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* collapse_is_word: Perl's \w on bytes: [A-Za-z0-9_] */
static inline bool collapse_is_word(unsigned char c)
{
    return collapse_is_digit(c) || c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* collapse_record: add COUNT (a run of ASCII digits, as Perl's "+=" reads
 * it) to STACK; in streaming mode (bpftrace) the line is emitted at once */
void collapse_record(struct collapse *c, const char *stack, size_t len, const char *count,
                     size_t clen);

/* collapse_unrecognized: count one line of no known form */
void collapse_unrecognized(struct collapse *c);

/* collapse_stats_mut: the statistics, for the readers to fill */
struct collapse_stats *collapse_stats_mut(struct collapse *c);

/* A stack being read, innermost frame first: the frames' bytes in fb, each
 * frame an (offset, length) pair in fr. The dtrace and bpftrace readers
 * collect a stack a line at a time and record it when its count comes. */
struct collapse_frames {
    struct name_buf fb;
    size_t (*fr)[2];
    size_t n, cap;
};

void collapse_frames_push(struct collapse_frames *f, const char *s, size_t n);
/* collapse_frames_reverse: put frames first..n-1 in the opposite order */
void collapse_frames_reverse(struct collapse_frames *f, size_t first);
/* collapse_frames_record: record the stack, outermost frame first and joined
 * with ';', with COUNT into c (key is scratch space), and empty f */
void collapse_frames_record(struct collapse_frames *f, struct collapse *c, struct name_buf *key,
                            const char *count, size_t clen);
void collapse_frames_release(struct collapse_frames *f);

#endif
