/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lazylib: libarchive and libcrypto are loaded when first called.
 *
 * duflame is not linked with either library. This file defines each of
 * their functions that duflame calls, with the libraries' own prototypes
 * (their headers are included, so the compiler checks every one), and each
 * calls the library's function through a table filled by dlopen() and
 * dlsym() on the first call into that library. A scan of a directory with
 * no archive or image in it never loads them: they and what they load
 * (libxml2, ICU, libstdc++, nettle and the rest) cost duflame 11 ms of its
 * 17 ms start warm and about 70 ms cold, which is a tenth of a second on
 * the kind of tree a scan takes a third of a second for.
 *
 * These definitions are not exported (the program is not linked with
 * --export-dynamic), so the libraries' calls to their own functions stay
 * inside them. When a library cannot be loaded its functions fail the way
 * they fail for want of memory (NULL, ARCHIVE_FATAL, 0), and
 * archive_error_string() says that the library could not be loaded.
 */
#include "lazylib.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* each function: its return type, name, parameters, arguments and the
 * value it returns when its library is missing */
#define ARCHIVE_FNS(X)                                                                             \
    X(struct archive *, archive_read_new, (void), (), NULL)                                        \
    X(int, archive_read_free, (struct archive * a), (a), ARCHIVE_FATAL)                            \
    X(int, archive_read_next_header, (struct archive * a, struct archive_entry * *e), (a, e),      \
      ARCHIVE_FATAL)                                                                               \
    X(la_ssize_t, archive_read_data, (struct archive * a, void *p, size_t n), (a, p, n),           \
      ARCHIVE_FATAL)                                                                               \
    X(int, archive_read_data_block,                                                                \
      (struct archive * a, const void **p, size_t *n, la_int64_t *off), (a, p, n, off),            \
      ARCHIVE_FATAL)                                                                               \
    X(la_int64_t, archive_read_header_position, (struct archive * a), (a), ARCHIVE_FATAL)          \
    X(int, archive_read_open,                                                                      \
      (struct archive * a, void *d, archive_open_callback *o, archive_read_callback *r,            \
       archive_close_callback *c),                                                                 \
      (a, d, o, r, c), ARCHIVE_FATAL)                                                              \
    X(int, archive_read_open1, (struct archive * a), (a), ARCHIVE_FATAL)                           \
    X(int, archive_read_open_fd, (struct archive * a, int fd, size_t n), (a, fd, n),               \
      ARCHIVE_FATAL)                                                                               \
    X(int, archive_read_open_memory, (struct archive * a, const void *p, size_t n), (a, p, n),     \
      ARCHIVE_FATAL)                                                                               \
    X(int, archive_read_set_callback_data, (struct archive * a, void *d), (a, d), ARCHIVE_FATAL)   \
    X(int, archive_read_set_read_callback, (struct archive * a, archive_read_callback * f),        \
      (a, f), ARCHIVE_FATAL)                                                                       \
    X(int, archive_read_set_seek_callback, (struct archive * a, archive_seek_callback * f),        \
      (a, f), ARCHIVE_FATAL)                                                                       \
    X(int, archive_read_set_skip_callback, (struct archive * a, archive_skip_callback * f),        \
      (a, f), ARCHIVE_FATAL)                                                                       \
    X(la_int64_t, archive_filter_bytes, (struct archive * a, int i), (a, i), ARCHIVE_FATAL)        \
    X(int, archive_filter_code, (struct archive * a, int i), (a, i), ARCHIVE_FATAL)                \
    X(int, archive_filter_count, (struct archive * a), (a), 0)                                     \
    X(const char *, archive_filter_name, (struct archive * a, int i), (a, i), NULL)                \
    X(int, archive_format, (struct archive * a), (a), 0)                                           \
    X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry * e), (e), 0)                     \
    X(__LA_MODE_T, archive_entry_mode, (struct archive_entry * e), (e), 0)                         \
    X(const char *, archive_entry_hardlink, (struct archive_entry * e), (e), NULL)                 \
    X(const char *, archive_entry_symlink, (struct archive_entry * e), (e), NULL)                  \
    X(const char *, archive_entry_pathname, (struct archive_entry * e), (e), NULL)                 \
    X(const char *, archive_entry_pathname_utf8, (struct archive_entry * e), (e), NULL)            \
    X(int, archive_entry_is_encrypted, (struct archive_entry * e), (e), 0)                         \
    X(la_int64_t, archive_entry_size, (struct archive_entry * e), (e), 0)                          \
    X(int, archive_entry_size_is_set, (struct archive_entry * e), (e), 0)                          \
    SUPPORT(X, filter_bzip2)                                                                       \
    SUPPORT(X, filter_compress)                                                                    \
    SUPPORT(X, filter_gzip)                                                                        \
    SUPPORT(X, filter_lz4)                                                                         \
    SUPPORT(X, filter_lzip)                                                                        \
    SUPPORT(X, filter_lzma)                                                                        \
    SUPPORT(X, filter_none)                                                                        \
    SUPPORT(X, filter_rpm)                                                                         \
    SUPPORT(X, filter_xz)                                                                          \
    SUPPORT(X, filter_zstd)                                                                        \
    SUPPORT(X, format_7zip)                                                                        \
    SUPPORT(X, format_ar)                                                                          \
    SUPPORT(X, format_cab)                                                                         \
    SUPPORT(X, format_cpio)                                                                        \
    SUPPORT(X, format_iso9660)                                                                     \
    SUPPORT(X, format_lha)                                                                         \
    SUPPORT(X, format_rar)                                                                         \
    SUPPORT(X, format_rar5)                                                                        \
    SUPPORT(X, format_raw)                                                                         \
    SUPPORT(X, format_tar)                                                                         \
    SUPPORT(X, format_xar)                                                                         \
    SUPPORT(X, format_zip)
