/* main.c — the cartouche command: `cartouche [flags]` serves, `cartouche bake` prepares assets. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "bake/bake.h"
#include "util/config.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "bake") == 0)
        return bake_main(argc - 1, argv + 1);
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
    return server_run(&cfg);
}
