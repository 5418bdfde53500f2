/* refcards.c — controller reference cards over HTTP: POST /v1/refcards (raw body or
 * multipart/form-data; game detected or ?game=), GET /v1/refcards/{id} (the summary),
 * GET /v1/refcards/{id}/{device}.{jpg,png,pdf} (one device's card), GET /v1/devices and
 * GET /v1/games. Uploads are stored under a content-derived id, so a card URL is stable,
 * survives restarts and is cacheable forever. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "etag.h"
#include "multipart.h"
#include "refcard/card.h"
#include "refcard/devices.h"
#include "refcard/games.h"
#include "routes.h"
#include "sha256.h"
#include "store.h"

#define REFCARD_ID_LEN 24
#define IMMUTABLE "public, max-age=31536000, immutable"

int refcards_load(const config *cfg, err_t *err)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/games", cfg->templates_dir);
    /* Device backgrounds are drawn live from their vector art: decoding all of them at 1x and
     * 2x would cost ~40 MB per device, far over the memory budget. */
    if (games_load(dir, err) < 0 || devices_load(cfg->templates_dir, NULL, err) < 0 ||
        store_open(cfg->db_path, err) < 0)
        return -1;
    return 0;
}

void refcards_unload(void)
{
    store_close();
    devices_unload();
    games_unload();
}

/* A URL-safe name for a device the registry does not know: "generic-" + [a-z0-9-] of its name. */
static void generic_slug(const char *name, int index, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "generic-");
    int dash = 1;
    for (const char *p = name; *p && n + 1 < cap - 4; p++) {
        if (isalnum((unsigned char)*p)) {
            out[n++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else if (!dash) {
            out[n++] = '-';
            dash = 1;
        }
    }
    while (n > 8 && out[n - 1] == '-')
        n--;
    out[n] = 0;
    if (index > 0)
        snprintf(out + n, cap - n, "-%d", index);
}

static const device *device_of(const binding_set *set, const bind_input *in)
{
    const device *d = devices_find(set->game, in->device, in->vid, in->pid);
    if (!d && strncmp(in->control, "key:", 4) == 0)
        d = devices_get("keyboard");
    return d;
}

/* The summary: devices found with their cards, counts, and bindings not shown with why. */
static json_t *build_summary(const char *id, const binding_set *set, const char *filename)
{
    json_t *devs = json_array(), *not_shown = json_array();
    for (size_t i = 0; i < set->n; i++) {
        const binding *b = &set->items[i];
        const bind_input *in = &b->input;
        char control[64];
        card_control_name(in->control, control, sizeof control);
        if (strcasecmp(in->device, "Mouse") == 0 || strncmp(in->control, "mouse", 5) == 0) {
            json_array_append_new(not_shown, json_pack("{s:s, s:s, s:s, s:s}", "action", b->action,
                "device", in->device, "control", control, "reason", "mouse bindings are not drawn on cards"));
            continue;
        }
        const device *d = device_of(set, in);
        char slug[96];
        if (d)
            snprintf(slug, sizeof slug, "%s", d->id);
        else
            generic_slug(in->device, in->device_index, slug, sizeof slug);
        json_t *entry = NULL;
        size_t k;
        json_t *e;
        json_array_foreach(devs, k, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "device")), slug) == 0)
                entry = e;
        }
        if (!entry) {
            entry = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "device", slug, "name",
                              d ? d->name : in->device, "registry", d ? d->id : "generic",
                              "game_device", in->device, "device_index", in->device_index, "bindings", 0);
            json_t *cards = json_object();
            for (int f = IMG_JPEG; f <= IMG_PDF; f++)
                json_object_set_new(cards, img_format_ext((img_format)f),
                                    json_sprintf("/v1/refcards/%s/%s.%s", id, slug, img_format_ext((img_format)f)));
            json_object_set_new(entry, "cards", cards);
            json_array_append_new(devs, entry);
        }
        json_object_set_new(entry, "bindings",
                            json_integer(json_integer_value(json_object_get(entry, "bindings")) + 1));
        if (d && d->kind != DEVICE_KEYBOARD && !devices_callout_for(d, in->control)) {
            json_array_append_new(not_shown, json_pack("{s:s, s:s, s:s, s:s}", "action", b->action,
                "device", d->name, "control", control,
                "reason", "no callout for this control on the device layout; shown in the card's \"Also bound\" box"));
        }
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "id", id, "game", set->game,
                     "game_name", set->game_name, "profile", set->profile, "filename",
                     filename ? filename : "", "bindings", (json_int_t)set->n, "devices", devs,
                     "not_shown", not_shown);
}

