/* sha256.h — SHA-256 (FIPS 180-4), for content-derived upload ids. */
#ifndef CARTOUCHE_SHA256_H
#define CARTOUCHE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
/* Lower-case hex of the digest of data, NUL-terminated (65 bytes). */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
