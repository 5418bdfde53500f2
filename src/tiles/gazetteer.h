/* gazetteer.h — place names for labels: a reader for Marble's placemark cache
 * (cityplacemarks.cache, GeoNames-derived, CC-BY) and the compact baked index the server
 * loads (name, lat, lon, population, country, kind), ordered by label priority. */
#ifndef CARTOUCHE_TILES_GAZETTEER_H
#define CARTOUCHE_TILES_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum {
    TILES_PLACE_TOWN = 0,    /* GeoNames PPL, PPLX, ... */
    TILES_PLACE_ADMIN = 1,   /* PPLA..PPLA4: seat of an administrative division */
    TILES_PLACE_CAPITAL = 2, /* PPLC: national capital */
} tiles_place_kind;

typedef struct {
    const char *name; /* UTF-8, points into the gazetteer's string pool */
    double lat, lng;
    uint32_t population;
    char country[3]; /* ISO 3166 alpha-2, "" if unknown */
    uint8_t kind;    /* tiles_place_kind */
} tiles_place;

typedef struct {
    tiles_place *places;
    size_t count;
    char *strings;
    size_t strings_len;
} tiles_gazetteer;

/* Read a Marble placemark cache (QDataStream, magic 0x31415926). Places with an empty name are
 * skipped. Errors name the byte offset and record number. */
int tiles_gazetteer_read_marble(const char *path, tiles_gazetteer *g, err_t *err);

/* Sort by label priority: population (capitals weighted x3), then name (deterministic). */
void tiles_gazetteer_sort(tiles_gazetteer *g);

/* The baked index: write and load. */
int tiles_gazetteer_write(const tiles_gazetteer *g, const char *path, err_t *err);
int tiles_gazetteer_load(const char *path, tiles_gazetteer *g, err_t *err);
void tiles_gazetteer_free(tiles_gazetteer *g);

#endif
