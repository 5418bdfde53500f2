/* Unit tests of spliced controller reference cards (card.c over render.c's drawn backgrounds).
 *
 * The claim: a refcard JPEG drawn as the server does it (card_job.rc set: the empty card of the
 * device, or the plain page, is the background; only the restart segments the bindings touch are
 * drawn, the device art copied into them from its kept runs, and encoded) is byte for byte the
 * file a full encode of the whole card (card_draw without rc, what PNG and PDF still get) gives
 * with the same restart interval. Checked for every card of real binding files (stick, throttle,
 * pedals, gamepad, keyboard, a generic card, a card of several pages) at 1x and 2x, 4:2:0 and
 * 4:4:4 (1080 rows at 1x 4:2:0 end in a partial MCU row), in segments of 128 pixels (served),
 * one MCU row (the art drawn whole) and 32 pixels, with the background's segments and the art's
 * runs made during the job (the first) and taken from the cache (the second); the spliced jobs
 * paint every leader line from the worker's sprites (sprite.c), the whole card strokes it with
 * cairo, and the files are still the same. A binding drawn
 * outside the pieces card.c declares for it (a leader, a key's outline), or an empty card that is
 * not what a card shows where nothing is bound, makes the files differ. The PNG of a card is the
 * whole card's pixels, as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/budget.h"
#include "core/encode.h"
#include "core/metrics.h"
#include "core/render.h"
#include "core/splice.h"
#include "refcards/card.h"
#include "refcards/cardset.h"
#include "refcards/devices.h"
#include "refcards/games/games.h"
#include "refcards/usbids.h"
#include "test_refcard_util.h"
#include "test_render_util.h"

static devices_registry *DR; /* the device registry under test */
static usbids_table *UT; /* usb.ids names */

