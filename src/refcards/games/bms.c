/* bms.c — parser for Falcon BMS binding files: the keyfile (User\Config\<name>.key, "BMS -
 * Auto.key" when the launcher wrote it), read with its companion DeviceSorting.txt, and the
 * launcher's per-device User\Config\Setup.v100.<device> {GUID}.xml.
 *
 * What BMS and its launcher write (BMS 4.33-4.38 files, the Alternative Launcher's sources):
 *  - One binding per line, fields separated by spaces, a quoted description last. Lines
 *    starting with '#' are comments; CRLF, blank lines, UTF-8 descriptions ("5°").
 *  - Keyboard: "Callback SoundID 0 Key Mods Combo ComboMods Visibility "Description"":
 *    Key is a DirectInput scan code in hex ("0x1E", "0X2E"; 0XFFFFFFFF = unbound), Mods a
 *    bitmask (1 Shift, 2 Ctrl, 4 Alt), Combo/ComboMods the first stroke of a two-stroke
 *    binding ("Alt+C, then K"; 0 or 0XFFFFFFFF = none, ComboMods then meaningless).
 *    Visibility 1 shown, -0 locked, -1 a headline, -2 hidden (still bound).
 *  - Headlines are SimDoNothing lines: "1. UI & 3RD PARTY SOFTWARE" open a section (our
 *    context), "======== 2.01     TEST PANEL ========" a sub-section; the first one, before
 *    any section, names the file ("BMS - Full"). SimDoNothing lines with a key document
 *    hard-coded or third-party keys: they bind nothing in BMS, so nothing here.
 *  - Joystick buttons: "Callback DX Invoke -2 Press 0x0 SoundID" (-3 in place of -2: a POV
 *    hat). DX is 0-based, numbered per device in DeviceSorting.txt order in blocks of
 *    g_nButtonsPerDevice (32, or 128 as the launcher sets it); holding the pinky shift adds
 *    g_nHotasPinkyShiftMagnitude (256, or devices x 128 as the launcher sets it). Press 0x42
 *    fires on release. POV lines: DX is the POV slot (0-1, 2-3 shifted), Press the direction
 *    0-7 clockwise from up. Neither setting is in the keyfile (Falcon BMS User.cfg holds
 *    them), so the layout is chosen from what the file says: the launcher writes a
 *    "#======== <device> ========" comment before each device's block, in DeviceSorting
 *    order, and "#======== <device> : POV #0 ========" before its POV lines.
 *  - DeviceSorting.txt: one device a line, "{GUID} "Name"", CRLF; the GUID is the product
 *    GUID {PPPPVVVV-0000-0000-0000-504944564944} (PID, VID).
 *  - Setup.v100 XML (root <JoyAssgn>): <axis> holds 8 <AxAssgn> for X, Y, Z, Rx, Ry, Rz,
 *    Slider0, Slider1 with the BMS axis (<AxisName>Throttle</AxisName>, empty if none),
 *    <Invert> and <Deadzone> None/Small/Medium/Large (100/500/1000 of 10000); <pov> and
 *    <dx> repeat the keyfile's joystick lines (4 assigns per button: press, shifted press,
 *    release, shifted release); <profileF15ABCD>/<profileDefaultF16> keep per-aircraft
 *    copies that we leave alone. The device is only in the file name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/controls.h"
#include "refcards/games/games.h"
#include "refcards/games/refxml.h"

#define GAME "bms"
#define BMS_MAX_DEVICES 32
#define BMS_MAX_HEADERS 64
#define BMS_MAX_LINE 2048
#define BMS_MAX_DX 65535 /* 32 devices x 128 buttons, twice over with the shift, and then some */
#define BMS_MAX_FIELDS 12
#define BMS_UNBOUND 0xFFFFFFFFul
#define BMS_RELEASE 0x42


typedef struct {
    char name[96];
    unsigned vid, pid;
    int alike; /* devices of the same name before this one: binding device_index */
} bms_device;

typedef enum { BMS_KEY, BMS_DX, BMS_POV } bms_kind;

typedef struct {
    bms_kind kind;
    int line;
    char callback[96];
    char desc[128];
    char context[48];
    unsigned long key, mods, combo, combo_mods; /* keyboard */
    long num;                                    /* DX button or POV slot */
    int dir;                                     /* POV direction 0..7 */
    int release;                                 /* DX: fires on release */
    int header;                                  /* device header above a DX/POV line, -1 */
} bms_entry;

typedef struct {
    char name[96];
    int line;
    int pov;    /* "<device> : POV #n" */
    int device; /* index into devs, -1 when DeviceSorting does not list it */
} bms_header;

typedef struct {
    const games_bundle *bundle;
    const games_file *f;
    binding_set *out;
    bms_device devs[BMS_MAX_DEVICES];
    int n_devs;
    bms_header hdrs[BMS_MAX_HEADERS];
    int n_hdrs;
    bms_entry *e;
    size_t n, cap;
    int last_key_line;
    int lines_read; /* lines that looked like keyfile entries or headlines */
    char section[48], subsection[48];
    char module[48];
    int per, shift; /* DX buttons per device, pinky shift offset */
    /* from Falcon BMS(.User).cfg when uploaded; 0 / -1 when not set */
    int cfg_per, cfg_shift;
    int cfg_pov_dev[2], cfg_pov_hat[2];
} bms_ctx;

/* ---- small helpers ---- */

