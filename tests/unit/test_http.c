/* Unit tests of the HTTP contract's pure parts: query parsing and validation, canonical form,
 * ETags (SHA-256 of the key, 128 bits) and If-None-Match matching, config flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/config.h"
#include "core/etag.h"
#include "http/query.h"
#include "util/sha256.h"

static void test_parse_decodes(void **state)
{
    query q;
    err_t err = {0};
    assert_int_equal(query_parse("a=1&text.title=Hello%20World&b=x+y&empty=", &q, 64, &err), 0);
    assert_int_equal(q.n, 4);
    assert_string_equal(query_get(&q, "text.title"), "Hello World");
    assert_string_equal(query_get(&q, "b"), "x y");
    assert_string_equal(query_get(&q, "empty"), "");
    assert_null(query_get(&q, "missing"));
    query_free(&q);
}

static void test_parse_rejects(void **state)
{
    query q;
    err_t err = {0};
    assert_int_equal(query_parse("a=%zz", &q, 64, &err), -1);
    assert_string_equal(err.param, "a");
    assert_int_equal(query_parse("a=%00x", &q, 64, &err), -1);
    assert_int_equal(query_parse("a=%4", &q, 64, &err), -1);
    assert_int_equal(query_parse("=x", &q, 64, &err), -1);
    assert_int_equal(query_parse("a=1&b=2&c=3", &q, 2, &err), -1);
    assert_int_equal(err_status(err.kind), 413); /* a named limit, like the body's */
    assert_non_null(strstr(err.msg, "QUERY_MAX_PARAMS"));
}

static void test_check_unknown_and_dup(void **state)
{
    static const query_key keys[] = {{"seed", 0}, {"text.", 0}, {"marker", 1}};
    query q;
    err_t err = {0};
    assert_int_equal(query_parse("sed=1", &q, 64, &err), 0);
    assert_int_equal(query_check(&q, keys, 3, &err), -1);
    assert_int_equal(err.kind, ERR_UNKNOWN_PARAM);
    assert_string_equal(err.param, "sed");
    query_free(&q);
    assert_int_equal(query_parse("seed=1&seed=2", &q, 64, &err), 0);
    assert_int_equal(query_check(&q, keys, 3, &err), -1);
    assert_int_equal(err.kind, ERR_DUP_PARAM);
    query_free(&q);
    assert_int_equal(query_parse("marker=1&marker=2&text.a=x&text.b=y", &q, 64, &err), 0);
    assert_int_equal(query_check(&q, keys, 3, &err), 0);
    query_free(&q);
    assert_int_equal(query_parse("text.=x", &q, 64, &err), 0);
    assert_int_equal(query_check(&q, keys, 3, &err), -1); /* a prefix alone is no slot */
    query_free(&q);
}

static void test_typed_getters(void **state)
{
    query q;
    err_t err = {0};
    long v;
    double d;
    int e;
    static const char *const subs[] = {"420", "444", NULL};
    assert_int_equal(query_parse("q=90&zoom=19&scale=1e9&lat=12.5&sub=444&bad=12x", &q, 64, &err), 0);
    assert_int_equal(query_long(&q, "q", 1, 100, 85, &v, &err), 0);
    assert_int_equal(v, 90);
    assert_int_equal(query_long(&q, "absent", 1, 100, 85, &v, &err), 0);
    assert_int_equal(v, 85);
    assert_int_equal(query_long(&q, "zoom", 0, 18, 0, &v, &err), -1);
    assert_non_null(strstr(err.msg, "0..18"));
    assert_string_equal(err.param, "zoom");
    assert_int_equal(query_long(&q, "scale", 1, 2, 1, &v, &err), -1);
    assert_int_equal(query_long(&q, "bad", 0, 100, 0, &v, &err), -1);
    assert_int_equal(query_double(&q, "lat", -90, 90, 0, &d, &err), 0);
    assert_true(d == 12.5);
    assert_int_equal(query_enum(&q, "sub", subs, 0, &e, &err), 0);
    assert_int_equal(e, 1);
    query_free(&q);
}

