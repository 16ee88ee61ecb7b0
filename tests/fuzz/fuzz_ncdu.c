/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_ncdu: the ncdu export reader on any bytes, then the writer on the
 * tree it made.
 *
 * The first byte picks the reader's limits (nesting depth and name length,
 * small ones so that the limits are reached); the rest is the input.
 *
 * Invariants checked:
 *  - a tree comes back exactly when the status is 0 or 1, and every
 *    problem gave a message that names the input and a byte offset;
 *  - the writer's output has no raw control byte but newlines, and reads
 *    back (saying nothing but the duplicate names it kept) to the same totals (disk, apparent,
 * entries) and the same number of nodes;
 *  - writing that second tree gives the same bytes again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "ncdu_read.h"
#include "ncdu_write.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct msgs {
    unsigned n;
};

static void on_warn(void *ctx, const char *msg)
{
    struct msgs *m = ctx;
    m->n++;
    if (strncmp(msg, "'in': byte ", 11) != 0)
        fc_fail("message without the input's name and a byte offset: %s", msg);
}

/* reading the writer's output back: only duplicates (which are kept, and
 * so written again) may be said */
static void on_warn_again(void *ctx, const char *msg)
{
    on_warn(ctx, msg);
    if (!strstr(msg, "duplicate name"))
        fc_fail("the writer's output reads back with: %s", msg);
}

static char *write_tree(struct tree *t, size_t *len)
{
    char *mem = NULL;
    FILE *f = open_memstream(&mem, len);
    struct ncdu_write_opts o = {.timestamp = 0, .progver = "fuzz"};
    if (!f || ncdu_write(f, t, &o) != 0)
        fc_fail("ncdu_write failed");
    fclose(f);
    return mem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256 * 1024)
        return 0;
    struct msgs m = {0};
    struct ncdu_read_opts o = {
        .max_depth = (data[0] & 1) ? 8 : 0,
        .max_name = (data[0] & 2) ? 4 : 0,
        .warn = on_warn,
        .warn_ctx = &m,
    };
    int st = -1;
    struct tree *t = ncdu_read_memory(data + 1, size - 1, "in", &o, &st);
    if ((t != NULL) != (st == 0 || st == 1))
        fc_fail("status %d with tree %p", st, (void *)t);
    if (st != 0 && m.n == 0)
        fc_fail("status %d without a message", st);
    if (!t)
        return 0;

    size_t len;
    char *out = write_tree(t, &len);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)out[i] < 0x20 && out[i] != '\n')
            fc_fail("raw control byte 0x%02x at %zu of the output", (unsigned char)out[i], i);
    struct msgs m2 = {0};
    struct ncdu_read_opts o2 = {.warn = on_warn_again, .warn_ctx = &m2};
    int st2 = -1;
    struct tree *t2 = ncdu_read_memory(out, len, "in", &o2, &st2);
    if (!t2 || st2 > 1)
        fc_fail("the writer's output reads back with status %d", st2);
    for (unsigned i = 0; i < 3; i++)
        if (tree_w(t->root, i) != tree_w(t2->root, i))
            fc_fail("weight %u: %llu read, %llu after a round trip", i,
                    (unsigned long long)tree_w(t->root, i),
                    (unsigned long long)tree_w(t2->root, i));
    if (tree_count_nodes(t->root) != tree_count_nodes(t2->root))
        fc_fail("%zu nodes read, %zu after a round trip", tree_count_nodes(t->root),
                tree_count_nodes(t2->root));
    size_t len2;
    char *out2 = write_tree(t2, &len2);
    if (len != len2 || memcmp(out, out2, len) != 0)
        fc_fail("writing the tree read back gives other bytes");
    free(out);
    free(out2);
    tree_free(t2);
    tree_free(t);
    return 0;
}
