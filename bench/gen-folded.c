/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen-folded: deterministic, profile-like folded stacks for the render
 * benchmark.
 *   gen-folded LINES            LINES stacks as stackcollapse-*.pl prints them:
 *                               sorted, one line per stack
 *   gen-folded LINES POOL       LINES lines drawn (unsorted, earlier ones hotter)
 *                               from POOL distinct stacks, as when profiles of
 *                               several runs are concatenated: distinct frames
 *                               stay those of POOL stacks however many lines
 *   gen-folded --deep LINES     LINES sorted lines, stacks of 1 to 60 frames drawn
 *                               from 5,000 names of 5 to 30 characters that
 *                               share prefixes (ext4_, do_sys_, ...) as
 *                               symbols do; each stack keeps some leading
 *                               frames of an earlier one, as call trees do
 * Stacks are walks of 20 to 40 frames through a fixed random call graph of
 * 4,000 functions (each calls 1 to 4 others) from a few entry points, each
 * sharing all but its last frames with an earlier stack; counts
 * are 1 to 200. Same arguments, same bytes, on any machine (own xorshift
 * generator, no libc rand).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFUNC 4000

static uint64_t state;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define NDEEP 5000
#define DEEPMAX 60

/* deep_name: a name of 5 to 30 characters: a shared prefix, a word and a
 * number, cut or padded to the drawn length */
static void deep_name(char *out, unsigned i)
{
    static const char *const pre[] = {"ext4_", "do_sys_", "__x64_", "vfs_", "mm_", "sched_",
                                      "tcp_", "std::vector<", "Py", "g_", "__libc_", "rb_",
                                      "v8::internal::", "pthread_", "blk_mq_", "xa_"};
    static const char *const word[] = {"read", "write", "alloc", "free", "lookup", "insert",
                                       "open", "close", "map", "unmap", "flush", "wait",
                                       "call", "eval", "parse", "emit", "push", "pop"};
    unsigned len = 5 + below(26);
    char tmp[96];
    int n = snprintf(tmp, sizeof tmp, "%s%s_%s%u", pre[below(16)], word[below(18)],
                     word[below(18)], i);
    while (n < (int)len) /* pad with a suffix such as inlined clones get */
        n += snprintf(tmp + n, sizeof tmp - (size_t)n, ".part.%u", below(10));
    memcpy(out, tmp, len);
    out[len] = '\0';
}

/* deep: LINES sorted lines of 1 to DEEPMAX frames (a short stack may repeat:
 * flamegraph.pl adds such lines up, as duflame does) */
