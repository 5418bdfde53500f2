/* draw.c — painting tiles, graticules, labels, markers and paths; the worker jobs (see
 * draw.h). Backgrounds are decoded from the packs on the worker and copied at whole device
 * pixels, never resampled; everything else is drawn in layout units over them. */
#include "tiles/draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/etag.h"
#include "tiles/codec.h"
#include "tiles/tilemath.h"

/* Where a layer has no imagery (outside a user image, beyond the poles). */
static const double empty_rgb[3] = {0.0, 0.0, 0.0};

static cairo_surface_t *compose_2x(const tiles_layer *L, int z, int x, int y, err_t *err);

/* Decode tile (z, x, y) of layer at scale from its pack: JPEG for opaque layers, PNG (alpha)
 * for user layers. NULL without error if the layer has no such tile. A layer without @2x
 * tiles (an archive given with --layer) makes them from its 1x tiles (compose_2x). */
static cairo_surface_t *background_tile(const tiles_layer *L, int z, int x, int y, int scale,
                                        err_t *err)
{
    const int fi = L->meta.has_alpha ? 1 : 0;
    if (scale == 2 && !L->packs[1][fi].kind && L->packs[0][fi].kind)
        return compose_2x(L, z, x, y, err);
    const tiles_pack *p = &L->packs[scale - 1][fi];
    long long off;
    size_t len;
    if (tiles_pack_lookup(p, z, x, y, &off, &len) != 0)
        return NULL;
    unsigned char *d;
    if (tiles_pack_read(p, z, x, y, &d, &len, err) != 0)
        return NULL;
    cairo_surface_t *s = tiles_codec_decode_surface(d, len, err);
    free(d);
    return s;
}

/* Paint src scaled into the box (x, y, size, size) of cr. */
static void paint_into(cairo_t *cr, cairo_surface_t *src, double x, double y, double size)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / cairo_image_surface_get_width(src),
                size / cairo_image_surface_get_height(src));
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_paint(cr);
    cairo_restore(cr);
}

/* A 512 px tile of (z, x, y) from 1x tiles, as the bake's @2x tiles cover the same ground at
 * twice the pixels: the four children at z + 1 side by side; where one is missing (beyond the
 * archive's maxzoom, or outside its imagery), the tile itself upscaled under the children there
 * are. NULL without error when there is none of them. */
static cairo_surface_t *compose_2x(const tiles_layer *L, int z, int x, int y, err_t *err)
{
    cairo_surface_t *kids[4] = {NULL, NULL, NULL, NULL}, *out = NULL;
    int have = 0;
    for (int i = 0; z < L->meta.maxzoom && i < 4; i++) {
        kids[i] = background_tile(L, z + 1, 2 * x + (i & 1), 2 * y + (i >> 1), 1, err);
        if (!kids[i] && err->kind != ERR_NONE)
            goto done;
        have += kids[i] != NULL;
    }
    cairo_surface_t *parent = have < 4 ? background_tile(L, z, x, y, 1, err) : NULL;
    if ((!parent && err->kind != ERR_NONE) || (!parent && have == 0))
        goto done;
    const int size = 2 * TILES_TILE_SIZE;
    out = cairo_image_surface_create(L->meta.has_alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                     size, size);
    cairo_t *cr = cairo_create(out);
    if (parent) {
        paint_into(cr, parent, 0, 0, size);
        cairo_surface_destroy(parent);
    }
    for (int i = 0; i < 4; i++)
        if (kids[i]) {
            cairo_save(cr);
            cairo_rectangle(cr, (i & 1) * size / 2, (i >> 1) * size / 2, size / 2, size / 2);
            cairo_clip(cr);
            cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE); /* a child replaces the upscaled parent */
            paint_into(cr, kids[i], (i & 1) * size / 2, (i >> 1) * size / 2, size / 2);
            cairo_restore(cr);
        }
    cairo_destroy(cr);
    if (cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(out);
        out = NULL;
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
    }
done:
    for (int i = 0; i < 4; i++)
        if (kids[i])
            cairo_surface_destroy(kids[i]);
    return out;
}

/* Tile (z, x, y) decoded: kept by the worker, else from the archive and then kept. A static map
 * decodes up to 20 tiles, most of its cost, and maps of a busy view decode the same ones. The
 * caller destroys its reference. NULL as background_tile. */
