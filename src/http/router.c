/* router.c — the route table and path matching (see router.h). Routes are matched in the order
 * they were added; a table of a few dozen patterns is scanned, no index needed. */
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "http/query.h"

#define ROUTER_MAX 64

struct router {
    route routes[ROUTER_MAX];
    int n;
};

router *router_new(void)
{
    return calloc(1, sizeof(router));
}

void router_free(router *r)
{
    free(r);
}

int router_add_table(router *r, const route_def *defs, size_t n, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        if (r->n == ROUTER_MAX)
            return -1;
        r->routes[r->n++] = (route){defs[i].methods, defs[i].pattern, defs[i].fn, ctx, defs[i].label, 0};
    }
    return 0;
}

int router_count(const router *r)
{
    return r->n;
}

route *router_at(router *r, int i)
{
    return &r->routes[i];
}

static void free_captures(char **caps, int *ncap)
{
    for (int i = 0; i < *ncap; i++)
        free(caps[i]);
    *ncap = 0;
}

/* 1 match, 0 no match, -1 malformed escape. */
static int match(const char *pattern, const char *path, char **caps, int *ncap)
{
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
        if (pl == 1 && *p == '*') {
            if (sl == 0 || *ncap == ROUTER_MAX_CAPTURES)
                return 0;
            char *d;
            if (query_unescape_path(s, sl, &d, NULL) < 0)
                return -1;
            caps[(*ncap)++] = d;
        } else if (pl != sl || memcmp(p, s, pl) != 0) {
            return 0;
        }
        p += pl;
        s += sl;
    }
    return *p == 0 && *s == 0;
}

route *router_match(router *r, const char *path, char **caps, int *ncap, int *bad)
{
    *bad = 0;
    *ncap = 0;
    for (int i = 0; i < r->n; i++) {
        int m = match(r->routes[i].pattern, path, caps, ncap);
        if (m > 0)
            return &r->routes[i];
        free_captures(caps, ncap);
        if (m < 0) {
            *bad = 1;
            return NULL;
        }
    }
    return NULL;
}
