/* SPDX-License-Identifier: BSD-2-Clause */
/* source: each PATH's kind is chosen from the table (a directory, a folded
 * profile, an ncdu export, an archive or any file), a kind outside the families asked for
 * is never tried, a PATH no kind takes is refused with one message, and
 * warnings go to the callback, never to the terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"

static char dir[512];
static char said[1024];

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(said, sizeof said, "%s", msg);
}

static void put(const char *name, const char *text)
{
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_source.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    char p[700];
    snprintf(p, sizeof p, "%s/d", dir);
    mkdir(p, 0755);
    put("d/f", "hello\n");
    put("p.folded", "a;b 3\na;c 4\n");
    put("notes.txt", "just some text\nno counts here\n");
    put("scan.json",
        "[1,2,{\"progname\":\"ncdu\"},\n[{\"name\":\"/srv\",\"asize\":4096},"
        "{\"name\":\"a\",\"asize\":10,\"ino\":5,\"hlnkc\":true},"
        "[{\"name\":\"s\"},{\"name\":\"b\",\"asize\":10,\"ino\":5,\"hlnkc\":true}]]]\n");
    put("cut.json", "[1,2,{},[{\"name\":\"/srv\",\"asize\":4096},{\"name\":\"a\",\"asi");
    snprintf(p, sizeof p, "%s/fifo", dir);
    mkfifo(p, 0644);
    return chdir(dir);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return chdir("/") || system(cmd);
}

static void opts(struct source_opts *o, unsigned families, const struct source_kind *fallback)
{
    source_opts_init(o);
    o->families = families;
    o->fallback = fallback;
    o->walk.threads = 1;
    o->warn = on_warn;
    said[0] = '\0';
}

static const struct source_kind *kind_of(const char *path, unsigned families,
                                         const struct source_kind *fallback)
{
    struct source_opts o;
    opts(&o, families, fallback);
    struct source_result r;
    const char *p[1] = {path};
    int rc = source_load(p, 1, &o, &r);
    const struct source_kind *k = rc == 0 ? r.kind : NULL;
    source_result_release(&r);
    return k;
}

static void test_kinds(void **state)
{
    (void)state;
    unsigned both = SOURCE_DU | SOURCE_PROFILE;
    assert_ptr_equal(kind_of("d", both, NULL), &source_directory);
    assert_ptr_equal(kind_of("p.folded", both, NULL), &source_folded);
    assert_ptr_equal(kind_of("notes.txt", both, NULL), &source_archive);
    assert_ptr_equal(kind_of("scan.json", both, NULL), &source_ncdu);
    assert_ptr_equal(kind_of("scan.json", SOURCE_DU, &source_path), &source_ncdu);
    /* a scan never reads a folded file as a profile */
    assert_ptr_equal(kind_of("p.folded", SOURCE_DU, &source_path), &source_archive);
    /* a profile load reads anything as folded stacks */
    assert_ptr_equal(kind_of("notes.txt", SOURCE_PROFILE, &source_folded), &source_folded);
}

static void test_refused(void **state)
{
    (void)state;
    assert_null(kind_of("fifo", SOURCE_DU | SOURCE_PROFILE, NULL));
    assert_string_equal(said, "'fifo' is not a container image, a directory, an ncdu export, an "
                              "archive, a folded profile, perf script text or a perf.data file");
    assert_null(kind_of("nope", SOURCE_DU | SOURCE_PROFILE, NULL));
    assert_string_equal(said, "cannot access 'nope': No such file or directory");
    /* a scan hands it to the walker, which says it */
    assert_ptr_equal(kind_of("fifo", SOURCE_DU, &source_path), &source_path);
}

static void test_du_tree(void **state)
{
    (void)state;
    struct source_opts o;
    opts(&o, SOURCE_DU, &source_path);
    struct source_result r;
    const char *p[2] = {"d", "p.folded"};
    assert_int_equal(source_load(p, 2, &o, &r), 0);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.t->nweights, 4);
    assert_string_equal(r.t->wnames[TREE_W_STORED], "stored");
    assert_string_equal(r.t->root->name, "all");
    assert_int_equal(tree_w(r.t->root, TREE_W_COUNT), 3); /* d, d/f, p.folded */
    /* no archive: every file is stored as it is on disk */
    assert_int_equal(tree_w(r.t->root, TREE_W_STORED), tree_w(r.t->root, TREE_W_DISK));
    source_result_release(&r);
}

/* an export is the PATH's node, named as its top directory, beside the
 * others; a cut one keeps what was read and says where it ends */
static void test_ncdu(void **state)
{
    (void)state;
    struct source_opts o;
    opts(&o, SOURCE_DU, &source_path);
    struct source_result r;
    const char *p[3] = {"scan.json", "d", "cut.json"};
    assert_int_equal(source_load(p, 3, &o, &r), 0);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.failed, 0);
    if (!strstr(said, "'cut.json': byte 54: unexpected end of input"))
        fail_msg("%s", said);
    struct tree_node *srv = NULL;
    unsigned tops = 0;
    for (struct tree_node *c = tree_first_child(r.t->root); c; c = tree_next_sibling(c), tops++)
        if (!strcmp(c->name, "/srv") && tree_first_child(c))
            srv = c;
    assert_int_equal(tops, 3); /* /srv, d, and the cut /srv */
    assert_non_null(srv);
    /* /srv 4096 + a 10 (its second name b counts nothing) */
    assert_int_equal(tree_w(srv, TREE_W_APPARENT), 4106);
    assert_int_equal(tree_w(srv, TREE_W_COUNT), 3);
    source_result_release(&r);
}

static void test_profile(void **state)
{
    (void)state;
    struct source_opts o;
    opts(&o, SOURCE_PROFILE, &source_folded);
    struct source_result r;
    const char *p[3] = {"p.folded", "notes.txt", "missing"};
    assert_int_equal(source_load(p, 3, &o, &r), 0);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.failed, 1);
    assert_string_equal(said, "cannot read 'missing': No such file or directory");
    assert_int_equal(r.stats.valid, 2);
    assert_int_equal(r.stats.invalid, 2);
    assert_string_equal(r.first_invalid, "notes.txt");
    assert_int_equal(r.first_invalid_line, 1);
    assert_int_equal(tree_w(r.t->root, 0), 7);
    source_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),   cmocka_unit_test(test_refused),
        cmocka_unit_test(test_du_tree), cmocka_unit_test(test_ncdu),
        cmocka_unit_test(test_profile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
