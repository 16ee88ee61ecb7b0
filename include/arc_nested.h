/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_nested: a regular member of an archive that may be an archive itself.
 * Its first bytes are sniffed (arc_sniff); a member read as a stream (tar,
 * cpio, compressed) is fed straight from the parent's entry data, one that
 * needs seeking (zip, 7z, iso) is held whole first (arc_whole); then its
 * entries are read as a level below (arc_level), under the member's node,
 * which becomes TREE_ARCHIVE with no bytes of its own.
 *
 * Private to the arc_*.c files. One thread.
 */
#ifndef DUFLAME_ARC_NESTED_H
#define DUFLAME_ARC_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include "arc_level.h"

/*
 * arc_nested_try: the current entry of lv is a regular member named ename
 * of the given size (-1 unknown) at node. If its content is an archive,
 * read it as a level below and set *opened. *consumed: the data bytes read
 * from the member when it was not opened (so that the caller can count the
 * rest of a member of unknown size), UINT64_MAX when they cannot be known.
 * Returns false when lv must stop (its data stream broke).
 */
bool arc_nested_try(struct arc_level *lv, struct tree_node *node, int64_t size, const char *ename,
                    uint64_t *consumed, bool *opened);

#endif
