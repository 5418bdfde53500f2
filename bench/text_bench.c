/* text_bench.c — micro-benchmark of the text engine on the W1 card's labels: 64 labels of
 * 220x32 px on a 1920x1080 surface, text 18 px shrinking to 8 px, padding 4, every label's text
 * different on every card (a counter is appended) so nothing is cached but glyphs and fonts.
 * Prints µs per label for fitting alone and for fitting + drawing, in a few styles.
 *
 * Build and run from the repository root (after `make` has built the objects):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Isrc $(pkg-config --cflags cairo harfbuzz fribidi freetype2 jansson) \
 *      bench/text_bench.c build/src/text*.o build/src/err.o \
 *      $(pkg-config --libs cairo harfbuzz fribidi freetype2 jansson) -lm -lpthread -o build/text_bench
 *   build/text_bench [cards]                                                                  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"

static const char *actions[] = {
    "Landing Gear Toggle / Emergency Extend", "Throttle", "Boost", "Flight Assist Off",
    "Deploy Hardpoints", "Cycle Next Fire Group", "Target Ahead", "Silent Running",
    "Heat Sink", "Chaff Launcher", "Shield Cell", "Supercruise", "Hyperspace Jump",
    "Pitch Up", "Roll Left", "Yaw Right", "Lateral Thrust Left", "Vertical Thrust Up",
    "Cargo Scoop", "Lights", "Night Vision", "Galaxy Map", "System Map", "Select Target",
    "Primary Fire", "Secondary Fire", "Increase Engines Power", "Reset Power Distribution",
    "Orbit Lines", "Headlook Reset", "Fahrwerk ausfahren", "Train d'atterrissage",
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    const char *name;
    int wrap, halo, fill, draw;
} mode;

int main(int argc, char **argv)
{
    int cards = argc > 1 ? atoi(argv[1]) : 300;
    err_t err = {0};
    text_fonts *tf = text_fonts_new("fonts/fonts.json", &err);
    if (!tf) {
        fprintf(stderr, "text_bench: %s\n", err.msg);
        return 1;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1920, 1080);
    cairo_t *cr = cairo_create(surf);
    const int nact = sizeof actions / sizeof actions[0];
    const mode modes[] = {
        {"fit only", 0, 0, 0, 0},
        {"fit + draw", 0, 0, 0, 1},
        {"fit + draw, box fill", 0, 0, 1, 1},
        {"fit + draw, wrap", 1, 0, 1, 1},
        {"fit + draw, halo 2px", 0, 1, 0, 1},
    };
    for (size_t mi = 0; mi < sizeof modes / sizeof modes[0]; mi++) {
        const mode *m = &modes[mi];
        text_style st = {0};
        st.max_size = 18;
        st.min_size = 8;
        st.padding = 4;
        st.wrap = m->wrap;
        st.color = (text_rgba){0.1, 0.1, 0.1, 1};
        if (m->fill)
            st.fill = (text_rgba){1, 1, 1, 0.85}, st.radius = 4;
        if (m->halo)
            st.halo = (text_rgba){1, 1, 1, 1}, st.halo_width = 2;
        double best = 1e9, total = 0;
        long glyphs = 0, truncated = 0;
        for (int c = 0; c < cards + 20; c++) { /* 20 warm-up cards */
            double t0 = now();
            for (int i = 0; i < 64; i++) {
                char text[128];
                int n = snprintf(text, sizeof text, "%s %d", actions[(i + c) % nact], (c * 64 + i) % 1000);
                text_box box = {10 + (i % 8) * 236, 40 + (i / 8) * 120, 220, 32};
                text_layout *lo = text_layout_fit(tf, text, (size_t)n, &st, box, &err);
                if (!lo) {
                    fprintf(stderr, "text_bench: %s\n", err.msg);
                    return 1;
                }
                if (m->draw)
                    text_layout_draw(lo, cr);
                if (c >= 20) {
                    text_metrics tm;
                    text_layout_metrics(lo, &tm);
                    glyphs += text_layout_glyph_count(lo);
                    truncated += tm.truncated;
                }
                text_layout_free(lo);
            }
            cairo_surface_flush(surf);
            double dt = now() - t0;
            if (c >= 20) {
                total += dt;
                if (dt < best)
                    best = dt;
            }
        }
        printf("%-24s %7.2f us/label mean, %7.2f best; %5.3f ms per 64-label card; "
               "%.1f glyphs/label, %ld truncated\n",
               m->name, total / cards / 64 * 1e6, best / 64 * 1e6, total / cards * 1e3,
               (double)glyphs / cards / 64, truncated);
    }
    cairo_surface_write_to_png(surf, "build/text_bench.png");
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    text_fonts_free(tf);
    return 0;
}
