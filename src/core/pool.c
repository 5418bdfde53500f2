/* pool.c — worker threads, the bounded job queue, the completion hand-off to the I/O loop
 * (event_active on one event), and the memory budget with its blobs. */
#include "core/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "core/metrics.h"
#include "core/render_ctx.h"

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;        /* workers wait for jobs */
    pool_job *head, *tail;
    size_t len, depth;
    int stopping;
    unsigned reclaim_gen;     /* bumped when a reservation must wait: idle workers give back
                                 their cached surfaces (a reuse optimisation, not a need) */
    pthread_t *threads;
    int n_threads;

    pthread_mutex_t done_mu;
    pool_job *done_head, *done_tail;
    struct event *done_ev;

    pthread_mutex_t mem_mu;
    pthread_cond_t mem_cv;
    size_t budget, used;
    size_t input;             /* of used: request bodies and upload copies (pool_try_reserve_input) */
    char fonts_manifest[512];
} P = {.mu = PTHREAD_MUTEX_INITIALIZER,
       .cv = PTHREAD_COND_INITIALIZER,
       .done_mu = PTHREAD_MUTEX_INITIALIZER,
       .mem_mu = PTHREAD_MUTEX_INITIALIZER,
       .mem_cv = PTHREAD_COND_INITIALIZER};

double pool_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- memory budget ---- */

int pool_try_reserve(size_t n)
{
    pthread_mutex_lock(&P.mem_mu);
    int ok = P.used + n <= P.budget;
    if (ok)
        P.used += n;
    pthread_mutex_unlock(&P.mem_mu);
    if (ok)
        atomic_fetch_add(&metrics_g.pool_bytes, (long)n);
    return ok ? 0 : -1;
}

int pool_try_reserve_input(size_t n)
{
    pthread_mutex_lock(&P.mem_mu);
    int ok = P.used + n <= P.budget && P.input + n <= P.budget / 2;
    if (ok) {
        P.used += n;
        P.input += n;
    }
    pthread_mutex_unlock(&P.mem_mu);
    if (ok)
        atomic_fetch_add(&metrics_g.pool_bytes, (long)n);
    return ok ? 0 : -1;
}

void pool_release_input(size_t n)
{
    pthread_mutex_lock(&P.mem_mu);
    P.input -= n;
    pthread_mutex_unlock(&P.mem_mu);
    pool_release(n);
}

size_t pool_used(void)
{
    pthread_mutex_lock(&P.mem_mu);
    size_t n = P.used;
    pthread_mutex_unlock(&P.mem_mu);
    return n;
}

size_t pool_budget(void)
{
    return P.budget;
}

int pool_reserve(size_t n, double deadline)
{
    if (pool_try_reserve(n) == 0)
        return 0;
    atomic_fetch_add(&metrics_g.pool_waits, 1);
    pthread_mutex_lock(&P.mu);
    P.reclaim_gen++;
    pthread_cond_broadcast(&P.cv);
    pthread_mutex_unlock(&P.mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double wait = deadline - pool_now();
    if (wait <= 0)
        return -1;
    until.tv_sec += (time_t)wait;
    until.tv_nsec += (long)((wait - (time_t)wait) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&P.mem_mu);
    int rc = 0;
    while (P.used + n > P.budget) {
        if (n > P.budget || pthread_cond_timedwait(&P.mem_cv, &P.mem_mu, &until) != 0) {
            rc = P.used + n <= P.budget ? 0 : -1;
            break;
        }
    }
    if (rc == 0)
        P.used += n;
    pthread_mutex_unlock(&P.mem_mu);
    if (rc == 0)
        atomic_fetch_add(&metrics_g.pool_bytes, (long)n);
    return rc;
}

void pool_release(size_t n)
{
    pthread_mutex_lock(&P.mem_mu);
    P.used -= n;
    pthread_cond_broadcast(&P.mem_cv);
    pthread_mutex_unlock(&P.mem_mu);
    atomic_fetch_sub(&metrics_g.pool_bytes, (long)n);
}

blob *blob_new(size_t len, double deadline)
{
    size_t total = sizeof(blob) + len;
    if (pool_reserve(total, deadline) < 0)
        return NULL;
    blob *b = malloc(total);
    if (!b) {
        pool_release(total);
        return NULL;
    }
    atomic_init(&b->refs, 1);
    b->len = len;
    return b;
}

void blob_ref(blob *b)
{
    atomic_fetch_add(&b->refs, 1);
}

void blob_unref(blob *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        size_t total = sizeof(blob) + b->len;
        free(b);
        pool_release(total);
    }
}

/* ---- queue and workers ---- */

int pool_submit(pool_job *job)
{
    pthread_mutex_lock(&P.mu);
    if (P.len >= P.depth || P.stopping) {
        pthread_mutex_unlock(&P.mu);
        return -1;
    }
    job->next = NULL;
    job->expired = 0;
    if (P.tail)
        P.tail->next = job;
    else
        P.head = job;
    P.tail = job;
    P.len++;
    atomic_store(&metrics_g.queue_depth, (long)P.len);
    pthread_cond_signal(&P.cv);
    pthread_mutex_unlock(&P.mu);
    return 0;
}

