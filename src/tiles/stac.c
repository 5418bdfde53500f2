/* stac.c — the STAC API over the scene catalogue: search requests, the fields selection, and
 * the JSON documents (see stac.h). Written from STAC API 1.0.0 (core, item-search,
 * ogcapi-features, collections) and its Fields and Sort extensions 1.0.0.
 *
 * Paging is by offset: the order of a search is total (ties broken by id) and the catalogue
 * does not change while the server runs, so "token=N" names the same page every time. */
#include "tiles/stac.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/timeutil.h"

#define GEOJSON "application/geo+json"
#define JSON "application/json"
#define OPENAPI "application/vnd.oai.openapi+json;version=3.0"

static const char *const conformance[] = {
    "https://api.stacspec.org/v1.0.0/core",
    "https://api.stacspec.org/v1.0.0/collections",
    "https://api.stacspec.org/v1.0.0/ogcapi-features",
    "https://api.stacspec.org/v1.0.0/ogcapi-features#fields",
    "https://api.stacspec.org/v1.0.0/ogcapi-features#sort",
    "https://api.stacspec.org/v1.0.0/item-search",
    "https://api.stacspec.org/v1.0.0/item-search#fields",
    "https://api.stacspec.org/v1.0.0/item-search#sort",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
};

static const query_key search_keys[] = {
    {"bbox", 0}, {"intersects", 0}, {"datetime", 0}, {"ids", 0}, {"collections", 0},
    {"limit", 0}, {"sortby", 0}, {"fields", 0}, {"token", 0},
};
/* /collections/{id}/items: OGC API - Features parameters plus the two extensions. */
static const query_key items_keys[] = {
    {"bbox", 0}, {"datetime", 0}, {"limit", 0}, {"sortby", 0}, {"fields", 0}, {"token", 0},
};

/* The Fields extension's default set: what a valid Item needs ("collection" too, since an Item
 * with a collection link must name it). */
static const char *const default_fields[] = {
    "type", "stac_version", "id", "collection", "geometry", "bbox", "links", "assets",
    "properties.datetime",
};

/* ---- parameters ---------------------------------------------------------------------------- */

static int bad(err_t *err, const char *param, const char *msg)
{
    err_set(err, ERR_BAD_PARAM, param, "%s", msg);
    return -1;
}

static int is_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* RFC 3339 date-time as STAC API's implementation notes give it:
 * YYYY-MM-DD(T|t)hh:mm:ss[.frac](Z|z|(+|-)hh:mm); tiles_time_parse checks the calendar. */
static int rfc3339_datetime(const char *s, double *t)
{
    size_t n = strlen(s);
    if (n < 20 || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) || s[7] != '-' ||
        !is_digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !is_digits(s + 11, 2) ||
        s[13] != ':' || !is_digits(s + 14, 2) || s[16] != ':' || !is_digits(s + 17, 2))
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        if (!is_digits(p + 1, 1))
            return -1;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if (!((*p == 'Z' || *p == 'z') && p[1] == 0) &&
        !((*p == '+' || *p == '-') && strlen(p) == 6 && is_digits(p + 1, 2) && p[3] == ':' &&
          is_digits(p + 4, 2)))
        return -1;
    return tiles_time_parse(s, t);
}

/* An instant, or an interval "A/B" where one end (not both) may be open: "" or "..". */
static int parse_datetime(const char *v, int dates_too, tiles_scene_query *q, err_t *err)
{
    static const char *why = "datetime must be an RFC 3339 date-time (2004-07-01T00:00:00Z) or "
                             "an interval A/B, ../B, A/.. with A <= B";
    if (dates_too) { /* /v1/scenes as it was: dates and date-times */
        if (tiles_time_parse_interval(v, &q->t0, &q->t1) != 0)
            return bad(err, "datetime", why);
        q->has_time = 1;
        return 0;
    }
    const char *slash = strchr(v, '/');
    if (!slash) {
        if (rfc3339_datetime(v, &q->t0) != 0)
            return bad(err, "datetime", why);
        q->t1 = q->t0;
        q->has_time = 1;
        return 0;
    }
    char a[64];
    const char *b = slash + 1;
    size_t n = (size_t)(slash - v);
    if (n >= sizeof a || strchr(b, '/'))
        return bad(err, "datetime", why);
    memcpy(a, v, n);
    a[n] = 0;
    int open_a = !a[0] || !strcmp(a, ".."), open_b = !b[0] || !strcmp(b, "..");
    if (open_a && open_b)
        return bad(err, "datetime", "datetime: only one end of an interval may be open");
    q->t0 = -INFINITY;
    q->t1 = INFINITY;
    if ((!open_a && rfc3339_datetime(a, &q->t0) != 0) ||
        (!open_b && rfc3339_datetime(b, &q->t1) != 0))
        return bad(err, "datetime", why);
    if (q->t0 > q->t1)
        return bad(err, "datetime", "datetime: an interval's start must not be after its end");
    q->has_time = 1;
    return 0;
}

