/* tilebake.c — `cartouche bake`, tile part: warps source imagery with GDAL (georaster.h) into
 * tile archives (256 px and 512 px @2x; PMTiles by default, MBTiles on request), records each
 * layer's stamp and scene statistics, and bakes the place index from Marble's gazetteer. Work
 * already done (same source mtime/size, bounds and TILES_BAKE_VERSION, archives present) is
 * skipped. Two threads share the bands of tiles.
 *
 * Each tile is stored once, in one format: JPEG q85 for an opaque layer, PNG (alpha) for a
 * user image that covers part of the world. The server encodes the other format on demand
 * from the stored one (and caches it); storing both cost 1.06 GB of PNG for the two world
 * layers and most of the bake's time. */
#include "tiles/tiles.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tiles/codec.h"
#include "tiles/gazetteer.h"
#include "tiles/georaster.h"
#include "tiles/layer.h"
#include "tiles/pack.h"
#include "tiles/tilemath.h"
#include "tiles/timeutil.h"

#define BAKE_THREADS 2
#define JPEG_QUALITY 85
#define PLACES_VERSION 1
/* What JPEG tiles show where a user layer's image has no pixels. */
static const uint8_t jpeg_background[3] = {0, 0, 0};

static const int tile_sizes[2] = {256, 512}; /* the second twice the first (bake_band) */
static const char *const legacy_ext[2] = {"jpg", "png"};

typedef struct {
    int z, ty, tx0, tx1, size_idx;
} band_job;

typedef struct {
    tiles_georaster *geo;
    const tiles_layer_meta *meta;
    tiles_pack_writer *packs[2][2]; /* [size][0 PMTiles, 1 MBTiles] (NULL: not written) */
    band_job *jobs;
    size_t njobs, next;
    long tiles_done;
    tiles_scene_stat *scenes; /* TILES_SCENE_ZOOM tiles, y * n + x; NULL for user layers */
    pthread_mutex_t lock;
    int failed;
    err_t err;
} bake_ctx;

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Encode one tile (RGBA in t) in the layer's format and append it to the archives of its
 * size: PNG with alpha where the image may be absent, else JPEG. */
static int bake_tile(bake_ctx *c, int si, int z, int x, int y, tiles_raster *t, uint8_t *rgb,
                     err_t *err)
{
    long n = (long)t->w * t->h;
    unsigned char *buf = NULL;
    size_t len;
    if (c->meta->has_alpha) {
        int any = 0;
        for (long i = 0; i < n && !any; i++)
            any = t->px[i * 4 + 3] != 0;
        if (!any)
            return 0; /* nothing of the image here: no tile (404) */
        if (tiles_codec_encode_png(t, &buf, &len, err) != 0)
            return -1;
    } else {
        /* Flatten over the background colour (opaque sources: a no-op but for the poles). */
        for (long i = 0; i < n; i++) {
            const uint8_t *p = t->px + i * 4;
            for (int ch = 0; ch < 3; ch++)
                rgb[i * 3 + ch] = p[3] == 255 ? p[ch]
                                              : (uint8_t)((p[ch] * p[3] +
                                                           jpeg_background[ch] * (255 - p[3]) +
                                                           127) / 255);
        }
        tiles_raster jr = {t->w, t->h, 3, rgb};
        /* In cell form: a labelled tile re-encodes only the cells its labels touch. */
        if (tiles_codec_encode_jpeg_cells(&jr, JPEG_QUALITY, TILES_JPEG_CELL_MCUS, &buf, &len, err) != 0)
            return -1;
    }
    int rc = 0;
    for (int k = 0; k < 2 && rc == 0; k++)
        if (c->packs[si][k])
            rc = tiles_pack_add(c->packs[si][k], z, x, y, buf, len, err);
    free(buf);
    return rc;
}

/* Cut the tile (z, x, y) of size tile_sizes[si] at column x0, row y0 of a band ncols wide, and
 * bake it unless it is outside the layer. */
