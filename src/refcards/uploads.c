/* uploads.c — SQLite persistence of uploads: the files of each, in one container per row. */
#include "refcards/uploads.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* A pool of connections: a call takes one for itself and gives it back, so a connection is
 * never used by two threads at once and nothing locks around SQLite; with WAL a reader on its
 * own connection does not wait for another's commit. uploads_open opens one per worker up front
 * (opening resolves the path, which a request should not cause); more are opened if ever needed. */
typedef struct store_conn {
    sqlite3 *db;
    sqlite3_stmt *put, *get;
    struct store_conn *next_free, *next_all;
} store_conn;

struct uploads {
    pthread_mutex_t mu;
    char path[1024];
    store_conn *all, *free;
};

static int fail(store_conn *c, err_t *err, const char *what)
{
    err_set(err, ERR_INTERNAL, NULL, "upload store: %s: %s", what, c && c->db ? sqlite3_errmsg(c->db) : "closed");
    return -1;
}

static void conn_close(store_conn *c)
{
    sqlite3_finalize(c->put);
    sqlite3_finalize(c->get);
    sqlite3_close(c->db);
    free(c);
}

/* A new connection to u->path, set up like every other: WAL, synchronous=FULL (an answered 201
 * must survive power loss, not only a crash), the schema, the two statements. */
static store_conn *conn_open(uploads *u, err_t *err)
{
    store_conn *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(u->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, ERR_CONFIG, "db_path", "cannot open the upload store %s: %s", u->path,
                c->db ? sqlite3_errmsg(c->db) : "out of memory");
        goto bad;
    }
    /* Runs on a worker: waiting for another worker's commit is fine there. */
    sqlite3_busy_timeout(c->db, 10000);
    const char *schema =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS uploads ("
        " id TEXT PRIMARY KEY, game TEXT NOT NULL, filename TEXT NOT NULL,"
        " data BLOB NOT NULL, summary TEXT NOT NULL, created INTEGER NOT NULL);";
    char *msg = NULL;
    if (sqlite3_exec(c->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, ERR_CONFIG, "db_path", "upload store %s: %s", u->path, msg ? msg : "schema failed");
        sqlite3_free(msg);
        goto bad;
    }
    if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO uploads(id, game, filename, data, summary, created)"
                                  " VALUES (?, ?, ?, ?, ?, ?)", -1, &c->put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "SELECT data, filename, game, summary, created FROM uploads WHERE id = ?",
                           -1, &c->get, NULL) != SQLITE_OK) {
        fail(c, err, "prepare");
        err->kind = ERR_CONFIG;
        goto bad;
    }
    return c;
bad:
    conn_close(c);
    return NULL;
}

/* A connection for the caller alone until conn_give; NULL (err set) if none can be opened. */
static store_conn *conn_take(uploads *u, err_t *err)
{
    pthread_mutex_lock(&u->mu);
    store_conn *c = u->free;
    if (c)
        u->free = c->next_free;
    pthread_mutex_unlock(&u->mu);
    if (c)
        return c;
    if (!(c = conn_open(u, err)))
        return NULL;
    pthread_mutex_lock(&u->mu);
    c->next_all = u->all;
    u->all = c;
    pthread_mutex_unlock(&u->mu);
    return c;
}

static void conn_give(uploads *u, store_conn *c)
{
    pthread_mutex_lock(&u->mu);
    c->next_free = u->free;
    u->free = c;
    pthread_mutex_unlock(&u->mu);
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

uploads *uploads_open(const char *path, int conns, err_t *err)
{
    uploads *u = calloc(1, sizeof *u);
    if (!u) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&u->mu, NULL);
    make_parent(path);
    snprintf(u->path, sizeof u->path, "%s", path);
    store_conn *opened[64];
    int n = conns < 1 ? 1 : conns > 64 ? 64 : conns;
    for (int i = 0; i < n; i++) {
        if (!(opened[i] = conn_take(u, err))) {
            while (i--)
                conn_give(u, opened[i]);
            uploads_close(u);
            return NULL;
        }
    }
    for (int i = 0; i < n; i++)
        conn_give(u, opened[i]);
    return u;
}

void uploads_close(uploads *u)
{
    if (!u)
        return;
    while (u->all) {
        store_conn *c = u->all;
        u->all = c->next_all;
        conn_close(c);
    }
    pthread_mutex_destroy(&u->mu);
    free(u);
}

/* Container: MAGIC, u32 file count, then per file u32 name length, the name, a NUL, u64 data
 * length, the data; little-endian. The magic starts with a NUL so no binding file (text, or
 * UTF-16 text with its BOM first) stored before the container existed can be taken for one. */
static const char MAGIC[] = "\0cartouche-bundle-1";
#define MAGIC_LEN (sizeof MAGIC - 1)

static void put_u(char **p, unsigned long long v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        *(*p)++ = (char)(v >> (8 * i));
}

static unsigned long long get_u(const unsigned char *p, int bytes)
{
    unsigned long long v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (unsigned long long)p[i] << (8 * i);
    return v;
}

