/* metrics.h — the server's counters and gauges, exported in Prometheus text format. One metrics
 * object per server, made by main.c and handed to each part that counts; counters are atomics so
 * workers may update them without locks. */
#ifndef CARTOUCHE_METRICS_H
#define CARTOUCHE_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#define METRICS_MAX_ROUTES 32

typedef struct {
    atomic_long queue_depth;     /* jobs waiting for a worker */
    atomic_long in_flight;       /* jobs being rendered */
    atomic_long workers;
    atomic_long connections;     /* open client connections */
    atomic_long accept_paused;   /* 1 while accept is paused at the cap */
    atomic_long pool_bytes;      /* bytes held from the memory budget (surfaces + outputs) */
    atomic_long pool_budget;     /* the budget */
    atomic_long pool_waits;      /* times a job waited for pooled memory */
    atomic_long cache_bytes;
    atomic_long cache_entries;
    atomic_long cache_hits;
    atomic_long cache_misses;
    atomic_long coalesced;       /* requests served by another request's render */
    atomic_long rejected_busy;   /* 503s from admission control */
    atomic_long renders;
    atomic_long render_errors;
    atomic_long l2_hits;
    atomic_long l2_errors;
    atomic_long bodies_refused;  /* request bodies the memory budget could not hold (503/413) */
    atomic_long slow_readers;    /* connections closed: a reply not read within --io-timeout-s */
    atomic_long refusals_paced;  /* refusals answered later: their address was past --refusal-rate */
    atomic_long reloads_ok;      /* SIGHUP reloads that took effect */
    atomic_long reloads_failed;  /* SIGHUP reloads refused (a broken file: the running data stays) */
} metrics_gauges;

#define METRICS_N_STATUS 14 /* the statuses counted by name (metrics.c); others as "other" */
#define METRICS_N_BUCKET 13 /* latency histogram buckets before +Inf */

typedef struct {
    metrics_gauges g;
    char route_names[METRICS_MAX_ROUTES][32];
    int n_routes;
    atomic_long by_status[METRICS_MAX_ROUTES][METRICS_N_STATUS + 1]; /* last: other */
    atomic_long hist[METRICS_MAX_ROUTES][METRICS_N_BUCKET + 1];      /* last: +Inf */
    atomic_long sum_us[METRICS_MAX_ROUTES];
} metrics;

/* Register a route label at start-up (on the loop); returns its index. */
int metrics_route(metrics *m, const char *name);
/* Record one finished request. */
void metrics_request(metrics *m, int route, int status, double seconds);
/* Prometheus text exposition; malloc'd, caller frees. */
char *metrics_render(metrics *m);
/* Resident set size and its peak (VmRSS, VmHWM) in bytes, from /proc/self/status. */
void metrics_rss(long *rss, long *hwm);

#endif
