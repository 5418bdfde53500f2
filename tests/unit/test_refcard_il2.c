/* test_refcard_il2.c — the IL-2 Sturmovik: Great Battles parser: global.actions (Windows-1252,
 * CRLF, padded columns, combos, "a/b" axis halves, hats by angle, comment labels) with and
 * without its devices.txt (URL-encoded names, "\r\r\n", alike devices, product GUIDs). */
#include "test_refcard_util.h"

#include <ctype.h>

#include <jansson.h>

#define ACTIONS "il2_global.actions"
#define DEVICES "il2_devices.txt"

/* Parse actions file (and devices.txt when with_devices) as one upload. */
static binding_set parse_pair(const char *actions, const char *actions_name, int with_devices)
{
    size_t la, ld = 0;
    char *a = tr_read(TR_DATA ACTIONS, &la), *d = NULL;
    if (strcmp(actions, ACTIONS) != 0) {
        char path[256];
        free(a);
        snprintf(path, sizeof path, TR_DATA "%s", actions);
        a = tr_read(path, &la);
    }
    games_file files[2] = {{actions_name, a, la}, {"data/input/devices.txt", NULL, 0}};
    if (with_devices) {
        d = tr_read(TR_DATA DEVICES, &ld);
        files[1].data = d;
        files[1].len = ld;
    }
    games_bundle bundle = {files, with_devices ? 2 : 1};
    binding_set s;
    err_t e = {0};
    int rc = games_parse_bundle(GT, NULL, &bundle, &s, &e);
    if (rc != 0)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    free(a);
    free(d);
    return s;
}

/* The warning about `what` (prefix), or fail. */
static const bind_warning *find_warning(const binding_set *s, const char *what)
{
    for (size_t i = 0; i < s->n_warnings; i++)
        if (strncmp(s->warnings[i].what, what, strlen(what)) == 0)
            return &s->warnings[i];
    print_error("no warning about %s\n", what);
    fail();
    return NULL;
}

static void test_il2_detect(void **state)
{
    size_t len;
    char *data = tr_read(TR_DATA ACTIONS, &len);
    err_t e = {0};
    /* Raw Windows-1252 bytes: detection does not depend on the encoding. */
    assert_string_equal(games_detect(GT, data, len, &e), "il2");
    free(data);
    data = tr_read(TR_DATA "il2_preset.actions", &len);
    assert_string_equal(games_detect(GT, data, len, &e), "il2"); /* "&actions = action, ..." */
    free(data);
    const char *devices = "configId,guid,model|\r\r\n0,%22x%22,vJoy|";
    assert_null(games_detect(GT, devices, strlen(devices), &e));
}

