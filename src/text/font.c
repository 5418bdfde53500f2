/* font.c — per-thread fonts: reads the manifest (fonts/fonts.json), opens every font file
 * once per thread as FT_Face + hb_font_t + cairo font face, answers coverage questions for
 * fallback, and keeps the cairo scaled fonts a thread draws with.
 *
 * No font object is shared between threads. cairo may keep a font face alive in its global
 * scaled-font cache after we drop ours, and destroys it later from whichever thread evicts it;
 * the FT_Face (and at the end the FT_Library) must outlive it, so they are refcounted and freed
 * from cairo's destroy callback, under the library's mutex.
 *
 * cairo's global scaled-font map is shared all the same, and cairo 1.16 (Debian 12) has two
 * bugs in it that threads with nothing in common still meet, fixed upstream in 1.17.4 and 1.17.6:
 *
 * - cairo_scaled_font_destroy drops the count outside the map's lock (upstream a67735010): if
 *   another thread takes a font to zero while its owner looks it up again, cairo asserts
 *   `! scaled_font->cache_frozen` or lists it twice as a holdover. Any thread can take any font
 *   to zero: each cairo_scaled_font_create releases the map's reference to the previously
 *   created font, whoever owns it. So a thread holds every scaled font cairo draws with for it:
 *   text_font_target gives the options and matrix cairo will look up, so cairo finds ours
 *   instead of making its own; halo glyphs are stroked from FreeType outlines, not through
 *   another cairo font; PDF subsetting finds held 1-em fonts. And before it lets fonts go, a
 *   thread makes the map's most recent font one it holds (sf_park), so the last reference is
 *   dropped by the owner, which is not looking the font up at that moment.
 * - A font being finalised locks itself, then the global glyph-page cache; a thread evicting a
 *   page from that cache locks them the other way round (upstream a8c1858cf, issue 440): a
 *   deadlock. Fonts are only finalised after they are let go, so letting go (sf_flush,
 *   text_fonts_free) takes fonts_lock for writing, and drawing text or finishing a PDF — where
 *   cairo evicts glyph pages — holds it for reading (text_cairo_enter). Threads draw at the same
 *   time; only letting go waits for them, which happens when a thread's cache fills (rare: a
 *   W1 card uses 13 scaled fonts) and when its fonts are freed. What stays is the same inversion
 *   between a thread adding a glyph page to a font and another evicting that font's page in
 *   the instant after checking it was not in use: cairo's own window of a few instructions,
 *   only while more than 512 glyph pages are cached; cairo 1.17.6 closes it. */
#include "text/impl.h"

#include FT_OUTLINE_H
#include <hb-ot.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Process-wide like the cairo font map it guards (see the top of this file); writers first, so
 * a thread letting fonts go is not starved by others drawing one label after another. */
static pthread_rwlock_t fonts_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

void text_cairo_enter(void)
{
    pthread_rwlock_rdlock(&fonts_lock);
}

void text_cairo_leave(void)
{
    pthread_rwlock_unlock(&fonts_lock);
}

struct text_ftlib {
    pthread_mutex_t mu;
    FT_Library lib;
    int refs; /* the text_fonts + one per live cairo font face */
};

typedef struct {
    text_ftlib *lib;
    FT_Face face;
} face_owner;

static const cairo_user_data_key_t face_owner_key;

static void ftlib_unref(text_ftlib *l)
{
    pthread_mutex_lock(&l->mu);
    int last = --l->refs == 0;
    pthread_mutex_unlock(&l->mu);
    if (last) {
        FT_Done_FreeType(l->lib);
        pthread_mutex_destroy(&l->mu);
        free(l);
    }
}

/* cairo's destroy callback for a font face we created: now the FT_Face may go. */
static void face_owner_done(void *p)
{
    face_owner *o = p;
    pthread_mutex_lock(&o->lib->mu);
    FT_Done_Face(o->face);
    pthread_mutex_unlock(&o->lib->mu);
    ftlib_unref(o->lib);
    free(o);
}

int text_font_family_index(const text_fonts *tf, const char *family)
{
    if (!family)
        family = "sans";
    for (int i = 0; i < tf->nfamilies; i++)
        if (strcmp(tf->families[i].name, family) == 0)
            return i;
    return -1;
}

int text_fonts_has_family(const text_fonts *tf, const char *family)
{
    return tf && family && text_font_family_index(tf, family) >= 0;
}

