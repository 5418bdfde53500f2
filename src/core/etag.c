/* etag.c — ETags (SHA-256 of the canonical key) and If-None-Match parsing. */
#include "core/etag.h"

#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"

uint64_t etag_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void etag_make(const char *key, int tag_bits, char out[ETAG_LEN])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[SHA256_DIGEST_LEN];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, CARTOUCHE_RENDERER_VERSION, sizeof CARTOUCHE_RENDERER_VERSION); /* with NUL */
    sha256_update(&c, key, strlen(key));
    sha256_final(&c, d);
    for (int i = 0; i < ETAG_HEX / 2; i++) {
        int keep = tag_bits - 8 * i; /* bits of this byte kept */
        if (keep < 8)
            d[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
    out[0] = '"';
    for (int i = 0; i < ETAG_HEX / 2; i++) {
        out[1 + 2 * i] = hex[d[i] >> 4];
        out[2 + 2 * i] = hex[d[i] & 15];
    }
    out[ETAG_HEX + 1] = '"';
    out[ETAG_HEX + 2] = 0;
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int etag_match(const char *inm, const char *etag)
{
    if (!inm || !etag)
        return 0;
    const char *s = skip_ows(inm);
    if (*s == '*') {
        s = skip_ows(s + 1);
        return *s == 0;
    }
    /* etag is "\"opaque\""; compare the quoted part. */
    size_t elen = strlen(etag);
    while (*s) {
        s = skip_ows(s);
        if (s[0] == 'W' && s[1] == '/')
            s += 2;
        if (*s != '"')
            return 0; /* malformed list: no match, the client gets a normal 200 */
        const char *end = strchr(s + 1, '"');
        if (!end)
            return 0;
        size_t len = (size_t)(end - s) + 1;
        if (len == elen && memcmp(s, etag, len) == 0)
            return 1;
        s = skip_ows(end + 1);
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return 0;
}
