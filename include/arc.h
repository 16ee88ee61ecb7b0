/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc: archives read with libarchive, never extracted. An archive becomes a
 * node (flag TREE_ARCHIVE) whose children are its entries (DESIGN.md
 * "Archives").
 *
 * What is an archive: decided by content, never by the file name. libarchive
 * decodes every format it can decode in-process (tar, zip, 7z, ar, cpio, rpm,
 * iso9660, cab, lha, rar, xar) under every in-process filter (gzip, bzip2,
 * xz, lzma, lzip, zstd, lz4, compress); filters that need an external program
 * (lrzip, lzop, grzip) are never enabled and such input is rejected with a
 * warning. A compressed file whose content is not an archive (a .gz of a
 * text), and a tar with no entry at all (which is what a file of zeros looks
 * like), are files. A file whose NAME says archive (arc_name_says_archive)
 * but whose content cannot be read gets a warning.
 *
 * Names: split on '/'; empty and "." components dropped (so a leading "./" or
 * "/" is); ".." is a literal label flagged TREE_LITERAL that never climbs out;
 * implicit parent directories are created; entries may come in any order; a
 * later entry with the same path replaces the earlier one (as extraction
 * would). Names that are not UTF-8 are kept as bytes (names are decoded
 * under a UTF-8 locale on the reading thread).
 *
 * Weights while filling (own weights, before tree_finish()):
 *  - a regular entry: w[DISK] = w[APPARENT] = its extracted size (a sparse
 *    entry its logical size), w[COUNT] = 1; a hard-link entry (TREE_HARDLINK),
 *    directory, symlink or device: 0 bytes, w[COUNT] = 1;
 *  - a nested archive (a member that is an archive by content, up to
 *    max_depth levels): its own bytes are 0 and its entries are its children,
 *    so the folded sum is the bytes of all regular files inside, nested
 *    archives replaced by their contents at any depth.
 *  - ARC_INPUT (an archive given as a PATH or on stdin): the archive node's own
 *    weights become 0: its totals are the extracted bytes and the entry count.
 *  - ARC_SCAN (an archive met in a scanned tree): the archive node keeps the
 *    totals it had on entry (its du disk usage and apparent size, and its
 *    count), so a scan's totals stay du's: its descendants share the node's
 *    disk and apparent weights in proportion to their extracted sizes
 *    (cumulative rounding: shares sum exactly), and their count is 0 (an
 *    entry inside an archive is not an inode). arc_info reports the
 *    extracted bytes so a sink can show the compression ratio.
 *  - w[STORED] (trees with 4 weights): the bytes an entry takes in the
 *    archive file (arc_stored.h says how they are found), and one
 *    "(archive overhead)" child (tree_add_overhead) takes the rest, so the
 *    archive's stored total is its file size (ARC_INPUT; from a pipe, the
 *    bytes read) or, in a scan, the stored weight it came with (its disk
 *    usage), shared out in proportion; a nested archive's entries share
 *    its stored bytes in its parent the same way.
 *
 * Limits (struct arc_opts): depth, entries, extracted bytes, bytes of nested
 * members held in memory and in temporary files. Reaching one stops that
 * archive (every level of it) with a warning naming the archive and the
 * limit; what was read is kept and the node is flagged TREE_UNREADABLE.
 * A corrupt or truncated archive keeps what was read, warns with the
 * archive's and the entry's names, and flags the node TREE_UNREADABLE.
 * A regular file that changes while it is read (shorter, longer, rewritten
 * in place: its size or times differ after the read) keeps what was read,
 * with a warning that it changed; one renamed over is read as it was opened.
 *
 * Library rules: nothing is printed and nothing ends the program; warnings
 * go to opts->warn. A libarchive reader, an I/O buffer or a nested member
 * that cannot be allocated is a warning on that archive (a member held in
 * memory moves to a temporary file first); only small bookkeeping (names,
 * tree nodes) goes through util.h's x* allocators. The
 * functions are reentrant and thread-safe as long as each call fills nodes
 * that no other thread writes (the walker's rule), through an arena owned by
 * the calling thread. Nested members that need seeking (zip, 7z, iso) are read
 * into memory, else into an unlinked temporary file; nothing else touches
 * the disk.
 */
#ifndef DUFLAME_ARC_H
#define DUFLAME_ARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* arc_warn_fn: one message, e.g. "cannot read archive 'a.tgz': entry 'x':
 * Truncated input file"; names in it are quoted and made printable. The
 * caller prints it (the front end as "duflame: MSG"). May be called from
 * several threads at once when several archives are read at once. */
typedef void (*arc_warn_fn)(void *ctx, const char *msg);

/* arc_info_fn: called once per top-level archive of a scan (ARC_SCAN) after
 * it was filled: node, the extracted bytes of everything inside (nested
 * archives replaced by their contents), and the node's disk and apparent
 * weights that were shared. Same threading as warn. */
typedef void (*arc_info_fn)(void *ctx, const struct tree_node *node, uint64_t extracted,
                            uint64_t disk, uint64_t apparent);

#define ARC_DEFAULT_DEPTH 8
#define ARC_MAX_DEPTH 64
#define ARC_DEFAULT_ENTRIES 10000000ULL
#define ARC_DEFAULT_BYTES_MIN (4ULL << 30) /* 4 GiB ... */
#define ARC_DEFAULT_BYTES_RATIO 200        /* ... or 200 times the archive's size */
#define ARC_DEFAULT_MEMORY (64ULL << 20)
#define ARC_DEFAULT_SPOOL (1ULL << 30)

struct arc_opts {
    unsigned max_depth;   /* archive levels opened (1: no nested archive; 0: none) */
    uint64_t max_entries; /* entries read, all levels together */
    uint64_t max_bytes;   /* extracted bytes of all entries, all levels together;
                             0: the larger of 4 GiB and 200 x the archive's size */
    uint64_t max_memory;  /* bytes of nested members held in memory at once */
    uint64_t max_spool;   /* bytes of nested members in temporary files at once */
    const char *tmpdir;   /* for the temporary files; NULL: $TMPDIR or /tmp */
    arc_warn_fn warn;     /* may be NULL */
    void *warn_ctx;
    arc_info_fn info; /* may be NULL */
    void *info_ctx;
};

/* arc_opts_init: the defaults above, no callbacks */
void arc_opts_init(struct arc_opts *o);

enum arc_mode {
    ARC_INPUT, /* the archive is what is drawn: bytes are extracted bytes */
    ARC_SCAN,  /* the archive is a file in a scan: totals stay du's */
};

/*
 * arc_fill_fd: if the file open on fd (a regular file, or a pipe read from
 * its current position) is an archive by content, fill its entries under node
 * through arena a, flag node TREE_ARCHIVE and set the weights as above. If
 * it is not one, node is left as it was (a warning is given when name says
 * archive). name is the archive's name for messages. fd is not closed.
 * Returns 0, or 1 when a warning was given.
 */
int arc_fill_fd(int fd, const char *name, struct tree_node *node, struct tree_arena *a,
                enum arc_mode mode, const struct arc_opts *o);

/* arc_fill_memory: the same for an archive held in memory (len bytes) */
int arc_fill_memory(const void *buf, size_t len, const char *name, struct tree_node *node,
                    struct tree_arena *a, enum arc_mode mode, const struct arc_opts *o);

/*
 * arc_load_memory: a new FINISHED tree (3 weights: disk, apparent, count)
 * whose root, named name, is the archive in buf (ARC_INPUT weights); a root
 * with no children when buf is not an archive. *status is 0 or 1 as above.
 * For the fuzz harness and tests. The caller frees the tree.
 */
struct tree *arc_load_memory(const void *buf, size_t len, const char *name,
                             const struct arc_opts *o, int *status);

/* arc_name_says_archive: does the file name end like an archive's (.tar,
 * .tar.*, .tgz, .zip, .jar, .deb, .rpm, .7z, .iso, ...)? */
bool arc_name_says_archive(const char *name);

#endif
