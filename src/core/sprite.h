/* Coverage sprites: the antialiased coverage of a path, rasterised once by cairo into an A8
 * image and kept as the covered span of each row, then painted in a colour over an image surface
 * at the same device position. For a translucent colour the pixels are exactly cairo's own
 * stroke or fill of the path (the blend is pixman's OVER, tested against cairo); what is saved is
 * cairo's cost per span, most of the cost of a long diagonal line. */
#ifndef CARTOUCHE_SPRITE_H
#define CARTOUCHE_SPRITE_H

#include <cairo.h>
#include <stddef.h>

typedef struct sprite sprite;

/* The coverage of cr's current path, stroked (with cr's line width, cap, join and dashes) or
 * filled (cr's fill rule), under cr's matrix, antialiasing and tolerance. cr's path is left as it
 * was. NULL when out of memory or when cr's target has a device offset. */
sprite *sprite_new(cairo_t *cr, int stroke);
void sprite_free(sprite *s);
size_t sprite_bytes(const sprite *s);

/* Paint s in (r, g, b) at alpha a, 0 <= a < 1, over cr's target: an RGB24 or ARGB32 image surface
 * without a device offset that holds all of s, with the operator OVER, the matrix s was made
 * under and no clip inside s. -1, and nothing painted, when any of that does not hold: the
 * caller then strokes or fills the path itself. */
int sprite_paint(const sprite *s, cairo_t *cr, double r, double g, double b, double a);

#endif
