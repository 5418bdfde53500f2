/* artspec.h — what a device's "art" shapes may say, checked when the registry loads the device
 * and read again by devart.c when it draws them.
 *
 * Shapes (canvas units, 1920x1080), each an object with one geometry key and optional style:
 *   {"path": "M x y L x y C x1 y1 x2 y2 x y Z"}   absolute commands M, L, C, Z
 *   {"rrect": [x, y, w, h, r]}   {"circle": [cx, cy, r]}   {"ellipse": [cx, cy, rx, ry]}
 *   {"arc": [cx, cy, r, deg1, deg2]}   {"line": [[x, y], ...]}
 *   {"hat": [cx, cy, r, 4|8]}   a hat switch: cap with direction marks
 *   style: "fill": "body" | "body2" | "control" | "dark" | "none" | "#rrggbb", "stroke": width */
#ifndef CARTOUCHE_REFCARDS_ARTSPEC_H
#define CARTOUCHE_REFCARDS_ARTSPEC_H

#include <jansson.h>

#include "util/err.h"

/* Check every shape of an art array; -1 + err naming file and "art[i].field". */
int artspec_validate(const json_t *art, const char *file, err_t *err);

/* A fill name's colour: 0 = no fill ("none"), 1 = rgb set, -1 = unknown. */
int artspec_fill_rgb(const char *name, double rgb[3]);

/* Walks a path string, calling fn (if not NULL) per command with its numbers (M, L: 2; C: 6;
 * Z: none). Returns 0, or -1 at the first error (fn has seen the commands before it). */
typedef void (*artspec_path_fn)(void *ctx, char cmd, const double *v);
int artspec_path(const char *d, artspec_path_fn fn, void *ctx);

#endif
