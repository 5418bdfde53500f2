/* scenebake.c — `cartouche scenes index DIR`: a folder of raster files catalogued as STAC
 * scenes for --scenes (the index's format and its loading are src/tiles/sceneindex.c).
 *
 * Each file GDAL opens is read once: its footprint, grid, bands and time (rasterinfo.c), a
 * sidecar STAC Item next to it, and a preview of its pixels on its own grid (georaster.c, with
 * the bake's stretch for deep data); an entry whose file, sidecar and preview did not change is
 * kept as it was. Files GDAL cannot use are skipped with the reason logged. */
#include "bake/scenebake.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bake/rasterinfo.h"
#include "tiles/codec.h"
#include "tiles/georaster.h"
#include "tiles/sceneindex.h"
#include "tiles/timeutil.h"
#include "util/log.h"

#define MAX_DEPTH 3
#define RASTER_EXT "https://stac-extensions.github.io/raster/v1.1.0/schema.json"
#define PROJ_EXT "https://stac-extensions.github.io/projection/v1.0.0/schema.json"

/* Files that only come with a raster: never indexed on their own. */
static const char *const sidecar_exts[] = {
    ".json", ".xml", ".prj", ".wld", ".tfw", ".tifw", ".pgw", ".pngw", ".jgw", ".jpgw", ".j2w",
    ".ovr", ".msk", ".txt", ".md", ".imd", ".rpb", ".til", ".xml~",
};

/* Properties the index sets itself; a sidecar's values of these are not copied. */
static int reserved_property(const char *k)
{
    return !strcmp(k, "datetime") || !strcmp(k, "start_datetime") ||
           !strcmp(k, "end_datetime") || !strncmp(k, "cartouche:", 10) ||
           !strncmp(k, "proj:", 5) || !strcmp(k, "raster:bands");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

static unsigned long long fnv64(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* ---- finding the files ---------------------------------------------------------------------- */

typedef struct {
    char **rel; /* paths relative to the folder */
    size_t n, cap;
} file_list;

static int list_add(file_list *l, const char *rel)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **nr = realloc(l->rel, nc * sizeof *nr);
        if (!nr)
            return -1;
        l->rel = nr;
        l->cap = nc;
    }
    return (l->rel[l->n] = strdup(rel)) ? (int)(l->n++ * 0) : -1;
}

static void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->rel[i]);
    free(l->rel);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *root, const char *rel, int depth, file_list *out)
{
    char path[2048];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return depth == 0 ? -1 : 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, and the index itself */
        char sub[1024], full[3072];
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >=
            (int)sizeof sub)
            continue;
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < MAX_DEPTH)
                walk(root, sub, depth + 1, out);
            continue;
        }
        int skip = !S_ISREG(st.st_mode);
        for (size_t i = 0; !skip && i < sizeof sidecar_exts / sizeof sidecar_exts[0]; i++)
            skip = ends_with(e->d_name, sidecar_exts[i]);
        if (!skip && list_add(out, sub) != 0)
            break;
    }
    closedir(d);
    return 0;
}

/* ---- one file ------------------------------------------------------------------------------- */

/* The sidecar STAC Item of rel: "a.json" for "a.tif", else "a.tif.json". */
static int find_sidecar(const char *dir, const char *rel, char *out, size_t cap, struct stat *st)
{
    char stem[1024];
    snprintf(stem, sizeof stem, "%s", rel);
    char *dot = strrchr(stem, '.'), *slash = strrchr(stem, '/');
    if (dot && (!slash || dot > slash)) {
        *dot = 0;
        snprintf(out, cap, "%s/%s.json", dir, stem);
        if (stat(out, st) == 0 && S_ISREG(st->st_mode))
            return 0;
    }
    snprintf(out, cap, "%s/%s.json", dir, rel);
    return stat(out, st) == 0 && S_ISREG(st->st_mode) ? 0 : -1;
}

