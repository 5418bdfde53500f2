/* Unit tests of coverage sprites (sprite.c). The claim: a sprite painted in a translucent colour
 * leaves exactly the pixels (all 32 bits) cairo's own stroke or fill of the same path leaves, on
 * RGB24 and ARGB32 surfaces, at 1x and 2x, for lines, polylines with joins, arcs and fills, also
 * where the path runs off the surface; and where that cannot hold (an opaque colour, a clip
 * inside the sprite, another matrix, a vector surface) it paints nothing and says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <math.h>

#include "core/sprite.h"

/* A reproducible stream of numbers in [0, 1). */
static unsigned long long seed = 12345;
static double rnd(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(seed >> 11) / 9007199254740992.0;
}

typedef struct {
    int kind; /* 0: a polyline of three points, 1: an arc, 2: a closed polygon */
    double p[8], lw;
    cairo_line_cap_t cap;
    cairo_line_join_t join;
} shape;

static void set_path(cairo_t *cr, const shape *sh)
{
    cairo_set_line_width(cr, sh->lw);
    cairo_set_line_cap(cr, sh->cap);
    cairo_set_line_join(cr, sh->join);
    cairo_new_path(cr);
    if (sh->kind == 1) {
        cairo_arc(cr, sh->p[0], sh->p[1], 1 + sh->p[2] / 20, 0, 2 * M_PI);
        return;
    }
    cairo_move_to(cr, sh->p[0], sh->p[1]);
    for (int i = 2; i < (sh->kind == 2 ? 8 : 6); i += 2)
        cairo_line_to(cr, sh->p[i], sh->p[i + 1]);
    if (sh->kind == 2)
        cairo_close_path(cr);
}

/* A surface with something on it already (a translucent wash on ARGB32). */
static cairo_surface_t *canvas(cairo_format_t f, int scale)
{
    cairo_surface_t *s = cairo_image_surface_create(f, 300 * scale, 200 * scale);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0.93, 0.91, 0.87, f == CAIRO_FORMAT_ARGB32 ? 0.6 : 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.2, 0.45, 0.7);
    cairo_rectangle(cr, 80 * scale, 40 * scale, 70 * scale, 90 * scale);
    cairo_fill(cr);
    cairo_destroy(cr);
    return s;
}

static cairo_t *context(cairo_surface_t *s, int scale)
{
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    return cr;
}

static void assert_same_pixels(cairo_surface_t *a, cairo_surface_t *b, const char *what)
{
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    int h = cairo_image_surface_get_height(a), stride = cairo_image_surface_get_stride(a);
    const unsigned char *x = cairo_image_surface_get_data(a), *y = cairo_image_surface_get_data(b);
    for (int r = 0; r < h; r++)
        if (memcmp(x + (size_t)r * stride, y + (size_t)r * stride, (size_t)stride) != 0) {
            int c = 0;
            while (((const uint32_t *)(x + (size_t)r * stride))[c] == ((const uint32_t *)(y + (size_t)r * stride))[c])
                c++;
            fail_msg("%s: pixel %d,%d is %08x, cairo's %08x", what, c, r, ((const uint32_t *)(y + (size_t)r * stride))[c],
                     ((const uint32_t *)(x + (size_t)r * stride))[c]);
        }
}

/* 400 random shapes: sprite == cairo; half of them may reach past the surface's edge, where
 * cairo draws them itself. */
static void test_same_as_cairo(void **state)
{
    int painted = 0;
    static const cairo_format_t formats[] = {CAIRO_FORMAT_RGB24, CAIRO_FORMAT_ARGB32};
    for (int it = 0; it < 400; it++) {
        int scale = 1 + it % 2, stroke = it % 3 != 2;
        cairo_format_t f = formats[(it / 2) % 2];
        shape sh = {.kind = stroke ? (int)(rnd() * 2) : 2 * (int)(rnd() * 2), .lw = 0.5 + 3 * rnd(),
                    .cap = rnd() < 0.5 ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT,
                    .join = rnd() < 0.5 ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER};
        for (int i = 0; i < 8; i++)
            sh.p[i] = (i % 2 ? 200 : 300) * (it % 4 < 2 ? rnd() : 1.4 * rnd() - 0.2);
        double r = rnd(), g = rnd(), b = rnd(), a = 0.98 * rnd();
        cairo_surface_t *want = canvas(f, scale), *got = canvas(f, scale);
        cairo_t *cw = context(want, scale), *cg = context(got, scale);
        set_path(cw, &sh);
        cairo_set_source_rgba(cw, r, g, b, a);
        if (stroke)
            cairo_stroke(cw);
        else
            cairo_fill(cw);
        set_path(cg, &sh);
        double x0, y0, x1, y1;
        if (stroke)
            cairo_stroke_extents(cg, &x0, &y0, &x1, &y1);
        else
            cairo_fill_extents(cg, &x0, &y0, &x1, &y1);
        int inside = x0 >= 1 && y0 >= 1 && x1 <= 299 && y1 <= 199;
        sprite *sp = sprite_new(cg, stroke);
        assert_non_null(sp);
        if (sprite_paint(sp, cg, r, g, b, a) < 0) { /* off the edge: cairo's to draw */
            assert_false(inside);
            cairo_set_source_rgba(cg, r, g, b, a);
            if (stroke)
                cairo_stroke(cg);
            else
                cairo_fill(cg);
        }
        cairo_new_path(cg);
        painted += inside;
        char what[96];
        snprintf(what, sizeof what, "shape %d (kind %d, %s, %dx, format %d)", it, sh.kind, stroke ? "stroke" : "fill",
                 scale, f);
        assert_same_pixels(want, got, what);
        sprite_free(sp);
        cairo_destroy(cw);
        cairo_destroy(cg);
        cairo_surface_destroy(want);
        cairo_surface_destroy(got);
    }
    assert_true(painted > 200);
}

