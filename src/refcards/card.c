/* card.c — draws a device's reference card: the baked drawing, a callout per control with the
 * actions bound to it, and a title with legends. Layout is solved for legibility before
 * anything is drawn: every text is measured at sizes from its natural one down to
 * CARD_MIN_FONT, never below, and never ellipsised. An action that does not fit its callout
 * (or key) at the minimum size continues in a panel laid into the free part of the canvas
 * (found from the boxes, art and leader lines of the layout), the callout saying "+N ↓";
 * a binding on a control the layout does not show goes to the same panel under "Also bound";
 * what page 1 cannot hold flows in columns onto pages 2, 3... of the same card. The generic
 * card (a device the registry does not know) is that same column flow, balanced to its content.
 *
 * Colours carry two things: the binding's context (ship, SRV, on foot...) as a bar before the
 * action, one colour per context across every card of an upload (job->contexts), and its
 * modifier combination as a tag ("M1") explained in the legend, which lists every combination
 * used on the card. How an action is triggered ("hold", "double tap") is a tag beside it. */
#include "refcards/card.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/etag.h"
#include "core/render.h"
#include "core/sprite.h"
#include "refcards/cardset.h"
#include "refcards/controls.h"
#include "refcards/devart.h"
#include "text/draw.h"

#define CARD_N_CTX_RGB 12 /* context colours; later contexts share the last */
#define CARD_N_MOD_RGB 10 /* modifier tag colours, reused cyclically (tags stay unique) */
#define CARD_TITLE_H 100
#define CARD_PILL_H 15.0
#define CARD_BAR 7.0      /* context bar and its gap before a row's content */
#define CARD_GAP 24.0     /* between flow columns */
#define CARD_PAGE_X0 30.0
#define CARD_PAGE_X1 1890.0
#define CARD_PAGE_Y0 112.0
#define CARD_PAGE_Y1 1064.0

typedef struct {
    double r, g, b;
} card_rgb;

/* Context colours: distinct for the common colour-vision deficiencies (Okabe-Ito based). */
static const card_rgb card_ctx_rgb[CARD_N_CTX_RGB] = {
    {0.00, 0.45, 0.70}, {0.84, 0.37, 0.00}, {0.00, 0.60, 0.45}, {0.80, 0.47, 0.65},
    {0.90, 0.62, 0.00}, {0.34, 0.71, 0.91}, {0.55, 0.34, 0.29}, {0.58, 0.40, 0.74},
    {0.60, 0.60, 0.10}, {0.20, 0.30, 0.50}, {0.75, 0.20, 0.30}, {0.50, 0.50, 0.50},
};
static const card_rgb card_mod_rgb[CARD_N_MOD_RGB] = {
    {0.42, 0.24, 0.60}, {0.69, 0.35, 0.16}, {0.11, 0.47, 0.22}, {0.77, 0.11, 0.49},
    {0.13, 0.40, 0.67}, {0.55, 0.32, 0.04}, {0.30, 0.30, 0.30}, {0.00, 0.50, 0.50},
    {0.60, 0.10, 0.10}, {0.35, 0.35, 0.55},
};

static const text_rgba card_ink = {0.13, 0.16, 0.20, 1};
static const text_rgba card_grey = {0.40, 0.44, 0.49, 1};
static const text_rgba card_faint = {0.58, 0.61, 0.65, 1};
static const text_rgba card_white = {1, 1, 1, 1};

/* ---- plan ------------------------------------------------------------------------------ */

/* A callout (or key) as planned: the size and columns of its rows, how many of its rows fit;
 * the others continue in the panel as entry `entry`. */
typedef struct {
    int *rows;      /* items bound to it, sorted */
    int n, n_fit;
    double size;
    int cols;
    int entry;      /* flow entry of the rows that did not fit, or -1 */
    int marker_low; /* the "+N ↓" marker sits on the body's last line (no room beside the name) */
} card_box_plan;

/* A flow entry: a named group of lines (a control and its actions, or legend lines). */
typedef struct {
    char name[160];     /* with soft break points (3 bytes each) */
    const device_callout *co; /* position tags of its rows; NULL */
    int section;
    int first_unit, n_units;
    double name_em;           /* natural width of the name, em */
} card_entry;

enum { CARD_U_HEAD, CARD_U_BIND, CARD_U_MOD, CARD_U_CTX };

typedef struct {
    int kind;
    int ref;        /* item (BIND), modifier (MOD), legend context (CTX), section (HEAD) */
    int entry;      /* -1 for HEAD */
    /* placed */
    int page, col;
    double x, y, w, h;
    double nw;      /* name column width in this column */
    double name_h;  /* height of the name line above the row (name too long for the column) */
    double size;    /* text size it was placed at */
    double memo_w, memo_s, memo_h, memo_nw, memo_name_h; /* last measure (layouts try many) */
} card_unit;

typedef struct {
    double x, y, w, h;
    int region;     /* panel region (page 1 of device cards), else -1 */
} card_col;

typedef struct {
    double x, y, w, h;
} card_region;

enum { CARD_SEC_CONT, CARD_SEC_ALSO, CARD_SEC_BUTTONS, CARD_SEC_HATS, CARD_SEC_AXES, CARD_SEC_KEYS,
       CARD_SEC_PAD, CARD_SEC_OTHER, CARD_SEC_LEGEND, CARD_SEC__N };

static const char *const card_sec_title[CARD_SEC__N] = {
    "Continued from the drawing", "Also bound, not on this drawing", "Buttons", "Hats", "Axes", "Keys",
    "Gamepad controls", "Other controls", "Legend (continued)"};

typedef struct {
    char name[64];
    int color;
    double em;
} card_lctx;

typedef struct {
    cairo_t *cr;
    text_fonts *tf;
    const card_job *job;
    err_t *err;
    int failed;
    int page;             /* page being drawn */
    size_t n;             /* items */
    int *item_ctx;        /* colour index */
    int *item_lctx;       /* index into lctx */
    int *item_mod;        /* modifier combination, -1 = none */
    double *item_em;      /* natural width of the action text, em (sans-condensed) */
    double *item_pills;   /* width of its modifier and activation tags, px */
    struct card_geo_memo *item_geo; /* last row measure of each binding */
    unsigned char *placed;
    card_lctx *lctx;      /* contexts used on this card, in upload order */
    int n_lctx;
    char (*mod_key)[200];
    char (*mod_desc)[240];
    int n_mods;
    int header_items;     /* legend items (contexts, then modifiers) shown in the header */
    card_box_plan *boxes; /* per callout */
    card_entry *entries;
    int n_entries, cap_entries;
    card_unit *units;
    int n_units, cap_units;
    card_col *cols;
    int n_cols, cap_cols;
    card_region regions[6];
    int n_regions;
    int pages;
    int compact;          /* laying out or drawing key caps: thinner bar, no text padding */
    struct {
        char s[24];
        double w;
    } pill_memo[16];      /* widths of the tags measured so far ("M3", "hold", "fwd") */
    int n_pill_memo;
    card_stats st;
    int spliced;          /* a spliced job: only what meets its touched segments is drawn */
    device_rect *key_ext; /* a spliced keyboard: what each bound key can paint (card_key_extents) */
    const struct card_leaders *leaders; /* the worker's sprites of the device's leaders, or NULL */
} card_state;

static void card_oom(card_state *st)
{
    if (!st->failed)
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
    st->failed = 1;
}

/* ---- names ---------------------------------------------------------------------------- */

/* The arrow of each hat direction, in controls.h's order. */
static const char *const card_arrows[CONTROL_HAT__COUNT] = {
    "\u2191", "\u2197", "\u2192", "\u2198", "\u2193", "\u2199", "\u2190", "\u2196"};

/* What a card shows for a control's axis, in controls.h's order. */
static const char *const card_axis_labels[CONTROL_AXIS__COUNT] = {
    "X axis", "Y axis", "Z axis", "RX axis", "RY axis", "RZ axis", "Slider 1", "Slider 2", "Dial"};

void card_control_name(const char *c, char *out, size_t cap)
{
    if (strncmp(c, "button:", 7) == 0) {
        snprintf(out, cap, "Button %s", c + 7);
    } else if (strncmp(c, "hat:", 4) == 0) {
        const char *dir = strchr(c + 4, ':');
        int d = dir ? control_index(control_hat_dirs, dir + 1) : -1;
        const char *arrow = d >= 0 ? card_arrows[d] : dir ? dir + 1 : "";
        snprintf(out, cap, "Hat %.*s %s", dir ? (int)(dir - c - 4) : 1, c + 4, arrow);
    } else if (strncmp(c, "axis:", 5) == 0) {
        int a = control_index(control_axes, c + 5);
        if (a >= 0)
            snprintf(out, cap, "%s", card_axis_labels[a]);
        else
            snprintf(out, cap, "Axis %s", c + 5);
    } else if (strncmp(c, "key:", 4) == 0) {
        snprintf(out, cap, "%s", c + 4);
    } else if (strncmp(c, "pad:", 4) == 0) {
        const char *p = c + 4;
        if (strncmp(p, "dpad_", 5) == 0) {
            int d = control_index(control_hat_dirs, p + 5);
            const char *arrow = d >= 0 ? card_arrows[d] : p + 5;
            snprintf(out, cap, "D-pad %s", arrow);
        } else if (strlen(p) <= 2) {
            size_t i = 0;
            for (; p[i] && i + 1 < cap; i++)
                out[i] = (char)toupper((unsigned char)p[i]);
            out[i] = '\0';
        } else {
            snprintf(out, cap, "%c%s", toupper((unsigned char)p[0]), p + 1);
        }
    } else {
        snprintf(out, cap, "%s", c);
    }
}

/* "LeftAlt" → "Left Alt", "Numpad5" → "Numpad 5": key ids read as words in legends. */
static void card_key_words(const char *id, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; id[i] && n + 2 < cap; i++) {
        int upper = isupper((unsigned char)id[i]), digit = isdigit((unsigned char)id[i]);
        int prev_lower = i > 0 && islower((unsigned char)id[i - 1]);
        if (i > 0 && prev_lower && (upper || digit))
            out[n++] = ' ';
        out[n++] = id[i];
    }
    out[n] = '\0';
}

/* ---- text ----------------------------------------------------------------------------- */

static text_style card_style(const char *font, double max, double min, int wrap, text_align al,
                             text_rgba color)
{
    text_style s = {0};
    s.font = font;
    s.max_size = max;
    s.min_size = min < max ? min : max;
    s.padding = 1;
    s.wrap = wrap;
    s.align = al;
    s.valign = TEXT_VALIGN_CENTER;
    s.color = color;
    return s;
}

/* Height of n lines at size s with the style's padding (DejaVu: ascent + descent = 1.164 em). */
static double card_text_h(double s, int n)
{
    return 1.165 * s * n + 2.25;
}

/* Draw a text; an action (is_action) is counted in labels/min_font_px/truncated, anything
 * else in text_cut. Returns 1 if it needed an ellipsis. */
static int card_text(card_state *st, const char *s, const text_style *ts, double x, double y, double w,
                     double h, int is_action)
{
    if (st->failed || !s[0])
        return 0;
    text_box box = {x, y, w, h};
    text_layout *lo = text_layout_fit(st->tf, s, strlen(s), ts, box, st->err);
    if (!lo) {
        st->failed = 1;
        return 0;
    }
    text_metrics m;
    text_layout_metrics(lo, &m);
    text_layout_draw(lo, st->cr);
    text_layout_free(lo);
    if (m.truncated && getenv("CARD_DEBUG"))
        fprintf(stderr, "card: cut \"%s\" in %.0fx%.0f at %.1f px\n", s, w, h, m.size);
    if (st->st.min_text_px == 0 || m.size < st->st.min_text_px)
        st->st.min_text_px = m.size;
    if (is_action) {
        st->st.labels++;
        st->st.truncated += m.truncated;
        if (st->st.min_font_px == 0 || m.size < st->st.min_font_px)
            st->st.min_font_px = m.size;
    } else {
        st->st.text_cut += m.truncated;
    }
    return m.truncated;
}

/* Natural single-line width of s in em (text widths scale linearly with the size). */
static double card_em(card_state *st, const char *s, const char *font)
{
    if (st->failed || !s[0])
        return 0;
    text_style ts = card_style(font, 100, 100, 0, TEXT_ALIGN_LEFT, card_ink);
    ts.padding = 0;
    text_metrics m;
    if (text_measure(st->tf, s, strlen(s), &ts, (text_box){0, 0, 1e6, 400}, &m, st->err) < 0) {
        st->failed = 1;
        return 0;
    }
    return m.ink.w / 100;
}

