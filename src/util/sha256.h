/* sha256.h — SHA-256 (FIPS 180-4) for content-derived ids and cache keys: a thin wrapper over
 * nettle's, so that callers need neither nettle's headers (whose macros rename sha256_init and
 * friends) nor its argument order. */
#ifndef CARTOUCHE_SHA256_H
#define CARTOUCHE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

/* Room for nettle's struct sha256_ctx (checked in sha256.c). */
typedef struct {
    _Alignas(8) unsigned char opaque[128];
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again before it is reused. */
void sha256_final(sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN]);
/* Lower-case hex of the digest of data, NUL-terminated (65 bytes). */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Feed a whole file (its name is not hashed); -1 if it cannot be read. */
int sha256_update_file(sha256_ctx *c, const char *path);
/* Hex of c's digest (finalises c), NUL-terminated (65 bytes). */
void sha256_final_hex(sha256_ctx *c, char out[65]);

#endif
