/* sc.c — parser for Star Citizen binding files (XML, read with expat through refxml).
 *
 * Three shapes; two share the root <ActionMaps>:
 *  - actionmaps.xml, what the game keeps in USER/Client/0/Profiles/default: a bare
 *    <ActionMaps> holding one or more <ActionProfiles profileName="default" ...>, each with
 *    its own <options>, <deviceoptions>, <modifiers/> and <actionmap> elements. It holds only
 *    what differs from the game's defaults, so an input of "js1_ " there means "the player
 *    cleared this default".
 *  - a layout exported from the options menu (USER/Client/0/Controls/Mappings/
 *    layout_<name>_exported.xml): <ActionMaps profileName=".."> with a <CustomisationUIHeader
 *    label=".."> (<devices>, <categories>) and the same elements directly under the root.
 *  - the game's defaultProfile.xml (inside Data.p4k; tools extract it): <profile> root,
 *    <actionmap><action name="v_pitch" keyboard="" gamepad="thumbry" joystick="y"
 *    mouse=""/>, a child <keyboard input=".."/> or <gamepad><inputdata input=".."/>...
 *    replacing that device's attribute. Its joystick is "Joystick 1", its profile
 *    "Game defaults".
 * The first two: <options type="joystick" instance="N" Product=" VKBsim Gladiator EVO R
 * {0200231D-0000-0000-0000-504944564944}"> names joystick N (padded with blanks; the GUID is
 * DirectInput's product GUID, PID then VID before the "PIDVID" tail), <deviceoptions
 * name="<same Product>"><option input="x" deadzone="0.03"/> sets axis dead zones, and
 * <actionmap name="spaceship_movement"><action name="v_pitch"><rebind input="js1_y"/>
 * binds. An input is a device prefix (js<N>_, kb<N>_, mo<N>_, gp<N>_) and a '+'-joined
 * combination ("kb1_lalt+k", "js1_rctrl+button3", "gp1_shoulderl+a"); the held keys usually
 * come first but the game's own defaults also write "u+lshift". Empty inputs (" ", "js2_ ")
 * bind nothing. A <rebind> may carry activationMode ("double_tap", "delayed_press", ...) or
 * multiTap="2". The game's shipped layouts also write device="keyboard" next to an input
 * without prefix; the 1.x/2.x game wrote more bindings of an action as <addbind>, the
 * gamepad as "xi1_" (or "xi_"), and the held key before the prefix ("rctrl+js1_rotz"). Joystick names are resolved once the whole file is read: nothing in the
 * format promises that <options> come before the actionmaps that use them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/games/refxml.h"

#define GAME "starcitizen"
#define SC_MAX_PROFILES 16
#define SC_MAX_STICKS 32     /* <options type="joystick"> kept per profile */
#define SC_MAX_DEADZONES 64  /* <deviceoptions><option> kept per profile */
#define SC_MAX_KEYS (BIND_MAX_MODIFIERS + 1)
#define SC_DEVICES 4         /* keyboard, gamepad, joystick, mouse */
#define SC_DEFAULTS_NAME "Game defaults"

typedef struct {
    int instance;        /* the N of jsN_ */
    char product[128];   /* Product as written, GUID and padding included */
    char name[96];       /* Product without the GUID, blanks collapsed */
    unsigned vid, pid;
    int index;           /* among sticks of the same product, by instance */
} sc_stick;

typedef struct {
    char product[128];
    char input[16];      /* "x", "rotz", "slider1" */
    double deadzone;
} sc_deadzone;

typedef struct {
    char name[96];
    sc_stick sticks[SC_MAX_STICKS];
    int n_sticks;
    sc_deadzone dz[SC_MAX_DEADZONES];
    int n_dz;
    int bindings;
} sc_profile;

/* What a binding still needs once the file is read: its profile, the joystick instance of
 * its input and of each modifier (0 when not a joystick), and the axis for the dead zone. */
typedef struct {
    int profile;
    int inst[SC_MAX_KEYS];
    char axis[16];
} sc_pending;

typedef struct {
    binding_set *out;
    sc_profile *profiles; /* [0] is the root (exported layouts), then each <ActionProfiles> */
    int n_profiles;
    int cur;              /* profile being read, -1 while skipping one past the limit */
    char label[96];       /* <CustomisationUIHeader label>, when profileName is missing */
    char deviceoptions[128];
    int in_deviceoptions;
    char actionmap[48];
    char action[96];
    char action_mode[40]; /* activationMode on the <action> itself */
    int in_action;
    int action_depth;
    int defaults;         /* the file is the game's defaultProfile.xml */
    int actionmaps;       /* <actionmap> elements seen */
    int action_line;
    int dev_set[SC_DEVICES];   /* defaultProfile: the action's keyboard=, gamepad=, ... */
    int dev_child[SC_DEVICES]; /* ... overridden by a child element of that name */
    char dev_input[SC_DEVICES][128];
    int in_devchild;      /* 1 + device inside <gamepad>...</gamepad>, else 0 */
    sc_pending *pending;  /* one per binding added, same order as out->items */
    size_t n_pending, cap_pending;
    int unreadable;       /* rebinds skipped with a warning */
    int first_bad_line;
    char first_bad[200];
} sc_ctx;

