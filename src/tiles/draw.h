/* draw.h — what the tile module paints on a worker: pre-baked background tiles, the
 * graticule, place labels, markers, free-text labels and paths, and the three draw_fn jobs
 * (labelled tile, static map, scene thumbnail). All positions are global pixels at the job's
 * zoom; a view is a rectangle of that space with its top-left at (ox, oy). */
#ifndef CARTOUCHE_TILES_DRAW_H
#define CARTOUCHE_TILES_DRAW_H

#include <cairo.h>

#include "catalog/catalog.h"
#include "core/render.h"
#include "tiles/staticmap.h"
#include "tiles/tilestore.h"

/* Every job draws from one store (the tiles part of a catalog) and holds that catalog until it
 * is freed: a SIGHUP while it waits or draws does not pull the layer from under it. */
typedef struct {
    const tiles_layer *layer;
    const tiles_store *store;
    catalog *cat;
    int z, x, y, scale;
    int places, graticule;
} tiles_tile_job;

typedef struct {
    const tiles_layer *layer;
    const tiles_store *store;
    catalog *cat;
    tiles_static_req req;
} tiles_static_job;

typedef struct {
    const tiles_layer *layer;
    const tiles_store *store;
    catalog *cat;
    int z, x, y;      /* tile scene; z = -1: the layer's baked thumbnail */
    int width, height;
    double blur;      /* Gaussian sigma in output pixels, 0 = none */
    const char *file; /* else a PNG/JPEG file (a --scenes preview; layer NULL) */
} tiles_thumb_job;

int tiles_draw_tile_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);
int tiles_draw_static_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);
int tiles_draw_thumb_job(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);
/* Free a job of each kind (and drop the catalog it holds). */
void tiles_static_job_free(void *arg);
void tiles_tile_job_free(void *arg);
void tiles_thumb_job_free(void *arg);

/* Pieces, for the jobs above and for tests. */
void tiles_draw_graticule(cairo_t *cr, text_fonts *tf, int z, double ox, double oy, double w,
                          double h);
/* A rectangle of a view, layout units: x0, y0 (top-left) to x1, y1. */
typedef struct {
    double x0, y0, x1, y1;
} tiles_view_box;

/* Draw the placed labels (and dots) of set that intersect the view; labels touching any of the
 * avoid boxes (view coordinates; may be NULL) are left out, and with whole those the view's edge
 * would cut (a static map shows no half names; a tile draws its part of a label crossing into its
 * neighbour, which draws the rest). */
int tiles_draw_places(cairo_t *cr, text_fonts *tf, const tiles_label_set *set, double ox,
                      double oy, double w, double h, int whole, const tiles_view_box *avoid, size_t navoid,
                      err_t *err);
/* Separable Gaussian blur of an RGB24/ARGB32 image surface in place. */
int tiles_blur_surface(cairo_surface_t *s, double sigma);

#endif
