/* template.h — card templates: JSON files in templates/ (schema in templates/README.md),
 * validated at start-up with errors naming the file, the slot and the reason. Backgrounds are
 * decoded once into read-only surfaces (the 2x one built once, on first use). A loaded set is
 * the templates part of the catalog, and refcounted so a job keeps drawing with the set it
 * started with after SIGHUP swapped in a new one. */
#ifndef CARTOUCHE_TEMPLATE_H
#define CARTOUCHE_TEMPLATE_H

#include <cairo.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "util/err.h"
#include "text/text.h"

#define TPL_FMT_JPG 1
#define TPL_FMT_PNG 2
#define TPL_FMT_PDF 4

typedef struct {
    char id[32];
    text_box box;
    text_style style;
    char font[32];        /* style.font points here */
    long max_length;      /* characters */
    int required;
    char *def;            /* default text or NULL */
} tpl_slot;

typedef struct {
    char name[64];
    char file[512];
    int width, height;
    char version[33];     /* 128 bits of SHA-256 of the file and its background: part of keys */
    cairo_surface_t *bg;  /* 1x background, or NULL for a solid colour */
    cairo_surface_t *bg2; /* 2x background, built once on first use */
    pthread_mutex_t bg2_mu;
    text_rgba bg_color;
    int formats;          /* TPL_FMT_* mask */
    tpl_slot *slots;
    int n_slots;
    char seed_slot[32];   /* ?seed=N appends " #N" to this slot ("" = no seed parameter) */
    json_t *desc;         /* the JSON served by /v1/templates/{name} */
} template;

typedef struct {
    atomic_int refs;
    template **items;
    int n;
} template_set;

/* Load and validate every templates_dir/ *.json; backgrounds from assets_dir. tf validates fonts. */
template_set *template_set_load(const char *templates_dir, const char *assets_dir, text_fonts *tf,
                                err_t *err);
/* Parse one template from a JSON text (file names the source in errors); for the fuzzer/tests.
 * assets_dir NULL skips loading background images. */
template *template_parse(const char *json_text, size_t len, const char *file, const char *assets_dir,
                         text_fonts *tf, err_t *err);
void template_free(template *t);
void template_set_ref(template_set *s);
void template_set_unref(template_set *s);
const template *template_set_find(const template_set *s, const char *name);
/* The 2x background (built on first call, thread-safe) or the 1x one at scale 1. */
cairo_surface_t *template_background(const template *t, int scale);
/* A non-zero 64-bit tag of the background's pixels at scale (from the version): the key of its
 * cached JPEG segments (render_bg). */
unsigned long long template_tag(const template *t, int scale);

/* The catalog kind: templates_dir's set, validated with fonts_manifest's fonts; the part is a
 * template_set (its own refcount lets a job keep it past the catalog). */
extern const catalog_part_ops templates_part_ops;

#endif
