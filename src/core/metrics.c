/* metrics.c — request counters by route and status, a latency histogram, gauges, RSS. */
#include "core/metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int statuses[] = {200, 201, 204, 304, 400, 404, 405, 413, 414, 415, 422, 431, 500, 503};
#define N_STATUS METRICS_N_STATUS
_Static_assert(sizeof statuses / sizeof statuses[0] == N_STATUS, "METRICS_N_STATUS");
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BUCKET METRICS_N_BUCKET
_Static_assert(sizeof buckets / sizeof buckets[0] == N_BUCKET, "METRICS_N_BUCKET");

int metrics_route(metrics *m, const char *name)
{
    for (int i = 0; i < m->n_routes; i++)
        if (strcmp(m->route_names[i], name) == 0)
            return i;
    if (m->n_routes == METRICS_MAX_ROUTES)
        return METRICS_MAX_ROUTES - 1;
    snprintf(m->route_names[m->n_routes], sizeof m->route_names[0], "%s", name);
    return m->n_routes++;
}

void metrics_request(metrics *m, int route, int status, double seconds)
{
    if (route < 0 || route >= METRICS_MAX_ROUTES)
        return;
    size_t s = 0;
    while (s < N_STATUS && statuses[s] != status)
        s++;
    atomic_fetch_add(&m->by_status[route][s], 1);
    size_t b = 0;
    while (b < N_BUCKET && seconds > buckets[b])
        b++;
    atomic_fetch_add(&m->hist[route][b], 1);
    atomic_fetch_add(&m->sum_us[route], (long)(seconds * 1e6));
}

void metrics_rss(long *rss, long *hwm)
{
    *rss = *hwm = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long kb;
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            *rss = kb * 1024;
        else if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            *hwm = kb * 1024;
    }
    fclose(f);
}

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *sb, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < sb->cap - sb->len) {
            sb->len += (size_t)n;
            return;
        }
        size_t ncap = sb->cap * 2 + (size_t)(n > 0 ? n : 0);
        char *nb = realloc(sb->buf, ncap);
        if (!nb)
            return;
        sb->buf = nb;
        sb->cap = ncap;
    }
}

static void gauge(sbuf *sb, const char *name, const char *help, const char *type, long v)
{
    sb_printf(sb, "# HELP %s %s\n# TYPE %s %s\n%s %ld\n", name, help, name, type, name, v);
}

