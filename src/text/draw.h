/* draw.h — the small drawing helpers every product shares, once: hex colours and rounded
 * boxes (cards, refcards and tiles draw on cairo with these and with text.h). */
#ifndef CARTOUCHE_TEXT_DRAW_H
#define CARTOUCHE_TEXT_DRAW_H

#include <cairo.h>

#include "text/text.h"

/* "#rgb", "#rrggbb" or "#rrggbbaa" (either case) into out; 0, or -1 if s is none of them. */
int text_color_parse(const char *s, text_rgba *out);

/* Adds a rectangle with corners of radius r (at most half the shorter side; r <= 0: square
 * corners) to the current path as a closed sub-path. */
void text_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r);

#endif
