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
 * (sliders); Pos_/Neg_ prefixes (any case: "neg_") mark one half of an axis used as a button.
 *
 * What Frontier's shipped presets and players' files showed (tests/data/bindings/README):
 *  - unbound slots are Device="{NoDevice}" Key="", and the attribute is often spelt key="";
 *  - <Deadzone Value="DefaultPlatformDeadzone"/>: a named default where a number was expected;
 *  - <Primary ...><Hold Value="1"/></Primary> is a hold binding, <ToggleOn Value="0"/> after the
 *    slots makes the action active only while held; both give activation "hold";
 *  - gamepads are "GamePad" with Pad_A or GamePad_FaceDown names, also "XB360 Pad";
 *  - keys follow the player's <KeyboardLayout> (en-GB, fr-CH ...): Key_Hash, Key_LessThan,
 *    Key_Circumflex, Key_OEM_102 name keys of ISO boards, mapped through the "keys" and
 *    "layout_keys" ("<layout>:<name>") tables.
 * As the game does, an entry that cannot be read is skipped (bindings_warn) and the rest of the
 * file still counts; only a file that is not a <Root> document fails. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/games/refxml.h"

#define GAME "elite"

#define MAX_SLOTS 3 /* Primary, Secondary, Binding */

typedef struct {
    binding_set *out;
    char layout[16];    /* <KeyboardLayout> text, "" if none */
    int in_layout;
    char action[96];
    binding slot[MAX_SLOTS]; /* the action's bound slots, emitted at the action's end */
    int n_slots;
    int cur;            /* slot the open Primary/Secondary fills, -1 if none (unbound) */
    int axis;           /* slot of the <Binding>, -1 if none */
    int inverted;
    double deadzone;
    int hold;           /* <ToggleOn Value="0">: the action lasts while the control is held */
} elite_ctx;

/* "UpRight" -> "upright": Elite's hat directions are ours in camel case. */
static const char *hat_dir(const char *s)
{
    int i = control_index_nocase(control_hat_dirs, s);
    return i < 0 ? NULL : control_hat_dirs[i];
}

/* "Joy_XAxis" -> "x", "Joy_UAxis" -> "slider1"; NULL if not an axis name. */
static const char *joy_axis(const char *k)
{
    static const struct {
        const char *elite;
        int axis;
    } axes[] = {{"Joy_XAxis", CONTROL_AXIS_X},   {"Joy_YAxis", CONTROL_AXIS_Y},
                {"Joy_ZAxis", CONTROL_AXIS_Z},   {"Joy_RXAxis", CONTROL_AXIS_RX},
                {"Joy_RYAxis", CONTROL_AXIS_RY}, {"Joy_RZAxis", CONTROL_AXIS_RZ},
                {"Joy_UAxis", CONTROL_AXIS_SLIDER1}, {"Joy_VAxis", CONTROL_AXIS_SLIDER2}};
    for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
        if (strcasecmp(k, axes[i].elite) == 0)
            return control_axes[axes[i].axis];
    return NULL;
}

/* Key name without a Pos_/Neg_ half-axis prefix, in any case. */
static const char *strip_half(const char *key)
{
    if (strncasecmp(key, "Pos_", 4) == 0 || strncasecmp(key, "Neg_", 4) == 0)
        return key + 4;
    return key;
}

static void keyboard_control(const elite_ctx *c, bind_input *in, const char *key)
{
    char qualified[128];
    const char *m = NULL;
    if (c->layout[0]) {
        snprintf(qualified, sizeof qualified, "%s:%s", c->layout, key);
        m = games_lookup(c->out->games, GAME, "layout_keys", qualified);
    }
    if (!m)
        m = games_lookup(c->out->games, GAME, "keys", key);
    if (m)
        snprintf(in->control, sizeof in->control, "key:%s", m);
    else /* a layout-specific key we have no id for: keep its name, the card lists it */
        snprintf(in->control, sizeof in->control, "key:%s",
                 strncasecmp(key, "Key_", 4) == 0 ? key + 4 : key);
}

