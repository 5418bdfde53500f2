/* test_text_threads.c — the text engine's scaled fonts under cairo 1.16's shared font map
 * (text/font.c explains the two cairo bugs this guards against).
 *
 * The rule that keeps threads apart: cairo draws with the very scaled fonts the thread's
 * text_fonts holds, on images at any scale and on PDF (where its subsetting finds our held 1-em
 * fonts), so no other thread's font-map bookkeeping ever drops one of our fonts to zero.
 * test_held_* check that rule directly, on one thread, with nothing timed. test_threads_churn
 * then runs it as the bench crashed: several threads drawing cards with their own fonts, their
 * caches filling and starting over, their fonts freed and made again while the others draw,
 * and checks that every thread drew the same pixels. Before the fix this aborted in cairo
 * (`! scaled_font->cache_frozen`, or a holdover with references) or deadlocked now and then;
 * run it in the ASan and TSan builds too. It runs in its own process: cairo's font map starts
 * empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/impl.h"

static const char *manifest(void)
{
    const char *m = getenv("TEXT_FONTS_MANIFEST");
    return m ? m : "fonts/fonts.json";
}

static text_fonts *fonts_new(void)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(manifest(), &err);
    if (!tf)
        fail_msg("text_fonts_new: %s", err.msg);
    return tf;
}

/* Set our scaled font for face (or its halo) on cr, show a glyph, and return the scaled font
 * cairo drew with. */
static cairo_scaled_font_t *drawn_with(text_fonts *tf, cairo_t *cr, int face, int halo,
                                       cairo_scaled_font_t **ours)
{
    text_target t;
    assert_int_equal(text_font_target(tf, cr, &t), 0);
    text_font_reserve(tf);
    text_cairo_enter();
    *ours = halo ? text_font_halo_scaled(tf, &t, face, 2, 13.5) : text_font_scaled(tf, &t, face, 13.5);
    assert_non_null(*ours);
    cairo_set_scaled_font(cr, *ours);
    cairo_glyph_t g = {36, 10, 30};
    cairo_show_glyphs(cr, &g, 1);
    cairo_scaled_font_t *used = cairo_get_scaled_font(cr);
    text_cairo_leave();
    return used;
}

static void test_held_image(void **state)
{
    text_fonts *tf = fonts_new();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 64);
    for (int pass = 0; pass < 3; pass++) { /* user scale 1 and 2, then a device scale of 2 */
        if (pass == 2)
            cairo_surface_set_device_scale(s, 2, 2);
        cairo_t *cr = cairo_create(s);
        if (pass == 1)
            cairo_scale(cr, 2, 2);
        for (int halo = 0; halo < 2; halo++) {
            cairo_scaled_font_t *ours;
            cairo_scaled_font_t *used = drawn_with(tf, cr, 0, halo, &ours);
            if (used != ours)
                fail_msg("pass %d halo %d: cairo drew with a scaled font of its own, not ours "
                         "(font options or matrix differ from cairo's key)", pass, halo);
        }
        cairo_destroy(cr);
    }
    cairo_surface_destroy(s);
    text_fonts_free(tf);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    return CAIRO_STATUS_SUCCESS;
}

static void test_held_pdf(void **state)
{
    text_fonts *tf = fonts_new();
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 200, 100);
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, 0.5, 0.5); /* as render.c lays a card out on a PDF page */
    cairo_scaled_font_t *ours;
    for (int halo = 0; halo < 2; halo++) {
        cairo_scaled_font_t *used = drawn_with(tf, cr, 0, halo, &ours);
        assert_ptr_equal(used, ours);
    }
    cairo_destroy(cr);
    /* The 1-em font cairo subsets the face through: ours, looked up when the PDF is finished.
     * Only tf references it now (the halo font above was the map's most recent); the lookup
     * makes it the most recent, which adds the map's reference. */
    assert_non_null(tf->subset[0]);
    assert_int_equal(cairo_scaled_font_get_reference_count(tf->subset[0]), 1);
    text_cairo_enter();
    cairo_surface_finish(pdf);
    text_cairo_leave();
    assert_int_equal(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
    if (cairo_scaled_font_get_reference_count(tf->subset[0]) < 2)
        fail_msg("cairo's PDF subsetting made a 1-em scaled font of its own, not ours");
    cairo_surface_destroy(pdf);
    text_fonts_free(tf);
}

/* The halo is stroked from FreeType's outline: it must cover the glyph's ink and more. Both
 * images lay out the same (a halo of any opacity makes room for itself): one draws the halo
 * alone, the other the text over a halo too faint to count. */
