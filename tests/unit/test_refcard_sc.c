/* test_refcard_sc.c — the Star Citizen parser (actionmaps.xml and exported layouts), field by
 * field, on fixtures that reproduce what real files do (see tests/data/bindings/README.md). */
#include "test_refcard_util.h"

/* The binding of action_id whose input control is control (several rebinds per action). */
static const binding *sc_find(const binding_set *s, const char *action_id, const char *control)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].action_id, action_id) == 0 &&
            strcmp(s->items[i].input.control, control) == 0)
            return &s->items[i];
    print_error("no binding %s on %s\n", action_id, control);
    fail();
    return NULL;
}

static int sc_has_warning(const binding_set *s, int line, const char *what, const char *why)
{
    for (size_t i = 0; i < s->n_warnings; i++)
        if (s->warnings[i].line == line && strcmp(s->warnings[i].what, what) == 0 &&
            strstr(s->warnings[i].why, why))
            return 1;
    return 0;
}

static void test_sc_detect(void **state)
{
    size_t len;
    char *data = tr_read(TR_DATA "sc_actionmaps.xml", &len);
    err_t e = {0};
    assert_string_equal(games_detect(GT, data, len, &e), "starcitizen");
    free(data);
    data = tr_read(TR_DATA "sc_layout_exported.xml", &len);
    assert_string_equal(games_detect(GT, data, len, &e), "starcitizen");
    free(data);
    /* Elite's .binds is XML too, under another root. */
    data = tr_read(TR_DATA "elite_warthog.binds", &len);
    assert_string_equal(games_detect(GT, data, len, &e), "elite");
    free(data);

    binding_set s = tr_parse("sc", "sc_actionmaps.xml", "actionmaps.xml"); /* by alias */
    assert_string_equal(s.game, "starcitizen");
    assert_string_equal(s.game_name, "Star Citizen");
    assert_string_equal(s.profile, "default");
    bindings_free(&s);
}

static void test_sc_joysticks(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    assert_int_equal(s.n, 28);

    /* Product " VKBsim Gladiator EVO  R    {0200231D-...}": blanks trimmed and collapsed,
     * PID then VID in the GUID. */
    const binding *b = tr_find(&s, "v_pitch", 0);
    assert_string_equal(b->input.device, "VKBsim Gladiator EVO R");
    assert_int_equal(b->input.vid, 0x231D);
    assert_int_equal(b->input.pid, 0x0200);
    assert_int_equal(b->input.device_index, 0);
    assert_string_equal(b->input.control, "axis:y");
    assert_int_equal(b->is_axis, 1);
    assert_float_equal(b->deadzone, 0.0, 1e-9);
    assert_int_equal(b->line, 23);
    assert_string_equal(b->action, "Pitch");
    assert_string_equal(b->context, "Flight");

    /* Dead zones from <deviceoptions name="<same Product>">. */
    b = tr_find(&s, "v_yaw", 0);
    assert_string_equal(b->input.control, "axis:x");
    assert_float_equal(b->deadzone, 0.069300003, 1e-9);
    b = tr_find(&s, "v_roll", 0);
    assert_string_equal(b->input.control, "axis:rz");
    assert_float_equal(b->deadzone, 0.0198, 1e-9);

    b = tr_find(&s, "v_strafe_longitudinal", 0);
    assert_string_equal(b->input.device, "VKBsim Gladiator EVO L");
    assert_int_equal(b->input.pid, 0x0201);

    b = tr_find(&s, "v_accel_range_rel", 0);
    assert_string_equal(b->input.device, "T.16000M");
    assert_int_equal(b->input.vid, 0x044F);
    assert_int_equal(b->input.pid, 0xB10A);
    assert_string_equal(b->input.control, "axis:slider1");
    assert_int_equal(b->is_axis, 1);

    b = tr_find(&s, "v_speed_range_up", 0);
    assert_string_equal(b->input.control, "hat:1:up");
    assert_int_equal(b->is_axis, 0);

    /* <options type="joystick" instance="4"/> names nothing. */
    b = sc_find(&s, "v_close_all_doors", "button:1");
    assert_string_equal(b->input.device, "Joystick 4");
    assert_int_equal(b->input.vid, 0);
    assert_int_equal(b->input.pid, 0);

    /* Several rebinds of one action are several bindings. */
    assert_int_equal(tr_count(&s, "v_toggle_landing_system"), 2);
    b = sc_find(&s, "v_toggle_landing_system", "button:8");
    assert_string_equal(b->input.device, "VKBsim Gladiator EVO L");
    assert_string_equal(b->action, "Landing gear toggle");
    b = sc_find(&s, "v_toggle_landing_system", "key:N");
    assert_string_equal(b->input.device, "Keyboard");
    bindings_free(&s);
}

