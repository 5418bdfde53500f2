/* Coverage sprites (sprite.h): a path's coverage made once with cairo, painted many times. */
#include "core/sprite.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sprite {
    int x0, y0, x1, h; /* device pixels: the box's left and right edges, its first row and rows */
    cairo_matrix_t m;  /* the matrix it was made under */
    int *from, *len;   /* per row: the first covered pixel's x and the span's length */
    size_t *at;        /* per row: where its coverage starts in cov */
    size_t bytes;
    unsigned char *cov;
};

/* The device-space box of user-space box (x0, y0)-(x1, y1) under cr's matrix, as pixels
 * [box[0], box[2]) x [box[1], box[3]): the pixels it meets, or (inner) those wholly inside it. */
static void device_box(cairo_t *cr, double x0, double y0, double x1, double y1, int inner, int box[4])
{
    double xs[4] = {x0, x1, x0, x1}, ys[4] = {y0, y0, y1, y1};
    double lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY;
    for (int i = 0; i < 4; i++) {
        cairo_user_to_device(cr, &xs[i], &ys[i]);
        lo_x = fmin(lo_x, xs[i]), lo_y = fmin(lo_y, ys[i]), hi_x = fmax(hi_x, xs[i]), hi_y = fmax(hi_y, ys[i]);
    }
    box[0] = (int)(inner ? ceil(lo_x) : floor(lo_x)), box[1] = (int)(inner ? ceil(lo_y) : floor(lo_y));
    box[2] = (int)(inner ? floor(hi_x) : ceil(hi_x)), box[3] = (int)(inner ? floor(hi_y) : ceil(hi_y));
}

/* A cairo context over a8 with cr's matrix and everything that shapes a stroke or fill. */
static cairo_t *same_state(cairo_t *cr, cairo_surface_t *a8)
{
    cairo_t *c = cairo_create(a8);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    cairo_set_matrix(c, &m);
    cairo_set_antialias(c, cairo_get_antialias(cr));
    cairo_set_tolerance(c, cairo_get_tolerance(cr));
    cairo_set_fill_rule(c, cairo_get_fill_rule(cr));
    cairo_set_line_width(c, cairo_get_line_width(cr));
    cairo_set_line_cap(c, cairo_get_line_cap(cr));
    cairo_set_line_join(c, cairo_get_line_join(cr));
    cairo_set_miter_limit(c, cairo_get_miter_limit(cr));
    int n = cairo_get_dash_count(cr);
    if (n > 0 && n <= 64) {
        double dashes[64], offset;
        cairo_get_dash(cr, dashes, &offset);
        cairo_set_dash(c, dashes, n, offset);
    }
    return c;
}

/* A row's span [*a, *z) from its first covered pixel to its last (empty: *a == *z). */
static void covered(const unsigned char *row, int w, int *a, int *z)
{
    *a = 0, *z = w;
    while (*a < w && !row[*a])
        (*a)++;
    while (*z > *a && !row[*z - 1])
        (*z)--;
}

sprite *sprite_new(cairo_t *cr, int stroke)
{
    double ox, oy, x0, y0, x1, y1;
    cairo_surface_get_device_offset(cairo_get_target(cr), &ox, &oy);
    if (ox != 0 || oy != 0)
        return NULL;
    if (stroke)
        cairo_stroke_extents(cr, &x0, &y0, &x1, &y1);
    else
        cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
    int box[4];
    device_box(cr, x0, y0, x1, y1, 0, box);
    box[0]--, box[1]--, box[2]++, box[3]++; /* a pixel more all round */
    int w = box[2] - box[0], h = box[3] - box[1];
    cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    if (cairo_surface_status(a8) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(a8);
        return NULL;
    }
    cairo_surface_set_device_offset(a8, -box[0], -box[1]);
    cairo_t *c = same_state(cr, a8);
    cairo_path_t *path = cairo_copy_path(cr);
    cairo_append_path(c, path);
    cairo_path_destroy(path);
    if (stroke)
        cairo_stroke(c);
    else
        cairo_fill(c);
    int ok = cairo_status(c) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(c);
    cairo_surface_flush(a8);
    const unsigned char *d = cairo_image_surface_get_data(a8);
    int stride = cairo_image_surface_get_stride(a8);
    size_t total = 0;
    for (int y = 0; y < h; y++) {
        int a, z;
        covered(d + (size_t)y * stride, w, &a, &z);
        total += (size_t)(z - a);
    }
    size_t bytes = sizeof(sprite) + (size_t)h * (2 * sizeof(int) + sizeof(size_t)) + total;
    sprite *s = ok ? malloc(bytes) : NULL;
    if (s) {
        s->x0 = box[0], s->y0 = box[1], s->x1 = box[2], s->h = h, s->bytes = bytes;
        cairo_get_matrix(cr, &s->m);
        s->at = (size_t *)(s + 1);
        s->from = (int *)(s->at + h);
        s->len = s->from + h;
        s->cov = (unsigned char *)(s->len + h);
        size_t at = 0;
        for (int y = 0; y < h; y++) {
            int a, z;
            covered(d + (size_t)y * stride, w, &a, &z);
            s->from[y] = box[0] + a, s->len[y] = z - a, s->at[y] = at;
            memcpy(s->cov + at, d + (size_t)y * stride + a, (size_t)(z - a));
            at += (size_t)(z - a);
        }
    }
    cairo_surface_destroy(a8);
    return s;
}

