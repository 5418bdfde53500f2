/* test_tiles_scenes.c — scene catalogue filters (bbox incl. the antimeridian, datetime
 * instants and intervals), sort orders (colour ranking, datetime, ties by id), limits and
 * parameter errors; and /v1/static parameter validation and view fitting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/query.h"
#include "tiles/layer.h"
#include "tiles/scenes.h"
#include "tiles/staticmap.h"
#include "tiles/tilemath.h"

/* Two layers: "world" with 4 scenes (quadrants, different colours, 2004) and a user image
 * across the antimeridian (2021). */
static tiles_scene_stat world_scenes[4] = {
    {"world-a", 1, 0, 0, {-180, 0, 0, 85}, {40, 120, 30}, 1},   /* green NW */
    {"world-b", 1, 1, 0, {0, 0, 180, 85}, {200, 180, 140}, 1},  /* sand NE */
    {"world-c", 1, 0, 1, {-180, -85, 0, 0}, {10, 30, 120}, 1},  /* blue SW */
    {"world-d", 1, 1, 1, {0, -85, 180, 0}, {60, 110, 50}, 1},   /* greenish SE */
};
static tiles_scene_stat fiji_scene[1] = {{"fiji", -1, 0, 0, {175, -20, -178, -15}, {20, 60, 140}, 1}};
static tiles_layer_meta world, fiji;
static tiles_catalogue cat;

static int setup(void **state)
{
    (void)state;
    memset(&world, 0, sizeof world);
    strcpy(world.name, "world");
    strcpy(world.datetime, "2004-07-01T00:00:00Z");
    strcpy(world.start_datetime, "2004-01-01T00:00:00Z");
    strcpy(world.end_datetime, "2004-12-31T23:59:59Z");
    world.scenes = world_scenes;
    world.nscenes = 4;
    memset(&fiji, 0, sizeof fiji);
    strcpy(fiji.name, "fiji");
    fiji.user = 1;
    strcpy(fiji.datetime, "2021-06-01T00:00:00Z");
    fiji.scenes = fiji_scene;
    fiji.nscenes = 1;
    const tiles_layer_meta *layers[2] = {&world, &fiji};
    err_t err;
    return tiles_catalogue_build(layers, 2, &cat, &err);
}

static int teardown(void **state)
{
    (void)state;
    tiles_catalogue_free(&cat);
    return 0;
}

/* Run a search from a raw query string; ids written space-separated into out. Returns the
 * parse result (0 or -1 with err). */
static int search(const char *raw, char *out, size_t cap, size_t *matched, err_t *err)
{
    query q;
    out[0] = 0;
    if (query_parse(raw, &q, 64, err) != 0)
        return -1;
    tiles_scene_query sq;
    int rc = tiles_scene_query_parse(&q, &sq, err);
    query_free(&q);
    if (rc != 0)
        return -1;
    size_t idx[TILES_SCENE_MAX_LIMIT];
    size_t n = tiles_catalogue_search(&cat, &sq, idx, matched);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, cat.scenes[idx[i]].id, cap - strlen(out) - 1);
    }
    return 0;
}

