/* sceneindex.c — a --scenes folder's index (DIR/.cartouche-scenes/index.json, written by
 * `cartouche scenes index`, tools/bake/scenebake.c) loaded for the server (see sceneindex.h).
 *
 * index.json: {"version": 1, "scenes": [entry, ...]}, an entry being what the file gave —
 *   {"file": "sub/a.tif", "size", "mtime", "sidecar": {"file", "size", "mtime"} | null,
 *    "id", "media_type", "aux": ["a.tfw", ...], "preview": "<hash>.png", "preview_size": [w, h],
 *    "mean_rgb", "coverage", "bbox", "geometry", "stac_extensions", "properties"}
 * The server adds links and asset hrefs (they depend on --public-url) when it answers. The
 * entries are checked here: the file is on the user's disk and may have been edited. */
#include "tiles/sceneindex.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/log.h"
#include "tiles/timeutil.h"

/* Positions a footprint may have (the writer puts 33; an edited index may not). */
#define MAX_RING 1000

void tiles_scene_index_name(const char *dir, char *out, size_t cap)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = 0;
    const char *base = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
    char name[33];
    size_t k = 0;
    for (const char *p = base; *p && k < 32; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        name[k++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '_';
    }
    name[k] = 0;
    snprintf(out, cap, "%s", tiles_layer_name_valid(name) ? name : "scenes");
}

int tiles_scene_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 80)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return s[0] != '.';
}

void tiles_scene_index_path(const char *dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s/" TILES_SCENE_INDEX_DIR "/index.json", dir);
}

/* ---- loading for the server ----------------------------------------------------------------- */

static int copy_str(json_t *o, const char *key, char *dst, size_t cap)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v || strlen(v) >= cap)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int get_numbers(json_t *a, double *out, size_t n)
{
    if (!json_is_array(a) || json_array_size(a) != n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_number(v))
            return -1;
        out[i] = json_number_value(v);
    }
    return 0;
}

