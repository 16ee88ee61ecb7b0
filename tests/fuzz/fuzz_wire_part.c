/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_wire_part: a duflame-mpi rank's part (wire_part.h) read from bytes,
 * whatever they hold. The first byte sets the size of the messages (1 to 32
 * bytes) the rest is cut into; the rest is also read as one message.
 *
 * Invariants checked:
 *  - reading never crashes, never reads past a message, and frees all it
 *    took (the sanitizer's leak check);
 *  - a part read whole in small messages is read whole in one message too,
 *    with the same number of units, warnings, notes and nodes (cutting
 *    only ever fails a part, never changes what it holds);
 *  - a part read whole takes no more bytes: feeding one more is an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "tree.h"
#include "wire_part.h"

struct wp_counts {
    struct tree *t;
    size_t units, says, notes;
};

static struct tree_node *wp_holder(void *ctx)
{
    struct wp_counts *c = ctx;
    return tree_add(tree_main_arena(c->t), c->t->root, "h", 1);
}

static void wp_say(void *ctx, const char *msg, size_t len)
{
    (void)msg, (void)len;
    ((struct wp_counts *)ctx)->says++;
}

static void wp_note(void *ctx, struct tree_node *n, const uint64_t v[3])
{
    (void)v;
    if (!(n->flags & TREE_ARCHIVE))
        fc_fail("a note on a node that is no archive");
    ((struct wp_counts *)ctx)->notes++;
}

static void wp_unit(void *ctx, uint64_t donor, uint64_t seq, struct tree_node *holder)
{
    (void)donor, (void)seq, (void)holder;
    ((struct wp_counts *)ctx)->units++;
}

/* read p[0..n) in messages of piece bytes (all of it at once: piece 0);
 * true when the part was read whole */
static bool wp_read(const uint8_t *p, size_t n, size_t piece, struct wp_counts *c)
{
    c->t = tree_new("all", 4);
    struct wire_part_hooks h = {.t = c->t,
                                .a = tree_main_arena(c->t),
                                .holder = wp_holder,
                                .say = wp_say,
                                .note = wp_note,
                                .unit = wp_unit,
                                .ctx = c,
                                .max_gifts = 1u << 16};
    struct wire_part part;
    wire_part_init(&part, &h);
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0; off += piece ? piece : n) {
        size_t k = piece && n - off > piece ? piece : n - off;
        /* each message in a buffer of its own: a read past it is caught */
        uint8_t *m = malloc(k ? k : 1);
        if (!m)
            abort();
        memcpy(m, p + off, k);
        struct wire_rd r = {m, m + k, false};
        rc = wire_part_feed(&part, &r);
        free(m);
    }
    bool done = rc == 0 && wire_part_done(&part);
    if (done) {
        uint8_t one = 0;
        struct wire_rd r = {&one, &one + 1, false};
        if (wire_part_feed(&part, &r) != -1)
            fc_fail("a part read whole took one byte more");
    }
    wire_part_free(&part);
    return done;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = 1 + data[0] % 32;
    struct wp_counts a = {0}, b = {0};
    bool cut = wp_read(data + 1, size - 1, piece, &a);
    bool whole = wp_read(data + 1, size - 1, 0, &b);
    if (cut) {
        if (!whole)
            fc_fail("read whole in pieces, not in one message");
        if (a.units != b.units || a.says != b.says || a.notes != b.notes ||
            tree_count_nodes(a.t->root) != tree_count_nodes(b.t->root))
            fc_fail("pieces changed what the part holds");
    }
    tree_free(a.t);
    tree_free(b.t);
    return 0;
}
