/* games.c — the game registry: loads and validates templates/games/<id>.json (labels,
 * contexts, key names, detection signatures), recognises a binding file's game from its
 * content, dispatches to that game's parser, and turns action identifiers into labels. */
#include "refcards/games/games.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/games/refxml.h"
#include "refcards/textenc.h"
#include "util/sha256.h"

/* The parsers that exist; each needs its templates/games/<id>.json. */
static const struct {
    const char *id;
    games_parser_fn parse;
} parsers[] = {
    {"elite", elite_parse},
    {"msfs2020", msfs_parse},
    {"squadrons", squadrons_parse},
    {"dcs", dcs_parse},
    {"starcitizen", sc_parse},
    {"bms", bms_parse},
    {"il2", il2_parse},
};
#define N_PARSERS (sizeof parsers / sizeof parsers[0])

/* One table per parser, loaded together; read-only afterwards (jansson lookups do not mutate). */
struct games_registry {
    json_t *docs[N_PARSERS];
    char digest[65];
};

static int parser_index(const char *id)
{
    for (size_t i = 0; i < N_PARSERS; i++)
        if (strcmp(parsers[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Index of a game id or alias, -1 if none. */
static int game_index(const games_registry *g, const char *game)
{
    if (!g || !game)
        return -1;
    int i = parser_index(game);
    if (i >= 0)
        return i;
    for (size_t k = 0; k < N_PARSERS; k++) {
        json_t *aliases = json_object_get(g->docs[k], "aliases");
        size_t j;
        json_t *a;
        json_array_foreach(aliases, j, a) if (strcasecmp(json_string_value(a), game) == 0) return (int)k;
    }
    return -1;
}

static json_t *game_doc(const games_registry *g, const char *game)
{
    int i = game_index(g, game);
    return i >= 0 ? g->docs[i] : NULL;
}

/* ---- loading ---- */

static int check_string_map(json_t *doc, const char *field, int required, const char *path,
                            err_t *err)
{
    json_t *m = json_object_get(doc, field);
    if (!m) {
        if (required) {
            err_set(err, ERR_CONFIG, NULL, "%s: missing \"%s\"", path, field);
            return -1;
        }
        return 0;
    }
    if (!json_is_object(m)) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"%s\" must be an object", path, field);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: \"%s\".\"%s\" must be a non-empty string", path,
                    field, k);
            return -1;
        }
    }
    return 0;
}

static int check_string_list(json_t *doc, const char *field, const char *path, err_t *err)
{
    json_t *a = json_object_get(doc, field);
    if (!a)
        return 0;
    size_t i;
    json_t *v;
    if (!json_is_array(a))
        goto bad;
    json_array_foreach(a, i, v) if (!json_is_string(v) || json_string_length(v) == 0) goto bad;
    return 0;
bad:
    err_set(err, ERR_CONFIG, NULL, "%s: \"%s\" must be a list of non-empty strings", path, field);
    return -1;
}

/* A normalised key id is a bare identifier ("LeftShift", "Numpad7", "F12"). */
static int valid_key_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s))
            return 0;
    return 1;
}

