/* server.c — speaks HTTP: the libevent loop, connection accounting (cap, TCP_NODELAY, header
 * timeout), the route table, request validation common to every route, every kind of reply
 * (errors, JSON, static bytes, rendered images with ETag/304/HEAD/cache/single-flight/503),
 * metrics and the access log, and the signals (SIGTERM drain, SIGHUP reload).
 *
 * Only the I/O loop thread touches evhttp objects. Image jobs go to pool.c's workers and come
 * back through pool_job.done on this loop, where the reply is sent exactly once. */
#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h> /* the request's HTTP version (no getter in 2.1) */
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/etag.h"
#include "core/imagejob.h"
#include "core/l2.h"
#include "util/log.h"
#include "core/metrics.h"
#include "core/pool.h"
#include "core/render.h"
#include "http/pace.h"
#include "http/router.h"
#include "util/hash.h"

#define MAX_CAPTURES ROUTER_MAX_CAPTURES

struct http_req {
    struct server *srv;
    struct evhttp_request *ev;
    query q;
    char *cap[MAX_CAPTURES];
    int ncap;
    int method;
    int route;          /* metrics label index */
    double t0;
    const char *cache;  /* "hit", "miss", "coalesced", "-" for the log */
    char allow[32];     /* Allow header of a 405 */
    size_t body_charge; /* budget bytes of a body taken out of the request (http_req_take_body) */
    const char *json_type; /* Content-Type of the next successful JSON reply; NULL: application/json */
    int body_short;     /* the budget could not hold reading that body: http_reply_work answers 503 */
    int no_write_deadline; /* a file reply: holds no memory, may take as long as the client needs */
    char image_etag[ETAG_LEN]; /* an image reply's ETag, MIME type and Cache-Control */
    const char *image_mime;
    char image_cc[128];
    void *held;         /* the data dispatched with (reload.hold); released when written out */
    int paced;          /* its refusal waited for its address's pace (pace.h): not again */
};

/* ---------------------------------------------------------------- connections */

typedef struct server server;

/* A socket kept open after its connection ended, so that the client reads its error reply (see
 * linger_start). */
typedef struct lingerer {
    server *srv;
    evutil_socket_t fd;
    struct event *ev;
    size_t drained;
    double until;
    struct lingerer *prev, *next;
} lingerer;

typedef struct conn {
    server *srv;
    struct evhttp_connection *evcon; /* NULL until on_accepted */
    struct bufferevent *bev;
    struct event *header_timer; /* a request must arrive within header_timeout */
    int busy;                   /* a request of this connection is being answered */
    int writing;                /* a reply has been sent and is not yet written out */
    size_t rx;                  /* bytes received since the last request was dispatched */
    long first_eol;             /* where that request's line ended (-1: not yet seen) */
    char tail[32];              /* the last bytes received (a chunk-size line libevent refused) */
    size_t tail_len;
    size_t charged;             /* bytes received for the request being read or answered, charged
                                   to the memory budget's input share until its reply is written */
    size_t prepaid;             /* of charged: a declared body's bytes not yet received */
    int head_seen;              /* the request's header block has been read (Content-Length known) */
    int sized;                  /* ... and it declared a Content-Length: no chunk-size lines follow */
    int refused;                /* the budget could not hold its body: 1 for now (503), 2 ever (413) */
    int linger;                 /* closed after an error reply while its body may still be coming */
    struct event *write_timer;  /* a reply must be written out within io_timeout (slow readers) */
    UT_hash_handle hh;          /* in server.conns, by evcon */
} conn;

struct server {
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct evconnlistener *listener;
    conn *conns;       /* by evcon pointer (uthash) */
    long pending;      /* requests accepted and not yet answered */
    long writing;      /* replies sent and not yet written to their sockets (conn.writing) */
    struct event *sig_term, *sig_int, *sig_hup, *drain_timer, *expire_timer;
    char cache_control[64];
    long libevent_hdr_cap;  /* evhttp's own header limit, above ours */
    struct event *trim_timer;        /* gives freed heap back to the system once load has passed */
    unsigned long activity, activity_seen;
    int trim_due;
    config cfg;              /* swapped on SIGHUP (the settings that may change while running) */
    int ready;               /* the reloadable data is loaded */
    int serving;             /* and the workers run: /readyz answers 200 */
    int draining;            /* SIGTERM received */
    router *router;
    http_reload_ops reload;  /* the data SIGHUP reloads besides the settings */
    int reload_running, reload_again; /* a SIGHUP reload is under way; another is due after it */
    int rewriting;           /* on_output_added is replacing libevent's error page */
    lingerer *lingering;     /* sockets closing after an error reply (list) */
    long n_lingering;
    pace *pace;              /* refusals per client address (--refusal-rate) */
    struct paced *paced;     /* refusals waiting for their address's pace (list) */
    long n_paced;
    /* the image-job core */
    metrics m;
    budget *budget;
    splice_store *splices;
    render_env env;
    pool *pool;
    rcache *cache;
    l2 *l2;
    imagejobs *jobs;
};

static conn *conn_find(server *srv, struct evhttp_connection *evcon)
{
    conn *c = NULL;
    if (evcon)
        HASH_FIND_PTR(srv->conns, &evcon, c);
    return c;
}

static void accept_update(server *srv)
{
    long n = atomic_load(&srv->m.g.connections);
    int paused = atomic_load(&srv->m.g.accept_paused) != 0;
    if (!srv->listener || srv->draining)
        return;
    if (!paused && n >= srv->cfg.max_connections) {
        evconnlistener_disable(srv->listener);
        atomic_store(&srv->m.g.accept_paused, 1);
    } else if (paused && n < srv->cfg.max_connections) {
        evconnlistener_enable(srv->listener);
        atomic_store(&srv->m.g.accept_paused, 0);
    }
}

static void maybe_finish_drain(server *srv);
static void on_input_added(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg);
static void on_output_added(struct evbuffer *out, const struct evbuffer_cb_info *info, void *arg);

/* The connection's state ends with it: its buffers stop calling back into it first. */
static void conn_free(conn *c)
{
    evbuffer_remove_cb(bufferevent_get_input(c->bev), on_input_added, c);
    evbuffer_remove_cb(bufferevent_get_output(c->bev), on_output_added, c);
    if (c->header_timer)
        event_free(c->header_timer);
    if (c->write_timer)
        event_free(c->write_timer);
    free(c);
}

/* Lingering close (RFC 9112, section 9.6): when the server ends a connection after an error reply
 * while the client may still be sending its body (a body refused by the memory budget or over
 * --max-body, a bad chunk), closing at once with unread bytes makes the kernel answer with a
 * reset, which can destroy the reply before the client has read it: the client then sees
 * "connection reset" instead of the 503/413 that says why. So the socket is kept for a while and
 * what arrives is read and dropped (never stored or charged), until the client closes,
 * LINGER_BYTES have come or LINGER_S have passed. At most LINGER_MAX sockets linger at once. */
#define LINGER_S 2.0
#define LINGER_BYTES ((size_t)64 << 20)
#define LINGER_MAX 256

static void linger_end(lingerer *l)
{
    server *srv = l->srv;
    if (l->prev)
        l->prev->next = l->next;
    else
        srv->lingering = l->next;
    if (l->next)
        l->next->prev = l->prev;
    srv->n_lingering--;
    event_free(l->ev);
    evutil_closesocket(l->fd);
    free(l);
}

static void on_linger(evutil_socket_t fd, short what, void *arg)
{
    lingerer *l = arg;
    char buf[16384];
    for (int i = 0; i < 16 && (what & EV_READ); i++) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            l->drained += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        linger_end(l); /* the client closed (or the socket failed): done */
        return;
    }
    if ((what & EV_TIMEOUT) || l->drained >= LINGER_BYTES || budget_now() >= l->until)
        linger_end(l);
}

/* Called while libevent still holds the socket (it shuts our side down and closes its descriptor
 * right after): a duplicate keeps the socket open for lingering. */
static void linger_start(server *srv, evutil_socket_t fd)
{
    if (fd < 0 || srv->n_lingering >= LINGER_MAX || srv->draining)
        return;
    lingerer *l = calloc(1, sizeof *l);
    if (!l)
        return;
    l->srv = srv;
    l->until = budget_now() + LINGER_S;
    if ((l->fd = dup(fd)) < 0 || !(l->ev = event_new(srv->base, l->fd, EV_READ | EV_PERSIST, on_linger, l))) {
        if (l->fd >= 0)
            close(l->fd);
        free(l);
        return;
    }
    struct timeval tv = {(long)LINGER_S, 0};
    event_add(l->ev, &tv);
    l->next = srv->lingering;
    if (l->next)
        l->next->prev = l;
    srv->lingering = l;
    srv->n_lingering++;
}

static void on_conn_close(struct evhttp_connection *evcon, void *arg)
{
    conn *c = arg;
    server *srv = c->srv;
    if (c->linger)
        linger_start(srv, bufferevent_getfd(c->bev));
    if (HASH_ADDED(c))
        HASH_DEL(srv->conns, c);
    if (c->writing) /* the client went away before its reply was written */
        srv->writing--;
    if (c->charged)
        budget_release_input(srv->budget, c->charged);
    conn_free(c);
    atomic_fetch_sub(&srv->m.g.connections, 1);
    srv->activity++;
    accept_update(srv);
    maybe_finish_drain(srv);
}

