/* devices.c — the device registry: reads the JSON files of templates/devices/, validates every field (a bad
 * file is reported by name and JSON path, and stops start-up rather than drawing a wrong card),
 * matches game device names and USB ids to entries, and decodes each entry's baked background
 * once so that requests only ever copy pixels. */
#include "refcards/devices.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcards/artspec.h"
#include "refcards/controls.h"
#include "util/sha256.h"

struct devices_registry {
    device **items;     /* sorted by id */
    size_t n;
    char digest[65];
};

static int devices_name_eq(const char *a, const char *b);

static const char *const devices_kind_names[DEVICE_KIND__COUNT] = {
    [DEVICE_STICK] = "stick", [DEVICE_THROTTLE] = "throttle", [DEVICE_PEDALS] = "pedals",
    [DEVICE_GAMEPAD] = "gamepad", [DEVICE_KEYBOARD] = "keyboard",
};


const char *devices_kind_name(device_kind k)
{
    return (unsigned)k < DEVICE_KIND__COUNT ? devices_kind_names[k] : "unknown";
}

/* 1 if s is a positive decimal integer without sign or leading zero; *end after it. */
static int devices_parse_index(const char *s, const char **end)
{
    if (*s < '1' || *s > '9')
        return 0;
    long v = 0;
    while (isdigit((unsigned char)*s) && v < 100000)
        v = v * 10 + (*s++ - '0');
    *end = s;
    return v > 0 && v < 100000;
}

/* The control id grammar of bindings.h, so a typo in a layout is caught at start-up. */
static int devices_control_valid(const char *c)
{
    const char *end;
    if (strncmp(c, "button:", 7) == 0)
        return devices_parse_index(c + 7, &end) && *end == '\0';
    if (strncmp(c, "hat:", 4) == 0)
        return devices_parse_index(c + 4, &end) && *end == ':' &&
               control_index(control_hat_dirs, end + 1) >= 0;
    if (strncmp(c, "axis:", 5) == 0)
        return control_index(control_axes, c + 5) >= 0;
    if (strncmp(c, "pad:", 4) == 0)
        return control_index(control_pad_names, c + 4) >= 0;
    if (strncmp(c, "key:", 4) == 0) {
        if (!c[4])
            return 0;
        for (const char *p = c + 4; *p; p++)
            if (!isalnum((unsigned char)*p))
                return 0;
        return 1;
    }
    return 0;
}

static int devices_copy_str(const json_t *o, const char *key, char *dst, size_t cap, int required,
                            const char *file, const char *where, err_t *err)
{
    const json_t *v = json_object_get(o, key);
    if (!v) {
        if (!required) {
            dst[0] = '\0';
            return 0;
        }
        err_set(err, ERR_CONFIG, NULL, "%s: %s%s: missing field", file, where, key);
        return -1;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s%s: expected a non-empty string", file, where, key);
        return -1;
    }
    if (json_string_length(v) >= cap) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s%s: longer than %zu bytes", file, where, key, cap - 1);
        return -1;
    }
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

/* Read an array of n numbers (a rect or a point). */
static int devices_numbers(const json_t *v, double *out, size_t n, const char *file,
                           const char *where, err_t *err)
{
    if (!json_is_array(v) || json_array_size(v) != n)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_number(e))
            goto bad;
        out[i] = json_number_value(e);
    }
    return 0;
bad:
    err_set(err, ERR_CONFIG, NULL, "%s: %s: expected an array of %zu numbers", file, where, n);
    return -1;
}

static int devices_rect(const json_t *v, device_rect *r, int canvas_check, const char *file,
                        const char *where, err_t *err)
{
    double a[4];
    if (devices_numbers(v, a, 4, file, where, err) < 0)
        return -1;
    r->x = a[0], r->y = a[1], r->w = a[2], r->h = a[3];
    if (r->w <= 0 || r->h <= 0 ||
        (canvas_check && (r->x < 0 || r->y < 0 || r->x + r->w > DEVICE_CANVAS_W + 0.01 ||
                          r->y + r->h > DEVICE_CANVAS_H + 0.01))) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s: box [%g, %g, %g, %g] is empty or leaves the %dx%d canvas",
                file, where, r->x, r->y, r->w, r->h, DEVICE_CANVAS_W, DEVICE_CANVAS_H);
        return -1;
    }
    return 0;
}

