/* gdalapi.c — loading libgdal with dlopen and resolving the functions gdalapi.h lists. */
#include "tiles/gdalapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct {
    tiles_gdal_api api;
    const char *missing; /* why it could not be loaded */
} gdal;
static pthread_once_t gdal_once = PTHREAD_ONCE_INIT;

const tiles_gdal_api *tiles_gdal(void)
{
    return &gdal.api;
}

static void gdal_init(void)
{
    static const char *const names[] = {"libgdal.so", "libgdal.so.36", "libgdal.so.35",
                                        "libgdal.so.34", "libgdal.so.33", "libgdal.so.32",
                                        "libgdal.so.31", "libgdal.so.30"};
    void *h = NULL;
    for (size_t i = 0; !h && i < sizeof names / sizeof names[0]; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        gdal.missing = "libgdal is not installed (Debian: libgdal32)";
        return;
    }
#define LOAD(ret, name, args)                                                                      \
    if (!(*(void **)&gdal.api.name = dlsym(h, #name))) {                                               \
        gdal.missing = "libgdal lacks " #name;                                                     \
        return;                                                                                    \
    }
    GDAL_FUNCS(LOAD)
    gdal.api.GDALAllRegister();
    gdal.api.CPLSetErrorHandler(gdal.api.CPLQuietErrorHandler); /* errors are reported through err_t */
}

int tiles_gdal_load(err_t *err)
{
    pthread_once(&gdal_once, gdal_init);
    if (gdal.missing) {
        err_set(err, ERR_CONFIG, NULL, "GDAL: %s", gdal.missing);
        return -1;
    }
    return 0;
}