/* Copy at most n-1 bytes of s[0..len) without cutting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t n, const char *s, size_t len)
{
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, s, len);
    dst[len] = 0;
}

static void trim(char *s)
{
    size_t l = strlen(s), a = 0;
    while (l && isspace((unsigned char)s[l - 1]))
        s[--l] = 0;
    while (isspace((unsigned char)s[a]))
        a++;
    memmove(s, s + a, l - a + 1);
}

/* "======== 2.01     TEST PANEL ========" -> "2.01 TEST PANEL" (runs of spaces folded). */
static void strip_equals(const char *s, char *out, size_t n)
{
    while (*s == '=' || *s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == '=' || s[len - 1] == ' '))
        len--;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++)
        if (s[i] != ' ' || (o && out[o - 1] != ' '))
            out[o++] = s[i];
    out[o] = 0;
}

/* Names compared the way both the launcher and DeviceSorting spell them: letters and digits
 * only, case folded ("Saitek X52 H.O.T.A.S." == "Saitek X52 HOTAS"). */
static int same_name(const char *a, const char *b)
{
    for (;;) {
        while (*a && !isalnum((unsigned char)*a))
            a++;
        while (*b && !isalnum((unsigned char)*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
            return 0;
    }
}

static int parse_num(const char *s, int base, long *out)
{
    char *end;
    if (!*s)
        return -1;
    *out = strtol(s, &end, base);
    return *end ? -1 : 0;
}

/* Hex scan code or bitmask field: "0x1E", "0X2E", "0XFFFFFFFF", "30" read as hex too. */
static int parse_hex(const char *s, unsigned long *out)
{
    char *end;
    if (!*s || *s == '-')
        return -1;
    *out = strtoul(s, &end, 16);
    return *end ? -1 : 0;
}

static int has_suffix_ci(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* PID and VID from a DirectInput product GUID {PPPPVVVV-0000-0000-0000-504944564944}. */
static void guid_usb_ids(const char *guid, unsigned *vid, unsigned *pid)
{
    *vid = *pid = 0;
    if (strlen(guid) != 36 || strcasecmp(guid + 8, "-0000-0000-0000-504944564944") != 0)
        return;
    for (int i = 0; i < 8; i++)
        if (!isxdigit((unsigned char)guid[i]))
            return;
    unsigned long v = strtoul(guid, NULL, 16);
    *pid = (unsigned)(v >> 16);
    *vid = (unsigned)(v & 0xFFFF);
}

static int add_device(bms_ctx *c, const char *name, unsigned vid, unsigned pid)
{
    if (c->n_devs == BMS_MAX_DEVICES)
        return -1;
    bms_device *d = &c->devs[c->n_devs];
    snprintf(d->name, sizeof d->name, "%s", name);
    d->vid = vid;
    d->pid = pid;
    d->alike = 0;
    for (int i = 0; i < c->n_devs; i++)
        d->alike += strcmp(c->devs[i].name, name) == 0;
    c->n_devs++;
    return 0;
}

/* ---- DeviceSorting.txt ---- */

/* Read the bundle's DeviceSorting.txt into c->devs; 0 if there is none. Lines we cannot
 * read are warnings against that file (unless quiet: the setup XMLs only borrow USB ids). */
static int read_device_sorting(bms_ctx *c, int quiet)
{
    const games_file *ds = games_bundle_find(c->bundle, "DeviceSorting.txt");
    if (!ds)
        return 0;
    char keep[sizeof c->out->cur_file];
    snprintf(keep, sizeof keep, "%s", c->out->cur_file);
    snprintf(c->out->cur_file, sizeof c->out->cur_file, "%s", ds->name);
    int line = 0;
    for (size_t i = 0; i < ds->len;) {
        line++;
        size_t start = i;
        while (i < ds->len && ds->data[i] != '\n')
            i++;
        size_t l = i - start;
        i++;
        char buf[256];
        copy_utf8(buf, sizeof buf, ds->data + start, l);
        trim(buf);
        if (!buf[0])
            continue;
        char *close = buf[0] == '{' ? strchr(buf, '}') : NULL;
        if (!close) {
            if (!quiet)
                bindings_warn(c->out, line, "device", "not a \"{GUID} \\\"name\\\"\" line");
            continue;
        }
        *close = 0;
        char *name = close + 1;
        while (*name == ' ' || *name == '\t')
            name++;
        if (*name == '"') {
            name++;
            char *q = strrchr(name, '"');
            if (q)
                *q = 0;
        }
        trim(name);
        char fallback[32];
        if (!*name) {
            snprintf(fallback, sizeof fallback, "Joystick %d", c->n_devs + 1);
            name = fallback;
        }
        unsigned vid, pid;
        guid_usb_ids(buf + 1, &vid, &pid);
        if (add_device(c, name, vid, pid) < 0) {
            if (!quiet)
                bindings_warn(c->out, line, name, "more than %d devices; BMS reads no more",
                          BMS_MAX_DEVICES);
            break;
        }
    }
    snprintf(c->out->cur_file, sizeof c->out->cur_file, "%s", keep);
    if (c->n_devs == 0 && !quiet)
        bindings_warn(c->out, 0, "DeviceSorting.txt", "lists no device; joysticks are numbered");
    return c->n_devs;
}

/* ---- Falcon BMS.cfg, Falcon BMS User.cfg ---- */

/* The settings that place DX numbers and POVs, when the upload holds the config files:
 * "set g_nButtonsPerDevice 128 // SETUP OVERRIDE". User.cfg is read last: it overrides. Device
 * ids there count the keyboard and mouse first: 2 is DeviceSorting's first device. */
static void read_cfg(bms_ctx *c)
{
    static const char *const files[] = {"Falcon BMS.cfg", "Falcon BMS User.cfg"};
    c->cfg_pov_dev[0] = c->cfg_pov_dev[1] = -1;
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        const games_file *f = games_bundle_find(c->bundle, files[k]);
        for (size_t i = 0; f && i < f->len;) {
            size_t start = i;
            while (i < f->len && f->data[i] != '\n')
                i++;
            char buf[256], name[64];
            copy_utf8(buf, sizeof buf, f->data + start, i - start);
            i++;
            long v;
            char *cut = strstr(buf, "//");
            if (cut)
                *cut = 0;
            if (sscanf(buf, " set %63s %ld", name, &v) != 2 || v < 0 || v > BMS_MAX_DX)
                continue;
            if (strcmp(name, "g_nButtonsPerDevice") == 0 && v > 0)
                c->cfg_per = (int)v;
            else if (strcmp(name, "g_nHotasPinkyShiftMagnitude") == 0 && v > 0)
                c->cfg_shift = (int)v;
            else if (strcmp(name, "g_nPOV1DeviceID") == 0 || strcmp(name, "g_nPOV2DeviceID") == 0)
                c->cfg_pov_dev[name[6] - '1'] = (int)v;
            else if (strcmp(name, "g_nPOV1ID") == 0 || strcmp(name, "g_nPOV2ID") == 0)
                c->cfg_pov_hat[name[6] - '1'] = (int)v;
        }
    }
}

/* ---- the keyfile, first pass: entries ---- */

static bms_entry *new_entry(bms_ctx *c, bms_kind kind, int line, const char *callback, err_t *err)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 512;
        if (cap > 4 * GAMES_MAX_BINDINGS) {
            err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: more than %d keyfile lines", line,
                    4 * GAMES_MAX_BINDINGS);
            return NULL;
        }
        bms_entry *e = realloc(c->e, cap * sizeof *e);
        if (!e) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory reading the keyfile");
            return NULL;
        }
        c->e = e;
        c->cap = cap;
    }
    bms_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->header = -1;
    snprintf(e->callback, sizeof e->callback, "%s", callback);
    return e;
}

