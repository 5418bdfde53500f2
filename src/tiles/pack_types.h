/* pack_types.h — the types a tile archive format shares with pack.c: the archive kinds, tile
 * formats, what an archive says about itself, and an opened archive (tiles_pack), which the
 * format readers (pmtiles.c, mbtiles.c) fill and pack.c answers from. Types only. */
#ifndef CARTOUCHE_TILES_PACK_TYPES_H
#define CARTOUCHE_TILES_PACK_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef enum { TILES_ARCHIVE_NONE = 0, TILES_ARCHIVE_PMTILES, TILES_ARCHIVE_MBTILES } tiles_archive_kind;
typedef enum { TILES_TILE_JPEG = 0, TILES_TILE_PNG = 1 } tiles_tile_format;

/* What an archive says about itself (PMTiles header + JSON metadata, MBTiles metadata). */
typedef struct {
    tiles_tile_format format;
    int minzoom, maxzoom;
    double bounds[4];  /* w, s, e, n */
    double center[3];  /* lng, lat, zoom */
    char name[64];
    char description[128];
    char attribution[256];
} tiles_archive_info;

typedef struct {
    tiles_archive_kind kind; /* TILES_ARCHIVE_NONE: no archive here */
    tiles_archive_info info;
    int fd;                  /* PMTiles: the file the tiles' offsets point into */
    long long file_size;
    long tiles;              /* addressed tiles */
    /* PMTiles: the whole directory (leaves resolved), sorted by tile id; offsets absolute. */
    size_t nentries;
    uint64_t *id, *off;
    uint32_t *len, *run;
    /* MBTiles: the reader (its read-only connection, serialized: SQLITE_OPEN_FULLMUTEX). */
    void *db;
} tiles_pack;

#endif
