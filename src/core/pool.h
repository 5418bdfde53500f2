/* pool.h — the worker threads, the bounded job queue between the I/O loop and them, and
 * the memory budget that render surfaces and encoded outputs are charged to.
 *
 * The I/O loop submits jobs (pool_submit never blocks: a full queue is refused so the caller
 * answers 503). Workers run job->run with their per-thread render_ctx, then hand the job back
 * to the loop, which calls job->done there. Encoded bytes travel as refcounted blobs charged
 * to the budget until the last reference (reply in flight, cache entry) is dropped. */
#ifndef CARTOUCHE_POOL_H
#define CARTOUCHE_POOL_H

#include <event2/event.h>
#include <stdatomic.h>
#include <stddef.h>

#include "core/render.h"

typedef struct pool_job pool_job;
struct pool_job {
    void (*run)(pool_job *job, render_ctx *rc); /* on a worker */
    void (*done)(pool_job *job);                /* on the I/O loop */
    double deadline;                            /* monotonic seconds; run after it → expired */
    int expired;                                /* set by the worker instead of running */
    pool_job *next;
};

/* Start n workers (render_ctx created per thread from the fonts manifest). budget in bytes. */
int pool_start(struct event_base *base, int n, size_t queue_depth, size_t budget,
               const char *fonts_manifest, err_t *err);
/* Stop workers after the queue drains (used at shutdown). */
void pool_stop(void);
/* Queue a job; -1 if the queue is full. */
int pool_submit(pool_job *job);
size_t pool_queue_len(void);
/* On the I/O loop: answer (done, expired = 1) every queued job whose deadline has passed, so
 * that a client waits at most its deadline for a 503 instead of its turn at a worker. */
void pool_expire(double now);

/* Memory budget: reserve blocks until the bytes are free or deadline (monotonic seconds) passes
 * (-1 then). try never blocks. */
int pool_reserve(size_t n, double deadline);
int pool_try_reserve(size_t n);
void pool_release(size_t n);
/* Input held in memory (request bodies as they arrive, an upload's copy until its job ends) is
 * charged to the same budget but may never take more than half of it, so that renders and the
 * replies in flight always have room: try never blocks; -1 when the budget or the input share is
 * full. */
int pool_try_reserve_input(size_t n);
void pool_release_input(size_t n);
/* Bytes charged now (all kinds) and the budget; the idle trim and /metrics read them. */
size_t pool_used(void);
size_t pool_budget(void);

/* Refcounted encoded bytes charged to the budget. */
typedef struct {
    atomic_int refs;
    size_t len;
    unsigned char data[];
} blob;

/* A blob of len bytes; waits for budget until deadline; NULL if it passes. refs = 1. */
blob *blob_new(size_t len, double deadline);
void blob_ref(blob *b);
void blob_unref(blob *b);

double pool_now(void); /* monotonic seconds */

#endif