static void test_canonical_sorted_and_normalised(void **state)
{
    query a, b;
    err_t err = {0};
    assert_int_equal(query_parse("b=2&a=h%C3%A9llo+w&m=1&m=0", &a, 64, &err), 0);
    assert_int_equal(query_parse("a=h%c3%a9llo%20w&m=1&b=2&m=0", &b, 64, &err), 0);
    char *ca = query_canonical(&a), *cb = query_canonical(&b);
    assert_string_equal(ca, cb);
    assert_string_equal(ca, "a=h%C3%A9llo%20w&b=2&m=1&m=0");
    free(ca);
    free(cb);
    query_free(&a);
    query_free(&b);
}

static void test_numbers_and_norms(void **state)
{
    double v;
    const char *end;
    assert_int_equal(query_number("48.850,2", &v, &end), 0);
    assert_true(v == 48.85 && *end == ',');
    assert_int_equal(query_number("-1e-3", &v, &end), 0);
    assert_true(v == -0.001 && *end == 0);
    assert_int_equal(query_number("-0", &v, &end), 0);
    assert_false(signbit(v));
    static const char *const bad[] = {"0x1p3", "inf", "nan", " 1", "+1", ".", "-", "1e", "1e+", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) /* refused, or not wholly a number */
        assert_true(query_number(bad[i], &v, &end) == -1 || *end != 0);
    char buf[40];
    query_format_number(1.0, buf, sizeof buf);
    assert_string_equal(buf, "1");
    query_format_number(0.1 + 0.2, buf, sizeof buf); /* needs 17 digits to read back */
    assert_string_equal(buf, "0.30000000000000004");

    static const query_norm norms[] = {
        {"q", QUERY_NORM_LONG, "85", 0},
        {"center", QUERY_NORM_NUMBERS, NULL, 0},
        {"marker", QUERY_NORM_NUMLIST, NULL, 2},
        {"fmt", QUERY_NORM_ENUM, "jpg", 0},
    };
    query a = {0}, b = {0};
    err_t e = {0};
    assert_int_equal(query_parse("q=85&center=48.850,2.350&marker=1.0,2e0,Big%2C%20city&fmt=jpg&z=3", &a, 64, &e), 0);
    assert_int_equal(query_parse("z=3&marker=1,2,Big%2C%20city&center=48.85,2.35", &b, 64, &e), 0);
    char *ca = query_canonical_norm(&a, norms, 4), *cb = query_canonical_norm(&b, norms, 4);
    assert_string_equal(ca, "center=48.85,2.35&marker=1,2,Big,%20city&z=3");
    assert_string_equal(ca, cb);
    free(ca);
    free(cb);
    query_free(&a);
    query_free(&b);
    assert_int_equal(query_parse("q=0x55", &a, 64, &e), 0);
    long l;
    assert_int_equal(query_long(&a, "q", 1, 100, 85, &l, &e), -1);
    query_free(&a);
}

