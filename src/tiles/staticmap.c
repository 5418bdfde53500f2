/* staticmap.c — /v1/static parameter validation and view fitting (see staticmap.h). */
#include "tiles/staticmap.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "tiles/layer.h"
#include "tiles/tilemath.h"

/* Room kept around a fitted bbox so markers and labels at its edge stay visible. */
#define FIT_PADDING 24

static const query_key static_keys[] = {
    {"center", 0}, {"zoom", 0},  {"bbox", 0},   {"size", 0},   {"scale", 0},
    {"marker", 1}, {"label", 1}, {"path", 1},   {"layer", 0},  {"format", 0},
    {"labels", 0},
};

int tiles_parse_label_options(const char *v, int *places, int *graticule)
{
    *places = *graticule = 0;
    if (!v || strcmp(v, "none") == 0)
        return 0;
    const char *p = v;
    while (1) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == 6 && memcmp(p, "places", 6) == 0)
            *places = 1;
        else if (n == 9 && memcmp(p, "graticule", 9) == 0)
            *graticule = 1;
        else
            return -1;
        if (!c)
            return 0;
        p = c + 1;
    }
}

/* Strict decimal number (no hex floats, inf or blanks); *end points past it. */
static int number(const char *s, double *out, const char **end)
{
    return query_number(s, out, end);
}

/* "lat,lng" then optionally ",rest" (rest returned, may contain commas). */
static int lat_lng(const char *s, double *lat, double *lng, const char **rest)
{
    const char *e;
    if (number(s, lat, &e) != 0 || *e != ',' || number(e + 1, lng, &e) != 0)
        return -1;
    if (*lat < -90 || *lat > 90 || *lng < -180 || *lng > 180)
        return -1;
    if (*e == 0) {
        *rest = NULL;
        return 0;
    }
    if (*e != ',')
        return -1;
    *rest = e + 1;
    return 0;
}

static int point_list(const query *q, const char *key, int need_text, size_t max,
                      tiles_static_point **out, size_t *nout, err_t *err)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        n += strcmp(q->p[i].key, key) == 0;
    if (n > max) {
        err_set(err, ERR_BAD_PARAM, key, "at most %zu %s parameters", max, key);
        return -1;
    }
    *out = calloc(n ? n : 1, sizeof **out);
    *nout = 0;
    if (!*out) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->p[i].key, key) != 0)
            continue;
        tiles_static_point *p = &(*out)[(*nout)++];
        const char *rest;
        if (lat_lng(q->p[i].val, &p->lat, &p->lng, &rest) != 0 ||
            (need_text && (!rest || !*rest))) {
            err_set(err, ERR_BAD_PARAM, key, "%s must be lat,lng%s (lat -90..90, lng -180..180)",
                    key, need_text ? ",text" : "[,text]");
            return -1;
        }
        if (rest && *rest) {
            size_t len = strlen(rest);
            if (len > TILES_STATIC_MAX_TEXT || !text_utf8_valid(rest, len)) {
                err_set(err, ERR_BAD_PARAM, key, "%s text must be valid UTF-8 of at most %d bytes",
                        key, TILES_STATIC_MAX_TEXT);
                return -1;
            }
            if (!(p->text = strdup(rest))) {
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
                return -1;
            }
        }
    }
    return 0;
}

static int parse_paths(const query *q, tiles_static_req *r, err_t *err)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        n += strcmp(q->p[i].key, "path") == 0;
    if (n > TILES_STATIC_MAX_PATHS) {
        err_set(err, ERR_BAD_PARAM, "path", "at most %d path parameters", TILES_STATIC_MAX_PATHS);
        return -1;
    }
    r->paths = calloc(n ? n : 1, sizeof *r->paths);
    if (!r->paths) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->p[i].key, "path") != 0)
            continue;
        tiles_static_path *p = &r->paths[r->npaths++];
        const char *s = q->p[i].val;
        size_t cap = 1;
        for (const char *c = s; *c; c++)
            cap += *c == ';';
        if (cap < 2 || cap > TILES_STATIC_MAX_PATH_POINTS)
            goto bad;
        p->pts = malloc(cap * sizeof *p->pts);
        if (!p->pts) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        while (1) {
            const char *e;
            double lat, lng;
            if (number(s, &lat, &e) != 0 || *e != ',' || number(e + 1, &lng, &e) != 0 ||
                fabs(lat) > 90 || fabs(lng) > 180 || (*e && *e != ';'))
                goto bad;
            p->pts[p->n][0] = lat;
            p->pts[p->n][1] = lng;
            p->n++;
            if (!*e)
                break;
            s = e + 1;
        }
    }
    return 0;
bad:
    err_set(err, ERR_BAD_PARAM, "path",
            "path must be 2..%d points lat,lng;lat,lng;... (lat -90..90, lng -180..180)",
            TILES_STATIC_MAX_PATH_POINTS);
    return -1;
}

static int parse_bbox(const char *v, double b[4])
{
    const char *e = v;
    for (int i = 0; i < 4; i++) {
        if (number(e, &b[i], &e) != 0)
            return -1;
        if (i < 3 && *e++ != ',')
            return -1;
    }
    if (*e || fabs(b[0]) > 180 || fabs(b[2]) > 180 || fabs(b[1]) > 90 || fabs(b[3]) > 90 ||
        b[1] >= b[3] || b[0] == b[2])
        return -1;
    return 0;
}

