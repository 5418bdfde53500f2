/* labels.c — greedy, deterministic place-label placement over the world at one zoom
 * (see labels.h). Collisions are found with a uniform grid of 64 px cells that wraps
 * horizontally like the world; a tile finds its labels in an index by box top (a labelled tile
 * used to scan every label of its zoom, twice). */
#include "tiles/labels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tiles/tilemath.h"

#define CELL 64.0

/* Population thresholds per zoom: about as many labels as fit legibly at that scale. */
static const unsigned long min_pop[TILES_MAX_ZOOM + 1] = {
    6000000, 3000000, 1500000, 600000, 250000, 100000, 50000,
};

unsigned long tiles_labels_min_population(int z)
{
    if (z < 0)
        z = 0;
    if (z > TILES_MAX_ZOOM)
        z = TILES_MAX_ZOOM;
    return min_pop[z];
}

typedef struct {
    double x0, y0, x1, y1;
} box;

typedef struct {
    int ncols, nrows;
    double world;
    size_t **cells; /* per cell: indexes into boxes */
    size_t *ncell, *capcell;
    box *boxes;
    size_t nboxes, capboxes;
} grid;

static int grid_init(grid *g, double world)
{
    memset(g, 0, sizeof *g);
    g->world = world;
    g->ncols = (int)ceil(world / CELL);
    g->nrows = g->ncols;
    size_t n = (size_t)g->ncols * g->nrows;
    g->cells = calloc(n, sizeof *g->cells);
    g->ncell = calloc(n, sizeof *g->ncell);
    g->capcell = calloc(n, sizeof *g->capcell);
    return g->cells && g->ncell && g->capcell ? 0 : -1;
}

static void grid_free(grid *g)
{
    if (g->cells)
        for (size_t i = 0; i < (size_t)g->ncols * g->nrows; i++)
            free(g->cells[i]);
    free(g->cells);
    free(g->ncell);
    free(g->capcell);
    free(g->boxes);
}

static int row_of(const grid *g, double y)
{
    int r = (int)floor(y / CELL);
    return r < 0 ? 0 : r >= g->nrows ? g->nrows - 1 : r;
}

static size_t col_wrap(const grid *g, long c)
{
    c %= g->ncols;
    return (size_t)(c < 0 ? c + g->ncols : c);
}

