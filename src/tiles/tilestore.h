/* tilestore.h — the tile module's loaded state, its catalog part: every layer (its description
 * and its open tile archives: the baked ones, and those given with --layer NAME=PATH), the place
 * index, the scene catalogue, and the per-zoom label placements that workers compute once on
 * first use. Read-only after load except for the label placements, which the store keeps under
 * a lock of its own; SIGHUP loads a new store and the old one lives on while requests and jobs
 * that started with it hold its catalog. */
#ifndef CARTOUCHE_TILES_STORE_H
#define CARTOUCHE_TILES_STORE_H

#include <stddef.h>

#include "util/err.h"
#include "text/text.h"
#include "tiles/gazetteer.h"
#include "tiles/labels.h"
#include "tiles/layer.h"
#include "tiles/pack.h"
#include "tiles/sceneindex.h"
#include "tiles/scenes.h"

typedef struct {
    tiles_layer_meta meta;
    /* [scale-1][0 jpg, 1 png]: a layer stores one format (meta.has_alpha ? png : jpg) and
     * usually both scales; an absent archive has kind TILES_ARCHIVE_NONE. The other format is
     * rendered from the stored one. */
    tiles_pack packs[2][2];
    int external;           /* from --layer: an archive that no bake wrote */
    unsigned char *thumb;   /* user layers: the baked thumbnail JPEG */
    size_t thumb_len;
    int thumb_w, thumb_h;
} tiles_layer;

typedef struct tiles_label_cache tiles_label_cache;

typedef struct {
    char dir[1024];
    tiles_layer *layers;
    size_t nlayers;
    tiles_gazetteer places;
    tiles_catalogue catalogue;
    tiles_scene_index *scenes; /* the --scenes folder's collection, or NULL */
    tiles_label_cache *labels; /* per-zoom placements, filled lazily (tiles_store_labels) */
} tiles_store;

/* The layer of that name in s, or NULL. */
const tiles_layer *tiles_store_layer_in(const tiles_store *s, const char *name);

/* Label placement of zoom z in s, computed on first use with tf's measurements (any worker's
 * fonts measure alike). NULL + err on failure. The set lives as long as s. */
const tiles_label_set *tiles_store_labels(const tiles_store *s, int z, text_fonts *tf, err_t *err);

/* The style of place labels: measured (for placement) and drawn alike. */
void tiles_place_style(double size, int bold, text_style *st);

/* `--layer NAME=PATH`: the raster MBTiles or PMTiles archive at PATH served as layer NAME.
 * Checks the spec (name, file, kind) and splits it: name (64 bytes) and *path (into spec);
 * -1 + err (ERR_CONFIG). */
int tiles_archive_spec(const char *spec, char name[64], const char **path, err_t *err);

/* Load the baked layers under assets_dir/baked/tiles, the --layer archives (specs "NAME=PATH")
 * and, unless scenes_dir is NULL or "", the scene index of that folder (`--scenes DIR`,
 * `cartouche scenes index DIR`) as one more STAC collection, into a caller-owned store (tests)
 * or a new one (the catalog part). -1/NULL + err (ERR_CONFIG naming the file). */
int tiles_store_open(tiles_store *s, const char *assets_dir, const char *const *archives,
                     size_t narchives, const char *scenes_dir, err_t *err);
void tiles_store_close(tiles_store *s);
tiles_store *tiles_store_load(const char *assets_dir, const char *const *archives, size_t narchives,
                              const char *scenes_dir, err_t *err);
void tiles_store_free(tiles_store *s);

#endif