static cairo_surface_t *kept_tile(render_ctx *rc, const tiles_layer *L, int z, int x, int y, int scale,
                                  err_t *err)
{
    char key[160];
    int len = snprintf(key, sizeof key, "tile:%s:%s:%d/%d/%d@%d", L->meta.name, L->meta.bake_id, z, x, y, scale);
    cairo_surface_t *s = render_ctx_kept(rc, key, (size_t)len);
    if (!s && (s = background_tile(L, z, x, y, scale, err)))
        render_ctx_keep(rc, key, (size_t)len, s);
    return s;
}

/* Paint a decoded tile with its top-left at layout (lx, ly), at whole device pixels. */
static void paint_at_device(cairo_t *cr, cairo_surface_t *s, double lx, double ly)
{
    double dx = lx, dy = ly;
    cairo_user_to_device(cr, &dx, &dy);
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, s, round(dx), round(dy));
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
}

/* ---- graticule ---- */

static double graticule_step(int z)
{
    static const double step[TILES_MAX_ZOOM + 1] = {30, 30, 20, 10, 10, 5, 2};
    return step[z < 0 ? 0 : z > TILES_MAX_ZOOM ? TILES_MAX_ZOOM : z];
}

static void degree_text(double v, int lat, char *out, size_t cap)
{
    const char *hemi = lat ? (v > 0 ? "N" : v < 0 ? "S" : "") : (v > 0 ? "E" : v < 0 ? "W" : "");
    if (!lat && fabs(v) == 180)
        hemi = "";
    snprintf(out, cap, "%g°%s", fabs(v), hemi);
}

#define GRAT_LABEL_W 48.0
#define GRAT_LABEL_H 14.0

/* Boxes (layout units) holding every pixel something draws: what a job over a stored tile in
 * cell form decodes and encodes again. Margins cover antialiasing and halos. */
typedef struct {
    text_box *b;
    int n, cap;
} box_list;

static void box_add(box_list *l, double x0, double y0, double x1, double y1, double margin)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        text_box *b = realloc(l->b, (size_t)cap * sizeof *b);
        if (!b) {
            l->cap = -1; /* out of memory: the caller draws the tile whole */
            return;
        }
        l->b = b, l->cap = cap;
    }
    if (l->cap > 0)
        l->b[l->n++] = (text_box){x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin};
}

/* The graticule drawn into cr, or, with marks, only the boxes of what it draws. */
static void graticule(cairo_t *cr, text_fonts *tf, int z, double ox, double oy, double w, double h,
                      box_list *marks)
{
    const double world = tiles_world_size(z, TILES_TILE_SIZE), step = graticule_step(z);
    const double lat_max = floor(TILES_MAX_LAT / step) * step;
    /* The parallels' y, once (a logarithm and a tangent each). */
    enum { MAX_PARALLELS = 2 * 90 + 1 };
    double ys[MAX_PARALLELS];
    int nlat = 0;
    for (double lat = -lat_max; lat <= lat_max + 1e-9 && nlat < MAX_PARALLELS; lat += step)
        ys[nlat++] = tiles_lat_to_y(lat, world) - oy;
    if (!marks) {
        cairo_save(cr);
        cairo_set_line_width(cr, 1.0);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.45);
    }
    /* Meridians, over every world copy the view shows. */
    long k0 = (long)floor(ox / world), k1 = (long)floor((ox + w) / world);
    for (long k = k0; k <= k1; k++)
        for (double lng = -180; lng < 180; lng += step) {
            double x = tiles_lng_to_x(lng, world) + k * world - ox;
            if (x < -1 || x > w + 1)
                continue;
            if (marks) {
                box_add(marks, x - 0.5, fmax(0, -oy), x + 0.5, fmin(h, world - oy), 1);
                continue;
            }
            cairo_move_to(cr, x, fmax(0, -oy));
            cairo_line_to(cr, x, fmin(h, world - oy));
        }
    for (int jy = 0; jy < nlat; jy++) {
        double y = ys[jy];
        if (y < -1 || y > h + 1)
            continue;
        if (marks) {
            box_add(marks, 0, y - 0.5, w, y + 0.5, 1);
            continue;
        }
        cairo_move_to(cr, 0, y);
        cairo_line_to(cr, w, y);
    }
    if (!marks) {
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    if (!tf && !marks)
        return;
    /* Degree labels at each crossing: latitude above the parallel, longitude below it, both
     * just east of the meridian. Boxes are fixed-size so every tile draws them alike. */
    text_style st;
    memset(&st, 0, sizeof st);
    st.font = "sans";
    st.max_size = st.min_size = 9.0;
    st.align = TEXT_ALIGN_LEFT;
    st.color = (text_rgba){1, 1, 1, 0.9};
    st.halo = (text_rgba){0, 0, 0, 0.6};
    st.halo_width = 2.0;
    /* One label per crossing, alternating like a chessboard: latitudes on the "white"
     * crossings, longitudes on the "black" ones, so the grid is readable but not crowded. */
    const int nlng = (int)lround(360.0 / step);
    for (long k = k0 - 1; k <= k1; k++)
        for (int i = 0; i < nlng; i++) {
            double lng = -180 + i * step;
            double x = tiles_lng_to_x(lng, world) + k * world - ox;
            if (x + GRAT_LABEL_W < 0 || x > w)
                continue;
            for (int jy = 0; jy < nlat; jy++) {
                double lat = -lat_max + jy * step, y = ys[jy];
                if (y + GRAT_LABEL_H < 0 || y - GRAT_LABEL_H > h)
                    continue;
                text_box above = {x + 1, y - GRAT_LABEL_H, GRAT_LABEL_W, GRAT_LABEL_H};
                if (marks) {
                    box_add(marks, above.x, above.y, above.x + above.w, above.y + above.h, st.halo_width + 2);
                    continue;
                }
                char t[32];
                int is_lat = (i + jy) % 2 == 0;
                degree_text(is_lat ? lat : lng, is_lat, t, sizeof t);
                st.valign = TEXT_VALIGN_BOTTOM;
                text_draw(tf, cr, t, strlen(t), &st, above, NULL, NULL);
            }
        }
}

