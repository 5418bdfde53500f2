/* test_refcard_bms.c — the Falcon BMS parser: keyfiles as the launcher saves them (CRLF,
 * Windows-1252, tabs, trailing fields, device comments, 128 buttons a device) and as players
 * edit them by hand (UTF-8 BOM, 32 buttons a device, shift +256), with and without
 * DeviceSorting.txt, and the launcher's Setup.v100 XML. Fixtures: tests/data/bindings/bms_*
 * (see tests/data/bindings/README.md for the real files they imitate). */
#include "test_refcard_util.h"

/* Parse fixtures as one upload: pairs of (fixture, name as uploaded), NULL-terminated. */
static int parse_upload(binding_set *s, err_t *e, ...)
{
    games_file files[6];
    char *data[6];
    size_t n = 0;
    va_list ap;
    va_start(ap, e);
    for (const char *fix; n < 6 && (fix = va_arg(ap, const char *));) {
        char path[256];
        snprintf(path, sizeof path, TR_DATA "%s", fix);
        files[n].name = va_arg(ap, const char *);
        data[n] = tr_read(path, &files[n].len);
        files[n].data = data[n];
        n++;
    }
    va_end(ap);
    games_bundle b = {files, n};
    int rc = games_parse_bundle(GT, NULL, &b, s, e);
    for (size_t i = 0; i < n; i++)
        free(data[i]);
    return rc;
}

static binding_set upload(const char *key, const char *sorting)
{
    binding_set s;
    err_t e = {0};
    int rc = sorting ? parse_upload(&s, &e, key, "User/Config/BMS - Auto.key", sorting,
                                    "User/Config/DeviceSorting.txt", NULL)
                     : parse_upload(&s, &e, key, "BMS - Auto.key", NULL);
    if (rc != 0)
        print_error("%s: %s\n", key, e.msg);
    assert_int_equal(rc, 0);
    return s;
}

/* The binding on line, or fail. */
static const binding *at_line(const binding_set *s, int line)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].line == line)
            return &s->items[i];
    print_error("no binding from line %d\n", line);
    fail();
    return NULL;
}

static int has_line(const binding_set *s, int line)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].line == line)
            return 1;
    return 0;
}

static const bind_warning *warning_at(const binding_set *s, int line, const char *what)
{
    for (size_t i = 0; i < s->n_warnings; i++)
        if (s->warnings[i].line == line && strcmp(s->warnings[i].what, what) == 0)
            return &s->warnings[i];
    print_error("no warning for line %d %s\n", line, what);
    fail();
    return NULL;
}

static void test_bms_keyboard(void **state)
{
    binding_set s = upload("bms_auto.key", "bms_DeviceSorting.txt");
    assert_string_equal(s.game, "bms");
    assert_string_equal(s.game_name, "Falcon BMS");
    assert_string_equal(s.profile, "BMS - Auto"); /* the title headline */
    assert_int_equal(s.n, 18);

    const binding *b = at_line(&s, 18);
    assert_string_equal(b->action_id, "SimOverHeat");
    assert_string_equal(b->action, "TEST: FIRE & OHEAT DETECT Button - Hold");
    assert_string_equal(b->context, "Left console"); /* "2. LEFT CONSOLE" via context_names */
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:F1");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Keyboard");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");
    assert_string_equal(b->activation, "");

    b = at_line(&s, 20); /* Ctrl (2) + left arrow (0xCB) */
    assert_string_equal(b->input.control, "key:LeftArrow");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");

    /* Windows-1252 "°" arrives as UTF-8. */
    assert_string_equal(at_line(&s, 21)->action, "MAIN: HSI HDG Knob - Increase (5\xc2\xb0)");
    assert_string_equal(at_line(&s, 21)->input.control, "key:Apostrophe");

    /* Two strokes: Alt+C, then C. */
    b = at_line(&s, 23);
    assert_string_equal(b->input.control, "key:C");
    assert_int_equal(b->n_modifiers, 0);
    assert_string_equal(b->activation, "after Alt+C");
    assert_string_equal(at_line(&s, 24)->activation, "after Shift+T");
    /* 0XFFFFFFFF in the combo field: no first stroke; hidden (-2) lines still bind. */
    b = at_line(&s, 25);
    assert_string_equal(b->activation, "");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");

    /* Tab-separated, the ISO key 0x56, Shift+Ctrl (3). */
    b = at_line(&s, 26);
    assert_string_equal(b->input.control, "key:IntlBackslash");
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");
    assert_string_equal(b->modifiers[1].control, "key:LeftControl");

    /* Trailing spaces and extra fields after the description. */
    assert_string_equal(at_line(&s, 33)->input.control, "key:Space");
    assert_string_equal(at_line(&s, 33)->context, "Right console");
    assert_string_equal(at_line(&s, 35)->input.control, "key:B");

    /* SimDoNothing lines document hard-coded keys (Esc, F1): BMS binds nothing to them. */
    assert_int_equal(tr_count(&s, "SimDoNothing"), 0);
    assert_false(has_line(&s, 13));
    assert_false(has_line(&s, 19)); /* unbound 0XFFFFFFFF */

    assert_string_equal(warning_at(&s, 27, "SimKanaKey")->why, "scan code 0x70 is no key we know");
    assert_contains(warning_at(&s, 28, "SimTooFew")->why, "3 fields");
    assert_string_equal(warning_at(&s, 28, "SimTooFew")->file, "User/Config/BMS - Auto.key");
    bindings_free(&s);
}

