/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * count: arithmetic and text for the exact counts every tree carries. A
 * weight is an unsigned 64-bit count stored times 10^scale (tree.h), so
 * fractional samples stay exact; these helpers scale, add without wrapping,
 * and print such counts the same way in every module.
 *
 * Pure functions over their arguments: thread-safe, nothing to free.
 */
#ifndef DUFLAME_COUNT_H
#define DUFLAME_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* the longest text count_format writes, NUL included ("18,446,744,073,709,551,615"
 * with a point, at most 19 decimals) */
#define COUNT_TEXT_MAX 48

/* count_pow10: 10^e, or 0 when it does not fit in 64 bits (e > 19) */
uint64_t count_pow10(unsigned e);

/* count_sat_add: a + b, or UINT64_MAX when the sum would wrap */
uint64_t count_sat_add(uint64_t a, uint64_t b);

/* count_digits: the decimal digits of v into buf (no NUL, at most 20);
 * returns how many */
size_t count_digits(char *buf, uint64_t v);

enum {
    COUNT_COMMAS = 1, /* a ',' between groups of three digits: "1,234" */
    COUNT_TRIM = 2,   /* drop the fraction's trailing zeros, and a zero fraction:
                         "1.5", "2"; without it every one of scale decimals */
};

/* count_format: v / 10^scale as decimal text into buf (COUNT_TEXT_MAX bytes,
 * NUL added), with flags (COUNT_*); returns the length. A scale whose power
 * of ten does not fit prints v as a whole number. */
size_t count_format(char *buf, uint64_t v, unsigned scale, unsigned flags);

#endif
