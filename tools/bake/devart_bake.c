/* devart_bake.c — `cartouche bake --device-art`: writes every registry device's drawing
 * (devart.c) to PNG at 1x and 2x, to look at the art; skips those newer than their JSON. */
#include "bake/devart_bake.h"

#include <cairo.h>
#include <dirent.h>
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

int devart_bake(const char *templates_dir, const char *assets_dir, err_t *err)
{
    char dir[512];
    int baked = 0;
    snprintf(dir, sizeof dir, "%s/devices", templates_dir);
    DIR *dh = opendir(dir);
    if (!dh) {
        err_set(err, ERR_CONFIG, NULL, "%s: cannot open the device registry directory", dir);
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char src[1024], out[2][1024];
        snprintf(src, sizeof src, "%s/%s", dir, de->d_name);
        device *d = devices_parse_file(src, err);
        if (!d)
            goto fail;
        size_t stem = strlen(d->background) - 4;
        snprintf(out[0], sizeof out[0], "%s/%s", assets_dir, d->background);
        snprintf(out[1], sizeof out[1], "%s/%.*s@2x.png", assets_dir, (int)stem, d->background);
        struct stat js, ps;
        int fresh = stat(src, &js) == 0;
        for (int s = 0; s < 2; s++)
            fresh = fresh && stat(out[s], &ps) == 0 && ps.st_mtime >= js.st_mtime;
        if (!fresh) {
            if (devart_mkdirs(out[0]) < 0) {
                err_set(err, ERR_CONFIG, NULL, "%s: cannot create the directory of %s", d->file, out[0]);
                devices_free(d);
                goto fail;
            }
            for (int s = 0; s < 2; s++)
                if (devart_write(d, out[s], s + 1, err) < 0) {
                    devices_free(d);
                    goto fail;
                }
            baked++;
        }
        devices_free(d);
    }
    closedir(dh);
    return baked;
fail:
    closedir(dh);
    return -1;
}
