/* SPDX-License-Identifier: BSD-2-Clause */
/* Container images: the whiteout logic of image_fs (whiteouts, opaque
 * directories, replacement, wasted bytes, leaving the root) and the small
 * JSON reader the manifests go through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_fs.h"
#include "json.h"
#include "tree.h"

struct fx {
    struct tree *t;
    struct tree_node *top;
    struct image_fs f;
    unsigned warnings;
};

static void on_warn(void *ctx, const char *msg)
{
    struct fx *x = ctx;
    x->warnings++;
    assert_true(strstr(msg, "leaves the image's root") || strstr(msg, "leaves its directory"));
}

static void fx_init(struct fx *x)
{
    memset(x, 0, sizeof *x);
    x->t = tree_new("all", 3);
    x->top = tree_child(tree_main_arena(x->t), x->t->root, "img", 3, NULL);
    image_fs_init(&x->f, x->top, tree_main_arena(x->t), "img", on_warn, x);
}

static void fx_release(struct fx *x)
{
    image_fs_release(&x->f);
    tree_free(x->t);
}

/* layer: entries "r:path:size", "d:path", "l:path" applied as layer index */
static void layer(struct fx *x, unsigned index, const char *const *spec)
{
    struct image_layer l = {0};
    for (; *spec; spec++) {
        const char *s = *spec;
        char path[256];
        unsigned long long size = 0;
        const char *colon = strchr(s + 2, ':');
        size_t n = colon ? (size_t)(colon - s - 2) : strlen(s + 2);
        memcpy(path, s + 2, n);
        path[n] = 0;
        if (colon)
            size = strtoull(colon + 1, NULL, 10);
        enum image_etype t = s[0] == 'd' ? IMAGE_DIR : s[0] == 'l' ? IMAGE_SYMLINK : IMAGE_REG;
        image_layer_add(&l, path, t, size);
    }
    image_fs_apply(&x->f, &l, index);
    image_layer_release(&l);
}

/* find: the node at a '/' path below the image, NULL if none */
static struct tree_node *find(struct fx *x, const char *path)
{
    struct tree_node *n = x->top;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *c = strtok_r(buf, "/", &save); c && n;
         c = strtok_r(NULL, "/", &save)) {
        struct tree_node *k = n->child;
        while (k && !(k->len == strlen(c) && memcmp(k->name, c, k->len) == 0))
            k = k->next;
        n = k;
    }
    return n;
}

static uint64_t final_bytes(struct fx *x)
{
    uint64_t s = 0;
    struct tree_iter it;
    tree_iter_init(&it, x->top);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        s += n->w[TREE_W_APPARENT];
    return s;
}

static void test_whiteout_and_replace(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0, (const char *const[]){"d:etc", "r:etc/a:4", "r:etc/b:300", "r:etc/c:2", NULL});
    /* the whiteout comes after a new entry in tar order: still applied first */
    layer(&x, 1,
          (const char *const[]){"r:etc/a:2000", "r:etc/.wh.b:0", "r:etc/.wh.nothing:0", NULL});
    image_fs_end(&x.f);
    assert_null(find(&x, "etc/b"));
    assert_null(find(&x, "etc/.wh.b"));
    assert_int_equal(find(&x, "etc/a")->w[TREE_W_APPARENT], 2000);
    assert_int_equal(image_fs_layer_of(&x.f, find(&x, "etc/a")), 1);
    assert_int_equal(image_fs_layer_of(&x.f, find(&x, "etc/c")), 0);
    assert_int_equal(image_fs_layer_of(&x.f, find(&x, "etc")), 0);
    assert_int_equal(image_fs_layer_of(&x.f, x.top), -1);
    assert_int_equal(x.f.total, 2306);
    assert_int_equal(x.f.wasted, 304);
    assert_int_equal(x.f.nwaste, 2);
    assert_int_equal(final_bytes(&x) + x.f.wasted, x.f.total);
    assert_int_equal(x.warnings, 0);
    fx_release(&x);
}

static void test_opaque(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0,
          (const char *const[]){"r:usr/bin/big:1000", "r:usr/lib/x.so:700", "r:keep:1", NULL});
    /* entries of the same layer before the marker stay */
    layer(&x, 1, (const char *const[]){"r:usr/new:3", "r:usr/.wh..wh..opq:0", NULL});
    image_fs_end(&x.f);
    assert_null(find(&x, "usr/bin"));
    assert_null(find(&x, "usr/lib"));
    assert_non_null(find(&x, "usr/new"));
    assert_non_null(find(&x, "keep"));
    assert_int_equal(x.f.wasted, 1700);
    assert_int_equal(final_bytes(&x), 4);
    fx_release(&x);
}

static void test_dir_replaced_and_back(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0, (const char *const[]){"r:a/b/c:10", "r:a/b/d:20", NULL});
    /* a file where the directory was: the directory's files are wasted */
    layer(&x, 1, (const char *const[]){"r:a/b:5", NULL});
    /* and a directory again: the old files do not come back */
    layer(&x, 2, (const char *const[]){"r:a/b/e:7", NULL});
    image_fs_end(&x.f);
    assert_null(find(&x, "a/b/c"));
    assert_null(find(&x, "a/b/d"));
    assert_int_equal(find(&x, "a/b/e")->w[TREE_W_APPARENT], 7);
    assert_true(find(&x, "a/b")->flags & TREE_DIR);
    assert_int_equal(x.f.wasted, 35);
    assert_int_equal(final_bytes(&x), 7);
    assert_int_equal(x.f.total, 42);
    fx_release(&x);
}