/* rel without its extension, '/' as '.', other characters outside [A-Za-z0-9._-] as '_'. */
static void id_from_path(const char *rel, char *out, size_t cap)
{
    size_t k = 0;
    const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
    const char *end = dot && (!slash || dot > slash) && dot > rel ? dot : rel + strlen(rel);
    for (const char *p = rel; p < end && k + 1 < cap && k < 80; p++) {
        char c = *p;
        out[k++] = c == '/' ? '.' : ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
                                        ? c
                                        : '_';
    }
    out[k] = 0;
    if (!tiles_scene_id_valid(out))
        snprintf(out, cap, "scene-%016llx", fnv64(rel));
}

static int canonical_time(const char *s, char *out, size_t cap)
{
    double t;
    if (!s || tiles_time_parse(s, &t) != 0)
        return -1;
    tiles_time_format(t, out, cap);
    return 0;
}

/* STAC's common metadata fields have a type; a sidecar's value of another type would make every
 * Item of the scene invalid, so it is left out. */
static int common_metadata_ok(const char *k, const json_t *v)
{
    static const char *const strings[] = {"title", "description", "platform", "constellation",
                                          "mission", "license"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!strcmp(k, strings[i]))
            return json_is_string(v);
    if (!strcmp(k, "created") || !strcmp(k, "updated")) {
        double t;
        return json_is_string(v) && tiles_time_parse(json_string_value(v), &t) == 0;
    }
    if (!strcmp(k, "gsd"))
        return json_is_number(v) && json_number_value(v) > 0;
    if (!strcmp(k, "eo:cloud_cover"))
        return json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 100;
    if (!strcmp(k, "instruments")) {
        size_t i;
        json_t *x;
        if (!json_is_array(v))
            return 0;
        json_array_foreach(v, i, x) if (!json_is_string(x)) return 0;
    }
    return 1;
}

/* What a sidecar STAC Item gives: its id, times, other properties and extensions. A sidecar
 * that is not an Item is skipped with a warning (the file is still indexed). */
static void apply_sidecar(const char *path, json_t *props, json_t *exts,
                          char *id, size_t idcap, int *has_time)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    json_t *p = json_object_get(doc, "properties");
    if (!json_is_object(doc) || !json_is_object(p)) {
        log_msg("warn", "scenes: %s: not a STAC Item (%s); ignored", path,
                doc ? "no properties object" : je.text);
        json_decref(doc);
        return;
    }
    const char *sid = json_string_value(json_object_get(doc, "id"));
    if (sid && tiles_scene_id_valid(sid))
        snprintf(id, idcap, "%s", sid);
    char dt[40], t0[40], t1[40];
    int has_dt = canonical_time(json_string_value(json_object_get(p, "datetime")), dt, sizeof dt) == 0;
    int has_span =
        canonical_time(json_string_value(json_object_get(p, "start_datetime")), t0, sizeof t0) == 0 &&
        canonical_time(json_string_value(json_object_get(p, "end_datetime")), t1, sizeof t1) == 0;
    if (has_span) {
        json_object_set_new(props, "start_datetime", json_string(t0));
        json_object_set_new(props, "end_datetime", json_string(t1));
    }
    if (has_dt || has_span) {
        json_object_set_new(props, "datetime", json_string(has_dt ? dt : t0));
        json_object_set_new(props, "cartouche:datetime_source", json_string("sidecar"));
        *has_time = 1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v)
    {
        if (reserved_property(k))
            continue;
        if (!common_metadata_ok(k, v)) {
            log_msg("warn", "scenes: %s: property %s is not what STAC says it is; left out", path,
                    k);
            continue;
        }
        json_object_set(props, k, v);
    }
    json_t *se = json_object_get(doc, "stac_extensions");
    size_t i;
    json_array_foreach(se, i, v)
    {
        size_t j;
        json_t *w;
        int have = 0;
        json_array_foreach(exts, j, w) have |= json_equal(v, w);
        if (json_is_string(v) && !have)
            json_array_append(exts, v);
    }
    json_decref(doc);
}

