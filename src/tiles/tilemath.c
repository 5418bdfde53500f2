/* tilemath.c — Web Mercator arithmetic for XYZ tiles (see tilemath.h). */
#include "tiles/tilemath.h"

#include <math.h>

double tiles_world_size(int z, int tile_size)
{
    return (double)tile_size * (double)(1L << z);
}

double tiles_lng_to_x(double lng, double world)
{
    return (lng + 180.0) / 360.0 * world;
}

double tiles_lat_to_y(double lat, double world)
{
    if (lat > TILES_MAX_LAT)
        lat = TILES_MAX_LAT;
    if (lat < -TILES_MAX_LAT)
        lat = -TILES_MAX_LAT;
    double phi = lat * M_PI / 180.0;
    double m = log(tan(M_PI / 4.0 + phi / 2.0)); /* Mercator ordinate, ±pi at the clip */
    return (1.0 - m / M_PI) / 2.0 * world;
}

double tiles_x_to_lng(double x, double world)
{
    return x / world * 360.0 - 180.0;
}

double tiles_y_to_lat(double y, double world)
{
    double m = M_PI * (1.0 - 2.0 * y / world);
    return atan(sinh(m)) * 180.0 / M_PI;
}

void tiles_tile_of(double lat, double lng, int z, int *tx, int *ty)
{
    long n = 1L << z;
    double world = tiles_world_size(z, 1);
    long x = (long)floor(tiles_lng_to_x(lng, world));
    long y = (long)floor(tiles_lat_to_y(lat, world));
    x %= n;
    if (x < 0)
        x += n;
    if (y < 0)
        y = 0;
    if (y >= n)
        y = n - 1;
    *tx = (int)x;
    *ty = (int)y;
}

void tiles_tile_bounds(int z, int x, int y, double out[4])
{
    double world = tiles_world_size(z, 1);
    out[0] = tiles_x_to_lng(x, world);
    out[1] = tiles_y_to_lat(y + 1, world);
    out[2] = tiles_x_to_lng(x + 1, world);
    out[3] = tiles_y_to_lat(y, world);
}

int tiles_bounds_cover_tile(const double b[4], int z, int x, int y)
{
    double span = b[2] - b[0];
    if (span <= 0)
        span += 360.0;
    if (span >= 359.999)
        return 1;
    double t[4];
    tiles_tile_bounds(z, x, y, t);
    if (t[1] >= b[3] || t[3] <= b[1])
        return 0;
    /* Tile west edge east of the bounds' west edge, in [0, 360). */
    double d = fmod(t[0] - b[0], 360.0);
    if (d < 0)
        d += 360.0;
    return d < span || d + (t[2] - t[0]) > 360.0;
}

long tiles_pyramid_count(int maxzoom)
{
    return ((1L << (2 * (maxzoom + 1))) - 1) / 3;
}

long tiles_pyramid_index(int z, int x, int y)
{
    return tiles_pyramid_count(z - 1) + (long)y * (1L << z) + x;
}

int tiles_fit_bbox(const double bbox[4], int width, int height, int padding, int minz, int maxz,
                   double *center_lat, double *center_lng)
{
    double w = bbox[0], s = bbox[1], e = bbox[2], n = bbox[3];
    if (e < w)
        e += 360.0; /* crosses the antimeridian */
    /* Span in world fractions (zoom 0, world = 1). */
    double fx = (e - w) / 360.0;
    double fy = tiles_lat_to_y(s, 1.0) - tiles_lat_to_y(n, 1.0);
    double avail_w = width - 2.0 * padding, avail_h = height - 2.0 * padding;
    if (avail_w < 1)
        avail_w = 1;
    if (avail_h < 1)
        avail_h = 1;
    int best = minz;
    for (int z = minz; z <= maxz; z++) {
        double world = tiles_world_size(z, TILES_TILE_SIZE);
        if (fx * world <= avail_w && fy * world <= avail_h)
            best = z;
        else
            break;
    }
    double cx = (w + e) / 2.0;
    if (cx > 180.0)
        cx -= 360.0;
    *center_lng = cx;
    *center_lat = tiles_y_to_lat((tiles_lat_to_y(s, 1.0) + tiles_lat_to_y(n, 1.0)) / 2.0, 1.0);
    return best;
}