/* bbox of 4 (2D) or 6 (3D: elevations ignored, the catalogue is on the ground) numbers. */
static int set_bbox(const double *v, size_t n, tiles_scene_query *q, err_t *err)
{
    if (n != 4 && n != 6)
        return bad(err, "bbox", "bbox is 4 numbers (W,S,E,N) or 6 (W,S,zmin,E,N,zmax)");
    double b[4] = {v[0], v[1], n == 4 ? v[2] : v[3], n == 4 ? v[3] : v[4]};
    if (n == 6 && v[2] > v[5])
        return bad(err, "bbox", "bbox: the lower elevation comes first");
    if (tiles_scene_bbox_check(b, "bbox", err) != 0)
        return -1;
    memcpy(q->bbox, b, sizeof b);
    q->has_bbox = 1;
    return 0;
}

static int set_intersects(const json_t *g, tiles_scene_query *q, err_t *err)
{
    q->intersects = calloc(1, sizeof *q->intersects);
    if (!q->intersects) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (tiles_geom_parse(g, q->intersects, "intersects", err) != 0) {
        free(q->intersects);
        q->intersects = NULL;
        return -1;
    }
    return 0;
}

/* Append a copy of s[0..n) to a list; names are 1..255 bytes. */
static int list_add(char ***list, size_t *count, const char *s, size_t n, const char *param,
                    err_t *err)
{
    if (n == 0 || n > 255)
        return bad(err, param, "a list item is 1..255 characters");
    if (*count == STAC_MAX_IDS) {
        err_set(err, ERR_BAD_PARAM, param, "%s has at most %d items", param, STAC_MAX_IDS);
        return -1;
    }
    char **l = realloc(*list, (*count + 1) * sizeof *l);
    char *copy = strndup(s, n);
    if (!l || !copy) {
        free(copy);
        if (l)
            *list = l;
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    *list = l;
    l[(*count)++] = copy;
    return 0;
}

/* "a,b,c" into list (GET form of an array). */
static int comma_list(const char *v, char ***list, size_t *count, const char *param, err_t *err)
{
    do {
        size_t n = strcspn(v, ",");
        if (list_add(list, count, v, n, param, err) != 0)
            return -1;
        v += n;
    } while (*v++ == ',');
    return 0;
}

/* An empty list filters everything out; a list given empty still means "these and no other". */
static int empty_list(char ***list, err_t *err)
{
    *list = calloc(1, sizeof **list);
    if (!*list) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    return 0;
}

static int set_limit(long long v, tiles_scene_query *q, err_t *err)
{
    if (v < 1)
        return bad(err, "limit", "limit must be an integer >= 1");
    /* Item Search: past the advertised maximum, act as if the maximum was asked. */
    q->limit = v > TILES_SCENE_MAX_LIMIT ? TILES_SCENE_MAX_LIMIT : (long)v;
    return 0;
}

static int set_token(const char *v, tiles_scene_query *q, err_t *err)
{
    size_t n = strlen(v);
    if (n == 0 || n > 9 || !is_digits(v, (int)n))
        return bad(err, "token", "token must be one that a next or prev link gave");
    q->offset = atol(v);
    return 0;
}

/* GET fields: "a,-b,+c": '-' excludes, no sign or '+' (a space once decoded) includes. An
 * empty value asks for the default set. */
static int fields_from_text(const char *v, stac_search *s, err_t *err)
{
    s->fields_mode = STAC_FIELDS_LISTED;
    if (!*v)
        return 0;
    do {
        size_t n = strcspn(v, ",");
        int ex = n && *v == '-';
        if (n && (*v == '-' || *v == '+' || *v == ' ')) {
            v++;
            n--;
        }
        if (ex ? list_add(&s->exclude, &s->nexclude, v, n, "fields", err)
               : list_add(&s->include, &s->ninclude, v, n, "fields", err))
            return -1;
        v += n;
    } while (*v++ == ',');
    return 0;
}

static int number_list(const char *v, double *out, size_t cap, size_t *n)
{
    const char *end;
    *n = 0;
    for (;;) {
        if (*n == cap || query_number(v, &out[*n], &end) < 0)
            return -1;
        (*n)++;
        v = end;
        if (!*v)
            return 0;
        if (*v++ != ',')
            return -1;
    }
}

static void search_init(stac_search *s, stac_endpoint ep)
{
    memset(s, 0, sizeof *s);
    s->q.limit = ep == STAC_SCENES ? 100 : STAC_DEFAULT_LIMIT;
    s->fields_mode = STAC_FIELDS_ALL;
}

static int check_exclusive(const stac_search *s, err_t *err)
{
    if (s->q.has_bbox && s->q.intersects)
        return bad(err, "intersects", "only one of bbox and intersects may be given");
    return 0;
}

int stac_search_from_query(const query *q, stac_endpoint ep, stac_search *out, err_t *err)
{
    search_init(out, ep);
    const query_key *keys = ep == STAC_ITEMS ? items_keys : search_keys;
    size_t nkeys = ep == STAC_ITEMS ? sizeof items_keys / sizeof items_keys[0]
                                    : sizeof search_keys / sizeof search_keys[0];
    if (query_check(q, keys, nkeys, err) != 0)
        return -1;
    tiles_scene_query *sq = &out->q;
    const char *v;
    if ((v = query_get(q, "bbox"))) {
        double b[6];
        size_t n;
        if (number_list(v, b, 6, &n) != 0)
            goto fail_bbox;
        if (set_bbox(b, n, sq, err) != 0)
            goto fail;
    }
    if ((v = query_get(q, "intersects"))) {
        json_error_t je;
        json_t *g = json_loads(v, JSON_REJECT_DUPLICATES, &je);
        int rc = g ? set_intersects(g, sq, err)
                   : bad(err, "intersects", "intersects must be a GeoJSON geometry (JSON)");
        json_decref(g);
        if (rc != 0)
            goto fail;
    }
    if ((v = query_get(q, "datetime")) && parse_datetime(v, ep == STAC_SCENES, sq, err) != 0)
        goto fail;
    if ((v = query_get(q, "ids")) && comma_list(v, &sq->ids, &sq->nids, "ids", err) != 0)
        goto fail;
    if ((v = query_get(q, "collections")) &&
        comma_list(v, &sq->collections, &sq->ncollections, "collections", err) != 0)
        goto fail;
    if ((v = query_get(q, "limit"))) {
        long long l = 0;
        const char *p = v;
        if (*p == '-')
            p++;
        if (!*p || strlen(p) > 18 || !is_digits(p, (int)strlen(p)))
            goto fail_limit;
        l = atoll(v);
        if (set_limit(l, sq, err) != 0)
            goto fail;
    }
    if ((v = query_get(q, "sortby")) && tiles_scene_sortby_parse(v, sq, err) != 0)
        goto fail;
    if ((v = query_get(q, "fields")) && fields_from_text(v, out, err) != 0)
        goto fail;
    if ((v = query_get(q, "token")) && set_token(v, sq, err) != 0)
        goto fail;
    if (check_exclusive(out, err) != 0)
        goto fail;
    return 0;
fail_bbox:
    bad(err, "bbox", "bbox is 4 numbers (W,S,E,N) or 6 (W,S,zmin,E,N,zmax)");
    goto fail;
fail_limit:
    bad(err, "limit", "limit must be an integer >= 1");
fail:
    stac_search_free(out);
    return -1;
}

/* A JSON array of strings into list (POST form). */
static int json_list(const json_t *a, char ***list, size_t *count, const char *param, err_t *err)
{
    if (!json_is_array(a)) {
        err_set(err, ERR_BAD_PARAM, param, "%s must be an array of strings", param);
        return -1;
    }
    if (json_array_size(a) == 0)
        return empty_list(list, err);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *v = json_string_value(json_array_get(a, i));
        if (!v) {
            err_set(err, ERR_BAD_PARAM, param, "%s must be an array of strings", param);
            return -1;
        }
        if (list_add(list, count, v, strlen(v), param, err) != 0)
            return -1;
    }
    return 0;
}