int text_font_covers(const text_fonts *tf, int face, uint32_t cp)
{
    return FT_Get_Char_Index(tf->faces[face].ft, cp) != 0;
}

int text_font_glyph_ink(const text_fonts *tf, int face, uint32_t gid, float *x0, float *x1,
                        float *y0, float *y1)
{
    const text_face *f = &tf->faces[face];
    hb_glyph_extents_t e;
    if (!hb_font_get_glyph_extents(f->hb, gid, &e) || e.width == 0 || e.height == 0)
        return 0;
    /* HarfBuzz reports the outline's point bbox: never smaller than the ink. */
    double k = f->upem_inv;
    *x0 = (float)(e.x_bearing * k);
    *x1 = (float)((e.x_bearing + e.width) * k);
    *y1 = (float)(e.y_bearing * k);
    *y0 = (float)((e.y_bearing + e.height) * k);
    if (*x0 > *x1) {
        float t = *x0;
        *x0 = *x1;
        *x1 = t;
    }
    if (*y0 > *y1) {
        float t = *y0;
        *y0 = *y1;
        *y1 = t;
    }
    return 1;
}

/* Make tf->parked, which tf holds until it is freed, the font map's most recent font: the map's
 * reference to whatever was most recent is released here, and fonts tf lets go of next are
 * not the most recent, so no other thread will take them to zero. */
static void sf_park(text_fonts *tf)
{
    if (!tf->parked)
        return;
    cairo_matrix_t id;
    cairo_matrix_init_identity(&id);
    cairo_scaled_font_destroy(cairo_scaled_font_create(tf->faces[0].cairo, &id, &id, tf->opts));
}

/* Caller holds fonts_lock for writing. */
static void sf_release(text_fonts *tf)
{
    sf_park(tf);
    text_sf_entry *e, *tmp;
    HASH_ITER(hh, tf->sf, e, tmp) {
        HASH_DEL(tf->sf, e);
        cairo_scaled_font_destroy(e->sf);
        free(e);
    }
}

static void sf_flush(text_fonts *tf)
{
    pthread_rwlock_wrlock(&fonts_lock);
    sf_release(tf);
    pthread_rwlock_unlock(&fonts_lock);
}

/* A layout needs at most a text and a halo font per face: room for them, before the draw. */
#define SF_ROOM (2 * TEXT_MAX_FACES)

void text_font_reserve(text_fonts *tf)
{
    /* Sizes are quantised by the fitter, so a full table means many device scales or styles:
     * starting over is simpler than LRU and rare. */
    if (HASH_COUNT(tf->sf) + SF_ROOM > TEXT_SF_CACHE)
        sf_flush(tf);
}

int text_font_target(text_fonts *tf, cairo_t *cr, text_target *t)
{
    cairo_surface_t *target = cairo_get_group_target(cr);
    cairo_font_options_t *o = cairo_font_options_create();
    cairo_surface_get_font_options(target, o);
    cairo_font_options_merge(o, tf->opts);
    if (cairo_font_options_status(o) != CAIRO_STATUS_SUCCESS) {
        cairo_font_options_destroy(o);
        return -1;
    }
    int v;
    for (v = 0; v < tf->nvariants; v++)
        if (cairo_font_options_equal(tf->variants[v], o))
            break;
    if (v < tf->nvariants) {
        cairo_font_options_destroy(o);
    } else {
        if (v == TEXT_MAX_VARIANTS) { /* more kinds of surface than expected: start over */
            sf_flush(tf);
            for (v = 0; v < tf->nvariants; v++)
                cairo_font_options_destroy(tf->variants[v]);
            tf->nvariants = v = 0;
        }
        tf->variants[tf->nvariants++] = o;
    }
    /* as cairo's gstate computes it: the context's matrix, then the surface's device scale */
    double sx, sy;
    cairo_matrix_t ctm, dev;
    cairo_get_matrix(cr, &ctm);
    cairo_surface_get_device_scale(target, &sx, &sy);
    cairo_matrix_init_scale(&dev, sx, sy);
    cairo_matrix_multiply(&t->ctm, &ctm, &dev);
    t->ctm.x0 = t->ctm.y0 = 0;
    t->variant = v;
    t->vector = cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE;
    return 0;
}

/* cairo_scaled_font_subsets_map_glyph (cairo 1.16) embeds an outline font's glyphs through a
 * scaled font it makes at 1 em, identity matrices, unhinted: hold that one for each face. */
