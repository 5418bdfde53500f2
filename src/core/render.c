/* render.c — per-thread render state (fonts, TurboJPEG handle, a reused surface charged to the
 * memory budget, an encode buffer, a splice encoder) and the image job: target → draw → encode →
 * blob, where a JPEG drawn over a known background, or over a stored JPEG in cell form, is
 * encoded by splicing (splice.h). */
#include "core/render.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "core/encode.h"
#include "core/splice.h"

/* Under memory pressure, background segments not used for this long are dropped. */
#define SPLICE_IDLE_SECONDS 5.0

/* Decoded images a worker keeps between jobs (render_ctx_keep): at most this many bytes, each
 * dropped when unused this long. */
#define RENDER_KEPT_BYTES ((size_t)6 << 20)
#define RENDER_KEPT_IDLE_SECONDS 5.0

/* PDF page size: one layout unit is half a point, so a 1920x1080 card is a 13.3x7.5 in page. */
#define PDF_PT_PER_UNIT 0.5

struct render_ctx {
    int id;
    const render_env *env;
    int scale; /* of the job being drawn */
    text_fonts *fonts;
    tjhandle tj;
    cairo_surface_t *surf; /* reused while the size stays the same */
    size_t surf_bytes;     /* charged to the budget */
    unsigned long long surf_tag; /* background the surface holds outside the last job's rects */
    unsigned long long prev_tag; /* surf_tag as the previous job left it */
    outbuf out;
    size_t out_bytes;            /* of out's capacity, charged to the budget */
    const image_spec *spec;      /* of the job being drawn, NULL outside a job */
    splice_encoder *spl;         /* made on the first spliced job */
    splice_base *spl_base;       /* set while a job is to be encoded by splicing */
    splice_fmt spl_fmt;
    int spl_painted;             /* the spliced job's background is drawn (render_bg.paint) */
    int spl_rows, spl_encoded;   /* of the last spliced job: restart segments, of which encoded */
    unsigned char *stored;       /* set while a job is to be spliced over a stored file */
    struct kept_item *kept;      /* decoded images and such kept between jobs, most recent first */
    size_t kept_bytes;           /* charged to the budget */
};

/* ---- things kept between jobs ---- */

typedef struct kept_item {
    struct kept_item *next;
    void *obj;
    void (*drop)(void *obj); /* frees obj; also tells kinds apart */
    size_t bytes;
    double last_used;
    size_t key_len;
    char key[];
} kept_item;

static void kept_drop(render_ctx *rc, kept_item **at)
{
    kept_item *k = *at;
    *at = k->next;
    rc->kept_bytes -= k->bytes;
    budget_release(rc->env->budget, k->bytes);
    k->drop(k->obj);
    free(k);
}

void render_ctx_drop_kept(render_ctx *rc)
{
    while (rc->kept)
        kept_drop(rc, &rc->kept);
}

size_t render_ctx_kept_bytes(const render_ctx *rc)
{
    return rc->kept_bytes;
}

void *render_ctx_kept_obj(render_ctx *rc, const void *key, size_t len, void (*drop)(void *obj))
{
    double now = budget_now();
    for (kept_item **at = &rc->kept; *at;) {
        kept_item *k = *at;
        if (k->key_len == len && k->drop == drop && memcmp(k->key, key, len) == 0) {
            k->last_used = now;
            *at = k->next; /* to the front */
            k->next = rc->kept;
            rc->kept = k;
            return k->obj;
        }
        if (now - k->last_used > RENDER_KEPT_IDLE_SECONDS)
            kept_drop(rc, at);
        else
            at = &k->next;
    }
    return NULL;
}

