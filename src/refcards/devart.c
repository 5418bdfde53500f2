/* devart.c — draws each device's schematic line drawing from the vector shapes of its JSON and
 * bakes it to PNG at 1x and 2x. The drawings are ours: simple outlines in a light, printable
 * style (pale fills, one dark stroke colour), so callouts and leader lines stay readable on top.
 * Baking happens once (`cartouche bake`); the server only decodes the results. */
#include "refcards/devart.h"
#include "text/draw.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEVART_PAPER 0.992, 0.992, 0.988
#define DEVART_INK 0.20, 0.23, 0.27

typedef struct {
    const char *name;
    double r, g, b;
} devart_fill;

static const devart_fill devart_fills[] = {
    {"body", 0.918, 0.933, 0.949},
    {"body2", 0.847, 0.871, 0.898},
    {"control", 1.0, 1.0, 1.0},
    {"dark", 0.36, 0.40, 0.45},
};

/* Geometry keys and the number of numbers each takes (0: special). */
static const struct {
    const char *key;
    size_t n;
} devart_geoms[] = {{"path", 0}, {"rrect", 5}, {"circle", 3}, {"ellipse", 4}, {"arc", 5},
                    {"line", 0}, {"hat", 4}};

/* "#rrggbb" only: device art is opaque. */
static int devart_hex(const char *s, double rgb[3])
{
    text_rgba c;
    if (strlen(s) != 7 || text_color_parse(s, &c) < 0)
        return 0;
    rgb[0] = c.r, rgb[1] = c.g, rgb[2] = c.b;
    return 1;
}

/* Resolve a fill name; 0 = no fill, 1 = rgb set, -1 = unknown. */
static int devart_fill_rgb(const char *name, double rgb[3])
{
    if (strcmp(name, "none") == 0)
        return 0;
    for (size_t i = 0; i < sizeof devart_fills / sizeof devart_fills[0]; i++)
        if (strcmp(name, devart_fills[i].name) == 0) {
            rgb[0] = devart_fills[i].r, rgb[1] = devart_fills[i].g, rgb[2] = devart_fills[i].b;
            return 1;
        }
    return devart_hex(name, rgb) ? 1 : -1;
}

/* Walk a path string; with cr == NULL only check it. Returns 0 or -1. */
static int devart_path(cairo_t *cr, const char *d)
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
        if (!cr)
            continue;
        if (cmd == 'M')
            cairo_move_to(cr, v[0], v[1]);
        else if (cmd == 'L')
            cairo_line_to(cr, v[0], v[1]);
        else if (cmd == 'C')
            cairo_curve_to(cr, v[0], v[1], v[2], v[3], v[4], v[5]);
        else
            cairo_close_path(cr);
    }
    return have_point ? 0 : -1;
}

