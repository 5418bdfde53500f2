/* cards.h — a filled template as a render job (shared by the cards route and bench/). */
#ifndef CARTOUCHE_CARDS_H
#define CARTOUCHE_CARDS_H

#include "core/render.h"
#include "cards/template.h"

typedef struct {
    template_set *set; /* holds the templates alive while the job runs (may be NULL in bench) */
    const template *t;
    char **text;       /* per slot; NULL = empty */
} template_job;

/* draw_fn of a card job: background, then every slot's text fitted into its box. */
int cards_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);
void cards_job_free(void *arg);

#endif
