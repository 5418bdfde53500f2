/* mbtiles.h — raster MBTiles 1.3 archives (SQLite: a metadata table of name/value pairs and a
 * tiles table keyed by zoom_level, tile_column, tile_row with TMS rows: row 0 is the south).
 * Internal to pack.c, which picks the format. */
#ifndef CARTOUCHE_TILES_MBTILES_H
#define CARTOUCHE_TILES_MBTILES_H

#include "tiles/pack_types.h"
#include "util/err.h"

typedef struct tiles_mbtiles_writer tiles_mbtiles_writer;
tiles_mbtiles_writer *tiles_mbtiles_create(const char *path, const tiles_archive_info *info,
                                           err_t *err);
int tiles_mbtiles_add(tiles_mbtiles_writer *w, int z, int x, int y, const void *data, size_t len,
                      err_t *err);
int tiles_mbtiles_finish(tiles_mbtiles_writer *w, err_t *err);
void tiles_mbtiles_abort(tiles_mbtiles_writer *w);

/* Fill p (kind, info, db, tile count). -1 + err naming the path and the reason. */
int tiles_mbtiles_open(tiles_pack *p, const char *path, err_t *err);
void tiles_mbtiles_close(tiles_pack *p);
/* out NULL: existence only. 0 found, -1 absent (err ERR_NOT_FOUND) or failed. */
int tiles_mbtiles_read(const tiles_pack *p, int z, int x, int y, unsigned char **out,
                       size_t *len, err_t *err);

#endif
