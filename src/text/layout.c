/* layout.c — fits a shaped label into its box and draws it.
 *
 * Order of resort (text.h): the largest size in [min_size, max_size] at which the text fits on
 * its own lines; else, if wrapping is allowed, the largest size at which it fits wrapped at break
 * opportunities; else min_size with as many lines as fit and the last one cut at a break (or
 * between clusters) with "…". Every size is tried by multiplying em measurements taken once
 * when shaping; a single-line size is computed directly, wrapped sizes by bisection over sizes
 * quantised to SIZE_STEP (which also keeps cairo's glyph caches warm: a handful of sizes instead
 * of one per label).
 *
 * "Fits" is measured on ink (glyph outline boxes, plus the halo), not only on advances, inside the
 * box minus padding minus PIXEL_MARGIN, because cairo 1.16 rounds each glyph origin to a whole
 * pixel when it draws to an image. Nothing is drawn outside the box and no glyph is cut.
 *
 * Drawing: optional rounded box fill, then the halo (the same glyphs from a cairo user font that
 * strokes each outline once per size, so cairo caches the stroked glyph like any other), then
 * the text. A layout draws with the scaled fonts of the text_fonts it was made with: draw it on
 * the same thread, before that text_fonts is freed.
 *
 * Bidi: lines are broken in logical order and each line's runs are reordered visually (UAX #9
 * rule L2). Alignment follows the paragraph: TEXT_ALIGN_LEFT means "start", so an RTL paragraph
 * aligned "left" sits at the right edge, and TEXT_ALIGN_RIGHT means "end". */
#include "text/impl.h"
#include "text/draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIZE_STEP 0.25
#define PIXEL_MARGIN 0.5
#define EPS 1e-6

typedef struct {
    int a, b;  /* code points [a, b) of the line, trailing spaces included */
    int para;
    int ell;   /* "…" follows */
    int soft;  /* ended by wrapping, not by a paragraph end */
} line_t;

typedef struct {
    int run; /* -1: the ellipsis */
    int a, b;
    int level;
} seg_t;

typedef struct {
    float adv;
    float x0, x1; /* ink, em from the pen start; x0 > x1 when there is none */
    float top, bot; /* ink, em above the baseline (y up) */
} line_ext;

typedef struct {
    text_fonts *tf;
    text_shaped *sh;
    const text_family *fam;
    float *P;   /* P[i] = sum of advances of code points < i */
    int *bp;    /* positions a line may end at (after a break opportunity), ascending */
    int nbp;
    line_t *lines;
    int nlines;
    seg_t *segs;
    line_ext *ext;
    double cw, ch, aw, ah; /* content box; room for ink */
    double asc, desc, L;   /* em; L = baseline to baseline */
    int max_lines;
} fit_ctx;

typedef struct {
    int face, start, count; /* consecutive glyphs drawn with one font */
} glyph_group;

struct text_layout {
    text_fonts *tf;
    text_metrics m;
    text_box box;
    text_rgba color, fill, halo;
    double radius, halo_width;
    int nglyphs, ngroups;
    cairo_glyph_t *glyphs;
    int *clusters;
    glyph_group *groups;
};

/* ---- measuring ---- */

static int trim(const fit_ctx *x, int a, int b)
{
    while (b > a && (x->sh->c[b - 1].flags & TC_SPACE))
        b--;
    return b;
}

static double width(const fit_ctx *x, int a, int b)
{
    return x->P[trim(x, a, b)] - x->P[a];
}