static void test_etag_stable_and_distinct(void **state)
{
    char a[ETAG_LEN], b[ETAG_LEN], c[ETAG_LEN];
    etag_make("card:w1:v1?seed=1", ETAG_BITS, a);
    etag_make("card:w1:v1?seed=1", ETAG_BITS, b);
    etag_make("card:w1:v1?seed=2", ETAG_BITS, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

/* A strong tag of 128 bits: '"' + 32 lower-case hex + '"', nothing else (no W/ prefix). */
static void test_etag_format(void **state)
{
    const char *keys[] = {"", "card:w1:v1?seed=1", "x", "text=\xc3\xa9\xc3\xa9|1|1|85|0|1200x630"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char t[ETAG_LEN];
        memset(t, 'Z', sizeof t);
        etag_make(keys[i], ETAG_BITS, t);
        assert_int_equal(strlen(t), 34);
        assert_true(t[0] == '"' && t[33] == '"');
        for (int j = 1; j <= 32; j++)
            assert_non_null(strchr("0123456789abcdef", t[j]));
        assert_true(etag_match(t, t));
    }
}

/* The tag is the first 128 bits of SHA-256("cartouche-r1" NUL key): pinned, so that a change of
 * hash, truncation or renderer version is a decision (it re-keys every CDN), not an accident. */
static void test_etag_is_sha256_of_version_and_key(void **state)
{
    char t[ETAG_LEN];
    etag_make("card:w1:v1?seed=1", ETAG_BITS, t);
    assert_string_equal(t, "\"4b4968b5dfc8901723d987bc4f2c2a7e\"");
    assert_string_equal(CARTOUCHE_RENDERER_VERSION, "cartouche-r1");
}

/* Keys that differ in one byte anywhere, or only in length, get different tags. */
static void test_etag_near_keys_differ(void **state)
{
    char base[ETAG_LEN], t[ETAG_LEN];
    char key[] = "card:w1:v1?seed=1|1|1|85|0|1200x630";
    etag_make(key, ETAG_BITS, base);
    for (size_t i = 0; i < strlen(key); i++) {
        char k2[sizeof key];
        memcpy(k2, key, sizeof key);
        k2[i] ^= 1;
        etag_make(k2, ETAG_BITS, t);
        assert_string_not_equal(t, base);
    }
    key[strlen(key) - 1] = 0;
    etag_make(key, ETAG_BITS, t);
    assert_string_not_equal(t, base);
}

/* Fewer tag bits (the test hook CARTOUCHE_TEST_ETAG_BITS) keep the digest's first bits and zero
 * the rest, so that tests can make different keys share a tag. */
static void test_etag_bits(void **state)
{
    char t[ETAG_LEN];
    etag_make("card:w1:v1?seed=1", 0, t);
    assert_string_equal(t, "\"00000000000000000000000000000000\"");
    etag_make("card:w1:v1?seed=1", 8, t);
    assert_string_equal(t, "\"4b000000000000000000000000000000\"");
    etag_make("card:w1:v1?seed=1", 12, t);
    assert_string_equal(t, "\"4b400000000000000000000000000000\"");
}

/* sha256.c is a wrapper over nettle: FIPS 180-4 test vectors, in one call and in pieces. */
static void test_sha256_vectors(void **state)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_ctx c;
    unsigned char d[SHA256_DIGEST_LEN];
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        sha256_update(&c, chunk, sizeof chunk);
    sha256_final(&c, d);
    for (int i = 0; i < SHA256_DIGEST_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_if_none_match(void **state)
{
    const char *tag = "\"0123456789abcdef\"";
    assert_true(etag_match("\"0123456789abcdef\"", tag));
    assert_true(etag_match("W/\"0123456789abcdef\"", tag));
    assert_true(etag_match("\"aaaa\", \"0123456789abcdef\"", tag));
    assert_true(etag_match("\"aaaa\",W/\"0123456789abcdef\" ", tag));
    assert_true(etag_match("*", tag));
    assert_true(etag_match("  *  ", tag));
    assert_false(etag_match("\"aaaa\"", tag));
    assert_false(etag_match("0123456789abcdef", tag));
    assert_false(etag_match("garbage \"0123456789abcdef\"", tag));
    assert_false(etag_match("\"0123456789abcdef", tag));
    assert_false(etag_match("", tag));
    assert_false(etag_match(NULL, tag));
    assert_false(etag_match("*, \"x\"", tag));
}

static void test_config_flags(void **state)
{
    config c;
    err_t err = {0};
    config_defaults(&c);
    char *ok[] = {"--listen", "0.0.0.0:9090", "--threads", "3", "--memory-budget", "80", "--max-age=60"};
    assert_int_equal(config_from_args(&c, 7, ok, &err), 0);
    assert_string_equal(c.listen_host, "0.0.0.0");
    assert_int_equal(c.listen_port, 9090);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.memory_budget_mb, 80);
    assert_int_equal(c.max_age, 60);
    char *bad1[] = {"--threads", "many"};
    assert_int_equal(config_from_args(&c, 2, bad1, &err), -1);
    assert_string_equal(err.param, "threads");
    char *bad2[] = {"--nope", "1"};
    assert_int_equal(config_from_args(&c, 2, bad2, &err), -1);
    char *bad3[] = {"--listen", "8080"};
    assert_int_equal(config_from_args(&c, 2, bad3, &err), -1);
    char *bad4[] = {"--threads"};
    assert_int_equal(config_from_args(&c, 1, bad4, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_decodes),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_check_unknown_and_dup),
        cmocka_unit_test(test_typed_getters),
        cmocka_unit_test(test_canonical_sorted_and_normalised),
        cmocka_unit_test(test_numbers_and_norms),
        cmocka_unit_test(test_etag_stable_and_distinct),
        cmocka_unit_test(test_etag_format),
        cmocka_unit_test(test_etag_is_sha256_of_version_and_key),
        cmocka_unit_test(test_etag_near_keys_differ),
        cmocka_unit_test(test_etag_bits),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_if_none_match),
        cmocka_unit_test(test_config_flags),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
