/* test_tiles_bake.c — GDAL's warp of Blue Marble into Mercator tiles as the bake does it
 * (colours at known places, no seams at tile edges or the antimeridian, a 512 px band equal to
 * the next zoom's 256 px tiles), plain images placed on longitude/latitude bounds (filters,
 * partial and antimeridian-crossing images), tile archives (PMTiles and MBTiles written and read
 * back), and baking a user image as a layer end to end, in both archive kinds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiles/codec.h"
#include "tiles/georaster.h"
#include "tiles/layer.h"
#include "tiles/pack.h"
#include "tiles/pmtiles.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"

#define BLUEMARBLE "/usr/share/marble/data/maps/earth/bluemarble/bluemarble.jpg"

static const double world[4] = {-180, -90, 180, 90};
static tiles_georaster *bm;

static int setup(void **state)
{
    (void)state;
    err_t err;
    if (!(bm = tiles_georaster_open_lonlat(BLUEMARBLE, world, &err))) {
        fprintf(stderr, "%s (install marble-qt-data and libgdal32)\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tiles_georaster_close(bm);
    return 0;
}

/* Render one tile alone. */
static uint8_t *tile(tiles_georaster *g, int z, int x, int y, int size)
{
    uint8_t *px = malloc((size_t)size * size * 4);
    err_t err;
    assert_non_null(px);
    if (tiles_georaster_warp_band(g, z, y, x, x, size, px, &err) != 0)
        fail_msg("z%d %d/%d: %s", z, x, y, err.msg);
    return px;
}

/* Pixel of (lat, lng) in its tile at zoom z. */
static const uint8_t *pixel_at(tiles_georaster *g, double lat, double lng, int z, int size,
                               uint8_t **owned)
{
    int tx, ty;
    tiles_tile_of(lat, lng, z, &tx, &ty);
    double w = tiles_world_size(z, size);
    int px = (int)(tiles_lng_to_x(lng, w)) - tx * size;
    int py = (int)(tiles_lat_to_y(lat, w)) - ty * size;
    *owned = tile(g, z, tx, ty, size);
    return *owned + ((size_t)py * size + px) * 4;
}

/* A plain PNG of r written to dir/name, opened as spanning bounds b. */
static tiles_georaster *open_png(const char *dir, const char *name, const tiles_raster *r,
                                 const double b[4])
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unsigned char *png;
    size_t len;
    err_t err;
    assert_int_equal(tiles_codec_encode_png(r, &png, &len, &err), 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(png);
    tiles_georaster *g = tiles_georaster_open_lonlat(path, b, &err);
    if (!g)
        fail_msg("%s: %s", path, err.msg);
    return g;
}

static void test_known_places(void **state)
{
    (void)state;
    uint8_t *t;
    /* Open Pacific, south of Hawaii: deep (dark) blue; the source there is about (2,0,20). */
    const uint8_t *p = pixel_at(bm, 5.0, -150.0, 3, 256, &t);
    assert_true(p[2] >= p[0] + 10 && p[2] >= p[1] + 10 && p[0] < 40 && p[1] < 40);
    assert_int_equal(p[3], 255);
    free(t);
    /* Sahara (Libyan desert): sand — red high, blue well below red. */
    p = pixel_at(bm, 25.0, 20.0, 4, 512, &t);
    assert_true(p[0] > 150 && p[0] > p[2] + 40 && p[1] > p[2]);
    free(t);
    /* Antarctica at the bottom of the world: near white. */
    p = pixel_at(bm, -80.0, 40.0, 2, 256, &t);
    assert_true(p[0] > 200 && p[1] > 200 && p[2] > 200);
    free(t);
    /* Amazon rainforest: green dominates. */
    p = pixel_at(bm, -4.0, -63.0, 5, 256, &t);
    assert_true(p[1] > p[0] && p[1] > p[2]);
    free(t);
    /* Coastlines where they are: Gibraltar's strait (sea at 35.95N 5.6W, Spain 1/3 degree north,
     * Morocco 1/3 degree south), at z6 where a pixel is 0.02 degrees. */
    p = pixel_at(bm, 35.97, -5.55, 6, 512, &t);
    int sea = p[2] > p[0] + 15;
    free(t);
    p = pixel_at(bm, 37.0, -5.5, 6, 512, &t);
    int spain = p[0] > p[2];
    free(t);
    p = pixel_at(bm, 35.0, -5.5, 6, 512, &t);
    int morocco = p[0] > p[2];
    free(t);
    assert_true(sea && spain && morocco);
}

