/* stac_geom.c — GeoJSON geometry parsing and the geometry/box intersection test (see
 * stac_geom.h).
 *
 * A geometry meets a box when a point of it lies in the box, a segment of it crosses the box
 * (Liang–Barsky clipping, which also covers a segment with both ends inside), or — for a
 * polygon whose boundary misses the box entirely — the box lies inside the polygon's area,
 * which one point of the box then decides (even-odd rule over all rings, so holes count). */
#include "tiles/stac_geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    tiles_geom *g;
    const char *param;
    err_t *err;
    size_t cap_pts, cap_parts;
} geom_builder;

static int fail(geom_builder *b, const char *why)
{
    err_set(b->err, ERR_BAD_PARAM, b->param, "%s must be a GeoJSON geometry: %s", b->param, why);
    return -1;
}

static int add_point(geom_builder *b, const json_t *pos)
{
    size_t n = json_array_size(pos);
    if (!json_is_array(pos) || n < 2 || n > 3)
        return fail(b, "a position is an array of 2 or 3 numbers");
    for (size_t i = 0; i < n; i++)
        if (!json_is_number(json_array_get(pos, i)))
            return fail(b, "a position is an array of 2 or 3 numbers");
    double lon = json_number_value(json_array_get(pos, 0));
    double lat = json_number_value(json_array_get(pos, 1));
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return fail(b, "longitude must be -180..180 and latitude -90..90");
    tiles_geom *g = b->g;
    if (g->npts == TILES_GEOM_MAX_POINTS)
        return fail(b, "too many positions");
    if (g->npts == b->cap_pts) {
        size_t cap = b->cap_pts ? b->cap_pts * 2 : 16;
        void *p = realloc(g->pts, cap * sizeof *g->pts);
        if (!p) {
            err_set(b->err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        g->pts = p;
        b->cap_pts = cap;
    }
    g->pts[g->npts][0] = lon;
    g->pts[g->npts][1] = lat;
    g->npts++;
    return 0;
}

static tiles_geom_part *add_part(geom_builder *b, tiles_geom_kind kind, size_t nrings)
{
    tiles_geom *g = b->g;
    if (g->nparts == b->cap_parts) {
        size_t cap = b->cap_parts ? b->cap_parts * 2 : 4;
        void *p = realloc(g->parts, cap * sizeof *g->parts);
        if (!p)
            return NULL;
        g->parts = p;
        b->cap_parts = cap;
    }
    tiles_geom_part *part = &g->parts[g->nparts];
    part->kind = kind;
    part->nrings = 0;
    part->ring_end = calloc(nrings ? nrings : 1, sizeof *part->ring_end);
    if (!part->ring_end)
        return NULL;
    g->nparts++;
    return part;
}

/* A path of positions ending one ring of part; min positions, closed if asked. */
static int add_ring(geom_builder *b, tiles_geom_part *part, const json_t *coords, size_t min,
                    int closed)
{
    if (!json_is_array(coords) || json_array_size(coords) < min)
        return fail(b, closed ? "a polygon ring has at least 4 positions"
                              : "a LineString has at least 2 positions");
    size_t start = b->g->npts;
    for (size_t i = 0; i < json_array_size(coords); i++)
        if (add_point(b, json_array_get(coords, i)) != 0)
            return -1;
    const double *first = b->g->pts[start], *last = b->g->pts[b->g->npts - 1];
    if (closed && (first[0] != last[0] || first[1] != last[1]))
        return fail(b, "a polygon ring must end where it starts");
    part->ring_end[part->nrings++] = b->g->npts;
    return 0;
}

static int add_polygon(geom_builder *b, const json_t *rings)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return fail(b, "a Polygon's coordinates are an array of rings");
    tiles_geom_part *part = add_part(b, TILES_GEOM_POLYGON, json_array_size(rings));
    if (!part) {
        err_set(b->err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < json_array_size(rings); i++)
        if (add_ring(b, part, json_array_get(rings, i), 4, 1) != 0)
            return -1;
    return 0;
}

static int add_geometry(geom_builder *b, const json_t *o, int nested)
{
    const char *type = json_string_value(json_object_get(o, "type"));
    if (!json_is_object(o) || !type)
        return fail(b, "an object with a \"type\"");
    if (!strcmp(type, "GeometryCollection")) {
        const json_t *gs = json_object_get(o, "geometries");
        if (nested)
            return fail(b, "GeometryCollections may not nest");
        if (!json_is_array(gs))
            return fail(b, "a GeometryCollection has a \"geometries\" array");
        for (size_t i = 0; i < json_array_size(gs); i++)
            if (add_geometry(b, json_array_get(gs, i), 1) != 0)
                return -1;
        return 0;
    }
    const json_t *c = json_object_get(o, "coordinates");
    if (!json_is_array(c))
        return fail(b, "a geometry has a \"coordinates\" array");
    tiles_geom_part *part;
    if (!strcmp(type, "Point") || !strcmp(type, "MultiPoint")) {
        if (!(part = add_part(b, TILES_GEOM_POINTS, 1)))
            goto oom;
        if (type[0] == 'P') {
            if (add_point(b, c) != 0)
                return -1;
        } else {
            for (size_t i = 0; i < json_array_size(c); i++)
                if (add_point(b, json_array_get(c, i)) != 0)
                    return -1;
        }
        part->ring_end[part->nrings++] = b->g->npts;
        return 0;
    }
    if (!strcmp(type, "LineString")) {
        if (!(part = add_part(b, TILES_GEOM_LINE, 1)))
            goto oom;
        return add_ring(b, part, c, 2, 0);
    }
    if (!strcmp(type, "MultiLineString")) {
        for (size_t i = 0; i < json_array_size(c); i++) {
            if (!(part = add_part(b, TILES_GEOM_LINE, 1)))
                goto oom;
            if (add_ring(b, part, json_array_get(c, i), 2, 0) != 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(type, "Polygon"))
        return add_polygon(b, c);
    if (!strcmp(type, "MultiPolygon")) {
        for (size_t i = 0; i < json_array_size(c); i++)
            if (add_polygon(b, json_array_get(c, i)) != 0)
                return -1;
        return 0;
    }
    return fail(b, "type must be Point, MultiPoint, LineString, MultiLineString, Polygon, "
                   "MultiPolygon or GeometryCollection");
oom:
    err_set(b->err, ERR_INTERNAL, NULL, "out of memory");
    return -1;
}

int tiles_geom_parse(const json_t *g, tiles_geom *out, const char *param, err_t *err)
{
    memset(out, 0, sizeof *out);
    geom_builder b = {out, param, err, 0, 0};
    if (add_geometry(&b, g, 0) != 0) {
        tiles_geom_free(out);
        return -1;
    }
    return 0;
}

void tiles_geom_free(tiles_geom *g)
{
    for (size_t i = 0; i < g->nparts; i++)
        free(g->parts[i].ring_end);
    free(g->parts);
    free(g->pts);
    memset(g, 0, sizeof *g);
}

static int point_in_box(const double p[2], const double r[4])
{
    return r[0] <= p[0] && p[0] <= r[2] && r[1] <= p[1] && p[1] <= r[3];
}

/* Liang–Barsky: does any part of segment a→b lie in the box r (w <= e)? */
static int segment_meets_box(const double a[2], const double b[2], const double r[4])
{
    double t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {a[0] - r[0], r[2] - a[0], a[1] - r[1], r[3] - a[1]};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) {
            if (t > t1)
                return 0;
            if (t > t0)
                t0 = t;
        } else {
            if (t < t0)
                return 0;
            if (t < t1)
                t1 = t;
        }
    }
    return 1;
}

/* Even-odd rule over every ring of a polygon part whose rings start at pts[first]. */
static int point_in_polygon(const tiles_geom *g, const tiles_geom_part *part, size_t first,
                            const double p[2])
{
    int inside = 0;
    size_t start = first;
    for (size_t r = 0; r < part->nrings; r++) {
        size_t end = part->ring_end[r];
        for (size_t i = start, j = end - 1; i < end; j = i++) {
            const double *a = g->pts[i], *b = g->pts[j];
            if ((a[1] > p[1]) != (b[1] > p[1]) &&
                p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0])
                inside = !inside;
        }
        start = end;
    }
    return inside;
}

static int part_meets_box(const tiles_geom *g, const tiles_geom_part *part, size_t first,
                          const double r[4])
{
    size_t start = first;
    for (size_t k = 0; k < part->nrings; k++) {
        size_t end = part->ring_end[k];
        if (part->kind == TILES_GEOM_POINTS) {
            for (size_t i = start; i < end; i++)
                if (point_in_box(g->pts[i], r))
                    return 1;
        } else {
            for (size_t i = start; i + 1 < end; i++)
                if (segment_meets_box(g->pts[i], g->pts[i + 1], r))
                    return 1;
        }
        start = end;
    }
    if (part->kind != TILES_GEOM_POLYGON)
        return 0;
    /* The boundary misses the box: the box is wholly inside the area or wholly outside. */
    double corner[2] = {r[0], r[1]};
    return point_in_polygon(g, part, first, corner);
}

static int meets_plain_box(const tiles_geom *g, const double r[4])
{
    size_t first = 0;
    for (size_t i = 0; i < g->nparts; i++) {
        const tiles_geom_part *part = &g->parts[i];
        if (part_meets_box(g, part, first, r))
            return 1;
        if (part->nrings)
            first = part->ring_end[part->nrings - 1];
    }
    return 0;
}

int tiles_geom_intersects_box(const tiles_geom *g, const double box[4])
{
    if (box[0] <= box[2])
        return meets_plain_box(g, box);
    double east[4] = {box[0], box[1], 180, box[3]}, west[4] = {-180, box[1], box[2], box[3]};
    return meets_plain_box(g, east) || meets_plain_box(g, west);
}

/* ---- against a scene's own footprint -------------------------------------------------------- */

static double orient(const double a[2], const double b[2], const double c[2])
{
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static int on_segment(const double a[2], const double b[2], const double p[2])
{
    return fmin(a[0], b[0]) <= p[0] && p[0] <= fmax(a[0], b[0]) && fmin(a[1], b[1]) <= p[1] &&
           p[1] <= fmax(a[1], b[1]);
}

/* Segments a-b and c-d share a point (touching and collinear overlaps included). */
static int segments_meet(const double a[2], const double b[2], const double c[2], const double d[2])
{
    double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
        return 1;
    return (o1 == 0 && on_segment(a, b, c)) || (o2 == 0 && on_segment(a, b, d)) ||
           (o3 == 0 && on_segment(c, d, a)) || (o4 == 0 && on_segment(c, d, b));
}

/* p inside the closed ring or on its boundary. */
static int point_in_ring(const double (*ring)[2], size_t n, const double p[2])
{
    int inside = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const double *a = ring[i], *b = ring[j];
        if (orient(a, b, p) == 0 && on_segment(a, b, p))
            return 1;
        if ((a[1] > p[1]) != (b[1] > p[1]) &&
            p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0])
            inside = !inside;
    }
    return inside;
}

