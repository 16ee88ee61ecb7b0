/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flame_files: the files around a flame graph, for front ends. The renderer
 * (flame.h) opens no file; this reads the --nameattr file and the --cp
 * palette map named in struct flame_opts, hands their parsed contents to
 * flame_write(), and saves the palette map when the drawing added colours.
 *
 * File formats (as flamegraph.pl): palette.map has one "NAME->rgb(r,g,b)"
 * per line (a missing file is an empty map; lines that do not match are
 * skipped); a --nameattr file has "NAME<TAB>key=value<TAB>..." lines, of
 * which class, style and title are used (flamegraph.pl's event handlers and
 * raw markup are not, since they would let a file inject script).
 *
 * Nothing is printed: messages come back in *err (a heap string the caller
 * frees). Not thread-safe when two calls share a palette file.
 */
#ifndef DUFLAME_FLAME_FILES_H
#define DUFLAME_FLAME_FILES_H

#include <stdio.h>

#include "flame.h"

/* flame_files_read_nameattr: the table in path into a new *out; 0, or -1
 * with *err set (unreadable, a line without a tab) and *out NULL */
int flame_files_read_nameattr(const char *path, struct flame_nameattrs **out, char **err);

/* flame_files_read_palette: the palette map in path into a new *out; 0, or
 * -1 with *err set (unreadable other than missing) and *out NULL */
int flame_files_read_palette(const char *path, struct flame_palmap **out, char **err);

/* flame_files_save_palette: write m to path, sorted by name (replacing the
 * file whole); 0, or -1 with *err set */
int flame_files_save_palette(struct flame_palmap *m, const char *path, char **err);

/* flame_files_write: flame_write() with the files o names: o->nameattr and,
 * with o->cp, o->palette_file, which is saved afterwards when new names were
 * coloured (a failed save is a warning). Returns as flame_write: 0; 1 with
 * *err a warning; -1 with *err the error. */
int flame_files_write(FILE *out, struct tree *t, const struct flame_opts *o, char **err);

#endif
