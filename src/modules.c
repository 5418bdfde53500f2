/* modules.c — start-up loading and unloading of the feature modules behind the routes. */
#include "modules.h"

#include <stdio.h>

int routes_load(const config *cfg, err_t *err)
{
    if (refcards_load(cfg, err) < 0 || tiles_load(cfg->assets_dir, err) < 0)
        return -1;
    return web_load("web", cfg->assets_dir, err);
}

void routes_unload(void)
{
    web_unload();
    tiles_unload();
    refcards_unload();
}
