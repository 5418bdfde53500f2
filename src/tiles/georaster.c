/* georaster.c — georeferenced imagery through GDAL (see georaster.h).
 *
 * Each file is opened once per warp slot and seen through an in-memory VRT that picks its
 * colour bands (red, green, blue by colour interpretation, else the first three, else one grey
 * band; a palette is expanded) and its alpha band, and places a plain image on the
 * longitude/latitude bounds it is given. Every band of tiles is one GDALWarp() call of all the
 * VRTs into a MEM dataset in EPSG:3857 with a destination alpha band, so reprojection, resampling,
 * nodata, alpha and the mosaic are GDAL's. Sources deeper than 8 bits are warped as Float32 and
 * scaled afterwards with percentiles of a sample of their pixels, so the stretch is the same in
 * every tile. Nothing is written next to the sources. */
#include "tiles/georaster.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/gdalapi.h"
#include "tiles/tilemath.h"

#define HALF_WORLD 20037508.342789244
#define MAX_SOURCES 64
/* Pixels a side of the sample a stretch is measured on. */
#define STRETCH_SAMPLE 1024
/* Warps that can run at once: the bake's two threads. */
#define WARP_SLOTS 2

struct tiles_georaster {
    /* Each slot has its own handles on every source (a GDAL dataset serves one thread at a
     * time); slot 0's also serve the measures taken at open. */
    struct {
        GDALDatasetH src[MAX_SOURCES], vrt[MAX_SOURCES];
        GDALDatasetH wrapped; /* with wrap: the three copies as one raster */
        pthread_mutex_t lock;
    } slot[WARP_SLOTS];
    /* A whole-world lon/lat image placed three times side by side (-540..540), so that the
     * warper's filter reads across the antimeridian what lies beyond it: no seam there. */
    int wrap;
    double wrap_deg_per_px; /* its pixel width in degrees */
    struct {
        int color[3], ncolor, alpha, palette, assume_lonlat;
        int assigned;    /* placed by the caller: ullr over EPSG:4326, not the file's own */
        double ullr[4];  /* west, north, east, south */
    } pick[MAX_SOURCES];
    size_t n;
    int ncolor;          /* 1 (grey) or 3 */
    int deep;            /* some source is deeper than 8 bits: warp Float32, then stretch */
    double lo[3], hi[3]; /* stretch per colour band */
    double bounds[4];
    char stretch[256];
    char *wkt_mercator, *wkt_lonlat;
};

static char *srs_wkt(int epsg)
{
    OGRSpatialReferenceH s = GDAL->OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    if (GDAL->OSRImportFromEPSG(s, epsg) == OGRERR_NONE)
        GDAL->OSRExportToWkt(s, &wkt);
    GDAL->OSRDestroySpatialReference(s);
    return wkt;
}

/* The colour and alpha bands of ds, as 1-based indexes. */
static void pick_bands(GDALDatasetH ds, int color[3], int *ncolor, int *alpha, int *palette)
{
    int nb = GDAL->GDALGetRasterCount(ds), r = 0, g = 0, b = 0;
    *alpha = 0;
    *palette = 0;
    for (int i = 1; i <= nb; i++) {
        GDALColorInterp ci = GDAL->GDALGetRasterColorInterpretation(GDAL->GDALGetRasterBand(ds, i));
        if (ci == GCI_AlphaBand && !*alpha)
            *alpha = i;
        else if (ci == GCI_RedBand && !r)
            r = i;
        else if (ci == GCI_GreenBand && !g)
            g = i;
        else if (ci == GCI_BlueBand && !b)
            b = i;
        else if (ci == GCI_PaletteIndex && i == 1)
            *palette = 1;
    }
    if (r && g && b) {
        color[0] = r, color[1] = g, color[2] = b, *ncolor = 3;
        return;
    }
    int k = 0;
    for (int i = 1; i <= nb && k < 3; i++)
        if (i != *alpha)
            color[k++] = i;
    *ncolor = k >= 3 ? 3 : 1;
}

