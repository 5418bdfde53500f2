/* card.c — draws a device's reference card: the baked drawing, a callout per control with the
 * actions bound to it, and a title with legends. Nothing bound is ever dropped silently: an
 * action that cannot fit its callout is shrunk, then wrapped, and only then ellipsised (and
 * counted in card_stats.truncated); a binding on a control the layout does not show goes to the
 * "also bound" box; a page too full for the generic list ends in a visible "+N more" line.
 *
 * Colours carry two things: the binding's context (ship, SRV, on foot...) as a bar before the
 * action, and its modifier combination as a tag ("M1") explained in the legend. */
#include "refcard/card.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "refcard/devart.h"

#define CARD_MAX_CTX 12   /* contexts with their own colour; more share the last */
#define CARD_MAX_MODS 10  /* modifier combinations with their own tag; more share the last */
#define CARD_TITLE_H 100

typedef struct {
    double r, g, b;
} card_rgb;

/* Context colours: distinct for the common colour-vision deficiencies (Okabe-Ito based). */
static const card_rgb card_ctx_rgb[CARD_MAX_CTX] = {
    {0.00, 0.45, 0.70}, {0.84, 0.37, 0.00}, {0.00, 0.60, 0.45}, {0.80, 0.47, 0.65},
    {0.90, 0.62, 0.00}, {0.34, 0.71, 0.91}, {0.55, 0.34, 0.29}, {0.58, 0.40, 0.74},
    {0.60, 0.60, 0.10}, {0.20, 0.30, 0.50}, {0.75, 0.20, 0.30}, {0.50, 0.50, 0.50},
};
static const card_rgb card_mod_rgb[CARD_MAX_MODS] = {
    {0.42, 0.24, 0.60}, {0.69, 0.35, 0.16}, {0.11, 0.47, 0.22}, {0.77, 0.11, 0.49},
    {0.13, 0.40, 0.67}, {0.55, 0.32, 0.04}, {0.30, 0.30, 0.30}, {0.00, 0.50, 0.50},
    {0.60, 0.10, 0.10}, {0.35, 0.35, 0.55},
};

static const text_rgba card_ink = {0.13, 0.16, 0.20, 1};
static const text_rgba card_grey = {0.40, 0.44, 0.49, 1};
static const text_rgba card_faint = {0.62, 0.65, 0.69, 1};
static const text_rgba card_white = {1, 1, 1, 1};

typedef struct {
    cairo_t *cr;
    text_fonts *tf;
    const card_job *job;
    err_t *err;
    int failed;
    char ctx[CARD_MAX_CTX][48];
    int n_ctx, ctx_more;
    char mod_key[CARD_MAX_MODS][200];
    char mod_desc[CARD_MAX_MODS][200];
    int n_mods, mod_more;
    int *item_ctx, *item_mod;
    unsigned char *item_done;
    card_stats st;
} card_state;

/* ---- names ---------------------------------------------------------------------------- */

static const struct {
    const char *dir, *arrow;
} card_dirs[] = {{"upleft", "\u2196"}, {"upright", "\u2197"}, {"downleft", "\u2199"}, {"downright", "\u2198"},
                 {"up", "\u2191"},     {"down", "\u2193"},    {"left", "\u2190"},     {"right", "\u2192"}};

