/* Unit tests of JPEG splicing (splice.c, render.c's spliced jobs).
 *
 * The claim: a spliced file is byte for byte the file a full encode of the same composed frame
 * gives with the same restart interval (one MCU row) and tables, and it decodes (libjpeg) to the
 * pixels of the TurboJPEG encode the server used before (encode_jpeg). Checked for every template
 * in templates/ at 1x and 2x, 4:2:0 and 4:4:4, for templates written here to touch the first
 * row, the partial last MCU row (1080 and 630 are not multiples of 16) and a partial last MCU
 * column, and for random frames and bands straight through the splice API. Then the cache: bases
 * are shared, charged to the budget and released, dropped by trim while a job still holds one,
 * and a base that cannot be cached leaves the job to a full encode. The band cache: a band drawn
 * alike a second time is kept and reused the third (still byte for byte the full encode), what
 * was drawn where decides its key, and W1 cards (label 0 varies) reuse the other labels' rows;
 * workers rendering at once share both caches. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>
#include <jpeglib.h>
#include <pthread.h>
#include <turbojpeg.h>

#include "cards/cards.h"
#include "core/encode.h"
#include "core/metrics.h"
#include "core/pool.h"
#include "core/render.h"
#include "core/splice.h"
#include "test_render_util.h"

static template_set *set;
static tjhandle tj;

static int setup(void **state)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    set = tf ? template_set_load("templates", "assets", tf, &err) : NULL;
    text_fonts_free(tf);
    int rig = rig_open(&err);
    tj = tjInitCompress();
    if (!set || rig != 0 || !tj) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    tjDestroy(tj);
    rig_close();
    template_set_unref(set);
    return 0;
}

/* ---- decoding with libjpeg ---- */

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} derr;

static void derr_exit(j_common_ptr c)
{
    longjmp(((derr *)c->err)->jump, 1);
}

/* RGB pixels of a JPEG, or NULL if libjpeg refuses it (or warns: a corrupt-data warning means
 * a bad splice even when decoding goes on). */
