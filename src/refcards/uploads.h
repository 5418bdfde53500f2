/* uploads.h — the upload store: the files of each upload kept in SQLite (WAL, synchronous=FULL, so
 * an upload answered 201 survives a kill -9 or a power cut) under a content-derived id, so its
 * cards can be drawn again after a restart. Safe from any thread (each call uses a connection
 * of its own); called from workers, since a commit waits for the disk. Not reloadable data but
 * long-lived state: main opens it and hands it to the refcards product.
 *
 * A row's data column holds every file of the upload in a small container (a magic, then name
 * and bytes per file); rows written before uploads had several files hold the one file's bytes
 * as they were uploaded, with its name in the filename column, and still read back. */
#ifndef CARTOUCHE_STORE_H
#define CARTOUCHE_STORE_H

#include <stddef.h>

#include "util/err.h"

typedef struct {
    const char *name;   /* "" if none */
    const char *data;   /* not NUL-terminated */
    size_t len;
} store_file;

typedef struct {
    store_file *files;  /* the upload's files, in the order they were stored */
    size_t n;
    char *game;         /* forced game or "" */
    char *summary;      /* JSON summary computed at upload */
    long long created;
    char *blob;         /* owns what files[] points to */
} store_item;

typedef struct uploads uploads;

/* Open (creating the file, its folder and the schema if needed), with conns connections ready
 * (one per thread that will use the store at once: the workers). NULL + err. */
uploads *uploads_open(const char *path, int conns, err_t *err);
/* Close every connection; no call may be running or follow. u may be NULL. */
void uploads_close(uploads *u);
/* Insert files[0..n) with game and summary unless the id exists; *created = 1 when it was new. */
int uploads_put(uploads *u, const char *id, const store_file *files, size_t n, const char *game,
                const char *summary, int *created, err_t *err);
/* 0 found (fill item; free with store_item_free), 1 not found, -1 error. */
int uploads_get(uploads *u, const char *id, store_item *item, err_t *err);
void store_item_free(store_item *item);

/* The container a row's data holds: encode files into a new buffer (free()), and decode one
 * (0, or -1 if data is not a container: a row from before bundles). Decoded files point into
 * data, which must outlive them; *files is a new array (free()). */
int store_bundle_encode(const store_file *files, size_t n, char **out, size_t *out_len);
int store_bundle_decode(const char *data, size_t len, store_file **files, size_t *n);

#endif