static void test_il2_with_devices(void **state)
{
    binding_set s = parse_pair(ACTIONS, "data/input/global.actions", 1);
    assert_string_equal(s.game, "il2");
    assert_string_equal(s.game_name, "IL-2 Sturmovik: Great Battles");
    assert_string_equal(s.profile, ""); /* "global" is the game's file name, not a preset */
    assert_int_equal(s.n, 37);

    /* The Windows-1252 comment is the label, as UTF-8. */
    const binding *b = tr_find(&s, "screenshot", 0);
    assert_string_equal(b->action, "Capture d'\xc3\xa9" "cran");
    assert_string_equal(b->context, "Game");
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:PrintScreen");
    assert_int_equal(b->line, 6);
    /* Only the first line of an action has the comment; the others share it. */
    b = tr_find(&s, "screenshot", 1);
    assert_string_equal(b->action, "Capture d'\xc3\xa9" "cran");
    assert_string_equal(b->input.device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->input.control, "button:42"); /* joy1_b41: 0-based */
    assert_int_equal(b->input.device_index, 0);

    b = tr_find(&s, "record", 0);
    assert_string_equal(b->input.control, "key:R");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Keyboard");
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");

    assert_string_equal(tr_find(&s, "commandmenu", 0)->input.control, "key:Grave");
    assert_string_equal(tr_find(&s, "commandmenu", 1)->input.control, "key:IntlBackslash");

    /* The empty slot is skipped, its comment still labels the bound line. */
    assert_int_equal(tr_count(&s, "resethmd"), 1);
    b = tr_find(&s, "resethmd", 0);
    assert_string_equal(b->action, "Default VR view");
    assert_string_equal(b->context, "View");
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "button:2");
    assert_int_equal(b->line, 13);

    /* "a/b": an axis on two keys, + then -; an axis with a held key. */
    assert_int_equal(tr_count(&s, "cam_zoom"), 3);
    b = tr_find(&s, "cam_zoom", 0);
    assert_string_equal(b->action, "Camera zoom (+)");
    assert_string_equal(b->input.control, "key:NumpadPlus");
    assert_int_equal(b->is_axis, 0);
    b = tr_find(&s, "cam_zoom", 1);
    assert_string_equal(b->action, "Camera zoom (-)");
    assert_string_equal(b->input.control, "key:NumpadMinus");
    b = tr_find(&s, "cam_zoom", 2);
    assert_string_equal(b->action, "Camera zoom");
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "axis:z");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");

    /* The axis is the control even when the game writes the held button after it. */
    b = tr_find(&s, "bc_head_pitch", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Mouse");
    assert_string_equal(b->modifiers[0].control, "button:2");

    /* Axis letters: w is Rx, t Rz, p and q the sliders. */
    assert_string_equal(tr_find(&s, "bc_head_yaw", 0)->input.control, "axis:rx");
    b = tr_find(&s, "rpc_pitch", 0);
    assert_string_equal(b->action, "Plane control: pitch (+)");
    assert_string_equal(b->context, "Flight controls");
    assert_string_equal(b->input.control, "key:DownArrow");
    assert_string_equal(tr_find(&s, "rpc_pitch", 1)->input.control, "key:UpArrow");
    b = tr_find(&s, "rpc_pitch", 2);
    assert_string_equal(b->action, "Plane control: pitch");
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->inverted, 0);

    /* VID/PID from a product GUID, in IL-2's byte order and in Windows'. */
    b = tr_find(&s, "rpc_yaw", 0);
    assert_string_equal(b->input.device, "VKBsim T-Rudder");
    assert_string_equal(b->input.control, "axis:rz");
    assert_int_equal(b->input.vid, 0x231d);
    assert_int_equal(b->input.pid, 0x011f);
    b = tr_find(&s, "rpc_yaw", 1);
    assert_string_equal(b->input.device, "Saitek Pro Flight Rudder Pedals");
    assert_int_equal(b->input.vid, 0x06a3);
    assert_int_equal(b->input.pid, 0x0763);
    /* Instance GUIDs carry no USB ids. */
    assert_int_equal(tr_find(&s, "rpc_roll", 0)->input.vid, 0);

    /* Hats by angle, 0-based hat numbers. */
    b = tr_find(&s, "rpc_pitch_trim", 0);
    assert_string_equal(b->input.control, "hat:1:up");
    assert_string_equal(b->action, "Elevator trim axis (+)");
    assert_string_equal(tr_find(&s, "rpc_pitch_trim", 1)->input.control, "hat:1:down");
    assert_string_equal(tr_find(&s, "rpc_roll_trim", 0)->input.control, "hat:1:left");
    assert_string_equal(tr_find(&s, "rpc_roll_trim", 1)->input.control, "hat:1:right");
    assert_string_equal(tr_find(&s, "flaps_up", 0)->input.control, "hat:1:upleft");
    assert_string_equal(tr_find(&s, "flaps_dn", 0)->input.control, "hat:2:downright");

    /* invert column. */
    b = tr_find(&s, "rpc_all_engines_throttles", 0);
    assert_string_equal(b->input.control, "axis:z");
    assert_string_equal(b->context, "Engine");
    assert_int_equal(b->inverted, 1);
    assert_string_equal(tr_find(&s, "rpc_all_engines_mixtures", 0)->input.control, "axis:slider2");
    assert_string_equal(tr_find(&s, "rpc_all_engines_props_pitch", 0)->input.control,
                        "axis:slider1");
    assert_int_equal(tr_find(&s, "rpc_wheel_brakes_left", 0)->inverted, 1);

    /* Joystick buttons as modifiers; a key held with a mouse button. */
    b = tr_find(&s, "all_engines_switch", 1);
    assert_string_equal(b->input.device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->input.control, "button:4");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->modifiers[0].control, "button:6");
    b = tr_find(&s, "weapon_group_1_fire", 1);
    assert_string_equal(b->context, "Weapons");
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:1");
    assert_string_equal(b->modifiers[0].control, "key:RightAlt");

    /* Two sticks of the same model: one name, device_index 0 and 1. */
    b = tr_find(&s, "gear", 0);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->input.device_index, 1);
    assert_int_equal(tr_find(&s, "weapon_group_1_fire", 0)->input.device_index, 0);

    /* "// inprb_pitch" is the game's missing translation, not a label: the table's is used. */
    b = tr_find(&s, "rb_pitch", 0);
    assert_string_equal(b->action, "Vehicle turret: up/down");
    assert_string_equal(b->context, "Vehicle");

    /* A line without "|" is still read, its comment too. */
    b = tr_find(&s, "switchmap", 0);
    assert_string_equal(b->input.control, "key:M");
    assert_string_equal(b->action, "Change ingame map mode");

    /* joy7 is not in devices.txt. */
    assert_string_equal(tr_find(&s, "airbrakes", 0)->input.device, "Joystick 8");

    /* Unreadable entries are skipped and listed. */
    assert_int_equal(tr_count(&s, "bc_head_zoom"), 0);
    assert_int_equal(tr_count(&s, "cam_reset"), 0);
    assert_int_equal(tr_count(&s, "lobby"), 0);
    assert_int_equal(tr_count(&s, "escape"), 0);
    assert_int_equal(s.n_warnings, 6);
    const bind_warning *w = find_warning(&s, "bc_head_zoom joy0_axis_v");
    assert_int_equal(w->line, 37);
    assert_string_equal(w->file, "data/input/global.actions");
    assert_contains(w->why, "not an axis");
    assert_int_equal(find_warning(&s, "cam_reset joy0_pov0_30")->line, 38);
    assert_contains(find_warning(&s, "lobby key_tab+")->why, "empty part");
    assert_contains(find_warning(&s, "escape pad_a")->why, "not a key, mouse or joystick");
    w = find_warning(&s, "joy7");
    assert_contains(w->why, "no configId 7");
    w = find_warning(&s, "this line is not a device");
    assert_string_equal(w->file, "data/input/devices.txt");
    assert_int_equal(w->line, 6);
    bindings_free(&s);
}

