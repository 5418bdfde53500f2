/* test_refcard_games.c — the game registry: table loading and validation, recognising a
 * file's game, forcing a game, errors for bad uploads, action labels, GET /v1/games. */
#include "test_refcard_util.h"

#include <sys/stat.h>
#include <unistd.h>

static void test_detect_each_game(void **state)
{
    static const struct {
        const char *file, *game;
    } cases[] = {
        {"elite_warthog.binds", "elite"},
        {"msfs_warthog_stick.xml", "msfs2020"},
        {"msfs_warthog_throttle.xml", "msfs2020"},
        {"msfs_keyboard.xml", "msfs2020"},
        {"squadrons_warthog.profile", "squadrons"},
        {"dcs_warthog_stick.diff.lua", "dcs"},
        {"dcs_keyboard.diff.lua", "dcs"},
        {"bad_truncated.binds", "elite"},
        {"bad_truncated.profile", "squadrons"},
        {"bad_truncated.diff.lua", "dcs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        size_t len;
        snprintf(path, sizeof path, TR_DATA "%s", cases[i].file);
        char *data = tr_read(path, &len);
        err_t e = {0};
        const char *id = games_detect(GT, data, len, &e);
        if (!id || strcmp(id, cases[i].game) != 0)
            print_error("%s: detected %s (%s)\n", cases[i].file, id ? id : "nothing", e.msg);
        assert_non_null(id);
        assert_string_equal(id, cases[i].game);
        free(data);
    }
}

static void test_bad_uploads(void **state)
{
    err_t e = tr_fail(NULL, "bad_empty.binds", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 1: the file is empty");
    e = tr_fail(NULL, "bad_blank.binds", NULL);
    assert_string_equal(e.msg, "line 1: the file is empty");
    e = tr_fail("elite", "bad_empty.binds", NULL); /* also when the game is forced */
    assert_string_equal(e.msg, "line 1: the file is empty");

    e = tr_fail(NULL, "bad_garbage.bin", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 1: binary data, not a binding file");

    e = tr_fail(NULL, NULL, "just some words\nin a text file\n");
    assert_prefix(e.msg, "line 1: unknown format, not a binding file of a supported game (elite, "
                         "msfs2020, squadrons, dcs, starcitizen, bms, il2)");

    e = tr_fail(NULL, "bad_wrong_root.xml", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 3: unknown XML format: root element <KeyMap>");

    e = tr_fail(NULL, "bad_billion_laughs.xml", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 2: DOCTYPE declarations are not allowed in a binding file");

    e = tr_fail(NULL, NULL, "<?xml version=\"1.0\"?>\n<Root>\n<A></B>\n</Root>\n");
    assert_string_equal(e.msg, "line 3: mismatched tag");

    e = tr_fail(NULL, NULL, "<?xml version=\"1.0\"?>\n\n");
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line ");
}

static void test_forced_game(void **state)
{
    err_t e = tr_fail("freelancer", "elite_warthog.binds", NULL);
    assert_int_equal(e.kind, ERR_BAD_PARAM);
    assert_string_equal(e.param, "game");
    assert_string_equal(e.msg, "unknown game \"freelancer\" (one of: elite, msfs2020, squadrons, dcs, "
                               "starcitizen, bms, il2)");

    binding_set s = tr_parse("ED", "elite_warthog.binds", NULL); /* aliases, any case */
    assert_string_equal(s.game, "elite");
    bindings_free(&s);
    s = tr_parse("sws", "squadrons_warthog.profile", NULL);
    assert_string_equal(s.game, "squadrons");
    bindings_free(&s);

    /* The wrong game forced: that parser's own error. */
    e = tr_fail("msfs2020", "elite_warthog.binds", NULL);
    assert_string_equal(e.msg, "line 2: unexpected top-level element <Root> in an MSFS input profile");
    e = tr_fail("dcs", "elite_warthog.binds", NULL);
    assert_prefix(e.msg, "line 1: ");
}

static void label(const char *game, const char *id, const char *want)
{
    char buf[128];
    const char *got = games_action_label(GT, game, id, buf, sizeof buf);
    assert_ptr_equal(got, buf);
    assert_string_equal(got, want);
}

static void test_labels(void **state)
{
    /* The split, without a table. */
    label(NULL, "LandingGearToggle", "Landing Gear Toggle");
    label(NULL, "UI_Toggle_Map", "UI Toggle Map");
    label(NULL, "UIFocus", "UI Focus");
    label(NULL, "HMDReset", "HMD Reset");
    label(NULL, "SetSpeed25", "Set Speed 25");
    label(NULL, "CamTranslateYAxis", "Cam Translate Y Axis");
    label(NULL, "YawAxis_Landing", "Yaw Axis Landing");
    label(NULL, "KEY_GEAR_TOGGLE", "Key Gear Toggle"); /* capitals: title case but for 2-letter acronyms */
    label(NULL, "x", "x");
    label(NULL, "___", "___");
    label(NULL, "", "Unnamed action");
    label(NULL, NULL, "Unnamed action");
    /* Tables first, then the split with the game's prefixes stripped. */
    label("elite", "LandingGearToggle", "Landing Gear");
    label("elite", "SomeNewAction2", "Some New Action 2");
    label("msfs2020", "KEY_AP_MASTER", "Autopilot");
    label("msfs2020", "KEY_TOGGLE_WATER_RUDDER_AND_FLOATS", "Toggle Water Rudder And Floats");
    label("msfs2020", "KEY_AP_N1_HOLD", "AP N1 Hold");
    label("msfs2020", "KEY_AXIS_THROTTLE9_SET", "Axis Throttle 9 Set");
    label("msfs2020", "KEY_", "Key");
    label("squadrons", "ConceptFire", "Primary Fire");
    label("squadrons", "ConceptHangarWalk", "Hangar Walk");
    label("dcs", "a2001cdnil", "Pitch");
    /* Small buffers truncate, never overflow. */
    char small[6];
    assert_string_equal(games_action_label(GT, "elite", "LandingGearToggle", small, sizeof small), "Landi");
    assert_string_equal(games_action_label(GT, NULL, "LandingGearToggle", small, sizeof small), "Landi");
}

static void test_list_json(void **state)
{
    json_t *list = games_list_json(GT);
    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), 7);
    json_t *elite = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(elite, "id")), "elite");
    assert_string_equal(json_string_value(json_object_get(elite, "name")), "Elite Dangerous");
    assert_string_equal(json_string_value(json_array_get(json_object_get(elite, "extensions"), 0)), ".binds");
    assert_true(json_integer_value(json_object_get(elite, "actions")) > 200);
    assert_true(strlen(json_string_value(json_object_get(elite, "notes"))) > 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "id")), "dcs");
    json_decref(list);
    assert_string_equal(games_name(GT, "msfs"), "Microsoft Flight Simulator 2020");
    assert_null(games_name(GT, "nope"));
}

