/* il2.c — parser for IL-2 Sturmovik: Great Battles key maps: <game>\data\input\global.actions
 * (also current.actions and the presets players keep as <name>.actions), with
 * data\input\devices.txt for the joysticks' names.
 *
 * An actions file is a table the game writes with padded columns, CRLF, in Windows-1252
 * (textenc has made it UTF-8 before it gets here):
 *   // Input map preset.
 *   &actions=action,command,invert|
 *   rpc_pitch,                key_down/key_up,           0| // Plane control: pitch
 *   rpc_pitch,                joy1_axis_y,               0|
 *   cam_zoom,                 key_lshift+mouse_axis_z,   0|
 *   airbrakes_on,             ,                          0| // AirBrakes on
 * One line per binding; an action bound twice has two lines, and only its first line carries
 * the "// ..." comment, which is the action's name as the game shows it, in the player's
 * language: it is the label (the game table's label, then a split of the id, when there is
 * none; "// inp<id>" is the game's own missing translation and is not a label). The header
 * names the columns, so they are read by name. An empty command is an unbound slot.
 * Commands: "a/b" binds an axis action to two inputs, the first moving it up (+) and the
 * second down (-); "a+b" is a combination: the axis in it, else the last input, is the
 * control and the others are held modifiers (keys, mouse or joystick buttons).
 * Inputs: key_<DirectInput key name> (game table "keys"), mouse_b0.. (0-based),
 * mouse_axis_x/y/z (z is the wheel), joyN_bK (0-based button K of joystick N), joyN_povP_A
 * (hat P, 0-based, at angle A in degrees: 0 up, 90 right...), joyN_axis_L (L is one letter,
 * game table "axes": w is Rx, s Ry, t Rz, p and q the sliders).
 *
 * devices.txt, same table style without the "&name=" (the game ends its lines with "|\r\r\n"
 * and the last one with nothing):
 *   configId,guid,model|
 *   1,%22b0c891c0-3f30-11f0-0000545345440380%22,T-Rudder|
 * configId is the N of joyN; guid and model are URL-encoded. The guid is DirectInput's
 * instance GUID with its last eight bytes reversed (no USB ids in it); a product GUID,
 * PPPPVVVV-0000-0000-0000-504944564944 ("PIDVID"), in either byte order, gives VID/PID.
 * Two devices of the same model keep their name and get device_index 0, 1... in configId
 * order. Without devices.txt joyN is "Joystick N+1", with one warning per file. When an upload
 * holds several .actions files each one's bindings carry its name as their module. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/textenc.h"

#define GAME "il2"
#define IL2_MAX_JOY 64        /* joyN: N below this */
#define IL2_MAX_COMMENTS 4096 /* labels kept from "// ..." comments */

typedef struct {
    int present;
    char name[96];
    unsigned vid, pid;
    int index;
} il2_device;

typedef struct {
    const games_file *f;
    binding_set *out;
    il2_device joy[IL2_MAX_JOY];
    int have_devices;              /* devices.txt was in the bundle */
    unsigned char warned[IL2_MAX_JOY]; /* joyN already reported as unknown */
    int warned_no_devices;
    json_t *labels;                /* action id -> its "// ..." label (jansson's hash table) */
    char module[48];               /* the file's preset name when the upload has several */
} il2_ctx;

/* ---- small text helpers ---- */

/* One line of data[*pos..len): its start and length without the line break and any CRs
 * before it (the game writes "\r\r\n" in devices.txt). 0 at the end. */
