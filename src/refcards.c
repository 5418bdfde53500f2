/* refcards.c — controller reference cards over HTTP: POST /v1/refcards (a raw body, or
 * multipart/form-data with any number of file parts; a zip anywhere is unpacked; game detected
 * or ?game=), GET /v1/refcards/{id} (the summary), GET /v1/refcards/{id}/{card}.{jpg,png,pdf}
 * (one card, ?page=N), GET /v1/devices and GET /v1/games. An upload is stored with all its files
 * under an id derived from them, so a card URL is stable, survives restarts and is cacheable
 * forever. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "etag.h"
#include "multipart.h"
#include "refcard/bundle.h"
#include "refcard/card.h"
#include "refcard/cardset.h"
#include "refcard/devices.h"
#include "refcard/games.h"
#include "refcard/usbids.h"
#include "routes.h"
#include "sha256.h"
#include "store.h"

#define REFCARD_ID_LEN 24
#define REFCARD_MAX_PAGES 100 /* a ?page= past this is refused before the upload is read */
#define IMMUTABLE "public, max-age=31536000, immutable"

/* Fonts of the I/O loop, to lay out each card once at upload and count its pages (the worker
 * threads have their own in their render_ctx). */
static text_fonts *loop_fonts;

int refcards_load(const config *cfg, err_t *err)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/usb/vendors.json", cfg->templates_dir);
    usbids_load(NULL, dir);
    snprintf(dir, sizeof dir, "%s/games", cfg->templates_dir);
    /* Device backgrounds are drawn live from their vector art: decoding all of them at 1x and
     * 2x would cost ~40 MB per device, far over the memory budget. */
    if (games_load(dir, err) < 0 || devices_load(cfg->templates_dir, NULL, err) < 0 ||
        store_open(cfg->db_path, err) < 0)
        return -1;
    loop_fonts = text_fonts_new(cfg->fonts_manifest, err);
    return loop_fonts ? 0 : -1;
}

void refcards_unload(void)
{
    text_fonts_free(loop_fonts);
    loop_fonts = NULL;
    store_close();
    usbids_unload();
    devices_unload();
    games_unload();
}