static int sortby_from_json(const json_t *a, tiles_scene_query *q, err_t *err)
{
    if (!json_is_array(a))
        return bad(err, "sortby", "sortby must be an array of {\"field\", \"direction\"}");
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *o = json_array_get(a, i);
        const char *field = json_string_value(json_object_get(o, "field"));
        const json_t *dj = json_object_get(o, "direction");
        const char *dir = json_string_value(dj);
        if (!json_is_object(o) || !field || (dj && (!dir || (strcmp(dir, "asc") &&
                                                             strcmp(dir, "desc")))))
            return bad(err, "sortby", "sortby items are {\"field\": name, \"direction\": "
                                      "\"asc\" or \"desc\"}");
        if (tiles_scene_sort_add(q, field, dir && !strcmp(dir, "desc"), err) != 0)
            return -1;
    }
    return 0;
}

/* POST fields: {"include": [...], "exclude": [...]}; a missing include with excludes keeps
 * every other field, a null or empty one the default set (the extension's table). */
static int fields_from_json(const json_t *f, stac_search *s, err_t *err)
{
    if (!json_is_object(f))
        return bad(err, "fields", "fields must be {\"include\": [...], \"exclude\": [...]}");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)f, k, v) if (strcmp(k, "include") && strcmp(k, "exclude"))
        return bad(err, "fields", "fields has only include and exclude");
    const json_t *inc = json_object_get(f, "include"), *exc = json_object_get(f, "exclude");
    if ((inc && !json_is_null(inc) && json_list(inc, &s->include, &s->ninclude, "fields", err)) ||
        (exc && !json_is_null(exc) && json_list(exc, &s->exclude, &s->nexclude, "fields", err)))
        return -1;
    s->fields_mode = !inc && s->nexclude ? STAC_FIELDS_ALL : STAC_FIELDS_LISTED;
    return 0;
}

