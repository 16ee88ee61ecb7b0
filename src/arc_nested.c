/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_nested: a member that is an archive itself (see include/arc_nested.h) */
#include "arc_nested.h"
#include "arc_reader.h"
#include "arc_sniff.h"
#include "arc_whole.h"
#include "kind.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* one member being looked into */
struct member {
    struct arc_level *lv;
    struct tree_node *node;
    int64_t size;
    const char *ename;
    char *label; /* "parent/entry" for messages */
    unsigned char *head;
    size_t hlen;
    enum arc_sniff s;
    struct archive *na;
    struct arc_feed f;
    struct arc_whole w;
    bool whole;
};

/* read_head: up to want bytes of the current entry's data into buf */
static la_ssize_t read_head(struct archive *ar, unsigned char *buf, size_t have, size_t want)
{
    while (have < want) {
        la_ssize_t n = archive_read_data(ar, buf + have, want - have);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        have += (size_t)n;
    }
    return (la_ssize_t)have;
}

/* sniff_member: read and sniff the member's first bytes (more of them when
 * they start with zeros and an iso9660 may follow); -1 on a read error */
static int sniff_member(struct member *m)
{
    struct archive *ar = m->lv->ar;
    la_ssize_t hn = read_head(ar, m->head, 0, ARC_HEAD_SMALL);
    if (hn < 0)
        return -1;
    m->s = arc_sniff(m->head, (size_t)hn);
    if (m->s == ARC_SNIFF_MORE && (m->size < 0 || m->size >= 32774)) {
        hn = read_head(ar, m->head, (size_t)hn, ARC_HEAD_ISO);
        if (hn < 0)
            return -1;
        m->s = arc_sniff(m->head, (size_t)hn);
    }
    m->hlen = (size_t)hn;
    return 0;
}

