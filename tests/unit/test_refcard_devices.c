/* test_refcard_devices.c — the device registry: shipped layouts load and are geometrically sound
 * (inside the canvas, no overlapping callouts, leaders not running through other boxes), broken
 * files are rejected with the file and field named, matching by game name and USB id, and the
 * art bakes to decodable backgrounds once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bake/devart_bake.h"
#include "refcards/devices.h"

static devices_registry *DR; /* the device registry under test */

static const char *templates_dir(void)
{
    const char *t = getenv("CARTOUCHE_TEMPLATES");
    return t ? t : "templates";
}

static int setup_registry(void **state)
{
    err_t err = {0};
    if (!(DR = devices_load(templates_dir(), NULL, &err))) {
        fprintf(stderr, "devices_load: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown_registry(void **state)
{
    devices_registry_free(DR);
    return 0;
}

static int rects_overlap(const device_rect *a, const device_rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static int inside_canvas(const device_rect *r)
{
    return r->x >= 0 && r->y >= 0 && r->x + r->w <= DEVICE_CANVAS_W && r->y + r->h <= DEVICE_CANVAS_H;
}

/* Does segment p-q pass through the interior of r (shrunk by 1 unit)? Sampled: segments are
 * short and boxes large, so 2-unit steps cannot miss a box. */
static int segment_hits(device_point p, device_point q, const device_rect *r)
{
    double len = fabs(q.x - p.x) + fabs(q.y - p.y);
    int steps = (int)(len / 2) + 1;
    for (int i = 0; i <= steps; i++) {
        double x = p.x + (q.x - p.x) * i / steps, y = p.y + (q.y - p.y) * i / steps;
        if (x > r->x + 1 && x < r->x + r->w - 1 && y > r->y + 1 && y < r->y + r->h - 1)
            return 1;
    }
    return 0;
}

/* The placed boxes of a device: groups as one box, callouts outside groups. */
typedef struct {
    device_rect box;
    const char *id;
    int n_via;
    const device_point *via;
    int has_anchor;
    device_point anchor;
} placed;

static size_t placed_boxes(const device *d, placed *out)
{
    size_t n = 0;
    for (size_t g = 0; g < d->n_groups; g++)
        out[n++] = (placed){d->groups[g].box, d->groups[g].id, d->groups[g].n_via, d->groups[g].via, 1,
                            d->groups[g].anchor};
    for (size_t i = 0; i < d->n_callouts; i++)
        if (d->callouts[i].group < 0)
            out[n++] = (placed){d->callouts[i].box, d->callouts[i].id, d->callouts[i].n_via, d->callouts[i].via,
                                d->callouts[i].has_anchor, d->callouts[i].anchor};
    return n;
}

static void test_shipped_devices_load(void **state)
{
    /* The devices the product promises, by registry id. */
    const char *ids[] = {"warthog-stick", "warthog-throttle", "t16000m", "twcs", "x52", "x56-stick",
                         "x56-throttle", "vkb-gladiator-nxt-evo", "vpc-constellation-alpha",
                         "vpc-mongoost-50cm3", "tflight-hotas", "tfrp-pedals", "mfg-crosswind",
                         "xbox-gamepad", "keyboard"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const device *d = devices_get(DR, ids[i]);
        if (!d)
            fail_msg("device %s missing from the registry", ids[i]);
        assert_true(d->n_callouts > 0);
        assert_non_null(d->art);
    }
    assert_true(devices_count(DR) >= sizeof ids / sizeof ids[0]);
    assert_null(devices_get(DR, "no-such-device"));
}

static void test_callouts_inside_and_apart(void **state)
{
    for (size_t i = 0; i < devices_count(DR); i++) {
        const device *d = devices_at(DR, i);
        placed *pl = calloc(d->n_callouts + d->n_groups, sizeof *pl);
        size_t n = placed_boxes(d, pl);
        for (size_t a = 0; a < n; a++) {
            if (!inside_canvas(&pl[a].box))
                fail_msg("%s: %s leaves the canvas", d->id, pl[a].id);
            if (rects_overlap(&pl[a].box, &d->extras))
                fail_msg("%s: %s overlaps the extras box", d->id, pl[a].id);
            for (size_t b = a + 1; b < n; b++)
                if (rects_overlap(&pl[a].box, &pl[b].box))
                    fail_msg("%s: %s overlaps %s", d->id, pl[a].id, pl[b].id);
        }
        /* Callouts of one group must not overlap each other either. */
        for (size_t a = 0; a < d->n_callouts; a++)
            for (size_t b = a + 1; b < d->n_callouts; b++)
                if (d->callouts[a].group >= 0 && d->callouts[a].group == d->callouts[b].group &&
                    rects_overlap(&d->callouts[a].box, &d->callouts[b].box))
                    fail_msg("%s: %s overlaps %s", d->id, d->callouts[a].id, d->callouts[b].id);
        /* A routed leader (box → via points) must not run through another box. The last leg,
         * via → anchor, goes over the drawing and is not checked. */
        for (size_t a = 0; a < n; a++) {
            if (!pl[a].n_via)
                continue;
            for (int k = 0; k + 1 < pl[a].n_via; k++)
                for (size_t b = 0; b < n; b++)
                    if (b != a && segment_hits(pl[a].via[k], pl[a].via[k + 1], &pl[b].box))
                        fail_msg("%s: the leader of %s runs through %s", d->id, pl[a].id, pl[b].id);
        }
        /* Every callout outside a keyboard points at the drawing. */
        if (d->kind != DEVICE_KEYBOARD)
            for (size_t a = 0; a < n; a++)
                if (!pl[a].has_anchor)
                    fail_msg("%s: %s has no leader", d->id, pl[a].id);
        free(pl);
    }
}

/* The leader as card.c draws it: from the side of the box facing the first point, through the
 * via points, to the anchor. Returns the number of points written to pts (at most 6). */
static int leader_polyline(const placed *p, device_point *pts)
{
    const device_rect *b = &p->box;
    device_point first = p->n_via ? p->via[0] : p->anchor;
    device_point start = {b->x, b->y + b->h / 2};
    if (first.x < b->x)
        start.x = b->x;
    else if (first.x > b->x + b->w)
        start.x = b->x + b->w;
    else
        start = (device_point){first.x, first.y < b->y ? b->y : b->y + b->h};
    int n = 0;
    pts[n++] = start;
    for (int i = 0; i < p->n_via; i++)
        pts[n++] = p->via[i];
    pts[n++] = p->anchor;
    return n;
}

static double cross3(device_point o, device_point a, device_point b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Do segments p1-p2 and q1-q2 cross at a point inside both (touching ends do not count)? */
static int segments_cross(device_point p1, device_point p2, device_point q1, device_point q2)
{
    double d1 = cross3(q1, q2, p1), d2 = cross3(q1, q2, p2);
    double d3 = cross3(p1, p2, q1), d4 = cross3(p1, p2, q2);
    const double eps = 1e-6;
    return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) &&
           ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

/* Leader lines a reader can follow: no two leaders cross, and no leader (any leg, the last one
 * over the drawing included) runs through another callout's box. */
static void test_leaders_do_not_cross(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < devices_count(DR); i++) {
        const device *d = devices_at(DR, i);
        if (d->kind == DEVICE_KEYBOARD)
            continue;
        placed *pl = calloc(d->n_callouts + d->n_groups, sizeof *pl);
        device_point(*poly)[6] = calloc(d->n_callouts + d->n_groups, sizeof *poly);
        int *np = calloc(d->n_callouts + d->n_groups, sizeof *np);
        assert_true(pl && poly && np);
        size_t n = placed_boxes(d, pl);
        for (size_t a = 0; a < n; a++)
            np[a] = pl[a].has_anchor ? leader_polyline(&pl[a], poly[a]) : 0;
        for (size_t a = 0; a < n; a++)
            for (int s = 0; s + 1 < np[a]; s++) {
                for (size_t b = a + 1; b < n; b++)
                    for (int t = 0; t + 1 < np[b]; t++)
                        if (segments_cross(poly[a][s], poly[a][s + 1], poly[b][t], poly[b][t + 1])) {
                            fprintf(stderr, "%s: the leaders of %s and %s cross\n", d->id, pl[a].id, pl[b].id);
                            bad++;
                        }
                for (size_t b = 0; b < n; b++)
                    if (b != a && segment_hits(poly[a][s], poly[a][s + 1], &pl[b].box)) {
                        fprintf(stderr, "%s: the leader of %s runs through %s\n", d->id, pl[a].id, pl[b].id);
                        bad++;
                    }
            }
        free(pl);
        free(poly);
        free(np);
    }
    if (bad)
        fail_msg("%d leader problems (listed above)", bad);
}

static void test_keyboard_has_every_key(void **state)
{
    const device *kb = devices_get(DR, "keyboard");
    assert_non_null(kb);
    assert_int_equal(kb->kind, DEVICE_KEYBOARD);
    assert_true(kb->n_callouts >= 104); /* full-size ANSI, and the ISO keys when drawn */
    const char *keys[] = {"key:Escape", "key:F12", "key:Grave", "key:Backspace", "key:NumLock",
                          "key:NumpadEnter", "key:Space", "key:RightControl", "key:UpArrow", "key:Pause",
                          "key:A", "key:Z", "key:0", "key:Numpad0", "key:NumpadDecimal", "key:Apostrophe"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const device_callout *c = devices_callout_for(kb, keys[i]);
        if (!c)
            fail_msg("keyboard has no %s", keys[i]);
        assert_true(c->legend[0] != '\0');
    }
}

static void test_find_by_game_name(void **state)
{
    const device *d = devices_find(DR, "elite", "ThrustMasterWarthogJoystick", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "warthog-stick");
    d = devices_find(DR, "elite", "T16000MTHROTTLE", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "twcs");
    d = devices_find(DR, "elite", "SaitekX52Pro", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "x52");
    /* Windows product names are matched case-insensitively and without padding. */
    d = devices_find(DR, "msfs2020", "  joystick - hotas warthog ", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "warthog-stick");
    d = devices_find(DR, "msfs2020", "Throttle - HOTAS Warthog", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "warthog-throttle");
    /* Another game's name is still recognised when the game has none of its own. */
    d = devices_find(DR, "il2", "X56 H.O.T.A.S. Stick", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "x56-stick");
    d = devices_find(DR, NULL, "Keyboard", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "keyboard");
    assert_null(devices_find(DR, "elite", "SomeHomebuiltPanel", 0, 0));
    assert_null(devices_find(DR, "elite", "", 0, 0));
    assert_null(devices_find(DR, "elite", NULL, 0, 0));
}

static void test_find_by_usb(void **state)
{
    const device *d = devices_find(DR, NULL, NULL, 0x044F, 0x0402);
    assert_non_null(d);
    assert_string_equal(d->id, "warthog-stick");
    d = devices_find(DR, "elite", "anything", 0x231D, 0x0200);
    assert_non_null(d);
    assert_string_equal(d->id, "vkb-gladiator-nxt-evo");
    /* Elite names unprofiled devices by hex VID+PID. */
    d = devices_find(DR, "elite", "044F0404", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "warthog-throttle");
    d = devices_find(DR, "elite", "06a30762", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "x52");
    assert_null(devices_find(DR, NULL, "DEADBEEF", 0, 0));
    d = devices_find(DR, "elite", "33440194", 0, 0);
    assert_non_null(d);
    assert_string_equal(d->id, "vpc-mongoost-50cm3");
    /* An unknown USB id falls back to the name. */
    d = devices_find(DR, "elite", "SaitekX56Throttle", 0x1234, 0x5678);
    assert_non_null(d);
    assert_string_equal(d->id, "x56-throttle");
}

/* The devices added for the sticks people own: each loads, has its USB ids (the G940 throttle
 * and the Viper TQS are matched by name: no public source confirms an id of their own), the
 * side of a model made in both hands, and is found from its USB id and from a game's name. */
static const struct {
    const char *id, *side, *usb, *game, *name;
} new_devices[] = {
    {"extreme-3d-pro", "", "046D:C215", "dcs", "Logitech Extreme 3D"},
    {"g940-stick", "", "046D:C287", "elite", "LogitechG940Joystick"},
    {"g940-throttle", "", NULL, "il2", "Logitech G940 Throttle"},
    {"x55-stick", "", "0738:2215", "elite", "SaitekX55Joystick"},
    {"x55-throttle", "", "0738:A215", "msfs2020", "Saitek Pro Flight X-55 Rhino Throttle"},
    {"x45", "", "06A3:053C", "elite", "SaitekX45"},
    {"vkb-gladiator", "", "231D:0121", "starcitizen", " VKBsim Gladiator {0121231D-0000-0000-0000-504944564944}"},
    {"vkb-gladiator-nxt-evo", "right", "231D:0200", "starcitizen",
     " VKBsim Gladiator EVO  R    {0200231D-0000-0000-0000-504944564944}"},
    {"vkb-gladiator-nxt-evo-left", "left", "231D:0201", "starcitizen",
     " VKBsim Gladiator EVO  L    {0201231D-0000-0000-0000-504944564944}"},
    {"vkb-kosmosima-scg-right", "right", "231D:0126", "dcs", "VKBsim Space Gunfighter"},
    {"vkb-kosmosima-scg-left", "left", "231D:0127", "dcs", "VKBSim Space Gunfighter L"},
    {"vpc-warbrd-delta-right", "right", "3344:40CC", "dcs", "R-VPC Stick WarBRD"},
    {"vpc-warbrd-delta-left", "left", "3344:80CC", "dcs", "L-VPC Stick WarBRD"},
    {"vpc-alpha-prime-right", "right", "3344:4139", "msfs2020", "R-VPC Constellation ALPHA Prime"},
    {"vpc-alpha-prime-left", "left", "3344:0138", "msfs2020", "L-VPC Constellation ALPHA Prime"},
    {"vpc-constellation-alpha", "right", "3344:4130", "dcs", "R-VPC Stick MT-50CM3"},
    {"vpc-constellation-alpha-left", "left", "3344:838F", "dcs", "L-VPC Stick MT-50CM3"},
    {"tflight-hotas-one", "", "044F:B68D", "msfs2020", "T.Flight Hotas One"},
    {"viper-tqs", "", NULL, "bms", "Viper TQS"},
};

static void test_new_devices_identity(void **state)
{
    for (size_t i = 0; i < sizeof new_devices / sizeof new_devices[0]; i++) {
        const device *d = devices_get(DR, new_devices[i].id);
        if (!d)
            fail_msg("device %s missing from the registry", new_devices[i].id);
        if (strcmp(d->side, new_devices[i].side) != 0)
            fail_msg("%s: side \"%s\", expected \"%s\"", d->id, d->side, new_devices[i].side);
        assert_true(d->n_callouts > 0);
        if (new_devices[i].usb) {
            unsigned vid, pid;
            assert_int_equal(sscanf(new_devices[i].usb, "%x:%x", &vid, &pid), 2);
            const device *u = devices_find(DR, NULL, NULL, vid, pid);
            if (u != d)
                fail_msg("%s: USB %s finds %s", d->id, new_devices[i].usb, u ? u->id : "nothing");
        } else {
            assert_int_equal(d->n_usb, 0);
        }
        const device *n = devices_find(DR, new_devices[i].game, new_devices[i].name, 0, 0);
        if (n != d)
            fail_msg("%s: %s name \"%s\" finds %s", d->id, new_devices[i].game, new_devices[i].name,
                     n ? n->id : "nothing");
    }
    assert_true(devices_count(DR) >= 40);
}

/* Which axes each device has, as Windows reports them: twist is RZ (RX on the classic
 * Gladiator, the slider on the HOTAS One), throttles Z or a slider, toe brakes X and Y. */
static void test_axis_mapping(void **state)
{
    static const struct {
        const char *id, *axes;
    } want[] = {
        {"warthog-stick", "x y"},
        {"warthog-throttle", "x y z rz slider1"},
        {"t16000m", "x y rz slider1"},
        {"twcs", "x y z rz slider1"},
        {"x52", "x y z rx ry rz slider1"},
        {"x56-stick", "x y rx ry rz"},
        {"x56-throttle", "x y z rx ry rz slider1 slider2"},
        {"vkb-gladiator-nxt-evo", "x y rx ry rz"},
        {"vkb-gladiator-nxt-evo-left", "x y rx ry rz"},
        {"vpc-constellation-alpha", "x y rx ry rz"},
        {"vpc-constellation-alpha-left", "x y rx ry rz"},
        {"vpc-mongoost-50cm3", "x y z rx ry rz slider1 slider2"},
        {"tflight-hotas", "x y z rz slider1"},
        {"tfrp-pedals", "x y rz"},
        {"thrustmaster-t-rudder", "x y rz"},
        {"mfg-crosswind", "x y rz"},
        {"xbox-gamepad", "x y z rx ry"},
        {"extreme-3d-pro", "x y rz slider1"},
        {"g940-stick", "x y rx ry rz slider1 slider2"},
        {"g940-throttle", "x y z rx"},
        {"x55-stick", "x y rz"},
        {"x55-throttle", "x y z rx ry rz slider1 slider2"},
        {"x45", "x y rx ry rz slider1"},
        {"vkb-gladiator", "x y z rx"},
        {"vkb-kosmosima-scg-right", "x y rx ry rz"},
        {"vkb-kosmosima-scg-left", "x y rx ry rz"},
        {"vpc-warbrd-delta-right", "x y z rx ry"},
        {"vpc-warbrd-delta-left", "x y z rx ry"},
        {"vpc-alpha-prime-right", "x y rx ry rz"},
        {"vpc-alpha-prime-left", "x y rx ry rz"},
        {"tflight-hotas-one", "x y z rz slider1"},
        {"viper-tqs", "x y z rz slider1"},
    };
    static const char *const all[] = {"x", "y", "z", "rx", "ry", "rz", "slider1", "slider2", "dial1", NULL};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const device *d = devices_get(DR, want[i].id);
        if (!d)
            fail_msg("device %s missing", want[i].id);
        char got[96] = "";
        for (const char *const *a = all; *a; a++) {
            char ctl[24];
            snprintf(ctl, sizeof ctl, "axis:%s", *a);
            if (devices_callout_for(d, ctl)) {
                if (got[0])
                    strcat(got, " ");
                strcat(got, *a);
            }
        }
        if (strcmp(got, want[i].axes) != 0)
            fail_msg("%s: axes \"%s\", expected \"%s\"", d->id, got, want[i].axes);
    }
}

static void test_list_json(void **state)
{
    json_t *list = devices_list_json(DR);
    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), devices_count(DR));
    int saw = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "id")), "warthog-stick") == 0) {
            saw = 1;
            assert_string_equal(json_string_value(json_object_get(e, "kind")), "stick");
            assert_string_equal(json_string_value(json_array_get(json_object_get(e, "usb"), 0)), "044F:0402");
            json_t *elite = json_object_get(json_object_get(e, "games"), "elite");
            assert_string_equal(json_string_value(json_array_get(elite, 0)), "ThrustMasterWarthogJoystick");
        }
    }
    assert_true(saw);
    json_decref(list);
}

