/* SPDX-License-Identifier: BSD-2-Clause */
/* out: output through a temporary file in the target's directory, renamed
 * into place on commit; nothing left behind on abort or on a failed write;
 * devices, FIFOs and symbolic links are never replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "out.h"

struct fixture {
    char dir[512];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/test_out.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!f->dir[0] || !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static char *at(const struct fixture *f, const char *name)
{
    static char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s/%s", f->dir, name);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* the whole file as a string (static buffer) */
static const char *get(const char *path)
{
    static char buf[4096];
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* names in the directory other than the ones given (NULL-terminated) */
static int others(const struct fixture *f, const char *const *keep)
{
    DIR *d = opendir(f->dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        bool kept = false;
        for (const char *const *k = keep; *k; k++)
            kept |= strcmp(*k, e->d_name) == 0;
        if (!kept) {
            print_message("unexpected file %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_commit(void **state)
{
    struct fixture *f = *state;
    put(at(f, "out.svg"), "old");
    mode_t mask = umask(022);
    struct out o;
    assert_int_equal(out_open(&o, at(f, "out.svg")), 0);
    /* the temporary file is hidden beside the target (one file system) */
    assert_non_null(o.tmppath);
    assert_int_equal(strncmp(o.tmppath, at(f, ".out.svg."), strlen(at(f, ".out.svg."))), 0);
    fputs("new content", o.fp);
    /* until the commit the old file is what a reader sees */
    assert_string_equal(get(at(f, "out.svg")), "old");
    assert_int_equal(out_commit(&o), 0);
    assert_string_equal(get(at(f, "out.svg")), "new content");
    struct stat st;
    assert_int_equal(stat(at(f, "out.svg"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    umask(mask);
    assert_int_equal(others(f, (const char *const[]){"out.svg", NULL}), 0);
}

static void test_commit_new_and_relative(void **state)
{
    struct fixture *f = *state;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    struct out o;
    assert_int_equal(out_open(&o, "plain.txt"), 0);
    fputs("x", o.fp);
    assert_int_equal(out_commit(&o), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_string_equal(get(at(f, "plain.txt")), "x");
    assert_int_equal(others(f, (const char *const[]){"plain.txt", NULL}), 0);
}

static void test_abort_keeps_old(void **state)
{
    struct fixture *f = *state;
    put(at(f, "out.svg"), "old");
    struct out o;
    assert_int_equal(out_open(&o, at(f, "out.svg")), 0);
    fputs("half a graph", o.fp);
    out_abort(&o);
    assert_string_equal(get(at(f, "out.svg")), "old");
    assert_int_equal(others(f, (const char *const[]){"out.svg", NULL}), 0);
    /* abort again, and of a stream never opened for a file, is harmless */
    out_abort(&o);
    assert_int_equal(out_open(&o, "-"), 0);
    out_abort(&o);
}

static void test_open_fails_cleanly(void **state)
{
    struct fixture *f = *state;
    struct out o;
    errno = 0;
    assert_int_equal(out_open(&o, at(f, "no/such/dir/out.svg")), -1);
    assert_int_equal(errno, ENOENT);
    /* a directory as the target */
    assert_int_equal(mkdir(at(f, "sub"), 0755), 0);
    errno = 0;
    assert_int_equal(out_open(&o, at(f, "sub")), -1);
    assert_int_equal(errno, EISDIR);
    assert_int_equal(rmdir(at(f, "sub")), 0);
    assert_int_equal(others(f, (const char *const[]){NULL}), 0);
}

/* a write that fails (file size limit: EFBIG) fails the commit, removes
 * the temporary file and leaves the old output */
static void test_failed_write(void **state)
{
    struct fixture *f = *state;
    put(at(f, "out.svg"), "old");
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 1000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    struct out o;
    assert_int_equal(out_open(&o, at(f, "out.svg")), 0);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", o.fp);
    errno = 0;
    int rc = out_commit(&o);
    int e = errno;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldsig);
    assert_int_equal(rc, -1);
    assert_int_equal(e, EFBIG);
    assert_null(o.tmppath);
    assert_string_equal(get(at(f, "out.svg")), "old");
    assert_int_equal(others(f, (const char *const[]){"out.svg", NULL}), 0);
}

/* a FIFO is written in place, not replaced by a regular file */
static void test_fifo_in_place(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(mkfifo(at(f, "fifo"), 0644), 0);
    int rd = open(at(f, "fifo"), O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    struct out o;
    assert_int_equal(out_open(&o, at(f, "fifo")), 0);
    assert_null(o.tmppath);
    fputs("through the pipe", o.fp);
    assert_int_equal(out_commit(&o), 0);
    char buf[64] = {0};
    assert_int_equal(read(rd, buf, sizeof buf - 1), 16);
    assert_string_equal(buf, "through the pipe");
    close(rd);
    struct stat st;
    assert_int_equal(lstat(at(f, "fifo"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(others(f, (const char *const[]){"fifo", NULL}), 0);
}

/* a device node (made only when running as root) is written, not replaced:
 * otherwise `duflame -o /dev/null` as root would turn /dev/null into a file */
static void test_device_in_place(void **state)
{
    struct fixture *f = *state;
    if (mknod(at(f, "null"), S_IFCHR | 0666, makedev(1, 3)) != 0) {
        skip();
        return;
    }
    struct out o;
    assert_int_equal(out_open(&o, at(f, "null")), 0);
    fputs("gone", o.fp);
    assert_int_equal(out_commit(&o), 0);
    struct stat st;
    assert_int_equal(lstat(at(f, "null"), &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(others(f, (const char *const[]){"null", NULL}), 0);
}

/* a symbolic link to a file stays a link; the file it names is replaced */
static void test_symlink_kept(void **state)
{
    struct fixture *f = *state;
    put(at(f, "real.svg"), "old");
    assert_int_equal(symlink("real.svg", at(f, "link.svg")), 0);
    struct out o;
    assert_int_equal(out_open(&o, at(f, "link.svg")), 0);
    fputs("new", o.fp);
    assert_int_equal(out_commit(&o), 0);
    struct stat st;
    assert_int_equal(lstat(at(f, "link.svg"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(get(at(f, "real.svg")), "new");
    assert_int_equal(others(f, (const char *const[]){"real.svg", "link.svg", NULL}), 0);
}

static void test_stdout(void **state)
{
    (void)state;
    struct out o;
    assert_int_equal(out_open(&o, NULL), 0);
    assert_ptr_equal(o.fp, stdout);
    assert_int_equal(out_commit(&o), 0);
    assert_int_equal(out_open(&o, "-"), 0);
    assert_ptr_equal(o.fp, stdout);
    assert_null(o.tmppath);
    assert_int_equal(out_commit(&o), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_new_and_relative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_kept, setup, teardown),
        cmocka_unit_test(test_stdout),
    };
    return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
