/* devart_bake.c — `cartouche bake --device-art`: writes every registry device's drawing
 * (devart.c) to PNG at 1x and 2x, to look at the art; skips those newer than their JSON. */
#include "bake/devart_bake.h"

#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "refcards/devart.h"
#include "refcards/devices.h"

/* mkdir -p for the directory part of path. */
static int devart_mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int devart_write(const device *d, const char path[1024], int scale, err_t *err)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%.1000s.tmp%d", path, (int)getpid());
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, DEVICE_CANVAS_W * scale,
                                                    DEVICE_CANVAS_H * scale);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    devart_draw(cr, d);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, tmp);
    cairo_surface_destroy(s);
    /* Write then rename, so a server starting meanwhile never decodes half a file. */
    if (st != CAIRO_STATUS_SUCCESS || rename(tmp, path) < 0) {
        unlink(tmp);
        err_set(err, ERR_CONFIG, NULL, "%s: cannot write %s (%s)", d->file, path,
                st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : strerror(errno));
        return -1;
    }
    return 0;
}

typedef struct {
    const char *assets_dir;
    int baked;
} devart_run;

/* One device's art at 1x and 2x, unless both PNGs are newer than its file. Frees d. */
static int devart_one(device *d, const char *src, void *ctx, err_t *err)
{
    devart_run *run = ctx;
    char out[2][1024];
    size_t stem = strlen(d->background) - 4;
    snprintf(out[0], sizeof out[0], "%s/%s", run->assets_dir, d->background);
    snprintf(out[1], sizeof out[1], "%s/%.*s@2x.png", run->assets_dir, (int)stem, d->background);
    struct stat js, ps;
    int fresh = stat(src, &js) == 0, rc = 0;
    for (int s = 0; s < 2; s++)
        fresh = fresh && stat(out[s], &ps) == 0 && ps.st_mtime >= js.st_mtime;
    if (!fresh) {
        if (devart_mkdirs(out[0]) < 0) {
            err_set(err, ERR_CONFIG, NULL, "%s: cannot create the directory of %s", d->file, out[0]);
            rc = -1;
        }
        for (int s = 0; s < 2 && rc == 0; s++)
            rc = devart_write(d, out[s], s + 1, err);
        run->baked += rc == 0;
    }
    devices_free(d);
    return rc;
}

int devart_bake(const char *templates_dir, const char *assets_dir, err_t *err)
{
    devart_run run = {assets_dir, 0};
    return devices_each(templates_dir, devart_one, &run, err) < 0 ? -1 : run.baked;
}
