/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "viewdata.h"

/* base64 back to bytes (the encoder's output is padded, without breaks) */
static unsigned char *unbase64(const char *s, size_t len, size_t *n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    assert_int_equal(len % 4, 0);
    unsigned char *out = malloc(len / 4 * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            const char *p = s[i + j] == '=' ? NULL : strchr(abc, s[i + j]);
            if (!p)
                pad++;
            v = v << 6 | (uint32_t)(p ? p - abc : 0);
        }
        out[k++] = (unsigned char)(v >> 16);
        if (pad < 2)
            out[k++] = (unsigned char)(v >> 8);
        if (pad < 1)
            out[k++] = (unsigned char)v;
    }
    *n = k;
    return out;
}

struct rd {
    const unsigned char *p;
    size_t pos, len;
};

static uint64_t vi(struct rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        assert_true(r->pos < r->len);
        unsigned char b = r->p[r->pos++];
        v |= (uint64_t)(b & 127) << shift;
        if (!(b & 128))
            return v;
    }
}

/* the payload: base64, then raw DEFLATE */
static unsigned char *unpack(const struct name_buf *b, size_t *n)
{
    size_t zlen;
    unsigned char *z = unbase64(b->s, b->len, &zlen);
    size_t cap = zlen * 4 + 1024;
    unsigned char *out = malloc(cap);
    z_stream s;
    memset(&s, 0, sizeof s);
    assert_int_equal(inflateInit2(&s, -15), Z_OK);
    s.next_in = z;
    s.avail_in = (uInt)zlen;
    for (;;) {
        if (s.total_out == cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        s.next_out = out + s.total_out;
        s.avail_out = (uInt)(cap - s.total_out);
        int r = inflate(&s, Z_NO_FLUSH);
        if (r == Z_STREAM_END)
            break;
        assert_int_equal(r, Z_OK);
    }
    assert_int_equal(s.avail_in, 0);
    *n = s.total_out;
    inflateEnd(&s);
    free(z);
    return out;
}

/* readers at each column of the n records that follow r's position: child
 * counts, flags1, flags2, name references, then nw weight slots; the last
 * column must end the payload */
enum { C_CHILDREN, C_FLAGS1, C_FLAGS2, C_NAME, C_W };
static void columns(const struct rd *r, uint64_t n, unsigned nw, struct rd *col)
{
    struct rd at = *r;
    for (unsigned c = 0; c < C_W + nw; c++) {
        col[c] = at;
        if (c == C_FLAGS1 || c == C_FLAGS2)
            at.pos += n;
        else
            for (uint64_t i = 0; i < n; i++)
                vi(&at);
    }
    assert_int_equal(at.pos, at.len);
}

static void test_base64(void **state)
{
    (void)state;
    struct name_buf b = {0};
    viewdata_base64_add(&b, (const unsigned char *)"", 0);
    assert_string_equal(b.s, "");
    viewdata_base64_add(&b, (const unsigned char *)"f", 1);
    viewdata_base64_add(&b, (const unsigned char *)"fo", 2);
    viewdata_base64_add(&b, (const unsigned char *)"foobar", 6);
    assert_string_equal(b.s, "Zg==Zm8=Zm9vYmFy");
    name_buf_release(&b);
}

/* root "all" -> d (dir) -> { x.c (10), y (20), "a;b c" (30) }, e -> x.c (5) */
static struct tree *sample(void)
{
    struct tree *t = tree_new("all", 3);
    struct tree_arena *a = tree_main_arena(t);
    struct tree_node *d = tree_add(a, t->root, "d", 1);
    d->flags |= TREE_DIR;
    tree_set_w(d, 0, 4096);
    tree_set_w(d, 2, 1);
    const char *names[] = {"x.c", "y", "a;b c"};
    for (int i = 0; i < 3; i++) {
        struct tree_node *f = tree_add(a, d, names[i], strlen(names[i]));
        tree_set_w(f, 1, (uint64_t)(i + 1) * 10);
        tree_set_w(f, 0, tree_w(f, 1));
        tree_set_w(f, 2, 1);
    }
    struct tree_node *e = tree_add(a, t->root, "e", 1);
    e->flags |= TREE_DIR | TREE_UNREADABLE;
    tree_set_w(e, 2, 1);
    struct tree_node *x = tree_add(a, e, "x.c", 3);
    tree_set_w(x, 1, 5);
    tree_set_w(x, 0, tree_w(x, 1));
    tree_set_w(x, 2, 1);
    tree_set_kind(x, TREE_KIND_SOURCE);
    tree_finish(t);
    tree_sort(t, TREE_BY_WEIGHT, 0);
    return t;
}

struct decoded {
    uint64_t n, nnames, tot[3], aggs, agg_siblings;
    char names[8][16];
    int refs_reused;
    unsigned char flags_e, flags2_e;
};

static void decode(const struct name_buf *b, struct decoded *d)
{
    memset(d, 0, sizeof *d);
    size_t len;
    unsigned char *raw = unpack(b, &len);
    struct rd r = {raw, 0, len};
    assert_int_equal(vi(&r), VIEWDATA_VERSION);
    assert_int_equal(vi(&r), 3);
    d->n = vi(&r);
    d->nnames = vi(&r);
    uint64_t nlen = vi(&r);
    size_t at = r.pos;
    for (uint64_t k = 0; k < d->nnames && k < 8; k++) {
        const unsigned char *nl = memchr(raw + at, '\n', len - at);
        assert_non_null(nl);
        memcpy(d->names[k], raw + at, (size_t)(nl - raw - at));
        at = (size_t)(nl - raw) + 1;
    }
    r.pos += nlen;
    struct rd col[C_W + 3];
    columns(&r, d->n, 3, col);
    for (uint64_t i = 0; i < d->n; i++) {
        vi(&col[C_CHILDREN]);
        unsigned char f1 = raw[col[C_FLAGS1].pos++], f2 = raw[col[C_FLAGS2].pos++];
        assert_int_equal(!!(f1 & VIEWDATA_MORE), !!f2);
        uint64_t ref = vi(&col[C_NAME]);
        if (f1 & VIEWDATA_AGGREGATE) {
            d->aggs++;
            d->agg_siblings += ref;
        } else if (ref) {
            d->refs_reused++;
        }
        if (f2 & VIEWDATA_UNREADABLE) {
            d->flags_e = f1;
            d->flags2_e = f2;
        }
        for (int k = 0; k < 3; k++)
            d->tot[k] += vi(&col[C_W + k]);
    }
    assert_int_equal(col[C_W + 2].pos, len);
    free(raw);
}

/* the data made in one pass (in memory) and a pass a column (streamed to a
 * file) are the same bytes, with the same statistics */
static void assert_both_ways(const struct tree *t, const struct viewdata_opts *o)
{
    struct name_buf b = {0};
    struct viewdata_stats st, st2;
    assert_int_equal(viewdata_encode(&b, t, o, &st), 0);
    struct viewdata_opts multi = *o;
    multi.one_pass = 1;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(viewdata_write(fp, viewdata_prepare(t, &multi, &st2)), 0);
    assert_memory_equal(&st, &st2, sizeof st);
    long flen = ftell(fp);
    assert_int_equal((size_t)flen, b.len);
    rewind(fp);
    char *fb = malloc((size_t)flen + 1);
    assert_int_equal(fread(fb, 1, (size_t)flen, fp), (size_t)flen);
    assert_memory_equal(fb, b.s, b.len);
    free(fb);
    fclose(fp);
    name_buf_release(&b);
}

static void test_encode(void **state)
{
    (void)state;
    struct tree *t = sample();
    struct name_buf b = {0};
    struct viewdata_opts o = {.weight = 0, .max_entries = 0};
    struct viewdata_stats st;
    assert_int_equal(viewdata_encode(&b, t, &o, &st), 0);
    struct decoded d;
    decode(&b, &d);
    assert_int_equal(d.n, 7);
    assert_int_equal(st.nodes, 7);
    assert_int_equal(st.merged, 0);
    /* "x.c" is stored once and referred to the second time */
    assert_int_equal(d.nnames, 6);
    assert_int_equal(d.refs_reused, 1);
    assert_int_equal(d.tot[0], 4096 + 60 + 5);
    assert_int_equal(d.tot[1], 65);
    assert_int_equal(d.tot[2], 6); /* every entry but the root */
    /* as typed: the semicolon and the space are kept */
    int found = 0;
    for (int k = 0; k < 6; k++)
        found |= strcmp(d.names[k], "a;b c") == 0;
    assert_true(found);
    assert_true(d.flags_e & VIEWDATA_DIR);
    assert_true(d.flags2_e & VIEWDATA_UNREADABLE);
    name_buf_release(&b);
    tree_free(t);
}

static void test_budget(void **state)
{
    (void)state;
    struct tree *t = sample();
    struct name_buf b = {0};
    struct viewdata_opts o = {.weight = 0, .max_entries = 4};
    assert_both_ways(t, &o);
    struct viewdata_stats st;
    assert_int_equal(viewdata_encode(&b, t, &o, &st), 0);
    struct decoded d;
    decode(&b, &d);
    assert_true(d.n <= 4);
    assert_true(st.merged > 0);
    assert_int_equal(st.embedded, d.n);
    assert_int_equal(d.aggs, st.aggregates);
    /* the totals survive the merge in every slot */
    assert_int_equal(d.tot[0], 4096 + 60 + 5);
    assert_int_equal(d.tot[1], 65);
    assert_int_equal(d.tot[2], 6); /* every entry but the root */
    name_buf_release(&b);
    tree_free(t);
}

/* More distinct names than the writer's cache holds, each name used twice:
 * every record's name must still resolve to its node's name, whether it was
 * referred to or stored again; and the streamed data is the same as the
 * data made in memory. */
static void test_names_beyond_cache(void **state)
{
    (void)state;
    struct tree *t = tree_new("all", 1);
    struct tree_arena *a = tree_main_arena(t);
    enum { N = 100000 };
    char nm[32];
    for (int d = 0; d < 2; d++) {
        struct tree_node *dir = tree_add(a, t->root, d ? "b" : "a", 1);
        for (int i = 0; i < N; i++) {
            int k = snprintf(nm, sizeof nm, "n%d", i);
            tree_set_w(tree_add(a, dir, nm, (size_t)k), 0, 1);
        }
    }
    tree_finish(t);
    tree_sort(t, TREE_BY_NAME, 0);
    struct name_buf b = {0};
    struct viewdata_opts o = {0};
    struct viewdata_stats st;
    assert_int_equal(viewdata_encode(&b, t, &o, &st), 0);
    assert_true(st.names < 2 * N + 3); /* some names were referred to */
    assert_true(st.names > N + 3);     /* and some stored again: the cache was full */

    assert_both_ways(t, &o);

    size_t len;
    unsigned char *raw = unpack(&b, &len);
    struct rd r = {raw, 0, len};
    assert_int_equal(vi(&r), VIEWDATA_VERSION);
    assert_int_equal(vi(&r), 1);
    uint64_t n = vi(&r), nnames = vi(&r), nlen = vi(&r);
    assert_int_equal(n, 2 * N + 3);
    assert_int_equal(nnames, st.names);
    assert_int_equal(nlen, st.name_bytes);
    size_t *off = malloc((nnames + 1) * sizeof *off);
    size_t at = r.pos;
    for (uint64_t k = 0; k < nnames; k++) {
        off[k] = at;
        const unsigned char *nl = memchr(raw + at, '\n', len - at);
        assert_non_null(nl);
        at = (size_t)(nl - raw) + 1;
    }
    assert_int_equal(at - r.pos, nlen);
    r.pos = at;
    struct rd col[C_W + 1];
    columns(&r, n, 1, col);
    uint64_t next_new = 0;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (uint64_t i = 0; i < n; i++) {
        struct tree_node *want = tree_iter_next(&it, true);
        assert_non_null(want);
        vi(&col[C_CHILDREN]);
        col[C_FLAGS1].pos++;
        col[C_FLAGS2].pos++;
        uint64_t ref = vi(&col[C_NAME]);
        uint64_t id = ref ? ref - 1 : next_new++;
        assert_true(id < nnames);
        const unsigned char *nl = memchr(raw + off[id], '\n', len - off[id]);
        assert_int_equal((size_t)(nl - raw) - off[id], want->len);
        assert_memory_equal(raw + off[id], want->name, want->len);
        vi(&col[C_W]);
    }
    assert_int_equal(next_new, nnames);
    assert_int_equal(col[C_W].pos, len);
    free(off);
    free(raw);
    name_buf_release(&b);
    tree_free(t);
}

/* five weights a node from a callback (a diff page's extra slots): slot i
 * is (i + 1) times the tree's slot 0 */
static void five(void *ctx, const struct tree_node *n, uint64_t *tot)
{
    (void)ctx;
    for (unsigned i = 0; i < 5; i++)
        tot[i] = tree_w(n, 0) * (i + 1);
}

/* the records carry the callback's weights: own weights that add up to
 * each slot's total, whole and with entries merged */
static void test_extra(void **state)
{
    (void)state;
    struct tree *t = sample();
    for (size_t max = 0; max <= 4; max += 4) {
        struct name_buf b = {0};
        struct viewdata_opts o = {.weight = 0, .max_entries = max, .nextra = 5, .extra = five};
        assert_both_ways(t, &o);
        struct viewdata_stats st;
        assert_int_equal(viewdata_encode(&b, t, &o, &st), 0);
        size_t len;
        unsigned char *raw = unpack(&b, &len);
        struct rd r = {raw, 0, len};
        assert_int_equal(vi(&r), VIEWDATA_VERSION);
        assert_int_equal(vi(&r), 5);
        uint64_t n = vi(&r);
        vi(&r);
        r.pos += vi(&r);
        struct rd col[C_W + 5];
        columns(&r, n, 5, col);
        uint64_t sum[5] = {0}, own_d = 0;
        for (uint64_t i = 0; i < n; i++) {
            unsigned char f1 = raw[col[C_FLAGS1].pos++];
            for (int k = 0; k < 5; k++) {
                uint64_t w = vi(&col[C_W + k]);
                sum[k] += w;
                /* d: a directory of own weight 4096 (its files are children) */
                if (k == 0 && (f1 & VIEWDATA_DIR) && w >= 4096)
                    own_d = w;
            }
        }
        for (int k = 0; k < 5; k++)
            assert_int_equal(sum[k], (4096 + 60 + 5) * (uint64_t)(k + 1));
        if (!max)
            assert_int_equal(own_d, 4096);
        else
            assert_true(st.merged > 0);
        free(raw);
        name_buf_release(&b);
    }
    tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64), cmocka_unit_test(test_names_beyond_cache),
        cmocka_unit_test(test_encode), cmocka_unit_test(test_budget),
        cmocka_unit_test(test_extra),
    };
    return cmocka_run_group_tests_name("viewdata", tests, NULL, NULL);
}
