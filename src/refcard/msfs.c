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
 * with a trailing space; keyboard keys by name ("G", "Left Shift", "Num 1", "F9"). Axis
 * dead zones live in <Axes> per axis, in percent. We found no reliable record of "reverse
 * axis" in these files, so inverted stays 0. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcard/games.h"
#include "refcard/refxml.h"

#define GAME "msfs2020"
#define MAX_KEYS (BIND_MAX_MODIFIERS + 1)
#define MAX_AXES 16

typedef struct {
    binding_set *out;
    int devices;
    char device[96];
    unsigned pid;
    int keyboard;           /* the Device is a keyboard */
    struct {
        char name[16];
        double deadzone;
    } axes[MAX_AXES];
    int n_axes;
    char context[48];
    char action[96];
    int in_list;            /* inside Primary/Secondary */
    int secondary;
    int list_line;
    char keys[MAX_KEYS][64];
    int n_keys;
    int in_friendly;        /* collecting FriendlyName text */
    size_t friendly_len;
} msfs_ctx;

/* Lower-case copy without spaces, hyphens and underscores, so the sim's spelling variants
 * meet: "Joystick L-Axis X " -> "joysticklaxisx", "JoystickPov Left" -> "joystickpovleft". */
static void squash(char *dst, size_t n, const char *s)
{
    size_t j = 0;
    for (; *s && j + 1 < n; s++)
        if (*s != ' ' && *s != '-' && *s != '_')
            dst[j++] = (char)tolower((unsigned char)*s);
    dst[j] = 0;
}

static const char *hat_dir(const char *s)
{
    static const char *dirs[] = {"upright", "downright", "downleft", "upleft",
                                 "up",      "right",     "down",     "left"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (strcmp(s, dirs[i]) == 0)
            return dirs[i];
    return NULL;
}

/* Normalise a joystick Information string; 0 if it is not a joystick input. */
static int joystick_control(const char *info, char *control, size_t n)
{
    char s[64];
    squash(s, sizeof s, info);
    if (strncmp(s, "joystick", 8) != 0)
        return 0;
    const char *r = s + 8;
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
            const char *msfs, *norm;
        } axes[] = {{"laxisx", "x"},   {"laxisy", "y"},   {"laxisz", "z"},
                    {"raxisx", "rx"},  {"raxisy", "ry"},  {"raxisz", "rz"},
                    {"axisx", "x"},    {"axisy", "y"},    {"axisz", "z"},
                    {"sliderx", "slider1"}, {"slidery", "dial1"}, {"sliderz", "slider2"}};
        for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
            if (strcmp(r, axes[i].msfs) == 0) {
                snprintf(control, n, "axis:%s", axes[i].norm);
                return 1;
            }
    }
    snprintf(control, n, "raw:%s", info);
    return 1;
}

