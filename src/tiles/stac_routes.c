/* stac_routes.c — the STAC API's HTTP handlers (see stac_routes.h): each validates its request
 * into a stac_search or a path, builds the document with stac.c, and replies. GET answers
 * carry a strong ETag from the canonical request and the catalogue's version (the layers'
 * bake ids); links are relative, or absolute from --public-url, never from the Host header. */
#include "tiles/stac_routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "tiles/stac.h"
#include "tiles/tilestore.h"


/* The catalogue's version for ETags: the bake ids of every layer. */
static void catalogue_version(const tiles_store *s, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t i = 0; s && i < s->nlayers; i++)
        strncat(out, s->layers[i].meta.bake_id, cap - strlen(out) - 1);
    if (s && s->scenes)
        strncat(out, s->scenes->meta.bake_id, cap - strlen(out) - 1);
}

static void reply_err(http_req *rq, err_kind kind, const char *msg)
{
    err_t e;
    err_set(&e, kind, NULL, "%s", msg);
    http_reply_error(rq, &e);
}

static const tiles_store *store_or_404(http_req *rq, const void *ctx)
{
    const tiles_store *s = tiles_store_of(rq, ctx);
    if (!s)
        reply_err(rq, ERR_NOT_FOUND, "no scenes: tiles are not baked");
    return s;
}

/* Reply body with an ETag keyed on what (the route and its arguments), the canonical query
 * (NULL: none), the catalogue version and the base of links. */
static void reply_doc(http_req *rq, const tiles_store *s, json_t *body, const char *what,
                      const query *q, const char *base)
{
    char *canon = q ? query_canonical(q) : NULL;
    char ver[512];
    catalogue_version(s, ver, sizeof ver);
    size_t klen = strlen(what) + (canon ? strlen(canon) : 0) + strlen(ver) + strlen(base) + 16;
    char *key = malloc(klen);
    if (!body || (q && !canon) || !key) {
        json_decref(body);
        free(canon);
        free(key);
        reply_err(rq, ERR_INTERNAL, "out of memory");
        return;
    }
    snprintf(key, klen, "stac:%s:%s:%s:%s", what, canon ? canon : "", ver, base);
    /* Items and item collections are GeoJSON; the service description is OpenAPI. */
    if (!strcmp(what, "api"))
        http_reply_json_type(rq, "application/vnd.oai.openapi+json;version=3.0");
    else if (!strncmp(what, "item", 4) || strstr(what, "/search"))
        http_reply_json_type(rq, "application/geo+json");
    http_reply_json_etag(rq, body, key, http_cache_control(rq));
    free(canon);
    free(key);
}

static int no_params(http_req *rq)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) != 0) {
        http_reply_error(rq, &err);
        return -1;
    }
    return 0;
}

static const tiles_layer_meta *find_collection(http_req *rq, const tiles_store *s, const char *id)
{
    const tiles_layer_meta *m = stac_collection_find(s, id);
    if (m)
        return m;
    err_t e;
    err_set(&e, ERR_NOT_FOUND, NULL, "no collection '%.64s'", id);
    http_reply_error(rq, &e);
    return NULL;
}

static void stac_route_landing(http_req *rq, void *ctx)
{
    const tiles_store *s = store_or_404(rq, ctx);
    if (!s || no_params(rq) != 0)
        return; /* answered: rq is gone */
    const char *base = http_config(rq)->public_url;
    reply_doc(rq, s, stac_landing_json(s, base), "landing", NULL, base);
}

static void stac_route_resource(http_req *rq, void *ctx)
{
    const char *what = http_req_capture(rq, 0);
    const tiles_store *s = store_or_404(rq, ctx);
    if (!s)
        return; /* answered: rq is gone */
    const char *base = http_config(rq)->public_url;
    json_t *doc;
    if (!strcmp(what, "conformance"))
        doc = stac_conformance_json();
    else if (!strcmp(what, "collections"))
        doc = stac_collections_json(s, base);
    else if (!strcmp(what, "api"))
        doc = stac_openapi_json(base);
    else {
        reply_err(rq, ERR_NOT_FOUND, "the STAC API has /conformance, /collections, /search and /api");
        return;
    }
    if (no_params(rq) != 0) {
        json_decref(doc);
        return;
    }
    reply_doc(rq, s, doc, what, NULL, base);
}

static void stac_route_collection(http_req *rq, void *ctx)
{
    const tiles_store *s = store_or_404(rq, ctx);
    const tiles_layer_meta *m = s ? find_collection(rq, s, http_req_capture(rq, 0)) : NULL;
    if (!m || no_params(rq) != 0)
        return; /* answered: rq is gone */
    const char *base = http_config(rq)->public_url;
    char what[96];
    snprintf(what, sizeof what, "collection:%s", m->name);
    reply_doc(rq, s, stac_collection_json(m, base), what, NULL, base);
}

