/* catalog.h — the immutable, refcounted catalog: every piece of reloadable data the products
 * serve from (templates, game tables, devices, tile layers, web files), loaded as one set of
 * parts, all or nothing. The catalog knows no product: each product describes its part with a
 * catalog_part_ops (load, free, digest) and the app registers the kinds at start-up.
 *
 * Ownership: catalog_load returns a catalog with one reference. Whoever keeps a catalog beyond
 * the call it was handed in (a request, a render job) takes a reference with catalog_ref and
 * drops it with catalog_unref; the last unref frees every part. Parts are immutable after load
 * (a part may fill internal caches lazily under its own lock), so any thread reads them. */
#ifndef CARTOUCHE_CATALOG_H
#define CARTOUCHE_CATALOG_H

#include "util/config.h"
#include "util/err.h"

#define CATALOG_MAX_PARTS 8

typedef struct {
    const char *name;                                   /* "templates", "refcards", ... */
    void *(*load)(const config *cfg, err_t *err);       /* NULL + err naming the file and why */
    void (*free)(void *part);
    const char *(*digest)(const void *part);            /* hex digest of the part's inputs, or NULL */
} catalog_part_ops;

/* The part kinds, filled once at start-up before the first catalog_load. */
typedef struct {
    const catalog_part_ops *ops[CATALOG_MAX_PARTS];
    int n;
} catalog_kinds;

typedef struct catalog catalog;

/* Register a part kind; returns its slot (the index catalog_part takes), -1 when full. */
int catalog_kinds_add(catalog_kinds *kinds, const catalog_part_ops *ops);

/* Load every registered part in slot order. All or nothing: on the first failure the parts
 * already loaded are freed and NULL returns with err ("<kind>: <the part's message>"). */
catalog *catalog_load(const catalog_kinds *kinds, const config *cfg, err_t *err);
/* A catalog of parts the caller already holds (tests, tools): takes ownership of parts[0..n). */
catalog *catalog_of(const catalog_kinds *kinds, void *const *parts, int n);
catalog *catalog_ref(catalog *c);
void catalog_unref(catalog *c);

/* The part in slot (NULL if c is NULL or slot out of range). */
void *catalog_part(const catalog *c, int slot);
/* The part's digest ("" when the kind has none). */
const char *catalog_digest(const catalog *c, int slot);
/* A number that grows by one with every catalog loaded in this process: logs and /metrics. */
unsigned long catalog_generation(const catalog *c);

#endif
