/* refcards.c — controller reference cards over HTTP: POST /v1/refcards (a raw body, or
 * multipart/form-data with any number of file parts; a zip anywhere is unpacked; game detected
 * or ?game=), GET /v1/refcards/{id} (the summary), GET /v1/refcards/{id}/{card}.{jpg,png,pdf}
 * (one card, ?page=N), GET /v1/devices and GET /v1/games. An upload is stored with all its files
 * under an id derived from them, so a card URL is stable, survives restarts and is cacheable
 * forever.
 *
 * The I/O loop only validates URLs and replies: reading, parsing and storing an upload, reading
 * the store and drawing run on workers. A card's key comes from its URL alone, so a 304 or a
 * cache hit never reads the store; whether the upload and the card exist is decided on the worker,
 * on a miss. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/server.h"
#include "core/etag.h"
#include "http/multipart.h"
#include "refcards/bundle.h"
#include "refcards/card.h"
#include "refcards/cardset.h"
#include "refcards/refcards.h"
#include "refcards/refdata.h"
#include "util/sha256.h"
#include "refcards/uploads.h"

#define REFCARD_ID_LEN 24
#define REFCARD_MAX_PAGES 100 /* a ?page= past this is refused before the upload is read */
/* An upload has been sent whole when it is queued: it may wait this long for a worker before a
 * 503 (a render waits --deadline-ms). */
#define REFCARD_UPLOAD_WAIT_S 10.0

/* The refcards part of the catalog the request was dispatched with. */
static const refcards_data *data_of(const http_req *rq, const refcards_ctx *c)
{
    return catalog_part(http_req_data(rq), c->data);
}

static void reply_err(http_req *rq, err_kind kind, const char *param, const char *msg)
{
    err_t e;
    err_set(&e, kind, param, "%s", msg);
    http_reply_error(rq, &e);
}

