/* SPDX-License-Identifier: BSD-2-Clause */
/* The walker on trees built here: du's numbers per node, hard links once,
 * the same tree whatever the number of threads, depth beyond PATH_MAX, the
 * archives hook, excludes. Run under ThreadSanitizer by make test-tsan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"
#include "tree.h"
#include "util.h"
#include "walk.h"

static char base[256];

static void put(const char *rel, size_t size)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static char *path(const char *rel)
{
    static _Thread_local char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    return p;
}

/* 8 x 8 directories of 5 files, a hard link pair, a symlink, an empty dir */
static int setup(void **state)
{
    (void)state;
    snprintf(base, sizeof base, "%s/walk-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(base));
    dir("t");
    for (int a = 0; a < 8; a++) {
        char d[64];
        snprintf(d, sizeof d, "t/a%d", a);
        dir(d);
        for (int b = 0; b < 8; b++) {
            snprintf(d, sizeof d, "t/a%d/b%d", a, b);
            dir(d);
            for (int f = 0; f < 5; f++) {
                char n[80];
                snprintf(n, sizeof n, "%s/f%d.c", d, f);
                put(n, (size_t)(a * 1000 + b * 100 + f * 7));
            }
        }
    }
    put("t/linked", 20000);
    char target[2 * PATH_MAX];
    snprintf(target, sizeof target, "%s", path("t/linked"));
    assert_int_equal(link(target, path("t/a0/linked2")), 0);
    assert_int_equal(symlink("a0", path("t/sym")), 0);
    dir("t/empty");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

static struct tree *scan(const char *rel, const struct walk_opts *wo, int *status)
{
    struct scan_opts so = {0};
    if (wo)
        so.walk = *wo;
    const char *p = path(rel);
    return scan_load(&p, 1, &so, status);
}

/* the sum over all nodes of st_blocks*512 etc. computed independently */
static void expect_du(struct tree *t, uint64_t disk, uint64_t apparent, uint64_t count)
{
    assert_int_equal(tree_w(t->root, TREE_W_DISK), disk);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), apparent);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), count);
}

static void tree_stats_by_stat(const char *p, uint64_t *disk, uint64_t *app, uint64_t *count)
{
    /* du -s of the test tree, with du's rule for the one hard-link pair */
    char cmd[3 * PATH_MAX];
    FILE *f;
    snprintf(cmd, sizeof cmd, "du -sB1 '%s'", p);
    f = popen(cmd, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu", (unsigned long *)disk), 1);
    pclose(f);
    snprintf(cmd, sizeof cmd, "du -sb '%s'", p);
    f = popen(cmd, "r");
    assert_int_equal(fscanf(f, "%lu", (unsigned long *)app), 1);
    pclose(f);
    snprintf(cmd, sizeof cmd, "du -s --inodes '%s'", p);
    f = popen(cmd, "r");
    assert_int_equal(fscanf(f, "%lu", (unsigned long *)count), 1);
    pclose(f);
}

static void test_matches_du(void **state)
{
    (void)state;
    uint64_t disk, app, count;
    tree_stats_by_stat(path("t"), &disk, &app, &count);
    assert_int_equal(count, 1 + 8 + 64 + 64 * 5 + 1 + 1 + 1); /* linked2 counted once */
    for (unsigned j = 1; j <= 8; j *= 2) {
        struct walk_opts wo = {.threads = j};
        int status = -1;
        struct tree *t = scan("t", &wo, &status);
        assert_int_equal(status, 0);
        expect_du(t, disk, app, count);
        /* + "all", + the second name of the linked file (zeroed) */
        assert_int_equal(tree_count_nodes(t->root), count + 2);
        /* the bytes are on t/a0/linked2 (before t/linked: "a0" < "linked") */
        struct tree_iter it;
        tree_iter_init(&it, t->root);
        int seen = 0;
        for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
            if (strcmp(n->name, "linked2") == 0) {
                assert_int_equal(tree_w(n, TREE_W_APPARENT), 20000);
                assert_false(n->flags & TREE_HARDLINK);
                seen |= 1;
            } else if (strcmp(n->name, "linked") == 0) {
                assert_int_equal(tree_w(n, TREE_W_APPARENT), 0);
                assert_int_equal(tree_w(n, TREE_W_COUNT), 0);
                assert_true(n->flags & TREE_HARDLINK);
                seen |= 2;
            }
        }
        assert_int_equal(seen, 3);
        tree_free(t);
    }
}

