/* SPDX-License-Identifier: BSD-2-Clause */
#include "count.h"

uint64_t count_pow10(unsigned e)
{
    uint64_t m = 1;
    for (unsigned i = 0; i < e; i++) {
        if (m > UINT64_MAX / 10)
            return 0;
        m *= 10;
    }
    return m;
}

uint64_t count_sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

size_t count_digits(char *buf, uint64_t v)
{
    char tmp[24];
    size_t k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < k; i++)
        buf[i] = tmp[k - 1 - i];
    return k;
}

/* the whole part, with commas when asked */
static size_t whole(char *buf, uint64_t v, unsigned flags)
{
    char d[24];
    size_t len = count_digits(d, v), k = 0;
    for (size_t i = 0; i < len; i++) {
        if ((flags & COUNT_COMMAS) && i > 0 && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = d[i];
    }
    return k;
}

size_t count_format(char *buf, uint64_t v, unsigned scale, unsigned flags)
{
    uint64_t m = scale ? count_pow10(scale) : 1;
    if (m == 0)
        m = 1, scale = 0;
    size_t k = whole(buf, v / m, flags);
    uint64_t fp = v % m;
    if (scale && (fp || !(flags & COUNT_TRIM))) {
        buf[k++] = '.';
        for (unsigned i = scale; i-- > 0;) {
            buf[k + i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        k += scale;
        if (flags & COUNT_TRIM)
            while (buf[k - 1] == '0')
                k--;
    }
    buf[k] = '\0';
    return k;
}
