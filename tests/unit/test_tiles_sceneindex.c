/* test_tiles_sceneindex.c — the pure parts of the scene index: metadata datetimes made
 * canonical, a folder's collection name, and a raster file's scene in the catalogue and as a
 * STAC Item (its own geometry, properties and assets; a fields filter on the Item leaves the
 * stored entry alone); a footprint against intersects geometries and bbox boxes. GDAL's side is tested against real files in test_scenes_index.py. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bake/rasterinfo.h"
#include "tiles/sceneindex.h"
#include "tiles/scenes.h"
#include "tiles/stac.h"
#include "tiles/stac_geom.h"

static void test_datetime_normalize(void **state)
{
    (void)state;
    char out[40];
    assert_int_equal(tiles_raster_datetime_normalize("2021:06:01 10:20:30", out, sizeof out), 0);
    assert_string_equal(out, "2021-06-01T10:20:30Z");
    assert_int_equal(tiles_raster_datetime_normalize("2021-06-01 10:20:30", out, sizeof out), 0);
    assert_string_equal(out, "2021-06-01T10:20:30Z");
    assert_int_equal(tiles_raster_datetime_normalize("2016-05-17T10:33:32.000Z", out, sizeof out), 0);
    assert_string_equal(out, "2016-05-17T10:33:32Z");
    assert_int_equal(tiles_raster_datetime_normalize("2016-05-17T12:33:32+02:00\n", out,
                                                     sizeof out), 0);
    assert_string_equal(out, "2016-05-17T10:33:32Z");
    assert_int_equal(tiles_raster_datetime_normalize("2021-06-01", out, sizeof out), 0);
    assert_string_equal(out, "2021-06-01T00:00:00Z");
    assert_int_equal(tiles_raster_datetime_normalize("2021:13:01 10:20:30", out, sizeof out), -1);
    assert_int_equal(tiles_raster_datetime_normalize("yesterday", out, sizeof out), -1);
    assert_int_equal(tiles_raster_datetime_normalize("", out, sizeof out), -1);
}

static void test_collection_name(void **state)
{
    (void)state;
    char n[64];
    tiles_scene_index_name("/data/Sentinel 2/", n, sizeof n);
    assert_string_equal(n, "sentinel_2");
    tiles_scene_index_name("imagery", n, sizeof n);
    assert_string_equal(n, "imagery");
    tiles_scene_index_name("/", n, sizeof n);
    assert_string_equal(n, "scenes");
    tiles_scene_index_name("/x/_hidden", n, sizeof n);
    assert_string_equal(n, "scenes"); /* a name may not start with '_' */
}

static void test_file_scene_item(void **state)
{
    (void)state;
    tiles_scene_index x;
    memset(&x, 0, sizeof x);
    strcpy(x.meta.name, "imagery");
    tiles_scene_file f[2];
    memset(f, 0, sizeof f);
    strcpy(f[0].id, "a");
    strcpy(f[0].ext, "tif");
    strcpy(f[0].media_type, "image/tiff; application=geotiff");
    strcpy(f[0].datetime, "2021-06-01T10:20:30Z");
    f[0].bbox[0] = 10, f[0].bbox[1] = 50, f[0].bbox[2] = 12, f[0].bbox[3] = 51;
    f[0].mean[1] = 200;
    f[0].coverage = 0.5;
    double ring[5][2] = {{10, 50}, {12, 50.2}, {11.8, 51}, {10, 51}, {10, 50}};
    f[0].ring = ring;
    f[0].nring = 5;
    f[0].properties_json = "{\"datetime\":\"2021-06-01T10:20:30Z\",\"proj:epsg\":32633,"
                           "\"raster:bands\":[{\"data_type\":\"uint16\"}]}";
    f[0].extensions_json = "[\"https://stac-extensions.github.io/raster/v1.1.0/schema.json\"]";
    f[0].naux = 1;
    strcpy(f[0].aux[0].ext, "tfw");
    f[1] = f[0];
    strcpy(f[1].id, "b");
    strcpy(f[1].datetime, "not a time"); /* skipped, not fatal */
    x.files = f;
    x.nfiles = 2;
    tiles_catalogue c = {0};
    err_t err;
    assert_int_equal(tiles_catalogue_build(NULL, 0, &c, &err), 0);
    assert_int_equal(tiles_catalogue_add_files(&c, &x, &err), 0);
    assert_int_equal(c.count, 1);
    const tiles_scene *s = tiles_catalogue_find(&c, "a");
    assert_non_null(s);
    assert_ptr_equal(s->file, &f[0]);
    assert_string_equal(s->layer, "imagery");
    assert_true(s->greenness > 1.9); /* mean (0, 200, 0) */

    json_t *item = tiles_scene_json(s, "https://maps.example.org");
    json_t *want = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[10,50],[12,50.2],"
                              "[11.8,51],[10,51],[10,50]]]}", JSON_DECODE_INT_AS_REAL, NULL);
    assert_true(json_equal(json_object_get(item, "geometry"), want));
    json_decref(want);
    json_t *p = json_object_get(item, "properties");
    assert_int_equal(json_integer_value(json_object_get(p, "proj:epsg")), 32633);
    assert_string_equal(json_string_value(json_object_get(p, "cartouche:layer")), "imagery");
    json_t *assets = json_object_get(item, "assets");
    assert_null(json_object_get(assets, "tiles"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(assets, "data"), "href")),
                        "https://maps.example.org/v1/scenes/a/original.tif");
    assert_string_equal(json_string_value(json_object_get(json_object_get(assets, "worldfile"),
                                                          "href")),
                        "https://maps.example.org/v1/scenes/a/original.tfw");
    assert_string_equal(json_string_value(json_object_get(json_object_get(assets, "preview"),
                                                          "href")),
                        "https://maps.example.org/v1/scenes/a/preview.png");
    json_t *exts = json_loads(f[0].extensions_json, 0, NULL);
    assert_true(json_equal(json_object_get(item, "stac_extensions"), exts));
    json_decref(exts);
    /* A fields filter edits the Item, never the stored entry. */
    stac_search ss;
    memset(&ss, 0, sizeof ss);
    ss.fields_mode = STAC_FIELDS_ALL;
    char *ex[] = {"properties.raster:bands", "geometry.coordinates"};
    ss.exclude = ex;
    ss.nexclude = 2;
    stac_fields_apply(&ss, item);
    assert_null(json_object_get(json_object_get(item, "properties"), "raster:bands"));
    json_decref(item);
    item = tiles_scene_json(s, "");
    assert_non_null(json_object_get(json_object_get(item, "properties"), "raster:bands"));
    assert_non_null(json_object_get(json_object_get(item, "geometry"), "coordinates"));
    json_decref(item);
    tiles_catalogue_free(&c);
}

