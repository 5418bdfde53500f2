/* test_refcard_elite.c — the Elite Dangerous .binds parser, field by field. */
#include "test_refcard_util.h"

static void test_elite_file(void **state)
{
    binding_set s = tr_parse(NULL, "elite_warthog.binds", NULL);
    assert_string_equal(s.game, "elite");
    assert_string_equal(s.game_name, "Elite Dangerous");
    assert_string_equal(s.profile, "Warthog HOSAS Custom");
    assert_int_equal(s.n, 149);

    /* Axis on an unknown device named by VID+PID, with a dead zone. */
    const binding *b = tr_find(&s, "YawAxisRaw", 0);
    assert_string_equal(b->action, "Yaw");
    assert_string_equal(b->context, "Ship");
    assert_string_equal(b->input.device, "044FB679");
    assert_int_equal(b->input.vid, 0x044F);
    assert_int_equal(b->input.pid, 0xB679);
    assert_string_equal(b->input.control, "axis:rz");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->inverted, 0);
    assert_float_equal(b->deadzone, 0.05, 1e-6);
    assert_int_equal(b->secondary, 0);
    assert_int_equal(b->n_modifiers, 0);
    assert_int_equal(b->line, 18);

    b = tr_find(&s, "PitchAxisRaw", 0);
    assert_string_equal(b->input.device, "ThrustMasterWarthogJoystick");
    assert_int_equal(b->input.device_index, 0);
    assert_int_equal(b->input.vid, 0);
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->inverted, 1);
    assert_float_equal(b->deadzone, 0.02, 1e-6);

    /* Primary on a hat, secondary on the keyboard. */
    assert_int_equal(tr_count(&s, "LeftThrustButton"), 2);
    b = tr_find(&s, "LeftThrustButton", 0);
    assert_string_equal(b->input.control, "hat:1:left");
    assert_int_equal(b->secondary, 0);
    assert_int_equal(b->is_axis, 0);
    b = tr_find(&s, "LeftThrustButton", 1);
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:Z");
    assert_int_equal(b->secondary, 1);
    assert_int_equal(b->line, 65);

    /* Joystick modifier on another button of the same device. */
    b = tr_find(&s, "ToggleFlightAssist", 0);
    assert_string_equal(b->action, "Flight Assist");
    assert_string_equal(b->input.device, "ThrustMasterWarthogThrottle");
    assert_string_equal(b->input.control, "button:16");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "ThrustMasterWarthogThrottle");
    assert_string_equal(b->modifiers[0].control, "button:14");

    /* Two keyboard modifiers. */
    b = tr_find(&s, "HMDReset", 0);
    assert_string_equal(b->input.control, "key:F12");
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_string_equal(b->modifiers[1].control, "key:LeftShift");
    assert_string_equal(b->modifiers[1].device, "Keyboard");

    /* Mouse kept as device "Mouse". */
    b = tr_find(&s, "PrimaryFire", 1);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:1");
    assert_int_equal(b->secondary, 1);

    /* Slider axis, context from the table. */
    b = tr_find(&s, "CamZoomAxis", 0);
    assert_string_equal(b->input.control, "axis:slider1");
    assert_string_equal(b->context, "Galaxy map");
    assert_int_equal(b->inverted, 1);

    /* Gamepad with a gamepad modifier; on-foot context from the rules. */
    b = tr_find(&s, "HumanoidItemWheelButton", 1);
    assert_string_equal(b->input.device, "GamePad");
    assert_string_equal(b->input.control, "pad:y");
    assert_string_equal(b->modifiers[0].control, "pad:lb");
    assert_string_equal(b->context, "On foot");
    b = tr_find(&s, "HumanoidForwardAxis", 0);
    assert_string_equal(b->input.control, "pad:ly");
    assert_float_equal(b->deadzone, 0.15, 1e-6);

    assert_string_equal(tr_find(&s, "SteeringAxis", 0)->context, "SRV");
    assert_string_equal(tr_find(&s, "YawAxis_Landing", 0)->context, "Ship (landing)");
    assert_string_equal(tr_find(&s, "SetSpeed100", 0)->input.control, "key:NumpadPlus");
    assert_string_equal(tr_find(&s, "SystemMapOpen", 0)->input.control, "key:Grave");
    assert_string_equal(tr_find(&s, "CycleNextTarget", 0)->input.control, "hat:2:right");

    /* Unbound actions and settings yield nothing. */
    assert_int_equal(tr_count(&s, "Hyperspace"), 0);
    assert_int_equal(tr_count(&s, "AheadThrust"), 0);
    assert_int_equal(tr_count(&s, "MicrophoneMute"), 0);
    assert_int_equal(tr_count(&s, "MouseXMode"), 0);
    assert_int_equal(tr_count(&s, "KeyboardLayout"), 0);
    bindings_free(&s);
}

