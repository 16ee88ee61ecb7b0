/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_arc: the archive reader (arc.h) on in-memory input, nested archives
 * included, with small limits so a bomb stays quick. The whole input is the
 * archive (so the seeds in corpus/fuzz_arc are plain archive files); the
 * input's length modulo 4 picks the mode: 0 ARC_INPUT through
 * arc_load_memory(), 1 ARC_SCAN through arc_fill_memory() under a node that
 * already has a scan's weights, 2 and 3 the same two through arc_fill_fd()
 * on a memfd (the paths a real file takes: the threaded xz decoder of an
 * input .xz, a scan's peek into gzip and xz heads).
 *
 * Invariants checked:
 *  - every warning is valid UTF-8 without control bytes (names in messages
 *    are made printable);
 *  - no entry name below the archive contains '/', and none is empty or
 *    "."; a ".." is flagged TREE_LITERAL (labels never climb out);
 *  - ARC_SCAN: the node keeps the disk and apparent totals it had on entry
 *    (the shares of its entries sum exactly) and the count of one file;
 *  - stored bytes: an archive's entries and its "(archive overhead)" add up
 *    to the input's size (ARC_SCAN: to the disk usage it had on entry);
 *  - the tree renders to a well-formed SVG with one <script>, and writes
 *    as folded text that reads back without an invalid line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arc.h"
#include "flame.h"
#include "folded.h"
#include "fuzz_check.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fc_utf8_clean("arc warning", msg, strlen(msg), NULL);
}

static void check_names(struct tree *t, struct tree_node *top)
{
    struct tree_iter it;
    tree_iter_init(&it, top);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        if (n == top)
            continue;
        if (memchr(n->name, '/', n->len))
            fc_fail("archive entry name holds '/': %.*s", (int)n->len, n->name);
        if (n->len == 0 || (n->len == 1 && n->name[0] == '.'))
            fc_fail("archive entry name is empty or '.'");
        if (n->len == 2 && memcmp(n->name, "..", 2) == 0 && !(n->flags & TREE_LITERAL))
            fc_fail("'..' entry not flagged literal");
        if (n->name[n->len] != '\0')
            fc_fail("name not NUL-terminated");
    }
    (void)t;
}

static void render_check(struct tree *t)
{
    struct flame_opts o;
    flame_opts_init(&o);
    o.units = FLAME_UNITS_BYTES;
    o.countname = "bytes";
    o.marks = true;
    o.color_by_kind = true;
    o.minwidth = 0;
    char *svg = NULL;
    size_t sl = 0;
    FILE *f = open_memstream(&svg, &sl);
    char *err = NULL;
    if (flame_write(f, t, &o, &err) < 0)
        fc_fail("flame_write failed: %s", err ? err : "?");
    fclose(f);
    free(err);
    fc_utf8_clean("svg", svg, sl, "\n");
    if (fc_xml_check(svg, sl).scripts != 1)
        fc_fail("svg has a script too many");
    free(svg);

    char *txt = NULL;
    size_t tl = 0;
    f = open_memstream(&txt, &tl);
    if (folded_write(f, t, TREE_W_APPARENT, 0) != 0)
        fc_fail("folded_write failed");
    fclose(f);
    fc_utf8_clean("folded", txt, tl, "\n");
    struct folded_reader *r = folded_reader_new(NULL);
    for (size_t i = 0; i < tl;) {
        const char *nl = memchr(txt + i, '\n', tl - i);
        size_t len = (size_t)(nl - (txt + i));
        enum folded_line k = folded_reader_line(r, txt + i, len);
        if (k != FOLDED_OK)
            fc_fail("folded line of an archive tree does not read back: %.*s", (int)len, txt + i);
        i += len + 1;
    }
    struct tree *t2 = folded_reader_finish(r);
    if (tree_w(t->root, TREE_W_APPARENT) < UINT64_MAX / 4 &&
        tree_w(t2->root, 0) != tree_w(t->root, TREE_W_APPARENT))
        fc_fail("folded total %llu != tree total %llu", (unsigned long long)tree_w(t2->root, 0),
                (unsigned long long)tree_w(t->root, TREE_W_APPARENT));
    tree_free(t2);
    free(txt);
}

/* check_stored: an archive's entries and its overhead add up to its size
 * (in a scan, to the disk usage it came with) */
static void check_stored(const struct tree_node *n, uint64_t want)
{
    if (tree_w(n, TREE_W_STORED) != want)
        fc_fail("stored total %llu != %llu", (unsigned long long)tree_w(n, TREE_W_STORED),
                (unsigned long long)want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    struct arc_opts o;
    arc_opts_init(&o);
    o.max_entries = 20000;
    o.max_bytes = 16u << 20;
    o.max_memory = 8u << 20;
    o.max_spool = 8u << 20;
    o.warn = on_warn;
    int st = 0;
    struct tree *t;
    int fd = -1;
    if (size % 4 >= 2) {
        /* a regular file's descriptor, as a scan or a PATH gives one */
        fd = memfd_create("fuzz.bin", MFD_CLOEXEC);
        if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) ||
            lseek(fd, 0, SEEK_SET) != 0)
            abort();
    }
    if (size % 4 == 0) {
        t = arc_load_memory(data, size, "fuzz.bin", &o, &st);
        check_names(t, t->root);
        check_stored(t->root, size);
    } else if (size % 4 == 2) {
        t = tree_new("fuzz.bin", 4);
        t->wnames[0] = "disk";
        t->wnames[1] = "apparent";
        t->wnames[2] = "count";
        t->wnames[3] = "stored";
        st = arc_fill_fd(fd, "fuzz.bin", t->root, tree_main_arena(t), ARC_INPUT, &o);
        tree_finish(t);
        check_names(t, t->root);
        if (t->root->flags & TREE_ARCHIVE)
            check_stored(t->root, size);
    } else {
        t = tree_new("all", 4);
        t->wnames[0] = "disk";
        t->wnames[1] = "apparent";
        t->wnames[2] = "count";
        t->wnames[3] = "stored";
        struct tree_node *node = tree_add(tree_main_arena(t), t->root, "fuzz.bin", 8);
        uint64_t disk = (size + 4095) / 4096 * 4096;
        tree_set_w(node, TREE_W_DISK, disk);
        tree_set_w(node, TREE_W_APPARENT, size);
        tree_set_w(node, TREE_W_COUNT, 1);
        tree_set_w(node, TREE_W_STORED, disk);
        st = fd >= 0
                 ? arc_fill_fd(fd, "fuzz.bin", node, tree_main_arena(t), ARC_SCAN, &o)
                 : arc_fill_memory(data, size, "fuzz.bin", node, tree_main_arena(t), ARC_SCAN, &o);
        tree_finish(t);
        check_names(t, node);
        check_stored(node, disk);
        if (tree_w(node, TREE_W_DISK) != disk || tree_w(node, TREE_W_APPARENT) != size ||
            tree_w(node, TREE_W_COUNT) != 1)
            fc_fail("ARC_SCAN changed the node's totals: %llu %llu %llu, was %llu %zu 1",
                    (unsigned long long)tree_w(node, 0), (unsigned long long)tree_w(node, 1),
                    (unsigned long long)tree_w(node, 2), (unsigned long long)disk, size);
    }
    if (fd >= 0)
        close(fd);
    if (st != 0 && st != 1)
        fc_fail("arc status %d", st);
    render_check(t);
    tree_free(t);
    return 0;
}