/* Slowloris: the connection did not deliver a whole request in time. */
static void on_header_timeout(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    if (!c->busy)
        evhttp_connection_free(c->evcon); /* runs on_conn_close */
}

/* A slow reader: its reply was not written out within io_timeout. Closing frees the output
 * buffer, and with it the reference on the reply's blob, so the budget gets it back. */
static void on_write_deadline(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    log_msg("info", "closing a connection whose reply was not read within %lds", c->srv->cfg.io_timeout_s);
    atomic_fetch_add(&c->srv->m.g.slow_readers, 1);
    evhttp_connection_free(c->evcon); /* runs on_conn_close */
}

static void header_timer_start(conn *c)
{
    struct timeval tv = {c->srv->cfg.header_timeout_s, 0};
    evtimer_add(c->header_timer, &tv);
}

/* Runs once right after accept: evhttp has wired the bufferevent to its connection by now,
 * so the connection is reachable as the bufferevent's callback argument. The connection's state
 * was made with the bufferevent (on_new_bev), which holds a reference on it until here so it
 * cannot be freed under us. */
static void on_accepted(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    server *srv = c->srv;
    struct bufferevent *bev = c->bev;
    void *cbarg = NULL;
    bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
    struct evhttp_connection *evcon = cbarg;
    if (!evcon) { /* already closed by evhttp */
        conn_free(c);
        atomic_fetch_sub(&srv->m.g.connections, 1);
        accept_update(srv);
        bufferevent_decref(bev);
        return;
    }
    int one = 1;
    evutil_socket_t sfd = bufferevent_getfd(bev);
    if (sfd >= 0)
        setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->evcon = evcon;
    HASH_ADD_PTR(srv->conns, evcon, c);
    header_timer_start(c);
    evhttp_connection_set_closecb(evcon, on_conn_close, c);
    bufferevent_decref(bev);
}

static const char *reason_of(int status);

/* Reading a body (an upload on a worker: decoding to UTF-8, the parser's tree, the bundle and the
 * bindings, the store's statement; a JSON body's tree on the loop) takes memory of its own, on top
 * of the body: one 3 MiB Elite .binds raised the peak by 9 MB besides the body and its copy. That
 * much is charged with a declared body before it is read, so that a body admitted can also be
 * read, and one that cannot is refused before it is sent. */
#define WORK_BYTES_PER_BODY_BYTE 3

/* Bytes received are charged to the memory budget as they arrive. When it cannot hold them, the
 * connection's body limit drops to nothing: libevent then refuses the body being read at once
 * (413, which on_output_added turns into our 503 or 413), and the bytes already read are freed
 * with the connection. A request without a body is not affected. */
static void charge_input(conn *c, size_t n)
{
    size_t paid = n < c->prepaid ? n : c->prepaid;
    c->prepaid -= paid;
    n -= paid;
    if (c->refused || n == 0)
        return;
    if (budget_try_reserve_input(c->srv->budget, n) == 0) {
        c->charged += n;
        return;
    }
    c->refused = c->charged + n > budget_limit(c->srv->budget) / 2 ? 2 : 1;
    atomic_fetch_add(&c->srv->m.g.bodies_refused, 1);
    evhttp_connection_set_max_body_size(c->evcon, 0);
}

/* A body's declared length is charged as soon as the header block is in, in one piece: when
 * many uploads arrive at once, the ones the budget can hold are read whole and the others are
 * refused before their bodies are sent, instead of every one filling the budget halfway and
 * all of them failing. A body without Content-Length (chunked) is charged as it arrives. */
static void charge_declared_body(conn *c, struct evbuffer *in)
{
    struct evbuffer_ptr end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
    if (end.pos < 0)
        return;
    c->head_seen = 1;
    char head[8192];
    size_t n = (size_t)end.pos < sizeof head - 1 ? (size_t)end.pos : sizeof head - 1;
    if (evbuffer_copyout(in, head, n) != (ev_ssize_t)n)
        return;
    head[n] = 0;
    /* libevent takes complete lines off the buffer as they come: the block may start mid-way. */
    for (char *p = head; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, "Content-Length:", 15) != 0)
            continue;
        char *digits = p + 15 + strspn(p + 15, " \t"), *stop;
        unsigned long long declared = strtoull(digits, &stop, 10);
        if (stop == digits || declared > (unsigned long long)c->srv->cfg.max_body)
            return; /* not a length, or over --max-body: libevent or check_limits refuse it */
        c->sized = 1;
        size_t here = evbuffer_get_length(in) - (size_t)end.pos - 4; /* charged already */
        size_t to_come = declared > here ? (size_t)declared - here : 0;
        charge_input(c, to_come + (size_t)declared * WORK_BYTES_PER_BODY_BYTE);
        if (!c->refused)
            c->prepaid += to_come;
        return;
    }
}

/* Bytes arriving: counted per request, and where its request line ends, so that a request
 * libevent refuses on size can be answered 414, 431 or 413 rather than its generic 400/413. */
static void on_input_added(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg)
{
    conn *c = arg;
    if (!info->n_added || !c->evcon) /* before on_accepted: not counted yet */
        return;
    c->rx += info->n_added;
    charge_input(c, info->n_added);
    if (!c->head_seen && !c->busy)
        charge_declared_body(c, in);
    size_t len = evbuffer_get_length(in), take = len < sizeof c->tail ? len : sizeof c->tail;
    struct evbuffer_ptr from; /* (finding the end walks the buffer: not for a body of known size) */
    if (!c->sized && evbuffer_ptr_set(in, &from, len - take, EVBUFFER_PTR_SET) == 0)
        c->tail_len = (size_t)(evbuffer_copyout_from(in, &from, c->tail, take) > 0 ? take : 0);
    if (c->first_eol < 0 && !c->busy) {
        /* libevent keeps the request line in the buffer until its CRLF has arrived */
        struct evbuffer_ptr eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_CRLF);
        if (eol.pos >= 0)
            c->first_eol = (long)eol.pos;
    }
}

/* libevent answers 413 both to a chunk over the body limit and to a chunk-size line that is not
 * hexadecimal: the latter is the last line received when it refused. */
static int chunk_line_is_bad(const conn *c)
{
    size_t n = c->tail_len;
    if (n < 3 || c->tail[n - 2] != '\r' || c->tail[n - 1] != '\n')
        return 0;
    size_t start = n - 2;
    while (start > 0 && c->tail[start - 1] != '\n')
        start--;
    if (start == 0 && n == sizeof c->tail)
        return 0; /* the line began before what we kept */
    if (start == n - 2 || memchr(c->tail + start, ':', n - 2 - start))
        return 0; /* the blank line after the headers, or a header line */
    size_t hex = 0;
    while (start + hex < n - 2 && isxdigit((unsigned char)c->tail[start + hex]))
        hex++;
    return hex == 0 || (start + hex < n - 2 && c->tail[start + hex] != ';');
}

/* The JSON error that replaces libevent's own HTML page for status (its 400, 413, 417, 501). */
static int libevent_error_json(server *srv, conn *c, int status, char *msg, size_t cap)
{
    if (status == 413 && c && c->refused == 1) {
        snprintf(msg, cap, "the server is busy: the memory budget cannot hold this request body now, "
                           "retry shortly");
        return 503;
    }
    if (status == 413 && c && c->refused == 2) {
        snprintf(msg, cap, "request body too large for the memory budget: holding and reading it takes "
                           "%d times its size, and request bodies may use at most %zu bytes (half of "
                           "--memory-budget-mb)", 1 + WORK_BYTES_PER_BODY_BYTE, budget_limit(srv->budget) / 2);
        return 413;
    }
    long line = c ? c->first_eol : -1;
    int size_failure = c && (long)c->rx > srv->libevent_hdr_cap;
    if ((status == 400 || status == 413) && c && (line > srv->cfg.max_uri || (line < 0 && size_failure))) {
        snprintf(msg, cap, "request line longer than %ld bytes", srv->cfg.max_uri);
        return 414;
    }
    if (status == 400 && size_failure) {
        snprintf(msg, cap, "request headers exceed %ld bytes", srv->cfg.max_headers);
        return 431;
    }
    if (status == 413 && c && chunk_line_is_bad(c)) {
        snprintf(msg, cap, "malformed chunked body (chunk size is not hexadecimal)");
        return 400;
    }
    switch (status) {
    case 413: snprintf(msg, cap, "request body larger than %ld bytes", srv->cfg.max_body); break;
    case 417: snprintf(msg, cap, "unsupported Expect header (only 100-continue)"); break;
    case 501: snprintf(msg, cap, "method not implemented"); break;
    case 505: snprintf(msg, cap, "HTTP version not supported"); break;
    default:
        snprintf(msg, cap, "malformed request (request line, HTTP version, header or target that HTTP/1.1 "
                           "does not allow)");
        status = 400;
    }
    return status;
}