/* Lon/lat extent of ds from its geotransform, sampling the edges (a UTM image's edges curve). */
static int extent_lonlat(GDALDatasetH ds, int assume_lonlat, double b[4], err_t *err,
                         const char *path)
{
    double gt[6];
    if (GDAL->GDALGetGeoTransform(ds, gt) != CE_None) {
        err_set(err, ERR_CONFIG, NULL, "%s: no georeferencing (GCPs alone are not read: warp it "
                                       "with gdalwarp first)", path);
        return -1;
    }
    OGRSpatialReferenceH ll = GDAL->OSRNewSpatialReference(NULL), srs = NULL;
    GDAL->OSRImportFromEPSG(ll, 4326);
    GDAL->OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = NULL;
    if (!assume_lonlat) {
        srs = GDAL->OSRClone(GDAL->GDALGetSpatialRef(ds));
        GDAL->OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        ct = GDAL->OCTNewCoordinateTransformation(srs, ll);
    }
    int w = GDAL->GDALGetRasterXSize(ds), h = GDAL->GDALGetRasterYSize(ds), ok = assume_lonlat || ct;
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (int i = 0; i <= 40 && ok; i++) {
        double f = i / 40.0;
        double px[4] = {f * w, f * w, 0, w}, py[4] = {0, h, f * h, f * h};
        for (int k = 0; k < 4; k++) {
            double x = gt[0] + px[k] * gt[1] + py[k] * gt[2];
            double y = gt[3] + px[k] * gt[4] + py[k] * gt[5];
            if (ct && !GDAL->OCTTransform(ct, 1, &x, &y, NULL))
                continue;
            b[0] = fmin(b[0], x), b[1] = fmin(b[1], y);
            b[2] = fmax(b[2], x), b[3] = fmax(b[3], y);
        }
    }
    if (ct)
        GDAL->OCTDestroyCoordinateTransformation(ct);
    if (srs)
        GDAL->OSRDestroySpatialReference(srs);
    GDAL->OSRDestroySpatialReference(ll);
    if (!ok || !(b[0] < b[2]) || !(b[1] < b[3])) {
        err_set(err, ERR_CONFIG, NULL, "%s: its corners do not transform to longitude/latitude",
                path);
        return -1;
    }
    b[0] = fmax(b[0], -180), b[2] = fmin(b[2], 180);
    b[1] = fmax(b[1], -TILES_MAX_LAT), b[3] = fmin(b[3], TILES_MAX_LAT);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Append the values of band (a sample of at most STRETCH_SAMPLE px a side) that are numbers
 * and not its nodata value. */
static int sample_band(GDALRasterBandH band, int w, int h, double **vals, size_t *n, size_t *cap)
{
    double f = fmax(1.0, (double)(w > h ? w : h) / STRETCH_SAMPLE);
    int sw = (int)fmax(1, w / f), sh = (int)fmax(1, h / f);
    double *buf = malloc(sizeof *buf * (size_t)sw * sh);
    if (!buf)
        return -1;
    if (GDAL->GDALRasterIO(band, GF_Read, 0, 0, w, h, buf, sw, sh, GDT_Float64, 0, 0) != CE_None) {
        free(buf);
        return -1;
    }
    int has_nodata = 0;
    double nodata = GDAL->GDALGetRasterNoDataValue(band, &has_nodata);
    size_t need = *n + (size_t)sw * sh;
    if (need > *cap) {
        double *nv = realloc(*vals, sizeof *nv * need);
        if (!nv) {
            free(buf);
            return -1;
        }
        *vals = nv;
        *cap = need;
    }
    for (size_t i = 0; i < (size_t)sw * sh; i++)
        if (isfinite(buf[i]) && !(has_nodata && buf[i] == nodata))
            (*vals)[(*n)++] = buf[i];
    free(buf);
    return 0;
}

/* Add the file at path; with ullr (west, north, east, south in degrees) its pixels are placed
 * there in EPSG:4326 whatever georeferencing the file has or lacks. */
static int add_source(tiles_georaster *g, const char *path, const double ullr[4], err_t *err)
{
    GDALDatasetH ds = GDAL->GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        err_set(err, ERR_CONFIG, NULL, "%s: GDAL cannot read it (%s)", path, GDAL->CPLGetLastErrorMsg());
        return -1;
    }
    g->slot[0].src[g->n] = ds; /* owned from here: closed by tiles_georaster_close */
    int assume_lonlat = !ullr && GDAL->GDALGetSpatialRef(ds) == NULL;
    double b[4];
    if (ullr) {
        g->pick[g->n].assigned = 1;
        memcpy(g->pick[g->n].ullr, ullr, sizeof g->pick[g->n].ullr);
        b[0] = fmax(ullr[0], -180), b[1] = fmax(ullr[3], -TILES_MAX_LAT);
        b[2] = fmin(ullr[2], 180), b[3] = fmin(ullr[1], TILES_MAX_LAT);
    } else if (extent_lonlat(ds, assume_lonlat, b, err, path) != 0) {
        return -1;
    }
    if (assume_lonlat && (b[0] < -180.001 || b[2] > 180.001)) {
        err_set(err, ERR_CONFIG, NULL, "%s: no coordinate system, and its coordinates are not "
                                       "longitude/latitude (add a .prj)", path);
        return -1;
    }
    if (g->n == 0)
        memcpy(g->bounds, b, sizeof b);
    g->bounds[0] = fmin(g->bounds[0], b[0]), g->bounds[1] = fmin(g->bounds[1], b[1]);
    g->bounds[2] = fmax(g->bounds[2], b[2]), g->bounds[3] = fmax(g->bounds[3], b[3]);
    int *color = g->pick[g->n].color, *ncolor = &g->pick[g->n].ncolor;
    color[0] = color[1] = color[2] = 1;
    pick_bands(ds, color, ncolor, &g->pick[g->n].alpha, &g->pick[g->n].palette);
    g->pick[g->n].assume_lonlat = assume_lonlat;
    if (*ncolor == 3 || g->pick[g->n].palette)
        g->ncolor = 3;
    if (!g->pick[g->n].palette &&
        GDAL->GDALGetRasterDataType(GDAL->GDALGetRasterBand(ds, color[0])) != GDT_Byte)
        g->deep = 1;
    g->n++;
    return 0;
}

