/* cache.h — the render cache: encoded bytes (blobs) by ETag in an LRU with a byte budget.
 * Used only on the I/O loop, so it takes no locks. */
#ifndef CARTOUCHE_CACHE_H
#define CARTOUCHE_CACHE_H

#include <stddef.h>

#include "pool.h"

int cache_init(size_t budget_bytes);
void cache_free_all(void);
/* A new reference to the cached blob (caller unrefs), or NULL. Marks it recently used. */
blob *cache_get(const char *etag);
/* Store (takes its own reference); evicts least recently used entries over the budget. */
void cache_put(const char *etag, blob *b);

#endif
