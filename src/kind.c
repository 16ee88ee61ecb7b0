/* SPDX-License-Identifier: BSD-2-Clause */
#include "kind.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* Extensions by class, lower case, sorted by nothing: the lists are short and
 * looked up only for the final extension of each file. */
static const char *const source_ext[] = {
    "c",   "h",    "cc",   "cpp",   "cxx",     "hh",    "hpp",   "hxx",   "s",    "asm", "py",
    "rs",  "go",   "java", "kt",    "js",      "mjs",   "ts",    "tsx",   "jsx",  "rb",  "pl",
    "pm",  "sh",   "bash", "zsh",   "lua",     "php",   "cs",    "swift", "m",    "mm",  "scala",
    "hs",  "ml",   "el",   "lisp",  "clj",     "erl",   "ex",    "exs",   "dart", "r",   "jl",
    "vim", "sql",  "mk",   "cmake", "in",      "ac",    "am",    "y",     "l",    "awk", "sed",
    "css", "scss", "less", "vue",   "svelte",  "zig",   "nim",   "d",     "f",    "f90", "pas",
    "tcl", "rst",  "dts",  "dtsi",  "kconfig", "proto", "patch", "diff",
};
static const char *const object_ext[] = {
    "o",   "a",   "so",  "ko",   "obj", "lib",  "dll",   "exe", "dylib", "class", "pyc",
    "pyo", "elf", "bin", "wasm", "out", "rlib", "rmeta", "pch", "gch",   "dwo",   "node",
};
static const char *const archive_ext[] = {
    "tar", "gz",   "tgz", "bz2",  "tbz2",     "xz",  "txz",   "zst",   "zstd", "lz4",
    "lz",  "lzma", "zip", "jar",  "war",      "ear", "whl",   "egg",   "deb",  "rpm",
    "apk", "7z",   "rar", "cpio", "iso",      "img", "qcow2", "vmdk",  "vdi",  "squashfs",
    "cab", "z",    "ar",  "snap", "appimage", "dmg", "pack",  "crate", "gem",  "nupkg",
};
static const char *const image_ext[] = {
    "png", "jpg", "jpeg", "gif",  "bmp",  "tif", "tiff", "webp", "svg", "ico", "xcf", "psd", "raw",
    "cr2", "nef", "heic", "heif", "avif", "eps", "xpm",  "pbm",  "pgm", "ppm", "jxl", "dng",
};
static const char *const media_ext[] = {
    "mp3", "ogg",  "oga", "flac", "wav", "aac", "m4a", "opus", "wma", "mid", "midi", "mp4", "m4v",
    "mkv", "webm", "avi", "mov",  "wmv", "flv", "mpg", "mpeg", "3gp", "vob", "aiff", "ape",
};
static const char *const document_ext[] = {
    "txt",  "md",  "pdf", "doc",    "docx", "odt",  "ods",  "odp",  "xls",   "xlsx", "ppt",
    "pptx", "rtf", "tex", "html",   "htm",  "xml",  "json", "yaml", "yml",   "toml", "csv",
    "tsv",  "log", "ini", "cfg",    "conf", "epub", "mobi", "djvu", "ps",    "man",  "info",
    "po",   "pot", "db",  "sqlite", "dat",  "ttf",  "otf",  "woff", "woff2",
};

struct klass {
    enum tree_kind kind;
    const char *const *ext;
    size_t n;
};
static const struct klass klasses[] = {
    {TREE_KIND_SOURCE, source_ext, sizeof source_ext / sizeof *source_ext},
    {TREE_KIND_OBJECT, object_ext, sizeof object_ext / sizeof *object_ext},
    {TREE_KIND_ARCHIVE, archive_ext, sizeof archive_ext / sizeof *archive_ext},
    {TREE_KIND_IMAGE, image_ext, sizeof image_ext / sizeof *image_ext},
    {TREE_KIND_MEDIA, media_ext, sizeof media_ext / sizeof *media_ext},
    {TREE_KIND_DOCUMENT, document_ext, sizeof document_ext / sizeof *document_ext},
};

/* Extensions of up to 8 bytes packed into a 64-bit key; looked up in an
 * open-addressing table built once, so classifying a million files costs a
 * hash probe each rather than a scan of every list. */
#define TABLE 1024

static struct {
    uint64_t key[TABLE];
    unsigned char kind[TABLE];
} table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static uint64_t ext_key(const char *s, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        k = (k << 8) | c;
    }
    return k;
}

