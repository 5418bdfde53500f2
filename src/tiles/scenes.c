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

#include "util/log.h"
#include "tiles/sceneindex.h"
#include "tiles/timeutil.h"

static const query_key scene_keys[] = {
    {"bbox", 0}, {"datetime", 0}, {"sortby", 0}, {"limit", 0},
};

/* Sortable fields: an Item's top-level "id" and "collection", its properties with or without
 * the "properties." prefix, and the first short names of the colour ranking. */
static const struct {
    const char *name;
    tiles_sort_field field;
    int desc; /* -1: from the sign prefix */
} sort_names[] = {
    {"id", TILES_SORT_ID, -1},
    {"collection", TILES_SORT_COLLECTION, -1},
    {"datetime", TILES_SORT_DATETIME, -1},
    {"start_datetime", TILES_SORT_START_DATETIME, -1},
    {"end_datetime", TILES_SORT_END_DATETIME, -1},
    {"cartouche:greenness", TILES_SORT_GREENNESS, -1},
    {"cartouche:blueness", TILES_SORT_BLUENESS, -1},
    {"cartouche:brightness", TILES_SORT_BRIGHTNESS, -1},
    {"cartouche:coverage", TILES_SORT_COVERAGE, -1},
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

int tiles_catalogue_add_files(tiles_catalogue *c, const tiles_scene_index *x, err_t *err)
{
    tiles_scene *ns = realloc(c->scenes, (c->count + x->nfiles + 1) * sizeof *ns);
    if (!ns) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    c->scenes = ns;
    for (size_t i = 0; i < x->nfiles; i++) {
        const tiles_scene_file *f = &x->files[i];
        if (tiles_catalogue_find(c, f->id)) {
            log_msg("warn", "scenes: %s skipped: another scene has the id %s", f->path, f->id);
            continue;
        }
        tiles_scene *s = &c->scenes[c->count];
        memset(s, 0, sizeof *s);
        snprintf(s->id, sizeof s->id, "%s", f->id);
        s->layer = x->meta.name;
        s->user = 1;
        s->z = -1;
        memcpy(s->bbox, f->bbox, sizeof s->bbox);
        s->datetime = f->datetime;
        s->start_datetime = f->start_datetime;
        s->end_datetime = f->end_datetime;
        if (tiles_time_parse(f->datetime, &s->t) != 0)
            continue; /* the index wrote it canonical; a hand-edited one may not be */
        s->t0 = s->t1 = s->t;
        if (f->start_datetime[0] && f->end_datetime[0] &&
            (tiles_time_parse(f->start_datetime, &s->t0) != 0 ||
             tiles_time_parse(f->end_datetime, &s->t1) != 0))
            s->t0 = s->t1 = s->t;
        memcpy(s->mean, f->mean, sizeof s->mean);
        s->coverage = f->coverage;
        s->file = f;
        colour_indexes(s);
        c->count++;
    }
    return 0;
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

int tiles_scene_bbox_check(double b[4], const char *param, err_t *err)
{
    if (fabs(b[0]) > 180 || fabs(b[2]) > 180 || fabs(b[1]) > 90 || fabs(b[3]) > 90 ||
        b[1] > b[3]) {
        err_set(err, ERR_BAD_PARAM, param,
                "%s must be W,S,E,N in degrees (-180..180, -90..90, S <= N)", param);
        return -1;
    }
    return 0;
}

static int parse_bbox(const char *v, double b[4], err_t *err)
{
    const char *end;
    for (int i = 0; i < 4; i++) {
        if (query_number(v, &b[i], &end) < 0)
            goto bad;
        v = end;
        if (i < 3 && *v++ != ',')
            goto bad;
    }
    if (*v)
        goto bad;
    return tiles_scene_bbox_check(b, "bbox", err);
bad:
    err_set(err, ERR_BAD_PARAM, "bbox", "bbox must be W,S,E,N in degrees (-180..180, -90..90, S <= N)");
    return -1;
}

int tiles_scene_sort_add(tiles_scene_query *q, const char *field, int desc, err_t *err)
{
    const char *name = field;
    if (!strncmp(name, "properties.", 11))
        name += 11;
    size_t k, n = sizeof sort_names / sizeof sort_names[0];
    for (k = 0; k < n; k++)
        if (!strcmp(sort_names[k].name, name))
            break;
    if (k == n || q->nsort == TILES_SCENE_MAX_SORT) {
        err_set(err, ERR_BAD_PARAM, "sortby",
                "sortby is up to %d of [+|-]field: id, collection, properties.datetime, "
                "properties.start_datetime, properties.end_datetime, "
                "properties.cartouche:{greenness,blueness,brightness,coverage}, or greenest, "
                "bluest, brightest, darkest ('%.40s' is not one)",
                TILES_SCENE_MAX_SORT, field);
        return -1;
    }
    q->sort[q->nsort].field = sort_names[k].field;
    q->sort[q->nsort].desc = sort_names[k].desc >= 0 ? sort_names[k].desc : desc;
    q->nsort++;
    return 0;
}

int tiles_scene_sortby_parse(const char *v, tiles_scene_query *q, err_t *err)
{
    const char *p = v;
    do {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int desc = 0;
        /* '+' decodes to ' ' in a query string, so " greenness" means "+greenness". */
        if (n && (*p == '+' || *p == ' ' || *p == '-')) {
            desc = *p == '-';
            p++;
            n--;
        }
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)(n < sizeof field ? n : sizeof field - 1), p);
        if (n == 0 || n >= sizeof field) {
            err_set(err, ERR_BAD_PARAM, "sortby", "sortby is a comma list of [+|-]field");
            return -1;
        }
        if (tiles_scene_sort_add(q, field, desc, err) != 0)
            return -1;
        p += n;
    } while (*p++ == ',');
    return 0;
}