/* Source i of slot sl seen as the mosaic's bands: its colour bands (grey repeated when the
 * mosaic is RGB), then its alpha band if it has one. */
static int make_vrt(tiles_georaster *g, int sl, size_t i, const char *path, err_t *err)
{
    char *argv[32], num[4][16], ullr[4][32];
    int argc = 0;
    argv[argc++] = "-of";
    argv[argc++] = "VRT";
    if (g->pick[i].palette) {
        argv[argc++] = "-expand";
        argv[argc++] = "rgba";
    } else {
        for (int c = 0; c < g->ncolor; c++) {
            int band = g->pick[i].ncolor == 3 ? g->pick[i].color[c] : g->pick[i].color[0];
            snprintf(num[c], sizeof num[c], "%d", band);
            argv[argc++] = "-b";
            argv[argc++] = num[c];
        }
        if (g->pick[i].alpha) {
            snprintf(num[3], sizeof num[3], "%d", g->pick[i].alpha);
            argv[argc++] = "-b";
            argv[argc++] = num[3];
        }
    }
    if (g->pick[i].assume_lonlat || g->pick[i].assigned) {
        argv[argc++] = "-a_srs";
        argv[argc++] = "EPSG:4326";
    }
    if (g->pick[i].assigned) {
        argv[argc++] = "-a_ullr";
        for (int k = 0; k < 4; k++) {
            snprintf(ullr[k], sizeof ullr[k], "%.17g", g->pick[i].ullr[k]);
            argv[argc++] = ullr[k];
        }
    }
    argv[argc] = NULL;
    GDALTranslateOptions *to = GDAL->GDALTranslateOptionsNew(argv, NULL);
    int usage = 0;
    GDALDatasetH *vrt = &g->slot[sl].vrt[i];
    *vrt = to ? GDAL->GDALTranslate("", g->slot[sl].src[i], to, &usage) : NULL;
    GDAL->GDALTranslateOptionsFree(to);
    if (!*vrt) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", path, GDAL->CPLGetLastErrorMsg());
        return -1;
    }
    return 0;
}

