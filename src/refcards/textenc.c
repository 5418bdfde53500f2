/* textenc.c — binding file bytes to UTF-8: BOM sniffing, UTF-16 with or without a BOM, and
 * Windows-1252 for anything that is not valid UTF-8, keeping whole UTF-8 characters found among
 * the 1252 bytes (see textenc.h). */
#include "refcards/textenc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int textenc_valid_utf8(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += n + 1;
    }
    return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Windows-1252's 0x80..0x9F; the five holes become U+FFFD. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* UTF-16 without a BOM: most odd (LE) or even (BE) bytes of the first 256 are NUL. */
static int utf16_guess(const unsigned char *s, size_t len)
{
    size_t lim = len < 256 ? len & ~(size_t)1 : 256, z[2] = {0, 0};
    if (lim < 4)
        return 0;
    for (size_t i = 0; i < lim; i++)
        z[i & 1] += s[i] == 0;
    if (z[1] * 4 >= lim * 3 / 2 && z[0] == 0)
        return 1; /* LE */
    if (z[0] * 4 >= lim * 3 / 2 && z[1] == 0)
        return 2; /* BE */
    return 0;
}

int textenc_to_utf8(const char *data, size_t len, size_t max_len, const char **out, size_t *out_len,
                    int *owned, textenc_kind *kind, err_t *err)
{
    const unsigned char *s = (const unsigned char *)data;
    int u16 = 0;
    size_t skip = 0;
    *owned = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *kind = TEXTENC_UTF8_BOM;
        skip = 3;
    } else if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        u16 = 1, skip = 2;
    } else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        u16 = 2, skip = 2;
    } else {
        u16 = utf16_guess(s, len);
        *kind = TEXTENC_UTF8;
    }
    if (!u16 && textenc_valid_utf8(data + skip, len - skip)) {
        *out = data + skip;
        *out_len = len - skip;
        return 0;
    }
    /* Worst case 3 bytes out per byte in (cp1252 0x80.. → 3; UTF-16 unit → ≤ 3, pairs → 4/4). */
    size_t cap = (len - skip) * 3 + 1;
    if (cap / 3 > max_len) {
        err_set(err, ERR_TOO_LARGE, NULL, "a file of the upload is over %zu bytes", max_len);
        return -1;
    }
    char *o = malloc(cap);
    if (!o) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory converting a file to UTF-8");
        return -1;
    }
    size_t n = 0;
    if (u16) {
        *kind = u16 == 1 ? TEXTENC_UTF16LE : TEXTENC_UTF16BE;
        for (size_t i = skip; i + 1 < len; i += 2) {
            unsigned u = u16 == 1 ? (unsigned)(s[i] | s[i + 1] << 8) : (unsigned)(s[i] << 8 | s[i + 1]);
            if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
                unsigned lo = u16 == 1 ? (unsigned)(s[i + 2] | s[i + 3] << 8)
                                       : (unsigned)(s[i + 2] << 8 | s[i + 3]);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                } else {
                    u = 0xFFFD;
                }
            } else if (u >= 0xD800 && u <= 0xDFFF) {
                u = 0xFFFD;
            }
            n += put_utf8(o + n, u);
        }
    } else {
        /* Mostly Windows-1252, but a file edited by several tools can mix in whole UTF-8
         * characters (an IL-2 file with a 1252 "é" and a UTF-8 "’"): keep those as they are. */
        *kind = TEXTENC_CP1252;
        for (size_t i = skip; i < len; i++) {
            unsigned c = s[i];
            size_t seq = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (seq && len - i >= seq && textenc_valid_utf8(data + i, seq)) {
                memcpy(o + n, data + i, seq);
                n += seq;
                i += seq - 1;
                continue;
            }
            n += put_utf8(o + n, c >= 0x80 && c < 0xA0 ? cp1252_hi[c - 0x80] : c);
        }
    }
    o[n] = 0;
    *out = o;
    *out_len = n;
    *owned = 1;
    return 0;
}
