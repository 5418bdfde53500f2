/* scenes.c — the scene catalogue: building, searching, sorting and STAC JSON (see scenes.h).
 *
 * Colour indexes, from the mean R, G, B of a scene's opaque pixels:
 *   greenness = (2G - R - B) / (R + G + B)   (normalised excess green, -1..2)
 *   blueness  = (2B - R - G) / (R + G + B)
 *   brightness = (R + G + B) / 765
 * "greenest" is "-greenness", "bluest" "-blueness", "brightest" "-brightness", "darkest"
 * "brightness". Ties are broken by id so the order is total and stable. */
#include "tiles/scenes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/timeutil.h"

static const query_key scene_keys[] = {
    {"bbox", 0}, {"datetime", 0}, {"sortby", 0}, {"limit", 0},
};

static const struct {
    const char *name;
    tiles_sort_field field;
    int desc; /* -1: from the sign prefix */
} sort_names[] = {
    {"id", TILES_SORT_ID, -1},
    {"datetime", TILES_SORT_DATETIME, -1},
    {"greenness", TILES_SORT_GREENNESS, -1},
    {"blueness", TILES_SORT_BLUENESS, -1},
    {"brightness", TILES_SORT_BRIGHTNESS, -1},
    {"red", TILES_SORT_RED, -1},
    {"green", TILES_SORT_GREEN, -1},
    {"blue", TILES_SORT_BLUE, -1},
    {"greenest", TILES_SORT_GREENNESS, 1},
    {"bluest", TILES_SORT_BLUENESS, 1},
    {"brightest", TILES_SORT_BRIGHTNESS, 1},
    {"darkest", TILES_SORT_BRIGHTNESS, 0},
};

static void colour_indexes(tiles_scene *s)
{
    double r = s->mean[0], g = s->mean[1], b = s->mean[2], sum = r + g + b;
    s->greenness = sum > 0 ? (2 * g - r - b) / sum : 0;
    s->blueness = sum > 0 ? (2 * b - r - g) / sum : 0;
    s->brightness = sum / 765.0;
}

int tiles_catalogue_build(const tiles_layer_meta *const *layers, size_t n, tiles_catalogue *out,
                          err_t *err)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += layers[i]->nscenes;
    out->scenes = calloc(total ? total : 1, sizeof *out->scenes);
    if (!out->scenes) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const tiles_layer_meta *m = layers[i];
        double t, t0, t1;
        if (tiles_time_parse(m->datetime, &t) != 0) {
            err_set(err, ERR_CONFIG, NULL, "layer %s: bad datetime '%s'", m->name, m->datetime);
            goto fail;
        }
        t0 = t1 = t;
        if (m->start_datetime[0] && tiles_time_parse(m->start_datetime, &t0) != 0)
            t0 = t;
        if (m->end_datetime[0] && tiles_time_parse(m->end_datetime, &t1) != 0)
            t1 = t;
        for (size_t k = 0; k < m->nscenes; k++) {
            const tiles_scene_stat *st = &m->scenes[k];
            tiles_scene *s = &out->scenes[out->count++];
            snprintf(s->id, sizeof s->id, "%s", st->id);
            s->layer = m->name;
            s->user = m->user;
            s->z = st->z;
            s->x = st->x;
            s->y = st->y;
            memcpy(s->bbox, st->bbox, sizeof s->bbox);
            s->datetime = m->datetime;
            s->start_datetime = m->start_datetime;
            s->end_datetime = m->end_datetime;
            s->t = t;
            s->t0 = t0;
            s->t1 = t1;
            memcpy(s->mean, st->mean, sizeof s->mean);
            s->coverage = st->coverage;
            colour_indexes(s);
        }
    }
    return 0;
fail:
    tiles_catalogue_free(out);
    return -1;
}

void tiles_catalogue_free(tiles_catalogue *c)
{
    free(c->scenes);
    memset(c, 0, sizeof *c);
}

const tiles_scene *tiles_catalogue_find(const tiles_catalogue *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->scenes[i].id, id) == 0)
            return &c->scenes[i];
    return NULL;
}

/* "W,S,E,N" with W > E crossing the antimeridian. */
static int parse_bbox(const char *v, double b[4])
{
    const char *end;
    for (int i = 0; i < 4; i++) {
        if (query_number(v, &b[i], &end) < 0)
            return -1;
        v = end;
        if (i < 3 && *v++ != ',')
            return -1;
    }
    if (*v)
        return -1;
    if (fabs(b[0]) > 180 || fabs(b[2]) > 180 || fabs(b[1]) > 90 || fabs(b[3]) > 90 ||
        b[1] > b[3])
        return -1;
    return 0;
}