/* Stretch of deep sources: per colour band, the percentiles of its values over every source,
 * from a sample of each read here (GDAL's statistics and histograms would be written next to
 * the user's files as .aux.xml). */
static int measure_stretch(tiles_georaster *g, err_t *err)
{
    const char *type = NULL;
    size_t used = 0;
    double *vals = NULL;
    for (int c = 0; c < g->ncolor; c++) {
        size_t n = 0, cap = 0;
        for (size_t i = 0; i < g->n; i++) {
            GDALDatasetH vrt = g->slot[0].vrt[i];
            GDALRasterBandH band = GDAL->GDALGetRasterBand(vrt, c + 1);
            type = GDAL->GDALGetDataTypeName(GDAL->GDALGetRasterDataType(band));
            if (sample_band(band, GDAL->GDALGetRasterXSize(vrt), GDAL->GDALGetRasterYSize(vrt),
                            &vals, &n, &cap) != 0) {
                free(vals);
                err_set(err, ERR_CONFIG, NULL, "reading band %d: %s", c + 1,
                        GDAL->CPLGetLastErrorMsg());
                return -1;
            }
        }
        if (n == 0) {
            g->lo[c] = 0, g->hi[c] = 1;
            continue;
        }
        qsort(vals, n, sizeof *vals, cmp_double);
        g->lo[c] = vals[(size_t)(TILES_STRETCH_LOW / 100.0 * (double)(n - 1) + 0.5)];
        g->hi[c] = vals[(size_t)(TILES_STRETCH_HIGH / 100.0 * (double)(n - 1) + 0.5)];
        if (!(g->hi[c] > g->lo[c]))
            g->hi[c] = g->lo[c] + 1;
    }
    free(vals);
    used = (size_t)snprintf(g->stretch, sizeof g->stretch, "%s stretched %g-%g %%:", type,
                            TILES_STRETCH_LOW, TILES_STRETCH_HIGH);
    for (int c = 0; c < g->ncolor && used < sizeof g->stretch; c++)
        used += (size_t)snprintf(g->stretch + used, sizeof g->stretch - used, "%s band %d %g-%g",
                                 c ? "," : "", c + 1, g->lo[c], g->hi[c]);
    return 0;
}

static tiles_georaster *georaster_new(err_t *err)
{
    if (tiles_gdal_load(err) != 0)
        return NULL;
    tiles_georaster *g = calloc(1, sizeof *g);
    if (!g) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    for (int sl = 0; sl < WARP_SLOTS; sl++)
        pthread_mutex_init(&g->slot[sl].lock, NULL);
    g->ncolor = 1;
    g->wkt_mercator = srs_wkt(3857);
    g->wkt_lonlat = srs_wkt(4326);
    if (!g->wkt_mercator || !g->wkt_lonlat) {
        err_set(err, ERR_INTERNAL, NULL, "GDAL has no EPSG:3857 (is gdal-data installed?)");
        tiles_georaster_close(g);
        return NULL;
    }
    return g;
}

/* Once every source is added to slot 0: the other slots' handles, the VRTs, and the stretch
 * of deep sources. */