static void test_sc_modifiers(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    /* "js1_rctrl+button3": a keyboard key held with a stick button. */
    const binding *b = tr_find(&s, "v_afterburner", 0);
    assert_string_equal(b->input.device, "VKBsim Gladiator EVO R");
    assert_string_equal(b->input.control, "button:3");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Keyboard");
    assert_string_equal(b->modifiers[0].control, "key:RightControl");
    assert_int_equal(b->modifiers[0].vid, 0);

    b = tr_find(&s, "v_ifcs_toggle_vector_decoupling", 0);
    assert_string_equal(b->input.control, "hat:1:left");
    assert_string_equal(b->modifiers[0].control, "key:RightControl");

    b = sc_find(&s, "v_close_all_doors", "key:K");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftAlt");

    /* The game's defaults write the held key last: "u+lshift". */
    b = tr_find(&s, "v_emergency_exit", 0);
    assert_string_equal(b->input.control, "key:U");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");

    b = tr_find(&s, "v_flightready", 0);
    assert_string_equal(b->input.control, "key:Numpad1");
    assert_int_equal(b->n_modifiers, 2);
    assert_string_equal(b->modifiers[0].control, "key:RightAlt");
    assert_string_equal(b->modifiers[1].control, "key:RightControl");
    bindings_free(&s);
}

static void test_sc_activation(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    assert_string_equal(sc_find(&s, "v_close_all_doors", "key:K")->activation, "double tap");
    assert_string_equal(sc_find(&s, "v_close_all_doors", "button:1")->activation, "");
    assert_string_equal(tr_find(&s, "v_autoland", 0)->activation, "long press");
    assert_string_equal(tr_find(&s, "v_flightready", 0)->activation, "tap toggles, hold holds");
    assert_string_equal(tr_find(&s, "v_atc_loading_area_request", 0)->activation, "double tap");
    assert_string_equal(tr_find(&s, "v_ifcs_toggle_esp", 0)->activation, ""); /* multiTap="1" */
    /* A mode newer than the table reads as its own words. */
    assert_string_equal(tr_find(&s, "v_view_look_behind", 0)->activation, "delayed hold future");
    assert_string_equal(tr_find(&s, "v_pitch", 0)->activation, "");
    bindings_free(&s);
}

