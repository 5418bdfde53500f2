/* reproject.h — resampling an equirectangular source image into Web Mercator tiles.
 *
 * The mapping is separable (x depends only on longitude, y only on latitude), so a band of
 * tiles is made in two 1-D passes: horizontal over the source rows the band needs, then
 * vertical. Each output pixel's pre-image in the source is computed in continuous
 * coordinates; when it spans more than one source pixel the filter is an area average over
 * exactly that span, otherwise a Catmull-Rom bicubic at its centre. Columns wrap around the
 * antimeridian for a whole-world source, so there are no seams between tiles or at ±180°.
 * Pixels are filtered premultiplied, so a partial layer fades to transparent at its edge. */
#ifndef CARTOUCHE_TILES_REPROJECT_H
#define CARTOUCHE_TILES_REPROJECT_H

#include <stdint.h>

#include "util/err.h"
#include "tiles/codec.h"

typedef struct tiles_georaster tiles_georaster;

typedef struct {
    const tiles_raster *img; /* RGBA, straight alpha */
    double west, south, east, north; /* degrees; east < west crosses the antimeridian */
    tiles_georaster *geo;    /* set: georeferenced imagery warped by GDAL instead (img unused) */
} tiles_source;

/* 1 if the source covers all longitudes (wraps horizontally). */
int tiles_source_is_world(const tiles_source *s);

/* Render tiles tx0..tx1 (inclusive, no wrap) of row ty at zoom z, each size x size pixels,
 * side by side into out: an RGBA image (straight alpha) of (tx1-tx0+1)*size by size. A source
 * with geo set is warped by GDAL (georaster.h). */
int tiles_reproject_band(const tiles_source *s, int z, int ty, int tx0, int tx1, int size,
                         uint8_t *out, err_t *err);

/* 1 if tile (z, x, y) overlaps the source bounds (always 1 for a world source). */
int tiles_source_covers_tile(const tiles_source *s, int z, int x, int y);

#endif
