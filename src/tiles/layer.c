/* layer.c — reading and writing <layer>.layer.json (see layer.h). */
#include "tiles/layer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tiles_layer_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > 32 || name[0] == '-' || name[0] == '_')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* FNV-1a 64 over the stamp: enough to tell bakes apart in ETags. */
void tiles_layer_stamp_id(tiles_layer_meta *m)
{
    char buf[1400];
    snprintf(buf, sizeof buf, "%s|%s|%lld|%lld|%d|%.9g,%.9g,%.9g,%.9g|%s", m->name, m->source,
             m->source_mtime, m->source_size, m->bake_version, m->bounds[0], m->bounds[1],
             m->bounds[2], m->bounds[3], m->datetime);
    unsigned long long h = 1469598103934665603ULL;
    for (const char *p = buf; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    snprintf(m->bake_id, sizeof m->bake_id, "%016llx", h);
}

static json_t *bbox_json(const double b[4])
{
    return json_pack("[f,f,f,f]", b[0], b[1], b[2], b[3]);
}

int tiles_layer_write(const tiles_layer_meta *m, const char *path, err_t *err)
{
    json_t *scenes = json_array();
    for (size_t i = 0; i < m->nscenes; i++) {
        const tiles_scene_stat *s = &m->scenes[i];
        json_array_append_new(scenes,
                              json_pack("{s:s,s:i,s:i,s:i,s:o,s:[f,f,f],s:f}", "id", s->id, "z",
                                        s->z, "x", s->x, "y", s->y, "bbox", bbox_json(s->bbox),
                                        "mean_rgb", s->mean[0], s->mean[1], s->mean[2],
                                        "coverage", s->coverage));
    }
    json_t *o = json_pack(
        "{s:s,s:s,s:b,s:s,s:I,s:I,s:i,s:o,s:i,s:i,s:b,s:s,s:s,s:s,s:s,s:s,s:o}", "name", m->name,
        "title", m->title, "user", m->user, "source", m->source, "source_mtime",
        (json_int_t)m->source_mtime, "source_size", (json_int_t)m->source_size, "bake_version",
        m->bake_version, "bounds", bbox_json(m->bounds), "minzoom", m->minzoom, "maxzoom",
        m->maxzoom, "has_alpha", m->has_alpha, "datetime", m->datetime, "start_datetime",
        m->start_datetime, "end_datetime", m->end_datetime, "attribution", m->attribution,
        "bake_id", m->bake_id, "scenes", scenes);
    if (!o) {
        err_set(err, ERR_INTERNAL, NULL, "%s: cannot build JSON", path);
        return -1;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int rc = json_dump_file(o, tmp, JSON_INDENT(1) | JSON_SORT_KEYS);
    json_decref(o);
    if (rc != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        err_set(err, ERR_INTERNAL, NULL, "%s: write failed", path);
        return -1;
    }
    return 0;
}

static int get_str(json_t *o, const char *key, char *dst, size_t cap, const char *path,
                   err_t *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || strlen(json_string_value(v)) >= cap) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"%s\" must be a string shorter than %zu", path, key,
                cap);
        return -1;
    }
    strcpy(dst, json_string_value(v));
    return 0;
}

static int get_bbox(json_t *v, double b[4])
{
    if (!json_is_array(v) || json_array_size(v) != 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        json_t *e = json_array_get(v, (size_t)i);
        if (!json_is_number(e))
            return -1;
        b[i] = json_number_value(e);
    }
    return 0;
}

int tiles_layer_read(const char *path, tiles_layer_meta *m, err_t *err)
{
    memset(m, 0, sizeof *m);
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) {
        err_set(err, ERR_CONFIG, NULL, "%s: line %d: %s", path, je.line, je.text);
        return -1;
    }
    json_t *scenes = json_object_get(o, "scenes");
    if (get_str(o, "name", m->name, sizeof m->name, path, err) ||
        get_str(o, "title", m->title, sizeof m->title, path, err) ||
        get_str(o, "source", m->source, sizeof m->source, path, err) ||
        get_str(o, "datetime", m->datetime, sizeof m->datetime, path, err) ||
        get_str(o, "start_datetime", m->start_datetime, sizeof m->start_datetime, path, err) ||
        get_str(o, "end_datetime", m->end_datetime, sizeof m->end_datetime, path, err) ||
        get_str(o, "attribution", m->attribution, sizeof m->attribution, path, err) ||
        get_str(o, "bake_id", m->bake_id, sizeof m->bake_id, path, err))
        goto fail;
    if (get_bbox(json_object_get(o, "bounds"), m->bounds) != 0 || !json_is_array(scenes)) {
        err_set(err, ERR_CONFIG, NULL, "%s: \"bounds\" must be [w,s,e,n] and \"scenes\" a list",
                path);
        goto fail;
    }
    m->user = json_is_true(json_object_get(o, "user"));
    m->has_alpha = json_is_true(json_object_get(o, "has_alpha"));
    m->source_mtime = json_integer_value(json_object_get(o, "source_mtime"));
    m->source_size = json_integer_value(json_object_get(o, "source_size"));
    m->bake_version = (int)json_integer_value(json_object_get(o, "bake_version"));
    m->minzoom = (int)json_integer_value(json_object_get(o, "minzoom"));
    m->maxzoom = (int)json_integer_value(json_object_get(o, "maxzoom"));
    if (!tiles_layer_name_valid(m->name) || m->minzoom < 0 || m->maxzoom < m->minzoom ||
        m->maxzoom > 20) {
        err_set(err, ERR_CONFIG, NULL, "%s: bad layer name or zoom range", path);
        goto fail;
    }
    m->nscenes = json_array_size(scenes);
    m->scenes = calloc(m->nscenes ? m->nscenes : 1, sizeof *m->scenes);
    if (!m->scenes) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m->nscenes; i++) {
        json_t *s = json_array_get(scenes, i);
        tiles_scene_stat *st = &m->scenes[i];
        json_t *mean = json_object_get(s, "mean_rgb");
        if (get_str(s, "id", st->id, sizeof st->id, path, err))
            goto fail;
        if (get_bbox(json_object_get(s, "bbox"), st->bbox) != 0 || !json_is_array(mean) ||
            json_array_size(mean) != 3) {
            err_set(err, ERR_CONFIG, NULL, "%s: scene %zu: bad bbox or mean_rgb", path, i);
            goto fail;
        }
        for (int c = 0; c < 3; c++)
            st->mean[c] = json_number_value(json_array_get(mean, (size_t)c));
        st->z = (int)json_integer_value(json_object_get(s, "z"));
        st->x = (int)json_integer_value(json_object_get(s, "x"));
        st->y = (int)json_integer_value(json_object_get(s, "y"));
        st->coverage = json_number_value(json_object_get(s, "coverage"));
    }
    json_decref(o);
    return 0;
fail:
    json_decref(o);
    tiles_layer_free(m);
    return -1;
}

void tiles_layer_free(tiles_layer_meta *m)
{
    free(m->scenes);
    m->scenes = NULL;
    m->nscenes = 0;
}

void tiles_layer_pack_path(const char *dir, const char *layer, int size, const char *ext,
                           char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s.%d.%s.pack", dir, layer, size, ext);
}