void tiles_draw_graticule(cairo_t *cr, text_fonts *tf, int z, double ox, double oy, double w,
                          double h)
{
    graticule(cr, tf, z, ox, oy, w, h, NULL);
}

/* ---- place labels ---- */

/* Placement order (index) first, so labels paint in priority order in every tile. */
static int cmp_hit(const void *a, const void *b)
{
    const tiles_label_hit *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->shift < y->shift ? -1 : x->shift > y->shift;
}

/* Whether a label (dot and name, view coordinates) touches an avoid box, or, with whole, is
 * not wholly inside the w x h view. */
static int hits_avoid(const tiles_label *l, double sx, double ox, double oy, double w, double h, int whole,
                      const tiles_view_box *avoid, size_t navoid)
{
    double x0 = fmin(l->x, l->dot_x - TILES_LABEL_DOT_R) + sx - ox;
    double x1 = fmax(l->x + l->w, l->dot_x + TILES_LABEL_DOT_R) + sx - ox;
    double y0 = fmin(l->y, l->dot_y - TILES_LABEL_DOT_R) - oy;
    double y1 = fmax(l->y + l->h, l->dot_y + TILES_LABEL_DOT_R) - oy;
    if (whole && (x0 < 0 || y0 < 0 || x1 > w || y1 > h))
        return 1;
    for (size_t i = 0; i < navoid; i++)
        if (x0 < avoid[i].x1 && avoid[i].x0 < x1 && y0 < avoid[i].y1 && avoid[i].y0 < y1)
            return 1;
    return 0;
}

/* The labels of set meeting the view, in paint order, without those touching an avoid box (and
 * with whole, those the view's edge would cut): malloc'd (*n of them), NULL when out of memory. */
static tiles_label_hit *places_in_view(const tiles_label_set *set, double ox, double oy, double w, double h,
                                       int whole, const tiles_view_box *avoid, size_t navoid, size_t *count)
{
    enum { MAX_HITS = 4096 };
    tiles_label_hit *hits = malloc(sizeof *hits * MAX_HITS);
    if (!hits)
        return NULL;
    /* A view wider than the world sees several copies: look at each world-sized slice. */
    size_t n = 0;
    for (double sx = 0; sx < w && n < MAX_HITS; sx += set->world) {
        double x0 = ox + sx, x1 = fmin(ox + w, x0 + set->world);
        double base = floor(x0 / set->world) * set->world; /* x0 - base in [0, world) */
        size_t got = tiles_labels_in_rect(set, x0 - base, oy, x1 - base, oy + h, hits + n,
                                          MAX_HITS - n);
        got = got > MAX_HITS - n ? MAX_HITS - n : got;
        for (size_t i = 0; i < got; i++)
            hits[n + i].shift += base;
        n += got;
    }
    /* Slices of a wide view can find the same label copy twice; keep one. */
    qsort(hits, n, sizeof *hits, cmp_hit);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || hits[u - 1].index != hits[i].index || hits[u - 1].shift != hits[i].shift)
            if (!hits_avoid(&set->labels[hits[i].index], hits[i].shift, ox, oy, w, h, whole, avoid, navoid))
                hits[u++] = hits[i];
    *count = u;
    return hits;
}

