/* render_bench — the W1 card without HTTP.
 *
 *   render_bench split N         one thread: ms per card, and the copy / draw / encode split
 *   render_bench bound T SECS [all]    the naive bound: T threads copying the whole background,
 *                                drawing the labels and encoding the whole frame (tjCompress2),
 *                                for SECS seconds, in cards/s
 *   render_bench spliced T SECS [all]  the same threads running the server's pipeline
 *                                (render_image + cards_draw: the touched rows encoded, spliced)
 *   render_bench splice N        one thread, W1 and W1-all: ms per card of the server's pipeline,
 *                                the spliced split (copy of the band rows / draw / encode of the
 *                                touched segments / splice) beside the naive one, and the share of
 *                                segments re-encoded
 *   render_bench refcard FILE..  per binding file: parse ms, and per device card the draw and
 *                                draw+JPEG-encode ms on one thread (1920x1080), alternating whole,
 *                                spliced in MCU rows with the art drawn whole (the form before
 *                                segments) and spliced as the server does (128-pixel segments,
 *                                the art copied from its kept runs), with the share encoded
 *   render_bench refcard-segments FILE..  the same, the segments form only and 400 times each
 *                                (to profile what the server does)
 *   render_bench tiles [N] [Z] [pipeline]  one thread: N labelled tiles of zoom Z (default 2000,
 *                                6) through the server's pipeline, and the whole tile step by step
 *                                (fetch, decode, copy, labels, encode); then the static map of
 *                                `make bench` ("pipeline": the tiles' pipeline only, to profile)
 *
 * Every card gets a distinct label 0 (" #seed"), as the W1 workload asks; with "all" (W1-all)
 * every one of the 64 labels carries it. Run from the repo root (it reads templates/, assets/ and
 * fonts/). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "cards/cards.h"
#include "refcards/card.h"
#include "refcards/cardset.h"
#include "refcards/usbids.h"
#include "refcards/devices.h"
#include "refcards/games/games.h"
#include "core/encode.h"
#include "core/etag.h"
#include "core/budget.h"
#include "core/render.h"
#include "core/splice.h"
#include "http/query.h"
#include "tiles/codec.h"
#include "tiles/draw.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"
#include "refcards/refdata.h"

static games_registry *GT; /* the game tables under test */
static devices_registry *DR; /* the device registry under test */
static usbids_table *UT; /* usb.ids names (NULL: none loaded) */
static refcards_data RD; /* the pieces above, as the refcards part holds them */

static template_set *set;
static const template *w1;
static const char *fonts = "fonts/fonts.json";
static metrics m;
static render_env env; /* the budget and splice caches of every render context here */

static int w1_all; /* every label carries the seed (W1-all) */

static template_job *make_job(long seed)
{
    template_job *j = calloc(1, sizeof *j);
    j->t = w1;
    j->text = calloc((size_t)w1->n_slots, sizeof *j->text);
    for (int i = 0; i < w1->n_slots; i++) {
        char buf[512];
        if (i == 0 || w1_all)
            snprintf(buf, sizeof buf, "%s #%ld", w1->slots[i].def, seed);
        else
            snprintf(buf, sizeof buf, "%s", w1->slots[i].def);
        j->text[i] = strdup(buf);
    }
    return j;
}

/* Seconds for n W1 cards (after 5 warm-up ones) through the server's own path on one thread:
 * render_image reuses the surface and re-encodes only what the cards' slots touch; -1 on error. */
static double pipeline_seconds(long n)
{
    err_t err = {0};
    render_ctx *rc = render_ctx_new(0, &env, &err);
    image_spec spec = {1920, 1080, 1, IMG_JPEG, 85, 0};
    double tp = 0;
    for (long i = 0; i < n + 5; i++) {
        template_job *j = make_job(i);
        blob *b = NULL;
        double t0 = budget_now();
        if (!rc || render_image(rc, &spec, cards_draw, j, budget_now() + 10, &b, &err) < 0) {
            fprintf(stderr, "render: %s\n", err.msg);
            cards_job_free(j);
            render_ctx_free(rc);
            return -1;
        }
        if (i >= 5)
            tp += budget_now() - t0;
        blob_unref(b);
        cards_job_free(j);
    }
    render_ctx_free(rc);
    return tp;
}

