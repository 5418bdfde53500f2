/* refcards.h — controller reference cards over HTTP: loading the device registry, the game
 * tables, usb.ids and the upload store at start-up, and the module's routes. */
#ifndef CARTOUCHE_REFCARDS_H
#define CARTOUCHE_REFCARDS_H

#include "http/router.h"
#include "util/config.h"
#include "util/err.h"

int refcards_load(const config *cfg, err_t *err);
void refcards_unload(void);
/* POST /v1/refcards; GET /v1/refcards/{id}, /v1/refcards/{id}/{device}.{jpg,png,pdf},
 * /v1/devices, /v1/games. */
int refcards_register(router *r);

#endif
