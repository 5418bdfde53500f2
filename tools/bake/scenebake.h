/* scenebake.h — `cartouche scenes index DIR`: a folder of raster files catalogued as STAC scenes
 * for --scenes (the index's format and loading: tiles/sceneindex.h). */
#ifndef CARTOUCHE_BAKE_SCENEBAKE_H
#define CARTOUCHE_BAKE_SCENEBAKE_H

#include "util/err.h"

/* argv[0] is "scenes"; `scenes index DIR...` or `scenes --help`. Returns the exit status. */
int scenes_main(int argc, char **argv);

/* Index dir (update DIR/.cartouche-scenes); the number of scenes indexed, or -1 + err when the
 * folder cannot be read or the index written. Skipped files are logged, not errors. */
long scenes_index_update(const char *dir, err_t *err);

#endif