static char *join_label(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* whole_failed: the warning for a member that could not be held whole */
static void whole_failed(struct member *m, enum arc_whole_result wr)
{
    struct arc_ctx *c = m->lv->c;
    char *qa = arc_quote(m->label);
    if (wr == ARC_WHOLE_TOO_BIG)
        arc_warnf(c,
                  "archive %s not opened: a nested archive that must be read whole "
                  "and is larger than --archive-memory and --archive-spool allow",
                  qa);
    else if (wr == ARC_WHOLE_SPOOL_ERROR)
        arc_warnf(c, "archive %s not opened: cannot write a temporary file: %s", qa,
                  strerror(errno));
    else if (wr == ARC_WHOLE_NO_MEMORY)
        arc_warnf(c, "archive %s not opened: out of memory", qa);
    else
        arc_warn_entry(c, m->lv->label, m->ename,
                       archive_error_string(m->lv->ar) ? archive_error_string(m->lv->ar)
                                                       : "read error");
    free(qa);
}

/* open_member: open m->na on the member, held whole or as a stream from the
 * parent. Returns the open result, or 1 when it was not opened (warned;
 * *ok false when the parent's data broke). */
static int open_member(struct member *m, uint64_t *consumed, bool *ok)
{
    m->f = (struct arc_feed){.c = m->lv->c, .fd = -1};
    m->w = (struct arc_whole){.fd = -1};
    if (m->s != ARC_SNIFF_SEEK) {
        m->f.pre = m->head;
        m->f.pre_len = m->hlen;
        m->f.parent = m->lv->ar;
        return arc_feed_open(m->na, &m->f);
    }
    enum arc_whole_result wr =
        arc_whole_read(m->lv->c, m->lv->ar, m->head, m->hlen, m->size, &m->w);
    if (wr != ARC_WHOLE_OK) {
        whole_failed(m, wr);
        if (wr == ARC_WHOLE_READ_ERROR) {
            m->lv->failed = true;
            *ok = false;
        } else {
            *consumed = UINT64_MAX; /* size unknown: the caller cannot count it */
        }
        return 1;
    }
    m->whole = true;
    *consumed = arc_whole_size(&m->w);
    return arc_whole_open(m->na, &m->w, &m->f);
}

/* read_member: the opened member's first header, then its entries as a
 * level below. false when the parent's data broke. */
static bool read_member(struct member *m, int open_r, bool *opened)
{
    struct arc_level *lv = m->lv;
    int r = ARCHIVE_OK;
    struct archive_entry *ne = NULL;
    int fh = arc_reader_first_header(m->na, open_r, &r, &ne);
    if (fh > 0 && arc_reader_external(m->na)) {
        arc_warn_external(lv->c, m->label);
        fh = 0;
    }
    if (fh < 0) {
        const char *msg = archive_error_string(m->na);
        arc_warn_archive(lv->c, m->label, msg ? msg : "not an archive");
        m->node->flags |= TREE_UNREADABLE;
    } else if (fh > 0) {
        *opened = true;
        m->node->flags |= TREE_ARCHIVE;
        tree_set_kind(m->node, TREE_KIND_ARCHIVE);
        tree_set_w(m->node, TREE_W_DISK, 0);
        tree_set_w(m->node, TREE_W_APPARENT, 0);
        tree_set_w(m->node, TREE_W_STORED, 0);
        struct arc_level sub = {
            .c = lv->c, .ar = m->na, .node = m->node, .label = m->label, .depth = lv->depth + 1};
        if (m->whole) {
            struct arc_zipsrc zs = {.mem = m->w.mem, .fd = m->w.fd, .size = arc_whole_size(&m->w)};
            sub.zip = arc_level_zipdir(&sub, &zs);
            sub.sz = arc_level_7zdir(&sub, &zs);
        }
        arc_level_read(&sub, r, ne);
        /* in the member's own bytes: the parent scales them to the
         * member's bytes in the parent (arc_span_close) */
        uint64_t total = m->whole ? arc_whole_size(&m->w) : m->size > 0 ? (uint64_t)m->size : 0;
        arc_level_stored_end(&sub, total);
        arc_zipdir_free(sub.zip);
        arc_7zdir_free(sub.sz);
    }
    if (fh != 0 && m->f.parent_failed) {
        lv->failed = true;
        return false;
    }
    return true;
}

/* look_into: the member sniffed as an archive: open and read it */
static bool look_into(struct member *m, uint64_t *consumed, bool *opened)
{
    struct arc_ctx *c = m->lv->c;
    if (m->s == ARC_SNIFF_EXTERNAL) {
        arc_warn_external(c, m->label);
        return true;
    }
    m->na = arc_reader_new();
    if (!m->na) {
        arc_warn_archive(c, m->label, "out of memory");
        return true;
    }
    bool ok = true;
    int open_r = open_member(m, consumed, &ok);
    if (open_r != 1)
        ok = read_member(m, open_r, opened);
    if (open_r != 1 && !m->whole && !*opened)
        *consumed = m->f.served;
    archive_read_free(m->na);
    if (m->whole)
        arc_whole_release(c, &m->w);
    arc_feed_release(&m->f);
    return ok;
}

bool arc_nested_try(struct arc_level *lv, struct tree_node *node, int64_t size, const char *ename,
                    uint64_t *consumed, bool *opened)
{
    *consumed = 0;
    *opened = false;
    struct member m = {.lv = lv, .node = node, .size = size, .ename = ename};
    m.head = malloc(ARC_HEAD_ISO);
    if (!m.head) {
        arc_warn_entry(lv->c, lv->label, ename, "out of memory");
        return true;
    }
    if (sniff_member(&m) < 0) {
        const char *msg = archive_error_string(lv->ar);
        arc_warn_entry(lv->c, lv->label, ename, msg ? msg : "read error");
        lv->failed = true;
        free(m.head);
        return false;
    }
    *consumed = m.hlen;
    bool ok = true;
    if (m.s != ARC_SNIFF_NONE && m.s != ARC_SNIFF_MORE) {
        m.label = join_label(lv->label, ename);
        ok = look_into(&m, consumed, opened);
        free(m.label);
    }
    free(m.head);
    return ok;
}
