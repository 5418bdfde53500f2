/* render.h — what a renderer sees: per-thread render state and the image job contract.
 *
 * Every image route describes its output with an image_spec and supplies a draw_fn. A worker
 * thread creates the target (a pooled image surface, or a cairo PDF stream for .pdf), applies
 * cairo_scale(spec.scale), calls draw with the cairo_t in layout units (width x height), then
 * encodes into a pooled output buffer. draw_fn runs on a worker: it must not touch the
 * request, libevent, or anything not owned by its argument or the render_ctx. */
#ifndef CARTOUCHE_RENDER_H
#define CARTOUCHE_RENDER_H

#include <cairo.h>
#include <stddef.h>

#include "core/budget.h"
#include "core/splice.h"
#include "text/text.h"
#include "util/err.h"

typedef enum { IMG_JPEG, IMG_PNG, IMG_PDF } img_format;

typedef struct {
    int width, height; /* layout size in user units, before scale */
    int scale;         /* 1 or 2: pixels per unit */
    img_format format;
    int quality;       /* JPEG 1..100 */
    int subsamp444;    /* JPEG 4:4:4 instead of 4:2:0 */
} image_spec;

/* Per-thread render state, created once per worker and never shared. */
typedef struct render_ctx render_ctx;

text_fonts *render_ctx_fonts(render_ctx *rc);
/* Decoded images (e.g. a product's background tiles) this worker keeps between jobs, by key:
 * a new reference to the one kept under key, or NULL; and keeping one (a reference is taken, if
 * the memory budget has room; the least recently used go past 6 MB, any unused for 5 s at the
 * next look-up, all of them under memory pressure, render_ctx_release). Per worker: no locks,
 * no state shared between threads. */
cairo_surface_t *render_ctx_kept(render_ctx *rc, const void *key, size_t len);
void render_ctx_keep(render_ctx *rc, const void *key, size_t len, cairo_surface_t *s);
size_t render_ctx_kept_bytes(const render_ctx *rc);
/* The same for any object of `bytes` freed by drop (which also tells kinds apart under one key):
 * render_ctx_kept_obj's answer stays valid until the next keep on rc; render_ctx_keep_obj takes
 * obj (0), or leaves it with the caller when there is no room (-1). */
void *render_ctx_kept_obj(render_ctx *rc, const void *key, size_t len, void (*drop)(void *obj));
int render_ctx_keep_obj(render_ctx *rc, const void *key, size_t len, void *obj, size_t bytes,
                        void (*drop)(void *obj));
void render_ctx_drop_kept(render_ctx *rc);
int render_ctx_scale(render_ctx *rc); /* 1 or 2: the job's pixels per unit (pick a 2x background) */

typedef int (*draw_fn)(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);

/* Paint a pre-decoded background surface at (0,0) filling the layout, as fast as possible
 * (straight copy when formats and sizes match). bg may be NULL; rc NULL outside a job. */
void render_paint_background(render_ctx *rc, cairo_t *cr, cairo_surface_t *bg);

/* Give the worker's cached render surface back to the memory budget (it is kept between jobs
 * only to save a reallocation); the next job makes a new one. */
void render_ctx_release(render_ctx *rc);

/* Bytes the budget must hold at once to render spec (surface and its encoded copy); a request
 * needing more than the whole budget can never be served and is refused up front. */
size_t render_bytes_needed(const image_spec *spec);

/* The background a job draws over: an image of the job's pixel size, or a solid colour, or one
 * drawn on demand. tag identifies those pixels (e.g. a template version mixed with the scale;
 * 0 = unknown).
 *
 * A drawn background (paint set; image and color unused) is one too large to keep as pixels (a
 * refcard's empty card: 8 MB at 1x, 33 MB at 2x): paint(paint_arg, rc, cr, err) draws it whole,
 * every pixel, in layout units, and is called (into the job's own surface) only when its restart
 * segments are not cached. Such a background is never laid by render_background_under; see there. */
typedef struct {
    cairo_surface_t *image; /* RGB24 at width*scale x height*scale, or NULL for color */
    text_rgba color;        /* opaque; alpha is ignored */
    unsigned long long tag;
    draw_fn paint;          /* or NULL */
    void *paint_arg;
    int seg_width;          /* a drawn background's restart segments, pixels wide (a multiple of
                               16 dividing the width); 0: one MCU row */
} render_bg;

/* A part a draw_fn draws over the background: its box (layout units; it draws nothing outside),
 * and what it draws — id and text must decide every pixel of it, given the background's tag (e.g.
 * a slot's index and text) — or text NULL when that cannot be said. skip is set by
 * render_background_under: 1 when the part need not be drawn (its rows are already encoded). */
