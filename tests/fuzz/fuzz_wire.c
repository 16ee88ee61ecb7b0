/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_wire: the bytes one duflame-mpi rank sends another (wire.h), read as
 * a subtree, whatever they hold.
 *
 * Invariants checked:
 *  - wire_get_children never reads past the end and never crashes; what it
 *    made, written again with wire_put_children and read back, is the same
 *    number of nodes and the same bytes (the format is its own fixed point).
 *  - the streamed form (wire_enc_more in pieces of 16 bytes) is the same
 *    bytes, and read back piece by piece (wire_dec_more) the same number
 *    of nodes; every piece but the last ends with 0, the last with 1.
 *  - wire_key_cmp on the two halves of the input is antisymmetric and a key
 *    equals itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "tree.h"
#include "wire.h"

static struct tree_node *read_into(struct tree *t, const uint8_t *p, size_t n, int *rc)
{
    struct tree_node *h = tree_add(tree_main_arena(t), t->root, "h", 1);
    struct wire_rd r = {p, p + n, false};
    *rc = wire_get_children(&r, t, tree_main_arena(t), h, NULL, NULL);
    return h;
}

/* the streamed form of h (in t) against its whole bytes b */
static void stream_check(struct tree_node *h, struct tree *t, const struct wire_buf *b)
{
    struct wire_enc e;
    struct wire_buf piece = {0}, all = {0};
    size_t *cuts = NULL, ncuts = 0;
    wire_enc_begin(&e, &piece, t, h, NULL, NULL);
    bool done;
    do {
        done = wire_enc_more(&e, &piece, 16);
        wire_put_raw(&all, piece.p, piece.len);
        cuts = realloc(cuts, (ncuts + 1) * sizeof *cuts);
        if (!cuts)
            abort();
        cuts[ncuts++] = all.len;
        piece.len = 0;
    } while (!done);
    if (all.len != b->len || (b->len && memcmp(all.p, b->p, b->len) != 0))
        fc_fail("the streamed bytes differ from the whole");
    struct tree *v = tree_new("all", 3);
    struct tree_node *hv = tree_add(tree_main_arena(v), v->root, "h", 1);
    struct wire_rd r = {all.p, all.p + cuts[0], false};
    struct wire_dec d;
    wire_dec_begin(&d, &r, v, tree_main_arena(v), hv, NULL, NULL);
    for (size_t i = 0; i < ncuts; i++) {
        r.end = all.p + cuts[i];
        if (wire_dec_more(&d, &r, false) != (i + 1 < ncuts ? 0 : 1))
            fc_fail("a streamed piece not read as a piece");
    }
    wire_dec_free(&d);
    if (tree_count_nodes(hv) != tree_count_nodes(h))
        fc_fail("node count changed through the stream");
    tree_free(v);
    free(cuts);
    free(all.p);
    free(piece.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tree *t = tree_new("all", 3);
    int rc;
    struct tree_node *h = read_into(t, data, size, &rc);
    if (rc == 0) {
        struct wire_buf b = {0};
        wire_put_children(&b, t, h, NULL, NULL);
        struct tree *u = tree_new("all", 3);
        int rc2;
        struct tree_node *h2 = read_into(u, b.p, b.len, &rc2);
        if (rc2 != 0)
            fc_fail("written bytes not read back");
        if (tree_count_nodes(h) != tree_count_nodes(h2))
            fc_fail("node count changed through the wire");
        struct wire_buf b2 = {0};
        wire_put_children(&b2, u, h2, NULL, NULL);
        if (b.len != b2.len || (b.len && memcmp(b.p, b2.p, b.len) != 0))
            fc_fail("the format is not its own fixed point");
        stream_check(h, t, &b);
        free(b.p);
        free(b2.p);
        tree_free(u);
    }
    tree_free(t);
    size_t half = size / 2;
    int ab = wire_key_cmp(data, half, data + half, size - half);
    int ba = wire_key_cmp(data + half, size - half, data, half);
    if ((ab > 0) - (ab < 0) != -((ba > 0) - (ba < 0)))
        fc_fail("wire_key_cmp is not antisymmetric");
    if (wire_key_cmp(data, size, data, size) != 0)
        fc_fail("a key differs from itself");
    return 0;
}
