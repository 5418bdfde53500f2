/* squadrons.c — parser for Star Wars: Squadrons settings profiles
 * (Documents\STAR WARS Squadrons\settings\ProfileOptions_profile[_synced], shared as
 * .profile files).
 *
 * The file is one "Key value" setting per line, key and value separated by the first
 * space (not "="), e.g.
 *   GstInput.JoystickDevice1 Saitek Pro Flight X-55 Rhino Stick
 *   GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.button 22
 * What we learned from real files and the tools that read them:
 *  - GstInput.JoystickDeviceN (N from 1) names the joysticks; a binding's deviceid is N-1.
 *    Names can repeat (two alike sticks) and can be empty.
 *  - GstKeyBinding.<group>.<Concept>.<slot>.<field>: group is IncomDefaultInputConcepts
 *    (menus), IncomSoldierInputConcepts (hangar, on foot) or IncomStarshipInputConcepts
 *    (flight); each slot (0, 1, 2 ...) is one binding with fields type, button, axis,
 *    deviceid, negate, modifier, altbutton, identifier.
 *  - type: -1 nothing, 0 mouse, 1 gamepad, 2 keyboard, 3 joystick/HOTAS.
 *  - keyboard: button is the DirectInput scan code (57 Space, 28 Enter, 0 unbound);
 *    modifier 255 means none, otherwise the scan code of a held key.
 *  - joystick: axis 26 means "not an axis"; axis 8/10 are X (+/-), 9/11 Y. Buttons are
 *    codes: 22..39 are buttons 1..18, 64..173 buttons 19..128, 40..47 the Z/RX/RY/RZ axes
 *    (+/- halves), 14..17 sliders 1 and 2, 48..63 POV hats 1..4 (up, down, left, right);
 *    174 (86 before GstKeyBinding.InputDataVersion 4) means unbound.
 *  - gamepad: buttons 0..3 d-pad up/down/left/right, 4 Y, 5 A, 6 X, 7 B, 10/11 stick
 *    clicks, 12 menu, 13 view, 14/15 triggers, 16/17 bumpers (the "pad" table); axes 2/4
 *    left stick X, 3/5 left Y, 8/10 right X, 9/11 right Y.
 *  - negate 1 on an axis binding means the axis is inverted.
 * The semantics of altbutton and identifier are unknown and ignored.
 *  - real files (MetaRefCard's test data, five revisions of one player's X-55 profile) have
 *    InputDataVersion 2 as the last line, after the bindings, and an empty
 *    "GstInput.JoystickDevice3 " between named ones; a profile that only picked the game's
 *    gamepad preset (GstInput.GamepadPreset) has no GstKeyBinding lines at all.
 * As the game does, a line or slot that cannot be read is skipped with a warning; only a file
 * whose first line is no setting, or that binds nothing, fails. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "util/hash.h"

#define GAME "squadrons"
#define MAX_JOYSTICKS 16
#define MAX_SLOTS (4 * GAMES_MAX_BINDINGS)
#define AXIS_NONE 26

enum { F_TYPE, F_BUTTON, F_AXIS, F_DEVICEID, F_NEGATE, F_MODIFIER, F_COUNT };
static const char *const field_names[F_COUNT] = {"type", "button", "axis", "deviceid", "negate",
                                           "modifier"};

typedef struct {
    char group[96];
    char concept[96];
    int slot;
} sq_key; /* zero-filled before use: the table hashes and compares its bytes */

typedef struct {
    sq_key key;
    int line;
    long f[F_COUNT];
    unsigned have; /* bit per field */
    UT_hash_handle hh;
} sq_slot;

typedef struct {
    binding_set *out;
    sq_slot *slots; /* by group/concept/slot; iterated in the order first seen */
    char joysticks[MAX_JOYSTICKS][96];
    long data_version;
    int preset;   /* GstInput.GamepadPreset seen */
} sq_ctx;

/* The slot for group/concept/slot, created on first sight; NULL with err when full. */
static sq_slot *slot_get(sq_ctx *c, const char *group, const char *concept, int slot, int line,
                         err_t *err)
{
    sq_key k;
    memset(&k, 0, sizeof k);
    snprintf(k.group, sizeof k.group, "%s", group);
    snprintf(k.concept, sizeof k.concept, "%s", concept);
    k.slot = slot;
    sq_slot *s;
    HASH_FIND(hh, c->slots, &k, sizeof k, s);
    if (s)
        return s;
    if (HASH_COUNT(c->slots) >= MAX_SLOTS) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: more than %d binding slots", line,
                MAX_SLOTS);
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (s) {
        s->key = k;
        s->line = line;
        HASH_ADD(hh, c->slots, key, sizeof s->key, s);
        if (HASH_ADDED(s))
            return s;
        free(s);
    }
    err_set(err, ERR_INTERNAL, NULL, "out of memory reading binding slots");
    return NULL;
}