int stac_search_from_json(const json_t *body, stac_search *out, err_t *err)
{
    search_init(out, STAC_SEARCH);
    tiles_scene_query *sq = &out->q;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) {
        size_t i, n = sizeof search_keys / sizeof search_keys[0];
        for (i = 0; i < n; i++)
            if (!strcmp(search_keys[i].key, k))
                break;
        if (i == n) {
            err_set(err, ERR_UNKNOWN_PARAM, k, "unknown search field '%.60s'", k);
            goto fail;
        }
        if (json_is_null(v))
            continue;
        int rc = 0;
        if (!strcmp(k, "bbox")) {
            double b[6];
            size_t nb = json_array_size(v);
            for (size_t j = 0; j < nb && j < 6; j++)
                if (!json_is_number(json_array_get(v, j)))
                    nb = 0;
                else
                    b[j] = json_number_value(json_array_get(v, j));
            rc = set_bbox(b, nb, sq, err);
        } else if (!strcmp(k, "intersects")) {
            rc = set_intersects(v, sq, err);
        } else if (!strcmp(k, "datetime")) {
            rc = json_is_string(v) ? parse_datetime(json_string_value(v), 0, sq, err)
                                   : bad(err, "datetime", "datetime must be a string");
        } else if (!strcmp(k, "ids")) {
            rc = json_list(v, &sq->ids, &sq->nids, "ids", err);
        } else if (!strcmp(k, "collections")) {
            rc = json_list(v, &sq->collections, &sq->ncollections, "collections", err);
        } else if (!strcmp(k, "limit")) {
            rc = json_is_integer(v) ? set_limit(json_integer_value(v), sq, err)
                                    : bad(err, "limit", "limit must be an integer >= 1");
        } else if (!strcmp(k, "sortby")) {
            rc = sortby_from_json(v, sq, err);
        } else if (!strcmp(k, "fields")) {
            rc = fields_from_json(v, out, err);
        } else if (!strcmp(k, "token")) {
            rc = json_is_string(v) ? set_token(json_string_value(v), sq, err)
                                   : bad(err, "token", "token must be a string");
        }
        if (rc != 0)
            goto fail;
    }
    if (check_exclusive(out, err) != 0)
        goto fail;
    return 0;
fail:
    stac_search_free(out);
    return -1;
}

