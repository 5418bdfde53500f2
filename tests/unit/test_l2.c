/* Unit tests of the L2 client's contract without a memcached: HOST:PORT validation, "off" costs
 * nothing, and an unreachable server is a miss that is counted once and then backed off from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "l2.h"
#include "metrics.h"

static void test_off_by_default(void **state)
{
    err_t err = {0};
    assert_int_equal(l2_start("", &err), 0);
    assert_int_equal(l2_enabled(), 0);
    long errors = atomic_load(&metrics_g.l2_errors);
    assert_null(l2_get("\"0123456789abcdef\"", pool_now() + 1));
    assert_int_equal(atomic_load(&metrics_g.l2_errors), errors);
    l2_stop();
}

static void test_rejects_malformed_addresses(void **state)
{
    const char *bad[] = {"localhost", "localhost:", ":11211", "localhost:0", "localhost:65536",
                         "localhost:12x", "[]:11211", "localhost:-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_t err = {0};
        assert_int_equal(l2_start(bad[i], &err), -1);
        assert_string_equal(err.param, "memcached");
        assert_non_null(strstr(err.msg, bad[i]));
        assert_int_equal(l2_enabled(), 0);
    }
}

static void test_accepts_names_and_v6(void **state)
{
    const char *good[] = {"127.0.0.1:11211", "cartouche-memcached:11211", "[::1]:11211"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        err_t err = {0};
        assert_int_equal(l2_start(good[i], &err), 0);
        assert_int_equal(l2_enabled(), 1);
        l2_stop();
        assert_int_equal(l2_enabled(), 0);
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
    assert_int_equal(l2_start(addr, &err), 0);
    long errors = atomic_load(&metrics_g.l2_errors);
    double t0 = pool_now();
    assert_null(l2_get("\"0123456789abcdef\"", t0 + 1));
    assert_int_equal(atomic_load(&metrics_g.l2_errors), errors + 1);
    /* Within the back-off neither a get nor a put reaches for the network again. */
    blob *b = calloc(1, sizeof(blob) + 4);
    b->len = 4;
    for (int i = 0; i < 50; i++) {
        assert_null(l2_get("\"0123456789abcdef\"", t0 + 1));
        l2_put("\"0123456789abcdef\"", b);
    }
    assert_int_equal(atomic_load(&metrics_g.l2_errors), errors + 1);
    free(b);
    l2_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_by_default),
        cmocka_unit_test(test_rejects_malformed_addresses),
        cmocka_unit_test(test_accepts_names_and_v6),
        cmocka_unit_test(test_unreachable_is_a_miss_then_backs_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
