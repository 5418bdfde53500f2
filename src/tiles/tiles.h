/* tiles.h — satellite tiles, static maps, place labels and the scene catalogue: what main.c
 * and server.c call. Everything else of src/tiles/ is internal to the module. */
#ifndef CARTOUCHE_TILES_H
#define CARTOUCHE_TILES_H

#include "util/err.h"

#include "catalog/catalog.h"
#include "http/router.h"

/* `cartouche bake` (tile part). argv[0] is ignored (program or subcommand name); options:
 *   --assets DIR        assets directory (default "assets"); output in DIR/baked/tiles/
 *   --marble-dir DIR    Marble data (default /usr/share/marble/data)
 *   --image FILE --bounds W,S,E,N --layer NAME [--datetime ISO8601]
 *                       add a georeferenced equirectangular JPEG/PNG as layer NAME
 *   --force             re-bake even if up to date
 *   --templates DIR     accepted and ignored (the device-art baker's option)
 * Without --image, bakes the Blue Marble and City Lights layers and the place index,
 * skipping whatever is already up to date. Prints progress and errors; returns 0 or 1. */
int tiles_bake_main(int argc, char **argv);

/* The catalog kind of the module (a tiles_store, tilestore.h): every baked layer's packs under
 * cfg->assets_dir/baked/tiles, the --layer archives, the place index, the scene catalogue and the
 * --scenes folder's index.
 * Its load fails (ERR_CONFIG, naming the file) if nothing is baked or an archive is unreadable. */
extern const catalog_part_ops tiles_part_ops;

/* The module's context: the catalog slot of its part. */
typedef struct {
    int store;
} tiles_ctx;

/* The module's routes (run on the I/O loop). Patterns and captures:
 *   /v1/tiles/ * / * / * / *   0 layer, 1 z, 2 x, 3 "y[@2x].jpg|png"
 *   /v1/tiles/ *               0 "layer.json"
 *   /v1/static
 *   /v1/scenes
 *   /v1/scenes/ * / *          0 scene id, 1 "thumbnail.jpg|png"
 * and the STAC API's (stac_routes.h). */
int tiles_register(router *r, tiles_ctx *ctx);

#endif
