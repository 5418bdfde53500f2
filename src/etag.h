/* etag.h — strong ETags from canonical request keys, and If-None-Match matching
 * (single tag, list, "*", W/ tags compared weakly as RFC 9110 §13.1.2 asks for GET/HEAD). */
#ifndef CARTOUCHE_ETAG_H
#define CARTOUCHE_ETAG_H

#include <stddef.h>
#include <stdint.h>

#define CARTOUCHE_RENDERER_VERSION "cartouche-r1"
#define ETAG_LEN 19 /* "\"" + 16 hex + "\"" + NUL */

/* 64-bit FNV-1a, continued from h (start with ETAG_SEED). */
#define ETAG_SEED 1469598103934665603ULL
uint64_t etag_hash(uint64_t h, const void *data, size_t len);

/* Strong ETag of key (the renderer version is mixed in): writes "\"0123456789abcdef\"". */
void etag_make(const char *key, char out[ETAG_LEN]);

/* 1 if the If-None-Match header value matches etag (weak comparison), 0 otherwise.
 * Garbage in the header never matches. */
int etag_match(const char *if_none_match, const char *etag);

#endif