static void subset_hold(text_fonts *tf, int face)
{
    cairo_matrix_t id;
    cairo_matrix_init_identity(&id);
    cairo_font_options_t *o = cairo_font_options_create();
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
    tf->subset[face] = cairo_scaled_font_create(tf->faces[face].cairo, &id, &id, o);
    cairo_font_options_destroy(o);
}

cairo_scaled_font_t *text_font_scaled(text_fonts *tf, const text_target *t, int face, double size)
{
    const cairo_matrix_t *ctm = &t->ctm;
    if (t->vector && face < TEXT_MAX_FACES && !tf->subset[face])
        subset_hold(tf, face);
    text_sf_entry k, *e;
    memset(&k.key, 0, sizeof k.key);
    k.key.face = face;
    k.key.variant = t->variant;
    k.key.size = size;
    k.key.xx = ctm->xx, k.key.yx = ctm->yx, k.key.xy = ctm->xy, k.key.yy = ctm->yy;
    HASH_FIND(hh, tf->sf, &k.key, sizeof k.key, e);
    if (e)
        return e->sf;
    if (HASH_COUNT(tf->sf) >= TEXT_SF_CACHE) /* text_font_reserve was not called: no flush here */
        return NULL;
    cairo_matrix_t fm;
    cairo_matrix_init_scale(&fm, size, size);
    cairo_font_face_t *ff = face < TEXT_MAX_FACES ? tf->faces[face].cairo
                                                  : tf->halos[face - TEXT_MAX_FACES].cairo;
    cairo_scaled_font_t *sf = cairo_scaled_font_create(ff, &fm, ctm, tf->variants[t->variant]);
    if (cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(sf);
        return NULL;
    }
    if (!(e = malloc(sizeof *e))) {
        cairo_scaled_font_destroy(sf);
        return NULL;
    }
    e->key = k.key;
    e->sf = sf;
    HASH_ADD(hh, tf->sf, key, sizeof e->key, e);
    if (!HASH_ADDED(e)) {
        cairo_scaled_font_destroy(sf);
        free(e);
        return NULL;
    }
    return sf;
}

/* ---- halos ---- */

typedef struct {
    cairo_font_face_t *base; /* held: it keeps ft open */
    FT_Face ft;
    double upem_inv;
    double width;
} halo_info;

static const cairo_user_data_key_t halo_key;

static void halo_info_free(void *p)
{
    halo_info *h = p;
    cairo_font_face_destroy(h->base);
    free(h);
}

typedef struct { /* FreeType outline to cairo path, font units to em, y down */
    cairo_t *cr;
    double k, x, y; /* scale; current point in font units */
    int open;
} outline_pen;

static int pen_move(const FT_Vector *to, void *p)
{
    outline_pen *o = p;
    if (o->open)
        cairo_close_path(o->cr);
    cairo_move_to(o->cr, to->x * o->k, -to->y * o->k);
    o->x = to->x, o->y = to->y, o->open = 1;
    return 0;
}

static int pen_line(const FT_Vector *to, void *p)
{
    outline_pen *o = p;
    cairo_line_to(o->cr, to->x * o->k, -to->y * o->k);
    o->x = to->x, o->y = to->y;
    return 0;
}

static int pen_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *p)
{
    outline_pen *o = p;
    cairo_curve_to(o->cr, c1->x * o->k, -c1->y * o->k, c2->x * o->k, -c2->y * o->k, to->x * o->k,
                   -to->y * o->k);
    o->x = to->x, o->y = to->y;
    return 0;
}

static int pen_conic(const FT_Vector *c, const FT_Vector *to, void *p)
{
    outline_pen *o = p; /* the quadratic as the cubic it is */
    double x1 = o->x + 2.0 / 3 * (c->x - o->x), y1 = o->y + 2.0 / 3 * (c->y - o->y);
    double x2 = to->x + 2.0 / 3 * (c->x - to->x), y2 = to->y + 2.0 / 3 * (c->y - to->y);
    cairo_curve_to(o->cr, x1 * o->k, -y1 * o->k, x2 * o->k, -y2 * o->k, to->x * o->k, -to->y * o->k);
    o->x = to->x, o->y = to->y;
    return 0;
}

/* cairo calls this once per glyph and size, and caches the result like any glyph: the stroke is
 * paid once, not per label. cr is in font space (1 unit = 1 em). The outline comes straight from
 * FreeType, unscaled and unhinted: drawing it through a cairo font would make cairo create a
 * scaled font this thread does not hold (see the top of this file). */
