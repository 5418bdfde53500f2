/* usbids.h — readable names of USB devices from Debian's usb.ids (package usb.ids,
 * /usr/share/misc/usb.ids), for cards of devices the registry has no drawing for: a title
 * such as "VKB-Sim Gladiator NXT" rather than the "231D0121" a game wrote. Loaded once at
 * start-up, read-only afterwards. */
#ifndef CARTOUCHE_USBIDS_H
#define CARTOUCHE_USBIDS_H

#include <stddef.h>

#define USBIDS_DEFAULT_PATH "/usr/share/misc/usb.ids"

/* Load path (NULL = USBIDS_DEFAULT_PATH), then overlay_json (NULL = none): a JSON object of
 * vendor names usb.ids lacks or gets wrong for sim hardware, {"231D": "VKB-Sim", ...}, which
 * wins. A missing file is not an error (names fall back to "USB VVVV:PPPP"); returns the number
 * of products read. */
size_t usbids_load(const char *path, const char *overlay_json);
void usbids_unload(void);
/* SHA-256 (hex) of the files read (usb.ids and the overlay): generic cards' titles depend on
 * them, so they are part of the cards' cache keys. */
const char *usbids_digest(void);

/* Vendor name ("ThrustMaster", company suffixes dropped) or NULL. */
const char *usbids_vendor(unsigned vid);
/* Product name or NULL. */
const char *usbids_product(unsigned vid, unsigned pid);

#endif
