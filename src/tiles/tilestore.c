/* tilestore.c — loading the layers (baked, and archives given with --layer), places and scene
 * catalogue; lazily placed labels (see tilestore.h). */
#include "tiles/tilestore.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tiles/codec.h"
#include "tiles/tilemath.h"
#include "tiles/tiles.h"
#include "tiles/timeutil.h"

static tiles_store g_store;
static int g_loaded;

/* Label placements per zoom; computed by the first worker that needs one. */
static pthread_mutex_t labels_lock = PTHREAD_MUTEX_INITIALIZER;
static tiles_label_set label_sets[TILES_MAX_ZOOM + 1];
static int label_ready[TILES_MAX_ZOOM + 1];

/* The --layer archives, set while the flags are read (one thread, before serving). */
#define MAX_ARCHIVE_LAYERS 32
static struct {
    char name[64];
    char path[1024];
} archive_layers[MAX_ARCHIVE_LAYERS];
static size_t narchive_layers;

int tiles_store_add_archive(const char *spec, err_t *err)
{
    const char *eq = strchr(spec, '=');
    char name[64];
    if (!eq || (size_t)(eq - spec) >= sizeof name) {
        err_set(err, ERR_CONFIG, "layer", "--layer must be NAME=PATH, got '%.200s'", spec);
        return -1;
    }
    snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
    const char *path = eq + 1;
    struct stat st;
    if (!tiles_layer_name_valid(name)) {
        err_set(err, ERR_CONFIG, "layer", "--layer %s: a name is 1-32 of a-z 0-9 _ -", name);
        return -1;
    }
    if (tiles_pack_kind_of(path) == TILES_ARCHIVE_NONE || strlen(path) >= 1024) {
        err_set(err, ERR_CONFIG, "layer", "--layer %s: '%.200s' is not a .mbtiles or .pmtiles file",
                name, path);
        return -1;
    }
    if (stat(path, &st) != 0) {
        err_set(err, ERR_CONFIG, "layer", "--layer %s: %.200s: %s", name, path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < narchive_layers; i++)
        if (!strcmp(archive_layers[i].name, name)) {
            err_set(err, ERR_CONFIG, "layer", "--layer %s given twice", name);
            return -1;
        }
    if (narchive_layers == MAX_ARCHIVE_LAYERS) {
        err_set(err, ERR_CONFIG, "layer", "at most %d --layer archives", MAX_ARCHIVE_LAYERS);
        return -1;
    }
    snprintf(archive_layers[narchive_layers].name, sizeof archive_layers[0].name, "%s", name);
    snprintf(archive_layers[narchive_layers].path, sizeof archive_layers[0].path, "%s", path);
    narchive_layers++;
    return 0;
}

static char scenes_dir[1024];

int tiles_store_set_scenes_dir(const char *dir, err_t *err)
{
    struct stat st;
    if (dir && (strlen(dir) >= sizeof scenes_dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        err_set(err, ERR_CONFIG, "scenes", "--scenes %.200s: not a folder", dir);
        return -1;
    }
    snprintf(scenes_dir, sizeof scenes_dir, "%s", dir ? dir : "");
    return 0;
}

void tiles_store_clear_archives(void)
{
    narchive_layers = 0;
}

/* Put an open archive in its slot [scale-1][format]. */
static int place_archive(tiles_layer *L, int si, tiles_pack *p, const char *path, err_t *err)
{
    int fi = p->info.format == TILES_TILE_PNG;
    int other = L->packs[si ? 0 : 1][0].kind ? 0 : L->packs[si ? 0 : 1][1].kind ? 1 : fi;
    if (other != fi) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s tiles, but the layer's other scale is %s", path,
                fi ? "PNG" : "JPEG", fi ? "JPEG" : "PNG");
        tiles_pack_close(p);
        return -1;
    }
    L->packs[si][fi] = *p;
    L->meta.has_alpha = fi; /* the stored format decides what is rendered from what */
    return 0;
}

/* A baked layer's archives: NAME.pmtiles (else NAME.mbtiles), and NAME@2x likewise. */
static int open_baked_archives(const char *dir, tiles_layer *L, err_t *err)
{
    for (int si = 0; si < 2; si++) {
        char path[2048];
        struct stat st;
        tiles_pack_path(dir, L->meta.name, si + 1, TILES_ARCHIVE_PMTILES, path, sizeof path);
        if (stat(path, &st) != 0)
            tiles_pack_path(dir, L->meta.name, si + 1, TILES_ARCHIVE_MBTILES, path, sizeof path);
        if (stat(path, &st) != 0) {
            tiles_pack_path(dir, L->meta.name, si + 1, TILES_ARCHIVE_PMTILES, path, sizeof path);
            err_set(err, ERR_CONFIG, NULL, "%s: missing (baked by an older cartouche? run "
                                           "`cartouche bake` / make assets)", path);
            return -1;
        }
        tiles_pack p;
        if (tiles_pack_open(&p, path, err) != 0 || place_archive(L, si, &p, path, err) != 0)
            return -1;
    }
    return 0;
}