/* 1 if s fits w x h at exactly size (wrapping when wrap). */
static int card_fits(card_state *st, const char *s, const char *font, double size, int wrap, double w, double h)
{
    if (st->failed)
        return 0;
    text_style ts = card_style(font, size, size, wrap, TEXT_ALIGN_LEFT, card_ink);
    text_metrics m;
    if (text_measure(st->tf, s, strlen(s), &ts, (text_box){0, 0, w, h}, &m, st->err) < 0) {
        st->failed = 1;
        return 0;
    }
    return !m.truncated;
}

/* Lines s needs at size in width w: 1 when its natural width fits, else the fewest wrapped
 * lines up to max_lines; 0 if not even then (a word wider than w). */
static int card_lines(card_state *st, const char *s, double em, const char *font, double size, double w,
                      int max_lines)
{
    /* Plain ASCII stays within a line's height; accents over capitals ("É") and other scripts
     * may not, so those are tried for real. */
    int plain = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
        plain = *p < 0x80 || (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x8b && (p += 2)); /* U+200B */
    if (em * size <= w - 3.2 && (plain || card_fits(st, s, font, size, 0, w, card_text_h(size, 1))))
        return 1;
    int n = (int)ceil(em * size / (w - 4));
    for (n = n < 2 ? 2 : n; n <= max_lines; n++)
        if (card_fits(st, s, font, size, 1, w, card_text_h(size, n)))
            return n;
    return 0;
}

/* Width of a tag pill with text s (12 px condensed bold); a card has few distinct tags. */
static double card_pill_w(card_state *st, const char *s)
{
    for (int i = 0; i < st->n_pill_memo; i++)
        if (strcmp(st->pill_memo[i].s, s) == 0)
            return st->pill_memo[i].w;
    double w = ceil(card_em(st, s, "sans-condensed-bold") * CARD_MIN_FONT) + 10;
    if (st->n_pill_memo < 16 && strlen(s) < sizeof st->pill_memo[0].s) {
        snprintf(st->pill_memo[st->n_pill_memo].s, sizeof st->pill_memo[0].s, "%s", s);
        st->pill_memo[st->n_pill_memo++].w = w;
    }
    return w;
}

static void card_pill(card_state *st, const char *s, double x, double y, double w, card_rgb bg, text_rgba fg)
{
    text_style ts = card_style("sans-condensed-bold", CARD_MIN_FONT, CARD_MIN_FONT, 0, TEXT_ALIGN_CENTER, fg);
    ts.fill = (text_rgba){bg.r, bg.g, bg.b, 1};
    ts.radius = CARD_PILL_H / 3;
    ts.padding = 0.5;
    card_text(st, s, &ts, x, y, w, CARD_PILL_H, 0);
}

/* ---- contexts and modifiers ----------------------------------------------------------- */

static const char *card_ctx_name(const char *ctx)
{
    return ctx[0] ? ctx : "General";
}

/* How a modifier reads in the legend: the key's name, or the control as the registry labels it. */
static void card_modifier_desc(const card_state *st, const bind_input *in, char *out, size_t cap)
{
    const device *d = devices_find(st->job->devices, st->job->game, in->device, in->vid, in->pid);
    const device_callout *co = devices_callout_for(d, in->control);
    char ctl[64];
    card_control_name(in->control, ctl, sizeof ctl);
    if (strncmp(in->control, "key:", 4) == 0) {
        char words[64];
        card_key_words(in->control + 4, words, sizeof words);
        snprintf(out, cap, "%.50s key", words);
    } else if (co && d == st->job->dev) {
        if (strcmp(co->label, ctl) == 0)
            snprintf(out, cap, "%.60s", ctl);
        else
            snprintf(out, cap, "%.60s (%.30s)", co->label, ctl);
    } else if (co) {
        snprintf(out, cap, "%.50s: %.60s", d->name, co->label);
    } else if (!d && !st->job->dev && st->n && strcmp(in->device, st->job->items[0]->input.device) == 0) {
        snprintf(out, cap, "%.60s", ctl); /* a control of this (generic) card's own device */
    } else {
        snprintf(out, cap, "%.60s %.30s", d ? d->name : in->device, ctl);
    }
}

static int card_mod_index(card_state *st, const binding *b)
{
    if (b->n_modifiers <= 0)
        return -1;
    char key[200] = "", desc[240] = "";
    for (int i = 0; i < b->n_modifiers && i < BIND_MAX_MODIFIERS; i++) {
        char one[160], d1[128];
        snprintf(one, sizeof one, "%.96s|%.48s;", b->modifiers[i].device, b->modifiers[i].control);
        strncat(key, one, sizeof key - strlen(key) - 1);
        card_modifier_desc(st, &b->modifiers[i], d1, sizeof d1);
        if (i)
            strncat(desc, " + ", sizeof desc - strlen(desc) - 1);
        strncat(desc, d1, sizeof desc - strlen(desc) - 1);
    }
    for (int i = 0; i < st->n_mods; i++)
        if (strcmp(st->mod_key[i], key) == 0)
            return i;
    int m = st->n_mods++;
    snprintf(st->mod_key[m], sizeof st->mod_key[0], "%s", key);
    snprintf(st->mod_desc[m], sizeof st->mod_desc[0], "%s", desc);
    return m;
}

static void card_mod_tag(int mod, char *out, size_t cap)
{
    snprintf(out, cap, "M%d", mod + 1);
}

/* raw with invisible break points in words too long for a narrow column (a raw id such as
 * "v_strafe_longitudinal_forward" or "Pos_OculusTouch_IndexTriggerLeft"): after '_' or ':' and
 * between a lower-case letter and a capital, so it wraps instead of being cut. */
static void card_soft_breaks(const char *raw, char *out, size_t cap)
{
    size_t n = 0, run = 0;
    for (size_t i = 0; raw[i] && n + 4 < cap; i++) {
        run = raw[i] == ' ' ? 0 : run + 1;
        int brk = run > 14 && i > 0 && raw[i + 1] &&
                  (raw[i - 1] == '_' || raw[i - 1] == ':' ||
                   (islower((unsigned char)raw[i - 1]) && isupper((unsigned char)raw[i])));
        if (brk) {
            memcpy(out + n, "\u200b", 3);
            n += 3;
            run = 0;
        }
        out[n++] = raw[i];
    }
    out[n] = '\0';
}

/* The action as printed: inverted axes say so. */
static void card_action_text(const binding *b, char *out, size_t cap)
{
    const char *a = b->action[0] ? b->action : b->action_id;
    char raw[200];
    snprintf(raw, sizeof raw, "%s%s", a, b->is_axis && b->inverted ? " (inverted)" : "");
    card_soft_breaks(raw, out, cap);
}

/* ---- shapes --------------------------------------------------------------------------- */

static void card_frame(cairo_t *cr, const device_rect *b, double r, double fr, double fg, double fb,
                       double sr, double sg, double sb, double lw)
{
    text_rounded_rect(cr, b->x + 0.5, b->y + 0.5, b->w - 1, b->h - 1, r);
    cairo_set_source_rgb(cr, fr, fg, fb);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, sr, sg, sb);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
}

/* Where a leader leaves box b towards point first. */
static device_point card_leader_start(const device_rect *b, device_point first)
{
    device_point p = {0, b->y + b->h / 2};
    if (first.x < b->x)
        p.x = b->x;
    else if (first.x > b->x + b->w)
        p.x = b->x + b->w;
    else {
        p.x = first.x;
        p.y = first.y < b->y ? b->y : b->y + b->h;
    }
    return p;
}

/* Leader from the side of box facing the next point, through the via points, to the anchor. */
static void card_leader_path(cairo_t *cr, const device_rect *b, const device_point *via, int n_via,
                             device_point anchor, int bound)
{
    device_point s = card_leader_start(b, n_via ? via[0] : anchor);
    cairo_move_to(cr, s.x, s.y);
    for (int i = 0; i < n_via; i++)
        cairo_line_to(cr, via[i].x, via[i].y);
    cairo_line_to(cr, anchor.x, anchor.y);
    cairo_set_line_width(cr, bound ? 1.5 : 1.0);
}

/* The lines of a device's leaders as sprites, made by the first card of the device a worker draws
 * at a scale and kept by it (render_ctx_keep_obj): s[2 * e + bound] for element e (a group, or
 * n_groups + a callout), NULL where there is no leader. */
typedef struct card_leaders {
    size_t n;
    sprite **s;
} card_leaders;

static void card_leaders_free(void *obj)
{
    card_leaders *l = obj;
    for (size_t i = 0; l && i < l->n; i++)
        sprite_free(l->s[i]);
    if (l)
        free(l->s);
    free(l);
}

/* The sprite of one leader line (NULL: none, or out of memory: then it is stroked). */
static sprite *card_leader_sprite(cairo_t *cr, const device_rect *b, const device_point *via, int n_via,
                                  device_point anchor, int bound, size_t *bytes)
{
    cairo_new_path(cr);
    card_leader_path(cr, b, via, n_via, anchor, bound);
    sprite *sp = sprite_new(cr, 1);
    cairo_new_path(cr);
    *bytes += sp ? sprite_bytes(sp) : 0;
    return sp;
}

/* The worker's leader sprites of the job's device under cr's matrix: kept, or made and kept; NULL
 * without a render context, on a surface other than an image, or when the budget has no room. */
static const card_leaders *card_leaders_of(card_state *st)
{
    const card_job *j = st->job;
    const device *d = j->dev;
    if (!j->rc || cairo_surface_get_type(cairo_get_target(st->cr)) != CAIRO_SURFACE_TYPE_IMAGE)
        return NULL;
    /* The key: the registry, the device, the matrix (the scale, and any offset). */
    char key[512];
    cairo_matrix_t m;
    cairo_get_matrix(st->cr, &m);
    int n = snprintf(key, sizeof key, "leaders %s %s ", devices_digest(j->devices), d->id);
    if (n < 0 || (size_t)n + sizeof m > sizeof key)
        return NULL;
    memcpy(key + n, &m, sizeof m);
    size_t len = (size_t)n + sizeof m;
    card_leaders *l = render_ctx_kept_obj(j->rc, key, len, card_leaders_free);
    if (l)
        return l;
    size_t n_el = d->n_groups + d->n_callouts, bytes = sizeof *l + 2 * n_el * sizeof *l->s;
    if (!(l = calloc(1, sizeof *l)) || !(l->s = calloc(2 * n_el, sizeof *l->s))) {
        card_leaders_free(l);
        return NULL;
    }
    l->n = 2 * n_el;
    for (int bound = 0; bound <= 1; bound++) {
        for (size_t g = 0; g < d->n_groups; g++) {
            const device_group *gr = &d->groups[g];
            l->s[2 * g + bound] = card_leader_sprite(st->cr, &gr->box, gr->via, gr->n_via, gr->anchor, bound, &bytes);
        }
        for (size_t i = 0; i < d->n_callouts; i++) {
            const device_callout *co = &d->callouts[i];
            if (co->has_anchor)
                l->s[2 * (d->n_groups + i) + bound] =
                    card_leader_sprite(st->cr, &co->box, co->via, co->n_via, co->anchor, bound, &bytes);
        }
    }
    if (render_ctx_keep_obj(j->rc, key, len, l, bytes, card_leaders_free) < 0) {
        card_leaders_free(l);
        return NULL;
    }
    return l;
}

/* The leader of element e (a group, or n_groups + a callout), bound or not, with its anchor's
 * dot. The line is the worker's sprite of it when there is one (cairo's cost per span is most of
 * a card's line art; the pixels are the same), else stroked. */
static void card_leader(card_state *st, int e, const device_rect *b, const device_point *via, int n_via,
                        device_point anchor, int bound)
{
    cairo_t *cr = st->cr;
    double r = bound ? 0.22 : 0.55, g = bound ? 0.27 : 0.58, bl = bound ? 0.33 : 0.62, a = bound ? 0.9 : 0.6;
    const sprite *sp = st->leaders ? st->leaders->s[2 * e + bound] : NULL;
    st->st.leaders++;
    if (sp && sprite_paint(sp, cr, r, g, bl, a) == 0) {
        st->st.leaders_sprites++;
    } else {
        card_leader_path(cr, b, via, n_via, anchor, bound);
        cairo_set_source_rgba(cr, r, g, bl, a);
        cairo_stroke(cr);
    }
    cairo_arc(cr, anchor.x, anchor.y, bound ? 4.5 : 3, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, bound ? 0.22 : 0.6, bound ? 0.27 : 0.63, bound ? 0.33 : 0.67);
    cairo_fill(cr);
}

static device_rect card_grow(device_rect r, double m)
{
    return (device_rect){r.x - m, r.y - m, r.w + 2 * m, r.h + 2 * m};
}