/* The line's pieces in visual order. */
static int line_visual(const fit_ctx *x, const line_t *ln)
{
    const text_shaped *sh = x->sh;
    int a = ln->a, b = trim(x, ln->a, ln->b), n = 0;
    int lo = 0, hi = sh->nr; /* first run ending after a */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (sh->r[mid].end <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    int maxl = 0, minodd = 255;
    for (int r = lo; r < sh->nr && sh->r[r].start < b; r++) {
        const text_run *run = &sh->r[r];
        x->segs[n++] = (seg_t){r, run->start > a ? run->start : a, run->end < b ? run->end : b,
                               run->level};
    }
    if (ln->ell)
        x->segs[n++] = (seg_t){-1, 0, 0, sh->p[ln->para].base_level};
    for (int i = 0; i < n; i++) {
        int l = x->segs[i].level;
        if (l > maxl)
            maxl = l;
        if ((l & 1) && l < minodd)
            minodd = l;
    }
    for (int lev = maxl; lev >= minodd && lev > 0; lev--) {
        for (int i = 0; i < n;) {
            if (x->segs[i].level < lev) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && x->segs[j].level >= lev)
                j++;
            for (int p = i, q = j - 1; p < q; p++, q--) {
                seg_t t = x->segs[p];
                x->segs[p] = x->segs[q];
                x->segs[q] = t;
            }
            i = j;
        }
    }
    return n;
}

typedef void (*glyph_fn)(void *arg, const text_glyph *g, float pen);

/* Walk the line's glyphs in visual order; returns its advance and ink in em. */
static void line_walk(const fit_ctx *x, const line_t *ln, line_ext *e, glyph_fn fn, void *arg)
{
    int n = line_visual(x, ln);
    float pen = 0;
    e->x0 = 1;
    e->x1 = 0;
    e->top = -1e9f;
    e->bot = 1e9f;
    for (int s = 0; s < n; s++) {
        const seg_t *sg = &x->segs[s];
        const text_glyph *g0, *g1;
        if (sg->run < 0) {
            g0 = &x->fam->ell;
            g1 = g0 + 1;
        } else {
            g0 = x->sh->g + x->sh->r[sg->run].g0;
            g1 = x->sh->g + x->sh->r[sg->run].g1;
        }
        for (const text_glyph *g = g0; g < g1; g++) {
            if (sg->run >= 0 && (g->cluster < sg->a || g->cluster >= sg->b))
                continue;
            if (g->ix0 <= g->ix1) {
                float gx0 = pen + g->ix0, gx1 = pen + g->ix1;
                if (e->x0 > e->x1) {
                    e->x0 = gx0;
                    e->x1 = gx1;
                } else {
                    if (gx0 < e->x0)
                        e->x0 = gx0;
                    if (gx1 > e->x1)
                        e->x1 = gx1;
                }
                if (g->iy1 > e->top)
                    e->top = g->iy1;
                if (g->iy0 < e->bot)
                    e->bot = g->iy0;
            }
            if (fn)
                fn(arg, g, pen);
            pen += g->adv;
        }
    }
    e->adv = pen;
}

static double block_height_em(const fit_ctx *x, int n)
{
    return n > 0 ? x->asc + x->desc + (n - 1) * x->L : 0;
}

/* Ink of the lines at size s: 0 fits, 1 line *bad too wide, 2 too tall, 3 too many lines. */
static int lines_check(fit_ctx *x, double s, int *bad)
{
    if (x->max_lines > 0 && x->nlines > x->max_lines)
        return 3;
    if (s * block_height_em(x, x->nlines) > x->ch + EPS)
        return 2;
    double top = -1e9, bot = 1e9;
    for (int i = 0; i < x->nlines; i++) {
        line_ext *e = &x->ext[i];
        line_walk(x, &x->lines[i], e, NULL, NULL);
        if (e->x0 > e->x1)
            continue;
        if ((e->x1 - e->x0) * s > x->aw + EPS) {
            *bad = i;
            return 1;
        }
        if (e->top - i * x->L > top)
            top = e->top - i * x->L;
        if (e->bot - i * x->L < bot)
            bot = e->bot - i * x->L;
    }
    if (top > bot && (top - bot) * s > x->ah + EPS)
        return 2;
    return 0;
}

