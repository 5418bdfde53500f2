/* test_text.c — the text engine: UTF-8 checking, font manifest errors, fitting (ink stays in
 * the box, flags say what happened), fallback coverage, bidi order, shaping, hostile input.
 * TEXT_SHEET=path.png also renders a sheet of labels to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

static text_fonts *tf;

static const char *manifest(void)
{
    const char *m = getenv("TEXT_FONTS_MANIFEST");
    return m ? m : "fonts/fonts.json";
}

static int setup(void **state)
{
    err_t err = {0};
    tf = text_fonts_new(manifest(), &err);
    if (!tf)
        fprintf(stderr, "text_fonts_new: %s\n", err.msg);
    return tf ? 0 : -1;
}

static int teardown(void **state)
{
    text_fonts_free(tf);
    return 0;
}

static text_style style(double max, double min, int wrap)
{
    text_style st = {0};
    st.max_size = max;
    st.min_size = min;
    st.padding = 4;
    st.wrap = wrap;
    st.align = TEXT_ALIGN_LEFT;
    st.valign = TEXT_VALIGN_CENTER;
    st.color = (text_rgba){0, 0, 0, 1};
    return st;
}

static text_layout *fit(const char *s, const text_style *st, text_box box, text_metrics *m)
{
    err_t err = {0};
    text_layout *lo = text_layout_fit(tf, s, strlen(s), st, box, &err);
    if (!lo)
        fail_msg("text_layout_fit(\"%.40s\"): %s", s, err.msg);
    text_layout_metrics(lo, m);
    return lo;
}

/* ---- UTF-8 ---- */

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        int ok;
    } cases[] = {
        {"", 0, 1},
        {"plain ASCII", 11, 1},
        {"\xC3\xA9", 2, 1},                 /* é */
        {"\xE2\x82\xAC", 3, 1},             /* € */
        {"\xF0\x9F\x9A\x80", 4, 1},         /* U+1F680 */
        {"\xF4\x8F\xBF\xBF", 4, 1},         /* U+10FFFF */
        {"\xEF\xBF\xBD", 3, 1},             /* U+FFFD */
        {"a\0b", 3, 0},                     /* NUL */
        {"\xC0\xAF", 2, 0},                 /* overlong '/' */
        {"\xC1\xBF", 2, 0},                 /* overlong */
        {"\xE0\x80\xAF", 3, 0},             /* overlong */
        {"\xF0\x80\x80\xAF", 4, 0},         /* overlong */
        {"\xED\xA0\x80", 3, 0},             /* surrogate U+D800 */
        {"\xED\xBF\xBF", 3, 0},             /* surrogate U+DFFF */
        {"\xF4\x90\x80\x80", 4, 0},         /* U+110000 */
        {"\xF5\x80\x80\x80", 4, 0},
        {"\xFF", 1, 0},
        {"\x80", 1, 0},                     /* lone continuation */
        {"\xC3", 1, 0},                     /* cut short */
        {"\xE2\x82", 2, 0},                 /* cut short */
        {"\xE2\x28\xA1", 3, 0},             /* bad continuation */
        {"ok\xC3\xA9\xC3", 5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (text_utf8_valid(cases[i].s, cases[i].len) != cases[i].ok)
            fail_msg("case %zu: expected %s", i, cases[i].ok ? "valid" : "invalid");
    }
    text_style st = style(18, 8, 0);
    err_t err = {0};
    text_layout *lo = text_layout_fit(tf, "ab\xED\xA0\x80", 5, &st, (text_box){0, 0, 100, 30}, &err);
    assert_null(lo);
    assert_int_equal(err.kind, ERR_BAD_PARAM);
    assert_string_equal(err.param, "");
}

