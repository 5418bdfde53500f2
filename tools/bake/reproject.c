/* reproject.c — equirectangular → Web Mercator resampling (see reproject.h). */
#include "bake/reproject.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/georaster.h"
#include "tiles/tilemath.h"

/* Filter taps of one output coordinate: source indices first..first+n-1 with weights. */
typedef struct {
    int first, n;
    int off; /* into the shared weight array */
} taps;

typedef struct {
    taps *t;
    float *w;
    int count, wcap, wlen;
} tap_table;

static double span_lon(const tiles_source *s)
{
    double span = s->east - s->west;
    if (span <= 0)
        span += 360.0;
    return span;
}

int tiles_source_is_world(const tiles_source *s)
{
    return span_lon(s) >= 359.999;
}

static double catmull_rom(double x)
{
    x = fabs(x);
    if (x < 1.0)
        return 1.5 * x * x * x - 2.5 * x * x + 1.0;
    if (x < 2.0)
        return -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0;
    return 0.0;
}

static int table_init(tap_table *tt, int count)
{
    memset(tt, 0, sizeof *tt);
    tt->t = calloc((size_t)count, sizeof *tt->t);
    tt->count = count;
    tt->wcap = count * 8;
    tt->w = malloc(sizeof(float) * (size_t)tt->wcap);
    return tt->t && tt->w ? 0 : -1;
}

static void table_free(tap_table *tt)
{
    free(tt->t);
    free(tt->w);
}

/* Taps for the output pixel whose pre-image is [a, b) with centre c, in source pixel units
 * (pixel i covers [i, i+1)). */
static int table_set(tap_table *tt, int i, double a, double b, double c)
{
    taps *tp = &tt->t[i];
    double scale = b - a;
    int first, n;
    if (scale > 1.0) {
        first = (int)floor(a);
        int last = (int)ceil(b) - 1;
        n = last - first + 1;
    } else {
        first = (int)floor(c - 0.5) - 1;
        n = 4;
    }
    if (tt->wlen + n > tt->wcap) {
        int cap = tt->wcap * 2 + n;
        float *nw = realloc(tt->w, sizeof(float) * (size_t)cap);
        if (!nw)
            return -1;
        tt->w = nw;
        tt->wcap = cap;
    }
    tp->first = first;
    tp->n = n;
    tp->off = tt->wlen;
    float *w = tt->w + tt->wlen;
    double sum = 0;
    for (int k = 0; k < n; k++) {
        double v;
        if (scale > 1.0) {
            double lo = fmax(a, first + k), hi = fmin(b, first + k + 1.0);
            v = hi > lo ? hi - lo : 0.0;
        } else {
            v = catmull_rom((first + k + 0.5) - c);
        }
        w[k] = (float)v;
        sum += v;
    }
    for (int k = 0; k < n; k++)
        w[k] = (float)(w[k] / sum);
    tt->wlen += n;
    return 0;
}

/* Source column of longitude lng, continuous, with the discontinuity of the modulo placed
 * in the middle of the gap opposite a partial image (none for a world image). */
static double lon_to_u(const tiles_source *s, double lng)
{
    double span = span_lon(s);
    double lo = -(360.0 - span) / 2.0;
    double d = lng - s->west;
    while (d < lo)
        d += 360.0;
    while (d >= lo + 360.0)
        d -= 360.0;
    return d / span * s->img->w;
}

static double lat_to_v(const tiles_source *s, double lat)
{
    return (s->north - lat) / (s->north - s->south) * s->img->h;
}

int tiles_source_covers_tile(const tiles_source *s, int z, int x, int y)
{
    if (tiles_source_is_world(s))
        return 1;
    double b[4];
    tiles_tile_bounds(z, x, y, b);
    if (b[1] >= s->north || b[3] <= s->south)
        return 0;
    double span = span_lon(s);
    /* Tile west edge relative to the source west edge, in [-360, 360). */
    double d = fmod(b[0] - s->west, 360.0);
    if (d < 0)
        d += 360.0;
    double tw = b[2] - b[0];
    return d < span || d + tw > 360.0;
}

