/* render_ctx.h — the worker side of render.h: per-thread state and running one image job.
 * Only pool.c (thread start/stop) and server.c (the image job) use this header. */
#ifndef CARTOUCHE_RENDER_CTX_H
#define CARTOUCHE_RENDER_CTX_H

#include "core/pool.h"
#include "core/render.h"

render_ctx *render_ctx_new(int id, const char *fonts_manifest, err_t *err);
void render_ctx_free(render_ctx *rc);

/* Create the target, draw, encode; on success *out is a blob (refs = 1) of the bytes.
 * The job's deadline bounds waits for pooled memory (ERR_BUSY when it passes). */
int render_image(render_ctx *rc, const image_spec *spec, draw_fn draw, void *arg, double deadline,
                 blob **out, err_t *err);

#endif
