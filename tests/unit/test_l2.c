/* Unit tests of the L2 client's contract: HOST:PORT validation, "off" costs nothing, and an
 * unreachable server is a miss that is counted once and then backed off from (no memcached);
 * then against a real memcached (started here on a free loopback port): a value is served only
 * for the key it was stored for, whatever the memcached key (a hash) says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <event2/event.h>
#include <libmemcached/memcached.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/etag.h"
#include "core/l2.h"
#include "core/metrics.h"

extern char **environ;

#define TAG "\"0123456789abcdef0123456789abcdef\""

static metrics m;
static budget *bud; /* blobs from l2_get are charged to it */
static l2 *L2;

static void test_off_by_default(void **state)
{
    err_t err = {0};
    assert_non_null(L2 = l2_start("", 1000, bud, &m, &err));
    assert_int_equal(l2_enabled(L2), 0);
    long errors = atomic_load(&m.g.l2_errors);
    assert_null(l2_get(L2, "k", TAG, budget_now() + 1));
    assert_int_equal(atomic_load(&m.g.l2_errors), errors);
    l2_stop(L2);
}

static void test_rejects_malformed_addresses(void **state)
{
    const char *bad[] = {"localhost", "localhost:", ":11211", "localhost:0", "localhost:65536",
                         "localhost:12x", "[]:11211", "localhost:-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_t err = {0};
        assert_null(l2_start(bad[i], 1000, bud, &m, &err));
        assert_string_equal(err.param, "memcached");
        assert_non_null(strstr(err.msg, bad[i]));
    }
}

static void test_accepts_names_and_v6(void **state)
{
    const char *good[] = {"127.0.0.1:11211", "cartouche-memcached:11211", "[::1]:11211"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        err_t err = {0};
        assert_non_null(L2 = l2_start(good[i], 1000, bud, &m, &err));
        assert_int_equal(l2_enabled(L2), 1);
        l2_stop(L2);
    }
}

/* A loopback port nothing listens on: bound, then closed. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_unreachable_is_a_miss_then_backs_off(void **state)
{
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", dead_port());
    err_t err = {0};
    assert_non_null(L2 = l2_start(addr, 1000, bud, &m, &err));
    long errors = atomic_load(&m.g.l2_errors);
    double t0 = budget_now();
    assert_null(l2_get(L2, "k", TAG, t0 + 1));
    assert_int_equal(atomic_load(&m.g.l2_errors), errors + 1);
    /* Within the back-off neither a get nor a put reaches for the network again. */
    blob *b = calloc(1, sizeof(blob) + 4);
    b->len = 4;
    for (int i = 0; i < 50; i++) {
        assert_null(l2_get(L2, "k", TAG, t0 + 1));
        l2_put(L2, "k", TAG, b);
    }
    assert_int_equal(atomic_load(&m.g.l2_errors), errors + 1);
    free(b);
    l2_stop(L2);
}

/* ---------------------------------------------------------------- against a real memcached */

static pid_t mc_pid;
static int mc_port;
static memcached_st *mc; /* the test's own client, to look at and plant raw values */

static int mc_start(void **state)
{
    mc_port = dead_port();
    char port[16];
    snprintf(port, sizeof port, "%d", mc_port);
    char *argv[] = {"memcached", "-l", "127.0.0.1", "-p", port, "-U", "0", "-m", "16", "-u", "root",
                    NULL};
    if (geteuid() != 0)
        argv[9] = NULL; /* -u only matters (and is only allowed) for root */
    if (posix_spawnp(&mc_pid, "memcached", NULL, NULL, argv, environ) != 0) {
        fprintf(stderr, "memcached is not installed (make test-deps)\n");
        return -1;
    }
    for (int i = 0; i < 200; i++) { /* until it listens, at most 4 s */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)mc_port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        close(fd);
        if (ok)
            break;
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    mc = memcached_create(NULL);
    memcached_server_add(mc, "127.0.0.1", (in_port_t)mc_port);
    err_t err = {0};
    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", mc_port);
    return (L2 = l2_start(addr, 1000, bud, &m, &err)) ? 0 : -1;
}

