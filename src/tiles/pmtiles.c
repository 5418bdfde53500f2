/* pmtiles.c — writing and reading PMTiles v3 archives (see pmtiles.h).
 *
 * The writer lets several bake threads append tiles in any order to a side file, then lays the
 * archive out at finish: tiles in tile-id order ("clustered", each directory offset implied by
 * the previous entry), the root directory within the first 16 KiB, leaf directories when the
 * root would not fit. Directories and metadata are written uncompressed (internal compression
 * "none"): the tiles are JPEG/PNG already, and a reader then needs no inflate.
 *
 * The reader accepts what other tools write as well: gzip-compressed directories and metadata
 * (inflated with libarchive, which is linked already), leaves nested a few levels deep, tiles
 * in any order. It keeps the whole directory in memory, flattened and sorted, so a lookup is a
 * binary search and never touches the disk. */
#include "tiles/pmtiles.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { COMPRESSION_UNKNOWN = 0, COMPRESSION_NONE = 1, COMPRESSION_GZIP = 2 };
enum { TYPE_PNG = 2, TYPE_JPEG = 3 };
#define MAX_DIR_BYTES (64u << 20)
#define MAX_LEAF_DEPTH 4

uint64_t tiles_pmtiles_tile_id(int z, int x, int y)
{
    uint64_t acc = (((uint64_t)1 << (2 * z)) - 1) / 3; /* tiles of zooms 0..z-1 */
    uint64_t tx = (uint64_t)x, ty = (uint64_t)y, d = 0;
    for (uint64_t s = z > 0 ? (uint64_t)1 << (z - 1) : 0; s > 0; s >>= 1) {
        uint64_t rx = (tx & s) ? 1 : 0, ry = (ty & s) ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) { /* rotate the quadrant */
            if (rx == 1) {
                tx = s - 1 - (tx & (s - 1));
                ty = s - 1 - (ty & (s - 1));
            }
            uint64_t t = tx;
            tx = ty;
            ty = t;
        }
    }
    return acc + d;
}

/* ---- little-endian fields and varints ---- */

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static int32_t get_i32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

typedef struct {
    unsigned char *d;
    size_t len, cap;
} bytes;

static int bytes_put(bytes *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *nd = realloc(b->d, cap);
        if (!nd)
            return -1;
        b->d = nd;
        b->cap = cap;
    }
    memcpy(b->d + b->len, d, n);
    b->len += n;
    return 0;
}

static int put_varint(bytes *b, uint64_t v)
{
    unsigned char buf[10];
    size_t n = 0;
    do {
        buf[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            buf[n] |= 0x80;
        n++;
    } while (v);
    return bytes_put(b, buf, n);
}

static int get_varint(const unsigned char *d, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return -1;
        unsigned char c = d[(*pos)++];
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* ---- writer ---- */

typedef struct {
    uint64_t id, off;
    uint32_t len, run;
} entry;

struct tiles_pmtiles_writer {
    char *path, *tmp, *data_tmp;
    int fd, data_fd;
    tiles_archive_info info;
    entry *e;
    size_t n, cap;
    uint64_t end;
    pthread_mutex_t lock;
};

static void writer_free(tiles_pmtiles_writer *w)
{
    if (w->fd >= 0)
        close(w->fd);
    if (w->data_fd >= 0)
        close(w->data_fd);
    pthread_mutex_destroy(&w->lock);
    free(w->path);
    free(w->tmp);
    free(w->data_tmp);
    free(w->e);
    free(w);
}

tiles_pmtiles_writer *tiles_pmtiles_create(const char *path, const tiles_archive_info *info,
                                           err_t *err)
{
    tiles_pmtiles_writer *w = calloc(1, sizeof *w);
    if (!w) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    w->fd = w->data_fd = -1;
    pthread_mutex_init(&w->lock, NULL);
    w->info = *info;
    size_t n = strlen(path);
    w->path = strdup(path);
    w->tmp = malloc(n + 8);
    w->data_tmp = malloc(n + 16);
    if (!w->path || !w->tmp || !w->data_tmp) {
        writer_free(w);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    sprintf(w->tmp, "%s.tmp", path);
    sprintf(w->data_tmp, "%s.data.tmp", path);
    w->data_fd = open(w->data_tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->data_fd < 0) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->data_tmp, strerror(errno));
        writer_free(w);
        return NULL;
    }
    return w;
}

static int write_all(int fd, const void *buf, size_t len, off_t at)
{
    const unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, b, len, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        b += n;
        len -= (size_t)n;
        at += n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len, off_t at)
{
    unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = pread(fd, b, len, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0; /* a short read, not an error of the system */
            return -1;
        }
        b += n;
        len -= (size_t)n;
        at += n;
    }
    return 0;
}

