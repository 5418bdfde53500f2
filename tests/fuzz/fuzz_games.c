/* fuzz_games.c — the binding-file parsers behind POST /v1/refcards: Elite Dangerous .binds,
 * MSFS 2020 XML, Star Wars: Squadrons .profile, DCS .diff.lua, and the content sniffing that
 * picks one. The first byte picks the game (0..3 forced, anything else auto-detect), the rest
 * is the file. Invariants: a refused file says why; an accepted one has a game and at most
 * GAMES_MAX_BINDINGS bindings, each with an action label and a control. */
#include "fuzz_util.h"
#include "refcard/games.h"

static const char *const games[] = {"elite", "msfs2020", "squadrons", "dcs"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/templates/games", fuzz_root());
    err_t err = {0};
    if (games_load(dir, &err) < 0) {
        fprintf(stderr, "fuzz_games: %s (set CARTOUCHE_ROOT to the repository)\n", err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    const char *game = data[0] < 4 ? games[data[0]] : NULL;
    /* DCS keeps the device in the file name; give it a realistic one. */
    const char *filename = "Joystick - HOTAS Warthog {CCBCFA00-0000-0000-0000-504944564944}.diff.lua";
    binding_set set = {0};
    err_t err = {0};
    if (games_parse_named(game, filename, (const char *)data + 1, len - 1, &set, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
        bindings_free(&set);
        return 0;
    }
    FUZZ_CHECK(set.game != NULL && set.game[0]);
    FUZZ_CHECK(set.n <= GAMES_MAX_BINDINGS);
    for (size_t i = 0; i < set.n; i++) {
        FUZZ_CHECK(set.items[i].action[0] != 0);
        FUZZ_CHECK(set.items[i].input.control[0] != 0);
    }
    bindings_free(&set);
    return 0;
}