static int split(long n)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(fonts, &err);
    tjhandle tj = tjInitCompress();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1920, 1080);
    outbuf out = {0};
    double t_copy = 0, t_draw = 0, t_enc = 0;
    size_t bytes = 0;
    for (long i = 0; i < n + 5; i++) {
        template_job *j = make_job(i);
        double t0 = budget_now();
        cairo_t *cr = cairo_create(s);
        render_paint_background(NULL, cr, w1->bg);
        double t1 = budget_now();
        for (int k = 0; k < w1->n_slots; k++)
            if (text_draw(tf, cr, j->text[k], strlen(j->text[k]), &w1->slots[k].style, w1->slots[k].box,
                          NULL, &err) < 0) {
                fprintf(stderr, "draw: %s\n", err.msg);
                return 1;
            }
        cairo_destroy(cr);
        double t2 = budget_now();
        if (encode_jpeg(tj, s, 85, 0, &out, &err) < 0) {
            fprintf(stderr, "encode: %s\n", err.msg);
            return 1;
        }
        double t3 = budget_now();
        if (i >= 5) { /* warm-up excluded */
            t_copy += t1 - t0;
            t_draw += t2 - t1;
            t_enc += t3 - t2;
            bytes += out.len;
        }
        cards_job_free(j);
    }
    double tp = pipeline_seconds(n);
    if (tp < 0)
        return 1;
    double total = t_copy + t_draw + t_enc;
    printf("cards=%ld pipeline_ms_per_card=%.3f | split: total_ms=%.3f copy_ms=%.3f draw_ms=%.3f "
           "encode_ms=%.3f bytes=%zu\n", n, tp * 1e3 / n, total * 1e3 / n, t_copy * 1e3 / n,
           t_draw * 1e3 / n, t_enc * 1e3 / n, bytes / (size_t)n);
    cairo_surface_write_to_png(s, "build/bench-w1.png");
    outbuf_free(&out);
    cairo_surface_destroy(s);
    tjDestroy(tj);
    text_fonts_free(tf);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        d = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

typedef struct {
    const cardset_card *card;
    const cardset *cs;
    const binding_set *set;
    const binding **sel;
    size_t n;
    int page;
    card_stats stats;
    int splice; /* 0: whole; 1: spliced over the device's empty card in segments of one MCU row,
                   the art drawn whole (the form before segments); 2: as the server does now */
} refcard_arg;

static double draw_seconds; /* time spent in the timed draw functions below */

static int refcard_bench_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err);

/* The draw of a job timed apart from its encode (and splicing). */
static int refcard_timed_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    double t0 = budget_now();
    int rv = refcard_bench_draw(arg, rc, cr, err);
    draw_seconds += budget_now() - t0;
    return rv;
}

static int static_timed_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    double t0 = budget_now();
    int rv = tiles_draw_static_job(arg, rc, cr, err);
    draw_seconds += budget_now() - t0;
    return rv;
}

/* A labelled tile's draw (the stored tile read, the touched cells decoded, the labels drawn). */
static int tile_timed_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    double t0 = budget_now();
    int rv = tiles_draw_tile_job(arg, rc, cr, err);
    draw_seconds += budget_now() - t0;
    return rv;
}

static int refcard_bench_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    refcard_arg *a = arg;
    card_job cj = {.devices = DR, .usb = UT, .dev = a->card->dev, .items = a->sel, .n_items = a->n, .game = a->set->game,
                   .game_name = a->set->game_name, .profile = a->set->profile,
                   .device_name = a->card->dev ? NULL : a->card->name, .device_index = a->card->device_index,
                   .module = a->card->module, .page = a->page,
                   .stats = &a->stats, .rc = a->splice ? rc : NULL, .splice_seg = a->splice == 1 ? -1 : 0};
    return card_draw(cr, render_ctx_fonts(rc), &cj, err);
}

