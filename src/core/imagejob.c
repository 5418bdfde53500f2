/* imagejob.c — image jobs: cache lookup, single-flight over the renders under way (a uthash
 * table by full canonical key), the render on a worker with the L2 before it, and the waiters'
 * callbacks (see imagejob.h). Used on the I/O loop only, except job_run on a worker. */
#include "core/imagejob.h"

#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "core/etag.h"
#include "core/l2.h"
#include "core/metrics.h"
#include "util/hash.h"

typedef struct waiter {
    imagejob_done_fn done;
    void *w;
    struct waiter *next;
} waiter;

typedef struct render_job {
    pool_job base;
    imagejobs *owner;
    char *key;         /* the full canonical key (owned): single-flight, cache and L2 compare it */
    char etag[ETAG_LEN];
    image_spec spec;
    draw_fn draw;
    void *arg;
    void (*free_arg)(void *);
    blob *result;
    int from_l2;       /* result came from the shared L2, not a render */
    int findable;      /* in the single-flight table (not when adding it ran out of memory) */
    err_t err;
    waiter *waiters;   /* first is the request that started it; the rest coalesced */
    UT_hash_handle hh;
} render_job;

struct imagejobs {
    render_job *inflight; /* renders under way, by key */
    pool *pool;
    rcache *cache;
    l2 *l2;
    metrics *m;
};

imagejobs *imagejobs_new(pool *p, rcache *c, l2 *l, metrics *m)
{
    imagejobs *ij = calloc(1, sizeof *ij);
    if (ij)
        *ij = (imagejobs){NULL, p, c, l, m};
    return ij;
}

void imagejobs_free(imagejobs *ij)
{
    free(ij);
}

static void job_run(pool_job *pj, render_ctx *rc)
{
    render_job *job = (render_job *)pj;
    /* Another instance may have rendered it already: the shared L2 answers before a render. */
    job->result = l2_get(job->owner->l2, job->key, job->etag, job->base.deadline);
    if (job->result) {
        job->from_l2 = 1;
        return;
    }
    if (render_image(rc, &job->spec, job->draw, job->arg, job->base.deadline, &job->result,
                     &job->err) < 0) {
        atomic_fetch_add(&job->owner->m->g.render_errors, 1);
        job->result = NULL;
    } else {
        atomic_fetch_add(&job->owner->m->g.renders, 1);
        l2_put(job->owner->l2, job->key, job->etag, job->result);
    }
}

static void job_done(pool_job *pj)
{
    render_job *job = (render_job *)pj;
    imagejobs *ij = job->owner;
    if (job->findable)
        HASH_DEL(ij->inflight, job);
    if (job->base.expired) {
        atomic_fetch_add(&ij->m->g.rejected_busy, 1);
        err_set(&job->err, ERR_BUSY, NULL, "the server is busy: the request waited past its deadline");
    }
    if (job->result)
        cache_put(ij->cache, job->key, job->etag, job->result);
    imagejob_source src = job->from_l2 ? IMAGEJOB_L2 : IMAGEJOB_MISS;
    for (waiter *w = job->waiters, *next; w; w = next) {
        next = w->next;
        w->done(w->w, job->result, &job->err, src);
        src = IMAGEJOB_COALESCED;
        free(w);
    }
    blob_unref(job->result);
    if (job->free_arg)
        job->free_arg(job->arg);
    free(job->key);
    free(job);
}

static void fail(imagejob_done_fn done, void *w, err_kind kind, const char *msg)
{
    err_t e = {0};
    err_set(&e, kind, NULL, "%s", msg);
    done(w, NULL, &e, IMAGEJOB_MISS);
}

void imagejob_submit(imagejobs *ij, const char *key, const char *etag, const image_spec *spec,
                     draw_fn draw, void *arg, void (*free_arg)(void *), double deadline,
                     imagejob_done_fn done, void *waiter_arg)
{
    blob *hit = cache_get(ij->cache, key, etag);
    if (hit) {
        if (free_arg)
            free_arg(arg);
        done(waiter_arg, hit, NULL, IMAGEJOB_HIT);
        blob_unref(hit);
        return;
    }
    waiter *w = malloc(sizeof *w);
    render_job *same = NULL;
    if (w)
        HASH_FIND_STR(ij->inflight, key, same);
    if (w && same) { /* single-flight: wait for the render already under way */
        if (free_arg)
            free_arg(arg);
        atomic_fetch_add(&ij->m->g.coalesced, 1);
        waiter **tail = &same->waiters;
        while (*tail)
            tail = &(*tail)->next;
        *w = (waiter){done, waiter_arg, NULL};
        *tail = w;
        return;
    }
    render_job *job = w ? calloc(1, sizeof *job) : NULL;
    char *k = job ? strdup(key) : NULL;
    if (!k) {
        if (free_arg)
            free_arg(arg);
        free(job);
        free(w);
        fail(done, waiter_arg, ERR_INTERNAL, "out of memory");
        return;
    }
    *w = (waiter){done, waiter_arg, NULL};
    job->owner = ij;
    job->key = k;
    memcpy(job->etag, etag, ETAG_LEN);
    job->spec = *spec;
    job->draw = draw;
    job->arg = arg;
    job->free_arg = free_arg;
    job->waiters = w;
    job->base.run = job_run;
    job->base.done = job_done;
    job->base.deadline = deadline;
    if (pool_submit(ij->pool, &job->base) < 0) {
        if (free_arg)
            free_arg(arg);
        free(job->key);
        free(job);
        free(w);
        atomic_fetch_add(&ij->m->g.rejected_busy, 1);
        fail(done, waiter_arg, ERR_BUSY, "the server is busy: render queue full, retry shortly");
        return;
    }
    HASH_ADD_KEYPTR(hh, ij->inflight, job->key, strlen(job->key), job);
    job->findable = HASH_ADDED(job); /* else it renders, only without followers */
}
