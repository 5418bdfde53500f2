/* devart.h — original schematic drawings of the registry's devices, described as vector shapes in
 * each device's JSON "art" array and baked to PNG backgrounds (1x and 2x) ahead of serving.
 *
 * Shapes (canvas units, 1920x1080), each an object with one geometry key and optional style:
 *   {"path": "M x y L x y C x1 y1 x2 y2 x y Z"}   absolute commands M, L, C, Z
 *   {"rrect": [x, y, w, h, r]}   {"circle": [cx, cy, r]}   {"ellipse": [cx, cy, rx, ry]}
 *   {"arc": [cx, cy, r, deg1, deg2]}   {"line": [[x, y], ...]}
 *   {"hat": [cx, cy, r, 4|8]}   a hat switch: cap with direction marks
 *   style: "fill": "body" | "body2" | "control" | "dark" | "none" | "#rrggbb", "stroke": width */
#ifndef CARTOUCHE_DEVART_H
#define CARTOUCHE_DEVART_H

#include <cairo.h>
#include <jansson.h>

#include "util/err.h"
#include "refcards/devices.h"

/* Check every shape of an art array; -1 + err naming file and "art[i].field". */
int devart_validate(const json_t *art, const char *file, err_t *err);

/* Draw the device's background (paper and drawing) in 1920x1080 user units. */
void devart_draw(cairo_t *cr, const device *d);

/* Bake <assets_dir>/<background> and its @2x twin for every device of templates_dir/devices,
 * skipping those newer than their JSON. Returns the number baked, or -1 + err. */
int devart_bake(const char *templates_dir, const char *assets_dir, err_t *err);

#endif
