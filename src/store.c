/* store.c — SQLite persistence of uploaded binding files. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static sqlite3 *db;
static sqlite3_stmt *st_put, *st_get;

static int fail(err_t *err, const char *what)
{
    err_set(err, ERR_INTERNAL, NULL, "upload store: %s: %s", what, db ? sqlite3_errmsg(db) : "closed");
    return -1;
}

/* mkdir -p of the folder holding path. */
static void make_parent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = 0;
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    mkdir(dir, 0755);
}

int store_open(const char *path, err_t *err)
{
    make_parent(path);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, ERR_CONFIG, "db_path", "cannot open the upload store %s: %s", path,
                db ? sqlite3_errmsg(db) : "out of memory");
        store_close();
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    const char *schema =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;" /* an answered 201 must survive power loss, not only a crash */
        "CREATE TABLE IF NOT EXISTS uploads ("
        " id TEXT PRIMARY KEY, game TEXT NOT NULL, filename TEXT NOT NULL,"
        " data BLOB NOT NULL, summary TEXT NOT NULL, created INTEGER NOT NULL);";
    char *msg = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, ERR_CONFIG, "db_path", "upload store %s: %s", path, msg ? msg : "schema failed");
        sqlite3_free(msg);
        store_close();
        return -1;
    }
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO uploads(id, game, filename, data, summary, created)"
                               " VALUES (?, ?, ?, ?, ?, ?)", -1, &st_put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT data, filename, game, summary, created FROM uploads WHERE id = ?",
                           -1, &st_get, NULL) != SQLITE_OK) {
        fail(err, "prepare");
        err->kind = ERR_CONFIG;
        store_close();
        return -1;
    }
    return 0;
}

void store_close(void)
{
    sqlite3_finalize(st_put);
    sqlite3_finalize(st_get);
    st_put = st_get = NULL;
    if (db)
        sqlite3_close(db);
    db = NULL;
}

int store_put(const char *id, const store_item *it, int *created, err_t *err)
{
    if (!db)
        return fail(err, "not open");
    sqlite3_reset(st_put);
    sqlite3_bind_text(st_put, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st_put, 2, it->game ? it->game : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st_put, 3, it->filename ? it->filename : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st_put, 4, it->data, (int)it->len, SQLITE_STATIC);
    sqlite3_bind_text(st_put, 5, it->summary, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st_put, 6, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st_put);
    sqlite3_clear_bindings(st_put);
    if (rc != SQLITE_DONE)
        return fail(err, "insert");
    *created = sqlite3_changes(db) > 0;
    return 0;
}

static char *dup_col(int col)
{
    const unsigned char *t = sqlite3_column_text(st_get, col);
    return strdup(t ? (const char *)t : "");
}

int store_get(const char *id, store_item *it, err_t *err)
{
    memset(it, 0, sizeof *it);
    if (!db)
        return fail(err, "not open");
    sqlite3_reset(st_get);
    sqlite3_bind_text(st_get, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st_get);
    if (rc == SQLITE_DONE) {
        sqlite3_clear_bindings(st_get);
        return 1;
    }
    if (rc != SQLITE_ROW)
        return fail(err, "select");
    int n = sqlite3_column_bytes(st_get, 0);
    it->data = malloc((size_t)n + 1);
    if (it->data) {
        memcpy(it->data, sqlite3_column_blob(st_get, 0), (size_t)n);
        it->data[n] = 0;
    }
    it->len = (size_t)n;
    it->filename = dup_col(1);
    it->game = dup_col(2);
    it->summary = dup_col(3);
    it->created = sqlite3_column_int64(st_get, 4);
    sqlite3_reset(st_get);
    sqlite3_clear_bindings(st_get);
    if (!it->data || !it->filename || !it->game || !it->summary) {
        store_item_free(it);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    return 0;
}

void store_item_free(store_item *it)
{
    free(it->data);
    free(it->filename);
    free(it->game);
    free(it->summary);
    memset(it, 0, sizeof *it);
}