static int validate_game(json_t *doc, const char *id, const char *path, err_t *err)
{
    if (!json_is_object(doc)) {
        err_set(err, ERR_CONFIG, NULL, "%s: top level must be an object", path);
        return -1;
    }
    const char *doc_id = json_string_value(json_object_get(doc, "id"));
    if (!doc_id || strcmp(doc_id, id) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"id\" must be \"%s\" (the file name)", path, id);
        return -1;
    }
    const char *name = json_string_value(json_object_get(doc, "name"));
    if (!name || !*name) {
        err_set(err, ERR_CONFIG, NULL, "%s: missing \"name\"", path);
        return -1;
    }
    if (check_string_map(doc, "actions", 1, path, err) < 0 ||
        check_string_map(doc, "contexts", 0, path, err) < 0 ||
        check_string_map(doc, "context_names", 0, path, err) < 0 ||
        check_string_map(doc, "keys", 0, path, err) < 0 ||
        check_string_map(doc, "pad", 0, path, err) < 0 ||
        check_string_map(doc, "axes", 0, path, err) < 0 ||
        check_string_list(doc, "aliases", path, err) < 0 ||
        check_string_list(doc, "extensions", path, err) < 0 ||
        check_string_list(doc, "strip_prefixes", path, err) < 0 ||
        check_string_list(doc, "companions", path, err) < 0)
        return -1;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(doc, "keys"), k, v) if (!valid_key_id(json_string_value(v)))
    {
        err_set(err, ERR_CONFIG, NULL, "%s: key \"%s\" maps to \"%s\", not a key id", path, k,
                json_string_value(v));
        return -1;
    }
    json_t *rules = json_object_get(doc, "context_rules");
    size_t i;
    json_t *r;
    if (rules && !json_is_array(rules)) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"context_rules\" must be a list", path);
        return -1;
    }
    json_array_foreach(rules, i, r)
    {
        int matchers = !!json_is_string(json_object_get(r, "prefix")) +
                       !!json_is_string(json_object_get(r, "suffix")) +
                       !!json_is_string(json_object_get(r, "contains"));
        if (matchers != 1 || !json_is_string(json_object_get(r, "context"))) {
            err_set(err, ERR_CONFIG, NULL,
                    "%s: context_rules[%zu] needs one of prefix/suffix/contains and a context",
                    path, i);
            return -1;
        }
    }
    json_t *detect = json_object_get(doc, "detect");
    if (!json_is_object(detect) || json_object_size(detect) == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"detect\" must name xml_root, line_prefix or contains",
                path);
        return -1;
    }
    if (check_string_list(detect, "xml_root", path, err) < 0 ||
        check_string_list(detect, "line_prefix", path, err) < 0 ||
        check_string_list(detect, "contains", path, err) < 0)
        return -1;
    return 0;
}

games_registry *games_load(const char *games_dir, err_t *err)
{
    json_t *docs[N_PARSERS] = {0};
    DIR *d = opendir(games_dir);
    if (!d) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot open the game tables directory", games_dir);
        return NULL;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char id[64], path[1024];
        if (nl - 5 >= sizeof id)
            continue;
        memcpy(id, de->d_name, nl - 5);
        id[nl - 5] = 0;
        snprintf(path, sizeof path, "%s/%s", games_dir, de->d_name);
        int i = parser_index(id);
        if (i < 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: no parser for a game called \"%s\"", path, id);
            goto fail;
        }
        json_error_t je;
        json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
        if (!doc) {
            err_set(err, ERR_CONFIG, NULL, "%s: line %d: %s", path, je.line, je.text);
            goto fail;
        }
        if (validate_game(doc, id, path, err) < 0) {
            json_decref(doc);
            goto fail;
        }
        docs[i] = doc;
    }
    for (size_t i = 0; i < N_PARSERS; i++)
        if (!docs[i]) {
            err_set(err, ERR_CONFIG, NULL, "%s/%s.json: missing (the %s parser needs its table)",
                    games_dir, parsers[i].id, parsers[i].id);
            goto fail;
        }
    closedir(d);
    sha256_ctx h;
    sha256_init(&h);
    for (size_t i = 0; i < N_PARSERS; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", games_dir, parsers[i].id);
        if (sha256_update_file(&h, path) < 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: cannot be read again", path);
            goto freedocs;
        }
    }
    games_registry *g = calloc(1, sizeof *g);
    if (!g) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto freedocs;
    }
    sha256_final_hex(&h, g->digest);
    memcpy(g->docs, docs, sizeof docs);
    return g;
fail:
    closedir(d);
freedocs:
    for (size_t i = 0; i < N_PARSERS; i++)
        json_decref(docs[i]);
    return NULL;
}

void games_free(games_registry *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < N_PARSERS; i++)
        json_decref(g->docs[i]);
    free(g);
}

const char *games_digest(const games_registry *g)
{
    return g ? g->digest : "";
}

/* ---- lookups ---- */

const char *games_name(const games_registry *g, const char *game)
{
    return json_string_value(json_object_get(game_doc(g, game), "name"));
}

const char *games_lookup(const games_registry *g, const char *game, const char *table, const char *name)
{
    return json_string_value(json_object_get(json_object_get(game_doc(g, game), table), name));
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static const char *context_of(json_t *doc, const char *action_id)
{
    const char *c = json_string_value(json_object_get(json_object_get(doc, "contexts"), action_id));
    if (c)
        return c;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "context_rules"), i, r)
    {
        const char *p;
        if (((p = json_string_value(json_object_get(r, "prefix"))) &&
             strncmp(action_id, p, strlen(p)) == 0) ||
            ((p = json_string_value(json_object_get(r, "suffix"))) && has_suffix(action_id, p)) ||
            ((p = json_string_value(json_object_get(r, "contains"))) && strstr(action_id, p)))
            return json_string_value(json_object_get(r, "context"));
    }
    return json_string_value(json_object_get(doc, "default_context"));
}