static int parse_long(const char *v, long *out)
{
    char *end;
    if (!*v)
        return -1;
    *out = strtol(v, &end, 10);
    return *end ? -1 : 0;
}

/* One "GstKeyBinding.<group>.<Concept>.<slot>.<field> value" line; -1 only when the slot
 * table is full or out of memory. */
static int binding_line(sq_ctx *c, const char *key, const char *value, int line, err_t *err)
{
    char parts[5][96];
    int np = 0;
    const char *s = key + strlen("GstKeyBinding.");
    while (np < 5) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        if (l >= sizeof parts[0])
            l = sizeof parts[0] - 1;
        memcpy(parts[np], s, l);
        parts[np++][l] = 0;
        if (!dot)
            break;
        s = dot + 1;
    }
    if (np == 1) { /* GstKeyBinding.InputDataVersion 4, GstKeyBinding.version ... */
        if (strcmp(parts[0], "InputDataVersion") == 0 && parse_long(value, &c->data_version) < 0) {
            c->data_version = 0;
            bindings_warn(c->out, line, "GstKeyBinding.InputDataVersion",
                          "\"%.20s\" is not a number; read as the current version", value);
        }
        return 0;
    }
    if (np != 4 || strncmp(parts[1], "Concept", 7) != 0)
        return 0; /* some other per-binding setting we do not use */
    long slot;
    if (parse_long(parts[2], &slot) < 0 || slot < 0 || slot > 99) {
        bindings_warn(c->out, line, parts[1], "slot \"%.20s\" is not a number 0..99; line left out",
                      parts[2]);
        return 0;
    }
    int f;
    for (f = 0; f < F_COUNT; f++)
        if (strcmp(parts[3], field_names[f]) == 0)
            break;
    if (f == F_COUNT)
        return 0; /* altbutton, identifier, or a field of a newer version */
    long v;
    if (parse_long(value, &v) < 0) {
        char what[96];
        snprintf(what, sizeof what, "%.60s.%ld.%.12s", parts[1], slot, parts[3]);
        bindings_warn(c->out, line, what, "value \"%.20s\" is not a number; left out", value);
        return 0;
    }
    sq_slot *sl = slot_get(c, parts[0], parts[1], (int)slot, line, err);
    if (!sl)
        return -1;
    sl->f[f] = v;
    sl->have |= 1u << f;
    return 0;
}

/* A settings key is a dotted identifier ("GstInput.MouseEnable"). */
static int setting_name(const char *k)
{
    int dots = 0;
    for (; *k; k++) {
        if (*k == '.')
            dots++;
        else if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
            return 0;
    }
    return dots > 0;
}

static int read_lines(sq_ctx *c, const char *data, size_t len, err_t *err)
{
    int line = 0, settings = 0;
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = 3;
    while (i < len) {
        line++;
        size_t start = i;
        while (i < len && data[i] != '\n')
            i++;
        size_t end = i++;
        while (end > start && (data[end - 1] == '\r' || data[end - 1] == ' ' || data[end - 1] == '\t'))
            end--;
        while (start < end && (data[start] == ' ' || data[start] == '\t'))
            start++;
        if (start == end)
            continue;
        char buf[512];
        size_t l = end - start;
        if (l >= sizeof buf) {
            if (!settings)
                goto not_settings;
            bindings_warn(c->out, line, "line", "longer than %zu characters; left out",
                          sizeof buf - 1);
            continue;
        }
        memcpy(buf, data + start, l);
        buf[l] = 0;
        char *sp = strchr(buf, ' ');
        char *value = sp ? sp + 1 : buf + l;
        if (sp)
            *sp = 0;
        if (!setting_name(buf)) {
            /* The first line says whether this is a settings file at all; past it, a line
             * the game would not read is skipped as it skips it. */
            if (!settings)
                goto not_settings;
            bindings_warn(c->out, line, "line", "not a \"Setting value\" line; left out");
            continue;
        }
        settings++;
        if (strncmp(buf, "GstInput.JoystickDevice", 23) == 0) {
            long n;
            if (parse_long(buf + 23, &n) == 0 && n >= 1 && n <= MAX_JOYSTICKS)
                snprintf(c->joysticks[n - 1], sizeof c->joysticks[0], "%s", value);
        } else if (strcmp(buf, "GstInput.GamepadPreset") == 0) {
            c->preset = 1;
        } else if (strncmp(buf, "GstKeyBinding.", 14) == 0) {
            if (binding_line(c, buf, value, line, err) < 0)
                return -1;
        }
    }
    return 0;
not_settings:
    err_set(err, ERR_UNPROCESSABLE, NULL,
            "line %d: not a \"Setting value\" line of a Squadrons profile", line);
    return -1;
}

