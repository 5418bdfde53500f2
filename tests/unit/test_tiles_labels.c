/* test_tiles_labels.c — the Marble gazetteer reader and baked place index, and label
 * placement: no overlaps, zoom-dependent density, and a label crossing a tile edge found by
 * both neighbours at the same global position. Measurement is a fixed-advance stand-in so
 * the test does not depend on font files. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tiles/gazetteer.h"
#include "tiles/labels.h"
#include "tiles/tilemath.h"

#define CACHE "/usr/share/marble/data/placemarks/cityplacemarks.cache"

static tiles_gazetteer gz;

static int setup(void **state)
{
    (void)state;
    err_t err;
    if (tiles_gazetteer_read_marble(CACHE, &gz, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    tiles_gazetteer_sort(&gz);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tiles_gazetteer_free(&gz);
    return 0;
}

static int fake_measure(void *ctx, const char *utf8, double size, int bold, double *w, double *h)
{
    (void)ctx;
    size_t chars = 0;
    for (const char *p = utf8; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    *w = chars * size * (bold ? 0.65 : 0.6);
    *h = size * 1.2;
    return 0;
}

static const tiles_place *find(const char *name)
{
    for (size_t i = 0; i < gz.count; i++)
        if (strcmp(gz.places[i].name, name) == 0)
            return &gz.places[i];
    return NULL;
}

static void test_marble_reader(void **state)
{
    (void)state;
    assert_true(gz.count > 20000);
    const tiles_place *l = find("London");
    assert_non_null(l);
    assert_true(fabs(l->lat - 51.51) < 0.05 && fabs(l->lng + 0.13) < 0.05);
    assert_string_equal(l->country, "GB");
    assert_int_equal(l->kind, TILES_PLACE_CAPITAL);
    assert_true(l->population > 7000000);
    const tiles_place *z = find("Zürich"); /* UTF-16 → UTF-8 */
    assert_non_null(z);
    assert_string_equal(z->country, "CH");
    /* Priority order: no place outranks a place with 3x its population. */
    for (size_t i = 1; i < gz.count; i++)
        assert_true((double)gz.places[i - 1].population * 3.0 >= (double)gz.places[i].population);
    /* Bad files are refused with a reason. */
    err_t err;
    tiles_gazetteer g2;
    assert_int_equal(tiles_gazetteer_read_marble("/etc/hostname", &g2, &err), -1);
    assert_non_null(strstr(err.msg, "magic"));
}

static void test_baked_round_trip(void **state)
{
    (void)state;
    char path[] = "/tmp/cartouche-test-places-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    err_t err;
    assert_int_equal(tiles_gazetteer_write(&gz, path, &err), 0);
    tiles_gazetteer g2;
    assert_int_equal(tiles_gazetteer_load(path, &g2, &err), 0);
    assert_int_equal(g2.count, gz.count);
    for (size_t i = 0; i < gz.count; i += 97) {
        assert_string_equal(g2.places[i].name, gz.places[i].name);
        assert_true(fabs(g2.places[i].lat - gz.places[i].lat) < 1e-6);
        assert_true(fabs(g2.places[i].lng - gz.places[i].lng) < 1e-6);
        assert_int_equal(g2.places[i].population, gz.places[i].population);
        assert_int_equal(g2.places[i].kind, gz.places[i].kind);
    }
    tiles_gazetteer_free(&g2);
    assert_int_equal(truncate(path, 100), 0);
    assert_int_equal(tiles_gazetteer_load(path, &g2, &err), -1);
    unlink(path);
}

static int boxes_overlap(const tiles_label *a, const tiles_label *b, double shift)
{
    return a->x < b->x + b->w + shift && b->x + shift < a->x + a->w && a->y < b->y + b->h &&
           b->y < a->y + a->h;
}

static void test_no_overlaps(void **state)
{
    (void)state;
    size_t prev = 0;
    for (int z = 0; z <= TILES_MAX_ZOOM; z++) {
        tiles_label_set set;
        err_t err;
        assert_int_equal(tiles_labels_place(&gz, z, fake_measure, NULL, &set, &err), 0);
        assert_true(set.count > 0);
        assert_true(set.count >= prev); /* more labels as the map grows */
        prev = set.count;
        for (size_t i = 0; i < set.count; i++) {
            const tiles_label *a = &set.labels[i];
            assert_true(a->place->population >= tiles_labels_min_population(z) ||
                        (a->place->kind == TILES_PLACE_CAPITAL && z >= 3));
            for (size_t k = i + 1; k < set.count; k++)
                for (int s = -1; s <= 1; s++)
                    if (boxes_overlap(a, &set.labels[k], s * set.world))
                        fail_msg("z%d: '%s' overlaps '%s'", z, a->place->name,
                                 set.labels[k].place->name);
        }
        /* Placement does not depend on anything but the zoom: a second run is identical. */
        tiles_label_set again;
        assert_int_equal(tiles_labels_place(&gz, z, fake_measure, NULL, &again, &err), 0);
        assert_int_equal(again.count, set.count);
        for (size_t i = 0; i < set.count; i++) {
            const tiles_label *a = &set.labels[i], *b = &again.labels[i];
            assert_true(a->place == b->place && a->x == b->x && a->y == b->y && a->w == b->w &&
                        a->h == b->h && a->size == b->size && a->bold == b->bold);
        }
        tiles_labels_free(&again);
        tiles_labels_free(&set);
    }
}