void sprite_free(sprite *s)
{
    free(s);
}

size_t sprite_bytes(const sprite *s)
{
    return s->bytes;
}

/* a * b / 255, rounded as pixman does. */
static inline unsigned mul_un8(unsigned a, unsigned b)
{
    unsigned t = a * b + 0x80;
    return (t + (t >> 8)) >> 8;
}

/* A colour channel as cairo hands it to pixman: 16 bits, premultiplied, the high byte taken. */
static unsigned channel(double v, double a)
{
    return (unsigned)(v * a * 65535.0 + 0.5) >> 8;
}

/* Whether cr's clip holds every pixel of s. */
static int clip_holds(cairo_t *cr, const sprite *s)
{
    cairo_rectangle_list_t *l = cairo_copy_clip_rectangle_list(cr);
    int ok = l->status == CAIRO_STATUS_SUCCESS && l->num_rectangles == 1;
    if (ok) {
        const cairo_rectangle_t *r = &l->rectangles[0];
        int c[4];
        device_box(cr, r->x, r->y, r->x + r->width, r->y + r->height, 1, c);
        ok = c[0] <= s->x0 && c[1] <= s->y0 && c[2] >= s->x1 && c[3] >= s->y0 + s->h;
    }
    cairo_rectangle_list_destroy(l);
    return ok;
}

int sprite_paint(const sprite *s, cairo_t *cr, double r, double g, double b, double a)
{
    cairo_surface_t *t = cairo_get_target(cr);
    cairo_matrix_t m;
    double ox, oy;
    cairo_get_matrix(cr, &m);
    if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE || !(a >= 0 && a < 1) ||
        cairo_get_operator(cr) != CAIRO_OPERATOR_OVER || memcmp(&m, &s->m, sizeof m) != 0)
        return -1;
    cairo_format_t f = cairo_image_surface_get_format(t);
    cairo_surface_get_device_offset(t, &ox, &oy);
    int w = cairo_image_surface_get_width(t), h = cairo_image_surface_get_height(t);
    /* Off the surface's edge cairo's coverage of the edge pixels differs: that is cairo's to draw. */
    if ((f != CAIRO_FORMAT_RGB24 && f != CAIRO_FORMAT_ARGB32) || ox != 0 || oy != 0 || s->x0 < 0 || s->y0 < 0 ||
        s->x1 > w || s->y0 + s->h > h || !clip_holds(cr, s))
        return -1;
    cairo_surface_flush(t);
    unsigned char *data = cairo_image_surface_get_data(t);
    int stride = cairo_image_surface_get_stride(t), opaque_dst = f == CAIRO_FORMAT_RGB24;
    unsigned sa = channel(1, a), sr = channel(r, a), sg = channel(g, a), sb = channel(b, a);
    for (int y = 0; y < s->h; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)(s->y0 + y) * (size_t)stride);
        const unsigned char *cov = s->cov + s->at[y];
        for (int x = s->from[y]; x < s->from[y] + s->len[y]; x++) {
            unsigned c = cov[x - s->from[y]];
            if (!c)
                continue;
            /* OVER: the colour IN the coverage, then over what is there */
            unsigned ca = mul_un8(sa, c), k = 255 - ca, v = row[x];
            unsigned da = opaque_dst ? 255 : v >> 24;
            row[x] = (ca + mul_un8(da, k)) << 24 | (mul_un8(sr, c) + mul_un8(v >> 16 & 255, k)) << 16 |
                     (mul_un8(sg, c) + mul_un8(v >> 8 & 255, k)) << 8 | (mul_un8(sb, c) + mul_un8(v & 255, k));
        }
    }
    cairo_surface_mark_dirty(t);
    return 0;
}
