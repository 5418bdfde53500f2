/* test_tiles_stac.c — the STAC API's pure parts: GeoJSON geometries against scene boxes
 * (points, segments that cross a box with no end in it, polygons around a box, holes, the
 * antimeridian), search parameters from a query and from a JSON body (datetime rules, limits,
 * exclusive bbox/intersects), the Fields extension's include/exclude rules, and the paging
 * links of an ItemCollection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/query.h"
#include "tiles/stac.h"
#include "tiles/stac_geom.h"

static int geom_meets(const char *geojson, double w, double s, double e, double n)
{
    json_error_t je;
    json_t *j = json_loads(geojson, 0, &je);
    assert_non_null(j);
    tiles_geom g;
    err_t err;
    if (tiles_geom_parse(j, &g, "intersects", &err) != 0)
        fail_msg("'%s' refused: %s", geojson, err.msg);
    json_decref(j);
    double box[4] = {w, s, e, n};
    int r = tiles_geom_intersects_box(&g, box);
    tiles_geom_free(&g);
    return r;
}

static void geom_refused(const char *geojson)
{
    json_error_t je;
    json_t *j = json_loads(geojson, 0, &je);
    assert_non_null(j);
    tiles_geom g;
    err_t err = {0};
    if (tiles_geom_parse(j, &g, "intersects", &err) == 0)
        fail_msg("'%s' was accepted", geojson);
    assert_string_equal(err.param, "intersects");
    json_decref(j);
}

static void test_geometry(void **state)
{
    (void)state;
    /* points: inside, on the edge (closed box), outside */
    assert_true(geom_meets("{\"type\":\"Point\",\"coordinates\":[5,5]}", 0, 0, 10, 10));
    assert_true(geom_meets("{\"type\":\"Point\",\"coordinates\":[10,0]}", 0, 0, 10, 10));
    assert_false(geom_meets("{\"type\":\"Point\",\"coordinates\":[10.5,0]}", 0, 0, 10, 10));
    assert_false(geom_meets("{\"type\":\"MultiPoint\",\"coordinates\":[]}", -180, -90, 180, 90));
    /* a segment through the box with both ends outside; one that passes by its corner */
    assert_true(geom_meets("{\"type\":\"LineString\",\"coordinates\":[[-5,5],[15,5]]}", 0, 0, 10, 10));
    assert_false(geom_meets("{\"type\":\"LineString\",\"coordinates\":[[-5,9],[5,19]]}", 0, 0, 10, 10));
    assert_true(geom_meets("{\"type\":\"LineString\",\"coordinates\":[[-5,5],[5,15]]}", 0, 0, 10, 10));
    /* a zero-length segment is a point */
    assert_true(geom_meets("{\"type\":\"LineString\",\"coordinates\":[[3,3],[3,3]]}", 0, 0, 10, 10));
    /* a polygon around the box (no vertex inside, no edge crossing) meets it */
    const char *around = "{\"type\":\"Polygon\",\"coordinates\":[[[-50,-50],[50,-50],[50,50],"
                         "[-50,50],[-50,-50]]]}";
    assert_true(geom_meets(around, 0, 0, 10, 10));
    /* ... unless the box sits in a hole; a hole smaller than the box does not hide it */
    const char *holed = "{\"type\":\"Polygon\",\"coordinates\":[[[-50,-50],[50,-50],[50,50],"
                        "[-50,50],[-50,-50]],[[-1,-1],[11,-1],[11,11],[-1,11],[-1,-1]]]}";
    assert_false(geom_meets(holed, 0, 0, 10, 10));
    assert_true(geom_meets(holed, -20, -20, 20, 20));
    /* a triangle whose area misses the box although its bbox covers it */
    const char *tri = "{\"type\":\"Polygon\",\"coordinates\":[[[0,20],[20,0],[20,20],[0,20]]]}";
    assert_false(geom_meets(tri, 0, 0, 5, 5));
    assert_true(geom_meets(tri, 12, 12, 13, 13));
    /* boxes across the antimeridian: 170E..170W */
    assert_true(geom_meets("{\"type\":\"Point\",\"coordinates\":[175,0]}", 170, -10, -170, 10));
    assert_true(geom_meets("{\"type\":\"Point\",\"coordinates\":[-175,0]}", 170, -10, -170, 10));
    assert_false(geom_meets("{\"type\":\"Point\",\"coordinates\":[0,0]}", 170, -10, -170, 10));
    /* collections: any member */
    assert_true(geom_meets("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\","
                           "\"coordinates\":[50,50]},{\"type\":\"Point\",\"coordinates\":[1,1]}]}",
                           0, 0, 10, 10));
    assert_true(geom_meets("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[30,30],[31,30],[31,31],"
                           "[30,30]]],[[[2,2],[3,2],[3,3],[2,2]]]]}", 0, 0, 10, 10));

    geom_refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}");
    geom_refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}");
    geom_refused("{\"type\":\"Polygon\",\"coordinates\":[]}");
    geom_refused("{\"type\":\"Point\",\"coordinates\":[181,0]}");
    geom_refused("{\"type\":\"Point\",\"coordinates\":[0,\"1\"]}");
    geom_refused("{\"type\":\"Point\",\"coordinates\":[0,1,2,3]}");
    geom_refused("{\"type\":\"LineString\",\"coordinates\":[[0,0]]}");
    geom_refused("{\"type\":\"Feature\",\"coordinates\":[0,0]}");
    geom_refused("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"GeometryCollection\","
                 "\"geometries\":[]}]}");
    geom_refused("[0,0]");
}

