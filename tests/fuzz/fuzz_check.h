/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_check: invariant checks shared by the libFuzzer harnesses (header
 * only, static functions; each harness includes it once). A failed check
 * aborts with a message on stderr, which libFuzzer reports as a crash and
 * saves the input that caused it.
 *
 *  - fc_utf8_clean(): bytes are valid UTF-8 and hold no C0 control other
 *    than the ones a caller allows, and no DEL.
 *  - fc_xml_check(): a small well-formedness check of an SVG document:
 *    balanced elements, quoted attributes, only known entities, no '<' or
 *    '&' that does not start markup, "]]>" only as a CDATA end, no
 *    attribute starting with "on" (an event handler), and only the element
 *    names duflame writes. It counts <script> elements so a harness can
 *    assert that no name added one.
 *
 * Thread-safety: pure functions over the caller's buffer.
 */
#ifndef DUFLAME_FUZZ_CHECK_H
#define DUFLAME_FUZZ_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

/* not every harness uses every check */
#define FC_FN static __attribute__((unused))

__attribute__((format(printf, 1, 2), noreturn)) FC_FN void fc_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz check failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* allowed: the C0 controls that may appear (e.g. "\n\t") */
FC_FN void fc_utf8_clean(const char *what, const char *s, size_t n, const char *allowed)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = name_utf8_len(p + i, n - i);
        if (l == 0)
            fc_fail("%s: invalid UTF-8 at byte %zu (0x%02x)", what, i, p[i]);
        if (l == 1 && (p[i] < 0x20 || p[i] == 0x7f) &&
            !(p[i] != 0 && allowed && strchr(allowed, p[i])))
            fc_fail("%s: raw control byte 0x%02x at %zu", what, p[i], i);
        i += l;
    }
}

FC_FN bool fc_has(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, needle, m) == 0)
            return true;
    return false;
}

FC_FN bool fc_starts(const char *s, size_t i, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    return i + m <= n && memcmp(s + i, lit, m) == 0;
}

FC_FN bool fc_namechar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '-' || c == '_' || c == '.';
}

/* a reference at s[i] == '&': returns its length or 0 if invalid */
FC_FN size_t fc_entity(const char *s, size_t i, size_t n)
{
    static const char *const named[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;"};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (fc_starts(s, i, n, named[k]))
            return strlen(named[k]);
    size_t j = i + 1;
    if (j < n && s[j] == '#') {
        j++;
        bool hex = j < n && s[j] == 'x';
        if (hex)
            j++;
        size_t d = j;
        while (j < n && (hex ? strchr("0123456789abcdefABCDEF", s[j]) && s[j]
                             : (s[j] >= '0' && s[j] <= '9')))
            j++;
        if (j > d && j < n && s[j] == ';' && j - d < 8)
            return j + 1 - i;
    }
    return 0;
}

/* text between markup: no '<' (caller stops there), valid entities, no "]]>" */
FC_FN void fc_text(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (s[i] == '&' && fc_entity(s, i, to) == 0)
            fc_fail("svg: bad entity in text at %zu: %.20s", i, s + i);
        if (s[i] == '>' && i >= 2 && s[i - 1] == ']' && s[i - 2] == ']')
            fc_fail("svg: ']]>' in text at %zu", i);
    }
}

static const char *const fc_elements[] = {
    "svg",  "g",     "rect", "text",           "title",  "desc",     "defs",  "stop",
    "line", "style", "path", "linearGradient", "script", "metadata", "tspan", "a",
};

struct fc_xml_result {
    size_t elements, scripts, titles;
};