void games_label_binding(const games_registry *g, const char *game, binding *b)
{
    json_t *doc = game_doc(g, game);
    if (!b->action[0])
        games_action_label(g, game, b->action_id, b->action, sizeof b->action);
    if (b->context[0]) {
        const char *c =
            json_string_value(json_object_get(json_object_get(doc, "context_names"), b->context));
        if (c)
            snprintf(b->context, sizeof b->context, "%s", c);
    } else {
        const char *c = context_of(doc, b->action_id);
        snprintf(b->context, sizeof b->context, "%s", c ? c : "");
    }
}

/* ---- labels ---- */

/* Append one word to buf, with a space before all but the first; all-capitals identifiers
 * (MSFS "KEY_GEAR_TOGGLE") read better in title case, except short acronyms ("AP"). */
static void put_word(char *buf, size_t n, size_t *len, const char *w, size_t wl, int shouting)
{
    if (wl == 0)
        return;
    if (*len && *len + 1 < n)
        buf[(*len)++] = ' ';
    for (size_t i = 0; i < wl && *len + 1 < n; i++) {
        char c = w[i];
        if (shouting && wl > 2 && i > 0)
            c = (char)tolower((unsigned char)c);
        buf[(*len)++] = c;
    }
    buf[*len] = 0;
}

const char *games_action_label(const games_registry *g, const char *game, const char *action_id,
                               char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = 0;
    if (!action_id || !*action_id) {
        snprintf(buf, n, "Unnamed action");
        return buf;
    }
    json_t *doc = game_doc(g, game);
    const char *label = json_string_value(json_object_get(json_object_get(doc, "actions"), action_id));
    if (label) {
        snprintf(buf, n, "%s", label);
        return buf;
    }
    const char *id = action_id;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(doc, "strip_prefixes"), i, p)
    {
        const char *s = json_string_value(p);
        size_t sl = strlen(s);
        if (strncmp(id, s, sl) == 0 && id[sl]) {
            id += sl;
            break;
        }
    }
    int shouting = 1;
    for (const char *s = id; *s; s++)
        if (islower((unsigned char)*s))
            shouting = 0;

    size_t len = 0;
    const char *w = id;
    for (const char *s = id;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == 0 || c == '_' || c == '-' || c == ' ' || c == '.') {
            put_word(buf, n, &len, w, (size_t)(s - w), shouting);
            if (!c)
                break;
            w = s + 1;
            continue;
        }
        if (s == w)
            continue;
        unsigned char prev = (unsigned char)s[-1], next = (unsigned char)s[1];
        /* CamelCase: "GearToggle", "UIFocus" (break before the F), "SetSpeed25"; in capitals
         * "THROTTLE1" -> "Throttle 1" but "N1" stays whole. */
        int brk = (islower(prev) && isupper(c)) ||
                  (isupper(prev) && isupper(c) && islower(next) && !shouting) ||
                  (isalpha(prev) && isdigit(c) && (!shouting || s - w >= 3)) ||
                  (isdigit(prev) && isalpha(c) && !shouting);
        if (brk) {
            put_word(buf, n, &len, w, (size_t)(s - w), shouting);
            w = s;
        }
    }
    if (!buf[0])
        snprintf(buf, n, "%s", action_id);
    return buf;
}

/* ---- recognising a file ---- */

