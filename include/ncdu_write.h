/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ncdu_write: a finished scan tree (weights disk, apparent, count) written
 * as ncdu's JSON export, format 1.2 (what ncdu 1.16 and later write and
 * read with -o and -f), so that ncdu, gdu and other viewers can open a
 * duflame scan and duflame can read it back (ncdu_read.h).
 *
 * The top directory: the root's one child when the root stands for one PATH
 * (one child, no weight of its own); otherwise the root itself, marked
 * "paths":true. Each node is written in ncdu's shape: a node with children
 * or TREE_DIR is an array (its own entry, then its children), anything else
 * an object. Keys:
 *  - "name": the bytes of the name; '"' and '\' escaped, control bytes and
 *    DEL as JSON escapes, every other byte as it is (ncdu's own rule, so
 *    invalid UTF-8 reads back byte for byte in ncdu and in duflame);
 *  - "asize", "dsize": the node's OWN apparent size and disk usage (0 is
 *    left out, as ncdu does);
 *  - a file with several names (TREE_LINKED, see tree_link_get): "dev",
 *    "ino", "hlnkc":true, "nlink", and on every name the file's sizes, so
 *    that a reader counting each inode once (ncdu, duflame) gets du's total;
 *  - "read_error":true (TREE_UNREADABLE), "notreg":true (symbolic links,
 *    devices, fifos, sockets), "excluded":"pattern"|"otherfs"|... (an
 *    excluded entry, no sizes);
 *  - duflame's own keys, which ncdu skips: "archive":true on an archive
 *    read as a directory, "extracted": the extracted bytes of an archive
 *    and (estimated from its share) of each file inside one, when
 *    o->extracted knows them; "counted":false on an entry that is not an
 *    inode (inside an archive met in a scan).
 * Children are written sorted by name (the tree's sibling lists are sorted
 * in place), so the same tree gives the same bytes.
 *
 * Streaming: one pass over the tree, no recursion, memory beyond a write
 * buffer only for the hard-linked files. Not thread-safe for one tree.
 */
#ifndef DUFLAME_NCDU_WRITE_H
#define DUFLAME_NCDU_WRITE_H

#include <stdint.h>
#include <stdio.h>

#include "tree.h"

struct ncdu_write_opts {
    int64_t timestamp;   /* the header's "timestamp" (the caller takes
                            SOURCE_DATE_EPOCH or the time now) */
    const char *progver; /* the header's "progver"; NULL: "0" */
    /* extracted: the extracted bytes of an archive node of a scan, 0 when
     * not known; may be NULL */
    uint64_t (*extracted)(void *ctx, const struct tree_node *archive);
    void *extracted_ctx;
};

/* ncdu_write: write t (finished, nweights 3) to f. Returns 0, or -1 when a
 * write failed (errno set, as by fwrite). */
int ncdu_write(FILE *f, struct tree *t, const struct ncdu_write_opts *o);

#endif