static int cut_tile(bake_ctx *c, int si, int z, int x, int y, const uint8_t *band, int ncols,
                    int x0, int y0, uint8_t *tilepx, uint8_t *rgb, err_t *err)
{
    const int size = tile_sizes[si];
    if (!tiles_bounds_cover_tile(c->meta->bounds, z, x, y))
        return 0;
    for (int row = 0; row < size; row++)
        memcpy(tilepx + (size_t)row * size * 4, band + ((size_t)(y0 + row) * ncols + x0) * 4,
               (size_t)size * 4);
    tiles_raster t = {size, size, 4, tilepx};
    if (c->scenes && z == TILES_SCENE_ZOOM && size == TILES_TILE_SIZE) {
        tiles_scene_stat *st = &c->scenes[y * (1 << TILES_SCENE_ZOOM) + x];
        tiles_raster_colour(&t, st->mean, &st->coverage);
    }
    if (bake_tile(c, si, z, x, y, &t, rgb, err) != 0)
        return -1;
    pthread_mutex_lock(&c->lock);
    c->tiles_done++;
    pthread_mutex_unlock(&c->lock);
    return 0;
}

/* Warp a band of tiles and bake them. A band of 512 px tiles of zoom z is, on the same pixel
 * grid, two rows of 256 px tiles of zoom z + 1: one warp gives both. */
static int bake_band(bake_ctx *c, const band_job *j, uint8_t *band, uint8_t *tilepx,
                     uint8_t *rgb, err_t *err)
{
    const int size = tile_sizes[j->size_idx], half = tile_sizes[0];
    const int ncols = (j->tx1 - j->tx0 + 1) * size;
    const int children = j->size_idx == 1 && j->z < c->meta->maxzoom;
    if (tiles_georaster_warp_band(c->geo, j->z, j->ty, j->tx0, j->tx1, size, band, err) != 0)
        return -1;
    for (int tx = j->tx0; tx <= j->tx1; tx++) {
        const int x0 = (tx - j->tx0) * size;
        if (cut_tile(c, j->size_idx, j->z, tx, j->ty, band, ncols, x0, 0, tilepx, rgb, err) != 0)
            return -1;
        for (int q = 0; children && q < 4; q++)
            if (cut_tile(c, 0, j->z + 1, 2 * tx + (q & 1), 2 * j->ty + (q >> 1), band, ncols,
                         x0 + (q & 1) * half, (q >> 1) * half, tilepx, rgb, err) != 0)
                return -1;
    }
    return 0;
}

#define BAND_TILES 8

