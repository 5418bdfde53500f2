/* store.c — loading the baked layers, places and scene catalogue; lazily placed labels
 * (see store.h). */
#include "tiles/store.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/codec.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"

static tiles_store g_store;
static int g_loaded;

/* Label placements per zoom; computed by the first worker that needs one. */
static pthread_mutex_t labels_lock = PTHREAD_MUTEX_INITIALIZER;
static tiles_label_set label_sets[TILES_MAX_ZOOM + 1];
static int label_ready[TILES_MAX_ZOOM + 1];

static const int sizes[2] = {256, 512};
static const char *const exts[2] = {"jpg", "png"};

static int cmp_layer(const void *a, const void *b)
{
    const tiles_layer *x = a, *y = b;
    /* Built-in layers first, then user layers by name. */
    if (x->meta.user != y->meta.user)
        return x->meta.user - y->meta.user;
    return strcmp(x->meta.name, y->meta.name);
}

static int read_thumb(const char *dir, tiles_layer *L, err_t *err)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s.thumb.jpg", dir, L->meta.name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, ERR_CONFIG, NULL, "%s: missing (re-run cartouche bake)", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    L->thumb = n > 0 ? malloc((size_t)n) : NULL;
    if (!L->thumb || fread(L->thumb, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        err_set(err, ERR_CONFIG, NULL, "%s: unreadable", path);
        return -1;
    }
    fclose(f);
    L->thumb_len = (size_t)n;
    tiles_raster r;
    if (tiles_codec_decode_raster(L->thumb, L->thumb_len, &r, err) != 0)
        return -1;
    L->thumb_w = r.w;
    L->thumb_h = r.h;
    tiles_raster_free(&r);
    return 0;
}

int tiles_store_open(tiles_store *s, const char *assets_dir, err_t *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "%s/baked/tiles", assets_dir);
    DIR *d = opendir(s->dir);
    if (!d) {
        err_set(err, ERR_CONFIG, NULL, "%s: no baked tiles (run `cartouche bake` / make assets)",
                s->dir);
        return -1;
    }
    struct dirent *e;
    size_t cap = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 12 || strcmp(e->d_name + n - 11, ".layer.json") != 0)
            continue;
        if (s->nlayers == cap) {
            cap = cap ? cap * 2 : 4;
            tiles_layer *nl = realloc(s->layers, cap * sizeof *nl);
            if (!nl) {
                closedir(d);
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
                goto fail;
            }
            s->layers = nl;
        }
        tiles_layer *L = &s->layers[s->nlayers];
        memset(L, 0, sizeof *L);
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
        if (tiles_layer_read(path, &L->meta, err) != 0) {
            closedir(d);
            goto fail;
        }
        s->nlayers++;
        for (int si = 0; si < 2; si++)
            for (int fi = 0; fi < 2; fi++)
                L->packs[si][fi].fd = -1;
        for (int si = 0; si < 2; si++)
            for (int fi = 0; fi < 2; fi++) {
                tiles_layer_pack_path(s->dir, L->meta.name, sizes[si], exts[fi], path,
                                      sizeof path);
                if (tiles_pack_open(&L->packs[si][fi], path, err) != 0) {
                    closedir(d);
                    goto fail;
                }
            }
        if (L->meta.user && read_thumb(s->dir, L, err) != 0) {
            closedir(d);
            goto fail;
        }
    }
    closedir(d);
    if (s->nlayers == 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: no baked layers (run `cartouche bake`)", s->dir);
        goto fail;
    }
    qsort(s->layers, s->nlayers, sizeof *s->layers, cmp_layer);
    char path[2048];
    snprintf(path, sizeof path, "%s/places.bin", s->dir);
    if (tiles_gazetteer_load(path, &s->places, err) != 0)
        goto fail;
    const tiles_layer_meta **metas = malloc(sizeof *metas * s->nlayers);
    if (!metas) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < s->nlayers; i++)
        metas[i] = &s->layers[i].meta;
    int rc = tiles_catalogue_build(metas, s->nlayers, &s->catalogue, err);
    free(metas);
    if (rc != 0)
        goto fail;
    return 0;
