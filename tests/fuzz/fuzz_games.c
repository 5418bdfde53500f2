/* fuzz_games.c — the binding-file parsers behind POST /v1/refcards: Elite Dangerous .binds,
 * MSFS 2020 XML, Star Wars: Squadrons .profile, DCS .diff.lua, Star Citizen actionmaps, Falcon
 * BMS .key (+ DeviceSorting.txt), IL-2 global.actions (+ devices.txt), the text decoding and
 * the content sniffing that picks one. The first byte picks the game (low 3 bits 0..6 forced,
 * 7 auto-detect); with bit 0x08 set the rest is split at "\n====\n" into up to four files of
 * a bundle named like a BMS or IL-2 pair and a DCS folder; with bit 0x10 set the first line is
 * the first file's name (DCS reads the device and the aircraft from it). Invariants: a refused upload says
 * why; an accepted one has a game and at most GAMES_MAX_UPLOAD_BINDINGS bindings, each with an action
 * label and a control, and warnings with a reason. */
#include <string.h>

#include "fuzz_util.h"
#include "refcards/games/games.h"

static games_registry *GT; /* the game tables under test */

static const char *const games[] = {"elite", "msfs2020", "squadrons", "dcs", "starcitizen", "bms", "il2"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/templates/games", fuzz_root());
    err_t err = {0};
    if (!(GT = games_load(dir, &err))) {
        fprintf(stderr, "fuzz_games: %s (set CARTOUCHE_ROOT to the repository)\n", err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    const char *game = (data[0] & 7) < 7 ? games[data[0] & 7] : NULL;
    /* DCS keeps the device in the file name; give it a realistic one. */
    static const char *const names[] = {
        "Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {CCBCFA00-0000-0000-0000-504944564944}.diff.lua",
        "DeviceSorting.txt", "devices.txt", "global.actions"};
    games_file files[4];
    size_t n = 0;
    const char *p = (const char *)data + 1, *end = (const char *)data + len;
    char fuzzed_name[512];
    const char *first_name = names[0];
    if (data[0] & 0x10) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (l >= sizeof fuzzed_name)
            l = sizeof fuzzed_name - 1;
        memcpy(fuzzed_name, p, l);
        fuzzed_name[l] = 0;
        first_name = fuzzed_name;
        p = nl ? nl + 1 : end;
    }
    if (data[0] & 8) {
        while (n < 3) {
            const char *sep = memmem(p, (size_t)(end - p), "\n====\n", 6);
            if (!sep)
                break;
            files[n] = (games_file){n ? names[n] : first_name, p, (size_t)(sep - p)};
            n++;
            p = sep + 6;
        }
    }
    files[n] = (games_file){n ? names[n] : first_name, p, (size_t)(end - p)};
    n++;
    games_bundle bundle = {files, n};
    binding_set set = {0};
    err_t err = {0};
    if (games_parse_bundle(GT, game, &bundle, &set, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
        bindings_free(&set);
        return 0;
    }
    FUZZ_CHECK(set.game != NULL && set.game[0]);
    FUZZ_CHECK(set.n <= GAMES_MAX_UPLOAD_BINDINGS);
    for (size_t i = 0; i < set.n; i++) {
        FUZZ_CHECK(set.items[i].action[0] != 0);
        FUZZ_CHECK(set.items[i].input.control[0] != 0);
    }
    for (size_t i = 0; i < set.n_warnings; i++)
        FUZZ_CHECK(set.warnings[i].why[0] != 0);
    bindings_free(&set);
    return 0;
}
