/* bindings.h — the plain model every game parser produces and the card renderer consumes.
 *
 * Control ids are normalised across games so one device layout serves every game:
 *   "button:N"        joystick/gamepad button, 1-based as Windows numbers them ("Button 1")
 *   "hat:N:DIR"       POV hat N (1-based), DIR in up, upright, right, downright, down,
 *                     downleft, left, upleft
 *   "axis:NAME"       NAME in x, y, z, rx, ry, rz, slider1, slider2, dial1 (lower case)
 *   "key:NAME"        keyboard key, NAME from the keyboard layout's ids (see
 *                     templates/devices/keyboard.json): A..Z, 0..9, F1..F24, Escape, Tab,
 *                     CapsLock, LeftShift, RightShift, LeftControl, RightControl, LeftAlt,
 *                     RightAlt, LeftWin, RightWin, Menu, Space, Enter, Backspace, Insert,
 *                     Delete, Home, End, PageUp, PageDown, UpArrow, DownArrow, LeftArrow,
 *                     RightArrow, Numpad0..Numpad9, NumpadDivide, NumpadMultiply,
 *                     NumpadMinus, NumpadPlus, NumpadEnter, NumpadDecimal, Minus, Equals,
 *                     LeftBracket, RightBracket, Backslash, Semicolon, Apostrophe, Grave,
 *                     Comma, Period, Slash, PrintScreen, ScrollLock, Pause, NumLock,
 *                     IntlBackslash (the ISO key between left Shift and Z: "<>" on German,
 *                     "\\|" on UK boards), IntlRo, IntlYen (JIS)
 *   gamepad controls use "button:N"/"axis:NAME"/"hat:1:DIR" as XInput reports them to the game,
 *   or "pad:NAME" (a, b, x, y, lb, rb, lt, rt, back, start, ls, rs, dpad_up, dpad_down,
 *   dpad_left, dpad_right, lx, ly, rx, ry) where the game names them that way.
 * Devices are identified by the name the game wrote (e.g. "ThrustMasterWarthogJoystick",
 * "Joystick - HOTAS Warthog") plus, when the file carries one, a USB VID:PID; the device
 * registry maps both to a registry id. "Keyboard" is the device of every "key:" control. */
#ifndef CARTOUCHE_BINDINGS_H
#define CARTOUCHE_BINDINGS_H

#include <stddef.h>

#include "util/err.h"

#define BIND_MAX_MODIFIERS 4

typedef struct {
    char device[96];      /* as the game names it; "Keyboard" for keys, "Mouse" for mouse */
    int device_index;     /* game's index of that device when several are alike, else 0 */
    unsigned vid, pid;    /* USB ids if the file carries them, else 0 */
    char control[48];     /* normalised control id, see above */
} bind_input;

typedef struct {
    char action_id[96];   /* the game's identifier, e.g. "LandingGearToggle" */
    char action[128];     /* human label: from the game's table, else a readable split */
    char context[48];     /* category / context, e.g. "Ship", "SRV", "On foot", "PLANE" */
    bind_input input;
    bind_input modifiers[BIND_MAX_MODIFIERS];
    int n_modifiers;
    char activation[24];  /* how the control must be used when not a plain press: "hold",
                             "double tap", "long press" (Star Citizen activationMode, ...) */
    char module[48];      /* aircraft/ship/vehicle a bundle's file belongs to when an upload
                             holds several (a DCS Config/Input folder: "F-16C_50"); else "" */
    int secondary;        /* 1 if this is the game's secondary/alternate binding */
    int is_axis;          /* 1 for an axis binding */
    int inverted;         /* axis inverted */
    double deadzone;      /* axis deadzone, 0 if none */
    int line;             /* line in the source file, for reports */
} binding;

/* An entry of a file that could not be read as a binding and was skipped; listed in the upload
 * summary's "warnings". A file that a bundle could not use at all is one warning with line 0. */
typedef struct {
    char file[256];       /* file name within the upload ("" for a single raw body) */
    int line;             /* 1-based line, 0 for the whole file */
    char what[96];        /* the entry: "<Binding> ThrottleAxis", "js1_button3" */
    char why[160];        /* "no Key attribute", "unknown device placeholder" */
} bind_warning;

#define BIND_MAX_WARNINGS 200 /* kept in full; more are only counted (warnings_dropped) */

typedef struct {
    char game[32];        /* "elite", "msfs2020", "squadrons", "dcs", ... */
    char game_name[64];   /* "Elite Dangerous" */
    char profile[96];     /* preset/profile name from the file, if any */
    binding *items;
    size_t n, cap;
    bind_warning *warnings;
    size_t n_warnings, cap_warnings;
    size_t warnings_dropped; /* warnings past BIND_MAX_WARNINGS */
    char cur_file[256];   /* file being parsed: bindings_warn() stamps its warnings with it */
    const struct games_registry *games; /* the game tables the parse reads (games_parse_bundle) */
} binding_set;

/* Append a copy; -1 on out-of-memory or over the limit (max_bindings) with err. */
int bindings_add(binding_set *set, const binding *b, size_t max_bindings, err_t *err);
void bindings_free(binding_set *set);

/* Record a skipped entry (line, what, printf why) against set->cur_file. Never fails: past
 * BIND_MAX_WARNINGS or out of memory it only counts. */
void bindings_warn(binding_set *set, int line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Names are copied into fixed fields (snprintf) and may have been cut inside a UTF-8 character:
 * drop any incomplete character at the end of every text field of set (the text engine and
 * JSON refuse invalid UTF-8, so an acknowledged upload would never render). */
void bindings_fix_utf8(binding_set *set);

/* Move every binding and warning of src to the end of dst (src is emptied). -1 + err when
 * dst would pass max_bindings. */
int bindings_merge(binding_set *dst, binding_set *src, size_t max_bindings, err_t *err);

#endif
