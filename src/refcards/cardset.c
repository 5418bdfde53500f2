/* cardset.c — which card each binding of an upload is drawn on (see cardset.h). */
#include "refcards/cardset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/usbids.h"

static int is_mouse(const bind_input *in)
{
    return strcasecmp(in->device, "Mouse") == 0 || strncmp(in->control, "mouse", 5) == 0;
}

const device *cardset_device_of(const devices_registry *reg, const char *game, const bind_input *in)
{
    if (strncmp(in->control, "key:", 4) == 0)
        return devices_get(reg, "keyboard");
    return devices_find(reg, game, in->device, in->vid, in->pid);
}

/* "231D0121", "0x231d0121", "" : names that say nothing to a player. */
static int bare_hex(const char *s)
{
    size_t n = 0, hex = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    for (; s[n]; n++)
        hex += isxdigit((unsigned char)s[n]) != 0;
    return n == 0 || (hex == n && n >= 4);
}

/* Elite's "VVVVPPPP" names carry the USB ids themselves. */
static void ids_from_hex_name(const char *s, unsigned *vid, unsigned *pid)
{
    if (strlen(s) != 8 || !bare_hex(s))
        return;
    char v[5] = {0}, p[5] = {0};
    memcpy(v, s, 4);
    memcpy(p, s + 4, 4);
    *vid = (unsigned)strtoul(v, NULL, 16);
    *pid = (unsigned)strtoul(p, NULL, 16);
}

void cardset_generic_title(const usbids_table *usb, const char *game_name, unsigned vid, unsigned pid, char *out, size_t cap)
{
    if (!vid && !pid)
        ids_from_hex_name(game_name, &vid, &pid);
    const char *vendor = vid ? usbids_vendor(usb, vid) : NULL;
    const char *product = vid ? usbids_product(usb, vid, pid) : NULL;
    if (!bare_hex(game_name)) {
        if (product && !strcasestr(game_name, product))
            snprintf(out, cap, "%s (%s %s)", game_name, vendor ? vendor : "", product);
        else
            snprintf(out, cap, "%s", game_name);
    } else if (product) {
        snprintf(out, cap, "%s %s", vendor ? vendor : "", product);
    } else if (vendor) {
        snprintf(out, cap, "%s device (USB %04X:%04X)", vendor, vid, pid);
    } else if (vid || pid) {
        snprintf(out, cap, "Game controller (USB %04X:%04X)", vid, pid);
    } else {
        snprintf(out, cap, "Game controller");
    }
    char *s = out;
    while (*s == ' ')
        memmove(s, s + 1, strlen(s));
}

/* Append [a-z0-9-] of s to out (a dash for any run of other characters). */
static void slug_append(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    int dash = n == 0 || out[n - 1] == '-';
    for (; *s && n + 2 < cap; s++) {
        if (isalnum((unsigned char)*s)) {
            out[n++] = (char)tolower((unsigned char)*s);
            dash = 0;
        } else if (!dash) {
            out[n++] = '-';
            dash = 1;
        }
    }
    while (n && out[n - 1] == '-')
        n--;
    out[n] = 0;
}

static void card_slug(const cardset_card *c, char *out, size_t cap)
{
    out[0] = 0;
    if (c->module[0]) {
        slug_append(out, cap, c->module);
        size_t n = strlen(out);
        if (n + 1 < cap)
            out[n] = '-', out[n + 1] = 0;
    }
    if (c->dev) {
        slug_append(out, cap, c->dev->id);
    } else {
        slug_append(out, cap, "generic");
        size_t n = strlen(out);
        if (n + 1 < cap)
            out[n] = '-', out[n + 1] = 0;
        slug_append(out, cap, c->game_device[0] ? c->game_device : "device");
    }
    if (c->device_index > 0) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "-%d", c->device_index + 1);
    }
}

/* b, whose registry device is d, belongs on c. */
static int card_matches(const cardset_card *c, const binding *b, const device *d)
{
    const bind_input *in = &b->input;
    if (is_mouse(in) || in->device_index != c->device_index || strcmp(b->module, c->module) != 0)
        return 0;
    if (d || c->dev)
        return d == c->dev;
    return strcmp(in->device, c->game_device) == 0;
}

static int add_context(cardset *cs, const char *ctx, size_t *cap)
{
    for (size_t i = 0; i < cs->n_contexts; i++)
        if (strcmp(cs->contexts[i], ctx) == 0)
            return 0;
    if (cs->n_contexts == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        char(*a)[48] = realloc(cs->contexts, c * sizeof *a);
        if (!a)
            return -1;
        cs->contexts = a;
        *cap = c;
    }
    snprintf(cs->contexts[cs->n_contexts++], 48, "%s", ctx);
    return 0;
}