/* "#======== Viper TQS ========" or "#======== Joystick - HOTAS Warthog : POV #0 ========". */
static void comment_line(bms_ctx *c, const char *s, int line)
{
    s++;
    if (strncmp(s, "===", 3) != 0 || c->n_hdrs == BMS_MAX_HEADERS)
        return;
    char name[96];
    strip_equals(s, name, sizeof name);
    if (!name[0] || name[0] == '#')
        return;
    bms_header *h = &c->hdrs[c->n_hdrs];
    char *pov = strstr(name, " : POV");
    h->pov = pov != NULL;
    if (pov)
        *pov = 0;
    trim(name);
    snprintf(h->name, sizeof h->name, "%s", name);
    h->line = line;
    h->device = -1;
    c->n_hdrs++;
}

/* A SimDoNothing headline: the file's title, a section or a sub-section. Unbound lines of
 * other visibilities are notes ("-0 "MISC: ALT REL (Change Pickle @ Stick section)""). */
static void headline(bms_ctx *c, const char *desc, const char *visibility)
{
    if (!desc[0] || strncmp(desc, "REM:", 4) == 0)
        return;
    if (desc[0] == '=') {
        strip_equals(desc, c->subsection, sizeof c->subsection);
        return;
    }
    if (strcmp(visibility, "-1") != 0)
        return;
    if (!c->out->profile[0] && !c->section[0] && c->n == 0 && !isdigit((unsigned char)desc[0])) {
        snprintf(c->out->profile, sizeof c->out->profile, "%s", desc);
        return;
    }
    copy_utf8(c->section, sizeof c->section, desc, strlen(desc));
    c->subsection[0] = 0;
}

