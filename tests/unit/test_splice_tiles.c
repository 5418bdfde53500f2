/* Unit tests of spliced static maps (tiles/draw.c over render.c's drawn backgrounds) and of
 * labelled tiles spliced over their stored JPEG in cell form (splice.h, render_stored_under).
 *
 * The claim: a static map JPEG drawn as the server does it (the view's tiles and graticule are the
 * background, encoded once per view; only the MCU rows that labels, markers, paths or places touch
 * are drawn and encoded) is byte for byte the file a full encode of the whole map (the PNG route's
 * pixels, drawn as before) gives with one restart interval per MCU row. Checked at 1x and 2x,
 * 4:2:0 and 4:4:4, for a size whose last MCU row and column are partial, with the background's
 * segments made during the job (the first) and taken from the cache (the second), for labels,
 * markers near the view's edges, a path across the antimeridian, the graticule and places; with
 * the view's decoded tiles kept by the worker between maps (charged to the budget, given back).
 *
 * Labelled tiles: the composed frame is the stored tile decoded whole (libjpeg, accurate integer
 * IDCT, chroma replicated within each MCU — decoded here with libjpeg directly, not by splice.c)
 * with the graticule and places drawn over it as the tile job draws them. Its full encode in cell
 * form (same restart interval as the stored file) gives, for every cell, the bytes a whole
 * re-encode would have. The server's tile must be: the stored header, then for each cell either
 * the stored bytes (the cell untouched: the frame's pixels there are the stored tile's, so these
 * bytes decode to exactly them) or the full encode's bytes — and the full encode's wherever the
 * frame differs from the stored tile. Byte for byte in both cases. Checked at 1x and @2x over many
 * tiles (labels crossing tile edges among them), and directly on splice.c at 4:2:0 and 4:4:4 with
 * cells of 1, 2 and a whole row of MCUs; files not in cell form are refused (the fallback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jpeglib.h>
#include <math.h>
#include <turbojpeg.h>

#include "core/budget.h"
#include "core/encode.h"
#include "core/metrics.h"
#include "core/render.h"
#include "core/splice.h"
#include "http/query.h"
#include "tiles/codec.h"
#include "tiles/draw.h"
#include "tiles/pack.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"
#include "test_render_util.h"

static tiles_store *store; /* the layers and places under test */

static int setup(void **state)
{
    err_t err = {0};
    if (!(store = tiles_store_load("assets", NULL, 0, NULL, &err))) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return rig_open(&err);
}

static int teardown(void **state)
{
    rig_close();
    tiles_store_free(store);
    return 0;
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
    cairo_surface_t *png = png_surface(b);
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
            splice_fmt f = {w * scale, h * scale, 85, sub, 0};
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

/* ---- labelled tiles over their stored JPEG ---- */

/* A JPEG decoded whole by libjpeg as the composed frame is defined: accurate integer IDCT, no
 * fancy upsampling, into a new RGB24 surface. */
static cairo_surface_t *decode_plain(const unsigned char *d, size_t len)
{
    struct jpeg_decompress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, d, (unsigned long)len);
    assert_int_equal(jpeg_read_header(&c, TRUE), JPEG_HEADER_OK);
    c.out_color_space = JCS_EXT_BGRX; /* cairo's RGB24 on little-endian */
    c.dct_method = JDCT_ISLOW;
    c.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&c);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)c.output_width, (int)c.output_height);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = px + (size_t)c.output_scanline * (size_t)stride;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    cairo_surface_mark_dirty(s);
    return s;
}

/* A JPEG cut at its restart markers: the header (through SOS) and each interval's bytes. */
typedef struct {
    size_t hdr;
    size_t start[1100], end[1100];
    int n;
} cut_file;

static void cut(const unsigned char *p, size_t n, cut_file *c)
{
    size_t i = 2;
    c->hdr = 0;
    while (i + 4 <= n && p[i] == 0xFF) {
        size_t l = (size_t)p[i + 2] << 8 | p[i + 3];
        unsigned m = p[i + 1];
        i += 2 + l;
        if (m == 0xDA) {
            c->hdr = i;
            break;
        }
    }
    assert_true(c->hdr > 0);
    assert_true(n >= 2 && p[n - 2] == 0xFF && p[n - 1] == 0xD9);
    c->n = 0;
    c->start[0] = c->hdr;
    for (i = c->hdr; i + 1 < n - 2; i++)
        if (p[i] == 0xFF && p[i + 1] >= 0xD0 && p[i + 1] <= 0xD7) {
            assert_int_equal(p[i + 1], 0xD0 + (c->n & 7));
            c->end[c->n++] = i;
            assert_true(c->n < 1100);
            c->start[c->n] = i + 2;
        } else if (p[i] == 0xFF) {
            i++; /* a stuffed zero */
        }
    c->end[c->n++] = n - 2;
}