static void test_count_links(void **state)
{
    (void)state;
    struct walk_opts wo = {.threads = 3, .count_links = true};
    int status;
    struct tree *t = scan("t", &wo, &status);
    uint64_t disk, app, count;
    tree_stats_by_stat(path("t"), &disk, &app, &count);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), count + 1);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), app + 20000);
    tree_free(t);
}

/* each node's own weights are its own stat's */
static void test_node_weights(void **state)
{
    (void)state;
    struct walk_opts wo = {.threads = 4};
    int status;
    struct tree *t = scan("t", &wo, &status);
    struct tree_node *top = tree_first_child(t->root);
    assert_non_null(top);
    assert_string_equal(top->name, path("t"));
    assert_true(top->flags & TREE_DIR);
    bool found_c = false, found_sym = false;
    for (struct tree_node *a = tree_first_child(top); a; a = tree_next_sibling(a)) {
        if (strcmp(a->name, "sym") == 0) {
            found_sym = true;
            assert_true(a->flags & TREE_SYMLINK);
            struct stat st;
            assert_int_equal(lstat(path("t/sym"), &st), 0);
            assert_int_equal(tree_own(a, TREE_W_APPARENT), (uint64_t)st.st_size);
        }
        if (strcmp(a->name, "a3") == 0)
            for (struct tree_node *b = tree_first_child(a); b; b = tree_next_sibling(b))
                if (strcmp(b->name, "b2") == 0)
                    for (struct tree_node *f = tree_first_child(b); f; f = tree_next_sibling(f))
                        if (strcmp(f->name, "f4.c") == 0) {
                            found_c = true;
                            assert_int_equal(tree_w(f, TREE_W_APPARENT), 3000 + 200 + 28);
                            assert_int_equal(tree_w(f, TREE_W_COUNT), 1);
                            assert_int_equal(tree_kind_of(f), TREE_KIND_SOURCE);
                            assert_ptr_equal(tree_parent(f), b);
                        }
    }
    assert_true(found_c);
    assert_true(found_sym);
    tree_free(t);
}

/* the same tree (names and totals of every node) with 1 and with 8 threads */
static void flatten(struct tree *t, char **out, size_t *len)
{
    tree_sort(t, TREE_BY_NAME, 0);
    FILE *f = open_memstream(out, len);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        /* which of the two hard links carries the bytes may vary: leave
         * them out, and the totals of directories that depend on it */
        if (strncmp(n->name, "linked", 6) != 0)
            fprintf(f, "%u %s %lu\n", it.depth, n->name,
                    n->flags & TREE_DIR ? 0ul : (unsigned long)tree_w(n, 1));
    fclose(f);
}

static void test_same_tree_any_threads(void **state)
{
    (void)state;
    char *a, *b;
    size_t la, lb;
    int status;
    struct walk_opts w1 = {.threads = 1}, w8 = {.threads = 8};
    struct tree *t1 = scan("t", &w1, &status), *t8 = scan("t", &w8, &status);
    flatten(t1, &a, &la);
    flatten(t8, &b, &lb);
    assert_true(la > 1000);
    assert_string_equal(a, b);
    free(a);
    free(b);
    tree_free(t1);
    tree_free(t8);
}

/* a directory listed in several getdents64() calls (3,000 entries of
 * 100-byte names, far more than one call's buffer), with a subdirectory
 * walked while its parent's names wait on the worker's stack: every entry
 * counted once */