/* One entry into f; -1 with the reason when its file changed or the entry is malformed. */
static int load_entry(const char *dir, json_t *e, tiles_scene_file *f, char *why, size_t cap)
{
    char rel[1024], preview[256], path[2048];
    memset(f, 0, sizeof *f);
    json_t *props = json_object_get(e, "properties");
    if (copy_str(e, "file", rel, sizeof rel) || copy_str(e, "id", f->id, sizeof f->id) ||
        copy_str(e, "media_type", f->media_type, sizeof f->media_type) ||
        copy_str(e, "preview", preview, sizeof preview) || !json_is_object(props) ||
        copy_str(props, "datetime", f->datetime, sizeof f->datetime) ||
        get_numbers(json_object_get(e, "bbox"), f->bbox, 4) ||
        get_numbers(json_object_get(e, "mean_rgb"), f->mean, 3) ||
        !json_is_number(json_object_get(e, "coverage")) || !tiles_scene_id_valid(f->id) ||
        strstr(rel, "..") || strchr(preview, '/')) {
        snprintf(why, cap, "malformed index entry");
        return -1;
    }
    double psize[2];
    if (get_numbers(json_object_get(e, "preview_size"), psize, 2) != 0) {
        snprintf(why, cap, "malformed index entry");
        return -1;
    }
    f->preview_w = (int)psize[0];
    f->preview_h = (int)psize[1];
    f->coverage = json_number_value(json_object_get(e, "coverage"));
    copy_str(props, "start_datetime", f->start_datetime, sizeof f->start_datetime);
    copy_str(props, "end_datetime", f->end_datetime, sizeof f->end_datetime);
    /* The indexer always writes a datetime (sidecar, metadata or the file's time): one that does
     * not parse, or an interval end that does not, is a damaged index (found by fuzz_sceneindex). */
    double t;
    if (tiles_time_parse(f->datetime, &t) != 0 ||
        (f->start_datetime[0] && tiles_time_parse(f->start_datetime, &t) != 0) ||
        (f->end_datetime[0] && tiles_time_parse(f->end_datetime, &t) != 0)) {
        snprintf(why, cap, "malformed index entry (datetime)");
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    f->path = strdup(path);
    snprintf(path, sizeof path, "%s/" TILES_SCENE_INDEX_DIR "/%s", dir, preview);
    f->preview = strdup(path);
    if (!f->path || !f->preview) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
    snprintf(f->ext, sizeof f->ext, "%s", dot && (!slash || dot > slash) ? dot + 1 : "bin");
    for (char *p = f->ext; *p; p++)
        *p = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
    struct stat st;
    if (stat(f->path, &st) != 0) {
        snprintf(why, cap, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, cap, "not a file");
        return -1;
    }
    if ((long long)st.st_size != json_integer_value(json_object_get(e, "size")) ||
        (long long)st.st_mtime != json_integer_value(json_object_get(e, "mtime"))) {
        snprintf(why, cap, "changed since it was indexed (run `cartouche scenes index %s`)", dir);
        return -1;
    }
    if (stat(f->preview, &st) != 0) {
        snprintf(why, cap, "its preview is missing (run `cartouche scenes index %.200s`)", dir);
        return -1;
    }
    f->preview_size = (long long)st.st_size;
    f->size = json_integer_value(json_object_get(e, "size"));
    f->mtime = json_integer_value(json_object_get(e, "mtime"));
    /* Georeferencing files: served next to the original under its name, other ending. */
    size_t i;
    json_t *a;
    const char *bs = strrchr(f->path, '/');
    json_array_foreach(json_object_get(e, "aux"), i, a)
    {
        const char *name = json_string_value(a);
        if (!name || f->naux == TILES_SCENE_MAX_AUX || strchr(name, '/'))
            continue;
        const char *stem_end = strrchr(rel, '.');
        const char *rel_base = slash ? slash + 1 : rel;
        size_t stem = stem_end && stem_end > rel_base ? (size_t)(stem_end - rel_base) : strlen(rel_base);
        tiles_scene_aux *x = &f->aux[f->naux];
        /* "a.pgw" or "a.png.aux.xml" for "a.png": what follows the stem ("pgw", "png.aux.xml")
         * is its ending after "original." too, where GDAL looks for it. */
        const char *tail = strncmp(name, rel_base, stem) == 0 && name[stem] == '.' ? name + stem + 1
                                                                                  : NULL;
        if (!tail || strlen(tail) >= sizeof x->ext)
            continue;
        snprintf(x->ext, sizeof x->ext, "%s", tail);
        snprintf(path, sizeof path, "%.*s/%s", (int)(bs - f->path), f->path, name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(x->path = strdup(path)))
            continue;
        x->size = (long long)st.st_size;
        f->naux++;
    }
    json_t *outer = json_array_get(json_object_get(json_object_get(e, "geometry"), "coordinates"), 0);
    size_t n = json_array_size(outer);
    f->ring = n >= 4 && n <= MAX_RING ? malloc(n * sizeof *f->ring) : NULL;
    for (size_t k = 0; f->ring && k < n; k++)
        if (get_numbers(json_array_get(outer, k), f->ring[k], 2) != 0 ||
            fabs(f->ring[k][0]) > 180 || fabs(f->ring[k][1]) > 90) {
            free(f->ring); /* a hand-edited geometry: its bbox will do */
            f->ring = NULL;
        }
    if (f->ring && (f->ring[0][0] != f->ring[n - 1][0] || f->ring[0][1] != f->ring[n - 1][1])) {
        free(f->ring); /* not closed */
        f->ring = NULL;
    }
    f->nring = f->ring ? n : 0;
    json_t *ext = json_object_get(e, "stac_extensions");
    f->properties_json = json_dumps(props, JSON_COMPACT);
    f->extensions_json = json_is_array(ext) ? json_dumps(ext, JSON_COMPACT) : strdup("[]");
    if (!f->properties_json || !f->extensions_json) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    return 0;
}

static void file_close(tiles_scene_file *f)
{
    free(f->path);
    free(f->preview);
    for (size_t i = 0; i < f->naux; i++)
        free(f->aux[i].path);
    free(f->ring);
    free(f->properties_json);
    free(f->extensions_json);
}

/* The collection's extent: the union of the footprints and the span of the times. */
static void collection_meta(tiles_scene_index *x, const char *name, const char *ipath)
{
    tiles_layer_meta *m = &x->meta;
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->title, sizeof m->title, "Scenes in %.100s", x->dir);
    snprintf(m->description, sizeof m->description,
             "Raster files of %.150s, one scene each, catalogued by `cartouche scenes index`",
             x->dir);
    snprintf(m->source, sizeof m->source, "%s", x->dir);
    m->user = 1;
    double t0 = INFINITY, t1 = -INFINITY;
    double *b = m->bounds;
    b[0] = b[1] = 1000;
    b[2] = b[3] = -1000;
    for (size_t i = 0; i < x->nfiles; i++) {
        const tiles_scene_file *f = &x->files[i];
        double s = 0, e = 0;
        tiles_time_parse(f->start_datetime[0] ? f->start_datetime : f->datetime, &s);
        tiles_time_parse(f->end_datetime[0] ? f->end_datetime : f->datetime, &e);
        t0 = fmin(t0, s), t1 = fmax(t1, e);
        if (f->bbox[0] > f->bbox[2]) { /* across the antimeridian: every longitude */
            b[0] = -180, b[2] = 180;
        } else {
            b[0] = fmin(b[0], f->bbox[0]), b[2] = fmax(b[2], f->bbox[2]);
        }
        b[1] = fmin(b[1], f->bbox[1]), b[3] = fmax(b[3], f->bbox[3]);
    }
    if (x->nfiles == 0) {
        b[0] = -180, b[1] = -90, b[2] = 180, b[3] = 90;
        t0 = t1 = 0;
    }
    tiles_time_format(t0, m->start_datetime, sizeof m->start_datetime);
    tiles_time_format(t1, m->end_datetime, sizeof m->end_datetime);
    snprintf(m->datetime, sizeof m->datetime, "%s", m->start_datetime);
    struct stat st;
    if (stat(ipath, &st) == 0) {
        m->source_mtime = (long long)st.st_mtime;
        m->source_size = (long long)st.st_size;
    }
    tiles_layer_stamp_id(m);
}