typedef struct {
    text_box box;
    int id;
    const char *text;
    size_t len;
    int skip;
} render_part;

/* Lay the background under a draw_fn that changes pixels only inside its parts' boxes — the
 * draw_fn promises that by calling this instead of painting the background itself, and then
 * draws the parts not marked skip. A JPEG job then lays the background only in the MCU rows the
 * boxes touch and is encoded by splicing those rows between the background's cached restart
 * segments (splice.h): the same file as a full encode with one restart interval per MCU row; rows
 * whose parts were drawn alike before come encoded from the band cache and are skipped. Other
 * jobs get the whole background, or only the boxes restored (grown by a margin) when the worker's
 * surface still holds this background from the previous job. Returns 1 when the background was
 * laid only in part (spliced or restored), 0 when painted whole.
 *
 * A drawn background (bg->paint) is not laid at all. When the job is spliced, 1 is returned and
 * the draw_fn must draw every pixel of the touched restart segments as the whole image has them
 * (e.g. draw everything that meets them, unclipped: render_spliced_meets tells which); the other
 * segments come from the background's. With segments of a whole MCU row (seg_width 0), each
 * part's box is also widened to the whole MCU rows it touches (full width, whole pixels).
 * Otherwise nothing is drawn and 0 is returned: the draw_fn draws the whole image itself. */
int render_background_under(render_ctx *rc, cairo_t *cr, const render_bg *bg, render_part *parts,
                            int n_parts);

/* The background of a JPEG job is a stored JPEG of its pixel size (a baked map tile): when that
 * file is in cell form (splice.h), the cells the boxes touch (layout units: the draw_fn changes
 * no pixel outside them) are decoded into the target, and after the draw only those cells are
 * encoded and written between the stored bytes — the other pixels of the target are left as
 * they were. Returns 1 then (jpeg, malloc'd, is taken and freed after the encode), 0 when the job
 * is not a JPEG job or the file not in cell form (jpeg stays the caller's, who lays the
 * background itself), -1 when the stored cells cannot be decoded (err set; jpeg stays the
 * caller's). */
int render_stored_under(render_ctx *rc, cairo_t *cr, unsigned char *jpeg, size_t len,
                        const text_box *boxes, int n_boxes, err_t *err);

/* In a job spliced over a drawn background: whether box (layout units) meets a touched segment,
 * i.e. whether what is drawn there is seen; 1 in any other job. */
int render_spliced_meets(const render_ctx *rc, const text_box *box);

/* Draw the first layer of an image, every pixel (e.g. a refcard's device art): paint(arg, rc, cr,
 * err). In a job spliced over a drawn background, the layer's pixels are kept as runs under tag
 * (in the splice store, charged to the memory budget, evicted with the backgrounds' segments)
 * and later jobs copy them into their touched segments instead of painting (the same pixels:
 * paint must depend on nothing but tag). rc may be NULL; tag 0 always paints. */
int render_layer(render_ctx *rc, cairo_t *cr, unsigned long long tag, draw_fn paint, void *arg, err_t *err);

/* Of the last job, if it was spliced: its restart segments (MCU rows, or narrower) and how many
 * were encoded (not the cached background's nor the band cache's), or over a stored file its
 * cells and how many were encoded; 0 and 0 when it was encoded whole. For benches and tests. */
void render_ctx_spliced(const render_ctx *rc, int *rows, int *encoded);

/* MIME type and file extension of a format. */
const char *img_format_mime(img_format f);
const char *img_format_ext(img_format f);
/* "jpg" / "png" / "pdf" → format; -1 if unknown. */
int img_format_from_ext(const char *ext);

/* ---- The worker side: pool.c (thread start/stop), imagejob.c and the benches. ---- */

/* What every worker's render state is made from; outlives the workers. */
typedef struct {
    const char *fonts_manifest;
    budget *budget;         /* surfaces and encoded outputs are charged here */
    splice_store *splices;  /* the backgrounds' restart segments and the band cache, shared */
} render_env;

render_ctx *render_ctx_new(int id, const render_env *env, err_t *err);
void render_ctx_free(render_ctx *rc);

/* Create the target, draw, encode; on success *out is a blob (refs = 1) of the bytes.
 * The job's deadline bounds waits for pooled memory (ERR_BUSY when it passes). */
int render_image(render_ctx *rc, const image_spec *spec, draw_fn draw, void *arg, double deadline,
                 blob **out, err_t *err);

#endif