static void test_sc_keys_and_mouse(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    assert_string_equal(tr_find(&s, "v_view_zoom_in", 0)->input.control, "key:PageUp");
    assert_string_equal(sc_find(&s, "toggle_flashlight", "key:Backslash")->input.device, "Keyboard");
    sc_find(&s, "toggle_flashlight", "key:F1"); /* written "kb1_F1" */
    const binding *b = tr_find(&s, "visor_wipe", 0);
    assert_string_equal(b->input.control, "key:Apostrophe");
    assert_string_equal(b->modifiers[0].control, "key:LeftAlt");
    assert_string_equal(tr_find(&s, "v_mystery_thing", 0)->input.control, "key:Minus");
    /* A key with no id of ours keeps the game's name, so the card still lists it. */
    assert_string_equal(tr_find(&s, "selectgadget", 0)->input.control, "key:oem102");

    b = tr_find(&s, "v_view_cycle_fwd", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:4");
    b = tr_find(&s, "v_view_yaw_mouse", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "axis:x");
    assert_int_equal(b->is_axis, 1);
    bindings_free(&s);
}

static void test_sc_labels_and_contexts(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    const binding *b = tr_find(&s, "v_close_all_doors", 0);
    assert_string_equal(b->action, "Close all doors");
    assert_string_equal(b->context, "Ship systems");
    /* Actionmaps are grouped: the view's is "Camera", the missiles' "Weapons". */
    assert_string_equal(tr_find(&s, "v_view_cycle_fwd", 0)->context, "Camera");
    assert_string_equal(tr_find(&s, "v_attack_group1", 0)->context, "Weapons");
    assert_string_equal(tr_find(&s, "moveforward", 0)->context, "On foot");
    /* Neither the action nor its actionmap is in the table: readable splits. */
    b = tr_find(&s, "v_mystery_thing", 0);
    assert_string_equal(b->action, "Mystery thing");
    assert_string_equal(b->context, "Vehicle weird map");
    bindings_free(&s);
}

static void test_sc_unbound_and_warnings(void **state)
{
    binding_set s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    /* "js2_ " clears a default: nothing to draw, nothing to warn about. */
    assert_int_equal(tr_count(&s, "v_strafe_up"), 0);
    assert_int_equal(tr_count(&s, "v_toggle_all_doorlocks"), 0);
    /* Unreadable inputs are skipped and listed; the good rebind of the action stays. */
    assert_int_equal(s.n_warnings, 4);
    assert_true(sc_has_warning(&s, 95, "js1_button200", "not 1..128"));
    assert_true(sc_has_warning(&s, 98, "js1_wheel", "unknown joystick control"));
    assert_true(sc_has_warning(&s, 101, "button9", "no device prefix"));
    assert_true(sc_has_warning(&s, 104, "kb1_hmd_pitch", "head tracking"));
    assert_int_equal(tr_count(&s, "v_attack_group1"), 1);
    assert_int_equal(tr_count(&s, "v_weapon_cycle_aimmode"), 0);
    bindings_free(&s);
}

static void test_sc_layout_exported(void **state)
{
    binding_set s = tr_parse(NULL, "sc_layout_exported.xml", "layout_MANETTE_LE_exported.xml");
    /* UTF-8 profile name; CRLF line ends count as one line each. */
    assert_string_equal(s.profile, "Manette L\xc3\xa9gion \xc3\xa9" "carlate");
    assert_int_equal(s.n, 12);

    const binding *b = tr_find(&s, "v_operator_mode_cycle_forward", 0);
    assert_int_equal(b->line, 30);
    assert_string_equal(b->input.device, "Gamepad");
    assert_int_equal(b->input.device_index, 0);
    assert_string_equal(b->input.control, "pad:dpad_up");
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].device, "Gamepad");
    assert_string_equal(b->modifiers[0].control, "pad:lb");
    assert_string_equal(b->context, "Ship systems"); /* seat_general */

    b = sc_find(&s, "v_pitch", "pad:ry");
    assert_int_equal(b->is_axis, 1);
    b = sc_find(&s, "v_pitch", "axis:y");
    assert_string_equal(b->input.device, "VKB-Sim Gladiator NXT R");
    assert_float_equal(b->deadzone, 0.0297, 1e-9);
    /* deadzone="DefaultDeadzone" is not a number: no dead zone, no failure. */
    assert_float_equal(tr_find(&s, "v_roll", 0)->deadzone, 0.0, 1e-9);

    assert_string_equal(tr_find(&s, "v_space_brake", 0)->input.control, "pad:rs");
    b = tr_find(&s, "v_strafe_up", 0);
    assert_string_equal(b->input.control, "pad:ly"); /* a stick pushed up, pressed like a button */
    assert_int_equal(b->is_axis, 0);
    assert_string_equal(tr_find(&s, "v_weapon_preset_fire_guns0", 0)->input.control, "pad:rt");
    /* The same action written twice in one actionmap: both are kept. */
    assert_int_equal(tr_count(&s, "v_weapon_preset_fire_guns0"), 2);
    /* Mouse buttons recorded under the keyboard prefix. */
    b = tr_find(&s, "v_view_cycle_fwd", 0);
    assert_string_equal(b->input.device, "Mouse");
    assert_string_equal(b->input.control, "button:4");
    assert_int_equal(tr_count(&s, "v_view_cycle_fwd"), 1); /* "gp1_ " binds nothing */
    assert_int_equal(tr_count(&s, "v_view_freelook_mode"), 0);
    assert_int_equal(tr_count(&s, "v_toggle_quantum_mode"), 0);
    b = tr_find(&s, "foip_pushtotalk_proximity", 0);
    assert_string_equal(b->input.control, "key:NumpadPlus");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");

    assert_int_equal(s.n_warnings, 1);
    assert_true(sc_has_warning(&s, 62, "gp1_triggerl_r_btn", "unknown gamepad control"));
    assert_string_equal(s.warnings[0].file, "layout_MANETTE_LE_exported.xml");
    bindings_free(&s);
}