void card_control_name(const char *c, char *out, size_t cap)
{
    if (strncmp(c, "button:", 7) == 0) {
        snprintf(out, cap, "Button %s", c + 7);
    } else if (strncmp(c, "hat:", 4) == 0) {
        const char *dir = strchr(c + 4, ':');
        const char *arrow = dir ? dir + 1 : "";
        for (size_t i = 0; dir && i < sizeof card_dirs / sizeof card_dirs[0]; i++)
            if (strcmp(dir + 1, card_dirs[i].dir) == 0)
                arrow = card_dirs[i].arrow;
        snprintf(out, cap, "Hat %.*s %s", dir ? (int)(dir - c - 4) : 1, c + 4, arrow);
    } else if (strncmp(c, "axis:", 5) == 0) {
        static const char *const axes[][2] = {{"x", "X axis"}, {"y", "Y axis"}, {"z", "Z axis"},
                                              {"rx", "RX axis"}, {"ry", "RY axis"}, {"rz", "RZ axis"},
                                              {"slider1", "Slider 1"}, {"slider2", "Slider 2"},
                                              {"dial1", "Dial"}};
        snprintf(out, cap, "Axis %s", c + 5);
        for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
            if (strcmp(c + 5, axes[i][0]) == 0)
                snprintf(out, cap, "%s", axes[i][1]);
    } else if (strncmp(c, "key:", 4) == 0) {
        snprintf(out, cap, "%s", c + 4);
    } else if (strncmp(c, "pad:", 4) == 0) {
        const char *p = c + 4;
        if (strncmp(p, "dpad_", 5) == 0) {
            const char *arrow = p + 5;
            for (size_t i = 0; i < sizeof card_dirs / sizeof card_dirs[0]; i++)
                if (strcmp(p + 5, card_dirs[i].dir) == 0)
                    arrow = card_dirs[i].arrow;
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

/* Draw a label; counts it, and whether it had to be cut. A wrapped label is first fitted with a
 * readable floor (CARD_SOFT_MIN) so that it wraps before it gets tiny; only if that cuts it does
 * the style's own minimum apply. */
#define CARD_SOFT_MIN 10.0

static void card_text(card_state *st, const char *s, const text_style *ts, double x, double y, double w,
                      double h, int counts)
{
    if (st->failed || w < 4 || h < 4)
        return;
    text_box box = {x, y, w, h};
    text_metrics m;
    text_layout *lo = NULL;
    if (ts->wrap && ts->min_size < CARD_SOFT_MIN && ts->max_size > CARD_SOFT_MIN) {
        text_style soft = *ts;
        soft.min_size = CARD_SOFT_MIN;
        lo = text_layout_fit(st->tf, s, strlen(s), &soft, box, st->err);
        if (lo) {
            text_layout_metrics(lo, &m);
            if (m.truncated) {
                text_layout_free(lo);
                lo = NULL;
            }
        } else {
            st->failed = 1;
            return;
        }
    }
    if (!lo)
        lo = text_layout_fit(st->tf, s, strlen(s), ts, box, st->err);
    if (!lo) {
        st->failed = 1;
        return;
    }
    text_layout_metrics(lo, &m);
    text_layout_draw(lo, st->cr);
    text_layout_free(lo);
    if (counts) {
        st->st.labels++;
        st->st.truncated += m.truncated;
    }
}

/* A small coloured pill with text ("M1", "fwd"). */
static void card_pill(card_state *st, const char *s, double x, double y, double w, double h, card_rgb bg,
                      text_rgba fg)
{
    text_style ts = card_style("sans-condensed-bold", h * 0.72, 6, 0, TEXT_ALIGN_CENTER, fg);
    ts.fill = (text_rgba){bg.r, bg.g, bg.b, 1};
    ts.radius = h / 3;
    ts.padding = 1;
    card_text(st, s, &ts, x, y, w, h, 0);
}

/* ---- contexts and modifiers ----------------------------------------------------------- */

static int card_ctx_index(card_state *st, const binding *b)
{
    const char *name = b->context[0] ? b->context : "General";
    for (int i = 0; i < st->n_ctx; i++)
        if (strcmp(st->ctx[i], name) == 0)
            return i;
    if (st->n_ctx < CARD_MAX_CTX) {
        snprintf(st->ctx[st->n_ctx], sizeof st->ctx[0], "%s", name);
        return st->n_ctx++;
    }
    st->ctx_more = 1;
    return CARD_MAX_CTX - 1;
}

/* How a modifier reads in the legend: the callout label when the registry knows the control. */
static void card_modifier_desc(const card_state *st, const bind_input *in, char *out, size_t cap)
{
    const device *d = devices_find(st->job->game, in->device, in->vid, in->pid);
    const device_callout *co = devices_callout_for(d, in->control);
    char ctl[64];
    card_control_name(in->control, ctl, sizeof ctl);
    if (d && d->kind == DEVICE_KEYBOARD && co)
        snprintf(out, cap, "%.40s key", co->legend[0] ? co->legend : ctl);
    else if (co && d == st->job->dev)
        snprintf(out, cap, "%.60s (%.30s)", co->label, ctl);
    else if (co)
        snprintf(out, cap, "%.50s: %.60s", d->name, co->label);
    else
        snprintf(out, cap, "%.60s %.30s", d ? d->name : in->device, ctl);
}

static int card_mod_index(card_state *st, const binding *b)
{
    if (b->n_modifiers <= 0)
        return -1;
    char key[200] = "", desc[200] = "";
    for (int i = 0; i < b->n_modifiers && i < BIND_MAX_MODIFIERS; i++) {
        char one[96], d1[120];
        snprintf(one, sizeof one, "%s|%s;", b->modifiers[i].device, b->modifiers[i].control);
        strncat(key, one, sizeof key - strlen(key) - 1);
        card_modifier_desc(st, &b->modifiers[i], d1, sizeof d1);
        if (i)
            strncat(desc, " + ", sizeof desc - strlen(desc) - 1);
        strncat(desc, d1, sizeof desc - strlen(desc) - 1);
    }
    for (int i = 0; i < st->n_mods; i++)
        if (strcmp(st->mod_key[i], key) == 0)
            return i;
    if (st->n_mods < CARD_MAX_MODS) {
        snprintf(st->mod_key[st->n_mods], sizeof st->mod_key[0], "%s", key);
        snprintf(st->mod_desc[st->n_mods], sizeof st->mod_desc[0], "%s", desc);
        return st->n_mods++;
    }
    st->mod_more = 1;
    return CARD_MAX_MODS - 1;
}

static void card_mod_tag(int mod, int more, char *out, size_t cap)
{
    mod %= 100;
    if (mod == CARD_MAX_MODS - 1 && more)
        snprintf(out, cap, "M+");
    else
        snprintf(out, cap, "M%d", mod + 1);
}

/* The action as printed: inverted axes say so. */
static void card_action_text(const binding *b, char *out, size_t cap)
{
    const char *a = b->action[0] ? b->action : b->action_id;
    snprintf(out, cap, "%s%s", a, b->is_axis && b->inverted ? " (inverted)" : "");
}

/* ---- shapes --------------------------------------------------------------------------- */

static void card_rrect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void card_frame(cairo_t *cr, const device_rect *b, double r, double fr, double fg, double fb,
                       double sr, double sg, double sb, double lw)
{
    card_rrect(cr, b->x + 0.5, b->y + 0.5, b->w - 1, b->h - 1, r);
    cairo_set_source_rgb(cr, fr, fg, fb);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, sr, sg, sb);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
}

/* Leader from the side of box facing the next point, through the via points, to the anchor. */
static void card_leader(cairo_t *cr, const device_rect *b, const device_point *via, int n_via,
                        device_point anchor, int bound)
{
    device_point first = n_via ? via[0] : anchor;
    double y = b->y + b->h / 2, x;
    if (first.x < b->x)
        x = b->x;
    else if (first.x > b->x + b->w)
        x = b->x + b->w;
    else {
        x = first.x;
        y = first.y < b->y ? b->y : b->y + b->h;
    }
    cairo_move_to(cr, x, y);
    for (int i = 0; i < n_via; i++)
        cairo_line_to(cr, via[i].x, via[i].y);
    cairo_line_to(cr, anchor.x, anchor.y);
    if (bound)
        cairo_set_source_rgba(cr, 0.22, 0.27, 0.33, 0.9);
    else
        cairo_set_source_rgba(cr, 0.55, 0.58, 0.62, 0.6);
    cairo_set_line_width(cr, bound ? 1.5 : 1.0);
    cairo_stroke(cr);
    cairo_arc(cr, anchor.x, anchor.y, bound ? 4.5 : 3, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, bound ? 0.22 : 0.6, bound ? 0.27 : 0.63, bound ? 0.33 : 0.67);
    cairo_fill(cr);
}

/* ---- callouts ------------------------------------------------------------------------- */

/* Position of control c within callout co, or -1. */
static int card_control_pos(const device_callout *co, const char *c)
{
    for (int k = 0; k < co->n_controls; k++)
        if (strcmp(co->controls[k], c) == 0)
            return k;
    return -1;
}

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
    if (st->item_ctx[a] != st->item_ctx[b])
        return st->item_ctx[a] < st->item_ctx[b];
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

/* One action row: context bar, position tag, modifier tag, the action. */
static void card_row(card_state *st, const device_callout *co, int item, double x, double y, double w,
                     double h, double max_size, double min_size)
{
    const binding *b = st->job->items[item];
    card_rgb c = card_ctx_rgb[st->item_ctx[item]];
    cairo_rectangle(st->cr, x, y + 1.5, 3.5, h - 3);
    cairo_set_source_rgb(st->cr, c.r, c.g, c.b);
    cairo_fill(st->cr);
    double cx = x + 6, ph = h < 17 ? h - 2 : 15, py = y + (h - ph) / 2;
    int pos = co ? card_control_pos(co, b->input.control) : -1;
    if (pos >= 0 && co->tags[pos][0]) {
        double pw = 8 + 6.0 * (double)strlen(co->tags[pos]);
        card_pill(st, co->tags[pos], cx, py, pw, ph, (card_rgb){0.88, 0.90, 0.92}, card_ink);
        cx += pw + 3;
    }
    if (st->item_mod[item] >= 0) {
        char tag[16];
        card_mod_tag(st->item_mod[item], st->mod_more, tag, sizeof tag);
        card_pill(st, tag, cx, py, 24, ph, card_mod_rgb[st->item_mod[item]], card_white);
        cx += 27;
    }
    char text[200];
    card_action_text(b, text, sizeof text);
    int wrap = h >= 2 * min_size * 1.25;
    text_style ts = card_style("sans-condensed", max_size, min_size, wrap, TEXT_ALIGN_LEFT, card_ink);
    card_text(st, text, &ts, cx, y, x + w - cx, h, 1);
    st->item_done[item] = 1;
    st->st.bindings_shown++;
}

/* Too many actions for rows: one wrapped paragraph ("up: Cargo scoop · [M1] Boost"), with the
 * context bar split into one segment per action so the colours still read. */
static void card_paragraph(card_state *st, const device_callout *co, const int *rows, int n, double x,
                           double y, double w, double h, double max_size, double min_size)
{
    size_t cap = 64 + (size_t)n * 240, len = 0;
    char *text = malloc(cap);
    if (!text) {
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    text[0] = '\0';
    for (int i = 0; i < n; i++) {
        const binding *b = st->job->items[rows[i]];
        int pos = co ? card_control_pos(co, b->input.control) : -1;
        char act[200], tag[16] = "";
        card_action_text(b, act, sizeof act);
        if (st->item_mod[rows[i]] >= 0)
            card_mod_tag(st->item_mod[rows[i]], st->mod_more, tag, sizeof tag);
        len += (size_t)snprintf(text + len, cap - len, "%s%s%s%s%s%s%s", i ? " \u00b7 " : "",
                                pos >= 0 && co->tags[pos][0] ? co->tags[pos] : "",
                                pos >= 0 && co->tags[pos][0] ? ": " : "", tag[0] ? "[" : "", tag,
                                tag[0] ? "] " : "", act);
        card_rgb c = card_ctx_rgb[st->item_ctx[rows[i]]];
        cairo_rectangle(st->cr, x, y + 1 + i * (h - 2) / n, 3.5, (h - 2) / n);
        cairo_set_source_rgb(st->cr, c.r, c.g, c.b);
        cairo_fill(st->cr);
        st->item_done[rows[i]] = 1;
        st->st.bindings_shown++;
    }
    text_style ts = card_style("sans-condensed", max_size, min_size, 1, TEXT_ALIGN_LEFT, card_ink);
    card_text(st, text, &ts, x + 6, y, w - 6, h, 1);
    free(text);
}

/* The actions of one callout, in the body rect (x, y, w, h). */
static void card_actions(card_state *st, const device_callout *co, int *rows, int n, double x, double y,
                         double w, double h, double max_size, double min_size)
{
    if (n == 0)
        return;
    card_sort_rows(st, co, rows, n);
    /* Stacked rows while they stay readable (two columns when the box is wide); beyond that a
     * paragraph, which the text engine shrinks and wraps. */
    int cols = (n > 3 && w >= 380) ? 2 : 1;
    int per_col = (n + cols - 1) / cols;
    double rh = h / per_col, cw = (w - (cols - 1) * 6) / cols;
    if (n > 1 && rh < 12.5) {
        card_paragraph(st, co, rows, n, x, y, w, h, max_size < 13 ? max_size : 13, min_size);
        return;
    }
    double size = rh * 0.75 < max_size ? rh * 0.75 : max_size;
    for (int i = 0; i < n; i++) {
        int col = i / per_col, row = i % per_col;
        card_row(st, co, rows[i], x + col * (cw + 6), y + row * rh, cw, rh, size, min_size);
    }
}

static int card_is_bound(card_state *st, const device_callout *co, int *rows, int cap)
{
    int n = 0;
    for (size_t i = 0; i < st->job->n_items && n < cap; i++)
        if (card_control_pos(co, st->job->items[i]->input.control) >= 0)
            rows[n++] = (int)i;
    return n;
}

static void card_callout(card_state *st, const device_callout *co, int *rows)
{
    cairo_t *cr = st->cr;
    int n = card_is_bound(st, co, rows, (int)st->job->n_items);
    const device_rect *b = &co->box;
    if (co->has_anchor)
        card_leader(cr, b, co->via, co->n_via, co->anchor, n > 0);
    if (n)
        card_frame(cr, b, 6, 1, 1, 1, 0.42, 0.47, 0.53, 1.4);
    else
        card_frame(cr, b, 6, 0.985, 0.987, 0.99, 0.78, 0.80, 0.83, 1.0);
    double pad = 5, head = b->h >= 44 && n < 3 ? 15 : 13;
    if (!n) {
        /* Unbound: just what the control is, faded, so the layout still reads. */
        text_style ts = card_style("sans-condensed", 13, 8, 1, TEXT_ALIGN_LEFT, card_faint);
        card_text(st, co->label, &ts, b->x + pad, b->y + 2, b->w - 2 * pad, b->h - 4, 0);
        return;
    }
    text_style hs = card_style("sans-condensed-bold", head - 2, 7, 0, TEXT_ALIGN_LEFT, card_grey);
    hs.valign = TEXT_VALIGN_TOP;
    double hw = b->w - 2 * pad;
    char ctl[64] = "";
    if (co->n_controls == 1 && b->w >= 200) {
        card_control_name(co->controls[0], ctl, sizeof ctl);
        text_style cs = card_style("sans-condensed", head - 3, 7, 0, TEXT_ALIGN_RIGHT, card_faint);
        cs.valign = TEXT_VALIGN_TOP;
        card_text(st, ctl, &cs, b->x + b->w - pad - 90, b->y + 2, 90, head, 0);
        hw -= 94;
    }
    card_text(st, co->label, &hs, b->x + pad, b->y + 2, hw, head, 0);
    card_actions(st, co, rows, n, b->x + pad, b->y + head + 2, b->w - 2 * pad, b->h - head - 4,
                 b->h >= 50 && b->w >= 200 ? 16 : 14, 7.5);
}

static void card_groups(card_state *st)
{
    const device *d = st->job->dev;
    int *rows = malloc((st->job->n_items + 1) * sizeof *rows);
    if (!rows) {
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    for (size_t g = 0; g < d->n_groups; g++) {
        const device_group *gr = &d->groups[g];
        int bound = 0;
        for (size_t i = 0; i < d->n_callouts && !bound; i++)
            if (d->callouts[i].group == (int)g)
                bound = card_is_bound(st, &d->callouts[i], rows, 1) > 0;
        card_leader(st->cr, &gr->box, gr->via, gr->n_via, gr->anchor, bound);
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
            text_style ts = card_style("sans-condensed-bold", 14, 8, 1, TEXT_ALIGN_CENTER, card_grey);
            card_text(st, gr->label, &ts, cx - cw / 2, cy - ch / 2, cw, ch, 0);
        }
    }
    for (size_t i = 0; i < d->n_callouts; i++)
        card_callout(st, &d->callouts[i], rows);
    free(rows);
}

/* ---- title, legend, extras ------------------------------------------------------------ */

static void card_title(card_state *st, double w)
{
    const card_job *j = st->job;
    char title[256], sub[256];
    const char *dev = j->device_name ? j->device_name : j->dev ? j->dev->name : "Device";
    snprintf(title, sizeof title, "%s%s%s", j->game_name ? j->game_name : "", j->game_name ? " \u2014 " : "", dev);
    int n = (int)j->n_items;
    if (j->profile && j->profile[0])
        snprintf(sub, sizeof sub, "Profile: %s \u00b7 %d binding%s", j->profile, n, n == 1 ? "" : "s");
    else
        snprintf(sub, sizeof sub, "%d binding%s", n, n == 1 ? "" : "s");
    text_style ts = card_style("sans-bold", 32, 14, 0, TEXT_ALIGN_LEFT, card_ink);
    card_text(st, title, &ts, 30, 12, w, 48, 0);
    text_style ss = card_style("sans", 18, 10, 0, TEXT_ALIGN_LEFT, card_grey);
    card_text(st, sub, &ss, 30, 60, w, 28, 0);
}

/* Legend in the top-right: context colours, then modifier tags with what they mean. */
static void card_legend(card_state *st, double x0, double y0, double w, int nrows, double rh)
{
    double x = x0, y = y0;
    int row = 0, total = st->n_ctx + st->n_mods, drawn = 0;
    for (int i = 0; i < total; i++) {
        int is_mod = i >= st->n_ctx;
        double slot = is_mod ? 300 : 160;
        if (x + slot > x0 + w + 0.5) {
            if (++row >= nrows)
                break;
            x = x0, y += rh;
        }
        if (!is_mod) {
            card_rgb c = card_ctx_rgb[i];
            cairo_rectangle(st->cr, x, y + rh / 2 - 7, 14, 14);
            cairo_set_source_rgb(st->cr, c.r, c.g, c.b);
            cairo_fill(st->cr);
            const char *name = (i == CARD_MAX_CTX - 1 && st->ctx_more) ? "Other contexts" : st->ctx[i];
            text_style ts = card_style("sans-condensed", 15, 8, 0, TEXT_ALIGN_LEFT, card_ink);
            card_text(st, name, &ts, x + 18, y, slot - 24, rh, 0);
        } else {
            int m = i - st->n_ctx;
            char tag[16];
            card_mod_tag(m, st->mod_more, tag, sizeof tag);
            card_pill(st, tag, x, y + rh / 2 - 8, 26, 16, card_mod_rgb[m], card_white);
            char desc[240];
            snprintf(desc, sizeof desc, "held: %s", (m == CARD_MAX_MODS - 1 && st->mod_more)
                                                        ? "other combinations" : st->mod_desc[m]);
            text_style ts = card_style("sans-condensed", 15, 8, 0, TEXT_ALIGN_LEFT, card_ink);
            card_text(st, desc, &ts, x + 30, y, slot - 36, rh, 0);
        }
        x += slot;
        drawn++;
    }
    if (drawn < total) {
        char more[48];
        snprintf(more, sizeof more, "+%d more in the legend", total - drawn);
        text_style ts = card_style("sans-condensed-bold", 14, 8, 0, TEXT_ALIGN_RIGHT, card_grey);
        card_text(st, more, &ts, x0, y0 + nrows * rh, w, 14, 0);
    }
}

/* Entry text for a control: "Button 17 — Boost · Landing gear". */
static size_t card_entry(card_state *st, const char *control, char *out, size_t cap, int mark)
{
    size_t n = 0;
    char name[64];
    const device_callout *co = st->job->dev && st->job->dev->kind == DEVICE_KEYBOARD
                                   ? devices_callout_for(st->job->dev, control) : NULL;
    card_control_name(control, name, sizeof name);
    int len = snprintf(out, cap, "%s \u2014 ", co && co->legend[0] ? co->legend : name);
    int first = 1;
    for (size_t i = 0; i < st->job->n_items; i++) {
        const binding *b = st->job->items[i];
        if (strcmp(b->input.control, control) != 0)
            continue;
        char act[200], tag[20] = "";
        card_action_text(b, act, sizeof act);
        if (st->item_mod[i] >= 0) {
            card_mod_tag(st->item_mod[i], st->mod_more, tag + 1, sizeof tag - 2);
            tag[0] = '[';
            strcat(tag, "]");
        }
        if ((size_t)len < cap)
            len += snprintf(out + len, cap - (size_t)len, "%s%s%s%s", first ? "" : " \u00b7 ", tag,
                            tag[0] ? " " : "", act);
        first = 0;
        if (mark)
            st->item_done[i] = 1;
        n++;
    }
    return n;
}

/* Controls bound on this device but absent from its layout: one wrapped paragraph in the
 * extras box, shortened entry by entry into a "+N more" tail if it does not fit. */
static void card_extras(card_state *st)
{
    const card_job *j = st->job;
    const char **ctl = malloc((j->n_items + 1) * sizeof *ctl);
    size_t nc = 0;
    if (!ctl) {
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < j->n_items; i++) {
        if (st->item_done[i])
            continue;
        int seen = 0;
        for (size_t k = 0; k < nc && !seen; k++)
            seen = strcmp(ctl[k], j->items[i]->input.control) == 0;
        if (!seen)
            ctl[nc++] = j->items[i]->input.control;
    }
    if (nc == 0) {
        free(ctl);
        return;
    }
    const device_rect *b = &j->dev->extras;
    size_t cap = 64 + nc * 300;
    char *text = malloc(cap), entry[1024];
    if (!text) {
        free(ctl);
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    card_frame(st->cr, b, 6, 1, 0.985, 0.94, 0.75, 0.62, 0.35, 1.2);
    text_style ts = card_style("sans-condensed", 15, 8, 1, TEXT_ALIGN_LEFT, card_ink);
    ts.padding = 6;
    ts.valign = TEXT_VALIGN_TOP;
    text_box box = {b->x, b->y, b->w, b->h};
    for (size_t show = nc;; show--) {
        size_t len = (size_t)snprintf(text, cap, "Also bound, not on this drawing: ");
        size_t shown_items = 0, all_items = 0;
        for (size_t k = 0; k < nc; k++) {
            size_t cnt = card_entry(st, ctl[k], entry, sizeof entry, 0);
            all_items += cnt;
            if (k < show) {
                shown_items += cnt;
                len += (size_t)snprintf(text + len, cap - len, "%s%s", k ? "; " : "", entry);
            }
        }
        if (show < nc)
            snprintf(text + len, cap - len, "; +%zu more control%s", nc - show, nc - show == 1 ? "" : "s");
        text_layout *lo = text_layout_fit(st->tf, text, strlen(text), &ts, box, st->err);
        if (!lo) {
            st->failed = 1;
            break;
        }
        text_metrics m;
        text_layout_metrics(lo, &m);
        if (!m.truncated || show == 0) {
            text_layout_draw(lo, st->cr);
            text_layout_free(lo);
            st->st.labels++;
            st->st.truncated += m.truncated;
            st->st.bindings_shown += (int)shown_items;
            st->st.bindings_more += (int)(all_items - shown_items);
            for (size_t k = 0; k < show; k++)
                card_entry(st, ctl[k], entry, sizeof entry, 1);
            break;
        }
        text_layout_free(lo);
    }
    free(text);
    free(ctl);
}

/* ---- keyboard ------------------------------------------------------------------------- */

static void card_keyboard(card_state *st)
{
    const device *d = st->job->dev;
    int *rows = malloc((st->job->n_items + 1) * sizeof *rows);
    if (!rows) {
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < d->n_callouts; i++) {
        const device_callout *co = &d->callouts[i];
        const device_rect *b = &co->box;
        int n = card_is_bound(st, co, rows, (int)st->job->n_items);
        const char *legend = co->legend[0] ? co->legend : co->label;
        if (!n) {
            text_style ts = card_style("sans", 15, 8, 0, TEXT_ALIGN_CENTER, card_faint);
            card_text(st, legend, &ts, b->x + 3, b->y + 3, b->w - 6, 22, 0);
            continue;
        }
        card_rgb c = card_ctx_rgb[st->item_ctx[rows[0]]];
        /* A pale tint of the first action's context; keys stay readable in greyscale print. */
        card_rrect(st->cr, b->x + 1, b->y + 1, b->w - 2, b->h - 2, 6);
        cairo_set_source_rgb(st->cr, 1 - (1 - c.r) * 0.22, 1 - (1 - c.g) * 0.22, 1 - (1 - c.b) * 0.22);
        cairo_fill_preserve(st->cr);
        cairo_set_source_rgb(st->cr, c.r * 0.8, c.g * 0.8, c.b * 0.8);
        cairo_set_line_width(st->cr, 2);
        cairo_stroke(st->cr);
        text_style ls = card_style("sans-bold", 13, 8, 0, TEXT_ALIGN_LEFT, card_ink);
        card_text(st, legend, &ls, b->x + 4, b->y + 2, b->w - 8, 17, 0);
        card_actions(st, co, rows, n, b->x + 3, b->y + 19, b->w - 6, b->h - 21, 13, 7);
    }
    free(rows);
}

/* ---- generic card --------------------------------------------------------------------- */

static int card_kind_order(const char *c)
{
    if (strncmp(c, "button:", 7) == 0)
        return 0;
    if (strncmp(c, "hat:", 4) == 0)
        return 1;
    if (strncmp(c, "axis:", 5) == 0)
        return 2;
    return 3;
}

static int card_generic_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    int ka = card_kind_order(a), kb = card_kind_order(b);
    if (ka != kb)
        return ka - kb;
    if (ka == 0)
        return atoi(a + 7) - atoi(b + 7);
    if (ka == 1) {
        int ha = atoi(a + 4), hb = atoi(b + 4);
        if (ha != hb)
            return ha - hb;
        static const char *order[] = {"up", "upright", "right", "downright", "down", "downleft", "left", "upleft"};
        const char *da = strrchr(a, ':') + 1, *db = strrchr(b, ':') + 1;
        int ia = 8, ib = 8;
        for (int i = 0; i < 8; i++) {
            if (strcmp(da, order[i]) == 0)
                ia = i;
            if (strcmp(db, order[i]) == 0)
                ib = i;
        }
        return ia - ib;
    }
    return strcmp(a, b);
}

static void card_generic(card_state *st)
{
    static const char *heads[] = {"Buttons", "Hats", "Axes", "Other controls"};
    const card_job *j = st->job;
    const char **ctl = malloc((j->n_items + 1) * sizeof *ctl);
    size_t nc = 0;
    if (!ctl) {
        st->failed = 1;
        err_set(st->err, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < j->n_items; i++) {
        int seen = 0;
        for (size_t k = 0; k < nc && !seen; k++)
            seen = strcmp(ctl[k], j->items[i]->input.control) == 0;
        if (!seen)
            ctl[nc++] = j->items[i]->input.control;
    }
    qsort(ctl, nc, sizeof *ctl, card_generic_cmp);
    int nheads = 0;
    for (size_t k = 0; k < nc; k++)
        nheads += k == 0 || card_kind_order(ctl[k]) != card_kind_order(ctl[k - 1]);

    /* Pick the largest row height at which every entry and heading fits in the columns; at the
     * smallest, keep what fits and end with a "+N more" line. */
    const double x0 = 30, y0 = CARD_TITLE_H + 10, w = CARD_W - 60, h = CARD_H - y0 - 20;
    /* Four columns, or up to six narrower ones before giving up on listing everything. */
    int ncols = 4;
    double rh = 40;
    int per_col = 0;
    for (;; ncols++) {
        for (rh = 40; rh >= 15; rh -= 1) {
            per_col = (int)(h / rh);
            if ((size_t)(per_col * ncols) >= nc + (size_t)nheads * 2)
                break;
        }
        if (rh >= 15 || ncols == 6)
            break;
    }
    if (rh < 15)
        rh = 15, per_col = (int)(h / rh);
    const double colw = (w - (ncols - 1) * 24) / ncols;
    /* Balance the columns rather than filling the first ones to the bottom. */
    int need_rows = (int)((nc + (size_t)nheads * 2 + ncols - 1) / ncols) + 1;
    if (need_rows < per_col)
        per_col = need_rows;
    int capacity = per_col * ncols;
    /* Reserve the last slot for the "+N more" line when not everything fits. */
    int fits_all = (size_t)capacity >= nc + (size_t)nheads * 2;
    int slot = 0;
    size_t k;
    char entry[1200];
    double size = rh * 0.62 > 20 ? 20 : rh * 0.62;
    for (k = 0; k < nc; k++) {
        int new_head = k == 0 || card_kind_order(ctl[k]) != card_kind_order(ctl[k - 1]);
        int need = new_head ? 2 : 1;
        /* Keep a heading with its first entry in one column. */
        if (new_head && slot % per_col == per_col - 1)
            slot++;
        if (slot + need > capacity - (fits_all ? 0 : 1))
            break;
        if (new_head) {
            double x = x0 + (slot / per_col) * (colw + 24), y = y0 + (slot % per_col) * rh;
            text_style hs = card_style("sans-bold", size + 1, 8, 0, TEXT_ALIGN_LEFT, card_grey);
            card_text(st, heads[card_kind_order(ctl[k])], &hs, x, y, colw, rh, 0);
            cairo_move_to(st->cr, x, y + rh - 2);
            cairo_line_to(st->cr, x + colw, y + rh - 2);
            cairo_set_source_rgb(st->cr, 0.75, 0.78, 0.82);
            cairo_set_line_width(st->cr, 1);
            cairo_stroke(st->cr);
            slot++;
        }
        double x = x0 + (slot / per_col) * (colw + 24), y = y0 + (slot % per_col) * rh;
        size_t cnt = card_entry(st, ctl[k], entry, sizeof entry, 1);
        /* Colour bar of the first binding's context. */
        for (size_t i = 0; i < j->n_items; i++)
            if (strcmp(j->items[i]->input.control, ctl[k]) == 0) {
                card_rgb c = card_ctx_rgb[st->item_ctx[i]];
                cairo_rectangle(st->cr, x, y + 3, 4, rh - 6);
                cairo_set_source_rgb(st->cr, c.r, c.g, c.b);
                cairo_fill(st->cr);
                break;
            }
        text_style ts = card_style("sans-condensed", size, 7.5, 0, TEXT_ALIGN_LEFT, card_ink);
        card_text(st, entry, &ts, x + 8, y, colw - 8, rh, 1);
        st->st.bindings_shown += (int)cnt;
        slot++;
    }
    if (k < nc) {
        int more_items = 0;
        for (size_t r = k; r < nc; r++)
            for (size_t i = 0; i < j->n_items; i++)
                if (strcmp(j->items[i]->input.control, ctl[r]) == 0) {
                    more_items++;
                    st->item_done[i] = 1;
                }
        st->st.bindings_more += more_items;
        char more[96];
        snprintf(more, sizeof more, "+%zu more control%s (%d binding%s) not listed: page full", nc - k,
                 nc - k == 1 ? "" : "s", more_items, more_items == 1 ? "" : "s");
        int last = capacity - 1;
        double x = x0 + (last / per_col) * (colw + 24), y = y0 + (last % per_col) * rh;
        text_style ts = card_style("sans-condensed-bold", size, 7.5, 0, TEXT_ALIGN_LEFT,
                                   (text_rgba){0.70, 0.25, 0.05, 1});
        card_text(st, more, &ts, x, y, colw, rh, 0);
    }
    free(ctl);
}

/* ---- entry points --------------------------------------------------------------------- */

size_t card_select(const binding_set *set, const device *dev, const char *device_name,
                   int device_index, const char *module, const binding **out)
{
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        const bind_input *in = &set->items[i].input;
        int mine = dev ? devices_find(set->game, in->device, in->vid, in->pid) == dev
                       : device_name && strcmp(in->device, device_name) == 0;
        mine = mine && in->device_index == device_index &&
               strcmp(set->items[i].module, module ? module : "") == 0;
        if (mine)
            out[n++] = &set->items[i];
    }
    return n;
}

int card_draw(cairo_t *cr, text_fonts *tf, const card_job *job, err_t *err)
{
    card_state st = {0};
    st.cr = cr, st.tf = tf, st.job = job, st.err = err;
    size_t n = job->n_items;
    st.item_ctx = calloc(n + 1, sizeof *st.item_ctx);
    st.item_mod = calloc(n + 1, sizeof *st.item_mod);
    st.item_done = calloc(n + 1, 1);
    if (!st.item_ctx || !st.item_mod || !st.item_done) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        st.failed = 1;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        st.item_ctx[i] = card_ctx_index(&st, job->items[i]);
        st.item_mod[i] = card_mod_index(&st, job->items[i]);
    }
    st.st.bindings = (int)n;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(job->items[k]->input.control, job->items[i]->input.control) == 0;
        st.st.controls += !seen;
        st.st.controls_on_layout += !seen && devices_callout_for(job->dev, job->items[i]->input.control);
    }

    cairo_save(cr);
    /* Line art and boxes: cairo's fast antialiasing looks the same here and saves ~1 ms a card
     * (text keeps its own font options). */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    if (job->dev && job->background) {
        render_paint_background(cr, job->background);
    } else if (job->dev) {
        devart_draw(cr, job->dev); /* no baked background: correct, only slower */
    } else {
        cairo_set_source_rgb(cr, 0.992, 0.992, 0.988);
        cairo_paint(cr);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);

    card_title(&st, 900);
    if (!job->dev)
        card_generic(&st);
    else if (job->dev->kind == DEVICE_KEYBOARD)
        card_keyboard(&st);
    else
        card_groups(&st);
    if (job->dev && !st.failed)
        card_extras(&st);
    card_legend(&st, 960, 10, CARD_W - 960 - 24, 3, 26);
    cairo_restore(cr);
done:
    if (job->stats)
        *job->stats = st.st;
    free(st.item_ctx);
    free(st.item_mod);
    free(st.item_done);
    return st.failed ? -1 : 0;
}