/* What a box and its leader (through via to anchor; n_via < 0: none) can paint, in pieces, each
 * given to fn: the box grown by its frame's stroke, the leader cut in short pieces grown by its
 * stroke and round joins (a diagonal leader meets a few restart segments per row; its bounding
 * box would meet most of the card), and the anchor's dot. */
#define CARD_PIECE 16.0 /* layout units of leader per piece */
typedef void (*card_piece_fn)(void *ctx, device_rect r);

static void card_pieces(const device_rect *b, int with_box, const device_point *via, int n_via,
                        const device_point *anchor, card_piece_fn fn, void *ctx)
{
    if (with_box)
        fn(ctx, card_grow(*b, 3));
    if (n_via < 0)
        return;
    device_point p = card_leader_start(b, n_via ? via[0] : *anchor);
    for (int i = 0; i <= n_via; i++) {
        device_point q = i < n_via ? via[i] : *anchor;
        int n = (int)ceil(hypot(q.x - p.x, q.y - p.y) / CARD_PIECE);
        n = n < 1 ? 1 : n;
        for (int k = 0; k < n; k++) {
            double ax = p.x + (q.x - p.x) * k / n, ay = p.y + (q.y - p.y) * k / n;
            double bx = p.x + (q.x - p.x) * (k + 1) / n, by = p.y + (q.y - p.y) * (k + 1) / n;
            fn(ctx, (device_rect){fmin(ax, bx) - 3, fmin(ay, by) - 3, fabs(bx - ax) + 6, fabs(by - ay) + 6});
        }
        p = q;
    }
    fn(ctx, (device_rect){anchor->x - 6, anchor->y - 6, 12, 12});
}

/* A callout's pieces. A key is one piece: what card_key_extents found it paints. */
static void card_callout_pieces(const card_state *st, size_t idx, card_piece_fn fn, void *ctx)
{
    const device *d = st->job->dev;
    const device_callout *co = &d->callouts[idx];
    if (d->kind == DEVICE_KEYBOARD && st->key_ext)
        fn(ctx, card_grow(st->key_ext[idx], 3));
    else if (d->kind == DEVICE_KEYBOARD) /* a tall key's outline may be the art's, up to a key more */
        fn(ctx, (device_rect){co->box.x - co->box.w, co->box.y - co->box.h - 3, 3 * co->box.w, 3 * co->box.h + 6});
    else
        card_pieces(&co->box, 1, co->via, co->has_anchor ? co->n_via : -1, &co->anchor, fn, ctx);
}

/* A group's pieces; with_box 0: only what a bound member changes (the leader; the group's frame
 * and name are drawn alike, bound or not, over it). */
static void card_group_pieces(const device_group *gr, int with_box, card_piece_fn fn, void *ctx)
{
    card_pieces(&gr->box, with_box, gr->via, gr->n_via, &gr->anchor, fn, ctx);
}

/* Whether anything in e is seen: always, except in a spliced job (only what meets its touched
 * restart segments; the others are the background's). Skipping is only a saving. */
static int card_shown(const card_state *st, device_rect e)
{
    return !st->spliced || render_spliced_meets(st->job->rc, &(text_box){e.x, e.y, e.w, e.h});
}

typedef struct {
    const card_state *st;
    int shown;
} card_meet;

static void card_meet_piece(void *ctx, device_rect r)
{
    card_meet *m = ctx;
    m->shown = m->shown || card_shown(m->st, r);
}

static int card_callout_shown(const card_state *st, size_t idx)
{
    card_meet m = {st, !st->spliced};
    if (!m.shown)
        card_callout_pieces(st, idx, card_meet_piece, &m);
    return m.shown;
}

static int card_group_shown(const card_state *st, const device_group *gr)
{
    card_meet m = {st, !st->spliced};
    if (!m.shown)
        card_group_pieces(gr, 1, card_meet_piece, &m);
    return m.shown;
}

/* ---- rows ----------------------------------------------------------------------------- */

/* Position of control c within callout co, or -1. */
static int card_control_pos(const device_callout *co, const char *c)
{
    for (int k = 0; co && k < co->n_controls; k++)
        if (strcmp(co->controls[k], c) == 0)
            return k;
    return -1;
}

static const char *card_pos_tag(const device_callout *co, const binding *b)
{
    int pos = card_control_pos(co, b->input.control);
    return pos >= 0 && co->tags[pos][0] ? co->tags[pos] : NULL;
}

/* A line of a list or callout: a binding, a modifier legend line or a context legend line. */
typedef struct {
    double pills_w; /* tags before the text, px (with their gaps) */
    int own;        /* tags on a line of their own above the text */
    int lines;
    double tw, h;
} card_geo;

static void card_unit_text(const card_state *st, int kind, int ref, char *out, size_t cap)
{
    if (kind == CARD_U_BIND)
        card_action_text(st->job->items[ref], out, cap);
    else if (kind == CARD_U_MOD)
        snprintf(out, cap, "held: %s", st->mod_desc[ref]);
    else
        snprintf(out, cap, "%s", st->lctx[ref].name);
}

struct card_geo_memo {
    double w, s;
    const device_callout *co;
    int max_lines, compact, rc;
    card_geo g;
};

static int card_geo_measure(card_state *st, int kind, int ref, const device_callout *co, double w, double s,
                            int max_lines, card_geo *g);

/* Row geometry; a binding's last measure is kept, as layouts try the same sizes again. */
static int card_geo_of(card_state *st, int kind, int ref, const device_callout *co, double w, double s,
                       int max_lines, card_geo *g)
{
    if (kind != CARD_U_BIND)
        return card_geo_measure(st, kind, ref, co, w, s, max_lines, g);
    struct card_geo_memo *m = &st->item_geo[ref];
    if (!(m->w == w && m->s == s && m->co == co && m->max_lines == max_lines && m->compact == st->compact)) {
        m->rc = card_geo_measure(st, kind, ref, co, w, s, max_lines, &m->g);
        m->w = w, m->s = s, m->co = co, m->max_lines = max_lines, m->compact = st->compact;
    }
    *g = m->g;
    return m->rc;
}

static int card_geo_measure(card_state *st, int kind, int ref, const device_callout *co, double w, double s,
                            int max_lines, card_geo *g)
{
    char text[320];
    double em;
    memset(g, 0, sizeof *g);
    card_unit_text(st, kind, ref, text, sizeof text);
    if (kind == CARD_U_BIND) {
        const binding *b = st->job->items[ref];
        const char *tag = card_pos_tag(co, b);
        g->pills_w = st->item_pills[ref] + (tag ? card_pill_w(st, tag) + 3 : 0);
        em = st->item_em[ref];
    } else if (kind == CARD_U_MOD) {
        char tag[16];
        card_mod_tag(ref, tag, sizeof tag);
        g->pills_w = card_pill_w(st, tag) + 3;
        em = card_em(st, text, "sans-condensed");
    } else {
        g->pills_w = 0;
        em = st->lctx[ref].em;
    }
    double avail = w - (st->compact ? 5 : CARD_BAR);
    double slack = st->compact ? 2 : 0; /* compact text has no padding: 2 px more to fit in */
    /* Tags before the text on its first line, or on a line of their own above it: whichever
     * is lower (inline when equal). */
    double h_in = -1, h_own = -1;
    int l_in = 0, l_own = 0;
    if (avail - g->pills_w >= 36 &&
        (l_in = card_lines(st, text, em, "sans-condensed", s, avail - g->pills_w + slack, max_lines)) > 0) {
        double th = card_text_h(s, l_in);
        h_in = g->pills_w > 0 && th < CARD_PILL_H + 0.5 ? CARD_PILL_H + 0.5 : th;
    }
    if (g->pills_w > 0 && max_lines > 1 && (h_in < 0 || l_in > 1) &&
        (l_own = card_lines(st, text, em, "sans-condensed", s, avail + slack, max_lines - 1)) > 0)
        h_own = CARD_PILL_H + 1 + card_text_h(s, l_own);
    if (h_in < 0 && h_own < 0)
        return -1;
    g->own = h_in < 0 || (h_own >= 0 && h_own < h_in);
    g->lines = g->own ? l_own : l_in;
    g->tw = g->own ? avail : avail - g->pills_w;
    g->h = g->own ? h_own : h_in;
    return 0;
}

static void card_unit_draw_row(card_state *st, int kind, int ref, const device_callout *co, double x, double y,
                               double w, double s, const card_geo *g)
{
    cairo_t *cr = st->cr;
    char text[320];
    card_unit_text(st, kind, ref, text, sizeof text);
    card_rgb c = kind == CARD_U_MOD ? (card_rgb){0.75, 0.77, 0.80}
                 : kind == CARD_U_CTX ? card_ctx_rgb[st->lctx[ref].color]
                                      : card_ctx_rgb[st->lctx[st->item_lctx[ref]].color];
    double bw = kind == CARD_U_CTX ? 14 : st->compact ? 3 : 4;
    cairo_rectangle(cr, x, kind == CARD_U_CTX ? y + (g->h - 14) / 2 : y + 2, bw, kind == CARD_U_CTX ? 14 : g->h - 4);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_fill(cr);
    double first = g->own ? CARD_PILL_H + 1 : (g->lines == 1 ? g->h : card_text_h(s, 1));
    double bar = st->compact ? 5 : CARD_BAR;
    double cx = x + bar, py = y + (first - CARD_PILL_H) / 2;
    if (kind == CARD_U_CTX)
        cx = x + 20;
    if (kind == CARD_U_BIND) {
        const binding *b = st->job->items[ref];
        const char *pos = card_pos_tag(co, b);
        if (pos) {
            double pw = card_pill_w(st, pos);
            card_pill(st, pos, cx, py, pw, (card_rgb){0.86, 0.88, 0.91}, card_ink);
            cx += pw + 3;
        }
        if (st->item_mod[ref] >= 0) {
            char tag[16];
            card_mod_tag(st->item_mod[ref], tag, sizeof tag);
            double pw = card_pill_w(st, tag);
            card_pill(st, tag, cx, py, pw, card_mod_rgb[st->item_mod[ref] % CARD_N_MOD_RGB], card_white);
            cx += pw + 3;
        }
        if (b->activation[0]) {
            double pw = card_pill_w(st, b->activation);
            card_pill(st, b->activation, cx, py, pw, (card_rgb){0.99, 0.90, 0.62}, (text_rgba){0.35, 0.22, 0, 1});
            cx += pw + 3;
        }
    } else if (kind == CARD_U_MOD) {
        char tag[16];
        card_mod_tag(ref, tag, sizeof tag);
        double pw = card_pill_w(st, tag);
        card_pill(st, tag, cx, py, pw, card_mod_rgb[ref % CARD_N_MOD_RGB], card_white);
        cx += pw + 3;
    }
    double tx = g->own ? x + bar : cx, th = card_text_h(s, g->lines);
    double ty = g->own ? y + CARD_PILL_H + 1 : y + (g->lines == 1 ? (g->h - th) / 2 : 0);
    if (kind == CARD_U_CTX)
        tx = x + 20;
    text_style ts = card_style("sans-condensed", s, s, g->lines > 1, TEXT_ALIGN_LEFT, card_ink);
    if (st->compact)
        ts.padding = 0;
    card_text(st, text, &ts, tx, ty, kind == CARD_U_CTX ? w - 20 : g->tw, th, kind == CARD_U_BIND);
    if (kind == CARD_U_BIND) {
        st->st.bindings_shown++;
        st->placed[ref] = 1;
    } else if (kind == CARD_U_MOD) {
        st->st.mods_listed++;
    }
}

/* ---- callouts and keys: how many rows fit, at which size ------------------------------- */

/* Row order in a callout: by position of the control (fwd before aft), then no modifier before
 * modifiers, then context. Insertion sort: a callout has a handful of rows, and qsort has no
 * context argument (a static one would race between render threads). */
static int card_row_before(const card_state *st, const device_callout *co, int a, int b)
{
    const binding *const *items = st->job->items;
    int ka = card_control_pos(co, items[a]->input.control), kb = card_control_pos(co, items[b]->input.control);
    if (ka != kb)
        return ka < kb;
    if (st->item_mod[a] != st->item_mod[b])
        return st->item_mod[a] < st->item_mod[b];
    if (st->item_lctx[a] != st->item_lctx[b])
        return st->item_lctx[a] < st->item_lctx[b];
    return a < b;
}

static void card_sort_rows(const card_state *st, const device_callout *co, int *rows, int n)
{
    for (int i = 1; i < n; i++) {
        int v = rows[i], k = i;
        while (k > 0 && card_row_before(st, co, v, rows[k - 1])) {
            rows[k] = rows[k - 1];
            k--;
        }
        rows[k] = v;
    }
}