int cardset_build(const devices_registry *reg, const usbids_table *usb, const binding_set *set, cardset *cs,
                  err_t *err)
{
    memset(cs, 0, sizeof *cs);
    size_t cap = 0, cap_ctx = 0;
    cs->not_shown = calloc(set->n ? set->n : 1, sizeof *cs->not_shown);
    cs->card_of = calloc(set->n ? set->n : 1, sizeof *cs->card_of);
    cs->members = calloc(set->n ? set->n : 1, sizeof *cs->members);
    if (!cs->not_shown || !cs->card_of || !cs->members)
        goto oom;
    for (size_t i = 0; i < set->n; i++) {
        const binding *b = &set->items[i];
        cs->card_of[i] = -1;
        if (is_mouse(&b->input)) {
            cs->not_shown[cs->n_not_shown++] = i;
            continue;
        }
        if (add_context(cs, b->context, &cap_ctx) < 0)
            goto oom;
        const device *d = cardset_device_of(reg, set->game, &b->input);
        cardset_card *c = NULL;
        for (size_t k = 0; k < cs->n && !c; k++)
            if (card_matches(&cs->cards[k], b, d))
                c = &cs->cards[k];
        if (!c) {
            if (cs->n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                cardset_card *a = realloc(cs->cards, nc * sizeof *a);
                if (!a)
                    goto oom;
                cs->cards = a;
                cap = nc;
            }
            c = &cs->cards[cs->n++];
            memset(c, 0, sizeof *c);
            c->dev = d;
            snprintf(c->game_device, sizeof c->game_device, "%s", b->input.device);
            c->vid = b->input.vid;
            c->pid = b->input.pid;
            c->device_index = b->input.device_index;
            snprintf(c->module, sizeof c->module, "%s", b->module);
            if (c->dev)
                snprintf(c->name, sizeof c->name, "%s", c->dev->name);
            else
                cardset_generic_title(usb, b->input.device, b->input.vid, b->input.pid, c->name, sizeof c->name);
            if (c->device_index > 0)
                snprintf(c->title, sizeof c->title, "%s #%d", c->name, c->device_index + 1);
            else
                snprintf(c->title, sizeof c->title, "%s", c->name);
            card_slug(c, c->slug, sizeof c->slug);
        }
        c->n_bindings++;
        cs->card_of[i] = (long)(c - cs->cards);
    }
    /* Each card's members, in the set's order, one array for all. */
    size_t at = 0;
    for (size_t k = 0; k < cs->n; k++) {
        cs->cards[k].items = cs->members + at;
        at += cs->cards[k].n_bindings;
        cs->cards[k].n_bindings = 0;
    }
    for (size_t i = 0; i < set->n; i++)
        if (cs->card_of[i] >= 0) {
            cardset_card *c = &cs->cards[cs->card_of[i]];
            ((size_t *)c->items)[c->n_bindings++] = i;
        }
    /* Two generic names that slug alike ("Stick 1" / "Stick-1") must still differ in URLs. */
    for (size_t i = 0; i < cs->n; i++)
        for (size_t k = 0, dup = 1; k < i; k++)
            if (strcmp(cs->cards[k].slug, cs->cards[i].slug) == 0) {
                size_t n = strlen(cs->cards[i].slug);
                snprintf(cs->cards[i].slug + n, sizeof cs->cards[i].slug - n, "-x%zu", ++dup);
                k = (size_t)-1; /* check again from the start */
            }
    return 0;
oom:
    cardset_free(cs);
    err_set(err, ERR_INTERNAL, NULL, "out of memory grouping bindings into cards");
    return -1;
}

void cardset_free(cardset *cs)
{
    free(cs->cards);
    free(cs->not_shown);
    free(cs->card_of);
    free(cs->members);
    free(cs->contexts);
    memset(cs, 0, sizeof *cs);
}

const cardset_card *cardset_find(const cardset *cs, const char *slug)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->cards[i].slug, slug) == 0)
            return &cs->cards[i];
    return NULL;
}

size_t cardset_select(const binding_set *set, const cardset_card *c, const binding **out)
{
    for (size_t k = 0; k < c->n_bindings; k++)
        out[k] = &set->items[c->items[k]];
    return c->n_bindings;
}
