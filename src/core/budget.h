/* budget.h — the memory budget that render surfaces, encoded outputs, request bodies and the
 * splice caches are charged to, and the refcounted blobs of encoded bytes charged to it until
 * their last reference (reply in flight, cache entry) is dropped. Thread-safe. */
#ifndef CARTOUCHE_BUDGET_H
#define CARTOUCHE_BUDGET_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/metrics.h"

typedef struct budget budget;

budget *budget_new(size_t bytes, metrics *m);
void budget_free(budget *b);
/* Called (from the thread that must wait) when a reservation cannot be met at once, so that
 * holders of optional memory (the workers' cached surfaces) give it back. */
void budget_on_pressure(budget *b, void (*fn)(void *ctx), void *ctx);

/* Reserve n bytes, waiting until deadline (monotonic seconds) for them; -1 when it passes.
 * try never blocks. */
int budget_reserve(budget *b, size_t n, double deadline);
int budget_try_reserve(budget *b, size_t n);
void budget_release(budget *b, size_t n);
/* Input held in memory (request bodies as they arrive, an upload's copy until its job ends) may
 * never take more than half the budget, so that renders and the replies in flight always have
 * room: try never blocks; -1 when the budget or the input share is full. */
int budget_try_reserve_input(budget *b, size_t n);
void budget_release_input(budget *b, size_t n);
/* Bytes charged now (all kinds), and the budget. */
size_t budget_used(budget *b);
size_t budget_limit(const budget *b);

/* Refcounted encoded bytes charged to a budget. */
typedef struct {
    atomic_int refs;
    budget *owner;
    size_t len;
    unsigned char data[];
} blob;

/* A blob of len bytes; waits for budget until deadline; NULL if it passes. refs = 1. */
blob *blob_new(budget *b, size_t len, double deadline);
void blob_ref(blob *b);
void blob_unref(blob *b);

double budget_now(void); /* monotonic seconds */

#endif
