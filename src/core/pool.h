/* pool.h — the worker threads and the bounded job queue between the I/O loop and them.
 *
 * The I/O loop submits jobs (pool_submit never blocks: a full queue is refused so the caller
 * answers 503). Workers run job->run with their per-thread render_ctx, then hand the job back
 * to the loop, which calls job->done there. */
#ifndef CARTOUCHE_POOL_H
#define CARTOUCHE_POOL_H

#include <event2/event.h>
#include <stdatomic.h>
#include <stddef.h>

#include "core/metrics.h"
#include "core/render.h"

typedef struct pool_job pool_job;
struct pool_job {
    void (*run)(pool_job *job, render_ctx *rc); /* on a worker */
    void (*done)(pool_job *job);                /* on the I/O loop */
    double deadline;                            /* monotonic seconds; run after it → expired */
    int expired;                                /* set by the worker instead of running */
    int heavy;                                  /* long work (an upload to parse, a reload) that
                                                   may not take every worker: while all but one
                                                   run such jobs, the others wait their turn and
                                                   images keep a worker */
    pool_job *next;
};

typedef struct pool pool;

/* Start n workers, each with its render_ctx made from env (which must outlive the pool); the
 * queue holds at most queue_depth jobs. NULL + err on failure. */
pool *pool_start(struct event_base *base, int n, size_t queue_depth, const render_env *env,
                 metrics *m, err_t *err);
/* Stop workers after the queue drains (used at shutdown), finish what they handed back, free. */
void pool_stop(pool *p);
/* Queue a job; -1 if the queue is full. */
int pool_submit(pool *p, pool_job *job);
size_t pool_queue_len(pool *p);
/* On the I/O loop: answer (done, expired = 1) every queued job whose deadline has passed, so
 * that a client waits at most its deadline for a 503 instead of its turn at a worker. */
void pool_expire(pool *p, double now);

#endif
