# SPDX-License-Identifier: BSD-2-Clause
# Helpers for the tests that profile with perf (sourced, not run): build
# tests/cli/prof/cpu.c, and skip (status 77, with the reason) where perf is
# missing or may not record here.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

# prof_build: ./prof_cpu, with a frame pointer in every function
prof_build() {
    cc -O0 -g -fno-omit-frame-pointer -o prof_cpu "$DUFLAME_SRC/tests/cli/prof/cpu.c" ||
        fail "cannot build prof_cpu"
}

# prof_need_perf: skip unless `perf record -g -e cpu-clock` works here
prof_need_perf() {
    if ! command -v perf >/dev/null 2>&1; then
        echo "perf is not installed (Debian: linux-perf): cannot record"
        exit 77
    fi
    if ! perf record -q -g -e cpu-clock -o probe.data true >probe.log 2>&1 || [ ! -s probe.data ]; then
        echo "perf record cannot record here ($(head -c 200 probe.log | tr '\n' ' ')); perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)"
        exit 77
    fi
    rm -f probe.data probe.log
}