int tiles_pmtiles_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                       err_t *err)
{
    long long off;
    size_t n;
    if (tiles_pmtiles_find(p, tiles_pmtiles_tile_id(z, x, y), &off, &n) != 0) {
        err_set(err, ERR_NOT_FOUND, NULL, "no tile %d/%d/%d", z, x, y);
        return -1;
    }
    unsigned char *b = malloc(n ? n : 1);
    if (!b) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (read_all(p->fd, b, n, (off_t)off) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "reading tile %d/%d/%d: %s", z, x, y,
                errno ? strerror(errno) : "short read");
        free(b);
        return -1;
    }
    *out = b;
    *len = n;
    return 0;
}

int tiles_pmtiles_add(tiles_pmtiles_writer *w, int z, int x, int y, const void *data, size_t len,
                      err_t *err)
{
    if (z < w->info.minzoom || z > w->info.maxzoom || x < 0 || y < 0 || x >= (1 << z) ||
        y >= (1 << z) || len == 0 || len > UINT32_MAX) {
        err_set(err, ERR_INTERNAL, NULL, "tile %d/%d/%d outside the archive's zooms %d..%d", z, x,
                y, w->info.minzoom, w->info.maxzoom);
        return -1;
    }
    pthread_mutex_lock(&w->lock);
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        entry *ne = realloc(w->e, cap * sizeof *ne);
        if (!ne) {
            pthread_mutex_unlock(&w->lock);
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        w->e = ne;
        w->cap = cap;
    }
    uint64_t at = w->end;
    w->end += len;
    w->e[w->n++] = (entry){tiles_pmtiles_tile_id(z, x, y), at, (uint32_t)len, 1};
    pthread_mutex_unlock(&w->lock);
    /* The range is reserved; the write itself needs no lock. */
    if (write_all(w->data_fd, data, len, (off_t)at) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->data_tmp, strerror(errno));
        return -1;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Directory bytes of e[0..n): ids as deltas, then run lengths, lengths, offsets (0 = right
 * after the previous entry, else offset + 1). */
static int serialize_dir(const entry *e, size_t n, bytes *out)
{
    int rc = put_varint(out, n);
    uint64_t last = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = put_varint(out, e[i].id - last);
        last = e[i].id;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_varint(out, e[i].run);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_varint(out, e[i].len);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_varint(out, i > 0 && e[i].off == e[i - 1].off + e[i - 1].len ? 0 : e[i].off + 1);
    return rc;
}

/* Root (and leaves, when the root alone would pass the first 16 KiB). */
static int build_dirs(const entry *e, size_t n, bytes *root, bytes *leaves)
{
    if (serialize_dir(e, n, root) != 0)
        return -1;
    if (TILES_PMTILES_HEADER + root->len <= TILES_PMTILES_ROOT_MAX)
        return 0;
    for (size_t per = 4096;; per *= 2) {
        size_t nleaves = (n + per - 1) / per;
        entry *re = malloc(nleaves * sizeof *re);
        if (!re)
            return -1;
        root->len = leaves->len = 0;
        int rc = 0;
        for (size_t i = 0; i < nleaves && rc == 0; i++) {
            size_t a = i * per, m = n - a < per ? n - a : per;
            uint64_t at = leaves->len;
            rc = serialize_dir(e + a, m, leaves);
            re[i] = (entry){e[a].id, at, (uint32_t)(leaves->len - at), 0};
        }
        rc = rc ? rc : serialize_dir(re, nleaves, root);
        free(re);
        if (rc != 0)
            return -1;
        if (TILES_PMTILES_HEADER + root->len <= TILES_PMTILES_ROOT_MAX)
            return 0;
    }
}

static int32_t e7(double deg)
{
    return (int32_t)lround(deg * 1e7);
}

static char *metadata_json(const tiles_archive_info *in)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", in->name, "description",
                          in->description, "attribution", in->attribution, "type", "baselayer",
                          "format", in->format == TILES_TILE_PNG ? "png" : "jpg", "version",
                          "1.0.0");
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