int tiles_scene_query_parse(const query *q, tiles_scene_query *out, err_t *err)
{
    memset(out, 0, sizeof *out);
    if (query_check(q, scene_keys, sizeof scene_keys / sizeof scene_keys[0], err) != 0)
        return -1;
    const char *v = query_get(q, "bbox");
    if (v) {
        if (parse_bbox(v, out->bbox) != 0) {
            err_set(err, ERR_BAD_PARAM, "bbox",
                    "bbox must be W,S,E,N in degrees (-180..180, -90..90, S <= N)");
            return -1;
        }
        out->has_bbox = 1;
    }
    v = query_get(q, "datetime");
    if (v) {
        if (tiles_time_parse_interval(v, &out->t0, &out->t1) != 0) {
            err_set(err, ERR_BAD_PARAM, "datetime",
                    "datetime must be an RFC 3339 instant or interval (A/B, ../B, A/..)");
            return -1;
        }
        out->has_time = 1;
    }
    if (query_long(q, "limit", 1, TILES_SCENE_MAX_LIMIT, 100, &out->limit, err) != 0)
        return -1;
    v = query_get(q, "sortby");
    if (v) {
        const char *p = v;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            int desc = 0;
            /* '+' decodes to ' ' in a query string, so " greenness" means "+greenness". */
            if (n && (*p == '+' || *p == ' ' || *p == '-')) {
                desc = *p == '-';
                p++;
                n--;
            }
            size_t k;
            for (k = 0; k < sizeof sort_names / sizeof sort_names[0]; k++)
                if (strlen(sort_names[k].name) == n && memcmp(sort_names[k].name, p, n) == 0)
                    break;
            if (n == 0 || k == sizeof sort_names / sizeof sort_names[0] ||
                out->nsort == TILES_SCENE_MAX_SORT) {
                err_set(err, ERR_BAD_PARAM, "sortby",
                        "sortby must be up to %d of [+|-]id, datetime, greenness, blueness, "
                        "brightness, red, green, blue, or greenest, bluest, brightest, darkest",
                        TILES_SCENE_MAX_SORT);
                return -1;
            }
            out->sort[out->nsort].field = sort_names[k].field;
            out->sort[out->nsort].desc = sort_names[k].desc >= 0 ? sort_names[k].desc : desc;
            out->nsort++;
            p += n;
            if (*p == ',')
                p++;
        }
    }
    return 0;
}

/* Longitude intervals overlap on the circle (either may cross the antimeridian). */
static int lon_overlap(double aw, double ae, double bw, double be)
{
    if (ae < aw)
        ae += 360;
    if (be < bw)
        be += 360;
    for (int k = -1; k <= 1; k++)
        if (aw < be + k * 360.0 && bw + k * 360.0 < ae)
            return 1;
    return 0;
}

static int matches(const tiles_scene *s, const tiles_scene_query *q)
{
    if (q->has_bbox) {
        if (!(s->bbox[1] < q->bbox[3] && q->bbox[1] < s->bbox[3]) &&
            !(q->bbox[1] == q->bbox[3] && s->bbox[1] <= q->bbox[1] && q->bbox[1] <= s->bbox[3]))
            return 0;
        int point = q->bbox[0] == q->bbox[2];
        if (point ? !(s->bbox[0] <= q->bbox[0] && q->bbox[0] <= s->bbox[2])
                  : !lon_overlap(s->bbox[0], s->bbox[2], q->bbox[0], q->bbox[2]))
            return 0;
    }
    if (q->has_time && (s->t1 < q->t0 || s->t0 > q->t1))
        return 0;
    return 1;
}

static double field_value(const tiles_scene *s, tiles_sort_field f)
{
    switch (f) {
    case TILES_SORT_DATETIME: return s->t;
    case TILES_SORT_GREENNESS: return s->greenness;
    case TILES_SORT_BLUENESS: return s->blueness;
    case TILES_SORT_BRIGHTNESS: return s->brightness;
    case TILES_SORT_RED: return s->mean[0];
    case TILES_SORT_GREEN: return s->mean[1];
    case TILES_SORT_BLUE: return s->mean[2];
    case TILES_SORT_ID: break;
    }
    return 0;
}

typedef struct {
    const tiles_catalogue *c;
    const tiles_scene_query *q;
} sort_ctx;