static unsigned char *decode(const unsigned char *jpg, size_t len, int *w, int *h)
{
    struct jpeg_decompress_struct d;
    derr e;
    unsigned char *volatile px = NULL;
    d.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = derr_exit;
    if (setjmp(e.jump)) {
        jpeg_destroy_decompress(&d);
        free(px);
        return NULL;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, jpg, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    *w = (int)d.output_width;
    *h = (int)d.output_height;
    px = malloc((size_t)*w * (size_t)*h * 3);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = px + (size_t)d.output_scanline * (size_t)*w * 3;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    long warnings = e.pub.num_warnings;
    jpeg_destroy_decompress(&d);
    if (warnings) {
        free(px);
        return NULL;
    }
    return px;
}

/* The RSTn markers of a file's scan, in order 0..7, one per MCU row but the first. */
static void assert_restarts(const unsigned char *p, size_t n, int rows)
{
    size_t i = 2;
    while (i + 4 <= n && !(p[i] == 0xFF && p[i + 1] == 0xDA))
        i += 2 + ((size_t)p[i + 2] << 8 | p[i + 3]);
    assert_true(i + 4 <= n);
    i += 2 + ((size_t)p[i + 2] << 8 | p[i + 3]);
    int k = 0;
    for (; i + 1 < n - 2; i++) {
        if (p[i] != 0xFF)
            continue;
        if (p[i + 1] >= 0xD0 && p[i + 1] <= 0xD7) {
            assert_int_equal(p[i + 1], 0xD0 + (k & 7));
            k++;
        } else {
            assert_int_equal(p[i + 1], 0x00);
        }
        i++;
    }
    assert_int_equal(k, rows - 1);
    assert_int_equal(p[n - 2], 0xFF);
    assert_int_equal(p[n - 1], 0xD9);
}

/* ---- cards: spliced against a full encode of the composed frame ---- */

static template_job *job_for(const template *t, long variant)
{
    template_job *j = calloc(1, sizeof *j);
    j->t = t;
    j->text = calloc((size_t)t->n_slots, sizeof *j->text);
    for (int i = 0; i < t->n_slots; i++) {
        char buf[600];
        const char *def = t->slots[i].def;
        if (def && *def)
            snprintf(buf, sizeof buf, "%s #%ld", def, variant);
        else
            snprintf(buf, sizeof buf, "%s Ölkühler gjpqy #%ld", t->slots[i].id, variant);
        j->text[i] = strdup(buf);
    }
    return j;
}

/* The whole frame as before splicing: the background painted, every slot's text drawn. */
static cairo_surface_t *compose(const template *t, const template_job *j, int scale)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, t->width * scale, t->height * scale);
    cairo_t *cr = cairo_create(s);
    cairo_surface_t *bg = template_background(t, scale);
    if (bg) {
        cairo_set_source_surface(cr, bg, 0, 0);
    } else {
        cairo_set_source_rgb(cr, t->bg_color.r, t->bg_color.g, t->bg_color.b);
    }
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    err_t err = {0};
    for (int i = 0; i < t->n_slots; i++)
        if (j->text[i] && *j->text[i])
            assert_int_equal(text_draw(render_ctx_fonts(rc), cr, j->text[i], strlen(j->text[i]),
                                       &t->slots[i].style, t->slots[i].box, NULL, &err), 0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* One card: spliced by the server's render_image, against the full encode; and its decoded
 * pixels against the TurboJPEG encode of the same frame. Returns the spliced blob's size. */
static size_t check_card(const template *t, template_job *j, int scale, int sub444, int quality)
{
    err_t err = {0};
    image_spec spec = {t->width, t->height, scale, IMG_JPEG, quality, sub444};
    blob *b = NULL;
    if (render_image(rc, &spec, cards_draw, j, budget_now() + 60, &b, &err) < 0)
        fail_msg("render %s: %s", t->name, err.msg);

    cairo_surface_t *frame = compose(t, j, scale);
    splice_fmt f = {t->width * scale, t->height * scale, quality, sub444, 0};
    outbuf full = {0};
    assert_int_equal(splice_encode_full(enc, &f, cairo_image_surface_get_data(frame),
                                        cairo_image_surface_get_stride(frame), &full, &err), 0);
    if (b->len != full.len || memcmp(b->data, full.data, full.len) != 0) {
        size_t i = 0;
        while (i < b->len && i < full.len && b->data[i] == full.data[i])
            i++;
        fail_msg("%s %dx %s q%d: spliced %zu bytes, full %zu, first difference at %zu", t->name, scale,
                 sub444 ? "444" : "420", quality, b->len, full.len, i);
    }
    assert_restarts(b->data, b->len, splice_rows(&f));

    int w, h, w2, h2;
    unsigned char *px = decode(b->data, b->len, &w, &h);
    assert_non_null(px);
    assert_int_equal(w, f.width);
    assert_int_equal(h, f.height);
    outbuf tjout = {0};
    assert_int_equal(encode_jpeg(tj, frame, quality, sub444, &tjout, &err), 0);
    unsigned char *ref = decode(tjout.data, tjout.len, &w2, &h2);
    assert_non_null(ref);
    if (memcmp(px, ref, (size_t)w * (size_t)h * 3) != 0)
        fail_msg("%s %dx: decoded pixels differ from the TurboJPEG encode's", t->name, scale);
    size_t len = b->len;
    free(px);
    free(ref);
    outbuf_free(&tjout);
    outbuf_free(&full);
    cairo_surface_destroy(frame);
    blob_unref(b);
    return len;
}

static void check_template(const template *t)
{
    for (int scale = 1; scale <= 2; scale++) {
        for (int sub = 0; sub <= 1; sub++) {
            template_job *j = job_for(t, 100 + scale * 2 + sub);
            check_card(t, j, scale, sub, 85);
            cards_job_free(j);
        }
    }
}

static void test_every_template(void **state)
{
    assert_true(set->n >= 3);
    for (int i = 0; i < set->n; i++)
        check_template(set->items[i]);
}

/* Slots on the first MCU row, on the partial last one, on rows whose numbers are not multiples
 * of 8 (the markers of new segments are renumbered), a tall one, and one straddling rows. */
#define EDGE_SLOTS                                                                                  \
    "{\"id\":\"top\",\"box\":[0,0,300,12],\"max_size\":10,\"min_size\":6,\"fill\":\"#ff0000\"},"    \
    "{\"id\":\"odd\",\"box\":[400,50,500,37],\"max_size\":20,\"fill\":\"#00ff0080\"},"              \
    "{\"id\":\"tall\",\"box\":[700,150,200,300],\"max_size\":40,\"wrap\":true,\"radius\":12,"       \
    "\"fill\":\"#ffffffcc\",\"halo\":\"#ffff00\",\"halo_width\":3},"                                \
    "{\"id\":\"pair\",\"box\":[20,470,300,20],\"max_size\":14},"                                    \
    "{\"id\":\"right\",\"box\":[%d,300,%d,30],\"max_size\":14,\"fill\":\"#0000ff\",\"color\":\"#fff\"}," \
    "{\"id\":\"bottom\",\"box\":[10,%d,%d,%d],\"max_size\":9,\"min_size\":4,\"fill\":\"#222\",\"color\":\"#fff\"}"

static void check_written(const char *json)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    template *t = template_parse(json, strlen(json), "edge.json", "assets", tf, &err);
    text_fonts_free(tf);
    if (!t)
        fail_msg("%s", err.msg);
    check_template(t);
    /* Only some slots filled: the others' rows stay the background's. */
    template_job *j = job_for(t, 7);
    free(j->text[1]);
    j->text[1] = NULL;
    free(j->text[2]);
    j->text[2] = strdup("");
    check_card(t, j, 1, 0, 90);
    check_card(t, j, 2, 1, 96); /* the accurate DCT */
    cards_job_free(j);
    template_free(t);
}

static void test_edges_image_background(void **state)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{\"name\":\"edge\",\"width\":1920,\"height\":1080,\"background\":{\"image\":\"w1-bg.png\"},"
             "\"slots\":[" EDGE_SLOTS "]}", 1920 - 200, 200, 1075, 600, 5);
    check_written(json);
}

static void test_edges_colour_background(void **state)
{
    /* 1000x630: a partial last MCU column (1000 = 62.5 x 16) and a partial last row. */
    char json[2048];
    snprintf(json, sizeof json,
             "{\"name\":\"edge\",\"width\":1000,\"height\":630,\"background\":{\"color\":\"#336699\"},"
             "\"slots\":[" EDGE_SLOTS "]}", 1000 - 120, 120, 621, 990, 9);
    check_written(json);
}

/* ---- the splice API on random frames ---- */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

static void fill_noise(unsigned char *d, int stride, int w, int y0, int y1)
{
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < w; x++) {
            unsigned v = rnd(1u << 24);
            /* Smooth-ish with bursts of noise, so segments vary in length. */
            unsigned char *p = d + (size_t)y * (size_t)stride + (size_t)x * 4;
            p[0] = (unsigned char)((x * 3 + y) ^ (v & 7 ? 0 : v));
            p[1] = (unsigned char)(y * 2 + (v >> 8 & 15));
            p[2] = (unsigned char)(x + (v >> 16 & 3));
            p[3] = 0;
        }
}

