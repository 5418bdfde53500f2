/* test_catalog.c — the catalog: parts loaded all or nothing, freed with the last reference, and
 * the refcards part refusing a broken file with the file's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "refcards/refdata.h"
#include "tiles/tiles.h"
#include "tiles/tilestore.h"

/* A fake part: an int that says which load made it; loads fail when cfg->max_age says so. */
typedef struct {
    int id;
    int *freed; /* counter of frees, owned by the test */
    char digest[16];
} fake_part;

static int frees_a, frees_b;

static void *fake_load(const config *cfg, err_t *err, int id, int *freed)
{
    if (cfg->max_age == id) {
        err_set(err, ERR_CONFIG, NULL, "fake%d.json: line 3: broken", id);
        return NULL;
    }
    fake_part *p = calloc(1, sizeof *p);
    p->id = id;
    p->freed = freed;
    snprintf(p->digest, sizeof p->digest, "d%d", id);
    return p;
}
static void *load_a(const config *cfg, err_t *err) { return fake_load(cfg, err, 1, &frees_a); }
static void *load_b(const config *cfg, err_t *err) { return fake_load(cfg, err, 2, &frees_b); }
static void fake_free(void *p)
{
    ++*((fake_part *)p)->freed;
    free(p);
}
static const char *fake_digest(const void *p) { return ((const fake_part *)p)->digest; }

static const catalog_part_ops ops_a = {"alpha", load_a, fake_free, fake_digest};
static const catalog_part_ops ops_b = {"beta", load_b, fake_free, NULL};

static void test_load_ref_unref(void **state)
{
    catalog_kinds kinds = {0};
    assert_int_equal(catalog_kinds_add(&kinds, &ops_a), 0);
    assert_int_equal(catalog_kinds_add(&kinds, &ops_b), 1);
    config cfg;
    config_defaults(&cfg);
    cfg.max_age = 0;
    err_t err = {0};
    frees_a = frees_b = 0;
    catalog *c = catalog_load(&kinds, &cfg, &err);
    assert_non_null(c);
    assert_int_equal(((fake_part *)catalog_part(c, 0))->id, 1);
    assert_int_equal(((fake_part *)catalog_part(c, 1))->id, 2);
    assert_null(catalog_part(c, 2));
    assert_null(catalog_part(c, -1));
    assert_string_equal(catalog_digest(c, 0), "d1");
    assert_string_equal(catalog_digest(c, 1), ""); /* a kind without a digest */
    catalog *d = catalog_load(&kinds, &cfg, &err);
    assert_true(catalog_generation(d) > catalog_generation(c));
    /* A reader's reference keeps the parts after the owner lets go. */
    catalog_ref(c);
    catalog_unref(c);
    assert_int_equal(frees_a, 0);
    assert_int_equal(((fake_part *)catalog_part(c, 0))->id, 1);
    catalog_unref(c);
    assert_int_equal(frees_a, 1);
    assert_int_equal(frees_b, 1);
    catalog_unref(d);
    assert_int_equal(frees_a, 2);
    catalog_unref(NULL);
}

static void test_all_or_nothing(void **state)
{
    catalog_kinds kinds = {0};
    catalog_kinds_add(&kinds, &ops_a);
    catalog_kinds_add(&kinds, &ops_b);
    config cfg;
    config_defaults(&cfg);
    cfg.max_age = 2; /* the second part fails */
    err_t err = {0};
    frees_a = frees_b = 0;
    assert_null(catalog_load(&kinds, &cfg, &err));
    assert_int_equal(frees_a, 1); /* the part already loaded is freed */
    assert_int_equal(frees_b, 0);
    assert_int_equal(err.kind, ERR_CONFIG);
    assert_string_equal(err.msg, "beta: fake2.json: line 3: broken");
}