/* ---- manifest ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_manifest_errors(void **state)
{
    char path[] = "/tmp/cartouche-fonts-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    err_t err = {0};

    write_file(path, "{\"families\": {\"sans\": {\"name\": \"DejaVu Sans\", \"file\": "
                     "\"/nonexistent/Missing.ttf\", \"package\": \"fonts-missing-pkg\", "
                     "\"license\": \"x\"}}, \"fallbacks\": []}");
    assert_null(text_fonts_new(path, &err));
    assert_int_equal(err.kind, ERR_CONFIG);
    assert_non_null(strstr(err.msg, "/nonexistent/Missing.ttf"));
    assert_non_null(strstr(err.msg, "fonts-missing-pkg"));

    write_file(path, "{\"families\": {\"sans\": {\"name\": \"DejaVu Sans\", \"file\": "
                     "\"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\", \"package\": "
                     "\"fonts-dejavu-core\", \"license\": \"x\"}}, \"fallbacks\": [{\"name\": "
                     "\"Gone\", \"file\": \"/nonexistent/Gone.ttf\", \"package\": \"fonts-gone\", "
                     "\"license\": \"x\"}]}");
    assert_null(text_fonts_new(path, &err));
    assert_non_null(strstr(err.msg, "/nonexistent/Gone.ttf"));
    assert_non_null(strstr(err.msg, "fonts-gone"));

    /* an optional fallback that is not installed is skipped */
    write_file(path, "{\"families\": {\"sans\": {\"name\": \"DejaVu Sans\", \"file\": "
                     "\"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\", \"package\": "
                     "\"fonts-dejavu-core\", \"license\": \"x\"}}, \"fallbacks\": [{\"name\": "
                     "\"Gone\", \"file\": \"/nonexistent/Gone.ttf\", \"package\": \"fonts-gone\", "
                     "\"license\": \"x\", \"optional\": true}]}");
    text_fonts *t = text_fonts_new(path, &err);
    assert_non_null(t);
    assert_true(text_fonts_has_family(t, "sans"));
    assert_false(text_fonts_has_family(t, "mono"));
    text_fonts_free(t);

    write_file(path, "{\"families\": {\"sans\": {\"file\": \"x.ttf\"}}, \"fallbacks\": []}");
    assert_null(text_fonts_new(path, &err));
    assert_non_null(strstr(err.msg, "package"));

    write_file(path, "{\"families\": ");
    assert_null(text_fonts_new(path, &err));
    assert_non_null(strstr(err.msg, "line 1"));
    unlink(path);

    const char *fams[] = {"sans", "sans-bold", "sans-condensed", "sans-condensed-bold", "mono"};
    for (size_t i = 0; i < 5; i++)
        assert_true(text_fonts_has_family(tf, fams[i]));
    assert_false(text_fonts_has_family(tf, "comic"));
}

/* ---- fitting ---- */

#define SURF_W 420
#define SURF_H 300

/* Bounding box of pixels with any alpha; 0 if none. */
static int pixel_bbox(cairo_surface_t *s, int *x0, int *y0, int *x1, int *y1)
{
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), found = 0;
    *x0 = *y0 = 1 << 30;
    *x1 = *y1 = -1;
    for (int y = 0; y < SURF_H; y++) {
        const uint32_t *row = (const uint32_t *)(d + (size_t)y * stride);
        for (int x = 0; x < SURF_W; x++) {
            if (row[x] >> 24) {
                found = 1;
                if (x < *x0)
                    *x0 = x;
                if (x > *x1)
                    *x1 = x;
                if (y < *y0)
                    *y0 = y;
                if (y > *y1)
                    *y1 = y;
            }
        }
    }
    return found;
}

static char *repeat_words(int nchars)
{
    static const char *words[] = {"landing", "gear", "toggle", "emergency", "extend", "flaps",
                                  "throttle", "boost", "hardpoints"};
    char *s = malloc((size_t)nchars + 16);
    int n = 0, w = 0;
    while (n < nchars) {
        const char *x = words[w++ % 9];
        n += snprintf(s + n, (size_t)nchars + 16 - n, "%s ", x);
    }
    s[nchars] = 0;
    return s;
}

/* Distinct clusters a layout draws, and whether it drew an ellipsis. */
static int drawn_clusters(const text_layout *lo, int *ellipsis)
{
    int n = text_layout_glyph_count(lo), distinct = 0, maxc = -1;
    *ellipsis = 0;
    for (int i = 0; i < n; i++) {
        text_glyph_pos g;
        text_layout_glyph_at(lo, i, &g);
        if (g.cluster < 0)
            *ellipsis = 1;
        else if (g.cluster > maxc)
            maxc = g.cluster;
    }
    char *seen = calloc((size_t)maxc + 2, 1);
    for (int i = 0; i < n; i++) {
        text_glyph_pos g;
        text_layout_glyph_at(lo, i, &g);
        if (g.cluster >= 0 && !seen[g.cluster]) {
            seen[g.cluster] = 1;
            distinct++;
        }
    }
    free(seen);
    return distinct;
}

