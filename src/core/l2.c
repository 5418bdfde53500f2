/* l2.c — the shared L2 render cache: a memcached client per worker thread (libmemcached).
 *
 * Keys are "cartouche:" + the ETag's hex. A value is the canonical request key it was stored for
 * (4-byte big-endian length, then the key) followed by the encoded bytes; a get compares that key
 * with the job's and treats any difference as a miss, because the memcached key is only a hash.
 * The key already carries the canonical request, the template version and the renderer version,
 * so an entry never goes stale and is stored without expiry; memcached's own LRU bounds it.
 *
 * Workers must never wait long on the L2: connect and poll timeouts are 50 ms, and after a
 * connection-level failure a worker skips the L2 for L2_RETRY_S before trying again, so an
 * outage costs at most one short timeout per worker per second, not one per request. The
 * outage is logged once when it starts and once when it ends. */
#include "core/l2.h"

#include <libmemcached/memcached.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define L2_TIMEOUT_MS 50 /* the default of --memcached-timeout-ms */
#define L2_RETRY_S 1.0
#define L2_KEY_PREFIX "cartouche:"
/* memcached's per-item flags: marks our values (in this layout), so a foreign value under our
 * key is a miss. "CART" was the layout without the key record. */
#define L2_FLAGS 0x43415232u /* "CAR2" */
#define L2_KEYLEN_BYTES 4

typedef struct {
    memcached_st *mc;
    double skip_until; /* monotonic seconds: no L2 before this after a failure */
} l2_conn;

struct l2 {
    int on;
    long timeout_ms;
    char host[128];
    int port;
    pthread_key_t key; /* l2_conn of the calling worker; freed when the thread exits */
    atomic_int down;   /* an outage has been logged and not yet its end */
    budget *budget;    /* blobs of hits are charged here */
    metrics *m;
};

static void conn_free(void *p)
{
    l2_conn *c = p;
    if (c) {
        memcached_free(c->mc);
        free(c);
    }
}

l2 *l2_start(const char *hostport, long timeout_ms, budget *b, metrics *m, err_t *err)
{
    l2 *l = calloc(1, sizeof *l);
    if (!l) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    l->budget = b;
    l->m = m;
    l->timeout_ms = timeout_ms > 0 ? timeout_ms : L2_TIMEOUT_MS;
    if (!hostport || !hostport[0])
        return l;
    const char *colon = strrchr(hostport, ':');
    const char *host = hostport;
    size_t hlen = colon ? (size_t)(colon - hostport) : 0;
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') { /* [::1]:11211 */
        host++;
        hlen -= 2;
    }
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || hlen == 0 || hlen >= sizeof l->host || !colon[1] || *end || port < 1 || port > 65535) {
        err_set(err, ERR_CONFIG, "memcached", "memcached must be HOST:PORT (port 1..65535), got '%s'",
                hostport);
        free(l);
        return NULL;
    }
    memcpy(l->host, host, hlen);
    l->host[hlen] = 0;
    l->port = (int)port;
    if (pthread_key_create(&l->key, conn_free) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "cannot create the L2 thread key");
        free(l);
        return NULL;
    }
    atomic_store(&l->down, 0);
    l->on = 1;
    log_msg("info", "L2 render cache: memcached %s:%d", l->host, l->port);
    return l;
}

void l2_stop(l2 *l)
{
    if (!l)
        return;
    if (!l->on) {
        free(l);
        return;
    }
    /* Workers have exited and their connections were freed by the key's destructor; this
     * thread may have one too if it ever called in (tests do). */
    conn_free(pthread_getspecific(l->key));
    pthread_setspecific(l->key, NULL);
    pthread_key_delete(l->key);
    free(l);
}

int l2_enabled(const l2 *l)
{
    return l->on;
}

static memcached_st *client_new(l2 *l)
{
    memcached_st *mc = memcached_create(NULL);
    if (!mc || memcached_server_add(mc, l->host, (in_port_t)l->port) != MEMCACHED_SUCCESS) {
        memcached_free(mc);
        return NULL;
    }
    /* Non-blocking I/O is what makes the connect timeout apply. */
    memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_NO_BLOCK, 1);
    memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
    memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, (uint64_t)l->timeout_ms);
    memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, (uint64_t)l->timeout_ms);
    return mc;
}

/* The calling worker's client, or NULL while it backs off after a failure. */
static l2_conn *conn_get(l2 *l)
{
    l2_conn *c = pthread_getspecific(l->key);
    if (!c) {
        if (!(c = calloc(1, sizeof *c)))
            return NULL;
        pthread_setspecific(l->key, c);
    }
    if (budget_now() < c->skip_until)
        return NULL;
    if (!c->mc && !(c->mc = client_new(l))) {
        c->skip_until = budget_now() + L2_RETRY_S;
        return NULL;
    }
    return c;
}

