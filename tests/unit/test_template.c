/* Unit tests of template validation: every error names the file, the slot and the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cards/template.h"

static text_fonts *tf;

static int setup(void **state)
{
    err_t err = {0};
    tf = text_fonts_new("fonts/fonts.json", &err);
    return tf ? 0 : -1;
}

static int teardown(void **state)
{
    text_fonts_free(tf);
    return 0;
}

#define GOOD_SLOT "{\"id\":\"title\",\"box\":[10,10,200,40],\"max_size\":30,\"min_size\":10}"

static template *parse(const char *json, err_t *err)
{
    return template_parse(json, strlen(json), "t.json", NULL, tf, err);
}

static void expect_error(const char *json, const char *needle)
{
    err_t err = {0};
    template *t = parse(json, &err);
    assert_null(t);
    if (!strstr(err.msg, needle))
        fail_msg("error '%s' does not mention '%s'", err.msg, needle);
    assert_non_null(strstr(err.msg, "t.json"));
}

static void test_valid(void **state)
{
    err_t err = {0};
    template *t = parse("{\"name\":\"ok\",\"width\":400,\"height\":100,\"background\":{\"color\":\"#102030\"},"
                        "\"formats\":[\"jpg\",\"pdf\"],\"slots\":[" GOOD_SLOT "]}", &err);
    assert_non_null(t);
    assert_int_equal(t->width, 400);
    assert_int_equal(t->n_slots, 1);
    assert_int_equal(t->formats, TPL_FMT_JPG | TPL_FMT_PDF);
    assert_true(t->slots[0].style.max_size == 30);
    assert_true(t->bg_color.r > 0.06 && t->bg_color.r < 0.07);
    assert_non_null(t->desc);
    template_free(t);
}

static void test_errors(void **state)
{
    expect_error("{\"name\":\"x\"", "t.json:1");
    expect_error("[]", "top level");
    expect_error("{\"name\":\"Bad Name\",\"width\":10,\"height\":10,\"background\":{},\"slots\":[]}", "name");
    expect_error("{\"name\":\"x\",\"width\":0,\"height\":10,\"background\":{},\"slots\":[" GOOD_SLOT "]}", "width");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":[]}", "slots");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[300,10,200,40]}]}", "slot 'a': box");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[0,0,20,20],\"max_size\":10,\"min_size\":20}]}", "slot 'a': min_size");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[0,0,20,20],\"font\":\"comic\"}]}", "slot 'a': font");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[0,0,20,20],\"color\":\"red\"}]}", "slot 'a': color");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[0,0,20,20],\"align\":\"middle\"}]}", "slot 'a': align");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 GOOD_SLOT "," GOOD_SLOT "]}", "duplicate slot id");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"slots\":["
                 "{\"id\":\"a\",\"box\":[0,0,20,20],\"colour\":\"#fff\"}]}", "colour: unknown key");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"formats\":[\"gif\"],"
                 "\"slots\":[" GOOD_SLOT "]}", "formats");
    expect_error("{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{},\"seed_slot\":\"zz\","
                 "\"slots\":[" GOOD_SLOT "]}", "seed_slot");
}

static void test_background_path_escape(void **state)
{
    err_t err = {0};
    const char *j = "{\"name\":\"x\",\"width\":400,\"height\":100,\"background\":{\"image\":\"../../etc/passwd\"},"
                    "\"slots\":[" GOOD_SLOT "]}";
    template *t = template_parse(j, strlen(j), "t.json", "assets", tf, &err);
    assert_null(t);
    assert_non_null(strstr(err.msg, "plain file name"));
}

static void test_shipped_templates_load(void **state)
{
    err_t err = {0};
    template_set *s = template_set_load("templates", "assets", tf, &err);
    if (!s)
        fail_msg("%s", err.msg);
    const template *w1 = template_set_find(s, "w1");
    assert_non_null(w1);
    assert_int_equal(w1->n_slots, 64);
    assert_non_null(w1->bg);
    template_set_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_background_path_escape),
        cmocka_unit_test(test_shipped_templates_load),
    };
    return cmocka_run_group_tests_name("template", tests, setup, teardown);
}