/* Parse time per file (the bundle of that one file), then draw and draw+JPEG per card and page,
 * on one thread, as the server's workers do. */
static int refcard(int nfiles, char **files, int only_segments)
{
    err_t err = {0};
    if (!(GT = games_load("templates/games", &err)) || !(DR = devices_load("templates", NULL, &err)) ||
        !(UT = usbids_load(NULL, "templates/usb/vendors.json", &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    RD = (refcards_data){.games = GT, .devices = DR, .usb = UT};
    render_ctx *rc = render_ctx_new(0, &env, &err);
    const int reps = only_segments ? 400 : 40;
    for (int f = 0; f < nfiles; f++) {
        size_t len;
        char *data = slurp(files[f], &len);
        binding_set set = {0};
        const char *base = strrchr(files[f], '/') ? strrchr(files[f], '/') + 1 : files[f];
        double t0 = budget_now();
        for (int i = 0; i < reps; i++) {
            bindings_free(&set);
            memset(&set, 0, sizeof set);
            if (!data || games_parse_named(GT, NULL, base, data, len, &set, &err) < 0) {
                fprintf(stderr, "%s: %s\n", files[f], err.msg);
                return 1;
            }
        }
        printf("%s (%s, %zu KB): %zu bindings, %zu warnings, parse %.3f ms\n", base, set.game,
               len / 1024, set.n, set.n_warnings, (budget_now() - t0) * 1e3 / reps);
        cardset cs;
        if (cardset_build(RD.devices, RD.usb, &set, &cs, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        const binding **sel = calloc(set.n ? set.n : 1, sizeof *sel);
        const char *only = getenv("REFCARD_ONLY"); /* one card's slug: for a profile of it */
        for (size_t c = 0; c < cs.n; c++) {
            if (only && strcmp(only, cs.cards[c].slug) != 0)
                continue;
            refcard_arg a = {&cs.cards[c], &cs, &set, sel, cardset_select(&set, &cs.cards[c], sel), 1, {0}, 0};
            for (int page = 1; page <= (a.stats.pages ? a.stats.pages : 1); page++) {
                a.page = page;
                /* One whole draw for the card's stats (a spliced draw counts only its rows). */
                cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1920, 1080);
                cairo_t *cr = cairo_create(s);
                refcard_bench_draw(&a, rc, cr, &err);
                cairo_destroy(cr);
                cairo_surface_destroy(s);
                card_stats whole = a.stats;
                image_spec spec = {1920, 1080, 1, IMG_JPEG, 85, 0};
                /* Whole, rows and segments alternate, so that a shared machine's load weighs on all. */
                double ms[3] = {0}, draw[3] = {0};
                int segs[3] = {0}, encoded[3] = {0};
                size_t bytes[3] = {0};
                unsigned long long digest[3] = {0}; /* of each form's file: a change to the drawing shows */
                size_t kept0 = splice_cache_bytes(env.splices);
                for (int i = 0; i < reps; i++)
                    for (int sp = only_segments ? 2 : 0; sp < 3; sp++) {
                        a.splice = sp;
                        double t2 = budget_now();
                        draw_seconds = 0;
                        blob *b = NULL;
                        if (render_image(rc, &spec, refcard_timed_draw, &a, budget_now() + 10, &b, &err) < 0) {
                            fprintf(stderr, "%s\n", err.msg);
                            return 1;
                        }
                        ms[sp] += (budget_now() - t2) * 1e3 / reps; /* the digest is not timed */
                        bytes[sp] = b->len;
                        digest[sp] = etag_hash(ETAG_SEED, b->data, b->len);
                        blob_unref(b);
                        draw[sp] += draw_seconds * 1e3 / reps;
                        render_ctx_spliced(rc, &segs[sp], &encoded[sp]);
                    }
                a.splice = 0;
                a.stats = whole;
                printf("  %-34.34s p%d %3zu bindings: whole %.2f ms (draw %.2f) | rows %.2f ms (draw %.2f, "
                       "encode+splice %.2f; %d/%d rows) | segments %.2f ms (draw %.2f, encode+splice %.2f; "
                       "%d/%d segments), min text %.1f px, newly kept %zu KB, bytes %zu / %zu / %zu, "
                       "digest %016llx / %016llx / %016llx\n",
                       cs.cards[c].slug, page, a.n, ms[0], draw[0], ms[1], draw[1], ms[1] - draw[1], encoded[1],
                       segs[1], ms[2], draw[2], ms[2] - draw[2], encoded[2], segs[2], a.stats.min_font_px,
                       (splice_cache_bytes(env.splices) - kept0) / 1024, bytes[0], bytes[1], bytes[2],
                       digest[0], digest[1], digest[2]);
            }
        }
        free(sel);
        cardset_free(&cs);
        bindings_free(&set);
        free(data);
    }
    render_ctx_free(rc);
    usbids_free(UT);
    devices_registry_free(DR);
    games_free(GT);
    return 0;
}

/* The naive card: the whole background copied, every label drawn (render_image then encodes
 * the whole frame with tjCompress2, as no background was declared). */
static int naive_draw(void *arg, render_ctx *rc, cairo_t *cr, err_t *err)
{
    template_job *j = arg;
    render_paint_background(NULL, cr, w1->bg);
    for (int k = 0; k < w1->n_slots; k++)
        if (text_draw(render_ctx_fonts(rc), cr, j->text[k], strlen(j->text[k]), &w1->slots[k].style,
                      w1->slots[k].box, NULL, err) < 0)
            return -1;
    return 0;
}

/* One thread, one variant (W1 or W1-all): the server's pipeline end to end, the spliced split
 * step by step, and the naive split. */
static int splice_split(long n)
{
    err_t err = {0};
    text_fonts *tf = text_fonts_new(fonts, &err);
    tjhandle tj = tjInitCompress();
    splice_encoder *enc = splice_encoder_new(env.splices);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1920, 1080);
    outbuf out = {0};
    splice_fmt f = {1920, 1080, 85, 0, 0};
    cairo_surface_flush(w1->bg);
    splice_bg bg = {cairo_image_surface_get_data(w1->bg), cairo_image_surface_get_stride(w1->bg), 0,
                    1920, 1080, template_tag(w1, 1)};
    splice_base *base = splice_base_get(enc, &bg, &f, &err);
    if (!base) {
        fprintf(stderr, "base: %s\n", err.msg);
        return 1;
    }
    unsigned char *file = malloc(4 << 20);
    double t_copy = 0, t_draw = 0, t_enc = 0, t_splice = 0, n_copy = 0, n_draw = 0, n_enc = 0;
    size_t bytes = 0, naive_bytes = 0;
    int rows = 0;
    for (long i = 0; i < n + 5; i++) {
        template_job *j = make_job(i);
        /* spliced, step by step */
        double t0 = budget_now();
        splice_bands_reset(enc, &f);
        for (int k = 0; k < w1->n_slots; k++)
            splice_touch(enc, (int)w1->slots[k].box.y, (int)(w1->slots[k].box.y + w1->slots[k].box.h + 0.999));
        const splice_band *bands;
        int nb = splice_bands_get(enc, &bands);
        /* As render.c: each label described in its band; bands drawn alike before come encoded. */
        for (int k = 0; k < w1->n_slots; k++)
            splice_band_describe(enc, splice_band_at(enc, (int)w1->slots[k].box.y), k, j->text[k],
                                 strlen(j->text[k]));
        splice_bands_lookup(enc, base);
        cairo_surface_flush(s);
        for (int b = 0; b < nb; b++)
            if (!splice_band_cached(enc, b))
                splice_lay_rows(&bg, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s), &f,
                                &bands[b], 1);
        cairo_surface_mark_dirty(s);
        double t1 = budget_now();
        cairo_t *cr = cairo_create(s);
        for (int k = 0; k < w1->n_slots; k++)
            if (!splice_band_cached(enc, splice_band_at(enc, (int)w1->slots[k].box.y)) &&
                text_draw(tf, cr, j->text[k], strlen(j->text[k]), &w1->slots[k].style, w1->slots[k].box,
                          NULL, &err) < 0) {
                fprintf(stderr, "draw: %s\n", err.msg);
                return 1;
            }
        cairo_destroy(cr);
        cairo_surface_flush(s);
        double t2 = budget_now();
        if (splice_encode_bands(enc, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s),
                                &err) < 0) {
            fprintf(stderr, "encode: %s\n", err.msg);
            return 1;
        }
        double t3 = budget_now();
        size_t len = splice_size(enc, base);
        splice_write(enc, base, file);
        double t4 = budget_now();
        /* naive */
        cr = cairo_create(s);
        render_paint_background(NULL, cr, w1->bg);
        double t5 = budget_now();
        for (int k = 0; k < w1->n_slots; k++)
            text_draw(tf, cr, j->text[k], strlen(j->text[k]), &w1->slots[k].style, w1->slots[k].box, NULL, &err);
        cairo_destroy(cr);
        double t6 = budget_now();
        encode_jpeg(tj, s, 85, 0, &out, &err);
        double t7 = budget_now();
        if (i >= 5) {
            t_copy += t1 - t0, t_draw += t2 - t1, t_enc += t3 - t2, t_splice += t4 - t3;
            n_copy += t5 - t4, n_draw += t6 - t5, n_enc += t7 - t6;
            bytes += len;
            naive_bytes += out.len;
            rows = 0;
            for (int b = 0; b < nb; b++)
                rows += splice_band_cached(enc, b) ? 0 : bands[b].r1 - bands[b].r0;
        }
        cards_job_free(j);
    }
    double tp = pipeline_seconds(n);
    if (tp < 0)
        return 1;
    int all_rows = splice_rows(&f);
    printf("%s: cards=%ld pipeline_ms_per_card=%.3f | spliced: total_ms=%.3f copy_ms=%.3f draw_ms=%.3f "
           "encode_ms=%.3f splice_ms=%.3f re-encoded=%d/%d segments (%.1f %%) bytes=%zu | naive: total_ms=%.3f "
           "copy_ms=%.3f draw_ms=%.3f encode_ms=%.3f bytes=%zu\n",
           w1_all ? "W1-all" : "W1", n, tp * 1e3 / n, (t_copy + t_draw + t_enc + t_splice) * 1e3 / n,
           t_copy * 1e3 / n, t_draw * 1e3 / n, t_enc * 1e3 / n, t_splice * 1e3 / n, rows, all_rows,
           100.0 * rows / all_rows, bytes / (size_t)n, (n_copy + n_draw + n_enc) * 1e3 / n,
           n_copy * 1e3 / n, n_draw * 1e3 / n, n_enc * 1e3 / n, naive_bytes / (size_t)n);
    free(file);
    splice_base_unref(base);
    splice_encoder_free(enc);
    outbuf_free(&out);
    cairo_surface_destroy(s);
    tjDestroy(tj);
    text_fonts_free(tf);
    return 0;
}

static double stop_at;
static draw_fn bound_draw;
static long done_total;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *bound_worker(void *arg)
{
    err_t err = {0};
    render_ctx *rc = render_ctx_new((int)(long)arg, &env, &err);
    if (!rc) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    image_spec spec = {1920, 1080, 1, IMG_JPEG, 85, 0};
    long n = 0, seed = (long)arg * 100000000L;
    while (budget_now() < stop_at) {
        template_job *j = make_job(seed++);
        blob *b = NULL;
        if (render_image(rc, &spec, bound_draw, j, budget_now() + 10, &b, &err) < 0) {
            fprintf(stderr, "render: %s\n", err.msg);
            exit(1);
        }
        blob_unref(b);
        cards_job_free(j);
        n++;
    }
    render_ctx_free(rc);
    pthread_mutex_lock(&mu);
    done_total += n;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static int bound(int threads, double secs)
{
    pthread_t th[64];
    double t0 = budget_now();
    stop_at = t0 + secs;
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, bound_worker, (void *)(long)i);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double el = budget_now() - t0;
    printf("%s%s threads=%d cards=%ld seconds=%.2f cards_per_s=%.1f\n",
           bound_draw == naive_draw ? "naive" : "spliced", w1_all ? " W1-all" : " W1", threads,
           done_total, el, done_total / el);
    return 0;
}

/* ---- labelled tiles and static maps ---- */

/* One thread: labelled tiles of zoom z walked as the HTTP bench walks them (every tile with each
 * label option), through the server's pipeline (render_image + tiles_draw_tile_job), and the
 * split step by step: tile fetch from the archive, decode, copy, labels (graticule, places),
 * JPEG encode of the whole tile. Then the static map of the HTTP bench (1024x768, 20 labels, a
 * marker) through the pipeline and split alike (its 20 tiles fetched and decoded, painted, the
 * labels and marker, the encode). */
static int tiles_split(int z, long n, int pipeline_only)
{
    err_t err = {0};
    tiles_store *store = tiles_store_load("assets", NULL, 0, NULL, &err);
    if (!store) {
        fprintf(stderr, "tiles: %s\n", err.msg);
        return 1;
    }
    const tiles_layer *L = tiles_store_layer_in(store, "bluemarble");
    render_ctx *rc = render_ctx_new(0, &env, &err);
    text_fonts *tf = text_fonts_new(fonts, &err);
    tjhandle tj = tjInitCompress();
    if (!L || !rc || !tf || !tj) {
        fprintf(stderr, "tiles: %s\n", err.msg);
        return 1;
    }
    const int side = 1 << z, total = 3 * side * side;
    image_spec spec = {TILES_TILE_SIZE, TILES_TILE_SIZE, 1, IMG_JPEG, 85, 0};
    double t_pipe = 0, t_fetch = 0, t_dec = 0, t_copy = 0, t_lab = 0, t_enc = 0;
    long n_cells = 0, n_touched = 0, n_spliced = 0;
    double t_draw = 0;
    draw_seconds = 0;
    size_t bytes = 0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, TILES_TILE_SIZE, TILES_TILE_SIZE);
    outbuf out = {0};
    tiles_label_set const *labels = tiles_store_labels(store, z, tf, &err);
    for (long i = 0; i < n && labels; i++) {
        long k = (i * 7919) % total, t = k % (side * side);
        int opt = (int)(k / (side * side)); /* places, graticule, both */
        tiles_tile_job j = {L, store, NULL, z, (int)(t % side), (int)(t / side), 1, opt != 1, opt != 0};
        blob *b = NULL;
        double t0 = budget_now(), d0 = draw_seconds;
        if (render_image(rc, &spec, tile_timed_draw, &j, budget_now() + 10, &b, &err) < 0) {
            fprintf(stderr, "tile: %s\n", err.msg);
            return 1;
        }
        t_pipe += budget_now() - t0;
        t_draw += draw_seconds - d0;
        bytes += b->len;
        blob_unref(b);
        int cells, touched;
        render_ctx_spliced(rc, &cells, &touched);
        n_cells += cells, n_touched += touched, n_spliced += cells > 0;
        if (pipeline_only)
            continue;
        /* The same tile step by step. */
        unsigned char *d;
        size_t len;
        double t1 = budget_now();
        if (tiles_pack_read(&L->packs[0][0], z, j.x, j.y, &d, &len, &err) != 0) {
            fprintf(stderr, "tile read: %s\n", err.msg);
            return 1;
        }
        double t2 = budget_now();
        cairo_surface_t *bg = tiles_codec_decode_surface(d, len, &err);
        free(d);
        double t3 = budget_now();
        cairo_t *cr = cairo_create(s);
        render_paint_background(NULL, cr, bg);
        cairo_surface_destroy(bg);
        double t4 = budget_now();
        double ox = (double)j.x * TILES_TILE_SIZE, oy = (double)j.y * TILES_TILE_SIZE;
        if (j.graticule)
            tiles_draw_graticule(cr, tf, z, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE);
        if (j.places)
            tiles_draw_places(cr, tf, labels, ox, oy, TILES_TILE_SIZE, TILES_TILE_SIZE, 0, NULL, 0, &err);
        cairo_destroy(cr);
        double t5 = budget_now();
        encode_jpeg(tj, s, 85, 0, &out, &err);
        double t6 = budget_now();
        t_fetch += t2 - t1, t_dec += t3 - t2, t_copy += t4 - t3, t_lab += t5 - t4, t_enc += t6 - t5;
    }
    printf("tile z%d labelled, %ld tiles: pipeline_ms=%.3f (draw_ms=%.3f: fetch, touched cells decoded, labels; "
           "encode+splice_ms=%.3f; spliced %ld, cells encoded %.1f %%) | whole, step by step: fetch_ms=%.3f "
           "decode_ms=%.3f copy_ms=%.3f labels_ms=%.3f encode_ms=%.3f total_ms=%.3f bytes=%zu\n",
           z, n, t_pipe * 1e3 / n, t_draw * 1e3 / n, (t_pipe - t_draw) * 1e3 / n, n_spliced,
           n_cells ? 100.0 * n_touched / n_cells : 0.0, t_fetch * 1e3 / n,
           t_dec * 1e3 / n, t_copy * 1e3 / n, t_lab * 1e3 / n, t_enc * 1e3 / n,
           (t_fetch + t_dec + t_copy + t_lab + t_enc) * 1e3 / n, bytes / (size_t)n);
    cairo_surface_destroy(s);
    if (pipeline_only)
        n = 0; /* (for profiling the tile pipeline alone) */

    /* The static map of the HTTP bench, each with its own marker text: as before (drawn whole on
     * a surface of our own, where nothing is spliced, then tjCompress2) and as the server does it
     * now (render_image: spliced over the view's cached tiles). */
    long ns = n == 0 ? 0 : n / 20 > 20 ? n / 20 : 20;
    double s_pipe = 0, w_draw = 0, w_enc = 0, s_draw = 0;
    cairo_surface_t *ws = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1024, 768);
    size_t s_bytes = 0;
    int s_rows = 0, s_enc = 0;
    for (long i = 0; ns && i < ns + 2; i++) {
        char raw[2048];
        int at = snprintf(raw, sizeof raw, "center=48.8,2.3&zoom=4&size=1024x768");
        for (int k = 1; k <= 20; k++)
            at += snprintf(raw + at, sizeof raw - (size_t)at, "&label=%d,%d,Label%%20%d", 30 + k, k * 3 - 20, k);
        snprintf(raw + at, sizeof raw - (size_t)at, "&marker=0,0,%ld", 100000000 + i);
        query q;
        tiles_static_job *sj = calloc(1, sizeof *sj);
        if (query_parse(raw, &q, 512, &err) != 0 || tiles_static_parse(&q, &sj->req, &err) != 0) {
            fprintf(stderr, "static: %s\n", err.msg);
            return 1;
        }
        query_free(&q);
        sj->layer = L;
        sj->store = store;
        image_spec ss = {sj->req.width, sj->req.height, sj->req.scale, IMG_JPEG, 85, 0};
        blob *b = NULL;
        draw_seconds = 0;
        double t0 = budget_now();
        if (render_image(rc, &ss, static_timed_draw, sj, budget_now() + 10, &b, &err) < 0) {
            fprintf(stderr, "static: %s\n", err.msg);
            return 1;
        }
        render_ctx_drop_kept(rc); /* as before: every tile decoded */
        double t1 = budget_now();
        cairo_t *cr = cairo_create(ws);
        tiles_draw_static_job(sj, rc, cr, &err);
        cairo_destroy(cr);
        double t2 = budget_now();
        encode_jpeg(tj, ws, 85, 0, &out, &err);
        double t3 = budget_now();
        if (i >= 2) {
            w_draw += t2 - t1, w_enc += t3 - t2, s_draw += draw_seconds;
            s_pipe += t1 - t0;
            s_bytes += b->len;
            render_ctx_spliced(rc, &s_rows, &s_enc);
        }
        blob_unref(b);
        tiles_static_job_free(sj);
    }
    if (ns)
        printf("static 1024x768 20 labels, %ld maps: whole draw_ms=%.3f encode_ms=%.3f total_ms=%.3f | spliced "
           "pipeline_ms=%.3f (draw_ms=%.3f encode+splice_ms=%.3f) bytes=%zu rows_encoded=%d/%d\n", ns,
           w_draw * 1e3 / ns, w_enc * 1e3 / ns, (w_draw + w_enc) * 1e3 / ns, s_pipe * 1e3 / ns, s_draw * 1e3 / ns,
           (s_pipe - s_draw) * 1e3 / ns, s_bytes / (size_t)ns, s_enc, s_rows);
    cairo_surface_destroy(ws);
    outbuf_free(&out);
    tjDestroy(tj);
    text_fonts_free(tf);
    render_ctx_free(rc);
    tiles_store_free(store);
    return 0;
}

