/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame's entry point: picks the subcommand and hands over the command line.
 *   duflame render [OPTIONS] [FILE...]   folded stacks to SVG (cmd_render.c)
 *   duflame diff [OPTIONS] BEFORE AFTER  two loads compared (cmd_diff.c)
 *   duflame collapse KIND [FILE...]      profiler stacks to folded (cmd_collapse.c)
 *   duflame record [OPTIONS] COMMAND     perf record to SVG (cmd_record.c)
 *   duflame [OPTIONS] [PATH...]          load and draw (cmd_scan.c)
 *
 * Module map (docs/ARCHITECTURE.md tells the data flow and the rules):
 *   front ends (they alone talk to the user)
 *     main.c           this file: the subcommand
 *     cmd_scan.c       duflame PATH...: options, source, sink
 *     cmd_render.c     duflame render: options, folded source, SVG sink
 *     cmd_diff.c       duflame diff: options, two sources, join, sink, gate
 *     cmd_collapse.c   duflame collapse: profiler text to folded stacks; addr2line
 *     cmd_record.c     duflame record: perf record, perf script, collapse, draw
 *     cli.c            one option driver over option groups; every usage message
 *     diag.c           messages on stderr, quoting names for them
 *     progress.c       the progress line of a long load
 *   the way in
 *     source.c         any PATH to a finished tree: the table of kinds, du kinds
 *     source_folded.c  the folded-stacks kind
 *     source_ncdu.c    the ncdu-export kind (a saved scan)
 *     source_image.c   the container-image kind (docker save, OCI layout)
 *     image.c          an image's manifests, config and layers read
 *     image_fs.c       layers applied: whiteouts, wasted bytes, each node's layer
 *     image_text.c     an image's tooltips and report lines
 *     json.c           small JSON documents read whole
 *     ncdu_read.c      ncdu's JSON export read into a tree, streaming
 *     source_perf.c    the perf kinds: perf script text, perf.data; render's
 *                      fallback that tells them from folded text on stdin
 *     collapse.c       profiler stacks summed and sorted as the FlameGraph
 *                      scripts do; collapse_perf.c, collapse_dtrace.c and
 *                      collapse_bpftrace.c read each format
 *     scan.c           a du tree, PATHs loaded into it by the walker
 *     walk.c           the parallel directory walker, du's rules
 *     arc.c            archives through libarchive, never extracted: the entry point
 *     arc_ctx.c        one archive read's limits and messages
 *     arc_open.c       the outermost archive's head and reader
 *     arc_sniff.c      what a file's first bytes say it is
 *     arc_feed.c       the bytes a libarchive reader reads
 *     arc_reader.c     libarchive readers with the in-process filter whitelist
 *     arc_level.c      an archive's entries become tree nodes
 *     arc_nested.c     a member that is an archive itself
 *     arc_whole.c      a seekable member held in memory or a temporary file
 *     arc_stored.c     each entry's bytes in the archive file (stored bytes)
 *     arc_zipdir.c     a zip's member offsets from its central directory
 *     arc_dec.c        gzip/xz/zstd of the outermost archive decoded by duflame
 *     arc_xz.c         xz decoded on several threads
 *     folded.c         folded stacks read and written
 *   the tree
 *     tree.c           the weighted tree every source fills and every sink reads
 *     wire.c           tree parts as bytes between processes (duflame-mpi, src/mpi/)
 *     diff.c           two trees joined into one differential tree; the gate
 *     diff_rank.c      the paths that changed most: text, JSON and Markdown
 *     diff_glob.c      --fail-over-path: globs over paths and their sums
 *     kind.c           a file's kind (for colours) from its name and mode
 *     names.c          how names are escaped for labels, XML and folded lines
 *     count.c          exact counts: scale, saturating add, text
 *   the way out
 *     sink.c           the table of output formats, written safely (svg, html, ..., markdown)
 *     sink_html.c      the html format; the tree and page engine in a scan's SVG
 *     sink_diff.c      duflame diff's ranking as json and markdown formats
 *     html.c           the self-contained page: data, engine, style
 *     viewdata.c       the tree as the page engine's compact data (base64)
 *     sink_ncdu.c      the ncdu format: timestamp, archives' notes
 *     ncdu_write.c     a scan tree written as ncdu's JSON export
 *     flame_files.c    the renderer's files (--nameattr, --cp palette map), for sinks
 *     flame_svg.c      the SVG flame graph renderer: flame_write(), the document
 *     flame_layout.c   which frames are drawn and where
 *     flame_color.c    each frame's fill: by change, by kind, by palette
 *     flame_text.c     the renderer's numbers, labels and titles
 *     flame_opts.c     the renderer's defaults, palette names and checks
 *     flame_nameattr.c per-name attributes (--nameattr), parsed contents
 *     flame_palmap.c   the consistent palette (--cp), in memory
 *     report.c         the text summary of a tree
 *     out.c            output files: temporary file, then rename
 *     util.c           allocation wrappers, number formatting
 */
#include "cmd.h"

#include <locale.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* libarchive decodes entry names through the locale's character set */
    setlocale(LC_CTYPE, "");
    if (argc > 1 && strcmp(argv[1], "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "collapse") == 0)
        return cmd_collapse(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "record") == 0)
        return cmd_record(argc - 1, argv + 1);
    return cmd_scan(argc, argv);
}
