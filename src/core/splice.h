/* splice.h — JPEG by splicing: a background encoded once as restart segments, and per image only
 * the MCU rows that drawing touched encoded again and put between the cached ones.
 *
 * A baseline JPEG with a restart interval of one MCU row is a sequence of entropy-coded segments,
 * one per MCU row, each depending only on the pixels of its own row (DC prediction and the bit
 * buffer restart at every RSTn marker; the Huffman tables are the fixed standard ones, the
 * quantisation tables follow from the quality). So the background (a template's image or colour)
 * is encoded once per (size, quality, subsampling) and its segments kept (a splice_base, in a
 * small LRU charged to the memory budget); an image drawn over it re-encodes only its touched
 * rows — in one libjpeg pass over just those rows — and is written as the base's headers, then
 * for every row either the cached segment or the new one, RST markers numbered 0–7 in order.
 * The file is byte for byte what a full encode of the composed frame with the same restart
 * interval gives (tests/unit/test_splice.c checks that).
 *
 * A background may have narrower segments (splice_fmt.seg_mcus: k MCUs, k dividing a row of
 * whole MCUs): then only the touched segments of a row are encoded again, stacked as the MCU rows
 * of one image k MCUs wide (a partial last MCU row apart, as the bottom of an image of its own),
 * so that a thin diagonal (a refcard's leader line) costs a few segments per row, not the rows.
 * Each RST marker costs two bytes, a byte boundary and a DC restart: a refcard of 8-MCU segments
 * is 1.5-4 % larger than one of MCU rows.
 *
 * Layers: a drawing's first layer (a refcard's device art), costly to draw and mostly flat
 * colour, can be kept as pixel runs in the same cache (splice_layer_keep); a job then copies it
 * into its touched segments only (splice_layer_lay) instead of drawing it.
 *
 * Where the same drawing recurs in the same rows (a card whose labels but one stay the same), the
 * caller describes what it draws in each band; a band described alike a second time is kept
 * encoded, and later images reuse its bytes without drawing or encoding it (the band cache, also
 * charged to the budget; a band seen once is not kept, so all-new images do not churn it).
 *
 * Pixels are cairo RGB24 (native-endian 32-bit words, X ignored). Settings match encode.c's
 * TurboJPEG ones (fast integer DCT below quality 96, no optimised Huffman tables), so a spliced
 * image decodes to the pixels of encode_jpeg's output. */
#ifndef CARTOUCHE_SPLICE_H
#define CARTOUCHE_SPLICE_H

#include <stddef.h>
#include <stdint.h>

#include "core/budget.h"
#include "core/encode.h"
#include "util/err.h"

/* A background: rows of an image (data, stride) or, when data is NULL, one colour. */
typedef struct {
    const unsigned char *data;
    int stride;
    uint32_t pixel;          /* cairo RGB24 pixel of the colour when data is NULL */
    int width, height;       /* pixels */
    unsigned long long tag;  /* identifies the pixels at this size (part of the base's key) */
} splice_bg;

/* Encoding parameters of an image. */
typedef struct {
    int width, height;
    int quality;             /* 1..100 */
    int subsamp444;          /* 4:4:4 (8x8 MCUs) instead of 4:2:0 (16x16) */
    int seg_mcus;            /* MCUs per restart segment; 0 (or one that does not divide a row of
                                whole MCUs): one MCU row */
} splice_fmt;

/* Rows [r0, r1) of MCUs. */
typedef struct {
    int r0, r1;
} splice_band;

/* Per-thread encoder: a reused libjpeg compressor and its buffers. */
typedef struct splice_encoder splice_encoder;

/* A background's encoded segments; refcounted, immutable once built. */
typedef struct splice_base splice_base;

/* The shared caches (bases and bands) of every worker's encoder, charged to b. */
typedef struct splice_store splice_store;
splice_store *splice_store_new(budget *b);
void splice_store_free(splice_store *st);

splice_encoder *splice_encoder_new(splice_store *st);
void splice_encoder_free(splice_encoder *enc);

