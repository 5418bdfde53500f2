/* cards.c — templated cards: GET /v1/templates, /v1/templates/{name}, and
 * GET/HEAD/POST /v1/cards/{template}.{jpg,png,pdf} filled from text.<slot>=… query parameters
 * or a JSON body {"text": {"slot": "…"}, "q": 85, "scale": 2, "subsampling": "444", "seed": 1}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "cards/cards.h"

void cards_job_free(void *arg)
{
    template_job *j = arg;
    if (!j)
        return;
    for (int i = 0; j->t && i < j->t->n_slots; i++)
        free(j->text[i]);
    free(j->text);
    if (j->set)
        template_set_unref(j->set);
    free(j);
}

int cards_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    template_job *j = arg;
    const template *t = j->t;
    int scale = render_ctx_scale(rc);
    /* Text stays inside its slot's box, and a slot's pixels follow from its index and text (the
     * template's version is in the background's tag): the slots with text are the parts. */
    render_part *parts = malloc((size_t)t->n_slots * sizeof *parts);
    if (!parts) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    int n = 0, rv = 0;
    for (int i = 0; i < t->n_slots; i++)
        if (j->text[i] && *j->text[i])
            parts[n++] = (render_part){t->slots[i].box, i, j->text[i], strlen(j->text[i]), 0};
    render_bg bg = {template_background(t, scale), t->bg_color, template_tag(t, scale), NULL, NULL, 0};
    render_background_under(rc, cr, &bg, parts, n);
    text_fonts *tf = render_ctx_fonts(rc);
    for (int k = 0; k < n; k++) {
        const tpl_slot *s = &t->slots[parts[k].id];
        if (parts[k].skip)
            continue;
        if (text_draw(tf, cr, parts[k].text, parts[k].len, &s->style, s->box, NULL, err) < 0) {
            snprintf(err->param, sizeof err->param, "text.%s", s->id);
            rv = -1;
            break;
        }
    }
    free(parts);
    return rv;
}

/* The template set the request was dispatched with (the templates part of its catalog). */
static template_set *templates_of(const http_req *rq, const void *ctx)
{
    return catalog_part(http_req_data(rq), ((const cards_ctx *)ctx)->templates);
}

static void cards_route_list(http_req *rq, void *ctx)
{
    const template_set *ts = templates_of(rq, ctx);
    json_t *list = json_array();
    for (int i = 0; i < ts->n; i++)
        json_array_append(list, ts->items[i]->desc);
    char key[64] = "templates";
    for (int i = 0; i < ts->n; i++)
        strncat(key, ts->items[i]->version, sizeof key - strlen(key) - 1);
    http_reply_json_etag(rq, json_pack("{s:o}", "templates", list), key, "public, max-age=60");
}

static void cards_route_describe(http_req *rq, void *ctx)
{
    const template *t = template_set_find(templates_of(rq, ctx), http_req_capture(rq, 0));
    if (!t) {
        err_t e;
        err_set(&e, ERR_NOT_FOUND, NULL, "no template named '%.60s'", http_req_capture(rq, 0));
        http_reply_error(rq, &e);
        return;
    }
    char key[128];
    snprintf(key, sizeof key, "template:%s:%s", t->name, t->version);
    http_reply_json_etag(rq, json_incref(t->desc), key, "public, max-age=60");
}

/* A JSON body becomes query parameters, so that both forms share validation and the cache key. */
/* Keys (a ':' outside strings) and nesting of a JSON text, counted in one pass that stops at the
 * limits: a body of 100 000 keys is refused before any tree is built for it, and before it is
 * copied into one piece (the scan is fed the body's pieces as they lie in memory). */
typedef struct {
    size_t keys, max_keys;
    int depth, in_str, escaped;
    err_t *err;
} body_shape;

