/* rasterinfo.h — what one georeferenced raster file says about itself, read through GDAL: its
 * footprint in longitude/latitude (the outline of its pixel grid transformed by GDAL/OSR, so a
 * UTM scene's edges are where gdalinfo puts its corners), grid and CRS, bands, the acquisition
 * time its metadata carries, and the media type of the file. For the scene index. */
#ifndef CARTOUCHE_BAKE_RASTERINFO_H
#define CARTOUCHE_BAKE_RASTERINFO_H

#include <stddef.h>

#include "util/err.h"

#define TILES_RASTER_MAX_BANDS 16
#define TILES_RASTER_MAX_AUX 4
/* Points per edge of the footprint's outline (the corners are among them). */
#define TILES_FOOTPRINT_STEPS 8
#define TILES_FOOTPRINT_POINTS (4 * TILES_FOOTPRINT_STEPS + 1)

typedef struct {
    char driver[32];       /* GDAL's short name: GTiff, JP2OpenJPEG, PNG, JPEG, ... */
    char media_type[80];   /* of the file: "image/tiff; application=geotiff; profile=cloud-optimized" */
    int width, height;
    double transform[6];   /* GDAL geotransform of the grid in its CRS */
    int epsg;              /* EPSG code of the CRS, 0 if it has none */
    int nbands;
    struct {
        char data_type[12]; /* STAC raster extension names: uint8, uint16, float32, ... */
        int has_nodata;
        double nodata;
    } bands[TILES_RASTER_MAX_BANDS];
    /* Footprint: a closed counterclockwise ring of lon/lat (nring points, the last equal to the
     * first), or nring = 0 when it crosses the antimeridian (then bbox has w > e). */
    double ring[TILES_FOOTPRINT_POINTS][2];
    size_t nring;
    double bbox[4];        /* w, s, e, n */
    /* Files next to it that GDAL read with it (world file, .prj, .aux.xml): their names. */
    char aux[TILES_RASTER_MAX_AUX][256];
    size_t naux;
    char datetime[40];     /* "YYYY-MM-DDTHH:MM:SSZ" from the metadata, or "" */
    char datetime_source[40]; /* the metadata item it came from: "TIFFTAG_DATETIME", ... */
} tiles_raster_info;

/* Read path's description. ERR_CONFIG with the reason when GDAL cannot open it or it has no
 * usable georeferencing. */
int tiles_raster_info_read(const char *path, tiles_raster_info *out, err_t *err);

/* "2021:06:01 10:20:30" (TIFF), "2021-06-01 10:20:30", "2021-06-01T10:20:30.5Z", ... as
 * "YYYY-MM-DDTHH:MM:SSZ" (a time without a zone is taken as UTC). -1 if it is none of these. */
int tiles_raster_datetime_normalize(const char *s, char *out, size_t cap);

#endif
