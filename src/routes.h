/* routes.h — the route table entries of every feature module and their start-up loading.
 * server.c owns the table; each module's handlers are listed here so the table stays in one
 * place that a reader can scan. Patterns: "*" captures one path segment. */
#ifndef CARTOUCHE_ROUTES_H
#define CARTOUCHE_ROUTES_H

#include "config.h"
#include "server.h"

void cards_route_list(http_req *rq);     /* GET /v1/templates */
void cards_route_describe(http_req *rq); /* GET /v1/templates/{name} */
void cards_route_card(http_req *rq);     /* GET/HEAD/POST /v1/cards/{template}.{jpg,png,pdf} */

#define ROUTES_TABLE                                                                        \
    {HTTP_M_GET | HTTP_M_HEAD, "/v1/templates", cards_route_list, "templates", 0},          \
    {HTTP_M_GET | HTTP_M_HEAD, "/v1/templates/*", cards_route_describe, "templates", 0},    \
    {HTTP_M_GET | HTTP_M_HEAD | HTTP_M_POST, "/v1/cards/*", cards_route_card, "cards", 0},

/* Load the feature modules' data at start-up (after templates); -1 with err stops the server. */
int routes_load(const config *cfg, err_t *err);
void routes_unload(void);

#endif