static void set_control(bind_input *in, const char *fmt, long v)
{
    snprintf(in->control, sizeof in->control, fmt, v);
}

/* Joystick button codes -> control; *axis set for codes that are axis halves. */
static void joystick_button(bind_input *in, long code, int *axis)
{
    static const int dirs[] = {CONTROL_HAT_UP, CONTROL_HAT_DOWN, CONTROL_HAT_LEFT, CONTROL_HAT_RIGHT};
    *axis = 0;
    if (code >= 22 && code <= 39)
        set_control(in, "button:%ld", code - 21);
    else if (code >= 64 && code <= 173)
        set_control(in, "button:%ld", code - 45);
    else if (code >= 40 && code <= 47) {
        snprintf(in->control, sizeof in->control, "axis:%s", control_axes[CONTROL_AXIS_Z + (code - 40) / 2]);
        *axis = 1;
    } else if (code >= 14 && code <= 17) {
        snprintf(in->control, sizeof in->control, "axis:slider%ld", (code - 14) / 2 + 1);
        *axis = 1;
    } else if (code >= 48 && code <= 63)
        snprintf(in->control, sizeof in->control, "hat:%ld:%s", (code - 48) / 4 + 1,
                 control_hat_dirs[dirs[(code - 48) % 4]]);
    else
        set_control(in, "raw:button code %ld", code);
}

static const char *axis_name(long code, int gamepad)
{
    switch (code) {
    case 2: case 4: return gamepad ? "pad:lx" : NULL;
    case 3: case 5: return gamepad ? "pad:ly" : NULL;
    case 8: case 10: return gamepad ? "pad:rx" : "axis:x";
    case 9: case 11: return gamepad ? "pad:ry" : "axis:y";
    }
    return NULL;
}

/* An axis binding's control: the stick axis axis_name() knows, else the raw code. */
static void axis_control(bind_input *in, long axis, int gamepad)
{
    const char *m = axis_name(axis, gamepad);
    if (m)
        snprintf(in->control, sizeof in->control, "%s", m);
    else
        set_control(in, "raw:axis code %ld", axis);
}

/* Turn one slot into a binding: 1 when bound, 0 for an unbound slot or one that cannot be
 * read (warned). */
static int slot_binding(const sq_ctx *c, const sq_slot *s, binding *b)
{
    static const int required[] = {F_TYPE, F_BUTTON};
    char what[128];
    snprintf(what, sizeof what, "%.60s slot %d", s->key.concept, s->key.slot);
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!(s->have & (1u << required[i]))) {
            bindings_warn(c->out, s->line, what, "no \"%s\" (truncated file?); left out",
                          field_names[required[i]]);
            return 0;
        }
    long type = s->f[F_TYPE], button = s->f[F_BUTTON];
    long axis = s->have & (1u << F_AXIS) ? s->f[F_AXIS] : AXIS_NONE;
    long devid = s->have & (1u << F_DEVICEID) ? s->f[F_DEVICEID] : -1;
    long unmapped = c->data_version && c->data_version < 4 ? 86 : 174;
    memset(b, 0, sizeof *b);
    bind_input *in = &b->input;
    const char *m;
    char num[24];
    switch (type) {
    case 2: /* keyboard */
        if (button <= 0)
            return 0;
        snprintf(in->device, sizeof in->device, "Keyboard");
        snprintf(num, sizeof num, "%ld", button);
        m = games_lookup(c->out->games, GAME, "keys", num);
        if (m)
            snprintf(in->control, sizeof in->control, "key:%s", m);
        else
            set_control(in, "raw:scan code %ld", button);
        long mod = s->have & (1u << F_MODIFIER) ? s->f[F_MODIFIER] : 255;
        snprintf(num, sizeof num, "%ld", mod);
        if (mod != 255 && mod > 0 && (m = games_lookup(c->out->games, GAME, "keys", num))) {
            snprintf(b->modifiers[0].device, sizeof b->modifiers[0].device, "Keyboard");
            snprintf(b->modifiers[0].control, sizeof b->modifiers[0].control, "key:%s", m);
            b->n_modifiers = 1;
        }
        break;
    case 0: /* mouse */
        snprintf(in->device, sizeof in->device, "Mouse");
        if (axis != AXIS_NONE && axis != 0) {
            b->is_axis = 1;
            if (axis == 2 || axis == 4)
                set_control(in, "axis:x", 0);
            else if (axis == 3 || axis == 5)
                set_control(in, "axis:y", 0);
            else if (axis == 14 || axis == 15)
                set_control(in, "axis:z", 0);
            else
                set_control(in, "raw:axis code %ld", axis);
        } else if (button >= 0 && button != 8) {
            set_control(in, "button:%ld", button + 1);
        } else
            return 0;
        break;
    case 1: /* gamepad */
        snprintf(in->device, sizeof in->device, "Gamepad");
        if (axis != AXIS_NONE && axis != 0) {
            b->is_axis = 1;
            axis_control(in, axis, 1);
        } else if (button != unmapped && button >= 0) {
            snprintf(num, sizeof num, "%ld", button);
            m = games_lookup(c->out->games, GAME, "pad", num);
            if (m)
                snprintf(in->control, sizeof in->control, "pad:%s", m);
            else
                set_control(in, "raw:button code %ld", button);
        } else
            return 0;
        break;
    case 3: /* joystick */
        if ((axis == AXIS_NONE || axis == 0) && (button == unmapped || button < 0))
            return 0; /* an unbound joystick slot carries deviceid -1 */
        if (devid < 0 || devid >= MAX_JOYSTICKS) {
            bindings_warn(c->out, s->line, what, "joystick deviceid %ld out of range; left out",
                          devid);
            return 0;
        }
        if (c->joysticks[devid][0]) {
            snprintf(in->device, sizeof in->device, "%s", c->joysticks[devid]);
            for (long j = 0; j < devid; j++) /* alike sticks: which one of them */
                in->device_index += strcmp(c->joysticks[j], c->joysticks[devid]) == 0;
        } else
            snprintf(in->device, sizeof in->device, "Joystick %ld", devid + 1);
        if (axis != AXIS_NONE && axis != 0) {
            b->is_axis = 1;
            axis_control(in, axis, 0);
        } else if (button != unmapped && button >= 0) {
            joystick_button(in, button, &b->is_axis);
        } else
            return 0;
        break;
    default:
        return 0;
    }
    if (b->is_axis)
        b->inverted = s->have & (1u << F_NEGATE) ? s->f[F_NEGATE] != 0 : 0;
    snprintf(b->action_id, sizeof b->action_id, "%s", s->key.concept);
    snprintf(b->context, sizeof b->context, "%.47s", s->key.group);
    b->line = s->line;
    return 1;
}