static const char *skip_space(const char *s, const char *end)
{
    if (end - s >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3;
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static int list_has(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
    return 0;
}

/* Does any line of data (first 64 KiB) start with one of prefixes? */
static int lines_start_with(const char *data, size_t len, json_t *prefixes)
{
    size_t lim = len < 65536 ? len : 65536;
    size_t i, k;
    json_t *p;
    for (i = 0; i < lim;) {
        while (i < lim && (data[i] == ' ' || data[i] == '\t'))
            i++;
        json_array_foreach(prefixes, k, p)
        {
            const char *s = json_string_value(p);
            size_t sl = strlen(s);
            if (lim - i >= sl && memcmp(data + i, s, sl) == 0)
                return 1;
        }
        while (i < lim && data[i] != '\n')
            i++;
        i++;
    }
    return 0;
}

static int data_contains(const char *data, size_t len, json_t *needles)
{
    size_t k;
    json_t *p;
    json_array_foreach(needles, k, p)
    {
        const char *s = json_string_value(p);
        if (memmem(data, len, s, strlen(s)))
            return 1;
    }
    return 0;
}

static void known_games(char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < N_PARSERS && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", parsers[i].id);
}

const char *games_detect(const games_registry *g, const char *data, size_t len, err_t *err)
{
    if (!g) {
        err_set(err, ERR_INTERNAL, NULL, "game tables not loaded");
        return NULL;
    }
    const char *end = data + len, *s = skip_space(data, end);
    if (s == end) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: the file is empty");
        return NULL;
    }
    char names[160];
    known_games(names, sizeof names);
    if (*s == '<') {
        char root[128];
        int line;
        if (refxml_root(data, len, root, sizeof root, &line, err) < 0)
            return NULL;
        for (size_t i = 0; i < N_PARSERS; i++)
            if (list_has(json_object_get(json_object_get(g->docs[i], "detect"), "xml_root"), root))
                return parsers[i].id;
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: unknown XML format: root element <%.60s> is not a binding file of "
                "a supported game (%s)",
                line, root, names);
        return NULL;
    }
    for (size_t i = 0; i < N_PARSERS; i++) {
        json_t *det = json_object_get(g->docs[i], "detect");
        if (lines_start_with(data, len, json_object_get(det, "line_prefix")) ||
            data_contains(data, len, json_object_get(det, "contains")))
            return parsers[i].id;
    }
    if (memchr(data, 0, len))
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: binary data, not a binding file of a supported game (%s)", names);
    else
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: unknown format, not a binding file of a supported game (%s)", names);
    return NULL;
}

/* ---- parsing ---- */

const char *games_base_name(const char *path)
{
    const char *b = path ? path : "";
    for (const char *p = b; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

const games_file *games_bundle_find(const games_bundle *bundle, const char *base)
{
    for (size_t i = 0; bundle && i < bundle->n; i++)
        if (strcasecmp(games_base_name(bundle->files[i].name), base) == 0)
            return &bundle->files[i];
    return NULL;
}

/* The game whose companion list names this file ("DeviceSorting.txt"), or -1. */
static int companion_of(const games_registry *g, const char *name)
{
    const char *b = games_base_name(name);
    for (size_t i = 0; *b && i < N_PARSERS; i++) {
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(g->docs[i], "companions"), j, c)
        if (strcasecmp(json_string_value(c), b) == 0) return (int)i;
    }
    return -1;
}

/* Parse one file with game gi into out (fresh), stamping warnings with the file's name. */
static int parse_one(const games_registry *g, int gi, const games_bundle *bundle, const games_file *f,
                     binding_set *out, err_t *err)
{
    memset(out, 0, sizeof *out);
    out->games = g;
    snprintf(out->cur_file, sizeof out->cur_file, "%s", f->name);
    const char *s = skip_space(f->data, f->data + f->len);
    if (s == f->data + f->len) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: the file is empty");
        return -1;
    }
    if (parsers[gi].parse(bundle, f, out, err) < 0) {
        bindings_free(out);
        return -1;
    }
    snprintf(out->game, sizeof out->game, "%s", parsers[gi].id);
    snprintf(out->game_name, sizeof out->game_name, "%s",
             json_string_value(json_object_get(g->docs[gi], "name")));
    return 0;
}

static int parse_utf8_bundle(const games_registry *g, int forced, const games_bundle *bundle,
                             binding_set *out, err_t *err);

/* Every file is turned into UTF-8 first (textenc.h), so parsers see one encoding. */
int games_parse_bundle(const games_registry *g, const char *game_or_null, const games_bundle *in,
                       binding_set *out, err_t *err)
{
    memset(out, 0, sizeof *out);
    out->games = g;
    if (!g) {
        err_set(err, ERR_INTERNAL, NULL, "game tables not loaded");
        return -1;
    }
    int forced = -1;
    if (game_or_null) {
        forced = game_index(g, game_or_null);
        if (forced < 0) {
            char names[160];
            known_games(names, sizeof names);
            err_set(err, ERR_BAD_PARAM, "game", "unknown game \"%.40s\" (one of: %s)",
                    game_or_null, names);
            return -1;
        }
    }
    games_file *files = calloc(in->n ? in->n : 1, sizeof *files);
    int *owned = calloc(in->n ? in->n : 1, sizeof *owned);
    int rc = -1;
    if (!files || !owned) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < in->n; i++) {
        textenc_kind kind;
        files[i].name = in->files[i].name;
        if (textenc_to_utf8(in->files[i].data, in->files[i].len, (size_t)64 << 20, &files[i].data,
                            &files[i].len, &owned[i], &kind, err) < 0)
            goto done;
    }
    games_bundle b = {files, in->n};
    rc = parse_utf8_bundle(g, forced, &b, out, err);
