/* test_tiles_math.c — Web Mercator arithmetic, pyramid indexing and ISO 8601 parsing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tiles/tilemath.h"
#include "tiles/timeutil.h"

static void test_known_tiles(void **state)
{
    (void)state;
    int x, y;
    /* London (51.5074 N, 0.1278 W). */
    tiles_tile_of(51.5074, -0.1278, 1, &x, &y);
    assert_int_equal(x, 0);
    assert_int_equal(y, 0);
    tiles_tile_of(51.5074, -0.1278, 2, &x, &y);
    assert_int_equal(x, 1);
    assert_int_equal(y, 1);
    tiles_tile_of(51.5074, -0.1278, 6, &x, &y);
    assert_int_equal(x, 31);
    assert_int_equal(y, 21);
    /* Sydney (33.87 S, 151.21 E) at z4 is tile 14/9 (OSM). */
    tiles_tile_of(-33.8688, 151.2093, 4, &x, &y);
    assert_int_equal(x, 14);
    assert_int_equal(y, 9);
    /* 180 E wraps to tile 0; beyond the Mercator clip clamps to the last row. */
    tiles_tile_of(0.0, 180.0, 3, &x, &y);
    assert_int_equal(x, 0);
    tiles_tile_of(-89.0, 0.0, 3, &x, &y);
    assert_int_equal(y, 7);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (int z = 0; z <= TILES_MAX_ZOOM; z++) {
        double world = tiles_world_size(z, 256);
        for (double lat = -85.0; lat <= 85.0; lat += 7.3)
            for (double lng = -179.5; lng < 180.0; lng += 13.7) {
                double x = tiles_lng_to_x(lng, world), y = tiles_lat_to_y(lat, world);
                assert_true(x >= 0 && x <= world && y >= 0 && y <= world);
                assert_true(fabs(tiles_x_to_lng(x, world) - lng) < 1e-9);
                assert_true(fabs(tiles_y_to_lat(y, world) - lat) < 1e-9);
            }
    }
    /* Equator and prime meridian sit at the world centre; the clip latitude at the edge. */
    assert_true(fabs(tiles_lat_to_y(0, 512) - 256) < 1e-9);
    assert_true(fabs(tiles_lng_to_x(0, 512) - 256) < 1e-9);
    assert_true(fabs(tiles_lat_to_y(TILES_MAX_LAT, 512)) < 1e-6);
    assert_true(fabs(tiles_lat_to_y(89.9, 512)) < 1e-6); /* clamped */
    double b[4];
    tiles_tile_bounds(1, 1, 0, b);
    assert_true(fabs(b[0] - 0) < 1e-9 && fabs(b[2] - 180) < 1e-9);
    assert_true(fabs(b[1] - 0) < 1e-9 && fabs(b[3] - TILES_MAX_LAT) < 1e-9);
}

static void test_pyramid_index(void **state)
{
    (void)state;
    assert_int_equal(tiles_pyramid_count(0), 1);
    assert_int_equal(tiles_pyramid_count(6), 5461);
    assert_int_equal(tiles_pyramid_index(0, 0, 0), 0);
    assert_int_equal(tiles_pyramid_index(1, 0, 0), 1);
    assert_int_equal(tiles_pyramid_index(1, 1, 1), 4);
    assert_int_equal(tiles_pyramid_index(2, 0, 0), 5);
    assert_int_equal(tiles_pyramid_index(6, 63, 63), 5460);
}

static void test_fit_bbox(void **state)
{
    (void)state;
    double lat, lng;
    /* Europe (-10,35,30,60) in 800x600: 40 degrees = 1/9 of the world; z2 (1024 px) gives
     * 114 px, ..., z4 gives 455 px wide and fits; z5 (910 px) does not. */
    double eu[4] = {-10, 35, 30, 60};
    assert_int_equal(tiles_fit_bbox(eu, 800, 600, 10, 0, 6, &lat, &lng), 4);
    assert_true(fabs(lng - 10) < 1e-9);
    assert_true(lat > 47.5 && lat < 49.5); /* Mercator midpoint is north of 47.5 */
    /* The whole world fits only at z0 in 300x300. */
    double w[4] = {-180, -85, 180, 85};
    assert_int_equal(tiles_fit_bbox(w, 300, 300, 0, 0, 6, &lat, &lng), 0);
    /* A tiny box saturates at maxzoom. */
    double t[4] = {2.2, 48.8, 2.4, 48.9};
    assert_int_equal(tiles_fit_bbox(t, 512, 512, 0, 0, 6, &lat, &lng), 6);
    /* Across the antimeridian: 170E..170W is 20 degrees centred on 180. */
    double am[4] = {170, -20, -170, 0};
    /* At z5: 20/360 * 8192 = 455 px wide, 465 px high (Mercator stretch); z6 is twice that. */
    assert_int_equal(tiles_fit_bbox(am, 600, 500, 0, 0, 6, &lat, &lng), 5);
    assert_int_equal(tiles_fit_bbox(am, 600, 400, 0, 0, 6, &lat, &lng), 4);
    assert_true(fabs(fabs(lng) - 180) < 1e-9);
}

static void test_time(void **state)
{
    (void)state;
    double t, a, b;
    assert_int_equal(tiles_time_parse("1970-01-01", &t), 0);
    assert_true(t == 0);
    assert_int_equal(tiles_time_parse("2004-07-01T00:00:00Z", &t), 0);
    assert_true(t == 1088640000.0);
    assert_int_equal(tiles_time_parse("2004-07-01T02:00:00+02:00", &t), 0);
    assert_true(t == 1088640000.0);
    assert_int_equal(tiles_time_parse("2000-02-29", &t), 0);
    assert_int_equal(tiles_time_parse("2001-02-29", &t), -1);
    assert_int_equal(tiles_time_parse("2004-07-01T00:00:00", &t), -1); /* no offset */
    assert_int_equal(tiles_time_parse("2004-13-01", &t), -1);
    assert_int_equal(tiles_time_parse("yesterday", &t), -1);
    assert_int_equal(tiles_time_parse_interval("2000-01-01/2005-01-01", &a, &b), 0);
    assert_true(a < b);
    assert_int_equal(tiles_time_parse_interval("../2005-01-01", &a, &b), 0);
    assert_true(isinf(a) && a < 0);
    assert_int_equal(tiles_time_parse_interval("2005-01-01/", &a, &b), 0);
    assert_true(isinf(b) && b > 0);
    assert_int_equal(tiles_time_parse_interval("2005-01-01/2000-01-01", &a, &b), -1);
    assert_int_equal(tiles_time_parse_interval("../..", &a, &b), -1);
    char buf[40];
    tiles_time_format(1088640000.0, buf, sizeof buf);
    assert_string_equal(buf, "2004-07-01T00:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_tiles), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_pyramid_index), cmocka_unit_test(test_fit_bbox),
        cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
