/* test_refcard_fixtures.c — every binding file of tests/data/bindings/ that parses, drawn as the
 * server draws it: split into cards by cardset, every card, every page, with the real text
 * engine. For each card: the bindings drawn over its pages are exactly the bindings cardset gave
 * it (nothing lost, nothing counted as "+N more"), no text under CARD_MIN_FONT, no text cut,
 * every modifier combination in the legend. Also: every key id bindings.h lists lands on a key
 * cap of the keyboard drawing, and a keyboard with every key bound (several actions each, long
 * names) stays complete and legible.
 * CARD_SAMPLES=dir writes every page as PNG to look at; CARD_FIXTURES=dir/ checks the files of
 * another folder the same way (real files kept out of the repository). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcards/card.h"
#include "refcards/cardset.h"
#include "refcards/devices.h"
#include "refcards/games/games.h"
#include "test_refcard_util.h"
#include "refcards/refdata.h"

static devices_registry *DR; /* the device registry under test */
static usbids_table *UT; /* usb.ids names (NULL: none loaded) */
static refcards_data RD; /* the pieces above, as the refcards part holds them */

static text_fonts *fonts;

static int setup(void **state)
{
    err_t err = {0};
    const char *t = getenv("CARTOUCHE_TEMPLATES");
    char games[512];
    snprintf(games, sizeof games, "%s/games", t ? t : "templates");
    if (!(GT = games_load(games, &err)) || !(DR = devices_load(t ? t : "templates", NULL, &err))) {
        fprintf(stderr, "load: %s\n", err.msg);
        return -1;
    }
    RD = (refcards_data){.games = GT, .devices = DR, .usb = UT};
    fonts = text_fonts_new("fonts/fonts.json", &err);
    if (!fonts) {
        fprintf(stderr, "fonts: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    text_fonts_free(fonts);
    devices_registry_free(DR);
    games_free(GT);
    return 0;
}

static void save_sample(cairo_surface_t *s, const char *file, const char *slug, int page)
{
    const char *dir = getenv("CARD_SAMPLES");
    if (!dir)
        return;
    char path[600];
    snprintf(path, sizeof path, "%s/%s-%s-p%d.png", dir, file, slug, page);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
}

/* Draw every page of one card; fail on anything lost, cut or too small. Returns the pages. */
static int check_card(const char *file, const char *slug, card_job *job)
{
    int shown = 0, pages = 1, mods = 0, listed = 0;
    for (int page = 1; page <= pages; page++) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
        cairo_t *cr = cairo_create(s);
        card_stats st;
        err_t err = {0};
        job->page = page;
        job->stats = &st;
        if (card_draw(cr, fonts, job, &err) < 0)
            fail_msg("%s %s page %d: %s", file, slug, page, err.msg);
        cairo_destroy(cr);
        save_sample(s, file, slug, page);
        cairo_surface_destroy(s);
        if (page == 1)
            pages = st.pages, mods = st.mods;
        assert_int_equal(st.pages, pages);
        assert_int_equal(st.bindings, (int)job->n_items);
        if (st.truncated || st.text_cut)
            fail_msg("%s %s page %d: %d actions and %d other texts cut", file, slug, page, st.truncated,
                     st.text_cut);
        if (st.bindings_shown && st.min_font_px < CARD_MIN_FONT)
            fail_msg("%s %s page %d: an action at %.2f px", file, slug, page, st.min_font_px);
        if (st.min_text_px > 0 && st.min_text_px < CARD_MIN_FONT)
            fail_msg("%s %s page %d: text at %.2f px", file, slug, page, st.min_text_px);
        shown += st.bindings_shown;
        listed += st.mods_listed;
    }
    if (shown != (int)job->n_items)
        fail_msg("%s %s: %d of %zu bindings drawn over %d pages", file, slug, shown, job->n_items, pages);
    if (listed != mods)
        fail_msg("%s %s: %d of %d modifier combinations in the legend", file, slug, listed, mods);
    job->stats = NULL;
    return pages;
}

/* Every card of a parsed set; returns the number of cards. */
static int check_set(const char *file, const binding_set *set, int *max_pages)
{
    cardset cs;
    err_t err = {0};
    if (cardset_build(RD.devices, RD.usb, set, &cs, &err) < 0)
        fail_msg("%s: cardset: %s", file, err.msg);
    const char **ctx = calloc(cs.n_contexts + 1, sizeof *ctx);
    const binding **sel = calloc(set->n + 1, sizeof *sel);
    assert_non_null(ctx);
    assert_non_null(sel);
    for (size_t i = 0; i < cs.n_contexts; i++)
        ctx[i] = cs.contexts[i];
    size_t on_cards = 0;
    for (size_t c = 0; c < cs.n; c++) {
        const cardset_card *cc = &cs.cards[c];
        size_t n = cardset_select(set, cc, sel);
        assert_int_equal(n, cc->n_bindings);
        on_cards += n;
        card_job job = {.devices = DR, .usb = UT, .dev = cc->dev, .items = sel, .n_items = n, .game = set->game,
                        .game_name = set->game_name, .profile = set->profile, .device_name = cc->title,
                        .device_index = cc->device_index, .module = cc->module, .contexts = ctx,
                        .n_contexts = cs.n_contexts};
        int pages = check_card(file, cc->slug, &job);
        if (pages > *max_pages)
            *max_pages = pages;
    }
    /* Cards and the "not shown" list (mouse) account for every binding parsed. */
    assert_int_equal(on_cards + cs.n_not_shown, set->n);
    int n = (int)cs.n;
    free(ctx);
    free(sel);
    cardset_free(&cs);
    return n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_every_fixture_every_card(void **state)
{
    const char *dir = getenv("CARD_FIXTURES") ? getenv("CARD_FIXTURES") : TR_DATA;
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[512];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < 512) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || (l > 3 && strcmp(de->d_name + l - 3, ".md") == 0))
            continue;
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof *names, by_name);
    int parsed = 0, cards = 0, max_pages = 1;
    for (int f = 0; f < nn; f++) {
        char path[600];
        snprintf(path, sizeof path, "%s%s", dir, names[f]);
        size_t len;
        char *data = tr_read(path, &len);
        binding_set set;
        err_t err = {0};
        /* The file name matters: DCS names the device and aircraft by it. */
        if (games_parse_named(GT, NULL, names[f], data, len, &set, &err) == 0) {
            parsed++;
            cards += check_set(names[f], &set, &max_pages);
            bindings_free(&set);
        }
        free(data);
        free(names[f]);
    }
    printf("# %d fixtures parsed, %d cards drawn, up to %d pages a card\n", parsed, cards, max_pages);
    /* Not a vacuous pass: the folder holds fixtures of several games, and the hard ones below. */
    assert_true(parsed >= (getenv("CARD_FIXTURES") ? 1 : 12));
    assert_true(cards >= (getenv("CARD_FIXTURES") ? 1 : 20));
}

