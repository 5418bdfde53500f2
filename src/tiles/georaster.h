/* georaster.h — georeferenced imagery read through GDAL (GeoTIFF and COG, JPEG 2000, PNG/JPEG
 * with a world file, any raster GDAL opens, in any CRS GDAL knows), one file or several as one
 * mosaic, or one plain equirectangular image placed on given bounds (the built-in Marble
 * layers), warped into Web Mercator tiles by GDAL's warper: the bake's one way to reproject.
 * Rasters deeper than 8 bits are scaled to 8 bits by a per-band percentile stretch; nodata and
 * alpha become transparency. */
#ifndef CARTOUCHE_TILES_GEORASTER_H
#define CARTOUCHE_TILES_GEORASTER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "tiles/codec.h"

/* Percentiles of the stretch applied to rasters deeper than 8 bits. */
#define TILES_STRETCH_LOW 2.0
#define TILES_STRETCH_HIGH 98.0

typedef struct tiles_georaster tiles_georaster;

/* Open n files as one layer (a mosaic when n > 1; later files drawn over earlier ones).
 * ERR_CONFIG naming the file when one cannot be read or has no georeferencing. */
tiles_georaster *tiles_georaster_open(const char *const *paths, size_t n, err_t *err);
/* Open one image whose pixels span the longitude/latitude box b (w, s, e, n; e < w crosses the
 * antimeridian) whatever georeferencing it has or lacks: a plain equirectangular JPEG/PNG such
 * as Marble's Blue Marble. GDAL is told its geotransform and EPSG:4326; the rest is as above. */
tiles_georaster *tiles_georaster_open_lonlat(const char *path, const double b[4], err_t *err);
void tiles_georaster_close(tiles_georaster *g);

/* The imagery's extent in degrees: w, s, e, n (w > e when it crosses the antimeridian). */
void tiles_georaster_bounds(const tiles_georaster *g, double b[4]);
/* How the pixels were made 8-bit ("" for 8-bit sources), e.g. "UInt16 stretched 2-98 %:
 * band 1 312-2950, ...": goes into the layer's metadata. */
const char *tiles_georaster_stretch(const tiles_georaster *g);

/* Warp Web Mercator tiles tx0..tx1 of row ty at zoom z, each size px, side by side into out
 * (RGBA, straight alpha). Two calls run at once, each on its own GDAL handles of the sources;
 * more wait. */
int tiles_georaster_warp_band(tiles_georaster *g, int z, int ty, int tx0, int tx1, int size,
                              uint8_t *out, err_t *err);

/* The whole imagery at most max px wide or high in longitude/latitude (EPSG:4326). */
int tiles_georaster_preview(tiles_georaster *g, int max, tiles_raster *out, err_t *err);

/* The first image at most max px wide or high on its own pixel grid (no reprojection: what
 * `gdal_translate -outsize` would give), stretched and with transparency like the tiles. */
int tiles_georaster_overview(tiles_georaster *g, int max, tiles_raster *out, err_t *err);

/* The stretch of a deep mosaic: per colour band (1 or 3 of them, returned) the values mapped to
 * 0 and 255; 0 for 8-bit sources. */
int tiles_georaster_stretch_bands(const tiles_georaster *g, double lo[3], double hi[3]);

#endif
