/* test_refcard_msfs.c — the MSFS 2020 input profile parser, field by field. */
#include "test_refcard_util.h"

static void test_msfs_stick(void **state)
{
    binding_set s = tr_parse(NULL, "msfs_warthog_stick.xml", NULL);
    assert_string_equal(s.game, "msfs2020");
    assert_string_equal(s.game_name, "Microsoft Flight Simulator 2020");
    assert_string_equal(s.profile, "Warthog stick - airliner");
    assert_int_equal(s.n, 36);

    const binding *b = tr_find(&s, "KEY_AXIS_AILERONS_SET", 0);
    assert_string_equal(b->action, "Ailerons");
    assert_string_equal(b->context, "Flight surfaces");
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->input.vid, 0);
    assert_int_equal(b->input.pid, 0x0402);
    assert_string_equal(b->input.control, "axis:x");
    assert_int_equal(b->is_axis, 1);
    assert_float_equal(b->deadzone, 0.02, 1e-9);
    assert_int_equal(b->line, 11);

    /* "JoystickPov Left" (no space) with a button held as modifier. */
    b = tr_find(&s, "KEY_AILERON_TRIM_LEFT", 0);
    assert_string_equal(b->input.control, "hat:1:left");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "button:4");
    assert_string_equal(b->modifiers[0].device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->is_axis, 0);

    assert_int_equal(tr_count(&s, "KEY_GEAR_TOGGLE"), 2);
    b = tr_find(&s, "KEY_GEAR_TOGGLE", 1);
    assert_int_equal(b->secondary, 1);
    assert_string_equal(b->input.control, "button:5");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->context, "Plane");

    /* Not in the table: a readable split without the KEY_ prefix. */
    assert_string_equal(tr_find(&s, "KEY_PUSHBACK_SET", 0)->action, "Pushback Set");
    assert_string_equal(tr_find(&s, "KEY_VIEW_MODE", 0)->context, "View modes");
    assert_string_equal(tr_find(&s, "KEY_COCKPIT_RESET", 1)->input.control, "hat:1:up");
    bindings_free(&s);
}

static void test_msfs_throttle(void **state)
{
    binding_set s = tr_parse(NULL, "msfs_warthog_throttle.xml", NULL);
    assert_string_equal(s.profile, "Warthog throttle - twin");
    assert_int_equal(s.n, 30);
    const binding *b = tr_find(&s, "KEY_AXIS_MIXTURE_SET", 0);
    assert_string_equal(b->input.control, "axis:slider1");
    assert_float_equal(b->deadzone, 0.03, 1e-9);
    assert_string_equal(b->context, "Engine");
    b = tr_find(&s, "KEY_AXIS_SPOILER_SET", 0);
    assert_string_equal(b->input.control, "axis:dial1");
    b = tr_find(&s, "KEY_AXIS_RUDDER_SET", 0);
    assert_string_equal(b->input.control, "axis:rx");
    assert_float_equal(b->deadzone, 0.05, 1e-9);
    b = tr_find(&s, "KEY_AXIS_THROTTLE2_SET", 0);
    assert_string_equal(b->input.control, "axis:rz");
    assert_int_equal(b->input.pid, 0x0404);
    bindings_free(&s);
}

static void test_msfs_keyboard(void **state)
{
    binding_set s = tr_parse("msfs", "msfs_keyboard.xml", NULL); /* by alias */
    assert_string_equal(s.game, "msfs2020");
    assert_string_equal(s.profile, "MyKeyboard");
    assert_int_equal(s.n, 51);
    const binding *b = tr_find(&s, "KEY_SWITCH_VR", 0);
    assert_string_equal(b->input.device, "Keyboard");
    assert_int_equal(b->input.pid, 0);
    assert_string_equal(b->input.control, "key:Tab");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_string_equal(b->context, "General");

    b = tr_find(&s, "KEY_MIXTURE_RICH", 0);
    assert_string_equal(b->input.control, "key:F4");
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[1].control, "key:LeftShift");

    assert_string_equal(tr_find(&s, "KEY_GEAR_TOGGLE", 0)->input.control, "key:G");
    assert_string_equal(tr_find(&s, "KEY_BRAKES", 0)->input.control, "key:NumpadDecimal");
    assert_string_equal(tr_find(&s, "KEY_RUDDER_RIGHT", 0)->input.control, "key:NumpadEnter");
    assert_string_equal(tr_find(&s, "KEY_ZOOM_COCKPIT", 0)->input.control, "key:Equals");
    assert_string_equal(tr_find(&s, "KEY_COCKPIT_QUICKVIEW1", 1)->modifiers[0].control,
                        "key:RightControl");
    /* German "ä" is the key US boards have "'" on. */
    assert_string_equal(tr_find(&s, "KEY_TOGGLE_NAVLOG", 0)->input.control, "key:Apostrophe");
    assert_string_equal(tr_find(&s, "KEY_PAUSE_TOGGLE", 1)->input.control, "key:P");
    bindings_free(&s);
}

