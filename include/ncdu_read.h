/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ncdu_read: ncdu's JSON export (format major 1, any minor; what `ncdu -o`
 * and `gdu -o` write) read into a weighted tree with a scan's three weights
 * (TREE_W_DISK = dsize, TREE_W_APPARENT = asize, TREE_W_COUNT = 1 per entry).
 *
 * The tree: a root named o->root_name (default "all") standing for the
 * scan, with the export's top directory as its one child, named as in the
 * file (ncdu writes the absolute path), so it has the shape of a scan of one
 * PATH. An export duflame wrote of several PATHs (its top directory carries
 * "paths":true) is the root itself.
 *
 * What each entry becomes (own weights; the tree is returned finished):
 *  - asize/dsize as given (0 when absent); a directory (an array) is
 *    TREE_DIR; "notreg" is TREE_SPECIAL; "read_error" is TREE_UNREADABLE;
 *    a regular file gets its class from its name (kind.h);
 *  - "excluded": a node with no weights at all (not an entry, as du does not
 *    count it), the reason kept in the flags (tree_excluded_of);
 *  - "hlnkc" with "ino": the names of one inode (dev inherited from the
 *    enclosing directories when not given) count once, as ncdu and du count
 *    them: the weights stay on one name (the smallest path bytewise, the
 *    walker's choice) and the others are zeroed and flagged TREE_HARDLINK;
 *    each name's inode goes to the tree's link table (tree_link_set);
 *  - duflame's own keys, which ncdu ignores: "archive":true flags
 *    TREE_ARCHIVE, "counted":false makes an entry count 0 (an entry inside
 *    an archive is not an inode). Other keys (mtime, uid, ...) are skipped.
 *
 * Names are bytes: \uXXXX escapes become UTF-8 (a valid surrogate pair one
 * character, a lone surrogate its three bytes, as ncdu does), other bytes
 * are kept as they are, valid UTF-8 or not. So a name ncdu or duflame wrote
 * reads back byte for byte.
 *
 * Streaming and bounded: the input is read in blocks (plain, gzip or zstd,
 * recognised by content), nesting is followed through the nodes' parent
 * pointers (no recursion, no stack per level), and beyond the nodes the
 * memory held is one name, a table of the names in the directories still
 * open (to find duplicates) and the hard-linked entries.
 *
 * Bad input: the first syntax error, wrong type, number out of range
 * (sizes above 2^63-1, as ncdu), name longer than max_name, nesting deeper
 * than max_depth or early end stops the reading; what was read before it is
 * kept. Duplicate names in a directory are kept (as ncdu keeps them) and
 * said. Every problem is one message through o->warn, of the form
 * "'NAME': byte N: WHAT" (N counts the uncompressed JSON text from 0).
 *
 * Ownership: the tree is the caller's (tree_free). Reentrant: no shared
 * state; one call reads one input on the calling thread.
 */
#ifndef DUFLAME_NCDU_READ_H
#define DUFLAME_NCDU_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "tree.h"

#define NCDU_DEFAULT_DEPTH 100000u
#define NCDU_DEFAULT_NAME 65536u

/* ncdu_warn_fn: one message (see above); the front end prints "duflame: MSG" */
typedef void (*ncdu_warn_fn)(void *ctx, const char *msg);

struct ncdu_read_opts {
    const char *root_name; /* NULL: "all" */
    unsigned max_depth;    /* directory levels; 0: NCDU_DEFAULT_DEPTH */
    size_t max_name;       /* bytes in one name; 0: NCDU_DEFAULT_NAME */
    ncdu_warn_fn warn;     /* may be NULL */
    void *warn_ctx;
};

/*
 * ncdu_read_fd: read an export from fd, whose first headlen bytes were
 * already read into head (e.g. by ncdu_sniff's caller; may be 0). name is
 * the input's name for messages. Returns a FINISHED tree and sets *status to
 * 0, or 1 when something was wrong but the top directory was read (what was
 * read is kept); returns NULL with *status 2 when nothing usable was read
 * (not an export, or broken before its top directory). fd is not closed.
 */
struct tree *ncdu_read_fd(int fd, const void *head, size_t headlen, const char *name,
                          const struct ncdu_read_opts *o, int *status);

/*
 * ncdu_read_into: the same, into a tree being built (not finished: the
 * caller runs tree_finish()) through arena a: top is called once, with the
 * top directory's name and whether it stands for several PATHs, and returns
 * the node of t that becomes the top directory (its weights and flags are
 * set, the entries become its children, after any it has). Returns the
 * status as above (2: top was not called, nothing was added).
 */
typedef struct tree_node *(*ncdu_top_fn)(void *ctx, const char *name, size_t len, bool paths);
int ncdu_read_into(int fd, const void *head, size_t headlen, const char *name, struct tree *t,
                   struct tree_arena *a, ncdu_top_fn top, void *top_ctx,
                   const struct ncdu_read_opts *o);

/* ncdu_read_memory: the same as ncdu_read_fd for an export held in memory */
struct tree *ncdu_read_memory(const void *buf, size_t len, const char *name,
                              const struct ncdu_read_opts *o, int *status);

/* ncdu_sniff: do the first len bytes of a file look like the start of an
 * ncdu export ("[1,", the minor version, ",{" with white space allowed),
 * plain or gzip or zstd compressed? A plain start cut short after "[1,"
 * counts. Give what there is of the first 64 KiB: a zstd frame shows its
 * first bytes only once its first block is whole. */
bool ncdu_sniff(const void *buf, size_t len);

#endif