static int body_shape_feed(const char *b, size_t len, void *ctx)
{
    body_shape *s = ctx;
    for (size_t i = 0; i < len; i++) {
        char ch = b[i];
        if (s->escaped) {
            s->escaped = 0;
        } else if (s->in_str) {
            if (ch == '\\')
                s->escaped = 1;
            else if (ch == '"')
                s->in_str = 0;
        } else if (ch == '"') {
            s->in_str = 1;
        } else if (ch == '{' || ch == '[') {
            if (++s->depth > CARDS_BODY_MAX_DEPTH) {
                err_set(s->err, ERR_BAD_REQUEST, NULL, "body nested deeper than %d (a card body is an "
                        "object with a \"text\" object)", CARDS_BODY_MAX_DEPTH);
                return -1;
            }
        } else if (ch == '}' || ch == ']') {
            s->depth--;
        } else if (ch == ':' && ++s->keys > s->max_keys) {
            err_set(s->err, ERR_TOO_LARGE, NULL, "more than %d parameters (QUERY_MAX_PARAMS, URL and body "
                    "together)", QUERY_MAX_PARAMS);
            return -1;
        }
    }
    return 0;
}

static body_shape body_shape_start(const query *q, err_t *err)
{
    return (body_shape){.max_keys = QUERY_MAX_PARAMS + 1 - q->n, .err = err};
}

/* The parameters of a body whose shape was checked. */
static int body_parse(const char *body, size_t len, query *q, err_t *err);

int cards_body_query(const char *body, size_t len, query *q, err_t *err)
{
    body_shape shape = body_shape_start(q, err);
    if (body_shape_feed(body, len, &shape) < 0)
        return -1;
    return body_parse(body, len, q, err);
}

static int body_parse(const char *body, size_t len, query *q, err_t *err)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(root)) {
        err_set(err, ERR_BAD_REQUEST, NULL, "body must be a JSON object (line %d: %s)", je.line,
                root ? "not an object" : je.text);
        json_decref(root);
        return -1;
    }
    const char *k;
    json_t *v;
    int rc = 0; /* (the parameter cap was checked by body_shape_feed: every key is a ':') */
    json_object_foreach(root, k, v)
    {
        if (!k[0]) {
            err_set(err, ERR_BAD_PARAM, NULL, "a body key is empty");
            rc = -1;
            goto done;
        }
        if (strcmp(k, "text") == 0 && json_is_object(v)) {
            const char *slot;
            json_t *sv;
            json_object_foreach(v, slot, sv)
            {
                char key[80];
                snprintf(key, sizeof key, "text.%s", slot);
                if (!slot[0]) {
                    err_set(err, ERR_BAD_PARAM, "text", "a text slot name is empty");
                    rc = -1;
                    goto done;
                }
                if (!json_is_string(sv)) {
                    err_set(err, ERR_BAD_PARAM, key, "%s must be a string", key);
                    rc = -1;
                    goto done;
                }
                if (memchr(json_string_value(sv), 0, json_string_length(sv))) {
                    err_set(err, ERR_BAD_PARAM, key, "%s contains NUL", key);
                    rc = -1;
                    goto done;
                }
                if (query_add(q, key, json_string_value(sv), json_string_length(sv)) < 0)
                    goto oom;
            }
            continue;
        }
        char buf[64];
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        if (json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            s = buf;
        }
        if (!s) {
            err_set(err, ERR_BAD_PARAM, k, "%.60s must be a string or an integer", k);
            rc = -1;
            goto done;
        }
        if (query_add(q, k, s, strlen(s)) < 0)
            goto oom;
    }
done:
    json_decref(root);
    return rc;
oom:
    json_decref(root);
    err_set(err, ERR_INTERNAL, NULL, "out of memory");
    return -1;
}

