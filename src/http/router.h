/* router.h — the route table: products add their routes at start-up (method set, a path pattern
 * whose "*" segments are captured, a handler and its context); the server matches requests. */
#ifndef CARTOUCHE_ROUTER_H
#define CARTOUCHE_ROUTER_H

#include <stddef.h>

typedef struct http_req http_req;

enum { HTTP_M_GET = 1, HTTP_M_HEAD = 2, HTTP_M_POST = 4, HTTP_M_OPTIONS = 8,
       HTTP_M_GH = HTTP_M_GET | HTTP_M_HEAD };

/* A route's handler, on the I/O loop; ctx is what its module registered it with. */
typedef void (*http_handler)(http_req *rq, void *ctx);

typedef struct {
    int methods;         /* HTTP_M_* */
    const char *pattern; /* "/v1/tiles/ *" (no space): a "*" segment captures one path segment */
    http_handler fn;
    void *ctx;           /* passed to fn; owned by the product that added the route */
    const char *label;   /* metrics route label */
    int id;              /* metrics route index */
} route;

typedef struct router router;

router *router_new(void);
void router_free(router *r);
/* A module's routes, declared as a static table. */
typedef struct {
    int methods;
    const char *pattern;
    http_handler fn;
    const char *label;
} route_def;

/* Add a module's routes (the table must outlive the router), each called with ctx; -1 when the
 * router is full. */
int router_add_table(router *r, const route_def *defs, size_t n, void *ctx);
int router_count(const router *r);
route *router_at(router *r, int i);

/* The first route whose pattern matches path; its captures (percent-decoded, malloc'd) are
 * stored in caps (at most ROUTER_MAX_CAPTURES) and counted in *ncap. NULL when none matches;
 * *bad is set when a segment holds a malformed percent-escape (400). */
#define ROUTER_MAX_CAPTURES 6
route *router_match(router *r, const char *path, char **caps, int *ncap, int *bad);

#endif