/* ---- validation of broken files ------------------------------------------------------- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/devices/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear_dir(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -f %s/devices/*.json", tmpdir);
    assert_int_equal(system(cmd), 0);
}

#define GOOD_HEAD                                                                                       \
    "{\"id\": \"pad\", \"name\": \"Test pad\", \"kind\": \"gamepad\", \"usb\": [\"1234:5678\"],\n"         \
    " \"games\": {\"elite\": [\"TestPad\"]}, \"canvas\": {\"width\": 1920, \"height\": 1080},\n"        \
    " \"background\": \"baked/devices/pad.png\", \"extras\": [600, 980, 700, 80],\n"                    \
    " \"art\": [{\"circle\": [960, 540, 100], \"fill\": \"body\"}],\n"

static void expect_error(const char *file, const char *text, const char *needle1, const char *needle2)
{
    clear_dir();
    write_file(file, text);
    err_t err = {0};
    size_t before = devices_count(DR);
    assert_null(devices_load(tmpdir, NULL, &err));
    if (!strstr(err.msg, needle1) || (needle2 && !strstr(err.msg, needle2)))
        fail_msg("error \"%s\" does not name \"%s\" / \"%s\"", err.msg, needle1, needle2 ? needle2 : "");
    assert_int_equal(err.kind, ERR_CONFIG);
    assert_int_equal(devices_count(DR), before); /* the previous registry stays */
}