int tiles_scene_index_load(tiles_scene_index *x, const char *dir, const char *name, err_t *err)
{
    memset(x, 0, sizeof *x);
    snprintf(x->dir, sizeof x->dir, "%s", dir);
    size_t n = strlen(x->dir);
    while (n > 1 && x->dir[n - 1] == '/')
        x->dir[--n] = 0;
    char ipath[1100], cname[64];
    tiles_scene_index_path(x->dir, ipath, sizeof ipath);
    json_error_t je;
    json_t *doc = json_load_file(ipath, 0, &je);
    json_t *scenes = json_object_get(doc, "scenes");
    if (!doc || json_integer_value(json_object_get(doc, "version")) != TILES_SCENE_INDEX_VERSION ||
        !json_is_array(scenes)) {
        err_set(err, ERR_CONFIG, "scenes", "--scenes %s: %s (run `cartouche scenes index %s`)",
                x->dir, doc ? "an index of another version" : je.text, x->dir);
        json_decref(doc);
        return -1;
    }
    x->files = calloc(json_array_size(scenes) + 1, sizeof *x->files);
    if (!x->files) {
        json_decref(doc);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    size_t i;
    json_t *e;
    json_array_foreach(scenes, i, e)
    {
        char why[512];
        if (x->nfiles == TILES_SCENE_MAX_FILES)
            break;
        if (load_entry(x->dir, e, &x->files[x->nfiles], why, sizeof why) != 0) {
            file_close(&x->files[x->nfiles]);
            log_msg("warn", "scenes: %s/%s skipped: %s", x->dir,
                    json_string_value(json_object_get(e, "file")) ?: "?", why);
            continue;
        }
        x->nfiles++;
    }
    json_decref(doc);
#ifdef __GLIBC__
    malloc_trim(0); /* the parsed index (megabytes for thousands of scenes) goes back */
#endif
    if (name)
        snprintf(cname, sizeof cname, "%s", name);
    else
        tiles_scene_index_name(x->dir, cname, sizeof cname);
    collection_meta(x, cname, ipath);
    log_msg("info", "scenes: %s: %zu scenes as collection %s", x->dir, x->nfiles, cname);
    return 0;
}

void tiles_scene_index_close(tiles_scene_index *x)
{
    for (size_t i = 0; i < x->nfiles; i++)
        file_close(&x->files[i]);
    free(x->files);
    memset(x, 0, sizeof *x);
}
