/* pack.h — tile archives: every tile of one layer at one tile size in one standard file,
 * PMTiles v3 (pmtiles.c) or raster MBTiles 1.3 (mbtiles.c). The bake writes them (several
 * threads append at once); the server opens them, baked or brought by the user (--layer).
 *
 * A PMTiles archive's tiles are byte ranges of one file, so the server replies to an
 * unlabelled tile with sendfile from its offset (tiles_pack_lookup). An MBTiles archive keeps
 * its tiles as SQLite blobs, which are not one byte range: they are read (tiles_pack_read)
 * and served through the render path, cached.
 *
 * Writers write to PATH.tmp and rename into place when complete, so a reader never sees a
 * half-written archive. */
#ifndef CARTOUCHE_TILES_PACK_H
#define CARTOUCHE_TILES_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "tiles/pack_types.h"
#include "util/err.h"

typedef struct tiles_pack_writer tiles_pack_writer;

tiles_pack_writer *tiles_pack_create(const char *path, tiles_archive_kind kind,
                                     const tiles_archive_info *info, err_t *err);
/* Append one tile; safe to call from several threads. */
int tiles_pack_add(tiles_pack_writer *w, int z, int x, int y, const void *data, size_t len,
                   err_t *err);
/* Write the directory and metadata and rename into place; frees w in every case. */
int tiles_pack_finish(tiles_pack_writer *w, err_t *err);
/* Discard an archive being written; frees w (NULL is fine). */
void tiles_pack_abort(tiles_pack_writer *w);

/* Open by the name's ending: .pmtiles or .mbtiles. */
int tiles_pack_open(tiles_pack *p, const char *path, err_t *err);
void tiles_pack_close(tiles_pack *p);
/* 1 if the archive has tile (z, x, y), 0 if not (or out of range). */
int tiles_pack_has(const tiles_pack *p, int z, int x, int y);
/* 0 if the archive has the tile, with its byte range in p->fd for PMTiles (an MBTiles blob is
 * no byte range: *off = -1, *len = 0); -1 if absent. */
int tiles_pack_lookup(const tiles_pack *p, int z, int x, int y, long long *off, size_t *len);
/* A tile's bytes into a malloc'd buffer (thread-safe). ERR_NOT_FOUND if absent. */
int tiles_pack_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                    err_t *err);

/* The archive kind of a path by its ending, TILES_ARCHIVE_NONE if neither. */
tiles_archive_kind tiles_pack_kind_of(const char *path);
/* Where the bake keeps a layer's archive: DIR/NAME.pmtiles, DIR/NAME@2x.mbtiles, ... */
void tiles_pack_path(const char *dir, const char *layer, int scale, tiles_archive_kind kind,
                     char *out, size_t cap);

#endif
