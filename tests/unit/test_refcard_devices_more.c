/* test_refcard_devices_more.c — the pedals, yokes, quadrants, panels and PlayStation pads of
 * tools/devgen_more.py: each loads, is found by its USB id and by the names games write, carries
 * exactly the axes the device reports, keeps its drawing clear of the title band and the extras
 * box, and a pad reported as a raw joystick lands on the pad drawing's controls. */
#include <math.h>
#include <stdint.h>

#include "refcards/devices.h"
#include "test_refcard_util.h"

static devices_registry *DR; /* the device registry under test */

typedef struct {
    const char *id;
    const char *side;   /* "" when the model has no hands */
    unsigned vid, pid;  /* 0, 0: found by name only (see g940-pedals) */
    const char *game, *name;
    const char *axes;   /* every axis:NAME on the layout, sorted, comma-separated */
} more_device;

static const more_device more[] = {
    {"dualshock4", "", 0x054C, 0x05C4, "elite", "DualShock4", "rx,ry,rz,x,y,z"},
    {"dualsense", "", 0x054C, 0x0CE6, "msfs2020", "DualSense Wireless Controller", "rx,ry,rz,x,y,z"},
    {"g940-pedals", "", 0, 0, "dcs", "Logitech G940 Pedals", "rz,x,y"},
    {"saitek-pro-flight-pedals", "", 0x06A3, 0x0763, "elite", "SaitekProFlightRudderPedals", "rz,x,y"},
    {"vkb-t-rudder", "", 0x231D, 0x011F, "dcs", " VKBsim T-Rudder ", "rx"},
    {"cougar-mfd-left", "left", 0x044F, 0xB351, "dcs", "F16 MFD 1", ""},
    {"cougar-mfd-right", "right", 0x044F, 0xB352, "msfs2020", "F16 MFD 2", ""},
    {"saitek-throttle-quadrant", "", 0x06A3, 0x0C2D, "msfs2020", "Saitek Pro Flight Quadrant", "x,y,z"},
    {"saitek-yoke", "", 0x06A3, 0x0BAC, "msfs2020", "Saitek Pro Flight Yoke", "rx,ry,x,y,z"},
    {"honeycomb-alpha", "", 0x294B, 0x1900, "msfs2020", "Alpha Flight Controls", "x,y"},
    {"honeycomb-bravo", "", 0x294B, 0x1901, "dcs", "Bravo Throttle Quadrant", "rx,ry,rz,x,y,z"},
    {"saitek-side-panel", "", 0x0738, 0x2218, "elite", "07382218", "rx,ry,rz,x,y,z"},
    {"winwing-orion2-f18-throttle", "", 0x4098, 0xBE62, "dcs", "WINWING THROTTLE BASE2 + F18 HANDLE",
     "rx,ry,slider1,slider2"},
    {"tca-sidestick-pilot", "", 0x044F, 0x0405, "msfs2020", "T.A320 Pilot", "rz,slider1,x,y"},
    {"tca-sidestick-copilot", "", 0x044F, 0x0406, "dcs", "T.A320 CoPilot", "rz,slider1,x,y"},
};
#define N_MORE (sizeof more / sizeof more[0])

static int setup(void **state)
{
    err_t err = {0};
    if (!(DR = devices_load("templates", NULL, &err))) {
        fprintf(stderr, "devices_load: %s\n", err.msg);
        return -1;
    }
    return tr_setup(state);
}

static int teardown(void **state)
{
    devices_registry_free(DR);
    return tr_teardown(state);
}

static const device *get(const char *id)
{
    const device *d = devices_get(DR, id);
    if (!d)
        fail_msg("device %s is not in the registry", id);
    return d;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted, comma-separated axis names a layout shows. */
static void axis_set(const device *d, char *out, size_t cap)
{
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < d->n_callouts; i++)
        for (int k = 0; k < d->callouts[i].n_controls; k++)
            if (strncmp(d->callouts[i].controls[k], "axis:", 5) == 0 && n < 64)
                names[n++] = d->callouts[i].controls[k] + 5;
    qsort(names, n, sizeof names[0], cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "", names[i]);
}

static void test_each_file_parses(void **state)
{
    for (size_t i = 0; i < N_MORE; i++) {
        char path[160];
        snprintf(path, sizeof path, "templates/devices/%s.json", more[i].id);
        err_t err = {0};
        device *d = devices_parse_file(path, &err);
        if (!d)
            fail_msg("%s: %s", more[i].id, err.msg);
        assert_string_equal(d->id, more[i].id);
        assert_string_equal(d->side, more[i].side);
        assert_true(d->n_callouts > 0);
        assert_true(json_array_size(d->art) > 5);
        /* A device whose VID:PID it shares with others has none; every other has its own. */
        assert_int_equal(d->n_usb > 0, more[i].vid != 0);
        devices_free(d);
    }
}

