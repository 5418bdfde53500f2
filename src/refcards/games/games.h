/* games.h — the game registry for controller reference cards: which games we read, how a
 * binding file's game is recognised from its content, the dispatch to each game's parser,
 * and the per-game tables (action labels, contexts, key names) loaded from
 * templates/games/<id>.json at start-up.
 *
 * Games: "elite" (Elite Dangerous .binds), "msfs2020" (Microsoft Flight Simulator 2020
 * input profile XML), "squadrons" (Star Wars: Squadrons ProfileOptions .profile), "dcs"
 * (DCS World Config/Input/<aircraft>/<device>/<name>.diff.lua), "starcitizen"
 * (actionmaps.xml and exported layouts), "bms" (Falcon BMS .key + DeviceSorting.txt),
 * "il2" (IL-2 Great Battles global.actions + devices.txt).
 *
 * An upload is a bundle of files (one raw body, several multipart parts, or a zip's
 * entries). Each file is recognised on its own; companion files that only complete another
 * (BMS DeviceSorting.txt, IL-2 devices.txt) are read by that game's parser through the
 * bundle. Entries that cannot be read become warnings; only a bundle from which nothing can
 * be read is refused. */
#ifndef CARTOUCHE_GAMES_H
#define CARTOUCHE_GAMES_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"
#include "refcards/bindings.h"

/* Most bindings one file may yield; a real profile has a few hundred. */
#define GAMES_MAX_BINDINGS 5000
/* Most bindings one upload may yield (a whole DCS Config/Input folder of many aircraft). */
#define GAMES_MAX_UPLOAD_BINDINGS 20000

/* The loaded game tables: immutable, read by any thread; one of the refcards catalog part's
 * pieces (refcards.h), replaced as a whole on SIGHUP. */
typedef struct games_registry games_registry;

/* Load and validate every <games_dir>/<id>.json. NULL + ERR_CONFIG naming the file and the
 * reason on failure. */
games_registry *games_load(const char *games_dir, err_t *err);
void games_free(games_registry *g);
/* SHA-256 (hex) of every game table loaded: a part of every card's cache key, so that a fixed
 * label reaches cards already cached. "" for NULL. */
const char *games_digest(const games_registry *g);

/* One file of an upload: its name as uploaded (a zip entry keeps its path inside the zip,
 * "Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {…}.diff.lua"; "" if unnamed). */
typedef struct {
    const char *name;
    const char *data;
    size_t len;
} games_file;

typedef struct {
    const games_file *files;
    size_t n;
} games_bundle;

/* The bundle's file whose base name (after the last '/' or '\\') equals base, compared
 * without case; NULL if none. bundle may be NULL. */
const games_file *games_bundle_find(const games_bundle *bundle, const char *base);
/* The part of a file name after its last '/' or '\\' (zips from Windows use either). */
const char *games_base_name(const char *path);

/* Parse every file of an upload into one set: game recognised per file (or forced), files of
 * another game than the first recognised one, unrecognised files and unreadable entries
 * become warnings. Errors: ERR_BAD_PARAM ("game") as games_parse; ERR_UNPROCESSABLE when no
 * file yields anything (with a single file, that file's own "line N: reason"). */
int games_parse_bundle(const games_registry *g, const char *game_or_null, const games_bundle *bundle,
                       binding_set *out, err_t *err);

/* Parse a binding file. game_or_null: a game id or alias to force, or NULL to recognise the
 * game from the content. Fills out (game, game_name, profile, items); the caller frees it
 * with bindings_free(). Errors: ERR_BAD_PARAM (param "game") for an unknown game;
 * ERR_UNPROCESSABLE "line N: reason" for an empty, truncated, malformed or unrecognised
 * file or one with more than GAMES_MAX_BINDINGS bindings. */
int games_parse(const games_registry *g, const char *game_or_null, const char *data, size_t len,
                binding_set *out, err_t *err);
/* Same, with the uploaded file's name when known: DCS keeps the device name only in the
 * file name ("Joystick - HOTAS Warthog {GUID}.diff.lua"). filename may be NULL. */
int games_parse_named(const games_registry *g, const char *game_or_null, const char *filename,
                      const char *data, size_t len, binding_set *out, err_t *err);

/* The game id a file's content looks like, or NULL (err says why: empty, DTD, unknown). */
const char *games_detect(const games_registry *g, const char *data, size_t len, err_t *err);

/* Human label of an action: the game's table, else a readable split of the identifier
 * ("LandingGearToggle" -> "Landing Gear Toggle", "UI_Toggle_Map" -> "UI Toggle Map").
 * Never blank. Returns buf. g or game may be NULL (split only). */
const char *games_action_label(const games_registry *g, const char *game, const char *action_id,
                               char *buf, size_t n);

/* GET /v1/games: [{"id","name","aliases","extensions","notes","actions"}...] (new ref). */
json_t *games_list_json(const games_registry *g);

/* Display name of a game id ("Elite Dangerous"), or NULL if unknown. */
const char *games_name(const games_registry *g, const char *game);

/* ---- for the parsers ---- */

/* Entry in one of a game's name tables ("keys": game key name -> normalised key id,
 * "pad": gamepad control name -> "pad:NAME" suffix, ...), or NULL. Parsers pass out->games
 * (the registry games_parse_bundle parses with). */
const char *games_lookup(const games_registry *g, const char *game, const char *table, const char *name);

/* Fill b->action (table label or split) and, when the parser left it empty, b->context
 * (the game's "contexts" table, then its "context_rules", then "default_context"); a
 * context the file itself named is mapped through "context_names" when listed. */
void games_label_binding(const games_registry *g, const char *game, binding *b);

/* Each parser: file f (data of f->len bytes, not NUL-terminated; f->name may be "") of the
 * upload bundle (siblings reachable with games_bundle_find; bundle may hold only f). out is
 * empty on entry and its cur_file is set: an entry that cannot be read is skipped with
 * bindings_warn(); -1 + err (ERR_UNPROCESSABLE "line N: reason") only when the file as a
 * whole cannot be read as this game's bindings. */
typedef int (*games_parser_fn)(const games_bundle *bundle, const games_file *f, binding_set *out,
                               err_t *err);
int elite_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int msfs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int squadrons_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int dcs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int sc_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int bms_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);
int il2_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err);

#endif