/* Rows that fit a body of w x h in cols columns at size s, taken in order; a row that does not
 * fit is left for the panel and the next ones still get their chance. keep[k] says which
 * (may be NULL). Returns how many fit. */
static int card_box_try(card_state *st, const device_callout *co, const int *rows, int n, double w, double h,
                        double s, int cols, int max_lines, unsigned char *keep)
{
    double cw = (w - (cols - 1) * 8) / cols, y = 0;
    int col = 0, placed = 0;
    for (int k = 0; k < n; k++) {
        card_geo g;
        int ok = card_geo_of(st, CARD_U_BIND, rows[k], co, cw, s, max_lines, &g) == 0 && g.h <= h + 0.01;
        if (ok && y + g.h > h + 0.01) {
            if (col + 1 < cols)
                col++, y = 0;
            else
                ok = 0;
        }
        if (ok)
            y += g.h, placed++;
        if (keep)
            keep[k] = (unsigned char)ok;
    }
    return placed;
}

/* The largest size (max_s down to CARD_MIN_FONT) and column count at which every row fits; if
 * none, as many rows as fit at the minimum size, moved to the front of p->rows (in their
 * order) with the others after them. */
static void card_box_plan_rows(card_state *st, const device_callout *co, card_box_plan *p, double w, double h,
                               double max_s, int max_lines)
{
    int max_cols = (int)((w + 8) / (170 + 8)), best = -1;
    max_cols = max_cols > 3 ? 3 : max_cols < 1 ? 1 : max_cols;
    max_cols = max_cols > p->n ? p->n : max_cols;
    p->size = CARD_MIN_FONT;
    p->cols = 1;
    for (double s = max_s; s >= CARD_MIN_FONT - 0.01; s -= 1) {
        for (int cols = 1; cols <= max_cols; cols++) {
            int k = card_box_try(st, co, p->rows, p->n, w, h, s, cols, max_lines, NULL);
            if (k == p->n) {
                p->size = s, p->cols = cols, p->n_fit = k;
                return;
            }
            if (s < CARD_MIN_FONT + 0.99 && k > best)
                best = k, p->cols = cols;
        }
    }
    unsigned char *keep = malloc((size_t)p->n + 1);
    int *tmp = malloc(((size_t)p->n + 1) * sizeof *tmp);
    if (!keep || !tmp) {
        free(keep);
        free(tmp);
        card_oom(st);
        p->n_fit = 0;
        return;
    }
    p->n_fit = card_box_try(st, co, p->rows, p->n, w, h, CARD_MIN_FONT, p->cols, max_lines, keep);
    int a = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (int k = 0; k < p->n; k++)
            if (keep[k] == pass)
                tmp[a++] = p->rows[k];
    memcpy(p->rows, tmp, (size_t)p->n * sizeof *tmp);
    free(keep);
    free(tmp);
}

static void card_box_draw_rows(card_state *st, const device_callout *co, const card_box_plan *p, double x,
                               double y, double w, double h, int max_lines)
{
    double cw = (w - (p->cols - 1) * 8) / p->cols, cy = 0;
    int col = 0;
    for (int k = 0; k < p->n_fit; k++) {
        card_geo g;
        if (card_geo_of(st, CARD_U_BIND, p->rows[k], co, cw, p->size, max_lines, &g) < 0)
            break;
        if (cy + g.h > h + 0.01)
            col++, cy = 0;
        card_unit_draw_row(st, CARD_U_BIND, p->rows[k], co, x + col * (cw + 8), y + cy, cw, p->size, &g);
        cy += g.h;
    }
}

/* Body rect of a callout or key (below its head line). */
typedef struct {
    double x, y, w, h, max_s;
    int max_lines;
} card_body;

static card_body card_body_of(const device *d, const device_callout *co)
{
    const device_rect *b = &co->box;
    if (d->kind == DEVICE_KEYBOARD)
        return (card_body){b->x + 2, b->y + 18, b->w - 4, b->h - 20, 13, 4};
    return (card_body){b->x + 5, b->y + 14.5, b->w - 10, b->h - 15.5, b->h >= 50 && b->w >= 200 ? 16 : 15, 3};
}

/* ---- flow: entries and sections in columns over pages --------------------------------- */

static int card_entry_add(card_state *st, const char *name, const device_callout *co, int section)
{
    if (st->n_entries == st->cap_entries) {
        int c = st->cap_entries ? st->cap_entries * 2 : 16;
        card_entry *a = realloc(st->entries, (size_t)c * sizeof *a);
        if (!a) {
            card_oom(st);
            return -1;
        }
        st->entries = a, st->cap_entries = c;
    }
    card_entry *e = &st->entries[st->n_entries];
    memset(e, 0, sizeof *e);
    card_soft_breaks(name, e->name, sizeof e->name);
    e->co = co;
    e->section = section;
    e->first_unit = st->n_units;
    e->name_em = card_em(st, name, "sans-condensed-bold");
    return st->n_entries++;
}

static void card_unit_add(card_state *st, int kind, int ref, int entry)
{
    if (st->failed)
        return;
    if (st->n_units == st->cap_units) {
        int c = st->cap_units ? st->cap_units * 2 : 32;
        card_unit *a = realloc(st->units, (size_t)c * sizeof *a);
        if (!a) {
            card_oom(st);
            return;
        }
        st->units = a, st->cap_units = c;
    }
    card_unit *u = &st->units[st->n_units++];
    memset(u, 0, sizeof *u);
    u->kind = kind, u->ref = ref, u->entry = entry, u->col = -1;
    if (entry >= 0)
        st->entries[entry].n_units++;
}

/* Section heading unit, when the section starts. */
static void card_section(card_state *st, int section, int *cur)
{
    if (*cur == section)
        return;
    *cur = section;
    card_unit_add(st, CARD_U_HEAD, section, -1);
}

/* Width of the name column of a section in a column of width w at size s: the widest name
 * that fits a third of the column; longer names go on their own line. */
static double card_name_col(const card_state *st, int section, double w, double s)
{
    double cap = 0.36 * w, nw = 0;
    for (int e = 0; e < st->n_entries; e++) {
        const card_entry *en = &st->entries[e];
        if (en->section != section || !en->name[0])
            continue;
        double x = en->name_em * s + 12;
        if (x <= cap && x > nw)
            nw = x;
    }
    return nw;
}

/* Height of unit i in a column of width w at size s; fills nw/name_h for rows. -1 if it cannot
 * be laid in that width. */
static double card_unit_h_measure(card_state *st, int i, double w, double s, double *nw, double *name_h);

static double card_unit_h(card_state *st, int i, double w, double s, double *nw, double *name_h)
{
    card_unit *u = &st->units[i];
    if (u->memo_w != w || u->memo_s != s) {
        u->memo_h = card_unit_h_measure(st, i, w, s, &u->memo_nw, &u->memo_name_h);
        u->memo_w = w, u->memo_s = s;
    }
    *nw = u->memo_nw, *name_h = u->memo_name_h;
    return u->memo_h;
}

static double card_unit_h_measure(card_state *st, int i, double w, double s, double *nw, double *name_h)
{
    const card_unit *u = &st->units[i];
    *nw = 0, *name_h = 0;
    if (u->kind == CARD_U_HEAD) {
        const char *t = card_sec_title[u->ref];
        int lines = card_lines(st, t, card_em(st, t, "sans-bold"), "sans-bold", s + 2, w, 3);
        return lines > 0 ? card_text_h(s + 2, lines) + 10 : -1;
    }
    const card_entry *e = &st->entries[u->entry];
    *nw = card_name_col(st, e->section, w, s);
    if (i == e->first_unit && e->name[0] && e->name_em * s + 12 > *nw) {
        int lines = card_lines(st, e->name, e->name_em, "sans-condensed-bold", s, w, 3);
        if (lines <= 0)
            return -1;
        *name_h = card_text_h(s, lines);
    }
    card_geo g;
    if (card_geo_of(st, u->kind, u->ref, e->co, w - *nw, s, 4, &g) < 0)
        return -1;
    return *name_h + g.h + (i == e->first_unit + e->n_units - 1 ? 5 : 0);
}

/* Room a unit needs to start a column here: a heading keeps its first line with it, an entry
 * stays whole when it can. */
static double card_unit_need(card_state *st, int i, double w, double s, double colh, double h)
{
    const card_unit *u = &st->units[i];
    double nw, nh;
    if (u->kind == CARD_U_HEAD) {
        if (i + 1 < st->n_units) {
            double h2 = card_unit_h(st, i + 1, w, s, &nw, &nh);
            return h2 < 0 ? -1 : h + h2;
        }
        return h;
    }
    const card_entry *e = &st->entries[u->entry];
    if (i != e->first_unit || e->n_units == 1)
        return h;
    double all = h;
    for (int k = i + 1; k < e->first_unit + e->n_units; k++) {
        double hk = card_unit_h(st, k, w, s, &nw, &nh);
        if (hk < 0)
            return h;
        all += hk;
    }
    return all <= colh ? all : h;
}

/* Lay units from i0 into the columns of one page, each at most limit high. Returns the first
 * unit that did not fit. commit records the places. */
static int card_place(card_state *st, int i0, const card_col *cols, int ncols, int page, double limit, double s,
                      int commit)
{
    int c = 0, i;
    double y = cols[0].y;
    for (i = i0; i < st->n_units && !st->failed;) {
        double colh = cols[c].h < limit ? cols[c].h : limit, nw, nh;
        double h = card_unit_h(st, i, cols[c].w, s, &nw, &nh);
        double need = h < 0 ? -1 : card_unit_need(st, i, cols[c].w, s, colh, h);
        if (need < 0 || y + need > cols[c].y + colh + 0.01) {
            /* An empty column that cannot take a heading with its first line still takes a
             * lone line, so the flow always moves on. */
            if (h >= 0 && y == cols[c].y && h <= colh + 0.01)
                need = h;
            else {
                if (++c == ncols)
                    break;
                y = cols[c].y;
                continue;
            }
        }
        if (commit) {
            card_unit *u = &st->units[i];
            u->page = page, u->col = (int)(&cols[c] - st->cols);
            u->x = cols[c].x, u->y = y, u->w = cols[c].w, u->h = h, u->nw = nw, u->name_h = nh, u->size = s;
        }
        y += h;
        i++;
    }
    return i;
}

static int card_cols_reserve(card_state *st, int n)
{
    if (n <= st->cap_cols)
        return 0;
    card_col *a = realloc(st->cols, (size_t)n * sizeof *a);
    if (!a) {
        card_oom(st);
        return -1;
    }
    st->cols = a, st->cap_cols = n;
    return 0;
}

/* c equal columns over a whole page (below the title, and below the "Continued from page N"
 * line on pages after the first) starting at st->cols[at]. */
#define CARD_CONT_H 34.0

static void card_full_cols(card_state *st, int at, int c, int page)
{
    double w = (CARD_PAGE_X1 - CARD_PAGE_X0 - (c - 1) * CARD_GAP) / c;
    double top = CARD_PAGE_Y0 + (page > 1 ? CARD_CONT_H : 0);
    if (w > 640) /* a line of a list is read, not searched across the page */
        w = 640;
    for (int k = 0; k < c; k++)
        st->cols[at + k] = (card_col){CARD_PAGE_X0 + k * (w + CARD_GAP), top, w, CARD_PAGE_Y1 - top, -1};
}

/* Place one page; when everything left fits and balance is set, make the columns as even as
 * the content allows. Returns the next unit. */
static int card_place_page(card_state *st, int i0, int at, int ncols, int page, double s, int balance)
{
    const card_col *cols = &st->cols[at];
    double full = 1e9;
    int end = card_place(st, i0, cols, ncols, page, full, s, 0);
    if (end == st->n_units && balance && ncols > 1) {
        /* Not thinner than a few lines: a short list reads better in one column than in five. */
        double lo = 120, hi = 0;
        for (int c = 0; c < ncols; c++)
            hi = cols[c].h > hi ? cols[c].h : hi;
        if (lo > hi)
            lo = hi;
        for (int it = 0; it < 12; it++) {
            double mid = (lo + hi) / 2;
            if (card_place(st, i0, cols, ncols, page, mid, s, 0) == st->n_units)
                hi = mid;
            else
                lo = mid;
        }
        full = hi;
    }
    return card_place(st, i0, cols, ncols, page, full, s, 1);
}

/* Units from i on full pages from from_page: when they all fit one page, at the largest size
 * (16 px down) and fewest columns that hold them, balanced; else 13 px in four columns, page
 * after page. Returns the last page used. */
