/* il2.c — IL-2 Sturmovik: Great Battles binding files (being written: refuses every file for now). */
#include "refcard/games.h"

int il2_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: IL-2 Sturmovik: Great Battles files are not read yet");
    return -1;
}
