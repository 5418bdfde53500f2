/* cards.h — templated cards: the routes, and a filled template as a render job (shared by the
 * cards route and bench/). The templates are the catalog's part (templates_part_ops). */
#ifndef CARTOUCHE_CARDS_H
#define CARTOUCHE_CARDS_H

#include "cards/template.h"
#include "core/render.h"
#include "http/query.h"
#include "http/router.h"
#include "util/config.h"

typedef struct {
    template_set *set; /* holds the templates alive while the job runs (may be NULL in bench) */
    const template *t;
    char **text;       /* per slot; NULL = empty */
} template_job;

/* draw_fn of a card job: background, then every slot's text fitted into its box. */
int cards_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);
void cards_job_free(void *arg);

/* The module's context: the catalog slot of its templates. Jobs hold a reference to the set
 * they started with, so a SIGHUP meanwhile changes nothing under them. */
typedef struct {
    int templates;
} cards_ctx;

/* A POSTed card body ({"text": {"slot": "..."}, "q": 85, ...}) added to q as text.<slot>=... and
 * key=value parameters. Refused before parsing when it holds more keys than the parameter cap
 * leaves (413) or nests deeper than CARDS_BODY_MAX_DEPTH (400); values must be strings without
 * NUL, or integers outside "text". */
#define CARDS_BODY_MAX_DEPTH 2
int cards_body_query(const char *body, size_t len, query *q, err_t *err);

/* GET /v1/templates, /v1/templates/{name}; GET/HEAD/POST /v1/cards/{template}.{jpg,png,pdf}. */
int cards_register(router *r, cards_ctx *ctx);

#endif