char *metrics_render(metrics *m)
{
    sbuf sb = {malloc(8192), 0, 8192};
    if (!sb.buf)
        return NULL;
    sb.buf[0] = 0;
    sb_printf(&sb, "# HELP cartouche_requests_total Requests by route and status.\n"
                   "# TYPE cartouche_requests_total counter\n");
    for (int r = 0; r < m->n_routes; r++) {
        for (size_t s = 0; s <= N_STATUS; s++) {
            long v = atomic_load(&m->by_status[r][s]);
            if (!v)
                continue;
            if (s < N_STATUS)
                sb_printf(&sb, "cartouche_requests_total{route=\"%s\",status=\"%d\"} %ld\n",
                          m->route_names[r], statuses[s], v);
            else
                sb_printf(&sb, "cartouche_requests_total{route=\"%s\",status=\"other\"} %ld\n",
                          m->route_names[r], v);
        }
    }
    sb_printf(&sb, "# HELP cartouche_request_duration_seconds Request latency.\n"
                   "# TYPE cartouche_request_duration_seconds histogram\n");
    for (int r = 0; r < m->n_routes; r++) {
        long cum = 0;
        for (size_t b = 0; b <= N_BUCKET; b++) {
            cum += atomic_load(&m->hist[r][b]);
            if (b < N_BUCKET)
                sb_printf(&sb, "cartouche_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %ld\n",
                          m->route_names[r], buckets[b], cum);
            else
                sb_printf(&sb, "cartouche_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %ld\n",
                          m->route_names[r], cum);
        }
        sb_printf(&sb, "cartouche_request_duration_seconds_sum{route=\"%s\"} %.6f\n", m->route_names[r],
                  atomic_load(&m->sum_us[r]) / 1e6);
        sb_printf(&sb, "cartouche_request_duration_seconds_count{route=\"%s\"} %ld\n", m->route_names[r],
                  cum);
    }
    long rss, hwm;
    metrics_rss(&rss, &hwm);
    metrics_gauges *g = &m->g;
    gauge(&sb, "cartouche_queue_depth", "Render jobs waiting for a worker.", "gauge", atomic_load(&g->queue_depth));
    gauge(&sb, "cartouche_renders_in_flight", "Render jobs being rendered.", "gauge", atomic_load(&g->in_flight));
    gauge(&sb, "cartouche_workers", "Render worker threads.", "gauge", atomic_load(&g->workers));
    gauge(&sb, "cartouche_connections", "Open client connections.", "gauge", atomic_load(&g->connections));
    gauge(&sb, "cartouche_accept_paused", "1 while accept is paused at the connection cap.", "gauge", atomic_load(&g->accept_paused));
    gauge(&sb, "cartouche_pool_bytes", "Bytes of the memory budget in use (surfaces, encode buffers).", "gauge", atomic_load(&g->pool_bytes));
    gauge(&sb, "cartouche_pool_budget_bytes", "The memory budget for surfaces and encode buffers.", "gauge", atomic_load(&g->pool_budget));
    gauge(&sb, "cartouche_pool_waits_total", "Times a job waited for pooled memory.", "counter", atomic_load(&g->pool_waits));
    gauge(&sb, "cartouche_cache_bytes", "Bytes held by the render cache.", "gauge", atomic_load(&g->cache_bytes));
    gauge(&sb, "cartouche_cache_entries", "Entries in the render cache.", "gauge", atomic_load(&g->cache_entries));
    gauge(&sb, "cartouche_cache_hits_total", "Render cache hits.", "counter", atomic_load(&g->cache_hits));
    gauge(&sb, "cartouche_cache_misses_total", "Render cache misses.", "counter", atomic_load(&g->cache_misses));
    gauge(&sb, "cartouche_coalesced_total", "Requests answered by an identical in-flight render.", "counter", atomic_load(&g->coalesced));
    gauge(&sb, "cartouche_rejected_total", "Requests refused with 503 by admission control.", "counter", atomic_load(&g->rejected_busy));
    gauge(&sb, "cartouche_renders_total", "Renders completed.", "counter", atomic_load(&g->renders));
    gauge(&sb, "cartouche_render_errors_total", "Renders that failed.", "counter", atomic_load(&g->render_errors));
    gauge(&sb, "cartouche_l2_hits_total", "Shared L2 (memcached) hits.", "counter", atomic_load(&g->l2_hits));
    gauge(&sb, "cartouche_l2_errors_total", "Shared L2 (memcached) errors.", "counter", atomic_load(&g->l2_errors));
    gauge(&sb, "cartouche_bodies_refused_total", "Request bodies refused because the memory budget could not hold them.", "counter", atomic_load(&g->bodies_refused));
    gauge(&sb, "cartouche_slow_readers_closed_total", "Connections closed because a reply was not read within --io-timeout-s.", "counter", atomic_load(&g->slow_readers));
    gauge(&sb, "cartouche_refusals_paced_total", "Refusals answered later because their client address was past --refusal-rate.", "counter", atomic_load(&g->refusals_paced));
    sb_printf(&sb, "# HELP cartouche_reloads_total SIGHUP reloads by result.\n"
                   "# TYPE cartouche_reloads_total counter\n"
                   "cartouche_reloads_total{result=\"ok\"} %ld\n"
                   "cartouche_reloads_total{result=\"failed\"} %ld\n",
              atomic_load(&g->reloads_ok), atomic_load(&g->reloads_failed));
    gauge(&sb, "process_resident_memory_bytes", "Resident set size.", "gauge", rss);
    gauge(&sb, "cartouche_peak_resident_memory_bytes", "Peak resident set size (VmHWM).", "gauge", hwm);
    return sb.buf;
}