static int geom(const char *json, tiles_geom *g)
{
    json_t *j = json_loads(json, 0, NULL);
    err_t err;
    int rc = tiles_geom_parse(j, g, "intersects", &err);
    json_decref(j);
    return rc;
}

/* A footprint like a UTM scene's: a quadrilateral tilted inside its bbox 0..10 x 0..10. */
static const double quad[5][2] = {{0, 2}, {8, 0}, {10, 8}, {2, 10}, {0, 2}};

static int hits(const char *json)
{
    tiles_geom g;
    assert_int_equal(geom(json, &g), 0);
    int r = tiles_geom_intersects_ring(&g, quad, 5);
    tiles_geom_free(&g);
    return r;
}

static void test_footprint_intersects(void **state)
{
    (void)state;
    assert_true(hits("{\"type\":\"Point\",\"coordinates\":[5,5]}"));
    assert_false(hits("{\"type\":\"Point\",\"coordinates\":[0.5,0.5]}")); /* bbox corner */
    assert_true(hits("{\"type\":\"Point\",\"coordinates\":[4,1]}"));     /* on an edge */
    assert_true(hits("{\"type\":\"Point\",\"coordinates\":[8,0]}"));     /* a vertex */
    assert_false(hits("{\"type\":\"MultiPoint\",\"coordinates\":[[9.5,0.5],[0.5,9.5]]}"));
    /* a line through the footprint with both ends outside it */
    assert_true(hits("{\"type\":\"LineString\",\"coordinates\":[[-5,5],[15,5]]}"));
    assert_false(hits("{\"type\":\"LineString\",\"coordinates\":[[0,1],[1,0]]}"));
    /* a polygon around it, one inside it, one in a corner of its bbox only */
    assert_true(hits("{\"type\":\"Polygon\",\"coordinates\":[[[-1,-1],[11,-1],[11,11],[-1,11],[-1,-1]]]}"));
    assert_true(hits("{\"type\":\"Polygon\",\"coordinates\":[[[4,4],[6,4],[6,6],[4,6],[4,4]]]}"));
    assert_false(hits("{\"type\":\"Polygon\",\"coordinates\":[[[9,0],[10,0],[10,1],[9,1],[9,0]]]}"));
    /* a polygon whose hole holds the whole footprint does not meet it */
    assert_false(hits("{\"type\":\"Polygon\",\"coordinates\":[[[-5,-5],[15,-5],[15,15],[-5,15],[-5,-5]],"
                      "[[-1,-1],[11,-1],[11,11],[-1,11],[-1,-1]]]}"));
    double in_corner[4] = {0, 0, 0.5, 0.5}, across[4] = {3, -1, 4, 11}, around[4] = {-1, -1, 11, 11},
           inside[4] = {4, 4, 5, 5};
    assert_false(tiles_ring_intersects_box(quad, 5, in_corner));
    assert_true(tiles_ring_intersects_box(quad, 5, across));
    assert_true(tiles_ring_intersects_box(quad, 5, around));
    assert_true(tiles_ring_intersects_box(quad, 5, inside));
    /* a box across the antimeridian meets a footprint on either side of it */
    static const double east[5][2] = {{175, 0}, {179, 0}, {179, 4}, {175, 4}, {175, 0}};
    double wrap[4] = {178, 1, -170, 2}, wrap_miss[4] = {179.5, 1, -170, 2};
    assert_true(tiles_ring_intersects_box(east, 5, wrap));
    assert_false(tiles_ring_intersects_box(east, 5, wrap_miss));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_datetime_normalize),
        cmocka_unit_test(test_collection_name),
        cmocka_unit_test(test_file_scene_item),
        cmocka_unit_test(test_footprint_intersects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