static void test_big_directory(void **state)
{
    (void)state;
    dir("big");
    dir("big/sub");
    uint64_t apparent = 0;
    for (int i = 0; i < 3000; i++) {
        char n[160];
        snprintf(n, sizeof n, "big/%0100d", i);
        put(n, (size_t)(i % 7));
        apparent += (uint64_t)(i % 7);
    }
    for (int i = 0; i < 10; i++) {
        char n[64];
        snprintf(n, sizeof n, "big/sub/f%d", i);
        put(n, 3);
        apparent += 3;
    }
    struct walk_opts w1 = {.threads = 1};
    int status;
    struct tree *t = scan("big", &w1, &status);
    assert_int_equal(status, 0);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 1 + 3000 + 1 + 10);
    struct stat st;
    assert_int_equal(lstat(path("big"), &st), 0);
    uint64_t dirs = (uint64_t)st.st_size;
    assert_int_equal(lstat(path("big/sub"), &st), 0);
    dirs += (uint64_t)st.st_size;
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), apparent + dirs);
    tree_free(t);
}

static void test_exclude_match(void **state)
{
    (void)state;
    const char *g1[] = {"*.o"};
    assert_true(walk_exclude_match(g1, 1, "a/b/c.o"));
    assert_false(walk_exclude_match(g1, 1, "a/b/c.c"));
    const char *g2[] = {"obj"};
    assert_true(walk_exclude_match(g2, 1, "src/obj"));
    assert_true(walk_exclude_match(g2, 1, "obj"));
    assert_false(walk_exclude_match(g2, 1, "src/obj2"));
    assert_false(walk_exclude_match(g2, 1, "src/obj/x")); /* du: the directory is matched */
    const char *g3[] = {"src/*"};
    assert_true(walk_exclude_match(g3, 1, "top/src/x/y")); /* '*' matches '/', as du */
    assert_false(walk_exclude_match(g3, 1, "top/srcx"));
    const char *g4[] = {"nomatch", "b"};
    assert_true(walk_exclude_match(g4, 2, "a/b"));
    assert_false(walk_exclude_match(NULL, 0, "a/b"));
}

static void test_exclude_walk(void **state)
{
    (void)state;
    const char *ex[] = {"b3", "*.c"};
    struct walk_opts wo = {.threads = 2, .excludes = ex, .nexcludes = 2};
    int status;
    struct tree *t = scan("t", &wo, &status);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    size_t n = 0;
    for (struct tree_node *x; (x = tree_iter_next(&it, true));) {
        assert_string_not_equal(x->name, "b3");
        assert_null(strstr(x->name, ".c"));
        n++;
    }
    /* all, t, 8 a*, 7 b* each, linked, linked2, sym, empty */
    assert_int_equal(n, 1 + 1 + 8 + 8 * 7 + 1 + 1 + 1 + 1);
    tree_free(t);
}

/* keep_excluded: a node without weights for each entry left out; and the
 * hard-linked file's two names have its inode in the link table */
static void test_excluded_and_links_recorded(void **state)
{
    (void)state;
    const char *ex[] = {"b3", "*.c"};
    struct walk_opts wo = {.threads = 2, .excludes = ex, .nexcludes = 2, .keep_excluded = true};
    int status;
    struct tree *t = scan("t", &wo, &status);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    size_t excluded = 0, linked = 0;
    uint64_t ino = 0;
    struct stat st;
    assert_int_equal(stat(path("t/linked"), &st), 0);
    for (struct tree_node *x; (x = tree_iter_next(&it, true));) {
        if (tree_excluded_of(x)) {
            assert_int_equal(tree_excluded_of(x), TREE_EXCL_PATTERN);
            assert_true(!strcmp(x->name, "b3") || strstr(x->name, ".c"));
            assert_int_equal(
                tree_w(x, TREE_W_DISK) + tree_w(x, TREE_W_APPARENT) + tree_w(x, TREE_W_COUNT), 0);
            assert_null(tree_first_child(x));
            excluded++;
        }
        struct tree_link l;
        if (tree_link_get(t, x, &l)) {
            assert_true(!strcmp(x->name, "linked") || !strcmp(x->name, "linked2"));
            assert_int_equal(l.ino, (uint64_t)st.st_ino);
            assert_int_equal(l.dev, (uint64_t)st.st_dev);
            assert_int_equal(l.nlink, 2);
            ino = l.ino;
            linked++;
        }
    }
    /* 8 b3 directories, and the 5 *.c in each of the other 56 */
    assert_int_equal(excluded, 8 + 56 * 5);
    assert_int_equal(linked, 2);
    assert_true(ino != 0);
    tree_free(t);
}

