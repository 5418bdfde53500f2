/* cache.c — LRU of encoded renders keyed by ETag: a chained hash table plus a doubly linked
 * recency list; entries over the byte budget are evicted from the cold end. */
#include "cache.h"

#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "metrics.h"

typedef struct entry {
    char etag[ETAG_LEN];
    blob *b;
    struct entry *hnext;        /* hash chain */
    struct entry *prev, *next;  /* recency: head = most recent */
} entry;

static struct {
    entry **buckets;
    size_t nbuckets;
    entry *head, *tail;
    size_t bytes, budget, count;
} C;

int cache_init(size_t budget)
{
    C.nbuckets = 4096;
    C.buckets = calloc(C.nbuckets, sizeof *C.buckets);
    C.budget = budget;
    return C.buckets ? 0 : -1;
}

static size_t slot_of(const char *etag)
{
    return (size_t)(etag_hash(ETAG_SEED, etag, strlen(etag)) % C.nbuckets);
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

static entry *find(const char *etag, entry ***link)
{
    entry **pp = &C.buckets[slot_of(etag)];
    for (; *pp; pp = &(*pp)->hnext) {
        if (strcmp((*pp)->etag, etag) == 0) {
            if (link)
                *link = pp;
            return *pp;
        }
    }
    return NULL;
}

static void evict(entry *e)
{
    entry **link = NULL;
    find(e->etag, &link);
    if (link)
        *link = e->hnext;
    unlink_lru(e);
    C.bytes -= e->b->len;
    C.count--;
    blob_unref(e->b);
    free(e);
    atomic_store(&metrics_g.cache_bytes, (long)C.bytes);
    atomic_store(&metrics_g.cache_entries, (long)C.count);
}

blob *cache_get(const char *etag)
{
    if (!C.buckets)
        return NULL;
    entry *e = find(etag, NULL);
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

void cache_put(const char *etag, blob *b)
{
    if (!C.buckets || b->len > C.budget / 4 || find(etag, NULL))
        return;
    entry *e = calloc(1, sizeof *e);
    if (!e)
        return;
    memcpy(e->etag, etag, ETAG_LEN);
    blob_ref(b);
    e->b = b;
    size_t s = slot_of(etag);
    e->hnext = C.buckets[s];
    C.buckets[s] = e;
    push_front(e);
    C.bytes += b->len;
    C.count++;
    while (C.bytes > C.budget && C.tail && C.tail != e)
        evict(C.tail);
    atomic_store(&metrics_g.cache_bytes, (long)C.bytes);
    atomic_store(&metrics_g.cache_entries, (long)C.count);
}

void cache_free_all(void)
{
    while (C.tail)
        evict(C.tail);
    free(C.buckets);
    C.buckets = NULL;
}
