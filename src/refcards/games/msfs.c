/* msfs.c — parser for Microsoft Flight Simulator 2020 input profiles (XML, via refxml).
 *
 * What the sim writes (one file per device and profile, under ...\wgs\<ids>\ with no
 * extension; also the DefaultInput form of the SDK's input configuration files):
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <Version Num="2728"/>
 *   <FriendlyName PlatformAvailability="1">X56 stick profile</FriendlyName>
 *   <Device DeviceName="X56 H.O.T.A.S. Stick" GUID="{...}" ProductID="8737" CompositeID="0">
 *     <Axes><Axis AxisName="X" AxisSensitivy="-40" AxisDeadZone="2" .../></Axes>
 *     <Context ContextName="PLANE">
 *       <Action ActionName="KEY_GEAR_TOGGLE" Flag="2">
 *         <Primary><KEY Information="Joystick Button 3">2</KEY></Primary>
 *         <Secondary>...</Secondary>
 *       </Action> ...
 * i.e. several top-level elements (not well-formed XML on its own, hence refxml's wrap).
 * Some versions spell the action element <Actions>. ProductID is the USB PID in decimal
 * (no VID). A combination is several KEY elements in one Primary: the last is the input,
 * the ones before it are held modifiers ("Ctrl", "Tab"). KEY text is the sim's numeric
 * code (buttons 0-based); Information is what the UI shows and what we read: "Joystick
 * Button 12" (1-based), "Joystick Pov Up" (also "JoystickPov Left"), "Joystick L-Axis X"
 * (X/Y/Z), "Joystick R-Axis Z" (RX/RY/RZ), "Joystick Slider X" (slider, Y = dial), often
 * with a trailing space, a trailing "+"/"-" for half an axis used as a button; keyboard keys
 * by the layout's character ("G", "Left Shift", "Num 1", "F9", "#", "ä"); mouse inputs
 * ("Right-Click", "Mouse Wheel Up") inside the keyboard's profile. Axis dead zones live in
 * <Axes> per axis, in percent. We found no reliable record of "reverse axis" in these files,
 * so inverted stays 0.
 *
 * The profiles the sim ships for known devices (what MetaRefCard's test data holds) are one
 * document with the sim's own misspelt root, <DefaulftInput Primary="1"> around <Version/> and
 * <Device>; there ProductID is four hex digits ("B10A"), GUID has no braces, and Information
 * uses DirectInput and .NET names: "Button4" (1-based), "POV1_DOWN_LEFT", "Axis X +",
 * "Rotation Z", "Slider Y"; keys "LControlKey", "Return", "D7", "NumPad4", "OemMinus";
 * XInput pads "LB", "START", "LANALOG_X"; the mouse "MOUSE_LEFT", "MOUSE_WHEEL_UP".
 * A GUID ending in 504944564944 ("PIDVID") is a DirectInput product GUID whose first eight
 * hex digits are the USB PID and VID; instance GUIDs (...444553540000) carry no ids.
 * An entry that cannot be read is skipped with a warning; only a file that is not an MSFS
 * profile at all (another root, no <Device>) fails. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/games/refxml.h"

#define GAME "msfs2020"
#define MAX_KEYS (BIND_MAX_MODIFIERS + 1)
#define MAX_AXES 16

typedef enum { DEV_JOYSTICK, DEV_KEYBOARD, DEV_MOUSE, DEV_GAMEPAD } dev_kind;

typedef struct {
    binding_set *out;
    int devices;
    int in_default;         /* inside the sim's <DefaulftInput> document */
    int in_device;          /* inside a <Device> (even one we could not read) */
    char device[96];        /* "" while in a <Device> that has no name */
    unsigned vid, pid;
    dev_kind kind;
    char module[48];        /* <AircraftInfo AircraftPackageName> */
    struct {
        char name[16];
        double deadzone;
    } axes[MAX_AXES];
    int n_axes;
    char context[48];
    char action[96];
    int in_action;
    int in_list;            /* inside Primary/Secondary */
    int list_bad;           /* that list has a KEY we could not read: skip it */
    int secondary;
    int list_line;
    char keys[MAX_KEYS][64];
    int n_keys;
    int in_friendly;        /* collecting FriendlyName text */
    size_t friendly_len;
} msfs_ctx;

/* Lower-case copy without spaces, hyphens, underscores and a trailing +/-, so the sim's
 * spelling variants meet: "Joystick L-Axis X " -> "joysticklaxisx", "JoystickPov Left" ->
 * "joystickpovleft", "POV1_DOWN_LEFT" -> "pov1downleft", "Axis X +" -> "axisx". */
