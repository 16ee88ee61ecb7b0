/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_collapse_perf: the perf collapser on any bytes (fuzz_collapse.h says
 * what is checked). The first byte's bits: --pid, --tid, --kernel, --jit, --addrs,
 * --srcline, --event-filter=cycles, --inline (through a stand-in lookup).
 */
#include "fuzz_collapse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    struct collapse_opts o = {
        .pid = data[0] & 1,
        .tid = (data[0] >> 1) & 1,
        .kernel = (data[0] >> 2) & 1,
        .jit = (data[0] >> 3) & 1,
        .addrs = (data[0] >> 4) & 1,
        .srcline = (data[0] >> 5) & 1,
        .event_filter = (data[0] >> 6) & 1 ? "cycles" : NULL,
        .inline_fn = (data[0] >> 7) & 1 ? fz_inline : NULL,
    };
    fz_collapse(COLLAPSE_PERF, &o, data + 1, size - 1);
    return 0;
}