/* Normalise one Device/Key pair into in. */
static void elite_input(const elite_ctx *c, bind_input *in, const char *device, const char *key,
                        const char *index)
{
    memset(in, 0, sizeof *in);
    snprintf(in->device, sizeof in->device, "%s", device);
    if (index) {
        char *end;
        long n = strtol(index, &end, 10);
        in->device_index = end != index && n >= 0 && n < 64 ? (int)n : 0;
    }
    if (control_is_usb_hex_id(device)) { /* an unknown device is named by its USB ids: "231D0121" */
        char v[5] = {0}, p[5] = {0};
        memcpy(v, device, 4);
        memcpy(p, device + 4, 4);
        in->vid = (unsigned)strtoul(v, NULL, 16);
        in->pid = (unsigned)strtoul(p, NULL, 16);
    }
    if (strcmp(device, "Keyboard") == 0) {
        keyboard_control(c, in, key);
        return;
    }
    const char *k = strip_half(key), *m;
    /* Pad names ("Pad_A", "GamePad_FaceDown") mean the XInput pad whatever the device is
     * called ("GamePad", "XB360 Pad"). */
    if ((m = games_lookup(c->out->games, GAME, "pad", key)) || (m = games_lookup(c->out->games, GAME, "pad", k))) {
        snprintf(in->control, sizeof in->control, "pad:%s", m);
        return;
    }
    if (strcmp(device, "Mouse") == 0) {
        if (strncasecmp(k, "Mouse_", 6) == 0 && isdigit((unsigned char)k[6]))
            snprintf(in->control, sizeof in->control, "button:%d", atoi(k + 6));
        else if (strcasecmp(k, "Mouse_XAxis") == 0 || strcasecmp(k, "Mouse_YAxis") == 0 ||
                 strcasecmp(k, "Mouse_ZAxis") == 0)
            snprintf(in->control, sizeof in->control, "axis:%c", tolower((unsigned char)k[6]));
        else
            snprintf(in->control, sizeof in->control, "raw:%s", key);
        return;
    }
    /* A joystick, throttle, pedals, or a pad seen as a joystick (DualShock4 ...) */
    if (strncasecmp(k, "Joy_", 4) == 0 && isdigit((unsigned char)k[4])) {
        char *end;
        long n = strtol(k + 4, &end, 10);
        if (*end == 0 && n > 0 && n <= 256) {
            snprintf(in->control, sizeof in->control, "button:%ld", n);
            return;
        }
    }
    if (strncasecmp(k, "Joy_POV", 7) == 0 && isdigit((unsigned char)k[7])) {
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

static void emit(refxml *x, elite_ctx *c, binding *b)
{
    err_t e = {0};
    games_label_binding(c->out->games, GAME, b);
    if (bindings_add(c->out, b, GAMES_MAX_BINDINGS, &e) < 0)
        refxml_fail_err(x, &e);
}

static void warn(refxml *x, elite_ctx *c, const char *elem, const char *fmt, const char *arg)
{
    char what[96];
    snprintf(what, sizeof what, "<%.40s> of %.48s", elem, c->action[0] ? c->action : "?");
    bindings_warn(c->out, refxml_line(x), what, fmt, arg ? arg : "");
}

/* Device and Key of a slot element. 1 when bound; 0 for an unbound slot ({NoDevice}, empty
 * Key) or one that cannot be read (warned and skipped, as the game ignores it). */
static int device_key(refxml *x, elite_ctx *c, const char *elem, const char **attrs,
                      const char **device, const char **key)
{
    *device = refxml_attr(attrs, "Device");
    *key = refxml_attr(attrs, "Key");
    if (*device && strcmp(*device, "{NoDevice}") == 0)
        return 0;
    if (*key && !**key)
        return 0;
    if (!*device || !**device) {
        warn(x, c, elem, "no Device attribute%s", NULL);
        return 0;
    }
    if (!*key) {
        warn(x, c, elem, "no Key attribute for device %.40s", *device);
        return 0;
    }
    return 1;
}

/* Value of <Inverted>/<Deadzone>; 0 with *v set, -1 when it is not a number. */
static int value_number(const char **attrs, double *v)
{
    const char *s = refxml_attr(attrs, "Value");
    char *end;
    if (!s)
        return -1;
    *v = strtod(s, &end);
    return end == s || *end ? -1 : 0;
}

static void start_slot(refxml *x, elite_ctx *c, const char *name, const char **attrs)
{
    const char *device, *key;
    int is_axis = strcmp(name, "Binding") == 0;
    c->cur = -1;
    if (!device_key(x, c, name, attrs, &device, &key) || c->n_slots == MAX_SLOTS)
        return;
    binding *b = &c->slot[c->n_slots];
    memset(b, 0, sizeof *b);
    snprintf(b->action_id, sizeof b->action_id, "%s", c->action);
    b->secondary = strcmp(name, "Secondary") == 0;
    b->is_axis = is_axis;
    b->line = refxml_line(x);
    elite_input(c, &b->input, device, key, refxml_attr(attrs, "DeviceIndex"));
    if (is_axis)
        c->axis = c->n_slots;
    else
        c->cur = c->n_slots;
    c->n_slots++;
}

static void on_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    elite_ctx *c = ud;
    if (depth == 1) {
        if (strcmp(name, "Root") != 0) {
            refxml_fail(x, "root element <%.60s>, expected <Root> of an Elite Dangerous .binds file",
                        name);
            return;
        }
        const char *preset = refxml_attr(attrs, "PresetName");
        snprintf(c->out->profile, sizeof c->out->profile, "%s", preset ? preset : "");
        return;
    }
    if (depth == 2) {
        snprintf(c->action, sizeof c->action, "%s", name);
        c->n_slots = c->inverted = c->hold = 0;
        c->cur = c->axis = -1;
        c->deadzone = 0;
        c->in_layout = strcmp(name, "KeyboardLayout") == 0;
        if (c->in_layout)
            c->layout[0] = 0;
        return;
    }
    if (depth == 3) {
        double v;
        if (strcmp(name, "Primary") == 0 || strcmp(name, "Secondary") == 0 ||
            strcmp(name, "Binding") == 0) {
            start_slot(x, c, name, attrs);
        } else if (strcmp(name, "Inverted") == 0) {
            if (value_number(attrs, &v) == 0)
                c->inverted = v != 0;
            else
                warn(x, c, name, "Value \"%.40s\" is not a number; not inverted",
                     refxml_attr(attrs, "Value"));
        } else if (strcmp(name, "Deadzone") == 0) {
            /* A name ("DefaultPlatformDeadzone") leaves the game's default: no dead zone of
             * our own to show. */
            if (value_number(attrs, &v) < 0)
                return;
            if (v < 0 || v > 1) {
                char num[32];
                snprintf(num, sizeof num, "%g", v);
                warn(x, c, name, "Value %s is outside 0..1; ignored", num);
                return;
            }
            c->deadzone = v;
        } else if (strcmp(name, "ToggleOn") == 0) {
            const char *t = refxml_attr(attrs, "Value");
            c->hold = t && strcmp(t, "0") == 0;
        }
        return;
    }
    if (depth == 4 && c->cur >= 0) {
        binding *b = &c->slot[c->cur];
        const char *device, *key;
        if (strcmp(name, "Modifier") == 0) {
            if (!device_key(x, c, name, attrs, &device, &key))
                return;
            if (b->n_modifiers == BIND_MAX_MODIFIERS) {
                warn(x, c, name, "more than 4 modifiers; %.40s left out", key);
                return;
            }
            elite_input(c, &b->modifiers[b->n_modifiers++], device, key,
                        refxml_attr(attrs, "DeviceIndex"));
        } else if (strcmp(name, "Hold") == 0) {
            const char *t = refxml_attr(attrs, "Value");
            if (t && strcmp(t, "1") == 0)
                snprintf(b->activation, sizeof b->activation, "hold");
        }
    }
}

static void on_text(refxml *x, void *ud, const char *s, int len)
{
    elite_ctx *c = ud;
    if (!c->in_layout)
        return;
    size_t have = strlen(c->layout);
    for (int i = 0; i < len && have + 1 < sizeof c->layout; i++)
        if (!isspace((unsigned char)s[i]))
            c->layout[have++] = s[i];
    c->layout[have] = 0;
}

static void on_end(refxml *x, void *ud, const char *name, int depth)
{
    elite_ctx *c = ud;
    if (depth == 3)
        c->cur = -1;
    if (depth != 2)
        return;
    c->in_layout = 0;
    for (int i = 0; i < c->n_slots; i++) {
        binding *b = &c->slot[i];
        if (i == c->axis) {
            b->inverted = c->inverted;
            b->deadzone = c->deadzone;
        }
        if (c->hold && !b->activation[0])
            snprintf(b->activation, sizeof b->activation, "hold");
        emit(x, c, b);
    }
    c->n_slots = 0;
}

int elite_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    elite_ctx c = {.out = out, .cur = -1, .axis = -1};
    refxml_handlers h = {.start = on_start, .end = on_end, .text = on_text, .ud = &c};
    return refxml_parse(f->data, f->len, &h, err);
}