static int keyfile_line(bms_ctx *c, char *s, int line, err_t *err)
{
    /* The description is everything between the first and the last quote. */
    char desc[256] = "";
    char *q = strchr(s, '"');
    if (q) {
        char *q2 = strrchr(q + 1, '"');
        size_t dl = q2 ? (size_t)(q2 - q - 1) : strlen(q + 1);
        while (dl >= 2 && q[1] == '"' && q[dl] == '"') { /* ""doubled"" quotes */
            q++;
            dl -= 2;
        }
        copy_utf8(desc, sizeof desc, q + 1, dl);
        trim(desc);
        *q = 0;
    }
    char *fld[BMS_MAX_FIELDS];
    int nf = 0;
    for (char *p = s; *p && nf < BMS_MAX_FIELDS;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#') /* "... 0x0 115 #Manually Inserted" */
            break;
        fld[nf++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
    }
    if (nf == 0)
        return 0;
    char what[96];
    snprintf(what, sizeof what, "%.95s", fld[0]);
    if (nf < 7) {
        bindings_warn(c->out, line, what, "%d fields, a keyfile line has 7 or more", nf);
        return 0;
    }
    long num;
    if (strcmp(fld[3], "-2") == 0 || strcmp(fld[3], "-3") == 0) {
        int pov = fld[3][1] == '3';
        long press;
        unsigned long upress;
        if (parse_num(fld[1], 10, &num) < 0 || num < 0) {
            bindings_warn(c->out, line, what, "%s number \"%.20s\" is not a number", pov ? "POV" : "DX",
                          fld[1]);
            return 0;
        }
        if (num > BMS_MAX_DX) {
            bindings_warn(c->out, line, what, "DX %ld is past any device BMS numbers", num);
            return 0;
        }
        if (pov ? parse_num(fld[4], 0, &press) < 0 || press < 0 || press > 7
                : parse_hex(fld[4], &upress) < 0) {
            bindings_warn(c->out, line, what, "%s \"%.20s\" is not %s", pov ? "POV direction" : "press field",
                          fld[4], pov ? "0-7" : "0 or 0x42");
            return 0;
        }
        if (pov && num > 3) {
            bindings_warn(c->out, line, what, "POV %ld: BMS reads POVs 0-3", num);
            return 0;
        }
        c->lines_read++;
        bms_entry *e = new_entry(c, pov ? BMS_POV : BMS_DX, line, fld[0], err);
        if (!e)
            return -1;
        e->num = num;
        e->dir = pov ? (int)press : 0;
        e->release = !pov && upress == BMS_RELEASE;
        return 0;
    }
    unsigned long key, mods, combo, combo_mods = 0;
    if (parse_hex(fld[3], &key) < 0 || parse_hex(fld[5], &combo) < 0 ||
        parse_num(fld[4], 0, &num) < 0 || num < 0) {
        bindings_warn(c->out, line, what, "neither a key (\"%.12s %.12s\") nor a DX/POV line", fld[3],
                      fld[4]);
        return 0;
    }
    mods = (unsigned long)num;
    if (parse_num(fld[6], 0, &num) == 0 && num >= 0)
        combo_mods = (unsigned long)num;
    c->lines_read++;
    if (strcmp(fld[0], "SimDoNothing") == 0) {
        if (key == BMS_UNBOUND)
            headline(c, desc, nf > 7 ? fld[7] : "");
        return 0;
    }
    bms_entry *e = new_entry(c, BMS_KEY, line, fld[0], err);
    if (!e)
        return -1;
    e->key = key;
    e->mods = mods;
    e->combo = combo == BMS_UNBOUND ? 0 : combo;
    e->combo_mods = combo_mods;
    copy_utf8(e->desc, sizeof e->desc, desc, strlen(desc));
    const char *ctx = c->section[0] ? c->section : c->subsection;
    snprintf(e->context, sizeof e->context, "%s", ctx);
    if (key != BMS_UNBOUND && key != 0)
        c->last_key_line = line;
    return 0;
}

static int read_keyfile(bms_ctx *c, err_t *err)
{
    const char *data = c->f->data;
    size_t len = c->f->len;
    int line = 0;
    for (size_t i = 0; i < len;) {
        line++;
        size_t start = i;
        while (i < len && data[i] != '\n')
            i++;
        size_t l = i - start;
        i++;
        if (l >= BMS_MAX_LINE) {
            bindings_warn(c->out, line, "line", "longer than %d characters", BMS_MAX_LINE - 1);
            continue;
        }
        char buf[BMS_MAX_LINE];
        memcpy(buf, data + start, l);
        buf[l] = 0;
        if (memchr(buf, 0, l)) {
            bindings_warn(c->out, line, "line", "holds a NUL byte");
            continue;
        }
        trim(buf);
        if (!buf[0])
            continue;
        if (buf[0] == '#') {
            comment_line(c, buf, line);
            continue;
        }
        if (keyfile_line(c, buf, line, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- the DX layout ---- */

/* Device headers are the launcher's: after the last keyboard line, before the joystick
 * blocks. Each is matched to DeviceSorting's list, or makes that list when there is none. */
static void resolve_headers(bms_ctx *c, int from_sorting)
{
    int kept = 0;
    for (int i = 0; i < c->n_hdrs; i++)
        if (c->hdrs[i].line > c->last_key_line)
            c->hdrs[kept++] = c->hdrs[i];
    c->n_hdrs = kept;
    for (int i = 0; i < c->n_hdrs; i++) {
        bms_header *h = &c->hdrs[i];
        if (h->pov) {
            for (int d = 0; d < c->n_devs && h->device < 0; d++)
                if (same_name(c->devs[d].name, h->name))
                    h->device = d;
            continue;
        }
        if (!from_sorting) {
            if (add_device(c, h->name, 0, 0) == 0)
                h->device = c->n_devs - 1;
            continue;
        }
        /* The k-th header of a name is the k-th device of that name. */
        int k = 0;
        for (int j = 0; j < i; j++)
            k += !c->hdrs[j].pov && same_name(c->hdrs[j].name, h->name);
        for (int d = 0; d < c->n_devs && h->device < 0; d++)
            if (same_name(c->devs[d].name, h->name) && k-- == 0)
                h->device = d;
    }
    for (size_t i = 0, hi = 0; i < c->n; i++) {
        bms_entry *e = &c->e[i];
        while (hi < (size_t)c->n_hdrs && c->hdrs[hi].line < e->line)
            hi++;
        /* the nearest header above, of the right kind */
        for (size_t j = hi; j-- > 0;) {
            if (c->hdrs[j].pov == (e->kind == BMS_POV)) {
                e->header = c->hdrs[j].device;
                break;
            }
            if (e->kind == BMS_DX || !c->hdrs[j].pov)
                break; /* a POV header does not name the buttons after it, nor vice versa */
        }
    }
}

/* Device, 0-based button and shift of DX number n under the layout. */
static void dx_split(const bms_ctx *c, long n, int *dev, long *button, int *shifted)
{
    *shifted = n >= c->shift;
    long m = *shifted ? n - c->shift : n;
    *dev = (int)(m / c->per);
    *button = m % c->per;
}

/* Pick buttons-per-device and the shift offset that put every DX line on a listed device and
 * on the device its launcher header names; the first candidate wins ties (BMS's defaults).
 * What the uploaded config files set is not guessed. */
static void choose_layout(bms_ctx *c)
{
    int cand[4][2] = {{32, 256}, {128, c->n_devs * 128}, {32, c->n_devs * 32}, {128, 256}};
    int n_cand = c->n_devs ? 4 : 1;
    if (c->cfg_per || c->cfg_shift) {
        int per = c->cfg_per, shift = c->cfg_shift;
        cand[0][0] = per ? per : 32;
        cand[0][1] = shift ? shift : 256;
        cand[1][0] = per ? per : 128;
        cand[1][1] = shift ? shift : c->n_devs * cand[1][0];
        n_cand = c->n_devs ? 2 : 1;
    }
    long best = 0;
    int bi = -1;
    for (int k = 0; k < n_cand; k++) {
        if (cand[k][1] < cand[k][0] && !c->cfg_shift)
            continue;
        c->per = cand[k][0];
        c->shift = cand[k][1];
        long score = 0;
        for (size_t i = 0; i < c->n; i++) {
            const bms_entry *e = &c->e[i];
            if (e->kind != BMS_DX)
                continue;
            int dev, shifted;
            long button;
            dx_split(c, e->num, &dev, &button, &shifted);
            if (dev >= c->n_devs)
                score -= 100;
            else if (e->header >= 0)
                score += dev == e->header ? 10 : -10;
        }
        if (bi < 0 || score > best) {
            best = score;
            bi = k;
        }
    }
    if (bi < 0)
        bi = 0;
    c->per = cand[bi][0];
    c->shift = cand[bi][1];
}

/* ---- the keyfile, second pass: bindings ---- */

static int key_input(const bms_ctx *c, unsigned long key, bind_input *in)
{
    char code[24];
    snprintf(code, sizeof code, "0x%02lX", key);
    const char *id = games_lookup(c->out->games, GAME, "keys", code);
    if (!id)
        return -1;
    snprintf(in->device, sizeof in->device, "Keyboard");
    snprintf(in->control, sizeof in->control, "key:%s", id);
    return 0;
}

static void key_modifiers(const bms_ctx *c, unsigned long mods, binding *b)
{
    static const char *const names[3] = {"LeftShift", "LeftControl", "LeftAlt"};
    for (int i = 0; i < 3; i++)
        if (mods & (1ul << i) && b->n_modifiers < BIND_MAX_MODIFIERS) {
            bind_input *m = &b->modifiers[b->n_modifiers++];
            snprintf(m->device, sizeof m->device, "Keyboard");
            snprintf(m->control, sizeof m->control, "key:%s", names[i]);
        }
}

/* "Alt+C" for the first stroke of a two-stroke binding. */
static void stroke_text(const games_registry *g, unsigned long key, unsigned long mods, char *out, size_t n)
{
    char code[24];
    snprintf(code, sizeof code, "0x%02lX", key);
    const char *id = games_lookup(g, GAME, "keys", code);
    snprintf(out, n, "%s%s%s%s", mods & 2 ? "Ctrl+" : "", mods & 4 ? "Alt+" : "", mods & 1 ? "Shift+" : "",
             id ? id : code);
}

/* Label and context a joystick line borrows from the keyboard line of its callback. */
static const bms_entry *key_line_of(const bms_ctx *c, const char *callback)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].kind == BMS_KEY && c->e[i].desc[0] && strcmp(c->e[i].callback, callback) == 0)
            return &c->e[i];
    return NULL;
}

static void device_input(const bms_ctx *c, int dev, bind_input *in)
{
    if (dev < c->n_devs) {
        snprintf(in->device, sizeof in->device, "%s", c->devs[dev].name);
        in->vid = c->devs[dev].vid;
        in->pid = c->devs[dev].pid;
        in->device_index = c->devs[dev].alike;
    } else {
        snprintf(in->device, sizeof in->device, "Joystick %d", dev + 1);
    }
}

static int is_shift_callback(const char *cb)
{
    return strcmp(cb, "SimHotasPinkyShift") == 0 || strcmp(cb, "SimHotasShift") == 0;
}

/* The unshifted button bound to the pinky shift, preferring one on device dev; 0 if none. */
static int shift_button(const bms_ctx *c, int dev, bind_input *in)
{
    int found = 0;
    for (size_t i = 0; i < c->n; i++) {
        const bms_entry *e = &c->e[i];
        int d, shifted;
        long button;
        if (e->kind != BMS_DX || !is_shift_callback(e->callback))
            continue;
        dx_split(c, e->num, &d, &button, &shifted);
        if (shifted || (c->n_devs && d >= c->n_devs) || (found && d != dev))
            continue;
        memset(in, 0, sizeof *in);
        device_input(c, d, in);
        snprintf(in->control, sizeof in->control, "button:%ld", button + 1);
        found = 1;
        if (d == dev)
            break;
    }
    return found;
}

/* The device whose POV slot 0 is: the stick, i.e. the device of the trigger or pickle. */
static int primary_device(const bms_ctx *c)
{
    static const char *const stick[] = {"SimTriggerFirstDetent", "SimPickle", "SimTriggerSecondDetent"};
    for (size_t k = 0; k < sizeof stick / sizeof stick[0]; k++)
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].kind == BMS_DX && strcmp(c->e[i].callback, stick[k]) == 0) {
                int d, shifted;
                long button;
                dx_split(c, c->e[i].num, &d, &button, &shifted);
                if (!c->n_devs || d < c->n_devs)
                    return d;
            }
    return 0;
}

