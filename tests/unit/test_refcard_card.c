/* test_refcard_card.c — reference cards drawn from synthetic binding sets: every binding is
 * accounted for (drawn, or counted in a visible "+N more"), labels are not cut at ordinary
 * densities, controls off the layout land in "also bound", unknown devices get the generic
 * list, the keyboard card fills keys. CARD_SAMPLES=dir writes the cards as PNG to look at;
 * CARD_BENCH=1 prints the single-thread draw time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "refcards/card.h"
#include "refcards/devart.h"
#include "refcards/devices.h"
#include "refcards/usbids.h"

static devices_registry *DR; /* the device registry under test */
static usbids_table *UT; /* usb.ids names (NULL: none loaded) */

static text_fonts *fonts;

static int setup(void **state)
{
    err_t err = {0};
    const char *t = getenv("CARTOUCHE_TEMPLATES");
    if (!(DR = devices_load(t ? t : "templates", NULL, &err))) {
        fprintf(stderr, "devices_load: %s\n", err.msg);
        return -1;
    }
    fonts = text_fonts_new("fonts/fonts.json", &err);
    if (!fonts) {
        fprintf(stderr, "fonts: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    text_fonts_free(fonts);
    devices_registry_free(DR);
    return 0;
}

/* Realistic action labels, long and short, as game tables name them. */
static const char *actions[] = {
    "Landing gear", "Cycle next fire group", "Target ahead", "Deploy hardpoints",
    "Primary fire", "Secondary fire", "Flight assist toggle", "Boost", "Frame shift drive",
    "Supercruise", "Hyperspace jump", "Silent running", "Deploy heat sink", "Chaff launcher",
    "Shield cell", "Increase engines power", "Increase weapons power", "Increase systems power",
    "Balance power", "Next target", "Previous target", "Select highest threat",
    "Cycle next subsystem", "Night vision", "Ship lights", "Cargo scoop",
    "Orbit lines toggle", "Galaxy map", "System map", "Request docking", "Head look reset",
    "Pitch", "Roll", "Yaw", "Throttle", "Lateral thrust", "Vertical thrust",
    "Set speed to 50%", "Set speed to 100%", "Reverse thrust",
};

static void add(binding_set *set, const char *device, const char *control, const char *action,
                const char *context, const char *mod_device, const char *mod_control)
{
    binding b = {0};
    snprintf(b.input.device, sizeof b.input.device, "%s", device);
    snprintf(b.input.control, sizeof b.input.control, "%s", control);
    snprintf(b.action, sizeof b.action, "%s", action);
    snprintf(b.action_id, sizeof b.action_id, "%s", action);
    snprintf(b.context, sizeof b.context, "%s", context);
    b.is_axis = strncmp(control, "axis:", 5) == 0;
    if (mod_device) {
        snprintf(b.modifiers[0].device, sizeof b.modifiers[0].device, "%s", mod_device);
        snprintf(b.modifiers[0].control, sizeof b.modifiers[0].control, "%s", mod_control);
        b.n_modifiers = 1;
    }
    err_t err;
    assert_int_equal(bindings_add(set, &b, 100000, &err), 0);
}

/* The first name Elite (or any game) uses for the device. */
static const char *game_name_of(const device *d)
{
    for (size_t k = 0; k < d->n_names; k++)
        if (strcmp(d->names[k].game, "elite") == 0)
            return d->names[k].name;
    return d->names[0].name;
}

/* Bind every control of the layout; every third control gets a second action in another
 * context, every seventh a third one with a modifier. */
static void bind_all(binding_set *set, const device *d, int dense)
{
    const char *name = game_name_of(d);
    size_t a = 0;
    for (size_t i = 0; i < d->n_callouts; i++)
        for (int k = 0; k < d->callouts[i].n_controls; k++) {
            const char *c = d->callouts[i].controls[k];
            /* One id per physical control: gamepads list pad:a and button:1 for the same one. */
            if (k > 0 && d->callouts[i].tags[k][0] == '\0')
                continue;
            add(set, name, c, actions[a++ % (sizeof actions / sizeof actions[0])], "Ship", NULL, NULL);
            if (dense && i % 3 == 0)
                add(set, name, c, actions[a++ % (sizeof actions / sizeof actions[0])], "SRV", NULL, NULL);
            if (dense && i % 7 == 0)
                add(set, name, c, actions[a++ % (sizeof actions / sizeof actions[0])], "On foot", name,
                    d->callouts[0].controls[0]);
        }
}

static void save_sample(cairo_surface_t *s, const char *name)
{
    const char *dir = getenv("CARD_SAMPLES");
    if (!dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
}

/* Background as the server has it: drawn once, outside the timed draw. */
static cairo_surface_t *background_of(const device *d)
{
    cairo_surface_t *bg = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
    cairo_t *cr = cairo_create(bg);
    devart_draw(cr, d);
    cairo_destroy(cr);
    return bg;
}

/* Draw every page of the card; the stats summed over the pages (smallest sizes over all). */
static card_stats draw_job(card_job *job, const char *sample)
{
    card_stats sum = {0};
    for (int page = 1;; page++) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
        cairo_t *cr = cairo_create(s);
        card_stats st;
        job->page = page;
        job->stats = &st;
        err_t err = {0};
        if (card_draw(cr, fonts, job, &err) < 0)
            fail_msg("card_draw: %s", err.msg);
        assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
        if (getenv("CARD_BENCH") && page == 1) {
            struct timespec t0, t1;
            int reps = 40;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            for (int r = 0; r < reps; r++)
                card_draw(cr, fonts, job, &err);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            printf("# %-26s %3zu bindings: %.2f ms per card\n", job->dev ? job->dev->id : "generic", job->n_items,
                   ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / reps);
        }
        cairo_destroy(cr);
        if (sample) {
            char name[160];
            snprintf(name, sizeof name, page == 1 ? "%s" : "%s-p%d", sample, page);
            save_sample(s, name);
        }
        cairo_surface_destroy(s);
        if (page == 1)
            sum = st;
        else {
            sum.bindings_shown += st.bindings_shown;
            sum.labels += st.labels;
            sum.truncated += st.truncated;
            sum.text_cut += st.text_cut;
            sum.continued += st.continued;
            sum.mods_listed += st.mods_listed;
            if (st.min_font_px > 0 && st.min_font_px < sum.min_font_px)
                sum.min_font_px = st.min_font_px;
            if (st.min_text_px > 0 && st.min_text_px < sum.min_text_px)
                sum.min_text_px = st.min_text_px;
        }
        assert_int_equal(st.pages, sum.pages);
        if (page >= st.pages)
            break;
    }
    job->stats = NULL;
    return sum;
}

static card_stats draw_card(const device *d, const binding_set *set, const char *sample)
{
    const binding **items = calloc(set->n + 1, sizeof *items);
    size_t n = card_select(DR, set, d, d ? NULL : set->items[0].input.device, set->items[0].input.device_index, set->items[0].module, items);
    cairo_surface_t *bg = d ? background_of(d) : NULL;
    card_job job = {.devices = DR, .usb = UT, .dev = d, .items = items, .n_items = n, .game = "elite", .game_name = "Elite Dangerous",
                    .profile = "Custom", .device_name = d ? NULL : set->items[0].input.device,
                    .background = bg};
    card_stats st = draw_job(&job, sample);
    if (bg)
        cairo_surface_destroy(bg);
    free(items);
    assert_int_equal(st.bindings, (int)n);
    /* Whatever the density: nothing lost, nothing cut, nothing under the minimum size. */
    if (st.bindings_shown != st.bindings)
        fail_msg("%s: %d of %d bindings drawn", sample, st.bindings_shown, st.bindings);
    if (st.truncated || st.text_cut)
        fail_msg("%s: %d actions and %d other texts cut", sample, st.truncated, st.text_cut);
    if (n && st.min_font_px < CARD_MIN_FONT)
        fail_msg("%s: action text at %.2f px", sample, st.min_font_px);
    if (st.min_text_px > 0 && st.min_text_px < CARD_MIN_FONT)
        fail_msg("%s: text at %.2f px", sample, st.min_text_px);
    assert_int_equal(st.mods_listed, st.mods);
    return st;
}

static void test_every_device_every_control(void **state)
{
    for (size_t i = 0; i < devices_count(DR); i++) {
        const device *d = devices_at(DR, i);
        binding_set set = {.game = "elite"};
        bind_all(&set, d, 0);
        char name[96];
        snprintf(name, sizeof name, "%s", d->id);
        card_stats st = draw_card(d, &set, name);
        /* One action per control: every one in its own callout, on one page. */
        if (st.controls_on_layout != st.controls || st.continued || st.pages != 1)
            fail_msg("%s: %d of %d controls on the layout, %d actions continued, %d pages", d->id,
                     st.controls_on_layout, st.controls, st.continued, st.pages);
        bindings_free(&set);
    }
}

static void test_dense_bindings_all_shown(void **state)
{
    const char *ids[] = {"warthog-stick", "x52", "vpc-mongoost-50cm3", "xbox-gamepad"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const device *d = devices_get(DR, ids[i]);
        assert_non_null(d);
        binding_set set = {.game = "elite"};
        bind_all(&set, d, 1);
        char name[96];
        snprintf(name, sizeof name, "%s-dense", d->id);
        card_stats st = draw_card(d, &set, name);
        /* Most actions stay in their callouts; what does not fit continues in the panel. */
        if (st.continued * 3 > st.bindings)
            fail_msg("%s: %d of %d bindings moved out of their callouts", d->id, st.continued, st.bindings);
        bindings_free(&set);
    }
}

static void test_off_layout_controls_listed(void **state)
{
    const device *d = devices_get(DR, "warthog-stick");
    binding_set set = {.game = "elite"};
    add(&set, "ThrustMasterWarthogJoystick", "button:1", "Primary fire", "Ship", NULL, NULL);
    add(&set, "ThrustMasterWarthogJoystick", "button:40", "Galaxy map", "Ship", NULL, NULL);
    add(&set, "ThrustMasterWarthogJoystick", "hat:2:up", "Night vision", "Ship", NULL, NULL);
    add(&set, "ThrustMasterWarthogJoystick", "axis:slider1", "Throttle", "Ship", NULL, NULL);
    /* Another device's binding is not this card's. */
    add(&set, "ThrustMasterWarthogThrottle", "button:1", "Boost", "Ship", NULL, NULL);
    card_stats st = draw_card(d, &set, "warthog-stick-extras");
    assert_int_equal(st.bindings, 4);
    assert_int_equal(st.bindings_shown, 4);
    assert_int_equal(st.controls, 4);
    assert_int_equal(st.controls_on_layout, 1);
    bindings_free(&set);
}

static void test_keyboard_card(void **state)
{
    const device *kb = devices_get(DR, "keyboard");
    binding_set set = {.game = "elite"};
    const char *keys[] = {"W", "A", "S", "D", "Space", "LeftShift", "LeftControl", "Tab", "Escape", "F1",
                          "1", "2", "3", "4", "G", "L", "H", "J", "Enter", "Backspace", "UpArrow",
                          "Numpad5", "NumpadEnter", "Q", "E", "R", "X", "Z", "M", "Comma", "F24"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char c[48];
        snprintf(c, sizeof c, "key:%s", keys[i]);
        add(&set, "Keyboard", c, actions[i % (sizeof actions / sizeof actions[0])], i % 4 ? "Ship" : "SRV", NULL,
            NULL);
        if (i % 5 == 0)
            add(&set, "Keyboard", c, actions[(i + 9) % (sizeof actions / sizeof actions[0])], "On foot",
                "Keyboard", "key:LeftAlt");
    }
    card_stats st = draw_card(kb, &set, "keyboard");
    /* F24 has its own cap (the F13-F24 row); Alt's legend line names the key. */
    assert_int_equal(st.controls_on_layout, st.controls);
    assert_int_equal(st.mods, 1);
    bindings_free(&set);
}

static void test_generic_card_lists_everything(void **state)
{
    binding_set set = {.game = "elite"};
    char c[48];
    for (int i = 1; i <= 60; i++) {
        snprintf(c, sizeof c, "button:%d", i);
        add(&set, "HomebuiltButtonBox", c, actions[i % 40], i % 2 ? "Ship" : "SRV", NULL, NULL);
    }
    add(&set, "HomebuiltButtonBox", "hat:1:up", "Next target", "Ship", NULL, NULL);
    add(&set, "HomebuiltButtonBox", "hat:1:upleft", "Previous target", "Ship", "HomebuiltButtonBox", "button:1");
    add(&set, "HomebuiltButtonBox", "axis:x", "Roll", "Ship", NULL, NULL);
    add(&set, "HomebuiltButtonBox", "axis:x", "Steering", "SRV", NULL, NULL);
    assert_null(devices_find(DR, "elite", "HomebuiltButtonBox", 0, 0));
    card_stats st = draw_card(NULL, &set, "generic");
    assert_int_equal(st.bindings, 64);
    assert_int_equal(st.bindings_shown, 64);
    assert_int_equal(st.controls, 63);
    assert_int_equal(st.labels, 64); /* one line per binding */
    assert_int_equal(st.pages, 1);
    assert_true(st.min_font_px >= 15); /* 64 bindings leave room for more than the minimum */
    bindings_free(&set);
}

static void test_generic_card_flows_to_pages(void **state)
{
    binding_set set = {.game = "elite"};
    char c[48];
    for (int i = 1; i <= 400; i++) {
        snprintf(c, sizeof c, "button:%d", i);
        add(&set, "HugePanel", c, actions[i % 40], "Ship", NULL, NULL);
    }
    card_stats st = draw_card(NULL, &set, "generic-overflow");
    assert_int_equal(st.bindings, 400);
    assert_int_equal(st.bindings_shown, 400);
    assert_true(st.pages >= 2 && st.pages <= 4);
    /* Layout only (no cairo context) gives the same page count, drawing nothing. */
    const binding **items = calloc(set.n, sizeof *items);
    size_t n = card_select(DR, &set, NULL, "HugePanel", 0, NULL, items);
    card_stats lo;
    card_job job = {.devices = DR, .usb = UT, .items = items, .n_items = n, .game = "elite", .device_name = "HugePanel", .stats = &lo};
    err_t err = {0};
    assert_int_equal(card_draw(NULL, fonts, &job, &err), 0);
    assert_int_equal(lo.pages, st.pages);
    assert_int_equal(lo.bindings, 400);
    assert_int_equal(lo.bindings_shown, 0);
    free(items);
    bindings_free(&set);
}

static void test_bad_utf8_is_an_error(void **state)
{
    const device *d = devices_get(DR, "t16000m");
    binding_set set = {.game = "elite"};
    add(&set, "T16000M", "button:1", "Fire \xff\xfe", "Ship", NULL, NULL);
    const binding *items[1] = {&set.items[0]};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
    cairo_t *cr = cairo_create(s);
    card_job job = {.devices = DR, .usb = UT, .dev = d, .items = items, .n_items = 1, .game = "elite", .game_name = "Elite Dangerous"};
    err_t err = {0};
    assert_int_equal(card_draw(cr, fonts, &job, &err), -1);
    assert_true(err.msg[0] != '\0');
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    bindings_free(&set);
}

/* The caller applies scale 2 and passes the 2x background: the card lands on the 3840x2160
 * target at the same places, twice as sharp. */
static void test_scale_two(void **state)
{
    const device *d = devices_get(DR, "t16000m");
    binding_set set = {.game = "elite"};
    add(&set, "T16000M", "button:1", "Primary fire", "Ship", NULL, NULL);
    const binding *items[1] = {&set.items[0]};
    cairo_surface_t *bg = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2 * CARD_W, 2 * CARD_H);
    cairo_t *bcr = cairo_create(bg);
    cairo_scale(bcr, 2, 2);
    devart_draw(bcr, d);
    cairo_destroy(bcr);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2 * CARD_W, 2 * CARD_H);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 2, 2);
    card_stats st;
    card_job job = {.devices = DR, .usb = UT, .dev = d, .items = items, .n_items = 1, .game = "elite", .game_name = "Elite Dangerous",
                    .background = bg, .stats = &st};
    err_t err = {0};
    assert_int_equal(card_draw(cr, fonts, &job, &err), 0);
    cairo_destroy(cr);
    save_sample(s, "t16000m@2x");
    /* The trigger's callout box (canvas units) has ink in its text area at pixel scale 2. */
    const device_callout *co = devices_callout_for(d, "button:1");
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), dark = 0;
    for (int y = (int)(2 * (co->box.y + 18)); y < (int)(2 * (co->box.y + co->box.h - 2)); y++)
        for (int x = (int)(2 * (co->box.x + 12)); x < (int)(2 * (co->box.x + 200)); x++)
            dark += px[y * stride + x * 4 + 1] < 100;
    assert_true(dark > 200);
    assert_int_equal(st.bindings_shown, 1);
    cairo_surface_destroy(s);
    cairo_surface_destroy(bg);
    bindings_free(&set);
}

