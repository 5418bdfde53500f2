/* devart_bake.h — writes the device drawings to PNG (`cartouche bake --device-art`). */
#ifndef CARTOUCHE_BAKE_DEVART_BAKE_H
#define CARTOUCHE_BAKE_DEVART_BAKE_H

#include "util/err.h"

/* Bake <assets_dir>/<background> and its @2x twin for every device of templates_dir/devices,
 * skipping those newer than their JSON. Returns the number baked, or -1 + err. */
int devart_bake(const char *templates_dir, const char *assets_dir, err_t *err);

#endif