int splice_mcu_size(int subsamp444); /* 16 or 8 pixels */
int splice_rows(const splice_fmt *f); /* MCU rows of the image (the last may be partial) */
int splice_segs_per_row(const splice_fmt *f); /* restart segments per MCU row (1 or more) */

/* The base for bg in format f: from the cache, else encoded now and cached (charged to the
 * memory budget). NULL (err set) when it cannot be made or the budget cannot hold it: the
 * caller encodes the whole frame instead. Release with splice_base_unref. */
splice_base *splice_base_get(splice_encoder *enc, const splice_bg *bg, const splice_fmt *f, err_t *err);
/* The base of tag in format f if the cache holds it, else NULL: a background that is costly to
 * draw is drawn only when its base must be made. *refused is set when splice_base_get would
 * refuse it anyway (the cache is off, or this background's segments are over its limit). */
splice_base *splice_base_find(splice_encoder *enc, unsigned long long tag, const splice_fmt *f, int *refused);
void splice_base_unref(splice_base *b);
size_t splice_base_bytes(const splice_base *b); /* size of the background's JPEG */

/* Touched segments: reset for format f, mark pixel rows [y0, y1) or pixels [x0, x1) x [y0, y1)
 * (clipped to the image) for every box drawn into, then the ascending, disjoint bands of MCU rows
 * holding touched segments (valid until the next reset). splice_touched: whether pixels
 * [x0, x1) x [y0, y1) meet a touched segment. splice_touched_runs: in MCU row `row`, from segment
 * `from` on, the pixels [*x0, *x1) of the next run of touched segments and the segment after it
 * (to continue from), or -1 when there is none. */
void splice_bands_reset(splice_encoder *enc, const splice_fmt *f);
void splice_touch(splice_encoder *enc, int y0, int y1);
void splice_touch_rect(splice_encoder *enc, int x0, int y0, int x1, int y1);
int splice_touched(const splice_encoder *enc, int x0, int y0, int x1, int y1);
int splice_touched_runs(const splice_encoder *enc, int row, int from, int *x0, int *x1);
int splice_bands_get(splice_encoder *enc, const splice_band **bands);

/* Lay bg into the band rows of a frame (data, stride) of bg's size. */
void splice_lay_rows(const splice_bg *bg, unsigned char *data, int stride, const splice_fmt *f,
                     const splice_band *bands, int n_bands);

/* What is drawn in the bands, for the band cache (optional; after splice_bands_get): the band
 * holding pixel row y (-1 if none), and one drawn part appended to a band's description (id and
 * text must decide, with the background's tag, every pixel the part draws; text NULL: the band
 * cannot be cached). Then splice_bands_lookup finds the bands already encoded (their count):
 * those need neither background nor drawing nor encoding. Only for segments of a whole row: a
 * background with narrower ones has no band cache. */
int splice_band_at(const splice_encoder *enc, int y);
void splice_band_describe(splice_encoder *enc, int band, int id, const char *text, size_t len);
int splice_bands_lookup(splice_encoder *enc, const splice_base *b);
int splice_band_cached(const splice_encoder *enc, int band);

/* Encode the touched segments of the bands not found in the band cache (of the frame data,
 * stride) in one pass (two with narrower segments and a partial last MCU row); keeps their
 * segments in enc. */
int splice_encode_bands(splice_encoder *enc, const unsigned char *data, int stride, err_t *err);
int splice_rows_encoded(const splice_encoder *enc); /* segments by the last splice_encode_bands */

/* Bytes of the spliced file for the last splice_encode_bands, and writing it to dst (which also
 * keeps bands described a second time in the band cache). */
size_t splice_size(const splice_encoder *enc, const splice_base *b);
void splice_write(splice_encoder *enc, const splice_base *b, unsigned char *dst);

/* Encode a whole frame with the base's settings (restart interval one MCU row, or f->seg_mcus):
 * what a splice must equal. Replaces o's contents. */
int splice_encode_full(splice_encoder *enc, const splice_fmt *f, const unsigned char *data,
                       int stride, outbuf *o, err_t *err);