static void test_il2_without_devices(void **state)
{
    binding_set s = tr_parse(NULL, ACTIONS, "global.actions");
    assert_int_equal(s.n, 37);
    /* Each joyN its own "Joystick N+1": alike devices cannot be told apart without names. */
    const binding *b = tr_find(&s, "rpc_pitch", 2);
    assert_string_equal(b->input.device, "Joystick 1");
    assert_int_equal(b->input.device_index, 0);
    assert_int_equal(b->input.vid, 0);
    b = tr_find(&s, "gear", 0);
    assert_string_equal(b->input.device, "Joystick 4");
    assert_int_equal(b->input.device_index, 0);
    assert_string_equal(tr_find(&s, "screenshot", 1)->input.device, "Joystick 2");
    /* One warning for the missing file, none per joystick. */
    int about_devices = 0;
    for (size_t i = 0; i < s.n_warnings; i++)
        about_devices += strstr(s.warnings[i].what, "devices.txt") != NULL ||
                         strncmp(s.warnings[i].what, "joy", 3) == 0;
    assert_int_equal(about_devices, 1);
    assert_int_equal(find_warning(&s, "devices.txt")->line, 0);
    assert_int_equal(s.n_warnings, 5);
    bindings_free(&s);
}

static void test_il2_preset(void **state)
{
    /* LF, UTF-8, a header with spaces, a preset named by its file. */
    binding_set s = parse_pair("il2_preset.actions", "data/input/custom/Spitfire.actions", 0);
    assert_string_equal(s.profile, "Spitfire");
    assert_int_equal(s.n, 4);
    const binding *b = tr_find(&s, "rpc_pitch", 0);
    assert_string_equal(b->action, "Pitch");
    /* No comment: the game table's label, then a split of the id. */
    assert_string_equal(tr_find(&s, "rpc_roll", 0)->action, "Roll");
    assert_string_equal(tr_find(&s, "weapon_group_1_fire", 0)->action, "Fire weapon group 1");
    b = tr_find(&s, "all_engines_switch", 0);
    assert_string_equal(b->action, "D\xc3\xa9marrer le moteur");
    assert_string_equal(b->input.control, "key:E");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");
    assert_int_equal(b->line, 6);
    /* joy0 without devices.txt: the one warning. */
    assert_int_equal(s.n_warnings, 1);
    bindings_free(&s);
}

