/* fuzz_pmtiles.c — reading a PMTiles v3 archive that --layer NAME=PATH was given (the header,
 * varint directories, leaf directories, JSON metadata): tiles_pmtiles_open on the input as a
 * file, then lookups of tile ids taken from the input. Invariants: a refused archive says why;
 * every tile found lies inside the file. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tiles/pack.h"
#include "tiles/pmtiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    int fd = memfd_create("fuzz.pmtiles", 0);
    if (fd < 0)
        abort();
    if (len && write(fd, data, len) != (ssize_t)len)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    tiles_pack p;
    memset(&p, 0, sizeof p);
    err_t err = {0};
    if (tiles_pmtiles_open(&p, path, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
    } else {
        /* ids near the input's own bytes, and the first tiles of each zoom */
        uint64_t ids[16] = {0, 1, 2, 3, 4, 5, 21, 85, 341, 1365};
        for (size_t i = 0; i + 8 <= len && i < 6 * 8; i += 8)
            memcpy(&ids[10 + i / 8], data + i, 8);
        for (size_t i = 0; i < 16; i++) {
            long long off;
            size_t n;
            if (tiles_pmtiles_find(&p, ids[i], &off, &n) == 0)
                FUZZ_CHECK(off >= 0 && (unsigned long long)off + n <= len);
        }
        tiles_pack_close(&p);
    }
    close(fd);
    return 0;
}
