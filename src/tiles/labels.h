/* labels.h — place-label placement in global pixel space.
 *
 * For a zoom, the candidate places (population above the zoom's threshold, in gazetteer
 * priority order) are placed greedily over the whole world: each label tries four positions
 * around its dot and takes the first that collides with no label or dot already placed.
 * The result depends only on the zoom and the text measurements, never on which tile asks,
 * so a label crossing a tile edge is drawn identically on both neighbours. A tile then draws
 * the placed labels that intersect it (with ±world copies across the antimeridian). */
#ifndef CARTOUCHE_TILES_LABELS_H
#define CARTOUCHE_TILES_LABELS_H

#include <stddef.h>

#include "util/err.h"
#include "tiles/gazetteer.h"

/* Measure the ink box of utf8 at font size px (bold or regular): width and height in layout
 * pixels. Returns 0, or -1 to skip the label (e.g. unmeasurable text). */
typedef int (*tiles_measure_fn)(void *ctx, const char *utf8, double size, int bold, double *w,
                                double *h);

typedef struct {
    const tiles_place *place;
    double dot_x, dot_y;       /* the place, global px */
    double x, y, w, h;         /* label box, global px (text centred in it) */
    double size;               /* font size, px */
    int bold;
} tiles_label;

typedef struct {
    int z;
    double world;
    tiles_label *labels;
    size_t count;
    struct tiles_label_top *by_top; /* the labels by the top of their box (dot included) */
    double tallest;                 /* the tallest such box */
} tiles_label_set;

/* An entry of a set's look-up index. */
struct tiles_label_top {
    double top;
    size_t index;
};

/* Dot radius and the gap kept between label boxes (layout px). */
#define TILES_LABEL_DOT_R 2.5
#define TILES_LABEL_GAP 3.0

/* Smallest population labelled at zoom z (capitals are labelled from zoom 3 whatever their
 * population). */
unsigned long tiles_labels_min_population(int z);

int tiles_labels_place(const tiles_gazetteer *g, int z, tiles_measure_fn measure, void *ctx,
                       tiles_label_set *out, err_t *err);
void tiles_labels_free(tiles_label_set *set);

/* Labels (box or dot) intersecting the global rect [x0,x1) x [y0,y1) at the set's zoom.
 * Writes up to max entries, in label order: the label index and the x shift (0 or ±world)
 * under which it intersects; returns the number found (may exceed max: then only max of them
 * were written). */
typedef struct {
    size_t index;
    double shift;
} tiles_label_hit;

size_t tiles_labels_in_rect(const tiles_label_set *set, double x0, double y0, double x1,
                            double y1, tiles_label_hit *hits, size_t max);

#endif
