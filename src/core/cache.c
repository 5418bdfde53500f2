/* cache.c — LRU of encoded renders keyed by canonical request key: a chained hash table
 * (bucket picked by the ETag) plus a doubly linked recency list; entries over the byte budget are
 * evicted from the cold end. */
#include "core/cache.h"

#include <stdlib.h>
#include <string.h>

#include "core/etag.h"
#include "core/metrics.h"

typedef struct entry {
    char etag[ETAG_LEN];
    blob *b;
    size_t cost;                /* bytes charged: blob, key and this entry */
    struct entry *hnext;        /* hash chain */
    struct entry *prev, *next;  /* recency: head = most recent */
    char key[];                 /* the full canonical key, NUL-terminated */
} entry;

static struct {
    entry **buckets;
    size_t nbuckets;
    entry *head, *tail;
    size_t bytes, budget, count;
    size_t blob_bytes; /* the images alone: the cache_bytes metric (pool bytes held here) */
} C;

int cache_init(size_t budget)
{
    C.nbuckets = 4096;
    C.buckets = calloc(C.nbuckets, sizeof *C.buckets);
    C.budget = budget;
    return C.buckets ? 0 : -1;
}

static entry **bucket_of(const char *etag)
{
    return &C.buckets[etag_bucket_hash(etag) % C.nbuckets];
}

static void unlink_lru(entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        C.head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        C.tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(entry *e)
{
    e->next = C.head;
    e->prev = NULL;
    if (C.head)
        C.head->prev = e;
    C.head = e;
    if (!C.tail)
        C.tail = e;
}

/* The entry of key, or NULL. The tag only narrows the search: the key decides. */
static entry *find(const char *key, const char *etag)
{
    for (entry *e = *bucket_of(etag); e; e = e->hnext)
        if (strcmp(e->etag, etag) == 0 && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void evict(entry *e)
{
    entry **pp = bucket_of(e->etag);
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    unlink_lru(e);
    C.bytes -= e->cost;
    C.blob_bytes -= e->b->len;
    C.count--;
    blob_unref(e->b);
    free(e);
    atomic_store(&metrics_g.cache_bytes, (long)C.blob_bytes);
    atomic_store(&metrics_g.cache_entries, (long)C.count);
}

blob *cache_get(const char *key, const char *etag)
{
    if (!C.buckets)
        return NULL;
    entry *e = find(key, etag);
    if (!e) {
        atomic_fetch_add(&metrics_g.cache_misses, 1);
        return NULL;
    }
    unlink_lru(e);
    push_front(e);
    blob_ref(e->b);
    atomic_fetch_add(&metrics_g.cache_hits, 1);
    return e->b;
}

void cache_put(const char *key, const char *etag, blob *b)
{
    size_t klen = strlen(key);
    size_t cost = sizeof(entry) + klen + 1 + b->len;
    if (!C.buckets || cost > C.budget / 4 || find(key, etag))
        return;
    entry *e = malloc(sizeof *e + klen + 1);
    if (!e)
        return;
    size_t tlen = strnlen(etag, ETAG_LEN - 1);
    memcpy(e->etag, etag, tlen);
    e->etag[tlen] = 0;
    memcpy(e->key, key, klen + 1);
    blob_ref(b);
    e->b = b;
    e->cost = cost;
    entry **bucket = bucket_of(etag);
    e->hnext = *bucket;
    *bucket = e;
    e->prev = e->next = NULL;
    push_front(e);
    C.bytes += cost;
    C.blob_bytes += b->len;
    C.count++;
    while (C.bytes > C.budget && C.tail && C.tail != e)
        evict(C.tail);
    atomic_store(&metrics_g.cache_bytes, (long)C.blob_bytes);
    atomic_store(&metrics_g.cache_entries, (long)C.count);
}

void cache_free_all(void)
{
    while (C.tail)
        evict(C.tail);
    free(C.buckets);
    C.buckets = NULL;
}