/* Mean absolute difference between column ca of a and column cb of b (RGB). */
static double col_diff(const uint8_t *a, int ca, const uint8_t *b, int cb, int size)
{
    double s = 0;
    for (int y = 0; y < size; y++)
        for (int c = 0; c < 3; c++)
            s += fabs((double)a[((size_t)y * size + ca) * 4 + c] -
                      b[((size_t)y * size + cb) * 4 + c]);
    return s / (size * 3.0);
}

static double row_diff(const uint8_t *a, int ra, const uint8_t *b, int rb, int size)
{
    double s = 0;
    for (int x = 0; x < size; x++)
        for (int c = 0; c < 3; c++)
            s += fabs((double)a[((size_t)ra * size + x) * 4 + c] -
                      b[((size_t)rb * size + x) * 4 + c]);
    return s / (size * 3.0);
}

/* Across an edge the step must look like any step inside the tile. */
static void assert_no_seam_x(int z, int xa, int xb, int y, int size)
{
    uint8_t *a = tile(bm, z, xa, y, size), *b = tile(bm, z, xb, y, size);
    double edge = col_diff(a, size - 1, b, 0, size);
    double inside = (col_diff(a, size - 2, a, size - 1, size) + col_diff(b, 0, b, 1, size)) / 2;
    if (!(edge <= 2.0 * inside + 1.0))
        fail_msg("seam between z%d %d/%d and %d/%d: edge %.2f, inside %.2f", z, xa, y, xb, y,
                 edge, inside);
    for (int i = 0; i < size * size; i++) /* and no transparent (black) border */
        if (a[i * 4 + 3] != 255 || b[i * 4 + 3] != 255)
            fail_msg("z%d: pixel %d not opaque", z, i);
    free(a);
    free(b);
}

static void test_no_seams(void **state)
{
    (void)state;
    assert_no_seam_x(3, 3, 4, 2, 256); /* Europe, vertical edge */
    assert_no_seam_x(5, 16, 17, 12, 512);
    assert_no_seam_x(3, 7, 0, 4, 256); /* antimeridian: last column wraps to the first */
    assert_no_seam_x(6, 63, 0, 35, 256);
    assert_no_seam_x(6, 63, 0, 1, 512); /* near the top of the world */
    /* Horizontal edge between rows. */
    uint8_t *a = tile(bm, 4, 8, 5, 256), *b = tile(bm, 4, 8, 6, 256);
    double edge = row_diff(a, 255, b, 0, 256);
    double inside = (row_diff(a, 254, a, 255, 256) + row_diff(b, 0, b, 1, 256)) / 2;
    assert_true(edge <= 2.0 * inside + 1.0);
    free(a);
    free(b);
}

/* The bake cuts the 256 px tiles of zoom z + 1 from the bands of 512 px tiles of zoom z: the
 * same pixels as those tiles warped alone, and a tile inside a band is the tile alone. */
static void test_band_gives_next_zoom(void **state)
{
    (void)state;
    const int z = 3, y = 3;
    uint8_t *band = malloc((size_t)8 * 512 * 512 * 4);
    err_t err;
    assert_int_equal(tiles_georaster_warp_band(bm, z, y, 0, 7, 512, band, &err), 0);
    const int kids[3][2] = {{10, 6}, {11, 7}, {15, 7}}; /* z4 tiles inside band z3 row 3 */
    for (int k = 0; k < 3; k++) {
        uint8_t *alone = tile(bm, z + 1, kids[k][0], kids[k][1], 256);
        int x0 = kids[k][0] * 256, y0 = (kids[k][1] - 2 * y) * 256, worst = 0;
        for (int r = 0; r < 256; r++)
            for (int i = 0; i < 256 * 4; i++) {
                int d = abs(band[((size_t)(y0 + r) * 8 * 512) * 4 + (size_t)x0 * 4 + i] -
                            alone[(size_t)r * 256 * 4 + i]);
                worst = d > worst ? d : worst;
            }
        if (worst > 1)
            fail_msg("z4 %d/%d differs from its band by %d", kids[k][0], kids[k][1], worst);
        free(alone);
    }
    free(band);
}