/* The boxes of the places found for a view: each dot and each label with its halo. */
static void places_boxes(const tiles_label_set *set, const tiles_label_hit *hits, size_t n, double ox, double oy,
                         box_list *marks)
{
    for (size_t i = 0; i < n; i++) {
        const tiles_label *l = &set->labels[hits[i].index];
        double dx = l->dot_x + hits[i].shift - ox, dy = l->dot_y - oy, r = TILES_LABEL_DOT_R + 0.5;
        box_add(marks, dx - r, dy - r, dx + r, dy + r, 1);
        double x = l->x + hits[i].shift - ox, y = l->y - oy;
        box_add(marks, x, y, x + l->w, y + l->h, 1); /* the box has room for the halo (labels.c) */
    }
}

/* The places found for a view drawn: dots, then names. */
static void draw_hits(cairo_t *cr, text_fonts *tf, const tiles_label_set *set, const tiles_label_hit *hits,
                      size_t n, double ox, double oy, err_t *err)
{
    for (size_t i = 0; i < n; i++) {
        const tiles_label *l = &set->labels[hits[i].index];
        double dx = l->dot_x + hits[i].shift - ox, dy = l->dot_y - oy;
        cairo_new_path(cr);
        cairo_arc(cr, dx, dy, TILES_LABEL_DOT_R, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, 0, 0, 0, 0.8);
        cairo_set_line_width(cr, 1.0);
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < n; i++) {
        const tiles_label *l = &set->labels[hits[i].index];
        text_style st;
        tiles_place_style(l->size, l->bold, &st);
        text_box box = {l->x + hits[i].shift - ox, l->y - oy, l->w, l->h};
        if (text_draw(tf, cr, l->place->name, strlen(l->place->name), &st, box, NULL, err) != 0)
            continue; /* one unrenderable name must not blank the tile */
    }
}

int tiles_draw_places(cairo_t *cr, text_fonts *tf, const tiles_label_set *set, double ox,
                      double oy, double w, double h, int whole, const tiles_view_box *avoid, size_t navoid,
                      err_t *err)
{
    size_t n;
    tiles_label_hit *hits = places_in_view(set, ox, oy, w, h, whole, avoid, navoid, &n);
    if (!hits) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    draw_hits(cr, tf, set, hits, n, ox, oy, err);
    free(hits);
    return 0;
}

/* ---- jobs ---- */

/* A labelled tile over its stored JPEG in cell form (splice.h): only the cells its graticule and
 * places (hits of set) touch are decoded, drawn and encoded again; the others stay the stored
 * bytes. 1 when so, 0 when the tile is drawn whole (PNG asked for, PNG or composed @2x tiles, a
 * file not in cell form: an archive made elsewhere), -1 on error. */
static int stored_under(const tiles_tile_job *j, render_ctx *rc, cairo_t *cr, const tiles_label_set *set,
                        const tiles_label_hit *hits, size_t n_hits, err_t *err)
{
    const tiles_layer *L = j->layer;
    const tiles_pack *p = &L->packs[j->scale - 1][0];
    double ox = (double)j->x * TILES_TILE_SIZE, oy = (double)j->y * TILES_TILE_SIZE;
    long long off;
    size_t len;
    if (L->meta.has_alpha || !p->kind || tiles_pack_lookup(p, j->z, j->x, j->y, &off, &len) != 0)
        return 0;
    box_list marks = {0};
    if (j->graticule)
        graticule(NULL, NULL, j->z, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE, &marks);
    if (set)
        places_boxes(set, hits, n_hits, ox, oy, &marks);
    unsigned char *d = NULL;
    int rv = 0;
    if (marks.cap >= 0) {
        if (tiles_pack_read(p, j->z, j->x, j->y, &d, &len, err) != 0)
            rv = -1;
        else if ((rv = render_stored_under(rc, cr, d, len, marks.b, marks.n, err)) == 1)
            d = NULL; /* the job's now */
    }
    free(d);
    free(marks.b);
    return rv;
}