static int georaster_ready(tiles_georaster *g, const char *const *paths, err_t *err)
{
    for (int sl = 0; sl < WARP_SLOTS; sl++)
        for (size_t i = 0; i < g->n; i++) {
            if (sl > 0 && !(g->slot[sl].src[i] = GDAL->GDALOpenEx(
                                paths[i], GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL))) {
                err_set(err, ERR_CONFIG, NULL, "%s: GDAL cannot read it (%s)", paths[i],
                        GDAL->CPLGetLastErrorMsg());
                return -1;
            }
            if (make_vrt(g, sl, i, paths[i], err) != 0)
                return -1;
        }
    for (int sl = 0; g->wrap && sl < WARP_SLOTS; sl++) {
        GDALBuildVRTOptions *bo = GDAL->GDALBuildVRTOptionsNew(NULL, NULL);
        int usage = 0;
        g->slot[sl].wrapped =
            bo ? GDAL->GDALBuildVRT("", (int)g->n, g->slot[sl].vrt, NULL, bo, &usage) : NULL;
        GDAL->GDALBuildVRTOptionsFree(bo);
        if (!g->slot[sl].wrapped) {
            err_set(err, ERR_CONFIG, NULL, "%s: %s", paths[0], GDAL->CPLGetLastErrorMsg());
            return -1;
        }
    }
    if (g->deep && measure_stretch(g, err) != 0)
        return -1;
    return 0;
}

tiles_georaster *tiles_georaster_open(const char *const *paths, size_t n, err_t *err)
{
    if (n == 0 || n > MAX_SOURCES) {
        err_set(err, ERR_CONFIG, NULL, "1 to %d images make a layer", MAX_SOURCES);
        return NULL;
    }
    tiles_georaster *g = georaster_new(err);
    if (!g)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (add_source(g, paths[i], NULL, err) != 0)
            goto fail;
    if (georaster_ready(g, paths, err) != 0)
        goto fail;
    return g;
fail:
    tiles_georaster_close(g);
    return NULL;
}

tiles_georaster *tiles_georaster_open_lonlat(const char *path, const double b[4], err_t *err)
{
    tiles_georaster *g = georaster_new(err);
    if (!g)
        return NULL;
    /* Across the antimeridian the image is placed twice, east of -180 and west of 180: the
     * warper maps each tile back to longitudes in [-180, 180], where one copy or the other is.
     * A whole-world image is placed three times and wrapped (struct tiles_georaster). */
    double span = b[2] - b[0];
    const int across = span <= 0;
    span += across ? 360 : 0;
    g->wrap = span >= 359.999;
    const double ullr[3][4] = {{b[0], b[3], b[0] + span, b[1]},
                               {b[0] - 360, b[3], b[0] + span - 360, b[1]},
                               {b[0] + 360, b[3], b[0] + span + 360, b[1]}};
    const char *paths[3] = {path, path, path};
    const int copies = g->wrap ? 3 : across ? 2 : 1;
    for (int i = 0; i < copies; i++)
        if (add_source(g, path, ullr[i], err) != 0)
            goto fail;
    if (georaster_ready(g, paths, err) != 0)
        goto fail;
    g->wrap_deg_per_px = span / GDAL->GDALGetRasterXSize(g->slot[0].src[0]);
    g->bounds[0] = b[0], g->bounds[1] = fmax(b[1], -TILES_MAX_LAT);
    g->bounds[2] = b[2], g->bounds[3] = fmin(b[3], TILES_MAX_LAT);
    return g;
fail:
    tiles_georaster_close(g);
    return NULL;
}

void tiles_georaster_close(tiles_georaster *g)
{
    if (!g)
        return;
    for (int sl = 0; sl < WARP_SLOTS; sl++) {
        if (g->slot[sl].wrapped) /* before the VRTs it reads */
            GDAL->GDALClose(g->slot[sl].wrapped);
        for (size_t i = 0; i < MAX_SOURCES; i++) {
            if (g->slot[sl].vrt[i])
                GDAL->GDALClose(g->slot[sl].vrt[i]);
            if (g->slot[sl].src[i])
                GDAL->GDALClose(g->slot[sl].src[i]);
        }
        pthread_mutex_destroy(&g->slot[sl].lock);
    }
    GDAL->VSIFree(g->wkt_mercator);
    GDAL->VSIFree(g->wkt_lonlat);
    free(g);
}

