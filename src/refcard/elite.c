/* elite.c — parser for Elite Dangerous .binds files (XML, read with expat through refxml).
 *
 * Shape of the file: <Root PresetName=".." MajorVersion=".." MinorVersion="..">, then one
 * element per action. A button action holds <Primary Device="" Key=""/> and
 * <Secondary .../>, each with zero or more <Modifier Device="" Key=""/> children; an axis
 * action holds <Binding Device="" Key=""/>, <Inverted Value="0|1"/> and
 * <Deadzone Value="0.0"/>. Settings are action-like elements with only a Value attribute
 * (<MouseXMode Value=""/>, <ToggleOn Value="1"/>) and bind nothing. Device="{NoDevice}"
 * (or an empty Key) means unbound. Devices are Keyboard (Key_A, Key_LeftShift,
 * Key_Numpad_1 ...), Mouse (Mouse_1, Mouse_XAxis), GamePad (Pad_A, Pos_Pad_LTrigger ...)
 * and joysticks by model name (ThrustMasterWarthogJoystick, SaitekX56Throttle ...) or, for
 * unknown ones, an 8-hex-digit VID+PID string ("231D0200" = VID 231D, PID 0200), with
 * an optional DeviceIndex attribute when two alike are plugged in. Joystick keys: Joy_1 ..
 * Joy_128, Joy_POV1Up/Right/Down/Left, Joy_XAxis .. Joy_RZAxis, Joy_UAxis/Joy_VAxis
 * (sliders); Pos_/Neg_ prefixes mark one half of an axis used as a button. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcard/games.h"
#include "refcard/refxml.h"

#define GAME "elite"

typedef struct {
    binding_set *out;
    int root_seen;
    char action[96];
    binding cur;      /* the Primary/Secondary being read */
    int cur_active;   /* it is bound (so its modifiers count) */
    binding axis;     /* the action's <Binding>, emitted at the action's end */
    int axis_active;
    int inverted;
    double deadzone;
} elite_ctx;