static void list_free(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void stac_search_free(stac_search *s)
{
    tiles_scene_query_free(&s->q);
    list_free(s->include, s->ninclude);
    list_free(s->exclude, s->nexclude);
    s->include = s->exclude = NULL;
    s->ninclude = s->nexclude = 0;
}

/* ---- fields ------------------------------------------------------------------------------- */

typedef struct {
    const char *const *inc, *const *exc;
    size_t ninc, nexc;
    int keep_unlisted;
} fields_rule;

/* Length of the longest entry of list that is path or an ancestor of it; -1 if none. */
static long covering(const char *const *list, size_t n, const char *path)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(list[i]);
        if (!strncmp(list[i], path, l) && (path[l] == 0 || path[l] == '.') && (long)l > best)
            best = (long)l;
    }
    return best;
}

/* Whether list names something inside path. */
static int names_inside(const char *const *list, size_t n, const char *path)
{
    size_t l = strlen(path);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(list[i], path, l) && list[i][l] == '.')
            return 1;
    return 0;
}

/* The most specific rule wins; include wins a tie (the extension's rules 5 and 6). */
static void filter_object(json_t *obj, const char *prefix, const fields_rule *r)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, v) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        long li = covering(r->inc, r->ninc, path), le = covering(r->exc, r->nexc, path);
        int keep = li < 0 && le < 0 ? r->keep_unlisted : li >= le;
        if (keep) {
            if (json_is_object(v) && names_inside(r->exc, r->nexc, path))
                filter_object(v, path, r);
        } else if (json_is_object(v) && names_inside(r->inc, r->ninc, path)) {
            filter_object(v, path, r);
            if (json_object_size(v) == 0) /* only fields it does not have were asked */
                json_object_del(obj, key);
        } else {
            json_object_del(obj, key);
        }
    }
}

void stac_fields_apply(const stac_search *s, json_t *item)
{
    if (s->fields_mode == STAC_FIELDS_ALL && s->nexclude == 0)
        return;
    fields_rule r = {(const char *const *)s->include, (const char *const *)s->exclude,
                     s->ninclude, s->nexclude, s->fields_mode == STAC_FIELDS_ALL};
    /* No include list: the default set, less what is excluded by name. */
    const char *defaults[sizeof default_fields / sizeof default_fields[0]];
    if (s->fields_mode == STAC_FIELDS_LISTED && s->ninclude == 0) {
        size_t n = 0;
        for (size_t i = 0; i < sizeof default_fields / sizeof default_fields[0]; i++) {
            size_t j;
            for (j = 0; j < s->nexclude && strcmp(s->exclude[j], default_fields[i]); j++)
                ;
            if (j == s->nexclude)
                defaults[n++] = default_fields[i];
        }
        r.inc = defaults;
        r.ninc = n;
    }
    filter_object(item, "", &r);
}

/* ---- documents ----------------------------------------------------------------------------- */

static json_t *link(const char *rel, const char *href, const char *type, const char *title)
{
    json_t *l = json_pack("{s:s,s:s,s:s}", "rel", rel, "href", href, "type", type);
    if (title)
        json_object_set_new(l, "title", json_string(title));
    return l;
}

static void path(char *out, size_t cap, const char *base, const char *rest)
{
    snprintf(out, cap, "%s" TILES_STAC_ROOT "%s", base, rest);
}

/* Collections: one per layer, then the --scenes folder's. */
static size_t collection_count(const tiles_store *st)
{
    return st ? st->nlayers + (st->scenes ? 1 : 0) : 0;
}

static const tiles_layer_meta *collection_at(const tiles_store *st, size_t i)
{
    return i < st->nlayers ? &st->layers[i].meta : &st->scenes->meta;
}

const tiles_layer_meta *stac_collection_find(const tiles_store *st, const char *id)
{
    for (size_t i = 0; i < collection_count(st); i++)
        if (!strcmp(collection_at(st, i)->name, id))
            return collection_at(st, i);
    return NULL;
}

