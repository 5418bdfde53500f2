/* web.h — the web page at / and its static files, read into memory as the web part of the
 * catalog (at start-up and on SIGHUP). */
#ifndef CARTOUCHE_WEB_H
#define CARTOUCHE_WEB_H

#include "catalog/catalog.h"
#include "http/router.h"
#include "util/err.h"

/* The files of web_dir (the page, served at / and /static/) and of the baked Leaflet copy under
 * assets_dir/baked/web/leaflet; NULL + err naming a file that cannot be read. */
typedef struct web_files web_files;
web_files *web_files_load(const char *web_dir, const char *assets_dir, err_t *err);
void web_files_free(web_files *wf);

/* The catalog kind: web/ (relative to the working directory) and cfg->assets_dir's Leaflet. */
extern const catalog_part_ops web_part_ops;

/* The module's context: the catalog slot of its part. */
typedef struct {
    int files;
} web_ctx;

/* GET / and /static/... */
int web_register(router *r, web_ctx *ctx);

#endif
