/* server.h — the HTTP layer as route handlers see it.
 *
 * A handler runs on the I/O loop: it validates the request into a plain struct, then either
 * replies directly (JSON, pre-encoded bytes) or hands an image job to the worker pool with
 * http_reply_image(). Every reply goes through these functions so that ETag/If-None-Match,
 * HEAD, Cache-Control, CORS, metrics and logging are handled once. */
#ifndef CARTOUCHE_SERVER_H
#define CARTOUCHE_SERVER_H

#include <jansson.h>
#include <stddef.h>

#include "core/render.h"
#include "http/query.h"
#include "http/router.h"
#include "util/config.h"
#include "util/err.h"


int http_req_method(const http_req *rq);
/* The settings the server runs with now (SIGHUP may change the live ones between requests). */
const config *http_config(const http_req *rq);
/* "public, max-age=N" from the settings: the Cache-Control of cacheable replies. */
const char *http_cache_control(const http_req *rq);
/* Parsed query (already percent-decoded). Handlers validate it with query_check(). */
const query *http_req_query(const http_req *rq);
/* Path capture i (0-based) of the route pattern, percent-decoded. */
const char *http_req_capture(const http_req *rq, int i);
/* Request body (POST), its length, and a request header (NULL if absent). */
const unsigned char *http_req_body(const http_req *rq, size_t *len);
/* The body's pieces as they lie in memory, in order, without copying them into one: fn's first
 * -1 stops the walk and is returned; 0 when every piece was given. */
int http_req_body_each(const http_req *rq, int (*fn)(const char *p, size_t n, void *ctx), void *ctx);
const char *http_req_header(const http_req *rq, const char *name);

/* Add a response header to the reply that follows (e.g. Location). */
void http_reply_header(http_req *rq, const char *name, const char *value);
/* Error reply: JSON body, status from the error kind, Cache-Control: no-store. */
void http_reply_error(http_req *rq, const err_t *err);
/* JSON reply (steals a reference to body). cache_control NULL = "no-cache". */
void http_reply_json(http_req *rq, int status, json_t *body, const char *cache_control);
/* The Content-Type of this request's JSON replies other than errors ("application/geo+json");
 * ctype must outlive the request (a string literal). */
void http_reply_json_type(http_req *rq, const char *ctype);
/* JSON serialised elsewhere with HTTP_JSON_FLAGS (on a worker: a large body then costs the loop
 * only its sending); txt is freed here. key NULL: no ETag; else a strong ETag from key
 * (If-None-Match honoured). cache_control NULL = "no-cache". */
#define HTTP_JSON_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)
void http_reply_json_text(http_req *rq, int status, char *txt, const char *key, const char *cache_control);
/* JSON reply with a strong ETag (If-None-Match honoured). */
void http_reply_json_etag(http_req *rq, json_t *body, const char *key, const char *cache_control);
/* Bytes that live as long as the request's data (static files of the catalog) or longer:
 * replied zero-copy, the request's data held until they are written; ETag from key,
 * If-None-Match and HEAD honoured. */
void http_reply_static(http_req *rq, const char *mime, const void *data, size_t len,
                       const char *key, const char *cache_control);
/* A byte range of an open file that lives as long as the request's data (tile packs): sent with
 * sendfile where possible, the request's data held until it is written; ETag from key,
 * If-None-Match and HEAD honoured. */
void http_reply_file(http_req *rq, const char *mime, int fd, long long offset, size_t len,
                     const char *key, const char *cache_control);
/* A whole file of total bytes opened for this request (fd is taken: closed once the reply is
 * written, or at once), answering a single byte Range (RFC 9110: 206 with Content-Range, 416
 * when unsatisfiable; If-Range by ETag; several ranges get the whole file) so that clients read
 * parts of it (GDAL's /vsicurl/ on a Cloud-Optimized GeoTIFF). */
void http_reply_file_ranges(http_req *rq, const char *mime, int fd, long long total,
                            const char *key, const char *cache_control);
/* Render on the worker pool: key is the canonical request (route + canonical query + versions
 * of what it depends on); ETag, If-None-Match, render cache, single-flight, admission control
 * and the reply are handled here. free_arg(arg) is called exactly once, on the I/O loop. */
void http_reply_image(http_req *rq, const char *key, const image_spec *spec,
                      const char *cache_control, draw_fn draw, void *arg,
                      void (*free_arg)(void *));

/* Work other than an image (parsing and storing an upload, reading the store) off the I/O loop:
 * run(arg, rc) on a worker (rc gives the worker's fonts; nothing of the request may be touched
 * there), then done(rq, arg) on the loop, which sends the reply. A full queue, or a job still
 * queued after wait_s seconds (0: --deadline-ms), is answered 503 with Retry-After instead and
 * done is not called. free_arg(arg) is called exactly once, on the I/O loop. */
typedef void (*work_fn)(void *arg, render_ctx *rc);
typedef void (*work_done_fn)(http_req *rq, void *arg);
void http_reply_work(http_req *rq, double wait_s, work_fn run, work_done_fn done, void *arg,
                     void (*free_arg)(void *));
/* 304 from the key alone: 1 (the 304 sent) when If-None-Match holds the ETag of key. */
int http_reply_if_not_modified(http_req *rq, const char *key, const char *cache_control);
/* The request body moved into a new NUL-terminated buffer (free()) that a worker may read;
 * NULL when out of memory. */
unsigned char *http_req_take_body(http_req *rq, size_t *len);

/* The data the routes serve from (the app's catalog), which SIGHUP reloads with the settings:
 * build(ctx, cfg, err) reads it from disk on a worker (NULL + err: the running data stays),
 * swap(ctx, data) makes it current on the loop; swap(ctx, NULL) at exit releases the current
 * data. hold(ctx) takes a reference to the current data for a request as it is dispatched, and
 * release(held) drops it once the request's reply has been written out (bytes replied by
 * reference from the data are sent before then), so a request finishes on the data it started
 * with whatever SIGHUP does meanwhile. */
typedef struct {
    void *(*build)(void *ctx, const config *cfg, err_t *err);
    void (*swap)(void *ctx, void *data);
    void *(*hold)(void *ctx);
    void (*release)(void *held);
    void *ctx;
} http_reload_ops;

/* The data this request was dispatched with (http_reload_ops.hold): valid until the reply is
 * written; a job that outlives the request takes a reference of its own. */
void *http_req_data(const http_req *rq);

/* Serve the router's routes with cfg until SIGTERM/SIGINT has drained; reload's data is built
 * once before serving. Returns the process exit code (0 after a clean drain). */
int server_run(const config *cfg, router *r, const http_reload_ops *reload);

#endif
