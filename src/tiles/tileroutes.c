/* tileroutes.c — the tile module's HTTP handlers (I/O loop): tiles from the archives (zero-copy
 * from a PMTiles file when stored in the format asked for) or rendered (labels, the other
 * format, MBTiles blobs), TileJSON, static maps, the scene catalogue and scene thumbnails.
 * Each handler validates into a plain struct, then replies or hands a job to the workers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "tiles/draw.h"
#include "tiles/scene_routes.h"
#include "tiles/stac_routes.h"
#include "tiles/staticmap.h"
#include "tiles/tilestore.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"

/* Part of every rendered key: bump when drawing changes. */
#define TILES_RENDER_VERSION "r2"
#define JPEG_QUALITY 85

static const query_key tile_keys[] = {{"labels", 0}};
static const query_key thumb_keys[] = {{"w", 0}, {"blur", 0}};

static void reply_err(http_req *rq, err_kind kind, const char *param, const char *msg)
{
    err_t e;
    err_set(&e, kind, param, "%s", msg);
    http_reply_error(rq, &e);
}

/* Strict non-negative decimal integer of at most 9 digits. */
static int parse_uint(const char *s, size_t n, long *out)
{
    if (n == 0 || n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}


const tiles_store *tiles_store_of(const http_req *rq, const void *ctx)
{
    return catalog_part(http_req_data(rq), ((const tiles_ctx *)ctx)->store);
}

static const tiles_layer *find_layer(http_req *rq, const void *ctx, const char *name)
{
    const tiles_store *s = tiles_store_of(rq, ctx);
    const tiles_layer *L = s ? tiles_store_layer_in(s, name) : NULL;
    if (!L) {
        err_t e;
        err_set(&e, ERR_NOT_FOUND, NULL, "no tile layer named '%.64s'", name);
        http_reply_error(rq, &e);
    }
    return L;
}

static void tiles_route_tile(http_req *rq, void *ctx)
{
    const tiles_layer *L = find_layer(rq, ctx, http_req_capture(rq, 0));
    if (!L)
        return;
    const char *zs = http_req_capture(rq, 1), *xs = http_req_capture(rq, 2);
    const char *ys = http_req_capture(rq, 3);
    /* "y.ext" or "y@2x.ext" */
    const char *dot = strrchr(ys, '.'), *at = strchr(ys, '@');
    long z, x, y;
    int scale = 1;
    if (!dot || parse_uint(zs, strlen(zs), &z) || parse_uint(xs, strlen(xs), &x) ||
        parse_uint(ys, (size_t)((at ? at : dot) - ys), &y) ||
        (at && (dot - at != 3 || strncmp(at, "@2x", 3) != 0))) {
        reply_err(rq, ERR_BAD_REQUEST, NULL,
                  "tile path must be /v1/tiles/{layer}/{z}/{x}/{y}[@2x].{jpg,png}");
        return;
    }
    if (at)
        scale = 2;
    int fmt = img_format_from_ext(dot + 1);
    if (fmt != IMG_JPEG && fmt != IMG_PNG) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "tiles are .jpg or .png");
        return;
    }
    const query *q = http_req_query(rq);
    err_t err = {0};
    int places, graticule;
    if (query_check(q, tile_keys, 1, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    if (tiles_parse_label_options(query_get(q, "labels"), &places, &graticule) != 0) {
        reply_err(rq, ERR_BAD_PARAM, "labels",
                  "labels must be a comma list of places, graticule (or none)");
        return;
    }
    long n = 1L << (z > 30 ? 30 : z);
    if (z < L->meta.minzoom || z > L->meta.maxzoom || x >= n || y >= n) {
        err_set(&err, ERR_NOT_FOUND, NULL, "no tile %ld/%ld/%ld: zoom is %d..%d, x and y 0..2^z-1",
                z, x, y, L->meta.minzoom, L->meta.maxzoom);
        http_reply_error(rq, &err);
        return;
    }
    /* The archive of the stored format; the other format is rendered from it. A layer
     * without @2x tiles (--layer) renders them from its 1x tiles (draw.c). */
    const tiles_pack *stored = &L->packs[scale - 1][L->meta.has_alpha ? 1 : 0];
    int made_2x = !stored->kind;
    if (made_2x)
        stored = &L->packs[0][L->meta.has_alpha ? 1 : 0];
    long long off;
    size_t len;
    if (tiles_pack_lookup(stored, (int)z, (int)x, (int)y, &off, &len) != 0) {
        /* A user layer has tiles only where its image is. */
        err_set(&err, ERR_NOT_FOUND, NULL, "layer %s has no imagery in tile %ld/%ld/%ld",
                L->meta.name, z, x, y);
        http_reply_error(rq, &err);
        return;
    }
    char key[256];
    snprintf(key, sizeof key, "tile:%s:%s:%ld/%ld/%ld@%dx.%s:%s%s", L->meta.name, L->meta.bake_id,
             z, x, y, scale, dot + 1, places ? "p" : "", graticule ? "g" : "");
    if (!places && !graticule && !made_2x && stored->kind == TILES_ARCHIVE_PMTILES &&
        (fmt == IMG_PNG) == L->meta.has_alpha) {
        /* Stored as asked: straight from the archive's file (sendfile). */
        http_reply_file(rq, img_format_mime((img_format)fmt), stored->fd, off, len, key,
                        http_cache_control(rq));
        return;
    }
    tiles_tile_job *j = malloc(sizeof *j);
    if (!j) {
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    *j = (tiles_tile_job){L, tiles_store_of(rq, ctx), catalog_ref(http_req_data(rq)), (int)z, (int)x, (int)y,
                          scale, places, graticule};
    image_spec spec = {TILES_TILE_SIZE, TILES_TILE_SIZE, scale, (img_format)fmt, JPEG_QUALITY, 0};
    strncat(key, ":" TILES_RENDER_VERSION, sizeof key - strlen(key) - 1);
    http_reply_image(rq, key, &spec, http_cache_control(rq), tiles_draw_tile_job, j, tiles_tile_job_free);
}

static void tiles_route_tilejson(http_req *rq, void *ctx)
{
    const char *cap = http_req_capture(rq, 0);
    size_t n = strlen(cap);
    if (n < 6 || strcmp(cap + n - 5, ".json") != 0) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "TileJSON is at /v1/tiles/{layer}.json");
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(n - 5 < sizeof name - 1 ? n - 5 : sizeof name - 1), cap);
    const tiles_layer *L = find_layer(rq, ctx, name);
    if (!L)
        return;
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    const tiles_layer_meta *m = &L->meta;
    /* Absolute links use --public-url, never the Host header (a client chooses it, and a CDN
     * keyed on the URI would serve one client's host to everyone); "" keeps them relative. */
    const char *base = http_config(rq)->public_url;
    char url[512], key[512];
    snprintf(url, sizeof url, "%s/v1/tiles/%s/{z}/{x}/{y}.%s", base, m->name,
             m->has_alpha ? "png" : "jpg");
    double b[4] = {m->bounds[0], m->bounds[1], m->bounds[2], m->bounds[3]};
    if (b[1] < -TILES_MAX_LAT)
        b[1] = -TILES_MAX_LAT;
    if (b[3] > TILES_MAX_LAT)
        b[3] = TILES_MAX_LAT;
    double clng = b[2] >= b[0] ? (b[0] + b[2]) / 2 : (b[0] + b[2] + 360) / 2;
    if (clng > 180)
        clng -= 360;
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:[s],s:i,s:i,s:[f,f,f,f],s:[f,f,i],s:s,s:[]}", "tilejson", "3.0.0",
        "name", m->name, "description", m->title, "version", "1.0.0", "scheme", "xyz", "tiles",
        url, "minzoom", m->minzoom, "maxzoom", m->maxzoom, "bounds", b[0], b[1], b[2], b[3],
        "center", clng, (b[1] + b[3]) / 2,
        m->user ? (m->minzoom + 2 < m->maxzoom ? m->minzoom + 2 : m->maxzoom) : m->minzoom + 1,
        "attribution", m->attribution, "vector_layers");
    snprintf(key, sizeof key, "tilejson:%s:%s:%s", m->name, m->bake_id, base);
    http_reply_json_etag(rq, o, key, http_cache_control(rq));
}

