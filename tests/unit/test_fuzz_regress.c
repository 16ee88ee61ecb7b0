/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_regress: every libFuzzer harness (tests/fuzz/fuzz_*.c) compiled
 * without libFuzzer and run over its seed corpus (tests/fuzz/corpus/NAME/)
 * and its saved findings (tests/fuzz/regress/NAME/), so each input that once
 * broke an invariant is checked on every `make test-unit` (and under ASan in
 * the sanitizer run) with the harness's own checks. A failed check aborts
 * (fc_fail) after naming the harness and the input on stderr.
 *
 * The harnesses' static helpers have distinct names, so all of them are
 * included here with their entry points renamed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_arc_one
#include "../fuzz/fuzz_arc.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_flame_one
#include "../fuzz/fuzz_flame.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_folded_one
#include "../fuzz/fuzz_folded.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_names_one
#include "../fuzz/fuzz_names.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_image_one
#include "../fuzz/fuzz_image.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_diff_glob_one
#include "../fuzz/fuzz_diff_glob.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_wire_one
#include "../fuzz/fuzz_wire.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_wire_part_one
#include "../fuzz/fuzz_wire_part.c"
#undef LLVMFuzzerTestOneInput

typedef int (*harness_fn)(const uint8_t *, size_t);

/* the repository root: $DUFLAME_SRC, else the current directory (make runs
 * the unit tests from the root) */
static const char *repo(void)
{
    const char *r = getenv("DUFLAME_SRC");
    if (r && *r)
        return r;
    return ".";
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* run fn over every file in DIR (sorted); returns how many were run */
static size_t replay_dir(const char *harness, const char *kind, harness_fn fn)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", repo(), kind, harness);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            assert_non_null(names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        uint8_t *buf = NULL;
        size_t len = 0, bcap = 0;
        for (;;) {
            if (len == bcap) {
                bcap = bcap ? bcap * 2 : 65536;
                buf = realloc(buf, bcap);
                assert_non_null(buf);
            }
            size_t r = fread(buf + len, 1, bcap - len, f);
            len += r;
            if (r == 0)
                break;
        }
        fclose(f);
        /* named first, so an abort in the checks says which input it was */
        fprintf(stderr, "replay %s %s\n", harness, path);
        assert_int_equal(fn(buf, len), 0);
        free(buf);
        free(names[i]);
    }
    free(names);
    return n;
}

static void replay(const char *harness, harness_fn fn)
{
    size_t seeds = replay_dir(harness, "corpus", fn);
    size_t found = replay_dir(harness, "regress", fn);
    print_message("%s: %zu seeds, %zu saved findings\n", harness, seeds, found);
    /* every harness has seeds: none found means the wrong directory */
    assert_true(seeds > 0);
}

static void test_arc(void **state)
{
    (void)state;
    replay("fuzz_arc", fuzz_arc_one);
}

static void test_flame(void **state)
{
    (void)state;
    replay("fuzz_flame", fuzz_flame_one);
}

static void test_folded(void **state)
{
    (void)state;
    replay("fuzz_folded", fuzz_folded_one);
}

static void test_names(void **state)
{
    (void)state;
    replay("fuzz_names", fuzz_names_one);
}

static void test_image(void **state)
{
    (void)state;
    replay("fuzz_image", fuzz_image_one);
}

static void test_diff_glob(void **state)
{
    (void)state;
    replay("fuzz_diff_glob", fuzz_diff_glob_one);
}

static void test_wire(void **state)
{
    (void)state;
    replay("fuzz_wire", fuzz_wire_one);
}

static void test_wire_part(void **state)
{
    (void)state;
    replay("fuzz_wire_part", fuzz_wire_part_one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arc),    cmocka_unit_test(test_flame),
        cmocka_unit_test(test_folded), cmocka_unit_test(test_names),
        cmocka_unit_test(test_image),  cmocka_unit_test(test_diff_glob),
        cmocka_unit_test(test_wire),   cmocka_unit_test(test_wire_part),
    };
    return cmocka_run_group_tests_name("fuzz_regress", tests, NULL, NULL);
}