static void squash(char *dst, size_t n, const char *s)
{
    size_t j = 0;
    for (; *s && j + 1 < n; s++)
        if (*s != ' ' && *s != '-' && *s != '_' && *s != '+')
            dst[j++] = (char)tolower((unsigned char)*s);
    dst[j] = 0;
}

/* "Axis X +", "Joystick R-Axis Z-": half an axis, used as a button. */
static int half_axis(const char *info)
{
    size_t l = strlen(info);
    while (l && info[l - 1] == ' ')
        l--;
    return l >= 2 && (info[l - 1] == '+' || info[l - 1] == '-') &&
           (info[l - 2] == ' ' || isalpha((unsigned char)info[l - 2]));
}

static const char *hat_dir(const char *s)
{
    int i = control_index(control_hat_dirs, s);
    return i < 0 ? NULL : control_hat_dirs[i];
}

/* Normalise a joystick Information string ("Joystick Button 12", "Button12", "POV1_UP",
 * "Rotation Z"); 0 if it names no joystick control. */
static int joystick_control(const char *info, char *control, size_t n)
{
    char s[64];
    squash(s, sizeof s, info);
    const char *r = s;
    if (strncmp(r, "joystick", 8) == 0)
        r += 8;
    char *end;
    if (strncmp(r, "button", 6) == 0) {
        long b = strtol(r + 6, &end, 10);
        if (end != r + 6 && *end == 0 && b > 0 && b <= 256) {
            snprintf(control, n, "button:%ld", b);
            return 1;
        }
    } else if (strncmp(r, "pov", 3) == 0) {
        long h = 1;
        r += 3;
        if (isdigit((unsigned char)*r)) {
            h = strtol(r, &end, 10);
            r = end;
        }
        const char *dir = hat_dir(r);
        if (dir && h > 0 && h <= 8) {
            snprintf(control, n, "hat:%ld:%s", h, dir);
            return 1;
        }
    } else {
        static const struct {
            const char *msfs;
            int axis;
        } axes[] = {{"laxisx", CONTROL_AXIS_X},     {"laxisy", CONTROL_AXIS_Y},
                    {"laxisz", CONTROL_AXIS_Z},     {"raxisx", CONTROL_AXIS_RX},
                    {"raxisy", CONTROL_AXIS_RY},    {"raxisz", CONTROL_AXIS_RZ},
                    {"axisx", CONTROL_AXIS_X},      {"axisy", CONTROL_AXIS_Y},
                    {"axisz", CONTROL_AXIS_Z},      {"rotationx", CONTROL_AXIS_RX},
                    {"rotationy", CONTROL_AXIS_RY}, {"rotationz", CONTROL_AXIS_RZ},
                    {"sliderx", CONTROL_AXIS_SLIDER1}, {"slidery", CONTROL_AXIS_DIAL1},
                    {"sliderz", CONTROL_AXIS_SLIDER2}};
        for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
            if (strcmp(r, axes[i].msfs) == 0) {
                snprintf(control, n, "axis:%s", control_axes[axes[i].axis]);
                return 1;
            }
    }
    return 0;
}

/* Mouse inputs, whichever device's profile holds them; 0 if not one. */
static int mouse_control(const char *info, char *control, size_t n)
{
    char s[64];
    squash(s, sizeof s, info);
    static const struct {
        const char *msfs, *norm;
    } names[] = {{"leftclick", "button:1"},  {"rightclick", "button:2"}, {"midclick", "button:3"},
                 {"mouseleft", "button:1"},  {"mouseright", "button:2"}, {"mousemiddle", "button:3"},
                 {"mousewheelup", "axis:z"}, {"mousewheeldown", "axis:z"},
                 {"mousedeltaleft", "axis:x"}, {"mousedeltaright", "axis:x"},
                 {"mousedeltaup", "axis:y"}, {"mousedeltadown", "axis:y"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].msfs) == 0) {
            snprintf(control, n, "%s", names[i].norm);
            return 1;
        }
    char *end;
    if (strncmp(s, "mouse", 5) == 0 && isdigit((unsigned char)s[5])) {
        long b = strtol(s + 5, &end, 10);
        if (!*end && b > 0 && b <= 16) {
            snprintf(control, n, "button:%ld", b);
            return 1;
        }
    }
    return 0;
}

/* Normalise a keyboard key name ("a", "Left Shift", "Num 1", "LControlKey", "D7"); NULL if
 * unknown. */
