/* bake.c — the `cartouche bake` subcommand: runs each asset baker (map tiles and the place
 * index; the web page's Leaflet copy is fetched by the Makefile); each skips work that is
 * already done. Device drawings are drawn live by the server (47 devices at 1x and 2x would be
 * ~1.5 GB of surfaces, far over the memory budget), so their PNGs are written only when asked
 * (`--device-art`), to look at the art. */
#include "bake/bake.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bake/devart_bake.h"
#include "tiles/tiles.h"

int bake_main(int argc, char **argv)
{
    const char *assets = "assets", *templates = "templates";
    int tiles_only = 0, device_art = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--assets") == 0 && i + 1 < argc)
            assets = argv[++i];
        else if (strcmp(argv[i], "--templates") == 0 && i + 1 < argc)
            templates = argv[++i];
        else if (strcmp(argv[i], "--image") == 0)
            tiles_only = 1; /* adding a user layer touches nothing else */
        else if (strcmp(argv[i], "--device-art") == 0)
            device_art = 1;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/baked", assets);
    mkdir(dir, 0755);
    if (tiles_bake_main(argc, argv) != 0)
        return 1;
    if (tiles_only || !device_art)
        return 0;
    err_t err = {0};
    int n = devart_bake(templates, assets, &err);
    if (n < 0) {
        fprintf(stderr, "cartouche bake: %s\n", err.msg);
        return 1;
    }
    if (n > 0)
        printf("cartouche bake: %d device drawings baked\n", n);
    return 0;
}