static cairo_status_t halo_render_glyph(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                        cairo_text_extents_t *extents)
{
    halo_info *h = cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf), &halo_key);
    const FT_Outline_Funcs funcs = {pen_move, pen_line, pen_conic, pen_cubic, 0, 0};
    if (FT_Load_Glyph(h->ft, (FT_UInt)glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                                                 FT_LOAD_NO_BITMAP) != 0 ||
        h->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return CAIRO_STATUS_SUCCESS; /* nothing to stroke: an empty halo, as for a space */
    outline_pen pen = {cr, h->upem_inv, 0, 0, 0};
    FT_Outline_Decompose(&h->ft->glyph->outline, &funcs, &pen);
    if (pen.open)
        cairo_close_path(cr);
    cairo_matrix_t fm;
    cairo_scaled_font_get_font_matrix(sf, &fm);
    double size = fm.yy != 0 ? fabs(fm.yy) : 1;
    cairo_set_line_width(cr, h->width / size);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke_preserve(cr);
    cairo_fill(cr);
    return cairo_status(cr);
}

cairo_scaled_font_t *text_font_halo_scaled(text_fonts *tf, const text_target *t, int face,
                                           double width, double size)
{
    int k;
    for (k = 0; k < tf->nhalos; k++)
        if (tf->halos[k].face == face && tf->halos[k].width == width)
            break;
    if (k == tf->nhalos) {
        if (k == TEXT_MAX_HALOS)
            return NULL;
        halo_info *h = malloc(sizeof *h);
        if (!h)
            return NULL;
        cairo_font_face_t *uf = cairo_user_font_face_create();
        cairo_user_font_face_set_render_glyph_func(uf, halo_render_glyph);
        *h = (halo_info){cairo_font_face_reference(tf->faces[face].cairo), tf->faces[face].ft,
                         tf->faces[face].upem_inv, width};
        if (cairo_font_face_set_user_data(uf, &halo_key, h, halo_info_free) != CAIRO_STATUS_SUCCESS) {
            halo_info_free(h);
            cairo_font_face_destroy(uf);
            return NULL;
        }
        tf->halos[k] = (text_halo_face){face, width, uf};
        tf->nhalos++;
    }
    /* in the scaled-font cache, halo k of any face is "face" TEXT_MAX_FACES + k */
    return text_font_scaled(tf, t, TEXT_MAX_FACES + k, size);
}

/* ---- loading ---- */

static int face_open(text_fonts *tf, text_face *f, err_t *err)
{
    FT_Face ft = NULL;
    hb_blob_t *blob = NULL;
    hb_face_t *hbface = NULL;
    face_owner *owner = NULL;

    if (FT_New_Face(tf->lib->lib, f->path, 0, &ft) != 0 || !FT_IS_SCALABLE(ft) ||
        ft->units_per_EM == 0) {
        err_set(err, ERR_CONFIG, NULL, "font file %s (%s): FreeType cannot open it as a scalable font",
                f->path, f->name);
        goto fail;
    }
    blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob) {
        err_set(err, ERR_CONFIG, NULL, "font file %s (%s): HarfBuzz cannot read it", f->path, f->name);
        goto fail;
    }
    hbface = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    f->hb = hb_font_create(hbface);
    hb_face_destroy(hbface);
    hb_ot_font_set_funcs(f->hb);
    hb_font_set_scale(f->hb, (int)ft->units_per_EM, (int)ft->units_per_EM);

    owner = malloc(sizeof *owner);
    if (!owner) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    f->cairo = cairo_ft_font_face_create_for_ft_face(ft, 0);
    if (cairo_font_face_status(f->cairo) != CAIRO_STATUS_SUCCESS) {
        err_set(err, ERR_CONFIG, NULL, "font file %s (%s): cairo cannot use it", f->path, f->name);
        cairo_font_face_destroy(f->cairo);
        f->cairo = NULL;
        goto fail;
    }
    *owner = (face_owner){tf->lib, ft};
    if (cairo_font_face_set_user_data(f->cairo, &face_owner_key, owner, face_owner_done) !=
        CAIRO_STATUS_SUCCESS) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        cairo_font_face_destroy(f->cairo);
        f->cairo = NULL;
        goto fail;
    }
    pthread_mutex_lock(&tf->lib->mu);
    tf->lib->refs++;
    pthread_mutex_unlock(&tf->lib->mu);

    f->ft = ft;
    f->upem_inv = 1.0 / ft->units_per_EM;
    f->asc = (float)(ft->ascender * f->upem_inv);
    f->desc = (float)(-ft->descender * f->upem_inv);
    f->gap = (float)((ft->height - ft->ascender + ft->descender) * f->upem_inv);
    if (f->gap < 0)
        f->gap = 0;
    return 0;