static void test_found_by_usb_and_game_name(void **state)
{
    for (size_t i = 0; i < N_MORE; i++) {
        const device *d = get(more[i].id);
        if (more[i].vid) {
            const device *u = devices_find(DR, NULL, NULL, more[i].vid, more[i].pid);
            if (u != d)
                fail_msg("%04X:%04X gives %s, not %s", more[i].vid, more[i].pid, u ? u->id : "nothing",
                         more[i].id);
            /* Elite writes devices it has no name for as VVVVPPPP. */
            char hex[16];
            snprintf(hex, sizeof hex, "%04X%04X", more[i].vid, more[i].pid);
            assert_ptr_equal(devices_find(DR, "elite", hex, 0, 0), d);
        }
        const device *n = devices_find(DR, more[i].game, more[i].name, 0, 0);
        if (n != d)
            fail_msg("%s \"%s\" gives %s, not %s", more[i].game, more[i].name, n ? n->id : "nothing", more[i].id);
    }
    /* The G940 is one USB device (046D:C287) holding three drawn ones: its pedals and throttle,
     * which have no USB id of their own, are found by name even when a file carries that id. */
    assert_ptr_equal(devices_find(DR, "msfs2020", "Logitech G940 Pedals", 0x046D, 0xC287), get("g940-pedals"));
    assert_ptr_equal(devices_find(DR, "msfs2020", "Logitech G940 Throttle", 0x046D, 0xC287), get("g940-throttle"));
    assert_ptr_equal(devices_find(DR, "msfs2020", "Logitech G940 Joystick", 0x046D, 0xC287), get("g940-stick"));
    assert_ptr_equal(devices_find(DR, "msfs2020", "Some other name", 0x046D, 0xC287), get("g940-stick"));
    /* A name of a device that has USB ids of its own does not override the file's id. */
    assert_ptr_equal(devices_find(DR, "msfs2020", "Logitech G940 Joystick", 0x044F, 0x0402), get("warthog-stick"));
}

static void test_axes_match_the_device(void **state)
{
    for (size_t i = 0; i < N_MORE; i++) {
        char got[160];
        axis_set(get(more[i].id), got, sizeof got);
        if (strcmp(got, more[i].axes) != 0)
            fail_msg("%s: axes \"%s\", expected \"%s\"", more[i].id, got, more[i].axes);
    }
}

/* The callout showing control on device id, which must be callout_id (a d-pad direction is a
 * member of the "dpad" group, its id "dpad_DIR"). */
static void expect_callout(const char *id, const char *control, const char *callout_id)
{
    const device_callout *c = devices_callout_for(get(id), control);
    if (!c)
        fail_msg("%s: %s is on no callout", id, control);
    if (strcmp(c->id, callout_id) != 0)
        fail_msg("%s: %s is on \"%s\", expected \"%s\"", id, control, c->id, callout_id);
}

static void test_pads_as_raw_joysticks(void **state)
{
    static const struct {
        const char *control, *callout;
    } map[] = {
        {"button:1", "square"}, {"button:2", "cross"}, {"button:3", "circle"}, {"button:4", "triangle"},
        {"button:5", "l1"}, {"button:6", "r1"}, {"button:7", "l2"}, {"button:8", "r2"},
        {"button:9", "share"}, {"button:10", "options"}, {"button:11", "l3"}, {"button:12", "r3"},
        {"button:13", "ps"}, {"button:14", "touch"},
        {"axis:x", "lx"}, {"axis:y", "ly"}, {"axis:z", "rx"}, {"axis:rz", "ry"},
        {"axis:rx", "l2"}, {"axis:ry", "r2"},
        {"hat:1:up", "dpad_up"}, {"hat:1:right", "dpad_right"}, {"hat:1:down", "dpad_down"},
        {"hat:1:left", "dpad_left"}, {"hat:1:upleft", "dpad_upleft"},
        /* the same controls as an XInput game names them */
        {"pad:a", "cross"}, {"pad:b", "circle"}, {"pad:x", "square"}, {"pad:y", "triangle"},
        {"pad:lb", "l1"}, {"pad:rt", "r2"}, {"pad:back", "share"}, {"pad:start", "options"},
        {"pad:lx", "lx"}, {"pad:ry", "ry"}, {"pad:dpad_down", "dpad_down"},
    };
    const char *pads[] = {"dualshock4", "dualsense"};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            expect_callout(pads[p], map[i].control, map[i].callout);
    expect_callout("dualsense", "button:15", "mute");
    assert_null(devices_callout_for(get("dualshock4"), "button:15"));
    /* Cross is what the card calls button 2. */
    assert_non_null(strstr(devices_callout_for(get("dualshock4"), "button:2")->label, "Cross"));
}

