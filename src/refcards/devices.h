/* devices.h — the device registry: one JSON file per device under templates/devices/, loaded
 * and validated at start-up, matched against the device names and USB ids that game binding
 * files carry, with each device's baked background decoded once into read-only surfaces.
 *
 * A device layout is a 1920x1080 canvas holding the device drawing (art, drawn by devart.c)
 * and one callout box per control. A callout names the normalised control ids it shows
 * (see bindings.h), where its box is, and the point on the drawing its leader line goes to.
 * Hat directions are single callouts gathered in a group (a compass rose) that has one
 * leader line. A registry is immutable after devices_load(), so render threads read it
 * without locks; it is one piece of the refcards catalog part (refcards.h), replaced as a
 * whole on SIGHUP. */
#ifndef CARTOUCHE_DEVICES_H
#define CARTOUCHE_DEVICES_H

#include <cairo.h>
#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

#define DEVICE_MAX_CONTROLS 8   /* control ids per callout (multi-position switches) */
#define DEVICE_CANVAS_W 1920
#define DEVICE_CANVAS_H 1080

typedef enum {
    DEVICE_STICK,
    DEVICE_THROTTLE,
    DEVICE_PEDALS,
    DEVICE_GAMEPAD,
    DEVICE_KEYBOARD,
    DEVICE_KIND__COUNT
} device_kind;

typedef struct {
    double x, y, w, h;
} device_rect;

typedef struct {
    double x, y;
} device_point;

typedef struct {
    char id[32];            /* unique within the device */
    char label[64];         /* what the control is, e.g. "TG1 trigger, 1st stage" */
    char legend[24];        /* keyboard: the key cap text ("Esc"); else empty */
    int n_controls;
    char controls[DEVICE_MAX_CONTROLS][48]; /* normalised control ids, "button:1" ... */
    char tags[DEVICE_MAX_CONTROLS][16];     /* short position names of multi-position
                                               switches ("up", "mid"); "" if none */
    device_rect box;
    int group;              /* index into device.groups, or -1 */
    int has_anchor;         /* 1 if a leader line goes to anchor (not in a group, not a key) */
    device_point anchor;
    int n_via;              /* leader waypoints between the box and the anchor */
    device_point via[4];
} device_callout;

typedef struct {
    char id[32];
    char label[64];         /* "H1 trim hat" */
    device_rect box;        /* encloses every member callout */
    device_point anchor;
    int n_via;
    device_point via[4];
} device_group;

typedef struct {
    char game[16];          /* game id as in binding_set.game: "elite", "msfs2020", ... */
    char name[96];          /* the device name that game writes */
} device_game_name;

typedef struct {
    unsigned vid, pid;
} device_usb;

typedef struct device {
    char id[48];            /* registry id = file name stem, e.g. "warthog-stick" */
    char name[96];          /* display name */
    device_kind kind;
    char side[8];           /* "left" / "right" for a model made in both hands; else "" */
    char file[256];         /* the JSON it came from, for messages */
    char background[160];   /* relative to the assets dir, e.g. "baked/devices/x.png" */
    device_usb *usb;
    size_t n_usb;
    device_game_name *names;
    size_t n_names;
    device_callout *callouts;
    size_t n_callouts;
    device_group *groups;
    size_t n_groups;
    device_rect extras;     /* where controls bound but not on the layout are listed */
    json_t *art;            /* the drawing (array of shapes) for devart.c; owned */
    cairo_surface_t *bg[2]; /* decoded backgrounds at 1x and 2x (NULL if not loaded) */
} device;

typedef struct devices_registry devices_registry;

/* Load every JSON file of templates_dir/devices/, validate, decode the baked backgrounds from
 * assets_dir (NULL: do not decode). NULL + err naming the file and field on the first problem. */
devices_registry *devices_load(const char *templates_dir, const char *assets_dir, err_t *err);
/* Each device file of templates_dir/devices (NAME.json, hidden files skipped), parsed: fn takes
 * the device (frees or keeps it) and its path; its -1 stops the walk. -1 + err when the folder
 * cannot be read, a file is not a device, or fn failed. */
int devices_each(const char *templates_dir, int (*fn)(device *d, const char *path, void *ctx, err_t *err),
                 void *ctx, err_t *err);
void devices_registry_free(devices_registry *reg);
/* SHA-256 (hex) of every device file of the registry, in id order: a part of every card's cache
 * key (a fixed drawing or layout reaches cards already cached). "" for NULL. */
const char *devices_digest(const devices_registry *reg);

/* The registry entry for a device: by USB id first (0 = unknown), then by the name a game
 * writes (game id, any key of a device's "games" such as "starcitizen" or "bms", may be NULL =
 * any game), compared without case, padding, runs of blanks or a trailing "{GUID}". Elite's
 * "VVVVPPPP" hex device names are USB ids only: a bare hex id never matches as a name.
 * NULL if unknown. */
const device *devices_find(const devices_registry *reg, const char *game, const char *device_name,
                           unsigned vid, unsigned pid);
/* By registry id; NULL if unknown. */
const device *devices_get(const devices_registry *reg, const char *id);
/* Number of devices and the i-th (stable order by id). reg may be NULL (none). */
size_t devices_count(const devices_registry *reg);
const device *devices_at(const devices_registry *reg, size_t i);
/* For GET /v1/devices: [{id, name, kind, usb: ["044F:0402"], games: {elite: [..]}}]; new ref. */
json_t *devices_list_json(const devices_registry *reg);

/* Background of d for a pixel scale (1 or 2); NULL if none was decoded. */
cairo_surface_t *devices_background(const device *d, int scale);
/* The callout showing control id on d, or NULL. */
const device_callout *devices_callout_for(const device *d, const char *control);
const char *devices_kind_name(device_kind k);

/* Parse and validate one device file (no background decoding). NULL + err naming the file
 * and field. Free with devices_free. Used by devices_load, devart and tests. */
device *devices_parse_file(const char *path, err_t *err);
void devices_free(device *d);

#endif
