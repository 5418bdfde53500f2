/* impl.h — what the text engine's files share: per-thread fonts (font.c), the shaped
 * form of one label (shape.c), UTF-8 decoding (utf8.c). Only the files of src/text/ include it;
 * everyone else uses text.h.
 *
 * Units: everything shaped is kept in em (font units / units-per-em) at a reference scale, so
 * fitting tries sizes by multiplying, never by shaping again. */
#ifndef CARTOUCHE_TEXT_IMPL_H
#define CARTOUCHE_TEXT_IMPL_H

#include <ft2build.h>
#include FT_FREETYPE_H
#include <cairo-ft.h>
#include <hb.h>
#include <stdint.h>

#include "text/text.h"
#include "util/hash.h"

#define TEXT_MAX_FACES 24
#define TEXT_MAX_FAMILIES 16
#define TEXT_MAX_CHARS 4096 /* code points shaped per label; the rest is cut (with an ellipsis) */
#define TEXT_SF_CACHE 192   /* scaled fonts kept per thread (face × size × device scale) */
#define TEXT_MAX_VARIANTS 4 /* font options of the kinds of surface drawn on (image, PDF) */
#define TEXT_ELLIPSIS 0x2026

typedef struct text_ftlib text_ftlib; /* FT_Library, refcounted by the cairo faces using it */

typedef struct {
    char name[64];
    char path[512];
    FT_Face ft;
    hb_font_t *hb; /* scale = units per em: positions come out in font units */
    cairo_font_face_t *cairo;
    double upem_inv;
    float asc, desc, gap; /* em; desc is positive below the baseline */
} text_face;

typedef struct { /* one glyph as shaped, in em at the reference scale, y up */
    uint32_t gid;
    int32_t cluster; /* index of the first code point of its cluster */
    uint8_t face;
    float adv, xoff, yoff;
    float ix0, ix1, iy0, iy1; /* ink box relative to the pen (offsets included); empty: ix0 > ix1 */
} text_glyph;

typedef struct {
    char name[32];
    int face;
    text_glyph ell; /* "…" shaped with this family (or the first fallback that has it) */
    int ell_ready;  /* ell is shaped (shape.c does it before the family's first label) */
} text_family;

typedef struct {
    struct {
        int face, variant;
        double size, xx, yx, xy, yy;
    } key; /* zero-filled before use: the table hashes and compares its bytes */
    cairo_scaled_font_t *sf;
    UT_hash_handle hh;
} text_sf_entry;

typedef struct { /* how cairo will draw on one context (text_font_target) */
    cairo_matrix_t ctm; /* user space to device, translation ignored */
    int variant;        /* index into text_fonts.variants */
    int vector;         /* the target is not an image (PDF): cairo subsets the fonts */
} text_target;

/* Flags of one code point. */
enum {
    TC_CLUSTER = 1,   /* starts a cluster: a line may start or be cut here */
    TC_BREAK = 2,     /* a line may break after this code point */
    TC_SPACE = 4,     /* white space: hangs at the end of a line, not measured */
};

typedef struct {
    uint32_t cp;
    float adv; /* em: advances of the glyphs of the cluster starting here (0 inside a cluster) */
    uint8_t level;
    uint8_t flags;
    uint8_t face;
    hb_script_t script;
} text_char;

typedef struct {
    int start, end; /* code points [start, end) */
    int g0, g1;     /* glyphs [g0, g1), visual order within the run */
    uint8_t level;
    uint8_t face;
    hb_script_t script;
} text_run;

typedef struct {
    int start, end; /* code points, without the separator */
    uint8_t base_level;
} text_para;

/* A label after itemisation and shaping; arrays are reused between labels of one thread. */
typedef struct {
    text_char *c;
    int nc, cap_c;
    text_glyph *g;
    int ng, cap_g;
    text_run *r;
    int nr, cap_r;
    text_para *p;
    int np, cap_p;
    uint32_t *cps; /* code points again, contiguous, for HarfBuzz context */
    int cap_cps;
    void *bidi; /* FriBidi scratch */
    int cap_bidi;
    int cut;    /* the input had more than TEXT_MAX_CHARS code points */
    int family; /* index into text_fonts.families */
    int missing; /* glyphs no font of the chain covers */
} text_shaped;