fail:
    free(owner);
    if (f->hb)
        hb_font_destroy(f->hb);
    f->hb = NULL;
    if (ft)
        FT_Done_Face(ft);
    return -1;
}

/* Index of the face for a manifest entry, opening it if it is new; -1 + err on failure,
 * -2 if the file is missing and the entry is optional. */
static int face_add(text_fonts *tf, const char *mdir, const char *where, json_t *entry, err_t *err)
{
    if (!json_is_object(entry)) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest: %s: expected an object", where);
        return -1;
    }
    const char *file = json_string_value(json_object_get(entry, "file"));
    const char *pkg = json_string_value(json_object_get(entry, "package"));
    const char *name = json_string_value(json_object_get(entry, "name"));
    const char *lic = json_string_value(json_object_get(entry, "license"));
    json_t *opt = json_object_get(entry, "optional");
    if (!file || !*file || !pkg || !*pkg || !name || !lic) {
        err_set(err, ERR_CONFIG, NULL,
                "fonts manifest: %s: needs string fields name, file, package and license", where);
        return -1;
    }
    if (opt && !json_is_boolean(opt)) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest: %s: optional must be true or false", where);
        return -1;
    }
    char path[512];
    int n = file[0] == '/' ? snprintf(path, sizeof path, "%s", file)
                           : snprintf(path, sizeof path, "%s/%s", mdir, file);
    if (n < 0 || (size_t)n >= sizeof path) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest: %s: file path too long", where);
        return -1;
    }
    for (int i = 0; i < tf->nfaces; i++)
        if (strcmp(tf->faces[i].path, path) == 0)
            return i;
    if (access(path, R_OK) != 0) {
        if (json_is_true(opt))
            return -2;
        err_set(err, ERR_CONFIG, NULL,
                "font file %s (%s) is missing: install the Debian package %s "
                "(apt-get install %s)",
                path, name, pkg, pkg);
        return -1;
    }
    if (tf->nfaces == TEXT_MAX_FACES) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest: more than %d font files", TEXT_MAX_FACES);
        return -1;
    }
    text_face *f = &tf->faces[tf->nfaces];
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->path, sizeof f->path, "%s", path);
    if (face_open(tf, f, err) != 0)
        return -1;
    return tf->nfaces++;
}

