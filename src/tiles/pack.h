/* pack.h — tile pack files: every tile of one (layer, size, format) in one file, with a dense
 * index so that (z, x, y) → (offset, length) is one array lookup, and the server can reply
 * with sendfile from a single open fd.
 *
 * Layout (little-endian): "CTPK", u32 version, u32 maxzoom, u32 count, then count entries of
 * (u64 offset, u32 length) in tiles_pyramid_index() order (length 0 = no tile), then the
 * tile bytes. A pack is written to PATH.tmp and renamed into place when complete, so a
 * reader never sees a half-written pack. */
#ifndef CARTOUCHE_TILES_PACK_H
#define CARTOUCHE_TILES_PACK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TILES_PACK_VERSION 1

typedef struct tiles_pack_writer tiles_pack_writer;

tiles_pack_writer *tiles_pack_create(const char *path, int maxzoom, err_t *err);
/* Append one tile; safe to call from several threads. */
int tiles_pack_add(tiles_pack_writer *w, int z, int x, int y, const void *data, size_t len,
                   err_t *err);
/* Write the index and rename into place; frees w in every case. */
int tiles_pack_finish(tiles_pack_writer *w, err_t *err);
/* Discard a pack being written; frees w. */
void tiles_pack_abort(tiles_pack_writer *w);

typedef struct {
    int fd;
    int maxzoom;
    long count;
    uint64_t *off;
    uint32_t *len;
    long long file_size;
    long tiles; /* entries with a tile */
} tiles_pack;

int tiles_pack_open(tiles_pack *p, const char *path, err_t *err);
void tiles_pack_close(tiles_pack *p);
/* 0 and the byte range if the tile exists; -1 if not (or out of range). */
int tiles_pack_lookup(const tiles_pack *p, int z, int x, int y, long long *off, size_t *len);
/* Read a tile's bytes with pread (thread-safe) into a malloc'd buffer. */
int tiles_pack_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                    err_t *err);

#endif