/* a hook standing in for the archives module: two children per file */
static int hook_calls_bad;
static int fake_hook(const struct walk_opts *o, struct tree_arena *a, struct tree_node *node,
                     int dirfd, const char *name, const char *p, const struct stat *st)
{
    (void)o;
    int fd = openat(dirfd, name, O_RDONLY);
    if (fd < 0 || !S_ISREG(st->st_mode) || strlen(p) < strlen(name))
        __atomic_add_fetch(&hook_calls_bad, 1, __ATOMIC_RELAXED);
    if (fd >= 0)
        close(fd);
    tree_set_w(tree_child(a, node, "entry1", 6, NULL), TREE_W_APPARENT, 1);
    tree_set_w(tree_child(a, node, "entry2", 6, NULL), TREE_W_APPARENT, 2);
    node->flags |= TREE_ARCHIVE;
    return 0;
}

static void test_file_hook(void **state)
{
    (void)state;
    struct walk_opts wo = {
        .threads = 4, .archives = true, .hook_inside = true, .file_hook = fake_hook};
    int status;
    uint64_t disk, app, count;
    tree_stats_by_stat(path("t"), &disk, &app, &count);
    struct tree *t = scan("t", &wo, &status);
    assert_int_equal(hook_calls_bad, 0);
    /* 321 regular files counted (linked once), each with 3 more apparent bytes */
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), app + 3 * (64 * 5 + 1));
    tree_free(t);
    /* a PATH that is a regular file goes through the hook too */
    struct scan_opts so = {.walk = wo};
    const char *p = path("t/linked");
    t = scan_load(&p, 1, &so, &status);
    assert_int_equal(tree_w(t->root, TREE_W_APPARENT), 20000 + 3);
    assert_true(tree_first_child(t->root)->flags & TREE_ARCHIVE);
    tree_free(t);
}

/* 400 levels of 20-byte names: 8 KiB of path, beyond PATH_MAX */
static void test_deeper_than_path_max(void **state)
{
    (void)state;
    dir("deep");
    int fd = open(path("deep"), O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    for (int i = 0; i < 400; i++) {
        char n[32];
        snprintf(n, sizeof n, "level-%04d-abcdefghi", i);
        assert_int_equal(mkdirat(fd, n, 0755), 0);
        int nfd = openat(fd, n, O_RDONLY | O_DIRECTORY);
        assert_true(nfd >= 0);
        int f = openat(fd, "file", O_WRONLY | O_CREAT, 0644);
        assert_true(f >= 0);
        assert_int_equal(write(f, "abc", 3), 3);
        close(f);
        close(fd);
        fd = nfd;
    }
    close(fd);
    for (unsigned j = 1; j <= 4; j += 3) {
        struct walk_opts wo = {.threads = j};
        int status;
        struct tree *t = scan("deep", &wo, &status);
        assert_int_equal(status, 0);
        assert_int_equal(tree_w(t->root, TREE_W_COUNT), 1 + 400 + 400);
        tree_free(t);
    }
}

static void test_missing_path(void **state)
{
    (void)state;
    struct scan_opts so = {0};
    char *nope = xstrdup(path("nope")), *empty = xstrdup(path("t/empty"));
    const char *p[] = {nope, empty};
    int status;
    struct tree *t = scan_load(p, 2, &so, &status);
    free(nope);
    free(empty);
    assert_int_equal(status, 1);
    assert_int_equal(tree_w(t->root, TREE_W_COUNT), 1);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_du),    cmocka_unit_test(test_count_links),
        cmocka_unit_test(test_node_weights),  cmocka_unit_test(test_same_tree_any_threads),
        cmocka_unit_test(test_exclude_match), cmocka_unit_test(test_exclude_walk),
        cmocka_unit_test(test_file_hook),     cmocka_unit_test(test_deeper_than_path_max),
        cmocka_unit_test(test_missing_path),  cmocka_unit_test(test_excluded_and_links_recorded),
        cmocka_unit_test(test_big_directory),
    };
    return cmocka_run_group_tests_name("walk", tests, setup, teardown);
}
