/* Unit tests of spliced static maps (tiles/draw.c over render.c's drawn backgrounds).
 *
 * The claim: a static map JPEG drawn as the server does it (the view's tiles and graticule are the
 * background, encoded once per view; only the MCU rows that labels, markers, paths or places touch
 * are drawn and encoded) is byte for byte the file a full encode of the whole map (the PNG route's
 * pixels, drawn as before) gives with one restart interval per MCU row. Checked at 1x and 2x,
 * 4:2:0 and 4:4:4, for a size whose last MCU row and column are partial, with the background's
 * segments made during the job (the first) and taken from the cache (the second), for labels,
 * markers near the view's edges, a path across the antimeridian, the graticule and places; with
 * the view's decoded tiles kept by the worker between maps (charged to the budget, given back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/budget.h"
#include "core/encode.h"
#include "core/metrics.h"
#include "core/render.h"
#include "core/splice.h"
#include "http/query.h"
#include "tiles/draw.h"
#include "tiles/tiles.h"

static metrics m;
static budget *bud;
static splice_store *st;
static render_env env;
static render_ctx *rc;
static splice_encoder *enc;
static tiles_store *store; /* the layers and places under test */

static int setup(void **state)
{
    err_t err = {0};
    bud = budget_new((size_t)1 << 30, &m);
    st = bud ? splice_store_new(bud) : NULL;
    if (!st)
        return -1;
    env = (render_env){"fonts/fonts.json", bud, st};
    if (!(store = tiles_store_load("assets", NULL, 0, NULL, &err))) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    rc = render_ctx_new(0, &env, &err);
    enc = splice_encoder_new(st);
    return rc && enc ? 0 : -1;
}

static int teardown(void **state)
{
    splice_cache_clear(st);
    splice_encoder_free(enc);
    render_ctx_free(rc);
    tiles_store_free(store);
    splice_store_free(st);
    budget_free(bud);
    return 0;
}

typedef struct {
    const unsigned char *p;
    size_t n, at;
} png_src;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    png_src *s = closure;
    if (s->at + len > s->n)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p + s->at, len);
    s->at += len;
    return CAIRO_STATUS_SUCCESS;
}

static tiles_static_job *job_of(const char *raw)
{
    err_t err = {0};
    query q;
    tiles_static_job *j = calloc(1, sizeof *j);
    assert_non_null(j);
    if (query_parse(raw, &q, 512, &err) != 0 || tiles_static_parse(&q, &j->req, &err) != 0)
        fail_msg("%s: %s", raw, err.msg);
    query_free(&q);
    j->store = store;
    j->layer = tiles_store_layer_in(store, j->req.layer[0] ? j->req.layer : "bluemarble");
    assert_non_null(j->layer);
    return j;
}