static binding_set parse_text(const char *text)
{
    binding_set s;
    err_t e = {0};
    int rc = games_parse(GT, "elite", text, strlen(text), &s, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    return s;
}

static void test_elite_controls(void **state)
{
    binding_set s = parse_text(
        "<Root PresetName=\"t\">\n"
        "<A><Primary Device=\"SaitekX56Throttle\" DeviceIndex=\"1\" Key=\"Joy_VAxis\"/>"
        "<Secondary Device=\"VKBGladiatorNXTEVO\" Key=\"Neg_Joy_XAxis\"/></A>\n"
        "<B><Primary Device=\"Keyboard\" Key=\"Key_OEM_102\"/><Secondary Device=\"T16000M\" Key=\"Joy_Foo\"/></B>\n"
        "<C><Primary Device=\"Mouse\" Key=\"Mouse_XAxis\"/><Secondary Device=\"T16000M\" Key=\"Joy_128\"/></C>\n"
        "<D><Binding Device=\"231d0200\" Key=\"Joy_RXAxis\"/></D>\n"
        "</Root>\n");
    assert_int_equal(s.n, 7);
    assert_string_equal(s.items[0].input.control, "axis:slider2");
    assert_int_equal(s.items[0].input.device_index, 1);
    assert_int_equal(s.items[0].is_axis, 0); /* an axis bound to a button action */
    assert_string_equal(s.items[1].input.control, "axis:x");
    assert_string_equal(s.items[2].input.control, "key:IntlBackslash"); /* VK_OEM_102: the ISO key */
    assert_string_equal(s.items[3].input.control, "raw:Joy_Foo");
    assert_string_equal(s.items[4].input.control, "axis:x");
    assert_string_equal(s.items[4].input.device, "Mouse");
    assert_string_equal(s.items[5].input.control, "button:128");
    assert_int_equal(s.items[6].input.vid, 0x231D);
    assert_int_equal(s.items[6].input.pid, 0x0200);
    assert_int_equal(s.items[6].line, 5);
    /* Unknown actions get a readable split label. */
    assert_string_equal(s.items[0].action, "A");
    bindings_free(&s);
}

/* The first warning of s, or fail. */
static const bind_warning *warning_at(const binding_set *s, int line)
{
    for (size_t i = 0; i < s->n_warnings; i++)
        if (s->warnings[i].line == line)
            return &s->warnings[i];
    print_error("no warning on line %d\n", line);
    fail();
    return NULL;
}

/* What Frontier's presets and players' files do (tests/data/bindings/README.md). */
static void test_elite_quirks(void **state)
{
    binding_set s = tr_parse(NULL, "elite_quirks.binds", NULL); /* BOM, CRLF */
    assert_string_equal(s.profile, "Custom");
    assert_int_equal(s.n, 12);
    assert_int_equal(s.n_warnings, 5);

    /* Raw VID+PID device name, DeviceIndex, a named dead zone (the game's default). */
    const binding *b = tr_find(&s, "YawAxisRaw", 0);
    assert_string_equal(b->input.device, "231D0121");
    assert_int_equal(b->input.vid, 0x231D);
    assert_int_equal(b->input.pid, 0x0121);
    assert_int_equal(b->input.device_index, 1);
    assert_int_equal(b->inverted, 1);
    assert_float_equal(b->deadzone, 0, 0);
    assert_int_equal(b->line, 6);

    /* {NoDevice} with key="" is unbound, silently. */
    assert_int_equal(tr_count(&s, "RollAxisRaw"), 0);

    /* Lower-case key attribute and hex; a bad Inverted and an out-of-range Deadzone are
     * warnings and the axis still counts. */
    b = tr_find(&s, "PitchAxisRaw", 0);
    assert_int_equal(b->input.vid, 0x231D);
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->inverted, 0);
    assert_float_equal(b->deadzone, 0, 0);
    const bind_warning *w = warning_at(&s, 17);
    assert_string_equal(w->what, "<Inverted> of PitchAxisRaw");
    assert_string_equal(w->why, "Value \"yes\" is not a number; not inverted");
    assert_string_equal(warning_at(&s, 18)->why, "Value 7.5 is outside 0..1; ignored");

    /* A bound device without Key: skipped with a warning, not a failed file. */
    assert_int_equal(tr_count(&s, "ThrottleAxis"), 0);
    w = warning_at(&s, 21);
    assert_string_equal(w->what, "<Binding> of ThrottleAxis");
    assert_string_equal(w->why, "no Key attribute for device T16000MTHROTTLE");

    /* en-GB: the "\|" key is the ISO key, "#" sits where US boards have "\". */
    assert_string_equal(tr_find(&s, "LandingGearToggle", 0)->input.control, "key:IntlBackslash");
    b = tr_find(&s, "MicrophoneMute", 0);
    assert_string_equal(b->input.control, "key:Backslash");
    assert_string_equal(b->activation, "hold"); /* <ToggleOn Value="0"/> */
    assert_int_equal(tr_count(&s, "MicrophoneMute"), 1);
    assert_string_equal(warning_at(&s, 31)->why, "no Device attribute");

    /* Combo on the same raw-id device; ToggleOn Value="1" is a plain press. */
    b = tr_find(&s, "ToggleFlightAssist", 0);
    assert_string_equal(b->input.control, "button:5");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "button:1");
    assert_int_equal(b->modifiers[0].device_index, 1);
    assert_int_equal(b->modifiers[0].pid, 0x0121);
    assert_string_equal(b->activation, "");
    b = tr_find(&s, "ToggleFlightAssist", 1);
    assert_string_equal(b->input.device, "XB360 Pad");
    assert_string_equal(b->input.control, "pad:a");
    assert_int_equal(b->secondary, 1);

    /* Odyssey's gamepad names and <Hold Value="1"/> inside the slot. */
    b = tr_find(&s, "HumanoidItemWheelButton", 0);
    assert_string_equal(b->input.control, "pad:lb");
    assert_string_equal(b->activation, "hold");
    b = tr_find(&s, "HumanoidItemWheelButton", 1);
    assert_string_equal(b->input.control, "pad:a");
    assert_string_equal(b->activation, "");

    /* Lower-case "neg_" on a device we have no names for; half the mouse wheel. */
    assert_string_equal(tr_find(&s, "UI_Left", 0)->input.control, "raw:neg_OculusTouch_LStickX");
    b = tr_find(&s, "UI_Left", 1);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "axis:z");

    /* A fifth modifier is left out with a warning; the binding keeps four. */
    b = tr_find(&s, "HMDReset", 0);
    assert_int_equal(b->n_modifiers, 4);
    assert_string_equal(b->modifiers[3].control, "key:RightAlt");
    assert_string_equal(warning_at(&s, 57)->why, "more than 4 modifiers; Key_RightShift left out");

    assert_string_equal(tr_find(&s, "SelectTarget", 0)->input.control, "axis:rx");
    assert_int_equal(tr_find(&s, "SelectTarget", 0)->is_axis, 0);
    bindings_free(&s);
}

