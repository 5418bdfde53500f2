/* modules.h — the route table entries of every feature module and their start-up loading.
 * server.c owns the table; each module's handlers are listed here so the table stays in one
 * place that a reader can scan. Patterns: "*" captures one path segment. */
#ifndef CARTOUCHE_ROUTES_H
#define CARTOUCHE_ROUTES_H

#include "util/config.h"
#include "http/server.h"
#include "tiles/stac_routes.h"
#include "tiles/tiles.h"

/* cards.c — templated cards */
void cards_route_list(http_req *rq);     /* GET /v1/templates */
void cards_route_describe(http_req *rq); /* GET /v1/templates/{name} */
void cards_route_card(http_req *rq);     /* GET/HEAD/POST /v1/cards/{template}.{jpg,png,pdf} */

/* refcards.c — controller reference cards */
int refcards_load(const config *cfg, err_t *err);
void refcards_unload(void);
void refcards_route_upload(http_req *rq);  /* POST /v1/refcards */
void refcards_route_summary(http_req *rq); /* GET /v1/refcards/{id} */
void refcards_route_card(http_req *rq);    /* GET /v1/refcards/{id}/{device}.{jpg,png,pdf} */
void refcards_route_devices(http_req *rq); /* GET /v1/devices */
void refcards_route_games(http_req *rq);   /* GET /v1/games */

/* web.c — the page at / and its static files */
int web_load(const char *web_dir, const char *assets_dir, err_t *err);
void web_unload(void);
void web_route_file(http_req *rq);

#define GH (HTTP_M_GET | HTTP_M_HEAD)
#define ROUTES_TABLE                                                                   \
    {GH, "/", web_route_file, "web", 0},                                                \
    {GH, "/static/*", web_route_file, "web", 0},                                        \
    {GH, "/static/*/*", web_route_file, "web", 0},                                      \
    {GH, "/static/*/*/*", web_route_file, "web", 0},                                    \
    {GH, "/v1/templates", cards_route_list, "templates", 0},                            \
    {GH, "/v1/templates/*", cards_route_describe, "templates", 0},                      \
    {GH | HTTP_M_POST, "/v1/cards/*", cards_route_card, "cards", 0},                    \
    {HTTP_M_POST, "/v1/refcards", refcards_route_upload, "refcards_upload", 0},         \
    {GH, "/v1/refcards/*", refcards_route_summary, "refcards", 0},                      \
    {GH, "/v1/refcards/*/*", refcards_route_card, "refcards_card", 0},                  \
    {GH, "/v1/devices", refcards_route_devices, "devices", 0},                          \
    {GH, "/v1/games", refcards_route_games, "games", 0},                                \
    {GH, "/v1/tiles/*/*/*/*", tiles_route_tile, "tiles", 0},                            \
    {GH, "/v1/tiles/*", tiles_route_tilejson, "tilejson", 0},                           \
    {GH, "/v1/static", tiles_route_static, "static", 0},                                \
    {GH, "/v1/scenes", tiles_route_scenes, "scenes", 0},                                \
    {GH, "/v1/scenes/*/*", tiles_route_thumbnail, "scenes_thumbnail", 0},              \
    {GH, "/v1/stac", stac_route_landing, "stac", 0},                                    \
    {GH | HTTP_M_POST, "/v1/stac/search", stac_route_search, "stac_search", 0},         \
    {GH, "/v1/stac/*", stac_route_resource, "stac", 0},                                 \
    {GH, "/v1/stac/collections/*", stac_route_collection, "stac", 0},                   \
    {GH, "/v1/stac/collections/*/*", stac_route_items, "stac_items", 0},                \
    {GH, "/v1/stac/collections/*/*/*", stac_route_item, "stac", 0},

/* Load the feature modules' data at start-up (after templates); -1 with err stops the server. */
int routes_load(const config *cfg, err_t *err);
void routes_unload(void);

#endif