static void test_random_frames(void **state)
{
    err_t err = {0};
    for (int iter = 0; iter < 60; iter++) {
        splice_fmt f = {1 + (int)rnd(300), 1 + (int)rnd(300), 1 + (int)rnd(100), (int)rnd(2), 0};
        int stride = f.width * 4 + (int)rnd(3) * 4;
        unsigned char *bgpx = malloc((size_t)stride * (size_t)f.height);
        fill_noise(bgpx, stride, f.width, 0, f.height);
        splice_bg bg = {bgpx, stride, 0, f.width, f.height, 1000u + (unsigned)iter};
        if (iter % 5 == 0) {
            bg.data = NULL;
            bg.pixel = rnd(1u << 24);
        }
        splice_base *b = splice_base_get(enc, &bg, &f, &err);
        assert_non_null(b);

        unsigned char *frame = malloc((size_t)stride * (size_t)f.height);
        splice_bands_reset(enc, &f);
        int n_boxes = (int)rnd(5);
        int ys[5][2];
        for (int k = 0; k < n_boxes; k++) {
            ys[k][0] = (int)rnd((unsigned)f.height) - 3;
            ys[k][1] = ys[k][0] + 1 + (int)rnd(40);
            splice_touch(enc, ys[k][0], ys[k][1]);
        }
        const splice_band *bands;
        int n = splice_bands_get(enc, &bands);
        assert_true(n >= 0 && n <= n_boxes);
        /* Outside the bands the frame holds garbage: splicing must never read it. */
        memset(frame, 0xA5, (size_t)stride * (size_t)f.height);
        splice_lay_rows(&bg, frame, stride, &f, bands, n);
        for (int k = 0; k < n_boxes; k++)
            fill_noise(frame, stride, f.width, ys[k][0] < 0 ? 0 : ys[k][0],
                       ys[k][1] > f.height ? f.height : ys[k][1]);
        assert_int_equal(splice_encode_bands(enc, frame, stride, &err), 0);
        size_t len = splice_size(enc, b);
        unsigned char *spliced = malloc(len);
        splice_write(enc, b, spliced);

        /* The reference: the background everywhere, the same drawing. */
        unsigned char *whole = malloc((size_t)stride * (size_t)f.height);
        splice_band all = {0, splice_rows(&f)};
        splice_lay_rows(&bg, whole, stride, &f, &all, 1);
        int m = splice_mcu_size(f.subsamp444);
        for (int i = 0; i < n; i++) {
            int y0 = bands[i].r0 * m, y1 = bands[i].r1 * m < f.height ? bands[i].r1 * m : f.height;
            memcpy(whole + (size_t)y0 * (size_t)stride, frame + (size_t)y0 * (size_t)stride,
                   (size_t)(y1 - y0) * (size_t)stride);
        }
        outbuf full = {0};
        assert_int_equal(splice_encode_full(enc, &f, whole, stride, &full, &err), 0);
        if (len != full.len || memcmp(spliced, full.data, len) != 0)
            fail_msg("iteration %d (%dx%d q%d %s, %d bands): spliced %zu bytes, full %zu", iter, f.width,
                     f.height, f.quality, f.subsamp444 ? "444" : "420", n, len, full.len);
        assert_restarts(spliced, len, splice_rows(&f));
        int w, h;
        unsigned char *px = decode(spliced, len, &w, &h);
        assert_non_null(px);
        assert_int_equal(w, f.width);
        assert_int_equal(h, f.height);
        free(px);
        outbuf_free(&full);
        free(whole);
        free(spliced);
        free(frame);
        splice_base_unref(b);
        free(bgpx);
    }
    splice_cache_clear(st);
}

/* ---- restart segments narrower than a row ---- */

/* One frame spliced in segments of f's seg_mcus: boxes (rects) touched and drawn over garbage
 * outside the touched segments, against the full encode of the background with the touched
 * segments' pixels. Returns the segments encoded. */
static int check_segments(const splice_fmt *f, int n_boxes, const int (*box)[4], unsigned tag)
{
    err_t err = {0};
    int stride = f->width * 4 + 4, m = splice_mcu_size(f->subsamp444);
    size_t bytes = (size_t)stride * (size_t)f->height;
    unsigned char *bgpx = malloc(bytes), *frame = malloc(bytes), *whole = malloc(bytes);
    fill_noise(bgpx, stride, f->width, 0, f->height);
    splice_bg bg = {bgpx, stride, 0, f->width, f->height, tag};
    splice_base *b = splice_base_get(enc, &bg, f, &err);
    assert_non_null(b);
    splice_bands_reset(enc, f);
    for (int k = 0; k < n_boxes; k++)
        splice_touch_rect(enc, box[k][0], box[k][1], box[k][2], box[k][3]);
    const splice_band *bands;
    assert_true(splice_bands_get(enc, &bands) >= 0);
    /* The frame: garbage, the drawing over the touched segments' pixels (as a job lays them). */
    memset(frame, 0xA5, bytes);
    fill_noise(frame, stride, f->width, 0, f->height);
    memcpy(whole, bgpx, bytes);
    int spr = splice_segs_per_row(f), sw = f->width / spr, touched = 0;
    for (int r = 0; r < splice_rows(f); r++)
        for (int c = 0; c < spr; c++) {
            int x0 = c * sw, x1 = c == spr - 1 ? f->width : x0 + sw, y1 = (r + 1) * m < f->height ? (r + 1) * m : f->height;
            if (!splice_touched(enc, x0, r * m, x1, y1))
                continue;
            touched++;
            for (int y = r * m; y < y1; y++)
                memcpy(whole + (size_t)y * stride + (size_t)x0 * 4, frame + (size_t)y * stride + (size_t)x0 * 4,
                       (size_t)(x1 - x0) * 4);
        }
    assert_int_equal(splice_encode_bands(enc, frame, stride, &err), 0);
    assert_int_equal(splice_rows_encoded(enc), touched);
    size_t len = splice_size(enc, b);
    unsigned char *spliced = malloc(len);
    splice_write(enc, b, spliced);
    outbuf full = {0};
    assert_int_equal(splice_encode_full(enc, f, whole, stride, &full, &err), 0);
    if (len != full.len || memcmp(spliced, full.data, len) != 0)
        fail_msg("%dx%d q%d %s, %d MCUs a segment: spliced %zu bytes, full %zu", f->width, f->height, f->quality,
                 f->subsamp444 ? "444" : "420", f->seg_mcus, len, full.len);
    assert_restarts(spliced, len, splice_rows(f) * spr);
    int w, h;
    unsigned char *px = decode(spliced, len, &w, &h);
    assert_non_null(px);
    assert_int_equal(w, f->width);
    free(px);
    outbuf_free(&full);
    free(spliced);
    splice_base_unref(b);
    free(bgpx), free(frame), free(whole);
    return touched;
}

