/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_names: the three name escapes of names.h on any bytes.
 *
 * Invariants checked:
 *  - name_display: valid UTF-8, no control byte, no DEL; a name that is
 *    valid UTF-8 without controls is unchanged.
 *  - name_xml: valid UTF-8, no control byte, no '<', '>', '"', '\'', no
 *    "]]>", every '&' starts one of the entities it writes; the same bytes
 *    through name_xml_fwrite; put into an element text and an attribute
 *    value, the document passes fc_xml_check.
 *  - name_folded_escape: no ';', newline, tab, CR or other control byte,
 *    valid UTF-8, no leading or trailing space, never empty; it unescapes back
 *    to the name (so it is injective); name_folded_needs_escape() is true
 *    exactly when the escape differs from the name; and the line
 *    "ESCAPED 1" read by the folded reader is one valid line that makes one
 *    frame named ESCAPED with count 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "fuzz_check.h"
#include "names.h"
#include "tree.h"

static void check_xml(const char *name, size_t n)
{
    size_t xl;
    char *x = name_xml(name, n, &xl);
    fc_utf8_clean("xml", x, xl, NULL);
    if (fc_has(x, xl, "]]>"))
        fc_fail("xml escape holds ']]>'");
    for (size_t i = 0; i < xl; i++) {
        if (strchr("<>\"'", x[i]) && x[i])
            fc_fail("xml escape holds a raw '%c'", x[i]);
        if (x[i] == '&' && !fc_starts(x, i, xl, "&amp;") && !fc_starts(x, i, xl, "&lt;") &&
            !fc_starts(x, i, xl, "&gt;") && !fc_starts(x, i, xl, "&quot;") &&
            !fc_starts(x, i, xl, "&#39;"))
            fc_fail("xml escape: a bare '&' at %zu", i);
    }
    /* the FILE* writer gives the same bytes */
    char *mem = NULL;
    size_t ml = 0;
    FILE *f = open_memstream(&mem, &ml);
    if (!f)
        abort();
    name_xml_fwrite(f, name, n);
    fclose(f);
    if (ml != xl || memcmp(mem, x, xl) != 0)
        fc_fail("name_xml_fwrite differs from name_xml");
    free(mem);
    /* in a document, in text and in both kinds of attribute */
    struct name_buf doc = {0};
    name_buf_addstr(&doc, "<svg a=\"");
    name_buf_add(&doc, x, xl);
    name_buf_addstr(&doc, "\" b='");
    name_buf_add(&doc, x, xl);
    name_buf_addstr(&doc, "'><title>");
    name_buf_add(&doc, x, xl);
    name_buf_addstr(&doc, "</title></svg>");
    struct fc_xml_result r = fc_xml_check(doc.s, doc.len);
    if (r.elements != 2 || r.scripts != 0)
        fc_fail("xml escape changed the document's elements");
    name_buf_release(&doc);
    free(x);
}

static void check_folded(const char *name, size_t n)
{
    size_t el;
    char *e = name_folded_escape(name, n, &el);
    fc_utf8_clean("folded escape", e, el, NULL);
    if (el == 0)
        fc_fail("folded escape is empty");
    if (memchr(e, ';', el))
        fc_fail("folded escape holds ';'");
    if (e[0] == ' ' || e[el - 1] == ' ')
        fc_fail("folded escape has a leading or trailing space");
    bool changed = el != n || memcmp(e, name, n) != 0;
    if (changed != name_folded_needs_escape(name, n))
        fc_fail("name_folded_needs_escape says %d, the escape %s the name", !changed,
                changed ? "changes" : "keeps");
    struct name_buf u = {0};
    if (!fc_folded_unescape(e, el, &u))
        fc_fail("folded escape output cannot be unescaped");
    if (u.len != n || memcmp(u.s, name, n) != 0)
        fc_fail("folded escape does not round-trip");
    name_buf_release(&u);

    /* read back as a folded line */
    struct name_buf line = {0};
    name_buf_add(&line, e, el);
    name_buf_addstr(&line, " 1");
    struct folded_reader *r = folded_reader_new(NULL);
    enum folded_line k = folded_reader_line(r, line.s, line.len);
    if (k != FOLDED_OK)
        fc_fail("escaped name as a folded line is not valid (%d)", (int)k);
    if (folded_reader_differential(r))
        fc_fail("escaped name read as a differential line");
    struct tree *t = folded_reader_finish(r);
    struct tree_node *c = tree_first_child(t->root);
    if (!c || tree_next_sibling(c) || tree_first_child(c) || c->len != el ||
        memcmp(c->name, e, el) != 0 || tree_w(c, 0) != 1 || t->scale != 0)
        fc_fail("escaped name read back as a different frame");
    tree_free(t);
    name_buf_release(&line);
    free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const char *name = (const char *)data;
    size_t dl;
    char *d = name_display(name, size, &dl);
    fc_utf8_clean("display", d, dl, NULL);
    /* a name that needs no change is shown unchanged */
    bool plain = true;
    for (size_t i = 0; i < size;) {
        size_t l = name_utf8_len(data + i, size - i);
        if (l == 0 || (l == 1 && (data[i] < 0x20 || data[i] == 0x7f)) ||
            (l == 3 && data[i] == 0xef && data[i + 1] == 0xbf && data[i + 2] >= 0xbe)) {
            plain = false;
            break;
        }
        i += l;
    }
    if (plain && (dl != size || memcmp(d, name, size) != 0))
        fc_fail("display changed a printable UTF-8 name");
    if (!plain && dl == size && memcmp(d, name, size) == 0)
        fc_fail("display kept a name that is not printable UTF-8");
    free(d);
    check_xml(name, size);
    check_folded(name, size);
    return 0;
}