static void *bake_worker(void *arg)
{
    bake_ctx *c = arg;
    const size_t maxpx = (size_t)BAND_TILES * 512 * 512;
    uint8_t *band = malloc(maxpx * 4), *tilepx = malloc(512 * 512 * 4),
            *rgb = malloc(512 * 512 * 3);
    err_t err = {0};
    if (!band || !tilepx || !rgb) {
        err_set(&err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (;;) {
        pthread_mutex_lock(&c->lock);
        int stop = c->failed || c->next >= c->njobs;
        size_t i = c->next++;
        pthread_mutex_unlock(&c->lock);
        if (stop)
            break;
        if (bake_band(c, &c->jobs[i], band, tilepx, rgb, &err) != 0)
            goto fail;
    }
    free(band);
    free(tilepx);
    free(rgb);
    return NULL;
fail:
    pthread_mutex_lock(&c->lock);
    if (!c->failed) {
        c->failed = 1;
        c->err = err;
    }
    pthread_mutex_unlock(&c->lock);
    free(band);
    free(tilepx);
    free(rgb);
    return NULL;
}

/* Which archives a bake writes: bit 0 PMTiles, bit 1 MBTiles. */
enum { WRITE_PMTILES = 1, WRITE_MBTILES = 2 };
static const tiles_archive_kind archive_kinds[2] = {TILES_ARCHIVE_PMTILES, TILES_ARCHIVE_MBTILES};

static void archive_info(const tiles_layer_meta *m, tiles_archive_info *in)
{
    memset(in, 0, sizeof *in);
    in->format = m->has_alpha ? TILES_TILE_PNG : TILES_TILE_JPEG;
    in->minzoom = m->minzoom;
    in->maxzoom = m->maxzoom;
    memcpy(in->bounds, m->bounds, sizeof in->bounds);
    /* Web Mercator stops at ±85.05°; an antimeridian-crossing image keeps W > E. */
    in->bounds[1] = fmax(in->bounds[1], -TILES_MAX_LAT);
    in->bounds[3] = fmin(in->bounds[3], TILES_MAX_LAT);
    double w = in->bounds[0], e = in->bounds[2] >= w ? in->bounds[2] : in->bounds[2] + 360;
    in->center[0] = (w + e) / 2 > 180 ? (w + e) / 2 - 360 : (w + e) / 2;
    in->center[1] = (in->bounds[1] + in->bounds[3]) / 2;
    in->center[2] = m->user ? m->minzoom + 2 : m->minzoom + 1;
    snprintf(in->name, sizeof in->name, "%s", m->name);
    snprintf(in->description, sizeof in->description, "%s", m->title);
    snprintf(in->attribution, sizeof in->attribution, "%s", m->attribution);
}

/* Bake the archives of one layer from geo; fills meta->scenes for a world layer. */
static int bake_layer_tiles(const char *dir, tiles_layer_meta *meta, tiles_georaster *geo,
                            int which, err_t *err)
{
    bake_ctx c;
    memset(&c, 0, sizeof c);
    c.geo = geo;
    c.meta = meta;
    pthread_mutex_init(&c.lock, NULL);
    int rc = -1;
    size_t cap = 0;
    tiles_archive_info info;
    archive_info(meta, &info);
    for (int si = 0; si < 2; si++)
        for (int k = 0; k < 2; k++) {
            char path[4096];
            if (!(which & (1 << k)))
                continue;
            tiles_pack_path(dir, meta->name, si + 1, archive_kinds[k], path, sizeof path);
            if (!(c.packs[si][k] = tiles_pack_create(path, archive_kinds[k], &info, err)))
                goto done;
        }
    if (!meta->user) {
        int n = 1 << TILES_SCENE_ZOOM;
        c.scenes = calloc((size_t)n * n, sizeof *c.scenes);
        if (!c.scenes) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto done;
        }
    }
    /* Bands of 512 px tiles (each also gives the 256 px tiles of the next zoom) and the 256 px
     * tiles of the first zoom; largest bands first so that the two threads finish together. */
    for (int si = 1; si >= 0; si--)
        for (int z = meta->maxzoom; z >= meta->minzoom; z--) {
            int n = 1 << z;
            if (si == 0 && z != meta->minzoom)
                continue;
            for (int ty = 0; ty < n; ty++)
                for (int tx0 = 0; tx0 < n; tx0 += BAND_TILES) {
                    int tx1 = tx0 + BAND_TILES - 1 < n - 1 ? tx0 + BAND_TILES - 1 : n - 1;
                    int any = 0;
                    for (int tx = tx0; tx <= tx1 && !any; tx++)
                        any = tiles_bounds_cover_tile(meta->bounds, z, tx, ty);
                    if (!any)
                        continue;
                    if (c.njobs == cap) {
                        cap = cap ? cap * 2 : 1024;
                        band_job *nj = realloc(c.jobs, cap * sizeof *nj);
                        if (!nj) {
                            err_set(err, ERR_INTERNAL, NULL, "out of memory");
                            goto done;
                        }
                        c.jobs = nj;
                    }
                    c.jobs[c.njobs++] = (band_job){z, ty, tx0, tx1, si};
                }
        }
    pthread_t th[BAKE_THREADS];
    int started = 0;
    for (int i = 0; i < BAKE_THREADS; i++)
        if (pthread_create(&th[i], NULL, bake_worker, &c) == 0)
            started++;
    if (started == 0)
        bake_worker(&c);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (c.failed) {
        *err = c.err;
        goto done;
    }
    for (int si = 0; si < 2; si++)
        for (int k = 0; k < 2; k++) {
            tiles_pack_writer *w = c.packs[si][k];
            c.packs[si][k] = NULL;
            if (w && tiles_pack_finish(w, err) != 0)
                goto done;
        }
    if (c.scenes) {
        int n = 1 << TILES_SCENE_ZOOM;
        meta->nscenes = (size_t)n * n;
        meta->scenes = c.scenes;
        c.scenes = NULL;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                tiles_scene_stat *s = &meta->scenes[y * n + x];
                snprintf(s->id, sizeof s->id, "%s-%d-%d-%d", meta->name, TILES_SCENE_ZOOM, x, y);
                s->z = TILES_SCENE_ZOOM;
                s->x = x;
                s->y = y;
                tiles_tile_bounds(TILES_SCENE_ZOOM, x, y, s->bbox);
            }
    }
    printf("cartouche bake: %s: %ld %s tiles\n", meta->name, c.tiles_done,
           meta->has_alpha ? "PNG" : "JPEG");
    rc = 0;
done:
    for (int si = 0; si < 2; si++)
        for (int k = 0; k < 2; k++)
            tiles_pack_abort(c.packs[si][k]);
    free(c.scenes);
    free(c.jobs);
    pthread_mutex_destroy(&c.lock);
    return rc;
}