/* libevent 2.1 answers what it cannot parse (an unknown method, HTTP/9.9 or 0.9, a NUL in the
 * target, a request line or header block over its cap, a bad chunk size) itself, with an HTML
 * page. Every error of ours is JSON with Cache-Control: no-store, so that page is swapped for
 * ours as it is queued: it is always the connection's last reply (libevent closes after it)
 * and it is added in one piece right after its header lines. */
static void on_output_added(struct evbuffer *out, const struct evbuffer_cb_info *info, void *arg)
{
    static const char marker[] = "<HTML><HEAD>\n<TITLE>";
    conn *c = arg;
    server *srv = c->srv;
    char head[sizeof marker - 1];
    if (srv->rewriting || info->n_added < sizeof head || info->n_added > 512)
        return;
    struct evbuffer_ptr at;
    if (evbuffer_ptr_set(out, &at, info->orig_size, EVBUFFER_PTR_SET) < 0 ||
        evbuffer_copyout_from(out, &at, head, sizeof head) != (ev_ssize_t)sizeof head ||
        memcmp(head, marker, sizeof head) != 0)
        return;
    /* The status line is the last "HTTP/1." before the page: libevent's header lines hold none. */
    struct evbuffer_ptr p = evbuffer_search(out, "HTTP/1.", 7, NULL), start;
    start.pos = -1;
    while (p.pos >= 0 && (size_t)p.pos < info->orig_size) {
        start = p;
        evbuffer_ptr_set(out, &p, 1, EVBUFFER_PTR_ADD);
        p = evbuffer_search(out, "HTTP/1.", 7, &p);
    }
    char line[16] = {0};
    if (start.pos < 0 || evbuffer_copyout_from(out, &start, line, 12) != 12)
        return;
    int status = atoi(line + 9);
    char msg[200];
    status = libevent_error_json(srv, c->evcon ? c : NULL, status, msg, sizeof msg);
    err_kind kind = status == 414 ? ERR_URI_TOO_LONG : status == 431 ? ERR_HEADERS
                  : status == 413 ? ERR_TOO_LARGE : status == 503 ? ERR_BUSY : status == 501 || status == 505 || status == 417 ? ERR_METHOD
                  : ERR_BAD_REQUEST;
    json_t *body = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code",
                             status == 501 ? "not_implemented" : status == 505 ? "http_version_not_supported"
                             : status == 417 ? "expectation_failed" : err_code(kind), "message", msg);
    char *txt = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!txt)
        return;
    srv->rewriting = 1;
    if (c->evcon)
        c->linger = 1; /* libevent closes after this reply; the body may still be coming */
    struct evbuffer *keep = evbuffer_new();
    if (keep) {
        evbuffer_remove_buffer(out, keep, (size_t)start.pos); /* earlier replies, untouched */
        evbuffer_drain(out, evbuffer_get_length(out));
        evbuffer_add_buffer(out, keep);
        evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
                            "%sAccess-Control-Allow-Origin: *\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s\n",
                            status, reason_of(status), status == 503 ? "Retry-After: 1\r\n" : "",
                            strlen(txt) + 1, txt);
        evbuffer_free(keep);
    }
    srv->rewriting = 0;
    free(txt);
}

static struct bufferevent *on_new_bev(struct event_base *base, void *arg)
{
    server *srv = arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    conn *c = calloc(1, sizeof *c);
    if (c) {
        c->srv = srv;
        c->bev = bev;
        c->first_eol = -1;
        c->header_timer = evtimer_new(base, on_header_timeout, c);
        c->write_timer = evtimer_new(base, on_write_deadline, c);
    }
    if (!bev || !c || !c->header_timer || !c->write_timer) {
        if (c && c->header_timer)
            event_free(c->header_timer);
        if (c && c->write_timer)
            event_free(c->write_timer);
        free(c);
        if (bev)
            bufferevent_free(bev);
        return NULL;
    }
    /* libevent writes 16 KB per syscall by default; a 300 KB image would take 20 writes. */
    bufferevent_set_max_single_write(bev, 1 << 20);
    bufferevent_set_max_single_read(bev, 256 << 10);
    evbuffer_add_cb(bufferevent_get_input(bev), on_input_added, c);
    evbuffer_add_cb(bufferevent_get_output(bev), on_output_added, c);
    bufferevent_incref(bev);
    atomic_fetch_add(&srv->m.g.connections, 1);
    accept_update(srv);
    event_base_once(base, -1, EV_TIMEOUT, on_accepted, c, NULL);
    return bev;
}

/* ---------------------------------------------------------------- replies */

const char *http_cache_control(const http_req *rq)
{
    server *srv = rq->srv;
    return srv->cache_control;
}

const config *http_config(const http_req *rq)
{
    server *srv = rq->srv;
    return &srv->cfg;
}

static void maybe_finish_drain(server *srv);

void *http_req_data(const http_req *rq)
{
    return rq->held;
}

/* A reply's bytes that belong to the request's data: the hold passes to them (a small record
 * the evbuffer's cleanup gets) and is dropped once they are written out. */
typedef struct {
    server *srv;
    void *held;
} held_ref;

static held_ref *req_pass_held(http_req *rq)
{
    held_ref *h = rq->held ? malloc(sizeof *h) : NULL;
    if (h) {
        *h = (held_ref){rq->srv, rq->held};
        rq->held = NULL;
    }
    return h;
}

static void held_ref_release(held_ref *h)
{
    if (h) {
        h->srv->reload.release(h->held);
        free(h);
    }
}

static void held_cleanup_ref(const void *data, size_t len, void *h)
{
    held_ref_release(h);
}

static void held_cleanup_seg(struct evbuffer_file_segment const *seg, int flags, void *h)
{
    held_ref_release(h);
}

static void req_free(http_req *rq)
{
    server *srv = rq->srv;
    if (rq->held)
        srv->reload.release(rq->held);
    if (rq->body_charge)
        budget_release_input(srv->budget, rq->body_charge);
    query_free(&rq->q);
    for (int i = 0; i < rq->ncap; i++)
        free(rq->cap[i]);
    free(rq);
}

static void on_reply_written(struct evhttp_request *ev, void *arg)
{
    server *srv = arg;
    conn *c = conn_find(srv, evhttp_request_get_connection(ev));
    if (c) {
        c->busy = 0;
        if (c->writing) {
            c->writing = 0;
            srv->writing--;
        }
        evtimer_del(c->write_timer);
        /* The request's bytes are freed with it; bytes of the next one already read stay charged. */
        size_t next = evbuffer_get_length(bufferevent_get_input(c->bev));
        if (c->charged > next) {
            budget_release_input(srv->budget, c->charged - next);
            c->charged = next;
        }
        c->prepaid = 0;
        c->head_seen = c->sized = 0;
        if (c->refused) {
            c->refused = 0;
            evhttp_connection_set_max_body_size(c->evcon, (ev_ssize_t)srv->cfg.max_body);
        }
        /* libevent never closes a connection after CONNECT (it expects a tunnel to follow);
         * we refuse CONNECT, so close it now as our reply said, not at the header timeout. */
        struct timeval now = {0, 0};
        if (evhttp_request_get_command(ev) == EVHTTP_REQ_CONNECT)
            evtimer_add(c->header_timer, &now);
        else
            header_timer_start(c);
    }
    maybe_finish_drain(srv);
}

static int pace_hold(http_req *rq, int status, const char *reason, struct evbuffer *body, size_t body_len);

/* The one place a reply leaves: status, metrics, access log, connection state. */
static void send_and_free(http_req *rq, int status, const char *reason, struct evbuffer *body,
                          size_t body_len)
{
    server *srv = rq->srv;
    if (pace_hold(rq, status, reason, body, body_len))
        return; /* sent by on_paced */
    struct evhttp_request *ev = rq->ev;
    struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
    conn *c = conn_find(srv, evcon);
    struct evkeyvalq *oh = evhttp_request_get_output_headers(ev);
    if (srv->draining)
        evhttp_add_header(oh, "Connection", "close");
    double ms = (budget_now() - rq->t0) * 1e3;
    metrics_request(&srv->m, rq->route, status, ms / 1e3);
    log_msg("access", "%s %s %d %zu %.1fms %s",
            rq->method == HTTP_M_GET ? "GET" : rq->method == HTTP_M_HEAD ? "HEAD"
            : rq->method == HTTP_M_POST ? "POST" : rq->method == HTTP_M_OPTIONS ? "OPTIONS" : "OTHER",
            evhttp_request_get_uri(ev), status, body_len, ms, rq->cache);
    /* The next request's clock starts once this reply has been written out, so a slow but
     * reading client is governed by the write timeout, not the header timeout. */
    if (c) {
        evhttp_request_set_on_complete_cb(ev, on_reply_written, srv);
        if (!c->writing) {
            c->writing = 1;
            srv->writing++;
        }
        struct timeval tv = {srv->cfg.io_timeout_s, 0};
        if (!rq->no_write_deadline)
            evtimer_add(c->write_timer, &tv);
    }
    evhttp_send_reply(ev, status, reason, body);
    srv->pending--;
    req_free(rq);
    maybe_finish_drain(srv);
}

