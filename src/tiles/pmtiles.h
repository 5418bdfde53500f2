/* pmtiles.h — PMTiles v3 archives (one file: 127-byte header, root directory, JSON metadata,
 * leaf directories, tile data; directories are varint-encoded runs of Hilbert tile ids).
 * Internal to pack.c, which picks the format; tests use the tile id. */
#ifndef CARTOUCHE_TILES_PMTILES_H
#define CARTOUCHE_TILES_PMTILES_H

#include <stdint.h>

#include "tiles/pack_types.h"
#include "util/err.h"

#define TILES_PMTILES_HEADER 127
/* Readers fetch the header and root directory with one 16 KiB request. */
#define TILES_PMTILES_ROOT_MAX 16384

/* The PMTiles tile id of (z, x, y): tiles of lower zooms first, then the Hilbert index. */
uint64_t tiles_pmtiles_tile_id(int z, int x, int y);

typedef struct tiles_pmtiles_writer tiles_pmtiles_writer;
tiles_pmtiles_writer *tiles_pmtiles_create(const char *path, const tiles_archive_info *info,
                                           err_t *err);
int tiles_pmtiles_add(tiles_pmtiles_writer *w, int z, int x, int y, const void *data, size_t len,
                      err_t *err);
int tiles_pmtiles_finish(tiles_pmtiles_writer *w, err_t *err);
void tiles_pmtiles_abort(tiles_pmtiles_writer *w);

/* Fill p (kind, info, fd, directory). -1 + err naming the path and the reason. */
int tiles_pmtiles_open(tiles_pack *p, const char *path, err_t *err);
/* 0 and the absolute byte range of tile id; -1 if absent. */
int tiles_pmtiles_find(const tiles_pack *p, uint64_t id, long long *off, size_t *len);
/* The bytes of tile z/x/y (malloc'd), or -1: ERR_NOT_FOUND, or ERR_INTERNAL when unreadable. */
int tiles_pmtiles_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                       err_t *err);

#endif