static int devices_point(const json_t *v, device_point *p, const char *file, const char *where,
                         err_t *err)
{
    double a[2];
    if (devices_numbers(v, a, 2, file, where, err) < 0)
        return -1;
    p->x = a[0], p->y = a[1];
    if (p->x < 0 || p->y < 0 || p->x > DEVICE_CANVAS_W || p->y > DEVICE_CANVAS_H) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s: point outside the canvas", file, where);
        return -1;
    }
    return 0;
}

static int devices_via(const json_t *v, device_point *via, int *n, const char *file,
                       const char *where, err_t *err)
{
    *n = 0;
    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) > 4) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s: expected up to 4 points", file, where);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(v); i++)
        if (devices_point(json_array_get(v, i), &via[i], file, where, err) < 0)
            return -1;
    *n = (int)json_array_size(v);
    return 0;
}

/* "044F:0402" → vid, pid. */
static int devices_parse_usb(const char *s, unsigned *vid, unsigned *pid)
{
    if (strlen(s) != 9 || s[4] != ':')
        return 0;
    for (int i = 0; i < 9; i++)
        if (i != 4 && !isxdigit((unsigned char)s[i]))
            return 0;
    *vid = (unsigned)strtoul(s, NULL, 16);
    *pid = (unsigned)strtoul(s + 5, NULL, 16);
    return 1;
}

static int devices_parse_callout(device *d, size_t i, const json_t *c, err_t *err)
{
    device_callout *co = &d->callouts[i];
    char where[96];
    snprintf(where, sizeof where, "callouts[%zu].", i);
    if (!json_is_object(c)) {
        err_set(err, ERR_CONFIG, NULL, "%s: callouts[%zu]: expected an object", d->file, i);
        return -1;
    }
    if (devices_copy_str(c, "id", co->id, sizeof co->id, 1, d->file, where, err) < 0 ||
        devices_copy_str(c, "label", co->label, sizeof co->label, 1, d->file, where, err) < 0 ||
        devices_copy_str(c, "legend", co->legend, sizeof co->legend, 0, d->file, where, err) < 0)
        return -1;
    snprintf(where, sizeof where, "callouts[%zu] (%s).", i, co->id);
    for (size_t j = 0; j < i; j++)
        if (strcmp(d->callouts[j].id, co->id) == 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: %sid: duplicate callout id \"%s\"", d->file, where, co->id);
            return -1;
        }

    const json_t *ctl = json_object_get(c, "controls");
    if (!json_is_array(ctl) || json_array_size(ctl) == 0 || json_array_size(ctl) > DEVICE_MAX_CONTROLS) {
        err_set(err, ERR_CONFIG, NULL, "%s: %scontrols: expected 1..%d control ids", d->file, where,
                DEVICE_MAX_CONTROLS);
        return -1;
    }
    const json_t *tags = json_object_get(c, "tags");
    if (tags && (!json_is_array(tags) || json_array_size(tags) != json_array_size(ctl))) {
        err_set(err, ERR_CONFIG, NULL, "%s: %stags: expected one tag per control", d->file, where);
        return -1;
    }
    co->n_controls = (int)json_array_size(ctl);
    for (int k = 0; k < co->n_controls; k++) {
        const json_t *e = json_array_get(ctl, (size_t)k);
        const char *s = json_string_value(e);
        if (!s || !devices_control_valid(s) || strlen(s) >= sizeof co->controls[k]) {
            err_set(err, ERR_CONFIG, NULL, "%s: %scontrols[%d]: \"%s\" is not a control id "
                    "(button:N, hat:N:DIR, axis:NAME, key:NAME, pad:NAME)", d->file, where, k, s ? s : "?");
            return -1;
        }
        /* A control shown in two places would make the card ambiguous. */
        for (size_t j = 0; j <= i; j++)
            for (int m = 0; m < (j == i ? k : d->callouts[j].n_controls); m++)
                if (strcmp(d->callouts[j].controls[m], s) == 0) {
                    err_set(err, ERR_CONFIG, NULL, "%s: %scontrols[%d]: duplicate control id \"%s\" "
                            "(already in callout \"%s\")", d->file, where, k, s, d->callouts[j].id);
                    return -1;
                }
        strcpy(co->controls[k], s);
        co->tags[k][0] = '\0';
        if (tags) {
            const char *t = json_string_value(json_array_get(tags, (size_t)k));
            if (!t || strlen(t) >= sizeof co->tags[k]) {
                err_set(err, ERR_CONFIG, NULL, "%s: %stags[%d]: expected a short string", d->file, where, k);
                return -1;
            }
            strcpy(co->tags[k], t);
        }
    }

    char w2[128];
    snprintf(w2, sizeof w2, "%sbox", where);
    if (devices_rect(json_object_get(c, "box"), &co->box, 1, d->file, w2, err) < 0)
        return -1;

    co->group = -1;
    const json_t *g = json_object_get(c, "group");
    if (g) {
        const char *gid = json_string_value(g);
        for (size_t j = 0; gid && j < d->n_groups; j++)
            if (strcmp(d->groups[j].id, gid) == 0)
                co->group = (int)j;
        if (co->group < 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: %sgroup: no group \"%s\"", d->file, where, gid ? gid : "?");
            return -1;
        }
        const device_rect *gb = &d->groups[co->group].box;
        if (co->box.x < gb->x || co->box.y < gb->y || co->box.x + co->box.w > gb->x + gb->w ||
            co->box.y + co->box.h > gb->y + gb->h) {
            err_set(err, ERR_CONFIG, NULL, "%s: %sbox: outside its group \"%s\"", d->file, where, gid);
            return -1;
        }
    }
    const json_t *an = json_object_get(c, "anchor");
    co->has_anchor = 0;
    if (an) {
        snprintf(w2, sizeof w2, "%sanchor", where);
        if (devices_point(an, &co->anchor, d->file, w2, err) < 0)
            return -1;
        co->has_anchor = 1;
    } else if (co->group < 0 && d->kind != DEVICE_KEYBOARD) {
        err_set(err, ERR_CONFIG, NULL, "%s: %sanchor: missing field (every callout outside a group "
                "points at the drawing)", d->file, where);
        return -1;
    }
    snprintf(w2, sizeof w2, "%svia", where);
    return devices_via(json_object_get(c, "via"), co->via, &co->n_via, d->file, w2, err);
}

