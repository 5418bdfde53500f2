/* scene_routes.c — the files of a --scenes folder's scenes over HTTP (see scene_routes.h). */
#include "tiles/scene_routes.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/server.h"
#include "tiles/draw.h"
#include "tiles/sceneindex.h"
#include "tiles/stac_routes.h"

#define JPEG_QUALITY 85

static const query_key thumb_keys[] = {{"w", 0}, {"blur", 0}};

static void not_found(http_req *rq, const char *id)
{
    err_t e;
    err_set(&e, ERR_NOT_FOUND, NULL, "scene %.80s has original.{its extension}, preview.png, "
                                     "thumbnail.jpg and thumbnail.png", id);
    http_reply_error(rq, &e);
}

/* The bytes of path, which the index saw with that size (and mtime, 0: any): opened for this
 * reply, refused when the file changed since it was indexed. */
static void reply_bytes(http_req *rq, const tiles_scene_file *f, const char *mime,
                        const char *path, long long size, long long mtime, const char *what)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (long long)st.st_size != size ||
        (mtime && (long long)st.st_mtime != mtime)) {
        if (fd >= 0)
            close(fd);
        err_set(&err, ERR_NOT_FOUND, NULL, "scene %.80s: its %s changed or went away since it "
                                           "was indexed", f->id, what);
        http_reply_error(rq, &err);
        return;
    }
    char key[256];
    snprintf(key, sizeof key, "scenefile:%s:%s:%lld:%lld:%lld", f->id, what, f->size, f->mtime,
             f->preview_size);
    http_reply_file_ranges(rq, mime, fd, size, key, http_cache_control(rq));
}

static void reply_thumbnail(http_req *rq, const void *ctx, const tiles_scene *sc, img_format fmt)
{
    const tiles_scene_file *f = sc->file;
    const query *q = http_req_query(rq);
    err_t err = {0};
    long w;
    double blur;
    if (query_check(q, thumb_keys, 2, &err) != 0 ||
        query_long(q, "w", 16, TILES_SCENE_PREVIEW, 256, &w, &err) != 0 ||
        query_double(q, "blur", 0, 20, 0, &blur, &err) != 0) {
        http_reply_error(rq, &err);
        return;
    }
    int h = (int)(w * (double)f->preview_h / (f->preview_w > 0 ? f->preview_w : 1) + 0.5);
    tiles_thumb_job *j = calloc(1, sizeof *j);
    if (!j) {
        err_set(&err, ERR_INTERNAL, NULL, "out of memory");
        http_reply_error(rq, &err);
        return;
    }
    *j = (tiles_thumb_job){NULL, tiles_store_of(rq, ctx), catalog_ref(http_req_data(rq)), -1, 0, 0,
                           (int)w, h < 1 ? 1 : h, blur, f->preview};
    char key[256];
    snprintf(key, sizeof key, "scenethumb:%s:%lld:%lld:%ld:%g:%s", f->id, f->size, f->mtime, w,
             blur, img_format_ext(fmt));
    image_spec spec = {(int)w, j->height, 1, fmt, JPEG_QUALITY, 0};
    http_reply_image(rq, key, &spec, http_cache_control(rq), tiles_draw_thumb_job, j, tiles_thumb_job_free);
}

void tiles_scene_file_route(http_req *rq, const void *ctx, const tiles_scene *sc, const char *file)
{
    const tiles_scene_file *f = sc->file;
    if (!strcmp(file, "thumbnail.jpg") || !strcmp(file, "thumbnail.png")) {
        reply_thumbnail(rq, ctx, sc, file[10] == 'j' ? IMG_JPEG : IMG_PNG);
        return;
    }
    if (!strcmp(file, "preview.png")) {
        reply_bytes(rq, f, "image/png", f->preview, f->preview_size, 0, "preview");
        return;
    }
    if (strncmp(file, "original.", 9) != 0) {
        not_found(rq, f->id);
        return;
    }
    const char *ext = file + 9;
    if (!strcmp(ext, f->ext)) {
        reply_bytes(rq, f, f->media_type, f->path, f->size, f->mtime, "original");
        return;
    }
    for (size_t i = 0; i < f->naux; i++)
        if (!strcmp(ext, f->aux[i].ext)) {
            size_t n = strlen(ext);
            const char *mime = n > 4 && !strcmp(ext + n - 4, ".xml") ? "application/xml"
                                                                     : "text/plain; charset=utf-8";
            reply_bytes(rq, f, mime, f->aux[i].path, f->aux[i].size, 0, ext);
            return;
        }
    not_found(rq, f->id);
}