static int emit(bms_ctx *c, binding *b, err_t *err)
{
    snprintf(b->module, sizeof b->module, "%s", c->module);
    games_label_binding(c->out->games, GAME, b);
    return bindings_add(c->out, b, GAMES_MAX_BINDINGS, err);
}

static int emit_key(bms_ctx *c, const bms_entry *e, err_t *err)
{
    if (e->key == BMS_UNBOUND || e->key == 0)
        return 0;
    binding b = {0};
    b.line = e->line;
    snprintf(b.action_id, sizeof b.action_id, "%s", e->callback);
    snprintf(b.action, sizeof b.action, "%s", e->desc);
    snprintf(b.context, sizeof b.context, "%s", e->context);
    if (key_input(c, e->key, &b.input) < 0) {
        bindings_warn(c->out, e->line, e->callback, "scan code 0x%02lX is no key we know", e->key);
        return 0;
    }
    if (e->mods > 7)
        bindings_warn(c->out, e->line, e->callback, "modifier bits 0x%lX beyond Shift/Ctrl/Alt ignored",
                      e->mods & ~7ul);
    key_modifiers(c, e->mods, &b);
    if (e->combo) {
        char first[48];
        stroke_text(c->out->games, e->combo, e->combo_mods, first, sizeof first);
        snprintf(b.activation, sizeof b.activation, "after %.17s", first);
    }
    return emit(c, &b, err);
}

