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
    assert_int_equal(games_parse(GT, NULL, text, strlen(text), &s, &e), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].input.control, "button:40");
    assert_string_equal(s.items[0].input.device, "Saitek Pro Flight X-55 Rhino Stick");
    assert_int_equal(s.items[0].line, 7);
    bindings_free(&s);
}

/* A player's X-55 profile as the game writes it (MetaRefCard's test data): CRLF, the data
 * version last, an empty JoystickDevice3, alike sticks; lines the game would skip. */
static void test_squadrons_quirks(void **state)
{
    binding_set s = tr_parse(NULL, "squadrons_x55_quirks.profile", NULL);
    assert_int_equal(s.n, 8);
    /* InputDataVersion 2 comes last, yet 86 already means "unbound" in the slots above it. */
    assert_int_equal(tr_count(&s, "ConceptPushTalk"), 0);
    const binding *b = tr_find(&s, "ConceptFire", 2);
    assert_string_equal(b->input.device, "Saitek Pro Flight X-55 Rhino Stick");
    assert_int_equal(b->input.device_index, 0);
    assert_string_equal(b->input.control, "button:1");
    assert_int_equal(b->secondary, 0);
    b = tr_find(&s, "ConceptFire", 3);
    assert_int_equal(b->input.device_index, 1); /* JoystickDevice4, the second alike stick */
    assert_int_equal(b->secondary, 1);
    assert_int_equal(b->line, 31);
    b = tr_find(&s, "ConceptThrottle", 1);
    assert_int_equal(b->inverted, 1);
    assert_int_equal(b->secondary, 1);
    b = tr_find(&s, "ConceptDrift", 0);
    assert_string_equal(b->modifiers[0].control, "key:LeftControl");
    assert_string_equal(tr_find(&s, "ConceptMenu", 0)->context, "Menus");
    assert_int_equal(tr_find(&s, "ConceptMenu", 0)->secondary, 0);

    assert_int_equal(s.n_warnings, 5);
    static const struct {
        int line;
        const char *what, *why;
    } want[] = {
        {65, "ConceptBoost.0.button", "value \"space\" is not a number; left out"},
        {67, "ConceptMap", "slot \"x\" is not a number 0..99; line left out"},
        {68, "line", "not a \"Setting value\" line; left out"},
        {66, "ConceptBoost slot 0", "no \"button\" (truncated file?); left out"},
        {69, "ConceptRoll slot 2", "joystick deviceid 20 out of range; left out"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(s.warnings[i].line, want[i].line);
        assert_string_equal(s.warnings[i].what, want[i].what);
        assert_string_equal(s.warnings[i].why, want[i].why);
    }
    bindings_free(&s);
}

/* Thousands of slots: every action bound twice on one stick; the second is the alternate
 * (found through a hash of context, action and device, not by rescanning the list). */
static void test_squadrons_many(void **state)
{
    enum { ACTIONS = 1200 };
    size_t cap = ACTIONS * 2 * 4 * 96 + 128, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text + len, "GstInput.JoystickDevice1 T.16000M\n");
    for (int a = 0; a < ACTIONS; a++)
        for (int slot = 2; slot < 4; slot++) {
            const char *g = "GstKeyBinding.IncomStarshipInputConcepts.ConceptA";
            len += (size_t)sprintf(text + len, "%s%d.%d.axis 26\n%s%d.%d.button %d\n"
                                   "%s%d.%d.deviceid 0\n%s%d.%d.type 3\n",
                                   g, a, slot, g, a, slot, 22 + (a + slot) % 18, g, a, slot, g, a, slot);
        }
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(GT, "squadrons", text, len, &s, &e), 0);
    assert_int_equal(s.n, 2 * ACTIONS);
    size_t secondaries = 0;
    for (size_t i = 0; i < s.n; i++) {
        secondaries += s.items[i].secondary;
        assert_int_equal(s.items[i].secondary, (int)(i % 2));
    }
    assert_int_equal(secondaries, ACTIONS);
    assert_string_equal(s.items[2 * 777 + 1].action_id, "ConceptA777");
    assert_string_equal(s.items[2 * 777 + 1].input.control, "button:7"); /* code 22 + 780 % 18 = 28 */
    bindings_free(&s);
    free(text);
}