/* Area-average shrink of an RGBA raster to fit max x max (user layer thumbnails). */
static int shrink_raster(const tiles_raster *in, int max, tiles_raster *out)
{
    double f = fmax((double)in->w / max, (double)in->h / max);
    if (f < 1)
        f = 1;
    out->w = (int)fmax(1, floor(in->w / f));
    out->h = (int)fmax(1, floor(in->h / f));
    out->channels = 3;
    out->px = malloc((size_t)out->w * out->h * 3);
    if (!out->px)
        return -1;
    for (int y = 0; y < out->h; y++)
        for (int x = 0; x < out->w; x++) {
            int x0 = (int)(x * f), x1 = (int)((x + 1) * f), y0 = (int)(y * f),
                y1 = (int)((y + 1) * f);
            x1 = x1 > in->w ? in->w : x1 <= x0 ? x0 + 1 : x1;
            y1 = y1 > in->h ? in->h : y1 <= y0 ? y0 + 1 : y1;
            double s[3] = {0, 0, 0};
            long n = 0;
            for (int yy = y0; yy < y1; yy++)
                for (int xx = x0; xx < x1; xx++, n++) {
                    const uint8_t *p = in->px + ((size_t)yy * in->w + xx) * 4;
                    for (int c = 0; c < 3; c++)
                        s[c] += (p[c] * p[3] + jpeg_background[c] * (255 - p[3])) / 255.0;
                }
            for (int c = 0; c < 3; c++)
                out->px[((size_t)y * out->w + x) * 3 + c] = (uint8_t)(s[c] / n + 0.5);
        }
    return 0;
}

static int write_file(const char *path, const void *d, size_t len, err_t *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(d, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
        if (f)
            remove(tmp);
        err_set(err, ERR_INTERNAL, NULL, "%s: write failed", path);
        return -1;
    }
    return 0;
}

