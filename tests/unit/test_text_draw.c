/* test_text_draw.c — the drawing helpers products share (text/draw.c: hex colours, rounded
 * rectangles), text_measure(), and the per-thread state behind them: the scaled-font cache
 * starting over when full, and the ellipsis shaped before a family's first label. */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/draw.h"
#include "text/text.h"

static void test_colors(void **state)
{
    text_rgba c;
    assert_int_equal(text_color_parse("#fff", &c), 0);
    assert_true(c.r == 1 && c.a == 1);
    assert_int_equal(text_color_parse("#ffffffcc", &c), 0);
    assert_true(c.a > 0.79 && c.a < 0.81);
    assert_int_equal(text_color_parse("#1A2b3C", &c), 0);
    assert_true(c.r == 0x1a / 255.0 && c.g == 0x2b / 255.0 && c.b == 0x3c / 255.0 && c.a == 1);
    assert_int_equal(text_color_parse("#00000000", &c), 0);
    assert_true(c.a == 0);
    assert_int_equal(text_color_parse("#ffff", &c), -1);
    assert_int_equal(text_color_parse("fff", &c), -1);
    assert_int_equal(text_color_parse("#ggg", &c), -1);
    assert_int_equal(text_color_parse("#", &c), -1);
    assert_int_equal(text_color_parse("#fffffffff", &c), -1);
    assert_int_equal(text_color_parse(NULL, &c), -1);
}

/* Path of one rounded rectangle: its extents and how many curves and lines it has. */
static void rrect_path(double x, double y, double w, double h, double r, double ext[4], int *curves,
                       int *lines)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 200, 200);
    cairo_t *cr = cairo_create(s);
    text_rounded_rect(cr, x, y, w, h, r);
    cairo_path_extents(cr, &ext[0], &ext[1], &ext[2], &ext[3]);
    cairo_path_t *p = cairo_copy_path(cr);
    *curves = *lines = 0;
    for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
        *curves += p->data[i].header.type == CAIRO_PATH_CURVE_TO;
        *lines += p->data[i].header.type == CAIRO_PATH_LINE_TO;
    }
    cairo_path_destroy(p);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void test_rounded_rect(void **state)
{
    double e[4];
    int curves, lines;
    rrect_path(10, 20, 100, 40, 8, e, &curves, &lines);
    assert_true(e[0] == 10 && e[1] == 20 && e[2] == 110 && e[3] == 60);
    assert_true(curves >= 4);
    /* a radius above half the height is cut to it: the ends are half circles, the box unchanged */
    rrect_path(10, 20, 100, 40, 50, e, &curves, &lines);
    assert_true(fabs(e[0] - 10) < 1e-9 && fabs(e[1] - 20) < 1e-9 && fabs(e[2] - 110) < 1e-9 &&
                fabs(e[3] - 60) < 1e-9);
    /* no radius: a plain rectangle, no curves */
    rrect_path(10, 20, 100, 40, 0, e, &curves, &lines);
    assert_int_equal(curves, 0);
    assert_true(e[0] == 10 && e[1] == 20 && e[2] == 110 && e[3] == 60);
}

static const char *manifest(void)
{
    const char *m = getenv("TEXT_FONTS_MANIFEST");
    return m ? m : "fonts/fonts.json";
}

static cairo_surface_t *canvas(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 60);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_destroy(cr);
    return s;
}

static int same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    size_t n = (size_t)cairo_image_surface_get_stride(a) * (size_t)cairo_image_surface_get_height(a);
    return memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b), n) == 0;
}

static text_style style(double size)
{
    text_style st = {0};
    st.max_size = st.min_size = size;
    st.color = (text_rgba){0, 0, 0, 1};
    return st;
}

static void draw_label(text_fonts *tf, cairo_surface_t *s, const char *t, const text_style *st,
                       text_metrics *m)
{
    cairo_t *cr = cairo_create(s);
    assert_int_equal(text_draw(tf, cr, t, strlen(t), st, (text_box){4, 4, 232, 52}, m, NULL), 0);
    cairo_destroy(cr);
}

/* text_measure reports what text_draw would, and draws nothing. */
static void test_measure(void **state)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(manifest(), &err);
    assert_non_null(tf);
    text_style st = style(24);
    st.min_size = 8;
    const char *t = "Kartographie";
    text_metrics drawn, measured;
    cairo_surface_t *s = canvas();
    draw_label(tf, s, t, &st, &drawn);
    assert_int_equal(text_measure(tf, t, strlen(t), &st, (text_box){4, 4, 232, 52}, &measured, &err), 0);
    assert_true(measured.size == drawn.size && measured.lines == drawn.lines &&
                measured.truncated == drawn.truncated && measured.ink.x == drawn.ink.x &&
                measured.ink.w == drawn.ink.w && measured.ink.h == drawn.ink.h);
    assert_true(measured.ink.w > 50);
    assert_int_equal(text_measure(tf, "\xff", 1, &st, (text_box){0, 0, 100, 20}, &measured, &err), -1);
    cairo_surface_destroy(s);
    text_fonts_free(tf);
}

/* A label drawn again after more sizes than the scaled-font cache keeps (it starts over) is
 * drawn exactly as before. */
static void test_scaled_font_cache(void **state)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(manifest(), &err);
    assert_non_null(tf);
    text_style st = style(20);
    cairo_surface_t *a = canvas(), *b = canvas(), *scratch = canvas();
    draw_label(tf, a, "Hamburg 1234", &st, NULL);
    for (int i = 1; i <= 400; i++) {
        text_style other = style(8 + i * 0.25);
        draw_label(tf, scratch, "Hamburg 1234", &other, NULL);
    }
    draw_label(tf, b, "Hamburg 1234", &st, NULL);
    assert_true(same_pixels(a, b));
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cairo_surface_destroy(scratch);
    text_fonts_free(tf);
}

/* The very first label of fresh fonts, cut short, ends in the family's ellipsis glyph; drawn
 * again after other families' labels it is the same. */
static void test_first_label_ellipsis(void **state)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(manifest(), &err);
    assert_non_null(tf);
    text_style st = style(18);
    const char *t = "Kartographische Gesellschaft und Landesvermessungsamt Schleswig-Holstein";
    text_layout *lo = text_layout_fit(tf, t, strlen(t), &st, (text_box){4, 4, 232, 52}, &err);
    assert_non_null(lo);
    text_metrics m;
    text_layout_metrics(lo, &m);
    assert_int_equal(m.truncated, 1);
    int n = text_layout_glyph_count(lo), ell = 0;
    for (int i = 0; i < n; i++) {
        text_glyph_pos g;
        text_layout_glyph_at(lo, i, &g);
        ell += g.cluster == -1 && g.index != 0;
    }
    assert_int_equal(ell, 1);
    cairo_surface_t *a = canvas(), *b = canvas(), *scratch = canvas();
    cairo_t *cr = cairo_create(a);
    text_layout_draw(lo, cr);
    cairo_destroy(cr);
    text_layout_free(lo);
    text_style mono = style(18);
    mono.font = "mono";
    draw_label(tf, scratch, "x = 1…", &mono, NULL);
    draw_label(tf, b, t, &st, NULL);
    assert_true(same_pixels(a, b));
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cairo_surface_destroy(scratch);
    text_fonts_free(tf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_rounded_rect),
        cmocka_unit_test(test_measure),
        cmocka_unit_test(test_scaled_font_cache),
        cmocka_unit_test(test_first_label_ellipsis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