int tiles_draw_tile_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    const tiles_tile_job *j = arg;
    text_fonts *tf = render_ctx_fonts(rc);
    double ox = (double)j->x * TILES_TILE_SIZE, oy = (double)j->y * TILES_TILE_SIZE;
    const tiles_label_set *set = NULL;
    tiles_label_hit *hits = NULL;
    size_t n_hits = 0;
    if (j->places) {
        if (!(set = tiles_store_labels(j->store, j->z, tf, err)))
            return -1;
        if (!(hits = places_in_view(set, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE, 0, NULL, 0, &n_hits))) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
    }
    int spliced = stored_under(j, rc, cr, set, hits, n_hits, err);
    if (spliced < 0) {
        free(hits);
        return -1;
    }
    if (!spliced) {
        cairo_set_source_rgb(cr, empty_rgb[0], empty_rgb[1], empty_rgb[2]);
        cairo_paint(cr);
        err_t e2 = {0};
        cairo_surface_t *bg = background_tile(j->layer, j->z, j->x, j->y, j->scale, &e2);
        if (!bg && e2.kind != ERR_NONE) {
            free(hits);
            *err = e2;
            return -1;
        }
        if (bg) {
            if (cairo_image_surface_get_format(bg) == CAIRO_FORMAT_RGB24)
                render_paint_background(rc, cr, bg); /* straight copy into the target */
            else
                paint_at_device(cr, bg, 0, 0);
            cairo_surface_destroy(bg);
        }
    }
    if (j->graticule)
        tiles_draw_graticule(cr, tf, j->z, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE);
    if (set)
        draw_hits(cr, tf, set, hits, n_hits, ox, oy, err);
    free(hits);
    return 0;
}

static void path_xy(double lat, double lng, double world, double ox, double oy, double *x,
                    double *y)
{
    *x = tiles_lng_to_x(lng, world) - ox;
    *y = tiles_lat_to_y(lat, world) - oy;
}

/* x of a point moved by whole worlds to be nearest to the view centre. */
static double nearest_copy(double x, double w, double world)
{
    double c = w / 2;
    return x + round((c - x) / world) * world;
}

/* Marker captions sit right of the pin; free labels are centred on their point. */
static const text_style marker_style = {
    .font = "sans-bold", .max_size = 13, .min_size = 9, .align = TEXT_ALIGN_LEFT,
    .valign = TEXT_VALIGN_CENTER, .color = {1, 1, 1, 1}, .halo = {0, 0, 0, 0.75},
    .halo_width = 3.0,
};
static const text_style free_label_style = {
    .font = "sans-bold", .max_size = 15, .min_size = 9, .wrap = 1, .max_lines = 2,
    .align = TEXT_ALIGN_CENTER, .valign = TEXT_VALIGN_CENTER, .color = {1, 1, 1, 1},
    .halo = {0, 0, 0, 0.75}, .halo_width = 3.0,
};

static text_box marker_box(double x, double y)
{
    return (text_box){x + 9, y - 26, 220, 24};
}

static text_box free_label_box(double x, double y)
{
    return (text_box){x - 120, y - 22, 240, 44};
}

/* The ink box text would have in box (the whole box if it cannot be laid out). */
static void ink_box(text_fonts *tf, const char *text, const text_style *st, text_box box,
                    tiles_view_box *out)
{
    *out = (tiles_view_box){box.x, box.y, box.x + box.w, box.y + box.h};
    text_metrics m;
    if (text_measure(tf, text, strlen(text), st, box, &m, NULL) < 0)
        return;
    *out = (tiles_view_box){m.ink.x, m.ink.y, m.ink.x + m.ink.w, m.ink.y + m.ink.h};
}

static void draw_marker(cairo_t *cr, text_fonts *tf, double x, double y, const char *text)
{
    /* A pin: a circle on a short stem, pointing at (x, y). */
    cairo_new_path(cr);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - 4, y - 10);
    cairo_arc(cr, x, y - 14, 6.5, M_PI * 0.78, M_PI * 2.22);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.86, 0.16, 0.16);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    cairo_arc(cr, x, y - 14, 2.2, 0, 2 * M_PI);
    cairo_fill(cr);
    if (text)
        text_draw(tf, cr, text, strlen(text), &marker_style, marker_box(x, y), NULL, NULL);
}

/* ---- static maps: the view's tiles are the background, what the request adds is spliced ---- */

/* Whether rows [y0, y1) of the view meet a part (all rows when parts is NULL). */
static int rows_drawn(const render_part *parts, int n_parts, double y0, double y1)
{
    if (!parts)
        return 1;
    for (int i = 0; i < n_parts; i++)
        if (y0 < parts[i].box.y + parts[i].box.h && parts[i].box.y < y1)
            return 1;
    return 0;
}

/* The view's background: its tiles (only those meeting the parts' rows when parts is set; a
 * tile is copied at whole device pixels, so one left out changes no other row) and the
 * graticule. */