int tiles_scene_query_parse(const query *q, tiles_scene_query *out, err_t *err)
{
    memset(out, 0, sizeof *out);
    if (query_check(q, scene_keys, sizeof scene_keys / sizeof scene_keys[0], err) != 0)
        return -1;
    const char *v = query_get(q, "bbox");
    if (v) {
        if (parse_bbox(v, out->bbox, err) != 0)
            return -1;
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
    return v ? tiles_scene_sortby_parse(v, out, err) : 0;
}

void tiles_scene_query_free(tiles_scene_query *q)
{
    if (q->intersects) {
        tiles_geom_free(q->intersects);
        free(q->intersects);
    }
    for (size_t i = 0; i < q->nids; i++)
        free(q->ids[i]);
    free(q->ids);
    for (size_t i = 0; i < q->ncollections; i++)
        free(q->collections[i]);
    free(q->collections);
    memset(q, 0, sizeof *q);
}

/* Closed longitude intervals share a meridian; a box with west > east is [west, 180] and
 * [-180, east]. Planar like GeoJSON, so the bbox filter agrees with `intersects` on a box:
 * a scene that only touches the box's edge (or a point, or a line) is in it. */
static int lon_overlap(double aw, double ae, double bw, double be)
{
    double a[2][2] = {{aw, aw <= ae ? ae : 180}, {-180, ae}};
    double b[2][2] = {{bw, bw <= be ? be : 180}, {-180, be}};
    for (int i = 0; i < (aw <= ae ? 1 : 2); i++)
        for (int j = 0; j < (bw <= be ? 1 : 2); j++)
            if (a[i][0] <= b[j][1] && b[j][0] <= a[i][1])
                return 1;
    return 0;
}

static int in_list(const char *name, char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], name))
            return 1;
    return 0;
}

static int matches(const tiles_scene *s, const tiles_scene_query *q)
{
    if (q->has_bbox && (s->bbox[1] > q->bbox[3] || q->bbox[1] > s->bbox[3] ||
                        !lon_overlap(s->bbox[0], s->bbox[2], q->bbox[0], q->bbox[2])))
        return 0;
    if (q->has_bbox && s->file && s->file->nring &&
        !tiles_ring_intersects_box((const double(*)[2])s->file->ring, s->file->nring, q->bbox))
        return 0;
    if (q->has_time && (s->t1 < q->t0 || s->t0 > q->t1))
        return 0;
    if (q->ids && !in_list(s->id, q->ids, q->nids))
        return 0;
    if (q->collections && !in_list(s->layer, q->collections, q->ncollections))
        return 0;
    if (q->intersects && !tiles_geom_intersects_box(q->intersects, s->bbox))
        return 0;
    /* A raster file's footprint is its own outline (a UTM scene fills ~3/4 of its bbox). */
    if (q->intersects && s->file && s->file->nring &&
        q->intersects->npts <= TILES_GEOM_RING_MAX_POINTS &&
        !tiles_geom_intersects_ring(q->intersects, (const double(*)[2])s->file->ring,
                                    s->file->nring))
        return 0;
    return 1;
}

