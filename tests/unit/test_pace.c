/* Unit tests of refusal pacing (pace.c): a burst of refusals per address is answered at once,
 * then one every 1/rate seconds; addresses are paced apart; an address that has been quiet long
 * enough has its burst back; rate 0 paces nothing; the table of addresses stays bounded and
 * forgets the quiet ones first. Time is given, not measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "http/pace.h"

static void test_burst_then_rate(void **state)
{
    pace *p = pace_new(10, 5, 16); /* 10 a second past a burst of 5 */
    assert_non_null(p);
    for (int i = 0; i < 6; i++) /* the burst, and the one the bucket still holds */
        assert_true(pace_refusal(p, "192.0.2.1", 100.0) == 0);
    /* The next ones at the same instant wait 0.1 s more each. */
    for (int i = 1; i <= 4; i++) {
        double w = pace_refusal(p, "192.0.2.1", 100.0);
        assert_true(w > 0.1 * i - 1e-9 && w < 0.1 * i + 1e-9);
    }
    /* Another address is not held back by the first. */
    assert_true(pace_refusal(p, "2001:db8::7", 100.0) == 0);
    /* Later the first address has paid its debt and a burst comes back. */
    assert_true(pace_refusal(p, "192.0.2.1", 102.0) == 0);
    pace_free(p);
}

static void test_steady_client_not_paced(void **state)
{
    /* A client refused 10 times a second, below the rate, never waits. */
    pace *p = pace_new(20, 20, 16);
    for (int i = 0; i < 200; i++)
        assert_true(pace_refusal(p, "198.51.100.9", 50.0 + i * 0.1) == 0);
    pace_free(p);
}

static void test_off(void **state)
{
    pace *p = pace_new(0, 0, 16);
    for (int i = 0; i < 1000; i++)
        assert_true(pace_refusal(p, "192.0.2.1", 1.0) == 0);
    assert_int_equal(pace_addrs(p), 0);
    pace_free(p);
    assert_true(pace_refusal(NULL, "192.0.2.1", 1.0) == 0);
}

static void test_table_bounded(void **state)
{
    pace *p = pace_new(1, 1, 4);
    char a[32];
    for (int i = 0; i < 4; i++) { /* four addresses in debt */
        snprintf(a, sizeof a, "10.0.0.%d", i);
        pace_refusal(p, a, 10.0);
        pace_refusal(p, a, 10.0);
        assert_true(pace_refusal(p, a, 10.0) > 0);
    }
    assert_int_equal(pace_addrs(p), 4);
    /* A fifth: no room, and none to forget yet: answered at once, not remembered. */
    assert_true(pace_refusal(p, "10.0.0.9", 10.0) == 0);
    assert_true(pace_refusal(p, "10.0.0.9", 10.0) == 0);
    assert_int_equal(pace_addrs(p), 4);
    /* Once the others have paid, they are forgotten to make room. */
    pace_refusal(p, "10.0.0.9", 100.0);
    assert_int_equal(pace_addrs(p), 1);
    pace_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_rate),
        cmocka_unit_test(test_steady_client_not_paced),
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_table_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
