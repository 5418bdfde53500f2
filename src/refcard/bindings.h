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
 *                     Comma, Period, Slash, PrintScreen, ScrollLock, Pause, NumLock
 *   gamepad controls use "button:N"/"axis:NAME"/"hat:1:DIR" as XInput reports them to the game,
 *   or "pad:NAME" (a, b, x, y, lb, rb, lt, rt, back, start, ls, rs, dpad_up, dpad_down,
 *   dpad_left, dpad_right, lx, ly, rx, ry) where the game names them that way.
 * Devices are identified by the name the game wrote (e.g. "ThrustMasterWarthogJoystick",
 * "Joystick - HOTAS Warthog") plus, when the file carries one, a USB VID:PID; the device
 * registry maps both to a registry id. "Keyboard" is the device of every "key:" control. */
#ifndef CARTOUCHE_BINDINGS_H
#define CARTOUCHE_BINDINGS_H

#include <stddef.h>

#include "err.h"

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
    int secondary;        /* 1 if this is the game's secondary/alternate binding */
    int is_axis;          /* 1 for an axis binding */
    int inverted;         /* axis inverted */
    double deadzone;      /* axis deadzone, 0 if none */
    int line;             /* line in the source file, for reports */
} binding;

typedef struct {
    char game[32];        /* "elite", "msfs2020", "squadrons", "dcs", ... */
    char game_name[64];   /* "Elite Dangerous" */
    char profile[96];     /* preset/profile name from the file, if any */
    binding *items;
    size_t n, cap;
} binding_set;

/* Append a copy; -1 on out-of-memory or over the limit (max_bindings) with err. */
int bindings_add(binding_set *set, const binding *b, size_t max_bindings, err_t *err);
void bindings_free(binding_set *set);

#endif