static int devices_parse_groups(device *d, const json_t *arr, err_t *err)
{
    if (!arr)
        return 0;
    if (!json_is_array(arr)) {
        err_set(err, ERR_CONFIG, NULL, "%s: groups: expected an array", d->file);
        return -1;
    }
    d->n_groups = json_array_size(arr);
    d->groups = calloc(d->n_groups ? d->n_groups : 1, sizeof *d->groups);
    if (!d->groups) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < d->n_groups; i++) {
        const json_t *g = json_array_get(arr, i);
        device_group *gr = &d->groups[i];
        char where[64], w2[96];
        snprintf(where, sizeof where, "groups[%zu].", i);
        if (devices_copy_str(g, "id", gr->id, sizeof gr->id, 1, d->file, where, err) < 0 ||
            devices_copy_str(g, "label", gr->label, sizeof gr->label, 1, d->file, where, err) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->groups[j].id, gr->id) == 0) {
                err_set(err, ERR_CONFIG, NULL, "%s: %sid: duplicate group id \"%s\"", d->file, where, gr->id);
                return -1;
            }
        snprintf(w2, sizeof w2, "%sbox", where);
        if (devices_rect(json_object_get(g, "box"), &gr->box, 1, d->file, w2, err) < 0)
            return -1;
        snprintf(w2, sizeof w2, "%sanchor", where);
        if (devices_point(json_object_get(g, "anchor"), &gr->anchor, d->file, w2, err) < 0)
            return -1;
        snprintf(w2, sizeof w2, "%svia", where);
        if (devices_via(json_object_get(g, "via"), gr->via, &gr->n_via, d->file, w2, err) < 0)
            return -1;
    }
    return 0;
}