/* ---- small string helpers ---- */

/* How many of the l bytes of s fit a field of n: cut, if at all, at a UTF-8 character's
 * start, so a long "Manette Légion écarlate" never ends in half an "é". */
static size_t sc_fit(const char *s, size_t l, size_t n)
{
    if (l < n)
        return l;
    l = n - 1;
    while (l > 0 && ((unsigned char)s[l] & 0xC0) == 0x80)
        l--;
    return l;
}

static void sc_copy(char *dst, size_t n, const char *src)
{
    size_t l = sc_fit(src, strlen(src), n);
    memmove(dst, src, l);
    dst[l] = 0;
}

static void sc_trim_copy(char *dst, size_t n, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1]))
        l--;
    l = sc_fit(s, l, n);
    memmove(dst, s, l);
    dst[l] = 0;
}

static int sc_all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* A number 1..max written with digits only ("12"), else 0. */
static long sc_number(const char *s, long max)
{
    if (!sc_all_digits(s) || strlen(s) > 4)
        return 0;
    long v = strtol(s, NULL, 10);
    return v >= 1 && v <= max ? v : 0;
}

/* "{0200231D-0000-0000-0000-504944564944}" → PID 0x0200, VID 0x231D. DirectInput builds a
 * HID device's product GUID as PID, VID, then the bytes of "PIDVID"; any other GUID (the
 * system keyboard's {6F1D2B61-...}) carries no USB ids. */
static void sc_guid_ids(const char *guid, unsigned *vid, unsigned *pid)
{
    *vid = *pid = 0;
    if (strlen(guid) != 38 || guid[0] != '{' || guid[37] != '}' ||
        strncasecmp(guid + 25, "504944564944", 12) != 0)
        return;
    for (int i = 1; i <= 8; i++)
        if (!isxdigit((unsigned char)guid[i]))
            return;
    char p[5] = {0}, v[5] = {0};
    memcpy(p, guid + 1, 4);
    memcpy(v, guid + 5, 4);
    *pid = (unsigned)strtoul(p, NULL, 16);
    *vid = (unsigned)strtoul(v, NULL, 16);
}

/* " VKBsim Gladiator EVO  R    {0200231D-...}" → "VKBsim Gladiator EVO R" and its ids. */
static void sc_product_name(const char *product, char *name, size_t n, unsigned *vid,
                            unsigned *pid)
{
    char buf[128];
    sc_trim_copy(buf, sizeof buf, product);
    *vid = *pid = 0;
    char *brace = strrchr(buf, '{');
    if (brace && buf[strlen(buf) - 1] == '}') {
        sc_guid_ids(brace, vid, pid);
        *brace = 0;
    }
    char tmp[128];
    size_t j = 0;
    for (const char *s = buf; *s; s++) {
        if (!isspace((unsigned char)*s))
            tmp[j++] = *s;
        else if (j && tmp[j - 1] != ' ')
            tmp[j++] = ' ';
    }
    while (j && tmp[j - 1] == ' ')
        j--;
    tmp[j] = 0;
    sc_copy(name, n, tmp);
}

/* ---- inputs ---- */

/* The keyboard keys Star Citizen accepts as modifiers. */
static int sc_is_modifier_key(const char *t)
{
    static const char *const mods[] = {"lalt", "ralt", "lctrl", "rctrl", "lshift", "rshift"};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if (strcmp(t, mods[i]) == 0)
            return 1;
    return 0;
}

static void sc_set(bind_input *in, const char *device, const char *fmt, const char *arg)
{
    snprintf(in->device, sizeof in->device, "%s", device);
    snprintf(in->control, sizeof in->control, fmt, arg);
}

/* A mouse token, whatever device prefix it came with: the game records mouse buttons pressed
 * while binding "keyboard" actions as kb1_mouse4. 1 if it was one. */