static void joystick_label(const bms_ctx *c, const bms_entry *e, binding *b)
{
    const bms_entry *k = key_line_of(c, e->callback);
    snprintf(b->action_id, sizeof b->action_id, "%s", e->callback);
    if (k) {
        snprintf(b->action, sizeof b->action, "%s", k->desc);
        snprintf(b->context, sizeof b->context, "%s", k->context);
    }
}

static int emit_dx(bms_ctx *c, const bms_entry *e, err_t *err)
{
    if (strcmp(e->callback, "SimDoNothing") == 0)
        return 0; /* blocks a button (often the shifted one) on purpose */
    int dev, shifted;
    long button;
    dx_split(c, e->num, &dev, &button, &shifted);
    if (shifted && is_shift_callback(e->callback))
        return 0; /* keeps the shift held in the shifted layer; no action of its own */
    if (c->n_devs && dev >= c->n_devs) {
        bindings_warn(c->out, e->line, e->callback,
                      "DX %ld is on device %d; DeviceSorting.txt lists %d", e->num, dev + 1, c->n_devs);
        return 0;
    }
    binding b = {0};
    b.line = e->line;
    joystick_label(c, e, &b);
    device_input(c, dev, &b.input);
    snprintf(b.input.control, sizeof b.input.control, "button:%ld", button + 1);
    if (shifted && !shift_button(c, dev, &b.modifiers[b.n_modifiers++])) {
        b.n_modifiers = 0;
        snprintf(b.activation, sizeof b.activation, "shifted");
    }
    if (e->release)
        snprintf(b.activation, sizeof b.activation, "%s", shifted && !b.n_modifiers ? "shifted, on release" : "on release");
    return emit(c, &b, err);
}

/* POV slot 0 is on the device with the roll axis, slot 1 on the throttle's (the launcher's
 * g_nPOV1DeviceID / g_nPOV2DeviceID): the config when uploaded, else the launcher's comment,
 * else the stick's device (hat 1, hat 2 for slot 1). */
static int emit_pov(bms_ctx *c, const bms_entry *e, int primary, err_t *err)
{
    if (strcmp(e->callback, "SimDoNothing") == 0)
        return 0;
    int shifted = e->num >= 2, slot = (int)(e->num % 2);
    int dev = e->header >= 0 ? e->header : primary;
    int hat = e->header >= 0 ? 1 : slot + 1;
    int cfg_dev = c->cfg_pov_dev[slot] - 2;
    if (cfg_dev >= 0 && (cfg_dev < c->n_devs || !c->n_devs)) {
        dev = cfg_dev;
        hat = c->cfg_pov_hat[slot] + 1;
    }
    binding b = {0};
    b.line = e->line;
    joystick_label(c, e, &b);
    device_input(c, dev, &b.input);
    snprintf(b.input.control, sizeof b.input.control, "hat:%d:%s", hat, control_hat_dirs[e->dir]);
    if (shifted && !shift_button(c, dev, &b.modifiers[b.n_modifiers++])) {
        b.n_modifiers = 0;
        snprintf(b.activation, sizeof b.activation, "shifted");
    }
    return emit(c, &b, err);
}

/* Module name when the upload holds several keyfiles ("BMS - Auto-F15ABCD"). */
static void set_module(bms_ctx *c)
{
    int keyfiles = 0;
    for (size_t i = 0; c->bundle && i < c->bundle->n; i++)
        keyfiles += has_suffix_ci(games_base_name(c->bundle->files[i].name), ".key");
    if (keyfiles < 2)
        return;
    const char *b = games_base_name(c->f->name);
    size_t l = strlen(b);
    if (has_suffix_ci(b, ".key"))
        l -= 4;
    copy_utf8(c->module, sizeof c->module, b, l);
}

static int parse_keyfile(bms_ctx *c, err_t *err)
{
    set_module(c);
    read_cfg(c);
    int sorted = read_device_sorting(c, 0);
    if (read_keyfile(c, err) < 0)
        return -1;
    if (c->lines_read == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL,
                "line 1: no keyfile line (\"Callback SoundID 0 Key Mods Combo ComboMods Visibility "
                "\\\"Description\\\"\" or a DX/POV line), not a Falcon BMS keyfile");
        return -1;
    }
    resolve_headers(c, sorted > 0);
    choose_layout(c);
    int joystick = 0;
    for (size_t i = 0; i < c->n; i++)
        joystick += c->e[i].kind != BMS_KEY && strcmp(c->e[i].callback, "SimDoNothing") != 0;
    if (joystick && !sorted)
        bindings_warn(c->out, 0, "DeviceSorting.txt",
                      c->n_devs ? "not in the upload: joysticks named from the keyfile's comments"
                                : "not in the upload: joysticks are named Joystick 1, Joystick 2... by "
                                  "blocks of 32 DX buttons");
    int primary = primary_device(c);
    for (size_t i = 0; i < c->n; i++) {
        const bms_entry *e = &c->e[i];
        int rc = e->kind == BMS_KEY ? emit_key(c, e, err)
                 : e->kind == BMS_DX ? emit_dx(c, e, err)
                                     : emit_pov(c, e, primary, err);
        if (rc < 0)
            return -1;
    }
    if (c->out->n == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: the keyfile binds no key, button or hat",
                c->n ? c->e[0].line : 1);
        return -1;
    }
    /* The player's name for the file beats its title line: the launcher's "BMS - Auto.key"
     * keeps the "BMS - Full" title of the file it started from. */
    const char *b = games_base_name(c->f->name);
    size_t l = strlen(b);
    if (has_suffix_ci(b, ".key"))
        l -= 4;
    if (l)
        copy_utf8(c->out->profile, sizeof c->out->profile, b, l);
    return 0;
}