static double field_value(const tiles_scene *s, tiles_sort_field f)
{
    switch (f) {
    case TILES_SORT_DATETIME: return s->t;
    case TILES_SORT_START_DATETIME: return s->t0;
    case TILES_SORT_END_DATETIME: return s->t1;
    case TILES_SORT_COVERAGE: return s->coverage;
    case TILES_SORT_GREENNESS: return s->greenness;
    case TILES_SORT_BLUENESS: return s->blueness;
    case TILES_SORT_BRIGHTNESS: return s->brightness;
    case TILES_SORT_RED: return s->mean[0];
    case TILES_SORT_GREEN: return s->mean[1];
    case TILES_SORT_BLUE: return s->mean[2];
    case TILES_SORT_ID:
    case TILES_SORT_COLLECTION: break;
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
        } else if (f == TILES_SORT_COLLECTION) {
            c = strcmp(x->layer, y->layer);
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
    size_t first = q->offset <= 0 ? 0 : (size_t)q->offset < n ? (size_t)q->offset : n;
    size_t k = n - first < (size_t)q->limit ? n - first : (size_t)q->limit;
    memcpy(out, idx + first, k * sizeof *idx);
    free(idx);
    return k;
}

/* A footprint box as GeoJSON: a Polygon, or across the antimeridian a MultiPolygon of its two
 * halves (RFC 7946 section 3.1.9). Rings run counterclockwise. */
static json_t *box_polygon(double w, double s, double e, double n)
{
    return json_pack("[[[f,f],[f,f],[f,f],[f,f],[f,f]]]", w, s, e, s, e, n, w, n, w, s);
}

static json_t *footprint_json(const double *b)
{
    if (b[0] <= b[2])
        return json_pack("{s:s,s:o}", "type", "Polygon", "coordinates",
                         box_polygon(b[0], b[1], b[2], b[3]));
    return json_pack("{s:s,s:[o,o]}", "type", "MultiPolygon", "coordinates",
                     box_polygon(b[0], b[1], 180, b[3]), box_polygon(-180, b[1], b[2], b[3]));
}

/* A raster file's footprint ring as a GeoJSON Polygon. */
static json_t *ring_json(const double (*ring)[2], size_t n)
{
    json_t *r = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(r, json_pack("[f,f]", ring[i][0], ring[i][1]));
    return json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", r);
}

static json_t *link(const char *rel, const char *href, const char *type)
{
    return json_pack("{s:s,s:s,s:s}", "rel", rel, "href", href, "type", type);
}

#define PROJ_EXTENSION "https://stac-extensions.github.io/projection/v1.0.0/schema.json"
/* Half the width of the Web Mercator (EPSG:3857) world, in metres. */
#define MERCATOR_HALF 20037508.342789244

/* The Projection extension's fields of a tile asset, so that GIS clients (GDAL's STACIT driver)
 * can place the plain JPEG: EPSG:3857, 256 x 256 pixels, its affine transform and extent. */
static void tile_projection(json_t *asset, int z, int x, int y)
{
    double span = 2 * MERCATOR_HALF / (double)(1L << z), res = span / 256;
    double xmin = -MERCATOR_HALF + x * span, ymax = MERCATOR_HALF - y * span;
    json_object_set_new(asset, "proj:epsg", json_integer(3857));
    json_object_set_new(asset, "proj:shape", json_pack("[i,i]", 256, 256));
    json_object_set_new(asset, "proj:transform", json_pack("[f,f,f,f,f,f]", res, 0.0, xmin, 0.0,
                                                           -res, ymax));
    json_object_set_new(asset, "proj:bbox", json_pack("[f,f,f,f]", xmin, ymax - span,
                                                      xmin + span, ymax));
}

/* Assets of a raster file: the original (and its georeferencing files) as bytes. */
static void file_assets(json_t *assets, const tiles_scene_file *f, const char *base)
{
    char href[512];
    snprintf(href, sizeof href, "%s/v1/scenes/%s/preview.png", base, f->id);
    json_object_set_new(assets, "preview",
                        json_pack("{s:s,s:s,s:s,s:[s,s]}", "href", href, "type", "image/png",
                                  "title", "Preview of the pixels, at most 512 px a side",
                                  "roles", "overview", "visual"));
    snprintf(href, sizeof href, "%s/v1/scenes/%s/original.%s", base, f->id, f->ext);
    json_object_set_new(assets, "data",
                        json_pack("{s:s,s:s,s:s,s:[s]}", "href", href, "type", f->media_type,
                                  "title", "The original file", "roles", "data"));
    for (size_t i = 0; i < f->naux; i++) {
        const char *ext = f->aux[i].ext;
        int xml = strlen(ext) > 4 && !strcmp(ext + strlen(ext) - 4, ".xml");
        char key[40];
        snprintf(key, sizeof key, "%s", !strcmp(ext, "prj") ? "projection" : xml ? "aux-xml"
                                                                                : "worldfile");
        snprintf(href, sizeof href, "%s/v1/scenes/%s/original.%s", base, f->id, ext);
        json_object_set_new(assets, key,
                            json_pack("{s:s,s:s,s:s,s:[s]}", "href", href, "type",
                                      xml ? "application/xml" : "text/plain", "title",
                                      !strcmp(key, "worldfile") ? "World file of the original"
                                                                : "Georeferencing of the original",
                                      "roles", "metadata"));
    }
}

json_t *tiles_scene_json(const tiles_scene *s, const char *base)
{
    const double *b = s->bbox;
    char tile[512], thumb[512], preview[512], tilejson[512], self[512], coll[512], root[512];
    snprintf(tilejson, sizeof tilejson, "%s/v1/tiles/%s.json", base, s->layer);
    snprintf(thumb, sizeof thumb, "%s/v1/scenes/%s/thumbnail.jpg", base, s->id);
    snprintf(preview, sizeof preview, "%s/v1/scenes/%s/thumbnail.png?w=512", base, s->id);
    snprintf(root, sizeof root, "%s" TILES_STAC_ROOT, base);
    snprintf(coll, sizeof coll, "%s" TILES_STAC_ROOT "/collections/%s", base, s->layer);
    snprintf(self, sizeof self, "%s" TILES_STAC_ROOT "/collections/%s/items/%s", base, s->layer,
             s->id);
    json_t *props = json_pack(
        "{s:s,s:s,s:[f,f,f],s:f,s:f,s:f,s:f}", "datetime", s->datetime, "cartouche:layer",
        s->layer, "cartouche:mean_rgb", s->mean[0], s->mean[1], s->mean[2],
        "cartouche:greenness", s->greenness, "cartouche:blueness", s->blueness,
        "cartouche:brightness", s->brightness, "cartouche:coverage", s->coverage);
    /* STAC: start and end come together or not at all. */
    if (s->start_datetime[0] && s->end_datetime[0]) {
        json_object_set_new(props, "start_datetime", json_string(s->start_datetime));
        json_object_set_new(props, "end_datetime", json_string(s->end_datetime));
    }
    if (s->file) { /* the file's own: time source, bands, grid, stretch, a sidecar's fields */
        json_t *own = json_loads(s->file->properties_json, 0, NULL);
        json_object_update(props, own);
        json_decref(own);
    }
    json_t *assets = json_pack("{s:{s:s,s:s,s:s,s:[s]},s:{s:s,s:s,s:s,s:[s]}}", "thumbnail",
                               "href", thumb, "type", "image/jpeg", "title", "Thumbnail",
                               "roles", "thumbnail", "tiles", "href", tilejson, "type",
                               "application/json", "title", "TileJSON of the layer", "roles",
                               "tiles");
    if (s->file) {
        json_object_del(assets, "tiles"); /* a file is no tile layer */
        file_assets(assets, s->file, base);
    } else if (s->z >= 0) {
        char t[48];
        snprintf(t, sizeof t, "%d/%d/%d", s->z, s->x, s->y);
        json_object_set_new(props, "cartouche:tile", json_string(t));
        snprintf(tile, sizeof tile, "%s/v1/tiles/%s/%d/%d/%d.jpg", base, s->layer, s->z, s->x,
                 s->y);
        json_t *asset = json_pack("{s:s,s:s,s:s,s:[s,s]}", "href", tile, "type", "image/jpeg",
                                  "title", "The scene's web-mercator tile", "roles", "data",
                                  "visual");
        tile_projection(asset, s->z, s->x, s->y);
        json_object_set_new(assets, "tile", asset);
    } else {
        json_object_set_new(assets, "preview", json_pack("{s:s,s:s,s:s,s:[s,s]}", "href",
                                                         preview, "type", "image/png", "title",
                                                         "Preview, 512 pixels wide", "roles",
                                                         "overview", "visual"));
    }
    json_t *links = json_pack("[o,o,o,o]", link("self", self, "application/geo+json"),
                              link("parent", coll, "application/json"),
                              link("collection", coll, "application/json"),
                              link("root", root, "application/json"));
    json_t *extensions = s->file ? json_loads(s->file->extensions_json, 0, NULL)
                         : s->z >= 0 ? json_pack("[s]", PROJ_EXTENSION) : json_array();
    if (!extensions)
        extensions = json_array();
    json_t *geometry = s->file && s->file->nring ? ring_json(s->file->ring, s->file->nring)
                                                 : footprint_json(b);
    return json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:[f,f,f,f],s:o,s:o,s:o}", "type", "Feature",
                     "stac_version", "1.0.0", "stac_extensions", extensions, "id", s->id,
                     "collection",
                     s->layer, "geometry", geometry, "bbox", b[0], b[1], b[2], b[3],
                     "properties", props, "links", links, "assets", assets);
}
