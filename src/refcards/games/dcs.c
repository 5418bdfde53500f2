/* dcs.c — parser for DCS World input diffs: Saved Games\DCS\Config\Input\<aircraft>\
 * <keyboard|joystick|mouse>\<device name> {<instance GUID>}.diff.lua.
 *
 * DCS stores only what differs from the aircraft's defaults, as a Lua table (read with
 * luat):
 *   local diff = {
 *     ["axisDiffs"] = {
 *       ["a2001cdnil"] = {
 *         ["added"] = { [1] = { ["key"] = "JOY_Y",
 *                               ["filter"] = { ["deadzone"] = 0.05, ["invert"] = true,
 *                                              ["curvature"] = {[1] = 0}, ... } } },
 *         ["name"] = "Pitch",
 *         ["removed"] = { [1] = { ["key"] = "JOY_Y" } } } },
 *     ["keyDiffs"] = {
 *       ["d3001pnilu3001cd13vd1vpnilvu0"] = {
 *         ["added"] = { [1] = { ["key"] = "JOY_BTN3", ["reformers"] = { [1] = "JOY_BTN30" } } },
 *         ["name"] = "Gear lever - UP" } } }
 *   return diff
 * The table key is DCS's command id (down/up/cockpit-device/value codes); "name" is the
 * label the controls screen shows, so it is used as the action label. "added" entries are
 * bindings; "removed" ones unbind defaults and are not bindings. Reformers are held
 * modifiers. Keys: JOY_BTN1..JOY_BTN128, JOY_BTN_POV1_U/UR/R/DR/D/DL/L/UL, axes JOY_X,
 * JOY_Y, JOY_Z, JOY_RX, JOY_RY, JOY_RZ, JOY_SLIDER1, JOY_SLIDER2; MOUSE_BTN1.., MOUSE_X/Y/Z
 * (wheel); keyboard keys by name ("LCtrl", "Num+", "A") through the game's "keys" table.
 *
 * ["changed"] entries are default bindings whose filter the player changed: still bound, so
 * they are bindings too. Filters carry deadzone, invert, curvature, saturationX/Y, slider.
 *
 * The device's name is not in the file, only in its name, so the parser reads the uploaded
 * file name: "Joystick - HOTAS Warthog {8D3D8B50-...}.diff.lua" gives "Joystick - HOTAS
 * Warthog" (URL-encoded names, "Joystick%20-%20HOTAS...", are decoded). Without it joystick
 * bindings go to a device named "Joystick". A zip of the Config/Input folder keeps each
 * file's path ("Config/Input/F-16C_50/joystick/..."): the folder above keyboard/joystick/mouse
 * is the aircraft and becomes binding.module. Two alike devices differ only by the instance
 * GUID in their file names; device_index numbers them in GUID order across the bundle. The
 * defaults DCS applies beyond the diff are not in the file and not shown. An entry that
 * cannot be read is skipped with a warning; only a file that is not a DCS diff fails. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/games/luat.h"

#define GAME "dcs"

typedef struct {
    binding_set *out;
    char joystick[96];  /* device name from the file name, "" if none */
    int device_index;
    char module[48];    /* aircraft folder, "" if the name has no path */
} dcs_ctx;

static int hexval(char c)
{
    if (isdigit((unsigned char)c))
        return c - '0';
    if (isxdigit((unsigned char)c))
        return tolower((unsigned char)c) - 'a' + 10;
    return -1;
}

/* Split a file's base name into its device name and instance GUID:
 * "Joystick - HOTAS Warthog {F0E9...}.diff.lua" -> "Joystick - HOTAS Warthog", "F0E9...".
 * %XX escapes are decoded first (names that went through a URL). */
