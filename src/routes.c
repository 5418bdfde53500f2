/* routes.c — start-up loading and unloading of the feature modules behind the routes. */
#include "routes.h"

int routes_load(const config *cfg, err_t *err)
{
    (void)cfg;
    (void)err;
    return 0;
}

void routes_unload(void)
{
}
