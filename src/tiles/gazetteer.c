/* gazetteer.c — Marble placemark cache reader and the baked place index (see gazetteer.h).
 *
 * Marble's cache (CacheRunner in Marble's source) is a QDataStream, big-endian:
 *   u32 magic 0x31415926, i32 version (>= 13), then until EOF one record per placemark:
 *   QString name; f64 lon, lat, alt (radians, metres); QString role ("PPLC", "PPLA2", ...);
 *   QString description; QString country code; QString state; f64 area; i64 population;
 *   i16 gmt offset (hundredths of an hour); i8 dst.
 * A QString is a u32 byte length (0xFFFFFFFF = null) followed by UTF-16BE code units. */
#include "tiles/gazetteer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARBLE_MAGIC 0x31415926u
#define BAKED_MAGIC "CTPL"
#define BAKED_VERSION 1
#define RECORD_SIZE 24

typedef struct {
    const unsigned char *d;
    size_t len, pos;
    int bad;
} reader;

static int need(reader *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        return 0;
    }
    return 1;
}

static uint64_t rd_be(reader *r, int bytes)
{
    if (!need(r, (size_t)bytes))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | r->d[r->pos++];
    return v;
}

static double rd_f64(reader *r)
{
    uint64_t u = rd_be(r, 8);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Append one code point as UTF-8 to buf (size >= 4 free). */
static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Read a QString into out (UTF-8, NUL-terminated, truncated to cap-1 at a character
 * boundary). Unpaired surrogates become U+FFFD. */
static void rd_qstring(reader *r, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    uint32_t n = (uint32_t)rd_be(r, 4);
    if (r->bad || n == 0xFFFFFFFFu)
        return;
    if ((n & 1) || !need(r, n)) {
        r->bad = 1;
        return;
    }
    size_t end = r->pos + n;
    while (r->pos < end) {
        uint32_t cu = (uint32_t)r->d[r->pos] << 8 | r->d[r->pos + 1];
        r->pos += 2;
        uint32_t cp = cu;
        if (cu >= 0xD800 && cu < 0xDC00 && r->pos < end) {
            uint32_t lo = (uint32_t)r->d[r->pos] << 8 | r->d[r->pos + 1];
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00);
                r->pos += 2;
            } else {
                cp = 0xFFFD;
            }
        } else if (cu >= 0xD800 && cu < 0xE000) {
            cp = 0xFFFD;
        }
        if (cp == 0)
            continue;
        if (o + 4 < cap)
            o += put_utf8(out + o, cp);
    }
    out[o] = 0;
}

