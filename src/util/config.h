/* config.h — the server's settings: compiled-in defaults, an optional JSON config file, and
 * command-line flags (flags win). Validation errors name the flag or key and the allowed range. */
#ifndef CARTOUCHE_CONFIG_H
#define CARTOUCHE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

#define CONFIG_MAX_LAYERS 32

typedef struct {
    char listen_host[64];
    int listen_port;
    int threads;              /* render workers; 0 = number of cores */
    char config_path[512];
    char assets_dir[512];
    char templates_dir[512];
    char fonts_manifest[512];
    char db_path[512];        /* SQLite upload store */
    char layers[CONFIG_MAX_LAYERS][1100]; /* --layer NAME=PATH, repeatable (checked at load) */
    int n_layers;
    char scenes_dir[1024];    /* --scenes DIR: a folder `cartouche scenes index` indexed, "" = none */
    char memcached[128];      /* HOST:PORT of the optional shared L2 cache, "" = off */
    long memcached_timeout_ms; /* connect and poll timeout of the L2 (a worker never waits longer) */
    char public_url[256];     /* absolute base of links in JSON ("https://maps.example.org");
                                 "" = relative links. Never taken from the request's Host, which
                                 a client controls and a CDN would cache. */
    long max_age;             /* Cache-Control max-age of 200s, seconds */
    long max_uri;             /* request line limit, bytes (414) */
    long max_headers;         /* header block limit, bytes (431) */
    long max_header_count;    /* number of headers (431) */
    long max_body;            /* request body limit, bytes (413) */
    long max_connections;     /* accept paused at this many open connections */
    long queue_depth;         /* render jobs waiting; beyond → 503 */
    long deadline_ms;         /* a job not started within this → 503 */
    long memory_budget_mb;    /* render surfaces + encode buffers + render cache */
    long header_timeout_s;    /* slowloris: whole request must arrive within this */
    long io_timeout_s;        /* idle keep-alive / slow reader timeout */
    long drain_s;             /* SIGTERM: finish in-flight work within this */
    long max_text;            /* characters per text value */
    long refusal_rate;        /* refusals (400/413/414/422/431) answered a second per client
                                 address past a burst of as many; the rest wait (0: off) */
    int etag_bits;            /* bits of the digest an ETag keeps: 128, fewer only under the test
                                 hook CARTOUCHE_TEST_ETAG_BITS (so that different URLs share tags) */
} config;

/* Defaults. */
void config_defaults(config *c);
/* Apply command-line flags (argv after the program name). --config FILE is read first, then
 * the other flags override it. Returns 0, 1 for --help (usage printed), or -1 with err. */
int config_from_args(config *c, int argc, char **argv, err_t *err);
/* Check settings that depend on each other or have a shape (public_url); -1 with err. */
int config_validate(config *c, err_t *err);
/* Load a JSON config file over c (keys named like the flags without dashes, '-' → '_'). */
int config_load_file(config *c, const char *path, err_t *err);
void config_usage(FILE *f);

#endif
