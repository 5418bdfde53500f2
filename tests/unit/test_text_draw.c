/* Unit tests of text/draw.c: the shared hex-colour parser and rounded rectangle. */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/draw.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_rounded_rect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