static void test_sc_two_sticks(void **state)
{
    /* <options> after the actionmaps that use them, listed out of order. */
    binding_set s = tr_parse(NULL, "sc_two_sticks.xml", NULL);
    assert_string_equal(s.profile, "vjoy");
    assert_int_equal(s.n, 5);
    const binding *b = tr_find(&s, "v_boost", 0);
    assert_string_equal(b->input.device, "vJoy Device");
    assert_int_equal(b->input.vid, 0x1234);
    assert_int_equal(b->input.pid, 0xBEAD);
    assert_int_equal(b->input.device_index, 0);
    b = tr_find(&s, "v_strafe_lateral", 0);
    assert_string_equal(b->input.device, "vJoy Device");
    assert_int_equal(b->input.device_index, 1);
    /* Same name without a GUID: counted with the others by name. */
    b = tr_find(&s, "v_brake", 0);
    assert_string_equal(b->input.device, "vJoy Device");
    assert_int_equal(b->input.vid, 0);
    assert_int_equal(b->input.device_index, 2);
    b = tr_find(&s, "v_strafe_vertical", 0);
    assert_string_equal(b->input.device, "Joystick - HOTAS Warthog");
    assert_int_equal(b->input.vid, 0x044F);
    assert_int_equal(b->input.pid, 0x0402);
    assert_int_equal(b->input.device_index, 0);
    assert_string_equal(tr_find(&s, "v_space_brake", 0)->input.control, "hat:2:downright");
    assert_int_equal(s.n_warnings, 1);
    assert_true(sc_has_warning(&s, 35, "<options type=\"joystick\">", "instance \"0\""));
    bindings_free(&s);
}

static void test_sc_profiles(void **state)
{
    binding_set s = tr_parse(NULL, "sc_profiles.xml", NULL);
    assert_string_equal(s.profile, "default");
    assert_int_equal(s.n, 4);
    /* Each profile names its own js1 and gets its own set of cards. */
    const binding *b = tr_find(&s, "v_yaw", 0);
    assert_string_equal(b->module, "default");
    assert_string_equal(b->input.device, "VKB-Sim Gladiator NXT L");
    b = tr_find(&s, "v_yaw", 1);
    assert_string_equal(b->module, "HOSAS test");
    assert_string_equal(b->input.device, "T.16000M");
    assert_string_equal(tr_find(&s, "v_roll", 0)->module, "HOSAS test");
    /* A name longer than the module field is cut before the "é" that does not fit whole. */
    assert_string_equal(tr_find(&s, "v_eject", 0)->module,
                        "Profil HOSAS pour la chasse et l'escorte lourd");
    bindings_free(&s);

    /* One profile: no module. */
    s = tr_parse(NULL, "sc_actionmaps.xml", NULL);
    for (size_t i = 0; i < s.n; i++)
        assert_string_equal(s.items[i].module, "");
    bindings_free(&s);
}

static void test_sc_bundle(void **state)
{
    /* A dropped USER folder: actionmaps.xml and an exported layout in one upload get a set of
     * cards each, named by their profile. */
    size_t la, ll;
    char *a = tr_read(TR_DATA "sc_actionmaps.xml", &la);
    char *l = tr_read(TR_DATA "sc_layout_exported.xml", &ll);
    games_file files[] = {{"USER/Client/0/Profiles/default/actionmaps.xml", a, la},
                          {"USER/Client/0/Controls/Mappings/layout_MANETTE_LE_exported.xml", l, ll}};
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse_bundle(GT, NULL, &(games_bundle){files, 2}, &s, &e), 0);
    assert_int_equal(s.n, 28 + 12);
    assert_string_equal(s.profile, "default");
    assert_string_equal(sc_find(&s, "v_pitch", "axis:y")->module, "default");
    assert_string_equal(sc_find(&s, "v_pitch", "pad:ry")->module, "Manette L\xc3\xa9gion \xc3\xa9" "carlate");
    bindings_free(&s);

    /* With a file of no profile name, the file's name stands in. */
    size_t lb;
    char *b = tr_read(TR_DATA "sc_shipped_layout.xml", &lb);
    games_file two[] = {{"Mappings/layout_blank.xml", b, lb}, {"actionmaps.xml", a, la}};
    assert_int_equal(games_parse_bundle(GT, NULL, &(games_bundle){two, 2}, &s, &e), 0);
    assert_string_equal(tr_find(&s, "v_eject", 0)->module, "layout_blank");
    bindings_free(&s);

    /* Alone, a file has no module. */
    assert_int_equal(games_parse_bundle(GT, NULL, &(games_bundle){two, 1}, &s, &e), 0);
    assert_string_equal(tr_find(&s, "v_eject", 0)->module, "");
    bindings_free(&s);
    free(a);
    free(l);
    free(b);
}