int tiles_pmtiles_finish(tiles_pmtiles_writer *w, err_t *err)
{
    bytes root = {0}, leaves = {0};
    char *meta = NULL;
    unsigned char *buf = NULL;
    int rc = -1;
    qsort(w->e, w->n, sizeof *w->e, cmp_entry);
    for (size_t i = 1; i < w->n; i++)
        if (w->e[i].id == w->e[i - 1].id) {
            err_set(err, ERR_INTERNAL, NULL, "%s: tile id %llu added twice", w->path,
                    (unsigned long long)w->e[i].id);
            goto done;
        }
    /* Clustered: tile data in id order, so the data's new offsets are running sums. */
    uint64_t *src_off = malloc((w->n ? w->n : 1) * sizeof *src_off), data_len = 0;
    if (!src_off) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < w->n; i++) {
        src_off[i] = w->e[i].off;
        w->e[i].off = data_len;
        data_len += w->e[i].len;
    }
    meta = metadata_json(&w->info);
    if (!meta || build_dirs(w->e, w->n, &root, &leaves) != 0) {
        free(src_off);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    size_t meta_len = strlen(meta);
    uint64_t root_off = TILES_PMTILES_HEADER, meta_off = root_off + root.len,
             leaf_off = meta_off + meta_len, data_off = leaf_off + leaves.len;
    unsigned char h[TILES_PMTILES_HEADER];
    memset(h, 0, sizeof h);
    memcpy(h, "PMTiles", 7);
    h[7] = 3;
    put_u64(h + 8, root_off);
    put_u64(h + 16, root.len);
    put_u64(h + 24, meta_off);
    put_u64(h + 32, meta_len);
    put_u64(h + 40, leaf_off);
    put_u64(h + 48, leaves.len);
    put_u64(h + 56, data_off);
    put_u64(h + 64, data_len);
    put_u64(h + 72, w->n); /* addressed tiles */
    put_u64(h + 80, w->n); /* tile entries */
    put_u64(h + 88, w->n); /* tile contents */
    h[96] = 1;             /* clustered */
    h[97] = COMPRESSION_NONE;
    h[98] = COMPRESSION_NONE;
    h[99] = w->info.format == TILES_TILE_PNG ? TYPE_PNG : TYPE_JPEG;
    h[100] = (unsigned char)w->info.minzoom;
    h[101] = (unsigned char)w->info.maxzoom;
    put_i32(h + 102, e7(w->info.bounds[0]));
    put_i32(h + 106, e7(w->info.bounds[1]));
    put_i32(h + 110, e7(w->info.bounds[2]));
    put_i32(h + 114, e7(w->info.bounds[3]));
    h[118] = (unsigned char)w->info.center[2];
    put_i32(h + 119, e7(w->info.center[0]));
    put_i32(h + 123, e7(w->info.center[1]));

    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0 || write_all(w->fd, h, sizeof h, 0) != 0 ||
        write_all(w->fd, root.d, root.len, (off_t)root_off) != 0 ||
        write_all(w->fd, meta, meta_len, (off_t)meta_off) != 0 ||
        (leaves.len && write_all(w->fd, leaves.d, leaves.len, (off_t)leaf_off) != 0)) {
        free(src_off);
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, strerror(errno));
        goto done;
    }
    /* Copy the tiles in id order, through one buffer of up to 1 MiB. */
    const size_t cap = 1 << 20;
    buf = malloc(cap);
    size_t fill = 0;
    uint64_t out_at = data_off;
    for (size_t i = 0; buf && i <= w->n; i++) {
        if (i == w->n || fill + w->e[i].len > cap) {
            if (write_all(w->fd, buf, fill, (off_t)out_at) != 0)
                break;
            out_at += fill;
            fill = 0;
            if (i == w->n) {
                rc = 0;
                break;
            }
        }
        unsigned char *dst = buf + fill, *big = NULL;
        if (w->e[i].len > cap && !(dst = big = malloc(w->e[i].len)))
            break;
        if (read_all(w->data_fd, dst, w->e[i].len, (off_t)src_off[i]) != 0) {
            free(big);
            break;
        }
        if (big) {
            int bad = write_all(w->fd, big, w->e[i].len, (off_t)out_at);
            free(big);
            if (bad)
                break;
            out_at += w->e[i].len;
        } else {
            fill += w->e[i].len;
        }
    }
    free(src_off);
    if (rc != 0 || fsync(w->fd) != 0 || rename(w->tmp, w->path) != 0) {
        rc = -1;
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, strerror(errno ? errno : EIO));
        goto done;
    }
    rc = 0;