static int static_background_rows(const tiles_static_job *j, render_ctx *rc, cairo_t *cr,
                                  const render_part *parts, int n_parts, err_t *err)
{
    const tiles_static_req *r = &j->req;
    const int z = r->zoom, n = 1 << z;
    const double ox = r->origin_x, oy = r->origin_y, w = r->width, h = r->height;
    cairo_set_source_rgb(cr, empty_rgb[0], empty_rgb[1], empty_rgb[2]);
    cairo_paint(cr);
    long tx0 = (long)floor(ox / TILES_TILE_SIZE), tx1 = (long)floor((ox + w - 1) / TILES_TILE_SIZE);
    long ty0 = (long)floor(oy / TILES_TILE_SIZE), ty1 = (long)floor((oy + h - 1) / TILES_TILE_SIZE);
    for (long ty = ty0 < 0 ? 0 : ty0; ty <= ty1 && ty < n; ty++) {
        double top = ty * TILES_TILE_SIZE - oy; /* a pixel of rounding either side */
        if (!rows_drawn(parts, n_parts, top - 1, top + TILES_TILE_SIZE + 1))
            continue;
        for (long tx = tx0; tx <= tx1; tx++) {
            int wx = (int)(((tx % n) + n) % n); /* the world repeats east and west */
            err_t e2 = {0};
            cairo_surface_t *bg = kept_tile(rc, j->layer, z, wx, (int)ty, r->scale, &e2);
            if (!bg) {
                if (e2.kind != ERR_NONE) {
                    *err = e2;
                    return -1;
                }
                continue;
            }
            paint_at_device(cr, bg, tx * TILES_TILE_SIZE - ox, ty * TILES_TILE_SIZE - oy);
            cairo_surface_destroy(bg);
        }
    }
    if (r->graticule)
        tiles_draw_graticule(cr, render_ctx_fonts(rc), z, ox, oy, w, h);
    return 0;
}

static int static_background(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    return static_background_rows(arg, rc, cr, NULL, 0, err);
}

/* Identifies the background's pixels: the layer's bake, the view, the scale, the graticule. */
static unsigned long long static_tag(const tiles_static_job *j, int scale)
{
    const tiles_static_req *r = &j->req;
    struct {
        double ox, oy;
        int z, w, h, scale, graticule;
    } view;
    memset(&view, 0, sizeof view); /* padding too: hashed as bytes */
    view.ox = r->origin_x, view.oy = r->origin_y, view.z = r->zoom, view.w = r->width;
    view.h = r->height, view.scale = scale, view.graticule = r->graticule;
    uint64_t t = etag_hash(ETAG_SEED, "static", 7);
    t = etag_hash(t, j->layer->meta.name, strlen(j->layer->meta.name) + 1);
    t = etag_hash(t, j->layer->meta.bake_id, strlen(j->layer->meta.bake_id) + 1);
    t = etag_hash(t, &view, sizeof view);
    return t ? t : 1;
}

static void part_add(render_part *parts, int *n, double x0, double y0, double x1, double y1)
{
    parts[*n] = (render_part){{x0, y0, x1 - x0, y1 - y0}, *n, NULL, 0, 0};
    (*n)++;
}

/* What the request draws over the background, as boxes holding every pixel of it: the places
 * (anywhere in the view), each path (its points, grown by the stroke), free label and marker
 * (pin and caption). NULL when out of memory. */