static const char *keyboard_key(const games_registry *g, const char *info, char *tmp, size_t n)
{
    const char *m = games_lookup(g, GAME, "keys", info);
    if (m)
        return m;
    /* Letters, digits and F-keys are spelt as themselves (letters in either case); .NET
     * names digits D0..D9 and the keypad NumPad0..NumPad9. */
    size_t l = strlen(info);
    if (l == 1 && isalnum((unsigned char)info[0])) {
        snprintf(tmp, n, "%c", toupper((unsigned char)info[0]));
        return tmp;
    }
    if (l == 2 && info[0] == 'D' && isdigit((unsigned char)info[1])) {
        snprintf(tmp, n, "%c", info[1]);
        return tmp;
    }
    if (l == 7 && strncasecmp(info, "NumPad", 6) == 0 && isdigit((unsigned char)info[6])) {
        snprintf(tmp, n, "Numpad%c", info[6]);
        return tmp;
    }
    if ((info[0] == 'F' || info[0] == 'f') && l <= 3 && isdigit((unsigned char)info[1])) {
        int f = atoi(info + 1);
        if (f >= 1 && f <= 24) {
            snprintf(tmp, n, "F%d", f);
            return tmp;
        }
    }
    return NULL;
}

static void trim(char *s)
{
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1]))
        s[--l] = 0;
    size_t i = 0;
    while (isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, l - i + 1);
}

static void msfs_input(msfs_ctx *c, bind_input *in, const char *info)
{
    memset(in, 0, sizeof *in);
    const char *m;
    char tmp[16];
    if (c->kind == DEV_GAMEPAD && (m = games_lookup(c->out->games, GAME, "pad", info))) {
        snprintf(in->device, sizeof in->device, "%s", c->device);
        snprintf(in->control, sizeof in->control, "pad:%s", m);
        in->vid = c->vid;
        in->pid = c->pid;
        return;
    }
    if (c->kind != DEV_KEYBOARD && c->kind != DEV_MOUSE &&
        joystick_control(info, in->control, sizeof in->control)) {
        snprintf(in->device, sizeof in->device, "%s", c->device);
        in->vid = c->vid;
        in->pid = c->pid;
        return;
    }
    if (mouse_control(info, in->control, sizeof in->control) ||
        (c->kind == DEV_MOUSE && joystick_control(info, in->control, sizeof in->control))) {
        snprintf(in->device, sizeof in->device, "Mouse");
        return;
    }
    if (c->kind != DEV_GAMEPAD && (m = keyboard_key(c->out->games, info, tmp, sizeof tmp))) {
        snprintf(in->device, sizeof in->device, "Keyboard");
        snprintf(in->control, sizeof in->control, "key:%s", m);
        return;
    }
    /* Keys of layouts we have no id for and controls we do not know: keep the sim's
     * wording, the card lists them. */
    if (c->kind == DEV_KEYBOARD) {
        snprintf(in->device, sizeof in->device, "Keyboard");
        snprintf(in->control, sizeof in->control, "key:%s", info);
    } else {
        snprintf(in->device, sizeof in->device, "%s", c->device);
        snprintf(in->control, sizeof in->control, "raw:%s", info);
        in->vid = c->vid;
        in->pid = c->pid;
    }
}

