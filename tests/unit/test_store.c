/* Unit tests of the upload store (store.c) as workers use it: several threads putting and
 * getting at once each on a connection of its own (more threads than connections opened up
 * front), a second put of an id is not "created", and everything is there after a close and
 * reopen; the bundle container round-trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>
#include <unistd.h>

#include "refcards/uploads.h"

#define THREADS 6
#define PER_THREAD 40

static char db_path[256];
static uploads *U; /* the store under test */

static int setup(void **state)
{
    snprintf(db_path, sizeof db_path, "/tmp/cartouche-test-store-%d/uploads.db", (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    char side[300];
    unlink(db_path);
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    *strrchr(db_path, '/') = 0;
    rmdir(db_path);
    return 0;
}

static void item_id(int t, int i, char id[32])
{
    snprintf(id, 32, "%08x%08x%08x", (unsigned)t, (unsigned)i, 0xc0ffeeu);
}

/* Each thread stores its items, reads each back at once, and reads another thread's too. */
static void *worker(void *arg)
{
    int t = (int)(long)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char id[32], data[64], name[32], summary[64];
        item_id(t, i, id);
        snprintf(data, sizeof data, "bindings of %d/%d", t, i);
        snprintf(name, sizeof name, "file-%d-%d.binds", t, i);
        snprintf(summary, sizeof summary, "{\"t\":%d,\"i\":%d}", t, i);
        store_file f = {name, data, strlen(data)};
        err_t err = {0};
        int created = -1;
        if (uploads_put(U, id, &f, 1, "", summary, &created, &err) < 0 || created != 1)
            return "put failed";
        store_item it;
        if (uploads_get(U, id, &it, &err) != 0)
            return "get of what was just put failed";
        int ok = it.n == 1 && it.files[0].len == strlen(data) && memcmp(it.files[0].data, data, it.files[0].len) == 0 &&
                 strcmp(it.files[0].name, name) == 0 && strcmp(it.summary, summary) == 0;
        store_item_free(&it);
        if (!ok)
            return "read back other bytes";
        item_id((t + 1) % THREADS, i, id);
        int rc = uploads_get(U, id, &it, &err); /* the next thread's: there or not yet, never an error */
        if (rc < 0)
            return err.msg[0] ? "get of another thread's item failed" : "get failed";
        if (rc == 0)
            store_item_free(&it);
    }
    return NULL;
}

static void test_threads_put_and_get(void **state)
{
    err_t err = {0};
    assert_non_null(U = uploads_open(db_path, 2, &err));
    pthread_t th[THREADS];
    for (long t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, worker, (void *)t), 0);
    for (int t = 0; t < THREADS; t++) {
        void *why;
        pthread_join(th[t], &why);
        if (why)
            fail_msg("thread %d: %s", t, (const char *)why);
    }
    /* A second put of an id keeps the first and says so. */
    char id[32];
    item_id(0, 0, id);
    store_file f = {"other.binds", "other bytes", 11};
    int created = -1;
    assert_int_equal(uploads_put(U, id, &f, 1, "", "{}", &created, &err), 0);
    assert_int_equal(created, 0);
    uploads_close(U);

    /* Reopened: every item is there, as first stored. */
    assert_non_null(U = uploads_open(db_path, 1, &err));
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            store_item it;
            item_id(t, i, id);
            assert_int_equal(uploads_get(U, id, &it, &err), 0);
            char data[64];
            snprintf(data, sizeof data, "bindings of %d/%d", t, i);
            assert_int_equal(it.files[0].len, strlen(data));
            assert_memory_equal(it.files[0].data, data, strlen(data));
            store_item_free(&it);
        }
    }
    store_item it;
    assert_int_equal(uploads_get(U, "000000000000000000000000", &it, &err), 1);
    uploads_close(U);
    U = NULL;
    /* A store that cannot be opened: NULL and an error with words, not a crash. */
    assert_null(uploads_open("/proc/cartouche-no-such-dir/uploads.db", 1, &err));
    assert_non_null(strstr(err.msg, "cannot open the upload store"));
}

static void test_bundle_round_trip(void **state)
{
    store_file in[3] = {{"a.lua", "one", 3}, {"", "", 0}, {"dir/b.lua", "t\0o", 3}};
    char *buf;
    size_t len;
    assert_int_equal(store_bundle_encode(in, 3, &buf, &len), 0);
    store_file *out;
    size_t n;
    assert_int_equal(store_bundle_decode(buf, len, &out, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(out[i].name, in[i].name);
        assert_int_equal(out[i].len, in[i].len);
        assert_memory_equal(out[i].data, in[i].data, in[i].len);
    }
    free(out);
    /* Cut short anywhere: refused, never read past the end. */
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(store_bundle_decode(buf, cut, &out, &n), -1);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threads_put_and_get, setup, teardown),
        cmocka_unit_test(test_bundle_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