static size_t key_slot(uint64_t k)
{
    k *= 0x9e3779b97f4a7c15ULL;
    return (size_t)(k >> 54) & (TABLE - 1);
}

static void table_init(void)
{
    for (size_t c = 0; c < sizeof klasses / sizeof *klasses; c++)
        for (size_t i = 0; i < klasses[c].n; i++) {
            uint64_t k = ext_key(klasses[c].ext[i], strlen(klasses[c].ext[i]));
            size_t j = key_slot(k);
            while (table.key[j] && table.key[j] != k)
                j = (j + 1) & (TABLE - 1);
            if (!table.key[j]) {
                table.key[j] = k;
                table.kind[j] = (unsigned char)klasses[c].kind;
            }
        }
}

static int ext_lookup(const char *s, size_t n)
{
    uint64_t k = ext_key(s, n);
    for (size_t j = key_slot(k); table.key[j]; j = (j + 1) & (TABLE - 1))
        if (table.key[j] == k)
            return table.kind[j];
    return -1;
}

enum tree_kind kind_classify(const char *name, size_t len, mode_t mode)
{
    pthread_once(&table_once, table_init);
    /* the final extension: after the last '.', not a leading one (".bashrc") */
    size_t dot = len;
    while (dot > 0 && name[dot - 1] != '.')
        dot--;
    if (dot > 1 && len - dot > 0 && len - dot <= 8) {
        int k = ext_lookup(name + dot, len - dot);
        if (k >= 0)
            return (enum tree_kind)k;
    }
    if (dot > 1 && memmem(name, len, ".so.", 4)) /* "libfoo.so.6.1" */
        return TREE_KIND_OBJECT;
    /* Makefile, README, ...: the build and documentation files of a tree */
    static const struct {
        const char *name;
        enum tree_kind kind;
    } whole[] = {
        {"Makefile", TREE_KIND_SOURCE},   {"makefile", TREE_KIND_SOURCE},
        {"Kconfig", TREE_KIND_SOURCE},    {"Kbuild", TREE_KIND_SOURCE},
        {"Dockerfile", TREE_KIND_SOURCE}, {"README", TREE_KIND_DOCUMENT},
        {"LICENSE", TREE_KIND_DOCUMENT},  {"COPYING", TREE_KIND_DOCUMENT},
    };
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        if (strlen(whole[i].name) == len && memcmp(whole[i].name, name, len) == 0)
            return whole[i].kind;
    if (S_ISREG(mode) && (mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
        return TREE_KIND_OBJECT;
    return TREE_KIND_OTHER;
}

/* The one table of classes: the name the man page and the legend use, and
 * the colour frames of the class are drawn in (distinct hues that keep black
 * text readable), as rgb and as "#rrggbb". */
static const struct {
    const char *label;
    struct kind_rgb rgb;
    const char *hex;
} kinds[TREE_KIND_COUNT] = {
    [TREE_KIND_OTHER] = {"other", {175, 175, 165}, "#afafa5"},
    [TREE_KIND_SOURCE] = {"source", {110, 195, 105}, "#6ec369"},
    [TREE_KIND_OBJECT] = {"object/binary", {225, 100, 85}, "#e16455"},
    [TREE_KIND_ARCHIVE] = {"archive", {175, 120, 215}, "#af78d7"},
    [TREE_KIND_IMAGE] = {"image", {85, 190, 195}, "#55bec3"},
    [TREE_KIND_MEDIA] = {"audio/video", {110, 140, 225}, "#6e8ce1"},
    [TREE_KIND_DOCUMENT] = {"document", {220, 200, 85}, "#dcc855"},
};
static const struct kind_rgb dir_rgb = {235, 165, 65};

static enum tree_kind valid(enum tree_kind k)
{
    return (unsigned)k < TREE_KIND_COUNT ? k : TREE_KIND_OTHER;
}

const char *kind_label(enum tree_kind k)
{
    return kinds[valid(k)].label;
}

const char *kind_color(enum tree_kind k)
{
    return kinds[valid(k)].hex;
}

struct kind_rgb kind_rgb(enum tree_kind k)
{
    return kinds[valid(k)].rgb;
}

const char *kind_dir_label(void)
{
    return "directory";
}

const char *kind_dir_color(void)
{
    return "#eba541";
}

struct kind_rgb kind_dir_rgb(void)
{
    return dir_rgb;
}