static int found(const tiles_label_hit *h, size_t n, size_t index, double shift)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].index == index && h[i].shift == shift)
            return 1;
    return 0;
}

static void test_edge_crossing(void **state)
{
    (void)state;
    const int z = 4;
    tiles_label_set set;
    err_t err;
    assert_int_equal(tiles_labels_place(&gz, z, fake_measure, NULL, &set, &err), 0);
    int crossing = 0;
    tiles_label_hit a[512], b[512];
    for (size_t i = 0; i < set.count; i++) {
        const tiles_label *l = &set.labels[i];
        double edge = ceil(l->x / 256.0) * 256.0; /* the first tile edge right of the box start */
        if (!(l->x < edge && l->x + l->w > edge) || l->y < 0 || l->y + l->h > set.world)
            continue;
        crossing++;
        int ty = (int)floor((l->y + l->h / 2) / 256.0);
        double tx = edge / 256.0 - 1;
        /* Both tiles' rects (with the margin-free query a tile makes) find this label, with the
         * same shift: they draw it at the same global place. */
        size_t na = tiles_labels_in_rect(&set, tx * 256, ty * 256, tx * 256 + 256, ty * 256 + 256,
                                         a, 512);
        double tx2 = fmod(tx + 1, 1 << z);
        double shift = tx2 == 0 && edge >= set.world ? -set.world : 0;
        size_t nb = tiles_labels_in_rect(&set, tx2 * 256, ty * 256, tx2 * 256 + 256,
                                         ty * 256 + 256, b, 512);
        assert_true(found(a, na, i, 0));
        assert_true(found(b, nb, i, shift));
        /* Tiles that the label does not touch do not see it. */
        double far = fmod(tx + 4, 1 << z);
        size_t nf = tiles_labels_in_rect(&set, far * 256, ty * 256, far * 256 + 256,
                                         ty * 256 + 256, b, 512);
        assert_false(found(b, nf, i, 0) || found(b, nf, i, set.world) ||
                     found(b, nf, i, -set.world));
    }
    assert_true(crossing > 5); /* the test must exercise something */
    tiles_labels_free(&set);
}

/* The look-up (an index by box top) finds exactly what a scan of every label finds, in label
 * order: rects of every tile of zooms 2 and 6 and thin, tall and wide ones. */
static void test_lookup_is_a_scan(void **state)
{
    (void)state;
    static tiles_label_hit got[4096], want[4096];
    for (int z = 2; z <= 6; z += 4) {
        tiles_label_set set;
        err_t err;
        assert_int_equal(tiles_labels_place(&gz, z, fake_measure, NULL, &set, &err), 0);
        int n = 1 << z, nonempty = 0;
        for (int t = 0; t < n * n + 3; t++) {
            double x0 = (t % n) * 256.0, y0 = (t / n % n) * 256.0, x1 = x0 + 256, y1 = y0 + 256;
            if (t == n * n)
                x0 = -40, y0 = 300.5, x1 = set.world + 30, y1 = 301; /* one pixel row, every copy */
            else if (t == n * n + 1)
                x0 = 1000.25, y0 = -5, x1 = 1001, y1 = set.world + 5; /* a column */
            else if (t == n * n + 2)
                x0 = 0, y0 = 0, x1 = set.world, y1 = set.world; /* everything */
            size_t k = 0;
            const double r = TILES_LABEL_DOT_R + 1.0;
            for (size_t i = 0; i < set.count; i++) {
                const tiles_label *l = &set.labels[i];
                double bx0 = fmin(l->x, l->dot_x - r), bx1 = fmax(l->x + l->w, l->dot_x + r);
                double by0 = fmin(l->y, l->dot_y - r), by1 = fmax(l->y + l->h, l->dot_y + r);
                for (int c = -1; c <= 1 && by1 > y0 && by0 < y1; c++)
                    if (bx1 + c * set.world > x0 && bx0 + c * set.world < x1 && k < 4096)
                        want[k++] = (tiles_label_hit){i, c * set.world};
            }
            size_t m = tiles_labels_in_rect(&set, x0, y0, x1, y1, got, 4096);
            assert_int_equal(m, k);
            for (size_t i = 0; i < k; i++) {
                assert_int_equal(got[i].index, want[i].index);
                assert_true(got[i].shift == want[i].shift);
            }
            nonempty += k > 0;
        }
        assert_true(nonempty > n * n / 8);
        tiles_labels_free(&set);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marble_reader), cmocka_unit_test(test_baked_round_trip),
        cmocka_unit_test(test_no_overlaps), cmocka_unit_test(test_edge_crossing),
        cmocka_unit_test(test_lookup_is_a_scan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
