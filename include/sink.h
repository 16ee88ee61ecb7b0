/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink: the one way out. sink_pick() chooses the output format (from -f,
 * else from the extension of -o FILE, else the command's choice for
 * standard output) and sink_write() writes a finished tree in it, through out.h:
 * to a temporary file renamed into place, so a failed run leaves no half
 * file behind. The formats are a table, sink_formats[]: a name for -f, its
 * other names, the extensions of -o, and a write function.
 *
 * Adding a format: one file src/sink_NAME.c defining a struct sink_format
 * whose write() draws from struct sink_job (add a field there if it needs
 * options of its own), and one line in sink_formats[] in sink.c. The help
 * text and the man page list it too.
 *
 * Library code: nothing is printed; warnings and errors come back as heap
 * strings for the front end to say. Not thread-safe: one output at a time.
 */
#ifndef DUFLAME_SINK_H
#define DUFLAME_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diff.h"
#include "flame.h"
#include "report.h"
#include "tree.h"

struct source_notes;
struct image;

/* what to write: the tree and how each format shows it */
struct sink_job {
    struct tree *t;                   /* FINISHED; a format may sort it */
    unsigned weight;                  /* the slot drawn or listed */
    bool diff;                        /* a joined tree (diff.h): BEFORE and AFTER slots */
    const struct flame_opts *fo;      /* the picture (svg); its sort orders folded lines */
    const struct report_opts *ro;     /* the text summary of a tree */
    const struct diff_text_opts *dto; /* the text report of a joined tree */
    struct source_notes *notes;       /* a scan's archives (source.h), for ncdu; may be NULL */
    const char *page_title;           /* html: the page's heading (NULL: fo's title) */
    size_t max_entries;               /* html, explorable svg: the data budget (0: default) */
    bool explore;                     /* svg: also embed the tree and the page engine */
    struct image *const *images;      /* html, explorable svg: the container images in t */
    size_t nimages;
    struct tree *image_layers; /* html, explorable svg: the images by layer, or NULL */
};

struct sink_format {
    const char *name;           /* -f NAME, and in messages */
    const char *const *aliases; /* other names for -f, NULL-terminated, or NULL */
    const char *const *exts;    /* extensions of -o FILE (".svg"), NULL-terminated */
    /* write: 0; 1 when written but incomplete (*warn says why); -1 when it
     * failed (*err says why, or NULL: a write error, errno set) */
    int (*write)(FILE *fp, const struct sink_job *job, char **warn, char **err);
};

/* the formats, in the order --help names them */
extern const struct sink_format *const sink_formats[];
extern const size_t sink_nformats;
extern const struct sink_format sink_svg, sink_html, sink_folded, sink_text, sink_ncdu;
/* duflame diff's ranking (sink_diff.c), as a Markdown table (in the table:
 * -f markdown, -o FILE.md) and as JSON (not in the table: -f json and .json
 * are a scan's ncdu export, which duflame diff turns into this); a scan's job
 * is refused */
extern const struct sink_format sink_json, sink_markdown;

/* sink_svg_explorable (sink_html.c): the SVG of job with the whole tree and
 * the page engine after its frames; returns as flame_write(), *msg its
 * message, *note a note when entries were merged into aggregates */
int sink_svg_explorable(FILE *fp, const struct sink_job *job, char **msg, char **note);

/* sink_find: the format -f NAME names, or NULL */
const struct sink_format *sink_find(const char *name);

/* sink_bad_format: "invalid --format 'NAME': expected svg, html, folded or text"
 * (heap string) */
char *sink_bad_format(const char *name);

/* sink_pick: f when given (not NULL); else, with an output file, the format
 * whose extension it has, or NULL when none claims it (sink_bad_ext says
 * why); else (standard output, or an output that is a device or a pipe such
 * as /dev/null) dflt */
const struct sink_format *sink_pick(const struct sink_format *f, const char *output,
                                    const struct sink_format *dflt);

/* sink_bad_ext: "cannot tell the format of 'NAME' from its extension:
 * expected .svg, .folded or .txt, or give --format" (heap string) */
char *sink_bad_ext(const char *output);

/* sink_write: write job in format f to output (NULL or "-": standard
 * output). Returns 0; 1 when written but incomplete (*warn set); 2 when
 * nothing usable was written (*err set; no file left behind). *warn may be
 * set with any return. The caller frees both. */
int sink_write(const struct sink_format *f, const char *output, const struct sink_job *job,
               char **warn, char **err);

#endif