static int sc_mouse_control(const char *t, bind_input *in, int *is_axis)
{
    long b;
    if (strncmp(t, "mouse", 5) == 0 && (b = sc_number(t + 5, 16))) {
        snprintf(in->device, sizeof in->device, "Mouse");
        snprintf(in->control, sizeof in->control, "button:%ld", b);
        return 1;
    }
    if (strncmp(t, "maxis_", 6) == 0 && t[6] >= 'x' && t[6] <= 'z' && !t[7]) {
        snprintf(in->device, sizeof in->device, "Mouse");
        snprintf(in->control, sizeof in->control, "axis:%c", t[6]);
        *is_axis = 1;
        return 1;
    }
    if (strcmp(t, "mwheel_up") == 0 || strcmp(t, "mwheel_down") == 0 ||
        strcmp(t, "mwheel_left") == 0 || strcmp(t, "mwheel_right") == 0) {
        sc_set(in, "Mouse", "raw:%s", t);
        return 1;
    }
    return 0;
}

static int sc_key_control(const games_registry *g, const char *t, bind_input *in, char *why, size_t wn)
{
    const char *k = games_lookup(g, GAME, "keys", t);
    if (k) {
        sc_set(in, "Keyboard", "key:%s", k);
        return 0;
    }
    size_t l = strlen(t);
    long f;
    if (l == 1 && isalnum((unsigned char)t[0])) {
        char up[2] = {(char)toupper((unsigned char)t[0]), 0};
        sc_set(in, "Keyboard", "key:%s", up);
        return 0;
    }
    if (t[0] == 'f' && (f = sc_number(t + 1, 24))) {
        snprintf(in->device, sizeof in->device, "Keyboard");
        snprintf(in->control, sizeof in->control, "key:F%ld", f);
        return 0;
    }
    /* A key of another layout we have no id for ("oem_102", "colon"): keep the game's name so
     * the card lists it rather than losing it. */
    for (const char *s = t; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') {
            snprintf(why, wn, "unknown key \"%.40s\"", t);
            return -1;
        }
    if (strncmp(t, "hmd_", 4) == 0) {
        snprintf(why, wn, "head tracking axis \"%.40s\", not a key", t);
        return -1;
    }
    char id[40];
    size_t j = 0;
    for (const char *s = t; *s && j + 1 < sizeof id; s++)
        if (*s != '_')
            id[j++] = *s;
    id[j] = 0;
    sc_set(in, "Keyboard", "key:%s", id);
    return 0;
}

static int sc_joystick_control(const char *t, bind_input *in, int *is_axis, char *why, size_t wn)
{
    /* Star Citizen's axes in controls.h's order, up to the second slider */
    static const char *const axes[] = {"x",    "y",    "z",       "rotx",    "roty",
                                       "rotz", "slider1", "slider2", NULL};
    long n;
    if (strncmp(t, "button", 6) == 0) {
        if ((n = sc_number(t + 6, 128))) {
            snprintf(in->control, sizeof in->control, "button:%ld", n);
            return 0;
        }
        snprintf(why, wn, "button number \"%.20s\" is not 1..128", t + 6);
        return -1;
    }
    if (strncmp(t, "hat", 3) == 0) {
        const char *us = strchr(t, '_');
        char num[8] = {0};
        if (us && (size_t)(us - t - 3) < sizeof num) {
            memcpy(num, t + 3, (size_t)(us - t - 3));
            int d = control_index(control_hat_dirs, us + 1);
            if ((n = sc_number(num, 4)) && d >= 0) {
                snprintf(in->control, sizeof in->control, "hat:%ld:%s", n, control_hat_dirs[d]);
                return 0;
            }
        }
        snprintf(why, wn, "unknown hat \"%.40s\"", t);
        return -1;
    }
    int i = control_index(axes, t);
    if (i >= 0) {
        snprintf(in->control, sizeof in->control, "axis:%s", control_axes[i]);
        *is_axis = 1;
        return 0;
    }
    snprintf(why, wn, "unknown joystick control \"%.40s\"", t);
    return -1;
}

/* One token of a combination, on device family fam ('j', 'k', 'm', 'g') number inst.
 * *js_inst is set for joystick controls (their device is named later). */
static int sc_control(const games_registry *g, char fam, int inst, const char *t, bind_input *in, int *is_axis,
                      int *js_inst, char *why, size_t wn)
{
    memset(in, 0, sizeof *in);
    *is_axis = 0;
    *js_inst = 0;
    if (sc_is_modifier_key(t) || fam == 'k') {
        if (fam == 'k' && sc_mouse_control(t, in, is_axis))
            return 0;
        return sc_key_control(g, t, in, why, wn);
    }
    if (fam == 'm') {
        if (sc_mouse_control(t, in, is_axis))
            return 0;
        snprintf(why, wn, "unknown mouse control \"%.40s\"", t);
        return -1;
    }
    if (fam == 'g') {
        const char *p = games_lookup(g, GAME, "pad", t);
        if (!p) {
            snprintf(why, wn, "unknown gamepad control \"%.40s\"", t);
            return -1;
        }
        sc_set(in, "Gamepad", "pad:%s", p);
        in->device_index = inst - 1;
        /* Sticks and analogue triggers as axes; their directions (thumbl_up) and the
         * triggers' clicks (triggerl_btn) are pressed like buttons. */
        *is_axis = (strncmp(t, "thumb", 5) == 0 && strlen(t) == 7 &&
                    (t[6] == 'x' || t[6] == 'y')) ||
                   strcmp(t, "triggerl") == 0 || strcmp(t, "triggerr") == 0;
        return 0;
    }
    if (sc_joystick_control(t, in, is_axis, why, wn) < 0)
        return -1;
    *js_inst = inst;
    return 0;
}

