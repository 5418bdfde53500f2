/* codec.h — the image codecs the tile module needs: encoding tiles (libjpeg-turbo tjCompress2,
 * libpng with fast compression) into memory, and decoding pre-encoded tiles into rasters or
 * cairo surfaces on a worker. */
#ifndef CARTOUCHE_TILES_CODEC_H
#define CARTOUCHE_TILES_CODEC_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* An 8-bit raster, channels 3 (RGB) or 4 (RGBA, straight alpha), rows packed. */
typedef struct {
    int w, h, channels;
    uint8_t *px;
} tiles_raster;

void tiles_raster_free(tiles_raster *r);
/* Of an RGBA raster: the mean R, G, B over its opaque pixels (alpha >= 128; 0 if none) and the
 * share of them (0..1). */
void tiles_raster_colour(const tiles_raster *r, double mean[3], double *coverage);

/* Encode a raster; *out is malloc'd (caller frees). JPEG ignores alpha (caller flattens). */
int tiles_codec_encode_jpeg(const tiles_raster *r, int quality, unsigned char **out, size_t *len,
                            err_t *err);
/* The form the bake stores opaque tiles in: a JPEG in cell form (splice.h), a restart interval
 * every TILES_JPEG_CELL_MCUS MCUs, so that a labelled tile decodes and encodes again only the
 * cells its labels touch. r is RGB or RGBA (alpha ignored). */
#define TILES_JPEG_CELL_MCUS 2
int tiles_codec_encode_jpeg_cells(const tiles_raster *r, int quality, int cell_mcus, unsigned char **out,
                                  size_t *len, err_t *err);
int tiles_codec_encode_png(const tiles_raster *r, unsigned char **out, size_t *len, err_t *err);

/* Decode JPEG or PNG bytes into a new cairo image surface (ARGB32 premultiplied for PNG with
 * alpha, RGB24 otherwise). NULL + err on failure. Thread-safe (no shared state). */
cairo_surface_t *tiles_codec_decode_surface(const unsigned char *data, size_t len, err_t *err);

/* Decode JPEG or PNG bytes into an RGBA raster. */
int tiles_codec_decode_raster(const unsigned char *data, size_t len, tiles_raster *out,
                              err_t *err);

#endif