/* Normalise a keyboard key name ("a", "Left Shift", "Num 1"); NULL if unknown. */
static const char *keyboard_key(const char *info, char *tmp, size_t n)
{
    const char *m = games_lookup(GAME, "keys", info);
    if (m)
        return m;
    /* Letters, digits and F-keys are spelt as themselves (letters in either case). */
    size_t l = strlen(info);
    if (l == 1 && isalnum((unsigned char)info[0])) {
        snprintf(tmp, n, "%c", toupper((unsigned char)info[0]));
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
    if (joystick_control(info, in->control, sizeof in->control)) {
        snprintf(in->device, sizeof in->device, "%s", c->device);
        in->pid = c->pid;
        return;
    }
    char tmp[8];
    const char *k = keyboard_key(info, tmp, sizeof tmp);
    if (k) {
        snprintf(in->device, sizeof in->device, "Keyboard");
        snprintf(in->control, sizeof in->control, "key:%s", k);
        return;
    }
    /* Mouse and gamepad inputs, and keys of other layouts: keep the sim's wording. */
    snprintf(in->device, sizeof in->device, "%s", c->keyboard ? "Keyboard" : c->device);
    if (!c->keyboard)
        in->pid = c->pid;
    snprintf(in->control, sizeof in->control, "%s%s", c->keyboard ? "key:" : "raw:", info);
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
    snprintf(b.action_id, sizeof b.action_id, "%s", c->action);
    snprintf(b.context, sizeof b.context, "%s", c->context);
    b.secondary = c->secondary;
    b.line = c->list_line;
    msfs_input(c, &b.input, c->keys[c->n_keys - 1]);
    for (int i = 0; i + 1 < c->n_keys; i++)
        msfs_input(c, &b.modifiers[b.n_modifiers++], c->keys[i]);
    if (strncmp(b.input.control, "axis:", 5) == 0) {
        b.is_axis = 1;
        b.deadzone = axis_deadzone(c, b.input.control);
    }
    games_label_binding(GAME, &b);
    err_t e = {0};
    if (bindings_add(c->out, &b, GAMES_MAX_BINDINGS, &e) < 0)
        refxml_fail_err(x, &e);
}

static void on_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    msfs_ctx *c = ud;
    if (depth == 1 && strcmp(name, "Version") != 0 && strcmp(name, "FriendlyName") != 0 &&
        strcmp(name, "Device") != 0 && strcmp(name, "DefaultInput") != 0) {
        refxml_fail(x, "unexpected top-level element <%.60s> in an MSFS input profile", name);
        return;
    }
    if (strcmp(name, "FriendlyName") == 0) {
        c->in_friendly = 1;
        c->friendly_len = 0;
        c->out->profile[0] = 0;
    } else if (strcmp(name, "Device") == 0) {
        const char *dn = refxml_attr(attrs, "DeviceName");
        const char *pid = refxml_attr(attrs, "ProductID");
        if (!dn || !*dn) {
            refxml_fail(x, "<Device> without DeviceName attribute");
            return;
        }
        snprintf(c->device, sizeof c->device, "%s", dn);
        c->keyboard = strstr(dn, "Keyboard") != NULL || strstr(dn, "keyboard") != NULL;
        c->pid = pid && !c->keyboard ? (unsigned)strtoul(pid, NULL, 10) & 0xFFFF : 0;
        c->n_axes = 0;
        c->devices++;
    } else if (strcmp(name, "Axis") == 0) {
        const char *an = refxml_attr(attrs, "AxisName"), *dz = refxml_attr(attrs, "AxisDeadZone");
        if (an && dz && c->n_axes < MAX_AXES) {
            char *end;
            double v = strtod(dz, &end);
            if (end == dz || *end || v < 0 || v > 100) {
                refxml_fail(x, "<Axis> AxisDeadZone \"%.20s\" is not a percentage", dz);
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
        if (!an || !*an) {
            refxml_fail(x, "<%s> without ActionName attribute", name);
            return;
        }
        snprintf(c->action, sizeof c->action, "%s", an);
    } else if (strcmp(name, "Primary") == 0 || strcmp(name, "Secondary") == 0) {
        if (!c->device[0]) {
            refxml_fail(x, "<%s> outside a <Device>", name);
            return;
        }
        if (!c->action[0]) {
            refxml_fail(x, "<%s> outside an <Action>", name);
            return;
        }
        c->in_list = 1;
        c->secondary = name[0] == 'S';
        c->list_line = refxml_line(x);
        c->n_keys = 0;
    } else if (strcmp(name, "KEY") == 0 && c->in_list) {
        const char *info = refxml_attr(attrs, "Information");
        if (!info) {
            refxml_fail(x, "<KEY> without Information attribute");
            return;
        }
        if (c->n_keys == MAX_KEYS) {
            refxml_fail(x, "more than %d keys in one combination", MAX_KEYS);
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
        if (c->n_keys > 0)
            emit(x, c);
    } else if (strcmp(name, "Action") == 0 || strcmp(name, "Actions") == 0) {
        c->action[0] = 0;
    } else if (strcmp(name, "Device") == 0) {
        c->device[0] = 0;
    }
}

int msfs_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    const char *data = f->data;
    size_t len = f->len;
    msfs_ctx c = {.out = out};
    refxml_handlers h = {.start = on_start, .end = on_end, .text = on_text, .ud = &c, .wrap = 1};
    if (refxml_parse(data, len, &h, err) < 0)
        return -1;
    if (c.devices == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: no <Device> element, not an MSFS input profile");
        return -1;
    }
    return 0;
}