done:
    if (rc != 0)
        unlink(w->tmp);
    unlink(w->data_tmp);
    free(buf);
    free(meta);
    free(root.d);
    free(leaves.d);
    writer_free(w);
    return rc;
}

void tiles_pmtiles_abort(tiles_pmtiles_writer *w)
{
    if (!w)
        return;
    unlink(w->tmp);
    unlink(w->data_tmp);
    writer_free(w);
}

/* ---- reader ---- */

/* Inflate gzip bytes with libarchive's raw format (at most MAX_DIR_BYTES). */
static int gunzip(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    bytes b = {0};
    int rc = -1;
    if (!a)
        return -1;
    archive_read_support_filter_gzip(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_memory(a, in, len) != ARCHIVE_OK ||
        archive_read_next_header(a, &e) != ARCHIVE_OK)
        goto done;
    for (;;) {
        unsigned char chunk[65536];
        la_ssize_t n = archive_read_data(a, chunk, sizeof chunk);
        if (n < 0 || b.len + (size_t)n > MAX_DIR_BYTES)
            goto done;
        if (n == 0)
            break;
        if (bytes_put(&b, chunk, (size_t)n) != 0)
            goto done;
    }
    rc = 0;
done:
    archive_read_free(a);
    if (rc != 0) {
        free(b.d);
        return -1;
    }
    *out = b.d ? b.d : malloc(1);
    *out_len = b.len;
    return *out ? 0 : -1;
}

typedef struct {
    const char *path;
    int fd;
    int compression;
    uint64_t file_size, leaf_off, leaf_len, data_off, data_len;
    entry *e;
    size_t n, cap;
} reader;

/* Read a section of the file and inflate it as the header says. */
static int read_section(reader *r, uint64_t off, uint64_t len, unsigned char **out,
                        size_t *out_len, err_t *err)
{
    if (len > MAX_DIR_BYTES || off > r->file_size || len > r->file_size - off) {
        err_set(err, ERR_CONFIG, NULL, "%s: a directory or metadata section lies past the end",
                r->path);
        return -1;
    }
    unsigned char *raw = malloc(len ? len : 1);
    if (!raw || read_all(r->fd, raw, len, (off_t)off) != 0) {
        free(raw);
        err_set(err, ERR_CONFIG, NULL, "%s: cannot read %llu bytes at %llu", r->path,
                (unsigned long long)len, (unsigned long long)off);
        return -1;
    }
    if (r->compression != COMPRESSION_GZIP) {
        *out = raw;
        *out_len = len;
        return 0;
    }
    int rc = gunzip(raw, len, out, out_len);
    free(raw);
    if (rc != 0)
        err_set(err, ERR_CONFIG, NULL, "%s: a gzip section does not inflate", r->path);
    return rc;
}