static int is_hex8(const char *s)
{
    if (strlen(s) != 8)
        return 0;
    for (int i = 0; i < 8; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static const char *hat_dir(const char *s)
{
    static const struct {
        const char *elite, *norm;
    } dirs[] = {{"UpRight", "upright"},     {"DownRight", "downright"}, {"DownLeft", "downleft"},
                {"UpLeft", "upleft"},       {"Up", "up"},               {"Right", "right"},
                {"Down", "down"},           {"Left", "left"}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (strcmp(s, dirs[i].elite) == 0)
            return dirs[i].norm;
    return NULL;
}

/* "Joy_XAxis" -> "x", "Joy_UAxis" -> "slider1"; NULL if not an axis name. */
static const char *joy_axis(const char *k)
{
    static const struct {
        const char *elite, *norm;
    } axes[] = {{"Joy_XAxis", "x"},   {"Joy_YAxis", "y"},   {"Joy_ZAxis", "z"},
                {"Joy_RXAxis", "rx"}, {"Joy_RYAxis", "ry"}, {"Joy_RZAxis", "rz"},
                {"Joy_UAxis", "slider1"}, {"Joy_VAxis", "slider2"}};
    for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
        if (strcmp(k, axes[i].elite) == 0)
            return axes[i].norm;
    return NULL;
}

/* Normalise one Device/Key pair into in. */
static void elite_input(bind_input *in, const char *device, const char *key, const char *index)
{
    memset(in, 0, sizeof *in);
    snprintf(in->device, sizeof in->device, "%s", device);
    in->device_index = index ? atoi(index) : 0;
    if (is_hex8(device)) {
        char v[5] = {0}, p[5] = {0};
        memcpy(v, device, 4);
        memcpy(p, device + 4, 4);
        in->vid = (unsigned)strtoul(v, NULL, 16);
        in->pid = (unsigned)strtoul(p, NULL, 16);
    }
    const char *m;
    if (strcmp(device, "Keyboard") == 0) {
        m = games_lookup(GAME, "keys", key);
        if (m)
            snprintf(in->control, sizeof in->control, "key:%s", m);
        else /* a layout-specific key we have no id for: keep its name, the card lists it */
            snprintf(in->control, sizeof in->control, "key:%s",
                     strncmp(key, "Key_", 4) == 0 ? key + 4 : key);
        return;
    }
    if (strcmp(device, "GamePad") == 0) {
        m = games_lookup(GAME, "pad", key);
        snprintf(in->control, sizeof in->control, m ? "pad:%s" : "raw:%s", m ? m : key);
        return;
    }
    if (strcmp(device, "Mouse") == 0) {
        if (strncmp(key, "Mouse_", 6) == 0 && isdigit((unsigned char)key[6]))
            snprintf(in->control, sizeof in->control, "button:%d", atoi(key + 6));
        else if (strcmp(key, "Mouse_XAxis") == 0 || strcmp(key, "Mouse_YAxis") == 0 ||
                 strcmp(key, "Mouse_ZAxis") == 0)
            snprintf(in->control, sizeof in->control, "axis:%c", tolower((unsigned char)key[6]));
        else
            snprintf(in->control, sizeof in->control, "raw:%s", key);
        return;
    }
    /* A joystick, throttle, pedals ... */
    const char *k = key;
    if (strncmp(k, "Pos_", 4) == 0 || strncmp(k, "Neg_", 4) == 0)
        k += 4;
    if (strncmp(k, "Joy_", 4) == 0 && isdigit((unsigned char)k[4])) {
        char *end;
        long n = strtol(k + 4, &end, 10);
        if (*end == 0 && n > 0 && n <= 256) {
            snprintf(in->control, sizeof in->control, "button:%ld", n);
            return;
        }
    }
    if (strncmp(k, "Joy_POV", 7) == 0 && isdigit((unsigned char)k[7])) {
        char *end;
        long n = strtol(k + 7, &end, 10);
        const char *dir = hat_dir(end);
        if (dir && n > 0 && n <= 8) {
            snprintf(in->control, sizeof in->control, "hat:%ld:%s", n, dir);
            return;
        }
    }
    if ((m = joy_axis(k))) {
        snprintf(in->control, sizeof in->control, "axis:%s", m);
        return;
    }
    snprintf(in->control, sizeof in->control, "raw:%s", key);
}

static int bound(const char *device, const char *key)
{
    return strcmp(device, "{NoDevice}") != 0 && key[0] != 0;
}

static void emit(refxml *x, elite_ctx *c, binding *b)
{
    err_t e = {0};
    games_label_binding(GAME, b);
    if (bindings_add(c->out, b, GAMES_MAX_BINDINGS, &e) < 0)
        refxml_fail_err(x, &e);
}

/* Device and Key of a binding element; fails the parse if either is missing. */
static int device_key(refxml *x, const char *elem, const char **attrs, const char **device,
                      const char **key)
{
    *device = refxml_attr(attrs, "Device");
    *key = refxml_attr(attrs, "Key");
    if (!*device) {
        refxml_fail(x, "<%.40s> without Device attribute", elem);
        return -1;
    }
    if (!*key) {
        refxml_fail(x, "<%.40s> without Key attribute", elem);
        return -1;
    }
    return 0;
}

static int parse_number(refxml *x, const char *elem, const char *v, double *out)
{
    char *end;
    if (!v) {
        refxml_fail(x, "<%.40s> without Value attribute", elem);
        return -1;
    }
    *out = strtod(v, &end);
    if (end == v || *end) {
        refxml_fail(x, "<%.40s> Value \"%.40s\" is not a number", elem, v);
        return -1;
    }
    return 0;
}

static void on_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    elite_ctx *c = ud;
    const char *device, *key;
    if (depth == 1) {
        if (strcmp(name, "Root") != 0) {
            refxml_fail(x, "root element <%.60s>, expected <Root> of an Elite Dangerous .binds file",
                        name);
            return;
        }
        c->root_seen = 1;
        const char *preset = refxml_attr(attrs, "PresetName");
        snprintf(c->out->profile, sizeof c->out->profile, "%s", preset ? preset : "");
        return;
    }
    if (depth == 2) {
        snprintf(c->action, sizeof c->action, "%s", name);
        c->axis_active = c->inverted = 0;
        c->deadzone = 0;
        return;
    }
    if (depth == 3) {
        int secondary = strcmp(name, "Secondary") == 0;
        if (secondary || strcmp(name, "Primary") == 0) {
            c->cur_active = 0;
            if (device_key(x, name, attrs, &device, &key) < 0 || !bound(device, key))
                return;
            memset(&c->cur, 0, sizeof c->cur);
            snprintf(c->cur.action_id, sizeof c->cur.action_id, "%s", c->action);
            c->cur.secondary = secondary;
            c->cur.line = refxml_line(x);
            elite_input(&c->cur.input, device, key, refxml_attr(attrs, "DeviceIndex"));
            c->cur_active = 1;
        } else if (strcmp(name, "Binding") == 0) {
            if (device_key(x, name, attrs, &device, &key) < 0 || !bound(device, key))
                return;
            memset(&c->axis, 0, sizeof c->axis);
            snprintf(c->axis.action_id, sizeof c->axis.action_id, "%s", c->action);
            c->axis.is_axis = 1;
            c->axis.line = refxml_line(x);
            elite_input(&c->axis.input, device, key, refxml_attr(attrs, "DeviceIndex"));
            c->axis_active = 1;
        } else if (strcmp(name, "Inverted") == 0) {
            double v;
            if (parse_number(x, name, refxml_attr(attrs, "Value"), &v) == 0)
                c->inverted = v != 0;
        } else if (strcmp(name, "Deadzone") == 0) {
            double v;
            if (parse_number(x, name, refxml_attr(attrs, "Value"), &v) < 0)
                return;
            if (v < 0 || v > 1) {
                refxml_fail(x, "<Deadzone> Value %.3g is outside 0..1", v);
                return;
            }
            c->deadzone = v;
        }
        return;
    }
    if (depth == 4 && strcmp(name, "Modifier") == 0 && c->cur_active) {
        if (device_key(x, name, attrs, &device, &key) < 0 || !bound(device, key))
            return;
        if (c->cur.n_modifiers == BIND_MAX_MODIFIERS) {
            refxml_fail(x, "more than %d modifiers on one binding", BIND_MAX_MODIFIERS);
            return;
        }
        elite_input(&c->cur.modifiers[c->cur.n_modifiers++], device, key,
                    refxml_attr(attrs, "DeviceIndex"));
    }
}

static void on_end(refxml *x, void *ud, const char *name, int depth)
{
    elite_ctx *c = ud;
    if (depth == 3 && c->cur_active) {
        c->cur_active = 0;
        emit(x, c, &c->cur);
    } else if (depth == 2 && c->axis_active) {
        c->axis_active = 0;
        c->axis.inverted = c->inverted;
        c->axis.deadzone = c->deadzone;
        emit(x, c, &c->axis);
    }
}

int elite_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    const char *data = f->data;
    size_t len = f->len;
    elite_ctx c = {.out = out};
    refxml_handlers h = {.start = on_start, .end = on_end, .ud = &c};
    return refxml_parse(data, len, &h, err);
}
