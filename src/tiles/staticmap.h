/* staticmap.h — the /v1/static request: parameters validated into a plain struct, the view
 * (zoom, centre, origin in global pixels) derived from center+zoom or a bbox, ready for the
 * worker to draw. Pure: no HTTP, no rendering. */
#ifndef CARTOUCHE_TILES_STATICMAP_H
#define CARTOUCHE_TILES_STATICMAP_H

#include <stddef.h>

#include "util/err.h"
#include "http/query.h"
#include "core/render.h"

#define TILES_STATIC_MAX_SIZE 2048
#define TILES_STATIC_MIN_SIZE 16
#define TILES_STATIC_MAX_MARKERS 100
#define TILES_STATIC_MAX_LABELS 50
#define TILES_STATIC_MAX_PATHS 10
#define TILES_STATIC_MAX_PATH_POINTS 1000
#define TILES_STATIC_MAX_TEXT 200 /* bytes of UTF-8 per label */

typedef struct {
    double lat, lng;
    char *text; /* NULL or UTF-8 */
} tiles_static_point;

typedef struct {
    double (*pts)[2]; /* lat, lng */
    size_t n;
} tiles_static_path;

typedef struct {
    char layer[64];
    int zoom;
    double center_lat, center_lng;
    int width, height, scale;
    img_format format;
    int places, graticule;
    tiles_static_point *markers;
    size_t nmarkers;
    tiles_static_point *labels;
    size_t nlabels;
    tiles_static_path *paths;
    size_t npaths;
    /* Derived view: top-left corner of the image in global layout pixels at zoom. */
    double origin_x, origin_y;
} tiles_static_req;

/* Validate the query (unknown keys → 400; every error names its parameter). The layer name is
 * only checked for shape here; the caller checks that it exists. */
int tiles_static_parse(const query *q, tiles_static_req *out, err_t *err);
void tiles_static_free(tiles_static_req *r);

/* Parse "places,graticule" (either, both, or "none"); -1 if malformed. */
int tiles_parse_label_options(const char *v, int *places, int *graticule);

#endif
