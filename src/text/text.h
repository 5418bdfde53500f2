/* text.h — shaping, font fallback, bidi and fitting of labels into boxes.
 *
 * A text_fonts is per-thread render state: it owns an FT_Library, one FT_Face + hb_font_t +
 * cairo_font_face_t per font file of the manifest (fonts/fonts.json), and the cairo scaled fonts
 * it draws with; it is never shared between threads. The one lock on the render path is a
 * shared read lock around cairo's glyph work (text_cairo_enter), which only a thread letting its
 * fonts go waits on: cairo 1.16's global font map needs it (text/font.c says why).
 *
 * A label is laid out with text_layout_fit() (shrink from max_size to min_size, then wrap at
 * break opportunities, then truncate with an ellipsis) and painted with text_layout_draw().
 * text_draw() does both. Coordinates are cairo user-space units (the caller may have applied
 * cairo_scale for scale=2; fitting happens in user units). */
#ifndef CARTOUCHE_TEXT_H
#define CARTOUCHE_TEXT_H

#include <cairo.h>
#include <stddef.h>

#include "util/err.h"

typedef struct text_fonts text_fonts;

typedef enum { TEXT_ALIGN_LEFT, TEXT_ALIGN_CENTER, TEXT_ALIGN_RIGHT } text_align;
typedef enum { TEXT_VALIGN_CENTER, TEXT_VALIGN_TOP, TEXT_VALIGN_BOTTOM } text_valign;

typedef struct {
    double r, g, b, a;
} text_rgba;

typedef struct {
    double x, y, w, h;
} text_box;

typedef struct {
    const char *font;   /* family name of the manifest: "sans", "sans-bold", "sans-condensed",
                           "sans-condensed-bold", "mono"; NULL = "sans" */
    double max_size;    /* px; start here */
    double min_size;    /* px; shrink no further, then wrap, then ellipsis */
    double padding;     /* px inside the box on every side */
    double line_spacing; /* multiple of the font's line height; 0 = 1.0 */
    int wrap;           /* 0: single line (shrink, then ellipsis); 1: may wrap */
    int max_lines;      /* 0 = as many as fit */
    text_align align;   /* LEFT = start, RIGHT = end: an RTL paragraph's "left" is its right edge */
    text_valign valign;
    text_rgba color;    /* text colour */
    text_rgba fill;     /* box fill; a == 0 means none */
    double radius;      /* rounded corners of the fill, px */
    text_rgba halo;     /* outline colour; a == 0 means none */
    double halo_width;  /* px */
} text_style;

/* Result of fitting, for callers and tests. */
typedef struct {
    double size;          /* font size chosen, px */
    int lines;            /* number of lines drawn */
    int wrapped;          /* 1 if wrapping was needed */
    int truncated;        /* 1 if an ellipsis was added (or text dropped) */
    int missing_glyphs;   /* glyphs that no font of the fallback chain covers (drawn as .notdef) */
    text_box ink;         /* ink extents of the drawn text, user space */
} text_metrics;

typedef struct text_layout text_layout; /* opaque; owns its glyph arrays */

/* Per-thread fonts from a manifest file (fonts/fonts.json); NULL + err on failure. */
text_fonts *text_fonts_new(const char *manifest_path, err_t *err);
void text_fonts_free(text_fonts *tf);
/* Around cairo work outside text_draw that may look up glyphs of a text_fonts' fonts: finishing
 * a PDF surface. Many threads may be inside at once; a thread letting fonts go waits until none
 * is (cairo 1.16 deadlocks otherwise: see text/font.c). Not nested, not around text_draw. */
void text_cairo_enter(void);
void text_cairo_leave(void);
/* From text_memo_begin to the matching text_memo_end (pairs may nest; the outermost counts),
 * every label shaped is kept, and laying it out again (another size, box or style of the same
 * family) does not shape it again: for a caller that measures its labels many times before it
 * draws them (a refcard). Shaping depends on nothing else, so the layouts are the same. The kept
 * labels (at most TEXT_MEMO_MAX_BYTES, text/impl.h) are freed by the outermost text_memo_end, so
 * nothing is kept from one image to the next. */
void text_memo_begin(text_fonts *tf);
void text_memo_end(text_fonts *tf);
/* 1 if the manifest knows this family name (for template validation). */
int text_fonts_has_family(const text_fonts *tf, const char *family);

/* Lay out utf8 (len bytes, must be valid UTF-8) in box with style. NULL + err on failure
 * (e.g. invalid UTF-8). The layout is freed with text_layout_free. */
text_layout *text_layout_fit(text_fonts *tf, const char *utf8, size_t len, const text_style *st,
                             text_box box, err_t *err);
void text_layout_metrics(const text_layout *lo, text_metrics *out);
void text_layout_draw(const text_layout *lo, cairo_t *cr);
void text_layout_free(text_layout *lo);

/* Fit and draw in one go (fill, halo and text). Returns 0, or -1 with err. metrics may be NULL. */
int text_draw(text_fonts *tf, cairo_t *cr, const char *utf8, size_t len, const text_style *st,
              text_box box, text_metrics *metrics, err_t *err);
/* Fit without drawing: the metrics text_draw would report (chosen size, lines, ink box).
 * Returns 0, or -1 with err (err may be NULL). */
int text_measure(text_fonts *tf, const char *utf8, size_t len, const text_style *st, text_box box,
                 text_metrics *out, err_t *err);

/* The glyphs a layout draws, for tests and debugging: glyph id, origin in user space, and the
 * index of the first code point of its cluster in the label (counted after decoding, with
 * newlines and control characters removed). */
typedef struct {
    unsigned long index;
    double x, y;
    int cluster;
} text_glyph_pos;
int text_layout_glyph_count(const text_layout *lo);
void text_layout_glyph_at(const text_layout *lo, int i, text_glyph_pos *out);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates, no NUL). */
int text_utf8_valid(const char *s, size_t len);

#endif