static int same_cell(const unsigned char *a, const cut_file *ca, const unsigned char *b, const cut_file *cb, int i)
{
    size_t la = ca->end[i] - ca->start[i], lb = cb->end[i] - cb->start[i];
    return la == lb && memcmp(a + ca->start[i], b + cb->start[i], la) == 0;
}

/* Whether cell i (cw x m pixels, cols across) of two frames has the same pixels. */
static int same_pixels(cairo_surface_t *x, cairo_surface_t *y, int i, int cols, int cw, int m)
{
    int stride = cairo_image_surface_get_stride(x);
    const unsigned char *a = cairo_image_surface_get_data(x), *b = cairo_image_surface_get_data(y);
    int x0 = i % cols * cw, y0 = i / cols * m;
    for (int r = y0; r < y0 + m; r++)
        for (int c = x0; c < x0 + cw; c++)
            if ((((const uint32_t *)(a + (size_t)r * stride))[c] ^ ((const uint32_t *)(b + (size_t)r * stride))[c]) &
                0xFFFFFF)
                return 0;
    return 1;
}

/* Spliced file s against the stored file and the full encode of the composed frame (cell form,
 * restart every k MCUs of m pixels): see the top of this file. The cells taken from the stored
 * file (and of those the cells whose full encode is the same bytes), and the cells where the frame
 * differs from the stored tile's pixels. */
static void check_cells(const unsigned char *s, size_t sn, const unsigned char *stored, size_t stn,
                        const outbuf *full, cairo_surface_t *frame, cairo_surface_t *plain, int k, int m,
                        int *kept, int *either, int *changed, const char *what)
{
    static cut_file cs, cst, cf;
    cut(s, sn, &cs);
    cut(stored, stn, &cst);
    cut(full->data, full->len, &cf);
    assert_int_equal(cs.n, cst.n);
    assert_int_equal(cs.n, cf.n);
    if (cs.hdr != cst.hdr || memcmp(s, stored, cs.hdr) != 0)
        fail_msg("%s: header differs from the stored file's", what);
    int w = cairo_image_surface_get_width(frame), cols = w / (m * k);
    assert_int_equal(cols * (cairo_image_surface_get_height(frame) / m), cs.n);
    *kept = *either = *changed = 0;
    for (int i = 0; i < cs.n; i++) {
        int from_stored = same_cell(s, &cs, stored, &cst, i), from_full = same_cell(s, &cs, full->data, &cf, i);
        int differs = !same_pixels(frame, plain, i, cols, m * k, m);
        if (!from_stored && !from_full)
            fail_msg("%s: cell %d is neither the stored one nor the full encode's", what, i);
        if (differs && !from_full)
            fail_msg("%s: cell %d was drawn into but kept as stored", what, i);
        *kept += from_stored && !from_full;
        *either += from_stored && from_full; /* a cell that encodes again to the same bytes */
        *changed += differs;
    }
}

/* Tile (z, x, y) at scale with the label options, as the server makes it (render_image), against
 * the stored tile and the composed frame. The cells kept as stored. */