/* Random sizes (partial last MCU rows; widths of whole MCUs get narrower segments, others fall
 * back to one a row), random segment sizes and boxes, thin diagonals of small boxes. */
static void test_random_segments(void **state)
{
    for (int iter = 0; iter < 60; iter++) {
        splice_fmt f = {16 * (1 + (int)rnd(24)), 1 + (int)rnd(300), 1 + (int)rnd(100), (int)rnd(2), 1 + (int)rnd(6)};
        if (iter % 7 == 0)
            f.width += 1 + (int)rnd(15); /* a partial MCU column: one segment a row */
        int mpr = (f.width + splice_mcu_size(f.subsamp444) - 1) / splice_mcu_size(f.subsamp444);
        assert_int_equal(splice_segs_per_row(&f),
                         mpr % f.seg_mcus == 0 && f.width % splice_mcu_size(f.subsamp444) == 0 ? mpr / f.seg_mcus : 1);
        int box[24][4], n = 0;
        for (int k = (int)rnd(4); k > 0; k--, n++) {
            box[n][0] = (int)rnd((unsigned)f.width) - 5, box[n][1] = (int)rnd((unsigned)f.height) - 5;
            box[n][2] = box[n][0] + 1 + (int)rnd(60), box[n][3] = box[n][1] + 1 + (int)rnd(60);
        }
        /* A leader: a diagonal of small boxes from a corner to the other, down to the last row. */
        for (int k = 0; k < 12 && iter % 2; k++, n++) {
            int x = f.width * k / 12, y = f.height * k / 12;
            box[n][0] = x - 2, box[n][1] = y - 2, box[n][2] = x + f.width / 12 + 2, box[n][3] = y + f.height / 12 + 3;
        }
        check_segments(&f, n, (const int(*)[4])box, 2000u + (unsigned)iter);
    }
    splice_cache_clear(st);
}

/* Every segment touched of an image whose stack is taller than a JPEG can be (65500 rows): the
 * segments are encoded in several images. And a card-sized frame with a leader crossing it. */
static void test_segments_tall_stack(void **state)
{
    splice_fmt f = {2048, 1040, 85, 0, 1};
    int all[1][4] = {{0, 0, 2048, 1040}};
    assert_int_equal(check_segments(&f, 1, (const int(*)[4])all, 3001), 128 * 65);
    splice_fmt card = {1920, 1080, 85, 0, 8};
    int leader[40][4];
    for (int k = 0; k < 40; k++) {
        int x = 200 + 1500 * k / 40, y = 1075 - 1070 * k / 40;
        leader[k][0] = x - 3, leader[k][1] = y - 30, leader[k][2] = x + 41, leader[k][3] = y + 3;
    }
    int n = check_segments(&card, 40, (const int(*)[4])leader, 3002);
    assert_true(n > 68 && n < 68 * 4); /* a few segments a row, not the rows */
    splice_cache_clear(st);
}

/* A layer kept as runs: charged to the budget, laid into exactly the touched segments, dropped
 * with the cache. */
static void test_layer_runs(void **state)
{
    splice_cache_clear(st);
    long before = atomic_load(&m.g.pool_bytes);
    const int w = 320, h = 200, stride = w * 4;
    unsigned char *art = malloc((size_t)stride * h), *frame = malloc((size_t)stride * h);
    /* Flat colour with runs, single odd pixels and noise: every kind of run. */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t v = 0xF0F0E0;
            if (x % 37 == 0 || (y % 11 == 0 && x % 3))
                v = (uint32_t)(x * 7 + y);
            if (y > 150 && x > 250)
                v = rnd(1u << 24);
            ((uint32_t *)(art + (size_t)y * stride))[x] = v;
        }
    splice_layer *l = splice_layer_keep(enc, 4001, art, stride, w, h);
    assert_non_null(l);
    assert_true(splice_cache_bytes(st) > 0 && splice_cache_bytes(st) < (size_t)stride * h / 4);
    assert_int_equal(atomic_load(&m.g.pool_bytes) - before, (long)splice_cache_bytes(st));
    splice_layer *again = splice_layer_find(enc, 4001, w, h);
    assert_ptr_equal(again, l);
    splice_base_unref(again);
    assert_null(splice_layer_find(enc, 4001, w, h + 1));
    for (int sub = 0; sub <= 1; sub++) {
        splice_fmt f = {w, h, 85, sub, 4};
        splice_bands_reset(enc, &f);
        splice_touch_rect(enc, 10, 10, 12, 12);
        splice_touch_rect(enc, 100, 50, 250, 60);
        splice_touch_rect(enc, 300, 190, 400, 400);
        memset(frame, 0x5A, (size_t)stride * h);
        assert_int_equal(splice_layer_lay(l, enc, frame, stride), 0);
        int msz = splice_mcu_size(sub), sw = 4 * msz;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                uint32_t got = ((uint32_t *)(frame + (size_t)y * stride))[x];
                uint32_t want = splice_touched(enc, x / sw * sw, y / msz * msz, x / sw * sw + 1, y / msz * msz + 1)
                                    ? ((uint32_t *)(art + (size_t)y * stride))[x]
                                    : 0x5A5A5A5Au;
                if (got != want)
                    fail_msg("%s: pixel %d,%d is %08x, not %08x", sub ? "444" : "420", x, y, got, want);
            }
    }
    splice_base_unref(l);
    splice_cache_trim(st, -1);
    assert_int_equal(splice_cache_bytes(st), 0);
    assert_int_equal(atomic_load(&m.g.pool_bytes), before);
    /* A cache too small for it: not kept (the caller draws the layer itself). */
    splice_cache_set_limit(st, 1000);
    assert_null(splice_layer_keep(enc, 4002, art, stride, w, h));
    splice_cache_set_limit(st, SPLICE_CACHE_DEFAULT_BYTES);
    free(art), free(frame);
}