static int next_line(const char *data, size_t len, size_t *pos, const char **s, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *start = data + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t l = nl ? (size_t)(nl - start) : len - *pos;
    *pos += l + (nl ? 1 : 0);
    while (l > 0 && start[l - 1] == '\r')
        l--;
    *s = start;
    *n = l;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Copy at most cap-1 bytes of s[0..n) without cutting a UTF-8 sequence in two. */
static void copy_utf8(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* URL-decode s[0..n) into dst ("%20" and "+" are spaces: the game writes a real plus as
 * "%2B"). Bytes that do not make UTF-8 become '?'. */
static void url_decode(char *dst, size_t cap, const char *s, size_t n)
{
    char buf[512];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < sizeof buf; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
            (lo = hexval((unsigned char)s[i + 2])) >= 0) {
            buf[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            buf[o++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    if (o > 0 && !textenc_valid_utf8(buf, o))
        for (size_t i = 0; i < o; i++)
            if ((unsigned char)buf[i] >= 0x80)
                buf[i] = '?';
    for (size_t i = 0; i < o; i++)
        if ((unsigned char)buf[i] < 0x20)
            buf[i] = ' ';
    const char *b = buf;
    trim(&b, &o);
    copy_utf8(dst, cap, b, o);
}

/* Split s[0..n) at commas into at most max trimmed fields; returns the count. */
static int split_fields(const char *s, size_t n, const char **f, size_t *fl, int max)
{
    int k = 0;
    while (k < max) {
        const char *c = memchr(s, ',', n);
        size_t l = c ? (size_t)(c - s) : n;
        f[k] = s;
        fl[k] = l;
        trim(&f[k], &fl[k]);
        k++;
        if (!c)
            break;
        n -= l + 1;
        s = c + 1;
    }
    return k;
}

static int field_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

/* ---- devices.txt ---- */

/* VID/PID from a DirectInput product GUID, as Windows or as IL-2 writes it. */
static void ids_from_guid(const char *guid, unsigned *vid, unsigned *pid)
{
    char hex[33];
    size_t n = 0;
    for (const char *s = guid; *s && n < 32; s++)
        if (isxdigit((unsigned char)*s))
            hex[n++] = (char)tolower((unsigned char)*s);
        else if (*s != '-' && *s != '{' && *s != '}' && *s != '"')
            return;
    hex[n] = 0;
    if (n != 32)
        return;
    /* Data4 "0000504944564944" ("PIDVID"); IL-2 reverses Data4's bytes: "4449564449500000". */
    if (strcmp(hex + 16, "0000504944564944") != 0 && strcmp(hex + 16, "4449564449500000") != 0)
        return;
    char p[5] = {0}, v[5] = {0};
    memcpy(p, hex, 4);
    memcpy(v, hex + 4, 4);
    *pid = (unsigned)strtoul(p, NULL, 16);
    *vid = (unsigned)strtoul(v, NULL, 16);
}

/* report: list devices.txt's unreadable lines (only the first .actions file of an upload does,
 * so several presets do not repeat them). */
static void read_devices(il2_ctx *c, const games_file *dev, int report)
{
    char keep[sizeof c->out->cur_file];
    snprintf(keep, sizeof keep, "%s", c->out->cur_file);
    snprintf(c->out->cur_file, sizeof c->out->cur_file, "%s", dev->name);
    int col_id = 0, col_guid = 1, col_model = 2;
    size_t pos = 0, ln = 0;
    const char *s;
    size_t n;
    while (next_line(dev->data, dev->len, &pos, &s, &n)) {
        ln++;
        trim(&s, &n);
        if (n > 0 && s[n - 1] == '|')
            n--;
        if (n == 0 || (n >= 2 && s[0] == '/' && s[1] == '/'))
            continue;
        const char *f[8];
        size_t fl[8];
        int k = split_fields(s, n, f, fl, 8);
        int header = 0;
        for (int i = 0; i < k; i++)
            header |= field_is(f[i], fl[i], "configId");
        if (header) {
            /* The header names the columns. */
            for (int i = 0; i < k; i++) {
                if (field_is(f[i], fl[i], "configId"))
                    col_id = i;
                else if (field_is(f[i], fl[i], "guid"))
                    col_guid = i;
                else if (field_is(f[i], fl[i], "model"))
                    col_model = i;
            }
            continue;
        }
        char what[96];
        copy_utf8(what, sizeof what, s, n);
        int last = col_model > col_id ? col_model : col_id;
        if (col_guid > last)
            last = col_guid;
        if (k <= last) {
            if (report)
                bindings_warn(c->out, (int)ln, what, "not a configId,guid,model line");
            continue;
        }
        char *end;
        char idbuf[16];
        copy_utf8(idbuf, sizeof idbuf, f[col_id], fl[col_id]);
        long id = strtol(idbuf, &end, 10);
        if (fl[col_id] == 0 || *end || id < 0 || id >= IL2_MAX_JOY) {
            if (report)
                bindings_warn(c->out, (int)ln, what, "configId is not a number from 0 to %d",
                              IL2_MAX_JOY - 1);
            continue;
        }
        il2_device *d = &c->joy[id];
        if (d->present) {
            if (report)
                bindings_warn(c->out, (int)ln, what,
                              "configId %ld is listed twice; the first is used", id);
            continue;
        }
        /* The model is the last column: a name with a raw comma in it keeps its tail. */
        size_t model_len = col_model == k - 1 ? (size_t)(s + n - f[col_model]) : fl[col_model];
        url_decode(d->name, sizeof d->name, f[col_model], model_len);
        if (!d->name[0]) {
            if (report)
                bindings_warn(c->out, (int)ln, what, "no model name");
            continue;
        }
        char guid[96];
        url_decode(guid, sizeof guid, f[col_guid], fl[col_guid]);
        ids_from_guid(guid, &d->vid, &d->pid);
        d->present = 1;
    }
    /* Alike devices: same name, told apart by their order. */
    for (int i = 0; i < IL2_MAX_JOY; i++)
        for (int j = 0; j < i && c->joy[i].present; j++)
            if (c->joy[j].present && strcmp(c->joy[j].name, c->joy[i].name) == 0)
                c->joy[i].index++;
    snprintf(c->out->cur_file, sizeof c->out->cur_file, "%s", keep);
}

/* Name the device of joyN (on first use, warn if devices.txt does not list it). */
static void joystick_device(il2_ctx *c, long n, bind_input *in)
{
    const il2_device *d = &c->joy[n];
    if (d->present) {
        snprintf(in->device, sizeof in->device, "%s", d->name);
        in->device_index = d->index;
        in->vid = d->vid;
        in->pid = d->pid;
        return;
    }
    snprintf(in->device, sizeof in->device, "Joystick %ld", n + 1);
    if (!c->have_devices) {
        if (!c->warned_no_devices++)
            bindings_warn(c->out, 0, "devices.txt",
                          "not in the upload: joysticks are named by number (joy0 is "
                          "\"Joystick 1\"); upload data\\input\\devices.txt with the actions file "
                          "for their names");
    } else if (!c->warned[n]) {
        c->warned[n] = 1;
        char what[32];
        snprintf(what, sizeof what, "joy%ld", n);
        bindings_warn(c->out, 0, what, "devices.txt has no configId %ld: named \"Joystick %ld\"",
                      n, n + 1);
    }
}

/* ---- inputs ---- */

static const char *hat_dir(long angle)
{
    if (angle >= 4500 && angle % 4500 == 0 && angle < 36000) /* DirectInput's hundredths */
        angle /= 100;
    if (angle < 0 || angle >= 360 || angle % 45)
        return NULL;
    return control_hat_dirs[angle / 45];
}

/* A whole number s[0..n) in 0..max, or -1. */
static long small_number(const char *s, size_t n, long max)
{
    if (n == 0 || n > 6)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= max ? v : -1;
}

/* Read one input token; NULL and in filled, or the reason it cannot be read. */
static const char *read_input(il2_ctx *c, const char *tok, bind_input *in, int *is_axis)
{
    memset(in, 0, sizeof *in);
    *is_axis = 0;
    size_t n = strlen(tok);
    long v;
    if (strncmp(tok, "key_", 4) == 0) {
        const char *k = games_lookup(c->out->games, GAME, "keys", tok);
        snprintf(in->device, sizeof in->device, "Keyboard");
        if (k) {
            snprintf(in->control, sizeof in->control, "key:%s", k);
            return NULL;
        }
        for (const char *s = tok + 4; *s; s++)
            if (!isalnum((unsigned char)*s) && *s != '_')
                return "not a key name";
        if (!tok[4] || strlen(tok + 4) > 40)
            return "no key name after key_";
        /* A key the game knows and our keyboard drawing does not: listed, not drawn. */
        snprintf(in->control, sizeof in->control, "key:%.40s", tok + 4);
        return NULL;
    }
    if (strncmp(tok, "mouse_", 6) == 0) {
        snprintf(in->device, sizeof in->device, "Mouse");
        const char *m = tok + 6;
        if (m[0] == 'b' && (v = small_number(m + 1, strlen(m + 1), 31)) >= 0) {
            snprintf(in->control, sizeof in->control, "button:%ld", v + 1);
            return NULL;
        }
        if (strncmp(m, "axis_", 5) == 0 && (m[5] == 'x' || m[5] == 'y' || m[5] == 'z') && !m[6]) {
            snprintf(in->control, sizeof in->control, "axis:%c", m[5]);
            *is_axis = 1;
            return NULL;
        }
        return "not a mouse button or axis";
    }
    if (strncmp(tok, "joy", 3) != 0)
        return "not a key, mouse or joystick input";
    const char *us = strchr(tok + 3, '_');
    long joy = us ? small_number(tok + 3, (size_t)(us - tok - 3), IL2_MAX_JOY - 1) : -1;
    if (joy < 0)
        return "no joystick number from 0 to 63 after joy";
    const char *ctl = us + 1;
    size_t cl = n - (size_t)(ctl - tok);
    if (ctl[0] == 'b' && (v = small_number(ctl + 1, cl - 1, 255)) >= 0) {
        snprintf(in->control, sizeof in->control, "button:%ld", v + 1);
    } else if (strncmp(ctl, "pov", 3) == 0) {
        const char *u = strchr(ctl + 3, '_');
        long hat = u ? small_number(ctl + 3, (size_t)(u - ctl - 3), 7) : -1;
        long angle = u ? small_number(u + 1, strlen(u + 1), 36000) : -1;
        const char *dir = angle >= 0 ? hat_dir(angle) : NULL;
        if (hat < 0 || !dir)
            return "not a hat direction (joyN_povP_ANGLE, ANGLE 0, 45 ... 315)";
        snprintf(in->control, sizeof in->control, "hat:%ld:%s", hat + 1, dir);
    } else if (strncmp(ctl, "axis_", 5) == 0) {
        const char *a = games_lookup(c->out->games, GAME, "axes", ctl + 5);
        if (!a)
            return "not an axis IL-2 writes (joyN_axis_ x, y, z, w, s, t, p or q)";
        snprintf(in->control, sizeof in->control, "axis:%s", a);
        *is_axis = 1;
    } else {
        return "not a joystick button, hat or axis";
    }
    joystick_device(c, joy, in);
    return NULL;
}

/* ---- actions ---- */

static const char *comment_label(const il2_ctx *c, const char *id)
{
    return json_string_value(json_object_get(c->labels, id));
}

/* One record of the actions table, split into its fields by the header's columns. */
typedef struct {
    char action[96];
    const char *command;
    size_t command_len;
    int invert;
    const char *comment;
    size_t comment_len;
} il2_record;

typedef struct {
    int in_actions;      /* inside the "&actions=" table */
    int seen_table;      /* an "&actions=" header was found */
    int col_action, col_command, col_invert, n_cols;
} il2_table;

/* "&actions=action,command,invert|": which table the lines below belong to, and its columns. */
static int read_header(il2_table *t, const char *s, size_t n, int ln, err_t *err)
{
    const char *eq = memchr(s, '=', n);
    const char *name = s + 1;
    size_t name_len = eq ? (size_t)(eq - name) : n - 1;
    trim(&name, &name_len);
    t->in_actions = eq && field_is(name, name_len, "actions");
    if (!t->in_actions)
        return 0;
    const char *cols = eq + 1;
    size_t cl = n - (size_t)(cols - s);
    const char *bar = memchr(cols, '|', cl);
    if (bar)
        cl = (size_t)(bar - cols);
    const char *f[16];
    size_t fl[16];
    int k = split_fields(cols, cl, f, fl, 16);
    t->col_action = t->col_command = t->col_invert = -1;
    for (int i = 0; i < k; i++) {
        if (field_is(f[i], fl[i], "action"))
            t->col_action = i;
        else if (field_is(f[i], fl[i], "command"))
            t->col_command = i;
        else if (field_is(f[i], fl[i], "invert"))
            t->col_invert = i;
    }
    t->n_cols = k;
    if (t->col_action < 0 || t->col_command < 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: the &actions= header has no action or no command column", ln);
        return -1;
    }
    t->seen_table = 1;
    return 0;
}

/* A line of the table as a record; 0 if it is not one (why set), 1 if it is. */
static int read_record(const il2_table *t, const char *s, size_t n, il2_record *r,
                       const char **why)
{
    memset(r, 0, sizeof *r);
    const char *bar = memchr(s, '|', n);
    size_t body = bar ? (size_t)(bar - s) : n;
    const char *rest = bar ? bar + 1 : s + n;
    size_t rest_len = bar ? n - body - 1 : 0;
    if (!bar) {
        /* No "|" (a hand-edited or cut file): a "//" comment may still end the line. */
        for (size_t i = 0; i + 1 < n; i++)
            if (s[i] == '/' && s[i + 1] == '/') {
                body = i;
                rest = s + i;
                rest_len = n - i;
                break;
            }
    }
    trim(&rest, &rest_len);
    if (rest_len >= 2 && rest[0] == '/' && rest[1] == '/') {
        r->comment = rest + 2;
        r->comment_len = rest_len - 2;
        trim(&r->comment, &r->comment_len);
    }
    const char *f[16];
    size_t fl[16];
    int k = split_fields(s, body, f, fl, 16);
    if (k <= t->col_action || k <= t->col_command) {
        *why = "not an action line (action, command, invert|)";
        return 0;
    }
    if (fl[t->col_action] == 0 || fl[t->col_action] >= sizeof r->action) {
        *why = "no action name";
        return 0;
    }
    for (size_t i = 0; i < fl[t->col_action]; i++) {
        unsigned char ch = (unsigned char)f[t->col_action][i];
        if (!isalnum(ch) && ch != '_' && ch != '-' && ch != '.') {
            *why = "the action name is not an identifier";
            return 0;
        }
    }
    copy_utf8(r->action, sizeof r->action, f[t->col_action], fl[t->col_action]);
    r->command = f[t->col_command];
    r->command_len = fl[t->col_command];
    r->invert = t->col_invert >= 0 && t->col_invert < k && fl[t->col_invert] == 1 &&
                f[t->col_invert][0] == '1';
    return 1;
}

/* First pass: the "// ..." label of each action. */
static int collect_comments(il2_ctx *c, err_t *err)
{
    il2_table t = {0};
    size_t pos = 0;
    int ln = 0;
    const char *s;
    size_t n;
    while (next_line(c->f->data, c->f->len, &pos, &s, &n)) {
        ln++;
        trim(&s, &n);
        if (n > 0 && s[0] == '&') {
            if (read_header(&t, s, n, ln, err) < 0)
                return -1;
            continue;
        }
        il2_record r;
        const char *why;
        if (!t.in_actions || n == 0 || (s[0] == '/' && n > 1 && s[1] == '/') ||
            !read_record(&t, s, n, &r, &why) || !r.comment_len || comment_label(c, r.action))
            continue;
        /* "// inprb_pitch": the game had no text for the action. */
        if (r.comment_len == 3 + strlen(r.action) && strncmp(r.comment, "inp", 3) == 0 &&
            strncmp(r.comment + 3, r.action, strlen(r.action)) == 0)
            continue;
        if (json_object_size(c->labels) == IL2_MAX_COMMENTS)
            continue;
        char label[128];
        copy_utf8(label, sizeof label, r.comment, r.comment_len);
        json_t *v = json_string(label);
        if (!v || json_object_set_new(c->labels, r.action, v) < 0) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory for action labels");
            return -1;
        }
    }
    return 0;
}

/* One input combination ("key_lshift+key_e", "mouse_b1+mouse_axis_y") as binding b's input
 * and modifiers; NULL or the reason it cannot be read. */
static const char *read_combo(il2_ctx *c, const char *s, size_t n, binding *b)
{
    bind_input parts[BIND_MAX_MODIFIERS + 1];
    int axis[BIND_MAX_MODIFIERS + 1];
    int k = 0, main = -1;
    while (n > 0) {
        const char *plus = memchr(s, '+', n);
        size_t l = plus ? (size_t)(plus - s) : n;
        const char *tok = s;
        size_t tl = l;
        trim(&tok, &tl);
        if (tl == 0)
            return "an empty part in a combination";
        if (k == BIND_MAX_MODIFIERS + 1)
            return "more than 4 modifiers";
        char buf[64];
        if (tl >= sizeof buf)
            return "an input name too long";
        memcpy(buf, tok, tl);
        buf[tl] = 0;
        const char *why = read_input(c, buf, &parts[k], &axis[k]);
        if (why)
            return why;
        if (axis[k]) {
            if (main >= 0)
                return "two axes in one combination";
            main = k;
        }
        k++;
        if (!plus)
            break;
        n -= l + 1;
        s = plus + 1;
        if (n == 0)
            return "an empty part in a combination";
    }
    if (k == 0)
        return "no input";
    if (main < 0)
        main = k - 1; /* buttons and keys: held ones first, the pressed one last */
    b->input = parts[main];
    b->is_axis = axis[main];
    b->n_modifiers = 0;
    for (int i = 0; i < k; i++)
        if (i != main)
            b->modifiers[b->n_modifiers++] = parts[i];
    return NULL;
}

static int add_record(il2_ctx *c, const il2_record *r, int ln, err_t *err)
{
    /* "a/b": the halves of an axis on two inputs. */
    const char *alt[8];
    size_t al[8];
    int k = 0, more = 0;
    const char *s = r->command;
    size_t n = r->command_len;
    for (;;) {
        const char *slash = memchr(s, '/', n);
        size_t l = slash ? (size_t)(slash - s) : n;
        if (k == 8) {
            more = 1;
            break;
        }
        alt[k] = s;
        al[k] = l;
        trim(&alt[k], &al[k]);
        k++;
        if (!slash)
            break;
        n -= l + 1;
        s = slash + 1;
    }
    if (more)
        bindings_warn(c->out, ln, r->action, "more than 8 inputs separated by /; the rest skipped");
    const char *label = comment_label(c, r->action);
    for (int i = 0; i < k; i++) {
        char what[96];
        snprintf(what, sizeof what, "%.40s %.*s", r->action, (int)(al[i] > 50 ? 50 : al[i]), alt[i]);
        if (al[i] == 0) {
            if (k > 1)
                bindings_warn(c->out, ln, what, "an empty half of an a/b pair");
            continue;
        }
        binding b = {0};
        snprintf(b.action_id, sizeof b.action_id, "%s", r->action);
        b.line = ln;
        const char *why = read_combo(c, alt[i], al[i], &b);
        if (why) {
            bindings_warn(c->out, ln, what, "%s", why);
            continue;
        }
        b.inverted = b.is_axis && r->invert;
        snprintf(b.module, sizeof b.module, "%s", c->module);
        if (label)
            snprintf(b.action, sizeof b.action, "%s", label);
        games_label_binding(c->out->games, GAME, &b);
        if (k == 2) {
            size_t l = strlen(b.action);
            if (l + 5 > sizeof b.action) { /* make room without cutting a character */
                l = sizeof b.action - 5;
                while (l > 0 && ((unsigned char)b.action[l] & 0xC0) == 0x80)
                    l--;
            }
            snprintf(b.action + l, sizeof b.action - l, " (%c)", i == 0 ? '+' : '-');
        }
        if (bindings_add(c->out, &b, GAMES_MAX_BINDINGS, err) < 0)
            return -1;
    }
    return 0;
}

static int read_actions(il2_ctx *c, err_t *err)
{
    il2_table t = {0};
    size_t pos = 0;
    int ln = 0, first_data = 0;
    const char *s;
    size_t n;
    while (next_line(c->f->data, c->f->len, &pos, &s, &n)) {
        ln++;
        trim(&s, &n);
        if (n == 0 || (n > 1 && s[0] == '/' && s[1] == '/'))
            continue;
        if (s[0] == '&') {
            if (read_header(&t, s, n, ln, err) < 0)
                return -1;
            continue;
        }
        if (!t.in_actions) {
            if (!first_data)
                first_data = ln;
            continue;
        }
        il2_record r;
        const char *why;
        if (!read_record(&t, s, n, &r, &why)) {
            char what[61];
            copy_utf8(what, sizeof what, s, n);
            bindings_warn(c->out, ln, what, "%s", why);
            continue;
        }
        if (r.command_len == 0)
            continue; /* an unbound slot */
        if (add_record(c, &r, ln, err) < 0)
            return -1;
    }
    if (!t.seen_table) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line %d: no \"&actions=action,command,invert|\" table, not an IL-2 Great "
                "Battles actions file",
                first_data ? first_data : 1);
        return -1;
    }
    if (c->out->n == 0) {
        if (c->out->n_warnings > 0)
            err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: no binding could be read (%s: %s)",
                    c->out->warnings[0].line, c->out->warnings[0].what, c->out->warnings[0].why);
        else
            err_set(err, ERR_UNPROCESSABLE, NULL,
                    "line 1: every action of the file is unbound (empty commands)");
        return -1;
    }
    return 0;
}