static int check_tile(const tiles_layer *L, int z, int x, int y, int scale, int places, int graticule,
                      int *changed)
{
    err_t err = {0};
    unsigned char *stored;
    size_t stn;
    if (tiles_pack_read(&L->packs[scale - 1][0], z, x, y, &stored, &stn, &err) != 0)
        fail_msg("read %d/%d/%d: %s", z, x, y, err.msg);
    int size = TILES_TILE_SIZE * scale;
    splice_fmt f = {size, size, 85, 0, 0};
    if (splice_stored_open(enc, &f, stored, stn) != 1)
        fail_msg("tile %d/%d/%d@%dx is not in cell form: assets/baked is an older bake (make assets)", z, x, y, scale);
    /* The composed frame: the stored tile decoded whole, the labels drawn as the job draws them. */
    cairo_surface_t *plain = decode_plain(stored, stn), *frame = decode_plain(stored, stn);
    cairo_t *cr = cairo_create(frame);
    cairo_scale(cr, scale, scale);
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    assert_non_null(tf);
    double ox = (double)x * TILES_TILE_SIZE, oy = (double)y * TILES_TILE_SIZE;
    if (graticule)
        tiles_draw_graticule(cr, tf, z, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE);
    if (places) {
        const tiles_label_set *set = tiles_store_labels(store, z, tf, &err);
        assert_non_null(set);
        assert_int_equal(tiles_draw_places(cr, tf, set, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE, 0, NULL, 0, &err), 0);
    }
    cairo_destroy(cr);
    text_fonts_free(tf);
    cairo_surface_flush(frame);
    outbuf full = {0};
    assert_int_equal(splice_encode_cells(enc, &f, TILES_JPEG_CELL_MCUS, cairo_image_surface_get_data(frame),
                                         cairo_image_surface_get_stride(frame), &full, &err), 0);
    tiles_tile_job j = {L, store, NULL, z, x, y, scale, places, graticule};
    image_spec spec = {TILES_TILE_SIZE, TILES_TILE_SIZE, scale, IMG_JPEG, 85, 0};
    blob *b = NULL;
    if (render_image(rc, &spec, tiles_draw_tile_job, &j, budget_now() + 60, &b, &err) < 0)
        fail_msg("tile %d/%d/%d: %s", z, x, y, err.msg);
    int cells, encoded, kept, either;
    render_ctx_spliced(rc, &cells, &encoded);
    char what[96];
    snprintf(what, sizeof what, "tile %d/%d/%d@%dx %s%s", z, x, y, scale, places ? "places " : "",
             graticule ? "graticule" : "");
    check_cells(b->data, b->len, stored, stn, &full, frame, plain, TILES_JPEG_CELL_MCUS, 16, &kept, &either, changed,
                what);
    assert_int_equal(cells, (size / 16) * (size / 16 / TILES_JPEG_CELL_MCUS));
    /* The cells not encoded are those kept as stored. */
    assert_true(kept <= cells - encoded && cells - encoded <= kept + either);
    blob_unref(b);
    outbuf_free(&full);
    cairo_surface_destroy(frame);
    cairo_surface_destroy(plain);
    free(stored);
    return kept;
}

/* Ink on the 1-pixel border of an ARGB32 surface (place labels drawn on a transparent view). */
static int border_ink(cairo_surface_t *s)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int ink = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
                ink += ((const uint32_t *)(d + (size_t)y * stride))[x] >> 24 != 0;
    return ink;
}

/* A static map's places (whole = 1) never cross the view's edge; drawn as for a tile (whole = 0)
 * the same view has names cut by it, so the check can fail. Views at several zooms. */
static void test_static_places_inside(void **state)
{
    (void)state;
    err_t err = {0};
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    assert_non_null(tf);
    static const struct { int z; double ox, oy, w, h; } views[] = {
        {4, 1900, 1250, 800, 600}, {5, 4000, 2700, 1024, 768}, {6, 8300, 5500, 640, 480}, {3, 0, 500, 2048, 700}};
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        const tiles_label_set *set = tiles_store_labels(store, views[v].z, tf, &err);
        assert_non_null(set);
        int ink[2];
        for (int whole = 0; whole < 2; whole++) {
            cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)views[v].w, (int)views[v].h);
            cairo_t *cr = cairo_create(s);
            assert_int_equal(tiles_draw_places(cr, tf, set, views[v].ox, views[v].oy, views[v].w, views[v].h, whole,
                                               NULL, 0, &err), 0);
            cairo_destroy(cr);
            ink[whole] = border_ink(s);
            cairo_surface_destroy(s);
        }
        if (ink[0] == 0)
            fail_msg("view %zu: no place crosses its edge, so it tests nothing", v);
        if (ink[1] != 0)
            fail_msg("view %zu: %d border pixels inked by places cut at the edge", v, ink[1]);
    }
    text_fonts_free(tf);
}

/* Whether a place label of tile (z, x, y) crosses the tile's edge. */
static int label_crosses_edge(int z, int x, int y)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    const tiles_label_set *set = tiles_store_labels(store, z, tf, &err);
    double ox = (double)x * TILES_TILE_SIZE, oy = (double)y * TILES_TILE_SIZE;
    tiles_label_hit hits[256];
    size_t n = tiles_labels_in_rect(set, ox, oy, ox + TILES_TILE_SIZE, oy + TILES_TILE_SIZE, hits, 256);
    int crosses = 0;
    for (size_t i = 0; i < n && i < 256; i++) {
        const tiles_label *l = &set->labels[hits[i].index];
        double lx = l->x + hits[i].shift - ox, ly = l->y - oy;
        crosses |= lx < 0 || ly < 0 || lx + l->w > TILES_TILE_SIZE || ly + l->h > TILES_TILE_SIZE;
    }
    text_fonts_free(tf);
    return crosses;
}

