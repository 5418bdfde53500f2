/* stac_routes.h — the STAC API's routes (I/O loop); what each answers is stac.h.
 * Patterns and captures:
 *   stac_route_landing     /v1/stac
 *   stac_route_search      /v1/stac/search                    GET and POST
 *   stac_route_resource    /v1/stac/ *                        0 "conformance" | "collections" | "api"
 *   stac_route_collection  /v1/stac/collections/ *            0 collection id
 *   stac_route_items       /v1/stac/collections/ * / *        0 collection id, 1 "items"
 *   stac_route_item        /v1/stac/collections/ * / * / *    0 collection id, 1 "items", 2 item id
 * tiles_route_scenes (/v1/scenes) answers through stac_reply_search too. */
#ifndef CARTOUCHE_TILES_STAC_ROUTES_H
#define CARTOUCHE_TILES_STAC_ROUTES_H

#include "http/router.h"
#include "tiles/tiles.h"
#include "tiles/tilestore.h"

int stac_register(router *r, tiles_ctx *ctx);

/* The tiles store the request was dispatched with (ctx: the module's tiles_ctx). */
const tiles_store *tiles_store_of(const http_req *rq, const void *ctx);

/* GET search of /v1/scenes (legacy = 1: its defaults) or /v1/stac/search; self is the path. */
void stac_reply_search(http_req *rq, const void *ctx, int legacy, const char *self);

#endif