/* Parse a GET query for ep; 0 or -1 with err.param checked against param. */
static int from_query(const char *raw, stac_endpoint ep, stac_search *s, const char *param)
{
    query q;
    err_t err = {0};
    assert_int_equal(query_parse(raw, &q, 64, &err), 0);
    int rc = stac_search_from_query(&q, ep, s, &err);
    query_free(&q);
    if (rc != 0 && param && strcmp(err.param, param) != 0)
        fail_msg("'%s': error names '%s' (%s), expected '%s'", raw, err.param, err.msg, param);
    return rc;
}

static void accepts(const char *raw, stac_endpoint ep)
{
    stac_search s;
    if (from_query(raw, ep, &s, NULL) != 0)
        fail_msg("'%s' was refused", raw);
    stac_search_free(&s);
}

static void refuses(const char *raw, stac_endpoint ep, const char *param)
{
    stac_search s;
    if (from_query(raw, ep, &s, param) == 0) {
        stac_search_free(&s);
        fail_msg("'%s' was accepted", raw);
    }
}

static void test_query_params(void **state)
{
    (void)state;
    stac_search s;
    assert_int_equal(from_query("", STAC_SEARCH, &s, NULL), 0);
    assert_int_equal(s.q.limit, STAC_DEFAULT_LIMIT);
    stac_search_free(&s);
    assert_int_equal(from_query("limit=999999", STAC_SEARCH, &s, NULL), 0);
    assert_int_equal(s.q.limit, TILES_SCENE_MAX_LIMIT); /* past the maximum: the maximum */
    stac_search_free(&s);
    assert_int_equal(from_query("", STAC_SCENES, &s, NULL), 0);
    assert_int_equal(s.q.limit, 100);
    stac_search_free(&s);
    assert_int_equal(from_query("ids=a,b&collections=c&token=7&bbox=1,2,0,3,4,9", STAC_SEARCH,
                                &s, NULL), 0);
    assert_int_equal(s.q.nids, 2);
    assert_string_equal(s.q.ids[1], "b");
    assert_int_equal(s.q.offset, 7);
    assert_true(s.q.has_bbox && s.q.bbox[2] == 3 && s.q.bbox[3] == 4);
    stac_search_free(&s);

    accepts("datetime=2004-06-01T00:00:00Z", STAC_SEARCH);
    accepts("datetime=2004-06-01t00:00:00.123456789z", STAC_SEARCH);
    accepts("datetime=2004-06-01T00:00:00%2B02:00/..", STAC_SEARCH);
    accepts("datetime=/2004-06-01T00:00:00Z", STAC_SEARCH);
    accepts("datetime=2004-06-01T00:00:00Z/", STAC_SEARCH);
    accepts("datetime=2000-01-01/2000-12-31", STAC_SCENES); /* the first search took dates */
    refuses("datetime=2000-01-01/2000-12-31", STAC_SEARCH, "datetime");
    refuses("datetime=2004-06-01T00:00:00", STAC_SEARCH, "datetime");
    refuses("datetime=2004-06-01T00:00:00%2B0200", STAC_SEARCH, "datetime");
    refuses("datetime=2004-06-31T00:00:00Z", STAC_SEARCH, "datetime");
    refuses("datetime=../..", STAC_SEARCH, "datetime");
    refuses("datetime=/", STAC_SEARCH, "datetime");
    refuses("datetime=2005-01-01T00:00:00Z/2004-01-01T00:00:00Z", STAC_SEARCH, "datetime");
    refuses("limit=0", STAC_SEARCH, "limit");
    refuses("limit=1e3", STAC_SEARCH, "limit");
    refuses("token=-1", STAC_SEARCH, "token");
    refuses("bbox=1,2,3", STAC_SEARCH, "bbox");
    refuses("bbox=0,0,1,1&intersects=%7B%22type%22:%22Point%22,%22coordinates%22:[0,0]%7D",
            STAC_SEARCH, "intersects");
    refuses("ids=a", STAC_ITEMS, "ids");
    refuses("sortby=assets", STAC_SEARCH, "sortby");
    refuses("fields=a,,b", STAC_SEARCH, "fields");
}