#define SUPPORT(X, what)                                                                           \
    X(int, archive_read_support_##what, (struct archive * a), (a), ARCHIVE_FATAL)

#define CRYPTO_FNS(X)                                                                              \
    X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), (), NULL)                                              \
    X(const EVP_MD *, EVP_sha256, (void), (), NULL)                                                \
    X(int, EVP_DigestInit_ex, (EVP_MD_CTX * c, const EVP_MD *t, ENGINE *e), (c, t, e), 0)          \
    X(int, EVP_DigestUpdate, (EVP_MD_CTX * c, const void *p, size_t n), (c, p, n), 0)              \
    X(int, EVP_DigestFinal_ex, (EVP_MD_CTX * c, unsigned char *md, unsigned int *n), (c, md, n),   \
      0)                                                                                           \
    X(int, EVP_Digest,                                                                             \
      (const void *p, size_t n, unsigned char *md, unsigned int *len, const EVP_MD *t, ENGINE *e), \
      (p, n, md, len, t, e), 0)

struct lib {
    const char *names[3]; /* sonames to try, in order */
    pthread_once_t once;
    void *handle;
    char why[256]; /* why it could not be loaded */
};

static struct lib archive_lib = {.names = {"libarchive.so.13", "libarchive.so", NULL},
                                 .once = PTHREAD_ONCE_INIT};
static struct lib crypto_lib = {.names = {"libcrypto.so.3", "libcrypto.so", NULL},
                                .once = PTHREAD_ONCE_INIT};

/* each library's functions, by name and as a table of pointers in the same
 * order (the hand-made forwarders' functions last) */
#define SLOT(ret, name, params, args, fail) ret(*name) params;
#define NAME(ret, name, params, args, fail) #name,
static const char *const archive_names[] = {ARCHIVE_FNS(NAME) "archive_error_string",
                                            "archive_set_error"};
static const char *const crypto_names[] = {CRYPTO_FNS(NAME) "EVP_MD_CTX_free"};
#define NSLOTS(names) (sizeof names / sizeof *names)
static union {
    struct {
        ARCHIVE_FNS(SLOT)
        const char *(*archive_error_string)(struct archive *);
        void (*archive_set_error)(struct archive *, int, const char *, ...);
    } f;
    void *slot[NSLOTS(archive_names)];
} archive_fn;
static union {
    struct {
        CRYPTO_FNS(SLOT)
        void (*EVP_MD_CTX_free)(EVP_MD_CTX *);
    } f;
    void *slot[NSLOTS(crypto_names)];
} crypto_fn;
_Static_assert(sizeof archive_fn.f == sizeof archive_fn.slot, "one slot a name");
_Static_assert(sizeof crypto_fn.f == sizeof crypto_fn.slot, "one slot a name");
#undef SLOT
#undef NAME

/* load: the first of l's sonames that loads, and every function named into
 * slot; l->why says why that failed, which leaves every slot empty */
static void load(struct lib *l, const char *const *names, void **slot, size_t n)
{
    for (const char *const *so = l->names; *so && !l->handle; so++)
        l->handle = dlopen(*so, RTLD_NOW | RTLD_LOCAL);
    if (!l->handle) {
        const char *e = dlerror();
        snprintf(l->why, sizeof l->why, "cannot load %s: %s", l->names[0], e ? e : "not found");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(slot[i] = dlsym(l->handle, names[i]))) {
            snprintf(l->why, sizeof l->why, "%s has no %s", l->names[0], names[i]);
            memset(slot, 0, n * sizeof *slot);
            return;
        }
    }
}

static void load_archive(void)
{
    load(&archive_lib, archive_names, archive_fn.slot, NSLOTS(archive_names));
}

static void load_crypto(void)
{
    load(&crypto_lib, crypto_names, crypto_fn.slot, NSLOTS(crypto_names));
}

#define FORWARD(lib, ret, name, params, args, fail)                                                \
    ret name params                                                                                \
    {                                                                                              \
        pthread_once(&lib##_lib.once, load_##lib);                                                 \
        return lib##_fn.f.name ? lib##_fn.f.name args : fail;                                      \
    }
#define FORWARD_ARCHIVE(ret, name, params, args, fail)                                             \
    FORWARD(archive, ret, name, params, args, fail)
#define FORWARD_CRYPTO(ret, name, params, args, fail) FORWARD(crypto, ret, name, params, args, fail)

void lazylib_preload(void)
{
    pthread_once(&archive_lib.once, load_archive);
    pthread_once(&crypto_lib.once, load_crypto);
}

ARCHIVE_FNS(FORWARD_ARCHIVE)
CRYPTO_FNS(FORWARD_CRYPTO)

/* archive_error_string: what libarchive says, or why it is missing */
const char *archive_error_string(struct archive *a)
{
    pthread_once(&archive_lib.once, load_archive);
    if (!archive_fn.f.archive_error_string)
        return archive_lib.why;
    return archive_fn.f.archive_error_string(a);
}

/* archive_set_error: the message is made here, as the variable arguments
 * cannot be passed on */
void archive_set_error(struct archive *a, int err, const char *fmt, ...)
{
    pthread_once(&archive_lib.once, load_archive);
    if (!archive_fn.f.archive_set_error)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    archive_fn.f.archive_set_error(a, err, "%s", msg);
}

void EVP_MD_CTX_free(EVP_MD_CTX *c)
{
    pthread_once(&crypto_lib.once, load_crypto);
    if (crypto_fn.f.EVP_MD_CTX_free)
        crypto_fn.f.EVP_MD_CTX_free(c);
}