fail:
    tiles_store_close(s);
    return -1;
}

void tiles_store_close(tiles_store *s)
{
    for (size_t i = 0; i < s->nlayers; i++) {
        tiles_layer *L = &s->layers[i];
        for (int si = 0; si < 2; si++)
            for (int fi = 0; fi < 2; fi++)
                if (L->packs[si][fi].fd >= 0)
                    tiles_pack_close(&L->packs[si][fi]);
        free(L->thumb);
        tiles_layer_free(&L->meta);
    }
    free(s->layers);
    tiles_gazetteer_free(&s->places);
    tiles_catalogue_free(&s->catalogue);
    memset(s, 0, sizeof *s);
}

const tiles_store *tiles_store_get(void)
{
    return g_loaded ? &g_store : NULL;
}

const tiles_layer *tiles_store_layer(const char *name)
{
    if (!g_loaded)
        return NULL;
    for (size_t i = 0; i < g_store.nlayers; i++)
        if (strcmp(g_store.layers[i].meta.name, name) == 0)
            return &g_store.layers[i];
    return NULL;
}

/* Place-label style shared by measurement and drawing (draw.c). */
void tiles_place_style(double size, int bold, text_style *st)
{
    memset(st, 0, sizeof *st);
    st->font = bold ? "sans-bold" : "sans";
    st->max_size = st->min_size = size;
    st->align = TEXT_ALIGN_CENTER;
    st->valign = TEXT_VALIGN_CENTER;
    st->color = (text_rgba){1, 1, 1, 1};
    st->halo = (text_rgba){0, 0, 0, 0.75};
    st->halo_width = 3.0;
}

static int measure_text(void *ctx, const char *utf8, double size, int bold, double *w, double *h)
{
    text_fonts *tf = ctx;
    text_style st;
    tiles_place_style(size, bold, &st);
    text_box box = {0, 0, 4000, 200};
    err_t err;
    text_layout *lo = text_layout_fit(tf, utf8, strlen(utf8), &st, box, &err);
    if (!lo)
        return -1;
    text_metrics m;
    text_layout_metrics(lo, &m);
    text_layout_free(lo);
    if (m.truncated || m.lines != 1)
        return -1;
    *w = m.ink.w;
    *h = m.ink.h;
    return 0;
}

const tiles_label_set *tiles_store_labels(int z, text_fonts *tf, err_t *err)
{
    if (!g_loaded || z < 0 || z > TILES_MAX_ZOOM) {
        err_set(err, ERR_INTERNAL, NULL, "no places loaded for zoom %d", z);
        return NULL;
    }
    pthread_mutex_lock(&labels_lock);
    const tiles_label_set *set = NULL;
    if (label_ready[z] ||
        tiles_labels_place(&g_store.places, z, measure_text, tf, &label_sets[z], err) == 0) {
        label_ready[z] = 1;
        set = &label_sets[z];
    }
    pthread_mutex_unlock(&labels_lock);
    return set;
}

int tiles_load(const char *assets_dir, err_t *err)
{
    if (g_loaded)
        tiles_unload();
    if (tiles_store_open(&g_store, assets_dir, err) != 0)
        return -1;
    g_loaded = 1;
    return 0;
}

void tiles_unload(void)
{
    if (!g_loaded)
        return;
    pthread_mutex_lock(&labels_lock);
    for (int z = 0; z <= TILES_MAX_ZOOM; z++) {
        if (label_ready[z])
            tiles_labels_free(&label_sets[z]);
        label_ready[z] = 0;
    }
    pthread_mutex_unlock(&labels_lock);
    tiles_store_close(&g_store);
    g_loaded = 0;
}