/* The hard fixtures written for the layout: each must keep its drawing legible. */
static card_stats card_of_fixture(const char *file, const char *slug)
{
    binding_set set = tr_parse(NULL, file, file);
    cardset cs;
    err_t err = {0};
    assert_int_equal(cardset_build(RD.devices, RD.usb, &set, &cs, &err), 0);
    const cardset_card *c = cardset_find(&cs, slug);
    if (!c)
        fail_msg("%s: no card %s", file, slug);
    const binding **sel = calloc(set.n + 1, sizeof *sel);
    size_t n = cardset_select(&set, c, sel);
    card_stats st;
    card_job job = {.devices = DR, .usb = UT, .dev = c->dev, .items = sel, .n_items = n, .game = set.game, .game_name = set.game_name,
                    .device_name = c->title, .stats = &st, .page = 1};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
    cairo_t *cr = cairo_create(s);
    assert_int_equal(card_draw(cr, fonts, &job, &err), 0);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(sel);
    cardset_free(&cs);
    bindings_free(&set);
    return st;
}

static void test_hard_fixtures(void **state)
{
    /* Nine actions on the trigger: the callout shows what fits, the rest continues on page 1. */
    card_stats st = card_of_fixture("card_elite_nine_on_trigger.binds", "warthog-stick");
    assert_int_equal(st.bindings, 9);
    assert_int_equal(st.pages, 1);
    assert_int_equal(st.bindings_shown, 9);
    assert_true(st.continued > 0 && st.continued < 9);
    assert_true(st.mods >= 7);
    /* 150 bindings of a device nobody knows: one page, columns, never a bare hex id as title. */
    st = card_of_fixture("card_elite_button_box_150.binds", "generic-16c005df");
    assert_int_equal(st.bindings, 150);
    assert_int_equal(st.pages, 1);
    assert_int_equal(st.bindings_shown, 150);
    assert_true(st.min_font_px >= 13);
    /* Every key bound, some three times, long names: the drawing holds most, pages the rest. */
    st = card_of_fixture("card_elite_every_key.binds", "keyboard");
    assert_true(st.bindings > 150);
    assert_int_equal(st.controls_on_layout, st.controls);
    assert_true(st.bindings_shown * 2 > st.bindings);
}

