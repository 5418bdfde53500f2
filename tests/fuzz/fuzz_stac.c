/* fuzz_stac.c — the STAC API's search requests: a GET query string (stac_search_from_query for
 * /search, /collections/{id}/items and /v1/scenes) or a POST JSON body (stac_search_from_json),
 * both with `intersects` GeoJSON geometries; an accepted search is then run over a small
 * catalogue (geometry tests, sorting, paging links, the fields selection). The first byte picks
 * the form. Invariants: an accepted search has a limit in 1..TILES_SCENE_MAX_LIMIT, at most
 * TILES_SCENE_MAX_SORT sort keys and never returns more Items than its limit; a refused one
 * names its reason. */
#include "fuzz_util.h"
#include "http/query.h"
#include "tiles/stac.h"

static tiles_scene_stat stats[3] = {
    {"f-a", 2, 0, 0, {-180, 0, 0, 85}, {10, 200, 10}, 1},
    {"f-b", 2, 1, 0, {0, -85, 180, 0}, {10, 10, 200}, 0.5},
    {"f-c", -1, 0, 0, {170, -20, -170, -10}, {200, 10, 10}, 1},
};

static void run_search(stac_search *s, const query *get)
{
    FUZZ_CHECK(s->q.limit >= 1 && s->q.limit <= TILES_SCENE_MAX_LIMIT);
    FUZZ_CHECK(s->q.nsort >= 0 && s->q.nsort <= TILES_SCENE_MAX_SORT);
    tiles_layer_meta m;
    memset(&m, 0, sizeof m);
    strcpy(m.name, "f");
    strcpy(m.datetime, "2004-07-01T00:00:00Z");
    strcpy(m.start_datetime, "2004-01-01T00:00:00Z");
    strcpy(m.end_datetime, "2004-12-31T23:59:59Z");
    m.scenes = stats;
    m.nscenes = 3;
    const tiles_layer_meta *layers[1] = {&m};
    tiles_catalogue cat;
    err_t err;
    if (tiles_catalogue_build(layers, 1, &cat, &err) != 0)
        abort();
    json_t *doc = stac_item_collection_json(&cat, s, "", "/v1/stac/search", get, NULL);
    FUZZ_CHECK(doc != NULL);
    FUZZ_CHECK(json_array_size(json_object_get(doc, "features")) <= (size_t)s->q.limit);
    json_decref(doc);
    tiles_catalogue_free(&cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    char *raw = fuzz_cstr(data + 1, len - 1);
    err_t err = {0};
    stac_search s;
    if (data[0] % 2 == 0) {
        query q;
        if (query_parse(raw, &q, 512, &err) == 0) {
            stac_endpoint ep = (stac_endpoint)(data[0] / 2 % 3);
            if (stac_search_from_query(&q, ep, &s, &err) == 0) {
                run_search(&s, &q);
                stac_search_free(&s);
            } else {
                FUZZ_CHECK(err.msg[0] != 0);
            }
            query_free(&q);
        }
    } else {
        json_error_t je;
        json_t *body = json_loadb(raw, len - 1, JSON_REJECT_DUPLICATES, &je);
        if (json_is_object(body)) {
            if (stac_search_from_json(body, &s, &err) == 0) {
                run_search(&s, NULL);
                stac_search_free(&s);
            } else {
                FUZZ_CHECK(err.msg[0] != 0);
            }
        }
        json_decref(body);
    }
    free(raw);
    return 0;
}