static void tiles_route_static(http_req *rq, void *ctx)
{
    err_t err = {0};
    tiles_static_job *j = calloc(1, sizeof *j);
    if (!j) {
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    const query *q = http_req_query(rq);
    if (tiles_static_parse(q, &j->req, &err) != 0) {
        tiles_static_job_free(j);
        http_reply_error(rq, &err);
        return;
    }
    j->store = tiles_store_of(rq, ctx);
    j->layer = j->store ? tiles_store_layer_in(j->store, j->req.layer) : NULL;
    if (!j->layer) {
        err_set(&err, ERR_BAD_PARAM, "layer", "no tile layer named '%s'", j->req.layer);
        tiles_static_job_free(j);
        http_reply_error(rq, &err);
        return;
    }
    j->cat = catalog_ref(http_req_data(rq));
    /* One key for one image: numbers in one form, defaults dropped. */
    static const query_norm norms[] = {
        {"center", QUERY_NORM_NUMBERS, NULL, 0}, {"bbox", QUERY_NORM_NUMBERS, NULL, 0},
        {"zoom", QUERY_NORM_LONG, NULL, 0},      {"scale", QUERY_NORM_LONG, "1", 0},
        {"marker", QUERY_NORM_NUMLIST, NULL, 2}, {"label", QUERY_NORM_NUMLIST, NULL, 2},
        {"size", QUERY_NORM_ENUM, "600x400", 0}, {"layer", QUERY_NORM_ENUM, "bluemarble", 0},
        {"format", QUERY_NORM_ENUM, "jpg", 0},   {"labels", QUERY_NORM_ENUM, "none", 0},
    };
    char *canon = query_canonical_norm(q, norms, sizeof norms / sizeof norms[0]);
    size_t klen = (canon ? strlen(canon) : 0) + 128;
    char *key = malloc(klen);
    if (!canon || !key) {
        free(canon);
        free(key);
        tiles_static_job_free(j);
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    snprintf(key, klen, "static:%s:%s:%s", canon, j->layer->meta.bake_id, TILES_RENDER_VERSION);
    free(canon);
    image_spec spec = {j->req.width, j->req.height, j->req.scale, j->req.format, JPEG_QUALITY, 0};
    http_reply_image(rq, key, &spec, http_cache_control(rq), tiles_draw_static_job, j,
                     tiles_static_job_free);
    free(key);
}

/* The first scene search: STAC Item Search's GET parameters, answered as /v1/stac/search
 * answers them (stac_routes.c), with its own defaults. */
static void tiles_route_scenes(http_req *rq, void *ctx)
{
    stac_reply_search(rq, ctx, 1, "/v1/scenes");
}

static void tiles_route_thumbnail(http_req *rq, void *ctx)
{
    const tiles_store *s = tiles_store_of(rq, ctx);
    const char *id = http_req_capture(rq, 0), *file = http_req_capture(rq, 1);
    const tiles_scene *sc = s ? tiles_catalogue_find(&s->catalogue, id) : NULL;
    err_t err = {0};
    if (!sc) {
        err_set(&err, ERR_NOT_FOUND, NULL, "no scene '%.80s'", id);
        http_reply_error(rq, &err);
        return;
    }
    if (sc->file) { /* a raster file of --scenes */
        tiles_scene_file_route(rq, ctx, sc, file);
        return;
    }
    img_format fmt;
    if (!strcmp(file, "thumbnail.jpg"))
        fmt = IMG_JPEG;
    else if (!strcmp(file, "thumbnail.png"))
        fmt = IMG_PNG;
    else {
        reply_err(rq, ERR_NOT_FOUND, NULL, "a scene has thumbnail.jpg and thumbnail.png");
        return;
    }
    const query *q = http_req_query(rq);
    long w;
    double blur;
    if (query_check(q, thumb_keys, 2, &err) != 0 ||
        query_long(q, "w", 16, 512, 256, &w, &err) != 0 ||
        query_double(q, "blur", 0, 20, 0, &blur, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    const tiles_layer *L = tiles_store_layer_in(s, sc->layer);
    tiles_thumb_job *j = malloc(sizeof *j);
    if (!L || !j) {
        free(j);
        reply_err(rq, ERR_INTERNAL, NULL, "scene without its layer");
        return;
    }
    int h = (int)w;
    if (sc->z < 0 && L->thumb_w > 0)
        h = (int)(w * (double)L->thumb_h / L->thumb_w + 0.5);
    if (h < 1)
        h = 1;
    *j = (tiles_thumb_job){L, s, catalog_ref(http_req_data(rq)), sc->z, sc->x, sc->y, (int)w, h, blur, NULL};
    char key[256];
    snprintf(key, sizeof key, "thumb:%s:%s:%ld:%g:%s:%s", sc->id, L->meta.bake_id, w, blur,
             img_format_ext(fmt), TILES_RENDER_VERSION);
    image_spec spec = {(int)w, h, 1, fmt, JPEG_QUALITY, 0};
    http_reply_image(rq, key, &spec, http_cache_control(rq), tiles_draw_thumb_job, j, tiles_thumb_job_free);
}

/* The routes of this module, in match order. */
static const route_def tiles_routes[] = {
    {HTTP_M_GH, "/v1/tiles/*/*/*/*", tiles_route_tile, "tiles"},
    {HTTP_M_GH, "/v1/tiles/*", tiles_route_tilejson, "tilejson"},
    {HTTP_M_GH, "/v1/static", tiles_route_static, "static"},
    {HTTP_M_GH, "/v1/scenes", tiles_route_scenes, "scenes"},
    {HTTP_M_GH, "/v1/scenes/*/*", tiles_route_thumbnail, "scenes_thumbnail"},
};

int tiles_register(router *r, tiles_ctx *ctx)
{
    if (router_add_table(r, tiles_routes, sizeof tiles_routes / sizeof tiles_routes[0], ctx) < 0)
        return -1;
    return stac_register(r, ctx);
}