static int cmp_scenes(const void *a, const void *b, void *arg)
{
    const sort_ctx *sc = arg;
    const tiles_scene *x = &sc->c->scenes[*(const size_t *)a];
    const tiles_scene *y = &sc->c->scenes[*(const size_t *)b];
    for (int i = 0; i < sc->q->nsort; i++) {
        tiles_sort_field f = sc->q->sort[i].field;
        int c;
        if (f == TILES_SORT_ID) {
            c = strcmp(x->id, y->id);
        } else {
            double u = field_value(x, f), v = field_value(y, f);
            c = u < v ? -1 : u > v;
        }
        if (c)
            return sc->q->sort[i].desc ? -c : c;
    }
    return strcmp(x->id, y->id);
}

size_t tiles_catalogue_search(const tiles_catalogue *c, const tiles_scene_query *q, size_t *out,
                              size_t *matched)
{
    size_t *idx = malloc(sizeof *idx * (c->count ? c->count : 1));
    size_t n = 0;
    if (!idx) {
        *matched = 0;
        return 0;
    }
    for (size_t i = 0; i < c->count; i++)
        if (matches(&c->scenes[i], q))
            idx[n++] = i;
    sort_ctx sc = {c, q};
    qsort_r(idx, n, sizeof *idx, cmp_scenes, &sc);
    *matched = n;
    size_t k = n < (size_t)q->limit ? n : (size_t)q->limit;
    memcpy(out, idx, k * sizeof *idx);
    free(idx);
    return k;
}

json_t *tiles_scene_json(const tiles_scene *s, const char *base)
{
    const double *b = s->bbox;
    double e = b[2] < b[0] ? b[2] + 360 : b[2]; /* GeoJSON ring past 180 for a crossing bbox */
    json_t *ring = json_pack("[[f,f],[f,f],[f,f],[f,f],[f,f]]", b[0], b[1], e, b[1], e, b[3],
                             b[0], b[3], b[0], b[1]);
    char tile[512], thumb[512], tilejson[512];
    if (s->z >= 0)
        snprintf(tile, sizeof tile, "%s/v1/tiles/%s/%d/%d/%d.jpg", base, s->layer, s->z, s->x, s->y);
    snprintf(tilejson, sizeof tilejson, "%s/v1/tiles/%s.json", base, s->layer);
    snprintf(thumb, sizeof thumb, "%s/v1/scenes/%s/thumbnail.jpg", base, s->id);
    json_t *props = json_pack(
        "{s:s,s:s,s:[f,f,f],s:f,s:f,s:f,s:f}", "datetime", s->datetime, "cartouche:layer",
        s->layer, "cartouche:mean_rgb", s->mean[0], s->mean[1], s->mean[2],
        "cartouche:greenness", s->greenness, "cartouche:blueness", s->blueness,
        "cartouche:brightness", s->brightness, "cartouche:coverage", s->coverage);
    if (s->start_datetime[0])
        json_object_set_new(props, "start_datetime", json_string(s->start_datetime));
    if (s->end_datetime[0])
        json_object_set_new(props, "end_datetime", json_string(s->end_datetime));
    if (s->z >= 0) {
        char t[48];
        snprintf(t, sizeof t, "%d/%d/%d", s->z, s->x, s->y);
        json_object_set_new(props, "cartouche:tile", json_string(t));
    }
    json_t *assets = json_pack("{s:{s:s,s:s,s:[s]},s:{s:s,s:s,s:[s]}}", "thumbnail", "href",
                               thumb, "type", "image/jpeg", "roles", "thumbnail", "tiles", "href",
                               tilejson, "type", "application/json", "roles", "tiles");
    if (s->z >= 0)
        json_object_set_new(assets, "tile", json_pack("{s:s,s:s,s:[s]}", "href", tile, "type",
                                                      "image/jpeg", "roles", "data"));
    return json_pack("{s:s,s:s,s:[],s:s,s:[f,f,f,f],s:{s:s,s:[o]},s:o,s:o,s:[]}", "type",
                     "Feature", "stac_version", "1.0.0", "stac_extensions", "id", s->id, "bbox",
                     b[0], b[1], b[2], b[3], "geometry", "type", "Polygon", "coordinates", ring,
                     "properties", props, "assets", assets, "links");
}

json_t *tiles_catalogue_search_json(const tiles_catalogue *c, const tiles_scene_query *q,
                                    const char *base)
{
    size_t *idx = malloc(sizeof *idx * (size_t)(q->limit > 0 ? q->limit : 1));
    if (!idx)
        return NULL;
    size_t matched, n = tiles_catalogue_search(c, q, idx, &matched);
    json_t *features = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(features, tiles_scene_json(&c->scenes[idx[i]], base));
    free(idx);
    return json_pack("{s:s,s:o,s:I,s:I,s:[]}", "type", "FeatureCollection", "features", features,
                     "numberMatched", (json_int_t)matched, "numberReturned", (json_int_t)n,
                     "links");
}