static void stac_route_items(http_req *rq, void *ctx)
{
    const tiles_store *s = store_or_404(rq, ctx);
    if (!s)
        return;
    if (strcmp(http_req_capture(rq, 1), "items") != 0) {
        reply_err(rq, ERR_NOT_FOUND, "a collection has /items");
        return;
    }
    const tiles_layer_meta *m = find_collection(rq, s, http_req_capture(rq, 0));
    if (!m)
        return;
    const query *q = http_req_query(rq);
    stac_search ss;
    err_t err = {0};
    if (stac_search_from_query(q, STAC_ITEMS, &ss, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    ss.q.collections = malloc(sizeof *ss.q.collections);
    char *name = strdup(m->name);
    if (!ss.q.collections || !name) {
        free(name);
        stac_search_free(&ss);
        reply_err(rq, ERR_INTERNAL, "out of memory");
        return;
    }
    ss.q.collections[0] = name;
    ss.q.ncollections = 1;
    const char *base = http_config(rq)->public_url;
    char self[160], what[96];
    snprintf(self, sizeof self, TILES_STAC_ROOT "/collections/%s/items", m->name);
    snprintf(what, sizeof what, "items:%s", m->name);
    json_t *body = stac_item_collection_json(&s->catalogue, &ss, base, self, q, m->name);
    stac_search_free(&ss);
    reply_doc(rq, s, body, what, q, base);
}

static void stac_route_item(http_req *rq, void *ctx)
{
    const tiles_store *s = store_or_404(rq, ctx);
    if (!s)
        return;
    const char *cid = http_req_capture(rq, 0), *id = http_req_capture(rq, 2);
    if (strcmp(http_req_capture(rq, 1), "items") != 0) {
        reply_err(rq, ERR_NOT_FOUND, "a collection has /items/{itemId}");
        return;
    }
    if (!find_collection(rq, s, cid))
        return;
    const tiles_scene *sc = tiles_catalogue_find(&s->catalogue, id);
    if (!sc || strcmp(sc->layer, cid) != 0) {
        err_t e;
        err_set(&e, ERR_NOT_FOUND, NULL, "no item '%.80s' in collection '%.64s'", id, cid);
        http_reply_error(rq, &e);
        return;
    }
    if (no_params(rq) != 0)
        return;
    const char *base = http_config(rq)->public_url;
    char what[128];
    snprintf(what, sizeof what, "item:%s", sc->id);
    reply_doc(rq, s, tiles_scene_json(sc, base), what, NULL, base);
}

void stac_reply_search(http_req *rq, const void *ctx, int legacy, const char *self)
{
    const tiles_store *s = store_or_404(rq, ctx);
    if (!s)
        return;
    const query *q = http_req_query(rq);
    stac_search ss;
    err_t err = {0};
    if (stac_search_from_query(q, legacy ? STAC_SCENES : STAC_SEARCH, &ss, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    const char *base = http_config(rq)->public_url;
    json_t *body = stac_item_collection_json(&s->catalogue, &ss, base, self, q, NULL);
    stac_search_free(&ss);
    reply_doc(rq, s, body, self, q, base);
}

/* POST: a JSON object of the same parameters; the next link says which token to merge in. */
static void search_post(http_req *rq, const tiles_store *s)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    const char *ctype = http_req_header(rq, "Content-Type");
    if (ctype && strncmp(ctype, "application/json", 16) != 0) {
        reply_err(rq, ERR_UNSUPPORTED, "POST a JSON body (Content-Type: application/json)");
        return;
    }
    size_t len;
    const unsigned char *raw = http_req_body(rq, &len);
    json_error_t je;
    json_t *body = len ? json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, &je)
                       : json_object();
    if (!json_is_object(body)) {
        err_set(&err, ERR_BAD_REQUEST, NULL, "the body must be a JSON object (%s)",
                body ? "not an object" : je.text);
        json_decref(body);
        http_reply_error(rq, &err);
        return;
    }
    stac_search ss;
    int rc = stac_search_from_json(body, &ss, &err);
    json_decref(body);
    if (rc != 0) {
        http_reply_error(rq, &err);
        return;
    }
    const char *base = http_config(rq)->public_url;
    json_t *doc = stac_item_collection_json(&s->catalogue, &ss, base, TILES_STAC_ROOT "/search",
                                            NULL, NULL);
    stac_search_free(&ss);
    if (!doc) {
        reply_err(rq, ERR_INTERNAL, "out of memory");
        return;
    }
    http_reply_json_type(rq, "application/geo+json");
    http_reply_json(rq, 200, doc, "no-store");
}

static void stac_route_search(http_req *rq, void *ctx)
{
    if (http_req_method(rq) != HTTP_M_POST) {
        stac_reply_search(rq, ctx, 0, TILES_STAC_ROOT "/search");
        return;
    }
    const tiles_store *s = store_or_404(rq, ctx);
    if (s)
        search_post(rq, s);
}

/* The routes of this module, in match order. */
static const route_def stac_routes[] = {
    {HTTP_M_GH, "/v1/stac", stac_route_landing, "stac"},
    {HTTP_M_GH | HTTP_M_POST, "/v1/stac/search", stac_route_search, "stac_search"},
    {HTTP_M_GH, "/v1/stac/*", stac_route_resource, "stac"},
    {HTTP_M_GH, "/v1/stac/collections/*", stac_route_collection, "stac"},
    {HTTP_M_GH, "/v1/stac/collections/*/*", stac_route_items, "stac_items"},
    {HTTP_M_GH, "/v1/stac/collections/*/*/*", stac_route_item, "stac"},
};

int stac_register(router *r, tiles_ctx *ctx)
{
    return router_add_table(r, stac_routes, sizeof stac_routes / sizeof stac_routes[0], ctx);
}