text_fonts *text_fonts_new(const char *manifest_path, err_t *err)
{
    json_error_t jerr;
    json_t *root = NULL;
    text_fonts *tf = calloc(1, sizeof *tf);
    if (!tf) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    tf->lib = calloc(1, sizeof *tf->lib);
    if (!tf->lib) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    pthread_mutex_init(&tf->lib->mu, NULL);
    tf->lib->refs = 1;
    if (FT_Init_FreeType(&tf->lib->lib) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "FreeType initialisation failed");
        goto fail;
    }

    root = json_load_file(manifest_path, 0, &jerr);
    if (!root) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest %s: line %d: %s", manifest_path, jerr.line,
                jerr.text);
        goto fail;
    }
    char mdir[512];
    snprintf(mdir, sizeof mdir, "%s", manifest_path);
    char *slash = strrchr(mdir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(mdir, sizeof mdir, ".");

    json_t *fams = json_object_get(root, "families");
    json_t *fbs = json_object_get(root, "fallbacks");
    if (!json_is_object(fams) || json_object_size(fams) == 0 || !json_is_array(fbs)) {
        err_set(err, ERR_CONFIG, NULL,
                "fonts manifest %s: needs a \"families\" object and a \"fallbacks\" array",
                manifest_path);
        goto fail;
    }
    const char *key;
    json_t *val;
    json_object_foreach(fams, key, val) {
        char where[80];
        snprintf(where, sizeof where, "family \"%.40s\"", key);
        if (!*key || strlen(key) >= sizeof tf->families[0].name) {
            err_set(err, ERR_CONFIG, NULL, "fonts manifest: bad family name \"%.40s\"", key);
            goto fail;
        }
        if (tf->nfamilies == TEXT_MAX_FAMILIES) {
            err_set(err, ERR_CONFIG, NULL, "fonts manifest: more than %d families", TEXT_MAX_FAMILIES);
            goto fail;
        }
        int fi = face_add(tf, mdir, where, val, err);
        if (fi == -2)
            continue; /* optional family not installed */
        if (fi < 0)
            goto fail;
        text_family *fam = &tf->families[tf->nfamilies++];
        snprintf(fam->name, sizeof fam->name, "%s", key);
        fam->face = fi;
    }
    if (text_font_family_index(tf, "sans") < 0) {
        err_set(err, ERR_CONFIG, NULL, "fonts manifest %s: no \"sans\" family (the default)",
                manifest_path);
        goto fail;
    }
    size_t i;
    json_array_foreach(fbs, i, val) {
        char where[48];
        snprintf(where, sizeof where, "fallbacks[%zu]", i);
        int fi = face_add(tf, mdir, where, val, err);
        if (fi == -2)
            continue;
        if (fi < 0)
            goto fail;
        tf->chain[tf->nchain++] = fi;
        json_t *scripts = json_object_get(val, "scripts");
        if (scripts && !json_is_array(scripts)) {
            err_set(err, ERR_CONFIG, NULL, "fonts manifest: %s: scripts must be an array", where);
            goto fail;
        }
        size_t k;
        json_t *tag;
        json_array_foreach(scripts, k, tag) {
            const char *t = json_string_value(tag);
            hb_script_t sc = t && strlen(t) == 4 ? hb_script_from_string(t, 4) : HB_SCRIPT_INVALID;
            if (sc == HB_SCRIPT_INVALID || sc == HB_SCRIPT_UNKNOWN) {
                err_set(err, ERR_CONFIG, NULL,
                        "fonts manifest: %s: scripts[%zu] is not an ISO 15924 tag like \"Arab\"",
                        where, k);
                goto fail;
            }
            if (tf->npref == (int)(sizeof tf->pref / sizeof tf->pref[0])) {
                err_set(err, ERR_CONFIG, NULL, "fonts manifest: too many script preferences");
                goto fail;
            }
            tf->pref[tf->npref].script = sc;
            tf->pref[tf->npref++].face = fi;
        }
    }

    tf->opts = cairo_font_options_create();
    /* Unhinted outlines scale linearly, so what the fitter measured at 1 em is what is drawn. */
    cairo_font_options_set_hint_style(tf->opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(tf->opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(tf->opts, CAIRO_ANTIALIAS_GRAY);
    cairo_matrix_t id;
    cairo_matrix_init_identity(&id);
    tf->parked = cairo_scaled_font_create(tf->faces[0].cairo, &id, &id, tf->opts);
    if (cairo_scaled_font_status(tf->parked) != CAIRO_STATUS_SUCCESS) {
        err_set(err, ERR_INTERNAL, NULL, "cairo cannot scale the font %s", tf->faces[0].path);
        goto fail;
    }
    tf->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(tf->buf)) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    json_decref(root);
    return tf;
fail:
    json_decref(root);
    text_fonts_free(tf);
    return NULL;
}

void text_fonts_free(text_fonts *tf)
{
    if (!tf)
        return;
    pthread_rwlock_wrlock(&fonts_lock);
    sf_release(tf); /* parks first */
    for (int i = 0; i < TEXT_MAX_FACES; i++)
        cairo_scaled_font_destroy(tf->subset[i]);
    cairo_scaled_font_destroy(tf->parked);
    for (int i = 0; i < tf->nhalos; i++)
        cairo_font_face_destroy(tf->halos[i].cairo);
    for (int i = 0; i < tf->nfaces; i++) {
        hb_font_destroy(tf->faces[i].hb);
        /* The FT_Face goes in face_owner_done, when cairo lets go of the face. */
        cairo_font_face_destroy(tf->faces[i].cairo);
    }
    pthread_rwlock_unlock(&fonts_lock);
    text_memo_clear(tf);
    text_shaped_free(&tf->sh);
    free(tf->scratch);
    if (tf->buf)
        hb_buffer_destroy(tf->buf);
    for (int i = 0; i < tf->nvariants; i++)
        cairo_font_options_destroy(tf->variants[i]);
    if (tf->opts)
        cairo_font_options_destroy(tf->opts);
    if (tf->lib) {
        if (tf->lib->lib)
            ftlib_unref(tf->lib);
        else {
            pthread_mutex_destroy(&tf->lib->mu);
            free(tf->lib);
        }
    }
    free(tf);
}