int render_ctx_keep_obj(render_ctx *rc, const void *key, size_t len, void *obj, size_t bytes,
                        void (*drop)(void *obj))
{
    if (bytes > RENDER_KEPT_BYTES)
        return -1;
    while (rc->kept && rc->kept_bytes + bytes > RENDER_KEPT_BYTES) { /* the least recent go */
        kept_item **last = &rc->kept;
        while ((*last)->next)
            last = &(*last)->next;
        kept_drop(rc, last);
    }
    kept_item *k = malloc(sizeof *k + len);
    if (!k || budget_try_reserve(rc->env->budget, bytes) < 0) {
        free(k);
        return -1;
    }
    k->obj = obj;
    k->drop = drop;
    k->bytes = bytes;
    k->last_used = budget_now();
    k->key_len = len;
    memcpy(k->key, key, len);
    k->next = rc->kept;
    rc->kept = k;
    rc->kept_bytes += bytes;
    return 0;
}

static void surface_drop(void *s)
{
    cairo_surface_destroy(s);
}

cairo_surface_t *render_ctx_kept(render_ctx *rc, const void *key, size_t len)
{
    cairo_surface_t *s = render_ctx_kept_obj(rc, key, len, surface_drop);
    return s ? cairo_surface_reference(s) : NULL;
}

void render_ctx_keep(render_ctx *rc, const void *key, size_t len, cairo_surface_t *s)
{
    size_t bytes = (size_t)cairo_image_surface_get_stride(s) * (size_t)cairo_image_surface_get_height(s);
    if (render_ctx_keep_obj(rc, key, len, cairo_surface_reference(s), bytes, surface_drop) < 0)
        cairo_surface_destroy(s);
}

render_ctx *render_ctx_new(int id, const render_env *env, err_t *err)
{
    render_ctx *rc = calloc(1, sizeof *rc);
    if (!rc) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    rc->id = id;
    rc->env = env;
    rc->fonts = text_fonts_new(env->fonts_manifest, err);
    rc->tj = tjInitCompress();
    if (!rc->fonts || !rc->tj) {
        if (rc->fonts && !rc->tj)
            err_set(err, ERR_INTERNAL, NULL, "tjInitCompress failed");
        render_ctx_free(rc);
        return NULL;
    }
    return rc;
}

static void drop_surface(render_ctx *rc)
{
    if (rc->surf) {
        cairo_surface_destroy(rc->surf);
        budget_release(rc->env->budget, rc->surf_bytes);
    }
    rc->surf = NULL;
    rc->surf_bytes = 0;
}

/* The encode buffer is kept between jobs only while the budget holds its capacity. */
static void drop_outbuf(render_ctx *rc)
{
    outbuf_free(&rc->out);
    budget_release(rc->env->budget, rc->out_bytes);
    rc->out_bytes = 0;
}

static void keep_outbuf(render_ctx *rc)
{
    if (rc->out.cap <= rc->out_bytes)
        return;
    if (budget_try_reserve(rc->env->budget, rc->out.cap - rc->out_bytes) == 0)
        rc->out_bytes = rc->out.cap;
    else
        drop_outbuf(rc);
}

void render_ctx_release(render_ctx *rc)
{
    render_ctx_drop_kept(rc);
    drop_surface(rc);
    drop_outbuf(rc);
    rc->prev_tag = rc->surf_tag = 0;
    splice_cache_trim(rc->env->splices, SPLICE_IDLE_SECONDS);
}

size_t render_bytes_needed(const image_spec *spec)
{
    if (spec->format == IMG_PDF)
        return 0;
    size_t surf = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, spec->width * spec->scale) *
                  (size_t)(spec->height * spec->scale);
    return surf + surf / 4; /* an encoded image is rarely over a quarter of the raw pixels */
}

void render_ctx_free(render_ctx *rc)
{
    if (!rc)
        return;
    render_ctx_drop_kept(rc);
    drop_surface(rc);
    splice_base_unref(rc->spl_base);
    splice_encoder_free(rc->spl);
    if (rc->tj)
        tjDestroy(rc->tj);
    text_fonts_free(rc->fonts);
    drop_outbuf(rc);
    free(rc);
}

text_fonts *render_ctx_fonts(render_ctx *rc)
{
    return rc->fonts;
}

int render_ctx_scale(render_ctx *rc)
{
    return rc->scale;
}