/* The map as its PNG: every pixel drawn, as before splicing. */
static cairo_surface_t *whole_map(tiles_static_job *j, int w, int h, int scale)
{
    err_t err = {0};
    image_spec spec = {w, h, scale, IMG_PNG, 85, 0};
    blob *b = NULL;
    if (render_image(rc, &spec, tiles_draw_static_job, j, budget_now() + 60, &b, &err) < 0)
        fail_msg("png: %s", err.msg);
    png_src src = {b->data, b->len, 0};
    cairo_surface_t *png = cairo_image_surface_create_from_png_stream(png_read, &src);
    assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    blob_unref(b);
    /* As RGB24 (the PNG is opaque): the layout splice_encode_full reads. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w * scale, h * scale);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_surface(cr, png, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(png);
    cairo_surface_flush(s);
    return s;
}

/* Spliced (twice: background made in the job, then cached) against the full encode; returns
 * the share of MCU rows the second encoded, in percent. */
static int check_map(const char *raw)
{
    tiles_static_job *j = job_of(raw);
    int w = j->req.width, h = j->req.height, share = 0;
    for (int scale = 1; scale <= 2; scale++) {
        j->req.scale = scale;
        cairo_surface_t *frame = whole_map(j, w, h, scale);
        for (int sub = 0; sub <= 1; sub++) {
            err_t err = {0};
            splice_fmt f = {w * scale, h * scale, 85, sub};
            outbuf full = {0};
            assert_int_equal(splice_encode_full(enc, &f, cairo_image_surface_get_data(frame),
                                                cairo_image_surface_get_stride(frame), &full, &err), 0);
            image_spec spec = {w, h, scale, IMG_JPEG, 85, sub};
            splice_cache_clear(st);
            for (int round = 0; round < 2; round++) {
                blob *b = NULL;
                if (render_image(rc, &spec, tiles_draw_static_job, j, budget_now() + 60, &b, &err) < 0)
                    fail_msg("%s: %s", raw, err.msg);
                if (b->len != full.len || memcmp(b->data, full.data, full.len) != 0) {
                    size_t i = 0;
                    while (i < b->len && i < full.len && b->data[i] == full.data[i])
                        i++;
                    fail_msg("%s %dx %s round %d: spliced %zu bytes, full %zu, first difference at %zu", raw,
                             scale, sub ? "444" : "420", round, b->len, full.len, i);
                }
                int rows, encoded;
                render_ctx_spliced(rc, &rows, &encoded);
                assert_true(rows > 0 && encoded <= rows);
                share = 100 * encoded / rows;
                blob_unref(b);
            }
            outbuf_free(&full);
        }
        cairo_surface_destroy(frame);
    }
    tiles_static_free(&j->req);
    free(j);
    return share;
}

/* The bench's map: 20 labels and a marker over Europe. Fewer rows than the whole are encoded. */
static void test_labels_and_marker(void **state)
{
    char raw[2048];
    int at = snprintf(raw, sizeof raw, "center=48.8,2.3&zoom=4&size=1000x770");
    for (int k = 1; k <= 20; k++)
        at += snprintf(raw + at, sizeof raw - (size_t)at, "&label=%d,%d,Label%%20%d", 30 + k, k * 3 - 20, k);
    snprintf(raw + at, sizeof raw - (size_t)at, "&marker=48.8,2.3,Paris");
    assert_true(check_map(raw) < 100);
}

/* A marker on the first rows, a label on the partial last one, and nothing between. */
static void test_edges(void **state)
{
    int share = check_map("center=0,0&zoom=3&size=600x410&marker=16.5,-20,Top&label=-16.4,30,Bottom");
    assert_true(share < 60);
}

/* A path across the antimeridian (drawn the short way), with the graticule in the background. */
static void test_path_and_graticule(void **state)
{
    check_map("center=-10,175&zoom=3&size=800x500&labels=graticule&path=-20,170;-5,-170;5,-175");
}

/* Places are drawn anywhere in the view: every row is encoded, still byte for byte. */
static void test_places(void **state)
{
    assert_int_equal(check_map("center=45,10&zoom=4&size=700x450&labels=places,graticule&marker=45,10,Here"), 100);
}

/* The decoded tiles a worker keeps are charged to the budget and given back when dropped; a map
 * drawn from them is the same file. */
static void test_kept_tiles_charged(void **state)
{
    render_ctx_drop_kept(rc);
    assert_int_equal(render_ctx_kept_bytes(rc), 0);
    check_map("center=30,20&zoom=3&size=600x400&label=30,20,Middle");
    size_t held = render_ctx_kept_bytes(rc);
    assert_true(held >= 4 * 512 * 512 * 4); /* the 2x tiles of the map's last draws */
    check_map("center=30,20&zoom=3&size=600x400&label=30,20,Middle"); /* from the kept tiles */
    assert_int_equal(render_ctx_kept_bytes(rc), held);
    size_t used = budget_used(bud);
    render_ctx_drop_kept(rc);
    assert_int_equal(render_ctx_kept_bytes(rc), 0);
    assert_int_equal(used - budget_used(bud), held);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_and_marker),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_path_and_graticule),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_kept_tiles_charged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