static render_part *static_parts(const tiles_static_job *j, int *n)
{
    const tiles_static_req *r = &j->req;
    const double world = tiles_world_size(r->zoom, TILES_TILE_SIZE);
    const double ox = r->origin_x, oy = r->origin_y, w = r->width;
    render_part *parts = malloc((1 + r->npaths + r->nlabels + r->nmarkers) * sizeof *parts);
    if (!parts)
        return NULL;
    *n = 0;
    if (r->places)
        part_add(parts, n, 0, 0, r->width, r->height);
    for (size_t i = 0; i < r->npaths; i++) {
        const tiles_static_path *p = &r->paths[i];
        double px = 0, y0 = INFINITY, y1 = -INFINITY, x0 = INFINITY, x1 = -INFINITY;
        for (size_t k = 0; k < p->n; k++) {
            double x, y;
            path_xy(p->pts[k][0], p->pts[k][1], world, ox, oy, &x, &y);
            x = k == 0 ? nearest_copy(x, w, world) : x + round((px - x) / world) * world;
            px = x;
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
        if (p->n)
            part_add(parts, n, x0 - 4, y0 - 4, x1 + 4, y1 + 4); /* 5 px stroke, round caps */
    }
    for (size_t i = 0; i < r->nlabels; i++) {
        double x, y;
        path_xy(r->labels[i].lat, r->labels[i].lng, world, ox, oy, &x, &y);
        text_box b = free_label_box(nearest_copy(x, w, world), y);
        part_add(parts, n, b.x, b.y, b.x + b.w, b.y + b.h);
    }
    for (size_t i = 0; i < r->nmarkers; i++) {
        double x, y;
        path_xy(r->markers[i].lat, r->markers[i].lng, world, ox, oy, &x, &y);
        x = nearest_copy(x, w, world);
        text_box b = marker_box(x, y);
        part_add(parts, n, x - 10, fmin(b.y, y - 24), b.x + b.w, y + 3); /* pin, then caption */
    }
    return parts;
}

int tiles_draw_static_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    const tiles_static_job *j = arg;
    const tiles_static_req *r = &j->req;
    const int z = r->zoom;
    const double world = tiles_world_size(z, TILES_TILE_SIZE);
    const double ox = r->origin_x, oy = r->origin_y, w = r->width, h = r->height;
    /* A JPEG whose background (the view's tiles) is already encoded draws only the rows the
     * request's additions touch (render.h). */
    int n_parts = 0;
    render_part *parts = static_parts(j, &n_parts);
    render_bg bg = {.tag = static_tag(j, render_ctx_scale(rc)), .paint = static_background, .paint_arg = arg};
    int spliced = parts && render_background_under(rc, cr, &bg, parts, n_parts);
    int rv = static_background_rows(j, rc, cr, spliced ? parts : NULL, n_parts, err);
    free(parts);
    if (rv < 0)
        return -1;
    text_fonts *tf = render_ctx_fonts(rc);
    if (r->places) {
        /* The caller's markers and labels win: places under them are left out. */
        size_t navoid = 0;
        tiles_view_box *avoid = malloc(sizeof *avoid * (r->nmarkers * 2 + r->nlabels + 1));
        const tiles_label_set *set = tiles_store_labels(j->store, z, tf, err);
        if (!avoid || !set) {
            free(avoid);
            if (!avoid)
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < r->nmarkers; i++) {
            const tiles_static_point *p = &r->markers[i];
            double x, y;
            path_xy(p->lat, p->lng, world, ox, oy, &x, &y);
            x = nearest_copy(x, w, world);
            avoid[navoid++] = (tiles_view_box){x - 8, y - 22, x + 8, y + 1};
            if (p->text)
                ink_box(tf, p->text, &marker_style, marker_box(x, y), &avoid[navoid++]);
        }
        for (size_t i = 0; i < r->nlabels; i++) {
            const tiles_static_point *p = &r->labels[i];
            double x, y;
            path_xy(p->lat, p->lng, world, ox, oy, &x, &y);
            x = nearest_copy(x, w, world);
            ink_box(tf, p->text, &free_label_style, free_label_box(x, y), &avoid[navoid++]);
        }
        int rv = tiles_draw_places(cr, tf, set, ox, oy, w, h, 1, avoid, navoid, err);
        free(avoid);
        if (rv != 0)
            return -1;
    }
    /* Paths: each point is moved by whole worlds to stay next to the previous one, so a path
     * across the antimeridian takes the short way. */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t i = 0; i < r->npaths; i++) {
        const tiles_static_path *p = &r->paths[i];
        double px = 0, py = 0;
        cairo_new_path(cr);
        for (size_t k = 0; k < p->n; k++) {
            double x, y;
            path_xy(p->pts[k][0], p->pts[k][1], world, ox, oy, &x, &y);
            x = k == 0 ? nearest_copy(x, w, world) : x + round((px - x) / world) * world;
            if (k == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
            px = x;
            py = y;
        }
        (void)py;
        cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
        cairo_set_line_width(cr, 5);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgb(cr, 1.0, 0.8, 0.1);
        cairo_set_line_width(cr, 3);
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < r->nlabels; i++) {
        const tiles_static_point *p = &r->labels[i];
        double x, y;
        path_xy(p->lat, p->lng, world, ox, oy, &x, &y);
        x = nearest_copy(x, w, world);
        if (text_draw(tf, cr, p->text, strlen(p->text), &free_label_style, free_label_box(x, y),
                      NULL, err) != 0) {
            snprintf(err->param, sizeof err->param, "label");
            return -1;
        }
    }
    for (size_t i = 0; i < r->nmarkers; i++) {
        const tiles_static_point *p = &r->markers[i];
        double x, y;
        path_xy(p->lat, p->lng, world, ox, oy, &x, &y);
        draw_marker(cr, tf, nearest_copy(x, w, world), y, p->text);
    }
    return 0;
}

