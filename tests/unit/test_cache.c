/* Unit tests of the render cache (cache.c): the full key decides, never the tag alone. Two keys
 * forced onto one tag, or onto tags sharing their first 64 bits, each keep their own bytes; an
 * entry answers only for its own tag; eviction unlinks only the coldest; the budget counts keys
 * as well as bytes. */
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

static metrics m;
static budget *bud;
static rcache *C;

static int setup(void **state)
{
    bud = budget_new((size_t)64 << 20, &m); /* blobs are charged to it */
    return bud ? 0 : -1;
}

static int teardown(void **state)
{
    budget_free(bud);
    return 0;
}

static void cache_init(size_t bytes)
{
    C = cache_new(bytes, &m);
    assert_non_null(C);
}

static void cache_free_all(void)
{
    cache_free(C);
    C = NULL;
}

static blob *blob_of(const char *text)
{
    blob *b = blob_new(bud, strlen(text), budget_now() + 1);
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
    cache_put(C, key, etag, b);
    blob_unref(b);
}

/* Same tag, different keys (what an FNV collision gave): each key gets its own entry, a third
 * key with the tag is a miss, and neither is served for the other. */
static void test_same_tag_different_keys(void **state)
{
    const char *tag = "\"00112233445566778899aabbccddeeff\"";
    cache_init(1 << 20);
    put("card:w1?seed=1|1|1|85|0|1200x630", tag, "bytes of seed 1");
    assert_null(cache_get(C, "card:w1?seed=2|1|1|85|0|1200x630", tag));
    put("card:w1?seed=2|1|1|85|0|1200x630", tag, "bytes of seed 2");
    assert_blob(cache_get(C, "card:w1?seed=1|1|1|85|0|1200x630", tag), "bytes of seed 1");
    assert_blob(cache_get(C, "card:w1?seed=2|1|1|85|0|1200x630", tag), "bytes of seed 2");
    assert_null(cache_get(C, "card:w1?seed=3|1|1|85|0|1200x630", tag));
    /* A key is a whole string: a prefix of a stored key is another key. */
    assert_null(cache_get(C, "card:w1?seed=1|1|1|85|0|1200x63", tag));
    assert_int_equal(atomic_load(&m.g.cache_entries), 2);
    cache_free_all();
    assert_int_equal(atomic_load(&m.g.cache_entries), 0);
}

/* Same key under a different tag is a different entry too (the tag carries the renderer
 * version, which the key alone does not). */
static void test_same_key_different_tag(void **state)
{
    cache_init(1 << 20);
    put("k", "\"00000000000000000000000000000001\"", "one");
    assert_null(cache_get(C, "k", "\"00000000000000000000000000000002\""));
    assert_blob(cache_get(C, "k", "\"00000000000000000000000000000001\""), "one");
    cache_free_all();
}

/* Tags that differ only after their first 64 bits (one bucket, when the cache hashed tags) and
 * real keys of one render still each keep their own entry. */
static void test_tags_sharing_64_bits(void **state)
{
    cache_init(1 << 20);
    const char *t1 = "\"0123456789abcdef0000000000000001\"";
    const char *t2 = "\"0123456789abcdef0000000000000002\"";
    put("a", t1, "A");
    put("b", t2, "B");
    assert_blob(cache_get(C, "a", t1), "A");
    assert_blob(cache_get(C, "b", t2), "B");
    assert_null(cache_get(C, "a", t2));
    assert_null(cache_get(C, "b", t1));
    char e1[ETAG_LEN], e2[ETAG_LEN];
    etag_make("seed=0", ETAG_BITS, e1);
    etag_make("seed=1", ETAG_BITS, e2);
    put("seed=0", e1, "first");
    put("seed=1", e2, "second");
    assert_blob(cache_get(C, "seed=0", e1), "first");
    assert_blob(cache_get(C, "seed=1", e2), "second");
    cache_free_all();
}

/* Evicting the least recently used of several entries under one tag unlinks only it. */
static void test_evict_from_shared_chain(void **state)
{
    const char *tag = "\"ffffffffffffffffffffffffffffffff\"";
    /* Room for four entries of 1000 bytes plus their keys and headers, not five. */
    cache_init(5000);
    static char text[5][1001];
    const char *keys[5] = {"k0", "k1", "k2", "k3", "k4"};
    for (int i = 0; i < 5; i++) {
        memset(text[i], 'a' + i, 1000);
        text[i][1000] = 0;
    }
    for (int i = 0; i < 4; i++)
        put(keys[i], tag, text[i]);
    assert_blob(cache_get(C, "k0", tag), text[0]); /* k1 is now the coldest */
    put("k4", tag, text[4]);
    assert_null(cache_get(C, "k1", tag));
    for (int i = 0; i < 5; i++)
        if (i != 1)
            assert_blob(cache_get(C, keys[i], tag), text[i]);
    assert_int_equal(atomic_load(&m.g.cache_entries), 4);
    assert_int_equal(atomic_load(&m.g.cache_bytes), 4000);
    cache_free_all();
}

/* Keys are charged: an entry whose key alone is over a quarter of the budget is not kept. */
static void test_keys_are_charged(void **state)
{
    cache_init(4096);
    char big[1100];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    put(big, "\"00000000000000000000000000000000\"", "x");
    assert_null(cache_get(C, big, "\"00000000000000000000000000000000\""));
    put("small", "\"00000000000000000000000000000000\"", "x");
    assert_blob(cache_get(C, "small", "\"00000000000000000000000000000000\""), "x");
    cache_free_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tag_different_keys),
        cmocka_unit_test(test_same_key_different_tag),
        cmocka_unit_test(test_tags_sharing_64_bits),
        cmocka_unit_test(test_evict_from_shared_chain),
        cmocka_unit_test(test_keys_are_charged),
    };
    return cmocka_run_group_tests_name("cache", tests, setup, teardown);
}