static int card_flow_pages(card_state *st, int i, int from_page)
{
    int at = st->n_cols;
    if (card_cols_reserve(st, at + 8) < 0)
        return from_page;
    st->n_cols = at + 8;
    for (double s = 16; s >= CARD_MIN_FONT - 0.01 && !st->failed; s -= 1)
        for (int c = 2; c <= 4; c++) {
            card_full_cols(st, at, c, from_page);
            if (card_place(st, i, &st->cols[at], c, from_page, 1e9, s, 0) == st->n_units) {
                card_place_page(st, i, at, c, from_page, s, 1);
                return from_page;
            }
        }
    card_full_cols(st, at, 4, from_page);
    card_full_cols(st, at + 4, 4, from_page + 1);
    int page = from_page - 1;
    while (i < st->n_units && !st->failed) {
        page++;
        int next = card_place_page(st, i, page == from_page ? at : at + 4, 4, page, 13, 1);
        if (next == i) { /* nothing fits a whole page: cannot happen with 4-line rows */
            err_set(st->err, ERR_INTERNAL, NULL, "card layout: a line taller than a page");
            st->failed = 1;
            break;
        }
        i = next;
    }
    return page < from_page ? from_page : page;
}

/* ---- free space of the drawing --------------------------------------------------------- */

#define CARD_CELL 16
#define CARD_GW (CARD_W / CARD_CELL)
#define CARD_GH ((CARD_H + CARD_CELL - 1) / CARD_CELL)

static void card_mark(unsigned char *g, double x, double y, double w, double h, double m)
{
    int c0 = (int)floor((x - m) / CARD_CELL), c1 = (int)ceil((x + w + m) / CARD_CELL);
    int r0 = (int)floor((y - m) / CARD_CELL), r1 = (int)ceil((y + h + m) / CARD_CELL);
    c0 = c0 < 0 ? 0 : c0, r0 = r0 < 0 ? 0 : r0;
    c1 = c1 > CARD_GW ? CARD_GW : c1, r1 = r1 > CARD_GH ? CARD_GH : r1;
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++)
            g[r * CARD_GW + c] = 1;
}

static void card_mark_segment(unsigned char *g, device_point a, device_point b)
{
    double len = hypot(b.x - a.x, b.y - a.y);
    int n = (int)(len / 6) + 1;
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n;
        card_mark(g, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, 0, 0, 8);
    }
}

static void card_mark_leader(unsigned char *g, const device_rect *b, const device_point *via, int n_via,
                             device_point anchor)
{
    device_point p = card_leader_start(b, n_via ? via[0] : anchor);
    for (int i = 0; i < n_via; i++) {
        card_mark_segment(g, p, via[i]);
        p = via[i];
    }
    card_mark_segment(g, p, anchor);
}

static double card_jnum(const json_t *a, size_t i)
{
    return json_number_value(json_array_get(a, i));
}

/* Bounding boxes of the art's shapes. */
static void card_mark_art(unsigned char *g, const json_t *art)
{
    size_t i;
    const json_t *sh;
    json_array_foreach(art, i, sh)
    {
        const json_t *v;
        if ((v = json_object_get(sh, "rrect")))
            card_mark(g, card_jnum(v, 0), card_jnum(v, 1), card_jnum(v, 2), card_jnum(v, 3), 6);
        else if ((v = json_object_get(sh, "circle")) || (v = json_object_get(sh, "arc")) ||
                 (v = json_object_get(sh, "hat"))) {
            double r = card_jnum(v, 2);
            card_mark(g, card_jnum(v, 0) - r, card_jnum(v, 1) - r, 2 * r, 2 * r, 6);
        } else if ((v = json_object_get(sh, "ellipse"))) {
            double rx = card_jnum(v, 2), ry = card_jnum(v, 3);
            card_mark(g, card_jnum(v, 0) - rx, card_jnum(v, 1) - ry, 2 * rx, 2 * ry, 6);
        } else if ((v = json_object_get(sh, "line"))) {
            size_t k;
            const json_t *pt;
            json_array_foreach(v, k, pt) card_mark(g, card_jnum(pt, 0), card_jnum(pt, 1), 0, 0, 6);
        } else if ((v = json_object_get(sh, "path")) && json_is_string(v)) {
            double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9, num[2];
            int k = 0;
            for (const char *p = json_string_value(v); *p;) {
                char *end;
                double d = strtod(p, &end);
                if (end == p) {
                    p++;
                    continue;
                }
                p = end;
                num[k++] = d;
                if (k == 2) {
                    x0 = fmin(x0, num[0]), x1 = fmax(x1, num[0]);
                    y0 = fmin(y0, num[1]), y1 = fmax(y1, num[1]);
                    k = 0;
                }
            }
            if (x1 >= x0)
                card_mark(g, x0, y0, x1 - x0, y1 - y0, 6);
        }
    }
}

/* The largest empty rectangle of the grid at least min_c x min_r cells (histogram method). */
static int card_largest_free(const unsigned char *g, int min_c, int min_r, int *bx, int *by, int *bw, int *bh)
{
    int hist[CARD_GW + 1], stack[CARD_GW + 1], best = 0;
    memset(hist, 0, sizeof hist);
    for (int r = 0; r < CARD_GH; r++) {
        for (int c = 0; c < CARD_GW; c++)
            hist[c] = g[r * CARD_GW + c] ? 0 : hist[c] + 1;
        hist[CARD_GW] = 0;
        int top = 0;
        for (int c = 0; c <= CARD_GW; c++) {
            while (top > 0 && hist[stack[top - 1]] >= hist[c]) {
                int hgt = hist[stack[--top]];
                int left = top > 0 ? stack[top - 1] + 1 : 0, wid = c - left;
                if (wid >= min_c && hgt >= min_r && wid * hgt > best) {
                    best = wid * hgt;
                    *bx = left, *by = r - hgt + 1, *bw = wid, *bh = hgt;
                }
            }
            stack[top++] = c;
        }
    }
    return best > 0;
}

/* Panel regions of page 1: the canvas minus title band, callouts, hat groups, leader lines and
 * the drawing itself; up to 4 rectangles, largest first, split into columns. */
static void card_panel_regions(card_state *st)
{
    const device *d = st->job->dev;
    unsigned char *g = calloc(CARD_GW * CARD_GH, 1);
    if (!g) {
        card_oom(st);
        return;
    }
    card_mark(g, 0, 0, CARD_W, CARD_TITLE_H + 4, 0);
    card_mark(g, 0, 0, 12, CARD_H, 0);
    card_mark(g, CARD_W - 12, 0, 12, CARD_H, 0);
    card_mark(g, 0, CARD_H - 10, CARD_W, 10, 0);
    card_mark_art(g, d->art);
    for (size_t i = 0; i < d->n_callouts; i++) {
        const device_callout *co = &d->callouts[i];
        card_mark(g, co->box.x, co->box.y, co->box.w, co->box.h, 8);
        if (co->has_anchor)
            card_mark_leader(g, &co->box, co->via, co->n_via, co->anchor);
    }
    for (size_t i = 0; i < d->n_groups; i++) {
        const device_group *gr = &d->groups[i];
        card_mark(g, gr->box.x, gr->box.y, gr->box.w, gr->box.h, 8);
        card_mark_leader(g, &gr->box, gr->via, gr->n_via, gr->anchor);
    }
    int x, y, w, h;
    st->n_regions = 0;
    while (st->n_regions < 4 && card_largest_free(g, 260 / CARD_CELL, 72 / CARD_CELL, &x, &y, &w, &h)) {
        card_region *r = &st->regions[st->n_regions++];
        *r = (card_region){x * CARD_CELL, y * CARD_CELL, w * CARD_CELL, h * CARD_CELL};
        if (r->x + r->w > CARD_W - 12)
            r->w = CARD_W - 12 - r->x;
        card_mark(g, r->x, r->y, r->w, r->h, 0);
    }
    free(g);
    /* Columns of about 340 px inside each region. */
    for (int k = 0; k < st->n_regions; k++) {
        const card_region *r = &st->regions[k];
        double iw = r->w - 20;
        int nc = (int)((iw + CARD_GAP) / (340 + CARD_GAP));
        nc = nc < 1 ? 1 : nc;
        if (card_cols_reserve(st, st->n_cols + nc) < 0)
            return;
        double cw = (iw - (nc - 1) * CARD_GAP) / nc;
        for (int c = 0; c < nc; c++)
            st->cols[st->n_cols++] = (card_col){r->x + 10 + c * (cw + CARD_GAP), r->y + 8, cw, r->h - 16, k};
    }
}

/* ---- plan ------------------------------------------------------------------------------- */

/* Kinds of control in list order: buttons, hats, axes, keys, gamepad names, anything else. */
static int card_kind_order(const char *c)
{
    static const char *const prefix[] = {"button:", "hat:", "axis:", "key:", "pad:"};
    for (int i = 0; i < 5; i++)
        if (strncmp(c, prefix[i], strlen(prefix[i])) == 0)
            return i;
    return 5;
}

static int card_control_cmp(const char *a, const char *b)
{
    int ka = card_kind_order(a), kb = card_kind_order(b);
    if (ka != kb)
        return ka - kb;
    if (ka == 0)
        return atoi(a + 7) - atoi(b + 7);
    if (ka == 1) {
        int ha = atoi(a + 4), hb = atoi(b + 4);
        if (ha != hb)
            return ha - hb;
        /* clockwise from up; a direction the grammar does not know last */
        int ia = control_index(control_hat_dirs, strrchr(a, ':') + 1);
        int ib = control_index(control_hat_dirs, strrchr(b, ':') + 1);
        return (ia < 0 ? CONTROL_HAT__COUNT : ia) - (ib < 0 ? CONTROL_HAT__COUNT : ib);
    }
    return strcmp(a, b);
}