static void test_sc_blank(void **state)
{
    /* A profile with nothing rebound reads fine and binds nothing (the upload layer says so). */
    binding_set s = tr_parse(NULL, "sc_blank.xml", NULL);
    assert_string_equal(s.game, "starcitizen");
    assert_string_equal(s.profile, "default");
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_warnings, 0);
    bindings_free(&s);
}

static void test_sc_shipped_layout(void **state)
{
    /* The game's own layouts: device="keyboard" beside an input without prefix, the held key
     * written last, activationMode on the <action>, a localisation key as label. */
    binding_set s = tr_parse(NULL, "sc_shipped_layout.xml", NULL);
    assert_string_equal(s.profile, "");
    assert_int_equal(s.n, 3);
    const binding *b = tr_find(&s, "v_eject", 0);
    assert_string_equal(b->input.device, "Keyboard");
    assert_string_equal(b->input.control, "key:Y");
    assert_string_equal(b->modifiers[0].control, "key:RightAlt");
    assert_string_equal(b->activation, "");
    b = sc_find(&s, "v_self_destruct", "key:Backspace");
    assert_string_equal(b->activation, "long press (0.5 s)");
    b = sc_find(&s, "v_self_destruct", "pad:back");
    assert_string_equal(b->input.device, "Gamepad");
    assert_string_equal(b->activation, ""); /* the rebind's own "press" wins */
    bindings_free(&s);
}

static void test_sc_default_profile(void **state)
{
    /* The game's defaultProfile.xml: one attribute per device on each <action>, a child
     * element of a device overriding it, <inputdata> lists, keys spelt as characters. */
    binding_set s = tr_parse(NULL, "sc_default_profile.xml", "defaultProfile.xml");
    assert_string_equal(s.game, "starcitizen");
    assert_string_equal(s.profile, "Game defaults");
    assert_int_equal(s.n, 18);

    const binding *b = tr_find(&s, "v_self_destruct", 0);
    assert_string_equal(b->input.control, "key:Backspace");
    assert_string_equal(b->activation, "long press (0.5 s)");
    assert_int_equal(tr_count(&s, "v_self_destruct"), 1); /* gamepad child " ": unbound */

    assert_int_equal(tr_count(&s, "v_toggle_landing_system"), 3);
    b = sc_find(&s, "v_toggle_landing_system", "button:12");
    assert_string_equal(b->input.device, "Joystick 1");
    assert_string_equal(b->activation, "tap");
    assert_int_equal(b->line, 26);
    assert_string_equal(sc_find(&s, "v_toggle_landing_system", "pad:dpad_down")->input.device,
                        "Gamepad");

    b = sc_find(&s, "v_pitch", "axis:y");
    assert_int_equal(b->is_axis, 1);
    assert_string_equal(sc_find(&s, "v_pitch_mouse", "axis:y")->input.device, "Mouse");

    b = tr_find(&s, "v_emergency_exit", 0);
    assert_string_equal(b->input.control, "key:U");
    assert_string_equal(b->modifiers[0].control, "key:LeftShift");

    /* Child elements carry their own activation mode. */
    b = sc_find(&s, "prone_rollleft", "key:Q");
    assert_string_equal(b->activation, "double tap");
    b = sc_find(&s, "prone_rollleft", "pad:lx");
    assert_string_equal(b->activation, "tap");
    assert_string_equal(b->modifiers[0].control, "pad:lb");

    assert_int_equal(tr_count(&s, "ui_up"), 3);
    sc_find(&s, "ui_up", "pad:dpad_up");
    sc_find(&s, "ui_up", "pad:ry");
    sc_find(&s, "ui_up", "key:UpArrow");
    assert_int_equal(tr_count(&s, "ui_select"), 3);
    assert_string_equal(tr_find(&s, "ui_next_tab", 0)->input.control, "key:RightBracket");
    assert_int_equal(tr_count(&s, "v_toggle_all_doors"), 0);

    assert_int_equal(s.n_warnings, 1);
    assert_true(sc_has_warning(&s, 27, "HMD_Yaw", "head tracking"));
    bindings_free(&s);
}

