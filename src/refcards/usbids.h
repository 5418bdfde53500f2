/* usbids.h — readable names of USB devices from Debian's usb.ids (package usb.ids,
 * /usr/share/misc/usb.ids), for cards of devices the registry has no drawing for: a title
 * such as "VKB-Sim Gladiator NXT" rather than the "231D0121" a game wrote. A loaded table is
 * read-only: one piece of the refcards catalog part (refcards.h), replaced on SIGHUP. */
#ifndef CARTOUCHE_USBIDS_H
#define CARTOUCHE_USBIDS_H

#include <stddef.h>

#include "util/err.h"

#define USBIDS_DEFAULT_PATH "/usr/share/misc/usb.ids"

typedef struct usbids_table usbids_table;

/* Load path (NULL = USBIDS_DEFAULT_PATH), then overlay_json (NULL = none): a JSON object of
 * vendor names usb.ids lacks or gets wrong for sim hardware, {"231D": "VKB-Sim", ...}, which
 * wins. A missing usb.ids is not an error (names fall back to "USB VVVV:PPPP"); an overlay that
 * is not a JSON object is (NULL + err naming the file and line). */
usbids_table *usbids_load(const char *path, const char *overlay_json, err_t *err);
void usbids_free(usbids_table *t);
/* Number of products read. */
size_t usbids_count(const usbids_table *t);
/* SHA-256 (hex) of the files read (usb.ids and the overlay): generic cards' titles depend on
 * them, so they are part of the cards' cache keys. "" for NULL. */
const char *usbids_digest(const usbids_table *t);

/* Vendor name ("ThrustMaster", company suffixes dropped) or NULL. t may be NULL. */
const char *usbids_vendor(const usbids_table *t, unsigned vid);
/* Product name or NULL. */
const char *usbids_product(const usbids_table *t, unsigned vid, unsigned pid);

#endif