/* ---- the cache ---- */

static void test_cache_shares_and_charges(void **state)
{
    err_t err = {0};
    splice_cache_clear(st);
    long before = atomic_load(&m.g.pool_bytes);
    unsigned char px[64 * 48 * 4] = {0};
    splice_bg bg = {px, 64 * 4, 0, 64, 48, 77};
    splice_fmt f = {64, 48, 85, 0, 0};
    splice_base *a = splice_base_get(enc, &bg, &f, &err);
    splice_base *b = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    f.quality = 86;
    splice_base *c = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(c);
    assert_ptr_not_equal(a, c);
    assert_true(splice_cache_bytes(st) > 2 * splice_base_bytes(a));
    assert_int_equal(atomic_load(&m.g.pool_bytes) - before, (long)splice_cache_bytes(st));
    splice_base_unref(a);
    splice_base_unref(b);
    splice_base_unref(c);
    /* Trimming drops what has not been used since; the budget gets its bytes back. */
    splice_cache_trim(st, 0);
    assert_int_equal(splice_cache_bytes(st), 0);
    assert_int_equal(atomic_load(&m.g.pool_bytes), before);
}

static void test_cache_limit_and_trim_while_held(void **state)
{
    err_t err = {0};
    splice_cache_clear(st);
    long before = atomic_load(&m.g.pool_bytes);
    unsigned char px[64 * 48 * 4] = {0};
    splice_bg bg = {px, 64 * 4, 0, 64, 48, 78};
    splice_fmt f = {64, 48, 85, 0, 0};
    splice_base *a = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(a);
    size_t one = splice_cache_bytes(st);
    /* Room for one base: a second evicts the first, which its holder keeps using. */
    splice_cache_set_limit(st, one + one / 2);
    bg.tag = 79;
    splice_base *b = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(b);
    assert_int_equal(splice_cache_bytes(st), one); /* b alone: a (all black, same size) was dropped */
    splice_cache_trim(st, -1);
    assert_int_equal(splice_cache_bytes(st), 0);
    /* Still held: both still splice correctly, and are freed (and uncharged) with the last ref. */
    splice_bands_reset(enc, &f);
    splice_touch(enc, 20, 21);
    const splice_band *bands;
    int n = splice_bands_get(enc, &bands);
    assert_int_equal(n, 1);
    assert_int_equal(splice_encode_bands(enc, px, 64 * 4, &err), 0);
    size_t len = splice_size(enc, a);
    unsigned char *out = malloc(len);
    splice_write(enc, a, out);
    outbuf full = {0};
    assert_int_equal(splice_encode_full(enc, &f, px, 64 * 4, &full, &err), 0);
    assert_int_equal(len, full.len);
    assert_memory_equal(out, full.data, len);
    free(out);
    outbuf_free(&full);
    splice_base_unref(a);
    splice_base_unref(b);
    assert_int_equal(atomic_load(&m.g.pool_bytes), before);
    /* Too small for any base: the first job of a background still splices with the base it
     * built (uncached), later ones are refused at once and encoded whole. */
    splice_cache_set_limit(st, 100);
    splice_base *once = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(once);
    splice_base_unref(once);
    assert_int_equal(splice_cache_bytes(st), 0);
    assert_null(splice_base_get(enc, &bg, &f, &err));
    assert_int_equal(err.kind, ERR_BUSY);
    assert_int_equal(atomic_load(&m.g.pool_bytes), before);
    const template *w1 = template_set_find(set, "w1");
    assert_non_null(w1);
    template_job *j = job_for(w1, 5);
    image_spec spec = {w1->width, w1->height, 1, IMG_JPEG, 85, 0};
    blob *blb = NULL;
    assert_int_equal(render_image(rc, &spec, cards_draw, j, budget_now() + 60, &blb, &err), 0);
    blob_unref(blb);
    assert_int_equal(render_image(rc, &spec, cards_draw, j, budget_now() + 60, &blb, &err), 0);
    int w, h;
    unsigned char *dec = decode(blb->data, blb->len, &w, &h);
    assert_non_null(dec);
    cairo_surface_t *frame = compose(w1, j, 1);
    outbuf tjout = {0};
    assert_int_equal(encode_jpeg(tj, frame, 85, 0, &tjout, &err), 0);
    assert_int_equal(blb->len, tjout.len);
    assert_memory_equal(blb->data, tjout.data, tjout.len);
    free(dec);
    outbuf_free(&tjout);
    cairo_surface_destroy(frame);
    blob_unref(blb);
    cards_job_free(j);
    splice_cache_set_limit(st, SPLICE_CACHE_DEFAULT_BYTES);
    splice_cache_clear(st); /* the markers */
    assert_int_equal(splice_cache_bytes(st), 0);
    /* Limit 0 turns splicing off without building anything. */
    splice_cache_set_limit(st, 0);
    assert_null(splice_base_get(enc, &bg, &f, &err));
    splice_cache_set_limit(st, SPLICE_CACHE_DEFAULT_BYTES);
}