void tiles_georaster_bounds(const tiles_georaster *g, double b[4])
{
    memcpy(b, g->bounds, sizeof g->bounds);
}

const char *tiles_georaster_stretch(const tiles_georaster *g)
{
    return g->stretch;
}

/* A free slot, locked (slot 0 is waited for when all are busy). */
static int slot_lock(tiles_georaster *g)
{
    for (int sl = 0; sl < WARP_SLOTS; sl++)
        if (pthread_mutex_trylock(&g->slot[sl].lock) == 0)
            return sl;
    pthread_mutex_lock(&g->slot[0].lock);
    return 0;
}

/* Warp every source into a w x h region (geotransform gt, CRS wkt) as RGBA. xscale > 0 sets
 * the filter's horizontal scale (destination pixels per source pixel) instead of GDAL's guess
 * from the source window. */
static int warp_region(tiles_georaster *g, const char *wkt, const double gt[6], int w, int h,
                       double xscale, uint8_t *out, err_t *err)
{
    const int nb = g->ncolor + 1;
    const GDALDataType type = g->deep ? GDT_Float32 : GDT_Byte;
    const size_t px = (size_t)w * h;
    int rc = -1;
    /* Deep values are stretched from Float32 here; bytes are read straight into RGBA. */
    float *deep = g->deep ? malloc(px * nb * sizeof *deep) : NULL;
    if (g->deep && !deep) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    const int sl = slot_lock(g);
    GDALDatasetH dst = GDAL->GDALCreate(GDAL->GDALGetDriverByName("MEM"), "", w, h, nb, type, NULL);
    char scale[64];
    snprintf(scale, sizeof scale, "XSCALE=%.17g", xscale);
    /* A scale given is in the full-resolution source's pixels: no overview then. */
    char *argv[] = {"-r", "bilinear", "-dstalpha", "-q", xscale > 0 ? "-wo" : NULL, scale,
                    "-ovr", "NONE", NULL};
    GDALWarpAppOptions *wo = GDAL->GDALWarpAppOptionsNew(argv, NULL);
    int usage = 0, rgba[4] = {1, 2, 3, 4}, grey[4] = {1, 1, 1, 2};
    double gtc[6];
    memcpy(gtc, gt, sizeof gtc);
    if (!dst || !wo || GDAL->GDALSetGeoTransform(dst, gtc) != CE_None ||
        GDAL->GDALSetProjection(dst, wkt) != CE_None ||
        !(g->wrap ? GDAL->GDALWarp(NULL, dst, 1, &g->slot[sl].wrapped, wo, &usage)
                  : GDAL->GDALWarp(NULL, dst, (int)g->n, g->slot[sl].vrt, wo, &usage)) ||
        (deep ? GDAL->GDALDatasetRasterIO(dst, GF_Read, 0, 0, w, h, deep, w, h, type, nb, NULL, 0,
                                          0, 0)
              : GDAL->GDALDatasetRasterIO(dst, GF_Read, 0, 0, w, h, out, w, h, type, 4,
                                          g->ncolor == 3 ? rgba : grey, 4, w * 4, 1)) != CE_None) {
        err_set(err, ERR_INTERNAL, NULL, "GDAL warp: %s", GDAL->CPLGetLastErrorMsg());
        goto done;
    }
    /* Band-sequential → RGBA, grey repeated, stretched. */
    for (size_t i = 0; deep && i < px; i++) {
        uint8_t *o = out + i * 4;
        for (int c = 0; c < 4; c++) {
            int band = c == 3 ? nb - 1 : g->ncolor == 3 ? c : 0;
            double f = deep[band * px + i];
            double v = c == 3 ? f : (f - g->lo[band]) / (g->hi[band] - g->lo[band]) * 255.0;
            o[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5);
        }
    }
    rc = 0;
done:
    GDAL->GDALWarpAppOptionsFree(wo);
    if (dst)
        GDAL->GDALClose(dst);
    pthread_mutex_unlock(&g->slot[sl].lock);
    free(deep);
    return rc;
}