static int valid_id(const char *s)
{
    if (!s || strlen(s) != REFCARD_ID_LEN)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'f'))
            return 0;
    return 1;
}

static void reply_err(http_req *rq, err_kind kind, const char *param, const char *msg)
{
    err_t e;
    err_set(&e, kind, param, "%s", msg);
    http_reply_error(rq, &e);
}

void refcards_route_upload(http_req *rq)
{
    static const query_key keys[] = {{"game", 0}, {"filename", 0}};
    err_t err = {0};
    binding_set set = {0};
    json_t *summary = NULL;
    char *summary_txt = NULL;
    const query *q = http_req_query(rq);
    if (query_check(q, keys, 2, &err) < 0)
        goto fail;
    size_t len;
    const char *body = (const char *)http_req_body(rq, &len);
    const char *ctype = http_req_header(rq, "Content-Type");
    const char *filename = query_get(q, "filename");
    multipart_part part;
    if (ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0) {
        if (multipart_file(ctype, body, len, &part, &err) < 0)
            goto fail;
        body = part.data;
        len = part.len;
        if (!filename && part.filename[0])
            filename = part.filename;
    }
    const char *game = query_get(q, "game");
    if (len == 0) {
        err_set(&err, ERR_UNPROCESSABLE, NULL, "the uploaded file is empty");
        goto fail;
    }
    if (games_parse_named(game, filename, body, len, &set, &err) < 0)
        goto fail;
    if (set.n == 0) {
        err_set(&err, ERR_UNPROCESSABLE, NULL, "the %s file binds nothing: no control has an action",
                set.game_name);
        goto fail;
    }
    /* The id derives from what determines the cards: content, forced game, and for DCS (which
     * keeps the device name in it) the file name. */
    sha256_ctx h;
    unsigned char dg[32];
    char id[REFCARD_ID_LEN + 1];
    sha256_init(&h);
    sha256_update(&h, set.game, strlen(set.game) + 1);
    if (strcmp(set.game, "dcs") == 0 && filename)
        sha256_update(&h, filename, strlen(filename) + 1);
    sha256_update(&h, body, len);
    sha256_final(&h, dg);
    for (int i = 0; i < REFCARD_ID_LEN / 2; i++)
        snprintf(id + 2 * i, 3, "%02x", dg[i]);
    summary = build_summary(id, &set, filename);
    summary_txt = json_dumps(summary, JSON_COMPACT);
    store_item it = {(char *)body, len, (char *)(filename ? filename : ""), (char *)(game ? game : ""),
                     summary_txt, 0};
    int created = 0;
    if (!summary_txt || store_put(id, &it, &created, &err) < 0)
        goto fail;
    char loc[64];
    snprintf(loc, sizeof loc, "/v1/refcards/%s", id);
    http_reply_header(rq, "Location", loc);
    bindings_free(&set);
    free(summary_txt);
    http_reply_json(rq, created ? 201 : 200, summary, "no-store");
    return;
fail:
    bindings_free(&set);
    json_decref(summary);
    free(summary_txt);
    http_reply_error(rq, &err);
}

/* Loads an upload by the id in capture 0; replies 404/500 itself and returns -1. */
static int load_upload(http_req *rq, store_item *it)
{
    const char *id = http_req_capture(rq, 0);
    err_t err = {0};
    if (!valid_id(id)) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "no such refcard (ids are 24 hex digits)");
        return -1;
    }
    int rc = store_get(id, it, &err);
    if (rc == 1) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "no such refcard");
        return -1;
    }
    if (rc < 0) {
        http_reply_error(rq, &err);
        return -1;
    }
    return 0;
}

void refcards_route_summary(http_req *rq)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    store_item it;
    if (load_upload(rq, &it) < 0)
        return;
    json_t *summary = json_loads(it.summary, 0, NULL);
    char key[64];
    snprintf(key, sizeof key, "refcard-summary:%s", http_req_capture(rq, 0));
    store_item_free(&it);
    if (!summary) {
        reply_err(rq, ERR_INTERNAL, NULL, "stored summary is unreadable");
        return;
    }
    http_reply_json_etag(rq, summary, key, IMMUTABLE);
}

typedef struct {
    store_item it;
    char device[96];      /* registry id, or "" for generic */
    char game_device[96]; /* the game's name of the device (generic cards) */
    char forced_game[32];
    int device_index;
    char module[48];
} refcard_job;