static int card_ptr_cmp(const void *pa, const void *pb)
{
    return card_control_cmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Entries for the bindings of items that are not yet owned (owner[i] < 0), one per control,
 * sorted; in one section, or (section < 0) in the section of each control's kind. */
static void card_list_controls(card_state *st, const int *owner, int section, int *cur)
{
    const card_job *j = st->job;
    const char **ctl = malloc((st->n + 1) * sizeof *ctl);
    int *rows = malloc((st->n + 1) * sizeof *rows);
    size_t nc = 0;
    if (!ctl || !rows) {
        free(ctl);
        free(rows);
        card_oom(st);
        return;
    }
    for (size_t i = 0; i < st->n; i++) {
        if (owner[i] >= 0)
            continue;
        int seen = 0;
        for (size_t k = 0; k < nc && !seen; k++)
            seen = strcmp(ctl[k], j->items[i]->input.control) == 0;
        if (!seen)
            ctl[nc++] = j->items[i]->input.control;
    }
    qsort(ctl, nc, sizeof *ctl, card_ptr_cmp);
    const device *kb = j->dev && j->dev->kind == DEVICE_KEYBOARD ? j->dev : NULL;
    for (size_t k = 0; k < nc && !st->failed; k++) {
        int n = 0;
        for (size_t i = 0; i < st->n; i++)
            if (owner[i] < 0 && strcmp(j->items[i]->input.control, ctl[k]) == 0)
                rows[n++] = (int)i;
        card_sort_rows(st, NULL, rows, n);
        char name[96];
        if (strncmp(ctl[k], "key:", 4) == 0) {
            const device_callout *co = devices_callout_for(kb, ctl[k]);
            if (co && co->legend[0])
                snprintf(name, sizeof name, "%s", co->legend);
            else
                card_key_words(ctl[k] + 4, name, sizeof name);
        } else {
            card_control_name(ctl[k], name, sizeof name);
        }
        card_section(st, section >= 0 ? section : CARD_SEC_BUTTONS + card_kind_order(ctl[k]), cur);
        int e = card_entry_add(st, name, NULL, *cur);
        for (int r = 0; r < n && e >= 0; r++)
            card_unit_add(st, CARD_U_BIND, rows[r], e);
    }
    free(ctl);
    free(rows);
}

/* Callouts and keys: which rows fit where; what does not fit or has no callout becomes the
 * flow (panel and further pages). */
static void card_plan_device(card_state *st, int *owner, int *cur)
{
    const device *d = st->job->dev;
    st->boxes = calloc(d->n_callouts + 1, sizeof *st->boxes);
    int *pool = malloc((st->n + 1) * sizeof *pool);
    if (!st->boxes || !pool) {
        free(pool);
        card_oom(st);
        return;
    }
    st->boxes[0].rows = pool; /* freed through boxes[0] */
    for (size_t i = 0; i < st->n; i++) {
        owner[i] = -1;
        for (size_t c = 0; c < d->n_callouts && owner[i] < 0; c++)
            if (card_control_pos(&d->callouts[c], st->job->items[i]->input.control) >= 0)
                owner[i] = (int)c;
    }
    int used = 0;
    for (size_t c = 0; c < d->n_callouts && !st->failed; c++) {
        card_box_plan *p = &st->boxes[c];
        const device_callout *co = &d->callouts[c];
        p->rows = pool + used;
        p->entry = -1;
        for (size_t i = 0; i < st->n; i++)
            if (owner[i] == (int)c)
                p->rows[p->n++] = (int)i;
        used += p->n;
        if (!p->n)
            continue;
        card_sort_rows(st, co, p->rows, p->n);
        card_body b = card_body_of(d, co);
        st->compact = d->kind == DEVICE_KEYBOARD;
        card_box_plan_rows(st, co, p, b.w, b.h, b.max_s, b.max_lines);
        if (p->n_fit < p->n) {
            /* Room for the marker beside the name (its widest form, "+N → p.N")? Else it
             * takes the body's last line. */
            char m[32];
            snprintf(m, sizeof m, "+%d \u2192 p.9", p->n - p->n_fit);
            double head = d->kind == DEVICE_KEYBOARD
                              ? card_em(st, co->legend[0] ? co->legend : co->label, "sans-bold") * 13 + 12
                              : card_em(st, co->label, "sans-condensed-bold") * CARD_MIN_FONT + 14;
            if (head + card_pill_w(st, m) + 6 > co->box.w) {
                p->marker_low = 1;
                card_sort_rows(st, co, p->rows, p->n);
                card_box_plan_rows(st, co, p, b.w, b.h - CARD_PILL_H - 2, b.max_s, b.max_lines);
            }
        }
        if (p->n_fit < p->n) {
            char name[112];
            if (d->kind == DEVICE_KEYBOARD)
                snprintf(name, sizeof name, "%s", co->legend[0] ? co->legend : co->label);
            else if (co->group >= 0 && (size_t)co->group < d->n_groups &&
                     !strstr(co->label, d->groups[co->group].label))
                snprintf(name, sizeof name, "%.50s (%.50s)", co->label, d->groups[co->group].label);
            else
                snprintf(name, sizeof name, "%s", co->label);
            card_section(st, CARD_SEC_CONT, cur);
            p->entry = card_entry_add(st, name, co, CARD_SEC_CONT);
            for (int k = p->n_fit; k < p->n && p->entry >= 0; k++)
                card_unit_add(st, CARD_U_BIND, p->rows[k], p->entry);
        }
        st->compact = 0;
    }
    card_list_controls(st, owner, CARD_SEC_ALSO, cur);
}

/* Legend items the header could not hold continue in the flow. */
static void card_plan_legend(card_state *st, int *cur)
{
    int total = st->n_lctx + st->n_mods;
    for (int i = st->header_items; i < total && !st->failed; i++) {
        card_section(st, CARD_SEC_LEGEND, cur);
        int e = card_entry_add(st, "", NULL, CARD_SEC_LEGEND);
        if (e < 0)
            return;
        if (i < st->n_lctx)
            card_unit_add(st, CARD_U_CTX, i, e);
        else
            card_unit_add(st, CARD_U_MOD, i - st->n_lctx, e);
    }
}

static int card_rows_in_flow(const card_state *st)
{
    int n = 0;
    for (int i = 0; i < st->n_units; i++)
        n += st->units[i].kind != CARD_U_HEAD;
    return n;
}

/* Generic card: the largest size and fewest columns (not fewer than the content calls for)
 * that hold everything on one page, columns balanced; else 13 px in four columns over pages. */
static void card_layout_generic(card_state *st)
{
    int rows = card_rows_in_flow(st);
    int cmin = (rows + 13) / 14;
    cmin = cmin < 1 ? 1 : cmin > 4 ? 4 : cmin;
    if (card_cols_reserve(st, 8) < 0)
        return;
    for (double s = 18; s >= CARD_MIN_FONT - 0.01 && !st->failed; s -= 1)
        for (int c = cmin; c <= 5; c++) {
            card_full_cols(st, 0, c, 1);
            if (card_place(st, 0, st->cols, c, 1, 1e9, s, 0) == st->n_units) {
                st->n_cols = c;
                card_place_page(st, 0, 0, c, 1, s, 1);
                st->pages = 1;
                return;
            }
        }
    st->n_cols = 0;
    st->pages = card_flow_pages(st, 0, 1);
}

/* Device card: the panel in the drawing's free space at the largest size that holds the whole
 * flow; else 13 px, and what page 1 cannot hold goes on. */
static void card_layout_device(card_state *st)
{
    st->pages = 1;
    if (st->n_units == 0)
        return;
    card_panel_regions(st);
    int n1 = st->n_cols;
    if (n1 > 0)
        for (double s = 15; s >= CARD_MIN_FONT - 0.01; s -= 1)
            if (card_place(st, 0, st->cols, n1, 1, 1e9, s, 0) == st->n_units) {
                card_place_page(st, 0, 0, n1, 1, s, 1);
                return;
            }
    int i = n1 > 0 ? card_place(st, 0, st->cols, n1, 1, 1e9, 13, 1) : 0;
    if (i < st->n_units)
        st->pages = card_flow_pages(st, i, 2);
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Legend in the header's right part: context colours, then modifier tags with what they mean,
 * as many as its three rows hold (the rest continue in the flow). draw = 0 only counts. */
static int card_header_legend(card_state *st, int draw)
{
    const double x0 = 960, y0 = 8, w = CARD_W - 960 - 24, rh = 29, fs = 15;
    double x = x0, y = y0;
    int total = st->n_lctx + st->n_mods, i;
    for (i = 0; i < total && !st->failed; i++) {
        char desc[300], tag[16] = "";
        double iw, pw = 0;
        if (i < st->n_lctx) {
            snprintf(desc, sizeof desc, "%s", st->lctx[i].name);
            iw = 20 + st->lctx[i].em * fs + 22;
        } else {
            int m = i - st->n_lctx;
            card_mod_tag(m, tag, sizeof tag);
            snprintf(desc, sizeof desc, "held: %s", st->mod_desc[m]);
            pw = card_pill_w(st, tag);
            iw = pw + 6 + card_em(st, desc, "sans-condensed") * fs + 22;
        }
        if (iw > w)
            break;
        if (x + iw > x0 + w + 0.5) {
            y += rh, x = x0;
            if (y + rh > y0 + 3 * rh + 0.5)
                break;
        }
        if (draw) {
            text_style ts = card_style("sans-condensed", fs, fs, 0, TEXT_ALIGN_LEFT, card_ink);
            if (!tag[0]) {
                card_rgb c = card_ctx_rgb[st->lctx[i].color];
                cairo_rectangle(st->cr, x, y + rh / 2 - 7, 14, 14);
                cairo_set_source_rgb(st->cr, c.r, c.g, c.b);
                cairo_fill(st->cr);
                card_text(st, desc, &ts, x + 19, y, iw - 19, rh, 0);
            } else {
                int m = i - st->n_lctx;
                card_pill(st, tag, x, y + (rh - CARD_PILL_H) / 2, pw, card_mod_rgb[m % CARD_N_MOD_RGB], card_white);
                card_text(st, desc, &ts, x + pw + 5, y, iw - pw - 5, rh, 0);
                st->st.mods_listed += st->page == 1; /* the header repeats on later pages */
            }
        }
        x += iw;
    }
    return i;
}

/* "Elite Dangerous — Thrustmaster T.16000M (left) #2 · F-16C_50", and the profile, counts and
 * page below it. */
static void card_title(card_state *st)
{
    const card_job *j = st->job;
    char title[400], sub[256], name[200];
    const char *dev = j->device_name && j->device_name[0] ? j->device_name : j->dev ? j->dev->name : "";
    char readable[200];
    if (!j->dev) { /* never a bare hex id ("231D0121") as a title */
        cardset_generic_title(j->usb, dev, 0, 0, readable, sizeof readable);
        dev = readable;
    }
    size_t n = (size_t)snprintf(name, sizeof name, "%s", dev);
    if (j->dev && j->dev->side[0] && !strcasestr(dev, j->dev->side) && n < sizeof name)
        n += (size_t)snprintf(name + n, sizeof name - n, " (%s)", j->dev->side);
    char idx[16];
    snprintf(idx, sizeof idx, "#%d", j->device_index + 1);
    if (j->device_index > 0 && !strstr(dev, idx) && n < sizeof name)
        n += (size_t)snprintf(name + n, sizeof name - n, " %s", idx);
    if (j->module && j->module[0] && !strstr(dev, j->module) && n < sizeof name)
        snprintf(name + n, sizeof name - n, " \u00b7 %s", j->module);
    snprintf(title, sizeof title, "%s%s%s", j->game_name ? j->game_name : "", j->game_name ? " \u2014 " : "", name);
    int nb = (int)j->n_items;
    n = 0;
    if (j->profile && j->profile[0])
        n = (size_t)snprintf(sub, sizeof sub, "Profile: %s \u00b7 ", j->profile);
    n += (size_t)snprintf(sub + n, sizeof sub - n, "%d binding%s", nb, nb == 1 ? "" : "s");
    if (st->pages > 1 && n < sizeof sub)
        snprintf(sub + n, sizeof sub - n, " \u00b7 page %d of %d%s", st->page, st->pages,
                 st->page < st->pages ? ", continued on the next page" : "");
    double w = st->header_items > 0 ? 920 : CARD_W - 60;
    text_style ts = card_style("sans-bold", 32, 18, 0, TEXT_ALIGN_LEFT, card_ink);
    card_text(st, title, &ts, 30, 10, w, 50, 0);
    text_style ss = card_style("sans", 18, 14, 0, TEXT_ALIGN_LEFT, card_grey);
    card_text(st, sub, &ss, 30, 60, w, 30, 0);
}

/* Where the overflow of a callout went: "+3 ↓" (this page's panel) or "+3 → p.2"; at the
 * right of its name line, or of its box's last line. Returns the width taken on the name line. */
static double card_more_marker(card_state *st, const card_box_plan *p, const device_rect *b, double inset)
{
    if (p->entry < 0)
        return 0;
    const card_entry *e = &st->entries[p->entry];
    int page = st->units[e->first_unit].page;
    char m[32];
    if (page == 1)
        snprintf(m, sizeof m, "+%d \u2193", p->n - p->n_fit);
    else
        snprintf(m, sizeof m, "+%d \u2192 p.%d", p->n - p->n_fit, page);
    double w = card_pill_w(st, m);
    double y = p->marker_low ? b->y + b->h - CARD_PILL_H - 2 : b->y + 1;
    card_pill(st, m, b->x + b->w - inset - w, y, w, (card_rgb){0.93, 0.45, 0.10}, card_white);
    return p->marker_low ? 0 : w + 4;
}

static void card_callout(card_state *st, size_t idx)
{
    const device *d = st->job->dev;
    const device_callout *co = &d->callouts[idx];
    const card_box_plan *p = &st->boxes[idx];
    cairo_t *cr = st->cr;
    const device_rect *b = &co->box;
    if (co->has_anchor)
        card_leader(st, (int)(d->n_groups + idx), b, co->via, co->n_via, co->anchor, p->n > 0);
    if (!card_shown(st, card_grow(*b, 3)))
        return; /* a spliced job where only the leader is seen: the box and its text are not */
    if (p->n)
        card_frame(cr, b, 6, 1, 1, 1, 0.42, 0.47, 0.53, 1.4);
    else
        card_frame(cr, b, 6, 0.985, 0.987, 0.99, 0.78, 0.80, 0.83, 1.0);
    if (!p->n) {
        /* Unbound: just what the control is, faded, so the layout still reads. */
        text_style ts = card_style("sans-condensed", 13, CARD_MIN_FONT, 1, TEXT_ALIGN_LEFT, card_faint);
        if (card_shown(st, (device_rect){b->x + 5, b->y + 2, b->w - 10, b->h - 4})) /* ink stays in its box */
            card_text(st, co->label, &ts, b->x + 5, b->y + 2, b->w - 10, b->h - 4, 0);
        return;
    }
    double hw = b->w - 10;
    if (p->entry >= 0) {
        hw -= card_more_marker(st, p, b, 4);
    } else if (co->n_controls == 1 && b->w >= 200) {
        char ctl[64];
        card_control_name(co->controls[0], ctl, sizeof ctl);
        text_style cs = card_style("sans-condensed", CARD_MIN_FONT, CARD_MIN_FONT, 0, TEXT_ALIGN_RIGHT, card_faint);
        cs.padding = 0;
        card_text(st, ctl, &cs, b->x + b->w - 5 - 90, b->y + 1, 90, 14, 0);
        hw -= 94;
    }
    text_style hs = card_style("sans-condensed-bold", CARD_MIN_FONT, CARD_MIN_FONT, 0, TEXT_ALIGN_LEFT, card_grey);
    hs.padding = 0;
    card_text(st, co->label, &hs, b->x + 5, b->y + 1, hw, 14, 0);
    card_body body = card_body_of(d, co);
    card_box_draw_rows(st, co, p, body.x, body.y, body.w, body.h - (p->marker_low ? CARD_PILL_H + 2 : 0),
                       body.max_lines);
}

static void card_groups(card_state *st)
{
    const device *d = st->job->dev;
    st->leaders = card_leaders_of(st); /* valid while nothing else is kept: to the card's end */
    for (size_t g = 0; g < d->n_groups; g++) {
        const device_group *gr = &d->groups[g];
        int bound = 0;
        for (size_t i = 0; i < d->n_callouts && !bound; i++)
            bound = d->callouts[i].group == (int)g && st->boxes[i].n > 0;
        if (!card_group_shown(st, gr))
            continue;
        card_leader(st, (int)g, &gr->box, gr->via, gr->n_via, gr->anchor, bound);
        if (!card_shown(st, card_grow(gr->box, 3)))
            continue;
        card_frame(st->cr, &gr->box, 9, 0.955, 0.962, 0.97, 0.62, 0.66, 0.71, 1.2);
        /* The hat's name goes in the middle cell when no push button sits there. */
        double cx = gr->box.x + gr->box.w / 2, cy = gr->box.y + gr->box.h / 2;
        int free_mid = 1;
        for (size_t i = 0; i < d->n_callouts; i++) {
            const device_rect *b = &d->callouts[i].box;
            if (d->callouts[i].group == (int)g && cx > b->x && cx < b->x + b->w && cy > b->y && cy < b->y + b->h)
                free_mid = 0;
        }
        if (free_mid) {
            double cw = gr->box.w / 3 - 8, ch = gr->box.h / 3 - 8;
            text_style ts = card_style("sans-condensed-bold", 14, CARD_MIN_FONT, 1, TEXT_ALIGN_CENTER, card_grey);
            if (card_shown(st, (device_rect){cx - cw / 2, cy - ch / 2, cw, ch}))
                card_text(st, gr->label, &ts, cx - cw / 2, cy - ch / 2, cw, ch, 0);
        }
    }
    for (size_t i = 0; i < d->n_callouts; i++)
        if (card_callout_shown(st, i))
            card_callout(st, i);
}

/* A key cap whose drawing is not a rectangle (the ISO Enter): the art's path around the box.
 * Appends the path to cr and returns 1 if there is one. */
/* The outline of card_key_path as points (pts[0..*np)); 0 if there is none. */
static int card_key_outline(const device *d, const device_rect *b, double *pts, int *np)
{
    size_t i;
    const json_t *sh;
    json_array_foreach(d->art, i, sh)
    {
        const json_t *v = json_object_get(sh, "path");
        if (!json_is_string(v))
            continue;
        char cmd[16];
        int nc = 0;
        *np = 0;
        for (const char *p = json_string_value(v); *p && *np < 32 && nc < 16;) {
            char *end;
            double x = strtod(p, &end);
            if (end != p) {
                pts[(*np)++] = x;
                p = end;
            } else {
                if (isalpha((unsigned char)*p))
                    cmd[nc++] = *p;
                p++;
            }
        }
        /* Only straight outlines (M, L, Z) that enclose the box. */
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        int ok = *np >= 6 && *np % 2 == 0 && nc > 0;
        for (int k = 0; k < nc && ok; k++)
            ok = cmd[k] == 'M' || cmd[k] == 'L' || cmd[k] == 'Z';
        for (int k = 0; ok && k + 1 < *np; k += 2) {
            x0 = fmin(x0, pts[k]), x1 = fmax(x1, pts[k]);
            y0 = fmin(y0, pts[k + 1]), y1 = fmax(y1, pts[k + 1]);
        }
        if (!ok || x0 > b->x + 1 || y0 > b->y + 1 || x1 < b->x + b->w - 1 || y1 < b->y + b->h - 1 ||
            (x1 - x0) * (y1 - y0) > 2 * b->w * b->h)
            continue;
        return 1;
    }
    return 0;
}

static int card_key_path(cairo_t *cr, const device *d, const device_rect *b)
{
    double pts[32];
    int np;
    if (!card_key_outline(d, b, pts, &np))
        return 0;
    cairo_move_to(cr, pts[0], pts[1]);
    for (int k = 2; k + 1 < np; k += 2)
        cairo_line_to(cr, pts[k], pts[k + 1]);
    cairo_close_path(cr);
    return 1;
}

/* What each key of a keyboard paints beyond the empty card's, for a spliced job: its box, with
 * the art's outline when it is a bound tall key drawn in that outline (card_keyboard). NULL when
 * out of memory (each key is then taken as one key taller and wider each way). */
static device_rect *card_key_extents(const card_state *st)
{
    const device *d = st->job->dev;
    device_rect *ext = malloc((d->n_callouts ? d->n_callouts : 1) * sizeof *ext);
    for (size_t i = 0; ext && i < d->n_callouts; i++) {
        const device_rect *b = &d->callouts[i].box;
        double pts[32];
        int np;
        ext[i] = *b;
        if (st->boxes[i].n && b->h > b->w && card_key_outline(d, b, pts, &np))
            for (int k = 0; k + 1 < np; k += 2) {
                double x0 = fmin(ext[i].x, pts[k]), y0 = fmin(ext[i].y, pts[k + 1]);
                double x1 = fmax(ext[i].x + ext[i].w, pts[k]), y1 = fmax(ext[i].y + ext[i].h, pts[k + 1]);
                ext[i] = (device_rect){x0, y0, x1 - x0, y1 - y0};
            }
    }
    return ext;
}

static void card_keyboard(card_state *st)
{
    const device *d = st->job->dev;
    for (size_t i = 0; i < d->n_callouts; i++) {
        const device_callout *co = &d->callouts[i];
        const card_box_plan *p = &st->boxes[i];
        const device_rect *b = &co->box;
        const char *legend = co->legend[0] ? co->legend : co->label;
        if (!card_callout_shown(st, i))
            continue;
        if (!p->n) {
            text_style ts = card_style("sans", 15, CARD_MIN_FONT, 0, TEXT_ALIGN_CENTER, card_faint);
            card_text(st, legend, &ts, b->x + 3, b->y + 3, b->w - 6, 22, 0);
            continue;
        }
        card_rgb c = card_ctx_rgb[st->lctx[st->item_lctx[p->rows[0]]].color];
        /* A pale tint of the first action's context; keys stay readable in greyscale print. */
        if (!(b->h > b->w && card_key_path(st->cr, d, b))) /* only tall keys may have an outline */
            text_rounded_rect(st->cr, b->x + 1, b->y + 1, b->w - 2, b->h - 2, 6);
        cairo_set_source_rgb(st->cr, 1 - (1 - c.r) * 0.22, 1 - (1 - c.g) * 0.22, 1 - (1 - c.b) * 0.22);
        cairo_fill_preserve(st->cr);
        cairo_set_source_rgb(st->cr, c.r * 0.8, c.g * 0.8, c.b * 0.8);
        cairo_set_line_width(st->cr, 2);
        cairo_stroke(st->cr);
        double lw = b->w - 8 - card_more_marker(st, p, b, 3);
        text_style ls = card_style("sans-bold", 13, CARD_MIN_FONT, 0, TEXT_ALIGN_LEFT, card_ink);
        ls.padding = 0;
        card_text(st, legend, &ls, b->x + 4, b->y + 2, lw, 16, 0);
        card_body body = card_body_of(d, co);
        st->compact = 1;
        card_box_draw_rows(st, co, p, body.x, body.y, body.w, body.h - (p->marker_low ? CARD_PILL_H + 2 : 0),
                           body.max_lines);
        st->compact = 0;
    }
}

/* The frame of panel region r on page 1 around the units placed in it; 0 if none is. */
static int card_region_frame(const card_state *st, int r, device_rect *fr)
{
    double bottom = -1;
    for (int i = 0; i < st->n_units; i++) {
        const card_unit *u = &st->units[i];
        if (u->page == 1 && u->col >= 0 && st->cols[u->col].region == r && u->y + u->h > bottom)
            bottom = u->y + u->h;
    }
    const card_region *rg = &st->regions[r];
    *fr = (device_rect){rg->x + 2, rg->y, rg->w - 4, bottom - rg->y + 8};
    return bottom >= 0;
}

static device_rect card_unit_extent(const card_unit *u)
{
    return card_grow((device_rect){u->x, u->y, u->w, u->h}, 2);
}

/* The flow units of the page being drawn, with the panel frames on page 1 of a device card. */
static void card_draw_flow(card_state *st)
{
    if (st->page > 1) {
        char cont[48];
        snprintf(cont, sizeof cont, "Continued from page %d", st->page - 1);
        text_style cs = card_style("sans-bold", 16, 16, 0, TEXT_ALIGN_LEFT, card_grey);
        card_text(st, cont, &cs, CARD_PAGE_X0, CARD_PAGE_Y0 - 4, 600, card_text_h(16, 1), 0);
    }
    if (st->job->dev && st->page == 1)
        for (int r = 0; r < st->n_regions; r++) {
            device_rect fr;
            if (card_region_frame(st, r, &fr) && card_shown(st, card_grow(fr, 2)))
                card_frame(st->cr, &fr, 8, 1, 0.985, 0.94, 0.80, 0.68, 0.42, 1.2);
        }
    for (int i = 0; i < st->n_units && !st->failed; i++) {
        const card_unit *u = &st->units[i];
        if (u->page != st->page || u->col < 0 || !card_shown(st, card_unit_extent(u)))
            continue;
        const double s = u->size;
        if (u->kind == CARD_U_HEAD) {
            double th = u->h - 10;
            text_style hs = card_style("sans-bold", s + 2, s + 2, th > card_text_h(s + 2, 1) + 0.5, TEXT_ALIGN_LEFT,
                                       card_grey);
            card_text(st, card_sec_title[u->ref], &hs, u->x, u->y + 3, u->w, th, 0);
            cairo_move_to(st->cr, u->x, u->y + th + 5);
            cairo_line_to(st->cr, u->x + u->w, u->y + th + 5);
            cairo_set_source_rgb(st->cr, 0.75, 0.78, 0.82);
            cairo_set_line_width(st->cr, 1);
            cairo_stroke(st->cr);
            continue;
        }
        const card_entry *e = &st->entries[u->entry];
        int starts = i == e->first_unit || st->units[i - 1].col != u->col || st->units[i - 1].page != u->page;
        text_style ns = card_style("sans-condensed-bold", s, s, u->name_h > card_text_h(s, 1) + 0.5, TEXT_ALIGN_LEFT,
                                   card_ink);
        if (starts && e->name[0] && u->name_h > 0)
            card_text(st, e->name, &ns, u->x, u->y, u->w, u->name_h, 0);
        else if (starts && e->name[0] && e->name_em * s + 12 <= u->nw + 0.01) {
            ns.valign = TEXT_VALIGN_TOP; /* room below for accents, the row is at least this tall */
            card_text(st, e->name, &ns, u->x, u->y, u->nw - 6, card_text_h(s, 1) + 0.25 * s, 0);
        }
        card_geo g;
        if (card_geo_of(st, u->kind, u->ref, e->co, u->w - u->nw, s, 4, &g) == 0)
            card_unit_draw_row(st, u->kind, u->ref, e->co, u->x + u->nw, u->y + u->name_h, u->w - u->nw, s, &g);
    }
}

/* ---- entry points --------------------------------------------------------------------- */

size_t card_select(const devices_registry *reg, const binding_set *set, const device *dev,
                   const char *device_name, int device_index, const char *module, const binding **out)
{
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        const bind_input *in = &set->items[i].input;
        int mine = dev ? devices_find(reg, set->game, in->device, in->vid, in->pid) == dev
                       : device_name && strcmp(in->device, device_name) == 0;
        mine = mine && in->device_index == device_index &&
               strcmp(set->items[i].module, module ? module : "") == 0;
        if (mine)
            out[n++] = &set->items[i];
    }
    return n;
}

/* Contexts of the card in the upload's order (job->contexts), others after in card order;
 * the colour is the upload-wide position. */
static int card_setup_contexts(card_state *st)
{
    const card_job *j = st->job;
    int *key = malloc((st->n + 1) * sizeof *key), *remap = malloc((st->n + 1) * sizeof *remap);
    st->lctx = calloc(st->n + 1, sizeof *st->lctx);
    if (!key || !remap || !st->lctx) {
        free(key);
        free(remap);
        return -1;
    }
    int unlisted = 0;
    for (size_t i = 0; i < st->n; i++) {
        const char *c = j->items[i]->context;
        int k = -1;
        for (int l = 0; l < st->n_lctx && k < 0; l++)
            if (strcmp(st->lctx[l].name, card_ctx_name(c)) == 0)
                k = l;
        if (k < 0) {
            k = st->n_lctx++;
            snprintf(st->lctx[k].name, sizeof st->lctx[k].name, "%s", card_ctx_name(c));
            key[k] = -1;
            for (size_t u = 0; j->contexts && u < j->n_contexts && key[k] < 0; u++)
                if (j->contexts[u] && strcmp(card_ctx_name(j->contexts[u]), card_ctx_name(c)) == 0)
                    key[k] = (int)u;
            if (key[k] < 0)
                key[k] = (int)(j->contexts ? j->n_contexts : 0) + unlisted++;
        }
        st->item_lctx[i] = k;
    }
    /* Sort by upload position (insertion sort, few contexts), then remap the items. */
    int *order = remap; /* order[pos] = old index */
    for (int l = 0; l < st->n_lctx; l++) {
        int p = l;
        while (p > 0 && key[order[p - 1]] > key[l]) {
            order[p] = order[p - 1];
            p--;
        }
        order[p] = l;
    }
    card_lctx *sorted = calloc((size_t)st->n_lctx + 1, sizeof *sorted);
    int *inv = malloc(((size_t)st->n_lctx + 1) * sizeof *inv);
    if (!sorted || !inv) {
        free(sorted);
        free(inv);
        free(key);
        free(remap);
        return -1;
    }
    for (int p = 0; p < st->n_lctx; p++) {
        sorted[p] = st->lctx[order[p]];
        sorted[p].color = key[order[p]] < CARD_N_CTX_RGB ? key[order[p]] : CARD_N_CTX_RGB - 1;
        sorted[p].em = card_em(st, sorted[p].name, "sans-condensed");
        inv[order[p]] = p;
    }
    for (size_t i = 0; i < st->n; i++)
        st->item_lctx[i] = inv[st->item_lctx[i]];
    memcpy(st->lctx, sorted, (size_t)st->n_lctx * sizeof *sorted);
    free(sorted);
    free(inv);
    free(key);
    free(remap);
    return 0;
}

static void card_state_free(card_state *st)
{
    free(st->item_lctx);
    free(st->item_mod);
    free(st->item_em);
    free(st->item_pills);
    free(st->item_geo);
    free(st->placed);
    free(st->lctx);
    free(st->mod_key);
    free(st->mod_desc);
    if (st->boxes)
        free(st->boxes[0].rows);
    free(st->boxes);
    free(st->entries);
    free(st->units);
    free(st->cols);
    free(st->key_ext);
}

/* ---- splicing: the bindings' rows over the empty card ----------------------------------- */

#define CARD_TITLE_ROWS 96.0 /* title (to y 60), subtitle (90) and header legend (3 rows of 29 from 8) lie above this */

typedef struct {
    render_part *p;
    int n, cap, failed;
} card_partlist;

static void card_part_add(void *ctx, device_rect r)
{
    card_partlist *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 256;
        render_part *p = realloc(l->p, (size_t)cap * sizeof *p);
        if (!p) {
            l->failed = 1;
            return;
        }
        l->p = p, l->cap = cap;
    }
    l->p[l->n] = (render_part){{r.x, r.y, r.w, r.h}, l->n, NULL, 0, 0};
    l->n++;
}

