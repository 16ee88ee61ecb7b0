/* SPDX-License-Identifier: BSD-2-Clause */
/* wire_part: a rank's part read as it arrives (see wire_part.h) */
#include "wire_part.h"
#include "util.h"

#include <stdlib.h>

/* where the part is read up to */
enum { P_NWARNS, P_WARN, P_NGIFTS, P_NNOTES, P_NOTE, P_NUNITS, P_UNIT, P_BODY, P_DONE };

void wire_part_init(struct wire_part *p, const struct wire_part_hooks *h)
{
    *p = (struct wire_part){.h = h, .phase = P_NWARNS};
}

static void on_marked(void *ctx, uint64_t mark, struct tree_node *n)
{
    struct wire_part *p = ctx;
    uint64_t i = (mark - 1) / 2;
    if (mark % 2 == 0) {
        if (i < p->nmap && !p->map[i])
            p->map[i] = n;
        else
            p->bad = true;
    } else if (i >= p->nnotes || !(n->flags & TREE_ARCHIVE)) {
        p->bad = true;
    } else if (p->h->note) {
        p->h->note(p->h->ctx, n, p->notes[i]);
    }
}

/* one record that reads bytes; 0, or -1 */
static int record(struct wire_part *p, struct wire_rd *r)
{
    const struct wire_part_hooks *h = p->h;
    switch (p->phase) {
    case P_NWARNS:
        p->left = wire_get_u64(r);
        p->phase = P_WARN;
        return 0;
    case P_WARN: {
        size_t n;
        const char *s = wire_get_bytes(r, &n);
        if (!s)
            return -1;
        if (h->say)
            h->say(h->ctx, s, n);
        p->left--;
        return 0;
    }
    case P_NGIFTS:
        p->nmap = (size_t)wire_get_u64(r);
        if (r->bad || p->nmap > h->max_gifts)
            return -1;
        p->map = xcalloc(p->nmap + 1, sizeof *p->map);
        p->phase = P_NNOTES;
        return 0;
    case P_NNOTES:
        p->left = wire_get_u64(r);
        p->phase = P_NOTE;
        return 0;
    case P_NOTE:
        if (p->nnotes == p->capnotes) {
            p->capnotes = p->capnotes ? p->capnotes * 2 : 16;
            p->notes = xreallocarray(p->notes, p->capnotes, sizeof *p->notes);
        }
        for (unsigned k = 0; k < 3; k++)
            p->notes[p->nnotes][k] = wire_get_u64(r);
        p->nnotes++;
        p->left--;
        return 0;
    case P_NUNITS:
        p->left = wire_get_u64(r);
        p->phase = P_UNIT;
        return 0;
    case P_UNIT: {
        p->donor = wire_get_u64(r);
        p->seq = wire_get_u64(r);
        uint64_t flags = wire_get_u64(r);
        if (r->bad || flags > 0xffff)
            return -1;
        p->cur = h->holder(h->ctx);
        p->cur->flags = (uint16_t)flags;
        wire_dec_begin(&p->dec, r, h->t, h->a, p->cur, on_marked, p);
        p->phase = P_BODY;
        p->left--;
        return 0;
    }
    default: /* P_DONE: bytes after the end */
        return -1;
    }
}

static int feed(struct wire_part *p, struct wire_rd *r)
{
    for (;;) {
        /* the steps that read nothing */
        if ((p->phase == P_WARN || p->phase == P_NOTE || p->phase == P_UNIT) && !p->left) {
            p->phase = p->phase == P_WARN ? P_NGIFTS : p->phase == P_NOTE ? P_NUNITS : P_DONE;
            continue;
        }
        if (p->phase == P_BODY) {
            int k = wire_dec_more(&p->dec, r, false);
            if (k < 0 || p->bad)
                return -1;
            if (k == 0)
                return 0; /* the unit goes on in the next message */
            wire_dec_free(&p->dec);
            p->phase = P_UNIT;
            if (p->h->unit)
                p->h->unit(p->h->ctx, p->donor, p->seq, p->cur);
            continue;
        }
        if (r->p == r->end)
            return 0;
        if (record(p, r) < 0 || r->bad)
            return -1;
    }
}

int wire_part_feed(struct wire_part *p, struct wire_rd *r)
{
    if (!p->bad && feed(p, r) < 0)
        p->bad = true;
    return p->bad ? -1 : 0;
}

bool wire_part_done(const struct wire_part *p)
{
    return !p->bad && p->phase == P_DONE;
}

void wire_part_free(struct wire_part *p)
{
    if (p->phase == P_BODY)
        wire_dec_free(&p->dec);
    free(p->map);
    free(p->notes);
    p->map = NULL;
    p->notes = NULL;
}
