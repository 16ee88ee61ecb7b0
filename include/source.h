/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source: the one way in. source_load() turns PATHs into one FINISHED tree,
 * whatever each PATH is: a directory (walked, du's numbers), a regular file
 * (one frame, or an archive drawn as its contents), "-" (standard input: an
 * archive for a scan, folded text for a profile), a folded file. Which kind
 * a PATH is gets decided here and nowhere else: source_kinds[] is a table of
 * kinds in the order they are tried, each with a sniff (on the PATH's stat
 * and its first bytes) and a load function.
 *
 * Families. A kind makes either a du tree (SOURCE_DU: three weights, disk,
 * apparent size and entries, a root standing for all PATHs with one child
 * per PATH) or a profile (SOURCE_PROFILE: one weight, samples, or two for
 * differential stacks, every PATH's stacks added into one tree rooted at
 * "all"). The caller says which families it accepts; a kind of another
 * family is never tried. When no kind says yes, o->fallback is used (NULL:
 * the PATH is refused: "cannot access 'P': reason", or "'P' is not a
 * directory, an archive or a folded profile").
 *
 * Adding a kind: one file src/source_NAME.c defining a struct source_kind
 * (declared below), and one line in source_kinds[] in source.c. A load
 * function adds what it read under the run's tree (source_run_node() for a
 * du kind's node named as the PATH; source_run_profile() for a profile's
 * reader), reports problems through source_run_warn() and returns 0, or 1
 * when something was unreadable or skipped.
 *
 * Library code: nothing is printed; every problem goes to o->warn once, as
 * a message without the "duflame: " prefix. Ownership: the tree in the
 * result is the caller's (tree_free); source_result_release() frees the
 * rest. Not thread-safe itself (it starts the walker's threads); o->warn,
 * o->tick and the archive-note hook are called from worker threads.
 */
#ifndef DUFLAME_SOURCE_H
#define DUFLAME_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "arc.h"
#include "folded.h"
#include "tree.h"
#include "walk.h"

enum source_family {
    SOURCE_DU = 1u << 0,      /* disk, apparent, count: a scan's tree */
    SOURCE_PROFILE = 1u << 1, /* samples: a profile's tree */
};

/* source_warn_fn: one message, e.g. "cannot read 'x': Permission denied" */
typedef void (*source_warn_fn)(void *ctx, const char *msg);

struct source_kind;

struct source_opts {
    unsigned families;                  /* SOURCE_DU, SOURCE_PROFILE or both: the kinds tried */
    const struct source_kind *fallback; /* when no kind says yes; NULL: refuse */
    const char *root_name;              /* a du tree's root; NULL: "all" */
    struct walk_opts walk;     /* walker options (hooks other than warn/tick are set here) */
    struct arc_opts arc;       /* archive limits */
    bool archives;             /* --archives: look into archives met in directories */
    bool archive_notes;        /* remember archives' extracted bytes (source_note) */
    bool image_layers;         /* --layers: an image drawn one child per layer */
    bool image_pages;          /* also each image by layer in image_layers (the page's
                                  "by layer" view); not with image_layers */
    bool follow_dir_link;      /* a PATH that is a symbolic link to a directory is
                                  that directory, still named as given (diff) */
    struct folded_opts folded; /* how profiles are read */
    source_warn_fn warn;       /* may be NULL */
    void *warn_ctx;
};

/* source_opts_init: no family, no fallback, walker and archive defaults */
void source_opts_init(struct source_opts *o);

/* what was read, for the front end's own summary */
struct source_result {
    struct tree *t;                 /* FINISHED (tree_finish done), the caller's */
    const struct source_kind *kind; /* the first PATH's kind */
    int status;                     /* 0, or 1: something unreadable or skipped (said) */
    unsigned failed;                /* PATHs that could not be read at all (said) */
    struct folded_stats stats;      /* profiles: the lines of every PATH */
    char *first_invalid;            /* profiles: the PATH of the first invalid line
                                       ("standard input" for -), NULL if none */
    uint64_t first_invalid_line;
    struct source_notes *notes; /* archive notes (archive_notes), for source_note */
    struct image **images;      /* the container images read (image.h), in order */
    size_t nimages;
    struct tree *image_layers; /* image_pages: the images by layer (not finished), or NULL */
};

/* source_load: load paths[0..n) (n >= 1) into r->t. Returns 0, or -1 when
 * nothing could be loaded (a PATH refused, or families mixed: said through
 * o->warn; r->t is NULL). r is the caller's; release with
 * source_result_release(). */
int source_load(const char *const *paths, size_t n, const struct source_opts *o,
                struct source_result *r);

/* source_result_release: the notes and names; the tree only if still set */
void source_result_release(struct source_result *r);

/* source_note: a flame_opts note hook (flame.h) for a scan with
 * archive_notes: on an archive "extracted N bytes, 11.8 MiB, 3.2x its disk
 * usage", on an entry inside one "about N bytes, H, extracted". ctx is the
 * result's notes; weight is the slot drawn (source_notes_weight). */
size_t source_note(void *ctx, const struct tree_node *n, char *buf, size_t cap);
/* source_note_extracted: the extracted bytes of an archive of the load
 * (archive_notes), 0 when not known (ns may be NULL) */
uint64_t source_note_extracted(struct source_notes *ns, const struct tree_node *archive);
void source_notes_weight(struct source_notes *ns, unsigned weight);
/* source_notes_new, source_notes_add: notes made outside source_load() (a
 * scan loaded elsewhere, duflame-mpi): an archive's extracted bytes and the
 * disk and apparent weights it shared (arc_info_fn's arguments). Adding is
 * thread-safe; release with source_result_release() once in a result. */
struct source_notes *source_notes_new(void);
void source_notes_add(struct source_notes *ns, const struct tree_node *node, uint64_t extracted,
                      uint64_t disk, uint64_t apparent);

/* source_arc_file: what a scan does with a regular file the walker hands
 * its archive hook (walk_file_hook_fn's arguments): opened by name under
 * dirfd (not followed unless input), checked to be the file stat()ed as
 * st, and read by arc_fill_fd(), ARC_INPUT when input (a PATH), else
 * ARC_SCAN. A file replaced or gone is skipped quietly; one that cannot be
 * opened is said through ao->warn when input or its name says archive.
 * Returns 0, or 1 when something was said. Thread-safe as arc_fill_fd. */
int source_arc_file(struct tree_arena *a, struct tree_node *node, int dirfd, const char *name,
                    const char *path, const struct stat *st, bool input, const struct arc_opts *ao);

/* source_kind_of: the kind source_load() would give path among o->families
 * (o->fallback when none says yes; NULL: refused) */
const struct source_kind *source_kind_of(const char *path, const struct source_opts *o);

/* source_image_note: a flame_opts note hook: on a node of a container image
 * its layer and command (image_note), else source_note on the result's
 * archive notes. ctx is the struct source_result. */
size_t source_image_note(void *ctx, const struct tree_node *n, char *buf, size_t cap);
/* source_image_report: a report_opts extra hook: each image's wasted bytes
 * and largest wasted paths (image_report). ctx is the struct source_result. */
void source_image_report(FILE *fp, void *ctx);
/* source_image_packed: a report_opts packed hook: n is inside one of the
 * result's images (ctx: the struct source_result) */
bool source_image_packed(void *ctx, const struct tree_node *n);

/* ---- kinds ---------------------------------------------------------------- */

/* what a sniff looks at: st is the stat() of the PATH (followed), valid when
 * stat_ok; head holds the first bytes of a regular file (len <= 64 KiB;
 * head_eof when that is the whole file), empty for "-" and anything else */
struct source_probe {
    const char *path;
    bool is_stdin;
    bool stat_ok;
    int stat_errno;
    struct stat st;
    const char *head;
    size_t len;
    bool head_eof;
};

struct source_run; /* one source_load() in progress */

struct source_kind {
    const char *name; /* "directory", "archive", "folded profile": said to the user */
    const char *noun; /* with its article: "a directory", "an archive" */
    unsigned family;  /* SOURCE_DU or SOURCE_PROFILE */
    bool needs_head;  /* sniff looks at the first bytes (read only if so) */
    bool libraries;   /* reads through libarchive or libcrypto (lazylib_preload) */
    bool (*sniff)(const struct source_probe *p);
    /* load: add the PATH to the run; 0, 1 (something said), or -1: could not
     * be read at all (said) */
    int (*load)(struct source_run *run, const struct source_probe *p);
};

/* the kinds, in the order they are tried */
extern const struct source_kind *const source_kinds[];
extern const size_t source_nkinds;

/* the kinds defined today: source.c (directory, archive, path: anything
 * else the walker is given, as du), source_folded.c and source_ncdu.c */
extern const struct source_kind source_directory, source_archive, source_path, source_folded,
    source_ncdu;
/* source_perf.c: `perf script` text, perf.data, and render's fallback that
 * tells them and folded text apart on standard input too */
extern const struct source_kind source_perf_text, source_perf_data, source_profile;
/* source_image.c: a docker save tarball or an OCI image layout (image.h) */
extern const struct source_kind source_image;

/* for load functions */
const struct source_opts *source_run_opts(const struct source_run *run);
struct tree_node *source_run_node(struct source_run *run,
                                  const char *name); /* du: under the root */
struct tree_arena *source_run_arena(struct source_run *run);
/* source_run_tree: a du run's tree, being built (for a kind that keeps
 * more than weights, e.g. the link table) */
struct tree *source_run_tree(struct source_run *run);
struct folded_reader *source_run_profile(struct source_run *run);
struct source_result *source_run_result(struct source_run *run);
/* source_run_walk: have the walker scan path into a node named label (NULL:
 * path) when the run ends */
void source_run_walk(struct source_run *run, const char *path, const char *label);
void source_run_warn(struct source_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* source_run_cannot_read: "cannot read 'PATH': strerror(e)" through warn
 * ("standard input" for "-") */
void source_run_cannot_read(struct source_run *run, const struct source_probe *p, int e);
/* source_run_add_folded: add one input's line statistics to the run's; name
 * is kept when it holds the run's first invalid line */
void source_run_add_folded(struct source_run *run, const struct folded_stats *st, const char *name);

/* source_not_a: "'PATH' is not a directory, an archive or a folded
 * profile", naming the kinds of o->families (du kinds first, then
 * profiles, each in table order); heap string */
char *source_not_a(const struct source_opts *o, const char *path);

#endif