/* Threads splicing over three backgrounds in a cache with room for two. */
typedef struct {
    int id;
    int failures;
} thread_arg;

static void *splice_thread(void *p)
{
    thread_arg *a = p;
    splice_encoder *e = splice_encoder_new(st);
    err_t err = {0};
    static unsigned char px[3][96 * 40 * 4];
    splice_fmt f = {96, 40, 80, 0, 0};
    outbuf full = {0};
    unsigned char *frame = malloc(sizeof px[0]);
    for (int i = 0; i < 200; i++) {
        int which = (a->id + i) % 3;
        splice_bg bg = {px[which], 96 * 4, 0, 96, 40, 500u + (unsigned)which};
        splice_base *b = splice_base_get(e, &bg, &f, &err);
        if (!b) {
            a->failures++;
            continue;
        }
        splice_bands_reset(e, &f);
        splice_touch(e, (i * 7) % 40, (i * 7) % 40 + 3);
        const splice_band *bands;
        int n = splice_bands_get(e, &bands);
        memcpy(frame, px[which], sizeof px[0]);
        (void)n;
        splice_encode_bands(e, frame, 96 * 4, &err);
        size_t len = splice_size(e, b);
        unsigned char *out = malloc(len);
        splice_write(e, b, out);
        splice_encode_full(e, &f, frame, 96 * 4, &full, &err);
        if (len != full.len || memcmp(out, full.data, len) != 0)
            a->failures++;
        free(out);
        splice_base_unref(b);
    }
    free(frame);
    outbuf_free(&full);
    splice_encoder_free(e);
    return NULL;
}

static void test_cache_threads(void **state)
{
    splice_cache_clear(st);
    err_t err = {0};
    unsigned char px[96 * 40 * 4] = {0};
    splice_bg bg = {px, 96 * 4, 0, 96, 40, 1};
    splice_fmt f = {96, 40, 80, 0, 0};
    splice_base *probe = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(probe);
    splice_cache_set_limit(st, splice_cache_bytes(st) * 5 / 2);
    splice_base_unref(probe);
    pthread_t th[4];
    thread_arg args[4] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, splice_thread, &args[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    splice_cache_set_limit(st, SPLICE_CACHE_DEFAULT_BYTES);
    splice_cache_clear(st);
}

/* One band at rows of y0..y1 described as (id, text): encode, write, and compare with the full
 * encode of the same frame; returns whether the band came from the band cache. */
static int band_round(const splice_fmt *f, splice_base *b, const unsigned char *frame, int stride,
                      int y0, int y1, int id, const char *text)
{
    err_t err = {0};
    splice_bands_reset(enc, f);
    splice_touch(enc, y0, y1);
    const splice_band *bands;
    assert_int_equal(splice_bands_get(enc, &bands), 1);
    assert_int_equal(splice_band_at(enc, y0), 0);
    assert_int_equal(splice_band_at(enc, y1 + 40), -1);
    splice_band_describe(enc, 0, id, text, strlen(text));
    int hits = splice_bands_lookup(enc, b);
    assert_int_equal(hits, splice_band_cached(enc, 0));
    assert_int_equal(splice_encode_bands(enc, frame, stride, &err), 0);
    size_t len = splice_size(enc, b);
    unsigned char *out = malloc(len);
    splice_write(enc, b, out);
    outbuf full = {0};
    assert_int_equal(splice_encode_full(enc, f, frame, stride, &full, &err), 0);
    assert_int_equal(len, full.len);
    assert_memory_equal(out, full.data, len);
    outbuf_free(&full);
    free(out);
    return hits;
}

static void test_band_cache_keys(void **state)
{
    err_t err = {0};
    splice_cache_clear(st);
    long before = atomic_load(&m.g.pool_bytes);
    splice_fmt f = {200, 120, 85, 0, 0};
    int stride = 200 * 4;
    unsigned char *bgpx = malloc((size_t)stride * 120), *frame = malloc((size_t)stride * 120);
    fill_noise(bgpx, stride, 200, 0, 120);
    splice_bg bg = {bgpx, stride, 0, 200, 120, 4242};
    splice_base *b = splice_base_get(enc, &bg, &f, &err);
    assert_non_null(b);
    memcpy(frame, bgpx, (size_t)stride * 120);
    fill_noise(frame, stride, 200, 40, 60); /* "what slot 1 with text x draws" */
    assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 1, "x"), 0); /* seen once */
    assert_int_equal(splice_bands_bytes(st), 0);
    assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 1, "x"), 0); /* kept */
    assert_true(splice_bands_bytes(st) > 0);
    /* Charged: the budget holds the base and at least the bands' bytes (in whole chunks). */
    assert_true(atomic_load(&m.g.pool_bytes) - before >=
                (long)(splice_cache_bytes(st) + splice_bands_bytes(st)));
    assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 1, "x"), 1); /* reused */
    /* Another id, another text, other rows: other keys. */
    assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 2, "x"), 0);
    assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 1, "y"), 0);
    assert_int_equal(band_round(&f, b, frame, stride, 40, 70, 1, "x"), 0);
    /* Off: nothing kept or found. */
    splice_bands_set_limit(st, 0);
    assert_int_equal(splice_bands_bytes(st), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(band_round(&f, b, frame, stride, 40, 60, 1, "x"), 0);
    assert_int_equal(splice_bands_bytes(st), 0);
    splice_bands_set_limit(st, SPLICE_BANDS_DEFAULT_BYTES);
    splice_base_unref(b);
    splice_cache_clear(st);
    assert_int_equal(atomic_load(&m.g.pool_bytes), before);
    free(bgpx);
    free(frame);
}

/* W1 as defined: label 0 varies, the other 63 labels' rows come from the band cache from the
 * third card on; every card is still the full encode of its composed frame. */