static void test_synthetic_filters(void **state)
{
    (void)state;
    char dir[] = "/tmp/cartouche-test-filters-XXXXXX";
    assert_non_null(mkdtemp(dir));
    /* Constant source: every filter must reproduce the constant exactly (weights sum to 1). */
    tiles_raster c = {64, 32, 4, malloc(64 * 32 * 4)};
    for (int i = 0; i < 64 * 32; i++) {
        c.px[i * 4] = 200;
        c.px[i * 4 + 1] = 100;
        c.px[i * 4 + 2] = 50;
        c.px[i * 4 + 3] = 255;
    }
    tiles_georaster *g = open_png(dir, "constant.png", &c, world);
    for (int z = 0; z <= 4; z += 4) {
        uint8_t *t = tile(g, z, 0, 0, 256);
        for (int i = 0; i < 256 * 256; i++)
            if (t[i * 4] != 200 || t[i * 4 + 1] != 100 || t[i * 4 + 2] != 50 || t[i * 4 + 3] != 255)
                fail_msg("constant source not reproduced at z%d pixel %d", z, i);
        free(t);
    }
    tiles_georaster_close(g);
    tiles_raster_free(&c);

    /* Downsampling averages: a 1-px checkerboard at 8 source px per output px gives mid-grey,
     * not aliasing patterns. */
    tiles_raster k = {2048, 1024, 4, malloc(2048 * 1024 * 4)};
    for (int y = 0; y < 1024; y++)
        for (int x = 0; x < 2048; x++) {
            uint8_t v = ((x + y) & 1) ? 255 : 0;
            uint8_t *p = k.px + ((size_t)y * 2048 + x) * 4;
            p[0] = p[1] = p[2] = v;
            p[3] = 255;
        }
    g = open_png(dir, "checker.png", &k, world);
    uint8_t *t = tile(g, 0, 0, 0, 256);
    for (int y = 100; y < 156; y++) /* near the equator, where rows shrink the most */
        for (int x = 0; x < 256; x++) {
            int v = t[((size_t)y * 256 + x) * 4];
            if (v < 110 || v > 145)
                fail_msg("checkerboard downsampled to %d at %d,%d", v, x, y);
        }
    free(t);
    tiles_georaster_close(g);
    tiles_raster_free(&k);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_partial_source(void **state)
{
    (void)state;
    char dir[] = "/tmp/cartouche-test-partial-XXXXXX";
    assert_non_null(mkdtemp(dir));
    tiles_raster r = {100, 100, 4, malloc(100 * 100 * 4)};
    memset(r.px, 255, 100 * 100 * 4);
    const double europe[4] = {10, 40, 20, 50}; /* central Europe, opaque white */
    assert_true(tiles_bounds_cover_tile(world, 6, 63, 63));
    assert_true(tiles_bounds_cover_tile(europe, 0, 0, 0));
    assert_true(tiles_bounds_cover_tile(europe, 3, 4, 2));
    assert_false(tiles_bounds_cover_tile(europe, 3, 3, 2));
    assert_false(tiles_bounds_cover_tile(europe, 3, 4, 4));
    tiles_georaster *g = open_png(dir, "europe.png", &r, europe);
    double b[4];
    tiles_georaster_bounds(g, b);
    assert_memory_equal(b, europe, sizeof b);
    uint8_t *own;
    const uint8_t *p = pixel_at(g, 45.0, 15.0, 5, 256, &own);
    assert_int_equal(p[3], 255);
    free(own);
    p = pixel_at(g, 45.0, 25.0, 5, 256, &own); /* same tile row, east of the image */
    assert_int_equal(p[3], 0);
    free(own);
    p = pixel_at(g, 45.0, 10.05, 6, 512, &own); /* just inside its west edge */
    assert_int_equal(p[3], 255);
    free(own);
    p = pixel_at(g, 45.0, 9.95, 6, 512, &own); /* just outside */
    assert_int_equal(p[3], 0);
    free(own);
    tiles_georaster_close(g);
    /* Across the antimeridian: 170E..170W, with the western half red and the eastern blue. */
    for (int i = 0; i < 100 * 100; i++) {
        r.px[i * 4] = i % 100 < 50 ? 255 : 0;
        r.px[i * 4 + 1] = 0;
        r.px[i * 4 + 2] = i % 100 < 50 ? 0 : 255;
    }
    const double am[4] = {170, -10, -170, 10};
    assert_true(tiles_bounds_cover_tile(am, 2, 0, 1));
    assert_true(tiles_bounds_cover_tile(am, 2, 3, 1));
    assert_false(tiles_bounds_cover_tile(am, 2, 1, 1));
    g = open_png(dir, "am.png", &r, am);
    tiles_georaster_bounds(g, b);
    assert_memory_equal(b, am, sizeof b);
    p = pixel_at(g, 0.0, 175.0, 4, 256, &own); /* red side, east of 180 in the image */
    assert_true(p[3] == 255 && p[0] == 255 && p[2] == 0);
    free(own);
    p = pixel_at(g, 0.0, -175.0, 4, 256, &own); /* blue side */
    assert_true(p[3] == 255 && p[0] == 0 && p[2] == 255);
    free(own);
    p = pixel_at(g, 0.0, -165.0, 4, 256, &own); /* beyond the image's east edge */
    assert_int_equal(p[3], 0);
    free(own);
    tiles_georaster_close(g);
    tiles_raster_free(&r);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Tile ids of the PMTiles specification's examples (z0, the four z1 tiles along the Hilbert
 * curve, the first and last of z2 and a deep tile). */
static void test_pmtiles_tile_id(void **state)
{
    (void)state;
    assert_int_equal(tiles_pmtiles_tile_id(0, 0, 0), 0);
    assert_int_equal(tiles_pmtiles_tile_id(1, 0, 0), 1);
    assert_int_equal(tiles_pmtiles_tile_id(1, 0, 1), 2);
    assert_int_equal(tiles_pmtiles_tile_id(1, 1, 1), 3);
    assert_int_equal(tiles_pmtiles_tile_id(1, 1, 0), 4);
    assert_int_equal(tiles_pmtiles_tile_id(2, 0, 0), 5);
    assert_int_equal(tiles_pmtiles_tile_id(2, 3, 0), 20);
    /* Every id of zooms 0..6 once, in 0..5460. */
    static unsigned char seen[5461];
    memset(seen, 0, sizeof seen);
    for (int z = 0; z <= 6; z++)
        for (int x = 0; x < (1 << z); x++)
            for (int y = 0; y < (1 << z); y++) {
                uint64_t id = tiles_pmtiles_tile_id(z, x, y);
                assert_true(id < 5461);
                assert_int_equal(seen[id], 0);
                seen[id] = 1;
            }
}

static void round_trip(tiles_archive_kind kind, const char *name, int ntiles)
{
    char dir[] = "/tmp/cartouche-test-archive-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    err_t err;
    tiles_archive_info in = {TILES_TILE_PNG, 0, 8, {5, 40, 15, 50}, {10, 45, 6}, "t", "test",
                             "© test"};
    tiles_pack_writer *w = tiles_pack_create(path, kind, &in, &err);
    assert_non_null(w);
    assert_int_equal(tiles_pack_add(w, 0, 0, 0, "zero", 4, &err), 0);
    assert_int_equal(tiles_pack_add(w, 3, 7, 5, "three-seven-five", 16, &err), 0);
    assert_int_equal(tiles_pack_add(w, 9, 0, 0, "x", 1, &err), -1); /* beyond maxzoom */
    /* Many tiles at z8, added out of order: leaf directories for PMTiles. */
    for (int i = ntiles - 1; i >= 0; i--) {
        char b[32];
        int n = snprintf(b, sizeof b, "tile-%d", i);
        assert_int_equal(tiles_pack_add(w, 8, i % 256, i / 256, b, (size_t)n, &err), 0);
    }
    assert_int_equal(tiles_pack_finish(w, &err), 0);
    struct stat st;
    snprintf(path + strlen(path), sizeof path - strlen(path), ".tmp");
    assert_int_equal(stat(path, &st), -1); /* nothing left behind */
    path[strlen(path) - 4] = 0;

    tiles_pack p;
    assert_int_equal(tiles_pack_open(&p, path, &err), 0);
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.tiles, ntiles + 2);
    assert_int_equal(p.info.format, TILES_TILE_PNG);
    assert_int_equal(p.info.maxzoom, 8);
    assert_true(fabs(p.info.bounds[1] - 40) < 1e-6 && fabs(p.info.bounds[2] - 15) < 1e-6);
    assert_string_equal(p.info.attribution, "© test");
    assert_string_equal(p.info.description, "test");
    unsigned char *d;
    size_t n;
    assert_int_equal(tiles_pack_read(&p, 3, 7, 5, &d, &n, &err), 0);
    assert_int_equal(n, 16);
    assert_memory_equal(d, "three-seven-five", 16);
    free(d);
    for (int i = 0; i < ntiles; i += 97) {
        char b[32];
        int len = snprintf(b, sizeof b, "tile-%d", i);
        assert_int_equal(tiles_pack_read(&p, 8, i % 256, i / 256, &d, &n, &err), 0);
        assert_int_equal(n, (size_t)len);
        assert_memory_equal(d, b, n);
        free(d);
    }
    assert_true(tiles_pack_has(&p, 0, 0, 0));
    assert_false(tiles_pack_has(&p, 3, 7, 4));
    assert_false(tiles_pack_has(&p, 3, 8, 0));
    assert_int_equal(tiles_pack_read(&p, 3, 7, 4, &d, &n, &err), -1);
    assert_int_equal(err.kind, ERR_NOT_FOUND);
    long long off;
    if (kind == TILES_ARCHIVE_PMTILES) {
        /* The byte range is the tile, in the archive's own file. */
        assert_int_equal(tiles_pack_lookup(&p, 0, 0, 0, &off, &n), 0);
        char b[4];
        assert_int_equal(pread(p.fd, b, 4, off), 4);
        assert_memory_equal(b, "zero", 4);
    } else {
        assert_int_equal(tiles_pack_lookup(&p, 0, 0, 0, &off, &n), 0); /* blobs: no range */
        assert_true(off == -1 && n == 0);
        assert_int_equal(tiles_pack_lookup(&p, 3, 7, 4, &off, &n), -1);
    }
    tiles_pack_close(&p);
    /* A truncated archive is refused with a reason. */
    assert_int_equal(truncate(path, 200), 0);
    assert_int_equal(tiles_pack_open(&p, path, &err), -1);
    assert_non_null(strstr(err.msg, path));
    unlink(path);
    rmdir(dir);
}