static void test_bms_joystick_with_sorting(void **state)
{
    binding_set s = upload("bms_auto.key", "bms_DeviceSorting.txt");
    /* Launcher layout: 128 buttons a device, Viper TQS first, Warthog from DX 128. */
    const binding *b = at_line(&s, 39);
    assert_string_equal(b->action_id, "SimCommsSwitchLeft");
    assert_string_equal(b->input.device, "Viper TQS");
    assert_int_equal(b->input.vid, 0x044F);
    assert_int_equal(b->input.pid, 0x0412);
    assert_string_equal(b->input.control, "button:1");
    assert_string_equal(b->action, "TQS: COMMS Switch Left - IFF OUT"); /* the table: no key line */

    b = at_line(&s, 46);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->input.pid, 0x0402);
    assert_string_equal(b->input.control, "button:1");
    assert_string_equal(b->action, "STICK: FIRST TRIGGER DETENT"); /* from its keyboard line */
    assert_string_equal(b->context, "Right console");

    /* 266 = 10 + 256 (2 devices x 128): the TQS's button 11 with the pinky held. */
    b = at_line(&s, 40);
    assert_string_equal(b->input.device, "Viper TQS");
    assert_string_equal(b->input.control, "button:11");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->modifiers[0].control, "button:3");
    b = at_line(&s, 50);
    assert_string_equal(b->input.control, "button:4");
    assert_string_equal(b->modifiers[0].control, "button:3");
    /* The pinky's own shifted line only keeps the layer: no binding. */
    assert_int_equal(tr_count(&s, "SimHotasPinkyShift"), 1);

    /* 0x42: on release; a trailing "#comment" field; "#SimX" comment lines. */
    b = at_line(&s, 41);
    assert_string_equal(b->input.control, "button:20");
    assert_string_equal(b->activation, "on release");
    assert_false(has_line(&s, 42));
    assert_false(has_line(&s, 43)); /* SimDoNothing on a button blocks it */

    /* POV #0 is the Warthog's (its launcher comment), slot 2 the same hat shifted. */
    b = at_line(&s, 55);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "hat:1:up");
    b = at_line(&s, 56);
    assert_string_equal(b->input.control, "hat:1:up");
    assert_string_equal(b->modifiers[0].control, "button:3");
    assert_string_equal(b->action, "STICK: TRIM Up - Nose Down");
    assert_false(has_line(&s, 58));

    assert_contains(warning_at(&s, 51, "SimTMSUp")->why, "\"x134\" is not a number");
    assert_contains(warning_at(&s, 59, "OTWViewLeft")->why, "0-7");
    assert_contains(warning_at(&s, 60, "SimTMSDown")->why, "past any device");
    assert_false(has_line(&s, 61)); /* scan code 0: unbound, as 0XFFFFFFFF */
    for (size_t i = 0; i < s.n_warnings; i++)
        assert_string_not_equal(s.warnings[i].what, "DeviceSorting.txt");
    bindings_free(&s);
}