static void add_line(fit_ctx *x, int a, int b, int para, int soft)
{
    x->lines[x->nlines++] = (line_t){a, b, para, 0, soft};
}

/* Lines of the paragraphs as they are (no wrapping). */
static void lines_paragraphs(fit_ctx *x)
{
    x->nlines = 0;
    for (int p = 0; p < x->sh->np; p++)
        add_line(x, x->sh->p[p].start, x->sh->p[p].end, p, 0);
}

/* Greedy wrapping at advance width W (em), at most max lines. Returns 0 if every line fits,
 * -1 if the last line made holds a word wider than W or text is left over. */
static int lines_wrap(fit_ctx *x, double W, int max)
{
    const text_shaped *sh = x->sh;
    int k = 0; /* index into bp */
    x->nlines = 0;
    for (int p = 0; p < sh->np; p++) {
        int a = sh->p[p].start, end = sh->p[p].end;
        if (a == end) {
            if (x->nlines == max)
                return -1;
            add_line(x, a, a, p, 0);
            continue;
        }
        while (k < x->nbp && x->bp[k] <= a)
            k++;
        while (a < end) {
            if (x->nlines == max)
                return -1;
            int best = -1, bestk = k;
            for (int j = k;; j++) {
                int pos = j < x->nbp && x->bp[j] < end ? x->bp[j] : end;
                if (width(x, a, pos) > W + EPS)
                    break;
                best = pos;
                bestk = j;
                if (pos == end)
                    break;
            }
            if (best < 0) { /* first word too wide: keep it, the caller cuts it */
                int pos = k < x->nbp && x->bp[k] < end ? x->bp[k] : end;
                add_line(x, a, pos, p, pos < end);
                return -1;
            }
            add_line(x, a, best, p, best < end);
            a = best;
            k = bestk + 1;
        }
    }
    return 0;
}

static double quantise(double s, double min, double max)
{
    if (s >= max)
        return max;
    double q = floor(s / SIZE_STEP + 1e-9) * SIZE_STEP;
    return q < min ? min : q;
}

/* Cut line li to end with "…" within W (em): the last break opportunity if that keeps at least
 * half the line, else the last cluster that fits. keep_max: the cut may not go beyond this. */
static void cut_line(fit_ctx *x, int li, double W, int keep_max)
{
    const text_shaped *sh = x->sh;
    line_t *ln = &x->lines[li];
    int a = ln->a, end = sh->p[ln->para].end;
    if (keep_max >= 0 && keep_max < end)
        end = keep_max;
    double ell = x->fam->ell.adv;
    int c = a, brk = -1;
    for (int j = a + 1; j <= end; j++) {
        if (j < sh->nc && j < end && !(sh->c[j].flags & TC_CLUSTER))
            continue;
        if (width(x, a, j) + ell > W + EPS)
            break;
        c = j;
        if (sh->c[j - 1].flags & TC_BREAK)
            brk = j;
    }
    if (brk > a && c < end && width(x, a, brk) >= 0.5 * W)
        c = brk;
    /* "Toggle /…" reads worse than "Toggle…": drop separators left dangling before the cut */
    while (c > a && c < sh->p[ln->para].end) {
        uint32_t cp = sh->c[c - 1].cp;
        if (!(sh->c[c - 1].flags & TC_SPACE) && !strchr("/-,;:|([", cp < 128 ? (int)cp : 1) &&
            cp != 0x2013 && cp != 0x2014)
            break;
        if (!(sh->c[c - 1].flags & TC_CLUSTER))
            break;
        c--;
    }
    ln->b = c;
    ln->ell = 1;
    ln->soft = 0;
    x->nlines = li + 1;
}

static int prev_cluster(const fit_ctx *x, int a, int c)
{
    while (c > a) {
        c--;
        if (x->sh->c[c].flags & TC_CLUSTER)
            break;
    }
    return c;
}

