/* SPDX-License-Identifier: BSD-2-Clause */
/* libarchive and libcrypto through the functions that load them on first
 * use: from several threads at once, a tar read from memory and a known
 * sha256, and libarchive's own error message passed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

/* a ustar header for "hi.txt", 3 bytes, then its data and the end */
static size_t make_tar(unsigned char *t, size_t cap)
{
    memset(t, 0, cap);
    strcpy((char *)t, "hi.txt");
    memcpy(t + 100, "0000644", 8);
    memcpy(t + 108, "0000000", 8);
    memcpy(t + 116, "0000000", 8);
    memcpy(t + 124, "00000000003", 12);
    memcpy(t + 136, "00000000000", 12);
    t[156] = '0';
    memcpy(t + 257, "ustar", 6);
    memcpy(t + 263, "00", 2);
    memset(t + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += t[i];
    snprintf((char *)t + 148, 8, "%06o", sum);
    memcpy(t + 512, "abc", 3);
    return 512 * 4;
}

static void *read_tar(void *arg)
{
    (void)arg;
    unsigned char tar[2048];
    size_t n = make_tar(tar, sizeof tar);
    struct archive *a = archive_read_new();
    if (!a)
        return "no reader";
    archive_read_support_format_tar(a);
    const char *bad = NULL;
    struct archive_entry *e;
    if (archive_read_open_memory(a, tar, n) != ARCHIVE_OK)
        bad = "not opened";
    else if (archive_read_next_header(a, &e) != ARCHIVE_OK)
        bad = "no header";
    else if (strcmp(archive_entry_pathname(e), "hi.txt") != 0 || archive_entry_size(e) != 3)
        bad = "wrong entry";
    archive_read_free(a);
    return (void *)bad;
}

static void test_archive_from_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, read_tar, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        assert_null(r);
    }
}

static void test_archive_error(void **state)
{
    (void)state;
    struct archive *a = archive_read_new();
    assert_non_null(a);
    archive_read_support_format_tar(a);
    assert_int_equal(archive_read_open_memory(a, "not a tar at all", 16), ARCHIVE_FATAL);
    assert_non_null(archive_error_string(a));
    archive_set_error(a, 5, "layer %d: %s", 3, "broken");
    assert_string_equal(archive_error_string(a), "layer 3: broken");
    archive_read_free(a);
}

static void test_sha256(void **state)
{
    (void)state;
    static const unsigned char want[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                           0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                           0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                           0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    unsigned char md[32];
    unsigned len = 0;
    assert_int_equal(EVP_Digest("abc", 3, md, &len, EVP_sha256(), NULL), 1);
    assert_int_equal(len, 32);
    assert_memory_equal(md, want, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    assert_non_null(c);
    assert_int_equal(EVP_DigestInit_ex(c, EVP_sha256(), NULL), 1);
    assert_int_equal(EVP_DigestUpdate(c, "a", 1), 1);
    assert_int_equal(EVP_DigestUpdate(c, "bc", 2), 1);
    assert_int_equal(EVP_DigestFinal_ex(c, md, &len), 1);
    assert_memory_equal(md, want, 32);
    EVP_MD_CTX_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_archive_from_threads),
        cmocka_unit_test(test_archive_error),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
