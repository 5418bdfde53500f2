/* codec.c — JPEG (libjpeg-turbo) and PNG (libpng) encode/decode for tiles.
 * A tjhandle is made per call: bake encodes thousands of tiles per handle-less call cheaply
 * enough (handle creation is microseconds), and decoding on workers stays free of shared state. */
#include "tiles/codec.h"

#include "core/encode.h"
#include "core/splice.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

void tiles_raster_free(tiles_raster *r)
{
    free(r->px);
    r->px = NULL;
    r->w = r->h = 0;
}

void tiles_raster_colour(const tiles_raster *r, double mean[3], double *coverage)
{
    double sum[3] = {0, 0, 0};
    long n = 0, total = (long)r->w * r->h;
    for (long i = 0; i < total; i++) {
        const uint8_t *p = r->px + i * 4;
        if (p[3] < 128)
            continue;
        for (int c = 0; c < 3; c++)
            sum[c] += p[c];
        n++;
    }
    for (int c = 0; c < 3; c++)
        mean[c] = n ? sum[c] / n : 0;
    *coverage = total ? (double)n / total : 0;
}

static int is_png(const unsigned char *d, size_t len)
{
    return len >= 8 && png_sig_cmp((png_const_bytep)d, 0, 8) == 0;
}

static int is_jpeg(const unsigned char *d, size_t len)
{
    return len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
}

/* ---- decode ---- */

static int decode_jpeg(const unsigned char *data, size_t len, int pixfmt, int channels,
                       tiles_raster *out, err_t *err)
{
    tjhandle tj = tjInitDecompress();
    if (!tj) {
        err_set(err, ERR_INTERNAL, NULL, "tjInitDecompress failed");
        return -1;
    }
    int w, h, ss, cs;
    if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &ss, &cs) != 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "not a readable JPEG: %s", tjGetErrorStr2(tj));
        tjDestroy(tj);
        return -1;
    }
    out->px = malloc((size_t)w * h * channels);
    if (!out->px) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory decoding a %dx%d JPEG", w, h);
        tjDestroy(tj);
        return -1;
    }
    if (tjDecompress2(tj, data, (unsigned long)len, out->px, w, w * channels, h, pixfmt,
                      TJFLAG_ACCURATEDCT) != 0) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "JPEG decode failed: %s", tjGetErrorStr2(tj));
        free(out->px);
        out->px = NULL;
        tjDestroy(tj);
        return -1;
    }
    tjDestroy(tj);
    out->w = w;
    out->h = h;
    out->channels = channels;
    return 0;
}

/* libpng's simplified API; fmt is a PNG_FORMAT_* value with 4 bytes per pixel. */
static int decode_png(const unsigned char *data, size_t len, unsigned fmt, tiles_raster *out,
                      int *has_alpha, err_t *err)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len)) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "not a readable PNG: %s", img.message);
        return -1;
    }
    if (has_alpha)
        *has_alpha = (img.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    img.format = fmt;
    out->px = malloc(PNG_IMAGE_SIZE(img));
    if (!out->px) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory decoding a %ux%u PNG", img.width,
                img.height);
        png_image_free(&img);
        return -1;
    }
    if (!png_image_finish_read(&img, NULL, out->px, 0, NULL)) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "PNG decode failed: %s", img.message);
        free(out->px);
        out->px = NULL;
        return -1;
    }
    out->w = (int)img.width;
    out->h = (int)img.height;
    out->channels = 4;
    return 0;
}

int tiles_codec_decode_raster(const unsigned char *data, size_t len, tiles_raster *out,
                              err_t *err)
{
    memset(out, 0, sizeof *out);
    if (is_jpeg(data, len))
        return decode_jpeg(data, len, TJPF_RGBA, 4, out, err);
    if (is_png(data, len))
        return decode_png(data, len, PNG_FORMAT_RGBA, out, NULL, err);
    err_set(err, ERR_UNSUPPORTED, NULL, "neither JPEG nor PNG data");
    return -1;
}