static void test_removed_then_whiteout_again(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0, (const char *const[]){"r:d/f:10", NULL});
    layer(&x, 1, (const char *const[]){"r:.wh.d:0", NULL});
    /* removing what is gone wastes nothing more */
    layer(&x, 2, (const char *const[]){"r:.wh.d:0", "r:d/.wh..wh..opq:0", NULL});
    image_fs_end(&x.f);
    assert_int_equal(x.f.wasted, 10);
    assert_int_equal(x.f.nwaste, 1);
    assert_string_equal(x.f.waste[0].path, "d/f");
    assert_int_equal(x.f.waste[0].layer, 0);
    assert_int_equal(x.f.waste[0].by, 1);
    assert_non_null(find(&x, "d")); /* the opaque marker's directory is in layer 3 */
    assert_null(find(&x, "d/f"));
    fx_release(&x);
}

/* a directory entry with a trailing '/', then its files, then a file in
 * the root: each goes to its own directory (the remembered one is not
 * taken for another) */
static void test_dir_entries(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0,
          (const char *const[]){"d:etc/", "r:etc/a:1", "d:./usr/", "r:./usr/b:2", "r:top:3",
                                "r:usr//c:4", "r:etc/d:5", "r:.wh.x/y:6", "r:etc/.wh..wh..opq/z:7",
                                NULL});
    image_fs_end(&x.f);
    assert_int_equal(find(&x, "etc/a")->w[TREE_W_APPARENT], 1);
    assert_int_equal(find(&x, "usr/b")->w[TREE_W_APPARENT], 2);
    assert_int_equal(find(&x, "top")->w[TREE_W_APPARENT], 3);
    assert_int_equal(find(&x, "usr/c")->w[TREE_W_APPARENT], 4);
    assert_int_equal(find(&x, "etc/d")->w[TREE_W_APPARENT], 5);
    assert_null(find(&x, "a"));
    assert_null(find(&x, ".wh.x")); /* below a whiteout's name: nothing */
    assert_non_null(find(&x, "etc/a"));
    assert_int_equal(final_bytes(&x), 15);
    fx_release(&x);
}

static void test_escape(void **state)
{
    (void)state;
    struct fx x;
    fx_init(&x);
    layer(&x, 0, (const char *const[]){"r:etc/passwd:9", NULL});
    layer(&x, 1,
          (const char *const[]){"r:../outside:5", "r:x/../../etc/.wh.passwd:0", "r:a/.wh...:0",
                                "r:etc/.wh..:0", "r:./etc/./ok:1", NULL});
    image_fs_end(&x.f);
    assert_int_equal(x.warnings, 4);
    assert_int_equal(x.f.status, 1);
    assert_non_null(find(&x, "etc/passwd"));
    assert_non_null(find(&x, "etc/ok"));
    assert_null(find(&x, "outside"));
    assert_int_equal(x.f.wasted, 0);
    fx_release(&x);
}

static void test_json(void **state)
{
    (void)state;
    char err[160];
    const char *doc =
        "{\"a\": [1, 2.5, true, null, \"x\\u00e9\\ud83d\\ude00\"], \"a\": {\"n\": 7}}";
    struct json_value *v = json_parse(doc, strlen(doc), err, sizeof err);
    assert_non_null(v);
    uint64_t n = 0;
    /* the last of a repeated key wins */
    assert_true(json_uint(json_get(json_get(v, "a"), "n"), &n));
    assert_int_equal(n, 7);
    json_free(v);
    doc = "[\"x\\u00e9\\ud83d\\ude00\", 3, -1]";
    v = json_parse(doc, strlen(doc), err, sizeof err);
    assert_non_null(v);
    assert_string_equal(json_str(json_at(v, 0)), "x\xc3\xa9\xf0\x9f\x98\x80");
    assert_true(json_uint(json_at(v, 1), &n));
    assert_false(json_uint(json_at(v, 2), &n));
    assert_null(json_at(v, 3));
    assert_int_equal(json_array_len(v), 3);
    json_free(v);
    const char *bad[] = {
        "",      "{",        "[1,]", "{\"a\" 1}", "\"\\u0000\"", "\"\\ud800\"",         "01",
        "[1] x", "\"a\nb\"", "tru",  "\"\\x\"",   "{1:2}",       "[\"\\ud800\\u0041\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = json_parse(bad[i], strlen(bad[i]), err, sizeof err);
        assert_null(v);
        assert_true(strncmp(err, "byte ", 5) == 0);
    }
    /* nesting is bounded */
    char deep[200];
    memset(deep, '[', sizeof deep);
    v = json_parse(deep, sizeof deep, err, sizeof err);
    assert_null(v);
    assert_non_null(strstr(err, "nested deeper"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whiteout_and_replace),
        cmocka_unit_test(test_opaque),
        cmocka_unit_test(test_dir_replaced_and_back),
        cmocka_unit_test(test_removed_then_whiteout_again),
        cmocka_unit_test(test_dir_entries),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