/* The callout id a parsed binding (or its modifier) lands on, on the device the game named. */
static const char *landing(const bind_input *in, const device *expect)
{
    const device *d = devices_find(DR, "elite", in->device, in->vid, in->pid);
    if (d != expect)
        fail_msg("\"%s\" gives %s, not %s", in->device, d ? d->id : "nothing", expect->id);
    const device_callout *c = devices_callout_for(d, in->control);
    if (!c)
        fail_msg("%s: %s is on no callout", d->id, in->control);
    return c->id;
}

/* A file Elite writes for a DualShock 4 (its own preset's shape: BOM, tabs, {NoDevice} slots, a
 * modifier): every pad binding lands on the callout of the control the player pressed. */
static void test_elite_dualshock4_file(void **state)
{
    binding_set s = tr_parse("elite", "elite_dualshock4.binds", "elite_dualshock4.binds");
    const device *ds4 = get("dualshock4");
    static const struct {
        const char *action, *callout;
    } expect[] = {
        {"RollAxisRaw", "lx"}, {"PitchAxisRaw", "ly"}, {"LateralThrustRaw", "rx"}, {"VerticalThrustRaw", "ry"},
        {"CamZoomIn", "r2"}, {"CamZoomOut", "l2"}, {"PrimaryFire", "r2"}, {"SecondaryFire", "l2"},
        {"CycleFireGroupNext", "square"}, {"UI_Select", "cross"}, {"UI_Back", "circle"},
        {"SelectTarget", "triangle"}, {"DecreaseEnginesPower", "l1"}, {"IncreaseEnginesPower", "r1"},
        {"DeployHardpointToggle", "share"}, {"Pause", "options"}, {"UseBoostJuice", "l3"},
        {"HeadLookToggle", "r3"}, {"FocusLeftPanel", "ps"}, {"HumanoidHideWeaponButton", "touch"},
        {"IncreaseSystemsPower", "dpad_up"}, {"IncreaseWeaponsPower", "dpad_right"},
        {"ResetPowerDistribution", "dpad_down"}, {"IncreaseEnginesPower_Buggy", "dpad_left"},
        {"CyclePreviousPage", "dpad_left"},
    };
    size_t pad = 0;
    for (size_t i = 0; i < s.n; i++)
        if (strcmp(s.items[i].input.device, "DualShock4") == 0) {
            landing(&s.items[i].input, ds4);
            pad++;
        }
    assert_int_equal(pad, sizeof expect / sizeof expect[0]);
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const binding *b = NULL;
        for (size_t k = 0; k < s.n && !b; k++)
            if (strcmp(s.items[k].action_id, expect[i].action) == 0 && strcmp(s.items[k].input.device, "DualShock4") == 0)
                b = &s.items[k];
        if (!b)
            fail_msg("no DualShock4 binding for %s", expect[i].action);
        const char *got = landing(&b->input, ds4);
        if (strcmp(got, expect[i].callout) != 0)
            fail_msg("%s (%s) is on \"%s\", expected \"%s\"", expect[i].action, b->input.control, got,
                     expect[i].callout);
    }
    /* Circle held as a modifier is shown on the Circle callout too. */
    const binding *page = tr_find(&s, "CyclePreviousPage", 0);
    assert_int_equal(page->n_modifiers, 1);
    assert_string_equal(landing(&page->modifiers[0], ds4), "circle");
    bindings_free(&s);
}

static void test_pedals_and_panels(void **state)
{
    /* Toe brakes are named for the foot that presses them. */
    const char *pedals[] = {"g940-pedals", "saitek-pro-flight-pedals"};
    for (size_t i = 0; i < 2; i++) {
        assert_non_null(strstr(devices_callout_for(get(pedals[i]), "axis:x")->label, "Left toe brake"));
        assert_non_null(strstr(devices_callout_for(get(pedals[i]), "axis:y")->label, "Right toe brake"));
        assert_non_null(strstr(devices_callout_for(get(pedals[i]), "axis:rz")->label, "Rudder"));
        assert_int_equal(get(pedals[i])->kind, DEVICE_PEDALS);
    }
    assert_non_null(strstr(devices_callout_for(get("vkb-t-rudder"), "axis:rx")->label, "Rudder"));
    /* The G940 shares one USB id among stick, throttle and pedals: its pedals never claim it. */
    assert_ptr_not_equal(devices_find(DR, NULL, NULL, 0x046D, 0xC287), get("g940-pedals"));
    /* The two MFDs are two cards, each with all 28 buttons. */
    for (int m = 0; m < 2; m++) {
        const device *d = get(m ? "cougar-mfd-right" : "cougar-mfd-left");
        for (int b = 1; b <= 28; b++) {
            char ctl[24];
            snprintf(ctl, sizeof ctl, "button:%d", b);
            if (!devices_callout_for(d, ctl))
                fail_msg("%s has no %s", d->id, ctl);
        }
        assert_null(devices_callout_for(d, "button:29"));
    }
    expect_callout("cougar-mfd-left", "button:27", "gain");
    expect_callout("cougar-mfd-right", "button:21", "sym");
    expect_callout("honeycomb-bravo", "button:8", "ap");
    expect_callout("honeycomb-bravo", "button:31", "gear");
    expect_callout("honeycomb-alpha", "button:31", "mags");
    expect_callout("honeycomb-alpha", "hat:1:up", "pov_up");
    expect_callout("saitek-yoke", "button:1", "e");
    expect_callout("tca-sidestick-pilot", "button:4", "b4");
    assert_non_null(strstr(devices_callout_for(get("tca-sidestick-copilot"), "button:4")->label, "takeover"));
}