static int from_body(const char *body, stac_search *s, err_t *err)
{
    json_error_t je;
    json_t *j = json_loads(body, 0, &je);
    assert_non_null(j);
    int rc = stac_search_from_json(j, s, err);
    json_decref(j);
    return rc;
}

static void test_body_params(void **state)
{
    (void)state;
    stac_search s;
    err_t err = {0};
    assert_int_equal(from_body("{\"sortby\":[{\"field\":\"properties.datetime\",\"direction\":"
                               "\"desc\"},{\"field\":\"id\"}],\"limit\":3,\"collections\":[]}",
                               &s, &err), 0);
    assert_int_equal(s.q.nsort, 2);
    assert_true(s.q.sort[0].field == TILES_SORT_DATETIME && s.q.sort[0].desc);
    assert_true(s.q.sort[1].field == TILES_SORT_ID && !s.q.sort[1].desc);
    assert_non_null(s.q.collections); /* an empty list: nothing matches */
    assert_int_equal(s.q.ncollections, 0);
    stac_search_free(&s);
    assert_int_equal(from_body("{\"filter\":{}}", &s, &err), -1);
    assert_int_equal(err.kind, ERR_UNKNOWN_PARAM);
    assert_string_equal(err.param, "filter");
    assert_int_equal(from_body("{\"limit\":2.5}", &s, &err), -1);
    assert_string_equal(err.param, "limit");
    assert_int_equal(from_body("{\"bbox\":[0,0,\"1\",1]}", &s, &err), -1);
    assert_string_equal(err.param, "bbox");
}

/* Apply fields (a GET value, or a POST object when it starts with '{') to a small Item. */
static char *select_fields(const char *fields)
{
    stac_search s;
    err_t err = {0};
    if (fields[0] == '{') {
        char body[256];
        snprintf(body, sizeof body, "{\"fields\":%s}", fields);
        assert_int_equal(from_body(body, &s, &err), 0);
    } else {
        char raw[256];
        snprintf(raw, sizeof raw, "fields=%s", fields);
        assert_int_equal(from_query(raw, STAC_SEARCH, &s, NULL), 0);
    }
    json_t *item = json_pack("{s:s,s:s,s:s,s:n,s:{s:s,s:i,s:i},s:{s:{s:s}}}", "type", "Feature",
                             "stac_version", "1.0.0", "id", "x", "geometry", "properties",
                             "datetime", "2004-01-01T00:00:00Z", "a", 1, "b", 2, "assets", "t",
                             "href", "/t.jpg");
    stac_fields_apply(&s, item);
    stac_search_free(&s);
    char *txt = json_dumps(item, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(item);
    return txt;
}

static void expect_fields(const char *fields, const char *want)
{
    char *got = select_fields(fields);
    if (strcmp(got, want) != 0)
        fail_msg("fields '%s': got %s, expected %s", fields, got, want);
    free(got);
}

static void test_fields(void **state)
{
    (void)state;
    const char *dflt = "{\"assets\":{\"t\":{\"href\":\"/t.jpg\"}},\"geometry\":null,\"id\":\"x\","
                       "\"properties\":{\"datetime\":\"2004-01-01T00:00:00Z\"},\"stac_version\":"
                       "\"1.0.0\",\"type\":\"Feature\"}";
    expect_fields("", dflt);
    expect_fields("{}", dflt);
    expect_fields("{\"include\":null,\"exclude\":null}", dflt);
    expect_fields("id,properties.a", "{\"id\":\"x\",\"properties\":{\"a\":1}}");
    expect_fields("-geometry,-assets", "{\"id\":\"x\",\"properties\":{\"datetime\":"
                                       "\"2004-01-01T00:00:00Z\"},\"stac_version\":\"1.0.0\","
                                       "\"type\":\"Feature\"}");
    /* POST, include missing: all but the excluded */
    expect_fields("{\"exclude\":[\"geometry\",\"properties.a\",\"assets\",\"type\","
                  "\"stac_version\"]}",
                  "{\"id\":\"x\",\"properties\":{\"b\":2,\"datetime\":\"2004-01-01T00:00:00Z\"}}");
    /* the most specific path wins; include wins a tie */
    expect_fields("id,-properties,properties.b", "{\"id\":\"x\",\"properties\":{\"b\":2}}");
    expect_fields("properties,-properties.datetime,-properties.a",
                  "{\"properties\":{\"b\":2}}");
    expect_fields("id,-id", "{\"id\":\"x\"}");
    expect_fields("id,properties.nope", "{\"id\":\"x\"}");
}

/* Paging links of an ItemCollection over a small catalogue. */
static tiles_scene_stat stats[3] = {
    {"s-a", 2, 0, 0, {0, 0, 10, 10}, {10, 200, 10}, 1},
    {"s-b", 2, 1, 0, {10, 0, 20, 10}, {10, 10, 200}, 1},
    {"s-c", 2, 2, 0, {20, 0, 30, 10}, {200, 10, 10}, 1},
};

static json_t *find_link(json_t *doc, const char *rel)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(doc, "links"), i, l)
        if (!strcmp(json_string_value(json_object_get(l, "rel")), rel))
            return l;
    return NULL;
}