static void test_fit_matrix(void **state)
{
    char *long_words = repeat_words(5000);
    char *long_nospace = malloc(5001);
    for (int i = 0; i < 5000; i++)
        long_nospace[i] = (char)('a' + i % 26);
    long_nospace[5000] = 0;
    const char *strings[] = {
        "Gear",
        "Landing Gear Toggle / Emergency Extend",
        "Supercalifragilisticexpialidocious",
        "Fahrwerk 起落架 שלום",
        "Gear ↑ العجلات",
        "e\xCC\x81\xCC\x82 caf\xC3\xA9 nai\xCC\x88ve",
        "مرحبا بالعالم، جهاز الهبوط",
        "שלום עולם, כן",
        "起落架收放開關、緊急放出",
        "ภาษาไทย สวัสดีครับ",
        "नमस्ते दुनिया हिन्दी",
        "✈ ★ ⚠ ☀ ⌘ ↑↓ ✓",
        "Flight Assist (FA-OFF) — 100% AP/FD",
        "two\nlines here",
        "Jjgyq Ǻ ÅÉ",
        long_words,
        long_nospace,
    };
    const text_box boxes[] = {{40, 30, 220, 32}, {40, 30, 120, 24}, {40, 30, 60, 16},
                              {40, 30, 300, 120}, {40, 30, 40, 200}, {40, 30, 22, 12},
                              {41, 33, 333, 57}};
    const int nstr = sizeof strings / sizeof strings[0], nbox = sizeof boxes / sizeof boxes[0];
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, SURF_W, SURF_H);
    cairo_t *cr = cairo_create(surf);
    int checked = 0;
    for (int si = 0; si < nstr; si++) {
        /* what "everything drawn" means for this string */
        text_style big = style(12, 12, 1);
        text_metrics rm;
        text_layout *ref = fit(strings[si], &big, (text_box){0, 0, 20000, 20000}, &rm);
        int ref_ell, ref_n = drawn_clusters(ref, &ref_ell);
        text_layout_free(ref);
        assert_int_equal(rm.missing_glyphs, 0);
        for (int bi = 0; bi < nbox; bi++)
            for (int wrap = 0; wrap < 2; wrap++)
                for (int al = 0; al < 3; al++)
                    for (int halo = 0; halo < 2; halo++) {
                        text_style st = style(18, 8, wrap);
                        st.align = (text_align)al;
                        st.valign = (text_valign)((al + bi) % 3);
                        if (halo) {
                            st.halo = (text_rgba){1, 1, 1, 1};
                            st.halo_width = 3;
                            st.padding = 2;
                        }
                        text_box b = boxes[bi];
                        cairo_save(cr);
                        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
                        cairo_paint(cr);
                        cairo_restore(cr);
                        err_t err = {0};
                        text_metrics m;
                        text_layout *lo = text_layout_fit(tf, strings[si], strlen(strings[si]),
                                                          &st, b, &err);
                        assert_non_null(lo);
                        text_layout_metrics(lo, &m);
                        text_layout_draw(lo, cr);
                        int x0, y0, x1, y1;
                        const char *what = NULL;
                        if (pixel_bbox(surf, &x0, &y0, &x1, &y1)) {
                            if (x0 < b.x || y0 < b.y || x1 + 1 > b.x + b.w || y1 + 1 > b.y + b.h)
                                what = "pixels outside the box";
                        }
                        if (m.lines > 0 && text_layout_glyph_count(lo) > 0 &&
                            (m.ink.x < b.x - 0.5 || m.ink.y < b.y - 0.5 ||
                             m.ink.x + m.ink.w > b.x + b.w + 0.5 ||
                             m.ink.y + m.ink.h > b.y + b.h + 0.5))
                            what = "ink metrics outside the box";
                        if (m.missing_glyphs)
                            what = "missing glyphs";
                        if (!wrap && m.wrapped)
                            what = "wrapped without wrap";
                        if (!wrap && m.lines > 1 && !strchr(strings[si], '\n'))
                            what = "several lines without wrap";
                        if (m.size < 8 - 1e-9 || m.size > 18 + 1e-9)
                            what = "size outside min..max";
                        int ell, n = drawn_clusters(lo, &ell);
                        if (!ref_ell) { /* the reference drew all of it */
                            if (!m.truncated && n != ref_n)
                                what = "not truncated but text is missing";
                            if (m.truncated && m.lines > 0 && (!ell || n >= ref_n))
                                what = "truncated without ellipsis or without dropping text";
                        }
                        if (!m.truncated && ell)
                            what = "ellipsis but not truncated";
                        if (what)
                            fail_msg("\"%.30s\" box %d wrap %d align %d halo %d: %s (size %.2f "
                                     "lines %d wrapped %d truncated %d; pixels %d,%d-%d,%d box "
                                     "%.0f,%.0f %.0fx%.0f)",
                                     strings[si], bi, wrap, al, halo, what, m.size, m.lines,
                                     m.wrapped, m.truncated, x0, y0, x1, y1, b.x, b.y, b.w, b.h);
                        text_layout_free(lo);
                        checked++;
                    }
    }
    assert_int_equal(checked, nstr * nbox * 12);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    free(long_words);
    free(long_nospace);
}