/* A shaped label kept between text_memo_begin and text_memo_end (shape.c). */
typedef struct text_memo_entry text_memo_entry;
#define TEXT_MEMO_MAX_BYTES ((size_t)2 << 20) /* past this, labels are shaped as if not kept */

typedef struct { /* glyphs stroked for halos: a cairo user font over a face, per width */
    int face;
    double width; /* user-space units */
    cairo_font_face_t *cairo;
} text_halo_face;

#define TEXT_MAX_HALOS 16

struct text_fonts {
    text_ftlib *lib;
    text_face faces[TEXT_MAX_FACES];
    int nfaces;
    text_family families[TEXT_MAX_FAMILIES];
    int nfamilies;
    int chain[TEXT_MAX_FACES]; /* fallback faces, in order */
    int nchain;
    struct {
        hb_script_t script;
        int face;
    } pref[64]; /* fallbacks tried before the family for a script (manifest "scripts") */
    int npref;
    cairo_font_options_t *opts;
    cairo_font_options_t *variants[TEXT_MAX_VARIANTS]; /* opts merged over a target's own */
    int nvariants;
    cairo_scaled_font_t *parked; /* held for the thread's life; see sf_park in font.c */
    cairo_scaled_font_t *subset[TEXT_MAX_FACES]; /* held: the 1-em fonts cairo's PDF subsetting
                                                  * looks up (made on the first vector target) */
    hb_buffer_t *buf;
    text_halo_face halos[TEXT_MAX_HALOS];
    int nhalos;
    text_sf_entry *sf; /* scaled fonts by face, size and device matrix (util/hash.h) */
    text_shaped sh; /* scratch for the label being laid out */
    text_memo_entry *memo; /* labels shaped since text_memo_begin, by family, newlines and bytes */
    int memo_depth;        /* text_memo_begin calls not yet ended */
    size_t memo_bytes;
    void *scratch;  /* layout.c's line scratch */
    size_t scratch_cap;
};

/* font.c */
int text_font_family_index(const text_fonts *tf, const char *family);
int text_font_covers(const text_fonts *tf, int face, uint32_t cp);
/* What text_font_scaled needs to give the very scaled font cairo draws with on cr: its matrix
 * and its target's font options (cairo merges ours over the surface's). -1 if cairo failed. */
int text_font_target(text_fonts *tf, cairo_t *cr, text_target *t);
/* Room in tf's scaled-font cache for one more layout: may let fonts go, so call it before
 * text_cairo_enter, never inside. */
void text_font_reserve(text_fonts *tf);
/* Scaled font for face at size on target t; borrowed, held by tf until it is freed or its
 * cache starts over. Set on cr with cairo_set_scaled_font, cairo draws with this one. NULL if
 * cairo failed or text_font_reserve was not called first. */
cairo_scaled_font_t *text_font_scaled(text_fonts *tf, const text_target *t, int face, double size);
/* Scaled font whose glyphs are face's glyphs stroked with a round pen of width (user units)
 * and filled: drawing a halo costs one cached show_glyphs. NULL when there are too many widths. */
cairo_scaled_font_t *text_font_halo_scaled(text_fonts *tf, const text_target *t, int face,
                                           double width, double size);
/* Ink box of glyph gid of face, in em, y up; 0 if the glyph has no ink. */
int text_font_glyph_ink(const text_fonts *tf, int face, uint32_t gid, float *x0, float *x1,
                        float *y0, float *y1);

/* shape.c: itemise (paragraphs, bidi, script, font) and shape utf8 into tf->sh.
 * Newlines end paragraphs when keep_newlines, else they count as spaces. */
int text_shape_label(text_fonts *tf, int family, const char *utf8, size_t len, int keep_newlines,
                     err_t *err);
void text_shaped_free(text_shaped *sh);
void text_memo_clear(text_fonts *tf);

/* utf8.c: decode valid UTF-8 (checked before) into at most max code points;
 * returns the count, *cut = 1 if there was more. */
int text_utf8_decode(const char *s, size_t len, uint32_t *out, int max, int *cut);

#endif
