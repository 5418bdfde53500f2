/* refcards.h — controller reference cards over HTTP: the module's routes. They read the device
 * registry, the game tables and usb.ids from the catalog's refcards part (refdata.h) and keep
 * uploads in the store main opens (uploads.h). */
#ifndef CARTOUCHE_REFCARDS_H
#define CARTOUCHE_REFCARDS_H

#include "http/router.h"
#include "refcards/uploads.h"

/* The module's context, owned by main: the catalog slot of refcards_part_ops and the store. */
typedef struct {
    int data;
    uploads *store;
} refcards_ctx;

/* POST /v1/refcards; GET /v1/refcards/{id}, /v1/refcards/{id}/{device}.{jpg,png,pdf},
 * /v1/devices, /v1/games. */
int refcards_register(router *r, refcards_ctx *ctx);

#endif
