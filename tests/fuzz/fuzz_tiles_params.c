/* fuzz_tiles_params.c — the map request parameters: /v1/static (tiles_static_parse: center,
 * zoom, bbox, size, scale, markers, labels, paths), /v1/scenes (tiles_scene_query_parse: bbox,
 * datetime intervals, sortby, limit) and the labels= option. The first byte picks the parser,
 * the rest is the query string. Invariants: an accepted static map has a size within the limits
 * and a zoom in range; a refused request names its reason. */
#include "fuzz_util.h"
#include "tiles/scenes.h"
#include "tiles/staticmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    char *raw = fuzz_cstr(data + 1, len - 1);
    query q;
    err_t err = {0};
    if (query_parse(raw, &q, 512, &err) < 0) {
        free(raw);
        return 0;
    }
    switch (data[0] % 3) {
    case 0: {
        tiles_static_req r;
        memset(&r, 0, sizeof r);
        if (tiles_static_parse(&q, &r, &err) == 0) {
            FUZZ_CHECK(r.width >= TILES_STATIC_MIN_SIZE && r.width <= TILES_STATIC_MAX_SIZE);
            FUZZ_CHECK(r.height >= TILES_STATIC_MIN_SIZE && r.height <= TILES_STATIC_MAX_SIZE);
            FUZZ_CHECK(r.scale == 1 || r.scale == 2);
            FUZZ_CHECK(r.zoom >= 0 && r.zoom <= 30);
            FUZZ_CHECK(r.nmarkers <= TILES_STATIC_MAX_MARKERS && r.nlabels <= TILES_STATIC_MAX_LABELS);
            FUZZ_CHECK(r.npaths <= TILES_STATIC_MAX_PATHS);
        } else {
            FUZZ_CHECK(err.msg[0] != 0);
        }
        tiles_static_free(&r);
        break;
    }
    case 1: {
        tiles_scene_query sq;
        if (tiles_scene_query_parse(&q, &sq, &err) == 0) {
            FUZZ_CHECK(sq.nsort >= 0 && sq.nsort <= TILES_SCENE_MAX_SORT);
            FUZZ_CHECK(sq.limit >= 0 && sq.limit <= TILES_SCENE_MAX_LIMIT);
        } else {
            FUZZ_CHECK(err.msg[0] != 0);
        }
        break;
    }
    default: {
        int places = -1, grat = -1;
        if (tiles_parse_label_options(raw, &places, &grat) == 0)
            FUZZ_CHECK((places == 0 || places == 1) && (grat == 0 || grat == 1));
        break;
    }
    }
    query_free(&q);
    free(raw);
    return 0;
}
