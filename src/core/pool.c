/* pool.c — worker threads, the bounded job queue, the completion hand-off to the I/O loop
 * (event_active on one event), and the memory budget with its blobs. */
#include "core/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;        /* workers wait for jobs */
    pool_job *head, *tail;
    size_t len, depth;
    int stopping;
    int heavy_running;        /* heavy jobs being run */
    unsigned reclaim_gen;     /* bumped when a reservation must wait: idle workers give back
                                 their cached surfaces (a reuse optimisation, not a need) */
    pthread_t *threads;
    int n_threads;            /* started (for the joins) */
    int n_workers;            /* asked for: fixed before the first starts */

    pthread_mutex_t done_mu;
    pool_job *done_head, *done_tail;
    struct event *done_ev;

    const render_env *env;
    metrics *m;
};

typedef struct {
    pool *p;
    int id;
} worker_arg;

/* The budget is short: wake idle workers so that they give back their cached surfaces. */
static void on_pressure(void *ctx)
{
    pool *p = ctx;
    pthread_mutex_lock(&p->mu);
    p->reclaim_gen++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* ---- queue and workers ---- */

int pool_submit(pool *p, pool_job *job)
{
    pthread_mutex_lock(&p->mu);
    if (p->len >= p->depth || p->stopping) {
        pthread_mutex_unlock(&p->mu);
        return -1;
    }
    job->next = NULL;
    job->expired = 0;
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    p->len++;
    atomic_store(&p->m->g.queue_depth, (long)p->len);
    pthread_cond_broadcast(&p->cv); /* a waiting worker may be one that heavy jobs hold back */
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* With mu held: take job (reached through *link, after prev) out of the queue. */
static void unlink_job(pool *p, pool_job **link, pool_job *prev)
{
    pool_job *j = *link;
    *link = j->next;
    if (p->tail == j)
        p->tail = prev;
    j->next = NULL;
    p->len--;
}

/* With mu held: the link to the first job a worker may run now — the oldest, unless it is heavy
 * and all workers but one already run heavy jobs — or NULL. */
static pool_job **next_runnable(pool *p, pool_job **prev)
{
    int heavy_ok = p->heavy_running < (p->n_workers > 1 ? p->n_workers - 1 : 1);
    *prev = NULL;
    for (pool_job **link = &p->head; *link; *prev = *link, link = &(*link)->next)
        if (heavy_ok || !(*link)->heavy)
            return link;
    return NULL;
}

void pool_expire(pool *p, double now)
{
    pool_job *expired = NULL, **tail = &expired;
    pthread_mutex_lock(&p->mu);
    /* Deadlines differ by kind of job (and heavy jobs may be passed over): scan the queue. */
    pool_job **link = &p->head, *prev = NULL;
    while (*link) {
        pool_job *j = *link;
        if (j->deadline >= now) {
            prev = j;
            link = &j->next;
            continue;
        }
        unlink_job(p, link, prev);
        j->expired = 1;
        *tail = j;
        tail = &j->next;
    }
    atomic_store(&p->m->g.queue_depth, (long)p->len);
    pthread_mutex_unlock(&p->mu);
    while (expired) {
        pool_job *next = expired->next;
        expired->done(expired);
        expired = next;
    }
}

size_t pool_queue_len(pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->len;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static void hand_back(pool *p, pool_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&p->done_mu);
    int was_empty = p->done_head == NULL;
    if (p->done_tail)
        p->done_tail->next = job;
    else
        p->done_head = job;
    p->done_tail = job;
    pthread_mutex_unlock(&p->done_mu);
    if (was_empty)
        event_active(p->done_ev, EV_READ, 0);
}

/* On the I/O loop: run every finished job's done(). */
static void on_done(evutil_socket_t fd, short what, void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->done_mu);
    pool_job *j = p->done_head;
    p->done_head = p->done_tail = NULL;
    pthread_mutex_unlock(&p->done_mu);
    while (j) {
        pool_job *next = j->next;
        j->done(j);
        j = next;
    }
}

static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    pool *p = wa->p;
    int id = wa->id;
    free(wa);
    err_t err = {0};
    render_ctx *rc = render_ctx_new(id, p->env, &err);
    if (!rc) {
        log_msg("error", "worker %d: %s", id, err.msg);
        abort();
    }
    unsigned reclaim_seen = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        pool_job **link = NULL, *prev = NULL;
        while (!p->stopping && !(link = next_runnable(p, &prev))) {
            if (reclaim_seen != p->reclaim_gen) {
                reclaim_seen = p->reclaim_gen;
                pthread_mutex_unlock(&p->mu);
                render_ctx_release(rc);
                pthread_mutex_lock(&p->mu);
                continue;
            }
            pthread_cond_wait(&p->cv, &p->mu);
        }
        if (p->stopping) {
            link = &p->head;
            prev = NULL;
        }
        pool_job *job = *link;
        if (!job) { /* stopping and drained */
            pthread_mutex_unlock(&p->mu);
            break;
        }
        unlink_job(p, link, prev);
        if (job->heavy)
            p->heavy_running++;
        atomic_store(&p->m->g.queue_depth, (long)p->len);
        /* Stopping means the drain deadline has passed: what is still queued is not rendered
         * (that could take far past the deadline), only handed back unanswered. */
        int stopping = p->stopping;
        pthread_mutex_unlock(&p->mu);

        if (stopping || budget_now() > job->deadline) {
            job->expired = 1;
        } else {
            atomic_fetch_add(&p->m->g.in_flight, 1);
            job->run(job, rc);
            atomic_fetch_sub(&p->m->g.in_flight, 1);
        }
        if (job->heavy) {
            pthread_mutex_lock(&p->mu);
            p->heavy_running--;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
        }
        hand_back(p, job);
    }
    render_ctx_free(rc);
    return NULL;
}

pool *pool_start(struct event_base *base, int n, size_t queue_depth, const render_env *env,
                 metrics *m, err_t *err)
{
    pool *p = calloc(1, sizeof *p);
    if (!p) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory starting the worker pool");
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_mutex_init(&p->done_mu, NULL);
    p->depth = queue_depth;
    p->n_workers = n;
    p->env = env;
    p->m = m;
    budget_on_pressure(env->budget, on_pressure, p);
    p->done_ev = event_new(base, -1, 0, on_done, p);
    p->threads = calloc((size_t)(n > 0 ? n : 1), sizeof *p->threads);
    if (!p->done_ev || !p->threads) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory starting the worker pool");
        pool_stop(p);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        worker_arg *wa = malloc(sizeof *wa);
        if (wa)
            *wa = (worker_arg){p, i};
        if (!wa || pthread_create(&p->threads[i], NULL, worker_main, wa) != 0) {
            free(wa);
            err_set(err, ERR_INTERNAL, NULL, "cannot start worker thread %d", i);
            pool_stop(p);
            return NULL;
        }
        p->n_threads++;
    }
    atomic_store(&m->g.workers, n);
    return p;
}

void pool_stop(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    free(p->threads);
    on_done(-1, 0, p); /* finish what the workers handed back */
    if (p->done_ev)
        event_free(p->done_ev);
    budget_on_pressure(p->env->budget, NULL, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->done_mu);
    free(p);
}