static int read_dir(reader *r, uint64_t off, uint64_t len, int depth, err_t *err)
{
    unsigned char *d;
    size_t n;
    if (depth > MAX_LEAF_DEPTH) {
        err_set(err, ERR_CONFIG, NULL, "%s: leaf directories nested too deep", r->path);
        return -1;
    }
    if (read_section(r, off, len, &d, &n, err) != 0)
        return -1;
    size_t pos = 0;
    uint64_t count, v = 0, last = 0;
    entry *e = NULL;
    int rc = -1;
    if (get_varint(d, n, &pos, &count) != 0 || count > n) {
        err_set(err, ERR_CONFIG, NULL, "%s: corrupt directory", r->path);
        goto done;
    }
    e = calloc(count ? count : 1, sizeof *e);
    if (!e) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    int bad = 0;
    for (uint64_t i = 0; i < count && !bad; i++) {
        bad = get_varint(d, n, &pos, &v) != 0;
        e[i].id = last += v;
    }
    for (uint64_t i = 0; i < count && !bad; i++) {
        bad = get_varint(d, n, &pos, &v) != 0 || v > UINT32_MAX;
        e[i].run = (uint32_t)v;
    }
    for (uint64_t i = 0; i < count && !bad; i++) {
        bad = get_varint(d, n, &pos, &v) != 0 || v > UINT32_MAX;
        e[i].len = (uint32_t)v;
    }
    for (uint64_t i = 0; i < count && !bad; i++) {
        bad = get_varint(d, n, &pos, &v) != 0 || (v == 0 && i == 0);
        if (!bad) /* 0: right after the previous entry (never for the first: found by fuzz_pmtiles) */
            e[i].off = v == 0 ? e[i - 1].off + e[i - 1].len : v - 1;
    }
    if (bad) {
        err_set(err, ERR_CONFIG, NULL, "%s: corrupt directory", r->path);
        goto done;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (e[i].run == 0) { /* a leaf directory */
            if (e[i].off > r->leaf_len || e[i].len > r->leaf_len - e[i].off) {
                err_set(err, ERR_CONFIG, NULL, "%s: a leaf lies outside its section", r->path);
                goto done;
            }
            if (read_dir(r, r->leaf_off + e[i].off, e[i].len, depth + 1, err) != 0)
                goto done;
            continue;
        }
        if (e[i].len == 0 || e[i].off > r->data_len || e[i].len > r->data_len - e[i].off) {
            err_set(err, ERR_CONFIG, NULL, "%s: tile id %llu points past the tile data",
                    r->path, (unsigned long long)e[i].id);
            goto done;
        }
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 1024;
            entry *ne = realloc(r->e, cap * sizeof *ne);
            if (!ne) {
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
                goto done;
            }
            r->e = ne;
            r->cap = cap;
        }
        r->e[r->n] = e[i];
        r->e[r->n].off += r->data_off;
        r->n++;
    }
    rc = 0;
done:
    free(e);
    free(d);
    return rc;
}

static void meta_str(json_t *o, const char *key, char *dst, size_t cap)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (s)
        snprintf(dst, cap, "%s", s);
}