static void test_fit_flags(void **state)
{
    text_metrics m;
    text_style st = style(18, 8, 0);
    text_layout *lo;
    const char *sentence = "Landing Gear Toggle / Emergency Extend";

    lo = fit("Gear", &st, (text_box){0, 0, 220, 32}, &m); /* short word, big box */
    assert_true(m.size == 18);
    assert_false(m.wrapped);
    assert_false(m.truncated);
    assert_int_equal(m.lines, 1);
    text_layout_free(lo);

    lo = fit(sentence, &st, (text_box){0, 0, 220, 32}, &m); /* shrinks, still one line */
    assert_true(m.size < 18 && m.size >= 8);
    assert_false(m.wrapped);
    assert_false(m.truncated);
    text_layout_free(lo);

    lo = fit(sentence, &st, (text_box){0, 0, 120, 24}, &m); /* no wrap, tiny box: ellipsis */
    assert_true(m.size == 8);
    assert_true(m.truncated);
    assert_int_equal(m.lines, 1);
    text_layout_free(lo);

    st.wrap = 1;
    lo = fit(sentence, &st, (text_box){0, 0, 120, 60}, &m); /* wraps, all of it */
    assert_true(m.wrapped);
    assert_false(m.truncated);
    assert_true(m.lines >= 2);
    assert_true(m.size >= 8);
    text_layout_free(lo);

    lo = fit(sentence, &st, (text_box){0, 0, 60, 24}, &m); /* wraps and still too long */
    assert_true(m.truncated);
    text_layout_free(lo);

    lo = fit("Supercalifragilisticexpialidocious", &st, (text_box){0, 0, 60, 60}, &m);
    assert_true(m.truncated); /* no break opportunity: cannot wrap */
    assert_false(m.wrapped);
    assert_int_equal(m.lines, 1);
    text_layout_free(lo);

    st.max_lines = 2;
    lo = fit("one two three four five six seven eight nine ten eleven", &st,
             (text_box){0, 0, 70, 200}, &m);
    assert_int_equal(m.lines, 2);
    assert_true(m.truncated);
    text_layout_free(lo);
    st.max_lines = 0;

    lo = fit("", &st, (text_box){0, 0, 100, 30}, &m);
    assert_int_equal(m.lines, 0);
    assert_false(m.truncated);
    text_layout_free(lo);

    lo = fit("Gear", &st, (text_box){0, 0, 10, 6}, &m); /* no room at all */
    assert_int_equal(text_layout_glyph_count(lo), 0);
    assert_true(m.truncated);
    text_layout_free(lo);

    /* CJK wraps between characters */
    lo = fit("起落架收放開關緊急放出", &st, (text_box){0, 0, 70, 60}, &m);
    assert_true(m.wrapped);
    assert_false(m.truncated);
    text_layout_free(lo);

    /* a hard newline with wrap is two lines without being "wrapped" */
    lo = fit("Gear\nUp", &st, (text_box){0, 0, 200, 80}, &m);
    assert_int_equal(m.lines, 2);
    assert_false(m.wrapped);
    assert_false(m.truncated);
    text_layout_free(lo);
}

/* ---- glyphs ---- */

static int glyph_of_cluster(const text_layout *lo, int cluster, text_glyph_pos *out)
{
    for (int i = 0; i < text_layout_glyph_count(lo); i++) {
        text_layout_glyph_at(lo, i, out);
        if (out->cluster == cluster)
            return 1;
    }
    return 0;
}