static cairo_surface_t *get_surface(render_ctx *rc, int w, int h, double deadline, err_t *err)
{
    if (rc->surf && cairo_image_surface_get_width(rc->surf) == w &&
        cairo_image_surface_get_height(rc->surf) == h)
        return rc->surf;
    drop_surface(rc);
    rc->prev_tag = rc->surf_tag = 0;
    size_t bytes = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w) * (size_t)h;
    if (budget_reserve(rc->env->budget, bytes, deadline) < 0) {
        err_set(err, ERR_BUSY, NULL, "render memory budget exhausted");
        return NULL;
    }
    rc->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    rc->surf_bytes = bytes;
    if (cairo_surface_status(rc->surf) != CAIRO_STATUS_SUCCESS) {
        drop_surface(rc);
        err_set(err, ERR_INTERNAL, NULL, "cannot create a %dx%d surface", w, h);
        return NULL;
    }
    return rc->surf;
}

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
    return outbuf_append(closure, data, len) < 0 ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static int draw_on(cairo_surface_t *target, double scale, const image_spec *spec, draw_fn draw,
                   void *arg, render_ctx *rc, err_t *err)
{
    cairo_t *cr = cairo_create(target);
    cairo_scale(cr, scale, scale);
    int rv = draw(arg, rc, cr, err);
    if (rv == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        err_set(err, ERR_INTERNAL, NULL, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
        rv = -1;
    }
    cairo_destroy(cr);
    return rv;
}

static int render_image_spec(render_ctx *rc, const image_spec *spec, draw_fn draw, void *arg,
                             double deadline, blob **out, err_t *err);

/* The spec is reachable by render_paint_background only while its job draws: a draw outside a
 * job (laying a card out to count its pages) must not see a finished job's freed spec. */
int render_image(render_ctx *rc, const image_spec *spec, draw_fn draw, void *arg, double deadline,
                 blob **out, err_t *err)
{
    rc->spec = spec;
    int rv = render_image_spec(rc, spec, draw, arg, deadline, out, err);
    rc->spec = NULL;
    splice_base_unref(rc->spl_base); /* a draw that failed after laying its background */
    rc->spl_base = NULL;
    free(rc->stored);
    rc->stored = NULL;
    return rv;
}

/* The job's touched cells are drawn: encode them and write the stored file with them. */
static int encode_stored(render_ctx *rc, cairo_surface_t *s, double deadline, blob **out, err_t *err)
{
    cairo_surface_flush(s);
    if (splice_cells_encode(rc->spl, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s),
                            err) < 0)
        return -1;
    blob *b = blob_new(rc->env->budget, splice_cells_size(rc->spl), deadline);
    if (!b) {
        err_set(err, ERR_BUSY, NULL, "render memory budget exhausted");
        return -1;
    }
    splice_cells_write(rc->spl, b->data);
    *out = b;
    splice_cells_count(rc->spl, &rc->spl_rows, &rc->spl_encoded);
    return 0;
}

int render_stored_under(render_ctx *rc, cairo_t *cr, unsigned char *jpeg, size_t len,
                        const text_box *boxes, int n_boxes, err_t *err)
{
    cairo_surface_t *target = cairo_get_target(cr);
    if (!rc || !rc->spec || rc->spec->format != IMG_JPEG || target != rc->surf || rc->spl_base ||
        rc->stored || (!rc->spl && !(rc->spl = splice_encoder_new(rc->env->splices))))
        return 0;
    int w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
    splice_fmt f = {w, h, rc->spec->quality, rc->spec->subsamp444, 0};
    if (!splice_stored_open(rc->spl, &f, jpeg, len))
        return 0;
    for (int i = 0; i < n_boxes; i++) {
        const text_box *r = &boxes[i];
        double s = rc->scale;
        splice_cells_touch(rc->spl, (int)floor(r->x * s), (int)floor(r->y * s), (int)ceil((r->x + r->w) * s),
                           (int)ceil((r->y + r->h) * s));
    }
    cairo_surface_flush(target);
    int rv = splice_cells_decode(rc->spl, cairo_image_surface_get_data(target),
                                 cairo_image_surface_get_stride(target), err);
    cairo_surface_mark_dirty(target);
    if (rv < 0)
        return -1;
    rc->stored = jpeg;
    return 1;
}