static int setup(void **state)
{
    err_t err = {0};
    if (!(GT = games_load("templates/games", &err)) || !(DR = devices_load("templates", NULL, &err)) ||
        !(UT = usbids_load(NULL, "templates/usb/vendors.json", &err)) || rig_open(&err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    rig_close();
    usbids_free(UT);
    devices_registry_free(DR);
    games_free(GT);
    return 0;
}

typedef struct {
    card_job job;
    int splice; /* give the job the render context (as refcards.c does) */
} card_arg;

static int draw_card(void *arg, render_ctx *r, cairo_t *cr, err_t *err)
{
    card_arg *a = arg;
    card_job j = a->job;
    j.rc = a->splice ? r : NULL;
    return card_draw(cr, render_ctx_fonts(r), &j, err);
}

/* The whole card at this scale, drawn as before splicing. */
static cairo_surface_t *compose(const card_job *job, int scale)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W * scale, CARD_H * scale);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    err_t err = {0};
    card_job j = *job;
    j.rc = NULL;
    assert_int_equal(card_draw(cr, render_ctx_fonts(rc), &j, &err), 0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* The forms of splicing a card (card_job.splice_seg): the server's segments, one MCU row each
 * (with the art drawn whole), and narrow segments of 32 pixels (2 or 4 MCUs). */
static const int FORMS[] = {0, -1, 32};
#define N_FORMS ((int)(sizeof FORMS / sizeof FORMS[0]))

/* Share of the segments encoded, summed over the checks of a file, per form. */
static double share[N_FORMS];
static int leaders_seen; /* leader lines drawn in spliced jobs */

static void check_spliced(const char *what, card_arg *a, int form, int scale, int sub444, cairo_surface_t *frame)
{
    err_t err = {0};
    image_spec spec = {CARD_W, CARD_H, scale, IMG_JPEG, 85, sub444};
    int seg = a->job.splice_seg < 0 ? 0 : a->job.splice_seg ? a->job.splice_seg : CARD_SEG_W * scale;
    splice_fmt f = {CARD_W * scale, CARD_H * scale, 85, sub444, seg / splice_mcu_size(sub444)};
    outbuf full = {0};
    assert_int_equal(splice_encode_full(enc, &f, cairo_image_surface_get_data(frame),
                                        cairo_image_surface_get_stride(frame), &full, &err), 0);
    /* First with the background's segments made during the job, then from the cache. */
    splice_cache_clear(st);
    for (int round = 0; round < 2; round++) {
        blob *b = NULL;
        card_stats stats = {0};
        a->splice = 1;
        a->job.stats = &stats;
        if (render_image(rc, &spec, draw_card, a, budget_now() + 60, &b, &err) < 0)
            fail_msg("render %s: %s", what, err.msg);
        if (b->len != full.len || memcmp(b->data, full.data, full.len) != 0) {
            size_t i = 0;
            while (i < b->len && i < full.len && b->data[i] == full.data[i])
                i++;
            if (getenv("SPLICE_DUMP")) {
                FILE *o = fopen("/tmp/spl_spliced.jpg", "wb");
                fwrite(b->data, 1, b->len, o);
                fclose(o);
                o = fopen("/tmp/spl_full.jpg", "wb");
                fwrite(full.data, 1, full.len, o);
                fclose(o);
            }
            fail_msg("%s %dx %s segments %d round %d: spliced %zu bytes, full %zu, first difference at %zu",
                     what, scale, sub444 ? "444" : "420", a->job.splice_seg, round, b->len, full.len, i);
        }
        blob_unref(b);
        a->job.stats = NULL;
        /* Every leader line seen is painted from the worker's sprites (the same pixels, above). */
        if (stats.leaders_sprites != stats.leaders)
            fail_msg("%s: %d of %d leaders painted from sprites", what, stats.leaders_sprites, stats.leaders);
        leaders_seen += stats.leaders;
        int total, encoded;
        render_ctx_spliced(rc, &total, &encoded);
        assert_int_equal(total, splice_rows(&f) * splice_segs_per_row(&f));
        share[form] += (double)encoded / total / 2;
    }
    outbuf_free(&full);
}

/* A PNG of a card drawn with the render context is the whole card, pixel for pixel. */
static void check_png(const char *what, card_arg *a, cairo_surface_t *frame)
{
    err_t err = {0};
    image_spec spec = {CARD_W, CARD_H, 1, IMG_PNG, 85, 0};
    blob *b = NULL;
    a->splice = 1;
    if (render_image(rc, &spec, draw_card, a, budget_now() + 60, &b, &err) < 0)
        fail_msg("render %s: %s", what, err.msg);
    cairo_surface_t *png = png_surface(b);
    cairo_surface_flush(png);
    int stride = cairo_image_surface_get_stride(frame);
    const unsigned char *x = cairo_image_surface_get_data(png), *y = cairo_image_surface_get_data(frame);
    for (int r = 0; r < CARD_H; r++)
        for (int c = 0; c < CARD_W; c++)
            if ((((const uint32_t *)(x + (size_t)r * stride))[c] & 0xFFFFFF) !=
                (((const uint32_t *)(y + (size_t)r * stride))[c] & 0xFFFFFF))
                fail_msg("%s PNG: pixel %d,%d differs from the whole card's", what, c, r);
    cairo_surface_destroy(png);
    blob_unref(b);
}

/* Every card (and up to max_pages pages of each) of a binding file; returns the cards seen. */
static int check_file(const char *name, int max_pages, int png)
{
    char path[256];
    snprintf(path, sizeof path, TR_DATA "%s", name);
    size_t len = 0;
    char *data = tr_read(path, &len);
    err_t err = {0};
    binding_set set = {0};
    cardset cs;
    if (games_parse_named(GT, NULL, name, data, len, &set, &err) < 0 ||
        cardset_build(DR, UT, &set, &cs, &err) < 0)
        fail_msg("%s: %s", name, err.msg);
    const binding **sel = calloc(set.n ? set.n : 1, sizeof *sel);
    assert_non_null(sel);
    for (size_t c = 0; c < cs.n; c++) {
        card_stats stats = {0};
        card_arg a = {{.dev = cs.cards[c].dev, .devices = DR, .usb = UT, .items = sel, .n_items = cardset_select(&set, &cs.cards[c], sel),
                       .game = set.game, .game_name = set.game_name, .profile = set.profile,
                       .device_name = cs.cards[c].dev ? NULL : cs.cards[c].name,
                       .device_index = cs.cards[c].device_index, .module = cs.cards[c].module, .page = 1},
                      0};
        a.job.stats = &stats;
        assert_int_equal(card_draw(NULL, render_ctx_fonts(rc), &a.job, &err), 0);
        a.job.stats = NULL;
        for (int page = 1; page <= stats.pages && page <= max_pages; page++) {
            a.job.page = page;
            char what[200];
            snprintf(what, sizeof what, "%s %s p%d", name, cs.cards[c].slug, page);
            for (int scale = 1; scale <= 2; scale++) {
                cairo_surface_t *frame = compose(&a.job, scale);
                for (int form = 0; form < N_FORMS; form++)
                    for (int sub = 0; sub <= 1; sub++) {
                        a.job.splice_seg = FORMS[form];
                        check_spliced(what, &a, form, scale, sub, frame);
                    }
                a.job.splice_seg = 0;
                if (png && scale == 1)
                    check_png(what, &a, frame);
                cairo_surface_destroy(frame);
            }
        }
    }
    int n = (int)cs.n;
    free(sel);
    cardset_free(&cs);
    bindings_free(&set);
    free(data);
    return n;
}

/* Stick, throttle, pedals, gamepad and keyboard cards of one upload; cut in pieces, their leaders
 * touch a far smaller share of 128-pixel segments than of MCU rows (0.60 of it; 0.80 when a
 * leader is its bounding box). */
static void test_elite_warthog(void **state)
{
    memset(share, 0, sizeof share);
    leaders_seen = 0;
    assert_true(check_file("elite_warthog.binds", 2, 1) >= 5);
    assert_true(leaders_seen > 100);
    assert_true(share[0] < 0.7 * share[1]);
}

/* A card that flows onto further pages (page 2 has the plain page as its background). */
static void test_pages(void **state)
{
    assert_true(check_file("card_elite_button_box_150.binds", 2, 0) >= 1);
}

/* A device the registry does not know: the generic card. */
static void test_generic(void **state)
{
    assert_true(check_file("dcs_warthog_stick.diff.lua", 1, 1) >= 1);
}

/* A device with hat groups, and a keyboard full of bound keys (each key its own box: 0.59 of the
 * share in MCU rows; more than 0.7 when every key is taken three keys wide). */
static void test_groups_and_keys(void **state)
{
    assert_true(check_file("squadrons_warthog.profile", 1, 0) >= 4);
    memset(share, 0, sizeof share);
    assert_true(check_file("msfs_keyboard.xml", 1, 0) >= 1);
    assert_true(share[0] < 0.7 * share[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elite_warthog),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_generic),
        cmocka_unit_test(test_groups_and_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