static void test_coverage(void **state)
{
    const char *covered[] = {"Fahrwerk 起落架 שלום", "Gear ↑ العجلات", "ภาษาไทย", "नमस्ते",
                             "起落架", "✈ ⚠ ★", "e\xCC\x81\xCC\x82", "Привет Ελληνικά",
                             "ひらがな カタカナ 漢字", "فارسی اردو", "(起落架) 12:30"};
    text_style st = style(18, 8, 1);
    text_metrics m;
    for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++) {
        text_layout *lo = fit(covered[i], &st, (text_box){0, 0, 400, 200}, &m);
        if (m.missing_glyphs)
            fail_msg("\"%s\": %d missing glyphs", covered[i], m.missing_glyphs);
        for (int g = 0; g < text_layout_glyph_count(lo); g++) {
            text_glyph_pos p;
            text_layout_glyph_at(lo, g, &p);
            assert_true(p.index != 0);
        }
        text_layout_free(lo);
    }
    /* U+10FFFD (private use) is in no font: drawn as .notdef and counted */
    text_layout *lo = fit("a\xF4\x8F\xBF\xBD" "b", &st, (text_box){0, 0, 400, 200}, &m);
    assert_int_equal(m.missing_glyphs, 1);
    text_layout_free(lo);
}

static void test_rtl_order(void **state)
{
    text_style st = style(18, 8, 0);
    text_metrics m;
    text_layout *lo = fit("שלום", &st, (text_box){0, 0, 300, 40}, &m);
    assert_int_equal(text_layout_glyph_count(lo), 4);
    text_glyph_pos prev, cur;
    assert_true(glyph_of_cluster(lo, 0, &prev));
    for (int c = 1; c < 4; c++) {
        assert_true(glyph_of_cluster(lo, c, &cur));
        if (!(cur.x < prev.x))
            fail_msg("Hebrew letter %d at x=%.1f is not left of letter %d at x=%.1f", c, cur.x,
                     c - 1, prev.x);
        prev = cur;
    }
    /* RTL paragraph, align "left" = start: the text sits at the right edge */
    assert_true(m.ink.x + m.ink.w > 300 - 4 - 2);
    assert_true(m.ink.x > 150);
    text_layout_free(lo);

    /* mixed: "abc שלום def" in an LTR paragraph: abc, then the Hebrew reversed, then def */
    lo = fit("abc שלום def", &st, (text_box){0, 0, 400, 40}, &m);
    text_glyph_pos a, c, he0, he3, d;
    assert_true(glyph_of_cluster(lo, 0, &a));
    assert_true(glyph_of_cluster(lo, 2, &c));
    assert_true(glyph_of_cluster(lo, 4, &he0));
    assert_true(glyph_of_cluster(lo, 7, &he3));
    assert_true(glyph_of_cluster(lo, 9, &d));
    assert_true(a.x < c.x);
    assert_true(c.x < he3.x);
    assert_true(he3.x < he0.x);
    assert_true(he0.x < d.x);
    text_layout_free(lo);

    /* RTL paragraph with Latin inside: "שלום abc עולם" reads right to left, so the first Hebrew
     * word is at the right, "abc" (left to right) in the middle, the second word at the left */
    lo = fit("שלום abc עולם", &st, (text_box){0, 0, 400, 40}, &m);
    text_glyph_pos w1, la, lc, w2;
    assert_true(glyph_of_cluster(lo, 0, &w1));
    assert_true(glyph_of_cluster(lo, 5, &la));
    assert_true(glyph_of_cluster(lo, 7, &lc));
    assert_true(glyph_of_cluster(lo, 9, &w2));
    assert_true(la.x < lc.x);
    assert_true(lc.x < w1.x);
    assert_true(w2.x < la.x);
    text_layout_free(lo);
}

