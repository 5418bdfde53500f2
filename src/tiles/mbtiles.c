/* mbtiles.c — writing and reading raster MBTiles 1.3 archives (see mbtiles.h).
 *
 * The writer inserts every tile in one transaction with journaling off (the file is a .tmp
 * until finish renames it, so a crash leaves nothing half-written in place). The reader opens
 * read-only and serialized; `tiles` may be a table or a view (GDAL and mb-util write a view
 * over deduplicated images), so only the columns of the specification are used. An archive is
 * the user's file, not ours: its schema is not trusted (no functions with side effects in its
 * views) and every statement runs on a budget of SQLite steps, so a view that never ends (a
 * recursive one, a join of joins) fails the open or the tile instead of holding a worker. */
#include "tiles/mbtiles.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tiles_mbtiles_writer {
    char *path, *tmp;
    sqlite3 *db;
    sqlite3_stmt *ins;
    tiles_archive_info info;
    pthread_mutex_t lock;
};

static void writer_free(tiles_mbtiles_writer *w)
{
    sqlite3_finalize(w->ins);
    sqlite3_close(w->db);
    pthread_mutex_destroy(&w->lock);
    free(w->path);
    free(w->tmp);
    free(w);
}

static int put_meta(sqlite3 *db, const char *name, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

tiles_mbtiles_writer *tiles_mbtiles_create(const char *path, const tiles_archive_info *info,
                                           err_t *err)
{
    tiles_mbtiles_writer *w = calloc(1, sizeof *w);
    if (!w) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    w->info = *info;
    w->path = strdup(path);
    w->tmp = malloc(strlen(path) + 5);
    if (!w->path || !w->tmp) {
        writer_free(w);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    sprintf(w->tmp, "%s.tmp", path);
    unlink(w->tmp);
    char bounds[128], center[128], minz[16], maxz[16];
    snprintf(bounds, sizeof bounds, "%.9g,%.9g,%.9g,%.9g", info->bounds[0], info->bounds[1],
             info->bounds[2], info->bounds[3]);
    snprintf(center, sizeof center, "%.9g,%.9g,%d", info->center[0], info->center[1],
             (int)info->center[2]);
    snprintf(minz, sizeof minz, "%d", info->minzoom);
    snprintf(maxz, sizeof maxz, "%d", info->maxzoom);
    if (sqlite3_open_v2(w->tmp, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(w->db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
                     "PRAGMA application_id=0x4d504258;" /* "MPBX", the MBTiles id */
                     "CREATE TABLE metadata (name text, value text);"
                     "CREATE TABLE tiles (zoom_level integer, tile_column integer, "
                     "tile_row integer, tile_data blob);"
                     "BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK ||
        put_meta(w->db, "name", info->name) || put_meta(w->db, "description", info->description) ||
        put_meta(w->db, "attribution", info->attribution) ||
        put_meta(w->db, "format", info->format == TILES_TILE_PNG ? "png" : "jpg") ||
        put_meta(w->db, "type", "baselayer") || put_meta(w->db, "version", "1.0.0") ||
        put_meta(w->db, "bounds", bounds) || put_meta(w->db, "center", center) ||
        put_meta(w->db, "minzoom", minz) || put_meta(w->db, "maxzoom", maxz) ||
        sqlite3_prepare_v2(w->db,
                           "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           -1, &w->ins, NULL) != SQLITE_OK) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp,
                w->db ? sqlite3_errmsg(w->db) : "cannot open");
        unlink(w->tmp);
        writer_free(w);
        return NULL;
    }
    return w;
}

int tiles_mbtiles_add(tiles_mbtiles_writer *w, int z, int x, int y, const void *data, size_t len,
                      err_t *err)
{
    if (z < w->info.minzoom || z > w->info.maxzoom || x < 0 || y < 0 || x >= (1 << z) ||
        y >= (1 << z)) {
        err_set(err, ERR_INTERNAL, NULL, "tile %d/%d/%d outside the archive's zooms %d..%d", z, x,
                y, w->info.minzoom, w->info.maxzoom);
        return -1;
    }
    pthread_mutex_lock(&w->lock);
    sqlite3_bind_int(w->ins, 1, z);
    sqlite3_bind_int(w->ins, 2, x);
    sqlite3_bind_int(w->ins, 3, (1 << z) - 1 - y); /* TMS: row 0 is the south */
    sqlite3_bind_blob(w->ins, 4, data, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(w->ins) == SQLITE_DONE ? 0 : -1;
    if (rc != 0)
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, sqlite3_errmsg(w->db));
    sqlite3_reset(w->ins);
    sqlite3_clear_bindings(w->ins);
    pthread_mutex_unlock(&w->lock);
    return rc;
}

int tiles_mbtiles_finish(tiles_mbtiles_writer *w, err_t *err)
{
    int rc = -1;
    sqlite3_finalize(w->ins);
    w->ins = NULL;
    if (sqlite3_exec(w->db,
                     "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                     "CREATE UNIQUE INDEX name ON metadata (name);"
                     "COMMIT",
                     NULL, NULL, NULL) != SQLITE_OK) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, sqlite3_errmsg(w->db));
        goto done;
    }
    if (sqlite3_close(w->db) != SQLITE_OK) {
        err_set(err, ERR_INTERNAL, NULL, "%s: close failed", w->tmp);
        goto done;
    }
    w->db = NULL;
    if (rename(w->tmp, w->path) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "rename %s failed", w->tmp);
        goto done;
    }
    rc = 0;
done:
    if (rc != 0)
        unlink(w->tmp);
    writer_free(w);
    return rc;
}

void tiles_mbtiles_abort(tiles_mbtiles_writer *w)
{
    if (!w)
        return;
    char *tmp = w->tmp;
    w->tmp = NULL;
    writer_free(w);
    if (tmp)
        unlink(tmp);
    free(tmp);
}

/* ---- reader ---- */

/* SQLite virtual-machine steps, in thousands, a statement of the reader may take: opening
 * reads the metadata and counts the tiles (a view over millions of them stays far below). */
#define OPEN_BUDGET 20000
#define READ_BUDGET 2000

/* The reader's connection and the steps left to its running statement (p->db points here; the
 * connection is serialized, so the one statement running owns the count). */
typedef struct {
    sqlite3 *db;
    long steps_left;
} reader;

static int over_budget(void *arg)
{
    reader *r = arg;
    return --r->steps_left < 0; /* nonzero interrupts the statement (SQLITE_INTERRUPT) */
}

static int meta_get(sqlite3 *db, const char *name, char *dst, size_t cap)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM metadata WHERE name = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        snprintf(dst, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static int parse_numbers(const char *s, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || !isfinite(v[i]))
            return -1;
        s = end;
        while (*s == ' ')
            s++;
        if (i < n - 1 && *s++ != ',')
            return -1;
    }
    return 0;
}

