/* bms.c — Falcon BMS binding files (being written: refuses every file for now). */
#include "refcard/games.h"

int bms_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: Falcon BMS files are not read yet");
    return -1;
}
