/* sceneindex.h — a folder of the user's raster files (GeoTIFF/COG, JPEG 2000, PNG/JPEG with a
 * world file: whatever GDAL opens) as a collection of STAC scenes.
 *
 * `cartouche scenes index DIR` (tools/bake/scenebake.c) reads each file through GDAL —
 * footprint, grid and CRS, bands,
 * time (a sidecar STAC Item `<name>.json` or `<file>.json` first, then the file's metadata:
 * ACQUISITIONDATETIME, TIFFTAG_DATETIME; else its mtime) — renders a preview from its pixels
 * (stretched to 8 bits like the bake does) and writes DIR/.cartouche-scenes/index.json plus one
 * PNG preview per scene there. Files that did not change (size, mtime, sidecar) keep their
 * entry; files GDAL cannot use are skipped with the reason logged.
 *
 * The server (`--scenes DIR`) only reads that index: start-up costs a JSON read and a stat per
 * file, and GDAL — its 24 MB and its parsers of every format — stays out of the serving
 * process. A file changed or gone since it was indexed is skipped with a log line. */
#ifndef CARTOUCHE_TILES_SCENEINDEX_H
#define CARTOUCHE_TILES_SCENEINDEX_H

#include <stddef.h>

#include "util/err.h"
#include "tiles/layer.h"

#define TILES_SCENE_INDEX_DIR ".cartouche-scenes"
/* Bump when what an entry holds changes: every file is indexed again. */
#define TILES_SCENE_INDEX_VERSION 1
/* Scenes a folder serves at most (each costs a few KB of memory). */
#define TILES_SCENE_MAX_FILES 2000
#define TILES_SCENE_MAX_AUX 4

/* A file next to the original, served under its name with the original's stem replaced
 * (world file, .prj, .aux.xml). */
typedef struct {
    char ext[16];    /* what follows the stem: "pgw", "prj", "png.aux.xml" */
    char *path;
    long long size;
} tiles_scene_aux;

/* Files are opened per request and checked against the index (size, mtime): one changed while
 * the server runs is refused, not served half. */
typedef struct tiles_scene_file {
    char id[96];
    char *path;               /* the original */
    char ext[16];             /* its extension, lower case ("tif"), for its URL */
    char media_type[80];
    long long size, mtime;
    tiles_scene_aux aux[TILES_SCENE_MAX_AUX];
    size_t naux;
    char *preview;            /* PNG (with alpha), at most TILES_SCENE_PREVIEW px a side */
    int preview_w, preview_h;
    long long preview_size;
    char datetime[40], start_datetime[40], end_datetime[40];
    double bbox[4], mean[3], coverage;
    /* The footprint: a closed counterclockwise ring of nring lon/lat positions, or none (0:
     * across the antimeridian, or an index edited by hand) and the bbox is the footprint. */
    double (*ring)[2];
    size_t nring;
    /* As compact JSON text, parsed when an Item is written (a few KB a scene where jansson's
     * objects would take ten times that, for up to TILES_SCENE_MAX_FILES scenes):
     * everything of the Item's properties but the colour indexes, and stac_extensions. */
    char *properties_json, *extensions_json;
} tiles_scene_file;

#define TILES_SCENE_PREVIEW 512

typedef struct tiles_scene_index {
    char dir[1024];
    tiles_layer_meta meta;    /* the collection: name, title, bounds, time span */
    tiles_scene_file *files;
    size_t nfiles;
} tiles_scene_index;

/* Load dir's index for serving, as collection name (NULL: from the folder's name). ERR_CONFIG
 * when there is no index. Entries whose file changed are skipped (logged). */
int tiles_scene_index_load(tiles_scene_index *x, const char *dir, const char *name, err_t *err);
void tiles_scene_index_close(tiles_scene_index *x);

/* The collection name a folder gets: its last component in [a-z0-9_-], else "scenes". */
void tiles_scene_index_name(const char *dir, char *out, size_t cap);

/* Shared with the writer: where a folder's index is, and what a scene id may be (1..80 of
 * [A-Za-z0-9._-], not starting with '.': it goes into URLs as is). */
void tiles_scene_index_path(const char *dir, char *out, size_t cap);
int tiles_scene_id_valid(const char *s);

#endif