static void test_paging_links(void **state)
{
    (void)state;
    tiles_layer_meta m;
    memset(&m, 0, sizeof m);
    strcpy(m.name, "s");
    strcpy(m.datetime, "2004-07-01T00:00:00Z");
    m.scenes = stats;
    m.nscenes = 3;
    const tiles_layer_meta *layers[1] = {&m};
    tiles_catalogue cat;
    err_t err;
    assert_int_equal(tiles_catalogue_build(layers, 1, &cat, &err), 0);

    query q;
    stac_search s;
    assert_int_equal(query_parse("limit=2&sortby=-id", &q, 64, &err), 0);
    assert_int_equal(stac_search_from_query(&q, STAC_SEARCH, &s, &err), 0);
    json_t *doc = stac_item_collection_json(&cat, &s, "", "/v1/stac/search", &q, NULL);
    json_t *f0 = json_array_get(json_object_get(doc, "features"), 0);
    assert_string_equal(json_string_value(json_object_get(f0, "id")), "s-c");
    assert_string_equal(json_string_value(json_object_get(find_link(doc, "next"), "href")),
                        "/v1/stac/search?limit=2&sortby=-id&token=2");
    assert_null(find_link(doc, "prev"));
    json_decref(doc);
    stac_search_free(&s);
    query_free(&q);

    /* the last page: a prev link, no next */
    assert_int_equal(query_parse("limit=2&token=2", &q, 64, &err), 0);
    assert_int_equal(stac_search_from_query(&q, STAC_SEARCH, &s, &err), 0);
    doc = stac_item_collection_json(&cat, &s, "https://h", "/v1/stac/search", &q, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "features")), 1);
    assert_null(find_link(doc, "next"));
    assert_string_equal(json_string_value(json_object_get(find_link(doc, "prev"), "href")),
                        "https://h/v1/stac/search?limit=2");
    json_decref(doc);
    stac_search_free(&s);
    query_free(&q);

    /* POST: the next link says which body to merge */
    assert_int_equal(from_body("{\"limit\":1}", &s, &err), 0);
    doc = stac_item_collection_json(&cat, &s, "", "/v1/stac/search", NULL, NULL);
    json_t *next = find_link(doc, "next");
    assert_string_equal(json_string_value(json_object_get(next, "method")), "POST");
    assert_true(json_is_true(json_object_get(next, "merge")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(next, "body"), "token")),
                        "1");
    json_decref(doc);
    stac_search_free(&s);
    tiles_catalogue_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry), cmocka_unit_test(test_query_params),
        cmocka_unit_test(test_body_params), cmocka_unit_test(test_fields),
        cmocka_unit_test(test_paging_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
