/* draw.c — the drawing helpers of draw.h: hex colour parsing and rounded rectangles, shared by
 * the text engine's box fills and the products' cards, callouts and device art. */
#include "text/draw.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

int text_color_parse(const char *s, text_rgba *out)
{
    if (!s || s[0] != '#')
        return -1;
    size_t n = strlen(s + 1);
    unsigned v[8];
    for (size_t i = 0; i < n; i++) {
        int c = tolower((unsigned char)s[1 + i]);
        if (!isxdigit(c))
            return -1;
        v[i < 8 ? i : 7] = (unsigned)(isdigit(c) ? c - '0' : c - 'a' + 10);
    }
    unsigned r, g, b, a = 255;
    if (n == 3) {
        r = v[0] * 17, g = v[1] * 17, b = v[2] * 17;
    } else if (n == 6 || n == 8) {
        r = v[0] * 16 + v[1], g = v[2] * 16 + v[3], b = v[4] * 16 + v[5];
        if (n == 8)
            a = v[6] * 16 + v[7];
    } else {
        return -1;
    }
    *out = (text_rgba){r / 255.0, g / 255.0, b / 255.0, a / 255.0};
    return 0;
}

void text_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}
