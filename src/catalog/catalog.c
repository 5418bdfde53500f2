/* catalog.c — loads the registered parts into one immutable catalog and frees it when the
 * last reference goes: the only place where reloadable data changes hands. */
#include "catalog/catalog.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct catalog {
    atomic_int refs;
    const catalog_kinds *kinds;
    void *parts[CATALOG_MAX_PARTS];
    int n;
    unsigned long generation;
};

/* Numbers catalogs for logs; the one counter of this module, written with atomics. */
static atomic_ulong catalog_generations;

int catalog_kinds_add(catalog_kinds *kinds, const catalog_part_ops *ops)
{
    if (kinds->n >= CATALOG_MAX_PARTS)
        return -1;
    kinds->ops[kinds->n] = ops;
    return kinds->n++;
}

static void catalog_free(catalog *c)
{
    for (int i = c->n - 1; i >= 0; i--)
        if (c->parts[i])
            c->kinds->ops[i]->free(c->parts[i]);
    free(c);
}

static catalog *catalog_new(const catalog_kinds *kinds)
{
    catalog *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    atomic_init(&c->refs, 1);
    c->kinds = kinds;
    c->generation = atomic_fetch_add(&catalog_generations, 1) + 1;
    return c;
}

catalog *catalog_load(const catalog_kinds *kinds, const config *cfg, err_t *err)
{
    catalog *c = catalog_new(kinds);
    if (!c) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    for (int i = 0; i < kinds->n; i++) {
        err_t e = {0};
        c->parts[i] = kinds->ops[i]->load(cfg, &e);
        if (!c->parts[i]) {
            err_set(err, e.kind ? e.kind : ERR_CONFIG, e.param[0] ? e.param : NULL, "%s: %s",
                    kinds->ops[i]->name, e.msg[0] ? e.msg : "cannot be loaded");
            c->n = i;
            catalog_free(c);
            return NULL;
        }
    }
    c->n = kinds->n;
    return c;
}

catalog *catalog_of(const catalog_kinds *kinds, void *const *parts, int n)
{
    catalog *c = catalog_new(kinds);
    if (!c)
        return NULL;
    for (int i = 0; i < n && i < CATALOG_MAX_PARTS; i++)
        c->parts[i] = parts[i];
    c->n = n < CATALOG_MAX_PARTS ? n : CATALOG_MAX_PARTS;
    return c;
}

catalog *catalog_ref(catalog *c)
{
    if (c)
        atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
    return c;
}

void catalog_unref(catalog *c)
{
    if (c && atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1)
        catalog_free(c);
}

void *catalog_part(const catalog *c, int slot)
{
    return c && slot >= 0 && slot < c->n ? c->parts[slot] : NULL;
}

const char *catalog_digest(const catalog *c, int slot)
{
    void *p = catalog_part(c, slot);
    const char *d = p && c->kinds->ops[slot]->digest ? c->kinds->ops[slot]->digest(p) : NULL;
    return d ? d : "";
}

unsigned long catalog_generation(const catalog *c)
{
    return c ? c->generation : 0;
}