/* ---------------------------------------------------------------- paced refusals */

/* A refusal waiting for its client address's pace (pace.h): sent when its timer fires, or at
 * once when draining. At most PACE_HELD wait; past that, and for addresses the table cannot
 * hold, refusals are answered at once. */
#define PACE_HELD 256
#define PACE_ADDRS 4096

typedef struct paced {
    http_req *rq;
    int status;
    const char *reason;
    struct evbuffer *body;
    size_t body_len;
    struct event *ev;
    struct paced *prev, *next;
} paced;

static void on_paced(evutil_socket_t fd, short what, void *arg)
{
    paced *p = arg;
    server *srv = p->rq->srv;
    if (p->prev)
        p->prev->next = p->next;
    else
        srv->paced = p->next;
    if (p->next)
        p->next->prev = p->prev;
    srv->n_paced--;
    event_free(p->ev);
    send_and_free(p->rq, p->status, p->reason, p->body, p->body_len);
    evbuffer_free(p->body);
    free(p);
}

/* The pace of cfg's --refusal-rate: past a burst of as many as a second's worth. */
static pace *refusal_pace(const config *cfg)
{
    return pace_new((double)cfg->refusal_rate, (double)cfg->refusal_rate, PACE_ADDRS);
}

static int is_refusal(int status)
{
    return status == 400 || status == 413 || status == 414 || status == 422 || status == 431;
}

static int pace_hold(http_req *rq, int status, const char *reason, struct evbuffer *body, size_t body_len)
{
    server *srv = rq->srv;
    struct evhttp_connection *evcon = evhttp_request_get_connection(rq->ev);
    char *addr = NULL;
    ev_uint16_t port;
    if (rq->paced || !is_refusal(status) || srv->draining || srv->n_paced >= PACE_HELD || !evcon)
        return 0;
    rq->paced = 1;
    evhttp_connection_get_peer(evcon, &addr, &port);
    double wait = addr ? pace_refusal(srv->pace, addr, budget_now()) : 0;
    paced *p = wait > 0 ? calloc(1, sizeof *p) : NULL;
    if (!p || !(p->ev = evtimer_new(srv->base, on_paced, p)) || !(p->body = evbuffer_new()) ||
        (body && evbuffer_add_buffer(p->body, body) < 0)) { /* the caller frees its buffer */
        if (p && p->ev)
            event_free(p->ev);
        if (p && p->body)
            evbuffer_free(p->body);
        free(p);
        return 0;
    }
    p->rq = rq, p->status = status, p->reason = reason, p->body_len = body_len;
    p->next = srv->paced;
    if (p->next)
        p->next->prev = p;
    srv->paced = p;
    srv->n_paced++;
    atomic_fetch_add(&srv->m.g.refusals_paced, 1);
    struct timeval tv = {(long)wait, (long)((wait - (long)wait) * 1e6)};
    evtimer_add(p->ev, &tv);
    return 1;
}

/* Draining, or the loop ending: every waiting refusal goes out now. */
static void pace_flush(server *srv)
{
    for (paced *p = srv->paced; p; p = p->next)
        event_active(p->ev, EV_TIMEOUT, 0);
}

static const char *reason_of(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status < 400 ? "OK" : "Error";
    }
}

static void common_headers(http_req *rq, const char *ctype, const char *cache_control)
{
    struct evkeyvalq *oh = evhttp_request_get_output_headers(rq->ev);
    evhttp_add_header(oh, "Access-Control-Allow-Origin", "*");
    if (ctype)
        evhttp_add_header(oh, "Content-Type", ctype);
    if (cache_control)
        evhttp_add_header(oh, "Cache-Control", cache_control);
}

static void reply_json_text(http_req *rq, int status, char *txt, const char *cache_control,
                            const char *etag);

static void reply_json_status(http_req *rq, int status, json_t *body, const char *cache_control,
                              const char *etag)
{
    char *txt = json_dumps(body, HTTP_JSON_FLAGS);
    json_decref(body);
    reply_json_text(rq, status, txt, cache_control, etag);
}

/* txt (owned) as the body of a JSON reply. */
static void reply_json_text(http_req *rq, int status, char *txt, const char *cache_control,
                            const char *etag)
{
    size_t len = txt ? strlen(txt) : 0;
    common_headers(rq, rq->json_type && status < 400 ? rq->json_type : "application/json", cache_control);
    struct evkeyvalq *oh = evhttp_request_get_output_headers(rq->ev);
    if (etag)
        evhttp_add_header(oh, "ETag", etag);
    char clen[32];
    snprintf(clen, sizeof clen, "%zu", len + 1);
    evhttp_add_header(oh, "Content-Length", clen);
    struct evbuffer *b = evbuffer_new();
    if (rq->method != HTTP_M_HEAD && txt) {
        evbuffer_add(b, txt, len);
        evbuffer_add(b, "\n", 1);
    }
    free(txt);
    send_and_free(rq, status, reason_of(status), b, len + 1);
    evbuffer_free(b);
}

void http_reply_header(http_req *rq, const char *name, const char *value)
{
    evhttp_add_header(evhttp_request_get_output_headers(rq->ev), name, value);
}

void http_reply_error(http_req *rq, const err_t *err)
{
    int status = err_status(err->kind);
    json_t *e = json_pack("{s:i, s:s, s:s}", "status", status, "code", err_code(err->kind),
                          "message", err->msg);
    if (err->param[0])
        json_object_set_new(e, "param", json_string(err->param));
    if (status == 503)
        evhttp_add_header(evhttp_request_get_output_headers(rq->ev), "Retry-After", "1");
    if (status == 405)
        evhttp_add_header(evhttp_request_get_output_headers(rq->ev), "Allow",
                          rq->allow[0] ? rq->allow : "GET, HEAD");
    rq->cache = "-";
    reply_json_status(rq, status, json_pack("{s:o}", "error", e), "no-store", NULL);
}

static void reply_error_kind(http_req *rq, err_kind kind, const char *param, const char *msg)
{
    err_t e = {0};
    err_set(&e, kind, param, "%s", msg);
    http_reply_error(rq, &e);
}

void http_reply_json_type(http_req *rq, const char *ctype)
{
    rq->json_type = ctype;
}

void http_reply_json(http_req *rq, int status, json_t *body, const char *cache_control)
{
    reply_json_status(rq, status, body, cache_control ? cache_control : "no-cache", NULL);
}

static void reply_not_modified(http_req *rq, const char *etag, const char *cache_control)
{
    common_headers(rq, NULL, cache_control);
    evhttp_add_header(evhttp_request_get_output_headers(rq->ev), "ETag", etag);
    send_and_free(rq, 304, "Not Modified", NULL, 0);
}

static int answered_not_modified(http_req *rq, const char *key, const char *cache_control,
                                 char etag[ETAG_LEN]);

void http_reply_json_text(http_req *rq, int status, char *txt, const char *key, const char *cache_control)
{
    char etag[ETAG_LEN];
    if (key && answered_not_modified(rq, key, cache_control, etag)) {
        free(txt);
        return;
    }
    reply_json_text(rq, status, txt, cache_control ? cache_control : "no-cache", key ? etag : NULL);
}

void http_reply_json_etag(http_req *rq, json_t *body, const char *key, const char *cache_control)
{
    char etag[ETAG_LEN];
    if (answered_not_modified(rq, key, cache_control, etag)) {
        json_decref(body);
        return;
    }
    reply_json_status(rq, 200, body, cache_control, etag);
}

static void bytes_headers(http_req *rq, const char *mime, size_t len, const char *etag,
                          const char *cache_control)
{
    common_headers(rq, mime, cache_control);
    struct evkeyvalq *oh = evhttp_request_get_output_headers(rq->ev);
    evhttp_add_header(oh, "ETag", etag);
    char clen[32];
    snprintf(clen, sizeof clen, "%zu", len);
    evhttp_add_header(oh, "Content-Length", clen);
}

/* ETag of key into etag; 1 (and the 304 sent) when the client's copy is current. */
static int answered_not_modified(http_req *rq, const char *key, const char *cache_control,
                                 char etag[ETAG_LEN])
{
    server *srv = rq->srv;
    etag_make(key, srv->cfg.etag_bits, etag);
    if (!etag_match(http_req_header(rq, "If-None-Match"), etag))
        return 0;
    reply_not_modified(rq, etag, cache_control);
    return 1;
}

void http_reply_static(http_req *rq, const char *mime, const void *data, size_t len, const char *key,
                       const char *cache_control)
{
    char etag[ETAG_LEN];
    if (answered_not_modified(rq, key, cache_control, etag))
        return;
    bytes_headers(rq, mime, len, etag, cache_control);
    struct evbuffer *b = evbuffer_new();
    if (rq->method != HTTP_M_HEAD) {
        held_ref *h = req_pass_held(rq);
        if (evbuffer_add_reference(b, data, len, h ? held_cleanup_ref : NULL, h) < 0 && h) {
            rq->held = h->held; /* not added: the request keeps its hold */
            free(h);
        }
    }
    send_and_free(rq, 200, "OK", b, len);
    evbuffer_free(b);
}

