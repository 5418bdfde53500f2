/* test_refcard_squadrons.c — the Star Wars: Squadrons profile parser, field by field. */
#include "test_refcard_util.h"

static void test_squadrons_file(void **state)
{
    binding_set s = tr_parse(NULL, "squadrons_warthog.profile", NULL);
    assert_string_equal(s.game, "squadrons");
    assert_string_equal(s.game_name, "Star Wars: Squadrons");
    assert_string_equal(s.profile, "");
    assert_int_equal(s.n, 96);

    /* Throttle: slot 2 the Z axis on joystick 1, slot 3 the same axis inverted. */
    assert_int_equal(tr_count(&s, "ConceptThrottle"), 4);
    const binding *b = tr_find(&s, "ConceptThrottle", 2);
    assert_string_equal(b->action, "Throttle");
    assert_string_equal(b->context, "Starship");
    assert_string_equal(b->input.device, "Throttle - HOTAS Warthog");
    assert_string_equal(b->input.control, "axis:z");
    assert_int_equal(b->is_axis, 1);
    assert_int_equal(b->inverted, 0);
    assert_int_equal(b->secondary, 0);
    b = tr_find(&s, "ConceptThrottle", 3);
    assert_int_equal(b->inverted, 1);
    assert_int_equal(b->secondary, 1);
    assert_int_equal(b->line, 795);

    /* Axis codes 8/9 on the stick. */
    b = tr_find(&s, "ConceptPitch", 2);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_string_equal(b->input.control, "axis:y");
    assert_string_equal(tr_find(&s, "ConceptRoll", 2)->input.control, "axis:x");
    assert_string_equal(tr_find(&s, "ConceptYaw", 1)->input.control, "axis:rz");

    /* Slider on the pedals, fifth joystick. */
    b = tr_find(&s, "ConceptYaw", 2);
    assert_string_equal(b->input.device, "T.Flight Rudder Pedals");
    assert_string_equal(b->input.control, "axis:slider1");
    assert_int_equal(b->inverted, 1);

    /* Two alike sticks: the second is device index 1. */
    b = tr_find(&s, "ConceptFire", 3);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->input.device_index, 1);
    assert_int_equal(b->secondary, 1);

    /* Buttons 1..18 (codes 22..39), 19+ (codes 64+), hats (48+). */
    assert_string_equal(tr_find(&s, "ConceptFire", 2)->input.control, "button:1");
    assert_string_equal(tr_find(&s, "ConceptPushTalk", 1)->input.control, "button:27");
    assert_string_equal(tr_find(&s, "ConceptTargetSelect", 2)->input.control, "hat:1:up");
    assert_string_equal(tr_find(&s, "ConceptTargetHighestThreat", 1)->input.control, "hat:2:up");

    /* Keyboard scan codes, a held modifier. */
    b = tr_find(&s, "ConceptDrift", 0);
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:LeftShift");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_string_equal(tr_find(&s, "ConceptActivate", 0)->input.control, "key:Enter");
    assert_string_equal(tr_find(&s, "ConceptControlEnginePower", 0)->input.control, "key:LeftArrow");

    /* Gamepad buttons and axes, menus and hangar contexts. */
    b = tr_find(&s, "ConceptActivate", 1);
    assert_string_equal(b->input.device, "Gamepad");
    assert_string_equal(b->input.control, "pad:a");
    assert_string_equal(b->context, "Menus");
    b = tr_find(&s, "ConceptMoveForward", 1);
    assert_string_equal(b->input.control, "pad:ly");
    assert_string_equal(b->context, "Hangar");

    /* Mouse, and a concept outside the table. */
    b = tr_find(&s, "ConceptMouseFire", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:1");
    assert_string_equal(b->action, "Mouse Fire");

    /* Unbound gamepad/joystick slots yield nothing. */
    assert_int_equal(tr_count(&s, "ConceptView"), 2);
    assert_int_equal(tr_count(&s, "ConceptCommMenu"), 2);
    bindings_free(&s);
}

static void test_squadrons_old_version(void **state)
{
    /* Before InputDataVersion 4 the "unbound" button code was 86. */
    const char *text =
        "GstInput.JoystickDevice1 Saitek Pro Flight X-55 Rhino Stick\n"
        "GstKeyBinding.InputDataVersion 3\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.axis 26\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.button 86\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.deviceid -1\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.type 3\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptLegend.2.axis 26\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptLegend.2.button 85\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptLegend.2.deviceid 0\n"
        "GstKeyBinding.IncomStarshipInputConcepts.ConceptLegend.2.type 3\n";
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(NULL, text, strlen(text), &s, &e), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].input.control, "button:40");
    assert_string_equal(s.items[0].input.device, "Saitek Pro Flight X-55 Rhino Stick");
    assert_int_equal(s.items[0].line, 7);
    bindings_free(&s);
}

static void test_squadrons_errors(void **state)
{
    err_t e = tr_fail(NULL, "bad_truncated.profile", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_string_equal(e.msg, "line 411: ConceptFire slot 2 has no \"type\" (truncated file?)");

    e = tr_fail("squadrons", NULL,
                "GstInput.MouseEnable 1\n"
                "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.0.button space\n");
    assert_string_equal(e.msg, "line 2: ConceptFire.0.button has value \"space\", not a number");

    e = tr_fail("squadrons", NULL, "GstInput.MouseEnable 1\n\n<html>\n");
    assert_string_equal(e.msg, "line 3: not a \"Setting value\" line of a Squadrons profile");

    e = tr_fail("squadrons", NULL, "GstInput.MouseEnable 1\nGstRender.Dx12Enabled 0\n");
    assert_string_equal(e.msg, "line 1: no GstKeyBinding lines, not a Squadrons profile");

    e = tr_fail("squadrons", NULL,
                "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.axis 26\n"
                "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.button 22\n"
                "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.deviceid 40\n"
                "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.2.type 3\n");
    assert_string_equal(e.msg, "line 1: ConceptFire slot 2: joystick deviceid 40 out of range");

    e = tr_fail("squadrons", "bad_garbage.bin", NULL);
    assert_prefix(e.msg, "line 1: ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_squadrons_file),
        cmocka_unit_test(test_squadrons_old_version),
        cmocka_unit_test(test_squadrons_errors),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
