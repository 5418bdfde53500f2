/* encode.h — cairo image surfaces to JPEG (libjpeg-turbo) and PNG (libpng) bytes, into a
 * growable per-thread buffer that is reused from job to job. */
#ifndef CARTOUCHE_ENCODE_H
#define CARTOUCHE_ENCODE_H

#include <cairo.h>
#include <stddef.h>

#include "util/err.h"

typedef struct {
    unsigned char *data;
    size_t len, cap;
} outbuf;

/* Make room for n more bytes; -1 on out-of-memory. */
int outbuf_reserve(outbuf *o, size_t n);
int outbuf_append(outbuf *o, const void *p, size_t n);
void outbuf_free(outbuf *o);

/* tj is a per-thread tjhandle (tjInitCompress). Replaces o's contents. */
int encode_jpeg(void *tj, cairo_surface_t *s, int quality, int subsamp444, outbuf *o, err_t *err);
int encode_png(cairo_surface_t *s, outbuf *o, err_t *err);

/* The same for packed rasters of 3 (RGB) or 4 (RGBA, straight alpha) channels; JPEG ignores
 * alpha (flatten first). Used by the bake step. */
int encode_jpeg_raster(void *tj, const unsigned char *px, int w, int h, int channels, int quality,
                       outbuf *o, err_t *err);
int encode_png_raster(const unsigned char *px, int w, int h, int channels, outbuf *o, err_t *err);

#endif