static void test_msfs_default_input_form(void **state)
{
    const char *text =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<DefaultInput Primary=\"1\" PlatformAvailability=\"PC\">\n"
        "  <Version Num=\"0\" />\n"
        "  <Device DeviceName=\"VKBsim Gladiator EVO R\" GUID=\"0\" ProductID=\"512\">\n"
        "    <Context ContextName=\"PLANE\">\n"
        "      <Actions ActionName=\"KEY_GEAR_UP\" Flag=\"2\">\n"
        "        <Primary><KEY Information=\"Joystick Pov 2 Up-Right\">256</KEY></Primary>\n"
        "      </Actions>\n"
        "      <Action ActionName=\"KEY_GEAR_DOWN\" Flag=\"2\"><Primary>\n"
        "        <KEY Information=\"Joystick Button 30\">29</KEY></Primary></Action>\n"
        "      <Action ActionName=\"KEY_FLAPS_UP\" Flag=\"2\"/>\n"
        "      <Action ActionName=\"KEY_SMOKE_TOGGLE\" Flag=\"2\"><Primary>\n"
        "        <KEY Information=\"Joystick Twist Knob\">999</KEY></Primary></Action>\n"
        "    </Context>\n  </Device>\n</DefaultInput>\n";
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(GT, NULL, text, strlen(text), &s, &e), 0);
    assert_string_equal(s.game, "msfs2020");
    assert_int_equal(s.n, 3);
    assert_string_equal(s.items[0].input.control, "hat:2:upright");
    assert_int_equal(s.items[0].input.pid, 512);
    assert_int_equal(s.items[0].line, 7);
    assert_string_equal(s.items[1].input.control, "button:30");
    assert_string_equal(s.items[2].input.control, "raw:Joystick Twist Knob");
    assert_string_equal(s.items[2].action, "Smoke");
    bindings_free(&s);
}