static int overlaps(const box *a, const box *b, double shift)
{
    return a->x0 < b->x1 + shift && b->x0 + shift < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static int grid_hits(const grid *g, const box *b)
{
    long c0 = (long)floor(b->x0 / CELL), c1 = (long)floor(b->x1 / CELL);
    int r0 = row_of(g, b->y0), r1 = row_of(g, b->y1);
    if (c1 - c0 >= g->ncols)
        c1 = c0 + g->ncols - 1;
    for (int r = r0; r <= r1; r++)
        for (long c = c0; c <= c1; c++) {
            size_t cell = (size_t)r * g->ncols + col_wrap(g, c);
            for (size_t k = 0; k < g->ncell[cell]; k++) {
                const box *o = &g->boxes[g->cells[cell][k]];
                if (overlaps(b, o, 0) || overlaps(b, o, g->world) || overlaps(b, o, -g->world))
                    return 1;
            }
        }
    return 0;
}

static int grid_add(grid *g, const box *b)
{
    if (g->nboxes == g->capboxes) {
        size_t cap = g->capboxes ? g->capboxes * 2 : 1024;
        box *nb = realloc(g->boxes, cap * sizeof *nb);
        if (!nb)
            return -1;
        g->boxes = nb;
        g->capboxes = cap;
    }
    size_t id = g->nboxes++;
    g->boxes[id] = *b;
    long c0 = (long)floor(b->x0 / CELL), c1 = (long)floor(b->x1 / CELL);
    if (c1 - c0 >= g->ncols)
        c1 = c0 + g->ncols - 1;
    for (int r = row_of(g, b->y0); r <= row_of(g, b->y1); r++)
        for (long c = c0; c <= c1; c++) {
            size_t cell = (size_t)r * g->ncols + col_wrap(g, c);
            if (g->ncell[cell] == g->capcell[cell]) {
                size_t cap = g->capcell[cell] ? g->capcell[cell] * 2 : 4;
                size_t *nc = realloc(g->cells[cell], cap * sizeof *nc);
                if (!nc)
                    return -1;
                g->cells[cell] = nc;
                g->capcell[cell] = cap;
            }
            g->cells[cell][g->ncell[cell]++] = id;
        }
    return 0;
}

static box inflate(double x, double y, double w, double h, double by)
{
    box b = {x - by, y - by, x + w + by, y + h + by};
    return b;
}

/* A label's box with its dot, as tiles_labels_in_rect finds it. */
static void label_bounds(const tiles_label *l, double *bx0, double *by0, double *bx1, double *by1)
{
    const double r = TILES_LABEL_DOT_R + 1.0;
    *bx0 = fmin(l->x, l->dot_x - r), *bx1 = fmax(l->x + l->w, l->dot_x + r);
    *by0 = fmin(l->y, l->dot_y - r), *by1 = fmax(l->y + l->h, l->dot_y + r);
}

static int by_top_order(const void *a, const void *b)
{
    const struct tiles_label_top *x = a, *y = b;
    if (x->top != y->top)
        return x->top < y->top ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int hit_order(const void *a, const void *b)
{
    const tiles_label_hit *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->shift < y->shift ? -1 : x->shift > y->shift;
}

/* The set's labels indexed by the top of their box, and the tallest box. */
static int index_by_top(tiles_label_set *set)
{
    set->by_top = malloc(sizeof *set->by_top * (set->count ? set->count : 1));
    if (!set->by_top)
        return -1;
    set->tallest = 0;
    for (size_t i = 0; i < set->count; i++) {
        double bx0, by0, bx1, by1;
        label_bounds(&set->labels[i], &bx0, &by0, &bx1, &by1);
        set->tallest = fmax(set->tallest, by1 - by0);
        set->by_top[i] = (struct tiles_label_top){by0, i};
    }
    qsort(set->by_top, set->count, sizeof *set->by_top, by_top_order);
    return 0;
}

int tiles_labels_place(const tiles_gazetteer *gz, int z, tiles_measure_fn measure, void *ctx,
                       tiles_label_set *out, err_t *err)
{
    memset(out, 0, sizeof *out);
    out->z = z;
    out->world = tiles_world_size(z, TILES_TILE_SIZE);
    grid g;
    size_t cap = 0;
    if (grid_init(&g, out->world) != 0)
        goto oom;
    const unsigned long minp = tiles_labels_min_population(z);
    for (size_t i = 0; i < gz->count; i++) {
        const tiles_place *p = &gz->places[i];
        int capital = p->kind == TILES_PLACE_CAPITAL;
        if (p->population < minp && !(capital && z >= 3))
            continue;
        if (fabs(p->lat) > TILES_MAX_LAT - 0.5)
            continue;
        double size = p->population >= 5000000 ? 13.0 : p->population >= 1000000 ? 12.0 : 11.0;
        int bold = capital;
        double w, h;
        if (measure(ctx, p->name, size, bold, &w, &h) != 0 || w <= 0 || h <= 0)
            continue;
        /* The box carries room for the halo on every side. */
        w += 4.0;
        h += 4.0;
        double dx = tiles_lng_to_x(p->lng, out->world), dy = tiles_lat_to_y(p->lat, out->world);
        if (dx >= out->world)
            dx -= out->world;
        const double r = TILES_LABEL_DOT_R, pad = 2.0;
        box dot = inflate(dx - r, dy - r, 2 * r, 2 * r, 1.0);
        if (grid_hits(&g, &dot))
            continue;
        /* Right, left, above, below the dot. */
        const double cand[4][2] = {
            {dx + r + pad, dy - h / 2},
            {dx - r - pad - w, dy - h / 2},
            {dx - w / 2, dy - r - pad - h},
            {dx - w / 2, dy + r + pad},
        };
        int chosen = -1;
        for (int k = 0; k < 4 && chosen < 0; k++) {
            if (cand[k][1] < 0 || cand[k][1] + h > out->world)
                continue;
            box lb = inflate(cand[k][0], cand[k][1], w, h, TILES_LABEL_GAP / 2);
            if (!grid_hits(&g, &lb))
                chosen = k;
        }
        if (chosen < 0)
            continue;
        box lb = inflate(cand[chosen][0], cand[chosen][1], w, h, TILES_LABEL_GAP / 2);
        if (grid_add(&g, &lb) != 0 || grid_add(&g, &dot) != 0)
            goto oom;
        if (out->count == cap) {
            cap = cap ? cap * 2 : 256;
            tiles_label *nl = realloc(out->labels, cap * sizeof *nl);
            if (!nl)
                goto oom;
            out->labels = nl;
        }
        tiles_label *l = &out->labels[out->count++];
        l->place = p;
        l->dot_x = dx;
        l->dot_y = dy;
        l->x = cand[chosen][0];
        l->y = cand[chosen][1];
        l->w = w;
        l->h = h;
        l->size = size;
        l->bold = bold;
    }
    grid_free(&g);
    if (index_by_top(out) != 0)
        goto oom_placed;
    return 0;
oom:
    grid_free(&g);
oom_placed:
    tiles_labels_free(out);
    err_set(err, ERR_INTERNAL, NULL, "out of memory placing labels at zoom %d", z);
    return -1;
}

void tiles_labels_free(tiles_label_set *set)
{
    free(set->labels);
    free(set->by_top);
    memset(set, 0, sizeof *set);
}

size_t tiles_labels_in_rect(const tiles_label_set *set, double x0, double y0, double x1,
                            double y1, tiles_label_hit *hits, size_t max)
{
    /* The first label whose box's top could be low enough to meet y0, then down to y1. */
    size_t lo = 0, hi = set->count, n = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->by_top[mid].top < y0 - set->tallest)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j < set->count; j++) {
        size_t i = set->by_top[j].index;
        const tiles_label *l = &set->labels[i];
        double bx0, by0, bx1, by1;
        label_bounds(l, &bx0, &by0, &bx1, &by1);
        if (by0 >= y1)
            break;
        if (by1 <= y0)
            continue;
        for (int k = -1; k <= 1; k++) {
            double s = k * set->world;
            if (bx1 + s <= x0 || bx0 + s >= x1)
                continue;
            if (n < max) {
                hits[n].index = i;
                hits[n].shift = s;
            }
            n++;
        }
    }
    qsort(hits, n < max ? n : max, sizeof *hits, hit_order);
    return n;
}
