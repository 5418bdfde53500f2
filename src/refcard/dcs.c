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
 * The device's name is not in the file, only in its name, so games_parse_named() passes
 * the uploaded file name: "Joystick - HOTAS Warthog {8D3D8B50-...}.diff.lua" gives
 * "Joystick - HOTAS Warthog". Without it joystick bindings go to a device named
 * "Joystick". The defaults DCS applies beyond the diff are not in the file and not shown. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcard/games.h"
#include "refcard/luat.h"

#define GAME "dcs"

/* "...\Joystick - HOTAS Warthog {GUID}.diff.lua" -> "Joystick - HOTAS Warthog". */
static void device_from_filename(const char *filename, char *out, size_t n)
{
    out[0] = 0;
    if (!filename)
        return;
    const char *base = filename;
    for (const char *s = filename; *s; s++)
        if (*s == '/' || *s == '\\')
            base = s + 1;
    size_t l = strlen(base);
    static const char *suffixes[] = {".diff.lua", ".lua"};
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(suffixes[i]);
        if (l >= sl && strcasecmp(base + l - sl, suffixes[i]) == 0) {
            l -= sl;
            break;
        }
    }
    /* Drop the trailing instance GUID. */
    if (l > 0 && base[l - 1] == '}') {
        const char *open = memchr(base, '{', l);
        if (open)
            l = (size_t)(open - base);
    }
    while (l > 0 && isspace((unsigned char)base[l - 1]))
        l--;
    if (l >= n)
        l = n - 1;
    memcpy(out, base, l);
    out[l] = 0;
}

static const char *pov_dir(const char *s)
{
    static const struct {
        const char *dcs, *norm;
    } dirs[] = {{"U", "up"},     {"UR", "upright"}, {"R", "right"}, {"DR", "downright"},
                {"D", "down"},   {"DL", "downleft"}, {"L", "left"}, {"UL", "upleft"}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (strcmp(s, dirs[i].dcs) == 0)
            return dirs[i].norm;
    return NULL;
}

static void dcs_input(bind_input *in, const char *key, const char *joystick)
{
    memset(in, 0, sizeof *in);
    char *end;
    if (strncmp(key, "JOY_", 4) == 0) {
        snprintf(in->device, sizeof in->device, "%s", joystick[0] ? joystick : "Joystick");
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
            static const struct {
                const char *dcs, *norm;
            } axes[] = {{"X", "x"},   {"Y", "y"},   {"Z", "z"},         {"RX", "rx"},
                        {"RY", "ry"}, {"RZ", "rz"}, {"SLIDER1", "slider1"}, {"SLIDER2", "slider2"}};
            for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
                if (strcmp(k, axes[i].dcs) == 0) {
                    snprintf(in->control, sizeof in->control, "axis:%s", axes[i].norm);
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
    const char *m = games_lookup(GAME, "keys", key);
    size_t l = strlen(key);
    if (m)
        snprintf(in->control, sizeof in->control, "key:%s", m);
    else if (l == 1 && isalnum((unsigned char)key[0]))
        snprintf(in->control, sizeof in->control, "key:%c", toupper((unsigned char)key[0]));
    else if (key[0] == 'F' && l <= 3 && isdigit((unsigned char)key[1]) && atoi(key + 1) >= 1 &&
             atoi(key + 1) <= 24)
        snprintf(in->control, sizeof in->control, "key:F%d", atoi(key + 1));
    else
        snprintf(in->control, sizeof in->control, "key:%s", key);
}

static int need(const luat_value *v, luat_type t, int line, const char *what, err_t *err)
{
    static const char *names[] = {"nil", "a boolean", "a number", "a string", "a table"};
    if (v && v->type == t)
        return 0;
    err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: %s must be %s", v ? v->line : line, what,
            names[t]);
    return -1;
}

/* One ["added"] entry of command id, as a binding. */
static int added_binding(const luat_value *entry, const char *id, const char *name, int is_axis,
                         int secondary, const char *joystick, binding_set *out, err_t *err)
{
    char what[160];
    snprintf(what, sizeof what, "a binding of %.60s", id);
    if (need(entry, LUAT_TABLE, 0, what, err) < 0)
        return -1;
    const luat_value *key = luat_get(entry, "key");
    snprintf(what, sizeof what, "[\"key\"] of a binding of %.60s", id);
    if (need(key, LUAT_STRING, entry->line, what, err) < 0)
        return -1;
    binding b = {0};
    snprintf(b.action_id, sizeof b.action_id, "%s", id);
    if (name)
        snprintf(b.action, sizeof b.action, "%s", name);
    b.is_axis = is_axis;
    b.secondary = secondary;
    b.line = entry->line;
    dcs_input(&b.input, key->str, joystick);
    const luat_value *reformers = luat_get(entry, "reformers");
    if (reformers) {
        snprintf(what, sizeof what, "[\"reformers\"] of %.60s", id);
        if (need(reformers, LUAT_TABLE, entry->line, what, err) < 0)
            return -1;
        for (size_t i = 0; i < reformers->n_fields; i++) {
            const luat_value *r = &reformers->fields[i].value;
            if (need(r, LUAT_STRING, reformers->line, "a reformer", err) < 0)
                return -1;
            if (b.n_modifiers == BIND_MAX_MODIFIERS) {
                err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: more than %d reformers", r->line,
                        BIND_MAX_MODIFIERS);
                return -1;
            }
            dcs_input(&b.modifiers[b.n_modifiers++], r->str, joystick);
        }
    }
    const luat_value *filter = luat_get(entry, "filter");
    if (filter && filter->type == LUAT_TABLE) {
        const luat_value *dz = luat_get(filter, "deadzone"), *inv = luat_get(filter, "invert");
        if (dz) {
            if (need(dz, LUAT_NUMBER, filter->line, "[\"deadzone\"]", err) < 0)
                return -1;
            if (dz->number < 0 || dz->number > 1) {
                err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: deadzone %g is outside 0..1",
                        dz->line, dz->number);
                return -1;
            }
            b.deadzone = dz->number;
        }
        if (inv) {
            if (need(inv, LUAT_BOOL, filter->line, "[\"invert\"]", err) < 0)
                return -1;
            b.inverted = inv->boolean;
        }
    }
    games_label_binding(GAME, &b);
    return bindings_add(out, &b, GAMES_MAX_BINDINGS, err);
}