static double axis_deadzone(const msfs_ctx *c, const char *control)
{
    static const struct {
        const char *norm, *msfs;
    } names[] = {{"axis:x", "X"},       {"axis:y", "Y"},       {"axis:z", "Z"},
                 {"axis:rx", "rX"},     {"axis:ry", "rY"},     {"axis:rz", "rZ"},
                 {"axis:slider1", "SliderX"}, {"axis:dial1", "SliderY"}, {"axis:slider2", "SliderZ"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(control, names[i].norm) == 0)
            for (int a = 0; a < c->n_axes; a++)
                if (strcasecmp(c->axes[a].name, names[i].msfs) == 0)
                    return c->axes[a].deadzone;
    return 0;
}

static void emit(refxml *x, msfs_ctx *c)
{
    binding b = {0};
    const char *last = c->keys[c->n_keys - 1];
    snprintf(b.action_id, sizeof b.action_id, "%s", c->action);
    snprintf(b.context, sizeof b.context, "%s", c->context);
    snprintf(b.module, sizeof b.module, "%s", c->module);
    b.secondary = c->secondary;
    b.line = c->list_line;
    msfs_input(c, &b.input, last);
    for (int i = 0; i + 1 < c->n_keys; i++)
        msfs_input(c, &b.modifiers[b.n_modifiers++], c->keys[i]);
    size_t ll = strlen(last);
    if (strncmp(b.input.control, "axis:", 5) == 0 && !half_axis(last) &&
        strcmp(b.input.device, "Mouse") != 0) {
        b.is_axis = 1;
        b.deadzone = axis_deadzone(c, b.input.control);
    } else if (strncmp(b.input.control, "pad:", 4) == 0 && ll > 2 && last[ll - 2] == '_' &&
               (last[ll - 1] == 'X' || last[ll - 1] == 'Y')) {
        b.is_axis = 1; /* "LANALOG_X": a whole stick axis, "LANALOG_LEFT" is half of one */
    }
    games_label_binding(c->out->games, GAME, &b);
    err_t e = {0};
    if (bindings_add(c->out, &b, GAMES_MAX_BINDINGS, &e) < 0)
        refxml_fail_err(x, &e);
}

/* ProductID: decimal in the profiles the sim saves ("8737"), four hex digits in the ones it
 * ships ("B10A", "0402"); "0x" marks hex anywhere. */
static unsigned product_id(const msfs_ctx *c, const char *s)
{
    if (!s)
        return 0;
    int hex = strncasecmp(s, "0x", 2) == 0, letters = 0, digits = 0;
    for (const char *p = s + (hex ? 2 : 0); *p; p++) {
        if (!isxdigit((unsigned char)*p))
            return 0;
        digits++;
        letters += !isdigit((unsigned char)*p);
    }
    if (!digits)
        return 0;
    unsigned long v = strtoul(s, NULL, hex || letters || (c->in_default && digits == 4) ? 16 : 10);
    return v <= 0xFFFF ? (unsigned)v : 0;
}

/* A DirectInput product GUID {PPPPVVVV-0000-0000-0000-504944564944} names the USB ids. */
static void guid_ids(const char *g, unsigned *vid, unsigned *pid)
{
    if (!g)
        return;
    if (*g == '{')
        g++;
    if (strlen(g) < 36 || strncasecmp(g + 24, "504944564944", 12) != 0)
        return;
    char p[5] = {0}, v[5] = {0};
    memcpy(p, g, 4);
    memcpy(v, g + 4, 4);
    for (int i = 0; i < 4; i++)
        if (!isxdigit((unsigned char)p[i]) || !isxdigit((unsigned char)v[i]))
            return;
    *pid = (unsigned)strtoul(p, NULL, 16);
    *vid = (unsigned)strtoul(v, NULL, 16);
}

static dev_kind device_kind(const char *name)
{
    if (strcasestr(name, "keyboard"))
        return DEV_KEYBOARD;
    if (strcasecmp(name, "Mouse") == 0)
        return DEV_MOUSE;
    if (strcasestr(name, "xinput") || strcasestr(name, "gamepad") || strcasestr(name, "xbox"))
        return DEV_GAMEPAD;
    return DEV_JOYSTICK;
}

static void start_device(refxml *x, msfs_ctx *c, const char **attrs)
{
    const char *dn = refxml_attr(attrs, "DeviceName");
    c->in_device = 1;
    c->devices++;
    c->n_axes = 0;
    c->module[0] = 0;
    c->vid = c->pid = 0;
    if (!dn || !*dn) {
        c->device[0] = 0;
        bindings_warn(c->out, refxml_line(x), "<Device>",
                      "no DeviceName attribute; its bindings are left out");
        return;
    }
    snprintf(c->device, sizeof c->device, "%s", dn);
    c->kind = device_kind(dn);
    if (c->kind == DEV_KEYBOARD || c->kind == DEV_MOUSE)
        return; /* their ProductID is the sim's own, not a USB id */
    c->pid = product_id(c, refxml_attr(attrs, "ProductID"));
    guid_ids(refxml_attr(attrs, "GUID"), &c->vid, &c->pid);
}

static void on_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    msfs_ctx *c = ud;
    if (depth == 1) {
        if (strcmp(name, "DefaulftInput") == 0 || strcmp(name, "DefaultInput") == 0) {
            c->in_default = 1;
            return;
        }
        if (strcmp(name, "Version") != 0 && strcmp(name, "FriendlyName") != 0 &&
            strcmp(name, "Device") != 0) {
            refxml_fail(x, "unexpected top-level element <%.60s> in an MSFS input profile", name);
            return;
        }
    }
    if (strcmp(name, "FriendlyName") == 0) {
        c->in_friendly = 1;
        c->friendly_len = 0;
        c->out->profile[0] = 0;
    } else if (strcmp(name, "Device") == 0) {
        start_device(x, c, attrs);
    } else if (strcmp(name, "AircraftInfo") == 0) {
        const char *pkg = refxml_attr(attrs, "AircraftPackageName");
        snprintf(c->module, sizeof c->module, "%s", pkg ? pkg : "");
    } else if (strcmp(name, "Axis") == 0) {
        const char *an = refxml_attr(attrs, "AxisName"), *dz = refxml_attr(attrs, "AxisDeadZone");
        if (an && dz && c->n_axes < MAX_AXES) {
            char *end;
            double v = strtod(dz, &end);
            if (end == dz || *end || v < 0 || v > 100) {
                bindings_warn(c->out, refxml_line(x), "<Axis>",
                              "AxisDeadZone \"%.20s\" is not a percentage; ignored", dz);
                return;
            }
            snprintf(c->axes[c->n_axes].name, sizeof c->axes[0].name, "%s", an);
            c->axes[c->n_axes++].deadzone = v / 100.0;
        }
    } else if (strcmp(name, "Context") == 0) {
        const char *cn = refxml_attr(attrs, "ContextName");
        snprintf(c->context, sizeof c->context, "%s", cn ? cn : "");
    } else if (strcmp(name, "Action") == 0 || strcmp(name, "Actions") == 0) {
        const char *an = refxml_attr(attrs, "ActionName");
        c->in_action = 1;
        c->action[0] = 0;
        if (!an || !*an)
            bindings_warn(c->out, refxml_line(x), "<Action>",
                          "no ActionName attribute; its bindings are left out");
        else
            snprintf(c->action, sizeof c->action, "%s", an);
    } else if (strcmp(name, "Primary") == 0 || strcmp(name, "Secondary") == 0) {
        if (!c->in_device || !c->in_action) {
            bindings_warn(c->out, refxml_line(x), name[0] == 'S' ? "<Secondary>" : "<Primary>",
                          "outside a <Device> and <Action>; left out");
            return;
        }
        if (!c->device[0] || !c->action[0])
            return; /* already warned about its Device or Action */
        c->in_list = 1;
        c->list_bad = 0;
        c->secondary = name[0] == 'S';
        c->list_line = refxml_line(x);
        c->n_keys = 0;
    } else if (strcmp(name, "KEY") == 0 && c->in_list && !c->list_bad) {
        char what[128];
        snprintf(what, sizeof what, "<KEY> of %.80s", c->action);
        const char *info = refxml_attr(attrs, "Information");
        if (!info) {
            bindings_warn(c->out, refxml_line(x), what, "no Information attribute; binding left out");
            c->list_bad = 1;
            return;
        }
        if (c->n_keys == MAX_KEYS) {
            bindings_warn(c->out, refxml_line(x), what,
                          "more than %d keys in one combination; binding left out", MAX_KEYS);
            c->list_bad = 1;
            return;
        }
        snprintf(c->keys[c->n_keys], sizeof c->keys[0], "%s", info);
        trim(c->keys[c->n_keys]);
        if (c->keys[c->n_keys][0])
            c->n_keys++;
    }
}