int main(int argc, char **argv)
{
    err_t err = {0};
    budget *bud = budget_new((size_t)1 << 30, &m);
    env = (render_env){fonts, bud, bud ? splice_store_new(bud) : NULL};
    if (!env.splices) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    text_fonts *tf = text_fonts_new(fonts, &err);
    if (!tf) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    set = template_set_load("templates", "assets", tf, &err);
    text_fonts_free(tf);
    if (!set || !(w1 = template_set_find(set, "w1"))) {
        fprintf(stderr, "templates: %s\n", err.msg);
        return 1;
    }
    int rc;
    w1_all = argc >= 5 && strcmp(argv[4], "all") == 0;
    if (argc >= 2 && strcmp(argv[1], "split") == 0)
        rc = split(argc > 2 ? atol(argv[2]) : 200);
    else if (argc >= 3 && strcmp(argv[1], "refcard") == 0)
        rc = refcard(argc - 2, argv + 2, 0);
    else if (argc >= 3 && strcmp(argv[1], "refcard-segments") == 0)
        rc = refcard(argc - 2, argv + 2, 1);
    else if (argc >= 2 && (strcmp(argv[1], "bound") == 0 || strcmp(argv[1], "spliced") == 0)) {
        bound_draw = strcmp(argv[1], "bound") == 0 ? naive_draw : cards_draw;
        rc = bound(argc > 2 ? atoi(argv[2]) : 2, argc > 3 ? atof(argv[3]) : 10);
    } else if (argc >= 2 && strcmp(argv[1], "splice") == 0) {
        long n = argc > 2 ? atol(argv[2]) : 200;
        rc = splice_split(n);
        w1_all = 1;
        rc |= splice_split(n);
    } else if (argc >= 2 && strcmp(argv[1], "tiles") == 0) {
        rc = tiles_split(argc > 3 ? atoi(argv[3]) : 6, argc > 2 ? atol(argv[2]) : 2000,
                         argc > 4 && !strcmp(argv[4], "pipeline"));
    } else {
        fprintf(stderr, "usage: render_bench split [N] | bound|spliced [THREADS] [SECONDS] [all] | "
                        "splice [N] | refcard|refcard-segments FILE... | tiles [N] [Z]\n");
        rc = 2;
    }
    template_set_unref(set);
    return rc;
}
