/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_image_tar: image_tar's reading of a plain tar layer on any bytes,
 * checked against libarchive's reading of the same bytes.
 *
 * Invariants checked:
 *  - where image_tar_read answers (it gave up on nothing), libarchive reads
 *    the same entries, in the same order: path, type and extracted size, and
 *    each entry's stored bytes (its header's position to the next one's);
 *    and it reaches the same end (or the same entry over the limits);
 *  - where it gives up, the layer it leaves is empty;
 *  - the limits are kept: never more entries than the limit plus the one
 *    over it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "arc_dec.h"
#include "arc_reader.h"
#include "fuzz_check.h"
#include "image.h"
#include "image_fs.h"
#include "image_tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* la_read: libarchive's entries of data, as image.c's reader takes them:
 * 0 at the end, 1 broken partway, 2 past max entries; -2 when image.c
 * would not ask image_tar (no reader opens, a filter bids for it, or the
 * first header is not read cleanly) */
static int la_read(const uint8_t *data, size_t size, size_t max, struct image_layer *l)
{
    if (arc_dec_kind(data, size) != ARC_DEC_NONE)
        return -2;
    struct archive *ar = arc_reader_tar_new();
    if (!ar)
        abort();
    int res = -2;
    if (archive_read_open_memory(ar, data, size) == ARCHIVE_OK) {
        uint64_t at = 0;
        for (bool first = true;; first = false) {
            struct archive_entry *e;
            int x = archive_read_next_header(ar, &e);
            if (x >= ARCHIVE_WARN || x == ARCHIVE_EOF) {
                la_int64_t p = archive_read_header_position(ar);
                uint64_t pos = p > 0 ? (uint64_t)p : 0;
                if (!first && l->n && pos > at)
                    l->v[l->n - 1].stored = pos - at;
                if (first || pos > at)
                    at = pos;
            }
            if (x == ARCHIVE_EOF) {
                res = 0;
                break;
            }
            if (first && (x != ARCHIVE_OK || archive_filter_count(ar) != 1)) {
                res = -2;
                break;
            }
            if (x < ARCHIVE_WARN) {
                res = 1;
                break;
            }
            enum image_etype t = image_entry_type(e);
            uint64_t sz =
                t == IMAGE_REG && archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
            const char *p = archive_entry_pathname(e);
            image_layer_add(l, p ? p : "?", t, sz);
            if (l->n > max) {
                res = 2;
                break;
            }
        }
    }
    archive_read_free(ar);
    return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t max = 64;
    struct image_lim lim = {.max_entries = max, .max_bytes = UINT64_MAX};
    struct image_layer fast = {0};
    enum image_tar_result r = image_tar_read(data, size, &lim, &fast);
    if (r == IMAGE_TAR_UNKNOWN) {
        if (fast.n || fast.v)
            fc_fail("gave up with %zu entries kept", fast.n);
        return 0;
    }
    if (fast.n > max + 1)
        fc_fail("%zu entries past the limit of %zu", fast.n, max);
    struct image_layer slow = {0};
    int lr = la_read(data, size, max, &slow);
    if (lr == -2) {
        image_layer_release(&fast);
        image_layer_release(&slow);
        return 0;
    }
    if (r == IMAGE_TAR_END && lr != 0)
        fc_fail("libarchive ends with %d where image_tar read it all", lr);
    if (r == IMAGE_TAR_LIMIT && lr != 2)
        fc_fail("libarchive ends with %d where image_tar reached the limit", lr);
    if (fast.n != slow.n)
        fc_fail("%zu entries, libarchive %zu", fast.n, slow.n);
    for (size_t i = 0; i < fast.n; i++) {
        const struct image_entry *a = &fast.v[i], *b = &slow.v[i];
        if (strcmp(a->path, b->path) != 0 || a->type != b->type || a->size != b->size)
            fc_fail("entry %zu: '%s' %d %llu, libarchive '%s' %d %llu", i, a->path, (int)a->type,
                    (unsigned long long)a->size, b->path, (int)b->type,
                    (unsigned long long)b->size);
        if (a->stored != b->stored)
            fc_fail("entry %zu '%s': stored %llu, libarchive %llu", i, a->path,
                    (unsigned long long)a->stored, (unsigned long long)b->stored);
    }
    image_layer_release(&fast);
    image_layer_release(&slow);
    return 0;
}