/* The job's band rows are drawn: encode them and write the file straight into its blob. */
static int encode_spliced(render_ctx *rc, cairo_surface_t *s, double deadline, blob **out, err_t *err)
{
    cairo_surface_flush(s);
    if (splice_encode_bands(rc->spl, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s),
                            err) < 0)
        return -1;
    blob *b = blob_new(rc->env->budget, splice_size(rc->spl, rc->spl_base), deadline);
    if (!b) {
        err_set(err, ERR_BUSY, NULL, "render memory budget exhausted");
        return -1;
    }
    splice_write(rc->spl, rc->spl_base, b->data);
    *out = b;
    rc->spl_rows = splice_rows(&rc->spl_fmt) * splice_segs_per_row(&rc->spl_fmt);
    rc->spl_encoded = splice_rows_encoded(rc->spl);
    return 0;
}

void render_ctx_spliced(const render_ctx *rc, int *rows, int *encoded)
{
    *rows = rc->spl_rows;
    *encoded = rc->spl_encoded;
}

static int render_image_spec(render_ctx *rc, const image_spec *spec, draw_fn draw, void *arg,
                             double deadline, blob **out, err_t *err)
{
    rc->scale = spec->scale;
    rc->out.len = 0;
    rc->spl_rows = rc->spl_encoded = 0;
    /* Any job that does not restore only its rectangles leaves the surface unknown. */
    rc->prev_tag = rc->surf_tag;
    rc->surf_tag = 0;
    if (spec->format == IMG_PDF) {
        cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(
            pdf_write, &rc->out, spec->width * PDF_PT_PER_UNIT, spec->height * PDF_PT_PER_UNIT);
        int rv = draw_on(pdf, PDF_PT_PER_UNIT, spec, draw, arg, rc, err);
        text_cairo_enter(); /* cairo subsets and embeds the fonts here */
        cairo_surface_finish(pdf);
        text_cairo_leave();
        if (rv == 0 && cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
            err_set(err, ERR_INTERNAL, NULL, "PDF: %s",
                    cairo_status_to_string(cairo_surface_status(pdf)));
            rv = -1;
        }
        cairo_surface_destroy(pdf);
        if (rv < 0)
            return -1;
    } else {
        cairo_surface_t *s = get_surface(rc, spec->width * spec->scale, spec->height * spec->scale,
                                         deadline, err);
        if (!s || draw_on(s, spec->scale, spec, draw, arg, rc, err) < 0)
            return -1;
        if (rc->spl_base)
            return encode_spliced(rc, s, deadline, out, err);
        if (rc->stored)
            return encode_stored(rc, s, deadline, out, err);
        int rv = spec->format == IMG_JPEG
                     ? encode_jpeg(rc->tj, s, spec->quality, spec->subsamp444, &rc->out, err)
                     : encode_png(s, &rc->out, err);
        if (rv < 0)
            return -1;
    }
    blob *b = blob_new(rc->env->budget, rc->out.len, deadline);
    if (b)
        memcpy(b->data, rc->out.data, rc->out.len);
    keep_outbuf(rc);
    if (!b) {
        err_set(err, ERR_BUSY, NULL, "render memory budget exhausted");
        return -1;
    }
    *out = b;
    return 0;
}