/* Which (context, action, device) already has a binding: the game's slots are per device
 * type, so a second binding of an action on the same device is its alternate. The key is the
 * three strings with their terminating NULs. */
typedef struct {
    UT_hash_handle hh;
    size_t len;
    char key[];
} sq_seen;

/* 1 if an alike binding was seen before, else 0 (and b is remembered); -1 out of memory. */
static int seen_before(sq_seen **seen, const binding *b)
{
    size_t lc = strlen(b->context) + 1, la = strlen(b->action_id) + 1;
    size_t len = lc + la + strlen(b->input.device) + 1;
    sq_seen *e = malloc(sizeof *e + len);
    if (!e)
        return -1;
    e->len = len;
    memcpy(e->key, b->context, lc);
    memcpy(e->key + lc, b->action_id, la);
    memcpy(e->key + lc + la, b->input.device, len - lc - la);
    sq_seen *o;
    HASH_FIND(hh, *seen, e->key, len, o);
    if (o) {
        free(e);
        return 1;
    }
    HASH_ADD_KEYPTR(hh, *seen, e->key, len, e);
    if (HASH_ADDED(e))
        return 0;
    free(e);
    return -1;
}

int squadrons_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    sq_ctx c = {.out = out};
    sq_seen *seen = NULL, *e, *tmp;
    sq_slot *sl, *sl_tmp;
    int rc = -1;
    if (read_lines(&c, f->data, f->len, err) < 0)
        goto done;
    if (!c.slots) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                c.preset ? "line 1: no GstKeyBinding lines: this profile uses the game's built-in "
                           "control preset, whose bindings are not in the file"
                         : "line 1: no GstKeyBinding lines, not a Squadrons profile");
        goto done;
    }
    for (sl = c.slots; sl; sl = sl->hh.next) {
        binding b;
        if (!slot_binding(&c, sl, &b))
            continue;
        games_label_binding(out->games, GAME, &b);
        int dup = seen_before(&seen, &b);
        if (dup < 0) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory reading binding slots");
            goto done;
        }
        b.secondary = dup;
        if (bindings_add(out, &b, GAMES_MAX_BINDINGS, err) < 0)
            goto done;
    }
    rc = 0;
done:
    HASH_ITER(hh, c.slots, sl, sl_tmp) {
        HASH_DEL(c.slots, sl);
        free(sl);
    }
    HASH_ITER(hh, seen, e, tmp) {
        HASH_DEL(seen, e);
        free(e);
    }
    return rc;
}