static void test_band_cache_w1(void **state)
{
    splice_cache_clear(st);
    const template *w1 = template_set_find(set, "w1");
    assert_non_null(w1);
    size_t kept = 0;
    for (int i = 0; i < 5; i++) {
        template_job *j = calloc(1, sizeof *j);
        j->t = w1;
        j->text = calloc((size_t)w1->n_slots, sizeof *j->text);
        for (int k = 0; k < w1->n_slots; k++)
            j->text[k] = strdup(w1->slots[k].def);
        char buf[600];
        snprintf(buf, sizeof buf, "%s #%d", w1->slots[0].def, 1000 + i);
        free(j->text[0]);
        j->text[0] = strdup(buf);
        check_card(w1, j, 1, 0, 85);
        if (i == 1)
            kept = splice_bands_bytes(st);
        cards_job_free(j);
    }
    /* 7 of W1's 8 label rows kept (label 0's row changes every card) and no more after. */
    assert_true(kept > 0);
    assert_int_equal(splice_bands_bytes(st), kept);
    splice_cache_clear(st);
}

/* Workers rendering W1 cards at once share the bases and the band cache; each card is still
 * the full encode of its frame (composed here on the worker's own fonts). */
typedef struct {
    int id, failures;
} w1_arg;

static void *w1_thread(void *p)
{
    w1_arg *a = p;
    err_t err = {0};
    render_ctx *wrc = render_ctx_new(a->id, &env, &err);
    splice_encoder *e = splice_encoder_new(st);
    const template *w1 = template_set_find(set, "w1");
    outbuf full = {0};
    for (int i = 0; i < 12 && wrc && e; i++) {
        template_job *j = calloc(1, sizeof *j);
        j->t = w1;
        j->text = calloc((size_t)w1->n_slots, sizeof *j->text);
        char buf[600], seed[32];
        snprintf(seed, sizeof seed, " #%d", a->id * 100 + i);
        for (int k = 0; k < w1->n_slots; k++) {
            /* label 0 always new; label 9 takes turns between two texts */
            const char *tail = k == 0 ? seed : k == 9 ? (i % 2 ? " (b)" : " (a)") : "";
            snprintf(buf, sizeof buf, "%s%s", w1->slots[k].def, tail);
            j->text[k] = strdup(buf);
        }
        image_spec spec = {w1->width, w1->height, 1, IMG_JPEG, 85, 0};
        blob *b = NULL;
        if (render_image(wrc, &spec, cards_draw, j, budget_now() + 60, &b, &err) < 0) {
            a->failures++;
            cards_job_free(j);
            continue;
        }
        cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w1->width, w1->height);
        cairo_t *cr = cairo_create(frame);
        cairo_set_source_surface(cr, w1->bg, 0, 0);
        cairo_paint(cr);
        for (int k = 0; k < w1->n_slots; k++)
            text_draw(render_ctx_fonts(wrc), cr, j->text[k], strlen(j->text[k]), &w1->slots[k].style,
                      w1->slots[k].box, NULL, &err);
        cairo_destroy(cr);
        cairo_surface_flush(frame);
        splice_fmt f = {w1->width, w1->height, 85, 0, 0};
        if (splice_encode_full(e, &f, cairo_image_surface_get_data(frame), cairo_image_surface_get_stride(frame),
                               &full, &err) < 0 || full.len != b->len || memcmp(full.data, b->data, b->len) != 0)
            a->failures++;
        cairo_surface_destroy(frame);
        blob_unref(b);
        cards_job_free(j);
    }
    outbuf_free(&full);
    splice_encoder_free(e);
    render_ctx_free(wrc);
    return NULL;
}

static void test_workers_share_caches(void **state)
{
    splice_cache_clear(st);
    pthread_t th[3];
    w1_arg args[3] = {{1, 0}, {2, 0}, {3, 0}};
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, w1_thread, &args[i]);
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    assert_true(splice_bands_bytes(st) > 0);
    splice_cache_clear(st);
}

/* The worker's encode buffer (PNG and other full encodes) is charged to the budget while it is
 * kept between jobs, and given back with the cached surface under pressure. */
static void test_encode_buffer_charged(void **state)
{
    const template *w1 = template_set_find(set, "w1");
    render_ctx_release(rc);
    splice_cache_clear(st); /* nothing left for the releases below to trim but what this job keeps */
    size_t before = budget_used(bud);
    template_job *j = job_for(w1, 7);
    image_spec spec = {w1->width, w1->height, 1, IMG_PNG, 0, 0};
    blob *b = NULL;
    err_t err = {0};
    assert_int_equal(render_image(rc, &spec, cards_draw, j, budget_now() + 60, &b, &err), 0);
    size_t surface = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w1->width) * w1->height;
    size_t blob_bytes = sizeof(blob) + b->len;
    /* surface + the blob + an encode buffer at least the PNG's size */
    assert_true(budget_used(bud) - before >= surface + blob_bytes + b->len);
    blob_unref(b);
    render_ctx_release(rc);
    assert_int_equal(budget_used(bud), before);
    cards_job_free(j);
}

/* ---- drawn backgrounds (render_bg.paint) ---- */

typedef struct {
    int paints;          /* calls of the background's paint */
    int spliced;         /* render_background_under's answer in the last job */
    text_box widened;    /* the part's box as render_background_under left it */
    double part_y;       /* where the job's part goes (layout units) */
} drawn_job;

/* A background with detail everywhere: stripes and a diagonal. */
static void drawn_scene(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 0.9, 0.85, 0.7);
    cairo_paint(cr);
    for (int i = 0; i < 40; i++) {
        cairo_rectangle(cr, 0, i * 17.3, 700, 6.1);
        cairo_set_source_rgb(cr, 0.1 + i * 0.02, 0.4, 0.6 - i * 0.01);
        cairo_fill(cr);
    }
    cairo_move_to(cr, 0, 0);
    cairo_line_to(cr, 700, 450);
    cairo_set_line_width(cr, 3);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_stroke(cr);
}

