/* card.h — draws one device's reference card from its bindings: the device drawing with every
 * bound control's action(s) in its callout, modifier tags and category colours with a legend;
 * the keyboard with actions inside the keys; or, for a device the registry does not know, a
 * generic card listing every bound control in columns. Draws at 1920x1080 user units; the
 * caller creates the target, applies the pixel scale and encodes.
 *
 * No text is drawn under CARD_MIN_FONT px and no action is ever cut: what does not fit its
 * callout or key at that size continues in a panel laid in the drawing's free space, and what
 * the panel cannot hold flows to further pages of the same card (job->page, stats->pages). */
#ifndef CARTOUCHE_CARD_H
#define CARTOUCHE_CARD_H

#include <cairo.h>
#include <stddef.h>

#include "util/err.h"
#include "refcards/bindings.h"
#include "refcards/devices.h"
#include "refcards/usbids.h"
#include "text/text.h"

#define CARD_W 1920
#define CARD_H 1080
/* Part of every card's cache key with the registry, game table and usb.ids digests: bump it when
 * the drawing or layout of cards changes, so that cached (immutable) cards are drawn again. */
#define CARD_LAYOUT_VERSION "cards-2026-11-29b"
#define CARD_MIN_FONT 12.0 /* px at 1920x1080: nothing on a card is smaller */
/* Width of a spliced card's restart segments, in layout units (x scale in pixels): 15 per row. */
#define CARD_SEG_W 128

/* What a drawn card contains, for the refcard summary ("controls not shown and why") and tests. */
/* Counts are of the page drawn, except bindings, controls*, pages and mods (the whole card). */
typedef struct {
    int bindings;         /* bindings given */
    int bindings_shown;   /* drawn on this page with their action text (callout, key, panel or
                             list); summed over pages 1..pages it equals bindings */
    int labels;           /* action labels drawn */
    int truncated;        /* action labels that needed an ellipsis (never, by design) */
    int text_cut;         /* other text (title, control names, legend) that needed an ellipsis */
    int controls;         /* distinct bound controls */
    int controls_on_layout; /* of which shown in the device's own callouts or keys */
    int pages;            /* pages this card needs to show every binding (>= 1) */
    int continued;        /* bindings of this page drawn in the panel/list rather than in their
                             own callout or key */
    int mods;             /* modifier combinations used on the card (all listed in the legend) */
    int mods_listed;      /* modifier combinations explained on this page and not before (the
                             header legend repeats on later pages): summed over pages = mods */
    double min_font_px;   /* smallest text size used for an action, in 1920x1080 units */
    double min_text_px;   /* smallest text size of anything drawn (0 if nothing) */
    int leaders, leaders_sprites; /* leader lines drawn, and of them painted from sprites (rc set) */
} card_stats;

typedef struct {
    const device *dev;            /* registry entry; NULL draws the generic card */
    const devices_registry *devices; /* the registry dev is from (modifiers' devices) */
    const usbids_table *usb;      /* readable names of unknown devices; may be NULL */
    const binding *const *items;  /* this device's bindings (see card_select) */
    size_t n_items;
    const char *game;             /* game id ("elite"): resolves modifier devices; may be NULL */
    const char *game_name;        /* "Elite Dangerous" */
    const char *profile;          /* preset/profile name; NULL or "" if none */
    const char *device_name;      /* title; NULL = dev->name */
    cairo_surface_t *background;  /* devices_background(dev, scale); NULL draws the art live */
    card_stats *stats;            /* filled if not NULL */
    int device_index;             /* which of several alike devices (0 = first); said in the title */
    const char *module;           /* aircraft/ship of these bindings (binding.module); NULL or "" */
    int page;                     /* 1-based page to draw (see card_stats.pages); 0 = 1; past the
                                     last page draws the last */
    const char *const *contexts;  /* every context of the whole upload, in order: colours match
                                     across its cards; NULL = this card's own order */
    size_t n_contexts;
    struct render_ctx *rc;        /* the image job's (render.h): a JPEG job is then spliced over
                                     the device's empty card (card_draw); NULL draws it all */
    int splice_seg;               /* a spliced job's restart segments, pixels wide: 0 = CARD_SEG_W
                                     x scale; -1 = one MCU row and the art drawn whole (the form
                                     before segments, for benches and tests) */
} card_job;

/* Draw the card. -1 + err only on text engine failure (e.g. invalid UTF-8 in a label).
 * With job->rc, what does not depend on the bindings (the device drawing and its unbound callouts,
 * i.e. the empty card of that device; a plain page for later pages and generic cards) is the
 * job's background (render_background_under): a JPEG job draws only what meets the restart
 * segments the bindings touch (the device art copied there from runs kept by the first such job),
 * and stats then count only what was drawn there.
 * cr NULL only lays the card out and fills job->stats' whole-card counts (bindings, controls,
 * controls_on_layout, mods, pages): how many pages a card has, at a fraction of a draw. */
int card_draw(cairo_t *cr, text_fonts *tf, const card_job *job, err_t *err);

/* Pick from set the bindings whose input belongs to dev (when dev is not NULL; matched through
 * devices_find with the game's device name and USB id) or, for a generic card, whose input
 * device name equals device_name; and whose device_index and module (NULL = "") match.
 * out must hold set->n pointers. Returns how many. */
size_t card_select(const devices_registry *reg, const binding_set *set, const device *dev,
                   const char *device_name, int device_index, const char *module, const binding **out);

/* "button:17" → "Button 17", "hat:1:upleft" → "Hat 1 ↖", "axis:rz" → "RZ axis", "key:A" → "A". */
void card_control_name(const char *control, char *out, size_t cap);

#endif
