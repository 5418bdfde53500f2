/* controls.h — the names in bindings.h's control ids, once: axes, hat directions and gamepad
 * controls. Every game parser writes them and the device registry checks layouts against them.
 *
 * A game's own spellings ("Joy_RXAxis", "UR", "rotz") stay in its parser, mapped to these
 * indexes, so the normalised names are written in one place. */
#ifndef CARTOUCHE_REFCARDS_CONTROLS_H
#define CARTOUCHE_REFCARDS_CONTROLS_H

/* "axis:NAME" */
enum {
    CONTROL_AXIS_X,
    CONTROL_AXIS_Y,
    CONTROL_AXIS_Z,
    CONTROL_AXIS_RX,
    CONTROL_AXIS_RY,
    CONTROL_AXIS_RZ,
    CONTROL_AXIS_SLIDER1,
    CONTROL_AXIS_SLIDER2,
    CONTROL_AXIS_DIAL1,
    CONTROL_AXIS__COUNT
};
extern const char *const control_axes[CONTROL_AXIS__COUNT + 1]; /* NULL-terminated */

/* "hat:N:DIR": clockwise from up, 45° apart, so an angle / 45 is the index. */
enum {
    CONTROL_HAT_UP,
    CONTROL_HAT_UPRIGHT,
    CONTROL_HAT_RIGHT,
    CONTROL_HAT_DOWNRIGHT,
    CONTROL_HAT_DOWN,
    CONTROL_HAT_DOWNLEFT,
    CONTROL_HAT_LEFT,
    CONTROL_HAT_UPLEFT,
    CONTROL_HAT__COUNT
};
extern const char *const control_hat_dirs[CONTROL_HAT__COUNT + 1]; /* NULL-terminated */

/* "pad:NAME" (XInput's buttons, sticks and triggers), NULL-terminated. */
extern const char *const control_pad_names[];

/* Index of s in a NULL-terminated list, -1 if absent; _nocase ignores ASCII case. */
int control_index(const char *const *list, const char *s);
int control_index_nocase(const char *const *list, const char *s);
/* 8 hex digits: Elite's "VVVVPPPP" form of a USB id, never a device name. */
int control_is_usb_hex_id(const char *s);

#endif
