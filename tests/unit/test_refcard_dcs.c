/* test_refcard_dcs.c — the DCS World .diff.lua parser and the Lua table reader under it. */
#include "test_refcard_util.h"

#include "refcards/games/luat.h"

#define WARTHOG_FILE "Joystick - HOTAS Warthog {F0E9A8D0-41A2-11EB-8001-444553540000}.diff.lua"

static void test_dcs_stick(void **state)
{
    binding_set s = tr_parse(NULL, "dcs_warthog_stick.diff.lua", WARTHOG_FILE);
    assert_string_equal(s.game, "dcs");
    assert_string_equal(s.game_name, "DCS World");
    assert_int_equal(s.n, 30);

    const binding *b = tr_find(&s, "a2001cdnil", 0);
    assert_string_equal(b->action, "Pitch");
    assert_string_equal(b->context, "Axes");
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->inverted, 0);
    assert_float_equal(b->deadzone, 0.02, 1e-9);
    assert_int_equal(b->line, 5);

    b = tr_find(&s, "a2022cdnil", 0);
    assert_string_equal(b->input.control, "axis:slider1");
    assert_int_equal(b->inverted, 1);

    b = tr_find(&s, "d3003pnilu3003cd2vd1vpnilvu0", 0);
    assert_string_equal(b->action, "Gun Trigger - First Stage");
    assert_string_equal(b->context, "Aircraft");
    assert_string_equal(b->input.control, "button:1");
    assert_int_equal(b->is_axis, 0);

    b = tr_find(&s, "d3022pnilu3022cd2vd1vpnilvu0", 0);
    assert_string_equal(b->input.control, "hat:1:upright");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "button:4");
    assert_string_equal(b->modifiers[0].device, "Joystick - HOTAS Warthog");

    /* A reformer on the keyboard. */
    b = tr_find(&s, "d8pnilunilcdnilvdnilvpnilvunil", 0);
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[1].device, "Keyboard");
    assert_string_equal(b->modifiers[1].control, "key:LeftControl");

    /* Commands that only remove a default are not bindings. */
    assert_int_equal(tr_count(&s, "a2003cdnil"), 0);
    assert_int_equal(tr_count(&s, "d3031pnilu3031cd2vd1vpnilvu0"), 0);
    bindings_free(&s);

    /* Without the file name the stick is just "Joystick". */
    s = tr_parse("dcs", "dcs_warthog_stick.diff.lua", NULL);
    assert_string_equal(tr_find(&s, "a2001cdnil", 0)->input.device, "Joystick");
    bindings_free(&s);
}

static void test_dcs_keyboard(void **state)
{
    binding_set s = tr_parse(NULL, "dcs_keyboard.diff.lua", "C:\\Saved Games\\DCS\\Config\\Input\\F-16C_50\\keyboard\\Keyboard.diff.lua");
    assert_int_equal(s.n, 30);
    const binding *b = tr_find(&s, "d3008pnilu3008cd5vd1vpnilvu0", 0);
    assert_string_equal(b->action, "Parking Brake");
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:P");
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[0].control, "key:RightControl");
    assert_string_equal(b->modifiers[1].control, "key:RightShift");

    assert_int_equal(tr_count(&s, "d3029pnilu3029cd5vd1vpnilvu0"), 2);
    b = tr_find(&s, "d3029pnilu3029cd5vd1vpnilvu0", 1);
    assert_int_equal(b->secondary, 1);
    assert_string_equal(b->input.control, "key:F12");
    assert_string_equal(b->modifiers[0].control, "key:LeftWin");

    b = tr_find(&s, "d3028pnilu3028cd5vd1vpnilvu0", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:3");
    assert_string_equal(tr_find(&s, "d3027pnilu3027cd5vd1vpnilvu0", 0)->input.control, "key:Backslash");
    assert_string_equal(tr_find(&s, "d3020pnilu3020cd5vd1vpnilvu0", 0)->input.control, "key:NumpadMultiply");
    assert_string_equal(tr_find(&s, "d3009pnilu3009cd5vd1vpnilvu0", 0)->input.control, "key:Numpad8");
    bindings_free(&s);
}

