/* controls.c — the control-name tables of controls.h (axes, hat directions, gamepad controls)
 * and their look-up. */
#include "refcards/controls.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *const control_axes[CONTROL_AXIS__COUNT + 1] = {
    "x", "y", "z", "rx", "ry", "rz", "slider1", "slider2", "dial1", NULL};

const char *const control_hat_dirs[CONTROL_HAT__COUNT + 1] = {
    "up", "upright", "right", "downright", "down", "downleft", "left", "upleft", NULL};

const char *const control_pad_names[] = {
    "a",        "b",         "x",         "y",          "lb", "rb", "lt", "rt", "back", "start",
    "ls",       "rs",        "dpad_up",   "dpad_down",  "dpad_left",  "dpad_right",
    "lx",       "ly",        "rx",        "ry",         NULL};

int control_index(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return i;
    return -1;
}

int control_index_nocase(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcasecmp(s, list[i]) == 0)
            return i;
    return -1;
}

int control_is_usb_hex_id(const char *s)
{
    if (strlen(s) != 8)
        return 0;
    for (int i = 0; i < 8; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}
