/* test_render_util.h — what the splice tests share: one render context over a 1 GiB budget with
 * its splice store and encoder (the rig), and decoding a PNG blob into a cairo surface. Tests run
 * from the repository root. */
#ifndef TEST_RENDER_UTIL_H
#define TEST_RENDER_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>

#include "core/budget.h"
#include "core/metrics.h"
#include "core/render.h"
#include "core/splice.h"

static metrics m;
static budget *bud;
static splice_store *st;
static render_env env;
static render_ctx *rc;
static splice_encoder *enc;

/* The rig: 0, or -1 (err set when the render context failed). */
static inline int rig_open(err_t *err)
{
    bud = budget_new((size_t)1 << 30, &m);
    st = bud ? splice_store_new(bud) : NULL;
    if (!st)
        return -1;
    env = (render_env){"fonts/fonts.json", bud, st};
    rc = render_ctx_new(0, &env, err);
    enc = splice_encoder_new(st);
    return rc && enc ? 0 : -1;
}

static inline void rig_close(void)
{
    splice_cache_clear(st);
    splice_encoder_free(enc);
    render_ctx_free(rc);
    splice_store_free(st);
    budget_free(bud);
}

typedef struct {
    const unsigned char *p;
    size_t n, at;
} png_src;

static inline cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    png_src *s = closure;
    if (s->at + len > s->n)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p + s->at, len);
    s->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A PNG blob decoded (must decode). */
static inline cairo_surface_t *png_surface(const blob *b)
{
    png_src src = {b->data, b->len, 0};
    cairo_surface_t *png = cairo_image_surface_create_from_png_stream(png_read, &src);
    assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    return png;
}

#endif