/* More distinct slots than the parser keeps is an error naming the line; a slot's fields on
 * many lines count once. */
static void test_squadrons_slot_limit(void **state)
{
    enum { SLOTS = 4 * GAMES_MAX_BINDINGS };
    size_t cap = (size_t)(SLOTS + 1) * 80 + 64, len = 0;
    char *text = malloc(cap);
    for (int i = 0; i <= SLOTS; i++)
        len += (size_t)sprintf(text + len, "GstKeyBinding.IncomStarshipInputConcepts.ConceptA%d.%d.%s 2\n",
                               i / 2, i % 2, i < SLOTS ? "type" : "button");
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(GT, "squadrons", text, len, &s, &e), -1);
    char want[96];
    snprintf(want, sizeof want, "line %d: more than %d binding slots", SLOTS + 1, SLOTS);
    assert_string_equal(e.msg, want);
    /* the same number of lines, the last one a second field of slot 0: within the limit */
    len = 0;
    for (int i = 0; i <= SLOTS; i++)
        len += (size_t)sprintf(text + len, "GstKeyBinding.IncomStarshipInputConcepts.ConceptA%d.%d.%s 2\n",
                               i < SLOTS ? i / 2 : 0, i < SLOTS ? i % 2 : 0, i < SLOTS ? "type" : "button");
    memset(&e, 0, sizeof e);
    int rc = games_parse(GT, "squadrons", text, len, &s, &e);
    if (rc == 0)
        bindings_free(&s);
    assert_false(strstr(e.msg, "binding slots"));
    free(text);
}

static void test_squadrons_errors(void **state)
{
    /* A slot cut short by the end of the file is a warning; the rest still counts. */
    binding_set s = tr_parse(NULL, "bad_truncated.profile", NULL);
    assert_true(s.n > 0);
    assert_int_equal(s.n_warnings, 1);
    assert_int_equal(s.warnings[0].line, 411);
    assert_string_equal(s.warnings[0].what, "ConceptFire slot 2");
    assert_string_equal(s.warnings[0].why, "no \"type\" (truncated file?); left out");
    bindings_free(&s);

    err_t e = tr_fail("squadrons", NULL,
                      "GstInput.MouseEnable 1\n"
                      "GstKeyBinding.IncomStarshipInputConcepts.ConceptFire.0.button space\n");
    assert_string_equal(e.msg, "line 1: no GstKeyBinding lines, not a Squadrons profile");

    e = tr_fail("squadrons", NULL, "<html>\nGstInput.MouseEnable 1\n");
    assert_string_equal(e.msg, "line 1: not a \"Setting value\" line of a Squadrons profile");

    e = tr_fail("squadrons", NULL, "GstInput.MouseEnable 1\nGstRender.Dx12Enabled 0\n");
    assert_string_equal(e.msg, "line 1: no GstKeyBinding lines, not a Squadrons profile");

    /* Only the gamepad preset was chosen: nothing of the player's own is in the file. */
    e = tr_fail(NULL, "squadrons_preset_only.profile", NULL);
    assert_string_equal(e.msg, "line 1: no GstKeyBinding lines: this profile uses the game's "
                               "built-in control preset, whose bindings are not in the file");

    e = tr_fail("squadrons", "bad_garbage.bin", NULL);
    assert_prefix(e.msg, "line 1: ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_squadrons_file),
        cmocka_unit_test(test_squadrons_old_version),
        cmocka_unit_test(test_squadrons_quirks),
        cmocka_unit_test(test_squadrons_many),
        cmocka_unit_test(test_squadrons_slot_limit),
        cmocka_unit_test(test_squadrons_errors),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
