/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_collapse_bpftrace: the bpftrace collapser on any bytes (fuzz_collapse.h says
 * what is checked). The first byte is not used.
 */
#include "fuzz_collapse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    struct collapse_opts o = {0};
    (void)fz_inline;
    fz_collapse(COLLAPSE_BPFTRACE, &o, data + 1, size - 1);
    return 0;
}