/* Phase 3: min size, as many lines as fit, the last one cut with "…". 0, or -1: nothing fits. */
static int fit_truncated(fit_ctx *x, const text_style *st, double s, int wrap)
{
    double W = x->aw / s, wrapW = W;
    int nfit = 0;
    while (s * block_height_em(x, nfit + 1) <= x->ch + EPS && nfit < x->sh->nc + x->sh->np)
        nfit++;
    if (x->max_lines > 0 && nfit > x->max_lines)
        nfit = x->max_lines;
    if (!wrap && nfit > 1)
        nfit = 1;
    for (int guard = 0; nfit >= 1 && guard < 64; guard++) {
        int over;
        if (wrap) {
            over = lines_wrap(x, wrapW, nfit) != 0;
        } else {
            lines_paragraphs(x);
            over = x->nlines > 1;
            x->nlines = 1;
        }
        int last = x->nlines - 1, rewrap = 0;
        if (over || x->sh->cut || width(x, x->lines[last].a, x->lines[last].b) > W + EPS)
            cut_line(x, last, W, -1);
        for (int tries = 0; tries < 4 * TEXT_MAX_CHARS; tries++) {
            int bad = -1, r = lines_check(x, s, &bad);
            if (r == 0)
                return 0;
            if (r == 2 && x->nlines == 1)
                bad = 0; /* one line whose ink is too tall (stacked marks): cut it */
            else if (r != 1)
                break;   /* too tall: one line fewer */
            line_t *ln = &x->lines[bad];
            if (r == 1 && wrap && bad < x->nlines - 1 && !ln->ell) {
                /* ink overhangs the advances: wrap a little narrower, keep all lines */
                double excess = (x->ext[bad].x1 - x->ext[bad].x0) - W;
                double w = width(x, ln->a, ln->b) - (excess > 0 ? excess : 0) - 1e-4;
                wrapW = w < wrapW ? w : wrapW - 1e-4;
                rewrap = 1;
                break;
            }
            if (bad < x->nlines - 1 || !ln->ell) {
                cut_line(x, bad, W, -1);
                continue;
            }
            if (ln->b == ln->a)
                break; /* not even "…" fits on this line */
            cut_line(x, bad, W, prev_cluster(x, ln->a, ln->b));
        }
        if (rewrap)
            continue;
        nfit = x->nlines - 1 < nfit - 1 ? x->nlines - 1 : nfit - 1;
    }
    x->nlines = 0;
    return -1;
}

/* ---- laying out ---- */

typedef struct {
    text_layout *lo;
    const text_glyph *ell_glyph;
    double ox, base, s;
} emit_ctx;

static void emit_glyph(void *arg, const text_glyph *g, float pen)
{
    emit_ctx *e = arg;
    text_layout *lo = e->lo;
    if (g->ix0 > g->ix1 && g->gid != 0)
        return; /* nothing to draw (spaces) */
    if (g->gid == 0)
        lo->m.missing_glyphs++;
    if (lo->ngroups == 0 || lo->groups[lo->ngroups - 1].face != g->face) {
        lo->groups[lo->ngroups++] = (glyph_group){g->face, lo->nglyphs, 0};
    }
    lo->groups[lo->ngroups - 1].count++;
    lo->clusters[lo->nglyphs] = g == e->ell_glyph ? -1 : g->cluster;
    lo->glyphs[lo->nglyphs++] = (cairo_glyph_t){
        g->gid, e->ox + e->s * (pen + g->xoff), e->base - e->s * g->yoff};
}

static void ink_union(text_box *u, int *has, double x0, double y0, double x1, double y1)
{
    if (!*has) {
        *u = (text_box){x0, y0, x1 - x0, y1 - y0};
        *has = 1;
        return;
    }
    double ux1 = u->x + u->w, uy1 = u->y + u->h;
    if (x0 < u->x)
        u->x = x0;
    if (y0 < u->y)
        u->y = y0;
    if (x1 > ux1)
        ux1 = x1;
    if (y1 > uy1)
        uy1 = y1;
    u->w = ux1 - u->x;
    u->h = uy1 - u->y;
}

