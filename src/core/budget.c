/* budget.c — the memory budget (a byte count under a mutex, waiters on a condition variable)
 * and its blobs (see budget.h). */
#include "core/budget.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct budget {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t limit, used;
    size_t input; /* of used: request bodies and upload copies */
    metrics *m;
    void (*pressure)(void *ctx);
    void *pressure_ctx;
};

double budget_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

budget *budget_new(size_t bytes, metrics *m)
{
    budget *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    b->limit = bytes;
    b->m = m;
    atomic_store(&m->g.pool_budget, (long)bytes);
    return b;
}

void budget_free(budget *b)
{
    if (!b)
        return;
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}

void budget_on_pressure(budget *b, void (*fn)(void *ctx), void *ctx)
{
    b->pressure = fn;
    b->pressure_ctx = ctx;
}

int budget_try_reserve(budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    int ok = b->used + n <= b->limit;
    if (ok)
        b->used += n;
    pthread_mutex_unlock(&b->mu);
    if (ok)
        atomic_fetch_add(&b->m->g.pool_bytes, (long)n);
    return ok ? 0 : -1;
}

int budget_try_reserve_input(budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    int ok = b->used + n <= b->limit && b->input + n <= b->limit / 2;
    if (ok) {
        b->used += n;
        b->input += n;
    }
    pthread_mutex_unlock(&b->mu);
    if (ok)
        atomic_fetch_add(&b->m->g.pool_bytes, (long)n);
    return ok ? 0 : -1;
}

void budget_release_input(budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->input -= n;
    pthread_mutex_unlock(&b->mu);
    budget_release(b, n);
}

size_t budget_used(budget *b)
{
    pthread_mutex_lock(&b->mu);
    size_t n = b->used;
    pthread_mutex_unlock(&b->mu);
    return n;
}

size_t budget_limit(const budget *b)
{
    return b->limit;
}

int budget_reserve(budget *b, size_t n, double deadline)
{
    if (budget_try_reserve(b, n) == 0)
        return 0;
    atomic_fetch_add(&b->m->g.pool_waits, 1);
    if (b->pressure)
        b->pressure(b->pressure_ctx);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double wait = deadline - budget_now();
    if (wait <= 0)
        return -1;
    until.tv_sec += (time_t)wait;
    until.tv_nsec += (long)((wait - (time_t)wait) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b->mu);
    int rc = 0;
    while (b->used + n > b->limit) {
        if (n > b->limit || pthread_cond_timedwait(&b->cv, &b->mu, &until) != 0) {
            rc = b->used + n <= b->limit ? 0 : -1;
            break;
        }
    }
    if (rc == 0)
        b->used += n;
    pthread_mutex_unlock(&b->mu);
    if (rc == 0)
        atomic_fetch_add(&b->m->g.pool_bytes, (long)n);
    return rc;
}

void budget_release(budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->used -= n;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    atomic_fetch_sub(&b->m->g.pool_bytes, (long)n);
}

blob *blob_new(budget *bud, size_t len, double deadline)
{
    size_t total = sizeof(blob) + len;
    if (budget_reserve(bud, total, deadline) < 0)
        return NULL;
    blob *b = malloc(total);
    if (!b) {
        budget_release(bud, total);
        return NULL;
    }
    atomic_init(&b->refs, 1);
    b->owner = bud;
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
        budget *owner = b->owner;
        size_t total = sizeof(blob) + b->len;
        free(b);
        budget_release(owner, total);
    }
}
