/* template.c — loading, validating and describing card templates. */
#include "cards/template.h"

#include "util/sha256.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/draw.h"

#define TPL_MAX_SIZE 4096
#define TPL_MAX_SLOTS 512

static int valid_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* Reads of optional typed members; each failure names file, slot and reason. */
typedef struct {
    const char *file;
    const char *slot; /* "" at the top level */
    err_t *err;
} ctx;

static int fail(ctx *c, const char *field, const char *why)
{
    if (c->slot[0])
        err_set(c->err, ERR_CONFIG, field, "%s: slot '%s': %s: %s", c->file, c->slot, field, why);
    else
        err_set(c->err, ERR_CONFIG, field, "%s: %s: %s", c->file, field, why);
    return -1;
}

static int get_num(ctx *c, json_t *o, const char *k, double lo, double hi, double def, double *out)
{
    json_t *v = json_object_get(o, k);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_number(v))
        return fail(c, k, "must be a number");
    double x = json_number_value(v);
    if (x < lo || x > hi) {
        char why[96];
        snprintf(why, sizeof why, "must be in %g..%g", lo, hi);
        return fail(c, k, why);
    }
    *out = x;
    return 0;
}

static int get_color(ctx *c, json_t *o, const char *k, const char *def, text_rgba *out)
{
    json_t *v = json_object_get(o, k);
    const char *s = v ? json_string_value(v) : def;
    if (!s || text_color_parse(s, out) < 0)
        return fail(c, k, "must be a colour \"#rgb\", \"#rrggbb\" or \"#rrggbbaa\"");
    return 0;
}