static int deep(unsigned long lines)
{
    static char names[NDEEP][32];
    static unsigned calls[NDEEP][6], ncalls[NDEEP];
    for (unsigned i = 0; i < NDEEP; i++) {
        deep_name(names[i], i);
        ncalls[i] = 1 + below(6);
        for (unsigned j = 0; j < ncalls[i]; j++)
            calls[i][j] = below(NDEEP);
    }
    char **pool = malloc(lines * sizeof *pool);
    unsigned char *depths = malloc(lines);
    unsigned *frames = malloc(lines * DEEPMAX * sizeof *frames);
    char buf[DEEPMAX * 32 + 16];
    if (!pool || !depths || !frames)
        return 1;
    for (unsigned long p = 0; p < lines; p++) {
        unsigned *fr = frames + p * DEEPMAX;
        unsigned keep = 0;
        if (p >= 8) {
            unsigned long from = p - 1 - next() % (p < 2000 ? p : 2000);
            keep = below(depths[from] + 1u);
            memcpy(fr, frames + from * DEEPMAX, keep * sizeof *fr);
        }
        unsigned depth = 1 + below(DEEPMAX);
        if (depth <= keep)
            depth = keep + 1 > DEEPMAX ? DEEPMAX : keep + 1;
        unsigned f = keep ? calls[fr[keep - 1]][below(ncalls[fr[keep - 1]])] : below(8);
        for (unsigned d = keep; d < depth; d++) {
            fr[d] = f;
            f = calls[f][below(ncalls[f])];
        }
        depths[p] = (unsigned char)depth;
        size_t n = 0;
        for (unsigned d = 0; d < depth; d++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", d ? ";" : "", names[fr[d]]);
        pool[p] = malloc(n + 1);
        if (!pool[p])
            return 1;
        memcpy(pool[p], buf, n + 1);
    }
    qsort(pool, lines, sizeof *pool, cmp);
    for (unsigned long l = 0; l < lines; l++)
        printf("%s %u\n", pool[l], 1 + below(200));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen-folded LINES [POOL] | gen-folded --deep LINES\n");
        return 2;
    }
    if (strcmp(argv[1], "--deep") == 0) {
        state = 0x9e3779b97f4a7c15ULL;
        return argc > 2 ? deep(strtoul(argv[2], NULL, 10)) : 2;
    }
    unsigned long lines = strtoul(argv[1], NULL, 10);
    unsigned long npool = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    state = 0x2545f4914f6cdd1dULL;
    static const char *const mods[] = {"libc.so.6", "kernel", "app", "libstdc++", "libz",
                                       "python3.11", "libssl", "vmlinux"};
    static char names[NFUNC][64];
    static unsigned calls[NFUNC][8], ncalls[NFUNC];
    for (unsigned i = 0; i < NFUNC; i++) {
        snprintf(names[i], sizeof names[i], "%s`fn_%c%c%u_%s", mods[below(8)],
                 'a' + below(26), 'a' + below(26), i, i % 3 ? "impl" : "run");
        ncalls[i] = 1 + below(4);
        for (unsigned j = 0; j < ncalls[i]; j++)
            calls[i][j] = below(NFUNC);
    }
    static const char *const roots[] = {"main", "start_thread", "_start", "worker_loop",
                                        "[unknown]"};
    unsigned long nstacks = npool ? npool : lines;
    char **pool = malloc(nstacks * sizeof *pool);
    char buf[8192];
    if (!pool)
        return 1;
    /* Each stack after the first few shares a prefix with an earlier one (a
     * caller's frames) and differs in its last 1 to 10 frames, as real stacks
     * do: the number of distinct frames is a few per stack, not 30. */
    unsigned char *depths = malloc(nstacks);
    unsigned *frames = malloc(nstacks * 40 * sizeof *frames);
    if (!depths || !frames)
        return 1;
    for (unsigned long p = 0; p < nstacks; p++) {
        unsigned *fr = frames + p * 40;
        unsigned keep = 0;
        if (p >= 16) {
            unsigned long from = p - 1 - next() % (p < 1000 ? p : 1000);
            unsigned d = depths[from];
            keep = d - 1 - below(d - 1 < 10 ? d - 1 : 10);
            memcpy(fr, frames + from * 40, keep * sizeof *fr);
        }
        unsigned depth = keep + 1 + below(10);
        if (depth < 20)
            depth = 20 + below(5);
        if (depth > 40)
            depth = 40;
        /* the first frames come from a small set, as real programs' do */
        unsigned f = keep ? calls[fr[keep - 1]][below(ncalls[fr[keep - 1]])] : below(16);
        for (unsigned d = keep; d < depth; d++) {
            fr[d] = f;
            f = calls[f][below(ncalls[f])];
        }
        depths[p] = (unsigned char)depth;
        size_t n = 0;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", roots[fr[0] % 5]);
        for (unsigned d = 0; d < depth; d++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ";%s", names[fr[d]]);
        pool[p] = malloc(n + 1);
        if (!pool[p])
            return 1;
        memcpy(pool[p], buf, n + 1);
    }
    if (!npool) {
        qsort(pool, nstacks, sizeof *pool, cmp);
        for (unsigned long l = 0; l < lines; l++)
            printf("%s %u\n", pool[l], 1 + below(200));
        return 0;
    }
    for (unsigned long l = 0; l < lines; l++) {
        /* min of two uniform draws: earlier stacks are hotter */
        unsigned long a = next() % npool, b = next() % npool;
        printf("%s %u\n", pool[a < b ? a : b], 1 + below(200));
    }
    return 0;
}
