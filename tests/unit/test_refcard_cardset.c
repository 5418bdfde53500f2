/* test_refcard_cardset.c — grouping an upload's bindings into cards: registry devices by name
 * and USB id, the keyboard, two alike devices as two cards, modules (DCS aircraft) apart, mouse
 * on no card, generic titles that are never a bare hex id (usb.ids and the vendor overlay). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcards/cardset.h"
#include "refcards/devices.h"
#include "refcards/usbids.h"
#include "refcards/refdata.h"

static devices_registry *DR; /* the device registry under test */
static usbids_table *UT; /* usb.ids names (NULL: none loaded) */
static refcards_data RD; /* the pieces above, as the refcards part holds them */

static int setup(void **state)
{
    err_t err = {0};
    if (!(DR = devices_load("templates", NULL, &err))) {
        fprintf(stderr, "devices_load: %s\n", err.msg);
        return -1;
    }
    UT = usbids_load(NULL, "templates/usb/vendors.json", &err);
    RD.devices = DR;
    RD.usb = UT;
    return 0;
}

static int teardown(void **state)
{
    usbids_free(UT);
    devices_registry_free(DR);
    return 0;
}

static void add(binding_set *set, const char *device, int index, unsigned vid, unsigned pid,
                const char *control, const char *module, const char *context)
{
    binding b;
    memset(&b, 0, sizeof b);
    snprintf(b.input.device, sizeof b.input.device, "%s", device);
    b.input.device_index = index;
    b.input.vid = vid;
    b.input.pid = pid;
    snprintf(b.input.control, sizeof b.input.control, "%s", control);
    snprintf(b.module, sizeof b.module, "%s", module);
    snprintf(b.context, sizeof b.context, "%s", context);
    snprintf(b.action_id, sizeof b.action_id, "A%zu", set->n);
    snprintf(b.action, sizeof b.action, "Action %zu", set->n);
    err_t e;
    assert_int_equal(bindings_add(set, &b, 100, &e), 0);
}

static void test_grouping(void **state)
{
    binding_set set = {0};
    snprintf(set.game, sizeof set.game, "elite");
    add(&set, "ThrustMasterWarthogJoystick", 0, 0, 0, "button:1", "", "Ship");
    add(&set, "Joystick 7", 0, 0x044F, 0x0402, "button:2", "", "SRV");   /* by USB id */
    add(&set, "ThrustMasterWarthogJoystick", 1, 0, 0, "button:1", "", "Ship"); /* the second one */
    add(&set, "Keyboard", 0, 0, 0, "key:A", "", "Ship");
    add(&set, "Mouse", 0, 0, 0, "mouse:button1", "", "Ship");
    add(&set, "ThrustMasterWarthogJoystick", 0, 0, 0, "button:3", "F-16C_50", "Ship");
    add(&set, "231D0121", 0, 0, 0, "button:4", "", "On foot");
    add(&set, "Some Odd Box", 0, 0, 0, "button:5", "", "Ship");

    cardset cs;
    err_t err = {0};
    assert_int_equal(cardset_build(RD.devices, RD.usb, &set, &cs, &err), 0);
    assert_int_equal(cs.n_not_shown, 1);
    assert_int_equal(cs.not_shown[0], 4);
    assert_int_equal(cs.n_contexts, 3);
    assert_string_equal(cs.contexts[1], "SRV");

    const cardset_card *stick = cardset_find(&cs, "warthog-stick");
    assert_non_null(stick);
    assert_int_equal(stick->n_bindings, 2);
    const cardset_card *stick2 = cardset_find(&cs, "warthog-stick-2");
    assert_non_null(stick2);
    assert_int_equal(stick2->device_index, 1);
    assert_non_null(strstr(stick2->title, "#2"));
    const cardset_card *f16 = cardset_find(&cs, "f-16c-50-warthog-stick");
    assert_non_null(f16);
    assert_string_equal(f16->module, "F-16C_50");
    assert_non_null(cardset_find(&cs, "keyboard"));
    assert_non_null(cardset_find(&cs, "generic-some-odd-box"));

    /* Every binding but the mouse is on exactly one card, and select agrees with the counts. */
    const binding **sel = calloc(set.n, sizeof *sel);
    size_t total = 0;
    for (size_t i = 0; i < cs.n; i++) {
        size_t n = cardset_select(&set, &cs.cards[i], sel);
        assert_int_equal(n, cs.cards[i].n_bindings);
        total += n;
        assert_string_not_equal(cs.cards[i].title, "231D0121"); /* never the bare id */
    }
    assert_int_equal(total, set.n - 1);
    free(sel);
    cardset_free(&cs);
    bindings_free(&set);
}

static void test_generic_titles(void **state)
{
    char t[160];
    cardset_generic_title(UT, "231D0121", 0, 0, t, sizeof t); /* vendor from the overlay */
    assert_string_equal(t, "VKB-Sim device (USB 231D:0121)");
    cardset_generic_title(UT, "044F0402", 0, 0, t, sizeof t); /* product from usb.ids */
    assert_non_null(strstr(t, "ThrustMaster"));
    assert_null(strstr(t, "044F0402"));
    cardset_generic_title(UT, "", 0x1234, 0xBEAD, t, sizeof t);
    assert_non_null(strstr(t, "vJoy"));
    cardset_generic_title(UT, "DEADBEEF", 0, 0, t, sizeof t);
    assert_string_equal(t, "Game controller (USB DEAD:BEEF)");
    cardset_generic_title(UT, "My Button Box", 0, 0, t, sizeof t);
    assert_string_equal(t, "My Button Box");
    assert_string_equal(usbids_vendor(UT, 0x044F), "ThrustMaster");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_generic_titles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