static void test_pmtiles_round_trip(void **state)
{
    (void)state;
    round_trip(TILES_ARCHIVE_PMTILES, "t.pmtiles", 20);
    round_trip(TILES_ARCHIVE_PMTILES, "t.pmtiles", 65536); /* root + leaves */
}

static void test_mbtiles_round_trip(void **state)
{
    (void)state;
    round_trip(TILES_ARCHIVE_MBTILES, "t.mbtiles", 300);
}

/* Bake a small user image (10x10 degrees over the Alps) as a layer. */
static void test_bake_user_layer(void **state)
{
    (void)state;
    char dir[] = "/tmp/cartouche-test-bake-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char img[256], path[512];
    snprintf(img, sizeof img, "%s/alps.png", dir);
    tiles_raster r = {200, 200, 4, malloc(200 * 200 * 4)};
    for (int i = 0; i < 200 * 200; i++) {
        r.px[i * 4] = 20;
        r.px[i * 4 + 1] = 180;
        r.px[i * 4 + 2] = 40;
        r.px[i * 4 + 3] = 255;
    }
    unsigned char *png;
    size_t len;
    err_t err;
    assert_int_equal(tiles_codec_encode_png(&r, &png, &len, &err), 0);
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    fwrite(png, 1, len, f);
    fclose(f);
    free(png);
    tiles_raster_free(&r);

    char *argv[] = {"bake", "--assets", dir, "--image", img, "--bounds", "5,40,15,50",
                    "--layer", "alps", "--datetime", "2021-06-01T00:00:00Z", NULL};
    assert_int_equal(tiles_bake_main(11, argv), 0);
    snprintf(path, sizeof path, "%s/baked/tiles/alps.layer.json", dir);
    tiles_layer_meta m;
    assert_int_equal(tiles_layer_read(path, &m, &err), 0);
    assert_true(m.user && m.has_alpha);
    assert_string_equal(m.datetime, "2021-06-01T00:00:00Z");
    assert_int_equal(m.nscenes, 1);
    assert_true(m.scenes[0].mean[1] > 170 && m.scenes[0].mean[0] < 30);
    tiles_layer_free(&m);

    tiles_pack p;
    snprintf(path, sizeof path, "%s/baked/tiles/alps.pmtiles", dir);
    assert_int_equal(tiles_pack_open(&p, path, &err), 0);
    unsigned char *d;
    int tx, ty;
    tiles_tile_of(45, 10, 6, &tx, &ty);
    assert_int_equal(tiles_pack_read(&p, 6, tx, ty, &d, &len, &err), 0);
    tiles_raster t;
    assert_int_equal(tiles_codec_decode_raster(d, len, &t, &err), 0);
    assert_int_equal(t.w, 256);
    assert_true(t.px[128 * 256 * 4 + 128 * 4 + 1] > 170); /* green, opaque */
    assert_int_equal(t.px[128 * 256 * 4 + 128 * 4 + 3], 255);
    tiles_raster_free(&t);
    free(d);
    tiles_tile_of(45, 30, 6, &tx, &ty); /* east of the image: no tile */
    assert_false(tiles_pack_has(&p, 6, tx, ty));
    /* The z0 tile exists and is transparent outside the image. */
    assert_int_equal(tiles_pack_read(&p, 0, 0, 0, &d, &len, &err), 0);
    assert_int_equal(tiles_codec_decode_raster(d, len, &t, &err), 0);
    assert_int_equal(t.px[3], 0);
    tiles_raster_free(&t);
    free(d);
    tiles_pack_close(&p);

    /* A second bake skips: the archive is not rewritten. */
    struct stat st1, st2;
    assert_int_equal(stat(path, &st1), 0);
    sleep(1);
    assert_int_equal(tiles_bake_main(11, argv), 0);
    assert_int_equal(stat(path, &st2), 0);
    assert_true(st1.st_mtime == st2.st_mtime);

    /* Bad arguments are refused. */
    char *bad[] = {"bake", "--assets", dir, "--image", img, "--bounds", "15,40,5", "--layer",
                   "alps", NULL};
    assert_int_equal(tiles_bake_main(9, bad), 1);
    char *badname[] = {"bake", "--assets", dir, "--image", img, "--bounds", "5,40,15,50",
                       "--layer", "Bad Name", NULL};
    assert_int_equal(tiles_bake_main(9, badname), 1);
    char *badarchive[] = {"bake", "--assets", dir, "--image", img, "--bounds", "5,40,15,50",
                          "--layer", "alps", "--archive", "zip", NULL};
    assert_int_equal(tiles_bake_main(11, badarchive), 1);

    /* Asked for MBTiles, the layer is baked again as MBTiles and its PMTiles go. */
    char *mb[] = {"bake", "--assets", dir, "--image", img, "--bounds", "5,40,15,50", "--layer",
                  "alps", "--datetime", "2021-06-01T00:00:00Z", "--archive", "mbtiles", NULL};
    assert_int_equal(tiles_bake_main(13, mb), 0);
    assert_int_equal(stat(path, &st1), -1);
    snprintf(path, sizeof path, "%s/baked/tiles/alps@2x.mbtiles", dir);
    assert_int_equal(tiles_pack_open(&p, path, &err), 0);
    assert_int_equal(p.kind, TILES_ARCHIVE_MBTILES);
    assert_int_equal(p.info.format, TILES_TILE_PNG);
    tiles_tile_of(45, 10, 6, &tx, &ty);
    assert_int_equal(tiles_pack_read(&p, 6, tx, ty, &d, &len, &err), 0);
    assert_int_equal(tiles_codec_decode_raster(d, len, &t, &err), 0);
    assert_int_equal(t.w, 512);
    assert_true(t.px[256 * 512 * 4 + 256 * 4 + 1] > 170);
    tiles_raster_free(&t);
    free(d);
    tiles_pack_close(&p);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_places),     cmocka_unit_test(test_no_seams),
        cmocka_unit_test(test_band_gives_next_zoom), cmocka_unit_test(test_synthetic_filters),
        cmocka_unit_test(test_partial_source),   cmocka_unit_test(test_pmtiles_tile_id),
        cmocka_unit_test(test_pmtiles_round_trip), cmocka_unit_test(test_mbtiles_round_trip),
        cmocka_unit_test(test_bake_user_layer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