/* Several presets in one upload (a zip of data\input): each file's bindings carry its name. */
static void test_il2_several_presets(void **state)
{
    size_t la, lp, ld;
    char *a = tr_read(TR_DATA ACTIONS, &la), *p = tr_read(TR_DATA "il2_preset.actions", &lp),
         *d = tr_read(TR_DATA DEVICES, &ld);
    /* The game's response curves sit in the same folder: recognised, not read, no warning. */
    const char *responses = "type1Devices=actionId%2CcenterDeadZone%2CsensitivityBallance%2C"
                            "sideDeadZone%7C%0D%0Arpc_pitch%2C0.1%2C0.3%2C0";
    games_file files[4] = {{"input/global.actions", a, la},
                           {"input/custom/P-40.actions", p, lp},
                           {"input/devices.txt", d, ld},
                           {"input/current.responses", responses, strlen(responses)}};
    games_bundle bundle = {files, 4};
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse_bundle(GT, NULL, &bundle, &s, &e), 0);
    assert_int_equal(s.n, 37 + 4);
    assert_int_equal(s.n_warnings, 6); /* those of global.actions and devices.txt */
    for (size_t i = 0; i < s.n_warnings; i++)
        assert_null(strstr(s.warnings[i].file, "responses"));
    assert_string_equal(s.profile, "P-40");
    assert_string_equal(tr_find(&s, "rpc_pitch", 2)->module, "global");
    const binding *b = tr_find(&s, "rpc_pitch", 3);
    assert_string_equal(b->module, "P-40");
    /* devices.txt names the preset's joysticks too. */
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    bindings_free(&s);
    free(a);
    free(p);
    free(d);

    /* One file: no module. */
    s = tr_parse(NULL, "il2_preset.actions", "P-40.actions");
    assert_string_equal(tr_find(&s, "rpc_pitch", 0)->module, "");
    bindings_free(&s);
}

static void test_il2_errors(void **state)
{
    err_t e = tr_fail(NULL, "il2_unbound.actions", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 1: every action of the file is unbound (empty commands)");

    /* Forced, without the table header. */
    e = tr_fail("il2", NULL, "// preset\nrpc_pitch, joy0_axis_y, 0|\n");
    assert_prefix(e.msg, "line 2: no \"&actions=action,command,invert|\" table");

    e = tr_fail("il-2", NULL, "&actions=action,invert|\nrpc_pitch, 0|\n");
    assert_string_equal(e.msg, "line 1: the &actions= header has no action or no command column");

    /* Nothing readable: the first reason is the file's. */
    e = tr_fail(NULL, NULL, "&actions=action,command,invert|\r\nrpc_pitch, joy0_axis_v, 0|\r\n");
    assert_string_equal(e.msg, "line 2: no binding could be read (rpc_pitch joy0_axis_v: not an "
                               "axis IL-2 writes (joyN_axis_ x, y, z, w, s, t, p or q))");

    /* devices.txt alone. */
    size_t ld;
    char *d = tr_read(TR_DATA DEVICES, &ld);
    games_file f = {"devices.txt", d, ld};
    games_bundle b = {&f, 1};
    binding_set s;
    assert_int_equal(games_parse_bundle(GT, NULL, &b, &s, &e), -1);
    assert_contains(e.msg, "devices.txt completes a IL-2 Sturmovik: Great Battles binding file");
    free(d);
}

/* Inputs one at a time: every form the game writes, and the ones it does not. */
static void input_case(const char *command, const char *control, const char *device, int is_axis)
{
    char text[256];
    snprintf(text, sizeof text, "&actions=action,command,invert|\nrpc_pitch, %s, 0|\n", command);
    binding_set s;
    err_t e = {0};
    int rc = games_parse(GT, "il2", text, strlen(text), &s, &e);
    if (!control) {
        if (rc == 0)
            print_error("%s was read as %s\n", command, s.items[0].input.control);
        assert_int_equal(rc, -1);
        return;
    }
    if (rc != 0)
        print_error("%s: %s\n", command, e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].input.control, control);
    assert_string_equal(s.items[0].input.device, device);
    assert_int_equal(s.items[0].is_axis, is_axis);
    bindings_free(&s);
}

