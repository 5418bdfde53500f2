/* bindings.c — the growable binding list every game parser fills: append with a hard cap
 * (an uploaded file must not be able to make us allocate without bound), and free. */
#include "refcard/bindings.h"

#include <stdlib.h>
#include <string.h>

int bindings_add(binding_set *set, const binding *b, size_t max_bindings, err_t *err)
{
    if (set->n >= max_bindings) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: more than %zu bindings", b->line,
                max_bindings);
        return -1;
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        if (cap > max_bindings)
            cap = max_bindings;
        binding *items = realloc(set->items, cap * sizeof *items);
        if (!items) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory for %zu bindings", cap);
            return -1;
        }
        set->items = items;
        set->cap = cap;
    }
    set->items[set->n++] = *b;
    return 0;
}

void bindings_free(binding_set *set)
{
    if (!set)
        return;
    free(set->items);
    set->items = NULL;
    set->n = set->cap = 0;
}