static void test_rejects_broken_files(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cartouche-devtest-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char sub[96];
    snprintf(sub, sizeof sub, "%s/devices", tmpdir);
    assert_int_equal(mkdir(sub, 0755), 0);

    /* A correct file loads: the errors below come from the one change each makes. */
    clear_dir();
    write_file("pad.json", GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": "
                                     "[\"pad:a\"], \"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}");
    err_t err = {0};
    devices_registry_free(DR);
    if (!(DR = devices_load(tmpdir, NULL, &err)))
        fail_msg("good file rejected: %s", err.msg);
    assert_int_equal(devices_count(DR), 1);
    assert_non_null(devices_find(DR, "elite", "TestPad", 0, 0));

    expect_error("pad.json", GOOD_HEAD " \"callouts\": [}", "pad.json", "line");
    expect_error("pad.json",
                 "{\"id\": \"pad\", \"kind\": \"gamepad\", \"usb\": [], \"games\": {}, \"canvas\": "
                 "{\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad.png\", "
                 "\"art\": [], \"callouts\": []}",
                 "pad.json", "name: missing field");
    expect_error("pad.json",
                 GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": [\"pad:a\"], "
                           "\"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}, {\"id\": \"b\", \"label\": "
                           "\"B\", \"controls\": [\"button:2\", \"pad:a\"], \"box\": [20, 160, 300, 50], "
                           "\"anchor\": [960, 540]}]}",
                 "pad.json", "callouts[1] (b).controls[1]: duplicate control id \"pad:a\"");
    expect_error("pad.json",
                 GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": [\"button:0\"], "
                           "\"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}",
                 "pad.json", "controls[0]: \"button:0\" is not a control id");
    expect_error("pad.json",
                 GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": [\"pad:a\"], "
                           "\"box\": [1800, 100, 300, 50], \"anchor\": [960, 540]}]}",
                 "pad.json", "callouts[0] (a).box");
    expect_error("pad.json",
                 GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": [\"pad:a\"], "
                           "\"box\": [20, 100, 300, 50]}]}",
                 "pad.json", "anchor: missing field");
    expect_error("other.json",
                 GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": [\"pad:a\"], "
                           "\"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}",
                 "other.json", "does not match the file name");
    expect_error("pad.json",
                 "{\"id\": \"pad\", \"name\": \"P\", \"kind\": \"gamepad\", \"usb\": [\"12345678\"], \"games\": {}, "
                 "\"canvas\": {\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad.png\", "
                 "\"extras\": [600, 980, 700, 80], \"art\": [], \"callouts\": []}",
                 "pad.json", "usb[0]");
    expect_error("pad.json",
                 "{\"id\": \"pad\", \"name\": \"P\", \"kind\": \"gamepad\", \"usb\": [], \"games\": {}, "
                 "\"canvas\": {\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad.png\", "
                 "\"extras\": [600, 980, 700, 80], \"art\": [{\"path\": \"M 1 2 Q 3 4\"}], \"callouts\": []}",
                 "pad.json", "art[0].path");
    expect_error("pad.json",
                 "{\"id\": \"pad\", \"name\": \"P\", \"kind\": \"wheel\", \"usb\": [], \"games\": {}, "
                 "\"canvas\": {\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad.png\", "
                 "\"extras\": [600, 980, 700, 80], \"art\": [], \"callouts\": []}",
                 "pad.json", "kind");
    /* A name that is a bare hex id is a USB id: it never matches as a name. */
    clear_dir();
    write_file("pad.json",
               "{\"id\": \"pad\", \"name\": \"P\", \"kind\": \"gamepad\", \"usb\": [], "
               "\"games\": {\"elite\": [\"ABCD1234\"], \"starcitizen\": [\"Test  Pad\"]}, "
               "\"canvas\": {\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad.png\", "
               "\"extras\": [600, 980, 700, 80], \"art\": [], \"callouts\": [{\"id\": \"a\", \"label\": \"A\", "
               "\"controls\": [\"pad:a\"], \"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}");
    err = (err_t){0};
    devices_registry_free(DR);
    if (!(DR = devices_load(tmpdir, NULL, &err)))
        fail_msg("hex-name file rejected: %s", err.msg);
    assert_null(devices_find(DR, "elite", "ABCD1234", 0, 0));
    assert_null(devices_find(DR, NULL, "abcd1234", 0, 0));
    assert_non_null(devices_find(DR, "starcitizen", " test pad   {5678ABCD-0000-0000-0000-504944564944}", 0, 0));
    assert_null(devices_find(DR, "starcitizen", "Test Pa", 0, 0));
    /* Two files claiming the same USB id. */
    clear_dir();
    write_file("pad.json", GOOD_HEAD " \"callouts\": [{\"id\": \"a\", \"label\": \"A\", \"controls\": "
                                     "[\"pad:a\"], \"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}");
    write_file("pad2.json",
               "{\"id\": \"pad2\", \"name\": \"P2\", \"kind\": \"gamepad\", \"usb\": [\"1234:5678\"], \"games\": {}, "
               "\"canvas\": {\"width\": 1920, \"height\": 1080}, \"background\": \"baked/devices/pad2.png\", "
               "\"extras\": [600, 980, 700, 80], \"art\": [], \"callouts\": [{\"id\": \"a\", \"label\": \"A\", "
               "\"controls\": [\"pad:a\"], \"box\": [20, 100, 300, 50], \"anchor\": [960, 540]}]}");
    err = (err_t){0};
    assert_null(devices_load(tmpdir, NULL, &err));
    assert_non_null(strstr(err.msg, "1234:5678 is also claimed"));

    clear_dir();
    rmdir(sub);
    rmdir(tmpdir);
    devices_registry_free(DR);
    assert_int_equal(setup_registry(NULL), 0);
}