/* Checks the document; fails (aborts) on the first problem. */
FC_FN struct fc_xml_result fc_xml_check(const char *s, size_t n)
{
    struct fc_xml_result r = {0};
    enum { MAXD = 64 };
    const char *stack[MAXD];
    size_t stacklen[MAXD];
    size_t depth = 0;
    bool root_seen = false;
    size_t i = 0;
    while (i < n) {
        if (s[i] != '<') {
            size_t j = i;
            while (j < n && s[j] != '<')
                j++;
            fc_text(s, i, j);
            if (depth == 0)
                for (size_t k = i; k < j; k++)
                    if (!strchr(" \n\r\t", s[k]))
                        fc_fail("svg: text outside the root element at %zu", k);
            i = j;
            continue;
        }
        if (fc_starts(s, i, n, "<?")) {
            const char *e = memmem(s + i, n - i, "?>", 2);
            if (!e || root_seen)
                fc_fail("svg: bad processing instruction at %zu", i);
            i = (size_t)(e - s) + 2;
            continue;
        }
        if (fc_starts(s, i, n, "<!--")) {
            size_t j = i + 4;
            while (j + 3 <= n && !fc_starts(s, j, n, "-->")) {
                if (fc_starts(s, j, n, "--"))
                    fc_fail("svg: '--' inside a comment at %zu", j);
                j++;
            }
            if (j + 3 > n)
                fc_fail("svg: unterminated comment at %zu", i);
            i = j + 3;
            continue;
        }
        if (fc_starts(s, i, n, "<![CDATA[")) {
            if (depth == 0)
                fc_fail("svg: CDATA outside the root at %zu", i);
            /* only inside <script> and <style> */
            if (!(stacklen[depth - 1] == 6 && memcmp(stack[depth - 1], "script", 6) == 0) &&
                !(stacklen[depth - 1] == 5 && memcmp(stack[depth - 1], "style", 5) == 0))
                fc_fail("svg: CDATA outside script/style at %zu", i);
            size_t j = i + 9;
            while (j + 3 <= n && !fc_starts(s, j, n, "]]>"))
                j++;
            if (j + 3 > n)
                fc_fail("svg: unterminated CDATA at %zu", i);
            i = j + 3;
            continue;
        }
        bool end = i + 1 < n && s[i + 1] == '/';
        size_t j = i + (end ? 2 : 1);
        size_t ns = j;
        while (j < n && fc_namechar((unsigned char)s[j]))
            j++;
        size_t nl = j - ns;
        if (nl == 0)
            fc_fail("svg: '<' that starts no element at %zu", i);
        bool known = false;
        for (size_t k = 0; k < sizeof fc_elements / sizeof fc_elements[0]; k++)
            if (strlen(fc_elements[k]) == nl && memcmp(fc_elements[k], s + ns, nl) == 0)
                known = true;
        if (!known)
            fc_fail("svg: unexpected element <%.*s> at %zu", (int)nl, s + ns, i);
        if (end) {
            while (j < n && strchr(" \n\t", s[j]) && s[j])
                j++;
            if (j >= n || s[j] != '>')
                fc_fail("svg: bad end tag at %zu", i);
            if (depth == 0 || stacklen[depth - 1] != nl || memcmp(stack[depth - 1], s + ns, nl))
                fc_fail("svg: unbalanced </%.*s> at %zu", (int)nl, s + ns, i);
            depth--;
            i = j + 1;
            continue;
        }
        if (depth == 0 && root_seen)
            fc_fail("svg: a second root element at %zu", i);
        root_seen = true;
        r.elements++;
        if (nl == 6 && memcmp(s + ns, "script", 6) == 0)
            r.scripts++;
        if (nl == 5 && memcmp(s + ns, "title", 5) == 0)
            r.titles++;
        /* attributes */
        bool selfclose = false;
        for (;;) {
            size_t ws = j;
            while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t'))
                j++;
            if (j >= n)
                fc_fail("svg: unterminated tag at %zu", i);
            if (s[j] == '>') {
                j++;
                break;
            }
            if (fc_starts(s, j, n, "/>")) {
                selfclose = true;
                j += 2;
                break;
            }
            if (j == ws)
                fc_fail("svg: no space before an attribute at %zu", j);
            size_t an = j;
            while (j < n && fc_namechar((unsigned char)s[j]))
                j++;
            if (j == an)
                fc_fail("svg: bad attribute at %zu", j);
            if (j - an >= 2 && (s[an] == 'o' || s[an] == 'O') &&
                (s[an + 1] == 'n' || s[an + 1] == 'N'))
                fc_fail("svg: event handler attribute %.*s at %zu", (int)(j - an), s + an, an);
            if (j + 1 >= n || s[j] != '=' || (s[j + 1] != '"' && s[j + 1] != '\''))
                fc_fail("svg: unquoted attribute at %zu", j);
            char q = s[j + 1];
            size_t vs = j + 2, ve = vs;
            while (ve < n && s[ve] != q) {
                if (s[ve] == '<')
                    fc_fail("svg: '<' in an attribute value at %zu", ve);
                if (s[ve] == '&' && fc_entity(s, ve, n) == 0)
                    fc_fail("svg: bad entity in an attribute at %zu", ve);
                ve++;
            }
            if (ve >= n)
                fc_fail("svg: unterminated attribute value at %zu", vs);
            j = ve + 1;
        }
        if (!selfclose) {
            if (depth == MAXD)
                fc_fail("svg: elements nested too deep at %zu", i);
            stack[depth] = s + ns;
            stacklen[depth] = nl;
            depth++;
        }
        i = j;
    }
    if (!root_seen || depth != 0)
        fc_fail("svg: %zu element(s) left open at the end", depth);
    return r;
}

/* fc_folded_unescape: the inverse of name_folded_escape (names.h); returns
 * false when s is not an escape's output */
FC_FN bool fc_folded_unescape(const char *s, size_t n, struct name_buf *out)
{
    name_buf_reset(out);
    if (n == 8 && memcmp(s, "\\(empty)", 8) == 0) {
        name_buf_add(out, "", 0);
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            name_buf_addc(out, s[i]);
            continue;
        }
        if (i + 1 < n && s[i + 1] == '\\') {
            name_buf_addc(out, '\\');
            i++;
            continue;
        }
        if (i + 3 < n && s[i + 1] == 'x') {
            char h[3] = {s[i + 2], s[i + 3], 0};
            char *e;
            unsigned long v = strtoul(h, &e, 16);
            if (*e || !strchr("0123456789abcdef", h[0]) || !strchr("0123456789abcdef", h[1]))
                return false;
            name_buf_addc(out, (char)v);
            i += 3;
            continue;
        }
        return false;
    }
    name_buf_add(out, "", 0);
    return true;
}

#endif
