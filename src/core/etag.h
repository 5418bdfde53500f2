/* etag.h — strong ETags from canonical request keys, and If-None-Match matching
 * (single tag, list, "*", W/ tags compared weakly as RFC 9110 §13.1.2 asks for GET/HEAD).
 *
 * An ETag is the first 128 bits of SHA-256(renderer version, NUL, key) in hex. It also names
 * the entry in the render cache, the single-flight table and the memcached L2; each of those
 * stores the full key beside it and compares it, so the tag only picks where to look. */
#ifndef CARTOUCHE_ETAG_H
#define CARTOUCHE_ETAG_H

#include <stddef.h>
#include <stdint.h>

#define CARTOUCHE_RENDERER_VERSION "cartouche-r1"
#define ETAG_HEX 32                /* 128 bits */
#define ETAG_LEN (ETAG_HEX + 3)    /* "\"" + hex + "\"" + NUL */

/* 64-bit FNV-1a, continued from h (start with ETAG_SEED). Fast, NOT collision-resistant: for
 * in-memory digests only, never for a tag or key that someone else could choose inputs for. */
#define ETAG_SEED 1469598103934665603ULL
uint64_t etag_hash(uint64_t h, const void *data, size_t len);

/* Strong ETag of key: writes "\"<32 hex>\"", of which the first tag_bits bits of the digest
 * (ETAG_BITS; fewer only in tests, to make different keys share a tag: config.etag_bits). */
#define ETAG_BITS (ETAG_HEX * 4)
void etag_make(const char *key, int tag_bits, char out[ETAG_LEN]);

/* 1 if the If-None-Match header value matches etag (weak comparison), 0 otherwise.
 * Garbage in the header never matches. */
int etag_match(const char *if_none_match, const char *etag);

#endif
