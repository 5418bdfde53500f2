/* pack.c — writing and reading tile pack files (see pack.h). */
#include "tiles/pack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiles/tilemath.h"

#define HEADER_SIZE 16
#define ENTRY_SIZE 12

struct tiles_pack_writer {
    int fd;
    char *path, *tmp;
    int maxzoom;
    long count;
    uint64_t *off;
    uint32_t *len;
    uint64_t end;
    pthread_mutex_t lock;
};

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int write_all(int fd, const void *buf, size_t len, off_t at)
{
    const unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, b, len, at);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        b += n;
        len -= (size_t)n;
        at += n;
    }
    return 0;
}

static void writer_free(tiles_pack_writer *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    pthread_mutex_destroy(&w->lock);
    free(w->path);
    free(w->tmp);
    free(w->off);
    free(w->len);
    free(w);
}

tiles_pack_writer *tiles_pack_create(const char *path, int maxzoom, err_t *err)
{
    tiles_pack_writer *w = calloc(1, sizeof *w);
    if (!w) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    w->fd = -1;
    pthread_mutex_init(&w->lock, NULL);
    w->maxzoom = maxzoom;
    w->count = tiles_pyramid_count(maxzoom);
    w->path = strdup(path);
    w->tmp = malloc(strlen(path) + 5);
    w->off = calloc((size_t)w->count, sizeof *w->off);
    w->len = calloc((size_t)w->count, sizeof *w->len);
    if (!w->path || !w->tmp || !w->off || !w->len) {
        writer_free(w);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    sprintf(w->tmp, "%s.tmp", path);
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, strerror(errno));
        writer_free(w);
        return NULL;
    }
    w->end = HEADER_SIZE + (uint64_t)w->count * ENTRY_SIZE;
    return w;
}

int tiles_pack_add(tiles_pack_writer *w, int z, int x, int y, const void *data, size_t len,
                   err_t *err)
{
    if (z < 0 || z > w->maxzoom || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z)) {
        err_set(err, ERR_INTERNAL, NULL, "tile %d/%d/%d outside the pack", z, x, y);
        return -1;
    }
    long i = tiles_pyramid_index(z, x, y);
    pthread_mutex_lock(&w->lock);
    uint64_t at = w->end;
    w->end += len;
    w->off[i] = at;
    w->len[i] = (uint32_t)len;
    pthread_mutex_unlock(&w->lock);
    /* The range is reserved; the write itself needs no lock. */
    if (write_all(w->fd, data, len, (off_t)at) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, strerror(errno));
        return -1;
    }
    return 0;
}

int tiles_pack_finish(tiles_pack_writer *w, err_t *err)
{
    size_t isz = HEADER_SIZE + (size_t)w->count * ENTRY_SIZE;
    unsigned char *idx = malloc(isz);
    int rc = -1;
    if (!idx) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto done;
    }
    memcpy(idx, "CTPK", 4);
    put32(idx + 4, TILES_PACK_VERSION);
    put32(idx + 8, (uint32_t)w->maxzoom);
    put32(idx + 12, (uint32_t)w->count);
    for (long i = 0; i < w->count; i++) {
        put64(idx + HEADER_SIZE + i * ENTRY_SIZE, w->off[i]);
        put32(idx + HEADER_SIZE + i * ENTRY_SIZE + 8, w->len[i]);
    }
    if (write_all(w->fd, idx, isz, 0) != 0 || fsync(w->fd) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "%s: %s", w->tmp, strerror(errno));
        goto done;
    }
    if (rename(w->tmp, w->path) != 0) {
        err_set(err, ERR_INTERNAL, NULL, "rename %s: %s", w->tmp, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    if (rc != 0)
        unlink(w->tmp);
    free(idx);
    writer_free(w);
    return rc;
}

void tiles_pack_abort(tiles_pack_writer *w)
{
    if (!w)
        return;
    unlink(w->tmp);
    writer_free(w);
}

int tiles_pack_open(tiles_pack *p, const char *path, err_t *err)
{
    memset(p, 0, sizeof *p);
    p->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (p->fd < 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char hdr[HEADER_SIZE];
    struct stat st;
    unsigned char *idx = NULL;
    if (fstat(p->fd, &st) != 0 || pread(p->fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr ||
        memcmp(hdr, "CTPK", 4) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: not a tile pack", path);
        goto fail;
    }
    if (get32(hdr + 4) != TILES_PACK_VERSION) {
        err_set(err, ERR_CONFIG, NULL, "%s: pack version %u, expected %d (re-run cartouche bake)",
                path, get32(hdr + 4), TILES_PACK_VERSION);
        goto fail;
    }
    p->maxzoom = (int)get32(hdr + 8);
    p->count = (long)get32(hdr + 12);
    p->file_size = st.st_size;
    if (p->maxzoom < 0 || p->maxzoom > 20 || p->count != tiles_pyramid_count(p->maxzoom)) {
        err_set(err, ERR_CONFIG, NULL, "%s: corrupt header", path);
        goto fail;
    }
    size_t isz = (size_t)p->count * ENTRY_SIZE;
    idx = malloc(isz);
    p->off = malloc(sizeof *p->off * (size_t)p->count);
    p->len = malloc(sizeof *p->len * (size_t)p->count);
    if (!idx || !p->off || !p->len) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    if (pread(p->fd, idx, isz, HEADER_SIZE) != (ssize_t)isz) {
        err_set(err, ERR_CONFIG, NULL, "%s: truncated index", path);
        goto fail;
    }
    for (long i = 0; i < p->count; i++) {
        p->off[i] = get64(idx + i * ENTRY_SIZE);
        p->len[i] = get32(idx + i * ENTRY_SIZE + 8);
        if (p->len[i] && p->off[i] + p->len[i] > (uint64_t)st.st_size) {
            err_set(err, ERR_CONFIG, NULL, "%s: entry %ld points past the end", path, i);
            goto fail;
        }
        if (p->len[i])
            p->tiles++;
    }
    free(idx);
    return 0;
fail:
    free(idx);
    tiles_pack_close(p);
    return -1;
}

void tiles_pack_close(tiles_pack *p)
{
    if (p->fd > 0)
        close(p->fd);
    free(p->off);
    free(p->len);
    memset(p, 0, sizeof *p);
    p->fd = -1;
}

int tiles_pack_lookup(const tiles_pack *p, int z, int x, int y, long long *off, size_t *len)
{
    if (!p->off || z < 0 || z > p->maxzoom || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
        return -1;
    long i = tiles_pyramid_index(z, x, y);
    if (p->len[i] == 0)
        return -1;
    *off = (long long)p->off[i];
    *len = p->len[i];
    return 0;
}

int tiles_pack_read(const tiles_pack *p, int z, int x, int y, unsigned char **out, size_t *len,
                    err_t *err)
{
    long long off;
    size_t n;
    if (tiles_pack_lookup(p, z, x, y, &off, &n) != 0) {
        err_set(err, ERR_NOT_FOUND, NULL, "no tile %d/%d/%d", z, x, y);
        return -1;
    }
    unsigned char *b = malloc(n);
    if (!b) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(p->fd, b + got, n - got, (off_t)(off + (long long)got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(b);
            err_set(err, ERR_INTERNAL, NULL, "reading tile %d/%d/%d: %s", z, x, y,
                    r < 0 ? strerror(errno) : "short read");
            return -1;
        }
        got += (size_t)r;
    }
    *out = b;
    *len = n;
    return 0;
}