void http_reply_file(http_req *rq, const char *mime, int fd, long long offset, size_t len,
                     const char *key, const char *cache_control)
{
    char etag[ETAG_LEN];
    if (answered_not_modified(rq, key, cache_control, etag))
        return;
    bytes_headers(rq, mime, len, etag, cache_control);
    struct evbuffer *b = evbuffer_new();
    if (rq->method != HTTP_M_HEAD) {
        /* The segment shares the caller's fd and must not close it. */
        struct evbuffer_file_segment *seg =
            evbuffer_file_segment_new(fd, offset, (ev_off_t)len, EVBUF_FS_DISABLE_LOCKING |
                                                                    EVBUF_FS_DISABLE_MMAP);
        if (!seg || evbuffer_add_file_segment(b, seg, 0, (ev_off_t)len) < 0) {
            if (seg)
                evbuffer_file_segment_free(seg);
            evbuffer_free(b);
            reply_error_kind(rq, ERR_INTERNAL, NULL, "cannot read the tile store");
            return;
        }
        /* The fd belongs to the request's data: held until the segment is sent and freed. */
        held_ref *h = req_pass_held(rq);
        if (h)
            evbuffer_file_segment_add_cleanup_cb(seg, held_cleanup_seg, h);
        evbuffer_file_segment_free(seg); /* the buffer holds its own reference */
    }
    rq->no_write_deadline = 1;
    send_and_free(rq, 200, "OK", b, len);
    evbuffer_free(b);
}

/* A single "bytes=A-B", "bytes=A-" or "bytes=-N" of a file of total bytes: 0 with the part,
 * 1 when there is no range to honour (none, several, not bytes: the whole file is sent), -1
 * when it cannot be satisfied (416). */
static int parse_byte_range(const char *h, long long total, long long *off, long long *len)
{
    if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return 1;
    const char *p = h + 6, *dash = strchr(p, '-');
    char *end;
    if (!dash)
        return 1;
    long long a = -1, b = -1;
    if (dash > p) {
        a = strtoll(p, &end, 10);
        if (end != dash || a < 0)
            return 1;
    }
    if (dash[1]) {
        b = strtoll(dash + 1, &end, 10);
        if (*end || b < 0)
            return 1;
    }
    if (a < 0 && b < 0)
        return 1;
    if (a < 0) { /* the last b bytes */
        if (b == 0 || total == 0)
            return -1;
        a = b > total ? 0 : total - b;
        b = total - 1;
    } else if (b < 0 || b >= total) {
        b = total - 1;
    }
    if (a >= total || b < a)
        return -1;
    *off = a;
    *len = b - a + 1;
    return 0;
}

void http_reply_file_ranges(http_req *rq, const char *mime, int fd, long long total,
                            const char *key, const char *cache_control)
{
    long long off = 0, len = total;
    char etag[ETAG_LEN], v[96];
    const char *range = http_req_header(rq, "Range"), *if_range = http_req_header(rq, "If-Range");
    http_reply_header(rq, "Accept-Ranges", "bytes");
    if (answered_not_modified(rq, key, cache_control, etag)) {
        close(fd);
        return;
    }
    int r = range && (!if_range || !strcmp(if_range, etag))
                ? parse_byte_range(range, total, &off, &len)
                : 1;
    struct evbuffer *b = evbuffer_new();
    if (r < 0) {
        close(fd);
        snprintf(v, sizeof v, "bytes */%lld", total);
        http_reply_header(rq, "Content-Range", v);
        common_headers(rq, "text/plain", "no-store");
        evhttp_add_header(evhttp_request_get_output_headers(rq->ev), "Content-Length", "0");
        send_and_free(rq, 416, "Range Not Satisfiable", b, 0);
        evbuffer_free(b);
        return;
    }
    if (r == 0) {
        snprintf(v, sizeof v, "bytes %lld-%lld/%lld", off, off + len - 1, total);
        http_reply_header(rq, "Content-Range", v);
    }
    bytes_headers(rq, mime, (size_t)len, etag, cache_control);
    if (rq->method == HTTP_M_HEAD || len == 0) {
        close(fd);
    } else {
        /* The segment owns fd from here and closes it once the reply is written. */
        struct evbuffer_file_segment *seg = evbuffer_file_segment_new(
            fd, off, (ev_off_t)len,
            EVBUF_FS_DISABLE_LOCKING | EVBUF_FS_DISABLE_MMAP | EVBUF_FS_CLOSE_ON_FREE);
        if (!seg)
            close(fd);
        if (!seg || evbuffer_add_file_segment(b, seg, 0, (ev_off_t)len) < 0) {
            if (seg)
                evbuffer_file_segment_free(seg);
            evbuffer_free(b);
            reply_error_kind(rq, ERR_INTERNAL, NULL, "cannot read the file");
            return;
        }
        evbuffer_file_segment_free(seg); /* the buffer holds its own reference */
    }
    rq->no_write_deadline = 1;
    send_and_free(rq, r == 0 ? 206 : 200, r == 0 ? "Partial Content" : "OK", b, (size_t)len);
    evbuffer_free(b);
}

static void blob_cleanup(const void *data, size_t len, void *arg)
{
    blob_unref(arg);
}

static void reply_blob(http_req *rq, blob *b, const char *mime, const char *etag,
                       const char *cache_control)
{
    bytes_headers(rq, mime, b->len, etag, cache_control);
    struct evbuffer *buf = evbuffer_new();
    if (rq->method != HTTP_M_HEAD) {
        blob_ref(b);
        evbuffer_add_reference(buf, b->data, b->len, blob_cleanup, b); /* zero-copy */
    }
    send_and_free(rq, 200, "OK", buf, b->len);
    evbuffer_free(buf);
}

/* ---------------------------------------------------------------- image jobs */

/* An image job's outcome, for one waiting request. */
static void image_done(void *w, blob *b, const err_t *err, imagejob_source src)
{
    http_req *rq = w;
    static const char *const how[] = {"hit", "miss", "coalesced", "l2"};
    rq->cache = how[src];
    if (b)
        reply_blob(rq, b, rq->image_mime, rq->image_etag, rq->image_cc);
    else
        http_reply_error(rq, err);
}

