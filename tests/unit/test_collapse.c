/* SPDX-License-Identifier: BSD-2-Clause */
/* The collapsers fed line by line: sums as Perl adds them, sorting, the
 * perf header and frame rules at their edges, --inline through a stand-in
 * lookup, and what is counted as unrecognised or cut off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collapse.h"

static int emit(void *arg, const char *line, size_t len)
{
    fwrite(line, 1, len, arg);
    fputc('\n', arg);
    return 0;
}

/* run: text through a collapser of kind k; the output (caller frees) */
static char *run(enum collapse_kind k, const struct collapse_opts *o, const char *text,
                 struct collapse_stats *st)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *w = open_memstream(&mem, &len);
    struct collapse *c = collapse_new(k, o, emit, w);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        collapse_line(c, p, n);
        p += n + (nl ? 1 : 0);
    }
    assert_int_equal(collapse_finish(c), 0);
    if (st)
        *st = *collapse_get_stats(c);
    collapse_free(c);
    fclose(w);
    return mem;
}

static void expect(enum collapse_kind k, const struct collapse_opts *o, const char *in,
                   const char *want)
{
    char *got = run(k, o, in, NULL);
    assert_string_equal(got, want);
    free(got);
}

static void test_perl_sums(void **state)
{
    (void)state;
    /* exact to 2^64 - 1, then a double as Perl prints it */
    expect(COLLAPSE_DTRACE, NULL,
           "h\nh\nh\na\n18446744073709551614\na\n1\nb\n18446744073709551615\nb\n1\n",
           "a 18446744073709551615\nb 1.84467440737096e+19\n");
    expect(COLLAPSE_DTRACE, NULL, "h\nh\nh\nc\n99999999999999999999\nc\n007\n", "c 1e+20\n");
    /* a count or a sum past the largest double stays the largest finite one */
    char in[700] = "h\nh\nh\nd\n";
    memset(in + strlen(in), '9', 400);
    strcat(in, "\nd\n1\n");
    expect(COLLAPSE_DTRACE, NULL, in, "d 1.79769313486232e+308\n");
    /* leading zeros count as the number; an empty stack is a key too */
    expect(COLLAPSE_DTRACE, NULL, "h\nh\nh\n 0012\nx\n3\n", " 12\nx 3\n");
}

static void test_perf_headers(void **state)
{
    (void)state;
    struct collapse_opts tid = {.tid = true};
    /* comm with spaces; pid/tid; tid 0 reads as no tid; a bare pid */
    expect(COLLAPSE_PERF, &tid,
           "a b c 5/6 [000] 1.0: 2 cpu-clock:\n\t1 f (/x)\n\n"
           "zz 5/0 1.0: 2 cpu-clock:\n\t1 f (/x)\n\n"
           "yy 7 1.0: 2 cpu-clock:\n\n",
           "a_b_c-5/6;f 2\nyy-?/7 2\nzz-?/5;f 2\n");
    /* a header without a blank line before the next one: the frames go on */
    expect(COLLAPSE_PERF, NULL,
           "aa 1 1.0: 1 cpu-clock:\n\t1 f (/x)\nbb 2 1.0: 4 cpu-clock:\n\t1 g (/x)\n\n",
           "bb;g;f 4\n");
}

static void test_perf_frames(void **state)
{
    (void)state;
    /* the symbol is the one byte before " (" when nothing else is left; a
     * frame starting with '(' is a process name and dropped; "->" chains */
    expect(COLLAPSE_PERF, NULL,
           "pp 1 1.0: 1 cpu-clock:\n\t7f12 (x)\n\t1 (proc) (/x)\n\t2 a->->b-> (/x)\n\n",
           "pp;a;_[i];b_[i];2 1\n");
    /* offsets are only lower-case hex at the end */
    expect(COLLAPSE_PERF, NULL, "pp 1 1.0: 1 cpu-clock:\n\t1 f+0xAB (/x)\n\t2 g+0x1f (/x)\n\n",
           "pp;g;f+0xAB 1\n");
}

static int fake_inline(void *arg, const char *pc, const char *rawfunc, const char *mod,
                       struct name_buf *out)
{
    (void)arg;
    (void)rawfunc;
    if (strcmp(mod, "/bin/a") == 0 && strcmp(pc, "10") == 0)
        name_buf_addstr(out, "outer;inner");
    else
        name_buf_addstr(out, "??");
    return 0;
}

static void test_perf_inline(void **state)
{
    (void)state;
    struct collapse_opts o = {.inline_fn = fake_inline};
    /* kernel modules are never looked up; "??" falls back to the symbol */
    expect(COLLAPSE_PERF, &o,
           "pp 1 1.0: 1 cpu-clock:\n\t10 x (/bin/a)\n\t11 y+0x1 (/bin/a)\n\t10 k "
           "([kernel.kallsyms])\n\n",
           "pp;k;y;outer;inner 1\n");
}

static void test_counted(void **state)
{
    (void)state;
    struct collapse_stats st;
    char *out =
        run(COLLAPSE_PERF, NULL,
            "junk\npp 1 1.0: 1 cpu-clock:\n\t1 f (/x)\n\n   \nqq 1 1.0: 1 cpu-clock:\n\t1 f (/x)\n",
            &st);
    assert_string_equal(out, "pp;f 1\n");
    assert_int_equal(st.unrecognized, 2);
    assert_int_equal(st.first_unrecognized, 1);
    assert_true(st.truncated);
    assert_int_equal(st.records, 1);
    free(out);
    out = run(COLLAPSE_BPFTRACE, NULL, "Attaching 1 probe...\n\nwhat\n@[\n a\n", &st);
    assert_string_equal(out, "");
    assert_int_equal(st.unrecognized, 1);
    assert_true(st.truncated);
    free(out);
}

static enum collapse_guess sniff(const char *s)
{
    return collapse_sniff(s, strlen(s));
}

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(
        sniff(
            "# ========\n# cmdline : perf record\n#\nprog 12 1.5: 1001 cpu-clock: \n\t1 f (/x)\n"),
        COLLAPSE_GUESS_PERF);
    /* no event at the end, but a frame follows */
    assert_int_equal(sniff("prog 12/13 1.5: \n\t1 f (/x)\n"), COLLAPSE_GUESS_PERF);
    assert_int_equal(sniff("prog 12/13 1.5: \nsomething\n"), COLLAPSE_GUESS_OTHER);
    assert_int_equal(sniff("main;foo 12\nmain;bar 3\n"), COLLAPSE_GUESS_OTHER);
    assert_int_equal(sniff("a b 12 c 5\n"), COLLAPSE_GUESS_OTHER);
    assert_int_equal(sniff("PERFILE2\x68\x00"), COLLAPSE_GUESS_PERF_DATA);
    assert_int_equal(sniff("Attaching 1 probe...\n"), COLLAPSE_GUESS_BPFTRACE);
    assert_int_equal(sniff("\n@[\n"), COLLAPSE_GUESS_BPFTRACE);
    /* a line cut by the end of what was read says nothing */
    assert_int_equal(sniff("prog 12 1.5: 1001 cpu-cl"), COLLAPSE_GUESS_OTHER);
    assert_int_equal(sniff(""), COLLAPSE_GUESS_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perl_sums),   cmocka_unit_test(test_perf_headers),
        cmocka_unit_test(test_perf_frames), cmocka_unit_test(test_perf_inline),
        cmocka_unit_test(test_counted),     cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests_name("collapse", tests, NULL, NULL);
}
