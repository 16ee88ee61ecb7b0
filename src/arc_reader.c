/* SPDX-License-Identifier: BSD-2-Clause */
/* arc_reader: libarchive readers with the in-process filter whitelist (see
 * include/arc_reader.h) */
#include "arc_reader.h"
#include "util.h"

#include <pthread.h>
#include <stdbool.h>

typedef int (*support_fn)(struct archive *);
static const support_fn filter_fns[] = {
    archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
    archive_read_support_filter_xz,   archive_read_support_filter_lzma,
    archive_read_support_filter_lzip, archive_read_support_filter_zstd,
    archive_read_support_filter_lz4,  archive_read_support_filter_compress,
    archive_read_support_filter_rpm,
};
static pthread_once_t filters_once = PTHREAD_ONCE_INIT;
static unsigned filters_ok; /* written once, under filters_once */

/* probe_filters: try each filter on a throw-away reader; only those that
 * answer ARCHIVE_OK (no external program) are used */
static void probe_filters(void)
{
    struct archive *a = archive_read_new();
    for (size_t i = 0; a && i < ARRAY_LEN(filter_fns); i++)
        if (filter_fns[i](a) == ARCHIVE_OK)
            filters_ok |= 1u << i;
    archive_read_free(a);
}

static void support_formats(struct archive *a)
{
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_xar(a);
    /* raw takes whatever no archive format wants: that is how a compressed
     * file that holds no archive is told apart */
    archive_read_support_format_raw(a);
}

/* a reader with every filter that works here, and no format yet */
static struct archive *reader_with_filters(void)
{
    pthread_once(&filters_once, probe_filters);
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(filter_fns); i++)
        if (filters_ok & (1u << i))
            filter_fns[i](a);
    return a;
}

struct archive *arc_reader_new(void)
{
    struct archive *a = reader_with_filters();
    if (a)
        support_formats(a);
    return a;
}

struct archive *arc_reader_tar_new(void)
{
    struct archive *a = reader_with_filters();
    if (a)
        archive_read_support_format_tar(a);
    return a;
}

const char *arc_reader_external(struct archive *a)
{
    int n = archive_filter_count(a);
    for (int i = 0; i < n; i++) {
        int code = archive_filter_code(a, i);
        if (code == ARCHIVE_FILTER_PROGRAM || code == ARCHIVE_FILTER_LRZIP ||
            code == ARCHIVE_FILTER_LZOP || code == ARCHIVE_FILTER_GRZIP)
            return archive_filter_name(a, i) ? archive_filter_name(a, i) : "program";
    }
    return NULL;
}

int arc_reader_first_header(struct archive *ar, int open_r, int *r, struct archive_entry **e)
{
    if (open_r != ARCHIVE_OK && open_r != ARCHIVE_WARN)
        return -1;
    *r = archive_read_next_header(ar, e);
    if (*r == ARCHIVE_EOF)
        return 0; /* a tar of zeros, an empty archive: a file */
    if (*r < ARCHIVE_WARN)
        return -1;
    if (archive_format(ar) == ARCHIVE_FORMAT_RAW)
        return 0;
    return 1;
}

const char *arc_entry_name(struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    if (!p)
        p = archive_entry_pathname_utf8(e);
    return p ? p : "?";
}
