/* etag.c — ETag hashing and If-None-Match parsing. */
#include "etag.h"

#include <stdio.h>
#include <string.h>

uint64_t etag_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void etag_make(const char *key, char out[ETAG_LEN])
{
    uint64_t h = etag_hash(ETAG_SEED, CARTOUCHE_RENDERER_VERSION, sizeof CARTOUCHE_RENDERER_VERSION);
    h = etag_hash(h, key, strlen(key));
    /* Final avalanche so near-identical keys give visibly different tags. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    snprintf(out, ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
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