/* The profiles the sim ships: one <DefaulftInput> document, hex ProductID, DirectInput names. */
static void test_msfs_defaulft_input(void **state)
{
    binding_set s = tr_parse(NULL, "msfs_defaulft_t16000m.xml", NULL); /* recognised by its root */
    assert_string_equal(s.game, "msfs2020");
    assert_int_equal(s.n, 7);
    assert_int_equal(s.n_warnings, 0);
    const binding *b = tr_find(&s, "KEY_GEAR_TOGGLE", 0);
    assert_string_equal(b->input.device, "T.16000M");
    assert_int_equal(b->input.pid, 0xB10A);
    assert_int_equal(b->input.vid, 0); /* an instance GUID carries no ids */
    assert_string_equal(b->input.control, "button:4");
    assert_int_equal(b->line, 11);
    b = tr_find(&s, "KEY_AXIS_AILERONS_SET", 0);
    assert_string_equal(b->input.control, "axis:x");
    assert_int_equal(b->is_axis, 1);
    assert_float_equal(b->deadzone, 0.02, 1e-9);
    b = tr_find(&s, "KEY_AXIS_RUDDER_SET", 0);
    assert_string_equal(b->input.control, "axis:rz");
    assert_float_equal(b->deadzone, 0.04, 1e-9);
    assert_string_equal(tr_find(&s, "KEY_AXIS_THROTTLE_SET", 0)->input.control, "axis:dial1");
    assert_string_equal(tr_find(&s, "KEY_ELEV_TRIM_UP", 0)->input.control, "hat:1:downleft");
    /* Half an axis as a button. */
    b = tr_find(&s, "KEY_SLEW_LEFT", 0);
    assert_string_equal(b->input.control, "axis:x");
    assert_int_equal(b->is_axis, 0);
    /* Two buttons: the first held. */
    b = tr_find(&s, "KEY_VIEW_MODE", 0);
    assert_string_equal(b->input.control, "button:1");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "button:2");
    assert_int_equal(b->modifiers[0].pid, 0xB10A);
    bindings_free(&s);

    /* .NET key names, and the mouse inside the keyboard's file. */
    s = tr_parse(NULL, "msfs_defaulft_keyboard.xml", NULL);
    assert_int_equal(s.n, 7);
    b = tr_find(&s, "KEY_PARKING_BRAKES", 0);
    assert_string_equal(b->input.device, "Keyboard");
    assert_int_equal(b->input.pid, 0);
    assert_string_equal(b->input.control, "key:NumpadDecimal");
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_string_equal(tr_find(&s, "KEY_SELECT_4", 0)->input.control, "key:4");
    assert_string_equal(tr_find(&s, "KEY_SELECT_4", 1)->input.control, "key:Numpad4");
    assert_string_equal(tr_find(&s, "KEY_ZOOM_IN", 0)->input.control, "key:Equals");
    b = tr_find(&s, "KEY_TOGGLE_NAVLOG", 0);
    assert_string_equal(b->input.control, "key:IntlBackslash");
    assert_string_equal(b->modifiers[0].control, "key:LeftAlt");
    assert_string_equal(tr_find(&s, "KEY_PAUSE_TOGGLE", 0)->input.control, "key:Enter");
    b = tr_find(&s, "KEY_FREE_LOOK", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:2");
    bindings_free(&s);

    /* XInput pad names. */
    s = tr_parse(NULL, "msfs_defaulft_gamepad.xml", NULL);
    assert_int_equal(s.n, 3);
    b = tr_find(&s, "KEY_GEAR_TOGGLE", 0);
    assert_string_equal(b->input.device, "XInput Gamepad");
    assert_string_equal(b->input.control, "pad:a");
    assert_string_equal(b->modifiers[0].control, "pad:lb");
    b = tr_find(&s, "KEY_AXIS_AILERONS_SET", 0);
    assert_string_equal(b->input.control, "pad:lx");
    assert_int_equal(b->is_axis, 1);
    assert_string_equal(tr_find(&s, "KEY_PAUSE_TOGGLE", 0)->input.control, "pad:start");
    bindings_free(&s);
}

/* A saved profile in Windows-1252 with CRLF, a product GUID, and entries the sim skips. */
static void test_msfs_saved_quirks(void **state)
{
    binding_set s = tr_parse(NULL, "msfs_saved_warthog_cp1252.xml", NULL);
    assert_string_equal(s.profile, "Rudder & stick - J\xc3\xbcrgen");
    assert_int_equal(s.n, 3);
    const binding *b = tr_find(&s, "KEY_AXIS_ELEVATOR_SET", 0);
    assert_int_equal(b->input.vid, 0x044F); /* {0402044F-...-504944564944} */
    assert_int_equal(b->input.pid, 0x0402);
    assert_float_equal(b->deadzone, 0.03, 1e-9);
    assert_int_equal(b->line, 11);
    b = tr_find(&s, "KEY_RUDDER_LEFT", 0);
    assert_string_equal(b->input.control, "axis:rz");
    assert_int_equal(b->is_axis, 0);
    /* The Primary with an unreadable KEY is left out; its Secondary still counts. */
    assert_int_equal(tr_count(&s, "KEY_GEAR_TOGGLE"), 1);
    assert_int_equal(tr_find(&s, "KEY_GEAR_TOGGLE", 0)->secondary, 1);
    assert_int_equal(tr_count(&s, "KEY_FLAPS_INCR"), 0);

    assert_int_equal(s.n_warnings, 4);
    assert_int_equal(s.warnings[0].line, 6);
    assert_string_equal(s.warnings[0].what, "<Axis>");
    assert_string_equal(s.warnings[0].why, "AxisDeadZone \"lots\" is not a percentage; ignored");
    assert_int_equal(s.warnings[1].line, 20);
    assert_string_equal(s.warnings[1].why, "no ActionName attribute; its bindings are left out");
    assert_int_equal(s.warnings[2].line, 27);
    assert_string_equal(s.warnings[2].what, "<KEY> of KEY_GEAR_TOGGLE");
    assert_string_equal(s.warnings[2].why, "no Information attribute; binding left out");
    assert_int_equal(s.warnings[3].line, 40);
    assert_string_equal(s.warnings[3].why, "more than 5 keys in one combination; binding left out");
    bindings_free(&s);
}