int tiles_geom_intersects_ring(const tiles_geom *g, const double (*ring)[2], size_t n)
{
    if (n < 4)
        return 0;
    size_t first = 0;
    for (size_t k = 0; k < g->nparts; k++) {
        const tiles_geom_part *part = &g->parts[k];
        size_t start = first;
        for (size_t r = 0; r < part->nrings; r++) {
            size_t end = part->ring_end[r];
            for (size_t i = start; i < end; i++) {
                if (point_in_ring(ring, n, g->pts[i]))
                    return 1; /* a position of g on or in the footprint */
                if (part->kind == TILES_GEOM_POINTS || i + 1 == end)
                    continue;
                for (size_t e = 0; e + 1 < n; e++)
                    if (segments_meet(g->pts[i], g->pts[i + 1], ring[e], ring[e + 1]))
                        return 1; /* an edge of g crosses the footprint's */
            }
            start = end;
        }
        /* No position inside and no crossing: the footprint is wholly inside this polygon or
         * wholly outside it. */
        if (part->kind == TILES_GEOM_POLYGON && point_in_polygon(g, part, first, ring[0]))
            return 1;
        if (part->nrings)
            first = part->ring_end[part->nrings - 1];
    }
    return 0;
}

static int ring_meets_plain_box(const double (*ring)[2], size_t n, const double r[4])
{
    for (size_t i = 0; i + 1 < n; i++)
        if (segment_meets_box(ring[i], ring[i + 1], r))
            return 1;
    double corner[2] = {r[0], r[1]}; /* else the box is wholly inside the ring, or outside */
    return point_in_ring(ring, n, corner);
}

int tiles_ring_intersects_box(const double (*ring)[2], size_t n, const double box[4])
{
    if (n < 4)
        return 0;
    if (box[0] <= box[2])
        return ring_meets_plain_box(ring, n, box);
    double east[4] = {box[0], box[1], 180, box[3]}, west[4] = {-180, box[1], box[2], box[3]};
    return ring_meets_plain_box(ring, n, east) || ring_meets_plain_box(ring, n, west);
}