static int read_diffs(const luat_value *diffs, const char *group, int is_axis,
                      const char *joystick, binding_set *out, err_t *err)
{
    char what[64];
    snprintf(what, sizeof what, "[\"%s\"]", group);
    if (need(diffs, LUAT_TABLE, 1, what, err) < 0)
        return -1;
    for (size_t i = 0; i < diffs->n_fields; i++) {
        const luat_field *f = &diffs->fields[i];
        if (need(&f->key, LUAT_STRING, diffs->line, "a command id", err) < 0)
            return -1;
        snprintf(what, sizeof what, "command %.40s", f->key.str);
        if (need(&f->value, LUAT_TABLE, f->key.line, what, err) < 0)
            return -1;
        const luat_value *name = luat_get(&f->value, "name");
        const luat_value *added = luat_get(&f->value, "added");
        if (name && need(name, LUAT_STRING, f->value.line, "[\"name\"]", err) < 0)
            return -1;
        if (!added)
            continue; /* only removes a default binding */
        snprintf(what, sizeof what, "[\"added\"] of %.40s", f->key.str);
        if (need(added, LUAT_TABLE, f->value.line, what, err) < 0)
            return -1;
        for (size_t k = 0; k < added->n_fields; k++)
            if (added_binding(&added->fields[k].value, f->key.str, name ? name->str : NULL,
                              is_axis, k > 0, joystick, out, err) < 0)
                return -1;
    }
    return 0;
}

int dcs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    const char *filename = f->name[0] ? f->name : NULL, *data = f->data;
    size_t len = f->len;
    luat_doc *doc;
    const luat_value *root;
    if (luat_parse(data, len, &doc, &root, err) < 0)
        return -1;
    int rc = -1;
    char joystick[96];
    device_from_filename(filename, joystick, sizeof joystick);
    if (need(root, LUAT_TABLE, 1, "the diff", err) < 0)
        goto done;
    const luat_value *keys = luat_get(root, "keyDiffs"), *axes = luat_get(root, "axisDiffs");
    if (!keys && !axes) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: neither [\"keyDiffs\"] nor [\"axisDiffs\"], not a DCS input diff",
                root->line);
        goto done;
    }
    if ((keys && read_diffs(keys, "keyDiffs", 0, joystick, out, err) < 0) ||
        (axes && read_diffs(axes, "axisDiffs", 1, joystick, out, err) < 0))
        goto done;
    rc = 0;
done:
    luat_free(doc);
    return rc;
}