/* Key ids of bindings.h ("A..Z, 0..9, F1..F24, Escape, ..."), expanded. */
static int header_key_ids(char ids[][32], int cap)
{
    size_t len;
    char *h = tr_read("src/refcards/bindings.h", &len);
    char *a = strstr(h, "\"key:NAME\"");
    assert_non_null(a);
    a = strstr(a, "ids (see");
    assert_non_null(a);
    a = strstr(a, "):");
    assert_non_null(a);
    char *end = strstr(a, "gamepad controls");
    assert_non_null(end);
    *end = '\0';
    int n = 0;
    for (char *p = a + 2; *p && n < cap;) {
        while (*p && !((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            p++;
        if (!*p)
            break;
        char tok[64];
        int k = 0;
        while (*p && (isalnum((unsigned char)*p) || *p == '.') && k < 63)
            tok[k++] = *p++;
        tok[k] = '\0';
        if (*p == ' ' && p[1] == '(') { /* "(the ISO key ...)": prose, skip to ')' */
            p = strchr(p, ')');
            if (!p)
                break;
        }
        char *dots = strstr(tok, "..");
        if (dots) {
            *dots = '\0';
            const char *lo = tok, *hi = dots + 2;
            /* A..Z, 0..9, F1..F24, Numpad0..Numpad9: a shared prefix and a last character or
             * number that runs. */
            size_t pl = 0;
            while (lo[pl] && hi[pl] && lo[pl] == hi[pl] && !(lo[pl] >= '0' && lo[pl] <= '9'))
                pl++;
            if (strlen(lo) == 1 && strlen(hi) == 1) {
                for (char c = lo[0]; c <= hi[0] && n < cap; c++)
                    snprintf(ids[n++], 32, "%c", c);
            } else {
                int from = atoi(lo + pl), to = atoi(hi + pl);
                for (int v = from; v <= to && n < cap; v++)
                    snprintf(ids[n++], 32, "%.*s%d", (int)pl, lo, v);
            }
        } else if (k > 0 && strcmp(tok, "JIS") != 0) {
            snprintf(ids[n++], 32, "%s", tok);
        }
    }
    free(h);
    return n;
}

static void test_every_key_id_has_a_cap(void **state)
{
    static char ids[200][32]; /* key ids are short: "NumpadMultiply" */
    int n = header_key_ids(ids, 200);
    assert_true(n >= 110);
    const device *kb = devices_get(DR, "keyboard");
    assert_non_null(kb);
    binding_set set = {.game = "elite"};
    for (int i = 0; i < n; i++) {
        char c[48];
        snprintf(c, sizeof c, "key:%.31s", ids[i]);
        if (!devices_callout_for(kb, c))
            fail_msg("%s (bindings.h) has no key cap on the keyboard drawing", c);
        /* Busy: every key three actions with long names, one held with a modifier, one "hold". */
        for (int k = 0; k < 3; k++) {
            binding b = {0};
            snprintf(b.input.device, sizeof b.input.device, "Keyboard");
            snprintf(b.input.control, sizeof b.input.control, "%s", c);
            snprintf(b.action, sizeof b.action, "%s %d",
                     k == 0 ? "Request docking permission from the station" : k == 1 ? "Cycle fire group" : "Boost",
                     i);
            snprintf(b.context, sizeof b.context, "%s", k == 2 ? "SRV" : "Ship");
            if (k == 1) {
                snprintf(b.modifiers[0].device, sizeof b.modifiers[0].device, "Keyboard");
                snprintf(b.modifiers[0].control, sizeof b.modifiers[0].control, "key:%s",
                         i % 2 ? "LeftShift" : "RightAlt");
                b.n_modifiers = 1;
            }
            if (k == 2)
                snprintf(b.activation, sizeof b.activation, "hold");
            err_t err;
            assert_int_equal(bindings_add(&set, &b, 100000, &err), 0);
        }
    }
    const binding **sel = calloc(set.n, sizeof *sel);
    for (size_t i = 0; i < set.n; i++)
        sel[i] = &set.items[i];
    card_job job = {.devices = DR, .usb = UT, .dev = kb, .items = sel, .n_items = set.n, .game = "elite", .game_name = "Elite Dangerous"};
    int pages = check_card("synthetic", "every-key", &job);
    assert_true(pages >= 2);
    free(sel);
    bindings_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_id_has_a_cap),
        cmocka_unit_test(test_hard_fixtures),
        cmocka_unit_test(test_every_fixture_every_card),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