static int devices_parse_games(device *d, const json_t *games, err_t *err)
{
    if (!json_is_object(games)) {
        err_set(err, ERR_CONFIG, NULL, "%s: games: missing field or not an object", d->file);
        return -1;
    }
    size_t total = 0;
    const char *game;
    const json_t *names;
    json_object_foreach((json_t *)games, game, names) {
        if (!json_is_array(names)) {
            err_set(err, ERR_CONFIG, NULL, "%s: games.%s: expected an array of names", d->file, game);
            return -1;
        }
        total += json_array_size(names);
    }
    d->names = calloc(total ? total : 1, sizeof *d->names);
    if (!d->names) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    json_object_foreach((json_t *)games, game, names) {
        for (size_t i = 0; i < json_array_size(names); i++) {
            const char *s = json_string_value(json_array_get(names, i));
            if (!s || !*s || strlen(s) >= sizeof d->names[0].name || strlen(game) >= sizeof d->names[0].game) {
                err_set(err, ERR_CONFIG, NULL, "%s: games.%s[%zu]: expected a device name", d->file, game, i);
                return -1;
            }
            device_game_name *gn = &d->names[d->n_names++];
            strcpy(gn->game, game);
            strcpy(gn->name, s);
        }
    }
    return 0;
}

void devices_free(device *d)
{
    if (!d)
        return;
    for (int i = 0; i < 2; i++)
        if (d->bg[i])
            cairo_surface_destroy(d->bg[i]);
    json_decref(d->art);
    free(d->usb);
    free(d->names);
    free(d->callouts);
    free(d->groups);
    free(d);
}

device *devices_parse_file(const char *path, err_t *err)
{
    json_error_t jerr;
    json_t *root = NULL;
    device *d = calloc(1, sizeof *d);
    if (!d) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(d->file, sizeof d->file, "%s", base);

    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        err_set(err, ERR_CONFIG, NULL, "%s: line %d: %s", d->file, jerr.line, jerr.text);
        goto fail;
    }
    if (!json_is_object(root)) {
        err_set(err, ERR_CONFIG, NULL, "%s: expected a JSON object", d->file);
        goto fail;
    }
    if (devices_copy_str(root, "id", d->id, sizeof d->id, 1, d->file, "", err) < 0 ||
        devices_copy_str(root, "name", d->name, sizeof d->name, 1, d->file, "", err) < 0 ||
        devices_copy_str(root, "background", d->background, sizeof d->background, 1, d->file, "", err) < 0 ||
        devices_copy_str(root, "side", d->side, sizeof d->side, 0, d->file, "", err) < 0)
        goto fail;
    if (d->side[0] && strcmp(d->side, "left") != 0 && strcmp(d->side, "right") != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: side: \"%s\" is not left or right", d->file, d->side);
        goto fail;
    }
    /* The id is the URL segment and the file stem: keep them one thing. */
    size_t idlen = strlen(d->id);
    if (strncmp(base, d->id, idlen) != 0 || strcmp(base + idlen, ".json") != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: id: \"%s\" does not match the file name", d->file, d->id);
        goto fail;
    }
    for (const char *p = d->id; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
            err_set(err, ERR_CONFIG, NULL, "%s: id: use a-z, 0-9 and '-' only", d->file);
            goto fail;
        }
    if (strstr(d->background, "..") || d->background[0] == '/' ||
        strcmp(d->background + strlen(d->background) - (strlen(d->background) >= 4 ? 4 : 0), ".png") != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: background: expected a relative .png path", d->file);
        goto fail;
    }

    char kind[16];
    if (devices_copy_str(root, "kind", kind, sizeof kind, 1, d->file, "", err) < 0)
        goto fail;
    d->kind = DEVICE_KIND__COUNT;
    for (int k = 0; k < DEVICE_KIND__COUNT; k++)
        if (strcmp(kind, devices_kind_names[k]) == 0)
            d->kind = (device_kind)k;
    if (d->kind == DEVICE_KIND__COUNT) {
        err_set(err, ERR_CONFIG, NULL, "%s: kind: \"%s\" is not stick, throttle, pedals, gamepad or keyboard",
                d->file, kind);
        goto fail;
    }

    const json_t *canvas = json_object_get(root, "canvas");
    if (!json_is_object(canvas) || json_integer_value(json_object_get(canvas, "width")) != DEVICE_CANVAS_W ||
        json_integer_value(json_object_get(canvas, "height")) != DEVICE_CANVAS_H) {
        err_set(err, ERR_CONFIG, NULL, "%s: canvas: expected {\"width\": %d, \"height\": %d}", d->file,
                DEVICE_CANVAS_W, DEVICE_CANVAS_H);
        goto fail;
    }

    const json_t *usb = json_object_get(root, "usb");
    if (!json_is_array(usb)) {
        err_set(err, ERR_CONFIG, NULL, "%s: usb: missing field or not an array", d->file);
        goto fail;
    }
    d->usb = calloc(json_array_size(usb) + 1, sizeof *d->usb);
    if (!d->usb) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(usb); i++) {
        const char *s = json_string_value(json_array_get(usb, i));
        if (!s || !devices_parse_usb(s, &d->usb[i].vid, &d->usb[i].pid)) {
            err_set(err, ERR_CONFIG, NULL, "%s: usb[%zu]: expected \"VVVV:PPPP\" in hex", d->file, i);
            goto fail;
        }
        d->n_usb++;
    }
    if (devices_parse_games(d, json_object_get(root, "games"), err) < 0)
        goto fail;

    const json_t *extras = json_object_get(root, "extras");
    if (!extras) {
        err_set(err, ERR_CONFIG, NULL, "%s: extras: missing field (the box listing controls not on "
                "the layout)", d->file);
        goto fail;
    }
    if (devices_rect(extras, &d->extras, 1, d->file, "extras", err) < 0)
        goto fail;

    d->art = json_incref(json_object_get(root, "art"));
    if (!json_is_array(d->art)) {
        err_set(err, ERR_CONFIG, NULL, "%s: art: missing field or not an array of shapes", d->file);
        goto fail;
    }
    if (artspec_validate(d->art, d->file, err) < 0)
        goto fail;

    if (devices_parse_groups(d, json_object_get(root, "groups"), err) < 0)
        goto fail;
    const json_t *callouts = json_object_get(root, "callouts");
    if (!json_is_array(callouts) || json_array_size(callouts) == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: callouts: missing field or empty", d->file);
        goto fail;
    }
    d->n_callouts = json_array_size(callouts);
    d->callouts = calloc(d->n_callouts, sizeof *d->callouts);
    if (!d->callouts) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < d->n_callouts; i++)
        if (devices_parse_callout(d, i, json_array_get(callouts, i), err) < 0)
            goto fail;
    json_decref(root);
    return d;