/* A device prefix at the start of t: "js2_", "kb1_", "mo1_", "gp1_", and the 1.x/2.x game's
 * gamepad "xi1_" / "xi_". 1 with family, instance and *rest after the '_' set; 0 if t has
 * none; -1 (why) for a prefix with a device number out of range. */
static int sc_prefix(char *t, char *fam, int *inst, char **rest, char *why, size_t wn)
{
    static const struct {
        const char *p;
        char fam;
    } prefixes[] = {{"js", 'j'}, {"kb", 'k'}, {"mo", 'm'}, {"gp", 'g'}, {"xi", 'g'}};
    while (isspace((unsigned char)*t))
        t++;
    const char *us = strchr(t, '_');
    if (!us || us - t < 2 || us - t > 5)
        return 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(t, prefixes[i].p, 2) != 0)
            continue;
        char num[4] = {0};
        memcpy(num, t + 2, (size_t)(us - t - 2));
        long v = 1;
        if (num[0] && !sc_all_digits(num))
            return 0;
        if (num[0] && !(v = sc_number(num, 99))) {
            snprintf(why, wn, "device number %.3s is not 1..99", num);
            return -1;
        }
        *fam = prefixes[i].fam;
        *inst = (int)v;
        *rest = t + (us - t) + 1;
        return 1;
    }
    return 0;
}

/* Read one rebind input into b. 1 bound, 0 unbound (an empty slot), -1 unreadable (why). */
static int sc_read_input(const games_registry *g, const char *input, const char *device_attr, binding *b,
                         sc_pending *pend, char *why, size_t wn)
{
    char buf[128];
    if (strlen(input) >= sizeof buf) {
        snprintf(why, wn, "input longer than %zu characters", sizeof buf - 1);
        return -1;
    }
    sc_trim_copy(buf, sizeof buf, input);
    if (!buf[0])
        return 0;
    for (char *s = buf; *s; s++)
        *s = (char)tolower((unsigned char)*s);

    char *tok[SC_MAX_KEYS];
    int n = 0;
    for (char *s = buf;;) {
        char *plus = strchr(s, '+');
        if (n == SC_MAX_KEYS) {
            snprintf(why, wn, "more than %d keys in one combination", SC_MAX_KEYS);
            return -1;
        }
        tok[n++] = s;
        if (!plus)
            break;
        *plus = 0;
        s = plus + 1;
    }
    /* The device prefix is usually on the first token ("js1_rctrl+button3"); the 1.x game
     * wrote it after the held key ("rctrl+js1_rotz"). */
    char fam = 0;
    int inst = 1;
    for (int i = 0; i < n && !fam; i++) {
        int r = sc_prefix(tok[i], &fam, &inst, &tok[i], why, wn);
        if (r < 0)
            return -1;
    }
    if (!fam && device_attr) {
        static const struct {
            const char *name;
            char fam;
        } kinds[] = {{"keyboard", 'k'}, {"mouse", 'm'}, {"gamepad", 'g'}, {"xboxpad", 'g'},
                     {"joystick", 'j'}};
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcasecmp(device_attr, kinds[i].name) == 0)
                fam = kinds[i].fam;
    }
    if (!fam) {
        snprintf(why, wn, "no device prefix (js1_, kb1_, mo1_, gp1_)");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *t = tok[i];
        while (isspace((unsigned char)*t))
            t++;
        size_t l = strlen(t);
        while (l && isspace((unsigned char)t[l - 1]))
            t[--l] = 0;
        if (!*t) {
            if (n == 1)
                return 0; /* "js2_ ": the slot is empty */
            snprintf(why, wn, "empty key in a combination");
            return -1;
        }
        tok[i] = t;
    }
    /* The input is the last token that is not a held modifier key ("lalt+k", "u+lshift");
     * a combination of modifiers only binds its last one. */
    int main_i = n - 1;
    for (int i = n - 1; i >= 0; i--)
        if (!sc_is_modifier_key(tok[i])) {
            main_i = i;
            break;
        }
    int axis;
    if (sc_control(g, fam, inst, tok[main_i], &b->input, &b->is_axis, &pend->inst[0], why, wn) < 0)
        return -1;
    if (pend->inst[0] && b->is_axis)
        snprintf(pend->axis, sizeof pend->axis, "%s", tok[main_i]);
    for (int i = 0; i < n; i++) {
        if (i == main_i)
            continue;
        int k = b->n_modifiers;
        if (sc_control(g, fam, inst, tok[i], &b->modifiers[k], &axis, &pend->inst[k + 1], why, wn) < 0)
            return -1;
        b->n_modifiers++;
    }
    return 1;
}