/* Colour of the pixel at (x, y) of a 1920x1080 card, 0..255 each. */
static void pixel_at(cairo_surface_t *s, int x, int y, int rgb[3])
{
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s) + x * 4;
    rgb[0] = px[2], rgb[1] = px[1], rgb[2] = px[0];
}

/* One colour per context across an upload: a card without the upload's first context still
 * paints its contexts in their upload-wide colours (the legend's first swatch here). */
static void test_context_colours_upload_wide(void **state)
{
    binding_set set = {.game = "elite"};
    add(&set, "PanelB", "button:1", "Boost", "SRV", NULL, NULL);
    add(&set, "PanelB", "button:2", "Turret", "SRV", NULL, NULL);
    const binding *items[2] = {&set.items[0], &set.items[1]};
    const char *upload[] = {"Ship", "SRV"};
    int colour[2][3];
    for (int with = 0; with < 2; with++) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
        cairo_t *cr = cairo_create(s);
        card_job job = {.devices = DR, .usb = UT, .items = items, .n_items = 2, .game = "elite", .device_name = "PanelB",
                        .contexts = with ? upload : NULL, .n_contexts = with ? 2 : 0};
        err_t err = {0};
        assert_int_equal(card_draw(cr, fonts, &job, &err), 0);
        cairo_destroy(cr);
        pixel_at(s, 967, 22, colour[with]);
        cairo_surface_destroy(s);
    }
    /* Alone, SRV is the card's first context (blue); in the upload it is the second (orange). */
    assert_true(colour[0][2] > 150 && colour[0][0] < 40);
    assert_true(colour[1][0] > 180 && colour[1][2] < 40);
    bindings_free(&set);
}