/* ---- loading ---- */

static char tmpdir[64];

static void copy_tables(const char *skip)
{
    static const char *ids[] = {"elite", "msfs2020", "squadrons", "dcs", "starcitizen", "bms", "il2"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (skip && strcmp(ids[i], skip) == 0)
            continue;
        char src[128], dst[160];
        snprintf(src, sizeof src, "templates/games/%s.json", ids[i]);
        snprintf(dst, sizeof dst, "%s/%s.json", tmpdir, ids[i]);
        size_t len;
        char *data = tr_read(src, &len);
        FILE *f = fopen(dst, "wb");
        assert_non_null(f);
        fwrite(data, 1, len, f);
        fclose(f);
        free(data);
    }
}

static void write_table(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear_tmp(void)
{
    static const char *names[] = {"elite.json", "msfs2020.json", "squadrons.json", "dcs.json",
                                  "starcitizen.json", "bms.json", "il2.json", "freelancer.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
}

static void load_fails(const char *want_prefix)
{
    err_t e = {0};
    assert_null(games_load(tmpdir, &e));
    assert_int_equal(e.kind, ERR_CONFIG);
    char want[256];
    snprintf(want, sizeof want, want_prefix, tmpdir);
    if (strncmp(e.msg, want, strlen(want)) != 0)
        print_error("got \"%s\", want \"%s...\"\n", e.msg, want);
    assert_prefix(e.msg, want);
    clear_tmp();
}

static void test_load_errors(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cartouche-games-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));

    err_t e = {0};
    assert_null(games_load("/nonexistent/games", &e));
    assert_string_equal(e.msg, "/nonexistent/games: cannot open the game tables directory");

    copy_tables("dcs");
    load_fails("%s/dcs.json: missing");

    copy_tables(NULL);
    write_table("freelancer.json", "{}");
    load_fails("%s/freelancer.json: no parser for a game called \"freelancer\"");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"dcs\",\n \"name\": \"DCS\",,}");
    load_fails("%s/dcs.json: line 2:");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"elite\", \"name\": \"DCS\", \"actions\": {}}");
    load_fails("%s/dcs.json: \"id\" must be \"dcs\"");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"dcs\", \"name\": \"DCS\", \"actions\": {\"a\": 3},"
                            " \"detect\": {\"contains\": [\"x\"]}}");
    load_fails("%s/dcs.json: \"actions\".\"a\" must be a non-empty string");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"dcs\", \"name\": \"DCS\", \"actions\": {},"
                            " \"keys\": {\"LCtrl\": \"Left Control\"}, \"detect\": {\"contains\": [\"x\"]}}");
    load_fails("%s/dcs.json: key \"LCtrl\" maps to \"Left Control\", not a key id");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"dcs\", \"name\": \"DCS\", \"actions\": {}}");
    load_fails("%s/dcs.json: \"detect\" must name xml_root, line_prefix or contains");

    copy_tables(NULL);
    write_table("dcs.json", "{\"id\": \"dcs\", \"name\": \"DCS\", \"actions\": {},"
                            " \"detect\": {\"contains\": [\"x\"]}, \"context_rules\": [{\"prefix\": \"a\"}]}");
    load_fails("%s/dcs.json: context_rules[0] needs one of prefix/suffix/contains and a context");

    /* A failed load keeps the tables already loaded. */
    char buf[64];
    assert_string_equal(games_action_label(GT, "elite", "LandingGearToggle", buf, sizeof buf), "Landing Gear");
    rmdir(tmpdir);
}

