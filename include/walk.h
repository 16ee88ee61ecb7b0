/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * walk: the parallel directory walker. It fills a tree (tree.h) with one node
 * per file system entry, with du's numbers: w[TREE_W_DISK] = st_blocks*512,
 * w[TREE_W_APPARENT] = st_size, w[TREE_W_COUNT] = 1, each node's OWN weight
 * (the caller runs tree_finish()).
 *
 * How: each worker walks a directory with openat()/getdents64()/fstatat()
 * relative to directory descriptors (never by full path, so any depth is
 * counted whole; the innermost levels stay open, shallower ones are reopened
 * through ".." and checked). A directory's entries are stat()ed in inode
 * order (fewer, longer reads of the inode table on a cold cache); an entry
 * listed as a directory is opened first and its descriptor stat()ed. When a worker meets a
 * directory while another worker is idle, it opens it, queues it with its node and descriptor and
 * goes on; an idle worker walks the queued directory.
 *
 * A live file system: an entry listed but gone (or changed) before it is
 * stat()ed or opened costs only itself, said as du says it ("cannot
 * access", "cannot read directory", status 1); a directory replaced by a
 * file or a symbolic link is never entered (opened with O_NOFOLLOW and
 * checked by device and inode), unless with dereference.
 *
 * du's rules: an inode is counted once by (st_dev, st_ino) across every PATH
 * and thread (files with st_nlink > 1; every entry when there are several
 * PATHs or with dereference, as GNU du does) unless count_links is set. A
 * file with st_nlink > 1 gets a node for each name; after the walk, its
 * weights stay on one name only (the earliest PATH, then the smallest path
 * bytewise: the same choice whatever the threads did) and the other names
 * are zeroed and flagged TREE_HARDLINK. Any other entry already counted
 * adds nothing and gets no node (a directory: nor does its subtree). An
 * unreadable directory keeps its own size and is flagged TREE_UNREADABLE.
 * Fifos, sockets and devices are stat()ed, never opened.
 *
 * Ownership: the tree and its nodes belong to the caller's struct tree; the
 * walker makes one arena per thread with tree_arena_new(). Threads: one
 * struct walk is driven by one caller thread; callbacks (warn, file_hook,
 * tick) are called from worker threads, concurrently, and must be
 * thread-safe. A node is written only by the thread that created it or, for
 * a handed-off directory, by the one thread that walks it.
 */
#ifndef DUFLAME_WALK_H
#define DUFLAME_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tree.h"

struct walk_opts;

/* walk_warn_fn: one problem, said once. what is e.g. "cannot read directory",
 * path the entry's path (bytes, any length), errnum an errno value or 0.
 * The front end prints "duflame: WHAT 'PATH': strerror(errnum)". */
typedef void (*walk_warn_fn)(void *ctx, const char *what, const char *path, int errnum);

/*
 * walk_file_hook_fn: the archives hook. Called from a worker thread for each
 * regular file (and a PATH that is one) when opts->archives is set, after
 * the file's node got its own weights from stat. It may add children under
 * node (tree_child()/tree_add() on arena a, the calling thread's own arena)
 * and set node's flags (TREE_ARCHIVE, TREE_UNREADABLE). The file is
 * name relative to directory descriptor dirfd (AT_FDCWD and the full path
 * when the walker has no descriptor); path is the full path for messages.
 * Returns 0, or 1 when something could not be read (it then called
 * o->warn): the run's exit status becomes 1.
 */
typedef int (*walk_file_hook_fn)(const struct walk_opts *o, struct tree_arena *a,
                                 struct tree_node *node, int dirfd, const char *name,
                                 const char *path, const struct stat *st);

/* walk_tick_fn: progress, called now and then (every few thousand entries)
 * from a worker thread with the totals so far and the directory that worker
 * is in (valid during the call only). */
typedef void (*walk_tick_fn)(void *ctx, uint64_t entries, uint64_t bytes, const char *dir);

/* walk_defer_fn: called from a worker thread for each subdirectory met below
 * a PATH, after its node got its own weights, before it is opened. True:
 * its entries are left to the caller (walked elsewhere, e.g. by walk_graft()
 * in another process) and the walker does not open it; path (len bytes) is
 * valid during the call only, root_dev is its PATH's device. */
typedef bool (*walk_defer_fn)(void *ctx, struct tree_node *n, const char *path, size_t len,
                              const struct stat *st, dev_t root_dev);

struct walk_opts {
    unsigned threads;            /* worker threads; 0: walk_default_threads() */
    bool one_file_system;        /* -x: skip entries on another device than their PATH */
    bool dereference;            /* -L: follow symbolic links (directory loops skipped) */
    bool dereference_args;       /* -H: a PATH that is a symbolic link is what it points to */
    bool count_links;            /* -l: count every hard link */
    const char *const *excludes; /* --exclude globs (fnmatch, as du) */
    size_t nexcludes;
    bool keep_excluded; /* an entry left out by excludes or one_file_system gets a
                           node without weights, flagged (tree_excluded_of) */
    walk_warn_fn warn;  /* may be NULL */
    void *warn_ctx;
    walk_tick_fn tick; /* may be NULL */
    void *tick_ctx;
    /* ---- archives ---- */
    bool archives; /* hand regular files to file_hook */
    /* the hook may give entries to files below the PATHs too, not only to
     * PATHs that are files; when false, those files are made as leaves
     * (tree_add_leaf), which hold their weights in fewer bytes */
    bool hook_inside;
    walk_file_hook_fn file_hook;
    void *hook_ctx;       /* for the hook's own use */
    const void *arc_opts; /* for the hook's own use */
    /* ---- a walk shared with other processes (duflame-mpi) ---- */
    walk_defer_fn defer; /* may be NULL */
    void *defer_ctx;
    bool several_paths;   /* count every inode once, as with several PATHs (the
                             walk is part of one over several) */
    bool hold;            /* walk_run() waits for walk_graft() or walk_release()
                             when out of work, instead of returning */
    bool links_elsewhere; /* hard-linked files keep the weights of every name and
                             no link table entry: the caller decides (walk_links) */
};

/* walk_default_threads: the default of -j (see walk.c for the measurements) */
unsigned walk_default_threads(void);

/* walk_exclude_match: does path (an entry's full path as walked) match one of
 * the globs, as du --exclude does: the whole path or any part of it after a
 * '/', fnmatch() without flags. */
bool walk_exclude_match(const char *const *globs, size_t n, const char *path);

struct walk;

/* walk_new: a walker filling t (t->nweights should be 3). The opts are copied
 * (the strings they point to must outlive the walk). Free with walk_free. */
struct walk *walk_new(struct tree *t, const struct walk_opts *o);

/* walk_add: note PATH, to be scanned by walk_run() into a new child of
 * parent named label (label NULL: the path itself). parent must belong to the
 * walker's tree and not be written by anyone during walk_run(). Nothing is
 * read yet; the strings must outlive walk_run(). As du: a PATH that is a
 * symbolic link is the link itself (unless dereference or
 * dereference_args), and "link/" (a trailing slash) is the directory. */
void walk_add(struct walk *w, struct tree_node *parent, const char *path, const char *label);

/* walk_run: walk every PATH added, in order of walk_add, on the worker
 * threads. A PATH that cannot be stat()ed is said ("cannot access 'PATH'");
 * one excluded or already counted gets no node, silently (as du). Returns
 * 0, or 1 when something was unreadable or missing (each said once through
 * warn). Call once. */
int walk_run(struct walk *w);

/* walk_graft: walk the entries of the directory at path (stat()ed as st,
 * checked by device and inode when opened) into node, which exists already,
 * -x against root_dev. Thread-safe: may be called during walk_run() with
 * hold set. The string is copied. */
void walk_graft(struct walk *w, struct tree_node *node, const char *path, const struct stat *st,
                dev_t root_dev);

/* walk_release: with hold, walk_run() returns once out of work. Thread-safe. */
void walk_release(struct walk *w);

/* walk_idle: walk_run() runs, every worker waits and nothing is queued.
 * Thread-safe. */
bool walk_idle(struct walk *w);

/* walk_counted: the inode (dev, ino) counts as met (an entry of it adds
 * nothing when inodes are deduplicated). Before walk_run(). */
void walk_counted(struct walk *w, dev_t dev, ino_t ino);

/* walk_root: the node made for the i-th PATH added, NULL if none. After
 * walk_run(). */
struct tree_node *walk_root(const struct walk *w, size_t i);

/* walk_links: with links_elsewhere, each name of a file with several links,
 * after walk_run(): fn(ctx, node, its inode) */
void walk_links(const struct walk *w,
                void (*fn)(void *ctx, struct tree_node *n, const struct tree_link *l), void *ctx);

struct walk_stats {
    uint64_t entries; /* nodes made */
    uint64_t dirs;
    uint64_t handoffs; /* directories handed to another worker */
    uint64_t deep;     /* directories whose path is near PATH_MAX or longer */
    uint64_t errors;
};
void walk_get_stats(const struct walk *w, struct walk_stats *s);

void walk_free(struct walk *w);

#endif
