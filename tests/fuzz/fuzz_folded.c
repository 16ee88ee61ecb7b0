/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_folded: the folded-stack reader on any bytes, then the writer and
 * the renderer on the tree it made.
 *
 * The first byte picks the reader's options (reverse, flamechart) and
 * whether input goes line by line (folded_reader_line) or through a FILE
 * (folded_reader_read); the rest is the folded text.
 *
 * Invariants checked:
 *  - folded_reader_read's statistics add up (lines = valid + blank +
 *    invalid, invalid = no_count + overflow + negative);
 *  - folded_write's output is valid UTF-8 without controls other than '\n';
 *    read back, every line is valid, and the totals are the same (compared
 *    at a common scale, unless a weight saturated); outside flame-chart mode
 *    the number of frames with a weight is the same too;
 *  - flame_write of the tree gives a well-formed SVG (fc_xml_check) with
 *    exactly one script and a <title> per drawn frame.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "folded.h"
#include "fuzz_check.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t weighted_nodes(struct tree *t)
{
    size_t k = 0;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        if (it.depth > 0 && (tree_w(n, 0) || (t->nweights > 1 && tree_w(n, 1))))
            k++;
    return k;
}

/* __int128: x * 10^scale of two 64-bit totals is exact in 128 bits */
__extension__ typedef unsigned __int128 u128;

static u128 pow10x(unsigned e)
{
    u128 v = 1;
    while (e--)
        v *= 10;
    return v;
}

static void same_total(const struct tree *a, const struct tree *b, unsigned slot)
{
    uint64_t x = tree_w(a->root, slot), y = tree_w(b->root, slot);
    if (x >= UINT64_MAX / 4 || y >= UINT64_MAX / 4)
        return; /* saturated somewhere: totals are capped, not comparable */
    if ((u128)x * pow10x(b->scale) != (u128)y * pow10x(a->scale))
        fc_fail("folded round trip: slot %u total %llu (scale %u) became %llu (scale %u)", slot,
                (unsigned long long)x, a->scale, (unsigned long long)y, b->scale);
}

static bool any_saturated(struct tree *t)
{
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        for (unsigned i = 0; i < t->nweights; i++)
            if (tree_w(n, i) >= UINT64_MAX / 4)
                return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    struct folded_opts fo = {.reverse = data[0] & 1, .flamechart = (data[0] >> 1) & 1};
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    struct folded_reader *r = folded_reader_new(&fo);
    if (data[0] & 4) {
        FILE *in = fmemopen((void *)text, n ? n : 1, "rb");
        if (!in)
            abort();
        struct folded_stats st = {0};
        if (n && folded_reader_read(r, in, &st) != 0)
            fc_fail("folded_reader_read failed on memory input");
        fclose(in);
        if (st.lines != st.valid + st.blank + st.invalid ||
            st.invalid != st.no_count + st.overflow + st.negative)
            fc_fail("folded statistics do not add up");
        if ((st.invalid == 0) != (st.first_invalid == 0))
            fc_fail("first_invalid is inconsistent with invalid");
    } else {
        for (size_t i = 0; i <= n;) {
            const char *nl = memchr(text + i, '\n', n - i);
            size_t len = (nl ? (size_t)(nl - text) : n) - i;
            (void)folded_reader_line(r, text + i, len);
            i += len + 1;
        }
    }
    struct tree *t = folded_reader_finish(r);
    bool diff = t->nweights == 2;

    /* write, check, read back */
    char *mem = NULL;
    size_t ml = 0;
    FILE *w = open_memstream(&mem, &ml);
    if (!w || folded_write(w, t, 0, diff ? FOLDED_WRITE_DIFF : 0) != 0)
        fc_fail("folded_write failed");
    fclose(w);
    fc_utf8_clean("folded output", mem, ml, "\n");
    if (ml && mem[ml - 1] != '\n')
        fc_fail("folded output does not end in a newline");
    struct folded_reader *r2 = folded_reader_new(NULL);
    FILE *in2 = fmemopen(mem, ml ? ml : 1, "rb");
    struct folded_stats st2 = {0};
    if (ml && folded_reader_read(r2, in2, &st2) != 0)
        fc_fail("reading back failed");
    fclose(in2);
    if (st2.invalid)
        fc_fail("folded output line %llu does not read back",
                (unsigned long long)st2.first_invalid);
    struct tree *t2 = folded_reader_finish(r2);
    if (!any_saturated(t)) {
        same_total(t, t2, 0);
        if (diff && t2->nweights == 2)
            same_total(t, t2, 1);
        if (!fo.flamechart && weighted_nodes(t) != weighted_nodes(t2))
            fc_fail("folded round trip: %zu weighted frames became %zu", weighted_nodes(t),
                    weighted_nodes(t2));
    }
    tree_free(t2);
    free(mem);

    /* render */
    struct flame_opts o;
    flame_opts_init(&o);
    o.diff = diff;
    o.flamechart = fo.flamechart;
    o.sort = fo.flamechart ? FLAME_SORT_NONE : FLAME_SORT_NAME;
    o.minwidth = 0;
    char *svg = NULL;
    size_t sl = 0;
    FILE *sf = open_memstream(&svg, &sl);
    char *err = NULL;
    int rc = flame_write(sf, t, &o, &err);
    fclose(sf);
    if (rc < 0)
        fc_fail("flame_write failed: %s", err ? err : "?");
    free(err);
    fc_utf8_clean("svg", svg, sl, "\n");
    struct fc_xml_result xr = fc_xml_check(svg, sl);
    if (xr.scripts != 1)
        fc_fail("svg has %zu scripts", xr.scripts);
    free(svg);
    tree_free(t);
    return 0;
}