json_t *stac_landing_json(const tiles_store *st, const char *base)
{
    char root[512], href[512];
    path(root, sizeof root, base, "");
    json_t *links = json_array();
    json_array_append_new(links, link("self", root, JSON, NULL));
    json_array_append_new(links, link("root", root, JSON, NULL));
    path(href, sizeof href, base, "/conformance");
    json_array_append_new(links, link("conformance", href, JSON, "Conformance classes"));
    path(href, sizeof href, base, "/collections");
    json_array_append_new(links, link("data", href, JSON, "Collections: one per layer"));
    path(href, sizeof href, base, "/search");
    json_t *get = link("search", href, GEOJSON, "Item Search");
    json_t *post = link("search", href, GEOJSON, "Item Search");
    json_object_set_new(get, "method", json_string("GET"));
    json_object_set_new(post, "method", json_string("POST"));
    json_array_append_new(links, get);
    json_array_append_new(links, post);
    path(href, sizeof href, base, "/api");
    json_array_append_new(links, link("service-desc", href, OPENAPI, "OpenAPI description"));
    for (size_t i = 0; i < collection_count(st); i++) {
        const tiles_layer_meta *m = collection_at(st, i);
        char rest[128];
        snprintf(rest, sizeof rest, "/collections/%s", m->name);
        path(href, sizeof href, base, rest);
        json_array_append_new(links, link("child", href, JSON, m->title));
    }
    json_t *conf = stac_conformance_json();
    json_t *classes = json_incref(json_object_get(conf, "conformsTo"));
    json_decref(conf);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:[],s:o,s:o}", "type", "Catalog", "stac_version",
                     "1.0.0", "id", "cartouche-scenes", "title", "cartouche scenes",
                     "description",
                     "Scenes cut from cartouche's baked imagery layers, with colour statistics; "
                     "searchable by place, time and colour (sortby properties.cartouche:greenness)",
                     "stac_extensions", "conformsTo", classes, "links", links);
}

json_t *stac_conformance_json(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof conformance / sizeof conformance[0]; i++)
        json_array_append_new(a, json_string(conformance[i]));
    return json_pack("{s:o}", "conformsTo", a);
}

json_t *stac_collection_json(const tiles_layer_meta *m, const char *base)
{
    char root[512], self[512], items[512], rest[160];
    path(root, sizeof root, base, "");
    snprintf(rest, sizeof rest, "/collections/%s", m->name);
    path(self, sizeof self, base, rest);
    snprintf(rest, sizeof rest, "/collections/%s/items", m->name);
    path(items, sizeof items, base, rest);
    const double *b = m->bounds;
    /* Without its own start and end, a layer's time is its one datetime. */
    const char *t0 = m->start_datetime[0] && m->end_datetime[0] ? m->start_datetime : m->datetime;
    const char *t1 = m->start_datetime[0] && m->end_datetime[0] ? m->end_datetime : m->datetime;
    char desc[512];
    if (m->description[0])
        snprintf(desc, sizeof desc, "%s", m->description);
    else
        snprintf(desc, sizeof desc, "%s: %s. %s", m->title,
             m->user ? "an image added to cartouche, one scene"
                     : "a baked world layer, one scene per web-mercator tile at zoom 2",
             m->attribution);
    json_t *links = json_pack("[o,o,o,o]", link("self", self, JSON, NULL),
                              link("root", root, JSON, NULL), link("parent", root, JSON, NULL),
                              link("items", items, GEOJSON, "Scenes of this layer"));
    json_t *c = json_pack(
        "{s:s,s:s,s:[],s:s,s:s,s:s,s:s,s:[s,s,s],s:[{s:s,s:[s]}],"
        "s:{s:{s:[[f,f,f,f]]},s:{s:[[s,s]]}},s:o}",
        "type", "Collection", "stac_version", "1.0.0", "stac_extensions", "id", m->name, "title",
        m->title, "description", desc, "license", "proprietary", "keywords", "imagery",
        "scenes", m->user ? "user" : "world", "providers", "name", m->attribution, "roles",
        m->user ? "producer" : "licensor", "extent", "spatial", "bbox", b[0], b[1], b[2], b[3],
        "temporal", "interval", t0, t1, "links", links);
    /* A provider needs a name: a --scenes folder has no attribution to give one. */
    if (!m->attribution[0])
        json_object_del(c, "providers");
    return c;
}

json_t *stac_collections_json(const tiles_store *st, const char *base)
{
    char root[512], self[512];
    path(root, sizeof root, base, "");
    path(self, sizeof self, base, "/collections");
    json_t *cs = json_array();
    for (size_t i = 0; i < collection_count(st); i++)
        json_array_append_new(cs, stac_collection_json(collection_at(st, i), base));
    return json_pack("{s:o,s:[o,o]}", "collections", cs, "links",
                     link("self", self, JSON, NULL), link("root", root, JSON, NULL));
}

