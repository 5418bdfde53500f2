/* stac_geom.h — GeoJSON geometries (RFC 7946) as STAC search's `intersects` carries them, and
 * whether one intersects a scene footprint (a longitude/latitude box, possibly across the
 * antimeridian). Coordinates are taken as given in WGS 84 degrees; the planar test is the one
 * GeoJSON prescribes (straight lines in lon/lat). */
#ifndef CARTOUCHE_TILES_STAC_GEOM_H
#define CARTOUCHE_TILES_STAC_GEOM_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

/* Most positions one geometry may hold (a GET URL or a POST body bounds it anyway). */
#define TILES_GEOM_MAX_POINTS 100000

typedef enum {
    TILES_GEOM_POINTS,  /* Point, MultiPoint: every position on its own */
    TILES_GEOM_LINE,    /* LineString: one path */
    TILES_GEOM_POLYGON, /* Polygon: rings[0] outer, the rest holes */
} tiles_geom_kind;

/* One simple part; a Multi* or GeometryCollection is several parts. */
typedef struct {
    tiles_geom_kind kind;
    size_t nrings;    /* POLYGON: rings; LINE and POINTS: 1 */
    size_t *ring_end; /* index in pts past each ring's last position */
} tiles_geom_part;

typedef struct {
    tiles_geom_part *parts;
    size_t nparts;
    double (*pts)[2]; /* lon, lat */
    size_t npts;
} tiles_geom;

/* Parse a GeoJSON geometry object: Point, MultiPoint, LineString, MultiLineString, Polygon,
 * MultiPolygon or GeometryCollection (not nested). Rings must be closed and have 4 positions;
 * a LineString 2; longitudes -180..180, latitudes -90..90. -1 with ERR_BAD_PARAM naming param. */
int tiles_geom_parse(const json_t *g, tiles_geom *out, const char *param, err_t *err);
void tiles_geom_free(tiles_geom *g);

/* 1 when g shares a point with the box w,s,e,n (edges included; w > e crosses the antimeridian). */
int tiles_geom_intersects_box(const tiles_geom *g, const double box[4]);

/* 1 when g shares a point with the polygon of the closed ring (n positions, the last equal to
 * the first; one side of the antimeridian): a scene's own footprint. Costs positions of g times
 * n; callers bound it (TILES_GEOM_RING_MAX_POINTS). */
int tiles_geom_intersects_ring(const tiles_geom *g, const double (*ring)[2], size_t n);
/* 1 when the polygon of the closed ring shares a point with the box w,s,e,n (w > e crosses the
 * antimeridian). */
int tiles_ring_intersects_box(const double (*ring)[2], size_t n, const double box[4]);
/* Beyond this many positions, a geometry is tested against footprints' bboxes only. */
#define TILES_GEOM_RING_MAX_POINTS 2000

#endif
