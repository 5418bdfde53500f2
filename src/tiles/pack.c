/* pack.c — tile archives of either format behind one interface (see pack.h). */
#include "tiles/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tiles/mbtiles.h"
#include "tiles/pmtiles.h"

struct tiles_pack_writer {
    tiles_archive_kind kind;
    tiles_pmtiles_writer *pm;
    tiles_mbtiles_writer *mb;
};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n > m && strcasecmp(s + n - m, tail) == 0;
}

tiles_archive_kind tiles_pack_kind_of(const char *path)
{
    return ends_with(path, ".pmtiles")   ? TILES_ARCHIVE_PMTILES
           : ends_with(path, ".mbtiles") ? TILES_ARCHIVE_MBTILES
                                         : TILES_ARCHIVE_NONE;
}

void tiles_pack_path(const char *dir, const char *layer, int scale, tiles_archive_kind kind,
                     char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s%s.%s", dir, layer, scale == 2 ? "@2x" : "",
             kind == TILES_ARCHIVE_MBTILES ? "mbtiles" : "pmtiles");
}

tiles_pack_writer *tiles_pack_create(const char *path, tiles_archive_kind kind,
                                     const tiles_archive_info *info, err_t *err)
{
    tiles_pack_writer *w = calloc(1, sizeof *w);
    if (!w) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    w->kind = kind;
    if (kind == TILES_ARCHIVE_PMTILES)
        w->pm = tiles_pmtiles_create(path, info, err);
    else if (kind == TILES_ARCHIVE_MBTILES)
        w->mb = tiles_mbtiles_create(path, info, err);
    else
        err_set(err, ERR_INTERNAL, NULL, "%s: unknown archive kind", path);
    if (!w->pm && !w->mb) {
        free(w);
        return NULL;
    }
    return w;
}

int tiles_pack_add(tiles_pack_writer *w, int z, int x, int y, const void *data, size_t len,
                   err_t *err)
{
    return w->pm ? tiles_pmtiles_add(w->pm, z, x, y, data, len, err)
                 : tiles_mbtiles_add(w->mb, z, x, y, data, len, err);
}

int tiles_pack_finish(tiles_pack_writer *w, err_t *err)
{
    int rc = w->pm ? tiles_pmtiles_finish(w->pm, err) : tiles_mbtiles_finish(w->mb, err);
    free(w);
    return rc;
}

void tiles_pack_abort(tiles_pack_writer *w)
{
    if (!w)
        return;
    tiles_pmtiles_abort(w->pm);
    tiles_mbtiles_abort(w->mb);
    free(w);
}

int tiles_pack_open(tiles_pack *p, const char *path, err_t *err)
{
    memset(p, 0, sizeof *p);
    p->fd = -1;
    switch (tiles_pack_kind_of(path)) {
    case TILES_ARCHIVE_PMTILES:
        return tiles_pmtiles_open(p, path, err);
    case TILES_ARCHIVE_MBTILES:
        return tiles_mbtiles_open(p, path, err);
    default:
        err_set(err, ERR_CONFIG, NULL, "%s: not a .pmtiles or .mbtiles file", path);
        return -1;
    }
}

void tiles_pack_close(tiles_pack *p)
{
    if (p->fd >= 0)
        close(p->fd);
    if (p->kind == TILES_ARCHIVE_MBTILES)
        tiles_mbtiles_close(p);
    free(p->id);
    free(p->off);
    free(p->len);
    free(p->run);
    memset(p, 0, sizeof *p);
    p->fd = -1;
}

static int in_range(const tiles_pack *p, int z, int x, int y)
{
    return p->kind != TILES_ARCHIVE_NONE && z >= p->info.minzoom && z <= p->info.maxzoom &&
           z <= 30 && x >= 0 && y >= 0 && x < (1 << z) && y < (1 << z);
}

int tiles_pack_lookup(const tiles_pack *p, int z, int x, int y, long long *off, size_t *len)
{
    if (!in_range(p, z, x, y))
        return -1;
    if (p->kind == TILES_ARCHIVE_PMTILES)
        return tiles_pmtiles_find(p, tiles_pmtiles_tile_id(z, x, y), off, len);
    *off = -1;
    *len = 0;
    return tiles_mbtiles_read(p, z, x, y, NULL, NULL, NULL);
}

int tiles_pack_has(const tiles_pack *p, int z, int x, int y)
{
    long long off;
    size_t len;
    return tiles_pack_lookup(p, z, x, y, &off, &len) == 0;
}

int tiles_pack_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                    err_t *err)
{
    if (!in_range(p, z, x, y)) {
        err_set(err, ERR_NOT_FOUND, NULL, "no tile %d/%d/%d", z, x, y);
        return -1;
    }
    if (p->kind == TILES_ARCHIVE_MBTILES)
        return tiles_mbtiles_read(p, z, x, y, out, len, err);
    return tiles_pmtiles_read(p, z, x, y, out, len, err);
}