static void on_text(refxml *x, void *ud, const char *s, int len)
{
    msfs_ctx *c = ud;
    if (!c->in_friendly)
        return;
    size_t room = sizeof c->out->profile - 1 - c->friendly_len;
    size_t n = (size_t)len < room ? (size_t)len : room;
    memcpy(c->out->profile + c->friendly_len, s, n);
    c->friendly_len += n;
    c->out->profile[c->friendly_len] = 0;
}

static void on_end(refxml *x, void *ud, const char *name, int depth)
{
    msfs_ctx *c = ud;
    if (strcmp(name, "FriendlyName") == 0) {
        c->in_friendly = 0;
        trim(c->out->profile);
    } else if ((strcmp(name, "Primary") == 0 || strcmp(name, "Secondary") == 0) && c->in_list) {
        c->in_list = 0;
        if (c->n_keys > 0 && !c->list_bad)
            emit(x, c);
    } else if (strcmp(name, "Action") == 0 || strcmp(name, "Actions") == 0) {
        c->in_action = 0;
        c->action[0] = 0;
    } else if (strcmp(name, "Device") == 0) {
        c->in_device = 0;
        c->device[0] = 0;
    }
}

int msfs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    msfs_ctx c = {.out = out};
    refxml_handlers h = {.start = on_start, .end = on_end, .text = on_text, .ud = &c, .wrap = 1};
    if (refxml_parse(f->data, f->len, &h, err) < 0)
        return -1;
    if (c.devices == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: no <Device> element, not an MSFS input profile");
        return -1;
    }
    return 0;
}