/* The name of an .actions file without its extension ("P-40" for ".../P-40.actions"). */
static size_t preset_name(const char *path, const char **start)
{
    const char *b = games_base_name(path);
    size_t l = strlen(b);
    if (l > 8 && strcasecmp(b + l - 8, ".actions") == 0)
        l -= 8;
    *start = b;
    return l;
}

static int is_actions_file(const char *path)
{
    size_t l = strlen(path);
    return l > 8 && strcasecmp(path + l - 8, ".actions") == 0;
}

/* "global"/"current" are the game's own file names; a preset's name says which it is. When
 * the upload holds several .actions files (a zip of data\input with its custom presets, or
 * one preset per aircraft), each file's bindings carry its name as their module so every
 * preset gets its own cards. */
static void name_profile(il2_ctx *c, const games_bundle *bundle, const char *name)
{
    const char *b;
    size_t l = preset_name(name, &b);
    binding_set *out = c->out;
    out->profile[0] = 0;
    if (l > 0 && !(l == 6 && strncasecmp(b, "global", 6) == 0) &&
        !(l == 7 && strncasecmp(b, "current", 7) == 0))
        copy_utf8(out->profile, sizeof out->profile, b, l);
    int n_actions = 0;
    for (size_t i = 0; bundle && i < bundle->n; i++)
        n_actions += bundle->files[i].name && is_actions_file(bundle->files[i].name);
    if (n_actions > 1 && l > 0)
        copy_utf8(c->module, sizeof c->module, b, l);
}

int il2_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    il2_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    c->f = f;
    c->out = out;
    c->labels = json_object();
    int rc = -1;
    if (!c->labels) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    if (collect_comments(c, err) < 0)
        goto done;
    const games_file *dev = games_bundle_find(bundle, "devices.txt");
    if (dev) {
        const games_file *first = f;
        for (size_t i = 0; bundle && i < bundle->n; i++)
            if (bundle->files[i].name && is_actions_file(bundle->files[i].name)) {
                first = &bundle->files[i];
                break;
            }
        c->have_devices = 1;
        read_devices(c, dev, first == f);
    }
    name_profile(c, bundle, f->name ? f->name : "");
    if (read_actions(c, err) < 0)
        goto done;
    rc = 0;
done:
    json_decref(c->labels);
    free(c);
    return rc;
}