/* Bake the art, decode it back through devices_load, and check the second bake is a no-op. */
static void test_bake_and_decode(void **state)
{
    char assets[64] = "/tmp/cartouche-devart-XXXXXX";
    assert_non_null(mkdtemp(assets));
    err_t err = {0};
    int n = devart_bake(templates_dir(), assets, &err);
    if (n < 0)
        fail_msg("bake: %s", err.msg);
    assert_int_equal((size_t)n, devices_count(DR));
    assert_int_equal(devart_bake(templates_dir(), assets, &err), 0);
    devices_registry_free(DR);
    if (!(DR = devices_load(templates_dir(), assets, &err)))
        fail_msg("load with backgrounds: %s", err.msg);
    const device *d = devices_get(DR, "warthog-stick");
    cairo_surface_t *bg1 = devices_background(d, 1), *bg2 = devices_background(d, 2);
    assert_non_null(bg1);
    assert_non_null(bg2);
    assert_int_equal(cairo_image_surface_get_width(bg1), 1920);
    assert_int_equal(cairo_image_surface_get_height(bg2), 2160);
    /* The drawing is there: the centre column has ink (the grip), the far corner is paper. */
    cairo_surface_flush(bg1);
    const unsigned char *px = cairo_image_surface_get_data(bg1);
    int stride = cairo_image_surface_get_stride(bg1);
    uint32_t corner = *(const uint32_t *)(px + 5 * stride + 5 * 4);
    int inked = 0;
    for (int y = 100; y < 1000; y++)
        inked += *(const uint32_t *)(px + y * stride + 960 * 4) != corner;
    assert_true(inked > 300);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", assets);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_devices_load),
        cmocka_unit_test(test_callouts_inside_and_apart),
        cmocka_unit_test(test_leaders_do_not_cross),
        cmocka_unit_test(test_keyboard_has_every_key),
        cmocka_unit_test(test_find_by_game_name),
        cmocka_unit_test(test_find_by_usb),
        cmocka_unit_test(test_new_devices_identity),
        cmocka_unit_test(test_axis_mapping),
        cmocka_unit_test(test_list_json),
        cmocka_unit_test(test_rejects_broken_files),
        cmocka_unit_test(test_bake_and_decode),
    };
    return cmocka_run_group_tests(tests, setup_registry, teardown_registry);
}