static void reply_err(http_req *rq, err_kind kind, const char *param, const char *msg)
{
    err_t e;
    err_set(&e, kind, param, "%s", msg);
    http_reply_error(rq, &e);
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

/* The drawing job of page `page` of card c (sel: its n bindings); contexts and background are
 * the caller's to set. generic_title: room for a generic card's title. */
static card_job card_job_of(const binding_set *set, const cardset_card *c,
                            const binding **sel, size_t n, int page, char *generic_title, size_t cap)
{
    /* A registry device's title is its name (the card adds the index); a generic card's is the
     * readable name cardset found, without cardset's own "#2" (the card adds it too). */
    if (!c->dev)
        cardset_generic_title(c->game_device, c->vid, c->pid, generic_title, cap);
    card_job job = {0};
    job.dev = c->dev;
    job.items = sel;
    job.n_items = n;
    job.game = set->game;
    job.game_name = set->game_name;
    job.profile = set->profile;
    job.device_name = c->dev ? NULL : generic_title;
    job.device_index = c->device_index;
    job.module = c->module;
    job.page = page;
    return job;
}

/* Pages card c needs, and how many of its n bindings sel are on controls its drawing has no
 * callout for: the card laid out once on a recording surface (no pixels; the device art is
 * replaced by an empty background, since only the text decides the pages). */
static int card_pages(const binding_set *set, const cardset *cs, const char *const *contexts,
                      const cardset_card *c, const binding **sel, size_t n, int *also, err_t *err)
{
    *also = 0;
    for (size_t k = 0; c->dev && c->dev->kind != DEVICE_KEYBOARD && k < n; k++)
        *also += !devices_callout_for(c->dev, sel[k]->input.control);
    char title[160];
    card_job job = card_job_of(set, c, sel, n, 1, title, sizeof title);
    card_stats st = {0};
    job.stats = &st;
    job.contexts = contexts;
    job.n_contexts = cs->n_contexts;
    cairo_surface_t *blank = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    job.background = c->dev ? blank : NULL;
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    int rc = card_draw(cr, loop_fonts, &job, err);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    cairo_surface_destroy(blank);
    if (rc < 0)
        return -1;
    return st.pages > 0 ? st.pages : 1;
}

/* cs->contexts as the pointer list card_job takes (a new array; free()). */
static const char **context_list(const cardset *cs)
{
    const char **list = calloc(cs->n_contexts ? cs->n_contexts : 1, sizeof *list);
    for (size_t i = 0; list && i < cs->n_contexts; i++)
        list[i] = cs->contexts[i];
    return list;
}

static json_t *warning_json(const bind_warning *w)
{
    return json_pack("{s:s, s:i, s:s, s:s}", "file", w->file, "line", w->line, "what", w->what,
                     "why", w->why);
}

/* The summary: files read, devices with their cards and pages, bindings on no card with why,
 * and every entry that was skipped (the bundle's first, then the parsers'). */
static json_t *build_summary(const char *id, const bundle *b, const binding_set *set,
                             const cardset *cs, const int *pages, const int *also)
{
    json_t *files = json_array(), *devs = json_array(), *not_shown = json_array(),
           *warnings = json_array();
    for (size_t i = 0; i < b->n; i++)
        json_array_append_new(files, json_string(b->files[i].name));
    for (size_t i = 0; i < cs->n; i++) {
        const cardset_card *c = &cs->cards[i];
        json_t *cards = json_object();
        for (int f = IMG_JPEG; f <= IMG_PDF; f++)
            json_object_set_new(cards, img_format_ext((img_format)f),
                                json_sprintf("/v1/refcards/%s/%s.%s", id, c->slug, img_format_ext((img_format)f)));
        json_t *page_urls = json_array();
        for (int p = 2; p <= pages[i]; p++)
            json_array_append_new(page_urls, json_sprintf("/v1/refcards/%s/%s.jpg?page=%d", id, c->slug, p));
        json_array_append_new(
            devs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:i, s:i, s:o, s:o}", "device",
                            c->slug, "name", c->title, "title", c->title, "registry",
                            c->dev ? c->dev->id : "generic", "game_device", c->game_device,
                            "device_index", c->device_index, "module", c->module, "side",
                            c->dev ? c->dev->side : "", "bindings", (json_int_t)c->n_bindings,
                            "also_bound", also[i], "pages", pages[i], "cards", cards, "more_pages", page_urls));
    }
    for (size_t i = 0; i < cs->n_not_shown; i++) {
        const binding *bd = &set->items[cs->not_shown[i]];
        char control[64];
        card_control_name(bd->input.control, control, sizeof control);
        json_array_append_new(not_shown, json_pack("{s:s, s:s, s:s, s:s}", "action", bd->action, "device",
                                                   bd->input.device, "control", control, "reason",
                                                   "mouse bindings are not drawn on cards"));
    }
    size_t dropped = b->notes.warnings_dropped + set->warnings_dropped;
    const binding_set *lists[2] = {&b->notes, set};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n_warnings; i++) {
            if (json_array_size(warnings) < BIND_MAX_WARNINGS)
                json_array_append_new(warnings, warning_json(&lists[l]->warnings[i]));
            else
                dropped++;
        }
    json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o}", "id", id, "game", set->game,
                          "game_name", set->game_name, "profile", set->profile, "filename",
                          b->n ? b->files[0].name : "", "files", files, "bindings", (json_int_t)set->n,
                          "devices", devs, "not_shown", not_shown, "warnings", warnings);
    if (s && dropped)
        json_object_set_new(s, "warnings_dropped", json_integer((json_int_t)dropped));
    return s;
}

/* The id: what decides the cards — every file's name and bytes in the bundle's sorted order,
 * and the game they were read as. */
static void upload_id(const bundle *b, const binding_set *set, char id[REFCARD_ID_LEN + 1])
{
    sha256_ctx h;
    unsigned char dg[32];
    sha256_init(&h);
    sha256_update(&h, set->game, strlen(set->game) + 1);
    for (size_t i = 0; i < b->n; i++) {
        unsigned char len[8];
        for (int k = 0; k < 8; k++)
            len[k] = (unsigned char)((uint64_t)b->files[i].len >> (8 * k));
        sha256_update(&h, b->files[i].name, strlen(b->files[i].name) + 1);
        sha256_update(&h, len, sizeof len);
        sha256_update(&h, b->files[i].data, b->files[i].len);
    }
    sha256_final(&h, dg);
    for (int i = 0; i < REFCARD_ID_LEN / 2; i++)
        snprintf(id + 2 * i, 3, "%02x", dg[i]);
}

