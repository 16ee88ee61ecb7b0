/* SPDX-License-Identifier: BSD-2-Clause */
/* sink: the format comes from -f, else from -o's extension, else text on a
 * terminal and SVG otherwise; a bad -f names every format of the table; a
 * format writes through a temporary file, and a failed one leaves none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink.h"

static void test_find(void **state)
{
    (void)state;
    assert_ptr_equal(sink_find("svg"), &sink_svg);
    assert_ptr_equal(sink_find("html"), &sink_html);
    assert_ptr_equal(sink_find("htm"), &sink_html);
    assert_ptr_equal(sink_find("folded"), &sink_folded);
    assert_ptr_equal(sink_find("text"), &sink_text);
    assert_ptr_equal(sink_find("txt"), &sink_text);
    assert_ptr_equal(sink_find("json"), &sink_ncdu);
    assert_ptr_equal(sink_find("markdown"), &sink_markdown);
    assert_ptr_equal(sink_find("md"), &sink_markdown);
    assert_null(sink_find("png"));
    char *m = sink_bad_format("png");
    assert_string_equal(
        m, "invalid --format 'png': expected svg, html, folded, text, ncdu or markdown");
    free(m);
}

static void test_pick(void **state)
{
    (void)state;
    assert_ptr_equal(sink_pick(NULL, "a.svg", &sink_text), &sink_svg);
    assert_ptr_equal(sink_pick(NULL, "a.html", &sink_text), &sink_html);
    assert_ptr_equal(sink_pick(NULL, "a.htm", &sink_text), &sink_html);
    assert_ptr_equal(sink_pick(NULL, "a.folded", &sink_text), &sink_folded);
    assert_ptr_equal(sink_pick(NULL, "a.txt", &sink_svg), &sink_text);
    assert_ptr_equal(sink_pick(&sink_folded, "a.svg", &sink_text), &sink_folded);
    /* standard output: the command's choice */
    assert_ptr_equal(sink_pick(NULL, NULL, &sink_text), &sink_text);
    assert_ptr_equal(sink_pick(NULL, "-", &sink_svg), &sink_svg);
    /* an extension no format claims, or none: no format, and why */
    assert_null(sink_pick(NULL, "dir.txt/x", &sink_text));
    assert_null(sink_pick(NULL, "a.png", &sink_text));
    assert_null(sink_pick(NULL, "a", &sink_text));
    /* a device is written like standard output */
    assert_ptr_equal(sink_pick(NULL, "/dev/null", &sink_text), &sink_text);
    char *msg = sink_bad_ext("a.png");
    assert_string_equal(msg, "cannot tell the format of 'a.png' from its extension: expected "
                             ".svg, .html, .htm, .folded, .txt, .json or .md, or give --format");
    /* .json is the ncdu export's; duflame diff maps it to its ranking */
    assert_ptr_equal(sink_pick(NULL, "a.json", &sink_text), &sink_ncdu);
    assert_ptr_equal(sink_pick(NULL, "a.md", &sink_text), &sink_markdown);
    free(msg);
}

static void test_write(void **state)
{
    (void)state;
    char path[600];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/test_sink.%d.folded", tmp && *tmp ? tmp : "/tmp",
             (int)getpid());
    struct tree *t = tree_new("all", 1);
    tree_add(tree_main_arena(t), t->root, "a", 1)->w[0] = 5;
    tree_finish(t);
    struct sink_job job = {.t = t};
    char *warn, *err;
    assert_int_equal(sink_write(sink_pick(NULL, path, NULL), path, &job, &warn, &err), 0);
    assert_null(warn);
    assert_null(err);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[64] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "a 5\n");
    unlink(path);
    /* a directory that does not exist: nothing written, one message */
    assert_int_equal(sink_write(&sink_folded, "/nonexistent/x.folded", &job, &warn, &err), 2);
    assert_non_null(err);
    assert_non_null(strstr(err, "cannot write '/nonexistent/x.folded'"));
    free(err);
    free(warn);
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