static void test_sc_legacy(void **state)
{
    /* What the 1.x/2.x game wrote (SCJMapper-V2 documents it): <addbind> for a further
     * binding, the held key before the device prefix, the gamepad as xi1_ / xi_. */
    binding_set s = tr_parse(NULL, "sc_legacy.xml", NULL);
    assert_string_equal(s.profile, "hotas_ac2");
    assert_int_equal(s.n, 5);
    const binding *b = sc_find(&s, "v_roll", "axis:rz");
    assert_string_equal(b->input.device, "Saitek X52 Flight Control System");
    assert_int_equal(b->input.vid, 0x06A3);
    assert_int_equal(b->input.pid, 0x075C);
    assert_int_equal(b->n_modifiers, 1);
    assert_string_equal(b->modifiers[0].control, "key:RightControl");
    assert_string_equal(sc_find(&s, "v_roll", "axis:x")->input.device,
                        "Saitek X52 Flight Control System");
    assert_string_equal(sc_find(&s, "v_toggle_landing_system", "pad:dpad_down")->input.device,
                        "Gamepad");
    b = sc_find(&s, "v_toggle_landing_system", "pad:a");
    assert_string_equal(b->modifiers[0].control, "pad:lb");
    assert_string_equal(tr_find(&s, "v_brake", 0)->input.control, "key:X");
    bindings_free(&s);
}

static void test_sc_refused(void **state)
{
    /* Every rebind unreadable: the file as a whole is refused, naming the first. */
    err_t e = tr_fail(NULL, "bad_sc_unreadable.xml", NULL);
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 7: no binding could be read");
    assert_contains(e.msg, "joystick1_x");

    e = tr_fail("starcitizen", NULL, "<Root PresetName=\"x\"><Yaw/></Root>");
    assert_prefix(e.msg, "line 1: root element <Root> is not <ActionMaps>");
    /* A <profile> with nothing of Star Citizen in it (a Joystick Gremlin profile). */
    e = tr_fail(NULL, NULL, "<profile version=\"13\" syntax=\"1\">\n <devices/>\n</profile>\n");
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line 1: <profile> without <actionmap>");

    e = tr_fail(NULL, NULL,
                "<ActionMaps>\n <ActionProfiles profileName=\"default\">\n  <actionmap name=\"a\">\n");
    assert_int_equal(e.kind, ERR_UNPROCESSABLE);
    assert_prefix(e.msg, "line ");

    e = tr_fail("sc", NULL, "<!DOCTYPE ActionMaps [<!ENTITY a \"b\">]><ActionMaps/>");
    assert_contains(e.msg, "DOCTYPE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sc_detect),
        cmocka_unit_test(test_sc_joysticks),
        cmocka_unit_test(test_sc_modifiers),
        cmocka_unit_test(test_sc_activation),
        cmocka_unit_test(test_sc_keys_and_mouse),
        cmocka_unit_test(test_sc_labels_and_contexts),
        cmocka_unit_test(test_sc_unbound_and_warnings),
        cmocka_unit_test(test_sc_layout_exported),
        cmocka_unit_test(test_sc_two_sticks),
        cmocka_unit_test(test_sc_profiles),
        cmocka_unit_test(test_sc_bundle),
        cmocka_unit_test(test_sc_blank),
        cmocka_unit_test(test_sc_shipped_layout),
        cmocka_unit_test(test_sc_default_profile),
        cmocka_unit_test(test_sc_legacy),
        cmocka_unit_test(test_sc_refused),
    };
    return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