static long long query_int(sqlite3 *db, const char *sql, long long dflt)
{
    sqlite3_stmt *st;
    long long v = dflt;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return dflt;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int tiles_mbtiles_open(tiles_pack *p, const char *path, err_t *err)
{
    memset(p, 0, sizeof *p);
    p->fd = -1;
    sqlite3 *db = NULL;
    char v[512];
    reader *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        goto fail;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 64 << 20); /* no tile is 64 MB */
    sqlite3_progress_handler(db, 1000, over_budget, r);
    r->steps_left = OPEN_BUDGET;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles "
                               "LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
        err_set(err, ERR_CONFIG, NULL, "%s: not an MBTiles archive (%s)", path,
                sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(st);
    tiles_archive_info *in = &p->info;
    if (!meta_get(db, "format", v, sizeof v)) {
        err_set(err, ERR_CONFIG, NULL, "%s: metadata has no format", path);
        goto fail;
    }
    if (!strcmp(v, "png"))
        in->format = TILES_TILE_PNG;
    else if (!strcmp(v, "jpg") || !strcmp(v, "jpeg"))
        in->format = TILES_TILE_JPEG;
    else {
        err_set(err, ERR_CONFIG, NULL, "%s: format '%.32s'; a raster layer needs png or jpg",
                path, v);
        goto fail;
    }
    in->bounds[0] = -180;
    in->bounds[1] = -85.0511287798;
    in->bounds[2] = 180;
    in->bounds[3] = 85.0511287798;
    if (meta_get(db, "bounds", v, sizeof v) && parse_numbers(v, in->bounds, 4) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: bounds '%.64s' is not W,S,E,N", path, v);
        goto fail;
    }
    /* minzoom/maxzoom are optional in 1.3: the tiles say. */
    in->minzoom = meta_get(db, "minzoom", v, sizeof v)
                      ? atoi(v)
                      : (int)query_int(db, "SELECT MIN(zoom_level) FROM tiles", 0);
    in->maxzoom = meta_get(db, "maxzoom", v, sizeof v)
                      ? atoi(v)
                      : (int)query_int(db, "SELECT MAX(zoom_level) FROM tiles", 0);
    if (in->minzoom < 0 || in->maxzoom < in->minzoom || in->maxzoom > 24) {
        err_set(err, ERR_CONFIG, NULL, "%s: zoom range %d..%d", path, in->minzoom, in->maxzoom);
        goto fail;
    }
    in->center[0] = (in->bounds[0] + in->bounds[2]) / 2;
    in->center[1] = (in->bounds[1] + in->bounds[3]) / 2;
    in->center[2] = in->minzoom;
    if (meta_get(db, "center", v, sizeof v) && parse_numbers(v, in->center, 3) != 0)
        in->center[2] = in->minzoom; /* tolerated: some tools write only lng,lat */
    meta_get(db, "name", in->name, sizeof in->name);
    meta_get(db, "description", in->description, sizeof in->description);
    meta_get(db, "attribution", in->attribution, sizeof in->attribution);
    p->tiles = (long)query_int(db, "SELECT COUNT(*) FROM tiles", 0);
    if (r->steps_left < 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: reading its metadata and tiles takes too long "
                                       "(a view that does not end?)", path);
        goto fail;
    }
    p->kind = TILES_ARCHIVE_MBTILES;
    r->db = db;
    p->db = r;
    return 0;
fail:
    sqlite3_close(db);
    free(r);
    memset(p, 0, sizeof *p);
    p->fd = -1;
    return -1;
}