int store_bundle_encode(const store_file *files, size_t n, char **out, size_t *out_len)
{
    size_t len = MAGIC_LEN + 4;
    for (size_t i = 0; i < n; i++)
        len += 4 + strlen(files[i].name ? files[i].name : "") + 1 + 8 + files[i].len;
    char *buf = malloc(len), *p = buf;
    if (!buf)
        return -1;
    memcpy(p, MAGIC, MAGIC_LEN);
    p += MAGIC_LEN;
    put_u(&p, n, 4);
    for (size_t i = 0; i < n; i++) {
        const char *name = files[i].name ? files[i].name : "";
        size_t nl = strlen(name);
        put_u(&p, nl, 4);
        memcpy(p, name, nl + 1);
        p += nl + 1;
        put_u(&p, files[i].len, 8);
        if (files[i].len)
            memcpy(p, files[i].data, files[i].len);
        p += files[i].len;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int store_bundle_decode(const char *data, size_t len, store_file **files, size_t *n)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    if (len < MAGIC_LEN + 4 || memcmp(p, MAGIC, MAGIC_LEN) != 0)
        return -1;
    p += MAGIC_LEN;
    unsigned long long count = get_u(p, 4);
    p += 4;
    /* Every file takes at least 13 bytes, so a damaged count cannot make us allocate much. */
    if (count > (unsigned long long)(end - p) / 13)
        return -1;
    store_file *f = calloc(count ? count : 1, sizeof *f);
    if (!f)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (end - p < 4)
            goto bad;
        unsigned long long nl = get_u(p, 4);
        p += 4;
        if ((unsigned long long)(end - p) < nl + 1 + 8 || p[nl] != 0 || memchr(p, 0, nl))
            goto bad;
        f[i].name = (const char *)p;
        p += nl + 1;
        unsigned long long dl = get_u(p, 8);
        p += 8;
        if ((unsigned long long)(end - p) < dl)
            goto bad;
        f[i].data = (const char *)p;
        f[i].len = (size_t)dl;
        p += dl;
    }
    if (p != end)
        goto bad;
    *files = f;
    *n = (size_t)count;
    return 0;
bad:
    free(f);
    return -1;
}

int uploads_put(uploads *u, const char *id, const store_file *files, size_t n, const char *game,
                const char *summary, int *created, err_t *err)
{
    char *blob;
    size_t len;
    if (store_bundle_encode(files, n, &blob, &len) < 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (len > INT_MAX) {
        free(blob);
        err_set(err, ERR_TOO_LARGE, NULL, "the upload is too large to store");
        return -1;
    }
    store_conn *c = conn_take(u, err);
    if (!c) {
        free(blob);
        return -1;
    }
    sqlite3_stmt *st = c->put;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, game ? game : "", -1, SQLITE_STATIC);
    /* The first file's name: for a person reading the table; the container is what counts. */
    sqlite3_bind_text(st, 3, n && files[0].name ? files[0].name : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, blob, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, summary, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st);
    int changes = sqlite3_changes(c->db);
    if (rc != SQLITE_DONE)
        fail(c, err, "insert");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    conn_give(u, c);
    free(blob);
    if (rc != SQLITE_DONE)
        return -1;
    *created = changes > 0;
    return 0;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

int uploads_get(uploads *u, const char *id, store_item *it, err_t *err)
{
    memset(it, 0, sizeof *it);
    store_conn *c = conn_take(u, err);
    if (!c)
        return -1;
    sqlite3_stmt *st = c->get;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            fail(c, err, "select");
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        conn_give(u, c);
        return rc == SQLITE_DONE ? 1 : -1;
    }
    int n = sqlite3_column_bytes(st, 0);
    it->blob = malloc((size_t)n + 1);
    if (it->blob) {
        memcpy(it->blob, sqlite3_column_blob(st, 0), (size_t)n);
        it->blob[n] = 0;
    }
    char *filename = dup_col(st, 1);
    it->game = dup_col(st, 2);
    it->summary = dup_col(st, 3);
    it->created = sqlite3_column_int64(st, 4);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    conn_give(u, c);
    if (!it->blob || !filename || !it->game || !it->summary)
        goto oom;
    if (store_bundle_decode(it->blob, (size_t)n, &it->files, &it->n) < 0) {
        /* A row from before bundles: the one file as uploaded, named in its own column. */
        it->files = calloc(1, sizeof *it->files);
        if (!it->files)
            goto oom;
        /* The name lives past the blob's end so one free releases everything. */
        size_t fl = strlen(filename);
        char *grown = realloc(it->blob, (size_t)n + 1 + fl + 1);
        if (!grown)
            goto oom;
        it->blob = grown;
        memcpy(grown + n + 1, filename, fl + 1);
        it->files[0] = (store_file){grown + n + 1, grown, (size_t)n};
        it->n = 1;
    }
    free(filename);
    return 0;
oom:
    free(filename);
    store_item_free(it);
    err_set(err, ERR_INTERNAL, NULL, "out of memory");
    return -1;
}

void store_item_free(store_item *it)
{
    free(it->files);
    free(it->blob);
    free(it->game);
    free(it->summary);
    memset(it, 0, sizeof *it);
}
