/* devart.h — original schematic drawings of the registry's devices, drawn from the vector
 * shapes of each device's JSON "art" array (the language is artspec.h's, checked when the
 * registry loads). */
#ifndef CARTOUCHE_DEVART_H
#define CARTOUCHE_DEVART_H

#include <cairo.h>

#include "refcards/devices.h"

/* Draw the device's background (paper and drawing) in 1920x1080 user units. */
void devart_draw(cairo_t *cr, const device *d);

#endif