static void test_control_names(void **state)
{
    char buf[64];
    card_control_name("button:17", buf, sizeof buf);
    assert_string_equal(buf, "Button 17");
    card_control_name("hat:2:upleft", buf, sizeof buf);
    assert_string_equal(buf, "Hat 2 \u2196");
    card_control_name("axis:rz", buf, sizeof buf);
    assert_string_equal(buf, "RZ axis");
    card_control_name("axis:slider1", buf, sizeof buf);
    assert_string_equal(buf, "Slider 1");
    card_control_name("pad:rt", buf, sizeof buf);
    assert_string_equal(buf, "RT");
    card_control_name("pad:a", buf, sizeof buf);
    assert_string_equal(buf, "A");
    card_control_name("pad:dpad_left", buf, sizeof buf);
    assert_string_equal(buf, "D-pad \u2190");
    card_control_name("pad:start", buf, sizeof buf);
    assert_string_equal(buf, "Start");
    card_control_name("key:LeftShift", buf, sizeof buf);
    assert_string_equal(buf, "LeftShift");
    /* every hat direction and axis of controls.h, and names the grammar does not know */
    static const char *const hats[][2] = {
        {"hat:1:up", "Hat 1 \u2191"},        {"hat:1:upright", "Hat 1 \u2197"},
        {"hat:1:right", "Hat 1 \u2192"},     {"hat:1:downright", "Hat 1 \u2198"},
        {"hat:1:down", "Hat 1 \u2193"},      {"hat:1:downleft", "Hat 1 \u2199"},
        {"hat:1:left", "Hat 1 \u2190"},      {"hat:1:upleft", "Hat 1 \u2196"},
        {"hat:4:north", "Hat 4 north"},       {"hat:3", "Hat 3 "},
        {"axis:x", "X axis"},                 {"axis:ry", "RY axis"},
        {"axis:slider2", "Slider 2"},         {"axis:dial1", "Dial"},
        {"axis:wheel", "Axis wheel"},         {"pad:dpad_upright", "D-pad \u2197"},
        {"pad:dpad_sideways", "D-pad sideways"}};
    for (size_t i = 0; i < sizeof hats / sizeof hats[0]; i++) {
        card_control_name(hats[i][0], buf, sizeof buf);
        assert_string_equal(buf, hats[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_names),
        cmocka_unit_test(test_every_device_every_control),
        cmocka_unit_test(test_dense_bindings_all_shown),
        cmocka_unit_test(test_off_layout_controls_listed),
        cmocka_unit_test(test_keyboard_card),
        cmocka_unit_test(test_generic_card_lists_everything),
        cmocka_unit_test(test_generic_card_flows_to_pages),
        cmocka_unit_test(test_bad_utf8_is_an_error),
        cmocka_unit_test(test_scale_two),
        cmocka_unit_test(test_context_colours_upload_wide),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
