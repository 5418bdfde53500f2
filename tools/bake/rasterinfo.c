/* rasterinfo.c — a raster file's description through GDAL (see rasterinfo.h).
 *
 * The footprint is the outline of the pixel grid, TILES_FOOTPRINT_STEPS points per edge, each
 * transformed to EPSG:4326 in traditional (lon, lat) order: the corners are exactly where
 * gdalinfo puts them, and a projected scene's curved edges are followed. A file without a CRS
 * whose coordinates look like degrees is taken as longitude/latitude, as the bake does. */
#include "bake/rasterinfo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tiles/gdalapi.h"
#include "tiles/timeutil.h"

int tiles_raster_datetime_normalize(const char *s, char *out, size_t cap)
{
    char buf[64];
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
        n--;
    if (n < 10 || n >= sizeof buf - 2)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    /* TIFF's "YYYY:MM:DD HH:MM:SS" and a space instead of 'T'. */
    if (buf[4] == ':' && buf[7] == ':')
        buf[4] = buf[7] = '-';
    if (n > 10 && buf[10] == ' ')
        buf[10] = 'T';
    if (n == 19 || (n > 19 && buf[19] == '.' && !strpbrk(buf + 19, "Zz+-")))
        strcat(buf, "Z"); /* no zone: UTC */
    double t;
    if (tiles_time_parse(buf, &t) != 0)
        return -1;
    tiles_time_format(t, out, cap);
    return 0;
}

static void media_type(GDALDatasetH ds, tiles_raster_info *o)
{
    const char *d = o->driver;
    const char *layout = GDAL->GDALGetMetadataItem(ds, "LAYOUT", "IMAGE_STRUCTURE");
    if (!strcmp(d, "GTiff") || !strcmp(d, "COG"))
        snprintf(o->media_type, sizeof o->media_type, "image/tiff; application=geotiff%s",
                 layout && !strcmp(layout, "COG") ? "; profile=cloud-optimized" : "");
    else if (!strncmp(d, "JP2", 3))
        snprintf(o->media_type, sizeof o->media_type, "image/jp2");
    else if (!strcmp(d, "PNG"))
        snprintf(o->media_type, sizeof o->media_type, "image/png");
    else if (!strcmp(d, "JPEG"))
        snprintf(o->media_type, sizeof o->media_type, "image/jpeg");
    else
        snprintf(o->media_type, sizeof o->media_type, "application/octet-stream");
}

/* GDAL's data type names as the STAC raster extension spells them. */
static void data_type(const char *gdal, char *out, size_t cap)
{
    if (!strcmp(gdal, "Byte")) {
        snprintf(out, cap, "uint8");
        return;
    }
    static const char *const known[] = {"Int8", "UInt16", "Int16", "UInt32", "Int32", "UInt64",
                                        "Int64", "Float32", "Float64", "CInt16", "CInt32",
                                        "CFloat32", "CFloat64"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(gdal, known[i])) {
            size_t k;
            for (k = 0; gdal[k] && k + 1 < cap; k++)
                out[k] = (char)(gdal[k] >= 'A' && gdal[k] <= 'Z' ? gdal[k] + 32 : gdal[k]);
            out[k] = 0;
            return;
        }
    snprintf(out, cap, "other");
}

/* The georeferencing files GDAL read along with path, in the same folder. */
static void aux_files(GDALDatasetH ds, const char *path, tiles_raster_info *o)
{
    static const char *const exts[] = {".wld", ".tfw", ".tifw", ".pgw", ".pngw", ".jgw", ".jpgw",
                                       ".j2w", ".prj", ".aux.xml"};
    char **files = GDAL->GDALGetFileList(ds);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    for (char **f = files; f && *f && o->naux < TILES_RASTER_MAX_AUX; f++) {
        const char *name = *f + dirlen;
        size_t n = strlen(*f);
        if (!strcmp(*f, path) || strncmp(*f, path, dirlen) != 0 || strchr(name, '/') ||
            strlen(name) >= sizeof o->aux[0])
            continue;
        for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
            size_t k = strlen(exts[i]);
            if (n > k && !strcasecmp(*f + n - k, exts[i])) {
                snprintf(o->aux[o->naux++], sizeof o->aux[0], "%s", name);
                break;
            }
        }
    }
    GDAL->CSLDestroy(files);
}