static void test_bms_joystick_without_sorting(void **state)
{
    /* The launcher's "#======== <device> ========" comments name the devices. */
    binding_set s = upload("bms_auto.key", NULL);
    assert_int_equal(s.n, 18);
    const binding *b = at_line(&s, 40);
    assert_string_equal(b->input.device, "Viper TQS");
    assert_int_equal(b->input.vid, 0);
    assert_string_equal(b->input.control, "button:11");
    assert_string_equal(at_line(&s, 46)->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(at_line(&s, 46)->input.control, "button:1");
    const bind_warning *w = warning_at(&s, 0, "DeviceSorting.txt");
    assert_contains(w->why, "named from the keyfile's comments");
    bindings_free(&s);
}

static void test_bms_hand_edited(void **state)
{
    /* UTF-8 BOM, LF, 32 buttons a device, shift +256, no device comments. */
    binding_set s = tr_parse("bms", "bms_basic_dx.key", NULL);
    assert_string_equal(s.profile, "BMS - BasicDX Hand Edited"); /* the title line */
    bindings_free(&s);
    s = upload("bms_basic_dx.key", NULL);
    assert_string_equal(s.profile, "BMS - Auto"); /* the file's own name comes first */
    assert_int_equal(s.n, 12);
    const binding *b = at_line(&s, 16);
    assert_string_equal(b->input.device, "Joystick 1");
    assert_string_equal(b->input.control, "button:1");
    b = at_line(&s, 24); /* 256: the stick's button 1, shifted */
    assert_string_equal(b->input.device, "Joystick 1");
    assert_string_equal(b->input.control, "button:1");
    assert_string_equal(b->modifiers[0].device, "Joystick 1");
    assert_string_equal(b->modifiers[0].control, "button:3");
    b = at_line(&s, 30); /* 33: the second device's button 2 */
    assert_string_equal(b->input.device, "Joystick 2");
    assert_string_equal(b->input.control, "button:2");
    b = at_line(&s, 33); /* 300 = 256 + 44: device 2, button 13, shifted */
    assert_string_equal(b->input.device, "Joystick 2");
    assert_string_equal(b->input.control, "button:13");
    assert_string_equal(b->modifiers[0].control, "button:3");
    assert_string_equal(at_line(&s, 32)->activation, "on release");
    /* POV slot 0 goes to the stick (the trigger's device); slot 2 is it shifted. */
    assert_string_equal(at_line(&s, 20)->input.control, "hat:1:up");
    assert_string_equal(at_line(&s, 27)->input.control, "hat:1:up");
    assert_int_equal(at_line(&s, 27)->n_modifiers, 1);
    /* said once */
    int n = 0;
    for (size_t i = 0; i < s.n_warnings; i++)
        n += strcmp(s.warnings[i].what, "DeviceSorting.txt") == 0;
    assert_int_equal(n, 1);
    assert_contains(warning_at(&s, 0, "DeviceSorting.txt")->why, "Joystick 1, Joystick 2");
    bindings_free(&s);
}

static void test_bms_alike_devices(void **state)
{
    binding_set s = upload("bms_basic_dx.key", "bms_twin_DeviceSorting.txt");
    const binding *left = at_line(&s, 16), *right = at_line(&s, 30);
    assert_string_equal(left->input.device, "VKBsim Gladiator EVO");
    assert_string_equal(right->input.device, "VKBsim Gladiator EVO");
    assert_int_equal(left->input.device_index, 0);
    assert_int_equal(right->input.device_index, 1);
    assert_int_equal(right->input.vid, 0x231D);
    assert_int_equal(right->input.pid, 0x0200);
    assert_int_equal(s.n_warnings, 0);
    bindings_free(&s);
}

/* Falcon BMS User.cfg says what the keyfile cannot: 128 buttons a device, and the device
 * of each POV ("g_nPOV1DeviceID 3": DeviceSorting's second device; 2 is the first). */
static void test_bms_user_cfg(void **state)
{
    binding_set s;
    err_t e = {0};
    assert_int_equal(parse_upload(&s, &e, "bms_basic_dx.key", "BMS - Auto.key", "bms_DeviceSorting.txt",
                                  "DeviceSorting.txt", "bms_user.cfg", "User/Config/Falcon BMS User.cfg",
                                  NULL),
                     0);
    assert_int_equal(s.n, 12);
    assert_int_equal(s.n_warnings, 0); /* the .cfg is a companion, not an unknown file */
    const binding *b = at_line(&s, 30); /* DX 33: the first device's button 34 */
    assert_string_equal(b->input.device, "Viper TQS");
    assert_string_equal(b->input.control, "button:34");
    b = at_line(&s, 33); /* 300 = 256 + 44 */
    assert_string_equal(b->input.control, "button:45");
    assert_int_equal(b->n_modifiers, 1);
    b = at_line(&s, 20); /* POV slot 0 on the Warthog (id 3), its hat 1 */
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "hat:1:up");
    bindings_free(&s);
}

/* Several keyfiles in one upload (BMS 4.38 keeps "BMS - Auto-F15ABCD.key" for the F-15):
 * each file is a module. */
static void test_bms_two_keyfiles(void **state)
{
    binding_set s;
    err_t e = {0};
    assert_int_equal(parse_upload(&s, &e, "bms_auto.key", "BMS - Auto.key", "bms_basic_dx.key",
                                  "BMS - Auto-F15ABCD.key", "bms_DeviceSorting.txt", "DeviceSorting.txt",
                                  NULL),
                     0);
    assert_int_equal(s.n, 18 + 12);
    assert_string_equal(at_line(&s, 18)->module, "BMS - Auto");
    assert_string_equal(at_line(&s, 30)->module, "BMS - Auto-F15ABCD");
    /* both read with the same DeviceSorting.txt: 2 devices, 32/256 for the hand-edited one */
    assert_string_equal(at_line(&s, 30)->input.device, "Joystick - HOTAS Warthog");
    bindings_free(&s);
}