/* Keys follow <KeyboardLayout>: a Swiss board names keys by their characters. */
static void test_elite_layouts(void **state)
{
    binding_set s = tr_parse("elite", "elite_frch_keys.binds", NULL);
    assert_int_equal(s.n, 5);
    assert_string_equal(tr_find(&s, "MicrophoneMute", 0)->input.control, "key:IntlBackslash");
    assert_string_equal(tr_find(&s, "FreeCamSpeedInc", 0)->input.control, "key:Equals");
    assert_string_equal(tr_find(&s, "FreeCamSpeedInc", 1)->input.control, "key:Y"); /* QWERTZ */
    assert_string_equal(tr_find(&s, "FreeCamSpeedDec", 0)->input.control, "key:Minus");
    assert_string_equal(tr_find(&s, "FreeCamSpeedDec", 1)->input.control, "key:IntlBackslash");
    bindings_free(&s);

    /* Without a layout the same names take their US places. */
    const char *text = "<Root>\n<A><Primary Device=\"Keyboard\" Key=\"Key_Z\"/>"
                       "<Secondary Device=\"Keyboard\" Key=\"Key_BackSlash\"/></A>\n"
                       "<B><Primary Device=\"Keyboard\" Key=\"Key_LessThan\"/>"
                       "<Secondary Device=\"Keyboard\" Key=\"Key_Hash\"/></B>\n</Root>\n";
    err_t e = {0};
    assert_int_equal(games_parse(GT, "elite", text, strlen(text), &s, &e), 0);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.items[0].input.control, "key:Z");
    assert_string_equal(s.items[1].input.control, "key:Backslash");
    assert_string_equal(s.items[2].input.control, "key:IntlBackslash");
    assert_string_equal(s.items[3].input.control, "key:Backslash");
    bindings_free(&s);
}

