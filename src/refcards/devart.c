/* devart.c — draws a device's schematic line drawing from the vector shapes of its JSON (the
 * language of artspec.h). The drawings are ours: simple outlines in a light, printable style
 * (pale fills, one dark stroke colour), so callouts and leader lines stay readable on top.
 * The server draws them live; tools/bake/devart_bake.c writes them to PNG when asked. */
#include "refcards/devart.h"

#include <math.h>
#include <string.h>

#include "refcards/artspec.h"
#include "text/draw.h"

#define DEVART_PAPER 0.992, 0.992, 0.988
#define DEVART_INK 0.20, 0.23, 0.27

/* artspec_path's steps, drawn. */
static void devart_path_step(void *ctx, char cmd, const double *v)
{
    cairo_t *cr = ctx;
    if (cmd == 'M')
        cairo_move_to(cr, v[0], v[1]);
    else if (cmd == 'L')
        cairo_line_to(cr, v[0], v[1]);
    else if (cmd == 'C')
        cairo_curve_to(cr, v[0], v[1], v[2], v[3], v[4], v[5]);
    else
        cairo_close_path(cr);
}

static double devart_num(const json_t *arr, size_t i)
{
    return json_number_value(json_array_get(arr, i));
}

static void devart_fill_stroke(cairo_t *cr, const char *fill, double stroke)
{
    double rgb[3];
    if (artspec_fill_rgb(fill, rgb) == 1) {
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        if (stroke > 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (stroke > 0) {
        cairo_set_source_rgb(cr, DEVART_INK);
        cairo_set_line_width(cr, stroke);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

/* A hat switch: a round cap, a centre boss and one mark per direction. */
static void devart_hat(cairo_t *cr, double cx, double cy, double r, int ways)
{
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    devart_fill_stroke(cr, "control", 2.2);
    cairo_arc(cr, cx, cy, r * 0.36, 0, 2 * M_PI);
    devart_fill_stroke(cr, "body2", 1.6);
    for (int i = 0; i < ways; i++) {
        double a = -M_PI / 2 + i * 2 * M_PI / ways;
        double tip = r * 0.86, base = r * 0.58, half = (ways == 8 ? 0.16 : 0.22);
        cairo_move_to(cr, cx + cos(a) * tip, cy + sin(a) * tip);
        cairo_line_to(cr, cx + cos(a + half) * base, cy + sin(a + half) * base);
        cairo_line_to(cr, cx + cos(a - half) * base, cy + sin(a - half) * base);
        cairo_close_path(cr);
        devart_fill_stroke(cr, i % 2 && ways == 8 ? "body2" : "dark", 0);
    }
}

void devart_draw(cairo_t *cr, const device *d)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, DEVART_PAPER);
    cairo_paint(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t i = 0; i < json_array_size(d->art); i++) {
        const json_t *sh = json_array_get(d->art, i);
        const char *fill = json_string_value(json_object_get(sh, "fill"));
        const json_t *sw = json_object_get(sh, "stroke");
        double stroke = sw ? json_number_value(sw) : 2.5;
        const json_t *v;
        if ((v = json_object_get(sh, "path"))) {
            artspec_path(json_string_value(v), devart_path_step, cr);
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "rrect"))) {
            text_rounded_rect(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), devart_num(v, 3),
                         devart_num(v, 4));
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "circle"))) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), 0, 2 * M_PI);
            devart_fill_stroke(cr, fill ? fill : "control", stroke);
        } else if ((v = json_object_get(sh, "ellipse"))) {
            cairo_save(cr);
            cairo_translate(cr, devart_num(v, 0), devart_num(v, 1));
            cairo_scale(cr, devart_num(v, 2), devart_num(v, 3));
            cairo_new_sub_path(cr);
            cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
            cairo_restore(cr); /* stroke in canvas units, not in the ellipse's */
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "arc"))) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), devart_num(v, 3) * M_PI / 180,
                      devart_num(v, 4) * M_PI / 180);
            devart_fill_stroke(cr, "none", sw ? stroke : 2.0);
        } else if ((v = json_object_get(sh, "line"))) {
            for (size_t k = 0; k < json_array_size(v); k++) {
                const json_t *pt = json_array_get(v, k);
                (k ? cairo_line_to : cairo_move_to)(cr, devart_num(pt, 0), devart_num(pt, 1));
            }
            devart_fill_stroke(cr, "none", sw ? stroke : 2.0);
        } else if ((v = json_object_get(sh, "hat"))) {
            devart_hat(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), (int)devart_num(v, 3));
        }
    }
    cairo_restore(cr);
}