int tiles_reproject_band(const tiles_source *s, int z, int ty, int tx0, int tx1, int size,
                         uint8_t *out, err_t *err)
{
    if (s->geo)
        return tiles_georaster_warp_band(s->geo, z, ty, tx0, tx1, size, out, err);
    const tiles_raster *img = s->img;
    const int world_src = tiles_source_is_world(s);
    const int ncols = (tx1 - tx0 + 1) * size;
    const double world = tiles_world_size(z, size);
    tap_table hx, vy;
    float *hrows = NULL;
    int rc = -1;
    if (table_init(&hx, ncols) != 0 || table_init(&vy, size) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    const double du = (double)img->w / (span_lon(s) / 360.0 * world); /* src px per out px */
    for (int i = 0; i < ncols; i++) {
        double gx = (double)tx0 * size + i + 0.5;
        double c = lon_to_u(s, tiles_x_to_lng(gx, world));
        if (table_set(&hx, i, c - du / 2, c + du / 2, c) != 0)
            goto oom;
    }
    int rmin = img->h, rmax = -1;
    for (int j = 0; j < size; j++) {
        double gy = (double)ty * size + j;
        double a = lat_to_v(s, tiles_y_to_lat(gy, world));
        double b = lat_to_v(s, tiles_y_to_lat(gy + 1, world));
        double c = lat_to_v(s, tiles_y_to_lat(gy + 0.5, world));
        if (table_set(&vy, j, a, b, c) != 0)
            goto oom;
        const taps *tp = &vy.t[j];
        int lo = tp->first, hi = tp->first + tp->n - 1;
        if (world_src) { /* rows clamp at the poles */
            lo = lo < 0 ? 0 : lo;
            hi = hi >= img->h ? img->h - 1 : hi;
        }
        lo = lo < 0 ? 0 : lo;
        hi = hi >= img->h ? img->h - 1 : hi;
        if (lo < rmin)
            rmin = lo;
        if (hi > rmax)
            rmax = hi;
    }
    if (rmax < rmin) { /* band entirely outside the source rows: transparent */
        memset(out, 0, (size_t)ncols * size * 4);
        rc = 0;
        goto done;
    }
    int nrows = rmax - rmin + 1;
    hrows = malloc(sizeof(float) * 4 * (size_t)ncols * nrows);
    if (!hrows)
        goto oom;

    /* Horizontal pass: premultiplied float RGBA for every source row the band needs. */
    for (int r = 0; r < nrows; r++) {
        const uint8_t *srow = img->px + (size_t)(rmin + r) * img->w * 4;
        float *h = hrows + (size_t)r * ncols * 4;
        for (int i = 0; i < ncols; i++) {
            const taps *tp = &hx.t[i];
            const float *w = hx.w + tp->off;
            float acc[4] = {0, 0, 0, 0};
            for (int k = 0; k < tp->n; k++) {
                int sx = tp->first + k;
                if (world_src) {
                    sx %= img->w;
                    if (sx < 0)
                        sx += img->w;
                } else if (sx < 0 || sx >= img->w) {
                    continue; /* outside a partial image: transparent */
                }
                const uint8_t *p = srow + (size_t)sx * 4;
                float a = p[3] * (1.0f / 255.0f);
                acc[0] += w[k] * p[0] * a;
                acc[1] += w[k] * p[1] * a;
                acc[2] += w[k] * p[2] * a;
                acc[3] += w[k] * p[3];
            }
            memcpy(h + (size_t)i * 4, acc, sizeof acc);
        }
    }

    /* Vertical pass, then back to straight alpha and 8 bits. */
    float *acc = malloc(sizeof(float) * 4 * (size_t)ncols);
    if (!acc)
        goto oom;
    for (int j = 0; j < size; j++) {
        const taps *tp = &vy.t[j];
        const float *w = vy.w + tp->off;
        memset(acc, 0, sizeof(float) * 4 * (size_t)ncols);
        for (int k = 0; k < tp->n; k++) {
            int sy = tp->first + k;
            if (world_src)
                sy = sy < 0 ? 0 : sy >= img->h ? img->h - 1 : sy;
            else if (sy < 0 || sy >= img->h)
                continue;
            const float *h = hrows + (size_t)(sy - rmin) * ncols * 4;
            const float wk = w[k];
            for (int i = 0; i < ncols * 4; i++)
                acc[i] += wk * h[i];
        }
        uint8_t *o = out + (size_t)j * ncols * 4;
        for (int i = 0; i < ncols; i++) {
            float a = acc[i * 4 + 3];
            if (a > 255.0f)
                a = 255.0f;
            if (a < 0.5f) {
                memset(o + i * 4, 0, 4);
                continue;
            }
            float inv = 255.0f / a;
            for (int ch = 0; ch < 3; ch++) {
                float v = acc[i * 4 + ch] * inv; /* cubic overshoot is clamped here */
                o[i * 4 + ch] = (uint8_t)(v <= 0 ? 0 : v >= 255.0f ? 255 : v + 0.5f);
            }
            o[i * 4 + 3] = (uint8_t)(a + 0.5f);
        }
    }
    free(acc);
    rc = 0;
    goto done;
oom:
    err_set(err, ERR_INTERNAL, NULL, "out of memory reprojecting z%d row %d", z, ty);
done:
    free(hrows);
    table_free(&hx);
    table_free(&vy);
    return rc;
}