void http_reply_image(http_req *rq, const char *key, const image_spec *spec,
                      const char *cache_control, draw_fn draw, void *arg, void (*free_arg)(void *))
{
    server *srv = rq->srv;
    char fullkey[64];
    snprintf(fullkey, sizeof fullkey, "|%d|%d|%d|%d|%dx%d", spec->format, spec->scale, spec->quality,
             spec->subsamp444, spec->width, spec->height);
    size_t klen = strlen(key) + strlen(fullkey) + 1;
    char *k = malloc(klen);
    if (!k) {
        if (free_arg)
            free_arg(arg);
        reply_error_kind(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    snprintf(k, klen, "%s%s", key, fullkey);
    etag_make(k, srv->cfg.etag_bits, rq->image_etag);
    if (!cache_control)
        cache_control = srv->cache_control;
    size_t need = render_bytes_needed(spec), budget = (size_t)srv->cfg.memory_budget_mb << 20;
    if (need > budget) {
        if (free_arg)
            free_arg(arg);
        char msg[200];
        snprintf(msg, sizeof msg, "a %dx%d image at scale %d needs %zu MiB to render; the memory budget "
                 "(--memory-budget-mb) is %zu MiB: ask for a smaller size or scale", spec->width,
                 spec->height, spec->scale, (need + (1 << 20) - 1) >> 20, budget >> 20);
        reply_error_kind(rq, ERR_TOO_LARGE, NULL, msg);
        free(k);
        return;
    }
    if (etag_match(http_req_header(rq, "If-None-Match"), rq->image_etag)) {
        if (free_arg)
            free_arg(arg);
        reply_not_modified(rq, rq->image_etag, cache_control);
        free(k);
        return;
    }
    rq->image_mime = img_format_mime(spec->format);
    snprintf(rq->image_cc, sizeof rq->image_cc, "%s", cache_control);
    imagejob_submit(srv->jobs, k, rq->image_etag, spec, draw, arg, free_arg,
                    budget_now() + srv->cfg.deadline_ms / 1e3, image_done, rq);
    free(k);
}

/* ---------------------------------------------------------------- other work on workers */

/* Work that is not an image (an upload to parse and store, a row to read): the loop only
 * queues it and, when it comes back, replies. */
typedef struct work_job {
    pool_job base;
    server *srv;
    http_req *rq;
    work_fn run;
    work_done_fn done;
    void *arg;
    void (*free_arg)(void *);
    size_t body_charge; /* the request's taken body and its reading, charged until the job is over */
} work_job;

static void work_job_run(pool_job *pj, render_ctx *rc)
{
    work_job *w = (work_job *)pj;
    w->run(w->arg, rc);
}

static void work_job_done(pool_job *pj)
{
    server *srv = ((work_job *)pj)->srv;
    work_job *w = (work_job *)pj;
    if (w->base.expired) {
        atomic_fetch_add(&srv->m.g.rejected_busy, 1);
        reply_error_kind(w->rq, ERR_BUSY, NULL, "the server is busy: the request waited past its deadline");
    } else {
        w->done(w->rq, w->arg);
    }
    if (w->free_arg)
        w->free_arg(w->arg);
    if (w->body_charge)
        budget_release_input(srv->budget, w->body_charge);
    free(w);
}

void http_reply_work(http_req *rq, double wait_s, work_fn run, work_done_fn done, void *arg,
                     void (*free_arg)(void *))
{
    server *srv = rq->srv;
    work_job *w = calloc(1, sizeof *w);
    if (!w) {
        if (free_arg)
            free_arg(arg);
        reply_error_kind(rq, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    if (rq->body_short) {
        free(w);
        if (free_arg)
            free_arg(arg);
        atomic_fetch_add(&srv->m.g.rejected_busy, 1);
        reply_error_kind(rq, ERR_BUSY, NULL, "the server is busy: the memory budget cannot hold reading "
                                             "this body now, retry shortly");
        return;
    }
    *w = (work_job){.srv = srv, .rq = rq, .run = run, .done = done, .arg = arg, .free_arg = free_arg,
                    .body_charge = rq->body_charge};
    rq->body_charge = 0; /* the job holds the body now, even if the client goes away */
    w->base.run = work_job_run;
    w->base.done = work_job_done;
    w->base.heavy = w->body_charge > 0; /* parsing an upload: images keep a worker meanwhile */
    w->base.deadline = budget_now() + (wait_s > 0 ? wait_s : srv->cfg.deadline_ms / 1e3);
    rq->cache = "work";
    if (pool_submit(srv->pool, &w->base) < 0) {
        rq->body_charge = w->body_charge;
        free(w);
        if (free_arg)
            free_arg(arg);
        atomic_fetch_add(&srv->m.g.rejected_busy, 1);
        reply_error_kind(rq, ERR_BUSY, NULL, "the server is busy: job queue full, retry shortly");
    }
}

int http_reply_if_not_modified(http_req *rq, const char *key, const char *cache_control)
{
    char etag[ETAG_LEN];
    return answered_not_modified(rq, key, cache_control, etag);
}

/* ---------------------------------------------------------------- accessors */

int http_req_method(const http_req *rq)
{
    return rq->method;
}

const query *http_req_query(const http_req *rq)
{
    return &rq->q;
}

const char *http_req_capture(const http_req *rq, int i)
{
    return i >= 0 && i < rq->ncap ? rq->cap[i] : NULL;
}

const unsigned char *http_req_body(const http_req *rq, size_t *len)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(rq->ev);
    *len = evbuffer_get_length(in);
    return *len ? evbuffer_pullup(in, -1) : (const unsigned char *)"";
}

int http_req_body_each(const http_req *rq, int (*fn)(const char *p, size_t n, void *ctx), void *ctx)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(rq->ev);
    struct evbuffer_ptr at;
    struct evbuffer_iovec v[16];
    evbuffer_ptr_set(in, &at, 0, EVBUFFER_PTR_SET);
    for (;;) {
        int n = evbuffer_peek(in, -1, &at, v, 16); /* fills at most 16: then there may be more */
        size_t got = 0;
        for (int i = 0; i < n; i++) {
            if (fn(v[i].iov_base, v[i].iov_len, ctx) < 0)
                return -1;
            got += v[i].iov_len;
        }
        if (n < 16 || evbuffer_ptr_set(in, &at, got, EVBUFFER_PTR_ADD) < 0)
            return 0;
    }
}

unsigned char *http_req_take_body(http_req *rq, size_t *len)
{
    server *srv = rq->srv;
    struct evbuffer *in = evhttp_request_get_input_buffer(rq->ev);
    *len = evbuffer_get_length(in);
    unsigned char *copy = malloc(*len + 1);
    if (!copy)
        return NULL;
    evbuffer_remove(in, copy, *len); /* drains the request's chains as it copies */
    copy[*len] = 0;
    /* The copy takes over the body's charge from the connection: it lives until the request's
     * work job is over, which may be after the connection has closed. */
    conn *c = conn_find(srv, evhttp_request_get_connection(rq->ev));
    if (c) {
        rq->body_charge += c->charged;
        c->charged = c->prepaid = 0;
    }
    size_t want = *len * (1 + WORK_BYTES_PER_BODY_BYTE);
    if (rq->body_charge < want) { /* chunked: charged as it came, without its reading cost */
        if (budget_try_reserve_input(srv->budget, want - rq->body_charge) == 0)
            rq->body_charge = want;
        else
            rq->body_short = 1;
    }
    return copy;
}

const char *http_req_header(const http_req *rq, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(rq->ev), name);
}

/* ---------------------------------------------------------------- routing */

static void route_healthz(http_req *rq, void *ctx)
{
    http_reply_json(rq, 200, json_pack("{s:s}", "status", "ok"), "no-store");
}

static void route_readyz(http_req *rq, void *ctx)
{
    server *srv = rq->srv;
    if (srv->serving && !srv->draining) {
        http_reply_json(rq, 200, json_pack("{s:s}", "status", "ready"), "no-store");
        return;
    }
    reply_error_kind(rq, ERR_BUSY, NULL, srv->draining ? "draining" : "starting");
}

static void route_metrics(http_req *rq, void *ctx)
{
    server *srv = rq->srv;
    char *txt = metrics_render(&srv->m);
    size_t len = txt ? strlen(txt) : 0;
    common_headers(rq, "text/plain; version=0.0.4", "no-store");
    char clen[32];
    snprintf(clen, sizeof clen, "%zu", len);
    evhttp_add_header(evhttp_request_get_output_headers(rq->ev), "Content-Length", clen);
    struct evbuffer *b = evbuffer_new();
    if (rq->method != HTTP_M_HEAD && txt)
        evbuffer_add(b, txt, len);
    free(txt);
    send_and_free(rq, 200, "OK", b, len);
    evbuffer_free(b);
}

/* The server's own routes, before the modules' (router.h). */
static const route_def server_routes[] = {
    {HTTP_M_GH, "/healthz", route_healthz, "healthz"},
    {HTTP_M_GH, "/readyz", route_readyz, "readyz"},
    {HTTP_M_GH, "/metrics", route_metrics, "metrics"},
};

static int method_of(enum evhttp_cmd_type t)
{
    switch (t) {
    case EVHTTP_REQ_GET: return HTTP_M_GET;
    case EVHTTP_REQ_HEAD: return HTTP_M_HEAD;
    case EVHTTP_REQ_POST: return HTTP_M_POST;
    case EVHTTP_REQ_OPTIONS: return HTTP_M_OPTIONS;
    default: return 0;
    }
}

static void allow_list(int methods, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s, OPTIONS", methods & HTTP_M_GET ? "GET, HEAD" : "",
             (methods & HTTP_M_GET) && (methods & HTTP_M_POST) ? ", " : "",
             methods & HTTP_M_POST ? "POST" : "");
}

/* OPTIONS on any route: the CORS preflight a page on another site sends before a POST with a
 * JSON or multipart body (and a plain OPTIONS: the Allow list). */
static void reply_options(http_req *rq, int methods)
{
    allow_list(methods, rq->allow, sizeof rq->allow);
    struct evkeyvalq *oh = evhttp_request_get_output_headers(rq->ev);
    common_headers(rq, NULL, "public, max-age=86400");
    evhttp_add_header(oh, "Allow", rq->allow);
    evhttp_add_header(oh, "Access-Control-Allow-Methods", rq->allow);
    evhttp_add_header(oh, "Access-Control-Allow-Headers", "Content-Type, If-None-Match");
    evhttp_add_header(oh, "Access-Control-Max-Age", "86400");
    send_and_free(rq, 204, "No Content", NULL, 0);
}

