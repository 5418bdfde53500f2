/* Unit tests of the card body parser (cards_body_query): what a body adds to the query, and the
 * refusals that come before any JSON tree is built (key count, nesting), which must not be
 * fooled by colons, braces or escaped quotes inside strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cards/cards.h"

static int parse(const char *body, query *q, err_t *err)
{
    memset(q, 0, sizeof *q);
    memset(err, 0, sizeof *err);
    return cards_body_query(body, strlen(body), q, err);
}

static void test_text_and_values(void **state)
{
    query q;
    err_t err;
    assert_int_equal(parse("{\"text\":{\"title\":\"a:b {c} \\\"d\\\"\"},\"seed\":12,\"q\":\"90\"}", &q, &err), 0);
    assert_string_equal(query_get(&q, "text.title"), "a:b {c} \"d\"");
    assert_string_equal(query_get(&q, "seed"), "12");
    assert_string_equal(query_get(&q, "q"), "90");
    query_free(&q);
}

static void test_too_many_keys_refused_before_parsing(void **state)
{
    /* 100 000 keys, and not even valid JSON after the cap: the count refuses it first. */
    size_t n = 100000, cap = n * 16 + 32;
    char *b = malloc(cap), *p = b;
    p += sprintf(p, "{\"text\":{");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "\"k%zu\":\"x\",", i);
    strcpy(p, "BROKEN");
    query q;
    err_t err;
    assert_int_equal(parse(b, &q, &err), -1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_non_null(strstr(err.msg, "QUERY_MAX_PARAMS"));
    free(b);
}

static void test_keys_counted_with_the_url(void **state)
{
    query q = {0};
    err_t err = {0};
    char url[QUERY_MAX_PARAMS * 8];
    char *p = url;
    for (int i = 0; i < QUERY_MAX_PARAMS; i++)
        p += sprintf(p, "%sp%d=1", i ? "&" : "", i);
    assert_int_equal(query_parse(url, &q, QUERY_MAX_PARAMS, &err), 0);
    const char *body = "{\"text\":{\"a\":\"x\"}}"; /* two keys: one over the cap with the URL's */
    assert_int_equal(cards_body_query(body, strlen(body), &q, &err), -1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    query_free(&q);
}

static void test_nesting_refused(void **state)
{
    query q;
    err_t err;
    assert_int_equal(parse("{\"text\":{\"a\":[\"x\"]}}", &q, &err), -1);
    assert_int_equal(err.kind, ERR_BAD_REQUEST);
    assert_int_equal(parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", &q, &err), -1);
    assert_int_equal(err.kind, ERR_BAD_REQUEST);
    /* Brackets inside strings are text. */
    assert_int_equal(parse("{\"text\":{\"a\":\"[[[{{{\"}}", &q, &err), 0);
    assert_string_equal(query_get(&q, "text.a"), "[[[{{{");
    query_free(&q);
}

/* An empty key or slot name (found by fuzz_cards_body) is a 400, not a parameter named "". */
static void test_empty_names_refused(void **state)
{
    query q;
    err_t err;
    assert_int_equal(parse("{\"\":12}", &q, &err), -1);
    assert_int_equal(err.kind, ERR_BAD_PARAM);
    assert_int_equal(parse("{\"text\":{\"\":\"x\"}}", &q, &err), -1);
    assert_int_equal(err.kind, ERR_BAD_PARAM);
    assert_string_equal(err.param, "text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_values),
        cmocka_unit_test(test_too_many_keys_refused_before_parsing),
        cmocka_unit_test(test_keys_counted_with_the_url),
        cmocka_unit_test(test_nesting_refused),
        cmocka_unit_test(test_empty_names_refused),
    };
    return cmocka_run_group_tests_name("cards body", tests, NULL, NULL);
}
