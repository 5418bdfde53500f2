/* bindings.c — the growable binding list every game parser fills: append with a hard cap
 * (an uploaded file must not be able to make us allocate without bound), and free. */
#include "refcards/bindings.h"

#include <stdarg.h>
#include <stdio.h>
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
    free(set->warnings);
    set->items = NULL;
    set->warnings = NULL;
    set->n = set->cap = 0;
    set->n_warnings = set->cap_warnings = set->warnings_dropped = 0;
}

void bindings_warn(binding_set *set, int line, const char *what, const char *fmt, ...)
{
    if (set->n_warnings == BIND_MAX_WARNINGS) {
        set->warnings_dropped++;
        return;
    }
    if (set->n_warnings == set->cap_warnings) {
        size_t cap = set->cap_warnings ? set->cap_warnings * 2 : 16;
        bind_warning *w = realloc(set->warnings, cap * sizeof *w);
        if (!w) {
            set->warnings_dropped++;
            return;
        }
        set->warnings = w;
        set->cap_warnings = cap;
    }
    bind_warning *w = &set->warnings[set->n_warnings++];
    snprintf(w->file, sizeof w->file, "%s", set->cur_file);
    w->line = line;
    snprintf(w->what, sizeof w->what, "%s", what ? what : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, sizeof w->why, fmt, ap);
    va_end(ap);
}

int bindings_merge(binding_set *dst, binding_set *src, size_t max_bindings, err_t *err)
{
    for (size_t i = 0; i < src->n; i++)
        if (bindings_add(dst, &src->items[i], max_bindings, err) < 0)
            return -1;
    for (size_t i = 0; i < src->n_warnings; i++) {
        const bind_warning *w = &src->warnings[i];
        char keep[256];
        snprintf(keep, sizeof keep, "%s", dst->cur_file);
        snprintf(dst->cur_file, sizeof dst->cur_file, "%s", w->file);
        bindings_warn(dst, w->line, w->what, "%s", w->why);
        snprintf(dst->cur_file, sizeof dst->cur_file, "%s", keep);
    }
    dst->warnings_dropped += src->warnings_dropped;
    bindings_free(src);
    return 0;
}

/* Cut s before a last UTF-8 character that lacks continuation bytes. */
static void cut_partial_utf8(char *s)
{
    size_t n = strlen(s), i = n, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead >= 0x80 && want != back)
        s[i - 1] = 0;
}

static void fix_input(bind_input *in)
{
    cut_partial_utf8(in->device);
    cut_partial_utf8(in->control);
}

void bindings_fix_utf8(binding_set *set)
{
    cut_partial_utf8(set->profile);
    for (size_t i = 0; i < set->n; i++) {
        binding *b = &set->items[i];
        cut_partial_utf8(b->action_id);
        cut_partial_utf8(b->action);
        cut_partial_utf8(b->context);
        cut_partial_utf8(b->activation);
        cut_partial_utf8(b->module);
        fix_input(&b->input);
        for (int k = 0; k < b->n_modifiers && k < BIND_MAX_MODIFIERS; k++)
            fix_input(&b->modifiers[k]);
    }
    for (size_t i = 0; i < set->n_warnings; i++) {
        cut_partial_utf8(set->warnings[i].file);
        cut_partial_utf8(set->warnings[i].what);
        cut_partial_utf8(set->warnings[i].why);
    }
}