static void test_kinds_full(void **state)
{
    catalog_kinds kinds = {0};
    for (int i = 0; i < CATALOG_MAX_PARTS; i++)
        assert_int_equal(catalog_kinds_add(&kinds, &ops_a), i);
    assert_int_equal(catalog_kinds_add(&kinds, &ops_a), -1);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The real refcards part from a copy of templates/ in which one file is then broken: the load
 * fails naming that file, and the same copy loads again once the file is mended. */
static void test_refcards_part_broken_files(void **state)
{
    char dir[64] = "/tmp/cartouche-catalog-XXXXXX", cmd[256];
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp -r templates/games templates/devices templates/usb %s/", dir);
    assert_int_equal(system(cmd), 0);
    catalog_kinds kinds = {0};
    int slot = catalog_kinds_add(&kinds, &refcards_part_ops);
    config cfg;
    config_defaults(&cfg);
    snprintf(cfg.templates_dir, sizeof cfg.templates_dir, "%s", dir);
    err_t err = {0};
    catalog *c = catalog_load(&kinds, &cfg, &err);
    if (!c)
        fail_msg("copy of templates/: %s", err.msg);
    const refcards_data *rd = catalog_part(c, slot);
    assert_non_null(devices_get(rd->devices, "warthog-stick"));
    assert_string_equal(games_name(rd->games, "elite"), "Elite Dangerous");
    char digest[65];
    snprintf(digest, sizeof digest, "%s", catalog_digest(c, slot));
    assert_int_equal(strlen(digest), 64);

    char path[160];
    const char *broken[] = {"games/elite.json", "devices/warthog-stick.json", "usb/vendors.json"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "cp %s/%s %s/%s.bak", dir, broken[i], dir, broken[i]);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof path, "%s/%s", dir, broken[i]);
        write_text(path, "{\"id\": ");
        err = (err_t){0};
        assert_null(catalog_load(&kinds, &cfg, &err));
        if (!strstr(err.msg, strrchr(broken[i], '/') + 1) || strncmp(err.msg, "refcards: ", 10) != 0)
            fail_msg("error \"%s\" does not name %s", err.msg, broken[i]);
        snprintf(cmd, sizeof cmd, "mv %s/%s.bak %s/%s", dir, broken[i], dir, broken[i]);
        assert_int_equal(system(cmd), 0);
    }
    /* The old catalog was never touched; a mended copy loads with the same digest, and a changed
     * label gives a new one. */
    assert_non_null(devices_get(rd->devices, "warthog-stick"));
    catalog *again = catalog_load(&kinds, &cfg, &err);
    assert_non_null(again);
    assert_string_equal(catalog_digest(again, slot), digest);
    snprintf(cmd, sizeof cmd, "sed -i 's/\"Elite Dangerous\"/\"Elite: Dangerous\"/' %s/games/elite.json", dir);
    assert_int_equal(system(cmd), 0);
    catalog *changed = catalog_load(&kinds, &cfg, &err);
    assert_non_null(changed);
    assert_string_not_equal(catalog_digest(changed, slot), digest);
    assert_string_equal(games_name(((const refcards_data *)catalog_part(changed, slot))->games, "elite"),
                        "Elite: Dangerous");
    catalog_unref(changed);
    catalog_unref(again);
    catalog_unref(c);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* The tiles part: each loaded store places its labels once, lazily, and keeps them as long as
 * it lives; a second store (a reload) has its own. */
static void test_tiles_part_labels(void **state)
{
    catalog_kinds kinds = {0};
    int slot = catalog_kinds_add(&kinds, &tiles_part_ops);
    config cfg;
    config_defaults(&cfg);
    err_t err = {0};
    catalog *a = catalog_load(&kinds, &cfg, &err), *b = catalog_load(&kinds, &cfg, &err);
    if (!a || !b)
        fail_msg("tiles part: %s", err.msg);
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    assert_non_null(tf);
    const tiles_store *sa = catalog_part(a, slot), *sb = catalog_part(b, slot);
    assert_non_null(tiles_store_layer_in(sa, "bluemarble"));
    const tiles_label_set *la = tiles_store_labels(sa, 3, tf, &err);
    assert_non_null(la);
    assert_ptr_equal(tiles_store_labels(sa, 3, tf, &err), la); /* placed once */
    const tiles_label_set *lb = tiles_store_labels(sb, 3, tf, &err);
    assert_non_null(lb);
    assert_ptr_not_equal(lb, la);
    assert_null(tiles_store_labels(sa, 99, tf, &err));
    catalog_unref(a); /* b's labels live on */
    assert_ptr_equal(tiles_store_labels(sb, 3, tf, &err), lb);
    catalog_unref(b);
    text_fonts_free(tf);
    /* A --layer archive that is not one fails the part, naming it. */
    FILE *f = fopen("/tmp/cartouche-catalog-bad.mbtiles", "w");
    assert_non_null(f);
    fputs("not an archive", f);
    fclose(f);
    snprintf(cfg.layers[0], sizeof cfg.layers[0], "bad=/tmp/cartouche-catalog-bad.mbtiles");
    cfg.n_layers = 1;
    assert_null(catalog_load(&kinds, &cfg, &err));
    assert_non_null(strstr(err.msg, "tiles: "));
    assert_non_null(strstr(err.msg, "cartouche-catalog-bad.mbtiles"));
    unlink("/tmp/cartouche-catalog-bad.mbtiles");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_ref_unref),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_kinds_full),
        cmocka_unit_test(test_refcards_part_broken_files),
        cmocka_unit_test(test_tiles_part_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
