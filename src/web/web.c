/* web.c — the web page at / and its static files, read into memory (the web catalog part) from
 * web/ (the page) and the baked Leaflet copy (assets/baked/web/leaflet, from npm at `make assets`).
 * Only files found at load (start-up, SIGHUP) are served, so no request path reaches the
 * filesystem. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/server.h"
#include "util/sha256.h"
#include "web/web.h"

typedef struct {
    char path[512]; /* URL path: "/", "/static/app.js", "/static/leaflet/leaflet.js" */
    char *data;
    size_t len;
    const char *mime;
    char key[72];
} web_file;

struct web_files {
    web_file *files;
    size_t n;
};

static const char *mime_of(const char *name)
{
    static const struct {
        const char *ext, *mime;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},   {".png", "image/png"},
                 {".svg", "image/svg+xml"},             {".json", "application/json"},
                 {".ico", "image/x-icon"}};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].mime;
    return NULL;
}

static int add_file(web_files *wf, const char *fs_path, const char *url, err_t *err)
{
    const char *mime = mime_of(fs_path);
    if (!mime)
        return 0;
    FILE *f = fopen(fs_path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0 || st.st_size > (8 << 20)) {
        if (f)
            fclose(f);
        return 0;
    }
    char *data = malloc((size_t)st.st_size + 1);
    web_file *nf = realloc(wf->files, (wf->n + 1) * sizeof *nf);
    if (!data || !nf || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(data);
        if (nf)
            wf->files = nf;
        fclose(f);
        err_set(err, ERR_CONFIG, NULL, "cannot read %s", fs_path);
        return -1;
    }
    fclose(f);
    wf->files = nf;
    web_file *w = &wf->files[wf->n++];
    snprintf(w->path, sizeof w->path, "%s", url);
    w->data = data;
    w->len = (size_t)st.st_size;
    w->mime = mime;
    char hex[65];
    sha256_hex(data, w->len, hex);
    snprintf(w->key, sizeof w->key, "web:%s", hex);
    return 0;
}

static int add_dir(web_files *wf, const char *dir, const char *url_prefix, err_t *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char fs[1024], url[512];
        snprintf(fs, sizeof fs, "%s/%s", dir, e->d_name);
        snprintf(url, sizeof url, "%s/%s", url_prefix, e->d_name);
        struct stat st;
        if (stat(fs, &st) == 0 && S_ISREG(st.st_mode))
            rc = add_file(wf, fs, url, err);
    }
    closedir(d);
    return rc;
}

web_files *web_files_load(const char *web_dir, const char *assets_dir, err_t *err)
{
    web_files *wf = calloc(1, sizeof *wf);
    if (!wf) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    char index[600], leaflet[600], images[620];
    snprintf(index, sizeof index, "%s/index.html", web_dir);
    snprintf(leaflet, sizeof leaflet, "%s/baked/web/leaflet", assets_dir);
    snprintf(images, sizeof images, "%s/images", leaflet);
    if (add_file(wf, index, "/", err) < 0 || add_dir(wf, web_dir, "/static", err) < 0 ||
        add_dir(wf, leaflet, "/static/leaflet", err) < 0 ||
        add_dir(wf, images, "/static/leaflet/images", err) < 0) {
        web_files_free(wf);
        return NULL;
    }
    return wf;
}

void web_files_free(web_files *wf)
{
    if (!wf)
        return;
    for (size_t i = 0; i < wf->n; i++)
        free(wf->files[i].data);
    free(wf->files);
    free(wf);
}

static void *web_part_load(const config *cfg, err_t *err)
{
    return web_files_load("web", cfg->assets_dir, err);
}

static void web_part_free(void *p)
{
    web_files_free(p);
}

const catalog_part_ops web_part_ops = {"web", web_part_load, web_part_free, NULL};

static const web_file *web_files_find(const web_files *wf, const char *path)
{
    for (size_t i = 0; wf && i < wf->n; i++)
        if (strcmp(wf->files[i].path, path) == 0)
            return &wf->files[i];
    return NULL;
}

static void web_route_file(http_req *rq, void *ctx)
{
    err_t err = {0};
    if (query_check(http_req_query(rq), NULL, 0, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    /* Rebuild "/static/a/b/c" from the captures; "/" has none. */
    char path[512] = "/";
    if (http_req_capture(rq, 0)) {
        size_t n = (size_t)snprintf(path, sizeof path, "/static");
        for (int i = 0; http_req_capture(rq, i) && n < sizeof path; i++)
            n += (size_t)snprintf(path + n, sizeof path - n, "/%s", http_req_capture(rq, i));
    }
        /* The bytes are replied by reference: the request holds its catalog until they are written. */
    const web_files *wf = catalog_part(http_req_data(rq), ((const web_ctx *)ctx)->files);
    const web_file *f = web_files_find(wf, path);
    if (f) {
        http_reply_static(rq, f->mime, f->data, f->len, f->key, "public, max-age=300");
        return;
    }
    err_set(&err, ERR_NOT_FOUND, NULL, "no such file");
    http_reply_error(rq, &err);
}

/* The routes of this module, in match order. */
static const route_def web_routes[] = {
    {HTTP_M_GH, "/", web_route_file, "web"},
    {HTTP_M_GH, "/static/*", web_route_file, "web"},
    {HTTP_M_GH, "/static/*/*", web_route_file, "web"},
    {HTTP_M_GH, "/static/*/*/*", web_route_file, "web"},
};

int web_register(router *r, web_ctx *ctx)
{
    return router_add_table(r, web_routes, sizeof web_routes / sizeof web_routes[0], ctx);
}
