/* fuzz_mbtiles.c — reading a raster MBTiles archive that --layer NAME=PATH was given: SQLite
 * opens the input written to a temporary file (SQLite resolves a /proc/self/fd link to a memfd
 * and cannot open that), then tiles_mbtiles_open
 * reads the metadata (format, bounds, zoom range, center, names) and counts the tiles, and
 * tiles_mbtiles_read looks up tiles at places taken from the input. Bounded: inputs are at most
 * 64 KiB (run.sh), and the reader's statements run on a step budget (a view that never ends
 * fails instead of hanging). Invariants: a refused archive says why; an accepted one has a png
 * or jpg format, finite bounds and a zoom range within 0..24; a tile found has bytes, a tile
 * not found says so. */
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tiles/mbtiles.h"
#include "tiles/pack.h"

/* One file per process, rewritten for every input (in memory where /dev/shm exists). */
static char path[64];

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "%s/cartouche-fuzz-%d.mbtiles",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
        atexit(remove_file);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len))
        abort();
    close(fd);
    tiles_pack p;
    err_t err = {0};
    if (tiles_mbtiles_open(&p, path, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
        FUZZ_CHECK(p.db == NULL);
    } else {
        const tiles_archive_info *in = &p.info;
        FUZZ_CHECK(in->format == TILES_TILE_PNG || in->format == TILES_TILE_JPEG);
        FUZZ_CHECK(0 <= in->minzoom && in->minzoom <= in->maxzoom && in->maxzoom <= 24);
        for (int i = 0; i < 4; i++)
            FUZZ_CHECK(isfinite(in->bounds[i]));
        /* the first tile of each zoom, and places taken from the input's last bytes */
        for (int k = 0; k < 8; k++) {
            int z = in->minzoom + k % (in->maxzoom - in->minzoom + 1), x = 0, y = 0;
            if (k >= 4 && len >= (size_t)(k * 2)) {
                x = data[len - (size_t)k] % (1 << (z < 8 ? z : 8));
                y = data[len - (size_t)k - 1] % (1 << (z < 8 ? z : 8));
            }
            unsigned char *tile = NULL;
            size_t n = 0;
            err_t e = {0};
            if (tiles_mbtiles_read(&p, z, x, y, k & 1 ? NULL : &tile, &n, &e) == 0) {
                FUZZ_CHECK((k & 1) || (tile && n > 0));
            } else {
                FUZZ_CHECK(e.msg[0] != 0 && tile == NULL);
            }
            free(tile);
        }
        tiles_mbtiles_close(&p);
    }
    return 0;
}