/* Tiles of every zoom with each label option, at 1x; most cells are kept as stored, every cell
 * drawn into is encoded again, and labels crossing tile edges are among them. */
static void test_labelled_tiles(void **state)
{
    const tiles_layer *L = tiles_store_layer_in(store, "bluemarble");
    assert_non_null(L);
    int tiles = 0, kept = 0, cells = 0, edge = 0, changed_total = 0;
    for (int z = 0; z <= 6; z++) {
        int n = 1 << z;
        for (int t = 0; t < 12 && t < n * n; t++) {
            int x = (t * 37 + z) % n, y = (t * 11 + 2 * z) % n;
            for (int opt = 0; opt < 3; opt++) {
                int changed;
                kept += check_tile(L, z, x, y, 1, opt != 1, opt != 0, &changed);
                cells += 256 / TILES_JPEG_CELL_MCUS;
                changed_total += changed;
                tiles++;
            }
            edge += label_crosses_edge(z, x, y);
        }
    }
    assert_true(edge > 0);
    assert_true(changed_total > 0);
    print_message("labelled tiles: %d checked, %d with a label across the edge, %.1f %% of cells kept as stored\n",
                  tiles, edge, 100.0 * kept / cells);
}

/* @2x tiles (512 px, their own stored JPEG) alike. */
static void test_labelled_tiles_2x(void **state)
{
    const tiles_layer *L = tiles_store_layer_in(store, "bluemarble");
    int changed, kept = 0;
    kept += check_tile(L, 3, 4, 2, 2, 1, 1, &changed);
    assert_true(changed > 0);
    kept += check_tile(L, 6, 33, 22, 2, 1, 0, &changed);
    kept += check_tile(L, 5, 16, 11, 2, 0, 1, &changed);
    kept += check_tile(L, 0, 0, 0, 2, 1, 1, &changed);
    assert_true(kept > 0);
}

/* splice.c alone: a synthetic frame stored in cell form (4:2:0 and 4:4:4; cells of 1, 2 MCUs and
 * a whole row), boxes drawn over it in the touched cells only, against the full encode. */
static void test_cells_direct(void **state)
{
    const int w = 256, h = 192;
    cairo_surface_t *src = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    uint32_t *px = (uint32_t *)cairo_image_surface_get_data(src);
    int pstride = cairo_image_surface_get_stride(src) / 4;
    unsigned rnd = 12345;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            rnd = rnd * 1103515245u + 12345u;
            px[y * pstride + x] = (uint32_t)((x * 255 / w) << 16 | (y * 255 / h) << 8 | (((rnd >> 16) & 63) + 96));
        }
    cairo_surface_mark_dirty(src);
    static const int kinds[][2] = {{0, 1}, {0, 2}, {0, 16}, {1, 1}, {1, 4}, {1, 32}}; /* 444, cell MCUs */
    for (size_t t = 0; t < sizeof kinds / sizeof kinds[0]; t++) {
        err_t err = {0};
        int sub = kinds[t][0], k = kinds[t][1], m = splice_mcu_size(sub);
        splice_fmt f = {w, h, 85, sub, 0};
        outbuf stored = {0}, full = {0};
        assert_int_equal(splice_encode_cells(enc, &f, k, cairo_image_surface_get_data(src),
                                             cairo_image_surface_get_stride(src), &stored, &err), 0);
        cairo_surface_t *plain = decode_plain(stored.data, stored.len);
        cairo_surface_t *frame = decode_plain(stored.data, stored.len);
        /* The job's surface: garbage outside the cells it decodes. */
        cairo_surface_t *job = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t *cj = cairo_create(job), *cf = cairo_create(frame);
        cairo_set_source_rgb(cj, 1, 0, 1);
        cairo_paint(cj);
        cairo_surface_flush(job);
        assert_int_equal(splice_stored_open(enc, &f, stored.data, stored.len), 1);
        static const double boxes[][4] = {{3, 5, 20, 9}, {120, 70, 60, 30}, {250, 180, 30, 30}, {-10, 100, 40, 2}};
        for (int i = 0; i < 4; i++) {
            const double *b = boxes[i];
            splice_cells_touch(enc, (int)floor(b[0]), (int)floor(b[1]), (int)ceil(b[0] + b[2]), (int)ceil(b[1] + b[3]));
        }
        assert_int_equal(splice_cells_decode(enc, cairo_image_surface_get_data(job), cairo_image_surface_get_stride(job),
                                             &err), 0);
        cairo_surface_mark_dirty(job);
        for (int i = 0; i < 4; i++) {
            const double *b = boxes[i];
            cairo_t *crs[2] = {cj, cf};
            for (int c = 0; c < 2; c++) {
                cairo_rectangle(crs[c], b[0], b[1], b[2], b[3]);
                cairo_set_source_rgba(crs[c], 0.1 * i, 1, 0.3, 0.6);
                cairo_fill(crs[c]);
            }
        }
        cairo_destroy(cj);
        cairo_destroy(cf);
        cairo_surface_flush(job);
        cairo_surface_flush(frame);
        assert_int_equal(splice_cells_encode(enc, cairo_image_surface_get_data(job), cairo_image_surface_get_stride(job),
                                             &err), 0);
        size_t n = splice_cells_size(enc);
        unsigned char *out = malloc(n);
        splice_cells_write(enc, out);
        assert_int_equal(splice_encode_cells(enc, &f, k, cairo_image_surface_get_data(frame),
                                             cairo_image_surface_get_stride(frame), &full, &err), 0);
        int kept, either, changed, cells, touched;
        char what[64];
        snprintf(what, sizeof what, "%s, %d MCUs a cell", sub ? "4:4:4" : "4:2:0", k);
        check_cells(out, n, stored.data, stored.len, &full, frame, plain, k, m, &kept, &either, &changed, what);
        splice_cells_count(enc, &cells, &touched);
        assert_true(kept <= cells - touched && cells - touched <= kept + either);
        assert_true(kept > 0 && changed > 0);
        free(out);
        cairo_surface_destroy(job);
        cairo_surface_destroy(frame);
        cairo_surface_destroy(plain);
        outbuf_free(&stored);
        outbuf_free(&full);
    }
    cairo_surface_destroy(src);
}