/* A sprite is painted where it was made, many times, on other surfaces of the same kind. */
static void test_reused(void **state)
{
    shape sh = {.kind = 0, .p = {20.5, 30.25, 140, 30.25, 260.7, 170.1}, .lw = 1.5, .cap = CAIRO_LINE_CAP_ROUND,
                .join = CAIRO_LINE_JOIN_ROUND};
    cairo_surface_t *first = canvas(CAIRO_FORMAT_RGB24, 1);
    cairo_t *c0 = context(first, 1);
    set_path(c0, &sh);
    sprite *sp = sprite_new(c0, 1);
    assert_non_null(sp);
    assert_true(sprite_bytes(sp) > 0);
    for (int k = 0; k < 3; k++) {
        cairo_surface_t *want = canvas(CAIRO_FORMAT_RGB24, 1), *got = canvas(CAIRO_FORMAT_RGB24, 1);
        cairo_t *cw = context(want, 1), *cg = context(got, 1);
        set_path(cw, &sh);
        cairo_set_source_rgba(cw, 0.22, 0.27, 0.33, 0.3 * k + 0.1);
        cairo_stroke(cw);
        assert_int_equal(sprite_paint(sp, cg, 0.22, 0.27, 0.33, 0.3 * k + 0.1), 0);
        assert_same_pixels(want, got, "a sprite painted again");
        cairo_destroy(cw);
        cairo_destroy(cg);
        cairo_surface_destroy(want);
        cairo_surface_destroy(got);
    }
    sprite_free(sp);
    cairo_destroy(c0);
    cairo_surface_destroy(first);
}

/* Where the pixels would not be cairo's, nothing is painted and the caller is told. */
static void test_refused(void **state)
{
    shape sh = {.kind = 0, .p = {20, 30, 140, 30, 260, 170}, .lw = 1.5, .cap = CAIRO_LINE_CAP_ROUND,
                .join = CAIRO_LINE_JOIN_ROUND};
    cairo_surface_t *s = canvas(CAIRO_FORMAT_RGB24, 1), *before = canvas(CAIRO_FORMAT_RGB24, 1);
    cairo_t *cr = context(s, 1);
    set_path(cr, &sh);
    sprite *sp = sprite_new(cr, 1);
    cairo_new_path(cr);
    assert_non_null(sp);
    assert_int_equal(sprite_paint(sp, cr, 0.2, 0.2, 0.2, 1.0), -1); /* opaque: cairo blends otherwise */
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, 100, 100);
    cairo_clip(cr);
    assert_int_equal(sprite_paint(sp, cr, 0.2, 0.2, 0.2, 0.5), -1); /* a clip inside the sprite */
    cairo_restore(cr);
    cairo_save(cr);
    cairo_scale(cr, 2, 2);
    assert_int_equal(sprite_paint(sp, cr, 0.2, 0.2, 0.2, 0.5), -1); /* another matrix */
    cairo_restore(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_ADD);
    assert_int_equal(sprite_paint(sp, cr, 0.2, 0.2, 0.2, 0.5), -1);
    assert_same_pixels(before, s, "refused paints");
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, 300, 200);
    cairo_clip(cr); /* a clip around all of it is no clip */
    assert_int_equal(sprite_paint(sp, cr, 0.2, 0.2, 0.2, 0.5), 0);
    cairo_restore(cr);
    cairo_surface_t *pdf = cairo_pdf_surface_create(NULL, 300, 200);
    cairo_t *cp = cairo_create(pdf);
    cairo_set_antialias(cp, CAIRO_ANTIALIAS_FAST);
    assert_int_equal(sprite_paint(sp, cp, 0.2, 0.2, 0.2, 0.5), -1); /* vectors stay vectors */
    cairo_destroy(cp);
    cairo_surface_destroy(pdf);
    sprite_free(sp);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    cairo_surface_destroy(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cairo),
        cmocka_unit_test(test_reused),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