/* The memcached key: "cartouche:" + the ETag without its quotes; returns its length. */
static size_t mc_key(const char *etag, char mkey[64])
{
    size_t n = strlen(L2_KEY_PREFIX);
    memcpy(mkey, L2_KEY_PREFIX, n);
    for (const char *p = etag; *p && n < 63; p++)
        if (*p != '"')
            mkey[n++] = *p;
    mkey[n] = 0;
    return n;
}

/* The server answered (even if only to refuse): the L2 is up. */
static void note_up(l2 *l)
{
    if (atomic_load(&l->down) && atomic_exchange(&l->down, 0))
        log_msg("info", "L2 memcached %s:%d reachable again", l->host, l->port);
}

/* A failed operation. Answers memcached gave (value too large, not stored) say nothing about
 * reachability; anything else is an outage: back off, and log it if nobody has yet. */
static void note_failure(l2 *l, l2_conn *c, memcached_return_t rc, const char *op)
{
    atomic_fetch_add(&l->m->g.l2_errors, 1);
    if (rc == MEMCACHED_E2BIG || rc == MEMCACHED_NOTSTORED || rc == MEMCACHED_DATA_EXISTS) {
        note_up(l);
        return;
    }
    c->skip_until = budget_now() + L2_RETRY_S;
    if (atomic_exchange(&l->down, 1) == 0)
        log_msg("warn", "L2 memcached %s:%d unreachable (%s: %s): rendering without it, retrying "
                "every %.0f s", l->host, l->port, op, memcached_strerror(c->mc, rc), L2_RETRY_S);
    /* A fresh client after the back-off: libmemcached's own retry timer has a granularity of
     * seconds and would keep the server disabled past ours. */
    memcached_free(c->mc);
    c->mc = NULL;
}

/* The image bytes of value v if it was stored for key, else NULL. */
static const unsigned char *value_bytes(const char *v, size_t vlen, const char *key, size_t *len)
{
    const unsigned char *p = (const unsigned char *)v;
    if (vlen < L2_KEYLEN_BYTES)
        return NULL;
    size_t klen = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    size_t head = L2_KEYLEN_BYTES + klen;
    if (klen != strlen(key) || head >= vlen || memcmp(p + L2_KEYLEN_BYTES, key, klen) != 0)
        return NULL;
    *len = vlen - head;
    return p + head;
}

blob *l2_get(l2 *l, const char *key, const char *etag, double deadline)
{
    if (!l->on)
        return NULL;
    l2_conn *c = conn_get(l);
    if (!c)
        return NULL;
    char mkey[64];
    size_t mlen = mc_key(etag, mkey);
    size_t vlen = 0;
    uint32_t flags = 0;
    memcached_return_t rc = MEMCACHED_FAILURE;
    char *v = memcached_get(c->mc, mkey, mlen, &vlen, &flags, &rc);
    if (rc == MEMCACHED_NOTFOUND) {
        note_up(l);
        return NULL;
    }
    if (rc != MEMCACHED_SUCCESS || !v) {
        free(v);
        note_failure(l, c, rc, "get");
        return NULL;
    }
    note_up(l);
    blob *b = NULL;
    size_t len = 0;
    const unsigned char *bytes =
        flags == L2_FLAGS && vlen <= L2_MAX_VALUE ? value_bytes(v, vlen, key, &len) : NULL;
    if (bytes) {
        b = blob_new(l->budget, len, deadline);
        if (b) {
            memcpy(b->data, bytes, len);
            atomic_fetch_add(&l->m->g.l2_hits, 1);
        }
    }
    free(v);
    return b;
}

void l2_put(l2 *l, const char *key, const char *etag, const blob *b)
{
    size_t klen = strlen(key);
    if (!l->on || !b || b->len == 0 || klen >= L2_MAX_VALUE - L2_KEYLEN_BYTES ||
        b->len > L2_MAX_VALUE - L2_KEYLEN_BYTES - klen)
        return;
    l2_conn *c = conn_get(l);
    if (!c)
        return;
    /* libmemcached sends one buffer: the key record and the bytes are copied together. */
    size_t vlen = L2_KEYLEN_BYTES + klen + b->len;
    unsigned char *v = malloc(vlen);
    if (!v)
        return;
    v[0] = (unsigned char)(klen >> 24);
    v[1] = (unsigned char)(klen >> 16);
    v[2] = (unsigned char)(klen >> 8);
    v[3] = (unsigned char)klen;
    memcpy(v + L2_KEYLEN_BYTES, key, klen);
    memcpy(v + L2_KEYLEN_BYTES + klen, b->data, b->len);
    char mkey[64];
    size_t mlen = mc_key(etag, mkey);
    memcached_return_t rc = memcached_set(c->mc, mkey, mlen, (const char *)v, vlen, 0, L2_FLAGS);
    free(v);
    if (rc == MEMCACHED_SUCCESS)
        note_up(l);
    else
        note_failure(l, c, rc, "set");
}