static unsigned char *slurp(const char *path, size_t *len, err_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot open", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        fclose(f);
        err_set(err, ERR_CONFIG, NULL, "%s: read failed", path);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

typedef struct {
    char *d;
    size_t len, cap;
} strpool;

static long pool_add(strpool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    if (p->len + n > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 65536;
        while (cap < p->len + n)
            cap *= 2;
        char *nd = realloc(p->d, cap);
        if (!nd)
            return -1;
        p->d = nd;
        p->cap = cap;
    }
    memcpy(p->d + p->len, s, n);
    p->len += n;
    return (long)(p->len - n);
}

static uint8_t kind_of_role(const char *role)
{
    if (strcmp(role, "PPLC") == 0)
        return TILES_PLACE_CAPITAL;
    if (strncmp(role, "PPLA", 4) == 0)
        return TILES_PLACE_ADMIN;
    return TILES_PLACE_TOWN;
}

/* Name pointers are stored as pool offsets while the pool may still move, then fixed up. */
static void fix_names(tiles_gazetteer *g, const long *offs)
{
    for (size_t i = 0; i < g->count; i++)
        g->places[i].name = g->strings + offs[i];
}

int tiles_gazetteer_read_marble(const char *path, tiles_gazetteer *g, err_t *err)
{
    memset(g, 0, sizeof *g);
    size_t len;
    unsigned char *d = slurp(path, &len, err);
    if (!d)
        return -1;
    reader r = {d, len, 0, 0};
    strpool pool = {0};
    long *offs = NULL;
    size_t cap = 0;
    if (rd_be(&r, 4) != MARBLE_MAGIC) {
        err_set(err, ERR_CONFIG, NULL, "%s: not a Marble cache (bad magic)", path);
        goto fail;
    }
    int32_t version = (int32_t)rd_be(&r, 4);
    if (version < 13) {
        err_set(err, ERR_CONFIG, NULL, "%s: cache version %d, need 13 or later", path, version);
        goto fail;
    }
    char name[512], role[64], desc[1024], cc[16], state[256];
    size_t rec = 0;
    while (r.pos < r.len) {
        size_t start = r.pos;
        rd_qstring(&r, name, sizeof name);
        double lon = rd_f64(&r), lat = rd_f64(&r);
        (void)rd_f64(&r); /* altitude */
        rd_qstring(&r, role, sizeof role);
        rd_qstring(&r, desc, sizeof desc);
        rd_qstring(&r, cc, sizeof cc);
        rd_qstring(&r, state, sizeof state);
        (void)rd_f64(&r); /* area */
        int64_t pop = (int64_t)rd_be(&r, 8);
        (void)rd_be(&r, 2); /* gmt */
        (void)rd_be(&r, 1); /* dst */
        if (r.bad) {
            err_set(err, ERR_CONFIG, NULL, "%s: record %zu at byte %zu is truncated or malformed",
                    path, rec, start);
            goto fail;
        }
        rec++;
        lat *= 180.0 / M_PI;
        lon *= 180.0 / M_PI;
        if (!name[0] || !isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180)
            continue;
        if (g->count == cap) {
            cap = cap ? cap * 2 : 4096;
            tiles_place *np = realloc(g->places, cap * sizeof *np);
            long *no = realloc(offs, cap * sizeof *no);
            if (np)
                g->places = np;
            if (no)
                offs = no;
            if (!np || !no) {
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
                goto fail;
            }
        }
        tiles_place *p = &g->places[g->count];
        memset(p, 0, sizeof *p);
        p->lat = lat;
        p->lng = lon;
        p->population = pop < 0 ? 0 : pop > 0xFFFFFFFFLL ? 0xFFFFFFFFu : (uint32_t)pop;
        p->kind = kind_of_role(role);
        if (strlen(cc) == 2)
            memcpy(p->country, cc, 3);
        long off = pool_add(&pool, name);
        if (off < 0) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto fail;
        }
        offs[g->count++] = off;
    }
    if (g->count == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: no places", path);
        goto fail;
    }
    g->strings = pool.d;
    g->strings_len = pool.len;
    fix_names(g, offs);
    free(offs);
    free(d);
    return 0;
fail:
    free(offs);
    free(pool.d);
    free(d);
    free(g->places);
    memset(g, 0, sizeof *g);
    return -1;
}

/* Label priority: population, with capitals weighted up so that a country's capital wins
 * over a slightly bigger city nearby. */
static double place_score(const tiles_place *p)
{
    return (double)p->population * (p->kind == TILES_PLACE_CAPITAL ? 3.0 : 1.0);
}

static int place_cmp(const void *a, const void *b)
{
    const tiles_place *p = a, *q = b;
    double sp = place_score(p), sq = place_score(q);
    if (sp != sq)
        return sp < sq ? 1 : -1;
    int c = strcmp(p->name, q->name);
    if (c)
        return c;
    if (p->lat != q->lat)
        return p->lat < q->lat ? -1 : 1;
    return p->lng < q->lng ? -1 : p->lng > q->lng;
}

void tiles_gazetteer_sort(tiles_gazetteer *g)
{
    qsort(g->places, g->count, sizeof *g->places, place_cmp);
}

static void le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Baked layout (little-endian): "CTPL", u32 version, u32 count, u32 strings length, then
 * count records of (i32 lat*1e6, i32 lng*1e6, u32 population, u32 name offset,
 * char country[2], u8 kind, u8 reserved, u32 reserved), then the string pool. */