done:
    for (size_t i = 0; files && owned && i < in->n; i++)
        if (owned[i])
            free((char *)files[i].data);
    free(files);
    free(owned);
    return rc;
}

static int parse_utf8_bundle(const games_registry *g, int forced, const games_bundle *bundle,
                             binding_set *out, err_t *err)
{
    int game = forced, mains = 0, read = 0;
    err_t first = {0};
    for (size_t i = 0; i < bundle->n; i++) {
        const games_file *f = &bundle->files[i];
        snprintf(out->cur_file, sizeof out->cur_file, "%s", f->name);
        int comp = companion_of(g, f->name);
        if (comp >= 0 && bundle->n > 1)
            continue; /* read by its game's parser through the bundle */
        mains++;
        err_t e = {0};
        int gi = forced;
        if (gi < 0) {
            if (comp >= 0) {
                err_set(&e, ERR_UNPROCESSABLE, NULL,
                        "line 1: %s completes a %s binding file; upload it together with that file",
                        games_base_name(f->name), json_string_value(json_object_get(g->docs[comp], "name")));
                gi = -2;
            } else {
                const char *id = games_detect(g, f->data, f->len, &e);
                gi = id ? parser_index(id) : -2;
            }
        }
        if (gi >= 0 && game >= 0 && gi != game) {
            bindings_warn(out, 0, "file", "a file of %s; this upload is read as %s",
                          json_string_value(json_object_get(g->docs[gi], "name")),
                          json_string_value(json_object_get(g->docs[game], "name")));
            continue;
        }
        binding_set one;
        if (gi < 0 || parse_one(g, gi, bundle, f, &one, &e) < 0) {
            if (!first.kind)
                first = e;
            bindings_warn(out, 0, "file", "%s", e.msg);
            continue;
        }
        game = gi;
        read++;
        snprintf(out->game, sizeof out->game, "%s", one.game);
        snprintf(out->game_name, sizeof out->game_name, "%s", one.game_name);
        if (!out->profile[0])
            snprintf(out->profile, sizeof out->profile, "%s", one.profile);
        if (bindings_merge(out, &one, GAMES_MAX_UPLOAD_BINDINGS, err) < 0) {
            bindings_free(&one);
            bindings_free(out);
            return -1;
        }
    }
    if (!read) {
        if (mains == 1 && first.kind)
            *err = first;
        else if (mains == 0)
            err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: the upload holds no binding file");
        else
            err_set(err, ERR_UNPROCESSABLE, NULL,
                    "none of the %d files is a binding file of a supported game (first: %s)", mains,
                    first.msg);
        bindings_free(out);
        return -1;
    }
    out->cur_file[0] = 0;
    bindings_fix_utf8(out);
    return 0;
}

int games_parse_named(const games_registry *g, const char *game_or_null, const char *filename,
                      const char *data, size_t len, binding_set *out, err_t *err)
{
    games_file f = {filename ? filename : "", data, len};
    games_bundle b = {&f, 1};
    return games_parse_bundle(g, game_or_null, &b, out, err);
}

int games_parse(const games_registry *g, const char *game_or_null, const char *data, size_t len,
                binding_set *out, err_t *err)
{
    return games_parse_named(g, game_or_null, NULL, data, len, out, err);
}

json_t *games_list_json(const games_registry *g)
{
    json_t *list = json_array();
    for (size_t i = 0; i < N_PARSERS && list; i++) {
        json_t *doc = g ? g->docs[i] : NULL;
        if (!doc)
            continue;
        json_t *aliases = json_object_get(doc, "aliases"), *ext = json_object_get(doc, "extensions");
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:o, s:o, s:s, s:I}", "id", parsers[i].id, "name",
                            json_string_value(json_object_get(doc, "name")), "aliases",
                            aliases ? json_incref(aliases) : json_array(), "extensions",
                            ext ? json_incref(ext) : json_array(), "notes",
                            json_string_value(json_object_get(doc, "notes"))
                                ? json_string_value(json_object_get(doc, "notes"))
                                : "",
                            "actions", (json_int_t)json_object_size(json_object_get(doc, "actions"))));
    }
    return list;
}