#define HORNET_THROTTLE \
    "Config/Input/FA-18C_hornet/joystick/Throttle - HOTAS Warthog {84180FE0-BDD3-11ea-8002-444553540000}.diff.lua"

/* What players' Config/Input folders hold: "changed" filters, reformers, entries DCS skips. */
static void test_dcs_quirks(void **state)
{
    binding_set s = tr_parse(NULL, "dcs_hornet_throttle.diff.lua", HORNET_THROTTLE);
    assert_int_equal(s.n, 6);

    /* A default binding whose filter changed is still bound. */
    const binding *b = tr_find(&s, "a2004cdnil", 0);
    assert_string_equal(b->action, "Throttle Both");
    assert_string_equal(b->module, "FA-18C_hornet");
    assert_string_equal(b->input.device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->input.control, "axis:z");
    assert_int_equal(b->is_axis, 1);
    assert_float_equal(b->deadzone, 0.01, 1e-9);
    assert_int_equal(b->line, 5);

    /* A bad filter value is a warning; the axis stays. */
    b = tr_find(&s, "a2005cdnil", 0);
    assert_string_equal(b->input.control, "axis:rz");
    assert_float_equal(b->deadzone, 0, 0);
    assert_int_equal(b->inverted, 0);

    /* Same button with and without a reformer. */
    assert_int_equal(tr_count(&s, "d3001pnilu3001cd75vd1vpnilvu0"), 2);
    b = tr_find(&s, "d3001pnilu3001cd75vd1vpnilvu0", 1);
    assert_int_equal(b->secondary, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftAlt");

    /* Four reformers kept, the fifth left out; the entry without a key left out. */
    b = tr_find(&s, "d3001pnilunilcd75vd0vpnilvunil", 0);
    assert_string_equal(b->input.control, "hat:1:upleft");
    assert_int_equal(b->n_modifiers, 4);
    assert_string_equal(b->modifiers[3].control, "key:LeftWin");
    assert_int_equal(tr_count(&s, "d3001pnilunilcd75vd0vpnilvunil"), 1);

    /* A keyboard key with a joystick button held (DCS's modifier buttons). */
    b = tr_find(&s, "d3003pnilu3003cd75vd1vpnilvu0", 0);
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:Numpad5");
    assert_string_equal(b->modifiers[0].device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->modifiers[0].control, "button:30");

    assert_int_equal(s.n_warnings, 5);
    static const struct {
        int line;
        const char *what, *why;
    } want[] = {
        {63, "HMCS Power OFF", "more than 4 reformers; JOY_BTN30 left out"},
        {66, "HMCS Power OFF", "binding without a [\"key\"] string"},
        {74, "command d3002pnilunilcd75vd1vpnilvunil", "must be a table, not a string"},
        {25, "Throttle Left", "deadzone is not a number in 0..1; ignored"},
        {26, "Throttle Left", "invert is not a boolean; ignored"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(s.warnings[i].line, want[i].line);
        assert_string_equal(s.warnings[i].what, want[i].what);
        assert_string_equal(s.warnings[i].why, want[i].why);
        /* The file's name as uploaded (bind_warning.file keeps its first 95 bytes). */
        assert_true(strlen(s.warnings[i].file) >= 60);
        assert_int_equal(strncmp(s.warnings[i].file, HORNET_THROTTLE, strlen(s.warnings[i].file)), 0);
    }
    bindings_free(&s);
}

/* A zip of Config/Input: paths give the aircraft, alike devices differ by their GUIDs. */
static void test_dcs_bundle(void **state)
{
    size_t len;
    char *stick = tr_read(TR_DATA "dcs_warthog_stick.diff.lua", &len);
    char *kb = tr_read(TR_DATA "dcs_keyboard.diff.lua", &len);
    const char *disabled = "local disabled = {\n\t[\"devices\"] = {\n\t},\n\t[\"pnp\"] = false,\n}\n"
                           "return disabled";
    games_file files[] = {
        {"Config/Input/F-16C_50/joystick/FSSB R3L {DFB20040-5F27-11eb-8003-444553540000}.diff.lua",
         stick, strlen(stick)},
        {"Config/Input/F-16C_50/joystick/FSSB R3L {DFB1D930-5F27-11eb-8002-444553540000}.diff.lua",
         stick, strlen(stick)},
        {"Config/Input/A-10C_2/joystick/FSSB R3L {DFB20040-5F27-11eb-8003-444553540000}.diff.lua",
         stick, strlen(stick)},
        {"Config/Input/F-16C_50/keyboard/Keyboard.diff.lua", kb, strlen(kb)},
        {"Joystick%20-%20HOTAS%20Warthog%20%7BF0E9A8D0-41A2-11EB-8001-444553540000%7D.diff.lua",
         stick, strlen(stick)},
        /* Beside the diffs, not bindings: passed over without a warning. */
        {"Config/Input/disabled.lua", disabled, strlen(disabled)},
    };
    games_bundle bundle = {files, sizeof files / sizeof files[0]};
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse_bundle(GT, NULL, &bundle, &s, &e), 0);
    assert_string_equal(s.game, "dcs");
    assert_int_equal(s.n, 4 * 30 + 30);
    assert_int_equal(s.n_warnings, 0);

    /* The first file's stick has the larger GUID: the second of the two alike sticks. */
    const binding *b = &s.items[0];
    assert_string_equal(b->input.device, "FSSB R3L");
    assert_int_equal(b->input.device_index, 1);
    assert_string_equal(b->module, "F-16C_50");
    assert_int_equal(b->n_modifiers, 0);
    b = &s.items[30];
    assert_int_equal(b->input.device_index, 0);
    /* The same stick in another aircraft keeps its index. */
    b = &s.items[60];
    assert_string_equal(b->module, "A-10C_2");
    assert_int_equal(b->input.device_index, 1);
    /* Keyboard files live in .../keyboard/. */
    b = &s.items[90];
    assert_string_equal(b->module, "F-16C_50");
    assert_string_equal(b->input.device, "Keyboard");
    /* A URL-encoded name with no folder: decoded, no module. */
    b = &s.items[120];
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->module, "");
    assert_int_equal(b->input.device_index, 0);
    bindings_free(&s);
    free(stick);
    free(kb);
}