static void test_bms_setup_xml(void **state)
{
    binding_set s;
    err_t e = {0};
    /* Alone: axes, the POV and buttons of this device; profile copies are left alone. */
    assert_int_equal(parse_upload(&s, &e, "bms_setup_viper_tqs.xml",
                                  "Setup.v100.Viper TQS {DD6F5B30-3344-11EF-8001-444553540000}.xml",
                                  NULL),
                     0);
    assert_int_equal(s.n, 15);
    const binding *b = tr_find(&s, "Range_Knob", 0);
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->inverted, 1);
    assert_float_equal(b->deadzone, 0.05, 1e-9);
    assert_string_equal(b->input.device, "Viper TQS");
    assert_string_equal(b->input.control, "axis:rz");
    assert_string_equal(b->context, "Axes");
    assert_string_equal(tr_find(&s, "Cursor_X", 0)->action, "Radar Cursor X");
    assert_float_equal(tr_find(&s, "Cursor_X", 0)->deadzone, 0.01, 1e-9);
    assert_string_equal(tr_find(&s, "Throttle", 0)->input.control, "axis:z");
    assert_string_equal(tr_find(&s, "OTWViewLeft", 0)->input.control, "hat:1:left");
    b = tr_find(&s, "AFElevatorTrimUp", 0);
    assert_string_equal(b->input.control, "hat:1:up");
    assert_string_equal(b->modifiers[0].control, "button:2");
    b = tr_find(&s, "SimRadarCursorZero", 0);
    assert_string_equal(b->input.control, "button:3");
    assert_string_equal(b->modifiers[0].control, "button:2");
    assert_string_equal(tr_find(&s, "AFBrakesIn", 0)->activation, "on release");
    assert_int_equal(tr_count(&s, "SimF15Only"), 0);
    assert_int_equal(tr_count(&s, "SimDoNothing"), 0);
    bindings_free(&s);

    /* With a keyfile, the keyfile has the buttons: the XML adds its axes, with USB ids from
     * DeviceSorting.txt (the file name has the instance GUID). */
    assert_int_equal(parse_upload(&s, &e, "bms_auto.key", "BMS - Auto.key", "bms_DeviceSorting.txt",
                                  "DeviceSorting.txt", "bms_setup_viper_tqs.xml",
                                  "Setup.v100.Viper TQS {DD6F5B30-3344-11EF-8001-444553540000}.xml",
                                  NULL),
                     0);
    assert_int_equal(s.n, 18 + 5);
    assert_string_equal(s.profile, "BMS - Auto");
    b = tr_find(&s, "Throttle", 0);
    assert_int_equal(b->input.pid, 0x0412);
    assert_int_equal(b->input.vid, 0x044F);
    assert_int_equal(tr_count(&s, "SimCommsSwitchLeft"), 1);
    bindings_free(&s);
}

static void test_bms_detect_and_refuse(void **state)
{
    err_t e = {0};
    size_t len;
    char *data = tr_read(TR_DATA "bms_dx_only.key", &len);
    assert_string_equal(games_detect(GT, data, len, &e), "bms"); /* no SimDoNothing line at all */
    free(data);
    data = tr_read(TR_DATA "bms_setup_viper_tqs.xml", &len);
    assert_string_equal(games_detect(GT, data, len, &e), "bms");
    free(data);

    binding_set s = tr_parse(NULL, "bms_dx_only.key", "my stick.key");
    assert_int_equal(s.n, 3);
    assert_string_equal(s.profile, "my stick");
    bindings_free(&s);

    e = tr_fail(NULL, "bms_blank.key", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 2: the keyfile binds no key, button or hat");
    e = tr_fail("bms", NULL, "hello world\r\n");
    assert_prefix(e.msg, "line 1: no keyfile line");
    e = tr_fail("falcon", NULL, "<JoyAssgn><axis><AxAssgn><AxisName /></AxAssgn></axis></JoyAssgn>");
    assert_prefix(e.msg, "line 1: the setup file of Joystick assigns no axis");
    e = tr_fail("bms", NULL, "<Other/>");
    assert_contains(e.msg, "not a BMS launcher <JoyAssgn> setup file");
    /* DeviceSorting.txt alone completes a keyfile; it is not one. */
    e = tr_fail(NULL, "bms_DeviceSorting.txt", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bms_keyboard),
        cmocka_unit_test(test_bms_joystick_with_sorting),
        cmocka_unit_test(test_bms_joystick_without_sorting),
        cmocka_unit_test(test_bms_hand_edited),
        cmocka_unit_test(test_bms_alike_devices),
        cmocka_unit_test(test_bms_user_cfg),
        cmocka_unit_test(test_bms_two_keyfiles),
        cmocka_unit_test(test_bms_setup_xml),
        cmocka_unit_test(test_bms_detect_and_refuse),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
