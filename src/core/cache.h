/* cache.h — the render cache: encoded bytes (blobs) by canonical request key in an LRU with a
 * byte budget. The key's ETag picks the hash bucket; the full key is stored with the entry and
 * compared on every lookup, so two keys that share a tag still get their own entries.
 * Used only on the I/O loop, so it takes no locks. */
#ifndef CARTOUCHE_CACHE_H
#define CARTOUCHE_CACHE_H

#include <stddef.h>

#include "core/pool.h"

int cache_init(size_t budget_bytes);
void cache_free_all(void);
/* A new reference to the blob cached under key (whose ETag is etag; caller unrefs), or NULL.
 * Marks it recently used. */
blob *cache_get(const char *key, const char *etag);
/* Store b under key (takes its own reference; copies key); evicts least recently used entries
 * over the budget. Entries are charged their bytes plus their key. */
void cache_put(const char *key, const char *etag, blob *b);

#endif