int tiles_static_parse(const query *q, tiles_static_req *r, err_t *err)
{
    memset(r, 0, sizeof *r);
    if (query_check(q, static_keys, sizeof static_keys / sizeof static_keys[0], err) != 0)
        return -1;
    const char *v = query_get(q, "layer");
    snprintf(r->layer, sizeof r->layer, "%s", v ? v : "bluemarble");
    if (!tiles_layer_name_valid(r->layer)) {
        err_set(err, ERR_BAD_PARAM, "layer", "layer must be a layer name (see /v1/scenes)");
        return -1;
    }
    v = query_get(q, "size");
    r->width = 600;
    r->height = 400;
    if (v) {
        char *e;
        long w = strtol(v, &e, 10), h = 0;
        int ok = e != v && (*e == 'x' || *e == 'X');
        if (ok) {
            const char *hs = e + 1;
            h = strtol(hs, &e, 10);
            ok = e != hs && *e == 0 && *v != '-' && *hs != '-';
        }
        if (!ok || w < TILES_STATIC_MIN_SIZE || h < TILES_STATIC_MIN_SIZE ||
            w > TILES_STATIC_MAX_SIZE || h > TILES_STATIC_MAX_SIZE) {
            err_set(err, ERR_BAD_PARAM, "size", "size must be WxH with each in %d..%d",
                    TILES_STATIC_MIN_SIZE, TILES_STATIC_MAX_SIZE);
            return -1;
        }
        r->width = (int)w;
        r->height = (int)h;
    }
    long scale;
    if (query_long(q, "scale", 1, 2, 1, &scale, err) != 0)
        return -1;
    r->scale = (int)scale;
    static const char *const formats[] = {"jpg", "png", NULL};
    int fmt;
    if (query_enum(q, "format", formats, 0, &fmt, err) != 0)
        return -1;
    r->format = fmt == 0 ? IMG_JPEG : IMG_PNG;
    if (tiles_parse_label_options(query_get(q, "labels"), &r->places, &r->graticule) != 0) {
        err_set(err, ERR_BAD_PARAM, "labels",
                "labels must be a comma list of places, graticule (or none)");
        return -1;
    }

    const char *center = query_get(q, "center"), *bbox = query_get(q, "bbox");
    const char *zoom = query_get(q, "zoom");
    if (center && bbox) {
        err_set(err, ERR_BAD_PARAM, "bbox", "give either center and zoom, or bbox, not both");
        return -1;
    }
    if (!center && !bbox) {
        err_set(err, ERR_BAD_PARAM, "center", "center=lat,lng and zoom=, or bbox=W,S,E,N, is required");
        return -1;
    }
    if (center) {
        const char *rest;
        if (lat_lng(center, &r->center_lat, &r->center_lng, &rest) != 0 || rest) {
            err_set(err, ERR_BAD_PARAM, "center",
                    "center must be lat,lng (lat -90..90, lng -180..180)");
            return -1;
        }
        if (!zoom) {
            err_set(err, ERR_BAD_PARAM, "zoom", "zoom must be an integer in %d..%d",
                    TILES_MIN_ZOOM, TILES_MAX_ZOOM);
            return -1;
        }
        long z;
        if (query_long(q, "zoom", TILES_MIN_ZOOM, TILES_MAX_ZOOM, 0, &z, err) != 0)
            return -1;
        r->zoom = (int)z;
    } else {
        double b[4];
        if (parse_bbox(bbox, b) != 0) {
            err_set(err, ERR_BAD_PARAM, "bbox",
                    "bbox must be W,S,E,N in degrees with S < N (W > E crosses the antimeridian)");
            return -1;
        }
        if (zoom) {
            err_set(err, ERR_BAD_PARAM, "zoom", "zoom is chosen from bbox; give one or the other");
            return -1;
        }
        r->zoom = tiles_fit_bbox(b, r->width, r->height, FIT_PADDING, TILES_MIN_ZOOM,
                                 TILES_MAX_ZOOM, &r->center_lat, &r->center_lng);
    }
    if (point_list(q, "marker", 0, TILES_STATIC_MAX_MARKERS, &r->markers, &r->nmarkers, err) ||
        point_list(q, "label", 1, TILES_STATIC_MAX_LABELS, &r->labels, &r->nlabels, err) ||
        parse_paths(q, r, err))
        return -1;

    /* Top-left in global pixels; whole pixels so that tiles are copied, never resampled. */
    double world = tiles_world_size(r->zoom, TILES_TILE_SIZE);
    double cx = tiles_lng_to_x(r->center_lng, world), cy = tiles_lat_to_y(r->center_lat, world);
    if (r->height <= world) { /* keep the view inside the world vertically */
        if (cy - r->height / 2.0 < 0)
            cy = r->height / 2.0;
        if (cy + r->height / 2.0 > world)
            cy = world - r->height / 2.0;
    } else {
        cy = world / 2.0;
    }
    r->origin_x = floor(cx - r->width / 2.0);
    r->origin_y = floor(cy - r->height / 2.0);
    return 0;
}

void tiles_static_free(tiles_static_req *r)
{
    for (size_t i = 0; i < r->nmarkers; i++)
        free(r->markers[i].text);
    for (size_t i = 0; i < r->nlabels; i++)
        free(r->labels[i].text);
    for (size_t i = 0; i < r->npaths; i++)
        free(r->paths[i].pts);
    free(r->markers);
    free(r->labels);
    free(r->paths);
    memset(r, 0, sizeof *r);
}