static text_layout *layout_build(fit_ctx *x, const text_style *st, text_box box, double s,
                                 double pad, double hw)
{
    int cap = x->sh->ng + 1;
    size_t bytes = sizeof(text_layout) + (size_t)cap * sizeof(cairo_glyph_t) +
                   (size_t)cap * sizeof(glyph_group) + (size_t)cap * sizeof(int);
    text_layout *lo = calloc(1, bytes);
    if (!lo)
        return NULL;
    lo->glyphs = (cairo_glyph_t *)(lo + 1);
    lo->groups = (glyph_group *)(lo->glyphs + cap);
    lo->clusters = (int *)(lo->groups + cap);
    lo->tf = x->tf;
    lo->box = box;
    lo->color = st->color;
    lo->fill = st->fill;
    lo->halo = st->halo;
    lo->halo_width = hw;
    lo->radius = st->radius;
    lo->m.size = s;
    lo->m.lines = x->nlines;
    if (x->nlines == 0)
        return lo;

    double cx0 = box.x + pad, cy0 = box.y + pad;
    double lo_x = cx0 + PIXEL_MARGIN + hw / 2, hi_x = cx0 + x->cw - PIXEL_MARGIN - hw / 2;
    double lo_y = cy0 + PIXEL_MARGIN + hw / 2, hi_y = cy0 + x->ch - PIXEL_MARGIN - hw / 2;

    /* Block: logical height placed by valign, then moved so the ink stays inside. */
    double bh = s * block_height_em(x, x->nlines), base0;
    if (st->valign == TEXT_VALIGN_TOP)
        base0 = cy0 + s * x->asc;
    else if (st->valign == TEXT_VALIGN_BOTTOM)
        base0 = cy0 + x->ch - bh + s * x->asc;
    else
        base0 = cy0 + (x->ch - bh) / 2 + s * x->asc;
    double top = -1e9, bot = 1e9;
    for (int i = 0; i < x->nlines; i++) {
        line_ext *e = &x->ext[i];
        line_walk(x, &x->lines[i], e, NULL, NULL);
        if (e->x0 > e->x1)
            continue;
        if (e->top - i * x->L > top)
            top = e->top - i * x->L;
        if (e->bot - i * x->L < bot)
            bot = e->bot - i * x->L;
    }
    if (top > bot) {
        double iy0 = base0 - s * top, iy1 = base0 - s * bot;
        if (iy1 > hi_y)
            base0 -= iy1 - hi_y, iy0 -= iy1 - hi_y;
        if (iy0 < lo_y)
            base0 += lo_y - iy0;
    }

    int has = 0;
    emit_ctx ec = {lo, &x->fam->ell, 0, 0, s};
    for (int i = 0; i < x->nlines; i++) {
        line_t *ln = &x->lines[i];
        line_ext *e = &x->ext[i];
        double adv = s * e->adv, ox;
        text_align al = st->align;
        if (x->sh->p[ln->para].base_level & 1) /* start/end follow the paragraph direction */
            al = al == TEXT_ALIGN_LEFT ? TEXT_ALIGN_RIGHT
                 : al == TEXT_ALIGN_RIGHT ? TEXT_ALIGN_LEFT : al;
        if (al == TEXT_ALIGN_LEFT)
            ox = cx0;
        else if (al == TEXT_ALIGN_RIGHT)
            ox = cx0 + x->cw - adv;
        else
            ox = cx0 + (x->cw - adv) / 2;
        double base = base0 + i * s * x->L;
        if (e->x0 <= e->x1) {
            double ix0 = ox + s * e->x0, ix1 = ox + s * e->x1;
            if (ix1 > hi_x)
                ox -= ix1 - hi_x, ix0 -= ix1 - hi_x;
            if (ix0 < lo_x)
                ox += lo_x - ix0;
            ink_union(&lo->m.ink, &has, ox + s * e->x0 - hw / 2, base - s * e->top - hw / 2,
                      ox + s * e->x1 + hw / 2, base - s * e->bot + hw / 2);
        }
        ec.ox = ox;
        ec.base = base;
        line_walk(x, ln, e, emit_glyph, &ec);
        if (ln->soft)
            lo->m.wrapped = 1;
        if (ln->ell)
            lo->m.truncated = 1;
    }
    return lo;
}