static int body_to_query(http_req *rq, query *q, err_t *err)
{
    size_t len;
    const char *ctype = http_req_header(rq, "Content-Type");
    if (ctype && strncmp(ctype, "application/json", 16) != 0) {
        err_set(err, ERR_UNSUPPORTED, NULL, "POST a JSON body (Content-Type: application/json)");
        return -1;
    }
    body_shape shape = body_shape_start(q, err);
    if (http_req_body_each(rq, body_shape_feed, &shape) < 0)
        return -1;
    const char *body = (const char *)http_req_body(rq, &len);
    return body_parse(body, len, q, err);
}

/* Characters (code points) of valid UTF-8. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void not_found(http_req *rq, const char *what)
{
    err_t e;
    err_set(&e, ERR_NOT_FOUND, NULL, "%s", what);
    http_reply_error(rq, &e);
}

static void cards_route_card(http_req *rq, void *ctx)
{
    static const query_key keys[] = {{"text.", 0}, {"q", 0}, {"subsampling", 0}, {"scale", 0},
                                     {"seed", 0}};
    static const char *const subs[] = {"420", "444", NULL};
    err_t err = {0};
    template_job *job = NULL;
    char *canon = NULL;
    query merged = {0};
    const query *q = http_req_query(rq);

    char name[80];
    snprintf(name, sizeof name, "%s", http_req_capture(rq, 0));
    char *dot = strrchr(name, '.');
    int fmt = dot ? img_format_from_ext(dot + 1) : -1;
    if (dot)
        *dot = 0;
    template_set *ts = templates_of(rq, ctx);
    const template *t = template_set_find(ts, name);
    if (!t || fmt < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, fmt < 0 ? "card URLs end in .jpg, .png or .pdf"
                                          : "no template named '%.60s' (see /v1/templates)", name);
        not_found(rq, msg);
        return;
    }
    int fbit = fmt == IMG_JPEG ? TPL_FMT_JPG : fmt == IMG_PNG ? TPL_FMT_PNG : TPL_FMT_PDF;
    if (!(t->formats & fbit)) {
        char msg[160];
        snprintf(msg, sizeof msg, "template '%s' is not offered as .%s", t->name, img_format_ext(fmt));
        not_found(rq, msg);
        return;
    }
    if (http_req_method(rq) == HTTP_M_POST) {
        /* Query parameters and a JSON body together: one list, so duplicates are caught. */
        for (size_t i = 0; i < q->n; i++)
            if (query_add(&merged, q->p[i].key, q->p[i].val, q->p[i].vlen) < 0)
                goto oom;
        if (body_to_query(rq, &merged, &err) < 0)
            goto fail;
        q = &merged;
    }
    if (query_check(q, keys, sizeof keys / sizeof keys[0], &err) < 0)
        goto fail;

    long quality, scale, seed = -1;
    int sub;
    if (query_long(q, "q", 1, 100, 85, &quality, &err) < 0 ||
        query_long(q, "scale", 1, 2, 1, &scale, &err) < 0 ||
        query_enum(q, "subsampling", subs, 0, &sub, &err) < 0)
        goto fail;
    if (query_get(q, "seed")) {
        if (!t->seed_slot[0]) {
            err_set(&err, ERR_UNKNOWN_PARAM, "seed", "template '%s' takes no seed parameter", t->name);
            goto fail;
        }
        if (query_long(q, "seed", 0, 999999999999L, 0, &seed, &err) < 0)
            goto fail;
    }
    if (fmt != IMG_JPEG && (query_get(q, "q") || query_get(q, "subsampling"))) {
        err_set(&err, ERR_BAD_PARAM, query_get(q, "q") ? "q" : "subsampling",
                "q and subsampling apply to .jpg only");
        goto fail;
    }

    job = calloc(1, sizeof *job);
    if (!job || !(job->text = calloc((size_t)t->n_slots, sizeof *job->text)))
        goto oom;
    job->t = t;
    job->set = ts;
    template_set_ref(job->set);
    for (size_t i = 0; i < q->n; i++) {
        if (strncmp(q->p[i].key, "text.", 5) != 0)
            continue;
        const char *slot = q->p[i].key + 5;
        int idx = -1;
        for (int s = 0; s < t->n_slots; s++)
            if (strcmp(t->slots[s].id, slot) == 0)
                idx = s;
        if (idx < 0) {
            err_set(&err, ERR_UNKNOWN_PARAM, q->p[i].key, "template '%s' has no slot '%.60s'", t->name, slot);
            goto fail;
        }
        const char *v = q->p[i].val;
        size_t vlen = q->p[i].vlen;
        if (!text_utf8_valid(v, vlen)) {
            err_set(&err, ERR_BAD_PARAM, q->p[i].key, "%s is not valid UTF-8", q->p[i].key);
            goto fail;
        }
        size_t chars = utf8_chars(v, vlen);
        long max_text = http_config(rq)->max_text;
        long limit = t->slots[idx].max_length < max_text ? t->slots[idx].max_length : max_text;
        if ((long)chars > limit) {
            err_set(&err, ERR_BAD_PARAM, q->p[i].key, "%s is %zu characters; the limit is %ld",
                    q->p[i].key, chars, limit);
            goto fail;
        }
        job->text[idx] = strdup(v);
        if (!job->text[idx])
            goto oom;
    }
    for (int s = 0; s < t->n_slots; s++) {
        if (!job->text[s] && t->slots[s].def)
            job->text[s] = strdup(t->slots[s].def);
        if (!job->text[s] && t->slots[s].required) {
            char param[48];
            snprintf(param, sizeof param, "text.%s", t->slots[s].id);
            err_set(&err, ERR_BAD_PARAM, param, "%s is required", param);
            goto fail;
        }
    }
    if (seed >= 0) {
        for (int s = 0; s < t->n_slots; s++) {
            if (strcmp(t->slots[s].id, t->seed_slot) != 0)
                continue;
            const char *base = job->text[s] ? job->text[s] : "";
            size_t n = strlen(base) + 24;
            char *with = malloc(n);
            if (!with)
                goto oom;
            snprintf(with, n, "%s #%ld", base, seed);
            free(job->text[s]);
            job->text[s] = with;
        }
    }

    /* One key for one image: "q=85", "scale=1", "subsampling=420" are the defaults, "q=085" is 85. */
    static const query_norm norms[] = {
        {"q", QUERY_NORM_LONG, "85", 0},
        {"scale", QUERY_NORM_LONG, "1", 0},
        {"seed", QUERY_NORM_LONG, NULL, 0},
        {"subsampling", QUERY_NORM_ENUM, "420", 0},
    };
    canon = query_canonical_norm(q, norms, sizeof norms / sizeof norms[0]);
    if (!canon)
        goto oom;
    size_t klen = strlen(canon) + 160;
    char *key = malloc(klen);
    if (!key)
        goto oom;
    snprintf(key, klen, "card:%s:%s?%s", t->name, t->version, canon);
    image_spec spec = {t->width, t->height, (int)scale, (img_format)fmt, (int)quality, sub == 1};
    http_reply_image(rq, key, &spec, NULL, cards_draw, job, cards_job_free);
    free(key);
    free(canon);
    query_free(&merged);
    return;
oom:
    err_set(&err, ERR_INTERNAL, NULL, "out of memory");
fail:
    cards_job_free(job);
    free(canon);
    query_free(&merged);
    http_reply_error(rq, &err);
}

/* The routes of this module, in match order. */
static const route_def cards_routes[] = {
    {HTTP_M_GH, "/v1/templates", cards_route_list, "templates"},
    {HTTP_M_GH, "/v1/templates/*", cards_route_describe, "templates"},
    {HTTP_M_GH | HTTP_M_POST, "/v1/cards/*", cards_route_card, "cards"},
};

int cards_register(router *r, cards_ctx *ctx)
{
    return router_add_table(r, cards_routes, sizeof cards_routes / sizeof cards_routes[0], ctx);
}