cairo_surface_t *tiles_codec_decode_surface(const unsigned char *data, size_t len, err_t *err)
{
    tiles_raster r;
    memset(&r, 0, sizeof r);
    int alpha = 0;
    /* Cairo's pixels are native-endian 32-bit 0xAARRGGBB: BGRA bytes on little-endian. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const int tjfmt = TJPF_BGRX;
    const unsigned pngfmt = PNG_FORMAT_BGRA;
#else
    const int tjfmt = TJPF_XRGB;
    const unsigned pngfmt = PNG_FORMAT_ARGB;
#endif
    if (is_jpeg(data, len)) {
        if (decode_jpeg(data, len, tjfmt, 4, &r, err) != 0)
            return NULL;
    } else if (is_png(data, len)) {
        if (decode_png(data, len, pngfmt, &r, &alpha, err) != 0)
            return NULL;
    } else {
        err_set(err, ERR_UNSUPPORTED, NULL, "neither JPEG nor PNG data");
        return NULL;
    }
    cairo_format_t cf = alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24;
    cairo_surface_t *s = cairo_image_surface_create(cf, r.w, r.h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        tiles_raster_free(&r);
        err_set(err, ERR_INTERNAL, NULL, "cannot create a %dx%d surface", r.w, r.h);
        return NULL;
    }
    cairo_surface_flush(s);
    unsigned char *dst = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < r.h; y++) {
        uint32_t *d = (uint32_t *)(dst + (size_t)y * stride);
        const uint32_t *src = (const uint32_t *)(r.px + (size_t)y * r.w * 4);
        if (!alpha) {
            memcpy(d, src, (size_t)r.w * 4);
            continue;
        }
        for (int x = 0; x < r.w; x++) {
            uint32_t p = src[x];
            uint32_t a = p >> 24;
            if (a == 255) {
                d[x] = p;
            } else {
                uint32_t rr = ((p >> 16) & 255) * a / 255, gg = ((p >> 8) & 255) * a / 255,
                         bb = (p & 255) * a / 255;
                d[x] = (a << 24) | (rr << 16) | (gg << 8) | bb;
            }
        }
    }
    cairo_surface_mark_dirty(s);
    tiles_raster_free(&r);
    return s;
}

/* ---- encode: the project's one JPEG/PNG encoder (encode.c), into malloc'd buffers ---- */

int tiles_codec_encode_jpeg(const tiles_raster *r, int quality, unsigned char **out, size_t *len,
                            err_t *err)
{
    tjhandle tj = tjInitCompress();
    outbuf o = {0};
    if (!tj) {
        err_set(err, ERR_INTERNAL, NULL, "tjInitCompress failed");
        return -1;
    }
    int rc = encode_jpeg_raster(tj, r->px, r->w, r->h, r->channels, quality, &o, err);
    tjDestroy(tj);
    if (rc < 0) {
        outbuf_free(&o);
        return -1;
    }
    *out = o.data;
    *len = o.len;
    return 0;
}

int tiles_codec_encode_jpeg_cells(const tiles_raster *r, int quality, int cell_mcus, unsigned char **out,
                                  size_t *len, err_t *err)
{
    /* The splicer's encoder takes cairo's pixels: native-endian 32-bit words 0xXXRRGGBB. */
    uint32_t *px = malloc((size_t)r->w * (size_t)r->h * 4);
    splice_encoder *enc = splice_encoder_new(NULL);
    outbuf o = {0};
    int rc = -1;
    if (!px || !enc) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < (size_t)r->w * (size_t)r->h; i++) {
        const uint8_t *p = r->px + i * (size_t)r->channels;
        px[i] = 0xFF000000u | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    }
    splice_fmt f = {r->w, r->h, quality, 0, 0};
    rc = splice_encode_cells(enc, &f, cell_mcus, (const unsigned char *)px, r->w * 4, &o, err);
done:
    free(px);
    splice_encoder_free(enc);
    if (rc < 0) {
        outbuf_free(&o);
        return -1;
    }
    *out = o.data;
    *len = o.len;
    return 0;
}

int tiles_codec_encode_png(const tiles_raster *r, unsigned char **out, size_t *len, err_t *err)
{
    outbuf o = {0};
    if (encode_png_raster(r->px, r->w, r->h, r->channels, &o, err) < 0) {
        outbuf_free(&o);
        return -1;
    }
    *out = o.data;
    *len = o.len;
    return 0;
}