/* activationMode / multiTap in words; "" for a plain press. */
static void sc_activation(const games_registry *g, const char *mode, const char *multitap, char *out, size_t n)
{
    out[0] = 0;
    if (mode && *mode) {
        const char *w = games_lookup(g, GAME, "activation", mode);
        if (w && strcmp(w, "press") != 0) {
            snprintf(out, n, "%s", w);
            return;
        }
        if (!w) { /* a mode newer than our table: its own words */
            sc_copy(out, n, mode);
            for (char *s = out; *s; s++)
                if (*s == '_')
                    *s = ' ';
            return;
        }
    }
    long taps = multitap ? sc_number(multitap, 9) : 0;
    if (taps == 2)
        snprintf(out, n, "double tap");
    else if (taps == 3)
        snprintf(out, n, "triple tap");
    else if (taps > 3)
        snprintf(out, n, "%d taps", (int)taps);
}

/* ---- the XML ---- */

static void sc_note_bad(refxml *x, sc_ctx *c, const char *what, const char *why)
{
    bindings_warn(c->out, refxml_line(x), what, "%s", why);
    if (!c->unreadable++) {
        c->first_bad_line = refxml_line(x);
        snprintf(c->first_bad, sizeof c->first_bad, "%.60s: %.120s", what, why);
    }
}

static int sc_new_profile(refxml *x, sc_ctx *c, const char *name)
{
    if (c->n_profiles == SC_MAX_PROFILES) {
        bindings_warn(c->out, refxml_line(x), "<ActionProfiles>",
                      "more than %d profiles in one file; this one is skipped",
                      SC_MAX_PROFILES - 1);
        return -1;
    }
    sc_profile *p = &c->profiles[c->n_profiles];
    memset(p, 0, sizeof *p);
    sc_copy(p->name, sizeof p->name, name ? name : "");
    return c->n_profiles++;
}

static void sc_options(refxml *x, sc_ctx *c, const char **attrs)
{
    const char *type = refxml_attr(attrs, "type");
    const char *inst = refxml_attr(attrs, "instance");
    const char *product = refxml_attr(attrs, "Product");
    if (c->cur < 0 || !type || strcasecmp(type, "joystick") != 0)
        return; /* keyboard, mouse and gamepad have names of our own */
    long n = inst ? sc_number(inst, 99) : 0;
    if (!n) {
        bindings_warn(c->out, refxml_line(x), "<options type=\"joystick\">",
                      "instance \"%.20s\" is not 1..99", inst ? inst : "");
        return;
    }
    sc_profile *p = &c->profiles[c->cur];
    sc_stick *s = NULL;
    for (int i = 0; i < p->n_sticks; i++)
        if (p->sticks[i].instance == n)
            s = &p->sticks[i]; /* written twice: the later line wins */
    if (!s) {
        if (p->n_sticks == SC_MAX_STICKS)
            return;
        s = &p->sticks[p->n_sticks++];
    }
    memset(s, 0, sizeof *s);
    s->instance = (int)n;
    if (product) {
        snprintf(s->product, sizeof s->product, "%s", product);
        sc_product_name(product, s->name, sizeof s->name, &s->vid, &s->pid);
    }
}

static void sc_deadzone_option(sc_ctx *c, const char **attrs)
{
    const char *in = refxml_attr(attrs, "input"), *dz = refxml_attr(attrs, "deadzone");
    if (c->cur < 0 || !in || !dz)
        return;
    sc_profile *p = &c->profiles[c->cur];
    char *end;
    double v = strtod(dz, &end);
    if (end == dz || *end || !(v >= 0 && v < 1) || p->n_dz == SC_MAX_DEADZONES)
        return; /* a dead zone is a setting, not a binding: a strange one is just not shown */
    sc_deadzone *d = &p->dz[p->n_dz++];
    snprintf(d->product, sizeof d->product, "%s", c->deviceoptions);
    snprintf(d->input, sizeof d->input, "%s", in);
    d->deadzone = v;
}