/* What depends on the bindings, as boxes that hold every pixel it paints: the title and legend,
 * each bound callout or key with its leader (in pieces), each group with a bound member, and the
 * panel and flow of the page. The rest is the empty card's (or, off page 1 of a device, the plain
 * page's). NULL when out of memory. */
static render_part *card_parts(const card_state *st, int *n)
{
    const device *d = st->job->dev;
    int page1 = d && st->page == 1;
    card_partlist l = {0};
    card_part_add(&l, (device_rect){0, 0, CARD_W, CARD_TITLE_ROWS});
    if (st->page > 1)
        card_part_add(&l, (device_rect){CARD_PAGE_X0, CARD_PAGE_Y0 - 4, 600, card_text_h(16, 1)});
    if (page1) {
        for (size_t g = 0; g < d->n_groups; g++)
            for (size_t i = 0; i < d->n_callouts; i++)
                if (d->callouts[i].group == (int)g && st->boxes[i].n > 0) {
                    card_group_pieces(&d->groups[g], 0, card_part_add, &l);
                    break;
                }
        for (size_t i = 0; i < d->n_callouts; i++)
            if (st->boxes[i].n > 0)
                card_callout_pieces(st, i, card_part_add, &l);
        for (int r = 0; r < st->n_regions; r++) {
            device_rect fr;
            if (card_region_frame(st, r, &fr))
                card_part_add(&l, card_grow(fr, 2));
        }
    }
    for (int i = 0; i < st->n_units; i++)
        if (st->units[i].page == st->page && st->units[i].col >= 0)
            card_part_add(&l, card_unit_extent(&st->units[i]));
    if (l.failed) {
        free(l.p);
        return NULL;
    }
    *n = l.n;
    return l.p;
}

