/* splice.c — restart-segment JPEG splicing (splice.h): libjpeg's full API with a restart marker
 * every MCU row (or every k MCUs), the index of each background's segments, the caches of those
 * backgrounds (and of kept pixel layers) and of recurring bands, and writing a file from cached
 * and new segments; and over a stored file in cell form (a baked tile), checking its tables,
 * decoding and encoding again only the touched cells, and writing it with them. */
#include "core/splice.h"

#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <jpeglib.h>
#include <jerror.h>

#include "core/budget.h"

/* libjpeg reports errors by calling error_exit, which must not return: jump back to the call. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} jerr_mgr;

struct splice_encoder {
    splice_store *st;        /* the shared caches */
    struct jpeg_compress_struct cinfo;
    jerr_mgr jerr;
    struct jpeg_destination_mgr dest;
    outbuf *out;             /* where the running encode writes */
    outbuf strip;            /* the file of one encode pass */
    outbuf segbytes;         /* the touched segments' entropy-coded bytes, one after another */
    JSAMPROW *rows;          /* row pointers of the image libjpeg is given */
    size_t rows_cap;
    unsigned char *colour_row; /* one row of a colour background */
    size_t colour_cap;
    /* Touched segments (n_rows x spr of k MCUs each) and the bands of rows holding them. */
    splice_fmt fmt;
    int n_rows, spr, k;
    unsigned char *touched;
    size_t touched_cap;
    splice_band *bands;
    size_t bands_cap;
    int n_bands;
    /* The restart intervals of the file just encoded into strip: the j-th's bytes are
     * strip.data[seg[j] .. seg_end[j]). */
    size_t *seg, *seg_end;
    size_t seg_cap, seg_end_cap;
    int n_seg;               /* segments (or cells) encoded by the last splice_encode_bands */
    /* Touched segment s's entropy-coded bytes, after splice_encode_bands: segbytes.data[seg_from[s]
     * .. seg_to[s]); ids[j]: the segment of an encoded image's j-th restart interval, or -1. */
    size_t *seg_from, *seg_to;
    size_t seg_from_cap, seg_to_cap;
    int *ids;
    size_t ids_cap;
    size_t *at;              /* marker offsets found in a strip; a layer's row offsets */
    size_t at_cap;
    int *spans;              /* a row's runs of touched segments, pixels [x0, x1) pairs */
    size_t spans_cap;
    /* The band cache, per band: its key (a band_prefix, then what was drawn), whether it can be
     * cached, the entry found, whether to keep it once written. */
    outbuf *bkey;
    size_t bkey_cap;
    unsigned char *bflags;
    size_t bflags_cap;
    struct band_entry **bhit;
    size_t bhit_cap;
    /* A stored file in cell form (splice_stored_open): its bytes, the end of its header (SOS)
     * and where its SOF segment starts; its cells (cols x crows, cell_mcus MCUs each), cell i's
     * bytes file[cell[i] .. cell_end[i]), and which are touched. */
    const unsigned char *sf;
    size_t sf_len, sf_hdr, sf_sof;
    int cell_mcus, cols, crows, n_touched;
    size_t *cell, *cell_end;
    size_t cell_cap, cell_end_cap;
    unsigned char *ctouch;
    size_t ctouch_cap;
    outbuf mini;             /* the touched cells as a JPEG of their own, to decode */
    unsigned char *wide;     /* the touched cells' pixels side by side (cell_grid) */
    size_t wide_cap;
    struct jpeg_decompress_struct dinfo;
    jerr_mgr djerr;
    int dinit;
    /* Headers this encoder writes in cell form, by format and cell size: what a stored file's
     * tables are checked against. */
    struct {
        splice_fmt f;
        int cell_mcus;
        outbuf hdr;
    } ref[4];
    int ref_next;
};

enum { BAND_DESCRIBED = 1, BAND_UNCACHEABLE = 2, BAND_ADMIT = 4 };

/* The start of a band's key: the background and format, and the band's rows. */
typedef struct {
    unsigned long long tag;
    int width, height, quality, subsamp444, r0, r1;
} band_prefix;

typedef struct band_entry {
    atomic_int refs;
    struct band_entry *prev, *next;
    uint64_t hash;
    size_t key_len, len;     /* the key, then the band's bytes as written in a file */
    size_t charged;
    double last_used;
    unsigned char data[];
} band_entry;

struct splice_base {
    atomic_int refs;
    budget *budget;          /* charged is released here */
    struct splice_base *prev, *next; /* cache recency: head = most recent */
    int too_big;             /* only a marker: this background's segments exceed the limit */
    unsigned long long tag;
    splice_fmt fmt;
    double last_used;
    size_t charged;          /* bytes held against the memory budget */
    int n_segs;              /* restart segments: MCU rows x segments per row */
    size_t header_len, ent_len;
    const unsigned char *header; /* SOI .. the end of SOS */
    const unsigned char *ent;    /* entropy-coded data, RST markers in place, no EOI; for a
                                    layer (quality 0), its pixel runs (splice_layer_keep) */
    size_t *mark;            /* mark[i]: where segment i's bytes start, its RST marker included;
                                mark[n_segs] = ent_len; for a layer, where each pixel row's runs start */
    unsigned char bytes[];
};

#define BAND_SEEN 1024 /* hashes of bands seen once, direct-mapped: a second sighting keeps one */
/* The band cache holds its memory from the budget in whole chunks, taken as it grows (the first
 * when it is first used) and given back when trimmed: one budget call per megabyte, not per band. */
#define BAND_CHUNK ((size_t)1 << 20)

/* The two caches every worker's encoder shares: backgrounds' segments and drawn bands. */
struct splice_store {
    budget *budget;
    struct {
        pthread_mutex_t mu;
        splice_base *head, *tail;
        size_t bytes, limit;
    } cache;
    struct {
        pthread_mutex_t mu;
        band_entry *head, *tail;
        size_t bytes, limit;
        size_t reserved; /* from the budget: bytes <= reserved, in BAND_CHUNKs */
        uint64_t seen[BAND_SEEN];
    } bandc;
};

splice_store *splice_store_new(budget *b)
{
    splice_store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->budget = b;
    pthread_mutex_init(&st->cache.mu, NULL);
    pthread_mutex_init(&st->bandc.mu, NULL);
    st->cache.limit = SPLICE_CACHE_DEFAULT_BYTES;
    st->bandc.limit = SPLICE_BANDS_DEFAULT_BYTES;
    return st;
}

void splice_store_free(splice_store *st)
{
    if (!st)
        return;
    splice_bands_set_limit(st, 0);
    splice_cache_clear(st);
    pthread_mutex_destroy(&st->cache.mu);
    pthread_mutex_destroy(&st->bandc.mu);
    free(st);
}

static void band_release(splice_encoder *e);
static void bands_trim(splice_store *st, double idle_seconds, size_t room);

/* ---- libjpeg glue ---- */

static void jerr_exit(j_common_ptr c)
{
    longjmp(((jerr_mgr *)c->err)->jump, 1);
}