static int sc_pending_push(sc_ctx *c, const sc_pending *p)
{
    if (c->n_pending == c->cap_pending) {
        size_t cap = c->cap_pending ? c->cap_pending * 2 : 64;
        sc_pending *np = realloc(c->pending, cap * sizeof *np);
        if (!np)
            return -1;
        c->pending = np;
        c->cap_pending = cap;
    }
    c->pending[c->n_pending++] = *p;
    return 0;
}

/* Read one input of the current action and add its binding; line is where it was written. */
static void sc_emit(refxml *x, sc_ctx *c, const char *input, const char *device, const char *mode,
                    const char *multitap, int line)
{
    binding b = {0};
    sc_pending pend = {.profile = c->cur};
    char why[160];
    int r = sc_read_input(c->out->games, input, device, &b, &pend, why, sizeof why);
    if (r < 0) {
        char what[96];
        snprintf(what, sizeof what, "%.90s", input);
        sc_note_bad(x, c, what, why);
        return;
    }
    if (r == 0)
        return;
    sc_activation(c->out->games, mode && *mode ? mode : c->action_mode, multitap, b.activation,
                  sizeof b.activation);
    sc_copy(b.action_id, sizeof b.action_id, c->action);
    sc_copy(b.context, sizeof b.context, c->actionmap);
    b.line = line;
    games_label_binding(c->out->games, GAME, &b);
    /* Identifiers the tables do not name read as a sentence: "Ifcs toggle esp". */
    b.action[0] = (char)toupper((unsigned char)b.action[0]);
    if (c->actionmap[0] && !games_lookup(c->out->games, GAME, "context_names", c->actionmap)) {
        games_action_label(NULL, NULL, c->actionmap, b.context, sizeof b.context);
        b.context[0] = (char)toupper((unsigned char)b.context[0]);
    }
    err_t e = {0};
    if (bindings_add(c->out, &b, GAMES_MAX_BINDINGS, &e) < 0) {
        refxml_fail_err(x, &e);
        return;
    }
    if (sc_pending_push(c, &pend) < 0) {
        err_set(&e, ERR_INTERNAL, NULL, "out of memory");
        refxml_fail_err(x, &e);
        return;
    }
    c->profiles[c->cur].bindings++;
}

static void sc_rebind(refxml *x, sc_ctx *c, const char **attrs)
{
    const char *input = refxml_attr(attrs, "input");
    if (c->cur < 0)
        return;
    if (!c->in_action) {
        sc_note_bad(x, c, "<rebind>", "outside an <action>");
        return;
    }
    if (!input) {
        sc_note_bad(x, c, c->action, "<rebind> without input attribute");
        return;
    }
    sc_emit(x, c, input, refxml_attr(attrs, "device"), refxml_attr(attrs, "activationMode"),
            refxml_attr(attrs, "multiTap"), refxml_line(x));
}

/* defaultProfile.xml: <action keyboard=".." gamepad=".." joystick=".." mouse=".."> unless a
 * <keyboard input=".."/> (or <gamepad><inputdata input=".."/>...</gamepad>) child of that
 * device says otherwise; the attributes are read when the action ends. */
static const char *const sc_devices[SC_DEVICES] = {"keyboard", "gamepad", "joystick", "mouse"};

static int sc_device_of(const char *name)
{
    for (int i = 0; i < SC_DEVICES; i++)
        if (strcasecmp(name, sc_devices[i]) == 0)
            return i;
    return -1;
}

static void sc_default_action(refxml *x, sc_ctx *c, const char **attrs)
{
    c->action_line = refxml_line(x);
    for (int i = 0; i < SC_DEVICES; i++) {
        const char *v = refxml_attr(attrs, sc_devices[i]);
        c->dev_set[i] = v != NULL;
        c->dev_child[i] = 0;
        snprintf(c->dev_input[i], sizeof c->dev_input[i], "%.127s", v ? v : "");
    }
}

static void sc_default_action_end(refxml *x, sc_ctx *c)
{
    for (int i = 0; i < SC_DEVICES; i++)
        if (c->dev_set[i] && !c->dev_child[i])
            sc_emit(x, c, c->dev_input[i], sc_devices[i], NULL, NULL, c->action_line);
}

