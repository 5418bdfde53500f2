/* imagejob.h — an image from its canonical key to its bytes: the render cache, single-flight
 * (requests for one key wait for one render), the worker queue with its deadline, and the shared
 * L2. It knows no HTTP: each waiter learns the outcome from a callback on the I/O loop. */
#ifndef CARTOUCHE_IMAGEJOB_H
#define CARTOUCHE_IMAGEJOB_H

#include "core/cache.h"
#include "core/l2.h"
#include "core/pool.h"
#include "core/render.h"
#include "util/err.h"

typedef enum {
    IMAGEJOB_HIT,       /* from the render cache, at once */
    IMAGEJOB_MISS,      /* rendered for this waiter */
    IMAGEJOB_COALESCED, /* rendered for an earlier waiter of the same key */
    IMAGEJOB_L2,        /* another instance had rendered it (memcached) */
} imagejob_source;

/* On the I/O loop, exactly once per waiter: b is the bytes (borrowed: blob_ref to keep them), or
 * NULL and err says why (ERR_BUSY: queue full or deadline passed). */
typedef void (*imagejob_done_fn)(void *waiter, blob *b, const err_t *err, imagejob_source src);

typedef struct imagejobs imagejobs;

imagejobs *imagejobs_new(pool *p, rcache *c, l2 *l, metrics *m);
void imagejobs_free(imagejobs *ij); /* after the pool has stopped: no job is under way */

/* The image of key (its ETag etag) for waiter: from the cache, joined to the render of the same
 * key under way, or rendered by draw(arg) on a worker before deadline. done is called on the
 * loop (at once for a hit or a full queue); free_arg(arg) exactly once. */
void imagejob_submit(imagejobs *ij, const char *key, const char *etag, const image_spec *spec,
                     draw_fn draw, void *arg, void (*free_arg)(void *), double deadline,
                     imagejob_done_fn done, void *waiter);

#endif
