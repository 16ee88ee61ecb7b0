/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_level: an archive's entries become tree nodes (see include/arc_level.h) */
#include "arc_level.h"
#include "arc_nested.h"
#include "arc_reader.h"
#include "kind.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TYPE_FLAGS (TREE_DIR | TREE_SYMLINK | TREE_SPECIAL | TREE_HARDLINK | TREE_ENCRYPTED)

/* entry_node: the node for path under root (root itself for an empty path),
 * creating implicit parents */
static struct tree_node *entry_node(struct arc_ctx *c, struct tree_node *root, const char *p,
                                    size_t len)
{
    struct tree_node *n = root;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && p[j] != '/')
            j++;
        size_t cl = j - i;
        if (cl == 0 || (cl == 1 && p[i] == '.')) {
            i = j + 1;
            continue;
        }
        bool created;
        n = tree_child(c->a, n, p + i, cl, &created);
        if (created && cl == 2 && p[i] == '.' && p[i + 1] == '.')
            n->flags |= TREE_LITERAL;
        if (j < len)
            n->flags |= TREE_DIR;
        i = j + 1;
    }
    return n;
}

bool arc_level_count_bytes(struct arc_level *lv, uint64_t n, const char *entry)
{
    struct arc_ctx *c = lv->c;
    uint64_t lim = arc_bytes_limit(c);
    if (n > lim || c->bytes > lim - n) {
        char *qa = arc_quote(lv->label), *qe = arc_quote(entry);
        arc_warnf(c,
                  "archive %s: stopped at entry %s: more than %llu extracted bytes "
                  "(--archive-bytes); the rest is not shown",
                  qa, qe, (unsigned long long)lim);
        free(qa);
        free(qe);
        c->stopped = true;
        return false;
    }
    c->bytes += n;
    return true;
}

/* drain: read the rest of the current entry's data, counting it, for an
 * entry whose size the header did not give. false when lv must stop. */
static bool drain(struct arc_level *lv, uint64_t *count, const char *ename)
{
    const void *blk;
    size_t len;
    la_int64_t off;
    for (;;) {
        int r = archive_read_data_block(lv->ar, &blk, &len, &off);
        if (r == ARCHIVE_EOF)
            return true;
        if (r < ARCHIVE_WARN) {
            const char *msg = archive_error_string(lv->ar);
            arc_warn_entry(lv->c, lv->label, ename, msg ? msg : "read error");
            lv->failed = true;
            return false;
        }
        *count += len;
        if (!arc_level_count_bytes(lv, len, ename))
            return false;
    }
}

/* what one header says about its entry */
struct entry_info {
    const char *name;
    mode_t type;
    bool hardlink, encrypted;
    int64_t size; /* a regular entry's size, -1 unknown; 0 for the others */
};

static void entry_info(struct archive_entry *e, struct entry_info *in)
{
    in->name = arc_entry_name(e);
    in->type = archive_entry_filetype(e);
    if (in->type == 0)
        in->type = AE_IFREG; /* ar (deterministic mode) stores no file type */
    in->hardlink = archive_entry_hardlink(e) != NULL;
    in->encrypted = archive_entry_is_encrypted(e) != 0;
    in->size = -1;
    if (in->type == AE_IFREG && !in->hardlink)
        in->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    if (in->size < -1)
        in->size = 0;
}