static void sc_on_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    sc_ctx *c = ud;
    if (depth == 1) {
        c->defaults = strcmp(name, "profile") == 0;
        if (strcmp(name, "ActionMaps") != 0 && !c->defaults) {
            refxml_fail(x, "root element <%.60s> is not <ActionMaps> (nor the game's "
                           "defaultProfile.xml <profile>): not a Star Citizen binding file", name);
            return;
        }
        c->cur = sc_new_profile(x, c, c->defaults ? SC_DEFAULTS_NAME
                                                  : refxml_attr(attrs, "profileName"));
        return;
    }
    int dev;
    if (c->defaults && c->in_action && depth == c->action_depth + 1 &&
        (dev = sc_device_of(name)) >= 0) {
        const char *in = refxml_attr(attrs, "input");
        c->dev_child[dev] = 1;
        c->in_devchild = dev + 1;
        if (in)
            sc_emit(x, c, in, sc_devices[dev], refxml_attr(attrs, "activationMode"),
                    refxml_attr(attrs, "multiTap"), refxml_line(x));
        return;
    }
    if (c->defaults && c->in_devchild && strcasecmp(name, "inputdata") == 0) {
        const char *in = refxml_attr(attrs, "input");
        if (in)
            sc_emit(x, c, in, sc_devices[c->in_devchild - 1],
                    refxml_attr(attrs, "activationMode"), NULL, refxml_line(x));
        return;
    }
    if (strcasecmp(name, "rebind") == 0 || strcasecmp(name, "addbind") == 0) {
        sc_rebind(x, c, attrs); /* <addbind>: a second binding, 2.x and before */
    } else if (strcasecmp(name, "action") == 0) {
        const char *n = refxml_attr(attrs, "name");
        const char *m = refxml_attr(attrs, "activationMode");
        c->in_action = n && *n;
        sc_copy(c->action, sizeof c->action, n ? n : "");
        snprintf(c->action_mode, sizeof c->action_mode, "%s", m ? m : "");
        c->action_depth = depth;
        if (!c->in_action)
            sc_note_bad(x, c, "<action>", "no name attribute; its rebinds are skipped");
        else if (c->defaults)
            sc_default_action(x, c, attrs);
    } else if (strcasecmp(name, "actionmap") == 0) {
        const char *n = refxml_attr(attrs, "name");
        c->actionmaps++;
        sc_copy(c->actionmap, sizeof c->actionmap, n ? n : "");
    } else if (strcasecmp(name, "option") == 0 && c->in_deviceoptions) {
        sc_deadzone_option(c, attrs);
    } else if (strcasecmp(name, "options") == 0) {
        sc_options(x, c, attrs);
    } else if (strcasecmp(name, "deviceoptions") == 0) {
        const char *n = refxml_attr(attrs, "name");
        snprintf(c->deviceoptions, sizeof c->deviceoptions, "%s", n ? n : "");
        c->in_deviceoptions = 1;
    } else if (strcasecmp(name, "ActionProfiles") == 0) {
        c->cur = sc_new_profile(x, c, refxml_attr(attrs, "profileName"));
    } else if (strcasecmp(name, "CustomisationUIHeader") == 0) {
        const char *l = refxml_attr(attrs, "label");
        if (l && *l != '@') /* "@ui_CMBlank": a localisation key, not a name */
            sc_copy(c->label, sizeof c->label, l);
    }
}

static void sc_on_end(refxml *x, void *ud, const char *name, int depth)
{
    sc_ctx *c = ud;
    if (c->in_devchild && depth == c->action_depth + 1) {
        c->in_devchild = 0;
    } else if (strcasecmp(name, "action") == 0) {
        if (c->defaults && c->in_action)
            sc_default_action_end(x, c);
        c->in_action = 0;
    } else if (strcasecmp(name, "actionmap") == 0) {
        c->actionmap[0] = 0;
    } else if (strcasecmp(name, "deviceoptions") == 0) {
        c->in_deviceoptions = 0;
    } else if (strcasecmp(name, "ActionProfiles") == 0) {
        c->cur = 0;
    }
}

/* ---- once the file is read ---- */

/* Two sticks of one model get indices 0, 1, ... in instance order. */
static void sc_index_sticks(sc_profile *p)
{
    for (int i = 0; i < p->n_sticks; i++) {
        sc_stick *s = &p->sticks[i];
        s->index = 0;
        if (!s->name[0])
            continue;
        for (int j = 0; j < p->n_sticks; j++) {
            const sc_stick *o = &p->sticks[j];
            int same = (s->vid || s->pid) ? o->vid == s->vid && o->pid == s->pid
                                          : strcasecmp(o->name, s->name) == 0;
            if (j != i && o->name[0] && same && o->instance < s->instance)
                s->index++;
        }
    }
}

static const sc_stick *sc_find_stick(const sc_profile *p, int inst)
{
    for (int i = 0; i < p->n_sticks; i++)
        if (p->sticks[i].instance == inst && p->sticks[i].name[0])
            return &p->sticks[i];
    return NULL;
}

static void sc_name_stick(const sc_profile *p, int inst, bind_input *in)
{
    const sc_stick *s = sc_find_stick(p, inst);
    if (s) {
        snprintf(in->device, sizeof in->device, "%s", s->name);
        in->vid = s->vid;
        in->pid = s->pid;
        in->device_index = s->index;
    } else {
        snprintf(in->device, sizeof in->device, "Joystick %d", inst);
    }
}

