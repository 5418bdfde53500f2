/* tilemath.h — Web Mercator (EPSG:3857) arithmetic for XYZ tiles: lat/lng to global pixels
 * at a zoom and back, tile ranges, and fitting a bounding box into an image size. Global
 * pixel space at zoom z is TILES_TILE_SIZE * 2^z units square, x east from 180°W, y south
 * from 85.0511°N; every placement (labels, markers, static maps) is computed there. */
#ifndef CARTOUCHE_TILES_TILEMATH_H
#define CARTOUCHE_TILES_TILEMATH_H

#define TILES_TILE_SIZE 256
#define TILES_MIN_ZOOM 0
#define TILES_MAX_ZOOM 6
/* atan(sinh(pi)): the latitude where the Mercator square ends. */
#define TILES_MAX_LAT 85.05112877980659

/* World size in global pixels at zoom z for tiles of tile_size. */
double tiles_world_size(int z, int tile_size);

/* Longitude → x and latitude → y in [0, world) (latitude clamped to ±TILES_MAX_LAT;
 * longitude is not wrapped, so -180 → 0 and 180 → world). */
double tiles_lng_to_x(double lng, double world);
double tiles_lat_to_y(double lat, double world);
double tiles_x_to_lng(double x, double world);
double tiles_y_to_lat(double y, double world);

/* Tile (x, y) containing a point at zoom z (x wrapped into 0..2^z-1, y clamped). */
void tiles_tile_of(double lat, double lng, int z, int *tx, int *ty);

/* Bounds of tile (z, x, y): west, south, east, north in degrees. */
void tiles_tile_bounds(int z, int x, int y, double out[4]);

/* 1 if tile (z, x, y) overlaps bounds b (w, s, e, n; e < w crosses the antimeridian); always
 * 1 for bounds that go round the world. */
int tiles_bounds_cover_tile(const double b[4], int z, int x, int y);

/* Number of tiles z0..z; index of (z, x, y) in the dense z-major order used by tile packs. */
long tiles_pyramid_count(int maxzoom);
long tiles_pyramid_index(int z, int x, int y);

/* Largest zoom in [minz, maxz] at which bbox (w, s, e, n; e < w crosses the antimeridian)
 * fits in width x height layout pixels less padding on each side; minz if none fits.
 * Also returns the centre (lat, lng) of the bbox in Mercator space. */
int tiles_fit_bbox(const double bbox[4], int width, int height, int padding, int minz, int maxz,
                   double *center_lat, double *center_lng);

#endif