/* Limits every request is held to before any route sees it. */
static int check_limits(http_req *rq, err_t *err)
{
    server *srv = rq->srv;
    struct evhttp_request *ev = rq->ev;
    const char *uri = evhttp_request_get_uri(ev);
    if ((long)strlen(uri) > srv->cfg.max_uri) {
        err_set(err, ERR_URI_TOO_LONG, NULL, "request target longer than %ld bytes", srv->cfg.max_uri);
        return -1;
    }
    struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
    long count = 0, bytes = 0;
    struct evkeyval *kv;
    TAILQ_FOREACH(kv, h, next)
    {
        count++;
        bytes += (long)(strlen(kv->key) + strlen(kv->value) + 4);
    }
    if (count > srv->cfg.max_header_count || bytes > srv->cfg.max_headers) {
        err_set(err, ERR_HEADERS, NULL, "request headers exceed %ld headers or %ld bytes",
                srv->cfg.max_header_count, srv->cfg.max_headers);
        return -1;
    }
    /* Request smuggling: a body has one framing, or the request is refused and the connection
     * closed, so that bytes a proxy in front of us framed differently are never read as the next
     * request. libevent takes the first Content-Length as it comes ("+5" too) and ignores a
     * Transfer-Encoding other than exactly "chunked". */
    const char *te = NULL, *cl = NULL, *framing = NULL;
    int hosts = 0;
    TAILQ_FOREACH(kv, h, next)
    {
        /* RFC 9112 §5.1: "Host : x" must be refused, not read as a header "Host " that a proxy
         * in front may have read as Host. */
        if (strpbrk(kv->key, " \t"))
            framing = "whitespace in a header name";
        if (strcasecmp(kv->key, "Host") == 0 && ++hosts > 1)
            framing = "Host given more than once";
        if (strcasecmp(kv->key, "Transfer-Encoding") == 0) {
            if (te || strcasecmp(kv->value, "chunked") != 0)
                framing = "Transfer-Encoding other than one \"chunked\"";
            te = kv->value;
        } else if (strcasecmp(kv->key, "Content-Length") == 0) {
            if (cl)
                framing = "Content-Length given more than once";
            else if (!*kv->value || strspn(kv->value, "0123456789") != strlen(kv->value))
                framing = "Content-Length is not a decimal number";
            cl = kv->value;
        }
    }
    if (te && cl)
        framing = "both Content-Length and Transfer-Encoding given";
    if (!framing && !hosts && (ev->major > 1 || (ev->major == 1 && ev->minor >= 1)))
        framing = "an HTTP/1.1 request without Host";
    if (framing) {
        evhttp_add_header(evhttp_request_get_output_headers(ev), "Connection", "close");
        err_set(err, ERR_BAD_REQUEST, NULL, "%s", framing);
        return -1;
    }
    if ((long)evbuffer_get_length(evhttp_request_get_input_buffer(ev)) > srv->cfg.max_body) {
        err_set(err, ERR_TOO_LARGE, NULL, "request body larger than %ld bytes", srv->cfg.max_body);
        return -1;
    }
    return 0;
}

static void on_request(struct evhttp_request *ev, void *arg)
{
    server *srv = arg;
    srv->activity++;
    http_req *rq = calloc(1, sizeof *rq);
    if (!rq) {
        evhttp_send_error(ev, 500, "Internal Server Error");
        return;
    }
    rq->srv = srv;
    rq->ev = ev;
    rq->t0 = budget_now();
    rq->cache = "-";
    rq->method = method_of(evhttp_request_get_command(ev));
    rq->route = metrics_route(&srv->m, "other");
    srv->pending++;
    conn *c = conn_find(srv, evhttp_request_get_connection(ev));
    if (c) {
        c->busy = 1;
        c->rx = 0;
        c->first_eol = -1;
        evtimer_del(c->header_timer);
    }

    err_t err = {0};
    if (check_limits(rq, &err) < 0) {
        http_reply_error(rq, &err);
        return;
    }
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!path || path[0] != '/') {
        reply_error_kind(rq, ERR_BAD_REQUEST, NULL, "malformed request target");
        return;
    }
    int bad;
    route *rt = router_match(srv->router, path, rq->cap, &rq->ncap, &bad);
    if (bad) {
        reply_error_kind(rq, ERR_BAD_REQUEST, NULL, "malformed percent-escape in the path");
        return;
    }
    if (rt) {
        rq->route = rt->id;
        if (rq->method == HTTP_M_OPTIONS) {
            reply_options(rq, rt->methods);
            return;
        }
        if (!(rq->method & rt->methods)) {
            allow_list(rt->methods, rq->allow, sizeof rq->allow);
            err_set(&err, ERR_METHOD, NULL, "method not allowed; allowed: %s", rq->allow);
            http_reply_error(rq, &err);
            return;
        }
        if (query_parse(uri ? evhttp_uri_get_query(uri) : NULL, &rq->q, QUERY_MAX_PARAMS, &err) < 0) {
            http_reply_error(rq, &err);
            return;
        }
        rq->held = srv->reload.hold(srv->reload.ctx);
        rt->fn(rq, rt->ctx);
        return;
    }
    reply_error_kind(rq, ERR_NOT_FOUND, NULL, "no such route");
}

static void on_expire_tick(evutil_socket_t fd, short what, void *arg)
{
    server *srv = arg;
    pool_expire(srv->pool, budget_now());
}

/* Once a second: after load, when a whole second has passed with no request or connection
 * closing and nothing is in flight, give the heap's free pages back to the system. glibc keeps
 * what a burst of uploads and replies made it grow to otherwise (freed, but resident). */
static void on_trim_tick(evutil_socket_t fd, short what, void *arg)
{
    server *srv = arg;
    if (srv->activity != srv->activity_seen) {
        srv->activity_seen = srv->activity;
        srv->trim_due = 1;
        return;
    }
    if (!srv->trim_due || srv->pending || srv->writing || pool_queue_len(srv->pool))
        return;
    srv->trim_due = 0;
    malloc_trim(0);
}

/* ---------------------------------------------------------------- signals */

static void finish_drain(evutil_socket_t fd, short what, void *arg)
{
    server *srv = arg;
    log_msg("info", "drained (%ld requests unanswered), exiting", srv->pending);
    event_base_loopexit(srv->base, NULL);
}

/* Drained when every request is answered and every reply is on the wire: exiting earlier
 * would drop the tail of a large image still in its connection's output buffer. */
static void maybe_finish_drain(server *srv)
{
    if (srv->draining && srv->pending == 0 && srv->writing == 0 && srv->drain_timer)
        event_active(srv->drain_timer, EV_TIMEOUT, 0);
}

static void on_sigterm(evutil_socket_t sig, short what, void *arg)
{
    server *srv = arg;
    if (srv->draining)
        return;
    srv->draining = 1;
    log_msg("info", "signal %d: draining (%ld in flight), deadline %lds", (int)sig, srv->pending,
            srv->cfg.drain_s);
    pace_flush(srv);
    if (srv->bound) { /* close the listening socket: new connections are refused */
        evhttp_del_accept_socket(srv->http, srv->bound);
        srv->bound = NULL;
        srv->listener = NULL;
    }
    srv->drain_timer = evtimer_new(srv->base, finish_drain, srv);
    struct timeval tv = {srv->cfg.drain_s, 0};
    evtimer_add(srv->drain_timer, &tv);
    maybe_finish_drain(srv);
}

static void reload_start(server *srv);

static void on_sighup(evutil_socket_t sig, short what, void *arg)
{
    server *srv = arg;
    reload_start(srv);
}

/* ---------------------------------------------------------------- start */

static void set_cache_control(server *srv)
{
    snprintf(srv->cache_control, sizeof srv->cache_control, "public, max-age=%ld", srv->cfg.max_age);
}

/* What a reload reads from disk: the configuration file's live settings into *c, and the data
 * (every part of the catalog, or none). Touches nothing shared, so SIGHUP runs it on a worker. */
static void *reload_build(server *srv, config *c, err_t *err)
{
    if (c->config_path[0]) {
        config fresh;
        config_defaults(&fresh);
        snprintf(fresh.config_path, sizeof fresh.config_path, "%s", c->config_path);
        if (config_load_file(&fresh, c->config_path, err) < 0 || config_validate(&fresh, err) < 0)
            return NULL;
        /* Settings that can change while running; addresses, threads and budgets need a restart. */
        c->max_age = fresh.max_age;
        c->max_uri = fresh.max_uri;
        c->max_headers = fresh.max_headers;
        c->max_header_count = fresh.max_header_count;
        c->max_body = fresh.max_body;
        c->max_connections = fresh.max_connections;
        c->deadline_ms = fresh.deadline_ms;
        c->header_timeout_s = fresh.header_timeout_s;
        c->max_text = fresh.max_text;
        c->refusal_rate = fresh.refusal_rate;
        memcpy(c->public_url, fresh.public_url, sizeof c->public_url);
    }
    return srv->reload.build(srv->reload.ctx, c, err);
}

/* On the loop: the new data and settings take over; requests in flight keep the old data. */
static void reload_swap(server *srv, const config *c, void *data)
{
    srv->reload.swap(srv->reload.ctx, data);
    pace *fresh = c->refusal_rate != srv->cfg.refusal_rate ? refusal_pace(c) : NULL;
    if (fresh) { /* the addresses' debts start over at the new rate; waiting refusals keep their time */
        pace_free(srv->pace);
        srv->pace = fresh;
    }
    srv->cfg = *c;
    set_cache_control(srv);
    evhttp_set_max_body_size(srv->http, (ev_ssize_t)srv->cfg.max_body);
}

static int server_reload(server *srv, err_t *err)
{
    config c = srv->cfg;
    void *data = reload_build(srv, &c, err);
    if (!data)
        return -1;
    reload_swap(srv, &c, data);
    return 0;
}

/* SIGHUP: reload_build on a worker, reload_swap back on the loop. One reload at a time; a
 * SIGHUP during one starts another when it ends, so the last signal's files win. */
typedef struct {
    pool_job base;
    server *srv;
    config cfg;
    void *data;
    err_t err;
} reload_job;


static void reload_job_run(pool_job *pj, render_ctx *rc)
{
    reload_job *r = (reload_job *)pj;
    r->data = reload_build(r->srv, &r->cfg, &r->err);
}