/* 1 if the layer described by want is already baked in dir, in the archives asked for. */
static int layer_up_to_date(const char *dir, const tiles_layer_meta *want, int which)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.layer.json", dir, want->name);
    tiles_layer_meta have;
    if (tiles_layer_read(path, &have, NULL) != 0)
        return 0;
    int same = strcmp(have.bake_id, want->bake_id) == 0 && have.bake_version == want->bake_version;
    tiles_layer_free(&have);
    for (int si = 0; si < 2 && same; si++)
        for (int k = 0; k < 2 && same; k++) {
            struct stat st;
            tiles_pack_path(dir, want->name, si + 1, archive_kinds[k], path, sizeof path);
            same = (stat(path, &st) == 0) == !!(which & (1 << k));
        }
    if (same && want->user) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.thumb.jpg", dir, want->name);
        same = stat(path, &st) == 0;
    }
    return same;
}

/* Remove what an earlier bake of the layer left that this one does not write: the packs of
 * bake versions up to 3 (<name>.<size>.<jpg|png>.pack) and an archive kind not asked for, so
 * that the server finds exactly the archives of this bake. */
static void remove_stale(const char *dir, const char *name, int which)
{
    char path[4096];
    for (int si = 0; si < 2; si++) {
        for (int fi = 0; fi < 2; fi++) {
            snprintf(path, sizeof path, "%s/%s.%d.%s.pack", dir, name, tile_sizes[si],
                     legacy_ext[fi]);
            unlink(path);
        }
        for (int k = 0; k < 2; k++)
            if (!(which & (1 << k))) {
                tiles_pack_path(dir, name, si + 1, archive_kinds[k], path, sizeof path);
                unlink(path);
            }
    }
}

/* Bake one layer through GDAL's warper: from images, georeferenced rasters (bounds from the
 * files); without, from meta->source, a plain equirectangular JPEG/PNG placed on meta->bounds. */