typedef struct {
    bundle *b;
    const char *filename; /* ?filename=, for a single unnamed part */
    int files;
} part_ctx;

static int add_part(const multipart_part *part, void *arg, err_t *err)
{
    part_ctx *pc = arg;
    if (!multipart_is_file(part))
        return 0; /* another form field */
    pc->files++;
    return bundle_add(pc->b, part->filename[0] ? part->filename : pc->filename, part->data, part->len, err);
}

/* The upload's files into b: every file part of a form, or the raw body. */
static int read_upload(http_req *rq, const char *filename, bundle *b, err_t *err)
{
    size_t len;
    const char *body = (const char *)http_req_body(rq, &len);
    const char *ctype = http_req_header(rq, "Content-Type");
    if (ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0) {
        part_ctx pc = {b, filename, 0};
        if (multipart_each(ctype, body, len, add_part, &pc, err) < 0)
            return -1;
        if (!pc.files) {
            err_set(err, ERR_BAD_REQUEST, "file", "the form has no file part");
            return -1;
        }
    } else if (bundle_add(b, filename, body, len, err) < 0) {
        return -1;
    }
    bundle_sort(b);
    if (b->n == 0) {
        if (b->notes.n_warnings)
            err_set(err, ERR_UNPROCESSABLE, NULL, "the upload holds no file that can be read (%s: %s)",
                    b->notes.warnings[0].file, b->notes.warnings[0].why);
        else
            err_set(err, ERR_UNPROCESSABLE, NULL, "the upload holds no file");
        return -1;
    }
    if (b->n == 1 && b->files[0].len == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "the uploaded file is empty");
        return -1;
    }
    return 0;
}

void refcards_route_upload(http_req *rq)
{
    static const query_key keys[] = {{"game", 0}, {"filename", 0}};
    err_t err = {0};
    bundle b = {0};
    binding_set set = {0};
    cardset cs = {0};
    const char **contexts = NULL;
    const binding **sel = NULL;
    int *pages = NULL, *also = NULL;
    store_file *files = NULL;
    json_t *summary = NULL;
    char *summary_txt = NULL;
    const query *q = http_req_query(rq);
    const char *game = query_get(q, "game");
    if (query_check(q, keys, 2, &err) < 0 || read_upload(rq, query_get(q, "filename"), &b, &err) < 0)
        goto fail;
    games_bundle view = bundle_view(&b);
    if (games_parse_bundle(game, &view, &set, &err) < 0)
        goto fail;
    if (set.n == 0) {
        err_set(&err, ERR_UNPROCESSABLE, NULL, "the %s file%s bind%s nothing: no control has an action",
                set.game_name, b.n > 1 ? "s" : "", b.n > 1 ? "" : "s");
        goto fail;
    }
    if (cardset_build(&set, &cs, &err) < 0)
        goto fail;
    contexts = context_list(&cs);
    sel = calloc(set.n, sizeof *sel);
    pages = calloc(cs.n ? cs.n : 1, sizeof *pages);
    also = calloc(cs.n ? cs.n : 1, sizeof *also);
    files = calloc(b.n, sizeof *files);
    if (!contexts || !sel || !pages || !also || !files) {
        err_set(&err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < cs.n; i++) {
        size_t n = cardset_select(&set, &cs.cards[i], sel);
        if ((pages[i] = card_pages(&set, &cs, contexts, &cs.cards[i], sel, n, &also[i], &err)) < 0)
            goto fail;
    }
    char id[REFCARD_ID_LEN + 1];
    upload_id(&b, &set, id);
    summary = build_summary(id, &b, &set, &cs, pages, also);
    summary_txt = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    if (!summary_txt) {
        err_set(&err, ERR_INTERNAL, NULL, "the summary could not be written");
        goto fail;
    }
    for (size_t i = 0; i < b.n; i++)
        files[i] = (store_file){b.files[i].name, b.files[i].data, b.files[i].len};
    int created = 0;
    if (store_put(id, files, b.n, game ? game : "", summary_txt, &created, &err) < 0)
        goto fail;
    char loc[64];
    snprintf(loc, sizeof loc, "/v1/refcards/%s", id);
    http_reply_header(rq, "Location", loc);
    http_reply_json(rq, created ? 201 : 200, summary, "no-store");
    summary = NULL;
fail:
    if (err.kind)
        http_reply_error(rq, &err);
    json_decref(summary);
    free(summary_txt);
    free(files);
    free(also);
    free(pages);
    free(sel);
    free(contexts);
    cardset_free(&cs);
    bindings_free(&set);
    bundle_free(&b);
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
    char slug[128];
    int page;
} refcard_job;

static void refcard_job_free(void *arg)
{
    refcard_job *j = arg;
    store_item_free(&j->it);
    free(j);
}

/* On a worker: parse the stored files again (fast, and keeps nothing per upload in memory),
 * group them into cards as at upload, and draw the asked page of one. */
static int refcard_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    refcard_job *j = arg;
    binding_set set = {0};
    cardset cs = {0};
    const binding **sel = NULL;
    const char **contexts = NULL;
    games_file *files = calloc(j->it.n ? j->it.n : 1, sizeof *files);
    int rv = -1;
    if (!files) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < j->it.n; i++)
        files[i] = (games_file){j->it.files[i].name, j->it.files[i].data, j->it.files[i].len};
    games_bundle view = {files, j->it.n};
    if (games_parse_bundle(j->it.game[0] ? j->it.game : NULL, &view, &set, err) < 0 ||
        cardset_build(&set, &cs, err) < 0)
        goto done;
    const cardset_card *c = cardset_find(&cs, j->slug);
    if (!c) {
        err_set(err, ERR_INTERNAL, NULL, "the stored upload no longer gives the card %s", j->slug);
        goto done;
    }
    sel = calloc(set.n ? set.n : 1, sizeof *sel);
    contexts = context_list(&cs);
    if (!sel || !contexts) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    size_t n = cardset_select(&set, c, sel);
    char title[160];
    card_job cj = card_job_of(&set, c, sel, n, j->page, title, sizeof title);
    cj.contexts = contexts;
    cj.n_contexts = cs.n_contexts;
    cj.background = c->dev ? devices_background(c->dev, render_ctx_scale(rc)) : NULL;
    rv = card_draw(cr, render_ctx_fonts(rc), &cj, err);