static void metadata_datetime(GDALDatasetH ds, tiles_raster_info *o)
{
    static const struct {
        const char *item, *domain;
    } where[] = {
        {"ACQUISITIONDATETIME", "IMAGERY"}, /* GDAL's imagery metadata readers (IMD, MTL, ...) */
        {"ACQUISITIONDATETIME", NULL},
        {"TIFFTAG_DATETIME", NULL},
        {"DATETIME", NULL},
    };
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        const char *v = GDAL->GDALGetMetadataItem(ds, where[i].item, where[i].domain);
        if (v && tiles_raster_datetime_normalize(v, o->datetime, sizeof o->datetime) == 0) {
            snprintf(o->datetime_source, sizeof o->datetime_source, "%s", where[i].item);
            return;
        }
    }
}

/* The outline of the grid in its own coordinates, clockwise in pixel space (which is
 * counterclockwise on the ground for a north-up image). */
static void outline(const double gt[6], int w, int h, double (*pts)[2])
{
    const int k = TILES_FOOTPRINT_STEPS;
    size_t n = 0;
    for (int e = 0; e < 4; e++)
        for (int i = 0; i < k; i++) {
            double f = (double)i / k, px, py;
            switch (e) {
            case 0: px = 0, py = f * h; break;           /* west edge, north to south */
            case 1: px = f * w, py = h; break;           /* south edge, west to east */
            case 2: px = w, py = (1 - f) * h; break;     /* east edge, south to north */
            default: px = (1 - f) * w, py = 0; break;    /* north edge, east to west */
            }
            pts[n][0] = gt[0] + px * gt[1] + py * gt[2];
            pts[n][1] = gt[3] + px * gt[4] + py * gt[5];
            n++;
        }
    pts[n][0] = pts[0][0];
    pts[n][1] = pts[0][1];
}

/* bbox of the ring; across the antimeridian (a jump of more than 180 degrees between
 * neighbours) the box has w > e and the ring is dropped (the Item's footprint is then the box,
 * split in two at the antimeridian). */
static void ring_bbox(tiles_raster_info *o)
{
    size_t n = TILES_FOOTPRINT_POINTS;
    int crosses = 0;
    /* Longitudes into -180..180: a lon/lat raster may say 170..190 for what crosses the
     * antimeridian. */
    for (size_t i = 0; i < n; i++) {
        while (o->ring[i][0] > 180)
            o->ring[i][0] -= 360;
        while (o->ring[i][0] < -180)
            o->ring[i][0] += 360;
    }
    for (size_t i = 1; i < n; i++)
        if (fabs(o->ring[i][0] - o->ring[i - 1][0]) > 180)
            crosses = 1;
    double *b = o->bbox;
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double lon = o->ring[i][0], lat = o->ring[i][1];
        if (crosses && lon < 0)
            lon += 360;
        b[0] = fmin(b[0], lon), b[2] = fmax(b[2], lon);
        b[1] = fmin(b[1], lat), b[3] = fmax(b[3], lat);
    }
    if (crosses) {
        if (b[2] > 180)
            b[2] -= 360;
        o->nring = 0;
        return;
    }
    /* Counterclockwise (RFC 7946): a negative shoelace area means clockwise; reverse. */
    double area = 0;
    for (size_t i = 0; i + 1 < n; i++)
        area += o->ring[i][0] * o->ring[i + 1][1] - o->ring[i + 1][0] * o->ring[i][1];
    if (area < 0)
        for (size_t i = 0, j = n - 1; i < j; i++, j--) {
            double t0 = o->ring[i][0], t1 = o->ring[i][1];
            o->ring[i][0] = o->ring[j][0], o->ring[i][1] = o->ring[j][1];
            o->ring[j][0] = t0, o->ring[j][1] = t1;
        }
    o->nring = n;
}

