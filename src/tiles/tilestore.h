/* tilestore.h — the tile module's loaded state: every layer (its description and its open tile
 * archives: the baked ones, and those given with --layer NAME=PATH), the place index, the
 * scene catalogue, and the per-zoom label placements that workers compute once on first use.
 * Loaded once at start-up by tiles_load(), read-only afterwards except for the label
 * placements, which are guarded by a mutex. */
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

typedef struct {
    char dir[1024];
    tiles_layer *layers;
    size_t nlayers;
    tiles_gazetteer places;
    tiles_catalogue catalogue;
    tiles_scene_index *scenes; /* the --scenes folder's collection, or NULL */
} tiles_store;

/* The loaded store, or NULL before tiles_load(). */
const tiles_store *tiles_store_get(void);
const tiles_layer *tiles_store_layer(const char *name);
/* The layer of that name in s (tests, and the loaded store above), or NULL. */
const tiles_layer *tiles_store_layer_in(const tiles_store *s, const char *name);

/* Label placement of zoom z, computed on first use with tf's measurements (any worker's fonts
 * measure alike). NULL + err on failure. The set lives until tiles_unload(). */
const tiles_label_set *tiles_store_labels(int z, text_fonts *tf, err_t *err);

/* The style of place labels: measured (for placement) and drawn alike. */
void tiles_place_style(double size, int bold, text_style *st);

/* `--layer NAME=PATH`: serve the raster MBTiles or PMTiles archive at PATH as layer NAME from
 * the next tiles_store_open() on. Checked here (name, file, kind); -1 + err (ERR_CONFIG).
 * Called while the flags are read, before the server starts. */
int tiles_store_add_archive(const char *spec, err_t *err);
/* `--scenes DIR`: serve the scene index of DIR (`cartouche scenes index DIR`) as one more STAC
 * collection from the next tiles_store_open() on; NULL forgets it. -1 + err (ERR_CONFIG). */
int tiles_store_set_scenes_dir(const char *dir, err_t *err);
/* Forget every --layer given (tests). */
void tiles_store_clear_archives(void);

/* Load into a caller-owned store (tests) or the module's own (tiles_load). */
int tiles_store_open(tiles_store *s, const char *assets_dir, err_t *err);
void tiles_store_close(tiles_store *s);

#endif