int tiles_pmtiles_open(tiles_pack *p, const char *path, err_t *err)
{
    reader r = {.path = path, .fd = -1};
    unsigned char h[TILES_PMTILES_HEADER], *meta = NULL;
    size_t meta_len;
    struct stat st;
    r.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r.fd < 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(r.fd, &st) != 0 || read_all(r.fd, h, sizeof h, 0) != 0 ||
        memcmp(h, "PMTiles", 7) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: not a PMTiles archive", path);
        goto fail;
    }
    if (h[7] != 3) {
        err_set(err, ERR_CONFIG, NULL, "%s: PMTiles version %d, only version 3 is read", path,
                h[7]);
        goto fail;
    }
    r.compression = h[97];
    if (r.compression != COMPRESSION_NONE && r.compression != COMPRESSION_GZIP &&
        r.compression != COMPRESSION_UNKNOWN) {
        err_set(err, ERR_CONFIG, NULL,
                "%s: directories compressed with method %d (only none and gzip are read)", path,
                r.compression);
        goto fail;
    }
    if (h[99] != TYPE_PNG && h[99] != TYPE_JPEG) {
        err_set(err, ERR_CONFIG, NULL, "%s: tile type %d; a raster layer needs PNG (2) or JPEG (3)",
                path, h[99]);
        goto fail;
    }
    if (h[98] != COMPRESSION_NONE && h[98] != COMPRESSION_UNKNOWN) {
        err_set(err, ERR_CONFIG, NULL, "%s: tiles compressed with method %d (images need none)",
                path, h[98]);
        goto fail;
    }
    r.file_size = (uint64_t)st.st_size;
    r.leaf_off = get_u64(h + 40);
    r.leaf_len = get_u64(h + 48);
    r.data_off = get_u64(h + 56);
    r.data_len = get_u64(h + 64);
    if (r.leaf_off > r.file_size || r.leaf_len > r.file_size - r.leaf_off ||
        r.data_off > r.file_size || r.data_len > r.file_size - r.data_off) {
        err_set(err, ERR_CONFIG, NULL, "%s: sections lie past the end (truncated?)", path);
        goto fail;
    }
    if (read_dir(&r, get_u64(h + 8), get_u64(h + 16), 0, err) != 0)
        goto fail;
    if (r.n) /* an archive of no tiles has no entries (qsort takes no NULL) */
        qsort(r.e, r.n, sizeof *r.e, cmp_entry);

    memset(p, 0, sizeof *p);
    p->kind = TILES_ARCHIVE_PMTILES;
    p->fd = r.fd;
    p->file_size = st.st_size;
    tiles_archive_info *in = &p->info;
    in->format = h[99] == TYPE_PNG ? TILES_TILE_PNG : TILES_TILE_JPEG;
    in->minzoom = h[100];
    in->maxzoom = h[101];
    in->bounds[0] = get_i32(h + 102) / 1e7;
    in->bounds[1] = get_i32(h + 106) / 1e7;
    in->bounds[2] = get_i32(h + 110) / 1e7;
    in->bounds[3] = get_i32(h + 114) / 1e7;
    in->center[2] = h[118];
    in->center[0] = get_i32(h + 119) / 1e7;
    in->center[1] = get_i32(h + 123) / 1e7;
    if (get_u64(h + 32) && read_section(&r, get_u64(h + 24), get_u64(h + 32), &meta, &meta_len,
                                        err) == 0) {
        json_t *o = json_loadb((const char *)meta, meta_len, 0, NULL);
        meta_str(o, "name", in->name, sizeof in->name);
        meta_str(o, "description", in->description, sizeof in->description);
        meta_str(o, "attribution", in->attribution, sizeof in->attribution);
        json_decref(o);
        free(meta);
    }
    p->nentries = r.n;
    p->id = malloc((r.n ? r.n : 1) * sizeof *p->id);
    p->off = malloc((r.n ? r.n : 1) * sizeof *p->off);
    p->len = malloc((r.n ? r.n : 1) * sizeof *p->len);
    p->run = malloc((r.n ? r.n : 1) * sizeof *p->run);
    if (!p->id || !p->off || !p->len || !p->run) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        free(r.e);
        r.e = NULL;
        free(p->id);
        free(p->off);
        free(p->len);
        free(p->run);
        memset(p, 0, sizeof *p);
        goto fail;
    }
    for (size_t i = 0; i < r.n; i++) {
        p->id[i] = r.e[i].id;
        p->off[i] = r.e[i].off;
        p->len[i] = r.e[i].len;
        p->run[i] = r.e[i].run;
        p->tiles += r.e[i].run;
    }
    free(r.e);
    return 0;
fail:
    free(r.e);
    close(r.fd);
    p->fd = -1;
    return -1;
}

int tiles_pmtiles_find(const tiles_pack *p, uint64_t id, long long *off, size_t *len)
{
    size_t lo = 0, hi = p->nentries;
    while (lo < hi) { /* first entry with an id above */
        size_t mid = lo + (hi - lo) / 2;
        if (p->id[mid] <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || id - p->id[lo - 1] >= p->run[lo - 1])
        return -1;
    *off = (long long)p->off[lo - 1];
    *len = p->len[lo - 1];
    return 0;
}