/* UTF-16 with a BOM whose declaration still says so: converted, then read as UTF-8. German
 * keys by their places; mouse inputs kept in the keyboard's profile. */
static void test_msfs_keyboard_iso(void **state)
{
    binding_set s = tr_parse(NULL, "msfs_keyboard_de_utf16.xml", NULL);
    assert_string_equal(s.profile, "Tastatur");
    assert_int_equal(s.n, 6);
    const binding *b = tr_find(&s, "KEY_TOGGLE_NAVLOG", 0);
    assert_string_equal(b->input.control, "key:Apostrophe");
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_int_equal(b->line, 7);
    assert_string_equal(tr_find(&s, "KEY_ATC", 0)->input.control, "key:Backslash");
    assert_string_equal(tr_find(&s, "KEY_ATC", 1)->input.control, "key:IntlBackslash");
    b = tr_find(&s, "KEY_ZOOM_IN", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "axis:z");
    assert_int_equal(b->is_axis, 0);
    b = tr_find(&s, "KEY_ZOOM_IN", 1);
    assert_string_equal(b->input.control, "button:2");
    assert_string_equal(b->modifiers[0].device, "Keyboard");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");
    /* A key we have no place for keeps the sim's name. */
    assert_string_equal(tr_find(&s, "KEY_SMOKE_TOGGLE", 0)->input.control, "key:\xe1\xba\x9e");
    bindings_free(&s);
}

static void test_msfs_errors(void **state)
{
    /* Unreadable entries are warnings; the file parses. */
    const char *text = "<Version Num=\"1\"/>\n<Device DeviceName=\"X\" ProductID=\"1\">\n"
                       "<Context ContextName=\"PLANE\"><Action ActionName=\"KEY_A\">\n"
                       "<Primary><KEY>3</KEY></Primary></Action></Context></Device>\n"
                       "<Device>\n<Context><Action ActionName=\"KEY_B\"><Primary>"
                       "<KEY Information=\"Joystick Button 1\">0</KEY></Primary></Action></Context>\n"
                       "</Device>\n";
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(GT, "msfs2020", text, strlen(text), &s, &e), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_warnings, 2);
    assert_int_equal(s.warnings[0].line, 4);
    assert_string_equal(s.warnings[0].why, "no Information attribute; binding left out");
    assert_int_equal(s.warnings[1].line, 5);
    assert_string_equal(s.warnings[1].what, "<Device>");
    assert_string_equal(s.warnings[1].why, "no DeviceName attribute; its bindings are left out");
    bindings_free(&s);

    e = tr_fail("msfs2020", NULL, "<Version Num=\"1\"/>\n<FriendlyName>x</FriendlyName>\n");
    assert_string_equal(e.msg, "line 1: no <Device> element, not an MSFS input profile");

    e = tr_fail("msfs2020", NULL, "<Version Num=\"1\"/>\n\n<Bogus/>\n");
    assert_string_equal(e.msg, "line 3: unexpected top-level element <Bogus> in an MSFS input profile");

    e = tr_fail("msfs2020", "bad_billion_laughs.xml", NULL);
    assert_string_equal(e.msg, "line 2: DOCTYPE declarations are not allowed in a binding file");
    /* Inside the sim's root the DTD is refused all the same. */
    e = tr_fail(NULL, NULL,
                "<?xml version=\"1.0\"?>\n<!DOCTYPE DefaulftInput [<!ENTITY a \"aaaa\">]>\n"
                "<DefaulftInput><Device DeviceName=\"&a;\"/></DefaulftInput>\n");
    assert_string_equal(e.msg, "line 2: DOCTYPE declarations are not allowed in a binding file");

    /* Cut short: the line of the end of the data, and a hint. */
    size_t len;
    char *data = tr_read(TR_DATA "msfs_keyboard.xml", &len);
    data[2990] = 0;
    e = tr_fail("msfs2020", NULL, data);
    assert_string_equal(e.msg, "line 109: unexpected end of file (truncated file?)");
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msfs_stick),
        cmocka_unit_test(test_msfs_throttle),
        cmocka_unit_test(test_msfs_keyboard),
        cmocka_unit_test(test_msfs_default_input_form),
        cmocka_unit_test(test_msfs_defaulft_input),
        cmocka_unit_test(test_msfs_saved_quirks),
        cmocka_unit_test(test_msfs_keyboard_iso),
        cmocka_unit_test(test_msfs_errors),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
