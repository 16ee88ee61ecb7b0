/* SPDX-License-Identifier: BSD-2-Clause */
/* image_tar: a plain tar layer's entries read from its headers (ustar
 * prefixes, GNU long names, each entry's stored bytes, the limits), and
 * the headers it leaves to libarchive (pax, a bad checksum, a regular file
 * named like a directory, a truncated tar). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_fs.h"
#include "image_tar.h"

struct tb {
    unsigned char buf[64 * 512];
    size_t len;
};

/* hdr: a header (magic "gnu" or "ustar") then size bytes of data */
static void hdr(struct tb *t, const char *magic, const char *prefix, const char *name, char type,
                size_t size)
{
    unsigned char *h = t->buf + t->len;
    memset(h, 0, 512);
    memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
    memcpy(h + 100, "0000644", 7);
    snprintf((char *)h + 124, 12, "%011zo", size);
    h[156] = (unsigned char)type;
    if (type == '1' || type == '2')
        memcpy(h + 157, "target", 6);
    if (!strcmp(magic, "gnu"))
        memcpy(h + 257, "ustar  ", 8);
    else
        memcpy(h + 257,
               "ustar\0"
               "00",
               8);
    if (prefix)
        memcpy(h + 345, prefix, strlen(prefix));
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    t->len += 512;
    memset(t->buf + t->len, 'x', size);
    t->len += (size + 511) / 512 * 512;
}

static void end(struct tb *t)
{
    memset(t->buf + t->len, 0, 1024);
    t->len += 1024;
}

static enum image_tar_result rd(const struct tb *t, uint64_t max, struct image_layer *l)
{
    struct image_lim lim = {.max_entries = max, .max_bytes = UINT64_MAX};
    memset(l, 0, sizeof *l);
    return image_tar_read(t->buf, t->len, &lim, l);
}

static void test_ustar_and_gnu(void **state)
{
    (void)state;
    struct tb t = {0};
    hdr(&t, "ustar", "usr/share", "doc", '5', 0);
    hdr(&t, "ustar", "usr/share/", "a.txt", '0', 700);
    hdr(&t, "gnu", NULL, "etc/link", '2', 0);
    hdr(&t, "gnu", NULL, "etc/hard", '1', 0);
    hdr(&t, "gnu", NULL, "dev/fifo", '6', 0);
    end(&t);
    struct image_layer l;
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_END);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[0].path, "usr/share/doc");
    assert_int_equal(l.v[0].type, IMAGE_DIR);
    assert_string_equal(l.v[1].path, "usr/share/a.txt");
    assert_int_equal(l.v[1].type, IMAGE_REG);
    assert_int_equal(l.v[1].size, 700);
    assert_int_equal(l.v[1].stored, 512 + 1024);
    assert_int_equal(l.v[2].type, IMAGE_SYMLINK);
    assert_int_equal(l.v[3].type, IMAGE_HARDLINK);
    assert_int_equal(l.v[4].type, IMAGE_OTHER);
    assert_int_equal(l.v[4].stored, 512); /* up to the end-of-archive block */
    assert_int_equal(l.bytes, 700);
    image_layer_release(&l);
}

static void test_long_name(void **state)
{
    (void)state;
    struct tb t = {0};
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    hdr(&t, "gnu", NULL, "././@LongLink", 'L', sizeof name);
    memcpy(t.buf + t.len - 512, name, sizeof name);
    hdr(&t, "gnu", NULL, "nnnn", '0', 10);
    end(&t);
    struct image_layer l;
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_END);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].path, name);
    assert_int_equal(l.v[0].stored, 4 * 512); /* the long name's header and data too */
    image_layer_release(&l);
}

static void test_limit(void **state)
{
    (void)state;
    struct tb t = {0};
    for (int i = 0; i < 4; i++)
        hdr(&t, "gnu", NULL, "f", '0', 1);
    end(&t);
    struct image_layer l;
    assert_int_equal(rd(&t, 2, &l), IMAGE_TAR_LIMIT);
    assert_int_equal(l.n, 3); /* the one over the limit last */
    image_layer_release(&l);
}

static void test_left_to_libarchive(void **state)
{
    (void)state;
    struct image_layer l;
    struct tb t = {0};
    hdr(&t, "ustar", NULL, "PaxHeader/x", 'x', 30);
    hdr(&t, "ustar", NULL, "x", '0', 0);
    end(&t);
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_UNKNOWN);
    assert_int_equal(l.n, 0);
    assert_null(l.v);

    memset(&t, 0, sizeof t);
    hdr(&t, "gnu", NULL, "a", '0', 0);
    hdr(&t, "gnu", NULL, "b", '0', 0);
    t.buf[512 + 148] ^= 1; /* the second header's checksum */
    end(&t);
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_UNKNOWN);
    assert_int_equal(l.n, 0);

    memset(&t, 0, sizeof t);
    hdr(&t, "gnu", NULL, "dir/", '0', 0);
    end(&t);
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_UNKNOWN);

    memset(&t, 0, sizeof t);
    hdr(&t, "gnu", NULL, "big", '0', 5000);
    t.len -= 1024; /* its data cut short */
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_UNKNOWN);

    memset(&t, 0, sizeof t);
    hdr(&t, "gnu", NULL, "dir", '5', 512); /* a directory with data */
    end(&t);
    assert_int_equal(rd(&t, 100, &l), IMAGE_TAR_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ustar_and_gnu),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_left_to_libarchive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
