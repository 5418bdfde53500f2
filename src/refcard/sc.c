/* starcitizen.c — Star Citizen binding files (being written: refuses every file for now). */
#include "refcard/games.h"

int sc_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: Star Citizen files are not read yet");
    return -1;
}