void render_paint_background(render_ctx *rc, cairo_t *cr, cairo_surface_t *bg)
{
    if (!bg)
        return;
    cairo_surface_t *target = cairo_get_target(cr);
    if (cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE &&
        cairo_image_surface_get_format(target) == cairo_image_surface_get_format(bg) &&
        cairo_image_surface_get_width(target) == cairo_image_surface_get_width(bg) &&
        cairo_image_surface_get_height(target) == cairo_image_surface_get_height(bg) &&
        cairo_image_surface_get_stride(target) == cairo_image_surface_get_stride(bg)) {
        /* Same pixels, same layout: a straight copy is several times faster than pixman. */
        cairo_surface_flush(target);
        memcpy(cairo_image_surface_get_data(target), cairo_image_surface_get_data(bg),
               (size_t)cairo_image_surface_get_stride(bg) * (size_t)cairo_image_surface_get_height(bg));
        cairo_surface_mark_dirty(target);
        return;
    }
    /* Other targets (PDF, or a background of another resolution): scale it to the layout. */
    const image_spec *spec = rc ? rc->spec : NULL;
    double sx = spec ? (double)spec->width / cairo_image_surface_get_width(bg) : 1;
    double sy = spec ? (double)spec->height / cairo_image_surface_get_height(bg) : 1;
    cairo_save(cr);
    cairo_scale(cr, sx, sy);
    cairo_set_source_surface(cr, bg, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
}

static int same_layout(cairo_surface_t *a, cairo_surface_t *b)
{
    return cairo_image_surface_get_format(a) == cairo_image_surface_get_format(b) &&
           cairo_image_surface_get_width(a) == cairo_image_surface_get_width(b) &&
           cairo_image_surface_get_height(a) == cairo_image_surface_get_height(b) &&
           cairo_image_surface_get_stride(a) == cairo_image_surface_get_stride(b);
}

/* The background painted whole, or only the rectangles restored if the surface still holds it
 * from the previous job. */
static int reuse_background(render_ctx *rc, cairo_t *cr, cairo_surface_t *bg, unsigned long long tag,
                            const text_box *rects, int n_rects, size_t rect_stride)
{
    cairo_surface_t *target = cairo_get_target(cr);
    if (!bg || !tag || target != rc->surf || !same_layout(target, bg)) {
        render_paint_background(rc, cr, bg);
        return 0;
    }
    int reused = rc->prev_tag == tag;
    if (!reused) {
        render_paint_background(rc, cr, bg);
    } else {
        /* Restore the rectangles (in pixels, grown by a margin for antialiasing and halos). */
        cairo_surface_flush(target);
        int w = cairo_image_surface_get_width(bg), h = cairo_image_surface_get_height(bg);
        int stride = cairo_image_surface_get_stride(bg);
        unsigned char *dst = cairo_image_surface_get_data(target);
        const unsigned char *src = cairo_image_surface_get_data(bg);
        for (int i = 0; i < n_rects; i++) {
            const text_box *r = (const text_box *)((const char *)rects + (size_t)i * rect_stride);
            int s = rc->scale, m = 4 * s;
            int x0 = (int)(r->x * s) - m, y0 = (int)(r->y * s) - m;
            int x1 = (int)((r->x + r->w) * s) + m + 1, y1 = (int)((r->y + r->h) * s) + m + 1;
            x0 = x0 < 0 ? 0 : x0;
            y0 = y0 < 0 ? 0 : y0;
            x1 = x1 > w ? w : x1;
            y1 = y1 > h ? h : y1;
            for (int y = y0; y < y1 && x1 > x0; y++)
                memcpy(dst + (size_t)y * (size_t)stride + (size_t)x0 * 4,
                       src + (size_t)y * (size_t)stride + (size_t)x0 * 4, (size_t)(x1 - x0) * 4);
        }
        cairo_surface_mark_dirty(target);
    }
    rc->surf_tag = tag;
    return reused;
}

/* The RGB24 pixel cairo paints for an opaque colour (exactly, by letting it paint one). */
static uint32_t colour_pixel(text_rgba c)
{
    uint32_t px = 0;
    cairo_surface_t *one = cairo_image_surface_create_for_data((unsigned char *)&px, CAIRO_FORMAT_RGB24,
                                                               1, 1, 4);
    cairo_t *cr = cairo_create(one);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(one);
    cairo_surface_destroy(one);
    return px;
}

/* The first pixel row of a part's box. */
static int part_row(const render_ctx *rc, const render_part *p)
{
    double y = floor(p->box.y * rc->scale);
    return y < 0 ? 0 : (int)y;
}

/* Lay the background in the MCU rows the parts touch and mark the job for splicing, the parts in
 * bands found encoded marked skip; 0 when the background's segments cannot be had (then the job
 * is encoded whole). */
static int lay_for_splice(render_ctx *rc, cairo_surface_t *target, const render_bg *bg,
                          render_part *parts, int n_parts)
{
    if (!rc->spl && !(rc->spl = splice_encoder_new(rc->env->splices)))
        return 0;
    int w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
    splice_fmt f = {w, h, rc->spec->quality, rc->spec->subsamp444, 0};
    splice_bg sb = {.width = w, .height = h, .tag = bg->tag};
    if (bg->image) {
        cairo_surface_flush(bg->image);
        sb.data = cairo_image_surface_get_data(bg->image);
        sb.stride = cairo_image_surface_get_stride(bg->image);
    } else {
        sb.pixel = colour_pixel(bg->color);
    }
    err_t e = {0};
    splice_base *b = splice_base_get(rc->spl, &sb, &f, &e);
    if (!b)
        return 0;
    splice_bands_reset(rc->spl, &f);
    for (int i = 0; i < n_parts; i++) {
        /* Nothing is drawn outside a box (text.h), so its pixel rows are all it can touch. */
        const text_box *r = &parts[i].box;
        splice_touch(rc->spl, (int)floor(r->y * rc->scale), (int)ceil((r->y + r->h) * rc->scale));
    }
    const splice_band *bands;
    int n = splice_bands_get(rc->spl, &bands);
    if (n < 0) {
        splice_base_unref(b);
        return 0;
    }
    for (int i = 0; i < n_parts; i++)
        splice_band_describe(rc->spl, splice_band_at(rc->spl, part_row(rc, &parts[i])), parts[i].id,
                             parts[i].text, parts[i].len);
    splice_bands_lookup(rc->spl, b);
    for (int i = 0; i < n_parts; i++)
        parts[i].skip = splice_band_cached(rc->spl, splice_band_at(rc->spl, part_row(rc, &parts[i])));
    cairo_surface_flush(target);
    for (int i = 0; i < n; i++)
        if (!splice_band_cached(rc->spl, i))
            splice_lay_rows(&sb, cairo_image_surface_get_data(target), cairo_image_surface_get_stride(target),
                            &f, &bands[i], 1);
    cairo_surface_mark_dirty(target);
    rc->spl_base = b;
    rc->spl_fmt = f;
    rc->spl_painted = 0;
    return 1;
}

/* A drawn background's segments, drawn into the target first if the cache lacks them; the parts'
 * boxes touch segments (with segments of a whole MCU row, the boxes are widened to those rows for
 * the draw_fn). 0 when the job cannot be spliced. */
static int splice_painted(render_ctx *rc, cairo_t *cr, cairo_surface_t *target, const render_bg *bg,
                          render_part *parts, int n_parts)
{
    if (!rc->spl && !(rc->spl = splice_encoder_new(rc->env->splices)))
        return 0;
    int w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
    int m = splice_mcu_size(rc->spec->subsamp444);
    splice_fmt f = {w, h, rc->spec->quality, rc->spec->subsamp444, bg->seg_width / m};
    int refused;
    splice_base *b = splice_base_find(rc->spl, bg->tag, &f, &refused);
    if (refused)
        return 0;
    if (!b) {
        err_t e = {0};
        cairo_save(cr);
        int rv = bg->paint(bg->paint_arg, rc, cr, &e);
        cairo_restore(cr);
        if (rv < 0 || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            return 0;
        cairo_surface_flush(target);
        splice_bg sb = {.data = cairo_image_surface_get_data(target),
                        .stride = cairo_image_surface_get_stride(target), .width = w, .height = h,
                        .tag = bg->tag};
        if (!(b = splice_base_get(rc->spl, &sb, &f, &e)))
            return 0;
    }
    splice_bands_reset(rc->spl, &f);
    for (int i = 0; i < n_parts; i++) {
        const text_box *r = &parts[i].box;
        splice_touch_rect(rc->spl, (int)floor(r->x * rc->scale), (int)floor(r->y * rc->scale),
                          (int)ceil((r->x + r->w) * rc->scale), (int)ceil((r->y + r->h) * rc->scale));
    }
    const splice_band *bands;
    if (splice_bands_get(rc->spl, &bands) < 0) {
        splice_base_unref(b);
        return 0;
    }
    for (int i = 0; i < n_parts && splice_segs_per_row(&f) == 1; i++) {
        int k = splice_band_at(rc->spl, part_row(rc, &parts[i]));
        if (k < 0)
            continue; /* a box outside the image */
        int y0 = bands[k].r0 * m, y1 = bands[k].r1 * m < h ? bands[k].r1 * m : h;
        parts[i].box = (text_box){0, (double)y0 / rc->scale, (double)w / rc->scale, (double)(y1 - y0) / rc->scale};
    }
    rc->spl_base = b;
    rc->spl_fmt = f;
    rc->spl_painted = 1;
    return 1;
}

int render_spliced_meets(const render_ctx *rc, const text_box *box)
{
    if (!rc || !rc->spl_base || !rc->spl_painted)
        return 1;
    return splice_touched(rc->spl, (int)floor(box->x * rc->scale), (int)floor(box->y * rc->scale),
                          (int)ceil((box->x + box->w) * rc->scale), (int)ceil((box->y + box->h) * rc->scale));
}

int render_layer(render_ctx *rc, cairo_t *cr, unsigned long long tag, draw_fn paint, void *arg, err_t *err)
{
    int kept = rc && rc->spl_base && rc->spl_painted && tag;
    cairo_surface_t *target = cairo_get_target(cr);
    int w = kept ? cairo_image_surface_get_width(target) : 0, h = kept ? cairo_image_surface_get_height(target) : 0;
    splice_layer *l = kept ? splice_layer_find(rc->spl, tag, w, h) : NULL;
    if (l) {
        cairo_surface_flush(target);
        int rv = splice_layer_lay(l, rc->spl, cairo_image_surface_get_data(target), cairo_image_surface_get_stride(target));
        cairo_surface_mark_dirty(target);
        splice_base_unref(l);
        if (rv == 0)
            return 0;
    }
    cairo_save(cr);
    int rv = paint(arg, rc, cr, err);
    cairo_restore(cr);
    if (rv < 0 || !kept)
        return rv;
    cairo_surface_flush(target);
    splice_base_unref(splice_layer_keep(rc->spl, tag, cairo_image_surface_get_data(target),
                                        cairo_image_surface_get_stride(target), w, h));
    return 0;
}

int render_background_under(render_ctx *rc, cairo_t *cr, const render_bg *bg, render_part *parts,
                            int n_parts)
{
    cairo_surface_t *target = cairo_get_target(cr);
    for (int i = 0; i < n_parts; i++)
        parts[i].skip = 0;
    if (bg->paint)
        return rc && rc->spec && rc->spec->format == IMG_JPEG && bg->tag && !rc->spl_base &&
               target == rc->surf && splice_painted(rc, cr, target, bg, parts, n_parts);
    if (rc->spec && rc->spec->format == IMG_JPEG && bg->tag && !rc->spl_base && target == rc->surf &&
        (!bg->image || same_layout(target, bg->image)) && lay_for_splice(rc, target, bg, parts, n_parts))
        return 1;
    if (bg->image)
        return reuse_background(rc, cr, bg->image, bg->tag, n_parts ? &parts[0].box : NULL, n_parts,
                                sizeof *parts);
    cairo_save(cr);
    cairo_set_source_rgb(cr, bg->color.r, bg->color.g, bg->color.b);
    cairo_paint(cr);
    cairo_restore(cr);
    return 0;
}

const char *img_format_mime(img_format f)
{
    return f == IMG_JPEG ? "image/jpeg" : f == IMG_PNG ? "image/png" : "application/pdf";
}

const char *img_format_ext(img_format f)
{
    return f == IMG_JPEG ? "jpg" : f == IMG_PNG ? "png" : "pdf";
}

int img_format_from_ext(const char *ext)
{
    if (strcmp(ext, "jpg") == 0 || strcmp(ext, "jpeg") == 0)
        return IMG_JPEG;
    if (strcmp(ext, "png") == 0)
        return IMG_PNG;
    if (strcmp(ext, "pdf") == 0)
        return IMG_PDF;
    return -1;
}
