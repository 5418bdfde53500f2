/* layer.h — a baked layer's description: written by the bake next to its packs as
 * <assets>/baked/tiles/<name>.layer.json, read back by the bake (to skip work already done:
 * same source path, mtime, size, bounds and bake version) and by the server at start-up.
 * It also carries the colour statistics of the layer's catalogue scenes. */
#ifndef CARTOUCHE_TILES_LAYER_H
#define CARTOUCHE_TILES_LAYER_H

#include <stddef.h>

#include "util/err.h"

/* Bump when the bake's output changes (filters, formats, pack layout): forces a re-bake. */
#define TILES_BAKE_VERSION 5 /* 4: JPEG tiles in cell form; 5: every layer warped by GDAL */
/* Zoom of the scene catalogue's tiles. */
#define TILES_SCENE_ZOOM 2

typedef struct {
    char id[96];
    int z, x, y;        /* the tile; z = -1 for a whole-image scene (user layers) */
    double bbox[4];     /* w, s, e, n */
    double mean[3];     /* mean R, G, B (0..255) over opaque pixels */
    double coverage;    /* fraction of opaque pixels, 0..1 */
} tiles_scene_stat;

typedef struct {
    char name[64];
    char title[128];
    int user;                 /* 1 for a user-added image layer */
    char source[1024];
    long long source_mtime, source_size;
    int bake_version;
    double bounds[4];         /* w, s, e, n of the imagery */
    int minzoom, maxzoom;
    int has_alpha;            /* tiles outside the image are transparent (PNG) */
    char datetime[40], start_datetime[40], end_datetime[40];
    char attribution[256];
    char description[256];    /* the STAC collection's description when set (scene folders) */
    char bake_id[24];         /* hex digest of the stamp, used in ETags */
    tiles_scene_stat *scenes;
    size_t nscenes;
} tiles_layer_meta;

/* Layer names: 1..32 of [a-z0-9_-], starting with a letter or digit. */
int tiles_layer_name_valid(const char *name);

int tiles_layer_write(const tiles_layer_meta *m, const char *path, err_t *err);
int tiles_layer_read(const char *path, tiles_layer_meta *m, err_t *err);
void tiles_layer_free(tiles_layer_meta *m);
/* Path of the pack of a layer's tiles of size px in format ext ("jpg"/"png"). */
void tiles_layer_pack_path(const char *dir, const char *layer, int size, const char *ext,
                           char *out, size_t cap);
/* Fill m->bake_id from the stamp fields. */
void tiles_layer_stamp_id(tiles_layer_meta *m);

#endif