fail:
    json_decref(root);
    devices_free(d);
    return NULL;
}

static int devices_cmp(const void *a, const void *b)
{
    return strcmp((*(device *const *)a)->id, (*(device *const *)b)->id);
}

/* Decode the baked 1x and 2x PNGs. They are never written to after this. */
static int devices_decode_backgrounds(device *d, const char *assets_dir, err_t *err)
{
    for (int s = 0; s < 2; s++) {
        char path[512];
        const char *bg = d->background;
        size_t stem = strlen(bg) - 4;
        snprintf(path, sizeof path, "%s/%.*s%s.png", assets_dir, (int)stem, bg, s ? "@2x" : "");
        cairo_surface_t *surf = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
            err_set(err, ERR_CONFIG, NULL, "%s: background: cannot decode %s (%s); run `cartouche bake`",
                    d->file, path, cairo_status_to_string(cairo_surface_status(surf)));
            cairo_surface_destroy(surf);
            return -1;
        }
        int want_w = DEVICE_CANVAS_W * (s + 1), want_h = DEVICE_CANVAS_H * (s + 1);
        if (cairo_image_surface_get_width(surf) != want_w || cairo_image_surface_get_height(surf) != want_h) {
            err_set(err, ERR_CONFIG, NULL, "%s: background: %s is not %dx%d", d->file, path, want_w, want_h);
            cairo_surface_destroy(surf);
            return -1;
        }
        d->bg[s] = surf;
    }
    return 0;
}

static void devices_free_array(device **arr, size_t n)
{
    for (size_t i = 0; i < n; i++)
        devices_free(arr[i]);
    free(arr);
}

int devices_each(const char *templates_dir, int (*fn)(device *d, const char *path, void *ctx, err_t *err),
                 void *ctx, err_t *err)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/devices", templates_dir);
    DIR *dh = opendir(dir);
    if (!dh) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot open the device registry directory", dir);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        device *d = devices_parse_file(path, err);
        rc = d ? fn(d, path, ctx, err) : -1;
    }
    closedir(dh);
    return rc;
}