/* The empty card: the device drawing with every callout unbound (what a card of no bindings
 * shows outside its title rows). */
static int card_paint_empty(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    const card_job *j = arg;
    card_job empty = {.dev = j->dev, .devices = j->devices, .usb = j->usb, .background = j->background,
                     .page = 1};
    return card_draw(cr, render_ctx_fonts(rc), &empty, err);
}

static int card_paint_plain(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    cairo_set_source_rgb(cr, 0.992, 0.992, 0.988);
    cairo_paint(cr);
    return 0;
}

/* Identifies the background's pixels: the drawing code, the registry, the device, the scale. */
static unsigned long long card_background_tag(const card_job *j, int empty, int scale)
{
    uint64_t h = etag_hash(ETAG_SEED, CARD_LAYOUT_VERSION, sizeof CARD_LAYOUT_VERSION);
    h = etag_hash(h, empty ? "empty" : "plain", 6);
    if (empty) {
        const char *digest = devices_digest(j->devices);
        int baked = j->background != NULL;
        h = etag_hash(h, digest, strlen(digest) + 1);
        h = etag_hash(h, j->dev->id, strlen(j->dev->id) + 1);
        h = etag_hash(h, &baked, sizeof baked);
    }
    h = etag_hash(h, &scale, sizeof scale);
    return h ? h : 1;
}

/* Lay the job's background under the parts; 1 when the job is spliced (st->spliced: only what
 * meets the touched segments is drawn). */
static int card_splice(card_state *st, cairo_t *cr)
{
    const card_job *j = st->job;
    int n = 0, empty = j->dev && st->page == 1, scale = render_ctx_scale(j->rc);
    if (empty && j->dev->kind == DEVICE_KEYBOARD && j->splice_seg >= 0)
        st->key_ext = card_key_extents(st);
    render_part *parts = card_parts(st, &n);
    if (!parts)
        return 0;
    render_bg bg = {.tag = card_background_tag(j, empty, scale), .paint = empty ? card_paint_empty : card_paint_plain,
                    .paint_arg = (void *)j,
                    .seg_width = j->splice_seg < 0 ? 0 : j->splice_seg ? j->splice_seg : CARD_SEG_W * scale};
    st->spliced = render_background_under(j->rc, cr, &bg, parts, n);
    free(parts);
    return st->spliced;
}

/* The card's first layer, every pixel: the device drawing on page 1 (baked or drawn), else the
 * plain page. */
static int card_paint_art(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    const card_job *job = arg;
    if (job->dev && job->page == 1 && job->background)
        render_paint_background(NULL, cr, job->background); /* made at the card's size */
    else if (job->dev && job->page == 1)
        devart_draw(cr, job->dev); /* no baked background: correct, only slower */
    else
        card_paint_plain(arg, rc, cr, err);
    return 0;
}

int card_draw(cairo_t *cr, text_fonts *tf, const card_job *job, err_t *err)
{
    card_state st = {0};
    st.cr = cr, st.tf = tf, st.job = job, st.err = err;
    /* Every label is measured (often at several sizes and widths) before it is drawn: shaped once. */
    text_memo_begin(tf);
    size_t n = job->n_items;
    st.n = n;
    st.item_lctx = calloc(n + 1, sizeof *st.item_lctx);
    st.item_mod = calloc(n + 1, sizeof *st.item_mod);
    st.item_em = calloc(n + 1, sizeof *st.item_em);
    st.item_pills = calloc(n + 1, sizeof *st.item_pills);
    st.item_geo = calloc(n + 1, sizeof *st.item_geo);
    st.placed = calloc(n + 1, 1);
    st.mod_key = calloc(n + 1, sizeof *st.mod_key);
    st.mod_desc = calloc(n + 1, sizeof *st.mod_desc);
    int *owner = calloc(n + 1, sizeof *owner);
    if (!st.item_lctx || !st.item_mod || !st.item_em || !st.item_pills || !st.item_geo || !st.placed || !st.mod_key ||
        !st.mod_desc || !owner || card_setup_contexts(&st) < 0) {
        card_oom(&st);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        st.item_mod[i] = card_mod_index(&st, job->items[i]);
    for (size_t i = 0; i < n && !st.failed; i++) {
        const binding *b = job->items[i];
        char text[320], tag[16];
        card_action_text(b, text, sizeof text);
        st.item_em[i] = card_em(&st, text, "sans-condensed");
        if (st.item_mod[i] >= 0) {
            card_mod_tag(st.item_mod[i], tag, sizeof tag);
            st.item_pills[i] += card_pill_w(&st, tag) + 3;
        }
        if (b->activation[0])
            st.item_pills[i] += card_pill_w(&st, b->activation) + 3;
    }
    st.st.bindings = (int)n;
    st.st.mods = st.n_mods;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(job->items[k]->input.control, job->items[i]->input.control) == 0;
        st.st.controls += !seen;
        st.st.controls_on_layout += !seen && devices_callout_for(job->dev, job->items[i]->input.control);
    }
    if (st.failed)
        goto done;

    /* Plan: what goes where, on which page. */
    st.header_items = card_header_legend(&st, 0);
    int cur = -1;
    if (job->dev) {
        card_plan_device(&st, owner, &cur);
        card_plan_legend(&st, &cur);
        if (!st.failed)
            card_layout_device(&st);
    } else {
        for (size_t i = 0; i < n; i++)
            owner[i] = -1;
        card_list_controls(&st, owner, -1, &cur);
        card_plan_legend(&st, &cur);
        if (!st.failed)
            card_layout_generic(&st);
    }
    if (st.failed)
        goto done;
    st.page = job->page < 1 ? 1 : job->page > st.pages ? st.pages : job->page;
    st.st.pages = st.pages;
    if (!cr)
        goto done; /* layout only: how many pages */

    cairo_save(cr);
    if (job->rc)
        card_splice(&st, cr);
    /* Line art and boxes: cairo's fast antialiasing looks the same here and saves ~1 ms a card
     * (text keeps its own font options). */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    /* A spliced job copies the art into its touched segments from the runs kept by the first. */
    card_job art = *job;
    art.page = st.page;
    unsigned long long art_tag = 0;
    if (st.spliced && job->splice_seg >= 0) {
        art_tag = etag_hash(card_background_tag(job, job->dev && st.page == 1, render_ctx_scale(job->rc)), "art", 4);
        art_tag = art_tag ? art_tag : 1;
    }
    if (render_layer(job->rc, cr, art_tag, card_paint_art, &art, err) < 0)
        st.failed = 1;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    card_title(&st);
    card_header_legend(&st, 1);
    if (job->dev && st.page == 1) {
        if (job->dev->kind == DEVICE_KEYBOARD)
            card_keyboard(&st);
        else
            card_groups(&st);
    }
    card_draw_flow(&st);
    for (size_t i = 0; i < n; i++)
        if (st.placed[i] && owner[i] < 0)
            st.st.continued++;
    for (int i = 0; i < st.n_units; i++)
        if (st.units[i].kind == CARD_U_BIND && st.units[i].page == st.page && owner[st.units[i].ref] >= 0)
            st.st.continued++;
    cairo_restore(cr);
done:
    if (job->stats)
        *job->stats = st.st;
    free(owner);
    card_state_free(&st);
    text_memo_end(tf);
    return st.failed ? -1 : 0;
}
