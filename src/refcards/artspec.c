/* artspec.c — the language of a device's "art" shapes (artspec.h): geometry keys, fill names
 * and colours, path syntax, and the check of a whole art array at registry load. */
#include "refcards/artspec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/draw.h"

typedef struct {
    const char *name;
    double r, g, b;
} artspec_fill;

static const artspec_fill artspec_fills[] = {
    {"body", 0.918, 0.933, 0.949},
    {"body2", 0.847, 0.871, 0.898},
    {"control", 1.0, 1.0, 1.0},
    {"dark", 0.36, 0.40, 0.45},
};

/* Geometry keys and the number of numbers each takes (0: special). */
static const struct {
    const char *key;
    size_t n;
} artspec_geoms[] = {{"path", 0}, {"rrect", 5}, {"circle", 3}, {"ellipse", 4}, {"arc", 5},
                    {"line", 0}, {"hat", 4}};

/* "#rrggbb" only: device art is opaque. */
static int artspec_hex(const char *s, double rgb[3])
{
    text_rgba c;
    if (strlen(s) != 7 || text_color_parse(s, &c) < 0)
        return 0;
    rgb[0] = c.r, rgb[1] = c.g, rgb[2] = c.b;
    return 1;
}

int artspec_fill_rgb(const char *name, double rgb[3])
{
    if (strcmp(name, "none") == 0)
        return 0;
    for (size_t i = 0; i < sizeof artspec_fills / sizeof artspec_fills[0]; i++)
        if (strcmp(name, artspec_fills[i].name) == 0) {
            rgb[0] = artspec_fills[i].r, rgb[1] = artspec_fills[i].g, rgb[2] = artspec_fills[i].b;
            return 1;
        }
    return artspec_hex(name, rgb) ? 1 : -1;
}

int artspec_path(const char *d, artspec_path_fn fn, void *ctx)
{
    const char *p = d;
    int have_point = 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        char cmd = *p++;
        int n;
        switch (cmd) {
        case 'M': n = 2; break;
        case 'L': n = 2; break;
        case 'C': n = 6; break;
        case 'Z': n = 0; break;
        default: return -1;
        }
        double v[6];
        for (int i = 0; i < n; i++) {
            char *end;
            v[i] = strtod(p, &end);
            if (end == p || !isfinite(v[i]))
                return -1;
            p = end;
            while (*p == ' ' || *p == ',')
                p++;
        }
        if (cmd != 'M' && !have_point)
            return -1;
        have_point = 1;
        if (fn)
            fn(ctx, cmd, v);
    }
    return have_point ? 0 : -1;
}

int artspec_validate(const json_t *art, const char *file, err_t *err)
{
    for (size_t i = 0; i < json_array_size(art); i++) {
        const json_t *sh = json_array_get(art, i);
        const char *geom = NULL;
        size_t want = 0;
        if (!json_is_object(sh)) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: expected a shape object", file, i);
            return -1;
        }
        for (size_t g = 0; g < sizeof artspec_geoms / sizeof artspec_geoms[0]; g++)
            if (json_object_get(sh, artspec_geoms[g].key)) {
                if (geom) {
                    err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: both %s and %s", file, i, geom,
                            artspec_geoms[g].key);
                    return -1;
                }
                geom = artspec_geoms[g].key, want = artspec_geoms[g].n;
            }
        if (!geom) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: no geometry (path, rrect, circle, ellipse, arc, "
                    "line or hat)", file, i);
            return -1;
        }
        const json_t *v = json_object_get(sh, geom);
        if (strcmp(geom, "path") == 0) {
            if (!json_is_string(v) || artspec_path(json_string_value(v), NULL, NULL) < 0) {
                err_set(err, ERR_CONFIG, NULL, "%s: art[%zu].path: not a path of M, L, C, Z commands", file, i);
                return -1;
            }
        } else if (strcmp(geom, "line") == 0) {
            int ok = json_is_array(v) && json_array_size(v) >= 2;
            for (size_t k = 0; ok && k < json_array_size(v); k++) {
                const json_t *pt = json_array_get(v, k);
                ok = json_is_array(pt) && json_array_size(pt) == 2 && json_is_number(json_array_get(pt, 0)) &&
                     json_is_number(json_array_get(pt, 1));
            }
            if (!ok) {
                err_set(err, ERR_CONFIG, NULL, "%s: art[%zu].line: expected 2 or more [x, y] points", file, i);
                return -1;
            }
        } else {
            int ok = json_is_array(v) && json_array_size(v) == want;
            for (size_t k = 0; ok && k < want; k++)
                ok = json_is_number(json_array_get(v, k));
            if (ok && strcmp(geom, "hat") == 0) {
                json_int_t ways = json_integer_value(json_array_get(v, 3));
                ok = ways == 4 || ways == 8;
            }
            if (!ok) {
                err_set(err, ERR_CONFIG, NULL, "%s: art[%zu].%s: expected %zu numbers", file, i, geom, want);
                return -1;
            }
        }
        const json_t *fill = json_object_get(sh, "fill");
        double rgb[3];
        if (fill && (!json_is_string(fill) || artspec_fill_rgb(json_string_value(fill), rgb) < 0)) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu].fill: expected body, body2, control, dark, none or "
                    "#rrggbb", file, i);
            return -1;
        }
        const json_t *stroke = json_object_get(sh, "stroke");
        if (stroke && (!json_is_number(stroke) || json_number_value(stroke) < 0 ||
                       json_number_value(stroke) > 20)) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu].stroke: expected a width 0..20", file, i);
            return -1;
        }
    }
    return 0;
}