/* set_node: n's type flags, weights and kind from its header */
static void set_node(struct arc_level *lv, struct tree_node *n, const struct entry_info *in,
                     mode_t mode)
{
    unsigned flags = 0;
    if (in->hardlink)
        flags = TREE_HARDLINK;
    else if (in->type == AE_IFDIR)
        flags = TREE_DIR;
    else if (in->type == AE_IFLNK)
        flags = TREE_SYMLINK;
    else if (in->type != AE_IFREG)
        flags = TREE_SPECIAL;
    if (in->encrypted) {
        flags |= TREE_ENCRYPTED;
        lv->encrypted++;
    }
    n->flags = (uint16_t)((n->flags & ~(TYPE_FLAGS | TREE_ARCHIVE)) | flags);
    tree_set_w(n, TREE_W_APPARENT, in->size > 0 ? (uint64_t)in->size : 0);
    tree_set_w(n, TREE_W_DISK, tree_w(n, TREE_W_APPARENT));
    tree_set_w(n, TREE_W_COUNT, 1);
    if (in->type == AE_IFREG)
        tree_set_kind(n, kind_classify(n->name, n->len, mode));
}

/* entry_data: a regular member's data: a nested archive, or (size unknown)
 * bytes to count */
static void entry_data(struct arc_level *lv, struct tree_node *n, const struct entry_info *in)
{
    struct arc_ctx *c = lv->c;
    uint64_t consumed = 0;
    bool opened = false;
    if (lv->depth < c->o->max_depth) {
        if (!arc_nested_try(lv, n, in->size, in->name, &consumed, &opened))
            return;
        if (c->stopped || opened)
            return;
    }
    if (in->size < 0 && consumed != UINT64_MAX) {
        /* zip with a data descriptor read as a stream: count the bytes */
        if (!arc_level_count_bytes(lv, consumed, in->name))
            return;
        uint64_t total = consumed;
        drain(lv, &total, in->name);
        tree_set_w(n, TREE_W_APPARENT, total);
        tree_set_w(n, TREE_W_DISK, tree_w(n, TREE_W_APPARENT));
    }
}

static void entry(struct arc_level *lv, struct archive_entry *e)
{
    struct entry_info in;
    entry_info(e, &in);
    if (in.size > 0 && !arc_level_count_bytes(lv, (uint64_t)in.size, in.name))
        return;
    struct tree_node *n = entry_node(lv->c, lv->node, in.name, strlen(in.name));
    lv->span.cur = n == lv->node ? NULL : n;
    if (n == lv->node) {
        /* "./" or "/": the archive itself */
        tree_set_w(n, TREE_W_COUNT, tree_w(n, TREE_W_COUNT) + 1);
        return;
    }
    set_node(lv, n, &in, archive_entry_mode(e));
    if (in.type != AE_IFREG || in.hardlink || in.encrypted || in.size == 0)
        return;
    entry_data(lv, n, &in);
}

/* level_pos: where the current header started (or the end was found), in
 * bytes of the level's input: libarchive's header position, mapped to
 * compressed bytes when the feed decodes; with a libarchive filter, the
 * compressed bytes it has read */
static uint64_t level_pos(struct arc_level *lv)
{
    if (archive_filter_count(lv->ar) > 1) {
        la_int64_t r = archive_filter_bytes(lv->ar, -1);
        return r > 0 ? (uint64_t)r : 0;
    }
    la_int64_t p = archive_read_header_position(lv->ar);
    uint64_t pos = p > 0 ? (uint64_t)p : 0;
    return lv->map ? arc_map_raw(lv->map, pos) : pos;
}