static void split_filename(const char *filename, char *device, size_t dn, char *guid, size_t gn)
{
    char base[256];
    size_t l = 0;
    device[0] = guid[0] = 0;
    if (!filename)
        return;
    for (const char *s = games_base_name(filename); *s && l + 1 < sizeof base; s++) {
        int h, lo;
        if (*s == '%' && (h = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0 && (h || lo)) {
            base[l++] = (char)(h * 16 + lo);
            s += 2;
        } else
            base[l++] = *s;
    }
    base[l] = 0;
    static const char *const suffixes[] = {".diff.lua", ".lua"};
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(suffixes[i]);
        if (l >= sl && strcasecmp(base + l - sl, suffixes[i]) == 0) {
            l -= sl;
            break;
        }
    }
    while (l > 0 && isspace((unsigned char)base[l - 1]))
        l--;
    if (l > 0 && base[l - 1] == '}') {
        char *open = memchr(base, '{', l);
        if (open) {
            size_t g = (size_t)(base + l - 1 - open - 1);
            if (g >= gn)
                g = gn - 1;
            memcpy(guid, open + 1, g);
            guid[g] = 0;
            l = (size_t)(open - base);
        }
    }
    while (l > 0 && isspace((unsigned char)base[l - 1]))
        l--;
    if (l >= dn)
        l = dn - 1;
    memcpy(device, base, l);
    device[l] = 0;
}

/* "Config/Input/F-16C_50/joystick/x.diff.lua" -> "F-16C_50": the folder above the
 * keyboard/joystick/mouse folder holding the file. */
static void module_from_path(const char *path, char *out, size_t n)
{
    out[0] = 0;
    if (!path)
        return;
    const char *comp[64];
    size_t lens[64], nc = 0;
    const char *s = path;
    while (*s && nc < 64) {
        size_t l = strcspn(s, "/\\");
        comp[nc] = s;
        lens[nc++] = l;
        s += l;
        if (*s)
            s++;
    }
    if (nc < 3)
        return;
    static const char *const kinds[] = {"keyboard", "joystick", "mouse", "trackir", "headtracker"};
    int known = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        known |= lens[nc - 2] == strlen(kinds[i]) &&
                 strncasecmp(comp[nc - 2], kinds[i], lens[nc - 2]) == 0;
    if (!known)
        return;
    size_t l = lens[nc - 3] < n ? lens[nc - 3] : n - 1;
    memcpy(out, comp[nc - 3], l);
    out[l] = 0;
}

/* Two alike devices differ only by the instance GUID of their files: number them in GUID
 * order over the distinct GUIDs the bundle holds for that device name. */
static int device_index(const games_bundle *bundle, const char *device, const char *guid)
{
    int index = 0;
    if (!bundle || !guid[0])
        return 0;
    for (size_t i = 0; i < bundle->n; i++) {
        char d[96], g[64];
        split_filename(bundle->files[i].name, d, sizeof d, g, sizeof g);
        if (strcmp(d, device) != 0 || strcasecmp(g, guid) >= 0)
            continue;
        int seen = 0; /* count each smaller GUID once (the same stick in several aircraft) */
        for (size_t j = 0; j < i && !seen; j++) {
            char d2[96], g2[64];
            split_filename(bundle->files[j].name, d2, sizeof d2, g2, sizeof g2);
            seen = strcmp(d2, device) == 0 && strcasecmp(g2, g) == 0;
        }
        index += !seen;
    }
    return index;
}

/* "UR" -> "upright": DCS spells the directions as initials, in controls.h's order. */
static const char *pov_dir(const char *s)
{
    static const char *const dcs[] = {"U", "UR", "R", "DR", "D", "DL", "L", "UL", NULL};
    int i = control_index(dcs, s);
    return i < 0 ? NULL : control_hat_dirs[i];
}