/* Reads the upload with this id (a worker's job); -1 with a 404 or a store error in err. */
static int load_upload(uploads *store, const char *id, store_item *it, err_t *err)
{
    int rc = uploads_get(store, id, it, err);
    if (rc == 1)
        err_set(err, ERR_NOT_FOUND, NULL, "no such refcard");
    return rc == 0 ? 0 : -1;
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
 * the caller's to set. A generic card is titled with the readable name cardset found, without
 * its "#2" (the card adds the index itself). */
static card_job card_job_of(const refcards_data *rd, const binding_set *set, const cardset_card *c,
                            const binding **sel, size_t n, int page)
{
    card_job job = {0};
    job.dev = c->dev;
    job.devices = rd->devices;
    job.usb = rd->usb;
    job.items = sel;
    job.n_items = n;
    job.game = set->game;
    job.game_name = set->game_name;
    job.profile = set->profile;
    job.device_name = c->dev ? NULL : c->name;
    job.device_index = c->device_index;
    job.module = c->module;
    job.page = page;
    return job;
}

/* Pages card c needs, and how many of its n bindings sel are on controls its drawing has no
 * callout for: the card laid out once, without drawing, with the worker's fonts. */
static int card_pages(text_fonts *fonts, const refcards_data *rd, const binding_set *set, const cardset *cs,
                      const char *const *contexts, const cardset_card *c, const binding **sel,
                      size_t n, int *also, err_t *err)
{
    *also = 0;
    for (size_t k = 0; c->dev && c->dev->kind != DEVICE_KEYBOARD && k < n; k++)
        *also += !devices_callout_for(c->dev, sel[k]->input.control);
    card_job job = card_job_of(rd, set, c, sel, n, 1);
    card_stats st = {0};
    job.stats = &st;
    job.contexts = contexts;
    job.n_contexts = cs->n_contexts;
    if (card_draw(NULL, fonts, &job, err) < 0)
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
static int read_upload(const char *body, size_t len, const char *ctype, const char *filename, bundle *b,
                       err_t *err)
{
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

/* An upload on its way through a worker: what the loop took from the request, and the answer. */
typedef struct {
    char *body;
    size_t len;
    char *ctype, *game, *filename; /* Content-Type, ?game=, ?filename=; NULL when absent */
    err_t err;
    char *reply;                   /* the summary as the reply's JSON text */
    int created;
    char id[REFCARD_ID_LEN + 1];
    catalog *cat;            /* held until the job is freed: rd is its part */
    const refcards_data *rd;
    uploads *store;
} upload_job;

static void upload_job_free(void *arg)
{
    upload_job *u = arg;
    free(u->reply);
    free(u->body);
    free(u->ctype);
    free(u->game);
    free(u->filename);
    catalog_unref(u->cat);
    free(u);
}

/* On a worker: read the files, parse them, group them into cards, count each card's pages,
 * derive the id and commit the upload (it is on disk before the 201 leaves). */
static void upload_run(void *arg, render_ctx *rc)
{
    upload_job *u = arg;
    err_t *err = &u->err;
    bundle b = {0};
    binding_set set = {0};
    cardset cs = {0};
    const char **contexts = NULL;
    const binding **sel = NULL;
    int *pages = NULL, *also = NULL;
    store_file *files = NULL;
    json_t *summary = NULL;
    char *summary_txt = NULL;
    if (read_upload(u->body, u->len, u->ctype, u->filename, &b, err) < 0)
        goto done;
    games_bundle view = bundle_view(&b);
    if (games_parse_bundle(u->rd->games, u->game, &view, &set, err) < 0)
        goto done;
    if (set.n == 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "the %s file%s bind%s nothing: no control has an action",
                set.game_name, b.n > 1 ? "s" : "", b.n > 1 ? "" : "s");
        goto done;
    }
    if (cardset_build(u->rd->devices, u->rd->usb, &set, &cs, err) < 0)
        goto done;
    contexts = context_list(&cs);
    sel = calloc(set.n, sizeof *sel);
    pages = calloc(cs.n ? cs.n : 1, sizeof *pages);
    also = calloc(cs.n ? cs.n : 1, sizeof *also);
    files = calloc(b.n, sizeof *files);
    if (!contexts || !sel || !pages || !also || !files) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < cs.n; i++) {
        size_t n = cardset_select(&set, &cs.cards[i], sel);
        pages[i] = card_pages(render_ctx_fonts(rc), u->rd, &set, &cs, contexts, &cs.cards[i], sel, n, &also[i], err);
        if (pages[i] < 0)
            goto done;
    }
    upload_id(&b, &set, u->id);
    summary = build_summary(u->id, &b, &set, &cs, pages, also);
    summary_txt = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    if (!summary_txt) {
        err_set(err, ERR_INTERNAL, NULL, "the summary could not be written");
        goto done;
    }
    for (size_t i = 0; i < b.n; i++)
        files[i] = (store_file){b.files[i].name, b.files[i].data, b.files[i].len};
    if (uploads_put(u->store, u->id, files, b.n, u->game ? u->game : "", summary_txt, &u->created, err) < 0)
        goto done;
    if (!(u->reply = json_dumps(summary, HTTP_JSON_FLAGS)))
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
done:
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

/* On the loop: the answer. */
static void upload_done(http_req *rq, void *arg)
{
    upload_job *u = arg;
    if (u->err.kind) {
        http_reply_error(rq, &u->err);
        return;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/v1/refcards/%s", u->id);
    http_reply_header(rq, "Location", loc);
    http_reply_json_text(rq, u->created ? 201 : 200, u->reply, NULL, "no-store");
    u->reply = NULL;
}

static void refcards_route_upload(http_req *rq, void *ctx)
{
    static const query_key keys[] = {{"game", 0}, {"filename", 0}};
    err_t err = {0};
    const query *q = http_req_query(rq);
    if (query_check(q, keys, 2, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    upload_job *u = calloc(1, sizeof *u);
    const char *ctype = http_req_header(rq, "Content-Type"), *game = query_get(q, "game"),
               *filename = query_get(q, "filename");
    if (!u || !(u->body = (char *)http_req_take_body(rq, &u->len)) || (ctype && !(u->ctype = strdup(ctype))) ||
        (game && !(u->game = strdup(game))) || (filename && !(u->filename = strdup(filename)))) {
        if (u)
            upload_job_free(u);
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    const refcards_ctx *c = ctx;
    u->cat = catalog_ref(http_req_data(rq));
    u->rd = data_of(rq, c);
    u->store = c->store;
    http_reply_work(rq, REFCARD_UPLOAD_WAIT_S, upload_run, upload_done, u, upload_job_free);
}

/* GET /v1/refcards/{id}: the stored summary, read on a worker. */
typedef struct {
    char id[REFCARD_ID_LEN + 1];
    char key[64];
    err_t err;
    char *reply; /* the summary as the reply's JSON text */
    uploads *store;
} summary_job;

static void summary_job_free(void *arg)
{
    summary_job *sj = arg;
    free(sj->reply);
    free(sj);
}

static void summary_run(void *arg, render_ctx *rc)
{
    summary_job *sj = arg;
    store_item it;
    if (load_upload(sj->store, sj->id, &it, &sj->err) < 0)
        return;
    json_t *summary = json_loads(it.summary, 0, NULL);
    store_item_free(&it);
    sj->reply = summary ? json_dumps(summary, HTTP_JSON_FLAGS) : NULL;
    json_decref(summary);
    if (!sj->reply)
        err_set(&sj->err, ERR_INTERNAL, NULL, "stored summary is unreadable");
}

static void summary_done(http_req *rq, void *arg)
{
    summary_job *sj = arg;
    if (sj->err.kind) {
        http_reply_error(rq, &sj->err);
        return;
    }
    http_reply_json_text(rq, 200, sj->reply, sj->key, http_cache_control(rq));
    sj->reply = NULL;
}

static void refcards_route_summary(http_req *rq, void *ctx)
{
    err_t err = {0};
    const char *id = http_req_capture(rq, 0);
    if (query_check(http_req_query(rq), NULL, 0, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    if (!valid_id(id)) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "no such refcard (ids are 24 hex digits)");
        return;
    }
    summary_job *sj = calloc(1, sizeof *sj);
    if (!sj) {
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    snprintf(sj->id, sizeof sj->id, "%s", id);
    sj->store = ((const refcards_ctx *)ctx)->store;
    snprintf(sj->key, sizeof sj->key, "refcard-summary:%s", id);
    if (http_reply_if_not_modified(rq, sj->key, http_cache_control(rq))) {
        summary_job_free(sj);
        return;
    }
    http_reply_work(rq, 0, summary_run, summary_done, sj, summary_job_free);
}

/* One card page to draw: everything comes from the URL; the upload is read on the worker. */
typedef struct {
    char id[REFCARD_ID_LEN + 1];
    char slug[128];
    int page;
    catalog *cat;            /* held until the job is freed: rd is its part */
    const refcards_data *rd;
    uploads *store;
} refcard_job;

static void refcard_job_free(void *arg)
{
    refcard_job *j = arg;
    catalog_unref(j->cat);
    free(j);
}

/* Whether the upload has the card j->slug and its page j->page, from the summary written at
 * upload (cheaper than parsing); 0, or -1 with a 404/400 in err. */
static int check_card(const refcard_job *j, const store_item *it, err_t *err)
{
    json_t *summary = json_loads(it->summary, 0, NULL);
    json_t *devs = json_object_get(summary, "devices"), *e, *found = NULL;
    size_t i;
    json_array_foreach(devs, i, e)
    {
        const char *slug = json_string_value(json_object_get(e, "device"));
        if (slug && strcmp(slug, j->slug) == 0)
            found = e;
    }
    json_int_t pages = found ? json_integer_value(json_object_get(found, "pages")) : 0;
    if (pages < 1)
        pages = 1;
    json_decref(summary);
    if (!found) {
        err_set(err, ERR_NOT_FOUND, NULL, "this upload has no such card (see its summary)");
        return -1;
    }
    if (j->page > pages) {
        err_set(err, ERR_BAD_PARAM, "page", "page %d is past the last page of this card: page must be 1..%lld",
                j->page, (long long)pages);
        return -1;
    }
    return 0;
}

/* On a worker, on a cache miss: read the upload, check the card exists, parse the stored files
 * again (fast, and keeps nothing per upload in memory), group them into cards as at upload,
 * and draw the asked page of one. */
static int refcard_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    refcard_job *j = arg;
    store_item it = {0};
    binding_set set = {0};
    cardset cs = {0};
    const binding **sel = NULL;
    const char **contexts = NULL;
    games_file *files = NULL;
    int rv = -1;
    if (load_upload(j->store, j->id, &it, err) < 0 || check_card(j, &it, err) < 0)
        goto done;
    files = calloc(it.n ? it.n : 1, sizeof *files);
    if (!files) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < it.n; i++)
        files[i] = (games_file){it.files[i].name, it.files[i].data, it.files[i].len};
    games_bundle view = {files, it.n};
    if (games_parse_bundle(j->rd->games, it.game[0] ? it.game : NULL, &view, &set, err) < 0 ||
        cardset_build(j->rd->devices, j->rd->usb, &set, &cs, err) < 0)
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
    card_job cj = card_job_of(j->rd, &set, c, sel, n, j->page);
    cj.contexts = contexts;
    cj.n_contexts = cs.n_contexts;
    cj.background = c->dev ? devices_background(c->dev, render_ctx_scale(rc)) : NULL;
    cj.rc = rc;
    rv = card_draw(cr, render_ctx_fonts(rc), &cj, err);
done:
    free(contexts);
    free(sel);
    free(files);
    cardset_free(&cs);
    bindings_free(&set);
    store_item_free(&it);
    return rv;
}

static void refcards_route_card(http_req *rq, void *ctx)
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
    const char *id = http_req_capture(rq, 0), *name = http_req_capture(rq, 1);
    if (!valid_id(id)) {
        reply_err(rq, ERR_NOT_FOUND, NULL, "no such refcard (ids are 24 hex digits)");
        return;
    }
    refcard_job *job = calloc(1, sizeof *job);
    if (!job) {
        reply_err(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    char *dot = strrchr(name, '.');
    int fmt = dot ? img_format_from_ext(dot + 1) : -1;
    if (fmt < 0 || (size_t)(dot - name) >= sizeof job->slug) {
        free(job);
        reply_err(rq, ERR_NOT_FOUND, NULL, fmt < 0 ? "card URLs end in .jpg, .png or .pdf"
                                                   : "this upload has no such card (see its summary)");
        return;
    }
    if (fmt != IMG_JPEG && query_get(q, "q")) {
        free(job);
        reply_err(rq, ERR_BAD_PARAM, "q", "q applies to .jpg only");
        return;
    }
    snprintf(job->id, sizeof job->id, "%s", id);
    memcpy(job->slug, name, (size_t)(dot - name));
    job->page = (int)page;
    const refcards_ctx *c = ctx;
    job->cat = catalog_ref(http_req_data(rq));
    job->rd = data_of(rq, c);
    job->store = c->store;

    /* The key is the URL's and the catalog's: a 304 or a cache hit is answered without reading
     * the store, and a new drawing, device file or game table makes new keys (and ETags). */
    char key[320];
    snprintf(key, sizeof key, "refcard:%s:%s:p%ld:%s", id, job->slug, page, job->rd->digest);
    image_spec spec = {CARD_W, CARD_H, (int)scale, (img_format)fmt, (int)quality, 0};
    http_reply_image(rq, key, &spec, http_cache_control(rq), refcard_draw, job, refcard_job_free);
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

static void refcards_route_devices(http_req *rq, void *ctx)
{
    reply_listing(rq, "devices", devices_list_json(data_of(rq, ctx)->devices));
}

static void refcards_route_games(http_req *rq, void *ctx)
{
    reply_listing(rq, "games", games_list_json(data_of(rq, ctx)->games));
}

/* The routes of this module, in match order. */
static const route_def refcards_routes[] = {
    {HTTP_M_POST, "/v1/refcards", refcards_route_upload, "refcards_upload"},
    {HTTP_M_GH, "/v1/refcards/*", refcards_route_summary, "refcards"},
    {HTTP_M_GH, "/v1/refcards/*/*", refcards_route_card, "refcards_card"},
    {HTTP_M_GH, "/v1/devices", refcards_route_devices, "devices"},
    {HTTP_M_GH, "/v1/games", refcards_route_games, "games"},
};

int refcards_register(router *r, refcards_ctx *ctx)
{
    return router_add_table(r, refcards_routes, sizeof refcards_routes / sizeof refcards_routes[0], ctx);
}