static int get_enum(ctx *c, json_t *o, const char *k, const char *const *choices, int def, int *out)
{
    json_t *v = json_object_get(o, k);
    if (!v) {
        *out = def;
        return 0;
    }
    const char *s = json_string_value(v);
    for (int i = 0; s && choices[i]; i++) {
        if (strcmp(s, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return fail(c, k, "has an unknown value");
}

static int check_keys(ctx *c, json_t *o, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(k, allowed[i]) == 0;
        if (!ok)
            return fail(c, k, "unknown key");
    }
    return 0;
}

static const char *const slot_keys[] = {"id", "box", "font", "max_size", "min_size", "color", "fill",
                                        "radius", "halo", "halo_width", "align", "valign", "padding",
                                        "line_spacing", "wrap", "max_lines", "max_length", "required",
                                        "default", "description", NULL};
static const char *const top_keys[] = {"name", "description", "width", "height", "background",
                                       "formats", "slots", "seed_slot", NULL};

static int parse_slot(ctx *c, json_t *js, const template *t, tpl_slot *s, text_fonts *tf)
{
    static const char *const aligns[] = {"left", "center", "right", NULL};
    static const char *const valigns[] = {"center", "top", "bottom", NULL};
    const char *id = json_string_value(json_object_get(js, "id"));
    if (!json_is_object(js))
        return fail(c, "slots", "every slot must be an object");
    if (!id || !valid_id(id, sizeof s->id))
        return fail(c, "id", "every slot needs an id of [a-z0-9_-], at most 31 characters");
    snprintf(s->id, sizeof s->id, "%s", id);
    c->slot = s->id;
    if (check_keys(c, js, slot_keys) < 0)
        return -1;
    json_t *box = json_object_get(js, "box");
    if (!json_is_array(box) || json_array_size(box) != 4)
        return fail(c, "box", "must be [x, y, w, h]");
    double b[4];
    for (int i = 0; i < 4; i++) {
        if (!json_is_number(json_array_get(box, (size_t)i)))
            return fail(c, "box", "must be four numbers");
        b[i] = json_number_value(json_array_get(box, (size_t)i));
    }
    if (b[0] < 0 || b[1] < 0 || b[2] < 1 || b[3] < 1 || b[0] + b[2] > t->width || b[1] + b[3] > t->height)
        return fail(c, "box", "must lie inside the canvas and be at least 1x1");
    s->box = (text_box){b[0], b[1], b[2], b[3]};
    const char *font = json_string_value(json_object_get(js, "font"));
    snprintf(s->font, sizeof s->font, "%s", font ? font : "sans");
    if (tf && !text_fonts_has_family(tf, s->font))
        return fail(c, "font", "is not a family of fonts/fonts.json");
    text_style *st = &s->style;
    st->font = s->font;
    double maxl = 0, maxlen = 0;
    int ia, iv;
    if (get_num(c, js, "max_size", 4, 400, 24, &st->max_size) < 0 ||
        get_num(c, js, "min_size", 4, 400, st->max_size < 8 ? st->max_size : 8, &st->min_size) < 0 ||
        get_num(c, js, "padding", 0, 200, 4, &st->padding) < 0 ||
        get_num(c, js, "line_spacing", 0.5, 4, 1.0, &st->line_spacing) < 0 ||
        get_num(c, js, "radius", 0, 200, 0, &st->radius) < 0 ||
        get_num(c, js, "halo_width", 0, 50, 0, &st->halo_width) < 0 ||
        get_num(c, js, "max_lines", 0, 100, 0, &maxl) < 0 ||
        get_num(c, js, "max_length", 1, 100000, 1000, &maxlen) < 0 ||
        get_color(c, js, "color", "#000000", &st->color) < 0 ||
        get_color(c, js, "fill", "#00000000", &st->fill) < 0 ||
        get_color(c, js, "halo", "#00000000", &st->halo) < 0 ||
        get_enum(c, js, "align", aligns, 0, &ia) < 0 || get_enum(c, js, "valign", valigns, 0, &iv) < 0)
        return -1;
    s->max_length = (long)maxlen;
    if (st->min_size > st->max_size)
        return fail(c, "min_size", "must not exceed max_size");
    st->max_lines = (int)maxl;
    st->align = (text_align)ia;
    st->valign = (text_valign)iv;
    json_t *w = json_object_get(js, "wrap"), *r = json_object_get(js, "required");
    if ((w && !json_is_boolean(w)) || (r && !json_is_boolean(r)))
        return fail(c, w && !json_is_boolean(w) ? "wrap" : "required", "must be true or false");
    st->wrap = w && json_is_true(w);
    s->required = r && json_is_true(r);
    json_t *d = json_object_get(js, "default");
    if (d) {
        const char *ds = json_string_value(d);
        if (!ds || !text_utf8_valid(ds, strlen(ds)))
            return fail(c, "default", "must be a UTF-8 string");
        s->def = strdup(ds);
    }
    c->slot = "";
    return 0;
}

static cairo_surface_t *load_background(ctx *c, const char *assets_dir, const char *img)
{
    /* Plain file names only: no folders, no way out of the assets folder. */
    for (const char *p = img; *p; p++) {
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.') || strstr(img, "..")) {
            fail(c, "background.image", "must be a plain file name under the assets folder");
            return NULL;
        }
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", assets_dir, img);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(png);
        char why[1100];
        snprintf(why, sizeof why, "cannot read PNG %s", path);
        fail(c, "background.image", why);
        return NULL;
    }
    /* Store as RGB24 so the per-request copy is a plain memcpy into the RGB24 target. */
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    cairo_surface_t *bg = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(bg);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, png, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(png);
    return bg;
}

template *template_parse(const char *text, size_t len, const char *file, const char *assets_dir,
                         text_fonts *tf, err_t *err)
{
    ctx c = {file, "", err};
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        err_set(err, ERR_CONFIG, NULL, "%s:%d: %s", file, je.line, je.text);
        return NULL;
    }
    template *t = calloc(1, sizeof *t);
    if (!t)
        goto fail;
    pthread_mutex_init(&t->bg2_mu, NULL);
    snprintf(t->file, sizeof t->file, "%s", file);
    if (!json_is_object(root)) {
        fail(&c, "template", "top level must be an object");
        goto fail;
    }
    if (check_keys(&c, root, top_keys) < 0)
        goto fail;
    const char *name = json_string_value(json_object_get(root, "name"));
    if (!name || !valid_id(name, sizeof t->name)) {
        fail(&c, "name", "required, [a-z0-9_-], at most 63 characters");
        goto fail;
    }
    snprintf(t->name, sizeof t->name, "%s", name);
    double w, h;
    if (get_num(&c, root, "width", 1, TPL_MAX_SIZE, 0, &w) < 0 ||
        get_num(&c, root, "height", 1, TPL_MAX_SIZE, 0, &h) < 0)
        goto fail;
    if (w < 1 || h < 1) {
        fail(&c, "width", "width and height are required");
        goto fail;
    }
    t->width = (int)w;
    t->height = (int)h;
    json_t *bg = json_object_get(root, "background");
    if (!json_is_object(bg)) {
        fail(&c, "background", "required: {\"image\": \"file.png\"} or {\"color\": \"#rrggbb\"}");
        goto fail;
    }
    const char *img = json_string_value(json_object_get(bg, "image"));
    if (get_color(&c, bg, "color", "#ffffff", &t->bg_color) < 0)
        goto fail;
    if (img && assets_dir) {
        t->bg = load_background(&c, assets_dir, img);
        if (!t->bg)
            goto fail;
        if (cairo_image_surface_get_width(t->bg) != t->width ||
            cairo_image_surface_get_height(t->bg) != t->height) {
            fail(&c, "background.image", "must have the canvas size");
            goto fail;
        }
    }
    t->formats = 0;
    json_t *fm = json_object_get(root, "formats");
    if (!fm) {
        t->formats = TPL_FMT_JPG | TPL_FMT_PNG | TPL_FMT_PDF;
    } else if (!json_is_array(fm) || json_array_size(fm) == 0) {
        fail(&c, "formats", "must be a non-empty list of \"jpg\", \"png\", \"pdf\"");
        goto fail;
    } else {
        size_t i;
        json_t *f;
        json_array_foreach(fm, i, f)
        {
            const char *fs = json_string_value(f);
            int bit = !fs ? 0 : strcmp(fs, "jpg") == 0 ? TPL_FMT_JPG : strcmp(fs, "png") == 0 ? TPL_FMT_PNG
                              : strcmp(fs, "pdf") == 0 ? TPL_FMT_PDF : 0;
            if (!bit) {
                fail(&c, "formats", "entries must be \"jpg\", \"png\" or \"pdf\"");
                goto fail;
            }
            t->formats |= bit;
        }
    }
    json_t *slots = json_object_get(root, "slots");
    if (!json_is_array(slots) || json_array_size(slots) == 0 || json_array_size(slots) > TPL_MAX_SLOTS) {
        fail(&c, "slots", "must be a list of 1..512 slots");
        goto fail;
    }
    t->slots = calloc(json_array_size(slots), sizeof *t->slots);
    if (!t->slots)
        goto fail;
    for (size_t i = 0; i < json_array_size(slots); i++) {
        if (parse_slot(&c, json_array_get(slots, i), t, &t->slots[i], tf) < 0)
            goto fail;
        t->n_slots++;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(t->slots[j].id, t->slots[i].id) == 0) {
                c.slot = t->slots[i].id;
                fail(&c, "id", "duplicate slot id");
                goto fail;
            }
        }
    }
    const char *seed = json_string_value(json_object_get(root, "seed_slot"));
    if (seed) {
        int found = 0;
        for (int i = 0; i < t->n_slots; i++)
            found |= strcmp(t->slots[i].id, seed) == 0;
        if (!found) {
            fail(&c, "seed_slot", "names no slot");
            goto fail;
        }
        snprintf(t->seed_slot, sizeof t->seed_slot, "%s", seed);
    }
    /* Version: SHA-256 of the template text and the background's pixels (a part of every key). */
    sha256_ctx vh;
    unsigned char dg[SHA256_DIGEST_LEN];
    sha256_init(&vh);
    sha256_update(&vh, text, len);
    if (t->bg) {
        cairo_surface_flush(t->bg);
        sha256_update(&vh, cairo_image_surface_get_data(t->bg),
                      (size_t)cairo_image_surface_get_stride(t->bg) * (size_t)t->height);
    }
    sha256_final(&vh, dg);
    for (int i = 0; i < 16; i++)
        snprintf(t->version + 2 * i, 3, "%02x", dg[i]);

    /* Public description for /v1/templates/{name}. */
    json_t *desc = json_pack("{s:s, s:i, s:i, s:s, s:[], s:[]}", "name", t->name, "width", t->width,
                             "height", t->height, "version", t->version, "formats", "slots");
    json_t *dfm = json_object_get(desc, "formats");
    if (t->formats & TPL_FMT_JPG)
        json_array_append_new(dfm, json_string("jpg"));
    if (t->formats & TPL_FMT_PNG)
        json_array_append_new(dfm, json_string("png"));
    if (t->formats & TPL_FMT_PDF)
        json_array_append_new(dfm, json_string("pdf"));
    json_t *d = json_object_get(root, "description");
    if (json_is_string(d))
        json_object_set(desc, "description", d);
    json_object_set_new(desc, "url", json_sprintf("/v1/cards/%s.jpg", t->name));
    if (t->seed_slot[0])
        json_object_set_new(desc, "seed_slot", json_string(t->seed_slot));
    for (int i = 0; i < t->n_slots; i++) {
        tpl_slot *s = &t->slots[i];
        json_t *js = json_pack("{s:s, s:s, s:[f,f,f,f], s:s, s:f, s:f, s:b, s:b, s:I}", "id", s->id,
                               "param", "", "box", s->box.x, s->box.y, s->box.w, s->box.h, "font",
                               s->font, "max_size", s->style.max_size, "min_size", s->style.min_size,
                               "wrap", s->style.wrap, "required", s->required, "max_length",
                               (json_int_t)s->max_length);
        json_object_set_new(js, "param", json_sprintf("text.%s", s->id));
        if (s->def)
            json_object_set_new(js, "default", json_string(s->def));
        json_array_append_new(json_object_get(desc, "slots"), js);
    }
    t->desc = desc;
    json_decref(root);
    return t;