/* A --layer archive as a layer: its own metadata is the layer's description. */
static int open_archive_layer(const char *name, const char *path, tiles_layer *L, err_t *err)
{
    tiles_pack p;
    struct stat st;
    if (tiles_pack_open(&p, path, err) != 0)
        return -1;
    if (fstat(p.fd, &st) != 0 && stat(path, &st) != 0)
        memset(&st, 0, sizeof st);
    tiles_layer_meta *m = &L->meta;
    const tiles_archive_info *in = &p.info;
    L->external = 1;
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->title, sizeof m->title, "%s",
             in->description[0] ? in->description : in->name[0] ? in->name : name);
    m->user = 1;
    snprintf(m->source, sizeof m->source, "%s", path);
    m->source_mtime = (long long)st.st_mtime;
    m->source_size = (long long)st.st_size;
    memcpy(m->bounds, in->bounds, sizeof m->bounds);
    if (m->bounds[0] == m->bounds[2] || m->bounds[1] >= m->bounds[3]) { /* none given */
        m->bounds[0] = -180;
        m->bounds[1] = -TILES_MAX_LAT;
        m->bounds[2] = 180;
        m->bounds[3] = TILES_MAX_LAT;
    }
    m->minzoom = in->minzoom;
    m->maxzoom = in->maxzoom;
    snprintf(m->attribution, sizeof m->attribution, "%s", in->attribution);
    tiles_time_format((double)st.st_mtime, m->datetime, sizeof m->datetime);
    tiles_layer_stamp_id(m);
    return place_archive(L, 0, &p, path, err);
}

static tiles_layer *add_layer(tiles_store *s, size_t *cap, err_t *err)
{
    if (s->nlayers == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        tiles_layer *nl = realloc(s->layers, nc * sizeof *nl);
        if (!nl) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            return NULL;
        }
        s->layers = nl;
        *cap = nc;
    }
    tiles_layer *L = &s->layers[s->nlayers++];
    memset(L, 0, sizeof *L);
    for (int si = 0; si < 2; si++)
        for (int fi = 0; fi < 2; fi++)
            L->packs[si][fi].fd = -1;
    return L;
}

const tiles_layer *tiles_store_layer_in(const tiles_store *s, const char *name)
{
    for (size_t i = 0; i < s->nlayers; i++)
        if (strcmp(s->layers[i].meta.name, name) == 0)
            return &s->layers[i];
    return NULL;
}

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
        tiles_layer *L = add_layer(s, &cap, err);
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
        if (!L || tiles_layer_read(path, &L->meta, err) != 0 ||
            open_baked_archives(s->dir, L, err) != 0 ||
            (L->meta.user && read_thumb(s->dir, L, err) != 0)) {
            closedir(d);
            goto fail;
        }
    }
    closedir(d);
    for (size_t i = 0; i < narchive_layers; i++) {
        const char *name = archive_layers[i].name;
        if (tiles_store_layer_in(s, name)) {
            err_set(err, ERR_CONFIG, "layer", "--layer %s: a baked layer has that name", name);
            goto fail;
        }
        tiles_layer *L = add_layer(s, &cap, err);
        if (!L || open_archive_layer(name, archive_layers[i].path, L, err) != 0)
            goto fail;
    }
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
    if (scenes_dir[0]) {
        s->scenes = calloc(1, sizeof *s->scenes);
        if (!s->scenes || tiles_scene_index_load(s->scenes, scenes_dir, NULL, err) != 0)
            goto fail;
        if (tiles_store_layer_in(s, s->scenes->meta.name)) {
            err_set(err, ERR_CONFIG, "scenes", "--scenes %s: a layer is named %s already",
                    scenes_dir, s->scenes->meta.name);
            goto fail;
        }
        if (tiles_catalogue_add_files(&s->catalogue, s->scenes, err) != 0)
            goto fail;
    }
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
                tiles_pack_close(&L->packs[si][fi]);
        free(L->thumb);
        tiles_layer_free(&L->meta);
    }
    free(s->layers);
    tiles_gazetteer_free(&s->places);
    tiles_catalogue_free(&s->catalogue);
    if (s->scenes)
        tiles_scene_index_close(s->scenes);
    free(s->scenes);
    memset(s, 0, sizeof *s);
}

const tiles_store *tiles_store_get(void)
{
    return g_loaded ? &g_store : NULL;
}

const tiles_layer *tiles_store_layer(const char *name)
{
    return g_loaded ? tiles_store_layer_in(&g_store, name) : NULL;
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