void tiles_mbtiles_close(tiles_pack *p)
{
    reader *r = p->db;
    if (r)
        sqlite3_close(r->db);
    free(r);
    p->db = NULL;
}

int tiles_mbtiles_read(const tiles_pack *p, int z, int x, int y, unsigned char **out,
                       size_t *len, err_t *err)
{
    reader *r = p->db;
    sqlite3 *db = r->db;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    /* One connection for every worker: hold its mutex across the statement. */
    sqlite3_mutex_enter(sqlite3_db_mutex(db));
    r->steps_left = READ_BUDGET;
    if (sqlite3_prepare_v2(db, "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND "
                               "tile_column = ?2 AND tile_row = ?3", -1, &st, NULL) != SQLITE_OK) {
        err_set(err, ERR_INTERNAL, NULL, "mbtiles: %s", sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_int(st, 1, z);
    sqlite3_bind_int(st, 2, x);
    sqlite3_bind_int(st, 3, (1 << z) - 1 - y);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW || sqlite3_column_bytes(st, 0) <= 0) {
        if (step == SQLITE_ROW || step == SQLITE_DONE)
            err_set(err, ERR_NOT_FOUND, NULL, "no tile %d/%d/%d", z, x, y);
        else
            err_set(err, ERR_INTERNAL, NULL, "mbtiles: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (out) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        unsigned char *b = malloc(n);
        if (!b) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto done;
        }
        memcpy(b, sqlite3_column_blob(st, 0), n);
        *out = b;
        *len = n;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_mutex_leave(sqlite3_db_mutex(db));
    return rc;
}