static void test_halo_outline(void **state)
{
    text_fonts *tf = fonts_new();
    cairo_surface_t *s[2];
    for (int halo = 0; halo < 2; halo++) {
        s[halo] = cairo_image_surface_create(CAIRO_FORMAT_A8, 120, 60);
        cairo_t *cr = cairo_create(s[halo]);
        text_style st = {.max_size = 40, .min_size = 40, .halo_width = 4};
        st.color = (text_rgba){0, 0, 0, halo ? 0 : 1};
        st.halo = (text_rgba){0, 0, 0, halo ? 1 : 0.004};
        err_t err = {0};
        assert_int_equal(text_draw(tf, cr, "Og", 2, &st, (text_box){0, 0, 120, 60}, NULL, &err), 0);
        cairo_destroy(cr);
        cairo_surface_flush(s[halo]);
    }
    const unsigned char *g = cairo_image_surface_get_data(s[0]), *h = cairo_image_surface_get_data(s[1]);
    int stride = cairo_image_surface_get_stride(s[0]);
    long ink = 0, halo_only = 0, uncovered = 0;
    for (int y = 0; y < 60; y++)
        for (int x = 0; x < 120; x++) {
            int a = g[y * stride + x], b = h[y * stride + x];
            ink += a > 128;
            uncovered += a > 128 && b < 250; /* the halo fills the glyph too */
            halo_only += b > 128 && a < 8;
        }
    assert_true(ink > 200);
    assert_int_equal(uncovered, 0);
    assert_true(halo_only > ink / 4); /* a 4 px pen around "Og" */
    cairo_surface_destroy(s[0]);
    cairo_surface_destroy(s[1]);
    text_fonts_free(tf);
}

/* ---- threads ---- */

#define CHURN_THREADS 4
#define CHURN_ROUNDS 3  /* text_fonts made and freed per thread */
#define CHURN_CARDS 60  /* per round */

static const char *families[] = {"sans", "sans-bold", "mono", "sans-condensed"};

/* One card: 24 labels in 4 families at sizes that move with the card, every third with a halo,
 * one in Arabic and Thai (fallback faces). Over a round a thread asks for about 200 scaled
 * fonts, more than its cache keeps, so it starts over at least once. */
static void churn_card(text_fonts *tf, cairo_t *cr, int card)
{
    static const char *texts[] = {"Landing Gear Toggle", "Throttle Cut", "العجلات Gear",
                                  "ภาษาไทย Boost"};
    for (int i = 0; i < 24; i++) {
        text_style st = {0};
        st.font = families[i % 4];
        st.max_size = 9 + (card * 7 + i) % 24 * 0.5;
        st.min_size = st.max_size;
        st.color = (text_rgba){0, 0, 0, 1};
        st.fill = (text_rgba){1, 1, 1, 0.8};
        if (i % 3 == 0)
            st.halo = (text_rgba){1, 1, 1, 1}, st.halo_width = 1 + i % 2;
        const char *t = texts[i % 4];
        text_box b = {(i % 4) * 150, (i / 4) * 30, 146, 28};
        err_t err = {0};
        if (text_draw(tf, cr, t, strlen(t), &st, b, NULL, &err) < 0)
            fprintf(stderr, "text_draw: %s\n", err.msg);
    }
}

static void *churn_thread(void *arg)
{
    cairo_surface_t **out = arg;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 180);
    for (int round = 0; round < CHURN_ROUNDS; round++) {
        err_t err = {0};
        text_fonts *tf = text_fonts_new(manifest(), &err);
        if (!tf)
            return NULL;
        for (int card = 0; card < CHURN_CARDS; card++) {
            cairo_t *cr = cairo_create(s);
            cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
            cairo_paint(cr);
            cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
            churn_card(tf, cr, card);
            cairo_destroy(cr);
            if (card % 20 == 19) { /* a PDF now and then: cairo subsets our fonts */
                cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 300, 90);
                cr = cairo_create(pdf);
                cairo_scale(cr, 0.5, 0.5);
                churn_card(tf, cr, card);
                cairo_destroy(cr);
                text_cairo_enter();
                cairo_surface_finish(pdf);
                text_cairo_leave();
                cairo_surface_destroy(pdf);
            }
        }
        text_fonts_free(tf);
    }
    *out = s;
    return NULL;
}

static void test_threads_churn(void **state)
{
    pthread_t th[CHURN_THREADS];
    cairo_surface_t *out[CHURN_THREADS] = {0};
    for (int i = 0; i < CHURN_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, churn_thread, &out[i]), 0);
    for (int i = 0; i < CHURN_THREADS; i++)
        pthread_join(th[i], NULL);
    size_t bytes = 0;
    for (int i = 0; i < CHURN_THREADS; i++) {
        assert_non_null(out[i]);
        cairo_surface_flush(out[i]);
        bytes = (size_t)cairo_image_surface_get_stride(out[i]) * 180;
    }
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(out[0]);
    size_t inked = 0;
    for (size_t i = 0; i < bytes / 4; i++)
        inked += px[i] >> 24 != 0;
    assert_true(inked > 10000); /* the last card was drawn */
    for (int i = 1; i < CHURN_THREADS; i++) /* same cards, same fonts: same pixels */
        assert_memory_equal(cairo_image_surface_get_data(out[0]),
                            cairo_image_surface_get_data(out[i]), bytes);
    for (int i = 0; i < CHURN_THREADS; i++)
        cairo_surface_destroy(out[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_image),
        cmocka_unit_test(test_held_pdf),
        cmocka_unit_test(test_halo_outline),
        cmocka_unit_test(test_threads_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