static void refcard_job_free(void *arg)
{
    refcard_job *j = arg;
    store_item_free(&j->it);
    free(j);
}

/* On a worker: parse the stored file again (fast, and keeps nothing per upload in memory)
 * and draw the device's card. */
static int refcard_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    refcard_job *j = arg;
    binding_set set = {0};
    const binding **sel = NULL;
    int rv = -1;
    if (games_parse_named(j->forced_game[0] ? j->forced_game : NULL,
                          j->it.filename[0] ? j->it.filename : NULL, j->it.data, j->it.len, &set, err) < 0)
        goto done;
    const device *d = j->device[0] ? devices_get(j->device) : NULL;
    sel = calloc(set.n ? set.n : 1, sizeof *sel);
    if (!sel) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    size_t n = card_select(&set, d, j->game_device, j->device_index, j->module, sel);
    card_job cj = {d, sel, n, set.game, set.game_name, set.profile, d ? NULL : j->game_device,
                   d ? devices_background(d, render_ctx_scale(rc)) : NULL, NULL};
    rv = card_draw(cr, render_ctx_fonts(rc), &cj, err);
done:
    free(sel);
    bindings_free(&set);
    return rv;
}

void refcards_route_card(http_req *rq)
{
    static const query_key keys[] = {{"scale", 0}, {"q", 0}};
    err_t err = {0};
    const query *q = http_req_query(rq);
    long scale, quality;
    if (query_check(q, keys, 2, &err) < 0 || query_long(q, "scale", 1, 2, 1, &scale, &err) < 0 ||
        query_long(q, "q", 1, 100, 85, &quality, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    char devname[96];
    snprintf(devname, sizeof devname, "%s", http_req_capture(rq, 1));
    char *dot = strrchr(devname, '.');
    int fmt = dot ? img_format_from_ext(dot + 1) : -1;
    if (fmt < 0) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "card URLs end in .jpg, .png or .pdf");
        return;
    }
    *dot = 0;
    if (fmt != IMG_JPEG && query_get(q, "q")) {
        reply_err(rq, ERR_BAD_PARAM, "q", "q applies to .jpg only");
        return;
    }
    refcard_job *job = calloc(1, sizeof *job);
    if (!job) {
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    if (load_upload(rq, &job->it) < 0) {
        free(job);
        return;
    }
    json_t *summary = json_loads(job->it.summary, 0, NULL);
    json_t *devs = json_object_get(summary, "devices"), *e, *found = NULL;
    size_t i;
    json_array_foreach(devs, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "device")), devname) == 0)
            found = e;
    }
    if (!found) {
        json_decref(summary);
        refcard_job_free(job);
        reply_err(rq, ERR_NOT_FOUND, NULL, "this upload has no such device (see its summary)");
        return;
    }
    const char *reg = json_string_value(json_object_get(found, "registry"));
    snprintf(job->device, sizeof job->device, "%s", strcmp(reg, "generic") ? reg : "");
    snprintf(job->game_device, sizeof job->game_device, "%s",
             json_string_value(json_object_get(found, "game_device")));
    snprintf(job->forced_game, sizeof job->forced_game, "%s", job->it.game);
    job->device_index = (int)json_integer_value(json_object_get(found, "device_index"));
    json_decref(summary);

    char key[256];
    snprintf(key, sizeof key, "refcard:%s:%s", http_req_capture(rq, 0), devname);
    image_spec spec = {CARD_W, CARD_H, (int)scale, (img_format)fmt, (int)quality, 0};
    http_reply_image(rq, key, &spec, IMMUTABLE, refcard_draw, job, refcard_job_free);
}

/* A registry listing with an ETag from its content. */
static void reply_listing(http_req *rq, const char *name, json_t *list)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) < 0) {
        json_decref(list);
        http_reply_error(rq, &err);
        return;
    }
    char *txt = json_dumps(list, JSON_COMPACT);
    char key[96];
    snprintf(key, sizeof key, "%s:%llu", name,
             (unsigned long long)(txt ? etag_hash(ETAG_SEED, txt, strlen(txt)) : 0));
    free(txt);
    http_reply_json_etag(rq, json_pack("{s:o}", name, list), key, "public, max-age=300");
}

void refcards_route_devices(http_req *rq)
{
    reply_listing(rq, "devices", devices_list_json());
}

void refcards_route_games(http_req *rq)
{
    reply_listing(rq, "games", games_list_json());
}