static int bake_layer(const char *dir, tiles_layer_meta *meta, const char *const *images,
                      size_t nimages, int force, int which, err_t *err)
{
    struct stat st;
    meta->source_mtime = meta->source_size = 0;
    for (size_t i = 0; i < (images ? nimages : 1); i++) {
        const char *path = images ? images[i] : meta->source;
        if (stat(path, &st) != 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: %s", path, strerror(errno));
            return -1;
        }
        if ((long long)st.st_mtime > meta->source_mtime)
            meta->source_mtime = (long long)st.st_mtime;
        meta->source_size += (long long)st.st_size;
    }
    tiles_georaster *geo = images ? tiles_georaster_open(images, nimages, err)
                                  : tiles_georaster_open_lonlat(meta->source, meta->bounds, err);
    if (!geo)
        return -1;
    if (images) {
        tiles_georaster_bounds(geo, meta->bounds);
        if (*tiles_georaster_stretch(geo)) /* stated in the layer's (and archives') metadata */
            snprintf(meta->title, sizeof meta->title, "%s", tiles_georaster_stretch(geo));
    }
    meta->bake_version = TILES_BAKE_VERSION;
    meta->minzoom = TILES_MIN_ZOOM;
    meta->maxzoom = TILES_MAX_ZOOM;
    tiles_layer_stamp_id(meta);
    if (!force && layer_up_to_date(dir, meta, which)) {
        tiles_georaster_close(geo);
        remove_stale(dir, meta->name, which);
        printf("cartouche bake: %s: up to date\n", meta->name);
        return 0;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = -1;
    if (meta->user) {
        /* One catalogue scene for the whole image, and its thumbnail, from its preview. */
        tiles_raster img = {0}, th = {0};
        unsigned char *jpg = NULL;
        size_t len;
        if (tiles_georaster_preview(geo, 1024, &img, err) != 0)
            goto done;
        meta->scenes = calloc(1, sizeof *meta->scenes);
        if (!meta->scenes || shrink_raster(&img, 256, &th) != 0) {
            tiles_raster_free(&img);
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto done;
        }
        meta->nscenes = 1;
        tiles_scene_stat *s = &meta->scenes[0];
        snprintf(s->id, sizeof s->id, "%s", meta->name);
        s->z = -1;
        memcpy(s->bbox, meta->bounds, sizeof s->bbox);
        tiles_raster_colour(&img, s->mean, &s->coverage);
        tiles_raster_free(&img);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.thumb.jpg", dir, meta->name);
        int ok = tiles_codec_encode_jpeg(&th, JPEG_QUALITY, &jpg, &len, err) == 0 &&
                 write_file(path, jpg, len, err) == 0;
        free(jpg);
        tiles_raster_free(&th);
        if (!ok)
            goto done;
    }
    /* The old description goes first: a bake that stops half-way is redone next time. */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.layer.json", dir, meta->name);
    unlink(path);
    remove_stale(dir, meta->name, which);
    if (bake_layer_tiles(dir, meta, geo, which, err) != 0)
        goto done;
    if (tiles_layer_write(meta, path, err) != 0)
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("cartouche bake: %s: baked in %.1f s\n", meta->name,
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    rc = 0;
done:
    tiles_georaster_close(geo);
    return rc;
}

static int bake_places(const char *dir, const char *cache, int force, err_t *err)
{
    struct stat st;
    if (stat(cache, &st) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s (install marble-qt-data)", cache, strerror(errno));
        return -1;
    }
    char out[4096], stamp[4096], want[4200];
    snprintf(out, sizeof out, "%s/places.bin", dir);
    snprintf(stamp, sizeof stamp, "%s/places.stamp", dir);
    snprintf(want, sizeof want, "%s %lld %lld %d\n", cache, (long long)st.st_mtime,
             (long long)st.st_size, PLACES_VERSION);
    FILE *f = fopen(stamp, "r");
    if (f && !force) {
        char have[4200] = "";
        size_t n = fread(have, 1, sizeof have - 1, f);
        have[n] = 0;
        fclose(f);
        if (strcmp(have, want) == 0 && access(out, R_OK) == 0) {
            printf("cartouche bake: places: up to date\n");
            return 0;
        }
    } else if (f) {
        fclose(f);
    }
    tiles_gazetteer g;
    if (tiles_gazetteer_read_marble(cache, &g, err) != 0)
        return -1;
    tiles_gazetteer_sort(&g);
    int rc = tiles_gazetteer_write(&g, out, err);
    if (rc == 0)
        rc = write_file(stamp, want, strlen(want), err);
    if (rc == 0)
        printf("cartouche bake: places: %zu places from %s\n", g.count, cache);
    tiles_gazetteer_free(&g);
    return rc;
}

static int parse_bounds(const char *s, double b[4])
{
    char *end;
    for (int i = 0; i < 4; i++) {
        errno = 0;
        b[i] = strtod(s, &end);
        if (end == s || errno || !isfinite(b[i]))
            return -1;
        s = end;
        if (i < 3) {
            if (*s != ',')
                return -1;
            s++;
        }
    }
    if (*s)
        return -1;
    if (b[0] < -180 || b[0] > 180 || b[2] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 ||
        b[1] >= b[3] || b[0] == b[2])
        return -1;
    return 0;
}

static void base_layer(tiles_layer_meta *m, const char *name, const char *title,
                       const char *source, const char *dt, const char *start, const char *end,
                       const char *attribution)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->title, sizeof m->title, "%s", title);
    snprintf(m->source, sizeof m->source, "%s", source);
    snprintf(m->datetime, sizeof m->datetime, "%s", dt);
    snprintf(m->start_datetime, sizeof m->start_datetime, "%s", start);
    snprintf(m->end_datetime, sizeof m->end_datetime, "%s", end);
    snprintf(m->attribution, sizeof m->attribution, "%s", attribution);
    m->bounds[0] = -180;
    m->bounds[1] = -90;
    m->bounds[2] = 180;
    m->bounds[3] = 90;
}

