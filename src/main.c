/* main.c — the cartouche command: `cartouche [flags]` serves, `cartouche bake` prepares assets,
 * `cartouche scenes index DIR` catalogues raster files for --scenes.
 * Serving wires the modules into the router, loads their data and runs the server. */
#include <stdio.h>
#include <string.h>

#include "bake/bake.h"
#include "bake/scenebake.h"
#include "cards/cards.h"
#include "http/router.h"
#include "http/server.h"
#include "refcards/refcards.h"
#include "tiles/tiles.h"
#include "tiles/tilestore.h"
#include "util/config.h"
#include "util/log.h"
#include "web/web.h"

static int serve(const config *cfg)
{
    err_t err = {0};
    router *r = router_new();
    cards *c = cards_new();
    int rc = 1;
    if (!r || !c) {
        log_msg("error", "out of memory");
        goto out;
    }
    if (cards_register(r, c) < 0 || refcards_register(r) < 0 || tiles_register(r) < 0 ||
        web_register(r) < 0) {
        log_msg("error", "too many routes");
        goto out;
    }
    rc = 2;
    for (int i = 0; i < cfg->n_layers; i++)
        if (tiles_store_add_archive(cfg->layers[i], &err) < 0) {
            log_msg("error", "%s", err.msg);
            goto out;
        }
    if (cfg->scenes_dir[0] && tiles_store_set_scenes_dir(cfg->scenes_dir, &err) < 0) {
        log_msg("error", "%s", err.msg);
        goto out;
    }
    if (refcards_load(cfg, &err) < 0 || tiles_load(cfg->assets_dir, &err) < 0 ||
        web_load("web", cfg->assets_dir, &err) < 0) {
        log_msg("error", "%s", err.msg);
        goto unload;
    }
    http_reload_ops reload = {cards_reload_build, cards_reload_swap, c};
    rc = server_run(cfg, r, &reload);
unload:
    web_unload();
    tiles_unload();
    refcards_unload();
out:
    cards_free(c);
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