static int drawn_paint(void *arg, render_ctx *r, cairo_t *cr, err_t *err)
{
    ((drawn_job *)arg)->paints++;
    drawn_scene(cr);
    return 0;
}

/* The job: the background, then one box of text at part_y. Spliced, it draws the whole image
 * (the background included) inside its widened part, as the contract asks; else all of it. The
 * rows are whole (full width, whole MCU rows), so the clip is pixel-aligned at the band edges. */
static int drawn_draw(void *arg, render_ctx *r, cairo_t *cr, err_t *err)
{
    drawn_job *j = arg;
    render_part part = {{100, j->part_y, 300, 30}, 0, NULL, 0, 0};
    render_bg bg = {.tag = 0xD2A3, .paint = drawn_paint, .paint_arg = j};
    j->spliced = render_background_under(r, cr, &bg, &part, 1);
    j->widened = part.box;
    drawn_scene(cr);
    text_style ts = {.font = "sans", .max_size = 20, .min_size = 10, .color = {0.8, 0, 0, 1}};
    return text_draw(render_ctx_fonts(r), cr, "Spliced Ölkühler", strlen("Spliced Ölkühler"), &ts,
                     (text_box){100, j->part_y, 300, 30}, NULL, err);
}

/* The whole frame: what the job draws without splicing. */
static void drawn_full(drawn_job *j, int scale, int sub444, outbuf *full)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 700 * scale, 453 * scale);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    err_t err = {0};
    drawn_job copy = *j;
    assert_int_equal(drawn_draw(&copy, rc, cr, &err), 0);
    assert_int_equal(copy.spliced, 0); /* not the job's surface: never spliced */
    cairo_destroy(cr);
    cairo_surface_flush(s);
    splice_fmt f = {700 * scale, 453 * scale, 85, sub444, 0};
    assert_int_equal(splice_encode_full(enc, &f, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s),
                                        full, &err), 0);
    cairo_surface_destroy(s);
}

/* A drawn background is painted only when its segments are not cached (into the job's own
 * surface), the part's box comes back widened to whole MCU rows of the full width, and the file
 * is the full encode; with the splice cache off it is never painted and the job is encoded whole
 * (no restart markers). 453 rows: a partial last MCU row either way. */
static void test_drawn_background(void **state)
{
    for (int scale = 1; scale <= 2; scale++)
        for (int sub = 0; sub <= 1; sub++) {
            int m = sub ? 8 : 16;
            image_spec spec = {700, 453, scale, IMG_JPEG, 85, sub};
            splice_cache_clear(st);
            for (int round = 0; round < 3; round++) {
                drawn_job j = {0, 0, {0, 0, 0, 0}, round == 2 ? 420 : 61.3}; /* last: the partial row */
                err_t err = {0};
                blob *b = NULL;
                assert_int_equal(render_image(rc, &spec, drawn_draw, &j, budget_now() + 60, &b, &err), 0);
                assert_int_equal(j.spliced, 1);
                assert_int_equal(j.paints, round == 0); /* the background's segments: made once */
                double y0 = floor(j.part_y * scale / m) * m / scale;
                assert_true(j.widened.x == 0 && j.widened.w == 700);
                assert_true(fabs(j.widened.y - y0) < 1e-9);
                assert_true(j.widened.y + j.widened.h >= j.part_y + 30 - 1e-9);
                double bottom = fmin(ceil((j.part_y + 30) * scale / m) * m / scale, 453);
                assert_true(fabs(j.widened.y + j.widened.h - bottom) < 1e-9);
                outbuf full = {0};
                drawn_full(&j, scale, sub, &full);
                if (b->len != full.len || memcmp(b->data, full.data, full.len) != 0)
                    fail_msg("drawn background %dx %s round %d: spliced %zu bytes, full %zu", scale,
                             sub ? "444" : "420", round, b->len, full.len);
                outbuf_free(&full);
                blob_unref(b);
            }
        }
    /* Cache off: no paint, encoded whole by TurboJPEG (no DRI marker). */
    splice_cache_clear(st);
    splice_cache_set_limit(st, 0);
    drawn_job j = {0, 0, {0, 0, 0, 0}, 100};
    image_spec spec = {700, 453, 1, IMG_JPEG, 85, 0};
    err_t err = {0};
    blob *b = NULL;
    assert_int_equal(render_image(rc, &spec, drawn_draw, &j, budget_now() + 60, &b, &err), 0);
    assert_int_equal(j.spliced, 0);
    assert_int_equal(j.paints, 0);
    int dri = 0;
    for (size_t i = 0; i + 1 < b->len && !dri; i++)
        dri = b->data[i] == 0xFF && b->data[i + 1] == 0xDD;
    assert_false(dri);
    blob_unref(b);
    splice_cache_set_limit(st, SPLICE_CACHE_DEFAULT_BYTES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_template),
        cmocka_unit_test(test_encode_buffer_charged),
        cmocka_unit_test(test_edges_image_background),
        cmocka_unit_test(test_edges_colour_background),
        cmocka_unit_test(test_random_frames),
        cmocka_unit_test(test_random_segments),
        cmocka_unit_test(test_segments_tall_stack),
        cmocka_unit_test(test_layer_runs),
        cmocka_unit_test(test_cache_shares_and_charges),
        cmocka_unit_test(test_cache_limit_and_trim_while_held),
        cmocka_unit_test(test_cache_threads),
        cmocka_unit_test(test_band_cache_keys),
        cmocka_unit_test(test_band_cache_w1),
        cmocka_unit_test(test_workers_share_caches),
        cmocka_unit_test(test_drawn_background),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