/* ---- Setup.v100.<device> {GUID}.xml ---- */

typedef struct bms_xml bms_xml;
static void xml_shift(const bms_xml *p, binding *b);


struct bms_xml {
    bms_ctx *c;
    err_t err;
    int with_buttons; /* no keyfile in the upload: the XML's DX/POV are the bindings */
    int pass;         /* 1: find the pinky shift button, 2: emit */
    int pinky;        /* 0-based button bound to the pinky shift, -1 */
    int bindings;
    int skip_depth;   /* inside a <profile...> copy */
    int section;      /* 'a' axis, 'p' pov, 'd' dx */
    int in_callback;  /* inside a POV direction's <Callback> (not its <SoundID>) */
    int item, sub, slot;
    char text[96];
    size_t text_len;
    int collecting;
    char axis_name[96];
    int invert;
    double deadzone;
    char callbacks[4][96]; /* the 4 assigns of a DX button, or 2 of a POV direction */
    int line;
};

/* Shifted layer: the pinky button as modifier, or said in words when none is bound. */
static void xml_shift(const bms_xml *p, binding *b)
{
    if (p->pinky < 0) {
        snprintf(b->activation, sizeof b->activation, "shifted");
        return;
    }
    bind_input *m = &b->modifiers[b->n_modifiers++];
    device_input(p->c, 0, m);
    snprintf(m->control, sizeof m->control, "button:%d", p->pinky + 1);
}

static void xml_emit(refxml *x, bms_xml *p, binding *b)
{
    if (p->pass == 1)
        return;
    if (emit(p->c, b, &p->err) < 0)
        refxml_fail_err(x, &p->err);
    else
        p->bindings++;
}

static void xml_start(refxml *x, void *ud, const char *name, const char **attrs, int depth)
{
    bms_xml *p = ud;
    (void)attrs;
    if (p->skip_depth)
        return;
    if (depth == 1 && strcmp(name, "JoyAssgn") != 0) {
        refxml_fail(x, "root element <%.60s>, not a BMS launcher <JoyAssgn> setup file", name);
        return;
    }
    if (depth == 2) {
        p->section = strcmp(name, "axis") == 0 ? 'a' : strcmp(name, "pov") == 0 ? 'p'
                     : strcmp(name, "dx") == 0 ? 'd' : 0;
        p->item = -1;
        if (strncmp(name, "profile", 7) == 0)
            p->skip_depth = depth;
        return;
    }
    if (depth == 3 && p->section) {
        p->item++;
        p->sub = -1;
        p->axis_name[0] = 0;
        p->invert = 0;
        p->deadzone = 0;
        p->line = refxml_line(x);
        if (p->section == 'd')
            memset(p->callbacks, 0, sizeof p->callbacks);
    }
    if (p->section == 'p' && depth == 5) { /* one DirAssgn */
        p->sub++;
        p->slot = -1;
        memset(p->callbacks, 0, sizeof p->callbacks);
        p->line = refxml_line(x);
    }
    if (p->section == 'd' && depth == 5)
        p->sub++;
    if (p->section == 'p' && depth == 6)
        p->in_callback = strcmp(name, "Callback") == 0;
    if (p->section == 'p' && depth == 7 && p->in_callback)
        p->slot++;
    p->collecting = 1;
    p->text_len = 0;
    p->text[0] = 0;
}

static void xml_text(refxml *x, void *ud, const char *s, int len)
{
    bms_xml *p = ud;
    (void)x;
    if (!p->collecting || p->skip_depth)
        return;
    size_t room = sizeof p->text - 1 - p->text_len;
    size_t n = (size_t)len < room ? (size_t)len : room;
    memcpy(p->text + p->text_len, s, n);
    p->text_len += n;
    p->text[p->text_len] = 0;
}

static void xml_button(refxml *x, bms_xml *p, int button)
{
    static const int shifted[4] = {0, 1, 0, 1}, release[4] = {0, 0, 1, 1};
    if (p->pass == 1) {
        if (p->pinky < 0 && is_shift_callback(p->callbacks[0]))
            p->pinky = button;
        return;
    }
    for (int a = 0; a < 4; a++) {
        const char *cb = p->callbacks[a];
        if (!cb[0] || strcmp(cb, "SimDoNothing") == 0 || (shifted[a] && is_shift_callback(cb)))
            continue;
        binding b = {0};
        b.line = p->line;
        snprintf(b.action_id, sizeof b.action_id, "%s", cb);
        device_input(p->c, 0, &b.input);
        snprintf(b.input.control, sizeof b.input.control, "button:%d", button + 1);
        if (shifted[a])
            xml_shift(p, &b);
        if (release[a])
            snprintf(b.activation, sizeof b.activation, "%s", b.n_modifiers || !shifted[a] ? "on release" : "shifted, on release");
        xml_emit(x, p, &b);
    }
}

