/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wire_part: reading the part a duflame-mpi rank sends rank 0 (the
 * reduction, src/mpi/mpi_merge.c), as it arrives in messages. A part is a
 * sequence of records, all numbers varints (wire.h):
 *
 *   warnings:  count, then each message as a byte string
 *   gifts:     how many directories the rank gave away
 *   notes:     count, then per archive noted: extracted, disk, apparent
 *   units:     count, then per directory walked for another rank: the
 *              giver's rank, its number there, the placeholder's flags and
 *              the directory's entries (wire_enc_*)
 *
 * Among the entries, a directory the rank gave away as number s is marked
 * 2s + 2 (WIRE_MARK_GIFT), the archive of note i 2i + 1 (WIRE_MARK_NOTE).
 * The writer cuts the part into messages between records (and between the
 * nodes of a unit), so each message holds whole records.
 *
 * The reader keeps its place between messages. It never trusts the bytes: a
 * malformed part is an error (-1), never a crash; a count is checked
 * against what it may be before anything is allocated for it. Library
 * code: what it reads goes to the hooks; nothing is printed. Not
 * thread-safe: one part, one thread.
 */
#ifndef DUFLAME_WIRE_PART_H
#define DUFLAME_WIRE_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"
#include "wire.h"

#define WIRE_MARK_GIFT(s) (2 * (uint64_t)(s) + 2)
#define WIRE_MARK_NOTE(i) (2 * (uint64_t)(i) + 1)

struct wire_part_hooks {
    struct tree *t;
    struct tree_arena *a;
    /* holder: a new node, without children, to read a unit's entries into */
    struct tree_node *(*holder)(void *ctx);
    /* say: one warning of the rank (len bytes, not NUL-terminated) */
    void (*say)(void *ctx, const char *msg, size_t len);
    /* note: an archive's note (extracted, disk, apparent) on the node made */
    void (*note)(void *ctx, struct tree_node *n, const uint64_t v[3]);
    /* unit: a unit read whole: its giver, its number there, its holder */
    void (*unit)(void *ctx, uint64_t donor, uint64_t seq, struct tree_node *holder);
    void *ctx;
    uint64_t max_gifts; /* no rank gave more directories away (else malformed) */
};

struct wire_part {
    const struct wire_part_hooks *h;
    int phase;
    uint64_t left; /* warnings, notes or units still to read */
    bool bad;
    struct tree_node **map; /* the directories given away, by number (NULL
                               until read, or when a unit did not come) */
    size_t nmap;
    uint64_t (*notes)[3];
    size_t nnotes, capnotes;
    struct wire_dec dec; /* within a unit */
    uint64_t donor, seq;
    struct tree_node *cur;
};

void wire_part_init(struct wire_part *p, const struct wire_part_hooks *h);

/* wire_part_feed: the records of one message. 0 when it was read (the part
 * may go on in the next); -1 on malformed bytes, and every later call too */
int wire_part_feed(struct wire_part *p, struct wire_rd *r);

/* wire_part_done: every record of the part was read */
bool wire_part_done(const struct wire_part *p);

void wire_part_free(struct wire_part *p);

#endif