static void test_shaping(void **state)
{
    text_style st = style(40, 40, 0);
    text_metrics m;
    text_box box = {0, 0, 600, 80};
    text_glyph_pos g0, g1;

    /* Arabic joins: seen twice, the letter takes initial and final forms, not the isolated one */
    text_layout *iso = fit("س", &st, box, &m);
    text_layout *two = fit("سس", &st, box, &m);
    assert_true(glyph_of_cluster(iso, 0, &g0));
    assert_true(glyph_of_cluster(two, 0, &g1));
    assert_true(g0.index != g1.index);
    assert_true(glyph_of_cluster(two, 1, &g1));
    assert_true(g0.index != g1.index);
    text_layout_free(iso);
    text_layout_free(two);

    /* kerning: V sits closer to A than A to A */
    text_layout *av = fit("AV", &st, box, &m);
    text_layout *aa = fit("AA", &st, box, &m);
    text_glyph_pos a0, v, a1, a2;
    assert_true(glyph_of_cluster(av, 0, &a0));
    assert_true(glyph_of_cluster(av, 1, &v));
    assert_true(glyph_of_cluster(aa, 0, &a1));
    assert_true(glyph_of_cluster(aa, 1, &a2));
    assert_true(v.x - a0.x < a2.x - a1.x - 1);
    text_layout_free(av);
    text_layout_free(aa);

    /* combining marks stay on their base: one cluster, marks placed above it */
    text_layout *mk = fit("e\xCC\x81\xCC\x82", &st, box, &m);
    assert_int_equal(m.missing_glyphs, 0);
    int n = text_layout_glyph_count(mk);
    assert_true(n >= 2);
    for (int i = 0; i < n; i++) {
        text_layout_glyph_at(mk, i, &g0);
        assert_int_equal(g0.cluster, 0);
    }
    text_layout_free(mk);

    /* Devanagari: the vowel sign i (ि) is reordered before its consonant */
    text_layout *dv = fit("कि", &st, box, &m);
    assert_int_equal(m.missing_glyphs, 0);
    assert_true(text_layout_glyph_count(dv) >= 1);
    text_layout_free(dv);
}

/* ---- hostile input ---- */

static void test_hostile(void **state)
{
    text_style st = style(18, 8, 1);
    text_box box = {10, 10, 220, 64};
    text_metrics m;

    size_t n = 100000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 7 == 6 ? ' ' : 'x';
    big[n] = 0;
    text_layout *lo = fit(big, &st, box, &m);
    assert_true(m.truncated);
    assert_true(m.ink.x >= box.x - 0.5 && m.ink.x + m.ink.w <= box.x + box.w + 0.5);
    text_layout_free(lo);
    free(big);

    /* 10 000 combining marks on one base */
    size_t marks = 10000;
    char *cm = malloc(1 + 2 * marks + 1);
    cm[0] = 'e';
    for (size_t i = 0; i < marks; i++) {
        cm[1 + 2 * i] = (char)0xCC;
        cm[2 + 2 * i] = (char)(0x81 + i % 8);
    }
    cm[1 + 2 * marks] = 0;
    lo = fit(cm, &st, box, &m);
    assert_true(m.truncated);
    if (text_layout_glyph_count(lo) > 0)
        assert_true(m.ink.y >= box.y - 0.5 && m.ink.y + m.ink.h <= box.y + box.h + 0.5);
    text_layout_free(lo);
    free(cm);

    /* bidi controls, balanced or not, overrides and isolates */
    const char *bidi[] = {"\u202Eoverride\u202C plain", "\u202E\u202E\u202E\u202E", "\u2067\u2067",
                          "\u2069\u202C\u2069 x", "a\u202Bשלום\u202Db\u2066c\u2069", "\u200F\u200E",
                          "\u061C\u0627\u202A123\u202C"};
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
        lo = fit(bidi[i], &st, box, &m);
        text_layout_free(lo);
    }
    /* 200 nested embeddings (beyond the bidi depth limit) */
    char nest[200 * 3 + 1];
    for (int i = 0; i < 200; i++)
        memcpy(nest + 3 * i, i % 2 ? "\u202A" : "\u202B", 3);
    nest[600] = 0;
    lo = fit(nest, &st, box, &m);
    text_layout_free(lo);

    /* control characters are dropped, not drawn as boxes */
    lo = fit("a\x01\x02\x1b[31mb\x7f", &st, box, &m);
    assert_int_equal(m.missing_glyphs, 0);
    text_layout_free(lo);
}

/* ---- threads: each has its own fonts; same input, same pixels ---- */

static const char *thread_texts[] = {"Landing Gear Toggle / Emergency Extend", "Gear ↑ العجلات",
                                     "Fahrwerk 起落架 שלום", "ภาษาไทย สวัสดีครับ", "Boost"};

static void *thread_card(void *arg)
{
    cairo_surface_t **out = arg;
    err_t err = {0};
    text_fonts *own = text_fonts_new(manifest(), &err);
    if (!own)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 480, 400);
    cairo_t *cr = cairo_create(s);
    for (int round = 0; round < 40; round++) {
        cairo_save(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_restore(cr);
        for (int i = 0; i < 40; i++) {
            text_style st = style(18 - i % 5, 8, i % 2);
            if (i % 3 == 0)
                st.halo = (text_rgba){1, 1, 1, 1}, st.halo_width = 2;
            const char *t = thread_texts[i % 5];
            text_box b = {(i % 4) * 120, (i / 4) * 40, 116 - i % 7, 36};
            text_draw(own, cr, t, strlen(t), &st, b, NULL, NULL);
        }
    }
    cairo_destroy(cr);
    text_fonts_free(own);
    *out = s;
    return NULL;
}