int tiles_gazetteer_write(const tiles_gazetteer *g, const char *path, err_t *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        err_set(err, ERR_INTERNAL, NULL, "%s: cannot create", tmp);
        return -1;
    }
    strpool pool = {0};
    int rc = -1;
    unsigned char hdr[16];
    memcpy(hdr, BAKED_MAGIC, 4);
    le32(hdr + 4, BAKED_VERSION);
    le32(hdr + 8, (uint32_t)g->count);
    long *offs = malloc(sizeof(long) * (g->count ? g->count : 1));
    if (!offs)
        goto done;
    for (size_t i = 0; i < g->count; i++)
        if ((offs[i] = pool_add(&pool, g->places[i].name)) < 0)
            goto done;
    le32(hdr + 12, (uint32_t)pool.len);
    if (fwrite(hdr, 1, sizeof hdr, f) != sizeof hdr)
        goto done;
    for (size_t i = 0; i < g->count; i++) {
        const tiles_place *p = &g->places[i];
        unsigned char rec[RECORD_SIZE] = {0};
        le32(rec, (uint32_t)(int32_t)lround(p->lat * 1e6));
        le32(rec + 4, (uint32_t)(int32_t)lround(p->lng * 1e6));
        le32(rec + 8, p->population);
        le32(rec + 12, (uint32_t)offs[i]);
        memcpy(rec + 16, p->country, 2);
        rec[18] = p->kind;
        if (fwrite(rec, 1, sizeof rec, f) != sizeof rec)
            goto done;
    }
    if (pool.len && fwrite(pool.d, 1, pool.len, f) != pool.len)
        goto done;
    if (fclose(f) != 0) {
        f = NULL;
        goto done;
    }
    f = NULL;
    if (rename(tmp, path) != 0)
        goto done;
    rc = 0;
done:
    if (f)
        fclose(f);
    if (rc != 0) {
        remove(tmp);
        err_set(err, ERR_INTERNAL, NULL, "%s: write failed", path);
    }
    free(offs);
    free(pool.d);
    return rc;
}

int tiles_gazetteer_load(const char *path, tiles_gazetteer *g, err_t *err)
{
    memset(g, 0, sizeof *g);
    size_t len;
    unsigned char *d = slurp(path, &len, err);
    if (!d)
        return -1;
    if (len < 16 || memcmp(d, BAKED_MAGIC, 4) != 0 || get_le32(d + 4) != BAKED_VERSION) {
        err_set(err, ERR_CONFIG, NULL, "%s: not a baked place index of version %d", path,
                BAKED_VERSION);
        goto fail;
    }
    size_t count = get_le32(d + 8), slen = get_le32(d + 12);
    if (len != 16 + count * RECORD_SIZE + slen || slen == 0 || d[len - 1] != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: size does not match its header", path);
        goto fail;
    }
    g->places = calloc(count ? count : 1, sizeof *g->places);
    g->strings = malloc(slen);
    if (!g->places || !g->strings) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    memcpy(g->strings, d + 16 + count * RECORD_SIZE, slen);
    g->strings_len = slen;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *rec = d + 16 + i * RECORD_SIZE;
        tiles_place *p = &g->places[i];
        uint32_t off = get_le32(rec + 12);
        if (off >= slen) {
            err_set(err, ERR_CONFIG, NULL, "%s: record %zu names past the string pool", path, i);
            goto fail;
        }
        p->lat = (int32_t)get_le32(rec) / 1e6;
        p->lng = (int32_t)get_le32(rec + 4) / 1e6;
        p->population = get_le32(rec + 8);
        p->name = g->strings + off;
        memcpy(p->country, rec + 16, 2);
        p->country[2] = 0;
        p->kind = rec[18];
    }
    g->count = count;
    free(d);
    return 0;
fail:
    free(d);
    tiles_gazetteer_free(g);
    return -1;
}

void tiles_gazetteer_free(tiles_gazetteer *g)
{
    free(g->places);
    free(g->strings);
    memset(g, 0, sizeof *g);
}