/* ---- Splicing over a stored file (a baked map tile) ----
 * A JPEG is in *cell form* when its restart interval is a whole number of MCUs dividing its MCU
 * rows — each interval a cell of one MCU row's height — and its header has exactly the segments
 * splice_encode_cells writes for its size, quality and subsampling (quantisation and Huffman
 * tables, frame, restart interval, scan; APPn and COM may differ). Such a file is its own base:
 * a job decodes only the cells its drawing touches, draws, encodes those cells again and writes
 * the stored bytes with the new cells in their place. Decoding is libjpeg's accurate integer IDCT
 * with chroma replicated within each MCU (no fancy upsampling), so a cell decodes alone to the
 * pixels it has in the whole file decoded alike; the new cells are byte for byte those of a
 * whole encode in cell form of the composed frame (tests/unit/test_splice_tiles.c). */

/* A whole frame (data, stride) encoded in cell form, cell_mcus MCUs per restart interval (a
 * divisor of the MCUs across). Replaces o's contents. */
int splice_encode_cells(splice_encoder *enc, const splice_fmt *f, int cell_mcus, const unsigned char *data,
                        int stride, outbuf *o, err_t *err);
/* Whether the stored file (jpeg, len) is in cell form for f (1), else 0: the caller decodes and
 * encodes the whole image instead. On 1 the encoder holds the file (the caller keeps it alive
 * until splice_cells_write) with no cell touched. */
int splice_stored_open(splice_encoder *enc, const splice_fmt *f, const unsigned char *jpeg, size_t len);
/* Mark the cells meeting pixels [x0, x1) x [y0, y1) (clipped to the image) as touched. */
void splice_cells_touch(splice_encoder *enc, int x0, int y0, int x1, int y1);
void splice_cells_count(const splice_encoder *enc, int *cells, int *touched);
/* Decode the touched cells of the stored file into their places in a frame (data, stride) of
 * its size; the other pixels are left as they are. */
int splice_cells_decode(splice_encoder *enc, unsigned char *data, int stride, err_t *err);
/* Encode the touched cells of the frame (one libjpeg pass); then the spliced file's size, and
 * writing it: the stored file with those cells' bytes replaced. */
int splice_cells_encode(splice_encoder *enc, const unsigned char *data, int stride, err_t *err);
size_t splice_cells_size(const splice_encoder *enc);
void splice_cells_write(const splice_encoder *enc, unsigned char *dst);

/* A layer of width x height pixels kept as runs under tag: the cache's (a new reference), or
 * NULL. splice_layer_keep encodes one from pixels (data, stride) and keeps it, charged to the
 * budget (NULL: no room; the caller then draws the layer itself). splice_layer_lay copies its
 * pixels into the segments touched in enc (after splice_bands_reset and the touches) of a frame
 * of the layer's size. Release with splice_base_unref. */
typedef struct splice_base splice_layer;
splice_layer *splice_layer_find(splice_encoder *enc, unsigned long long tag, int width, int height);
splice_layer *splice_layer_keep(splice_encoder *enc, unsigned long long tag, const unsigned char *data,
                                int stride, int width, int height);
int splice_layer_lay(const splice_layer *l, splice_encoder *enc, unsigned char *data, int stride); /* -1: out of memory */

/* The cache of bases (and layers): its byte limit (default SPLICE_CACHE_DEFAULT_BYTES), dropping the bases
 * no job holds and none used in the last idle_seconds (under memory pressure), and all. */
#define SPLICE_CACHE_DEFAULT_BYTES ((size_t)8 << 20)
void splice_cache_set_limit(splice_store *st, size_t bytes);
void splice_cache_trim(splice_store *st, double idle_seconds);
void splice_cache_clear(splice_store *st);
size_t splice_cache_bytes(splice_store *st);
/* The band cache: its limit (default SPLICE_BANDS_DEFAULT_BYTES; 0 turns it off), bytes held. */
#define SPLICE_BANDS_DEFAULT_BYTES ((size_t)4 << 20)
void splice_bands_set_limit(splice_store *st, size_t bytes);
size_t splice_bands_bytes(splice_store *st);

#endif
