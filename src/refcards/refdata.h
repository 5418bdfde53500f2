/* refdata.h — the refcards product's catalog part: the game tables, the device registry and
 * usb.ids, loaded together and replaced together (SIGHUP), with the digest that every card's
 * cache key carries. Immutable after load: any thread reads it while a reference to the
 * catalog holding it is kept. */
#ifndef CARTOUCHE_REFDATA_H
#define CARTOUCHE_REFDATA_H

#include "catalog/catalog.h"
#include "refcards/devices.h"
#include "refcards/games/games.h"
#include "refcards/usbids.h"
#include "util/config.h"
#include "util/err.h"

typedef struct {
    games_registry *games;
    devices_registry *devices;
    usbids_table *usb;
    char digest[65]; /* SHA-256 hex of the card layout version and the three digests */
} refcards_data;

/* Load templates_dir/games/, templates_dir/devices/, usb.ids (usbids_path, NULL = the system's)
 * and templates_dir/usb/vendors.json. NULL + err naming the file and why. */
refcards_data *refcards_data_load(const char *templates_dir, const char *usbids_path, err_t *err);
void refcards_data_free(refcards_data *d);

/* The catalog kind: load reads cfg->templates_dir. */
extern const catalog_part_ops refcards_part_ops;

#endif