static void test_elite_errors(void **state)
{
    /* Entries the game would skip are warnings; the rest of the file counts. */
    binding_set s = parse_text("<Root>\n<LandingGearToggle>\n<Primary Key=\"Key_L\"/>\n"
                               "<Secondary Device=\"Keyboard\" Key=\"Key_G\"/>\n</LandingGearToggle>\n"
                               "<X>\n<Binding Device=\"T16000M\"/>\n<Deadzone Value=\"wide\"/>\n</X>\n</Root>");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].input.control, "key:G");
    assert_int_equal(s.n_warnings, 2);
    assert_int_equal(s.warnings[0].line, 3);
    assert_string_equal(s.warnings[0].what, "<Primary> of LandingGearToggle");
    assert_string_equal(s.warnings[0].why, "no Device attribute");
    assert_int_equal(s.warnings[1].line, 7);
    assert_string_equal(s.warnings[1].why, "no Key attribute for device T16000M");
    bindings_free(&s);

    /* A file of only unreadable entries is still an Elite file, with nothing bound. */
    s = parse_text("<Root>\n<X>\n<Binding Device=\"T16000M\"/>\n</X>\n</Root>");
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_warnings, 1);
    bindings_free(&s);

    err_t e = tr_fail("elite", NULL, "<?xml version=\"1.0\"?>\n<Bindings/>\n");
    assert_string_equal(e.msg,
                        "line 2: root element <Bindings>, expected <Root> of an Elite Dangerous .binds file");

    e = tr_fail(NULL, "bad_truncated.binds", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 240: ");
    assert_contains(e.msg, "truncated");

    e = tr_fail(NULL, "bad_billion_laughs.binds", NULL);
    assert_string_equal(e.msg, "line 2: DOCTYPE declarations are not allowed in a binding file");
    e = tr_fail("elite", "bad_billion_laughs.binds", NULL);
    assert_string_equal(e.msg, "line 2: DOCTYPE declarations are not allowed in a binding file");

    /* Squadrons text forced through the Elite parser. */
    e = tr_fail("elite", "squadrons_warthog.profile", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 1: ");
}

static void test_elite_binding_limit(void **state)
{
    size_t n = GAMES_MAX_BINDINGS + 1;
    const char *one = "<A><Primary Device=\"Keyboard\" Key=\"Key_A\"/></A>\n";
    size_t cap = n * strlen(one) + 64;
    char *text = malloc(cap);
    size_t len = (size_t)sprintf(text, "<Root>\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "%s", one);
    sprintf(text + len, "</Root>\n");
    err_t e = tr_fail("elite", NULL, text);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 5002: more than 5000 bindings");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elite_file),
        cmocka_unit_test(test_elite_controls),
        cmocka_unit_test(test_elite_quirks),
        cmocka_unit_test(test_elite_layouts),
        cmocka_unit_test(test_elite_errors),
        cmocka_unit_test(test_elite_binding_limit),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