int tiles_georaster_warp_band(tiles_georaster *g, int z, int ty, int tx0, int tx1, int size,
                              uint8_t *out, err_t *err)
{
    const double res = 2 * HALF_WORLD / ((double)size * (1 << z));
    const double gt[6] = {-HALF_WORLD + (double)tx0 * size * res, res, 0,
                          HALF_WORLD - (double)ty * size * res, 0, -res};
    /* A wrapped world: a band touching ±180 has a source window across all three copies, from
     * which GDAL would take a scale three times too small (a blur); the scale is constant. */
    const double xscale = g->wrap ? g->wrap_deg_per_px / (360.0 / ((double)size * (1 << z))) : 0;
    return warp_region(g, g->wkt_mercator, gt, (tx1 - tx0 + 1) * size, size, xscale, out, err);
}

/* warp_region into a new w x h RGBA raster (freed again on failure). */
static int warp_raster(tiles_georaster *g, const char *wkt, const double gt[6], int w, int h, double xscale,
                       tiles_raster *out, err_t *err)
{
    out->w = w;
    out->h = h;
    out->channels = 4;
    out->px = malloc((size_t)w * h * 4);
    if (!out->px) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (warp_region(g, wkt, gt, w, h, xscale, out->px, err) != 0) {
        tiles_raster_free(out);
        return -1;
    }
    return 0;
}

int tiles_georaster_preview(tiles_georaster *g, int max, tiles_raster *out, err_t *err)
{
    const double *b = g->bounds;
    double dw = b[2] - b[0] + (b[2] <= b[0] ? 360 : 0), dh = b[3] - b[1]; /* w > e: across ±180 */
    double f = fmax(dw, dh) / max;
    int w = (int)fmax(1, round(dw / f)), h = (int)fmax(1, round(dh / f));
    const double gt[6] = {b[0], dw / w, 0, b[3], 0, -dh / h};
    const double xscale = g->wrap ? g->wrap_deg_per_px / (dw / w) : 0; /* as for the tiles */
    return warp_raster(g, g->wkt_lonlat, gt, w, h, xscale, out, err);
}

int tiles_georaster_overview(tiles_georaster *g, int max, tiles_raster *out, err_t *err)
{
    GDALDatasetH ds = g->slot[0].src[0];
    double gt[6];
    const char *wkt = g->pick[0].assume_lonlat ? g->wkt_lonlat : GDAL->GDALGetProjectionRef(ds);
    int sw = GDAL->GDALGetRasterXSize(ds), sh = GDAL->GDALGetRasterYSize(ds);
    if (GDAL->GDALGetGeoTransform(ds, gt) != CE_None || !wkt || !wkt[0]) {
        err_set(err, ERR_CONFIG, NULL, "no georeferencing");
        return -1;
    }
    double f = fmax(1.0, (double)(sw > sh ? sw : sh) / max);
    int w = (int)fmax(1, round(sw / f)), h = (int)fmax(1, round(sh / f));
    double fx = (double)sw / w, fy = (double)sh / h;
    const double ogt[6] = {gt[0], gt[1] * fx, gt[2] * fy, gt[3], gt[4] * fx, gt[5] * fy};
    return warp_raster(g, wkt, ogt, w, h, 0, out, err);
}

int tiles_georaster_stretch_bands(const tiles_georaster *g, double lo[3], double hi[3])
{
    if (!g->deep)
        return 0;
    memcpy(lo, g->lo, sizeof g->lo);
    memcpy(hi, g->hi, sizeof g->hi);
    return g->ncolor;
}