/* Files not in cell form are refused, so the job decodes and encodes the whole tile: no restart
 * interval (TurboJPEG, as GDAL or QGIS write tiles), other tables (quality), another sampling, an
 * interval that does not divide the row, a marker out of turn. */
static void test_not_cell_form(void **state)
{
    err_t err = {0};
    const int w = 256, h = 256;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.7);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 1, 1, 0);
    cairo_arc(cr, 128, 128, 70, 0, 6.3);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    splice_fmt f = {w, h, 85, 0, 0}, f80 = {w, h, 80, 0, 0}, f444 = {w, h, 85, 1, 0};
    outbuf o = {0};
    assert_int_equal(splice_encode_cells(enc, &f, 1, px, stride, &o, &err), 0);
    assert_int_equal(splice_stored_open(enc, &f, o.data, o.len), 1); /* the form itself */
    assert_int_equal(splice_stored_open(enc, &f444, o.data, o.len), 0);
    /* A restart marker out of turn. */
    cut_file *c = malloc(sizeof *c);
    cut(o.data, o.len, c);
    o.data[c->end[3] + 1] ^= 1;
    assert_int_equal(splice_stored_open(enc, &f, o.data, o.len), 0);
    free(c);
    assert_int_equal(splice_encode_cells(enc, &f80, 1, px, stride, &o, &err), 0);
    assert_int_equal(splice_stored_open(enc, &f, o.data, o.len), 0);
    assert_int_equal(splice_encode_cells(enc, &f444, 2, px, stride, &o, &err), 0);
    assert_int_equal(splice_stored_open(enc, &f, o.data, o.len), 0);
    assert_int_equal(splice_stored_open(enc, &f444, o.data, o.len), 1);
    assert_int_equal(splice_encode_cells(enc, &f, 3, px, stride, &o, &err), -1); /* 3 does not divide 16 */
    tjhandle tj = tjInitCompress();
    assert_int_equal(encode_jpeg(tj, s, 85, 0, &o, &err), 0);
    tjDestroy(tj);
    assert_int_equal(splice_stored_open(enc, &f, o.data, o.len), 0);
    outbuf_free(&o);
    cairo_surface_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_and_marker),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_path_and_graticule),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_static_places_inside),
        cmocka_unit_test(test_kept_tiles_charged),
        cmocka_unit_test(test_labelled_tiles),
        cmocka_unit_test(test_labelled_tiles_2x),
        cmocka_unit_test(test_cells_direct),
        cmocka_unit_test(test_not_cell_form),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
