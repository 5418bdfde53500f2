/* tilestore.c — loading the layers (baked, and archives given with --layer), places and scene
 * catalogue into one store (the tiles catalog part); lazily placed labels (see tilestore.h). */
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

/* Label placements per zoom, owned by one store: computed by the first worker that needs one,
 * under the store's own lock (the only part of a loaded store that changes). */
struct tiles_label_cache {
    pthread_mutex_t lock;
    tiles_label_set sets[TILES_MAX_ZOOM + 1];
    int ready[TILES_MAX_ZOOM + 1];
};

int tiles_archive_spec(const char *spec, char name[64], const char **path_out, err_t *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || (size_t)(eq - spec) >= 64) {
        err_set(err, ERR_CONFIG, "layer", "--layer must be NAME=PATH, got '%.200s'", spec);
        return -1;
    }
    snprintf(name, 64, "%.*s", (int)(eq - spec), spec);
    const char *path = eq + 1;
    *path_out = path;
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
    return 0;
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

int tiles_store_open(tiles_store *s, const char *assets_dir, const char *const *archives,
                     size_t narchives, const char *scenes_dir, err_t *err)
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
    for (size_t i = 0; i < narchives; i++) {
        char name[64];
        const char *path;
        if (tiles_archive_spec(archives[i], name, &path, err) != 0)
            goto fail;
        const tiles_layer *dup = tiles_store_layer_in(s, name);
        if (dup) {
            err_set(err, ERR_CONFIG, "layer", dup->external ? "--layer %s given twice"
                                                            : "--layer %s: a baked layer has that name", name);
            goto fail;
        }
        tiles_layer *L = add_layer(s, &cap, err);
        if (!L || open_archive_layer(name, path, L, err) != 0)
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
    if (scenes_dir && scenes_dir[0]) {
        struct stat st;
        if (stat(scenes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            err_set(err, ERR_CONFIG, "scenes", "--scenes %.200s: not a folder", scenes_dir);
            goto fail;
        }
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
    if (!(s->labels = calloc(1, sizeof *s->labels))) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    pthread_mutex_init(&s->labels->lock, NULL);
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
    if (s->labels) {
        for (int z = 0; z <= TILES_MAX_ZOOM; z++)
            if (s->labels->ready[z])
                tiles_labels_free(&s->labels->sets[z]);
        pthread_mutex_destroy(&s->labels->lock);
        free(s->labels);
    }
    tiles_gazetteer_free(&s->places);
    tiles_catalogue_free(&s->catalogue);
    if (s->scenes)
        tiles_scene_index_close(s->scenes);
    free(s->scenes);
    memset(s, 0, sizeof *s);
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

const tiles_label_set *tiles_store_labels(const tiles_store *s, int z, text_fonts *tf, err_t *err)
{
    if (!s || !s->labels || z < 0 || z > TILES_MAX_ZOOM) {
        err_set(err, ERR_INTERNAL, NULL, "no places loaded for zoom %d", z);
        return NULL;
    }
    tiles_label_cache *c = s->labels;
    pthread_mutex_lock(&c->lock);
    const tiles_label_set *set = NULL;
    if (c->ready[z] || tiles_labels_place(&s->places, z, measure_text, tf, &c->sets[z], err) == 0) {
        c->ready[z] = 1;
        set = &c->sets[z];
    }
    pthread_mutex_unlock(&c->lock);
    return set;
}

tiles_store *tiles_store_load(const char *assets_dir, const char *const *archives, size_t narchives,
                              const char *scenes_dir, err_t *err)
{
    tiles_store *s = malloc(sizeof *s);
    if (!s) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (tiles_store_open(s, assets_dir, archives, narchives, scenes_dir, err) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void tiles_store_free(tiles_store *s)
{
    if (!s)
        return;
    tiles_store_close(s);
    free(s);
}

/* ---- the catalog part ---- */

static void *tiles_part_load(const config *cfg, err_t *err)
{
    const char *specs[CONFIG_MAX_LAYERS];
    for (int i = 0; i < cfg->n_layers; i++)
        specs[i] = cfg->layers[i];
    return tiles_store_load(cfg->assets_dir, specs, (size_t)cfg->n_layers, cfg->scenes_dir, err);
}

static void tiles_part_free(void *p)
{
    tiles_store_free(p);
}

const catalog_part_ops tiles_part_ops = {"tiles", tiles_part_load, tiles_part_free, NULL};
