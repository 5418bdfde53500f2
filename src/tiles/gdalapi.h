/* gdalapi.h — the part of GDAL's C API that the tile module uses, declared here: GDAL is loaded
 * on first use (dlopen), not linked, and not needed to build. Linking it maps GDAL and its
 * dozens of dependencies into every server process (+24 MB resident at start) for what only
 * `cartouche bake --image` and `cartouche scenes index` use. Handles are opaque; the enum
 * values are GDAL's (stable across 3.x). After tiles_gdal_load(), callers call GDAL->Name(...):
 * one table of function pointers, filled once (a loaded library is process-wide by nature). */
#ifndef CARTOUCHE_TILES_GDALAPI_H
#define CARTOUCHE_TILES_GDALAPI_H

#include "util/err.h"

typedef void *GDALMajorObjectH, *GDALDatasetH, *GDALRasterBandH, *GDALDriverH, *OGRSpatialReferenceH,
    *OGRCoordinateTransformationH;
typedef struct GDALTranslateOptions GDALTranslateOptions;
typedef struct GDALWarpAppOptions GDALWarpAppOptions;
typedef struct GDALBuildVRTOptions GDALBuildVRTOptions;
typedef int GDALDataType, GDALColorInterp, CPLErr;
enum { CE_None = 0, OGRERR_NONE = 0, GF_Read = 0, GDT_Byte = 1, GDT_Float32 = 6, GDT_Float64 = 7 };
enum { GCI_PaletteIndex = 2, GCI_RedBand = 3, GCI_GreenBand = 4, GCI_BlueBand = 5,
       GCI_AlphaBand = 6 };
enum { GDAL_OF_READONLY = 0x00, GDAL_OF_RASTER = 0x02, OAMS_TRADITIONAL_GIS_ORDER = 0 };
typedef void (*CPLErrorHandler)(CPLErr, int, const char *);

#define GDAL_FUNCS(X)                                                                              \
    X(void, GDALAllRegister, (void))                                                               \
    X(CPLErrorHandler, CPLSetErrorHandler, (CPLErrorHandler))                                      \
    X(void, CPLQuietErrorHandler, (CPLErr, int, const char *))                                     \
    X(const char *, CPLGetLastErrorMsg, (void))                                                    \
    X(void, VSIFree, (void *))                                                                     \
    X(GDALDatasetH, GDALOpenEx,                                                                    \
      (const char *, unsigned, const char *const *, const char *const *, const char *const *))     \
    X(void, GDALClose, (GDALDatasetH))                                                             \
    X(GDALDriverH, GDALGetDriverByName, (const char *))                                            \
    X(GDALDatasetH, GDALCreate, (GDALDriverH, const char *, int, int, int, GDALDataType, char **)) \
    X(int, GDALGetRasterXSize, (GDALDatasetH))                                                     \
    X(int, GDALGetRasterYSize, (GDALDatasetH))                                                     \
    X(int, GDALGetRasterCount, (GDALDatasetH))                                                     \
    X(GDALRasterBandH, GDALGetRasterBand, (GDALDatasetH, int))                                     \
    X(GDALColorInterp, GDALGetRasterColorInterpretation, (GDALRasterBandH))                        \
    X(GDALDataType, GDALGetRasterDataType, (GDALRasterBandH))                                      \
    X(const char *, GDALGetDataTypeName, (GDALDataType))                                           \
    X(CPLErr, GDALGetGeoTransform, (GDALDatasetH, double *))                                       \
    X(CPLErr, GDALSetGeoTransform, (GDALDatasetH, double *))                                       \
    X(CPLErr, GDALSetProjection, (GDALDatasetH, const char *))                                     \
    X(OGRSpatialReferenceH, GDALGetSpatialRef, (GDALDatasetH))                                     \
    X(CPLErr, GDALRasterIO,                                                                        \
      (GDALRasterBandH, int, int, int, int, int, void *, int, int, GDALDataType, int, int))        \
    X(CPLErr, GDALDatasetRasterIO,                                                                 \
      (GDALDatasetH, int, int, int, int, int, void *, int, int, GDALDataType, int, int *, int,     \
       int, int))                                                                                  \
    X(GDALTranslateOptions *, GDALTranslateOptionsNew, (char **, void *))                          \
    X(void, GDALTranslateOptionsFree, (GDALTranslateOptions *))                                    \
    X(GDALDatasetH, GDALTranslate,                                                                 \
      (const char *, GDALDatasetH, const GDALTranslateOptions *, int *))                           \
    X(GDALWarpAppOptions *, GDALWarpAppOptionsNew, (char **, void *))                              \
    X(void, GDALWarpAppOptionsFree, (GDALWarpAppOptions *))                                        \
    X(GDALDatasetH, GDALWarp,                                                                      \
      (const char *, GDALDatasetH, int, GDALDatasetH *, const GDALWarpAppOptions *, int *))        \
    X(GDALBuildVRTOptions *, GDALBuildVRTOptionsNew, (char **, void *))                            \
    X(void, GDALBuildVRTOptionsFree, (GDALBuildVRTOptions *))                                      \
    X(GDALDatasetH, GDALBuildVRT,                                                                  \
      (const char *, int, GDALDatasetH *, const char *const *, const GDALBuildVRTOptions *,        \
       int *))                                                                                     \
    X(OGRSpatialReferenceH, OSRNewSpatialReference, (const char *))                                \
    X(void, OSRDestroySpatialReference, (OGRSpatialReferenceH))                                    \
    X(int, OSRImportFromEPSG, (OGRSpatialReferenceH, int))                                         \
    X(int, OSRExportToWkt, (OGRSpatialReferenceH, char **))                                        \
    X(OGRSpatialReferenceH, OSRClone, (OGRSpatialReferenceH))                                      \
    X(void, OSRSetAxisMappingStrategy, (OGRSpatialReferenceH, int))                                \
    X(OGRCoordinateTransformationH, OCTNewCoordinateTransformation,                                \
      (OGRSpatialReferenceH, OGRSpatialReferenceH))                                                \
    X(int, OCTTransform, (OGRCoordinateTransformationH, int, double *, double *, double *))        \
    X(void, OCTDestroyCoordinateTransformation, (OGRCoordinateTransformationH))                  \
    X(const char *, GDALGetProjectionRef, (GDALDatasetH))                                          \
    X(const char *, GDALGetMetadataItem, (GDALMajorObjectH, const char *, const char *))           \
    X(GDALDriverH, GDALGetDatasetDriver, (GDALDatasetH))                                           \
    X(const char *, GDALGetDriverShortName, (GDALDriverH))                                         \
    X(double, GDALGetRasterNoDataValue, (GDALRasterBandH, int *))                                  \
    X(char **, GDALGetFileList, (GDALDatasetH))                                                    \
    X(void, CSLDestroy, (char **))                                                                 \
    X(const char *, OSRGetAuthorityName, (OGRSpatialReferenceH, const char *))                     \
    X(const char *, OSRGetAuthorityCode, (OGRSpatialReferenceH, const char *))
#define TILES_GDAL_FIELD(ret, name, args) ret(*name) args;
typedef struct {
    GDAL_FUNCS(TILES_GDAL_FIELD)
} tiles_gdal_api;
#undef TILES_GDAL_FIELD

/* The table; its pointers are NULL until tiles_gdal_load() succeeded. */
const tiles_gdal_api *tiles_gdal(void);
#define GDAL (tiles_gdal())

/* Load libgdal (once; thread-safe). -1 with ERR_CONFIG when it is missing or too old. */
int tiles_gdal_load(err_t *err);

#endif