/* Bounding box of one art shape (enough for the shapes devgen writes). */
static int shape_box(const json_t *sh, double *x0, double *y0, double *x1, double *y1)
{
    const json_t *v;
    *x0 = *y0 = *x1 = *y1 = 0;
    if ((v = json_object_get(sh, "circle")) || (v = json_object_get(sh, "hat")) ||
        (v = json_object_get(sh, "arc"))) {
        double cx = json_number_value(json_array_get(v, 0)), cy = json_number_value(json_array_get(v, 1));
        double r = json_number_value(json_array_get(v, 2));
        *x0 = cx - r, *y0 = cy - r, *x1 = cx + r, *y1 = cy + r;
        return 1;
    }
    if ((v = json_object_get(sh, "ellipse"))) {
        double cx = json_number_value(json_array_get(v, 0)), cy = json_number_value(json_array_get(v, 1));
        *x0 = cx - json_number_value(json_array_get(v, 2)), *x1 = cx + json_number_value(json_array_get(v, 2));
        *y0 = cy - json_number_value(json_array_get(v, 3)), *y1 = cy + json_number_value(json_array_get(v, 3));
        return 1;
    }
    if ((v = json_object_get(sh, "rrect"))) {
        *x0 = json_number_value(json_array_get(v, 0)), *y0 = json_number_value(json_array_get(v, 1));
        *x1 = *x0 + json_number_value(json_array_get(v, 2)), *y1 = *y0 + json_number_value(json_array_get(v, 3));
        return 1;
    }
    if ((v = json_object_get(sh, "line"))) {
        *x0 = *y0 = 1e9, *x1 = *y1 = -1e9;
        for (size_t i = 0; i < json_array_size(v); i++) {
            double x = json_number_value(json_array_get(json_array_get(v, i), 0));
            double y = json_number_value(json_array_get(json_array_get(v, i), 1));
            *x0 = fmin(*x0, x), *y0 = fmin(*y0, y), *x1 = fmax(*x1, x), *y1 = fmax(*y1, y);
        }
        return 1;
    }
    if ((v = json_object_get(sh, "path"))) {
        /* "M x y L x y C x y x y x y Z": every number pair is a point (control points bound the curve). */
        const char *p = json_string_value(v);
        double nums[2];
        int k = 0;
        *x0 = *y0 = 1e9, *x1 = *y1 = -1e9;
        while (*p) {
            char *end;
            double n = strtod(p, &end);
            if (end == p) {
                p++;
                continue;
            }
            nums[k++] = n;
            p = end;
            if (k == 2) {
                *x0 = fmin(*x0, nums[0]), *y0 = fmin(*y0, nums[1]);
                *x1 = fmax(*x1, nums[0]), *y1 = fmax(*y1, nums[1]);
                k = 0;
            }
        }
        return 1;
    }
    return 0;
}

static void test_art_clear_of_title_and_extras(void **state)
{
    for (size_t i = 0; i < N_MORE; i++) {
        const device *d = get(more[i].id);
        size_t k;
        const json_t *sh;
        json_array_foreach(d->art, k, sh) {
            double x0, y0, x1, y1;
            if (!shape_box(sh, &x0, &y0, &x1, &y1))
                fail_msg("%s: art[%zu] has an unknown shape", d->id, k);
            if (y0 < 100)
                fail_msg("%s: art[%zu] reaches into the title band (y %.0f)", d->id, k, y0);
            const device_rect *e = &d->extras;
            if (x0 < e->x + e->w && e->x < x1 && y0 < e->y + e->h && e->y < y1)
                fail_msg("%s: art[%zu] overlaps the extras box", d->id, k);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_file_parses),
        cmocka_unit_test(test_found_by_usb_and_game_name),
        cmocka_unit_test(test_axes_match_the_device),
        cmocka_unit_test(test_pads_as_raw_joysticks),
        cmocka_unit_test(test_elite_dualshock4_file),
        cmocka_unit_test(test_pedals_and_panels),
        cmocka_unit_test(test_art_clear_of_title_and_extras),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
