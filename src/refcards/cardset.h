/* cardset.h — splits an upload's bindings into cards: one per physical device (a registry
 * device, the keyboard, or a generic card under the game's name for the device), per
 * device_index (two alike sticks give two cards) and per module (a DCS folder's aircraft).
 * The summary, the card route and the tests all group through here, so "which card shows
 * this binding" has one answer. Mouse bindings are on no card (listed as not shown). */
#ifndef CARTOUCHE_CARDSET_H
#define CARTOUCHE_CARDSET_H

#include <stddef.h>

#include "util/err.h"
#include "refcards/bindings.h"
#include "refcards/devices.h"
#include "refcards/usbids.h"

typedef struct {
    char slug[112];          /* URL segment: "warthog-stick", "warthog-stick-2",
                                "f-16c-50-warthog-stick", "generic-saitek-x45" */
    const device *dev;       /* registry entry, NULL for a generic card */
    char game_device[96];    /* the game's name of the device */
    unsigned vid, pid;       /* from the file, 0 if it had none */
    char name[128];          /* readable: registry name, else usb.ids / the game's name, never a
                                bare hex id */
    char title[160];         /* name, with "#2" for a second alike device */
    int device_index;
    char module[48];
    size_t n_bindings;
    const size_t *items;     /* the indices into the set's items of this card's bindings, in order */
} cardset_card;

typedef struct {
    cardset_card *cards;
    size_t n;
    size_t *not_shown;       /* indices into the set's items that are on no card (mouse) */
    size_t n_not_shown;
    long *card_of;           /* for each binding of the set, its card's index, -1 for none */
    size_t *members;         /* storage of every card's items */
    char (*contexts)[48];    /* every context of the upload, first-seen order (card colours) */
    size_t n_contexts;
} cardset;

int cardset_build(const devices_registry *reg, const usbids_table *usb, const binding_set *set, cardset *cs,
                  err_t *err);
void cardset_free(cardset *cs);

/* The registry device a binding's input belongs to (the keyboard for any "key:" control),
 * or NULL for a generic card. */
const device *cardset_device_of(const devices_registry *reg, const char *game, const bind_input *in);

/* The card of cs with this slug, or NULL. */
const cardset_card *cardset_find(const cardset *cs, const char *slug);

/* Pick c's bindings from set into out (room for set->n), from the grouping cardset_build made
 * (c must be a card of a cardset built from set). Returns how many. */
size_t cardset_select(const binding_set *set, const cardset_card *c, const binding **out);

/* Readable name of a device the registry does not know (what cardset_card.title holds for
 * generic cards): the game's name unless it is a bare hex id, completed from usb.ids. */
void cardset_generic_title(const usbids_table *usb, const char *game_name, unsigned vid, unsigned pid,
                           char *out, size_t cap);

#endif
