/* shape.c — turns a label's UTF-8 into shaped runs: paragraphs, bidi levels (FriBidi),
 * scripts, a font per character from the fallback chain, HarfBuzz shaping of every run, and the
 * break opportunities the fitter may wrap at.
 *
 * Shaping happens once per label at the fonts' reference scale (1 em); fitting then only
 * multiplies. Runs are cut wherever bidi level, script or font changes, and shaped with the
 * paragraph around them as context, so Arabic joins across a font or level change. */
#include "text/impl.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

static int grow(void **p, int *cap, int need, size_t elsize)
{
    if (need <= *cap)
        return 0;
    int n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elsize);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

void text_shaped_free(text_shaped *sh)
{
    free(sh->c);
    free(sh->g);
    free(sh->r);
    free(sh->p);
    free(sh->cps);
    free(sh->bidi);
    memset(sh, 0, sizeof *sh);
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000 || cp == 0x1680 || cp == 0x205F ||
           (cp >= 0x2000 && cp <= 0x200A && cp != 0x2007);
}

/* Invisible format characters that belong with their neighbour's font whatever it covers. */
static int is_format(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x061C || cp == 0x00AD;
}

static int is_mark(hb_unicode_general_category_t gc)
{
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* Characters between which CJK text may break (UAX #14 ID class, roughly). */
static int is_cjk(uint32_t cp, hb_script_t sc)
{
    return sc == HB_SCRIPT_HAN || sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA ||
           sc == HB_SCRIPT_BOPOMOFO || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Closing punctuation and small kana: no line starts with these. */
static int no_break_before(uint32_t cp)
{
    static const uint32_t set[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01,
                                   0xFF09, 0x300D, 0x300F, 0x3011, 0x3009, 0x300B, 0x3015, 0xFF5D,
                                   0x30FC, 0x3005, 0x2026, ')', ']', '}', ',', '.', ':', ';', '!',
                                   '?', 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
                                   0x3085, 0x3087, 0x30C3, 0x30E3, 0x30E5, 0x30E7};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

/* Opening punctuation: no line ends with these. */
static int no_break_after(uint32_t cp)
{
    static const uint32_t set[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x3008, 0x300A, 0x3014, 0xFF5B,
                                   '(', '[', '{'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

/* At most this many combining marks in a row (Unicode's stream-safe limit, UAX #15): more are
 * never meaningful text, and shaping them would only cost time. */
#define MAX_MARK_RUN 30

/* Newlines, tabs and control characters: what a label does with them. */
static int clean_text(uint32_t *cps, int n, int keep_newlines)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    int o = 0, marks = 0;
    for (int i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        if (cp >= 0x300 && is_mark(hb_unicode_general_category(uf, cp))) {
            if (++marks > MAX_MARK_RUN)
                continue;
        } else {
            marks = 0;
        }
        if (cp == '\r') {
            if (i + 1 < n && cps[i + 1] == '\n')
                continue;
            cp = '\n';
        } else if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
            cp = '\n';
        } else if (cp == '\t' || cp == 0x0B || cp == 0x0C) {
            cp = ' ';
        } else if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0)) {
            continue; /* no visible form; dropping beats drawing .notdef */
        }
        if (cp == '\n' && !keep_newlines)
            cp = ' ';
        cps[o++] = cp;
    }
    return o;
}

/* Bidi levels of paragraph p (FriBidi; base direction from the first strong character). */
static int para_levels(text_shaped *sh, text_para *p)
{
    int n = p->end - p->start;
    p->base_level = 0;
    if (n == 0)
        return 0;
    if (grow(&sh->bidi, &sh->cap_bidi, n * 9, 1) != 0)
        return -1;
    FriBidiCharType *types = sh->bidi;
    FriBidiBracketType *brackets = (FriBidiBracketType *)(types + n);
    FriBidiLevel *levels = (FriBidiLevel *)(brackets + n);
    const FriBidiChar *str = sh->cps + p->start;
    fribidi_get_bidi_types(str, n, types);
    int rtl = 0;
    for (int i = 0; i < n && !rtl; i++)
        rtl = FRIBIDI_IS_RTL(types[i]) || FRIBIDI_IS_ARABIC(types[i]) ||
              FRIBIDI_IS_EXPLICIT(types[i]) || FRIBIDI_IS_ISOLATE(types[i]);
    if (!rtl) /* all left-to-right: every level is 0, no need to run the algorithm */
        return 0;
    fribidi_get_bracket_types(str, n, types, brackets);
    FriBidiParType dir = FRIBIDI_PAR_ON;
    if (fribidi_get_par_embedding_levels_ex(types, brackets, n, &dir, levels) == 0)
        return 0; /* out of memory inside FriBidi: draw left to right rather than fail */
    p->base_level = FRIBIDI_DIR_TO_LEVEL(dir);
    for (int i = 0; i < n; i++)
        sh->c[p->start + i].level = (uint8_t)(levels[i] < 0 ? 0 : levels[i]);
    return 0;
}

/* The font for c[i]: stay with the neighbour for marks, joiners and punctuation when it can,
 * else script-preferred fallbacks, the family, then the chain, first that covers it. */
static int pick_face(const text_fonts *tf, int fam_face, const text_shaped *sh, int i, int pstart,
                     hb_script_t raw, hb_unicode_general_category_t gc)
{
    uint32_t cp = sh->c[i].cp;
    if (i > pstart) {
        int prev = sh->c[i - 1].face;
        if (is_format(cp))
            return prev;
        if ((is_mark(gc) || raw == HB_SCRIPT_COMMON || raw == HB_SCRIPT_INHERITED) &&
            text_font_covers(tf, prev, cp))
            return prev;
    }
    hb_script_t sc = sh->c[i].script;
    for (int k = 0; k < tf->npref; k++)
        if (tf->pref[k].script == sc && text_font_covers(tf, tf->pref[k].face, cp))
            return tf->pref[k].face;
    if (text_font_covers(tf, fam_face, cp))
        return fam_face;
    for (int k = 0; k < tf->nchain; k++)
        if (text_font_covers(tf, tf->chain[k], cp))
            return tf->chain[k];
    return fam_face; /* nobody has it: .notdef of the family, counted as missing */
}

static int shape_run(text_fonts *tf, text_shaped *sh, text_run *r, const text_para *p)
{
    hb_buffer_t *buf = tf->buf;
    const text_face *f = &tf->faces[r->face];
    hb_buffer_clear_contents(buf);
    hb_buffer_add_codepoints(buf, sh->cps + p->start, p->end - p->start, r->start - p->start,
                             r->end - r->start);
    hb_buffer_set_direction(buf, r->level & 1 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, r->script);
    hb_buffer_set_flags(buf, (r->start == p->start ? HB_BUFFER_FLAG_BOT : 0) |
                                 (r->end == p->end ? HB_BUFFER_FLAG_EOT : 0));
    hb_shape(f->hb, buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf))
        return -1;
    unsigned n;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(buf, &n);
    if (grow((void **)&sh->g, &sh->cap_g, sh->ng + (int)n, sizeof *sh->g) != 0)
        return -1;
    double k = f->upem_inv;
    r->g0 = sh->ng;
    for (unsigned i = 0; i < n; i++) {
        text_glyph *g = &sh->g[sh->ng++];
        int cl = (int)gi[i].cluster + p->start;
        g->gid = gi[i].codepoint;
        g->cluster = cl;
        g->face = r->face;
        g->adv = (float)(gp[i].x_advance * k);
        g->xoff = (float)(gp[i].x_offset * k);
        g->yoff = (float)(gp[i].y_offset * k);
        if (text_font_glyph_ink(tf, r->face, g->gid, &g->ix0, &g->ix1, &g->iy0, &g->iy1)) {
            g->ix0 += g->xoff;
            g->ix1 += g->xoff;
            g->iy0 += g->yoff;
            g->iy1 += g->yoff;
        } else {
            g->ix0 = 1; /* no ink (spaces) */
            g->ix1 = 0;
        }
        if (g->gid == 0)
            sh->missing++;
        sh->c[cl].adv += g->adv;
        sh->c[cl].flags |= TC_CLUSTER;
    }
    r->g1 = sh->ng;
    sh->c[r->start].flags |= TC_CLUSTER;
    return 0;
}

static void find_breaks(text_shaped *sh, const text_para *p)
{
    for (int i = p->start; i < p->end; i++) {
        text_char *c = &sh->c[i];
        if (is_space(c->cp))
            c->flags |= TC_SPACE;
    }
    for (int i = p->start; i + 1 < p->end; i++) {
        text_char *c = &sh->c[i], *n = &sh->c[i + 1];
        if (!(n->flags & TC_CLUSTER))
            continue;
        int brk = 0;
        if (c->flags & TC_SPACE)
            brk = !(n->flags & TC_SPACE);
        else if (c->cp == 0x200B)
            brk = 1;
        else if (c->cp == '/' || c->cp == '-' || c->cp == 0x2010 || c->cp == 0x2013)
            brk = i > p->start && !(sh->c[i - 1].flags & TC_SPACE) && !(n->flags & TC_SPACE);
        else if ((is_cjk(c->cp, c->script) || is_cjk(n->cp, n->script)) && !(n->flags & TC_SPACE))
            brk = !no_break_before(n->cp) && !no_break_after(c->cp);
        if (brk)
            c->flags |= TC_BREAK;
    }
}

/* Shape "…" for a family, once per thread, before its first label: the ellipsis that ends
 * truncated labels (a fresh buffer, as the runs leave their flags on it). */
static void family_ellipsis(text_fonts *tf, text_family *fam)
{
    int face = fam->face;
    if (!text_font_covers(tf, face, TEXT_ELLIPSIS))
        for (int i = 0; i < tf->nchain; i++)
            if (text_font_covers(tf, tf->chain[i], TEXT_ELLIPSIS)) {
                face = tf->chain[i];
                break;
            }
    hb_codepoint_t cp = TEXT_ELLIPSIS;
    fam->ell_ready = 1;
    hb_buffer_reset(tf->buf);
    hb_buffer_add_codepoints(tf->buf, &cp, 1, 0, 1);
    hb_buffer_guess_segment_properties(tf->buf);
    hb_shape(tf->faces[face].hb, tf->buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(tf->buf, &n);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(tf->buf, &n);
    text_glyph *g = &fam->ell;
    memset(g, 0, sizeof *g);
    g->face = (uint8_t)face;
    g->ix0 = 1;
    g->ix1 = 0;
    if (n == 0)
        return;
    double k = tf->faces[face].upem_inv;
    g->gid = gi[0].codepoint;
    g->adv = (float)(gp[0].x_advance * k);
    if (text_font_glyph_ink(tf, face, g->gid, &g->ix0, &g->ix1, &g->iy0, &g->iy1) == 0) {
        g->ix0 = 1;
        g->ix1 = 0;
    }
}

/* ---- labels kept between text_memo_begin and text_memo_end ---- */

#define MEMO_KEY_MAX 512 /* longer labels are not kept (a card's are under 320 bytes) */

struct text_memo_entry {
    UT_hash_handle hh;
    int nc, ng, nr, np, cut, missing;
    text_char *c;
    text_glyph *g;
    text_run *r;
    text_para *p;
    unsigned char key[]; /* family, keep_newlines, the label's bytes */
};

static size_t memo_align(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

void text_memo_begin(text_fonts *tf)
{
    tf->memo_depth++;
}

void text_memo_clear(text_fonts *tf)
{
    text_memo_entry *e, *tmp;
    HASH_ITER(hh, tf->memo, e, tmp) {
        HASH_DEL(tf->memo, e);
        free(e);
    }
    tf->memo = NULL;
    tf->memo_bytes = 0;
}

void text_memo_end(text_fonts *tf)
{
    if (tf->memo_depth > 0 && --tf->memo_depth == 0)
        text_memo_clear(tf);
}

/* The key of a label: its family and newline handling, then its bytes; 0 if too long to keep. */
static size_t memo_key(unsigned char *key, int family, int keep_newlines, const char *utf8, size_t len)
{
    if (len + 2 > MEMO_KEY_MAX)
        return 0;
    key[0] = (unsigned char)family;
    key[1] = (unsigned char)(keep_newlines != 0);
    memcpy(key + 2, utf8, len);
    return len + 2;
}

/* The kept shape of a label into tf->sh: 1 if it was kept, 0 if not, -1 out of memory. */
static int memo_restore(text_fonts *tf, const unsigned char *key, size_t klen)
{
    text_memo_entry *e;
    HASH_FIND(hh, tf->memo, key, klen, e);
    if (!e)
        return 0;
    text_shaped *sh = &tf->sh;
    if (grow((void **)&sh->c, &sh->cap_c, e->nc + 1, sizeof *sh->c) != 0 ||
        grow((void **)&sh->g, &sh->cap_g, e->ng + 1, sizeof *sh->g) != 0 ||
        grow((void **)&sh->r, &sh->cap_r, e->nr + 1, sizeof *sh->r) != 0 ||
        grow((void **)&sh->p, &sh->cap_p, e->np + 1, sizeof *sh->p) != 0)
        return -1;
    memcpy(sh->c, e->c, (size_t)e->nc * sizeof *sh->c);
    memcpy(sh->g, e->g, (size_t)e->ng * sizeof *sh->g);
    memcpy(sh->r, e->r, (size_t)e->nr * sizeof *sh->r);
    memcpy(sh->p, e->p, (size_t)e->np * sizeof *sh->p);
    sh->nc = e->nc, sh->ng = e->ng, sh->nr = e->nr, sh->np = e->np;
    sh->cut = e->cut, sh->missing = e->missing;
    return 1;
}

/* Keep tf->sh, just shaped, under key (not when the memo is full or memory short: only slower). */
static void memo_keep(text_fonts *tf, const unsigned char *key, size_t klen)
{
    const text_shaped *sh = &tf->sh;
    size_t oc = memo_align(sizeof(text_memo_entry) + klen);
    size_t og = oc + memo_align((size_t)sh->nc * sizeof *sh->c);
    size_t orr = og + memo_align((size_t)sh->ng * sizeof *sh->g);
    size_t op = orr + memo_align((size_t)sh->nr * sizeof *sh->r);
    size_t bytes = op + (size_t)sh->np * sizeof *sh->p;
    if (tf->memo_bytes + bytes > TEXT_MEMO_MAX_BYTES)
        return;
    text_memo_entry *e = malloc(bytes);
    if (!e)
        return;
    memset(e, 0, sizeof *e);
    unsigned char *base = (unsigned char *)e;
    e->nc = sh->nc, e->ng = sh->ng, e->nr = sh->nr, e->np = sh->np;
    e->cut = sh->cut, e->missing = sh->missing;
    e->c = (text_char *)(base + oc);
    e->g = (text_glyph *)(base + og);
    e->r = (text_run *)(base + orr);
    e->p = (text_para *)(base + op);
    memcpy(e->key, key, klen);
    memcpy(e->c, sh->c, (size_t)sh->nc * sizeof *sh->c);
    memcpy(e->g, sh->g, (size_t)sh->ng * sizeof *sh->g);
    memcpy(e->r, sh->r, (size_t)sh->nr * sizeof *sh->r);
    memcpy(e->p, sh->p, (size_t)sh->np * sizeof *sh->p);
    HASH_ADD_KEYPTR(hh, tf->memo, e->key, klen, e);
    if (!HASH_ADDED(e)) {
        free(e);
        return;
    }
    tf->memo_bytes += bytes;
}

static int shape_label(text_fonts *tf, int family, const char *utf8, size_t len, int keep_newlines,
                       err_t *err);

int text_shape_label(text_fonts *tf, int family, const char *utf8, size_t len, int keep_newlines,
                     err_t *err)
{
    unsigned char key[MEMO_KEY_MAX];
    size_t klen = tf->memo_depth > 0 ? memo_key(key, family, keep_newlines, utf8, len) : 0;
    if (klen) {
        int kept = memo_restore(tf, key, klen);
        if (kept < 0) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory shaping a label");
            return -1;
        }
        if (kept) {
            tf->sh.family = family;
            return 0;
        }
    }
    if (shape_label(tf, family, utf8, len, keep_newlines, err) != 0)
        return -1;
    if (klen)
        memo_keep(tf, key, klen);
    return 0;
}

static int shape_label(text_fonts *tf, int family, const char *utf8, size_t len, int keep_newlines,
                       err_t *err)
{
    text_shaped *sh = &tf->sh;
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    int fam_face = tf->families[family].face;
    if (!tf->families[family].ell_ready)
        family_ellipsis(tf, &tf->families[family]);
    sh->nc = sh->ng = sh->nr = sh->np = 0;
    sh->cut = 0;
    sh->missing = 0;
    sh->family = family;

    int maxc = len < TEXT_MAX_CHARS ? (int)len : TEXT_MAX_CHARS; /* bytes >= code points */
    if (grow((void **)&sh->cps, &sh->cap_cps, maxc + 1, sizeof *sh->cps) != 0)
        goto oom;
    int n = text_utf8_decode(utf8, len, sh->cps, maxc, &sh->cut);
    n = clean_text(sh->cps, n, keep_newlines);

    /* Paragraphs: take the newlines out, remember where they were. */
    if (grow((void **)&sh->c, &sh->cap_c, n + 1, sizeof *sh->c) != 0)
        goto oom;
    int o = 0, pstart = 0;
    for (int i = 0; i <= n; i++) {
        if (i == n || sh->cps[i] == '\n') {
            if (grow((void **)&sh->p, &sh->cap_p, sh->np + 1, sizeof *sh->p) != 0)
                goto oom;
            sh->p[sh->np++] = (text_para){pstart, o, 0};
            pstart = o;
            continue;
        }
        sh->cps[o++] = sh->cps[i];
    }
    sh->nc = n = o;
    for (int i = 0; i < n; i++)
        sh->c[i] = (text_char){.cp = sh->cps[i]};

    for (int pi = 0; pi < sh->np; pi++) {
        text_para *p = &sh->p[pi];
        if (para_levels(sh, p) != 0)
            goto oom;
        /* Scripts: Common and Inherited characters take their neighbour's script, so
         * punctuation and marks shape with the text around them. */
        hb_script_t prev = HB_SCRIPT_COMMON;
        int first_real = -1;
        for (int i = p->start; i < p->end; i++) {
            hb_script_t sc = hb_unicode_script(uf, sh->c[i].cp);
            if (sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED || sc == HB_SCRIPT_UNKNOWN) {
                sc = prev;
            } else if (first_real < 0) {
                first_real = i;
                for (int j = p->start; j < i; j++)
                    sh->c[j].script = sc;
            }
            sh->c[i].script = prev = sc;
        }
        for (int i = p->start; i < p->end; i++) {
            uint32_t cp = sh->c[i].cp;
            sh->c[i].face = (uint8_t)pick_face(tf, fam_face, sh, i, p->start, hb_unicode_script(uf, cp),
                                               hb_unicode_general_category(uf, cp));
        }
        /* Runs: level × script × font. */
        int rs = p->start;
        for (int i = p->start + 1; i <= p->end; i++) {
            if (i < p->end && sh->c[i].level == sh->c[rs].level &&
                sh->c[i].script == sh->c[rs].script && sh->c[i].face == sh->c[rs].face)
                continue;
            if (grow((void **)&sh->r, &sh->cap_r, sh->nr + 1, sizeof *sh->r) != 0)
                goto oom;
            text_run *r = &sh->r[sh->nr++];
            *r = (text_run){.start = rs, .end = i, .level = sh->c[rs].level,
                            .face = sh->c[rs].face, .script = sh->c[rs].script};
            if (shape_run(tf, sh, r, p) != 0)
                goto oom;
            rs = i;
        }
        find_breaks(sh, p);
    }
    return 0;
oom:
    err_set(err, ERR_INTERNAL, NULL, "out of memory shaping a label");
    return -1;
}
