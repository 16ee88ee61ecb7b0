/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define S(x) x, sizeof(x) - 1

static void check(char *(*fn)(const char *, size_t, size_t *), const char *in, size_t len,
                  const char *want)
{
    size_t n;
    char *got = fn(in, len, &n);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
    free(got);
}

static void test_display(void **state)
{
    (void)state;
    check(name_display, S("plain"), "plain");
    check(name_display, S("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
    check(name_display,
          S("a\xff"
            "b"),
          "a\\xffb");
    check(name_display, S("a\nb\tc\x7f"), "a\\x0ab\\x09c\\x7f");
    /* overlong, surrogate, truncated and non-character sequences */
    check(name_display, S("\xc0\x80"), "\\xc0\\x80");
    check(name_display, S("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    check(name_display, S("x\xe2\x82"), "x\\xe2\\x82");
    check(name_display, S("\xef\xbf\xbe"), "\\xef\\xbf\\xbe");
    check(name_display, "a\0b", 3, "a\\x00b");
    /* markup is left to the XML escape */
    check(name_display, S("<&>"), "<&>");
    check(name_display, S(""), "");
}

static void test_xml(void **state)
{
    (void)state;
    check(name_xml, S("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    check(name_xml, S("]]>"), "]]&gt;");
    check(name_xml, S("a\x01\xff"), "a\\x01\\xff");
    check(name_xml, S("tab\there"), "tab\\x09here");
    check(name_xml, S("\xc3\xa9"), "\xc3\xa9");
}

/* whether s is valid UTF-8 without C0 controls or DEL */
static int clean_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t l = name_utf8_len((const unsigned char *)s + i, n - i);
        if (l == 0 || (l == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)))
            return 0;
        i += l;
    }
    return 1;
}

/* random byte strings: the XML escape never yields markup, "]]>" or
 * anything XML cannot hold; the folded escape never a separator */
static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL;
    for (int k = 0; k < 20000; k++) {
        unsigned char buf[24];
        size_t n = (size_t)(k % 24);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* favour the interesting bytes */
            static const unsigned char pick[] = {';', ' ', '\\', '\n', '\r', '\t', ']',  '>',
                                                 '<', '&', '"',  '\'', 0,    0xff, 0xc3, 0xa9,
                                                 '1', '.', 'a',  0xe2, 0x82, 0xac, 0xef, 0xbf};
            buf[i] = (x >> 40) % 3 ? pick[(x >> 8) % sizeof pick] : (unsigned char)(x >> 16);
        }
        size_t len;
        char *e = name_xml((const char *)buf, n, &len);
        assert_null(strstr(e, "]]>"));
        assert_null(memchr(e, '<', len));
        assert_null(memchr(e, '"', len));
        assert_null(memchr(e, '\'', len));
        assert_true(clean_utf8(e, len));
        free(e);
        e = name_display((const char *)buf, n, &len);
        assert_true(clean_utf8(e, len));
        free(e);
        e = name_folded_escape((const char *)buf, n, &len);
        assert_true(len > 0);
        assert_null(memchr(e, ';', len));
        assert_true(clean_utf8(e, len));
        assert_true(e[0] != ' ' && e[len - 1] != ' ');
        assert_int_equal(name_folded_needs_escape((const char *)buf, n),
                         len != n || memcmp(e, buf, n) != 0);
        free(e);
    }
}

static void test_folded_escape(void **state)
{
    (void)state;
    check(name_folded_escape, S("main"), "main");
    check(name_folded_escape, S("a;b"), "a\\x3bb");
    check(name_folded_escape, S("a\\x3bb"), "a\\\\x3bb"); /* distinct from the one above */
    check(name_folded_escape, S("line\nbreak\r\t"), "line\\x0abreak\\x0d\\x09");
    check(name_folded_escape, S(" lead"), "\\x20lead");
    check(name_folded_escape, S("trail "), "trail\\x20");
    check(name_folded_escape, S("My Documents"), "My Documents");
    check(name_folded_escape, S("foo 12"), "foo\\x2012");
    check(name_folded_escape, S("v 1.5"), "v\\x201.5");
    check(name_folded_escape, S("v 1."), "v\\x201.");
    check(name_folded_escape, S("a 1 b"), "a 1 b");
    check(name_folded_escape, S("x .5"), "x .5");
    check(name_folded_escape, S("12"), "12");
    check(name_folded_escape, S(""), "\\(empty)");
    check(name_folded_escape, S("\xff\xfe"), "\\xff\\xfe");
    check(name_folded_escape, S("caf\xc3\xa9"), "caf\xc3\xa9");
    assert_false(name_folded_needs_escape(S("plain name.txt")));
    assert_true(name_folded_needs_escape(S("semi;colon")));
}

static void test_buf(void **state)
{
    (void)state;
    struct name_buf b;
    name_buf_init(&b);
    for (int i = 0; i < 10000; i++)
        name_buf_addc(&b, 'x');
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.s[10000], '\0');
    name_buf_reset(&b);
    assert_int_equal(b.len, 0);
    name_buf_addstr(&b, "ab");
    assert_string_equal(b.s, "ab");
    name_buf_release(&b);
    assert_null(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_display),      cmocka_unit_test(test_xml),
        cmocka_unit_test(test_random_bytes), cmocka_unit_test(test_folded_escape),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