static int write_file(const char *path, const void *data, size_t len)
{
    char tmp[2100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The preview: the file's pixels on its own grid, at most TILES_SCENE_PREVIEW a side. */
static int make_preview(const char *path, const char *out_png, json_t *entry, json_t *props,
                        err_t *err)
{
    tiles_georaster *g = tiles_georaster_open(&path, 1, err);
    if (!g)
        return -1;
    tiles_raster r = {0};
    int rc = tiles_georaster_overview(g, TILES_SCENE_PREVIEW, &r, err);
    double lo[3], hi[3];
    int nst = rc == 0 ? tiles_georaster_stretch_bands(g, lo, hi) : 0;
    tiles_georaster_close(g);
    if (rc != 0)
        return -1;
    if (nst > 0) {
        json_t *l = json_array(), *h = json_array();
        for (int c = 0; c < nst; c++) {
            json_array_append_new(l, json_real(lo[c]));
            json_array_append_new(h, json_real(hi[c]));
        }
        json_object_set_new(props, "cartouche:stretch",
                            json_pack("{s:[f,f],s:o,s:o}", "percentiles", TILES_STRETCH_LOW,
                                      TILES_STRETCH_HIGH, "low", l, "high", h));
    }
    double mean[3], coverage;
    tiles_raster_colour(&r, mean, &coverage);
    unsigned char *png = NULL;
    size_t len = 0;
    rc = tiles_codec_encode_png(&r, &png, &len, err);
    if (rc == 0 && write_file(out_png, png, len) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", out_png, strerror(errno));
        rc = -1;
    }
    free(png);
    if (rc == 0) {
        json_object_set_new(entry, "preview_size", json_pack("[i,i]", r.w, r.h));
        json_object_set_new(entry, "mean_rgb", json_pack("[f,f,f]", mean[0], mean[1], mean[2]));
        json_object_set_new(entry, "coverage", json_real(coverage));
    }
    tiles_raster_free(&r);
    return rc;
}

static json_t *ring_json(const tiles_raster_info *in)
{
    if (in->nring == 0)
        return json_null();
    json_t *ring = json_array();
    for (size_t i = 0; i < in->nring; i++)
        json_array_append_new(ring, json_pack("[f,f]", in->ring[i][0], in->ring[i][1]));
    return json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
}

/* A new entry for rel, or NULL (reason in err). */
static json_t *index_file(const char *dir, const char *rel, const struct stat *st,
                          const char *sidecar, const struct stat *sst, err_t *err)
{
    char path[2048], png[2200], id[96];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    tiles_raster_info *in = malloc(sizeof *in);
    if (!in) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (tiles_raster_info_read(path, in, err) != 0) {
        free(in);
        return NULL;
    }
    json_t *entry = json_object(), *props = json_object(), *exts = json_pack("[s,s]", RASTER_EXT,
                                                                             PROJ_EXT);
    id_from_path(rel, id, sizeof id);
    int has_time = 0;
    if (sidecar) {
        apply_sidecar(sidecar, props, exts, id, sizeof id, &has_time);
        json_object_set_new(entry, "sidecar",
                            json_pack("{s:s,s:I,s:I}", "file", sidecar + strlen(dir) + 1, "size",
                                      (json_int_t)sst->st_size, "mtime",
                                      (json_int_t)sst->st_mtime));
    }
    if (!has_time) {
        char dt[40];
        const char *src = in->datetime_source;
        if (in->datetime[0]) {
            snprintf(dt, sizeof dt, "%s", in->datetime);
        } else {
            tiles_time_format((double)st->st_mtime, dt, sizeof dt);
            src = "file-mtime";
        }
        json_object_set_new(props, "datetime", json_string(dt));
        json_object_set_new(props, "cartouche:datetime_source", json_string(src));
    }
    json_t *bands = json_array();
    for (int i = 0; i < in->nbands; i++) {
        json_t *b = json_pack("{s:s}", "data_type", in->bands[i].data_type);
        if (in->bands[i].has_nodata)
            json_object_set_new(b, "nodata", json_real(in->bands[i].nodata));
        json_array_append_new(bands, b);
    }
    const double *gt = in->transform;
    json_object_set_new(props, "raster:bands", bands);
    json_object_set_new(props, "proj:epsg", in->epsg ? json_integer(in->epsg) : json_null());
    json_object_set_new(props, "proj:shape", json_pack("[i,i]", in->height, in->width));
    json_object_set_new(props, "proj:transform",
                        json_pack("[f,f,f,f,f,f]", gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]));
    json_object_set_new(props, "cartouche:file", json_string(rel));
    json_object_set_new(props, "cartouche:driver", json_string(in->driver));
    snprintf(png, sizeof png, "%s/" TILES_SCENE_INDEX_DIR "/%016llx.png", dir, fnv64(rel));
    if (make_preview(path, png, entry, props, err) != 0) {
        json_decref(entry);
        json_decref(props);
        json_decref(exts);
        free(in);
        return NULL;
    }
    json_t *aux = json_array();
    for (size_t i = 0; i < in->naux; i++)
        json_array_append_new(aux, json_string(in->aux[i]));
    json_object_set_new(entry, "file", json_string(rel));
    json_object_set_new(entry, "size", json_integer((json_int_t)st->st_size));
    json_object_set_new(entry, "mtime", json_integer((json_int_t)st->st_mtime));
    json_object_set_new(entry, "id", json_string(id));
    json_object_set_new(entry, "media_type", json_string(in->media_type));
    json_object_set_new(entry, "aux", aux);
    json_object_set_new(entry, "preview", json_string(strrchr(png, '/') + 1));
    json_object_set_new(entry, "bbox", json_pack("[f,f,f,f]", in->bbox[0], in->bbox[1],
                                                 in->bbox[2], in->bbox[3]));
    json_object_set_new(entry, "geometry", ring_json(in));
    json_object_set_new(entry, "stac_extensions", exts);
    json_object_set_new(entry, "properties", props);
    free(in);
    return entry;
}

/* ---- the index ------------------------------------------------------------------------------ */

/* The old entry of rel if neither the file, its sidecar nor its preview changed. */
static json_t *reusable(const char *dir, json_t *old, const char *rel, const struct stat *st,
                        const char *sidecar, const struct stat *sst)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(old, "scenes"), i, e)
    {
        const char *f = json_string_value(json_object_get(e, "file"));
        if (!f || strcmp(f, rel) != 0)
            continue;
        json_t *sc = json_object_get(e, "sidecar");
        const char *sf = json_string_value(json_object_get(sc, "file"));
        char png[2200];
        snprintf(png, sizeof png, "%s/" TILES_SCENE_INDEX_DIR "/%s", dir,
                 json_string_value(json_object_get(e, "preview")) ?: "");
        struct stat pst;
        if (json_integer_value(json_object_get(e, "size")) != (json_int_t)st->st_size ||
            json_integer_value(json_object_get(e, "mtime")) != (json_int_t)st->st_mtime ||
            !sidecar != !sf || stat(png, &pst) != 0)
            return NULL;
        if (sidecar && (strcmp(sf, sidecar + strlen(dir) + 1) ||
                        json_integer_value(json_object_get(sc, "size")) != (json_int_t)sst->st_size ||
                        json_integer_value(json_object_get(sc, "mtime")) != (json_int_t)sst->st_mtime))
            return NULL;
        return json_incref(e);
    }
    return NULL;
}

