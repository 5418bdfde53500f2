/* store.h — the upload store: binding files kept in SQLite (WAL, synchronous=FULL, so an
 * upload answered 201 survives a kill -9 or a power cut) under a content-derived id. Used on
 * the I/O loop only. */
#ifndef CARTOUCHE_STORE_H
#define CARTOUCHE_STORE_H

#include <stddef.h>

#include "err.h"

typedef struct {
    char *data;     /* the file as uploaded */
    size_t len;
    char *filename; /* "" if none */
    char *game;     /* forced game or "" */
    char *summary;  /* JSON summary computed at upload */
    long long created;
} store_item;

/* Open (creating the file, its folder and the schema if needed). */
int store_open(const char *path, err_t *err);
void store_close(void);
/* Insert unless the id exists; *created = 1 when it was new. */
int store_put(const char *id, const store_item *item, int *created, err_t *err);
/* 0 found (fill item; free with store_item_free), 1 not found, -1 error. */
int store_get(const char *id, store_item *item, err_t *err);
void store_item_free(store_item *item);

#endif