static void test_filters(void **state)
{
    (void)state;
    char ids[256];
    size_t m;
    err_t err;
    assert_int_equal(search("", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "fiji world-a world-b world-c world-d"); /* default: by id */
    assert_int_equal(search("bbox=10,10,20,20", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-b");
    /* Across the antimeridian: 170E..170W touches the eastern quadrants' edge, the western
     * ones' edge and Fiji. */
    assert_int_equal(search("bbox=170,-30,-170,-10", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "fiji world-c world-d");
    assert_int_equal(search("bbox=-100,-50,-90,-40", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-c");
    assert_int_equal(search("datetime=2021-01-01T00:00:00Z/..", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "fiji");
    assert_int_equal(search("datetime=2004-03-01", ids, sizeof ids, &m, &err), 0); /* in range */
    assert_string_equal(ids, "world-a world-b world-c world-d");
    assert_int_equal(search("datetime=../2003-12-31T00:00:00Z", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "");
    assert_int_equal(search("limit=2", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "fiji world-a");
    assert_int_equal(m, 5);
}

static void test_sort(void **state)
{
    (void)state;
    char ids[256];
    size_t m;
    err_t err;
    assert_int_equal(search("sortby=greenest", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-a world-d world-b fiji world-c");
    assert_int_equal(search("sortby=-greenness", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-a world-d world-b fiji world-c");
    assert_int_equal(search("sortby=%2Bgreenness", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-c fiji world-b world-d world-a");
    assert_int_equal(search("sortby=bluest&limit=1", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "world-c");
    assert_int_equal(search("sortby=-datetime,id", ids, sizeof ids, &m, &err), 0);
    assert_string_equal(ids, "fiji world-a world-b world-c world-d");
    assert_int_equal(search("sortby=brightest", ids, sizeof ids, &m, &err), 0);
    assert_true(strncmp(ids, "world-b", 7) == 0);
}

static void test_scene_errors(void **state)
{
    (void)state;
    char ids[256];
    size_t m;
    err_t err;
    assert_int_equal(search("sortby=reddest", ids, sizeof ids, &m, &err), -1);
    assert_string_equal(err.param, "sortby");
    assert_int_equal(search("datetime=2004-02-30", ids, sizeof ids, &m, &err), -1);
    assert_string_equal(err.param, "datetime");
    assert_int_equal(search("bbox=0,10,20", ids, sizeof ids, &m, &err), -1);
    assert_string_equal(err.param, "bbox");
    assert_int_equal(search("limit=5000", ids, sizeof ids, &m, &err), -1);
    assert_string_equal(err.param, "limit");
    assert_int_equal(search("colour=green", ids, sizeof ids, &m, &err), -1);
    assert_int_equal(err.kind, ERR_UNKNOWN_PARAM);
    /* JSON: an Item has what STAC clients need. */
    json_t *it = tiles_scene_json(tiles_catalogue_find(&cat, "world-a"), "http://h");
    assert_string_equal(json_string_value(json_object_get(it, "type")), "Feature");
    json_t *props = json_object_get(it, "properties");
    assert_string_equal(json_string_value(json_object_get(props, "datetime")),
                        "2004-07-01T00:00:00Z");
    json_t *thumb = json_object_get(json_object_get(it, "assets"), "thumbnail");
    assert_string_equal(json_string_value(json_object_get(thumb, "href")),
                        "http://h/v1/scenes/world-a/thumbnail.jpg");
    json_decref(it);
}

static int parse_static(const char *raw, tiles_static_req *r, err_t *err)
{
    query q;
    if (query_parse(raw, &q, 64, err) != 0)
        return -1;
    int rc = tiles_static_parse(&q, r, err);
    query_free(&q);
    return rc;
}

static void expect_static_error(const char *raw, const char *param)
{
    tiles_static_req r;
    err_t err = {0};
    if (parse_static(raw, &r, &err) == 0)
        fail_msg("'%s' was accepted", raw);
    if (strcmp(err.param, param) != 0)
        fail_msg("'%s': error names '%s', expected '%s' (%s)", raw, err.param, param, err.msg);
    tiles_static_free(&r);
}

static void test_static_params(void **state)
{
    (void)state;
    expect_static_error("center=0,0&zoom=7", "zoom");
    expect_static_error("center=0,0&zoom=abc", "zoom");
    expect_static_error("center=0,0", "zoom");
    expect_static_error("zoom=3", "center");
    expect_static_error("center=91,0&zoom=1", "center");
    expect_static_error("center=0,0&zoom=1&size=4096x10", "size");
    expect_static_error("center=0,0&zoom=1&size=100", "size");
    expect_static_error("center=0,0&zoom=1&scale=3", "scale");
    expect_static_error("center=0,0&zoom=1&format=gif", "format");
    expect_static_error("center=0,0&zoom=1&bbox=0,0,1,1", "bbox");
    expect_static_error("bbox=0,10,5,5", "bbox");
    expect_static_error("bbox=0,0,5,5&zoom=2", "zoom");
    expect_static_error("center=0,0&zoom=1&marker=1", "marker");
    expect_static_error("center=0,0&zoom=1&label=1,2", "label");
    expect_static_error("center=0,0&zoom=1&label=1,2,%FF", "label");
    expect_static_error("center=0,0&zoom=1&path=1,2", "path");
    expect_static_error("center=0,0&zoom=1&path=1,2;3", "path");
    expect_static_error("center=0,0&zoom=1&labels=roads", "labels");
    expect_static_error("center=0,0&zoom=1&layer=Bad%20Name", "layer");
    expect_static_error("center=0,0&zoom=1&colour=red", "colour");
    expect_static_error("center=0,0&zoom=1&center=1,1", "center"); /* duplicated */

    tiles_static_req r;
    err_t err;
    assert_int_equal(parse_static("center=51.5,-0.12&zoom=5&size=640x480&scale=2&format=png"
                                  "&marker=51.5,-0.12,London,%20UK&label=48.85,2.35,Paris"
                                  "&path=51.5,-0.12;48.85,2.35;52.52,13.4&labels=places",
                                  &r, &err), 0);
    assert_int_equal(r.zoom, 5);
    assert_int_equal(r.width, 640);
    assert_int_equal(r.scale, 2);
    assert_int_equal(r.format, IMG_PNG);
    assert_int_equal(r.nmarkers, 1);
    assert_string_equal(r.markers[0].text, "London, UK"); /* text may hold commas */
    assert_int_equal(r.npaths, 1);
    assert_int_equal(r.paths[0].n, 3);
    assert_true(r.places && !r.graticule);
    assert_string_equal(r.layer, "bluemarble");
    /* London sits at the image centre. */
    double world = tiles_world_size(5, 256);
    assert_true(fabs(tiles_lng_to_x(-0.12, world) - r.origin_x - 320) <= 1.0);
    assert_true(fabs(tiles_lat_to_y(51.5, world) - r.origin_y - 240) <= 1.0);
    tiles_static_free(&r);

    /* bbox auto-fit picks the zoom; the view stays inside the world vertically. */
    assert_int_equal(parse_static("bbox=-10,35,30,60&size=800x600", &r, &err), 0);
    assert_int_equal(r.zoom, 4);
    tiles_static_free(&r);
    assert_int_equal(parse_static("center=84,0&zoom=1&size=300x300", &r, &err), 0);
    assert_true(r.origin_y == 0);
    tiles_static_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filters), cmocka_unit_test(test_sort),
        cmocka_unit_test(test_scene_errors), cmocka_unit_test(test_static_params),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