fail:
    if (!t)
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
    template_free(t);
    json_decref(root);
    return NULL;
}

void template_free(template *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n_slots; i++)
        free(t->slots[i].def);
    free(t->slots);
    if (t->bg)
        cairo_surface_destroy(t->bg);
    if (t->bg2)
        cairo_surface_destroy(t->bg2);
    json_decref(t->desc);
    pthread_mutex_destroy(&t->bg2_mu);
    free(t);
}

static int cmp_tpl(const void *a, const void *b)
{
    return strcmp((*(template *const *)a)->name, (*(template *const *)b)->name);
}

template_set *template_set_load(const char *dir, const char *assets_dir, text_fonts *tf, err_t *err)
{
    template_set *set = calloc(1, sizeof *set);
    DIR *d = opendir(dir);
    if (!set || !d) {
        err_set(err, ERR_CONFIG, "templates", "cannot open templates folder %s", dir);
        free(set);
        if (d)
            closedir(d);
        return NULL;
    }
    atomic_init(&set->refs, 1);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        long len = -1;
        if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len < (1 << 22) &&
            fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) &&
            fread(buf, 1, (size_t)len, f) == (size_t)len) {
            template *t = template_parse(buf, (size_t)len, path, assets_dir, tf, err);
            free(buf);
            fclose(f);
            if (!t)
                goto fail;
            if (strncmp(e->d_name, t->name, n - 5) != 0 || strlen(t->name) != n - 5) {
                err_set(err, ERR_CONFIG, "name", "%s: name '%s' must match the file name", path, t->name);
                template_free(t);
                goto fail;
            }
            template **items = realloc(set->items, (size_t)(set->n + 1) * sizeof *items);
            if (!items) {
                template_free(t);
                goto fail;
            }
            set->items = items;
            set->items[set->n++] = t;
        } else {
            free(buf);
            if (f)
                fclose(f);
            err_set(err, ERR_CONFIG, NULL, "%s: cannot read the file", path);
            goto fail;
        }
    }
    closedir(d);
    qsort(set->items, (size_t)set->n, sizeof *set->items, cmp_tpl);
    return set;