static int mc_stop(void **state)
{
    l2_stop(L2);
    memcached_free(mc);
    kill(mc_pid, SIGTERM);
    waitpid(mc_pid, NULL, 0);
    return 0;
}

static blob *blob_of(const char *text)
{
    blob *b = blob_new(bud, strlen(text), budget_now() + 1);
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

/* The raw value memcached holds under the tag's key, or NULL (caller frees). */
static char *raw_get(const char *etag, size_t *len, uint32_t *flags)
{
    char mkey[64];
    snprintf(mkey, sizeof mkey, "cartouche:%.*s", (int)strlen(etag) - 2, etag + 1);
    memcached_return_t rc;
    return memcached_get(mc, mkey, strlen(mkey), len, flags, &rc);
}

static void raw_set(const char *etag, const void *v, size_t len, uint32_t flags)
{
    char mkey[64];
    snprintf(mkey, sizeof mkey, "cartouche:%.*s", (int)strlen(etag) - 2, etag + 1);
    assert_int_equal(memcached_set(mc, mkey, strlen(mkey), v, len, 0, flags), MEMCACHED_SUCCESS);
}

static void test_round_trip(void **state)
{
    char tag[ETAG_LEN];
    etag_make("card:w1?seed=1|1|1|85|0|1200x630", ETAG_BITS, tag);
    blob *b = blob_of("JPEG bytes of seed 1");
    l2_put(L2, "card:w1?seed=1|1|1|85|0|1200x630", tag, b);
    free(b);
    long hits = atomic_load(&m.g.l2_hits);
    assert_blob(l2_get(L2, "card:w1?seed=1|1|1|85|0|1200x630", tag, budget_now() + 1), "JPEG bytes of seed 1");
    assert_int_equal(atomic_load(&m.g.l2_hits), hits + 1);
}

/* Two keys on one tag (one memcached key): the value answers only the key it was stored for;
 * the other key's put replaces it, and then only that key is answered. */
static void test_shared_tag_serves_only_its_key(void **state)
{
    const char *tag = "\"00112233445566778899aabbccddeeff\"";
    const char *ka = "card:w1?seed=1|1|1|85|0|1200x630", *kb = "card:w1?seed=2|1|1|85|0|1200x630";
    blob *a = blob_of("bytes of A"), *b = blob_of("bytes of B");
    long hits = atomic_load(&m.g.l2_hits), errors = atomic_load(&m.g.l2_errors);
    l2_put(L2, ka, tag, a);
    assert_null(l2_get(L2, kb, tag, budget_now() + 1));
    assert_blob(l2_get(L2, ka, tag, budget_now() + 1), "bytes of A");
    l2_put(L2, kb, tag, b);
    assert_null(l2_get(L2, ka, tag, budget_now() + 1));
    assert_blob(l2_get(L2, kb, tag, budget_now() + 1), "bytes of B");
    /* A key that is a prefix of the stored one is another key. */
    assert_null(l2_get(L2, "card:w1?seed=2|1|1|85|0|1200x63", tag, budget_now() + 1));
    assert_int_equal(atomic_load(&m.g.l2_hits), hits + 2);
    assert_int_equal(atomic_load(&m.g.l2_errors), errors); /* a miss, not a failure */
    free(a);
    free(b);
}

/* memcached holds, under B's memcached key, a value stored for A (copied there: what a collision
 * of the memcached key, or someone with access to memcached, gives): a miss for B. */
static void test_value_copied_under_another_key_is_a_miss(void **state)
{
    char ta[ETAG_LEN], tb[ETAG_LEN];
    const char *ka = "card:w1?seed=10|1|1|85|0|1200x630", *kb = "card:w1?seed=11|1|1|85|0|1200x630";
    etag_make(ka, ETAG_BITS, ta);
    etag_make(kb, ETAG_BITS, tb);
    blob *a = blob_of("bytes of A");
    l2_put(L2, ka, ta, a);
    free(a);
    size_t len = 0;
    uint32_t flags = 0;
    char *v = raw_get(ta, &len, &flags);
    assert_non_null(v);
    assert_true(len > strlen("bytes of A")); /* the key travels with the bytes */
    raw_set(tb, v, len, flags);
    free(v);
    assert_null(l2_get(L2, kb, tb, budget_now() + 1));
    assert_blob(l2_get(L2, ka, ta, budget_now() + 1), "bytes of A");
}

/* Values in other layouts under our key: bare bytes with the old "CART" flags (what an instance
 * from before keys were stored writes), a key record longer than the value, an empty image,
 * truncated headers. Each is a miss, never someone's bytes. */
static void test_foreign_values_are_misses(void **state)
{
    const char *key = "card:w1?seed=20|1|1|85|0|1200x630";
    char tag[ETAG_LEN];
    etag_make(key, ETAG_BITS, tag);
    size_t klen = strlen(key);
    unsigned char v[256];
    v[0] = 0, v[1] = 0, v[2] = 0, v[3] = (unsigned char)klen;
    memcpy(v + 4, key, klen);
    memcpy(v + 4 + klen, "IMG", 3);
    uint32_t flags = 0x43415232u; /* "CAR2" */
    raw_set(tag, v, 4 + klen + 3, flags); /* well-formed: a hit */
    assert_blob(l2_get(L2, key, tag, budget_now() + 1), "IMG");
    raw_set(tag, "\xff\xd8\xff\xe0 a JPEG", 10, 0x43415254u); /* old layout, "CART" */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    raw_set(tag, v, 4 + klen + 3, 0); /* right layout, not our flags */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    raw_set(tag, v, 4 + klen, flags); /* no image after the key */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    raw_set(tag, v, 4 + klen - 1, flags); /* key cut short */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    raw_set(tag, v, 3, flags); /* not even a length */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    unsigned char huge[8] = {0xff, 0xff, 0xff, 0xff, 'x', 'y', 'z', 'w'};
    raw_set(tag, huge, sizeof huge, flags); /* length beyond the value */
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
}

/* A value whose key record and bytes together pass L2_MAX_VALUE is not stored. */
static void test_key_counts_toward_the_value_limit(void **state)
{
    size_t klen = 5000;
    char *key = malloc(klen + 1);
    memset(key, 'k', klen);
    key[klen] = 0;
    char tag[ETAG_LEN];
    etag_make(key, ETAG_BITS, tag);
    blob *b = calloc(1, sizeof(blob) + L2_MAX_VALUE);
    b->len = L2_MAX_VALUE - 4 - klen; /* exactly at the limit: stored */
    l2_put(L2, key, tag, b);
    blob *got = l2_get(L2, key, tag, budget_now() + 1);
    assert_non_null(got);
    assert_int_equal(got->len, b->len);
    blob_unref(got);
    key[0] = 'j'; /* another key and tag, one byte over */
    etag_make(key, ETAG_BITS, tag);
    b->len++;
    l2_put(L2, key, tag, b);
    assert_null(l2_get(L2, key, tag, budget_now() + 1));
    free(b);
    free(key);
}

int main(void)
{
    bud = budget_new((size_t)64 << 20, &m);
    const struct CMUnitTest offline[] = {
        cmocka_unit_test(test_off_by_default),
        cmocka_unit_test(test_rejects_malformed_addresses),
        cmocka_unit_test(test_accepts_names_and_v6),
        cmocka_unit_test(test_unreachable_is_a_miss_then_backs_off),
    };
    const struct CMUnitTest online[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_shared_tag_serves_only_its_key),
        cmocka_unit_test(test_value_copied_under_another_key_is_a_miss),
        cmocka_unit_test(test_foreign_values_are_misses),
        cmocka_unit_test(test_key_counts_toward_the_value_limit),
    };
    int failed = cmocka_run_group_tests_name("l2", offline, NULL, NULL);
    return failed + cmocka_run_group_tests_name("l2 memcached", online, mc_start, mc_stop);
}