/* ---- bundles: several files in one upload ---- */

static binding_set bundle_parse(const char *game, const games_file *files, size_t n, int want_rc, err_t *e)
{
    games_bundle b = {files, n};
    binding_set s;
    memset(e, 0, sizeof *e);
    assert_int_equal(games_parse_bundle(GT, game, &b, &s, e), want_rc);
    return s;
}

static void test_bundles(void **state)
{
    size_t l1, l2, l3;
    char *stick = tr_read(TR_DATA "msfs_warthog_stick.xml", &l1);
    char *throttle = tr_read(TR_DATA "msfs_warthog_throttle.xml", &l2);
    char *elite = tr_read(TR_DATA "elite_warthog.binds", &l3);
    err_t e;

    /* one MSFS profile per device: one set, both devices */
    games_file two[] = {{"stick.xml", stick, l1}, {"throttle.xml", throttle, l2}};
    binding_set s = bundle_parse(NULL, two, 2, 0, &e);
    binding_set a = bundle_parse(NULL, two, 1, 0, &e), b = bundle_parse(NULL, two + 1, 1, 0, &e);
    assert_string_equal(s.game, "msfs2020");
    assert_int_equal(s.n, a.n + b.n);
    assert_int_equal(s.n_warnings, 0);
    bindings_free(&a);
    bindings_free(&b);
    bindings_free(&s);

    /* a file of another game and an unreadable one: skipped with a warning naming the file */
    games_file mixed[] = {{"stick.xml", stick, l1}, {"Custom.binds", elite, l3},
                          {"notes.txt", "just words\n", 11}};
    s = bundle_parse(NULL, mixed, 3, 0, &e);
    assert_string_equal(s.game, "msfs2020");
    assert_int_equal(s.n_warnings, 2);
    assert_string_equal(s.warnings[0].file, "Custom.binds");
    assert_string_equal(s.warnings[0].why, "a file of Elite Dangerous; this upload is read as Microsoft Flight Simulator 2020");
    assert_string_equal(s.warnings[1].file, "notes.txt");
    assert_prefix(s.warnings[1].why, "line 1: unknown format");
    bindings_free(&s);

    /* nothing readable: 422 naming the count and the first reason */
    games_file junk[] = {{"a.txt", "hello\n", 6}, {"b.txt", "world\n", 6}};
    s = bundle_parse(NULL, junk, 2, -1, &e);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "none of the 2 files is a binding file of a supported game (first: line 1: unknown format");

    /* a companion alone says what it completes */
    games_file sorting[] = {{"User/Config/DeviceSorting.txt", "{GUID}\n", 7}};
    s = bundle_parse(NULL, sorting, 1, -1, &e);
    assert_string_equal(e.msg, "line 1: DeviceSorting.txt completes a Falcon BMS binding file; upload it "
                               "together with that file");
    /* ... and is not a file of its own in a bundle */
    games_file with[] = {{"stick.xml", stick, l1}, {"devices.txt", "0,{GUID}\n", 9}};
    s = bundle_parse(NULL, with, 2, 0, &e);
    assert_int_equal(s.n_warnings, 0);
    bindings_free(&s);
    assert_non_null(games_bundle_find(&(games_bundle){with, 2}, "DEVICES.TXT"));
    assert_null(games_bundle_find(&(games_bundle){with, 2}, "global.actions"));

    /* an empty zip or form: nothing to read */
    s = bundle_parse(NULL, NULL, 0, -1, &e);
    assert_string_equal(e.msg, "line 1: the upload holds no binding file");

    /* warnings are capped; the rest only counted */
    binding_set w = {0};
    for (int i = 0; i < BIND_MAX_WARNINGS + 5; i++)
        bindings_warn(&w, i + 1, "x", "reason %d", i);
    assert_int_equal(w.n_warnings, BIND_MAX_WARNINGS);
    assert_int_equal(w.warnings_dropped, 5);
    bindings_free(&w);

    free(stick);
    free(throttle);
    free(elite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_each_game),
        cmocka_unit_test(test_bad_uploads),
        cmocka_unit_test(test_forced_game),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_list_json),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_bundles),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
