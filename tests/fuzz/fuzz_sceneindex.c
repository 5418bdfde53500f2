/* fuzz_sceneindex.c — loading a --scenes folder's index (DIR/.cartouche-scenes/index.json: our
 * file, but on the user's disk, so possibly edited or damaged): tiles_scene_index_load on the
 * input as the index, in a folder holding one file "a.tif" and one preview "p.png" whose size
 * and mtime the seeds name (so the fuzzer reaches past the staleness check), then the scenes
 * added to a catalogue, searched with an intersects geometry and written as STAC Items.
 * Invariants: a refused index says why; every loaded scene has a valid id, a datetime, a
 * footprint ring that is closed when present, and an Item that names its collection. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "fuzz_util.h"
#include "tiles/sceneindex.h"
#include "tiles/scenes.h"
#include "tiles/stac_geom.h"

static char dir[64];

static void put(const char *name, const void *data, size_t len, long mtime)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len))
        abort();
    close(fd);
    if (mtime) {
        struct utimbuf t = {mtime, mtime};
        utime(path, &t);
    }
}

static void cleanup(void)
{
    const char *names[] = {".cartouche-scenes/index.json", ".cartouche-scenes/p.png", "a.tif",
                           "a.tfw"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/.cartouche-scenes", dir);
    rmdir(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/cartouche-fuzz-scenes-%d", (int)getpid());
        char sub[96];
        snprintf(sub, sizeof sub, "%s/.cartouche-scenes", dir);
        if ((mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0) ||
            (mkdir(sub, 0700) != 0 && access(sub, W_OK) != 0))
            abort();
        put("a.tif", "II*\0", 4, 1700000000);
        put("a.tfw", "1\n0\n0\n-1\n0\n0\n", 14, 1700000000);
        put(".cartouche-scenes/p.png", "\x89PNG", 4, 0);
        atexit(cleanup);
    }
    put(".cartouche-scenes/index.json", data, len, 0);
    tiles_scene_index x;
    err_t err = {0};
    if (tiles_scene_index_load(&x, dir, "fuzz", &err) != 0) {
        FUZZ_CHECK(err.msg[0] != 0);
        return 0;
    }
    FUZZ_CHECK(x.nfiles <= TILES_SCENE_MAX_FILES);
    tiles_catalogue c;
    FUZZ_CHECK(tiles_catalogue_build(NULL, 0, &c, &err) == 0);
    FUZZ_CHECK(tiles_catalogue_add_files(&c, &x, &err) == 0);
    for (size_t i = 0; i < x.nfiles; i++) {
        const tiles_scene_file *f = &x.files[i];
        FUZZ_CHECK(f->id[0] && f->datetime[0] && f->path && f->preview);
        if (f->nring)
            FUZZ_CHECK(f->nring >= 4 && f->ring[0][0] == f->ring[f->nring - 1][0] &&
                       f->ring[0][1] == f->ring[f->nring - 1][1]);
    }
    double pt[2] = {len ? data[0] - 128.0 : 0, len > 1 ? (data[1] - 128) / 1.5 : 0};
    json_t *g = json_pack("{s:s,s:[f,f]}", "type", "Point", "coordinates", pt[0], pt[1]);
    tiles_scene_query q = {0};
    q.intersects = calloc(1, sizeof *q.intersects);
    if (!q.intersects || tiles_geom_parse(g, q.intersects, "intersects", &err) != 0)
        abort();
    json_decref(g);
    q.limit = 50;
    size_t idx[50], matched;
    size_t n = tiles_catalogue_search(&c, &q, idx, &matched);
    FUZZ_CHECK(n <= matched && n <= 50);
    for (size_t i = 0; i < c.count; i++) {
        json_t *item = tiles_scene_json(&c.scenes[i], "");
        FUZZ_CHECK(item && !strcmp(json_string_value(json_object_get(item, "collection")), "fuzz"));
        json_decref(item);
    }
    tiles_scene_query_free(&q);
    tiles_catalogue_free(&c);
    tiles_scene_index_close(&x);
    return 0;
}