static void test_il2_inputs(void **state)
{
    input_case("joy0_b0", "button:1", "Joystick 1", 0);
    input_case("joy12_b127", "button:128", "Joystick 13", 0);
    input_case("joy0_pov3_45", "hat:4:upright", "Joystick 1", 0);
    input_case("joy0_pov0_22500", "hat:1:downleft", "Joystick 1", 0); /* hundredths */
    input_case("joy0_axis_s", "axis:ry", "Joystick 1", 1);
    input_case("mouse_b2", "button:3", "Mouse", 0);
    input_case("mouse_axis_x", "axis:x", "Mouse", 1);
    input_case("key_numpad7", "key:Numpad7", "Keyboard", 0);
    input_case("key_prior", "key:PageUp", "Keyboard", 0);
    input_case("key_lwin", "key:LeftWin", "Keyboard", 0);
    input_case("key_f13", "key:F13", "Keyboard", 0);
    /* A key the game knows and the drawing does not: kept, listed under its own name. */
    input_case("key_numpadequals", "key:numpadequals", "Keyboard", 0);
    input_case("key_lshift+key_lcontrol+key_lmenu+key_lwin+key_a", "key:A", "Keyboard", 0);

    input_case("key_", NULL, NULL, 0);
    input_case("key_a-b", NULL, NULL, 0);
    input_case("joy_b1", NULL, NULL, 0);
    input_case("joy64_b1", NULL, NULL, 0);
    input_case("joy0_b", NULL, NULL, 0);
    input_case("joy0_b256", NULL, NULL, 0);
    input_case("joy0_pov8_0", NULL, NULL, 0);
    input_case("joy0_pov0_360", NULL, NULL, 0);
    input_case("joy0_pov0", NULL, NULL, 0);
    input_case("joy0_axis_rx", NULL, NULL, 0);
    input_case("joy0_slider", NULL, NULL, 0);
    input_case("mouse_axis_w", NULL, NULL, 0);
    input_case("mouse_b", NULL, NULL, 0);
    input_case("mouse_axis_x+joy0_axis_y", NULL, NULL, 0);
    input_case("key_a+key_b+key_c+key_d+key_e+key_f", NULL, NULL, 0);
    input_case("+key_a", NULL, NULL, 0);
}

/* Every key the game table names maps to a key id of bindings.h. */
static void test_il2_key_table(void **state)
{
    static const char *ids[] = {
        "Escape", "Tab", "CapsLock", "LeftShift", "RightShift", "LeftControl", "RightControl",
        "LeftAlt", "RightAlt", "LeftWin", "RightWin", "Menu", "Space", "Enter", "Backspace",
        "Insert", "Delete", "Home", "End", "PageUp", "PageDown", "UpArrow", "DownArrow",
        "LeftArrow", "RightArrow", "NumpadDivide", "NumpadMultiply", "NumpadMinus", "NumpadPlus",
        "NumpadEnter", "NumpadDecimal", "Minus", "Equals", "LeftBracket", "RightBracket",
        "Backslash", "Semicolon", "Apostrophe", "Grave", "Comma", "Period", "Slash",
        "PrintScreen", "ScrollLock", "Pause", "NumLock", "IntlBackslash", "IntlRo", "IntlYen"};
    json_error_t je;
    json_t *doc = json_load_file("templates/games/il2.json", 0, &je);
    assert_non_null(doc);
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach(json_object_get(doc, "keys"), k, v)
    {
        const char *id = json_string_value(v);
        int ok = (strlen(id) == 1 && (isupper((unsigned char)id[0]) || isdigit((unsigned char)id[0]))) ||
                 (id[0] == 'F' && atoi(id + 1) >= 1 && atoi(id + 1) <= 24) ||
                 (strncmp(id, "Numpad", 6) == 0 && strlen(id) == 7 && isdigit((unsigned char)id[6]));
        for (size_t i = 0; !ok && i < sizeof ids / sizeof ids[0]; i++)
            ok = strcmp(ids[i], id) == 0;
        if (!ok)
            print_error("%s -> %s is not a key id\n", k, id);
        assert_true(ok);
        assert_prefix(k, "key_");
        n++;
    }
    assert_true(n > 100);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_il2_detect),
        cmocka_unit_test(test_il2_with_devices),
        cmocka_unit_test(test_il2_without_devices),
        cmocka_unit_test(test_il2_preset),
        cmocka_unit_test(test_il2_several_presets),
        cmocka_unit_test(test_il2_errors),
        cmocka_unit_test(test_il2_inputs),
        cmocka_unit_test(test_il2_key_table),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