/* href of a GET page: self with the request's query, token replaced (offset < 0: none). */
static char *page_href(const char *base, const char *self, const query *q, long offset)
{
    query nq = {0};
    char tok[24];
    int ok = 1;
    for (size_t i = 0; q && i < q->n; i++)
        if (strcmp(q->p[i].key, "token") != 0)
            ok &= query_add(&nq, q->p[i].key, q->p[i].val, q->p[i].vlen) == 0;
    if (offset > 0) {
        snprintf(tok, sizeof tok, "%ld", offset);
        ok &= query_add(&nq, "token", tok, strlen(tok)) == 0;
    }
    char *canon = ok ? query_canonical(&nq) : NULL;
    query_free(&nq);
    if (!canon)
        return NULL;
    size_t cap = strlen(base) + strlen(self) + strlen(canon) + 2;
    char *href = malloc(cap);
    if (href)
        snprintf(href, cap, "%s%s%s%s", base, self, canon[0] ? "?" : "", canon);
    free(canon);
    return href;
}

/* A paging link: a GET link with the token in its query, or for a POST the body to merge. */
static json_t *page_link(const char *rel, const char *base, const char *self, const query *q,
                         long offset)
{
    if (q) {
        char *href = page_href(base, self, q, offset);
        json_t *l = href ? link(rel, href, GEOJSON, NULL) : NULL;
        free(href);
        return l;
    }
    char href[512], tok[24];
    snprintf(href, sizeof href, "%s%s", base, self);
    snprintf(tok, sizeof tok, "%ld", offset);
    json_t *l = link(rel, href, GEOJSON, NULL);
    json_object_set_new(l, "method", json_string("POST"));
    json_object_set_new(l, "body", json_pack("{s:s}", "token", tok));
    json_object_set_new(l, "merge", json_true());
    return l;
}

json_t *stac_item_collection_json(const tiles_catalogue *c, const stac_search *s,
                                  const char *base, const char *self, const query *get_query,
                                  const char *collection)
{
    const tiles_scene_query *q = &s->q;
    size_t *idx = malloc(sizeof *idx * (size_t)(q->limit > 0 ? q->limit : 1));
    if (!idx)
        return NULL;
    size_t matched, n = tiles_catalogue_search(c, q, idx, &matched);
    json_t *features = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *it = tiles_scene_json(&c->scenes[idx[i]], base);
        stac_fields_apply(s, it);
        json_array_append_new(features, it);
    }
    free(idx);
    char root[512];
    path(root, sizeof root, base, "");
    json_t *links = json_array();
    json_array_append_new(links, link("root", root, JSON, NULL));
    if (get_query) {
        char *href = page_href(base, self, get_query, q->offset);
        if (href)
            json_array_append_new(links, link("self", href, GEOJSON, NULL));
        free(href);
    } else {
        char href[512];
        snprintf(href, sizeof href, "%s%s", base, self);
        json_array_append_new(links, link("self", href, GEOJSON, NULL));
    }
    if (collection) {
        char rest[160], href[512];
        snprintf(rest, sizeof rest, "/collections/%s", collection);
        path(href, sizeof href, base, rest);
        json_array_append_new(links, link("collection", href, JSON, NULL));
    }
    long next = q->offset + (long)n;
    if (n > 0 && (size_t)next < matched)
        json_array_append_new(links, page_link("next", base, self, get_query, next));
    if (q->offset > 0) {
        long prev = q->offset - q->limit;
        json_array_append_new(links, page_link("prev", base, self, get_query,
                                               prev > 0 ? prev : 0));
    }
    return json_pack("{s:s,s:o,s:I,s:I,s:o}", "type", "FeatureCollection", "features", features,
                     "numberMatched", (json_int_t)matched, "numberReturned", (json_int_t)n,
                     "links", links);
}

/* ---- OpenAPI ------------------------------------------------------------------------------- */

static json_t *oa_param(const char *name, const char *in, const char *desc, json_t *schema)
{
    return json_pack("{s:s,s:s,s:s,s:b,s:o}", "name", name, "in", in, "description", desc,
                     "required", !strcmp(in, "path"), "schema", schema);
}

static json_t *oa_get(const char *summary, const char *ctype, json_t *params)
{
    return json_pack("{s:s,s:o,s:{s:{s:s,s:{s:{}}},s:{s:s}}}", "summary", summary, "parameters",
                     params ? params : json_array(), "responses", "200", "description", "OK",
                     "content", ctype, "400", "description", "A parameter is malformed");
}

