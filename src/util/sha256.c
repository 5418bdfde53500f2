/* sha256.c — sha256.h over nettle's SHA-256. nettle's header defines sha256_init etc. as macros
 * for its own nettle_sha256_* functions; they are undefined here so that ours keep their names. */
#include "util/sha256.h"

#include <nettle/sha2.h>
#include <stdalign.h>
#include <stdio.h>

#undef sha256_init
#undef sha256_update
#undef sha256_digest

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(sha256_ctx), "sha256_ctx too small for nettle's");
_Static_assert(alignof(struct sha256_ctx) <= 8, "sha256_ctx under-aligned for nettle's");

void sha256_init(sha256_ctx *c)
{
    nettle_sha256_init((struct sha256_ctx *)c->opaque);
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
    nettle_sha256_update((struct sha256_ctx *)c->opaque, len, data);
}

void sha256_final(sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN])
{
    nettle_sha256_digest((struct sha256_ctx *)c->opaque, SHA256_DIGEST_LEN, out);
}

void sha256_final_hex(sha256_ctx *c, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[SHA256_DIGEST_LEN];
    sha256_final(c, d);
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = 0;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final_hex(&c, out);
}

int sha256_update_file(sha256_ctx *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[16384];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(c, buf, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}
