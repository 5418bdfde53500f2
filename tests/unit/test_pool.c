/* Unit tests of the worker pool (pool.c): heavy jobs (uploads to parse, reloads) never take every
 * worker — with two workers, one keeps running images while heavy jobs wait their turn — and a
 * queued job past its deadline is expired wherever it sits in the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>
#include <pthread.h>
#include <time.h>

#include "core/pool.h"

static metrics m;
static budget *bud;
static splice_store *st;
static render_env env;
static struct event_base *base;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int gate_open, heavy_now, heavy_max, light_ran, done_count, expired_count;

typedef struct {
    pool_job base;
} job;

static void heavy_run(pool_job *j, render_ctx *rc)
{
    pthread_mutex_lock(&mu);
    if (++heavy_now > heavy_max)
        heavy_max = heavy_now;
    while (!gate_open)
        pthread_cond_wait(&cv, &mu);
    heavy_now--;
    pthread_mutex_unlock(&mu);
}

static void light_run(pool_job *j, render_ctx *rc)
{
    pthread_mutex_lock(&mu);
    light_ran++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void on_done(pool_job *j)
{
    done_count++;
    expired_count += j->expired;
    free(j);
}

static pool_job *new_job(void (*run)(pool_job *, render_ctx *), int heavy, double deadline)
{
    job *j = calloc(1, sizeof *j);
    j->base.run = run;
    j->base.done = on_done;
    j->base.heavy = heavy;
    j->base.deadline = deadline;
    return &j->base;
}

static int setup(void **state)
{
    base = event_base_new();
    bud = budget_new((size_t)64 << 20, &m);
    st = splice_store_new(bud);
    env = (render_env){"fonts/fonts.json", bud, st};
    return base && st ? 0 : -1;
}

static int teardown(void **state)
{
    splice_store_free(st);
    budget_free(bud);
    event_base_free(base);
    return 0;
}

/* Run the loop until n jobs are done (hand-backs arrive through it), at most 30 s. */
static void loop_until_done(int n)
{
    for (int i = 0; i < 3000 && done_count < n; i++) {
        event_base_loop(base, EVLOOP_NONBLOCK);
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
}

static void test_heavy_jobs_leave_a_worker_to_images(void **state)
{
    err_t err = {0};
    pool *p = pool_start(base, 2, 64, &env, &m, &err);
    assert_non_null(p);
    gate_open = heavy_now = heavy_max = light_ran = done_count = expired_count = 0;
    double far = budget_now() + 600;
    for (int i = 0; i < 3; i++)
        assert_int_equal(pool_submit(p, new_job(heavy_run, 1, far)), 0);
    assert_int_equal(pool_submit(p, new_job(light_run, 0, far)), 0);
    /* The image job runs while the heavy ones are held at the gate (at most one of them runs). */
    pthread_mutex_lock(&mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    while (!light_ran && pthread_cond_timedwait(&cv, &mu, &until) == 0)
        ;
    int ran = light_ran, most = heavy_max;
    gate_open = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    assert_int_equal(ran, 1);
    assert_int_equal(most, 1);
    loop_until_done(4);
    assert_int_equal(done_count, 4);
    assert_int_equal(expired_count, 0);
    pool_stop(p);
}

/* A job past its deadline behind one that is not (deadlines differ by kind) is expired too. */
static void test_expiry_scans_the_queue(void **state)
{
    err_t err = {0};
    pool *p = pool_start(base, 0, 64, &env, &m, &err); /* no workers: the jobs stay queued */
    assert_non_null(p);
    done_count = expired_count = 0;
    double now = budget_now();
    assert_int_equal(pool_submit(p, new_job(light_run, 1, now + 600)), 0);
    assert_int_equal(pool_submit(p, new_job(light_run, 0, now - 1)), 0);
    assert_int_equal(pool_submit(p, new_job(light_run, 0, now + 600)), 0);
    pool_expire(p, now);
    assert_int_equal(done_count, 1);
    assert_int_equal(expired_count, 1);
    assert_int_equal(pool_queue_len(p), 2);
    pool_expire(p, now + 601);
    assert_int_equal(done_count, 3);
    assert_int_equal(pool_queue_len(p), 0);
    pool_stop(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heavy_jobs_leave_a_worker_to_images),
        cmocka_unit_test(test_expiry_scans_the_queue),
    };
    return cmocka_run_group_tests_name("pool", tests, setup, teardown);
}
