/* Unit tests of the render cache (cache.c): the ETag only picks a bucket, the full key decides.
 * Two keys forced onto one tag, or onto one bucket with different tags, each keep their own
 * bytes; eviction keeps the chains intact; the budget counts keys as well as bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>

#include "core/cache.h"
#include "core/etag.h"
#include "core/metrics.h"

static struct event_base *base;

static int setup(void **state)
{
    base = event_base_new();
    err_t err = {0};
    /* The budget only, no workers: blobs are charged to it. */
    return pool_start(base, 0, 1, (size_t)64 << 20, "fonts/fonts.json", &err);
}

static int teardown(void **state)
{
    event_base_free(base);
    return 0;
}

static blob *blob_of(const char *text)
{
    blob *b = blob_new(strlen(text), pool_now() + 1);
    assert_non_null(b);
    memcpy(b->data, text, b->len);
    return b;
}

static void assert_blob(blob *b, const char *text)
{
    assert_non_null(b);
    assert_int_equal(b->len, strlen(text));
    assert_memory_equal(b->data, text, b->len);
    blob_unref(b);
}

static void put(const char *key, const char *etag, const char *text)
{
    blob *b = blob_of(text);
    cache_put(key, etag, b);
    blob_unref(b);
}

/* Same tag, different keys (what an FNV collision gave): each key gets its own entry, a third
 * key with the tag is a miss, and neither is served for the other. */
static void test_same_tag_different_keys(void **state)
{
    const char *tag = "\"00112233445566778899aabbccddeeff\"";
    assert_int_equal(cache_init(1 << 20), 0);
    put("card:w1?seed=1|1|1|85|0|1200x630", tag, "bytes of seed 1");
    assert_null(cache_get("card:w1?seed=2|1|1|85|0|1200x630", tag));
    put("card:w1?seed=2|1|1|85|0|1200x630", tag, "bytes of seed 2");
    assert_blob(cache_get("card:w1?seed=1|1|1|85|0|1200x630", tag), "bytes of seed 1");
    assert_blob(cache_get("card:w1?seed=2|1|1|85|0|1200x630", tag), "bytes of seed 2");
    assert_null(cache_get("card:w1?seed=3|1|1|85|0|1200x630", tag));
    /* A key is a whole string: a prefix of a stored key is another key. */
    assert_null(cache_get("card:w1?seed=1|1|1|85|0|1200x63", tag));
    assert_int_equal(atomic_load(&metrics_g.cache_entries), 2);
    cache_free_all();
    assert_int_equal(atomic_load(&metrics_g.cache_entries), 0);
}

/* Same key under a different tag is a different entry too (the tag carries the renderer
 * version, which the key alone does not). */
static void test_same_key_different_tag(void **state)
{
    assert_int_equal(cache_init(1 << 20), 0);
    put("k", "\"00000000000000000000000000000001\"", "one");
    assert_null(cache_get("k", "\"00000000000000000000000000000002\""));
    assert_blob(cache_get("k", "\"00000000000000000000000000000001\""), "one");
    cache_free_all();
}

/* Tags that differ only after their first 64 bits share a bucket; keys forced onto one bucket
 * by real etag_make tags (found by search) too. Each keeps its own entry. */
static void test_same_bucket(void **state)
{
    assert_int_equal(cache_init(1 << 20), 0);
    const char *t1 = "\"0123456789abcdef0000000000000001\"";
    const char *t2 = "\"0123456789abcdef0000000000000002\"";
    assert_true(etag_bucket_hash(t1) == etag_bucket_hash(t2));
    put("a", t1, "A");
    put("b", t2, "B");
    assert_blob(cache_get("a", t1), "A");
    assert_blob(cache_get("b", t2), "B");
    assert_null(cache_get("a", t2));
    assert_null(cache_get("b", t1));

    /* Two real keys whose tags land in the same one of the 4096 buckets. */
    char k1[32], k2[32], e1[ETAG_LEN], e2[ETAG_LEN];
    snprintf(k1, sizeof k1, "seed=0");
    etag_make(k1, e1);
    int found = 0;
    for (int i = 1; i < 100000 && !found; i++) {
        snprintf(k2, sizeof k2, "seed=%d", i);
        etag_make(k2, e2);
        found = etag_bucket_hash(e1) % 4096 == etag_bucket_hash(e2) % 4096;
    }
    assert_true(found);
    put(k1, e1, "first");
    put(k2, e2, "second");
    assert_blob(cache_get(k1, e1), "first");
    assert_blob(cache_get(k2, e2), "second");
    cache_free_all();
}

/* Evicting the least recently used of several entries chained in one bucket unlinks only it. */
static void test_evict_from_shared_chain(void **state)
{
    const char *tag = "\"ffffffffffffffffffffffffffffffff\"";
    /* Room for four entries of 1000 bytes plus their keys and headers, not five. */
    assert_int_equal(cache_init(5000), 0);
    static char text[5][1001];
    const char *keys[5] = {"k0", "k1", "k2", "k3", "k4"};
    for (int i = 0; i < 5; i++) {
        memset(text[i], 'a' + i, 1000);
        text[i][1000] = 0;
    }
    for (int i = 0; i < 4; i++)
        put(keys[i], tag, text[i]);
    assert_blob(cache_get("k0", tag), text[0]); /* k1 is now the coldest */
    put("k4", tag, text[4]);
    assert_null(cache_get("k1", tag));
    for (int i = 0; i < 5; i++)
        if (i != 1)
            assert_blob(cache_get(keys[i], tag), text[i]);
    assert_int_equal(atomic_load(&metrics_g.cache_entries), 4);
    assert_int_equal(atomic_load(&metrics_g.cache_bytes), 4000);
    cache_free_all();
}

/* Keys are charged: an entry whose key alone is over a quarter of the budget is not kept. */
static void test_keys_are_charged(void **state)
{
    assert_int_equal(cache_init(4096), 0);
    char big[1100];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    put(big, "\"00000000000000000000000000000000\"", "x");
    assert_null(cache_get(big, "\"00000000000000000000000000000000\""));
    put("small", "\"00000000000000000000000000000000\"", "x");
    assert_blob(cache_get("small", "\"00000000000000000000000000000000\""), "x");
    cache_free_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tag_different_keys),
        cmocka_unit_test(test_same_key_different_tag),
        cmocka_unit_test(test_same_bucket),
        cmocka_unit_test(test_evict_from_shared_chain),
        cmocka_unit_test(test_keys_are_charged),
    };
    return cmocka_run_group_tests_name("cache", tests, setup, teardown);
}
