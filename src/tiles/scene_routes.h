/* scene_routes.h — what /v1/scenes/{id}/{file} answers for a scene of a --scenes folder
 * (tiles_route_thumbnail hands those over): original.{ext} the file's own bytes (sendfile; a
 * byte Range is answered, so GDAL's /vsicurl/ reads a COG in parts),
 * original.{pgw,prj,...} the georeferencing files next to it, preview.png the preview the
 * index made of its pixels (transparent outside them), thumbnail.{jpg,png}[?w=&blur=] rendered
 * from that preview on black. */
#ifndef CARTOUCHE_TILES_SCENE_ROUTES_H
#define CARTOUCHE_TILES_SCENE_ROUTES_H

#include "tiles/scenes.h"

typedef struct http_req http_req;

/* ctx: the module's tiles_ctx (the thumbnail job holds the request's catalog, whose store owns
 * the scene). */
void tiles_scene_file_route(http_req *rq, const void *ctx, const tiles_scene *sc, const char *file);

#endif
