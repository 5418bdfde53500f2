/* test_refcard_controls.c — the control names of refcards/controls.h: the tables every parser
 * and the device registry share, their order (hats clockwise from up, so an angle / 45 is the
 * index), and the look-ups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "refcards/controls.h"

static void test_tables(void **state)
{
    static const char *const hats[] = {"up",   "upright",  "right", "downright",
                                       "down", "downleft", "left",  "upleft"};
    for (int i = 0; i < CONTROL_HAT__COUNT; i++)
        assert_string_equal(control_hat_dirs[i], hats[i]);
    assert_null(control_hat_dirs[CONTROL_HAT__COUNT]);
    assert_string_equal(control_hat_dirs[CONTROL_HAT_DOWNLEFT], "downleft");

    static const char *const axes[] = {"x", "y", "z", "rx", "ry", "rz", "slider1", "slider2", "dial1"};
    for (int i = 0; i < CONTROL_AXIS__COUNT; i++)
        assert_string_equal(control_axes[i], axes[i]);
    assert_null(control_axes[CONTROL_AXIS__COUNT]);
    assert_string_equal(control_axes[CONTROL_AXIS_SLIDER2], "slider2");

    int n = 0;
    while (control_pad_names[n])
        n++;
    assert_int_equal(n, 20);
    assert_string_equal(control_pad_names[0], "a");
    assert_string_equal(control_pad_names[n - 1], "ry");
}

static void test_lookup(void **state)
{
    assert_int_equal(control_index(control_hat_dirs, "upleft"), CONTROL_HAT_UPLEFT);
    assert_int_equal(control_index(control_hat_dirs, "UpLeft"), -1);
    assert_int_equal(control_index_nocase(control_hat_dirs, "UpLeft"), CONTROL_HAT_UPLEFT);
    assert_int_equal(control_index(control_hat_dirs, "up "), -1);
    assert_int_equal(control_index(control_hat_dirs, ""), -1);
    assert_int_equal(control_index(control_axes, "dial1"), CONTROL_AXIS_DIAL1);
    assert_int_equal(control_index_nocase(control_axes, "RZ"), CONTROL_AXIS_RZ);
    assert_int_equal(control_index(control_pad_names, "dpad_left"), 14);
    assert_int_equal(control_index(control_pad_names, "dpad_upleft"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