done:
    free(contexts);
    free(sel);
    free(files);
    cardset_free(&cs);
    bindings_free(&set);
    return rv;
}

void refcards_route_card(http_req *rq)
{
    static const query_key keys[] = {{"scale", 0}, {"q", 0}, {"page", 0}};
    err_t err = {0};
    const query *q = http_req_query(rq);
    long scale, quality, page;
    if (query_check(q, keys, 3, &err) < 0 || query_long(q, "scale", 1, 2, 1, &scale, &err) < 0 ||
        query_long(q, "q", 1, 100, 85, &quality, &err) < 0 ||
        query_long(q, "page", 1, REFCARD_MAX_PAGES, 1, &page, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    char devname[128];
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
    /* The summary says which cards the upload has and how many pages each needs, so a wrong
     * URL is answered here without parsing anything. */
    json_t *summary = json_loads(job->it.summary, 0, NULL);
    json_t *devs = json_object_get(summary, "devices"), *e, *found = NULL;
    size_t i;
    json_array_foreach(devs, i, e)
    {
        const char *slug = json_string_value(json_object_get(e, "device"));
        if (slug && strcmp(slug, devname) == 0)
            found = e;
    }
    long pages = found && json_integer_value(json_object_get(found, "pages")) > 0
                     ? (long)json_integer_value(json_object_get(found, "pages"))
                     : 1;
    json_decref(summary);
    if (!found) {
        refcard_job_free(job);
        reply_err(rq, ERR_NOT_FOUND, NULL, "this upload has no such card (see its summary)");
        return;
    }
    if (page > pages) {
        refcard_job_free(job);
        err_set(&err, ERR_BAD_PARAM, "page", "page %ld is past the last page of this card: page must be 1..%ld",
                page, pages);
        http_reply_error(rq, &err);
        return;
    }
    snprintf(job->slug, sizeof job->slug, "%s", devname);
    job->page = (int)page;

    char key[256];
    snprintf(key, sizeof key, "refcard:%s:%s:p%ld", http_req_capture(rq, 0), devname, page);
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