/* Ids unique in the index: a later duplicate gets "-2", "-3", ... */
static void unique_ids(json_t *scenes)
{
    size_t i, j;
    json_t *e, *f;
    json_array_foreach(scenes, i, e)
    {
        const char *id = json_string_value(json_object_get(e, "id"));
        int dup = 0;
        for (j = 0; j < i && !dup; j++) {
            f = json_array_get(scenes, j);
            dup = !strcmp(id, json_string_value(json_object_get(f, "id")));
        }
        for (int k = 2; dup; k++) {
            char nid[128];
            snprintf(nid, sizeof nid, "%.80s-%d", id, k);
            dup = 0;
            for (j = 0; j < i && !dup; j++)
                dup = !strcmp(nid, json_string_value(json_object_get(json_array_get(scenes, j), "id")));
            if (!dup)
                json_object_set_new(e, "id", json_string(nid));
        }
    }
}

/* Previews no entry names any more. */
static void remove_stale_previews(const char *dir, json_t *scenes)
{
    char idir[1100];
    snprintf(idir, sizeof idir, "%s/" TILES_SCENE_INDEX_DIR, dir);
    DIR *d = opendir(idir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (!ends_with(de->d_name, ".png"))
            continue;
        size_t i;
        json_t *e;
        int used = 0;
        json_array_foreach(scenes, i, e) used |= !strcmp(
            de->d_name, json_string_value(json_object_get(e, "preview")) ?: "");
        if (!used) {
            char p[2200];
            snprintf(p, sizeof p, "%s/%s", idir, de->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
}

long scenes_index_update(const char *dir, err_t *err)
{
    file_list files = {0};
    char ipath[1100], idir[1100];
    snprintf(idir, sizeof idir, "%s/" TILES_SCENE_INDEX_DIR, dir);
    tiles_scene_index_path(dir, ipath, sizeof ipath);
    if (walk(dir, "", 0, &files) != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (mkdir(idir, 0755) != 0 && errno != EEXIST) {
        err_set(err, ERR_CONFIG, NULL, "%s: %s", idir, strerror(errno));
        list_free(&files);
        return -1;
    }
    qsort(files.rel, files.n, sizeof *files.rel, cmp_str);
    json_t *old = json_load_file(ipath, 0, NULL);
    if (json_integer_value(json_object_get(old, "version")) != TILES_SCENE_INDEX_VERSION) {
        json_decref(old);
        old = NULL;
    }
    json_t *scenes = json_array();
    long reused = 0, skipped = 0;
    for (size_t i = 0; i < files.n; i++) {
        const char *rel = files.rel[i];
        char path[2048], side[2200];
        struct stat st, sst;
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        if (stat(path, &st) != 0)
            continue;
        const char *sidecar = find_sidecar(dir, rel, side, sizeof side, &sst) == 0 ? side : NULL;
        json_t *e = reusable(dir, old, rel, &st, sidecar, &sst);
        err_t why = {0};
        if (e)
            reused++;
        else if (!(e = index_file(dir, rel, &st, sidecar, &sst, &why))) {
            log_msg("warn", "scenes: skipped %s: %s", path, why.msg);
            skipped++;
            continue;
        }
        if (json_array_size(scenes) == TILES_SCENE_MAX_FILES) {
            log_msg("warn", "scenes: skipped %s: a folder serves at most %d scenes", path,
                    TILES_SCENE_MAX_FILES);
            json_decref(e);
            skipped++;
            continue;
        }
        json_array_append_new(scenes, e);
    }
    list_free(&files);
    json_decref(old);
    unique_ids(scenes);
    json_t *doc = json_pack("{s:i,s:O}", "version", TILES_SCENE_INDEX_VERSION, "scenes", scenes);
    char *txt = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(doc);
    int rc = txt ? write_file(ipath, txt, strlen(txt)) : -1;
    free(txt);
    if (rc != 0) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot write (%s)", ipath, strerror(errno));
        json_decref(scenes);
        return -1;
    }
    remove_stale_previews(dir, scenes);
    long n = (long)json_array_size(scenes);
    log_msg("info", "scenes: %s: %ld scenes (%ld unchanged), %ld files skipped", dir, n, reused,
            skipped);
    json_decref(scenes);
    return n;
}

/* ---- the subcommand ------------------------------------------------------------------------- */

int scenes_main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "index") != 0) {
        fprintf(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr,
                "usage: cartouche scenes index DIR\n"
                "  catalogue the raster files under DIR (GeoTIFF/COG, JPEG 2000, PNG/JPEG with a "
                "world file, ...)\n  into DIR/" TILES_SCENE_INDEX_DIR "/, for `cartouche --scenes DIR`\n");
        return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
    }
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        err_t err = {0};
        long n = scenes_index_update(argv[i], &err);
        if (n < 0) {
            fprintf(stderr, "cartouche scenes: %s\n", err.msg);
            rc = 1;
        } else {
            printf("cartouche scenes: %s: %ld scenes\n", argv[i], n);
        }
    }
    return rc;
}