static void reload_job_done(pool_job *pj)
{
    server *srv = ((reload_job *)pj)->srv;
    reload_job *r = (reload_job *)pj;
    if (r->data) {
        reload_swap(srv, &r->cfg, r->data);
        atomic_fetch_add(&srv->m.g.reloads_ok, 1);
        log_msg("info", "SIGHUP: templates, device files, game tables, tile layers, web files and "
                        "configuration reloaded");
    } else {
        atomic_fetch_add(&srv->m.g.reloads_failed, 1);
        log_msg("error", "SIGHUP: reload failed, keeping the running configuration: %s", r->err.msg);
    }
    free(r);
    srv->reload_running = 0;
    if (srv->reload_again) {
        srv->reload_again = 0;
        reload_start(srv);
    }
}

static void reload_start(server *srv)
{
    if (srv->reload_running) {
        srv->reload_again = 1;
        return;
    }
    reload_job *r = calloc(1, sizeof *r);
    if (!r) {
        log_msg("error", "SIGHUP: out of memory, nothing reloaded");
        return;
    }
    r->cfg = srv->cfg;
    r->srv = srv;
    r->base.run = reload_job_run;
    r->base.done = reload_job_done;
    r->base.heavy = 1;
    r->base.deadline = budget_now() + 365 * 86400.0; /* waits its turn however long the queue */
    if (pool_submit(srv->pool, &r->base) < 0) {
        free(r);
        log_msg("error", "SIGHUP: the job queue is full, nothing reloaded; send SIGHUP again");
        return;
    }
    srv->reload_running = 1;
    log_msg("info", "SIGHUP: reloading on a worker (requests keep the data they started with)");
}

/* Everything server_run made, in reverse order (what is NULL was not made). */
static void server_free(server *srv)
{
    if (srv->expire_timer)
        event_free(srv->expire_timer);
    if (srv->trim_timer)
        event_free(srv->trim_timer);
    pool_stop(srv->pool);
    imagejobs_free(srv->jobs);
    l2_stop(srv->l2);
    cache_free(srv->cache);
    splice_store_free(srv->splices);
    if (srv->http)
        evhttp_free(srv->http);
    while (srv->lingering)
        linger_end(srv->lingering);
    while (srv->paced) { /* the loop ended before their time: their connections go with it */
        paced *p = srv->paced;
        srv->paced = p->next;
        event_free(p->ev);
        evbuffer_free(p->body);
        req_free(p->rq);
        free(p);
    }
    pace_free(srv->pace);
    if (srv->sig_term)
        event_free(srv->sig_term);
    if (srv->sig_int)
        event_free(srv->sig_int);
    if (srv->sig_hup)
        event_free(srv->sig_hup);
    if (srv->drain_timer)
        event_free(srv->drain_timer);
    if (srv->ready)
        srv->reload.swap(srv->reload.ctx, NULL);
    if (srv->base) /* frees what connections still held: their replies' blobs go back to the budget */
        event_base_free(srv->base);
    budget_free(srv->budget);
    free(srv);
}

static int server_loop(server *srv);

int server_run(const config *cfg, router *r, const http_reload_ops *reload)
{
    server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        log_msg("error", "out of memory");
        return 1;
    }
    srv->cfg = *cfg;
    srv->router = r;
    srv->reload = *reload;
    int rc = server_loop(srv);
    server_free(srv);
    return rc;
}

static int server_loop(server *srv)
{
    router *r = srv->router;
    set_cache_control(srv);
    err_t err = {0};
    if (srv->cfg.etag_bits < ETAG_BITS)
        log_msg("warn", "CARTOUCHE_TEST_ETAG_BITS=%d: ETags keep %d bits (a test setting, never for "
                "production: different URLs share ETags)", srv->cfg.etag_bits, srv->cfg.etag_bits);
    evthread_use_pthreads();
    /* Encoded outputs are a few hundred KB, allocated on workers and freed on the loop: a fixed
     * mmap threshold returns them to the system at once instead of growing the heaps. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    mallopt(M_ARENA_MAX, 2);
    signal(SIGPIPE, SIG_IGN);
    /* Every connection is a descriptor: raise the soft limit to the hard one, and say so if
     * the connection cap still does not fit (accept would fail with EMFILE before the cap). */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
        if ((rlim_t)srv->cfg.max_connections + 64 > nofile.rlim_cur)
            log_msg("warn", "--max-connections %ld exceeds the open-file limit %llu; lower it or raise "
                    "the limit (ulimit -n)", srv->cfg.max_connections, (unsigned long long)nofile.rlim_cur);
    }
    srv->base = event_base_new();
    srv->http = evhttp_new(srv->base);
    srv->pace = refusal_pace(&srv->cfg);
    if (!srv->base || !srv->http) {
        log_msg("error", "cannot create the event loop");
        return 1;
    }
    if (router_add_table(r, server_routes, sizeof server_routes / sizeof server_routes[0], NULL) < 0) {
        log_msg("error", "too many routes");
        return 1;
    }
    for (int i = 0; i < router_count(r); i++)
        router_at(r, i)->id = metrics_route(&srv->m, router_at(r, i)->label);
    metrics_route(&srv->m, "other");

    /* libevent's own limits sit above ours, so that we answer 414/431 with our JSON errors. */
    long hdr_cap = (srv->cfg.max_headers > srv->cfg.max_uri ? srv->cfg.max_headers : srv->cfg.max_uri) * 8;
    srv->libevent_hdr_cap = hdr_cap;
    evhttp_set_max_headers_size(srv->http, hdr_cap);
    evhttp_set_max_body_size(srv->http, (ev_ssize_t)srv->cfg.max_body);
    /* Our timers (header_timer, write_timer) govern a connection's pace; libevent's own timeout
     * is only a backstop behind them, so that a slow reader is closed (and counted) by ours. */
    evhttp_set_timeout(srv->http, (int)srv->cfg.io_timeout_s + 1);
    evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                                           EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
                                           EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_default_content_type(srv->http, "application/json");
    evhttp_set_gencb(srv->http, on_request, srv);
    evhttp_set_bevcb(srv->http, on_new_bev, srv);

    srv->sig_term = evsignal_new(srv->base, SIGTERM, on_sigterm, srv);
    srv->sig_int = evsignal_new(srv->base, SIGINT, on_sigterm, srv);
    srv->sig_hup = evsignal_new(srv->base, SIGHUP, on_sighup, srv);
    event_add(srv->sig_term, NULL);
    event_add(srv->sig_int, NULL);
    event_add(srv->sig_hup, NULL);

    if (server_reload(srv, &err) < 0) {
        log_msg("error", "%s", err.msg);
        return 2;
    }
    srv->ready = 1; /* data to release at exit; /readyz says ready once the workers run too */
    int threads = srv->cfg.threads;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 2;
    }
    size_t budget = (size_t)srv->cfg.memory_budget_mb << 20;
    srv->budget = budget_new(budget, &srv->m);
    srv->splices = srv->budget ? splice_store_new(srv->budget) : NULL;
    srv->cache = cache_new(budget / 4, &srv->m);
    if (!srv->budget || !srv->splices || !srv->cache) {
        log_msg("error", "out of memory");
        return 1;
    }
    if (!(srv->l2 = l2_start(srv->cfg.memcached, srv->cfg.memcached_timeout_ms, srv->budget, &srv->m, &err))) {
        log_msg("error", "%s", err.msg);
        return 2;
    }
    srv->env = (render_env){srv->cfg.fonts_manifest, srv->budget, srv->splices};
    srv->pool = pool_start(srv->base, threads, (size_t)srv->cfg.queue_depth, &srv->env, &srv->m, &err);
    if (!srv->pool || !(srv->jobs = imagejobs_new(srv->pool, srv->cache, srv->l2, &srv->m))) {
        log_msg("error", "%s", srv->pool ? "out of memory" : err.msg);
        return 1;
    }
    /* Listen once everything is loaded: a client connects to a server that answers. */
    srv->bound = evhttp_bind_socket_with_handle(srv->http, srv->cfg.listen_host, (ev_uint16_t)srv->cfg.listen_port);
    if (!srv->bound) {
        log_msg("error", "cannot listen on %s:%d", srv->cfg.listen_host, srv->cfg.listen_port);
        return 1;
    }
    srv->listener = evhttp_bound_socket_get_listener(srv->bound);
    {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int port = srv->cfg.listen_port;
        if (getsockname(evhttp_bound_socket_get_fd(srv->bound), (struct sockaddr *)&ss, &sl) == 0)
            port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                  : ((struct sockaddr_in *)&ss)->sin_port);
        log_msg("info", "listening on http://%s:%d/", srv->cfg.listen_host, port);
    }

    /* Queued jobs past their deadline are answered 503 promptly, 50 times a second. */
    srv->expire_timer = event_new(srv->base, -1, EV_PERSIST, on_expire_tick, srv);
    struct timeval tick = {0, 20000};
    event_add(srv->expire_timer, &tick);
    srv->trim_timer = event_new(srv->base, -1, EV_PERSIST, on_trim_tick, srv);
    struct timeval second = {1, 0};
    event_add(srv->trim_timer, &second);
    srv->serving = 1;
    log_msg("info", "ready: %d workers, queue %ld, memory budget %ld MiB", threads, srv->cfg.queue_depth,
            srv->cfg.memory_budget_mb);

    event_base_dispatch(srv->base);
    return 0;
}