static json_t *oa_search_params(int all)
{
    json_t *str = json_pack("{s:s}", "type", "string");
    json_t *p = json_array();
    json_array_append_new(p, oa_param("limit", "query", "Items per page (past 1000: 1000)",
                                      json_pack("{s:s,s:i,s:i}", "type", "integer", "minimum",
                                                1, "default", STAC_DEFAULT_LIMIT)));
    json_array_append_new(p, oa_param("bbox", "query", "W,S,E,N (or W,S,zmin,E,N,zmax)",
                                      json_pack("{s:s,s:{s:s}}", "type", "array", "items",
                                                "type", "number")));
    json_array_append_new(p, oa_param("datetime", "query",
                                      "RFC 3339 date-time or interval (A/B, ../B, A/..)",
                                      json_incref(str)));
    if (all) {
        json_array_append_new(p, oa_param("intersects", "query", "A GeoJSON geometry (JSON)",
                                          json_incref(str)));
        json_array_append_new(p, oa_param("ids", "query", "Item ids, comma-separated",
                                          json_incref(str)));
        json_array_append_new(p, oa_param("collections", "query",
                                          "Collection ids, comma-separated", json_incref(str)));
    }
    json_array_append_new(p, oa_param("sortby", "query",
                                      "[+|-]field,...: id, collection, properties.datetime, "
                                      "properties.start_datetime, properties.end_datetime, "
                                      "properties.cartouche:greenness, blueness, brightness, "
                                      "coverage",
                                      json_incref(str)));
    json_array_append_new(p, oa_param("fields", "query", "field,-field,... (Fields extension)",
                                      json_incref(str)));
    json_array_append_new(p, oa_param("token", "query", "Page token from a next or prev link",
                                      json_incref(str)));
    json_decref(str);
    return p;
}

json_t *stac_openapi_json(const char *base)
{
    json_t *paths = json_object();
    json_t *coll_id = oa_param("collectionId", "path", "Layer name",
                               json_pack("{s:s}", "type", "string"));
    json_object_set_new(paths, TILES_STAC_ROOT,
                        json_pack("{s:o}", "get", oa_get("Landing page", JSON, NULL)));
    json_object_set_new(paths, TILES_STAC_ROOT "/conformance",
                        json_pack("{s:o}", "get", oa_get("Conformance classes", JSON, NULL)));
    json_object_set_new(paths, TILES_STAC_ROOT "/api",
                        json_pack("{s:o}", "get", oa_get("This document", OPENAPI, NULL)));
    json_object_set_new(paths, TILES_STAC_ROOT "/collections",
                        json_pack("{s:o}", "get", oa_get("Collections", JSON, NULL)));
    json_object_set_new(paths, TILES_STAC_ROOT "/collections/{collectionId}",
                        json_pack("{s:o}", "get",
                                  oa_get("One collection", JSON,
                                         json_pack("[O]", coll_id))));
    json_t *items_params = oa_search_params(0);
    json_array_insert_new(items_params, 0, json_incref(coll_id));
    json_object_set_new(paths, TILES_STAC_ROOT "/collections/{collectionId}/items",
                        json_pack("{s:o}", "get",
                                  oa_get("Items of a collection", GEOJSON, items_params)));
    json_object_set_new(
        paths, TILES_STAC_ROOT "/collections/{collectionId}/items/{featureId}",
        json_pack("{s:o}", "get",
                  oa_get("One item", GEOJSON,
                         json_pack("[O,o]", coll_id,
                                   oa_param("featureId", "path", "Scene id",
                                            json_pack("{s:s}", "type", "string"))))));
    json_t *post = oa_get("Item Search (JSON body)", GEOJSON, NULL);
    json_object_del(post, "parameters");
    json_object_set_new(post, "requestBody",
                        json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content", JSON,
                                  "schema", "type", "object"));
    json_object_set_new(paths, TILES_STAC_ROOT "/search",
                        json_pack("{s:o,s:o}", "get",
                                  oa_get("Item Search", GEOJSON, oa_search_params(1)), "post",
                                  post));
    json_decref(coll_id);
    json_t *doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:o}", "openapi", "3.0.3", "info", "title",
                            "cartouche STAC API", "version", "1.0.0", "description",
                            "STAC API 1.0.0 over cartouche's scene catalogue", "paths", paths);
    if (base[0])
        json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", base));
    return doc;
}