static double sc_deadzone_of(const sc_profile *p, int inst, const char *axis)
{
    const sc_stick *s = sc_find_stick(p, inst);
    if (!s || !axis[0])
        return 0;
    for (int i = 0; i < p->n_dz; i++) {
        char name[96];
        unsigned v, d;
        sc_product_name(p->dz[i].product, name, sizeof name, &v, &d);
        if (strcmp(p->dz[i].input, axis) == 0 &&
            (strcmp(p->dz[i].product, s->product) == 0 || strcasecmp(name, s->name) == 0))
            return p->dz[i].deadzone;
    }
    return 0;
}

/* Does this file of the bundle look like a Star Citizen binding file? (Cheap: its start.) */
static int sc_looks_like(const games_file *f)
{
    size_t head = f->len < 4096 ? f->len : 4096, body = f->len < 65536 ? f->len : 65536;
    return memmem(f->data, head, "<ActionMaps", 11) ||
           (memmem(f->data, head, "<profile", 8) && memmem(f->data, body, "<actionmap ", 11));
}

/* The name of a file without folders and extension: "layout_vkb_exported". */
static void sc_base_name(const char *path, char *out, size_t n)
{
    sc_copy(out, n, games_base_name(path));
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = 0;
}

/* several_files: the upload holds other Star Citizen files (a dropped USER folder), so each
 * file's bindings get cards of their own, named by profile (or file). */
static void sc_finish(sc_ctx *c, int several_files, const char *file_name)
{
    binding_set *out = c->out;
    int with_bindings = 0;
    for (int i = 0; i < c->n_profiles; i++) {
        sc_index_sticks(&c->profiles[i]);
        with_bindings += c->profiles[i].bindings > 0;
    }
    for (size_t i = 0; i < c->n_pending && i < out->n; i++) {
        const sc_pending *pd = &c->pending[i];
        const sc_profile *p = &c->profiles[pd->profile];
        binding *b = &out->items[i];
        if (pd->inst[0]) {
            sc_name_stick(p, pd->inst[0], &b->input);
            if (b->is_axis)
                b->deadzone = sc_deadzone_of(p, pd->inst[0], pd->axis);
        }
        for (int k = 0; k < b->n_modifiers; k++)
            if (pd->inst[k + 1])
                sc_name_stick(p, pd->inst[k + 1], &b->modifiers[k]);
        /* Several profiles in one actionmaps.xml: one set of cards each. */
        if (with_bindings > 1 || several_files) {
            if (p->name[0])
                sc_copy(b->module, sizeof b->module, p->name);
            else if (with_bindings > 1)
                snprintf(b->module, sizeof b->module, "Profile %d", pd->profile);
            else if (c->label[0])
                sc_copy(b->module, sizeof b->module, c->label);
            else
                sc_base_name(file_name && *file_name ? file_name : GAME, b->module,
                             sizeof b->module);
        }
    }
    /* The profile the cards are titled with: the first that binds something. */
    const char *name = "";
    for (int i = 0; i < c->n_profiles && !name[0]; i++)
        if (c->profiles[i].bindings && c->profiles[i].name[0])
            name = c->profiles[i].name;
    for (int i = 0; i < c->n_profiles && !name[0]; i++)
        name = c->profiles[i].name;
    if (!name[0])
        name = c->label;
    sc_copy(out->profile, sizeof out->profile, name);
}

int sc_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    sc_ctx c = {.out = out, .cur = -1};
    c.profiles = calloc(SC_MAX_PROFILES, sizeof *c.profiles);
    if (!c.profiles) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    refxml_handlers h = {.start = sc_on_start, .end = sc_on_end, .ud = &c};
    int rc = refxml_parse(f->data, f->len, &h, err);
    /* Other programs write <profile> roots too (Joystick Gremlin): without an actionmap it is
     * not the game's defaults. */
    if (rc == 0 && c.defaults && !c.actionmaps) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: <profile> without <actionmap>: not Star Citizen's defaultProfile.xml");
        rc = -1;
    }
    if (rc == 0 && out->n == 0 && c.unreadable > 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: no binding could be read (%s)",
                c.first_bad_line, c.first_bad);
        rc = -1;
    }
    if (rc == 0) {
        int others = 0;
        for (size_t i = 0; bundle && i < bundle->n; i++)
            others += &bundle->files[i] != f && bundle->files[i].data != f->data &&
                      sc_looks_like(&bundle->files[i]);
        sc_finish(&c, others > 0, f->name);
    }
    free(c.pending);
    free(c.profiles);
    return rc;
}