static void dcs_input(const dcs_ctx *c, bind_input *in, const char *key)
{
    memset(in, 0, sizeof *in);
    char *end;
    if (strncmp(key, "JOY_", 4) == 0) {
        snprintf(in->device, sizeof in->device, "%s", c->joystick[0] ? c->joystick : "Joystick");
        in->device_index = c->device_index;
        const char *k = key + 4;
        if (strncmp(k, "BTN_POV", 7) == 0 && isdigit((unsigned char)k[7])) {
            long h = strtol(k + 7, &end, 10);
            const char *dir = *end == '_' ? pov_dir(end + 1) : NULL;
            if (dir && h > 0 && h <= 8) {
                snprintf(in->control, sizeof in->control, "hat:%ld:%s", h, dir);
                return;
            }
        } else if (strncmp(k, "BTN", 3) == 0 && isdigit((unsigned char)k[3])) {
            long b = strtol(k + 3, &end, 10);
            if (!*end && b > 0 && b <= 256) {
                snprintf(in->control, sizeof in->control, "button:%ld", b);
                return;
            }
        } else {
            /* DCS's axes are ours in upper case, up to the second slider */
            static const char *const axes[] = {"X",  "Y",  "Z",       "RX",      "RY",
                                               "RZ", "SLIDER1", "SLIDER2", NULL};
            int i = control_index(axes, k);
            if (i >= 0) {
                snprintf(in->control, sizeof in->control, "axis:%s", control_axes[i]);
                return;
            }
        }
        snprintf(in->control, sizeof in->control, "raw:%s", key);
        return;
    }
    if (strncmp(key, "MOUSE_", 6) == 0) {
        snprintf(in->device, sizeof in->device, "Mouse");
        const char *k = key + 6;
        if (strncmp(k, "BTN", 3) == 0 && isdigit((unsigned char)k[3]))
            snprintf(in->control, sizeof in->control, "button:%ld", strtol(k + 3, NULL, 10));
        else if ((k[0] == 'X' || k[0] == 'Y' || k[0] == 'Z') && !k[1])
            snprintf(in->control, sizeof in->control, "axis:%c", tolower((unsigned char)k[0]));
        else
            snprintf(in->control, sizeof in->control, "raw:%s", key);
        return;
    }
    snprintf(in->device, sizeof in->device, "Keyboard");
    const char *m = games_lookup(c->out->games, GAME, "keys", key);
    size_t l = strlen(key);
    if (m)
        snprintf(in->control, sizeof in->control, "key:%s", m);
    else if (l == 1 && isalnum((unsigned char)key[0]))
        snprintf(in->control, sizeof in->control, "key:%c", toupper((unsigned char)key[0]));
    else if (key[0] == 'F' && l <= 3 && isdigit((unsigned char)key[1]) && atoi(key + 1) >= 1 &&
             atoi(key + 1) <= 24)
        snprintf(in->control, sizeof in->control, "key:F%d", atoi(key + 1));
    else if (strncmp(key, "Num", 3) == 0 && isdigit((unsigned char)key[3]) && !key[4])
        snprintf(in->control, sizeof in->control, "key:Numpad%c", key[3]);
    else
        snprintf(in->control, sizeof in->control, "key:%s", key);
}

static const char *type_name(luat_type t)
{
    static const char *const names[] = {"nil", "a boolean", "a number", "a string", "a table"};
    return names[t];
}

/* One ["added"] or ["changed"] entry of command id, as a binding; skipped with a warning when
 * it cannot be read. -1 only when the binding limit is passed. */
static int read_entry(dcs_ctx *c, const luat_value *entry, const char *id, const char *name,
                      int is_axis, int secondary, int line, err_t *err)
{
    char what[96];
    snprintf(what, sizeof what, "%.88s", name ? name : id);
    if (entry->type != LUAT_TABLE) {
        bindings_warn(c->out, entry->line ? entry->line : line, what,
                      "a binding must be a table, not %s", type_name(entry->type));
        return 0;
    }
    const luat_value *key = luat_get(entry, "key");
    if (!key || key->type != LUAT_STRING || !key->str[0]) {
        bindings_warn(c->out, entry->line, what, "binding without a [\"key\"] string");
        return 0;
    }
    binding b = {0};
    snprintf(b.action_id, sizeof b.action_id, "%s", id);
    if (name)
        snprintf(b.action, sizeof b.action, "%s", name);
    snprintf(b.module, sizeof b.module, "%s", c->module);
    b.is_axis = is_axis;
    b.secondary = secondary;
    b.line = entry->line;
    dcs_input(c, &b.input, key->str);
    const luat_value *reformers = luat_get(entry, "reformers");
    if (reformers && reformers->type == LUAT_TABLE) {
        for (size_t i = 0; i < reformers->n_fields; i++) {
            const luat_value *r = &reformers->fields[i].value;
            if (r->type != LUAT_STRING || !r->str[0]) {
                bindings_warn(c->out, r->line, what, "a reformer must be a key name; left out");
                continue;
            }
            if (b.n_modifiers == BIND_MAX_MODIFIERS) {
                bindings_warn(c->out, r->line, what, "more than %d reformers; %.40s left out",
                              BIND_MAX_MODIFIERS, r->str);
                continue;
            }
            dcs_input(c, &b.modifiers[b.n_modifiers++], r->str);
        }
    } else if (reformers) {
        bindings_warn(c->out, reformers->line, what, "[\"reformers\"] is not a table; left out");
    }
    const luat_value *filter = luat_get(entry, "filter");
    if (filter && filter->type == LUAT_TABLE) {
        const luat_value *dz = luat_get(filter, "deadzone"), *inv = luat_get(filter, "invert");
        if (dz && (dz->type != LUAT_NUMBER || dz->number < 0 || dz->number > 1))
            bindings_warn(c->out, dz->line, what, "deadzone is not a number in 0..1; ignored");
        else if (dz)
            b.deadzone = dz->number;
        if (inv && inv->type != LUAT_BOOL)
            bindings_warn(c->out, inv->line, what, "invert is not a boolean; ignored");
        else if (inv)
            b.inverted = inv->boolean;
    }
    games_label_binding(c->out->games, GAME, &b);
    return bindings_add(c->out, &b, GAMES_MAX_BINDINGS, err);
}