static void test_dcs_errors(void **state)
{
    err_t e = tr_fail(NULL, "bad_truncated.diff.lua", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 216: unfinished string");

    /* Entries DCS would skip are warnings: a file of only those binds nothing. */
    const char *text = "local diff = {\n\t[\"keyDiffs\"] = {\n\t\t[\"d1\"] = {\n"
                       "\t\t\t[\"added\"] = { [1] = { [\"reformers\"] = {} } },\n\t\t},\n"
                       "\t\t[\"d2\"] = 5,\n\t},\n}\nreturn diff\n";
    binding_set s;
    assert_int_equal(games_parse(GT, "dcs", text, strlen(text), &s, &e), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_warnings, 2);
    assert_int_equal(s.warnings[0].line, 4);
    assert_string_equal(s.warnings[0].what, "d1");
    assert_string_equal(s.warnings[0].why, "binding without a [\"key\"] string");
    assert_int_equal(s.warnings[1].line, 6);
    assert_string_equal(s.warnings[1].why, "must be a table, not a number");
    bindings_free(&s);

    e = tr_fail("dcs", NULL, "local diff = {\n [\"other\"] = {}\n}\nreturn diff\n");
    assert_string_equal(e.msg, "line 1: neither [\"keyDiffs\"] nor [\"axisDiffs\"], not a DCS input diff");

    e = tr_fail("dcs", NULL, "local diff = {\n [\"keyDiffs\"] = 1,\n [\"axisDiffs\"] = \"x\"\n}\nreturn diff\n");
    assert_string_equal(e.msg,
                        "line 1: [\"keyDiffs\"] and [\"axisDiffs\"] are not tables, not a DCS input diff");

    e = tr_fail("dcs", NULL, "local diff = { [\"keyDiffs\"] = {} }\nprint(diff)\n");
    assert_string_equal(e.msg, "line 2: unexpected character '('");

    /* The file a Config/Input folder also holds: not bindings. */
    e = tr_fail("dcs", NULL, "local disabled = {\n\t[\"devices\"] = {\n\t},\n\t[\"pnp\"] = false,\n}\nreturn disabled");
    assert_string_equal(e.msg, "line 1: neither [\"keyDiffs\"] nor [\"axisDiffs\"], not a DCS input diff");
}

/* ---- the Lua table reader ---- */

static const luat_value *parse_lua(const char *text, luat_doc **doc)
{
    const luat_value *root;
    err_t e = {0};
    int rc = luat_parse(text, strlen(text), doc, &root, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    return root;
}

static void test_luat_values(void **state)
{
    luat_doc *doc;
    const luat_value *t = parse_lua(
        "-- a comment\n"
        "--[==[ a long\n comment ]] still ]==]\n"
        "local x = { [\"a\\tb\"] = \"q\\\"\\\\\\065\\x42\\\n\\z   C\", name = 'single', [3] = -2.5e1,\n"
        "  { 1, 2; 3 }, [[long\nstring]], [==[with ]] inside]==], true, false, nil, 0x10, }\n"
        "return x\n",
        &doc);
    assert_int_equal(t->type, LUAT_TABLE);
    assert_int_equal(t->line, 4);
    assert_int_equal(t->n_fields, 10);
    const luat_value *v = luat_get(t, "a\tb");
    assert_non_null(v);
    assert_string_equal(v->str, "q\"\\AB\nC");
    assert_string_equal(luat_get(t, "name")->str, "single");
    assert_int_equal(t->fields[2].key.type, LUAT_NUMBER);
    assert_float_equal(t->fields[2].value.number, -25, 0);
    const luat_value *inner = &t->fields[3].value;
    assert_int_equal(t->fields[3].key.number, 1); /* positional fields count from 1 */
    assert_int_equal(inner->n_fields, 3);
    assert_float_equal(inner->fields[2].value.number, 3, 0);
    assert_string_equal(t->fields[4].value.str, "long\nstring");
    assert_int_equal(t->fields[4].value.line, 6); /* the string above spans a line */
    assert_string_equal(t->fields[5].value.str, "with ]] inside");
    assert_int_equal(t->fields[6].value.type, LUAT_BOOL);
    assert_int_equal(t->fields[6].value.boolean, 1);
    assert_int_equal(t->fields[7].value.boolean, 0);
    assert_int_equal(t->fields[8].value.type, LUAT_NIL);
    assert_float_equal(t->fields[9].value.number, 16, 0);
    assert_null(luat_get(t, "missing"));
    luat_free(doc);
}

static void luat_error(const char *text, const char *msg)
{
    luat_doc *doc = NULL;
    const luat_value *root;
    err_t e = {0};
    assert_int_equal(luat_parse(text, strlen(text), &doc, &root, &e), -1);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, msg);
}

static void test_luat_errors(void **state)
{
    luat_error("x = {\n \"abc\n}", "line 2: unfinished string");
    luat_error("x = {\n [1] = 2\n", "line 3: expected ',' or '}' in the table opened on line 1, found end of file");
    luat_error("x = \"a\\qb\"", "line 1: invalid escape \\q in string");
    luat_error("x = \"\\300\"", "line 1: decimal escape \\300 is too large");
    luat_error("x = --[[ open\n\n", "line 1: unfinished long string or comment");
    luat_error("x = { [{}] = 1 }", "line 1: a table key must be a string, number or boolean");
    luat_error("x = 1.2.3", "line 1: malformed number \"1.2.3\"");
    luat_error("x = @", "line 1: unexpected character '@'");
    luat_error("", "line 1: no value in the file");
    luat_error("return y", "line 1: return of an unknown variable 'y'");
    luat_error("x = 1 return x y", "line 1: 'y' after return");

    /* Nesting is bounded. */
    char deep[200] = "x = ";
    for (int i = 0; i < 40; i++)
        strcat(deep, "{");
    luat_error(deep, "line 1: tables nested deeper than 32");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dcs_stick),
        cmocka_unit_test(test_dcs_keyboard),
        cmocka_unit_test(test_dcs_quirks),
        cmocka_unit_test(test_dcs_bundle),
        cmocka_unit_test(test_dcs_errors),
        cmocka_unit_test(test_luat_values),
        cmocka_unit_test(test_luat_errors),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
