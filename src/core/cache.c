/* cache.c — LRU of encoded renders keyed by canonical request key: a uthash table by the full key
 * (an entry answers only for the tag it was stored with) plus a doubly linked recency list;
 * entries over the byte budget are evicted from the cold end. */
#include "core/cache.h"

#include <stdlib.h>
#include <string.h>

#include "core/etag.h"
#include "util/hash.h"

typedef struct entry {
    char etag[ETAG_LEN];
    blob *b;
    size_t cost;                /* bytes charged: blob, key and this entry */
    UT_hash_handle hh;          /* by key */
    struct entry *prev, *next;  /* recency: head = most recent */
    char key[];                 /* the full canonical key, NUL-terminated */
} entry;

struct rcache {
    entry *table;
    entry *head, *tail;
    size_t bytes, budget, count;
    size_t blob_bytes; /* the images alone: the cache_bytes metric (pool bytes held here) */
    metrics *m;
};

rcache *cache_new(size_t budget, metrics *m)
{
    rcache *c = calloc(1, sizeof *c);
    if (c) {
        c->budget = budget;
        c->m = m;
    }
    return c;
}

static void unlink_lru(rcache *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(rcache *c, entry *e)
{
    e->next = c->head;
    e->prev = NULL;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void count(rcache *c)
{
    atomic_store(&c->m->g.cache_bytes, (long)c->blob_bytes);
    atomic_store(&c->m->g.cache_entries, (long)c->count);
}

static void evict(rcache *c, entry *e)
{
    HASH_DEL(c->table, e);
    unlink_lru(c, e);
    c->bytes -= e->cost;
    c->blob_bytes -= e->b->len;
    c->count--;
    blob_unref(e->b);
    free(e);
    count(c);
}

blob *cache_get(rcache *c, const char *key, const char *etag)
{
    entry *e;
    HASH_FIND_STR(c->table, key, e);
    if (e && strcmp(e->etag, etag) != 0) /* made by another renderer version: not these bytes */
        e = NULL;
    if (!e) {
        atomic_fetch_add(&c->m->g.cache_misses, 1);
        return NULL;
    }
    unlink_lru(c, e);
    push_front(c, e);
    blob_ref(e->b);
    atomic_fetch_add(&c->m->g.cache_hits, 1);
    return e->b;
}

void cache_put(rcache *c, const char *key, const char *etag, blob *b)
{
    size_t klen = strlen(key);
    size_t cost = sizeof(entry) + klen + 1 + b->len;
    entry *e;
    HASH_FIND(hh, c->table, key, klen, e);
    if (cost > c->budget / 4 || (e && strcmp(e->etag, etag) == 0))
        return;
    if (e) /* the key's bytes under another tag: replaced */
        evict(c, e);
    e = calloc(1, sizeof *e + klen + 1);
    if (!e)
        return;
    size_t tlen = strnlen(etag, ETAG_LEN - 1);
    memcpy(e->etag, etag, tlen);
    e->etag[tlen] = 0;
    memcpy(e->key, key, klen + 1);
    blob_ref(b);
    e->b = b;
    e->cost = cost;
    HASH_ADD_KEYPTR(hh, c->table, e->key, klen, e);
    if (!HASH_ADDED(e)) { /* out of memory: not cached */
        blob_unref(b);
        free(e);
        return;
    }
    e->prev = e->next = NULL;
    push_front(c, e);
    c->bytes += cost;
    c->blob_bytes += b->len;
    c->count++;
    while (c->bytes > c->budget && c->tail && c->tail != e)
        evict(c, c->tail);
    count(c);
}

void cache_free(rcache *c)
{
    if (!c)
        return;
    while (c->tail)
        evict(c, c->tail);
    free(c);
}
