/* stac.h — the STAC API 1.0.0 over the scene catalogue: search requests from a GET query or a
 * POST JSON body (Item Search with the Fields and Sort extensions), and the documents the API
 * answers — landing page, conformance, collections (one per layer), ItemCollections with
 * paging links, the fields selection applied to Items, and the OpenAPI service description.
 *
 * Paths, under TILES_STAC_ROOT (/v1/stac):
 *   ""            landing page (a STAC Catalog with conformsTo)
 *   /conformance  /collections  /collections/{id}  /collections/{id}/items[/{itemId}]
 *   /search       GET and POST
 *   /api          OpenAPI 3.0 (JSON)
 * /v1/scenes, the first scene search, takes the same GET parameters and answers the same
 * ItemCollection (its default page is 100 items, and it still takes date-only datetimes). */
#ifndef CARTOUCHE_TILES_STAC_H
#define CARTOUCHE_TILES_STAC_H

#include <jansson.h>

#include "util/err.h"
#include "http/query.h"
#include "tiles/scenes.h"
#include "tiles/tilestore.h"

#define STAC_DEFAULT_LIMIT 10
#define STAC_MAX_IDS 1000

/* Which endpoint a search is for: parameters allowed and defaults differ. */
typedef enum {
    STAC_SEARCH,       /* /search: every Item Search parameter */
    STAC_ITEMS,        /* /collections/{id}/items: no ids, collections or intersects */
    STAC_SCENES,       /* /v1/scenes: as /search, date-only datetimes, 100 per page */
} stac_endpoint;

/* The Fields extension: which parts of each Item to return. */
typedef enum {
    STAC_FIELDS_ALL,     /* no fields asked, or only excludes in a POST without include */
    STAC_FIELDS_LISTED,  /* what include names (or the default set), less what exclude names */
} stac_fields_mode;

typedef struct {
    tiles_scene_query q;
    stac_fields_mode fields_mode;
    char **include, **exclude; /* owned: dotted paths ("properties.datetime") */
    size_t ninclude, nexclude;
} stac_search;

int stac_search_from_query(const query *q, stac_endpoint ep, stac_search *out, err_t *err);
int stac_search_from_json(const json_t *body, stac_search *out, err_t *err);
void stac_search_free(stac_search *s);

/* Documents; base as for tiles_scene_json ("" or the --public-url). */
json_t *stac_landing_json(const tiles_store *st, const char *base);
json_t *stac_conformance_json(void);
json_t *stac_collections_json(const tiles_store *st, const char *base);
json_t *stac_collection_json(const tiles_layer_meta *m, const char *base);
/* The collection of that id (a layer or the --scenes folder), or NULL. */
const tiles_layer_meta *stac_collection_find(const tiles_store *st, const char *id);
json_t *stac_openapi_json(const char *base);

/* The ItemCollection answering s. self is the path searched ("/v1/stac/search"); for a GET,
 * get_query is the request's query (next/prev links repeat it with another token); for a POST
 * (get_query NULL) the next link asks for the same body merged with a new token. collection:
 * the layer for /collections/{id}/items, else NULL. */
json_t *stac_item_collection_json(const tiles_catalogue *c, const stac_search *s,
                                  const char *base, const char *self, const query *get_query,
                                  const char *collection);

/* Apply the fields selection of s to one Item (in place). */
void stac_fields_apply(const stac_search *s, json_t *item);

#endif
