/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json: a small JSON document read whole from memory into values (RFC 8259),
 * for the short documents duflame reads as a whole: a container image's
 * manifest.json, index.json, manifests and configs. ncdu's export, which can
 * be gigabytes, has its own streaming reader (ncdu_read.c).
 *
 * Strict: one value and nothing but white space after it; nesting deeper
 * than JSON_MAX_DEPTH, a string with a NUL or an unpaired surrogate in it,
 * and numbers are kept as doubles. A string's \uXXXX escapes become UTF-8;
 * a string is NUL-terminated and holds no NUL.
 *
 * Ownership: json_parse() returns a tree of values the caller frees with
 * json_free(); every pointer a lookup returns points into that tree.
 * Reentrant, no shared state.
 */
#ifndef DUFLAME_JSON_H
#define DUFLAME_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
    enum json_type type;
    bool b;                   /* JSON_BOOL */
    double num;               /* JSON_NUMBER */
    char *str;                /* JSON_STRING */
    size_t n;                 /* JSON_ARRAY, JSON_OBJECT: elements */
    struct json_value *items; /* JSON_ARRAY, JSON_OBJECT: n values */
    char **keys;              /* JSON_OBJECT: n keys (the last of a repeated key wins) */
};

/* json_parse: the value in buf[0..len), or NULL with a message in err
 * ("byte 12: expected ':'") */
struct json_value *json_parse(const char *buf, size_t len, char *err, size_t errcap);
void json_free(struct json_value *v);

/* json_get: the member key of object v (the last one of that name), or NULL
 * when v is not an object or has none */
const struct json_value *json_get(const struct json_value *v, const char *key);
/* json_str: v's string, or NULL when v is NULL or not a string */
const char *json_str(const struct json_value *v);
/* json_get_str: json_str(json_get(v, key)) */
const char *json_get_str(const struct json_value *v, const char *key);
/* json_array_len: elements of an array, 0 for anything else */
size_t json_array_len(const struct json_value *v);
/* json_at: element i of an array, NULL out of range or not an array */
const struct json_value *json_at(const struct json_value *v, size_t i);
/* json_uint: v as an integer in [0, 2^53], false otherwise */
bool json_uint(const struct json_value *v, uint64_t *out);

#endif