static int fit_scratch(text_fonts *tf, fit_ctx *x)
{
    const text_shaped *sh = &tf->sh;
    size_t nl = (size_t)sh->nc + sh->np + 1;
    size_t need = (sh->nc + 1) * sizeof(float) + (sh->nc + 1) * sizeof(int) + nl * sizeof(line_t) +
                  nl * sizeof(line_ext) + (sh->nr + 2) * sizeof(seg_t) + 64;
    if (need > tf->scratch_cap) {
        void *p = realloc(tf->scratch, need * 2);
        if (!p)
            return -1;
        tf->scratch = p;
        tf->scratch_cap = need * 2;
    }
    char *m = tf->scratch;
    x->lines = (line_t *)m;
    m += nl * sizeof(line_t);
    x->ext = (line_ext *)m;
    m += nl * sizeof(line_ext);
    x->segs = (seg_t *)m;
    m += (sh->nr + 2) * sizeof(seg_t);
    x->P = (float *)m;
    m += (sh->nc + 1) * sizeof(float);
    x->bp = (int *)m;
    return 0;
}

text_layout *text_layout_fit(text_fonts *tf, const char *utf8, size_t len, const text_style *st,
                             text_box box, err_t *err)
{
    if (!text_utf8_valid(utf8, len)) {
        err_set(err, ERR_BAD_PARAM, "", "text is not valid UTF-8");
        return NULL;
    }
    int family = text_font_family_index(tf, st->font);
    if (family < 0) {
        err_set(err, ERR_BAD_PARAM, "", "unknown font family \"%.40s\"", st->font);
        return NULL;
    }
    double maxs = st->max_size, mins = st->min_size;
    if (!(maxs > 0 && maxs < 10000)) {
        err_set(err, ERR_BAD_PARAM, "", "font size must be between 0 and 10000 px");
        return NULL;
    }
    if (!(mins > 0) || mins > maxs)
        mins = maxs;
    if (text_shape_label(tf, family, utf8, len, st->wrap, err) != 0)
        return NULL;

    fit_ctx x = {.tf = tf, .sh = &tf->sh, .fam = &tf->families[family]};
    if (fit_scratch(tf, &x) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory laying out a label");
        return NULL;
    }
    const text_shaped *sh = x.sh;
    x.P[0] = 0;
    for (int i = 0; i < sh->nc; i++) {
        x.P[i + 1] = x.P[i] + sh->c[i].adv;
        if (sh->c[i].flags & TC_BREAK)
            x.bp[x.nbp++] = i + 1;
    }
    const text_face *pf = &tf->faces[x.fam->face];
    double sp = st->line_spacing > 0 ? st->line_spacing : 1.0;
    double hw = st->halo.a > 0 && st->halo_width > 0 ? st->halo_width : 0;
    double pad = st->padding > 0 ? st->padding : 0;
    x.asc = pf->asc;
    x.desc = pf->desc;
    x.L = (pf->asc + pf->desc + pf->gap) * sp;
    x.max_lines = st->max_lines > 0 ? st->max_lines : 0;
    x.cw = box.w - 2 * pad;
    x.ch = box.h - 2 * pad;
    x.aw = x.cw - 2 * PIXEL_MARGIN - hw;
    x.ah = x.ch - 2 * PIXEL_MARGIN - hw;
    double s = maxs;
    int ok = 0;

    if (!(x.aw > 0 && x.ah > 0) || !isfinite(box.x) || !isfinite(box.y)) {
        x.nlines = 0; /* no room at all: draw nothing */
        text_layout *lo = layout_build(&x, st, box, maxs, pad, hw);
        if (lo)
            lo->m.truncated = sh->nc > 0;
        else
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return lo;
    }

    /* 1: the lines as given, size computed directly. */
    lines_paragraphs(&x);
    if (!sh->cut && (x.max_lines == 0 || x.nlines <= x.max_lines)) {
        double s1 = maxs, top = -1e9, bot = 1e9;
        for (int i = 0; i < x.nlines; i++) {
            line_ext *e = &x.ext[i];
            line_walk(&x, &x.lines[i], e, NULL, NULL);
            if (e->x0 > e->x1)
                continue;
            if (e->x1 - e->x0 > 0 && x.aw / (e->x1 - e->x0) < s1)
                s1 = x.aw / (e->x1 - e->x0);
            if (e->top - i * x.L > top)
                top = e->top - i * x.L;
            if (e->bot - i * x.L < bot)
                bot = e->bot - i * x.L;
        }
        if (top > bot && x.ah / (top - bot) < s1)
            s1 = x.ah / (top - bot);
        double h = block_height_em(&x, x.nlines);
        if (h > 0 && x.ch / h < s1)
            s1 = x.ch / h;
        if (s1 >= mins - EPS) {
            s = quantise(s1, mins, maxs);
            ok = 1;
        }
    }
    /* 2: wrapped, the largest quantised size that fits (bisection: fewer lines as size drops). */
    if (!ok && st->wrap && !sh->cut) {
        int top = (int)floor(maxs / SIZE_STEP - 1e-9), bottom = (int)ceil(mins / SIZE_STEP - 1e-9);
        /* candidate i: 0 = max, then top, top-1, ... bottom steps, then min */
        int n = 1 + (top >= bottom ? top - bottom + 1 : 0) + 1;
#define CAND(i) ((i) == 0 ? maxs : (i) == n - 1 ? mins : (top - ((i) - 1)) * SIZE_STEP)
        int lo = 0, hi = n - 1, found = -1, bad;
        while (lo <= hi) {
            int mid = (lo + hi) / 2;
            double cs = CAND(mid);
            if (lines_wrap(&x, x.aw / cs, x.max_lines > 0 ? x.max_lines : sh->nc + sh->np) == 0 &&
                lines_check(&x, cs, &bad) == 0) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        if (found >= 0) {
            s = CAND(found);
            lines_wrap(&x, x.aw / s, x.max_lines > 0 ? x.max_lines : sh->nc + sh->np);
            ok = 1;
        }
#undef CAND
    }
    if (sh->nc == 0)
        x.nlines = 0; /* empty text: no line, nothing cut */
    /* 3: min size, cut with an ellipsis. */
    if (!ok) {
        s = mins;
        fit_truncated(&x, st, s, st->wrap);
    }
    text_layout *lo = layout_build(&x, st, box, s, pad, hw);
    if (!lo) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (sh->cut || (x.nlines == 0 && sh->nc > 0))
        lo->m.truncated = 1;
    return lo;
}

void text_layout_metrics(const text_layout *lo, text_metrics *out)
{
    *out = lo->m;
}

int text_layout_glyph_count(const text_layout *lo)
{
    return lo->nglyphs;
}

void text_layout_glyph_at(const text_layout *lo, int i, text_glyph_pos *out)
{
    *out = (text_glyph_pos){lo->glyphs[i].index, lo->glyphs[i].x, lo->glyphs[i].y,
                            lo->clusters[i]};
}

void text_layout_free(text_layout *lo)
{
    free(lo);
}

static void set_font(const text_layout *lo, cairo_t *cr, int face, const text_target *t)
{
    cairo_scaled_font_t *sf = t ? text_font_scaled(lo->tf, t, face, lo->m.size) : NULL;
    if (sf) {
        cairo_set_scaled_font(cr, sf);
    } else { /* cairo could not make one: let it try again through the context */
        cairo_set_font_face(cr, lo->tf->faces[face].cairo);
        cairo_set_font_size(cr, lo->m.size);
        cairo_set_font_options(cr, lo->tf->opts);
    }
}

/* The slow halo: stroke the glyph outlines of groups [from, ngroups) directly. */
static void draw_halo_path(const text_layout *lo, cairo_t *cr, const text_target *t, int from)
{
    cairo_new_path(cr);
    for (int i = from; i < lo->ngroups; i++) {
        set_font(lo, cr, lo->groups[i].face, t);
        cairo_glyph_path(cr, lo->glyphs + lo->groups[i].start, lo->groups[i].count);
    }
    cairo_set_line_width(cr, lo->halo_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke_preserve(cr);
    cairo_fill(cr);
}

void text_layout_draw(const text_layout *lo, cairo_t *cr)
{
    cairo_save(cr);
    if (lo->fill.a > 0 && lo->box.w > 0 && lo->box.h > 0) {
        text_rounded_rect(cr, lo->box.x, lo->box.y, lo->box.w, lo->box.h, lo->radius);
        cairo_set_source_rgba(cr, lo->fill.r, lo->fill.g, lo->fill.b, lo->fill.a);
        cairo_fill(cr);
    }
    if (lo->nglyphs > 0) {
        /* cairo draws with the scaled fonts we give it only if they match its own key */
        text_target target, *t = text_font_target(lo->tf, cr, &target) == 0 ? &target : NULL;
        text_font_reserve(lo->tf);
        text_cairo_enter();
        if (lo->halo_width > 0) {
            cairo_set_source_rgba(cr, lo->halo.r, lo->halo.g, lo->halo.b, lo->halo.a);
            int i;
            for (i = 0; t && i < lo->ngroups; i++) { /* stroked glyphs, cached by cairo */
                cairo_scaled_font_t *sf = text_font_halo_scaled(lo->tf, t, lo->groups[i].face,
                                                                lo->halo_width, lo->m.size);
                if (!sf)
                    break;
                cairo_set_scaled_font(cr, sf);
                cairo_show_glyphs(cr, lo->glyphs + lo->groups[i].start, lo->groups[i].count);
            }
            if (i < lo->ngroups) /* more halo widths than we keep fonts for: stroke here */
                draw_halo_path(lo, cr, t, i);
        }
        cairo_set_source_rgba(cr, lo->color.r, lo->color.g, lo->color.b, lo->color.a);
        for (int i = 0; i < lo->ngroups; i++) {
            set_font(lo, cr, lo->groups[i].face, t);
            cairo_show_glyphs(cr, lo->glyphs + lo->groups[i].start, lo->groups[i].count);
        }
        text_cairo_leave();
    }
    cairo_restore(cr);
}

int text_draw(text_fonts *tf, cairo_t *cr, const char *utf8, size_t len, const text_style *st,
              text_box box, text_metrics *metrics, err_t *err)
{
    text_layout *lo = text_layout_fit(tf, utf8, len, st, box, err);
    if (!lo)
        return -1;
    text_layout_draw(lo, cr);
    if (metrics)
        *metrics = lo->m;
    text_layout_free(lo);
    return 0;
}

int text_measure(text_fonts *tf, const char *utf8, size_t len, const text_style *st, text_box box,
                 text_metrics *out, err_t *err)
{
    text_layout *lo = text_layout_fit(tf, utf8, len, st, box, err);
    if (!lo)
        return -1;
    *out = lo->m;
    text_layout_free(lo);
    return 0;
}