typedef struct {
    device **arr;
    size_t n, cap;
    const char *assets_dir;
} devices_list;

static int devices_keep(device *d, const char *path, void *ctx, err_t *err)
{
    devices_list *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        device **na = realloc(l->arr, nc * sizeof *na);
        if (!na) {
            devices_free(d);
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        l->arr = na, l->cap = nc;
    }
    l->arr[l->n++] = d;
    return l->assets_dir ? devices_decode_backgrounds(d, l->assets_dir, err) : 0;
}

devices_registry *devices_load(const char *templates_dir, const char *assets_dir, err_t *err)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/devices", templates_dir);
    devices_list l = {.assets_dir = assets_dir};
    int listed = devices_each(templates_dir, devices_keep, &l, err);
    device **arr = l.arr;
    size_t n = l.n;
    if (listed < 0)
        goto fail;
    if (n == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: no device files", dir);
        goto fail;
    }
    qsort(arr, n, sizeof *arr, devices_cmp);
    /* Names and USB ids must lead to one device, or matching would depend on file order. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            for (size_t a = 0; a < arr[i]->n_usb; a++)
                for (size_t b = 0; b < arr[j]->n_usb; b++)
                    if (arr[i]->usb[a].vid == arr[j]->usb[b].vid && arr[i]->usb[a].pid == arr[j]->usb[b].pid) {
                        err_set(err, ERR_CONFIG, NULL, "%s: usb: %04X:%04X is also claimed by %s", arr[j]->file,
                                arr[j]->usb[b].vid, arr[j]->usb[b].pid, arr[i]->file);
                        goto fail;
                    }
            for (size_t a = 0; a < arr[i]->n_names; a++)
                for (size_t b = 0; b < arr[j]->n_names; b++)
                    if (strcmp(arr[i]->names[a].game, arr[j]->names[b].game) == 0 &&
                        devices_name_eq(arr[i]->names[a].name, arr[j]->names[b].name)) {
                        err_set(err, ERR_CONFIG, NULL, "%s: games.%s: \"%s\" is also claimed by %s", arr[j]->file,
                                arr[j]->names[b].game, arr[j]->names[b].name, arr[i]->file);
                        goto fail;
                    }
        }
    sha256_ctx h;
    sha256_init(&h);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", dir, arr[i]->id); /* the id is the file's stem */
        if (sha256_update_file(&h, path) < 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: cannot be read again", path);
            goto fail;
        }
    }
    devices_registry *reg = calloc(1, sizeof *reg);
    if (!reg) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    sha256_final_hex(&h, reg->digest);
    reg->items = arr;
    reg->n = n;
    return reg;
fail:
    devices_free_array(arr, n);
    return NULL;
}

void devices_registry_free(devices_registry *reg)
{
    if (!reg)
        return;
    devices_free_array(reg->items, reg->n);
    free(reg);
}

const char *devices_digest(const devices_registry *reg)
{
    return reg ? reg->digest : "";
}

size_t devices_count(const devices_registry *reg)
{
    return reg ? reg->n : 0;
}

const device *devices_at(const devices_registry *reg, size_t i)
{
    return i < devices_count(reg) ? reg->items[i] : NULL;
}

const device *devices_get(const devices_registry *reg, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < devices_count(reg); i++)
        if (strcmp(reg->items[i]->id, id) == 0)
            return reg->items[i];
    return NULL;
}

static const device *devices_by_usb(const devices_registry *reg, unsigned vid, unsigned pid)
{
    for (size_t i = 0; i < devices_count(reg); i++)
        for (size_t u = 0; u < reg->items[i]->n_usb; u++)
            if (reg->items[i]->usb[u].vid == vid && reg->items[i]->usb[u].pid == pid)
                return reg->items[i];
    return NULL;
}

/* The end of a name without blanks and a trailing "{GUID}" (Star Citizen writes
 * Product=" VKBsim Gladiator EVO  L    {0201231D-0000-0000-0000-504944564944}"). */
static size_t devices_name_len(const char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n && s[n - 1] == '}') {
        size_t b = n;
        while (b && s[b - 1] != '{')
            b--;
        if (b) {
            n = b - 1;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
        }
    }
    return n;
}