fail:
    closedir(d);
    template_set_unref(set);
    return NULL;
}

void template_set_ref(template_set *s)
{
    atomic_fetch_add(&s->refs, 1);
}

void template_set_unref(template_set *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    for (int i = 0; i < s->n; i++)
        template_free(s->items[i]);
    free(s->items);
    free(s);
}

const template *template_set_find(const template_set *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i]->name, name) == 0)
            return s->items[i];
    return NULL;
}

cairo_surface_t *template_background(const template *ct, int scale)
{
    template *t = (template *)ct; /* bg2 is a lazily built cache, guarded by its mutex */
    if (!t->bg || scale == 1)
        return t->bg;
    pthread_mutex_lock(&t->bg2_mu);
    if (!t->bg2) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, t->width * 2, t->height * 2);
        cairo_t *cr = cairo_create(s);
        cairo_scale(cr, 2, 2);
        cairo_set_source_surface(cr, t->bg, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_paint(cr);
        cairo_destroy(cr);
        t->bg2 = s;
    }
    pthread_mutex_unlock(&t->bg2_mu);
    return t->bg2;
}

unsigned long long template_tag(const template *t, int scale)
{
    /* The first 62 bits of the version's SHA-256 and the scale. */
    unsigned long long v = 0;
    for (int i = 0; i < 16 && t->version[i]; i++) {
        char c = t->version[i];
        v = v << 4 | (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v << 2 | (unsigned)scale;
}

/* ---- the catalog part ---- */

/* Templates are validated against the fonts they will be drawn with, so a reload reads the
 * fonts manifest afresh (a font added with a template is checked with it). */
static void *templates_part_load(const config *cfg, err_t *err)
{
    text_fonts *tf = text_fonts_new(cfg->fonts_manifest, err);
    if (!tf)
        return NULL;
    template_set *ts = template_set_load(cfg->templates_dir, cfg->assets_dir, tf, err);
    text_fonts_free(tf);
    return ts;
}

static void templates_part_free(void *p)
{
    template_set_unref(p);
}

const catalog_part_ops templates_part_ops = {"templates", templates_part_load, templates_part_free, NULL};
