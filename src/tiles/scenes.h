/* scenes.h — the scene catalogue: one item per baked layer tile at TILES_SCENE_ZOOM plus one
 * per user image, with bbox, time and colour statistics; search by bbox or a GeoJSON geometry,
 * datetime, ids and collections (layers), sort by item fields or colour ("greenest",
 * "-properties.cartouche:blueness", ...), pages by offset, and the STAC Item of a scene.
 * The STAC API around it (parameters of GET and POST, links, collections) is stac.h. */
#ifndef CARTOUCHE_TILES_SCENES_H
#define CARTOUCHE_TILES_SCENES_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"
#include "http/query.h"
#include "tiles/layer.h"
#include "tiles/stac_geom.h"

struct tiles_scene_file; /* sceneindex.h */
struct tiles_scene_index;

typedef struct {
    char id[96];
    const char *layer;
    int user;
    int z, x, y; /* z = -1 for a whole-image scene */
    double bbox[4];
    const char *datetime, *start_datetime, *end_datetime; /* ISO strings; start/end may be "" */
    double t, t0, t1; /* epoch seconds: nominal, start, end */
    double mean[3];
    double greenness, blueness, brightness, coverage;
    const struct tiles_scene_file *file; /* a raster file of a --scenes folder, else NULL */
} tiles_scene;

typedef struct {
    tiles_scene *scenes;
    size_t count;
} tiles_catalogue;

typedef enum {
    TILES_SORT_ID, TILES_SORT_COLLECTION, TILES_SORT_DATETIME, TILES_SORT_START_DATETIME,
    TILES_SORT_END_DATETIME, TILES_SORT_GREENNESS, TILES_SORT_BLUENESS, TILES_SORT_BRIGHTNESS,
    TILES_SORT_COVERAGE, TILES_SORT_RED, TILES_SORT_GREEN, TILES_SORT_BLUE,
} tiles_sort_field;

#define TILES_SCENE_MAX_SORT 4
#define TILES_SCENE_MAX_LIMIT 1000

typedef struct {
    int has_bbox;
    double bbox[4];
    tiles_geom *intersects; /* owned; NULL for none */
    int has_time;
    double t0, t1;
    char **ids;             /* owned, nids of them; NULL for any */
    size_t nids;
    char **collections;     /* owned; layer names */
    size_t ncollections;
    int nsort;
    struct {
        tiles_sort_field field;
        int desc;
    } sort[TILES_SCENE_MAX_SORT];
    long limit;
    long offset;            /* matches skipped before the first returned (paging) */
} tiles_scene_query;

/* Build from the layers' descriptions (layers must outlive the catalogue). */
int tiles_catalogue_build(const tiles_layer_meta *const *layers, size_t n, tiles_catalogue *out,
                          err_t *err);
/* Append the scenes of a --scenes folder (x must outlive the catalogue); an id already in the
 * catalogue is skipped with a log line. */
int tiles_catalogue_add_files(tiles_catalogue *c, const struct tiles_scene_index *x, err_t *err);
void tiles_catalogue_free(tiles_catalogue *c);
const tiles_scene *tiles_catalogue_find(const tiles_catalogue *c, const char *id);

/* The first parameters /v1/scenes had: bbox, datetime, sortby, limit (1..TILES_SCENE_MAX_LIMIT),
 * unknown → 400. Sets no owned member. The STAC API's parameters are parsed by stac.h. */
int tiles_scene_query_parse(const query *q, tiles_scene_query *out, err_t *err);
void tiles_scene_query_free(tiles_scene_query *q);

/* Pieces of a query shared with stac.c: "W,S,E,N" (W > E crosses the antimeridian); sortby
 * as "[+|-]field,..." with STAC names ("properties.datetime", "-properties.cartouche:greenness",
 * "id", "collection") or the first short ones ("greenest", "-datetime"), appended to q->sort.
 * -1 with err naming the parameter. */
int tiles_scene_bbox_check(double b[4], const char *param, err_t *err);
int tiles_scene_sort_add(tiles_scene_query *q, const char *field, int desc, err_t *err);
int tiles_scene_sortby_parse(const char *v, tiles_scene_query *q, err_t *err);

/* Matching scenes in order; skips q->offset of them, writes up to q->limit indexes to out
 * (sized q->limit) and returns the count written; *matched is the number matching in all. */
size_t tiles_catalogue_search(const tiles_catalogue *c, const tiles_scene_query *q, size_t *out,
                              size_t *matched);

/* STAC 1.0 Item of one scene; links and asset hrefs start with base ("https://host" or ""
 * for links relative to the server's root). Its links point into the STAC API (TILES_STAC_ROOT). */
json_t *tiles_scene_json(const tiles_scene *s, const char *base);

/* Path of the STAC API's landing page. */
#define TILES_STAC_ROOT "/v1/stac"

#endif