/* keyDiffs or axisDiffs; 1 if it was a table, 0 if not (warned), -1 on the binding limit. */
static int read_diffs(dcs_ctx *c, const luat_value *diffs, const char *group, int is_axis,
                      err_t *err)
{
    char what[64];
    snprintf(what, sizeof what, "[\"%s\"]", group);
    if (diffs->type != LUAT_TABLE) {
        bindings_warn(c->out, diffs->line, what, "not a table but %s", type_name(diffs->type));
        return 0;
    }
    for (size_t i = 0; i < diffs->n_fields; i++) {
        const luat_field *f = &diffs->fields[i];
        if (f->key.type != LUAT_STRING) {
            bindings_warn(c->out, f->key.line, what, "a command id must be a string");
            continue;
        }
        snprintf(what, sizeof what, "command %.50s", f->key.str);
        if (f->value.type != LUAT_TABLE) {
            bindings_warn(c->out, f->key.line, what, "must be a table, not %s",
                          type_name(f->value.type));
            continue;
        }
        const luat_value *name = luat_get(&f->value, "name");
        if (name && name->type != LUAT_STRING)
            name = NULL;
        /* "added" bindings, then defaults whose filter changed; "removed" unbinds. */
        static const char *const lists[] = {"added", "changed"};
        int nth = 0;
        for (size_t l = 0; l < 2; l++) {
            const luat_value *list = luat_get(&f->value, lists[l]);
            if (!list)
                continue;
            if (list->type != LUAT_TABLE) {
                bindings_warn(c->out, list->line, what, "[\"%s\"] is not a table", lists[l]);
                continue;
            }
            for (size_t k = 0; k < list->n_fields; k++)
                if (read_entry(c, &list->fields[k].value, f->key.str, name ? name->str : NULL,
                               is_axis, nth++ > 0, list->line, err) < 0)
                    return -1;
        }
    }
    return 1;
}

int dcs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    luat_doc *doc;
    const luat_value *root;
    if (luat_parse(f->data, f->len, &doc, &root, err) < 0)
        return -1;
    int rc = -1;
    dcs_ctx c = {.out = out};
    char guid[64];
    const char *filename = f->name[0] ? f->name : NULL;
    split_filename(filename, c.joystick, sizeof c.joystick, guid, sizeof guid);
    module_from_path(filename, c.module, sizeof c.module);
    c.device_index = device_index(bundle, c.joystick, guid);
    if (root->type != LUAT_TABLE) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: the diff must be a table, not %s",
                root->line, type_name(root->type));
        goto done;
    }
    const luat_value *keys = luat_get(root, "keyDiffs"), *axes = luat_get(root, "axisDiffs");
    if (!keys && !axes) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: neither [\"keyDiffs\"] nor [\"axisDiffs\"], not a DCS input diff",
                root->line);
        goto done;
    }
    int tables = 0, r;
    if (keys) {
        if ((r = read_diffs(&c, keys, "keyDiffs", 0, err)) < 0)
            goto done;
        tables += r;
    }
    if (axes) {
        if ((r = read_diffs(&c, axes, "axisDiffs", 1, err)) < 0)
            goto done;
        tables += r;
    }
    if (!tables) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: [\"keyDiffs\"] and [\"axisDiffs\"] are not tables, not a DCS input diff",
                root->line);
        goto done;
    }
    rc = 0;
done:
    luat_free(doc);
    return rc;
}
