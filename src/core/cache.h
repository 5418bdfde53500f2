/* cache.h — the render cache: encoded bytes (blobs) by full canonical request key in an LRU with
 * a byte budget. Used only on the I/O loop, so it takes no locks. */
#ifndef CARTOUCHE_CACHE_H
#define CARTOUCHE_CACHE_H

#include <stddef.h>

#include "core/budget.h"
#include "core/metrics.h"

typedef struct rcache rcache;

rcache *cache_new(size_t budget_bytes, metrics *m);
void cache_free(rcache *c); /* drops every entry */
/* A new reference to the blob cached under key (whose ETag is etag; caller unrefs), or NULL.
 * Marks it recently used. */
blob *cache_get(rcache *c, const char *key, const char *etag);
/* Store b under key (takes its own reference; copies key); evicts least recently used entries
 * over the budget. Entries are charged their bytes plus their key. */
void cache_put(rcache *c, const char *key, const char *etag, blob *b);

#endif
