/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame's entry point: picks the subcommand and hands over the command line.
 *   duflame render [OPTIONS] [FILE...]   folded stacks to SVG (cmd_render.c)
 *   duflame diff [OPTIONS] BEFORE AFTER  two scans compared (cmd_diff.c)
 *   duflame collapse KIND [FILE...]      profiler stacks to folded (cmd_collapse.c)
 *   duflame record [OPTIONS] COMMAND     perf record to SVG (cmd_record.c)
 *   duflame [OPTIONS] [PATH...]          scan and draw (cmd_scan.c)
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