static void jerr_silent(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

static void dest_init(j_compress_ptr c)
{
    splice_encoder *e = (splice_encoder *)c->client_data;
    outbuf *o = e->out;
    if (outbuf_reserve(o, 65536) < 0)
        ERREXIT(c, JERR_OUT_OF_MEMORY);
    c->dest->next_output_byte = o->data + o->len;
    c->dest->free_in_buffer = o->cap - o->len;
}

static boolean dest_empty(j_compress_ptr c)
{
    splice_encoder *e = (splice_encoder *)c->client_data;
    outbuf *o = e->out;
    o->len = o->cap; /* libjpeg filled it all */
    if (outbuf_reserve(o, o->cap) < 0)
        ERREXIT(c, JERR_OUT_OF_MEMORY);
    c->dest->next_output_byte = o->data + o->len;
    c->dest->free_in_buffer = o->cap - o->len;
    return TRUE;
}

static void dest_term(j_compress_ptr c)
{
    splice_encoder *e = (splice_encoder *)c->client_data;
    e->out->len = (size_t)(c->dest->next_output_byte - e->out->data);
}

splice_encoder *splice_encoder_new(splice_store *st)
{
    splice_encoder *volatile e = calloc(1, sizeof *e); /* volatile: read after a longjmp */
    if (!e)
        return NULL;
    e->st = st;
    e->cinfo.err = jpeg_std_error(&e->jerr.pub);
    e->jerr.pub.error_exit = jerr_exit;
    e->jerr.pub.emit_message = jerr_silent;
    if (setjmp(e->jerr.jump)) {
        free(e);
        return NULL;
    }
    jpeg_create_compress(&e->cinfo);
    e->cinfo.client_data = e;
    e->dest.init_destination = dest_init;
    e->dest.empty_output_buffer = dest_empty;
    e->dest.term_destination = dest_term;
    e->cinfo.dest = &e->dest;
    return e;
}

void splice_encoder_free(splice_encoder *e)
{
    if (!e)
        return;
    band_release(e);
    for (size_t i = 0; i < e->bkey_cap; i++)
        outbuf_free(&e->bkey[i]);
    free(e->bkey);
    free(e->bflags);
    free(e->bhit);
    jpeg_destroy_compress(&e->cinfo);
    if (e->dinit)
        jpeg_destroy_decompress(&e->dinfo);
    outbuf_free(&e->mini);
    for (int i = 0; i < 4; i++)
        outbuf_free(&e->ref[i].hdr);
    free(e->cell);
    free(e->cell_end);
    free(e->ctouch);
    free(e->wide);
    outbuf_free(&e->strip);
    outbuf_free(&e->segbytes);
    free(e->at);
    free(e->spans);
    free(e->ids);
    free(e->rows);
    free(e->colour_row);
    free(e->touched);
    free(e->bands);
    free(e->seg);
    free(e->seg_end);
    free(e->seg_from);
    free(e->seg_to);
    free(e);
}

int splice_mcu_size(int subsamp444)
{
    return subsamp444 ? 8 : 16;
}

int splice_rows(const splice_fmt *f)
{
    int m = splice_mcu_size(f->subsamp444);
    return (f->height + m - 1) / m;
}

/* MCUs per restart segment: f->seg_mcus when it divides a row of whole MCUs (no partial MCU
 * column: a segment narrower than the row must be exactly its MCUs' pixels), else one row. */
static int mcus_across(const splice_fmt *f);
static int seg_mcus(const splice_fmt *f)
{
    int mpr = mcus_across(f), k = f->seg_mcus;
    return k > 0 && k < mpr && mpr % k == 0 && f->width % splice_mcu_size(f->subsamp444) == 0 ? k : mpr;
}

int splice_segs_per_row(const splice_fmt *f)
{
    return mcus_across(f) / seg_mcus(f);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* Encode an image of w x h pixels given by e->rows in f's quality and subsampling, a restart
 * marker every `restart` MCUs, into o. tables: write the whole header (JFIF, quantisation and
 * Huffman tables); else only what the entropy-coded data needs to be found (the tables are the
 * base's). */
static int encode_image(splice_encoder *e, const splice_fmt *f, int w, int h, int restart, int tables,
                        outbuf *o, err_t *err)
{
    struct jpeg_compress_struct *c = &e->cinfo;
    const unsigned one = 1;
    o->len = 0;
    e->out = o;
    if (setjmp(e->jerr.jump)) {
        char msg[JMSG_LENGTH_MAX];
        e->jerr.pub.format_message((j_common_ptr)c, msg);
        jpeg_abort_compress(c);
        err_set(err, ERR_INTERNAL, NULL, "JPEG encode failed: %s", msg);
        return -1;
    }
    c->image_width = (JDIMENSION)w;
    c->image_height = (JDIMENSION)h;
    c->input_components = 4;
    c->in_color_space = *(const unsigned char *)&one ? JCS_EXT_BGRX : JCS_EXT_XRGB;
    jpeg_set_defaults(c);
    jpeg_set_quality(c, f->quality, TRUE);
    /* As TurboJPEG (encode.c): the fast integer DCT below quality 96. */
    c->dct_method = f->quality >= 96 ? JDCT_ISLOW : JDCT_IFAST;
    c->comp_info[0].h_samp_factor = c->comp_info[0].v_samp_factor = f->subsamp444 ? 1 : 2;
    c->restart_interval = (unsigned)restart;
    if (!tables) {
        c->write_JFIF_header = FALSE;
        jpeg_suppress_tables(c, TRUE);
    }
    jpeg_start_compress(c, tables ? TRUE : FALSE);
    while (c->next_scanline < c->image_height)
        jpeg_write_scanlines(c, e->rows + c->next_scanline, c->image_height - c->next_scanline);
    jpeg_finish_compress(c);
    return 0;
}

/* MCUs across an image of f's width. */
static int mcus_across(const splice_fmt *f)
{
    int m = splice_mcu_size(f->subsamp444);
    return (f->width + m - 1) / m;
}

/* Where the entropy-coded data of a file from encode_image starts (after SOS); 0 if malformed. */
static size_t scan_start(const unsigned char *p, size_t n)
{
    size_t i = 2;
    if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
        return 0;
    while (i + 4 <= n && p[i] == 0xFF) {
        unsigned m = p[i + 1];
        size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
        if (i + 2 + len > n)
            return 0;
        i += 2 + len;
        if (m == 0xDA)
            return i;
    }
    return 0;
}

/* Offsets of the RST markers in entropy-coded data p[0..n): up to max, their count returned.
 * 0xFF in the data is always followed by a stuffed 0x00 or a marker byte. */
static int find_markers(const unsigned char *p, size_t n, size_t *at, int max)
{
    int k = 0;
    const unsigned char *q = p, *end = p + n;
    while (q + 1 < end && (q = memchr(q, 0xFF, (size_t)(end - q - 1)))) {
        if (q[1] >= 0xD0 && q[1] <= 0xD7) {
            if (k == max)
                return -1;
            at[k++] = (size_t)(q - p);
        }
        q += 2;
    }
    return k;
}

/* ---- bases and their cache ---- */

void splice_base_unref(splice_base *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        if (b->charged)
            budget_release(b->budget, b->charged);
        free(b);
    }
}

size_t splice_base_bytes(const splice_base *b)
{
    return b->header_len + b->ent_len + 2;
}

static int same_key(const splice_base *b, unsigned long long tag, const splice_fmt *f)
{
    return b->tag == tag && b->fmt.width == f->width && b->fmt.height == f->height &&
           b->fmt.quality == f->quality && b->fmt.subsamp444 == f->subsamp444 &&
           (f->quality == 0 || seg_mcus(&b->fmt) == seg_mcus(f));
}

/* With st->cache.mu held. */
static void unlink_base(splice_store *st, splice_base *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        st->cache.head = b->next;
    if (b->next)
        b->next->prev = b->prev;
    else
        st->cache.tail = b->prev;
    b->prev = b->next = NULL;
    st->cache.bytes -= b->charged;
}

static void push_front(splice_store *st, splice_base *b)
{
    b->prev = NULL;
    b->next = st->cache.head;
    if (st->cache.head)
        st->cache.head->prev = b;
    st->cache.head = b;
    if (!st->cache.tail)
        st->cache.tail = b;
    st->cache.bytes += b->charged;
}

/* With st->cache.mu held: drop cold bases until `need` more bytes fit under the limit (at most max;
 * the caller unrefs them after unlocking). They are released to the budget once the last job
 * holding them is done. */
static void make_room(splice_store *st, size_t need, splice_base **dropped, int *n_dropped, int max)
{
    splice_base *b = st->cache.tail;
    while (b && st->cache.bytes + need > st->cache.limit && *n_dropped < max) {
        splice_base *prev = b->prev;
        unlink_base(st, b);
        dropped[(*n_dropped)++] = b;
        b = prev;
    }
}

/* With st->cache.mu held: nb put first in the cache (which takes a reference), room made for it
 * (what is dropped goes to dropped, at most 64, to be unreferenced after unlocking). */
static void cache_push(splice_store *st, splice_base *nb, splice_base **dropped, int *n_dropped)
{
    make_room(st, nb->charged, dropped, n_dropped, 64);
    nb->last_used = budget_now();
    push_front(st, nb);
    atomic_fetch_add(&nb->refs, 1);
}

static void unref_all(splice_base **b, int n)
{
    for (int i = 0; i < n; i++)
        splice_base_unref(b[i]);
}

static splice_base *cache_find(splice_store *st, unsigned long long tag, const splice_fmt *f)
{
    for (splice_base *b = st->cache.head; b; b = b->next) {
        if (same_key(b, tag, f)) {
            atomic_fetch_add(&b->refs, 1);
            b->last_used = budget_now();
            if (b != st->cache.head) {
                unlink_base(st, b);
                push_front(st, b);
            }
            return b;
        }
    }
    return NULL;
}

static splice_base *base_build(splice_encoder *e, const splice_bg *bg, const splice_fmt *f, err_t *err)
{
    if (grow((void **)&e->rows, &e->rows_cap, (size_t)f->height, sizeof *e->rows) < 0)
        goto oom;
    if (!bg->data) {
        if (grow((void **)&e->colour_row, &e->colour_cap, (size_t)f->width * 4, 1) < 0)
            goto oom;
        for (int x = 0; x < f->width; x++)
            memcpy(e->colour_row + (size_t)x * 4, &bg->pixel, 4);
    }
    for (int y = 0; y < f->height; y++)
        e->rows[y] = bg->data ? (JSAMPROW)(bg->data + (size_t)y * (size_t)bg->stride) : e->colour_row;
    if (encode_image(e, f, f->width, f->height, seg_mcus(f), 1, &e->strip, err) < 0)
        return NULL;

    const unsigned char *p = e->strip.data;
    size_t n = e->strip.len, start = scan_start(p, n);
    int n_segs = splice_rows(f) * splice_segs_per_row(f);
    if (!start || n < start + 2 || p[n - 2] != 0xFF || p[n - 1] != 0xD9) {
        err_set(err, ERR_INTERNAL, NULL, "background JPEG: no scan found");
        return NULL;
    }
    size_t ent_len = n - 2 - start;
    size_t total = sizeof(splice_base) + (size_t)(n_segs + 1) * sizeof(size_t) + n;
    splice_base *b = calloc(1, total);
    if (!b)
        goto oom;
    b->mark = (size_t *)b->bytes;
    unsigned char *d = b->bytes + (size_t)(n_segs + 1) * sizeof(size_t);
    memcpy(d, p, n - 2);
    b->header = d;
    b->header_len = start;
    b->ent = d + start;
    b->ent_len = ent_len;
    b->n_segs = n_segs;
    b->mark[0] = 0;
    if (find_markers(b->ent, ent_len, b->mark + 1, n_segs - 1) != n_segs - 1) {
        free(b);
        err_set(err, ERR_INTERNAL, NULL, "background JPEG: %d restart intervals expected", n_segs);
        return NULL;
    }
    b->mark[n_segs] = ent_len;
    b->tag = bg->tag;
    b->fmt = *f;
    b->charged = total;
    b->budget = e->st->budget;
    atomic_init(&b->refs, 1);
    return b;
oom:
    err_set(err, ERR_INTERNAL, NULL, "out of memory");
    return NULL;
}

splice_base *splice_base_find(splice_encoder *e, unsigned long long tag, const splice_fmt *f, int *refused)
{
    pthread_mutex_lock(&e->st->cache.mu);
    splice_base *b = cache_find(e->st, tag, f);
    *refused = e->st->cache.limit == 0 || (b && b->too_big);
    pthread_mutex_unlock(&e->st->cache.mu);
    if (b && b->too_big) {
        splice_base_unref(b);
        b = NULL;
    }
    return b;
}

splice_base *splice_base_get(splice_encoder *e, const splice_bg *bg, const splice_fmt *f, err_t *err)
{
    splice_store *st = e->st;
    pthread_mutex_lock(&st->cache.mu);
    splice_base *b = cache_find(st, bg->tag, f);
    size_t limit = st->cache.limit;
    pthread_mutex_unlock(&st->cache.mu);
    if (b && b->too_big) {
        splice_base_unref(b);
        b = NULL;
        goto refused;
    }
    if (b)
        return b;
    /* Building takes memory the budget must have first (a background's JPEG is rarely over a
     * quarter byte per pixel; more is asked for after): under pressure the job is encoded whole
     * rather than waiting. */
    size_t estimate = (size_t)f->width * (size_t)f->height / 4;
    if (limit == 0 || budget_try_reserve(st->budget, estimate) < 0)
        goto refused;
    /* Two workers may build the same base at once; the second to finish uses the first's. */
    splice_base *nb = base_build(e, bg, f, err);
    if (!nb) {
        budget_release(st->budget, estimate);
        return NULL;
    }
    if (nb->charged <= estimate) {
        budget_release(st->budget, estimate - nb->charged);
    } else if (budget_try_reserve(st->budget, nb->charged - estimate) < 0) {
        budget_release(st->budget, estimate);
        nb->charged = 0; /* never reserved */
        splice_base_unref(nb);
        goto refused;
    }
    splice_base *dropped[64];
    int n_dropped = 0;
    pthread_mutex_lock(&st->cache.mu);
    b = cache_find(st, bg->tag, f);
    if (!b) {
        if (nb->charged > st->cache.limit) {
            /* Kept for this job only; its key stays as a small marker so that later jobs of this
             * background do not build it again. */
            splice_base *marker = calloc(1, sizeof *marker);
            if (marker) {
                marker->too_big = 1;
                marker->budget = st->budget;
                marker->tag = bg->tag;
                marker->fmt = *f;
                marker->last_used = budget_now();
                atomic_init(&marker->refs, 1);
                make_room(st, 0, dropped, &n_dropped, 64);
                push_front(st, marker);
            }
            b = nb;
        } else {
            cache_push(st, nb, dropped, &n_dropped);
            b = nb;
        }
        nb = NULL;
    }
    pthread_mutex_unlock(&st->cache.mu);
    unref_all(dropped, n_dropped);
    splice_base_unref(nb);
    if (b && !b->too_big)
        return b;
    splice_base_unref(b);
refused:
    err_set(err, ERR_BUSY, NULL, "no room for the background's segments");
    return NULL;
}

void splice_cache_set_limit(splice_store *st, size_t bytes)
{
    splice_base *dropped[64];
    int n = 0;
    pthread_mutex_lock(&st->cache.mu);
    st->cache.limit = bytes;
    make_room(st, 0, dropped, &n, 64);
    pthread_mutex_unlock(&st->cache.mu);
    for (int i = 0; i < n; i++)
        splice_base_unref(dropped[i]);
}

void splice_cache_trim(splice_store *st, double idle_seconds)
{
    bands_trim(st, idle_seconds, 0);
    double now = budget_now();
    for (;;) {
        splice_base *dropped[64];
        int n = 0;
        pthread_mutex_lock(&st->cache.mu);
        for (splice_base *b = st->cache.tail; b && n < 64;) {
            splice_base *prev = b->prev;
            if (now - b->last_used >= idle_seconds) {
                unlink_base(st, b);
                dropped[n++] = b;
            }
            b = prev;
        }
        pthread_mutex_unlock(&st->cache.mu);
        for (int i = 0; i < n; i++)
            splice_base_unref(dropped[i]);
        if (n < 64)
            return;
    }
}

/* An entry's bytes are counted in st->bandc.bytes while it is in the cache; one dropped while a job
 * still holds it lives on uncounted until that job ends (milliseconds). */
static void band_unref(band_entry *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

/* With st->bandc.mu held: the reservation grown to hold need more bytes (-1: the budget has no room). */
static int band_reserve(splice_store *st, size_t need)
{
    while (st->bandc.bytes + need > st->bandc.reserved || !st->bandc.reserved) {
        if (budget_try_reserve(st->budget, BAND_CHUNK) < 0)
            return -1;
        st->bandc.reserved += BAND_CHUNK;
    }
    return 0;
}

/* With st->bandc.mu held: whole chunks the entries do not need given back. */
static void band_unreserve(splice_store *st)
{
    while (st->bandc.reserved && st->bandc.bytes + BAND_CHUNK <= st->bandc.reserved) {
        budget_release(st->budget, BAND_CHUNK);
        st->bandc.reserved -= BAND_CHUNK;
    }
}

/* With st->bandc.mu held. */
static void band_unlink(splice_store *st, band_entry *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        st->bandc.head = b->next;
    if (b->next)
        b->next->prev = b->prev;
    else
        st->bandc.tail = b->prev;
    b->prev = b->next = NULL;
    st->bandc.bytes -= b->charged;
}

static void band_push_front(splice_store *st, band_entry *b)
{
    b->prev = NULL;
    b->next = st->bandc.head;
    if (st->bandc.head)
        st->bandc.head->prev = b;
    st->bandc.head = b;
    if (!st->bandc.tail)
        st->bandc.tail = b;
    st->bandc.bytes += b->charged;
}

/* Drop bands from the cold end while over limit or idle (idle_seconds < 0: all). */
static void bands_trim(splice_store *st, double idle_seconds, size_t room)
{
    double now = budget_now();
    for (;;) {
        band_entry *dropped[64];
        int n = 0;
        pthread_mutex_lock(&st->bandc.mu);
        for (band_entry *b = st->bandc.tail; b && n < 64;) {
            band_entry *prev = b->prev;
            if (st->bandc.bytes + room > st->bandc.limit || now - b->last_used >= idle_seconds) {
                band_unlink(st, b);
                dropped[n++] = b;
            }
            b = prev;
        }
        if (idle_seconds < 1e300) /* a trim, not only room for a new band */
            band_unreserve(st);
        pthread_mutex_unlock(&st->bandc.mu);
        for (int i = 0; i < n; i++)
            band_unref(dropped[i]);
        if (n < 64)
            return;
    }
}

void splice_bands_set_limit(splice_store *st, size_t bytes)
{
    pthread_mutex_lock(&st->bandc.mu);
    st->bandc.limit = bytes;
    pthread_mutex_unlock(&st->bandc.mu);
    bands_trim(st, 1e300, 0);
    pthread_mutex_lock(&st->bandc.mu);
    band_unreserve(st);
    pthread_mutex_unlock(&st->bandc.mu);
}

size_t splice_bands_bytes(splice_store *st)
{
    pthread_mutex_lock(&st->bandc.mu);
    size_t n = st->bandc.bytes;
    pthread_mutex_unlock(&st->bandc.mu);
    return n;
}

void splice_cache_clear(splice_store *st)
{
    splice_cache_trim(st, -1);
}

size_t splice_cache_bytes(splice_store *st)
{
    pthread_mutex_lock(&st->cache.mu);
    size_t n = st->cache.bytes;
    pthread_mutex_unlock(&st->cache.mu);
    return n;
}

/* ---- bands ---- */

void splice_bands_reset(splice_encoder *e, const splice_fmt *f)
{
    band_release(e);
    e->fmt = *f;
    e->n_rows = splice_rows(f);
    e->spr = splice_segs_per_row(f);
    e->k = seg_mcus(f);
    e->n_bands = 0;
    size_t n = (size_t)e->n_rows * (size_t)e->spr;
    if (grow((void **)&e->touched, &e->touched_cap, n, 1) < 0 ||
        grow((void **)&e->bands, &e->bands_cap, (size_t)e->n_rows, sizeof *e->bands) < 0) {
        e->n_rows = 0; /* out of memory: nothing can be marked, splice_bands_get reports -1 */
        return;
    }
    memset(e->touched, 0, n);
}

/* The segments [*c0, *c1) and rows [*r0, *r1) that pixels [x0, x1) x [y0, y1) meet; 0 if none
 * (outside the image). */
static int seg_span(const splice_encoder *e, int x0, int y0, int x1, int y1, int *c0, int *c1, int *r0, int *r1)
{
    int m = splice_mcu_size(e->fmt.subsamp444), sw = e->k * m;
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > e->fmt.width ? e->fmt.width : x1, y1 = y1 > e->fmt.height ? e->fmt.height : y1;
    if (x1 <= x0 || y1 <= y0 || !e->n_rows)
        return 0;
    *c0 = x0 / sw, *c1 = (x1 - 1) / sw + 1, *r0 = y0 / m, *r1 = (y1 - 1) / m + 1;
    if (*c1 > e->spr) /* a row of one segment: its last MCU may be partial */
        *c1 = e->spr;
    return 1;
}

void splice_touch_rect(splice_encoder *e, int x0, int y0, int x1, int y1)
{
    int c0, c1, r0, r1;
    if (seg_span(e, x0, y0, x1, y1, &c0, &c1, &r0, &r1))
        for (int r = r0; r < r1; r++)
            memset(e->touched + (size_t)r * (size_t)e->spr + (size_t)c0, 1, (size_t)(c1 - c0));
}

void splice_touch(splice_encoder *e, int y0, int y1)
{
    splice_touch_rect(e, 0, y0, e->fmt.width, y1);
}

int splice_touched(const splice_encoder *e, int x0, int y0, int x1, int y1)
{
    int c0, c1, r0, r1;
    if (!seg_span(e, x0, y0, x1, y1, &c0, &c1, &r0, &r1))
        return 0;
    for (int r = r0; r < r1; r++)
        if (memchr(e->touched + (size_t)r * (size_t)e->spr + (size_t)c0, 1, (size_t)(c1 - c0)))
            return 1;
    return 0;
}

int splice_touched_runs(const splice_encoder *e, int row, int from, int *x0, int *x1)
{
    const unsigned char *t = e->touched + (size_t)row * (size_t)e->spr;
    int m = splice_mcu_size(e->fmt.subsamp444), sw = e->k * m;
    while (from < e->spr && !t[from])
        from++;
    if (from >= e->spr)
        return -1;
    int to = from;
    while (to < e->spr && t[to])
        to++;
    *x0 = from * sw;
    *x1 = to * sw < e->fmt.width ? to * sw : e->fmt.width;
    return to;
}

static int row_touched(const splice_encoder *e, int r)
{
    return memchr(e->touched + (size_t)r * (size_t)e->spr, 1, (size_t)e->spr) != NULL;
}

int splice_bands_get(splice_encoder *e, const splice_band **bands)
{
    if (!e->n_rows)
        return -1;
    e->n_bands = 0;
    for (int r = 0; r < e->n_rows;) {
        if (!row_touched(e, r)) {
            r++;
            continue;
        }
        int r0 = r;
        while (r < e->n_rows && row_touched(e, r))
            r++;
        e->bands[e->n_bands++] = (splice_band){r0, r};
    }
    size_t old = e->bkey_cap;
    if (grow((void **)&e->bkey, &e->bkey_cap, (size_t)e->n_bands, sizeof *e->bkey) < 0 ||
        grow((void **)&e->bflags, &e->bflags_cap, (size_t)e->n_bands, 1) < 0 ||
        grow((void **)&e->bhit, &e->bhit_cap, (size_t)e->n_bands, sizeof *e->bhit) < 0)
        return -1;
    if (e->bkey_cap > old) /* (no bands: nothing was allocated) */
        memset(e->bkey + old, 0, (e->bkey_cap - old) * sizeof *e->bkey);
    for (int i = 0; i < e->n_bands; i++) {
        e->bkey[i].len = 0;
        e->bflags[i] = outbuf_reserve(&e->bkey[i], sizeof(band_prefix)) < 0 ? BAND_UNCACHEABLE : 0;
        e->bkey[i].len = sizeof(band_prefix);
        e->bhit[i] = NULL;
    }
    *bands = e->bands;
    return e->n_bands;
}

int splice_band_at(const splice_encoder *e, int y)
{
    int r = y / splice_mcu_size(e->fmt.subsamp444);
    for (int i = 0; i < e->n_bands && y >= 0; i++)
        if (e->bands[i].r0 <= r && r < e->bands[i].r1)
            return i;
    return -1;
}

void splice_band_describe(splice_encoder *e, int band, int id, const char *text, size_t len)
{
    if (band < 0 || band >= e->n_bands)
        return;
    uint32_t head[2] = {(uint32_t)id, (uint32_t)len};
    if (!text || outbuf_append(&e->bkey[band], head, sizeof head) < 0 ||
        outbuf_append(&e->bkey[band], text, len) < 0)
        e->bflags[band] |= BAND_UNCACHEABLE;
    e->bflags[band] |= BAND_DESCRIBED;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

int splice_bands_lookup(splice_encoder *e, const splice_base *b)
{
    splice_store *st = e->st;
    int hits = 0;
    if (e->spr > 1)
        return 0; /* a band of narrower segments is not all drawn: not kept */
    for (int i = 0; i < e->n_bands; i++) {
        if ((e->bflags[i] & (BAND_DESCRIBED | BAND_UNCACHEABLE)) != BAND_DESCRIBED)
            continue;
        band_prefix pre;
        memset(&pre, 0, sizeof pre); /* padding too: the prefix is compared as bytes */
        pre.tag = b->tag;
        pre.width = b->fmt.width, pre.height = b->fmt.height, pre.quality = b->fmt.quality;
        pre.subsamp444 = b->fmt.subsamp444, pre.r0 = e->bands[i].r0, pre.r1 = e->bands[i].r1;
        memcpy(e->bkey[i].data, &pre, sizeof pre);
        uint64_t h = fnv1a(e->bkey[i].data, e->bkey[i].len);
        pthread_mutex_lock(&st->bandc.mu);
        if (st->bandc.limit && band_reserve(st, 0) == 0) {
            band_entry *x = st->bandc.head;
            while (x && !(x->hash == h && x->key_len == e->bkey[i].len &&
                          memcmp(x->data, e->bkey[i].data, x->key_len) == 0))
                x = x->next;
            if (x) {
                atomic_fetch_add(&x->refs, 1);
                x->last_used = budget_now();
                band_unlink(st, x);
                band_push_front(st, x);
                e->bhit[i] = x;
                hits++;
            } else if (st->bandc.seen[h % BAND_SEEN] == h) {
                e->bflags[i] |= BAND_ADMIT;
            } else {
                st->bandc.seen[h % BAND_SEEN] = h;
            }
        }
        pthread_mutex_unlock(&st->bandc.mu);
    }
    return hits;
}

int splice_band_cached(const splice_encoder *e, int band)
{
    return band >= 0 && band < e->n_bands && e->bhit[band];
}

static void band_release(splice_encoder *e)
{
    for (int i = 0; i < e->n_bands && e->bhit; i++) {
        band_unref(e->bhit[i]);
        e->bhit[i] = NULL;
    }
}

/* Keep the bytes just written for band i (a second sighting). */
static void band_keep(splice_encoder *e, int i, const unsigned char *bytes, size_t len)
{
    splice_store *st = e->st;
    size_t key_len = e->bkey[i].len, total = sizeof(band_entry) + key_len + len;
    uint64_t h = fnv1a(e->bkey[i].data, key_len);
    if (total > st->bandc.limit / 4)
        return;
    band_entry *x = malloc(total);
    if (!x)
        return;
    atomic_init(&x->refs, 1);
    x->hash = h;
    x->key_len = key_len;
    x->len = len;
    x->charged = total;
    x->last_used = budget_now();
    memcpy(x->data, e->bkey[i].data, key_len);
    memcpy(x->data + key_len, bytes, len);
    bands_trim(st, 1e300, total);
    pthread_mutex_lock(&st->bandc.mu);
    band_entry *y = st->bandc.head;
    while (y && !(y->hash == h && y->key_len == key_len && memcmp(y->data, x->data, key_len) == 0))
        y = y->next;
    int keep = !y && band_reserve(st, total) == 0;
    if (keep)
        band_push_front(st, x);
    pthread_mutex_unlock(&st->bandc.mu);
    if (!keep)
        band_unref(x); /* another worker kept it first, or no room in the budget */
}

void splice_lay_rows(const splice_bg *bg, unsigned char *data, int stride, const splice_fmt *f,
                     const splice_band *bands, int n_bands)
{
    int m = splice_mcu_size(f->subsamp444);
    size_t row = (size_t)f->width * 4;
    for (int i = 0; i < n_bands; i++) {
        int y0 = bands[i].r0 * m, y1 = bands[i].r1 * m < f->height ? bands[i].r1 * m : f->height;
        unsigned char *d = data + (size_t)y0 * (size_t)stride;
        if (bg->data && bg->stride == stride) {
            memcpy(d, bg->data + (size_t)y0 * (size_t)stride, (size_t)(y1 - y0) * (size_t)stride);
            continue;
        }
        for (int y = y0; y < y1; y++, d += stride) {
            if (bg->data) {
                memcpy(d, bg->data + (size_t)y * (size_t)bg->stride, row);
            } else if (y == y0) {
                uint32_t *px = (uint32_t *)d;
                for (int x = 0; x < f->width; x++)
                    px[x] = bg->pixel;
            } else {
                memcpy(d, data + (size_t)y0 * (size_t)stride, row);
            }
        }
    }
}

/* ---- layers ---- */

/* A layer's pixels are kept as runs of 32-bit words, row by row: a word n < 2^31 followed by n
 * pixels as they are, or n | 2^31 followed by one pixel repeated n times. Its mark[y] is where
 * row y's words start (in words). Layers share the bases' cache (quality 0 tells them apart). */
#define LAYER_RUN 0x80000000u

splice_layer *splice_layer_find(splice_encoder *e, unsigned long long tag, int width, int height)
{
    splice_fmt f = {width, height, 0, 0, 0};
    pthread_mutex_lock(&e->st->cache.mu);
    splice_base *b = e->st->cache.limit ? cache_find(e->st, tag, &f) : NULL;
    pthread_mutex_unlock(&e->st->cache.mu);
    return b;
}

/* Append row px[0..w) as runs to o (as words). */
static int layer_runs(outbuf *o, const uint32_t *px, int w)
{
    for (int x = 0; x < w;) {
        int r = 1;
        while (x + r < w && px[x + r] == px[x])
            r++;
        uint32_t head[2] = {LAYER_RUN | (uint32_t)r, px[x]};
        if (r >= 3) {
            if (outbuf_append(o, head, sizeof head) < 0)
                return -1;
            x += r;
            continue;
        }
        /* Literal pixels up to the next run of three alike. */
        int n = 0;
        while (x + n < w && !(x + n + 2 < w && px[x + n] == px[x + n + 1] && px[x + n] == px[x + n + 2]))
            n++;
        head[0] = (uint32_t)n;
        if (outbuf_append(o, head, 4) < 0 || outbuf_append(o, px + x, (size_t)n * 4) < 0)
            return -1;
        x += n;
    }
    return 0;
}

splice_layer *splice_layer_keep(splice_encoder *e, unsigned long long tag, const unsigned char *data,
                                int stride, int width, int height)
{
    splice_store *st = e->st;
    outbuf *o = &e->strip;
    o->len = 0;
    if (grow((void **)&e->at, &e->at_cap, (size_t)height + 1, sizeof *e->at) < 0)
        return NULL;
    for (int y = 0; y < height; y++) {
        e->at[y] = o->len / 4;
        if (layer_runs(o, (const uint32_t *)(data + (size_t)y * (size_t)stride), width) < 0)
            return NULL;
    }
    e->at[height] = o->len / 4;
    size_t marks = (size_t)(height + 1) * sizeof(size_t), total = sizeof(splice_base) + marks + o->len;
    pthread_mutex_lock(&st->cache.mu);
    size_t limit = st->cache.limit;
    pthread_mutex_unlock(&st->cache.mu);
    if (total > limit / 2 || budget_try_reserve(st->budget, total) < 0)
        return NULL; /* the job draws the layer itself, as without the cache */
    splice_base *nb = calloc(1, total);
    if (!nb) {
        budget_release(st->budget, total);
        return NULL;
    }
    nb->mark = (size_t *)nb->bytes;
    memcpy(nb->mark, e->at, marks);
    memcpy(nb->bytes + marks, o->data, o->len);
    nb->ent = nb->bytes + marks;
    nb->ent_len = o->len;
    nb->n_segs = height;
    nb->tag = tag;
    nb->fmt = (splice_fmt){width, height, 0, 0, 0};
    nb->charged = total;
    nb->budget = st->budget;
    atomic_init(&nb->refs, 1);
    splice_base *dropped[64];
    int n_dropped = 0;
    pthread_mutex_lock(&st->cache.mu);
    splice_base *b = cache_find(st, tag, &nb->fmt);
    if (!b) {
        cache_push(st, nb, dropped, &n_dropped);
        b = nb;
        nb = NULL;
    }
    pthread_mutex_unlock(&st->cache.mu);
    unref_all(dropped, n_dropped);
    splice_base_unref(nb); /* another worker kept it first */
    return b;
}

/* n pixels of value v from d, 32 bytes a store (a pixel a store is most of a layer's laying). */
static void fill_px(uint32_t *d, uint32_t v, int n)
{
    const uint32_t block[8] = {v, v, v, v, v, v, v, v};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        memcpy(d + i, block, sizeof block);
    for (; i < n; i++)
        d[i] = v;
}

/* The pixels of the layer's row y inside the n ascending, disjoint spans [x[2i], x[2i+1]) into
 * dst (the row's first pixel): one walk along the row's runs. */
static void layer_row(const splice_layer *l, int y, const int *x, int n, uint32_t *dst)
{
    const uint32_t *w = (const uint32_t *)(const void *)l->ent + l->mark[y];
    int i = 0;
    for (int at = 0; i < n;) {
        int len = (int)(*w & ~LAYER_RUN), run = (*w & LAYER_RUN) != 0;
        w++;
        /* Every span meeting [at, at + len), the last one possibly going on past it. */
        while (i < n && x[2 * i] < at + len) {
            int a = x[2 * i] > at ? x[2 * i] : at, z = x[2 * i + 1] < at + len ? x[2 * i + 1] : at + len;
            if (run)
                fill_px(dst + a, *w, z - a);
            else
                memcpy(dst + a, w + (a - at), (size_t)(z - a) * 4);
            if (x[2 * i + 1] > at + len)
                break;
            i++;
        }
        w += run ? 1 : len;
        at += len;
    }
}

int splice_layer_lay(const splice_layer *l, splice_encoder *e, unsigned char *data, int stride)
{
    int m = splice_mcu_size(e->fmt.subsamp444);
    if (grow((void **)&e->spans, &e->spans_cap, (size_t)e->spr * 2, sizeof *e->spans) < 0)
        return -1;
    int *x = e->spans;
    for (int r = 0; r < e->n_rows; r++) {
        int n = 0, y1 = (r + 1) * m < e->fmt.height ? (r + 1) * m : e->fmt.height;
        for (int c = 0; (c = splice_touched_runs(e, r, c, &x[2 * n], &x[2 * n + 1])) >= 0;)
            n++;
        for (int y = r * m; y < y1 && n; y++)
            layer_row(l, y, x, n, (uint32_t *)(void *)(data + (size_t)y * (size_t)stride));
    }
    return 0;
}

/* ---- encoding and writing ---- */

/* The n restart intervals of the file just encoded into e->strip: the j-th's bytes are
 * strip[seg[j] .. seg_end[j]). */
static int strip_segments(splice_encoder *e, int n, const char *what, err_t *err)
{
    const unsigned char *p = e->strip.data;
    size_t len = e->strip.len, start = scan_start(p, len);
    if (!start || len < start + 2 || p[len - 2] != 0xFF || p[len - 1] != 0xD9) {
        err_set(err, ERR_INTERNAL, NULL, "%s JPEG: no scan found", what);
        return -1;
    }
    /* seg_end[] first holds the marker offsets: segment j ends where marker j starts. */
    if (find_markers(p + start, len - 2 - start, e->seg_end, n - 1) != n - 1) {
        err_set(err, ERR_INTERNAL, NULL, "%s JPEG: %d restart intervals expected", what, n);
        return -1;
    }
    e->seg[0] = start;
    for (int j = 0; j + 1 < n; j++) {
        e->seg_end[j] += start;
        e->seg[j + 1] = e->seg_end[j] + 2;
    }
    e->seg_end[n - 1] = len - 2;
    return 0;
}

/* Encode an image (e->rows, w x h) of n restart segments, and keep the entropy-coded bytes of its
 * j-th as those of segment e->ids[j] (none if -1). */
static int encode_segments(splice_encoder *e, int w, int h, int n, err_t *err)
{
    if (grow((void **)&e->seg, &e->seg_cap, (size_t)n, sizeof *e->seg) < 0 ||
        grow((void **)&e->seg_end, &e->seg_end_cap, (size_t)n, sizeof *e->seg_end) < 0)
        goto oom;
    if (encode_image(e, &e->fmt, w, h, e->k, 0, &e->strip, err) < 0 || strip_segments(e, n, "segments'", err) < 0)
        return -1;
    for (int j = 0; j < n; j++) {
        int s = e->ids[j];
        if (s < 0)
            continue;
        e->seg_from[s] = e->segbytes.len;
        if (outbuf_append(&e->segbytes, e->strip.data + e->seg[j], e->seg_end[j] - e->seg[j]) < 0)
            goto oom;
        e->seg_to[s] = e->segbytes.len;
        e->n_seg++;
    }
    return 0;
oom:
    err_set(err, ERR_INTERNAL, NULL, "out of memory");
    return -1;
}

/* Row pointers to pixel rows [y0, y1) from column x (pixels) of the frame, after the first `at`. */
static int add_rows(splice_encoder *e, int at, const unsigned char *data, int stride, int x, int y0, int y1)
{
    for (int y = y0; y < y1; y++)
        e->rows[at++] = (JSAMPROW)(data + (size_t)y * (size_t)stride + (size_t)x * 4);
    return at;
}

int splice_encode_bands(splice_encoder *e, const unsigned char *data, int stride, err_t *err)
{
    const splice_fmt *f = &e->fmt;
    int m = splice_mcu_size(f->subsamp444), spr = e->spr, sw = e->k * m;
    /* Two images: the rows whose segments are all touched, whole (a partial last MCU row, any of
     * it touched, as the last: libjpeg pads it as the bottom edge it is; its untouched segments
     * are not taken); and the other touched segments stacked as the MCU rows of images sw wide
     * (row pointers into the frame, no copy; at most JPEG's 65500 rows an image). */
    int last = e->n_rows - 1, n_segs = e->n_rows * spr, max_rows = 65500 / m * m;
    e->n_seg = 0;
    e->segbytes.len = 0;
    if (grow((void **)&e->rows, &e->rows_cap, (size_t)(max_rows > f->height ? max_rows : f->height),
             sizeof *e->rows) < 0 ||
        grow((void **)&e->seg_from, &e->seg_from_cap, (size_t)n_segs, sizeof *e->seg_from) < 0 ||
        grow((void **)&e->seg_to, &e->seg_to_cap, (size_t)n_segs, sizeof *e->seg_to) < 0 ||
        grow((void **)&e->ids, &e->ids_cap, (size_t)n_segs, sizeof *e->ids) < 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    int h = 0, n = 0, partial = f->height % m != 0;
    for (int i = 0; i < e->n_bands; i++)
        for (int r = e->bands[i].r0; r < e->bands[i].r1 && !e->bhit[i]; r++) {
            const unsigned char *t = e->touched + (size_t)r * (size_t)spr;
            if ((r == last && partial) || !memchr(t, 0, (size_t)spr)) {
                h = add_rows(e, h, data, stride, 0, r * m, (r + 1) * m < f->height ? (r + 1) * m : f->height);
                for (int c = 0; c < spr; c++)
                    e->ids[n++] = t[c] ? r * spr + c : -1;
            }
        }
    if (n && encode_segments(e, f->width, h, n, err) < 0)
        return -1;
    h = n = 0;
    for (int i = 0; i < e->n_bands; i++)
        for (int r = e->bands[i].r0; r < e->bands[i].r1 && !e->bhit[i]; r++) {
            const unsigned char *t = e->touched + (size_t)r * (size_t)spr;
            if ((r == last && partial) || !memchr(t, 0, (size_t)spr))
                continue;
            for (int c = 0; c < spr; c++) {
                if (!t[c])
                    continue;
                h = add_rows(e, h, data, stride, c * sw, r * m, (r + 1) * m);
                e->ids[n++] = r * spr + c;
                if (h + m > max_rows) {
                    if (encode_segments(e, sw, h, n, err) < 0)
                        return -1;
                    h = n = 0;
                }
            }
        }
    return n ? encode_segments(e, sw, h, n, err) : 0;
}

int splice_rows_encoded(const splice_encoder *e)
{
    return e->n_seg;
}

size_t splice_size(const splice_encoder *e, const splice_base *b)
{
    size_t n = b->header_len + b->ent_len + 2;
    int spr = e->spr;
    for (int i = 0; i < e->n_bands; i++) {
        int s0 = e->bands[i].r0 * spr, s1 = e->bands[i].r1 * spr;
        if (e->bhit[i]) {
            n += e->bhit[i]->len - (b->mark[s1] - b->mark[s0]);
            continue;
        }
        for (int s = s0; s < s1; s++)
            if (e->touched[s])
                n += (s > 0 ? 2 : 0) + (e->seg_to[s] - e->seg_from[s]) - (b->mark[s + 1] - b->mark[s]);
    }
    return n;
}

/* The base's segments [s0, s1), markers and all, copied to d; the end returned. */
static unsigned char *copy_base(const splice_base *b, int s0, int s1, unsigned char *d)
{
    size_t len = b->mark[s1] - b->mark[s0];
    memcpy(d, b->ent + b->mark[s0], len);
    return d + len;
}

void splice_write(splice_encoder *e, const splice_base *b, unsigned char *d)
{
    memcpy(d, b->header, b->header_len);
    d += b->header_len;
    int next = 0, spr = e->spr; /* next: the first segment not yet written */
    for (int i = 0; i < e->n_bands; i++) {
        int s0 = e->bands[i].r0 * spr, s1 = e->bands[i].r1 * spr;
        d = copy_base(b, next, s0, d);
        next = s1;
        const band_entry *hit = e->bhit[i];
        if (hit) {
            memcpy(d, hit->data + hit->key_len, hit->len);
            d += hit->len;
            continue;
        }
        unsigned char *band_start = d;
        for (int s = s0; s < s1; s++) {
            if (!e->touched[s]) {
                d = copy_base(b, s, s + 1, d);
                continue;
            }
            if (s > 0) {
                *d++ = 0xFF;
                *d++ = (unsigned char)(0xD0 + ((s - 1) & 7));
            }
            size_t len = e->seg_to[s] - e->seg_from[s];
            memcpy(d, e->segbytes.data + e->seg_from[s], len);
            d += len;
        }
        if (e->bflags[i] & BAND_ADMIT) {
            e->bflags[i] &= (unsigned char)~BAND_ADMIT;
            band_keep(e, i, band_start, (size_t)(d - band_start));
        }
    }
    d = copy_base(b, next, b->n_segs, d);
    *d++ = 0xFF;
    *d++ = 0xD9;
}

int splice_encode_full(splice_encoder *e, const splice_fmt *f, const unsigned char *data, int stride,
                       outbuf *o, err_t *err)
{
    if (grow((void **)&e->rows, &e->rows_cap, (size_t)f->height, sizeof *e->rows) < 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (int y = 0; y < f->height; y++)
        e->rows[y] = (JSAMPROW)(data + (size_t)y * (size_t)stride);
    return encode_image(e, f, f->width, f->height, seg_mcus(f), 1, o, err);
}

/* ---- splicing over a stored file in cell form ---- */

int splice_encode_cells(splice_encoder *e, const splice_fmt *f, int cell_mcus, const unsigned char *data,
                        int stride, outbuf *o, err_t *err)
{
    if (cell_mcus < 1 || mcus_across(f) % cell_mcus) {
        err_set(err, ERR_INTERNAL, NULL, "%d MCUs do not divide a row of %d", cell_mcus, mcus_across(f));
        return -1;
    }
    if (grow((void **)&e->rows, &e->rows_cap, (size_t)f->height, sizeof *e->rows) < 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    for (int y = 0; y < f->height; y++)
        e->rows[y] = (JSAMPROW)(data + (size_t)y * (size_t)stride);
    return encode_image(e, f, f->width, f->height, cell_mcus, 1, o, err);
}

/* The header (SOI .. SOS) this encoder writes in cell form for f and cell_mcus; NULL when it
 * cannot be made. */
static const outbuf *ref_header(splice_encoder *e, const splice_fmt *f, int cell_mcus)
{
    for (int i = 0; i < 4; i++)
        if (e->ref[i].hdr.len && e->ref[i].cell_mcus == cell_mcus && !memcmp(&e->ref[i].f, f, sizeof *f))
            return &e->ref[i].hdr;
    /* A blank frame encoded once: only its header is kept. */
    if (grow((void **)&e->colour_row, &e->colour_cap, (size_t)f->width * 4, 1) < 0 ||
        grow((void **)&e->rows, &e->rows_cap, (size_t)f->height, sizeof *e->rows) < 0)
        return NULL;
    memset(e->colour_row, 0, (size_t)f->width * 4);
    for (int y = 0; y < f->height; y++)
        e->rows[y] = e->colour_row;
    err_t err = {0};
    int i = e->ref_next;
    e->ref_next = (i + 1) % 4;
    e->ref[i].hdr.len = 0;
    if (encode_image(e, f, f->width, f->height, cell_mcus, 1, &e->ref[i].hdr, &err) < 0)
        return NULL;
    size_t start = scan_start(e->ref[i].hdr.data, e->ref[i].hdr.len);
    if (!start) {
        e->ref[i].hdr.len = 0;
        return NULL;
    }
    e->ref[i].hdr.len = start;
    e->ref[i].f = *f;
    e->ref[i].cell_mcus = cell_mcus;
    return &e->ref[i].hdr;
}

/* The next segment of a header at *i that is not APPn or COM (those do not change how the image
 * decodes): its bytes p[*at .. *at + *len), marker included; 0 at SOS's end or if malformed. */
static int next_table(const unsigned char *p, size_t n, size_t *i, size_t *at, size_t *len)
{
    while (*i + 4 <= n && p[*i] == 0xFF) {
        unsigned m = p[*i + 1];
        size_t l = (size_t)p[*i + 2] << 8 | p[*i + 3];
        if (l < 2 || *i + 2 + l > n)
            return 0;
        *at = *i;
        *len = 2 + l;
        *i += 2 + l;
        if (!((m >= 0xE0 && m <= 0xEF) || m == 0xFE))
            return 1;
    }
    return 0;
}

/* Whether header a (a stored file's) has exactly the segments of b (this encoder's) but APPn
 * and COM: quantisation and Huffman tables, frame (size, sampling, components), restart
 * interval and scan; where a's SOF starts. */
static int same_tables(const unsigned char *a, size_t na, const unsigned char *b, size_t nb, size_t *sof)
{
    size_t ia = 2, ib = 2, at_a, la, at_b, lb;
    for (;;) {
        int ga = next_table(a, na, &ia, &at_a, &la), gb = next_table(b, nb, &ib, &at_b, &lb);
        if (ga != gb)
            return 0;
        if (!ga)
            return ia == na && ib == nb;
        if (la != lb || memcmp(a + at_a, b + at_b, la) != 0)
            return 0;
        if (a[at_a + 1] == 0xC0)
            *sof = at_a;
    }
}

/* The restart interval a header declares (0: none or malformed). */
static int header_dri(const unsigned char *p, size_t n)
{
    size_t i = 2, at, len;
    while (next_table(p, n, &i, &at, &len))
        if (p[at + 1] == 0xDD && len == 6)
            return p[at + 4] << 8 | p[at + 5];
    return 0;
}

int splice_stored_open(splice_encoder *e, const splice_fmt *f, const unsigned char *d, size_t len)
{
    int m = splice_mcu_size(f->subsamp444);
    e->sf = NULL;
    if (f->width % m || f->height % m || len < 4 || d[0] != 0xFF || d[1] != 0xD8 ||
        d[len - 2] != 0xFF || d[len - 1] != 0xD9)
        return 0;
    size_t hdr = scan_start(d, len);
    int k = hdr ? header_dri(d, hdr) : 0;
    if (k < 1 || mcus_across(f) % k)
        return 0;
    const outbuf *ref = ref_header(e, f, k);
    size_t sof = 0;
    if (!ref || !same_tables(d, hdr, ref->data, ref->len, &sof) || !sof)
        return 0;
    int cols = mcus_across(f) / k, crows = f->height / m, n = cols * crows;
    if (grow((void **)&e->cell, &e->cell_cap, (size_t)n, sizeof *e->cell) < 0 ||
        grow((void **)&e->cell_end, &e->cell_end_cap, (size_t)n, sizeof *e->cell_end) < 0 ||
        grow((void **)&e->ctouch, &e->ctouch_cap, (size_t)n, 1) < 0)
        return 0;
    /* cell_end[] first holds the markers' offsets; each must be the next RSTn in turn. */
    if (find_markers(d + hdr, len - 2 - hdr, e->cell_end, n - 1) != n - 1)
        return 0;
    e->cell[0] = hdr;
    for (int i = 0; i + 1 < n; i++) {
        e->cell_end[i] += hdr;
        if (d[e->cell_end[i] + 1] != 0xD0 + (i & 7))
            return 0;
        e->cell[i + 1] = e->cell_end[i] + 2;
    }
    e->cell_end[n - 1] = len - 2;
    memset(e->ctouch, 0, (size_t)n);
    e->sf = d;
    e->sf_len = len;
    e->sf_hdr = hdr;
    e->sf_sof = sof;
    e->fmt = *f;
    e->cell_mcus = k;
    e->cols = cols;
    e->crows = crows;
    e->n_touched = 0;
    return 1;
}

void splice_cells_touch(splice_encoder *e, int x0, int y0, int x1, int y1)
{
    if (!e->sf)
        return;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > e->fmt.width ? e->fmt.width : x1;
    y1 = y1 > e->fmt.height ? e->fmt.height : y1;
    if (x1 <= x0 || y1 <= y0)
        return;
    int m = splice_mcu_size(e->fmt.subsamp444), cw = m * e->cell_mcus;
    for (int r = y0 / m; r <= (y1 - 1) / m; r++)
        for (int c = x0 / cw; c <= (x1 - 1) / cw; c++) {
            unsigned char *t = &e->ctouch[r * e->cols + c];
            e->n_touched += !*t;
            *t = 1;
        }
}

void splice_cells_count(const splice_encoder *e, int *cells, int *touched)
{
    *cells = e->sf ? e->cols * e->crows : 0;
    *touched = e->sf ? e->n_touched : 0;
}

/* The touched cells side by side, the j-th at slot j of a grid `across` cells wide and `down`
 * cells high (one libjpeg pass over long rows is several times faster than over a column of
 * cells): row pointers into e->wide, which holds the grid's pixels. */
#define CELLS_ACROSS 128
static int cell_grid(splice_encoder *e, int *across, int *down)
{
    int m = splice_mcu_size(e->fmt.subsamp444), cw = m * e->cell_mcus, n = e->n_touched;
    *across = n < CELLS_ACROSS ? n : CELLS_ACROSS;
    *down = (n + *across - 1) / *across;
    size_t row = (size_t)*across * (size_t)cw * 4, h = (size_t)*down * (size_t)m;
    if (grow((void **)&e->wide, &e->wide_cap, row * h, 1) < 0 ||
        grow((void **)&e->rows, &e->rows_cap, h, sizeof *e->rows) < 0)
        return -1;
    for (size_t y = 0; y < h; y++)
        e->rows[y] = e->wide + y * row;
    return 0;
}

/* Copy the touched cells between the frame (data, stride) and the grid: to it, or back. */
static void cell_copy(splice_encoder *e, unsigned char *data, int stride, int across, int to_grid)
{
    int m = splice_mcu_size(e->fmt.subsamp444), cw = m * e->cell_mcus, j = 0;
    size_t row = (size_t)across * (size_t)cw * 4, len = (size_t)cw * 4;
    for (int i = 0; i < e->cols * e->crows; i++) {
        if (!e->ctouch[i])
            continue;
        unsigned char *f = data + (size_t)(i / e->cols * m) * (size_t)stride + (size_t)(i % e->cols * cw) * 4;
        unsigned char *g = e->wide + (size_t)(j / across * m) * row + (size_t)(j % across) * len;
        for (int l = 0; l < m; l++, f += stride, g += row)
            memcpy(to_grid ? g : f, to_grid ? f : g, len);
        j++;
    }
}

int splice_cells_decode(splice_encoder *e, unsigned char *data, int stride, err_t *err)
{
    if (!e->sf || !e->n_touched)
        return 0;
    int m = splice_mcu_size(e->fmt.subsamp444), cw = m * e->cell_mcus;
    /* The touched cells as one JPEG: the stored header with the frame resized to their grid,
     * then the cells' bytes (the last repeated to fill the grid), restart markers numbered anew. */
    int across, down;
    if (cell_grid(e, &across, &down) < 0)
        goto oom;
    outbuf *o = &e->mini;
    o->len = 0;
    if (outbuf_append(o, e->sf, e->sf_hdr) < 0)
        goto oom;
    unsigned char *sof = o->data + e->sf_sof;
    int h = down * m, w = across * cw;
    sof[5] = (unsigned char)(h >> 8), sof[6] = (unsigned char)h;
    sof[7] = (unsigned char)(w >> 8), sof[8] = (unsigned char)w;
    int j = 0, last = 0;
    for (int i = 0; i < e->cols * e->crows || j < across * down; i++) {
        if (i < e->cols * e->crows && !e->ctouch[i])
            continue;
        int c = i < e->cols * e->crows ? (last = i) : last;
        unsigned char mk[2] = {0xFF, (unsigned char)(0xD0 + ((j - 1) & 7))};
        if ((j++ > 0 && outbuf_append(o, mk, 2) < 0) ||
            outbuf_append(o, e->sf + e->cell[c], e->cell_end[c] - e->cell[c]) < 0)
            goto oom;
    }
    if (outbuf_append(o, "\xFF\xD9", 2) < 0)
        goto oom;
    struct jpeg_decompress_struct *volatile c = &e->dinfo;
    if (!e->dinit) {
        c->err = jpeg_std_error(&e->djerr.pub);
        e->djerr.pub.error_exit = jerr_exit;
        e->djerr.pub.emit_message = jerr_silent;
        if (setjmp(e->djerr.jump)) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return -1;
        }
        jpeg_create_decompress(c);
        e->dinit = 1;
    }
    if (setjmp(e->djerr.jump)) {
        char msg[JMSG_LENGTH_MAX];
        e->djerr.pub.format_message((j_common_ptr)c, msg);
        jpeg_abort_decompress(c);
        err_set(err, ERR_INTERNAL, NULL, "JPEG decode of the stored cells failed: %s", msg);
        return -1;
    }
    const unsigned one = 1;
    jpeg_mem_src(c, o->data, (unsigned long)o->len);
    jpeg_read_header(c, TRUE);
    c->out_color_space = *(const unsigned char *)&one ? JCS_EXT_BGRX : JCS_EXT_XRGB;
    c->dct_method = JDCT_ISLOW;
    /* Chroma replicated within each MCU (no smoothing across MCUs): a cell decodes alone to the
     * pixels it has in the whole image decoded alike. */
    c->do_fancy_upsampling = FALSE;
    jpeg_start_decompress(c);
    while (c->output_scanline < c->output_height)
        jpeg_read_scanlines(c, e->rows + c->output_scanline, c->output_height - c->output_scanline);
    jpeg_finish_decompress(c);
    cell_copy(e, data, stride, across, 0);
    return 0;
oom:
    err_set(err, ERR_INTERNAL, NULL, "out of memory");
    return -1;
}

int splice_cells_encode(splice_encoder *e, const unsigned char *data, int stride, err_t *err)
{
    e->n_seg = 0;
    if (!e->sf || !e->n_touched)
        return 0;
    int m = splice_mcu_size(e->fmt.subsamp444), n = e->n_touched, across, down;
    if (cell_grid(e, &across, &down) < 0 ||
        grow((void **)&e->seg, &e->seg_cap, (size_t)(across * down), sizeof *e->seg) < 0 ||
        grow((void **)&e->seg_end, &e->seg_end_cap, (size_t)(across * down), sizeof *e->seg_end) < 0) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    /* One image of the touched cells' grid (the slots past the last cell hold whatever they
     * held): each cell is one restart interval, encoded to exactly the bytes that cell has in a
     * whole encode in cell form. */
    cell_copy(e, (unsigned char *)data, stride, across, 1);
    if (encode_image(e, &e->fmt, across * m * e->cell_mcus, down * m, e->cell_mcus, 0, &e->strip, err) < 0)
        return -1;
    if (strip_segments(e, across * down, "cell", err) < 0)
        return -1;
    e->n_seg = n;
    return 0;
}

size_t splice_cells_size(const splice_encoder *e)
{
    size_t n = e->sf_len;
    for (int i = 0, j = 0; i < e->cols * e->crows && j < e->n_seg; i++)
        if (e->ctouch[i]) {
            n = n - (e->cell_end[i] - e->cell[i]) + (e->seg_end[j] - e->seg[j]);
            j++;
        }
    return n;
}

void splice_cells_write(const splice_encoder *e, unsigned char *d)
{
    /* The stored file but the touched cells, whose new bytes go between the same markers. */
    size_t from = 0;
    for (int i = 0, j = 0; i < e->cols * e->crows && j < e->n_seg; i++) {
        if (!e->ctouch[i])
            continue;
        memcpy(d, e->sf + from, e->cell[i] - from);
        d += e->cell[i] - from;
        memcpy(d, e->strip.data + e->seg[j], e->seg_end[j] - e->seg[j]);
        d += e->seg_end[j] - e->seg[j];
        from = e->cell_end[i];
        j++;
    }
    memcpy(d, e->sf + from, e->sf_len - from);
}
