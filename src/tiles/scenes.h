/* scenes.h — the scene catalogue: one item per baked layer tile at TILES_SCENE_ZOOM plus one
 * per user image, with bbox, time and colour statistics; search by bbox and datetime, sort by
 * time or colour ("greenest", "-blueness", ...), and STAC ItemCollection JSON. */
#ifndef CARTOUCHE_TILES_SCENES_H
#define CARTOUCHE_TILES_SCENES_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"
#include "query.h"
#include "tiles/layer.h"

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
} tiles_scene;

typedef struct {
    tiles_scene *scenes;
    size_t count;
} tiles_catalogue;

typedef enum {
    TILES_SORT_ID, TILES_SORT_DATETIME, TILES_SORT_GREENNESS, TILES_SORT_BLUENESS,
    TILES_SORT_BRIGHTNESS, TILES_SORT_RED, TILES_SORT_GREEN, TILES_SORT_BLUE,
} tiles_sort_field;

#define TILES_SCENE_MAX_SORT 4
#define TILES_SCENE_MAX_LIMIT 1000

typedef struct {
    int has_bbox;
    double bbox[4];
    int has_time;
    double t0, t1;
    int nsort;
    struct {
        tiles_sort_field field;
        int desc;
    } sort[TILES_SCENE_MAX_SORT];
    long limit;
} tiles_scene_query;

/* Build from the layers' descriptions (layers must outlive the catalogue). */
int tiles_catalogue_build(const tiles_layer_meta *const *layers, size_t n, tiles_catalogue *out,
                          err_t *err);
void tiles_catalogue_free(tiles_catalogue *c);
const tiles_scene *tiles_catalogue_find(const tiles_catalogue *c, const char *id);

/* Validate /v1/scenes parameters: bbox, datetime, sortby, limit (unknown → 400). */
int tiles_scene_query_parse(const query *q, tiles_scene_query *out, err_t *err);

/* Matching scenes in order; writes up to q->limit indexes to out (sized q->limit) and returns
 * the count written; *matched is the number matching before the limit. */
size_t tiles_catalogue_search(const tiles_catalogue *c, const tiles_scene_query *q, size_t *out,
                              size_t *matched);

/* STAC Item of one scene, and the ItemCollection of a search; links start with base
 * ("http://host" or "" for relative links). */
json_t *tiles_scene_json(const tiles_scene *s, const char *base);
json_t *tiles_catalogue_search_json(const tiles_catalogue *c, const tiles_scene_query *q,
                                    const char *base);

#endif