int devart_validate(const json_t *art, const char *file, err_t *err)
{
    for (size_t i = 0; i < json_array_size(art); i++) {
        const json_t *sh = json_array_get(art, i);
        const char *geom = NULL;
        size_t want = 0;
        if (!json_is_object(sh)) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: expected a shape object", file, i);
            return -1;
        }
        for (size_t g = 0; g < sizeof devart_geoms / sizeof devart_geoms[0]; g++)
            if (json_object_get(sh, devart_geoms[g].key)) {
                if (geom) {
                    err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: both %s and %s", file, i, geom,
                            devart_geoms[g].key);
                    return -1;
                }
                geom = devart_geoms[g].key, want = devart_geoms[g].n;
            }
        if (!geom) {
            err_set(err, ERR_CONFIG, NULL, "%s: art[%zu]: no geometry (path, rrect, circle, ellipse, arc, "
                    "line or hat)", file, i);
            return -1;
        }
        const json_t *v = json_object_get(sh, geom);
        if (strcmp(geom, "path") == 0) {
            if (!json_is_string(v) || devart_path(NULL, json_string_value(v)) < 0) {
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
        if (fill && (!json_is_string(fill) || devart_fill_rgb(json_string_value(fill), rgb) < 0)) {
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

static double devart_num(const json_t *arr, size_t i)
{
    return json_number_value(json_array_get(arr, i));
}

static void devart_fill_stroke(cairo_t *cr, const char *fill, double stroke)
{
    double rgb[3];
    if (devart_fill_rgb(fill, rgb) == 1) {
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        if (stroke > 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (stroke > 0) {
        cairo_set_source_rgb(cr, DEVART_INK);
        cairo_set_line_width(cr, stroke);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

/* A hat switch: a round cap, a centre boss and one mark per direction. */
static void devart_hat(cairo_t *cr, double cx, double cy, double r, int ways)
{
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    devart_fill_stroke(cr, "control", 2.2);
    cairo_arc(cr, cx, cy, r * 0.36, 0, 2 * M_PI);
    devart_fill_stroke(cr, "body2", 1.6);
    for (int i = 0; i < ways; i++) {
        double a = -M_PI / 2 + i * 2 * M_PI / ways;
        double tip = r * 0.86, base = r * 0.58, half = (ways == 8 ? 0.16 : 0.22);
        cairo_move_to(cr, cx + cos(a) * tip, cy + sin(a) * tip);
        cairo_line_to(cr, cx + cos(a + half) * base, cy + sin(a + half) * base);
        cairo_line_to(cr, cx + cos(a - half) * base, cy + sin(a - half) * base);
        cairo_close_path(cr);
        devart_fill_stroke(cr, i % 2 && ways == 8 ? "body2" : "dark", 0);
    }
}

void devart_draw(cairo_t *cr, const device *d)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, DEVART_PAPER);
    cairo_paint(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t i = 0; i < json_array_size(d->art); i++) {
        const json_t *sh = json_array_get(d->art, i);
        const char *fill = json_string_value(json_object_get(sh, "fill"));
        const json_t *sw = json_object_get(sh, "stroke");
        double stroke = sw ? json_number_value(sw) : 2.5;
        const json_t *v;
        if ((v = json_object_get(sh, "path"))) {
            devart_path(cr, json_string_value(v));
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "rrect"))) {
            text_rounded_rect(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), devart_num(v, 3),
                         devart_num(v, 4));
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "circle"))) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), 0, 2 * M_PI);
            devart_fill_stroke(cr, fill ? fill : "control", stroke);
        } else if ((v = json_object_get(sh, "ellipse"))) {
            cairo_save(cr);
            cairo_translate(cr, devart_num(v, 0), devart_num(v, 1));
            cairo_scale(cr, devart_num(v, 2), devart_num(v, 3));
            cairo_new_sub_path(cr);
            cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
            cairo_restore(cr); /* stroke in canvas units, not in the ellipse's */
            devart_fill_stroke(cr, fill ? fill : "body", stroke);
        } else if ((v = json_object_get(sh, "arc"))) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), devart_num(v, 3) * M_PI / 180,
                      devart_num(v, 4) * M_PI / 180);
            devart_fill_stroke(cr, "none", sw ? stroke : 2.0);
        } else if ((v = json_object_get(sh, "line"))) {
            for (size_t k = 0; k < json_array_size(v); k++) {
                const json_t *pt = json_array_get(v, k);
                (k ? cairo_line_to : cairo_move_to)(cr, devart_num(pt, 0), devart_num(pt, 1));
            }
            devart_fill_stroke(cr, "none", sw ? stroke : 2.0);
        } else if ((v = json_object_get(sh, "hat"))) {
            devart_hat(cr, devart_num(v, 0), devart_num(v, 1), devart_num(v, 2), (int)devart_num(v, 3));
        }
    }
    cairo_restore(cr);
}

/* mkdir -p for the directory part of path. */
static int devart_mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int devart_write(const device *d, const char path[1024], int scale, err_t *err)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%.1000s.tmp%d", path, (int)getpid());
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, DEVICE_CANVAS_W * scale,
                                                    DEVICE_CANVAS_H * scale);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    devart_draw(cr, d);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, tmp);
    cairo_surface_destroy(s);
    /* Write then rename, so a server starting meanwhile never decodes half a file. */
    if (st != CAIRO_STATUS_SUCCESS || rename(tmp, path) < 0) {
        unlink(tmp);
        err_set(err, ERR_CONFIG, NULL, "%s: cannot write %s (%s)", d->file, path,
                st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : strerror(errno));
        return -1;
    }
    return 0;
}

int devart_bake(const char *templates_dir, const char *assets_dir, err_t *err)
{
    char dir[512];
    int baked = 0;
    snprintf(dir, sizeof dir, "%s/devices", templates_dir);
    DIR *dh = opendir(dir);
    if (!dh) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot open the device registry directory", dir);
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char src[1024], out[2][1024];
        snprintf(src, sizeof src, "%s/%s", dir, de->d_name);
        device *d = devices_parse_file(src, err);
        if (!d)
            goto fail;
        size_t stem = strlen(d->background) - 4;
        snprintf(out[0], sizeof out[0], "%s/%s", assets_dir, d->background);
        snprintf(out[1], sizeof out[1], "%s/%.*s@2x.png", assets_dir, (int)stem, d->background);
        struct stat js, ps;
        int fresh = stat(src, &js) == 0;
        for (int s = 0; s < 2; s++)
            fresh = fresh && stat(out[s], &ps) == 0 && ps.st_mtime >= js.st_mtime;
        if (!fresh) {
            if (devart_mkdirs(out[0]) < 0) {
                err_set(err, ERR_CONFIG, NULL, "%s: cannot create the directory of %s", d->file, out[0]);
                devices_free(d);
                goto fail;
            }
            for (int s = 0; s < 2; s++)
                if (devart_write(d, out[s], s + 1, err) < 0) {
                    devices_free(d);
                    goto fail;
                }
            baked++;
        }
        devices_free(d);
    }
    closedir(dh);
    return baked;
fail:
    closedir(dh);
    return -1;
}
