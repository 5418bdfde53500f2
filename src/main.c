/* main.c — the cartouche command: `cartouche [flags]` serves, `cartouche bake` prepares assets,
 * `cartouche scenes index DIR` catalogues raster files for --scenes.
 * Serving registers the catalog's part kinds and the modules' routes, opens the upload store and
 * runs the server, which loads the catalog (and again on SIGHUP). */
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "bake/bake.h"
#include "bake/scenebake.h"
#include "cards/cards.h"
#include "catalog/catalog.h"
#include "http/router.h"
#include "http/server.h"
#include "refcards/refcards.h"
#include "refcards/refdata.h"
#include "refcards/uploads.h"
#include "tiles/tiles.h"
#include "util/config.h"
#include "util/log.h"
#include "web/web.h"

/* The running process's state, on serve()'s stack: the catalog's part kinds (each product's
 * slot in its context), the current catalog (on the I/O loop: swapped by SIGHUP, a reference
 * held by every request and job that reads it) and the upload store. */
typedef struct {
    catalog_kinds kinds;
    catalog *current;
    cards_ctx cards;
    refcards_ctx refcards;
    tiles_ctx tiles;
    web_ctx web;
} app;

/* The server's http_reload_ops over the catalog. */
static void *app_catalog_build(void *ctx, const config *cfg, err_t *err)
{
    return catalog_load(&((app *)ctx)->kinds, cfg, err);
}

static void app_catalog_swap(void *ctx, void *data)
{
    app *a = ctx;
    catalog *old = a->current;
    a->current = data;
    if (data)
        log_msg("info", "catalog %lu in use", catalog_generation(data));
    catalog_unref(old);
}

static void *app_catalog_hold(void *ctx)
{
    return catalog_ref(((app *)ctx)->current);
}

static void app_catalog_release(void *held)
{
    catalog_unref(held);
}

static int serve(const config *cfg)
{
    app a = {0};
    router *r = router_new();
    int rc = 1;
    if (!r) {
        log_msg("error", "out of memory");
        goto out;
    }
    a.cards.templates = catalog_kinds_add(&a.kinds, &templates_part_ops);
    a.refcards.data = catalog_kinds_add(&a.kinds, &refcards_part_ops);
    a.tiles.store = catalog_kinds_add(&a.kinds, &tiles_part_ops);
    a.web.files = catalog_kinds_add(&a.kinds, &web_part_ops);
    if (cards_register(r, &a.cards) < 0 || refcards_register(r, &a.refcards) < 0 ||
        tiles_register(r, &a.tiles) < 0 || web_register(r, &a.web) < 0) {
        log_msg("error", "too many routes");
        goto out;
    }
    /* One store connection per worker, counted as the server counts workers. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = cfg->threads > 0 ? cfg->threads : cores > 0 ? (int)cores : 2;
    err_t err = {0};
    if (!(a.refcards.store = uploads_open(cfg->db_path, workers, &err))) {
        log_msg("error", "%s", err.msg);
        rc = 2;
        goto out;
    }
    http_reload_ops reload = {app_catalog_build, app_catalog_swap, app_catalog_hold, app_catalog_release, &a};
    rc = server_run(cfg, r, &reload);
out:
    uploads_close(a.refcards.store);
    router_free(r);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "bake") == 0)
        return bake_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "scenes") == 0)
        return scenes_main(argc - 1, argv + 1);
    config cfg;
    config_defaults(&cfg);
    err_t err = {0};
    int rc = config_from_args(&cfg, argc - 1, argv + 1, &err);
    if (rc == 1) {
        config_usage(stdout);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "cartouche: %s\n", err.msg);
        config_usage(stderr);
        return 2;
    }
    return serve(&cfg);
}