/* Compare ignoring case, surrounding blanks, runs of blanks and a trailing GUID: Windows
 * product names come padded, and VKB pads the hand letter ("EVO  L"). */
static int devices_name_eq(const char *a, const char *b)
{
    size_t la = devices_name_len(a), lb = devices_name_len(b), i = 0, j = 0;
    while (i < la && isspace((unsigned char)a[i]))
        i++;
    while (j < lb && isspace((unsigned char)b[j]))
        j++;
    while (i < la && j < lb) {
        if (isspace((unsigned char)a[i]) && isspace((unsigned char)b[j])) {
            while (i < la && isspace((unsigned char)a[i]))
                i++;
            while (j < lb && isspace((unsigned char)b[j]))
                j++;
            continue;
        }
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
            return 0;
        i++, j++;
    }
    return i == la && j == lb;
}

/* The game's own names first, then any game's: MSFS and DCS share Windows product names. */
static const device *devices_by_name(const devices_registry *reg, const char *game, const char *device_name)
{
    for (int pass = game ? 0 : 1; pass < 2; pass++)
        for (size_t i = 0; i < devices_count(reg); i++)
            for (size_t k = 0; k < reg->items[i]->n_names; k++) {
                const device_game_name *gn = &reg->items[i]->names[k];
                if (control_is_usb_hex_id(gn->name))
                    continue;
                if ((pass == 1 || strcmp(gn->game, game) == 0) && devices_name_eq(gn->name, device_name))
                    return reg->items[i];
            }
    return NULL;
}

const device *devices_find(const devices_registry *reg, const char *game, const char *device_name, unsigned vid, unsigned pid)
{
    int named = device_name && *device_name;
    /* Elite writes devices it has no profile for as 8 hex digits, VID then PID. Such a name
     * is a USB id and nothing else: it never matches a name in the registry. */
    if (named && control_is_usb_hex_id(device_name) && !vid && !pid) {
        char v[5] = {0}, p[5] = {0};
        memcpy(v, device_name, 4);
        memcpy(p, device_name + 4, 4);
        return devices_by_usb(reg, (unsigned)strtoul(v, NULL, 16), (unsigned)strtoul(p, NULL, 16));
    }
    const device *by_usb = vid || pid ? devices_by_usb(reg, vid, pid) : NULL;
    const device *by_name = named && !control_is_usb_hex_id(device_name) ? devices_by_name(reg, game, device_name) : NULL;
    /* One USB device can hold several drawn ones (the G940's stick, throttle and pedals are
     * one 046D:C287): a part that has no USB id of its own is found by its name. */
    if (by_usb && by_name && by_name != by_usb && by_name->n_usb == 0)
        return by_name;
    return by_usb ? by_usb : by_name;
}

cairo_surface_t *devices_background(const device *d, int scale)
{
    if (!d)
        return NULL;
    return d->bg[scale >= 2 ? 1 : 0];
}

const device_callout *devices_callout_for(const device *d, const char *control)
{
    if (!d || !control)
        return NULL;
    for (size_t i = 0; i < d->n_callouts; i++)
        for (int k = 0; k < d->callouts[i].n_controls; k++)
            if (strcmp(d->callouts[i].controls[k], control) == 0)
                return &d->callouts[i];
    return NULL;
}

json_t *devices_list_json(const devices_registry *reg)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < devices_count(reg); i++) {
        const device *d = reg->items[i];
        json_t *usb = json_array(), *games = json_object();
        for (size_t u = 0; u < d->n_usb; u++) {
            char buf[16];
            snprintf(buf, sizeof buf, "%04X:%04X", d->usb[u].vid, d->usb[u].pid);
            json_array_append_new(usb, json_string(buf));
        }
        for (size_t k = 0; k < d->n_names; k++) {
            json_t *list = json_object_get(games, d->names[k].game);
            if (!list) {
                list = json_array();
                json_object_set_new(games, d->names[k].game, list);
            }
            json_array_append_new(list, json_string(d->names[k].name));
        }
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:i}", "id", d->id, "name", d->name,
                                             "kind", devices_kind_name(d->kind), "usb", usb, "games", games,
                                             "controls", (int)d->n_callouts));
    }
    return arr;
}
