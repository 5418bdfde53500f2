/* store.h — the tile module's loaded state: every baked layer (its description and its four
 * open packs), the place index, the scene catalogue, and the per-zoom label placements that
 * workers compute once on first use. Loaded once at start-up by tiles_load(), read-only
 * afterwards except for the label placements, which are guarded by a mutex. */
#ifndef CARTOUCHE_TILES_STORE_H
#define CARTOUCHE_TILES_STORE_H

#include <stddef.h>

#include "err.h"
#include "text.h"
#include "tiles/gazetteer.h"
#include "tiles/labels.h"
#include "tiles/layer.h"
#include "tiles/pack.h"
#include "tiles/scenes.h"

typedef struct {
    tiles_layer_meta meta;
    tiles_pack packs[2][2]; /* [scale-1][0 jpg, 1 png] */
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
} tiles_store;

/* The loaded store, or NULL before tiles_load(). */
const tiles_store *tiles_store_get(void);
const tiles_layer *tiles_store_layer(const char *name);

/* Label placement of zoom z, computed on first use with tf's measurements (any worker's fonts
 * measure alike). NULL + err on failure. The set lives until tiles_unload(). */
const tiles_label_set *tiles_store_labels(int z, text_fonts *tf, err_t *err);

/* The style of place labels: measured (for placement) and drawn alike. */
void tiles_place_style(double size, int bold, text_style *st);

/* Load into a caller-owned store (tests) or the module's own (tiles_load). */
int tiles_store_open(tiles_store *s, const char *assets_dir, err_t *err);
void tiles_store_close(tiles_store *s);

#endif