static void test_threads(void **state)
{
    pthread_t th[2];
    cairo_surface_t *out[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_card, &out[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    assert_non_null(out[0]);
    assert_non_null(out[1]);
    cairo_surface_flush(out[0]);
    cairo_surface_flush(out[1]);
    size_t bytes = (size_t)cairo_image_surface_get_stride(out[0]) * 400;
    assert_memory_equal(cairo_image_surface_get_data(out[0]), cairo_image_surface_get_data(out[1]),
                        bytes);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(out[0]);
    size_t inked = 0;
    for (size_t i = 0; i < bytes / 4; i++)
        inked += px[i] >> 24 != 0;
    assert_true(inked > 1000); /* something was drawn */
    cairo_surface_destroy(out[0]);
    cairo_surface_destroy(out[1]);
}

/* ---- sheet ---- */

static void render_sheet(const char *path)
{
    const int W = 1200, H = 900;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.9);
    cairo_paint(cr);
    /* a busy "satellite" strip for the halo labels */
    for (int i = 0; i < 300; i++) {
        cairo_set_source_rgb(cr, 0.2 + 0.3 * ((i * 37) % 11) / 11.0, 0.35 + 0.3 * ((i * 17) % 7) / 7.0,
                             0.2 + 0.2 * ((i * 13) % 5) / 5.0);
        cairo_rectangle(cr, (i * 53) % W, 700 + (i * 29) % 200, 60, 40);
        cairo_fill(cr);
    }
    const char *texts[] = {"Gear", "Landing Gear Toggle / Emergency Extend",
                           "Fahrwerk 起落架 שלום", "Gear ↑ العجلات", "مرحبا بالعالم، جهاز الهبوط",
                           "שלום עולם, כן", "起落架收放開關、緊急放出", "ภาษาไทย สวัสดีครับ",
                           "नमस्ते दुनिया हिन्दी", "✈ ★ ⚠ ☀ ⌘ ↑↓ ✓", "e\xCC\x81\xCC\x82 caf\xC3\xA9 nai\xCC\x88ve",
                           "Supercalifragilisticexpialidocious", "Flight Assist (FA-OFF) — 100% AP/FD",
                           "Jjgyq Ǻ ÅÉ", "Toggle\nHard newline"};
    const int nt = sizeof texts / sizeof texts[0];
    const char *fonts[] = {"sans", "sans-bold", "sans-condensed", "mono"};
    int y = 10;
    for (int row = 0; row < 4; row++) {
        for (int i = 0; i < nt; i++) {
            text_style st = style(18, 8, row >= 2);
            st.font = fonts[(i + row) % 4];
            st.align = (text_align)(i % 3);
            st.fill = (text_rgba){1, 1, 1, 1};
            st.radius = 4;
            text_box b = {10 + (i % 5) * 236, y + (i / 5) * (row >= 2 ? 50 : 40), 220,
                          row >= 2 ? 44 : 32};
            if (row == 1)
                b.w = 130;
            text_draw(tf, cr, texts[i], strlen(texts[i]), &st, b, NULL, NULL);
            cairo_set_source_rgb(cr, 1, 0, 0);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, b.x - 0.5, b.y - 0.5, b.w + 1, b.h + 1);
            cairo_stroke(cr);
        }
        y += row >= 2 ? 160 : 125;
    }
    for (int i = 0; i < 8; i++) {
        text_style st = style(20, 9, 1);
        st.color = (text_rgba){0.05, 0.05, 0.05, 1};
        st.halo = (text_rgba){1, 1, 1, 0.9};
        st.halo_width = 3;
        st.align = TEXT_ALIGN_CENTER;
        text_box b = {20 + (i % 4) * 290, 720 + (i / 4) * 80, 260, 60};
        text_draw(tf, cr, texts[i + 1], strlen(texts[i + 1]), &st, b, NULL, NULL);
        cairo_set_source_rgb(cr, 1, 1, 0);
        cairo_rectangle(cr, b.x - 0.5, b.y - 0.5, b.w + 1, b.h + 1);
        cairo_stroke(cr);
    }
    cairo_surface_write_to_png(s, path);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void test_sheet(void **state)
{
    const char *path = getenv("TEXT_SHEET");
    if (!path)
        skip();
    render_sheet(path);
    assert_int_equal(access(path, R_OK), 0);
}

/* ---- labels kept between text_memo_begin and text_memo_end ---- */

typedef struct {
    int n;
    text_glyph_pos g[128];
    text_metrics m;
} glyph_dump;

static void dump_layout(const char *s, const char *font, int wrap, double size, double w, glyph_dump *d)
{
    text_style st = style(size, size * 0.5, wrap);
    st.font = font;
    text_layout *lo = fit(s, &st, (text_box){10, 20, w, 3 * size + 12}, &d->m);
    d->n = text_layout_glyph_count(lo);
    assert_true(d->n <= 128);
    for (int i = 0; i < d->n; i++)
        text_layout_glyph_at(lo, i, &d->g[i]);
    text_layout_free(lo);
}

static void assert_same_glyphs(const glyph_dump *a, const glyph_dump *b)
{
    assert_int_equal(a->n, b->n);
    assert_true(a->m.size == b->m.size && a->m.lines == b->m.lines && a->m.truncated == b->m.truncated &&
                a->m.ink.x == b->m.ink.x && a->m.ink.w == b->m.ink.w && a->m.ink.h == b->m.ink.h);
    for (int i = 0; i < a->n; i++)
        assert_true(a->g[i].index == b->g[i].index && a->g[i].x == b->g[i].x && a->g[i].y == b->g[i].y &&
                    a->g[i].cluster == b->g[i].cluster);
}

/* A kept label lays out exactly as one shaped afresh, whatever size, box, family or newline
 * handling it is laid out with next (the key holds the family and the newline handling). */
static void test_memo(void **state)
{
    static const char *labels[] = {"Landing gear toggle", "Landing gear\ntoggle", "\u0645\u0631\u062d\u0628\u0627 Hello",
                                   "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", "Wheel brakes"};
    static const char *fonts[] = {"sans", "mono", "sans-condensed-bold"};
    static const double sizes[] = {13, 24};
    enum { NL = 5, NF = 3, NS = 2 };
    static glyph_dump ref[NL][NF][2][NS];
    for (int l = 0; l < NL; l++)
        for (int f = 0; f < NF; f++)
            for (int wr = 0; wr < 2; wr++)
                for (int k = 0; k < NS; k++)
                    dump_layout(labels[l], fonts[f], wr, sizes[k], 160, &ref[l][f][wr][k]);
    /* The families and newline handlings differ for these labels, or the test proves nothing. */
    assert_true(ref[0][0][0][0].m.ink.w != ref[0][1][0][0].m.ink.w);
    assert_true(ref[1][0][0][1].m.lines != ref[1][0][1][1].m.lines);
    char long_label[700];
    memset(long_label, 'x', sizeof long_label - 1);
    long_label[sizeof long_label - 1] = '\0';
    glyph_dump long_ref, d;
    dump_layout(long_label, "sans", 1, 13, 400, &long_ref);

    text_memo_begin(tf);
    for (int pass = 0; pass < 2; pass++) {
        text_memo_begin(tf); /* nested: the outer pair keeps the labels */
        for (int l = NL - 1; l >= 0; l--)
            for (int k = 0; k < NS; k++)
                for (int wr = 0; wr < 2; wr++)
                    for (int f = 0; f < NF; f++) {
                        dump_layout(labels[l], fonts[f], wr, sizes[k], 160, &d);
                        assert_same_glyphs(&d, &ref[l][f][wr][k]);
                    }
        dump_layout(long_label, "sans", 1, 13, 400, &d);
        assert_same_glyphs(&d, &long_ref);
        text_memo_end(tf);
    }
    text_memo_end(tf);
    text_memo_end(tf); /* unmatched: ignored */
    dump_layout(labels[0], "sans", 0, 13, 160, &d);
    assert_same_glyphs(&d, &ref[0][0][0][0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),        cmocka_unit_test(test_manifest_errors),
        cmocka_unit_test(test_fit_flags),   cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_rtl_order),   cmocka_unit_test(test_shaping),
        cmocka_unit_test(test_hostile),     cmocka_unit_test(test_fit_matrix),
        cmocka_unit_test(test_threads),     cmocka_unit_test(test_memo),
        cmocka_unit_test(test_sheet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