static int footprint(GDALDatasetH ds, tiles_raster_info *o, const char *path, err_t *err)
{
    OGRSpatialReferenceH srs_in = GDAL->GDALGetSpatialRef(ds);
    outline(o->transform, o->width, o->height, o->ring);
    if (!srs_in) {
        for (size_t i = 0; i < TILES_FOOTPRINT_POINTS; i++)
            if (fabs(o->ring[i][0]) > 180.001 || fabs(o->ring[i][1]) > 90.001) {
                err_set(err, ERR_CONFIG, NULL, "%s: no coordinate system, and its coordinates "
                                               "are not longitude/latitude", path);
                return -1;
            }
        ring_bbox(o);
        return 0;
    }
    const char *auth = GDAL->OSRGetAuthorityName(srs_in, NULL);
    const char *code = GDAL->OSRGetAuthorityCode(srs_in, NULL);
    if (auth && code && !strcmp(auth, "EPSG"))
        o->epsg = atoi(code);
    OGRSpatialReferenceH ll = GDAL->OSRNewSpatialReference(NULL), srs = GDAL->OSRClone(srs_in);
    GDAL->OSRImportFromEPSG(ll, 4326);
    GDAL->OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    GDAL->OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = GDAL->OCTNewCoordinateTransformation(srs, ll);
    int ok = ct != NULL;
    for (size_t i = 0; ok && i < TILES_FOOTPRINT_POINTS; i++)
        ok = GDAL->OCTTransform(ct, 1, &o->ring[i][0], &o->ring[i][1], NULL) &&
             isfinite(o->ring[i][0]) && isfinite(o->ring[i][1]);
    if (ct)
        GDAL->OCTDestroyCoordinateTransformation(ct);
    GDAL->OSRDestroySpatialReference(srs);
    GDAL->OSRDestroySpatialReference(ll);
    if (!ok) {
        err_set(err, ERR_CONFIG, NULL, "%s: its outline does not transform to "
                                       "longitude/latitude", path);
        return -1;
    }
    ring_bbox(o);
    return 0;
}

int tiles_raster_info_read(const char *path, tiles_raster_info *o, err_t *err)
{
    memset(o, 0, sizeof *o);
    if (tiles_gdal_load(err) != 0)
        return -1;
    GDALDatasetH ds = GDAL->GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        err_set(err, ERR_CONFIG, NULL, "%s: GDAL cannot read it (%s)", path,
                GDAL->CPLGetLastErrorMsg());
        return -1;
    }
    int rc = -1;
    snprintf(o->driver, sizeof o->driver, "%s", GDAL->GDALGetDriverShortName(GDAL->GDALGetDatasetDriver(ds)));
    o->width = GDAL->GDALGetRasterXSize(ds);
    o->height = GDAL->GDALGetRasterYSize(ds);
    o->nbands = GDAL->GDALGetRasterCount(ds);
    if (o->width < 1 || o->height < 1 || o->nbands < 1) {
        err_set(err, ERR_CONFIG, NULL, "%s: no pixels", path);
        goto done;
    }
    if (o->nbands > TILES_RASTER_MAX_BANDS) {
        err_set(err, ERR_CONFIG, NULL, "%s: %d bands (at most %d)", path, o->nbands,
                TILES_RASTER_MAX_BANDS);
        goto done;
    }
    if (GDAL->GDALGetGeoTransform(ds, o->transform) != CE_None) {
        err_set(err, ERR_CONFIG, NULL, "%s: no georeferencing (no geotransform or world file)",
                path);
        goto done;
    }
    for (int i = 0; i < o->nbands; i++) {
        GDALRasterBandH b = GDAL->GDALGetRasterBand(ds, i + 1);
        data_type(GDAL->GDALGetDataTypeName(GDAL->GDALGetRasterDataType(b)), o->bands[i].data_type,
                  sizeof o->bands[i].data_type);
        o->bands[i].nodata = GDAL->GDALGetRasterNoDataValue(b, &o->bands[i].has_nodata);
        if (!isfinite(o->bands[i].nodata))
            o->bands[i].has_nodata = 0; /* JSON has no NaN */
    }
    media_type(ds, o);
    metadata_datetime(ds, o);
    aux_files(ds, path, o);
    rc = footprint(ds, o, path, err);
done:
    GDAL->GDALClose(ds);
    return rc;
}
