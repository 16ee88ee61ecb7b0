/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * names: how a name (any bytes) is shown and written. Three escapes:
 *
 *  - name_display(): for labels and titles. Bytes that are not valid UTF-8,
 *    C0 control bytes, DEL and the non-characters U+FFFE/U+FFFF become "\xHH";
 *    everything else is kept. The result is valid UTF-8 with no control
 *    characters, but it is not XML-escaped: pass it through name_xml_*().
 *
 *  - name_xml_*(): XML escaping that is safe in element text, in attribute
 *    values (single or double quoted) and never produces "]]>": & < > " ' are
 *    written as entities; invalid UTF-8, every C0 control (tab, LF and CR
 *    too: an attribute would normalise them), DEL and U+FFFE/U+FFFF become
 *    "\xHH". So any bytes at all give well-formed XML.
 *
 *  - name_folded_escape(): the escape duflame's folded-stack WRITER uses, so
 *    that no name can split a line or a frame or be misread as a count:
 *      "\"  -> "\\"
 *      ";", bytes that are not valid UTF-8, C0 controls (tab, LF, CR, ...),
 *      DEL                                      -> "\xHH" (lower-case hex)
 *      a leading or trailing space              -> "\x20"
 *      the last space before a trailing number
 *      ("foo 12", "v 1.5": would read as a count) -> "\x20"
 *      the empty name                           -> "\(empty)"
 *    duflame's folded READER never unescapes (names from other profilers
 *    pass unchanged), so `duflame render` draws frames as the folded text
 *    spells them, as flamegraph.pl does; a disk scan's own SVG and page show
 *    names as typed (name_display()). The escape of a name that needs none
 *    is the name itself.
 *
 * struct name_buf is a growing byte buffer the caller owns: zero-initialise
 * it (or name_buf_init), append, read s/len (s is NUL-terminated after any
 * append), name_buf_release() frees it. All functions are thread-safe (no
 * shared state).
 */
#ifndef DUFLAME_NAMES_H
#define DUFLAME_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct name_buf {
    char *s;
    size_t len, cap;
};

void name_buf_init(struct name_buf *b);
void name_buf_release(struct name_buf *b);
/* name_buf_reset: length 0, keeps the memory */
void name_buf_reset(struct name_buf *b);
void name_buf_add(struct name_buf *b, const void *p, size_t n);
void name_buf_addc(struct name_buf *b, char c);
void name_buf_addstr(struct name_buf *b, const char *s);

/* name_utf8_len: the length of the valid UTF-8 sequence at s (at most n
 * bytes, n >= 1), or 0 when the byte at s does not start one */
size_t name_utf8_len(const unsigned char *s, size_t n);

/* appenders: add the escaped form of name[0..len) to b */
void name_display_add(struct name_buf *b, const char *name, size_t len);
void name_xml_add(struct name_buf *b, const char *s, size_t len);
void name_folded_escape_add(struct name_buf *b, const char *name, size_t len);

/* the same as heap strings (NUL-terminated; the caller frees); *outlen may be
 * NULL */
char *name_display(const char *name, size_t len, size_t *outlen);
char *name_xml(const char *s, size_t len, size_t *outlen);
char *name_folded_escape(const char *name, size_t len, size_t *outlen);

/* name_xml_fwrite: write the XML-escaped form of s[0..len) to f */
void name_xml_fwrite(FILE *f, const char *s, size_t len);

/* name_folded_needs_escape: whether name_folded_escape() changes the name */
bool name_folded_needs_escape(const char *name, size_t len);

#endif