void pool_expire(double now)
{
    pool_job *expired = NULL, **tail = &expired;
    pthread_mutex_lock(&P.mu);
    /* FIFO: every job past its deadline is at the head. */
    while (P.head && P.head->deadline < now) {
        pool_job *j = P.head;
        P.head = j->next;
        if (!P.head)
            P.tail = NULL;
        P.len--;
        j->expired = 1;
        j->next = NULL;
        *tail = j;
        tail = &j->next;
    }
    atomic_store(&metrics_g.queue_depth, (long)P.len);
    pthread_mutex_unlock(&P.mu);
    while (expired) {
        pool_job *next = expired->next;
        expired->done(expired);
        expired = next;
    }
}

size_t pool_queue_len(void)
{
    pthread_mutex_lock(&P.mu);
    size_t n = P.len;
    pthread_mutex_unlock(&P.mu);
    return n;
}

static void hand_back(pool_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&P.done_mu);
    int was_empty = P.done_head == NULL;
    if (P.done_tail)
        P.done_tail->next = job;
    else
        P.done_head = job;
    P.done_tail = job;
    pthread_mutex_unlock(&P.done_mu);
    if (was_empty)
        event_active(P.done_ev, EV_READ, 0);
}

/* On the I/O loop: run every finished job's done(). */
static void on_done(evutil_socket_t fd, short what, void *arg)
{
    pthread_mutex_lock(&P.done_mu);
    pool_job *j = P.done_head;
    P.done_head = P.done_tail = NULL;
    pthread_mutex_unlock(&P.done_mu);
    while (j) {
        pool_job *next = j->next;
        j->done(j);
        j = next;
    }
}

static void *worker_main(void *arg)
{
    err_t err = {0};
    render_ctx *rc = render_ctx_new((int)(long)arg, P.fonts_manifest, &err);
    if (!rc) {
        log_msg("error", "worker %ld: %s", (long)arg, err.msg);
        abort();
    }
    unsigned reclaim_seen = 0;
    for (;;) {
        pthread_mutex_lock(&P.mu);
        while (!P.head && !P.stopping) {
            if (reclaim_seen != P.reclaim_gen) {
                reclaim_seen = P.reclaim_gen;
                pthread_mutex_unlock(&P.mu);
                render_ctx_release(rc);
                pthread_mutex_lock(&P.mu);
                continue;
            }
            pthread_cond_wait(&P.cv, &P.mu);
        }
        pool_job *job = P.head;
        if (!job) { /* stopping and drained */
            pthread_mutex_unlock(&P.mu);
            break;
        }
        P.head = job->next;
        if (!P.head)
            P.tail = NULL;
        P.len--;
        atomic_store(&metrics_g.queue_depth, (long)P.len);
        /* Stopping means the drain deadline has passed: what is still queued is not rendered
         * (that could take far past the deadline), only handed back unanswered. */
        int stopping = P.stopping;
        pthread_mutex_unlock(&P.mu);

        if (stopping || pool_now() > job->deadline) {
            job->expired = 1;
        } else {
            atomic_fetch_add(&metrics_g.in_flight, 1);
            job->run(job, rc);
            atomic_fetch_sub(&metrics_g.in_flight, 1);
        }
        hand_back(job);
    }
    render_ctx_free(rc);
    return NULL;
}

int pool_start(struct event_base *base, int n, size_t queue_depth, size_t budget,
               const char *fonts_manifest, err_t *err)
{
    P.depth = queue_depth;
    P.budget = budget;
    atomic_store(&metrics_g.pool_budget, (long)budget);
    snprintf(P.fonts_manifest, sizeof P.fonts_manifest, "%s", fonts_manifest);
    P.done_ev = event_new(base, -1, 0, on_done, NULL);
    P.threads = calloc((size_t)(n > 0 ? n : 1), sizeof *P.threads);
    if (!P.done_ev || !P.threads) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory starting the worker pool");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (pthread_create(&P.threads[i], NULL, worker_main, (void *)(long)i) != 0) {
            err_set(err, ERR_INTERNAL, NULL, "cannot start worker thread %d", i);
            return -1;
        }
        P.n_threads++;
    }
    atomic_store(&metrics_g.workers, n);
    return 0;
}

void pool_stop(void)
{
    pthread_mutex_lock(&P.mu);
    P.stopping = 1;
    pthread_cond_broadcast(&P.cv);
    pthread_mutex_unlock(&P.mu);
    for (int i = 0; i < P.n_threads; i++)
        pthread_join(P.threads[i], NULL);
    P.n_threads = 0;
    free(P.threads);
    P.threads = NULL;
    on_done(-1, 0, NULL); /* finish what the workers handed back */
    if (P.done_ev)
        event_free(P.done_ev);
    P.done_ev = NULL;
}