struct arc_zipdir *arc_level_zipdir(const struct arc_level *lv, const struct arc_zipsrc *src)
{
    if ((archive_format(lv->ar) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
        return NULL;
    return arc_zipdir_read(src, lv->c->o->max_entries);
}

struct arc_7zdir *arc_level_7zdir(const struct arc_level *lv, const struct arc_zipsrc *src)
{
    if ((archive_format(lv->ar) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_7ZIP)
        return NULL;
    return arc_7zdir_read(src, lv->c->o->max_entries);
}

void arc_level_stored_end(struct arc_level *lv, uint64_t total)
{
    if (!lv->zip && !lv->sz)
        arc_span_close(&lv->span, level_pos(lv));
    arc_span_overhead(&lv->span, lv->node, lv->c->a, total ? total : lv->span.pos);
}

/* header_failed: the warning for a header that could not be read */
static void header_failed(struct arc_level *lv, const char *last)
{
    char *qa = arc_quote(lv->label);
    const char *msg = archive_error_string(lv->ar);
    if (last) {
        char *ql = arc_quote(last);
        arc_warnf(lv->c, "cannot read archive %s after entry %s: %s", qa, ql,
                  msg ? msg : "read error");
        free(ql);
    } else {
        arc_warnf(lv->c, "cannot read archive %s: %s", qa, msg ? msg : "read error");
    }
    free(qa);
    lv->node->flags |= TREE_UNREADABLE;
}

static void header_warning(struct arc_level *lv, struct archive_entry *e)
{
    const char *msg = archive_error_string(lv->ar);
    char *qa = arc_quote(lv->label), *qe = arc_quote(arc_entry_name(e));
    arc_warnf(lv->c, "archive %s: entry %s: %s", qa, qe, msg ? msg : "warning");
    free(qa);
    free(qe);
}

/* entries_left: false (with the warning, every level stopped) once the
 * entry limit is reached */
static bool entries_left(struct arc_level *lv)
{
    struct arc_ctx *c = lv->c;
    if (c->entries >= c->o->max_entries) {
        char *qa = arc_quote(lv->label);
        arc_warnf(c,
                  "archive %s: stopped after %llu entries (--archive-entries); the rest "
                  "is not shown",
                  qa, (unsigned long long)c->entries);
        free(qa);
        c->stopped = true;
    }
    return !c->stopped;
}

static void encrypted_note(struct arc_level *lv)
{
    char *qa = arc_quote(lv->label);
    arc_warnf(lv->c, "archive %s: %llu encrypted %s listed, %s not read", qa,
              (unsigned long long)lv->encrypted, lv->encrypted == 1 ? "entry" : "entries",
              lv->encrypted == 1 ? "its contents" : "their contents");
    free(qa);
}

int arc_level_read(struct arc_level *lv, int r, struct archive_entry *e)
{
    struct arc_ctx *c = lv->c;
    char *last = NULL;
    unsigned retries = 0;
    /* what comes before the first header is overhead, unless a filter
     * decodes: what it read ahead before that header is the first entry's */
    bool from_start = archive_filter_count(lv->ar) > 1;
    lv->span = (struct arc_span){.begun = from_start};
    while (r != ARCHIVE_EOF) {
        if (r == ARCHIVE_RETRY && ++retries < 16) {
            r = archive_read_next_header(lv->ar, &e);
            continue;
        }
        if (r < ARCHIVE_WARN) {
            header_failed(lv, last);
            break;
        }
        if (r == ARCHIVE_WARN)
            header_warning(lv, e);
        /* a zip member's bytes: from the central directory, by where the
         * reader found its data */
        uint64_t zspan = 0;
        if (lv->zip) {
            la_int64_t p = archive_filter_bytes(lv->ar, 0);
            zspan = arc_zipdir_span(lv->zip, p > 0 ? (uint64_t)p : 0);
        } else if (lv->sz) {
            /* a 7z file's share of its folder, from the header */
            zspan = lv->sz_next < lv->sz->n ? lv->sz->stored[lv->sz_next] : 0;
            lv->sz_next++;
        } else if (!from_start) {
            arc_span_close(&lv->span, level_pos(lv));
        }
        from_start = false;
        if (!entries_left(lv))
            break;
        c->entries++;
        free(last);
        last = xstrdup(arc_entry_name(e));
        lv->span.cur = NULL;
        entry(lv, e);
        if (lv->zip || lv->sz)
            arc_span_give(&lv->span, zspan);
        if (lv->failed || c->stopped)
            break;
        r = archive_read_next_header(lv->ar, &e);
    }
    if (c->stopped || lv->failed)
        lv->node->flags |= TREE_UNREADABLE;
    if (lv->encrypted)
        encrypted_note(lv);
    free(last);
    return c->status;
}