static void xml_end(refxml *x, void *ud, const char *name, int depth)
{
    bms_xml *p = ud;
    if (p->skip_depth) {
        if (depth == p->skip_depth)
            p->skip_depth = 0;
        return;
    }
    p->collecting = 0;
    trim(p->text);
    if (p->section == 'a' && depth == 4) {
        if (strcmp(name, "AxisName") == 0)
            snprintf(p->axis_name, sizeof p->axis_name, "%s", p->text);
        else if (strcmp(name, "Invert") == 0)
            p->invert = strcasecmp(p->text, "true") == 0;
        else if (strcmp(name, "Deadzone") == 0)
            p->deadzone = strcmp(p->text, "Small") == 0    ? 0.01
                          : strcmp(p->text, "Medium") == 0 ? 0.05
                          : strcmp(p->text, "Large") == 0  ? 0.10
                                                           : 0;
    } else if (p->section == 'a' && depth == 3 && p->axis_name[0]) {
        if (p->item >= 8) {
            bindings_warn(p->c->out, p->line, p->axis_name, "axis %d: a device has 8 axes", p->item + 1);
            return;
        }
        binding b = {0};
        b.line = p->line;
        b.is_axis = 1;
        b.inverted = p->invert;
        b.deadzone = p->deadzone;
        snprintf(b.action_id, sizeof b.action_id, "%s", p->axis_name);
        snprintf(b.context, sizeof b.context, "Axes");
        device_input(p->c, 0, &b.input);
        snprintf(b.input.control, sizeof b.input.control, "axis:%s", control_axes[p->item]);
        xml_emit(x, p, &b);
    } else if (p->section == 'd' && depth == 6 && strcmp(name, "Callback") == 0 && p->sub >= 0 && p->sub < 4) {
        snprintf(p->callbacks[p->sub], sizeof p->callbacks[0], "%s", p->text);
    } else if (p->section == 'd' && depth == 3 && p->with_buttons) {
        xml_button(x, p, p->item);
    } else if (p->section == 'p' && depth == 7 && p->in_callback && p->slot >= 0 && p->slot < 2) {
        snprintf(p->callbacks[p->slot], sizeof p->callbacks[0], "%s", p->text);
    } else if (p->section == 'p' && depth == 5 && p->with_buttons && p->sub >= 0 && p->sub < 8) {
        for (int s = 0; s < 2; s++) {
            const char *cb = p->callbacks[s];
            if (!cb[0] || strcmp(cb, "SimDoNothing") == 0)
                continue;
            binding b = {0};
            b.line = p->line;
            snprintf(b.action_id, sizeof b.action_id, "%s", cb);
            device_input(p->c, 0, &b.input);
            snprintf(b.input.control, sizeof b.input.control, "hat:%d:%s", p->item + 1, control_hat_dirs[p->sub]);
            if (s)
                xml_shift(p, &b);
            xml_emit(x, p, &b);
        }
    }
}

/* The device of a setup file from its name, "Setup.v100.Viper TQS {8995FBC0-...}.xml";
 * USB ids from a product GUID, else from DeviceSorting.txt's line of the same name. */
static void xml_device(bms_ctx *c)
{
    const char *b = games_base_name(c->f->name);
    char name[160];
    snprintf(name, sizeof name, "%s", strncasecmp(b, "Setup.v100.", 11) == 0 ? b + 11 : b);
    if (has_suffix_ci(name, ".xml"))
        name[strlen(name) - 4] = 0;
    char guid[64] = "";
    char *brace = strrchr(name, '{');
    if (brace && brace[strlen(brace) - 1] == '}') {
        snprintf(guid, sizeof guid, "%.*s", (int)(strlen(brace) - 2), brace + 1);
        *brace = 0;
    }
    trim(name);
    unsigned vid, pid;
    guid_usb_ids(guid, &vid, &pid);
    if (read_device_sorting(c, 1) > 0 && !vid)
        for (int d = 0; d < c->n_devs; d++)
            if (same_name(c->devs[d].name, name)) {
                vid = c->devs[d].vid;
                pid = c->devs[d].pid;
                break;
            }
    c->n_devs = 0;
    add_device(c, name[0] ? name : "Joystick", vid, pid);
}

static int parse_setup_xml(bms_ctx *c, err_t *err)
{
    bms_xml p = {.c = c, .with_buttons = 1, .pinky = -1};
    for (size_t i = 0; c->bundle && i < c->bundle->n; i++)
        if (has_suffix_ci(games_base_name(c->bundle->files[i].name), ".key"))
            p.with_buttons = 0;
    xml_device(c);
    refxml_handlers h = {.start = xml_start, .end = xml_end, .text = xml_text, .ud = &p};
    for (p.pass = p.with_buttons ? 1 : 2; p.pass <= 2; p.pass++)
        if (refxml_parse(c->f->data, c->f->len, &h, err) < 0)
            return -1;
    if (p.bindings == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line 1: the setup file of %s assigns no axis%s",
                c->devs[0].name, p.with_buttons ? ", button or hat" : "");
        return -1;
    }
    return 0;
}

int bms_parse(const games_bundle *bundle, const games_file *f, binding_set *out, err_t *err)
{
    bms_ctx c = {.bundle = bundle, .f = f, .out = out};
    const char *s = f->data, *end = f->data + f->len;
    while (s < end && isspace((unsigned char)*s))
        s++;
    int rc = s < end && *s == '<' ? parse_setup_xml(&c, err) : parse_keyfile(&c, err);
    free(c.e);
    return rc;
}