void tiles_static_job_free(void *arg)
{
    tiles_static_job *j = arg;
    if (!j)
        return;
    tiles_static_free(&j->req);
    catalog_unref(j->cat);
    free(j);
}

void tiles_tile_job_free(void *arg)
{
    tiles_tile_job *j = arg;
    if (j)
        catalog_unref(j->cat);
    free(j);
}

void tiles_thumb_job_free(void *arg)
{
    tiles_thumb_job *j = arg;
    if (j)
        catalog_unref(j->cat);
    free(j);
}

int tiles_blur_surface(cairo_surface_t *s, double sigma)
{
    if (sigma <= 0)
        return 0;
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    int r = (int)ceil(3 * sigma);
    float *k = malloc(sizeof(float) * (2 * r + 1));
    int n = w > h ? w : h;
    float *line = malloc(sizeof(float) * 4 * n);
    if (!k || !line) {
        free(k);
        free(line);
        return -1;
    }
    float sum = 0;
    for (int i = -r; i <= r; i++)
        sum += k[i + r] = expf(-(float)(i * i) / (float)(2 * sigma * sigma));
    for (int i = 0; i <= 2 * r; i++)
        k[i] /= sum;
    /* Two passes (rows, then columns); edges clamp. */
    for (int pass = 0; pass < 2; pass++) {
        int len = pass ? h : w, count = pass ? w : h;
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < len; i++) {
                float acc[4] = {0, 0, 0, 0};
                for (int t = -r; t <= r; t++) {
                    int q = i + t < 0 ? 0 : i + t >= len ? len - 1 : i + t;
                    const unsigned char *p =
                        pass ? px + (size_t)q * stride + (size_t)c * 4 : px + (size_t)c * stride + (size_t)q * 4;
                    for (int ch = 0; ch < 4; ch++)
                        acc[ch] += k[t + r] * p[ch];
                }
                memcpy(line + i * 4, acc, sizeof acc);
            }
            for (int i = 0; i < len; i++) {
                unsigned char *p =
                    pass ? px + (size_t)i * stride + (size_t)c * 4 : px + (size_t)c * stride + (size_t)i * 4;
                for (int ch = 0; ch < 4; ch++)
                    p[ch] = (unsigned char)fminf(255.f, line[i * 4 + ch] + 0.5f);
            }
        }
    }
    cairo_surface_mark_dirty(s);
    free(k);
    free(line);
    return 0;
}

/* A PNG or JPEG file decoded into a surface. */
static cairo_surface_t *file_surface(const char *path, err_t *err)
{
    FILE *f = fopen(path, "rb");
    unsigned char *d = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (d = malloc((size_t)n)) && fread(d, 1, (size_t)n, f) != (size_t)n)
        n = -1;
    if (f)
        fclose(f);
    cairo_surface_t *s = n > 0 && d ? tiles_codec_decode_surface(d, (size_t)n, err) : NULL;
    if (!s && err->kind == ERR_NONE)
        err_set(err, ERR_INTERNAL, NULL, "cannot read %s", path);
    free(d);
    return s;
}

int tiles_draw_thumb_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    const tiles_thumb_job *j = arg;
    cairo_surface_t *src;
    if (j->file) {
        src = file_surface(j->file, err);
    } else if (j->z < 0) {
        src = tiles_codec_decode_surface(j->layer->thumb, j->layer->thumb_len, err);
    } else {
        src = background_tile(j->layer, j->z, j->x, j->y, 1, err);
        if (!src && err->kind == ERR_NONE)
            err_set(err, ERR_NOT_FOUND, NULL, "scene tile %d/%d/%d is not baked", j->z, j->x, j->y);
    }
    if (!src)
        return -1;
    cairo_set_source_rgb(cr, empty_rgb[0], empty_rgb[1], empty_rgb[2]);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_scale(cr, (double)j->width / cairo_image_surface_get_width(src),
                (double)j->height / cairo_image_surface_get_height(src));
    cairo_set_source_surface(cr, src, 0, 0);
    /* GOOD is a box filter when shrinking: every source pixel counts. */
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(src);
    if (j->blur > 0) {
        cairo_surface_t *t = cairo_get_target(cr);
        if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE ||
            tiles_blur_surface(t, j->blur) != 0) {
            err_set(err, ERR_INTERNAL, NULL, "blur failed");
            return -1;
        }
    }
    return 0;
}