static void usage(void)
{
    fprintf(stderr, "usage: cartouche bake [--assets DIR] [--marble-dir DIR] [--force] "
                    "[--archive pmtiles|mbtiles|both]\n"
                    "       cartouche bake [--assets DIR] --image FILE.{jpg,png} "
                    "--bounds W,S,E,N --layer NAME [--datetime ISO8601] [--archive ...]\n"
                    "       cartouche bake [--assets DIR] --image GEOREFERENCED [--image ...] "
                    "--name NAME [--datetime ISO8601] [--archive ...]\n");
}

int tiles_bake_main(int argc, char **argv)
{
    const char *assets = "assets", *marble = "/usr/share/marble/data";
    const char *image = NULL, *bounds = NULL, *layer = NULL, *datetime = NULL;
    const char *archive = "pmtiles";
    const char *images[64];
    size_t nimages = 0;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--assets")       ? &assets
                            : !strcmp(a, "--marble-dir") ? &marble
                            : !strcmp(a, "--image")      ? &image
                            : !strcmp(a, "--bounds")     ? &bounds
                            : !strcmp(a, "--layer")      ? &layer
                            : !strcmp(a, "--name")       ? &layer
                            : !strcmp(a, "--datetime")   ? &datetime
                            : !strcmp(a, "--archive")    ? &archive
                                                         : NULL;
        if (!strcmp(a, "--force")) {
            force = 1;
        } else if (!strcmp(a, "--device-art")) {
            /* the device-art baker's switch, shared on the same command line */
        } else if (!strcmp(a, "--templates") && i + 1 < argc) {
            i++; /* the device-art baker's option, shared on the same command line */
        } else if (slot == &image && i + 1 < argc && nimages < 64) {
            image = images[nimages++] = argv[++i]; /* several: one mosaic layer */
        } else if (slot && slot != &image && i + 1 < argc) {
            *slot = argv[++i];
        } else {
            fprintf(stderr, "cartouche bake: %s '%s'\n",
                    slot ? "missing value after" : "unknown option", a);
            usage();
            return 1;
        }
    }
    int which = !strcmp(archive, "pmtiles")   ? WRITE_PMTILES
                : !strcmp(archive, "mbtiles") ? WRITE_MBTILES
                : !strcmp(archive, "both")    ? WRITE_PMTILES | WRITE_MBTILES
                                              : 0;
    if (!which) {
        fprintf(stderr, "cartouche bake: --archive '%s': expected pmtiles, mbtiles or both\n",
                archive);
        return 1;
    }
    char dir[3072];
    if (snprintf(dir, sizeof dir, "%s/baked/tiles", assets) >= (int)sizeof dir) {
        fprintf(stderr, "cartouche bake: --assets path too long\n");
        return 1;
    }
    if (mkdirs(dir) != 0) {
        fprintf(stderr, "cartouche bake: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    err_t err = {0};
    if (image || bounds || layer || datetime) {
        tiles_layer_meta m;
        memset(&m, 0, sizeof m);
        if (!image || !layer) {
            fprintf(stderr, "cartouche bake: --image needs --layer (or --name)\n");
            usage();
            return 1;
        }
        if (!tiles_layer_name_valid(layer) || !strcmp(layer, "bluemarble") ||
            !strcmp(layer, "citylights")) {
            fprintf(stderr, "cartouche bake: --layer '%s': use 1-32 of a-z 0-9 _ - (and not a "
                            "built-in layer name)\n", layer);
            return 1;
        }
        if (bounds && parse_bounds(bounds, m.bounds) != 0) {
            fprintf(stderr, "cartouche bake: --bounds '%s': expected W,S,E,N in degrees with "
                            "S < N (E < W crosses the antimeridian)\n", bounds);
            return 1;
        }
        /* With --bounds: one equirectangular JPEG/PNG. Without: georeferenced rasters that
         * GDAL reads (GeoTIFF/COG, JPEG 2000, PNG/JPEG with a world file...), several = a mosaic. */
        const char *ext = strrchr(image, '.');
        if (bounds && (nimages != 1 || !ext ||
                       (strcasecmp(ext, ".jpg") && strcasecmp(ext, ".jpeg") &&
                        strcasecmp(ext, ".png")))) {
            fprintf(stderr, "cartouche bake: --image '%s' with --bounds: expected one .jpg or .png "
                            "file (leave --bounds out for a georeferenced raster)\n", image);
            return 1;
        }
        struct stat st;
        for (size_t i = 0; i < nimages; i++)
            if (stat(images[i], &st) != 0) {
                fprintf(stderr, "cartouche bake: --image '%s': %s\n", images[i], strerror(errno));
                return 1;
            }
        double t;
        if (datetime && tiles_time_parse(datetime, &t) != 0) {
            fprintf(stderr, "cartouche bake: --datetime '%s': expected ISO 8601, e.g. "
                            "2021-06-01T00:00:00Z\n", datetime);
            return 1;
        }
        if (!datetime)
            t = (double)st.st_mtime; /* the image's own date is the best we know */
        m.user = 1;
        m.has_alpha = 1;
        snprintf(m.name, sizeof m.name, "%s", layer);
        snprintf(m.title, sizeof m.title, "%s", layer);
        if (!realpath(image, m.source))
            snprintf(m.source, sizeof m.source, "%s", image);
        for (size_t i = 1; i < nimages; i++) { /* a mosaic: every file, '|'-separated */
            char rp[4096];
            size_t used = strlen(m.source);
            snprintf(m.source + used, sizeof m.source - used, "|%s",
                     realpath(images[i], rp) ? rp : images[i]);
        }
        tiles_time_format(t, m.datetime, sizeof m.datetime);
        snprintf(m.attribution, sizeof m.attribution, "%s", "user imagery");
        int rc = bake_layer(dir, &m, bounds ? NULL : images, nimages, force, which, &err);
        tiles_layer_free(&m);
        if (rc != 0) {
            fprintf(stderr, "cartouche bake: %s: %s\n", layer, err.msg);
            return 1;
        }
        return 0;
    }

    /* Built-in layers. Dates: Marble's bluemarble.jpg is NASA's Blue Marble (Next Generation,
     * 2004 composites); City Lights is NASA's 2000 composite of DMSP data. */
    char src[2][1000], cache[1000];
    if (strlen(marble) > 900) {
        fprintf(stderr, "cartouche bake: --marble-dir path too long\n");
        return 1;
    }
    snprintf(src[0], sizeof src[0], "%s/maps/earth/bluemarble/bluemarble.jpg", marble);
    snprintf(src[1], sizeof src[1], "%s/maps/earth/citylights/citylights.jpg", marble);
    snprintf(cache, sizeof cache, "%s/placemarks/cityplacemarks.cache", marble);
    tiles_layer_meta m[2];
    base_layer(&m[0], "bluemarble", "Blue Marble", src[0], "2004-07-01T00:00:00Z",
               "2004-01-01T00:00:00Z", "2004-12-31T23:59:59Z",
               "Blue Marble: NASA; places: GeoNames (CC-BY) via Marble");
    base_layer(&m[1], "citylights", "City Lights", src[1], "2000-07-01T00:00:00Z",
               "2000-01-01T00:00:00Z", "2000-12-31T23:59:59Z",
               "City Lights: NASA; places: GeoNames (CC-BY) via Marble");
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        if (bake_layer(dir, &m[i], NULL, 0, force, which, &err) != 0) {
            fprintf(stderr, "cartouche bake: %s: %s\n", m[i].name, err.msg);
            rc = 1;
        }
        tiles_layer_free(&m[i]);
    }
    if (bake_places(dir, cache, force, &err) != 0) {
        fprintf(stderr, "cartouche bake: places: %s\n", err.msg);
        rc = 1;
    }
    return rc;
}
