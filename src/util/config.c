/* config.c — defaults, JSON config file and flags, one table describing every setting. */
#include "util/config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef enum { OPT_STR, OPT_LONG, OPT_LISTEN } opt_type;

typedef struct {
    const char *name; /* flag without "--"; config key with '-' → '_' */
    opt_type type;
    size_t offset;
    size_t size;      /* OPT_STR: buffer size */
    long lo, hi;      /* OPT_LONG range */
    const char *help;
} opt_def;

#define STR(field, help) {#field, OPT_STR, offsetof(config, field), sizeof(((config *)0)->field), 0, 0, help}
#define LNG(field, lo, hi, help) {#field, OPT_LONG, offsetof(config, field), 0, lo, hi, help}

static const opt_def opts[] = {
    {"listen", OPT_LISTEN, 0, 0, 0, 0, "ADDR:PORT to listen on (default 127.0.0.1:8080)"},
    LNG(threads, 0, 256, "render worker threads (default: number of cores)"),
    STR(assets_dir, "pre-baked assets folder (default assets)"),
    STR(templates_dir, "templates folder (default templates)"),
    STR(fonts_manifest, "fonts manifest (default fonts/fonts.json)"),
    STR(db_path, "SQLite upload store (default var/cartouche.db)"),
    STR(scenes_dir, "a folder of raster files indexed by `cartouche scenes index DIR`, served in the STAC API (default none)"),
    STR(memcached, "HOST:PORT of a shared L2 render cache (default off)"),
    LNG(memcached_timeout_ms, 1, 10000, "L2 connect and poll timeout, ms (default 50)"),
    STR(public_url, "absolute base of links in JSON, e.g. https://maps.example.org (default: relative links)"),
    LNG(max_age, 0, 31536000, "Cache-Control max-age of images, seconds (default 86400)"),
    LNG(max_uri, 256, 1048576, "request-line limit, bytes (default 8192)"),
    LNG(max_headers, 1024, 1048576, "header block limit, bytes (default 16384)"),
    LNG(max_header_count, 8, 10000, "number of request headers (default 100)"),
    LNG(max_body, 1024, 268435456, "request body limit, bytes (default 4194304)"),
    LNG(max_connections, 4, 1000000, "open connections before accept pauses (default 1024)"),
    LNG(queue_depth, 1, 100000, "render jobs waiting before 503 (default 1024)"),
    LNG(deadline_ms, 10, 600000, "a job not started within this gets 503 (default 600)"),
    LNG(memory_budget_mb, 16, 65536, "render surfaces + encode buffers + cache, MiB (default 64)"),
    LNG(header_timeout_s, 1, 3600, "request must arrive within this, seconds (default 10)"),
    LNG(io_timeout_s, 1, 3600, "idle keep-alive / slow client timeout, seconds (default 30)"),
    LNG(drain_s, 0, 3600, "SIGTERM drain deadline, seconds (default 10)"),
    LNG(max_text, 1, 100000, "characters per text value (default 1000)"),
    LNG(refusal_rate, 0, 1000000, "refusals (400/413/414/422/431) answered a second per client address past a "
                                  "burst of as many; the rest wait (default 100, 0: off)"),
};

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
    c->listen_port = 8080;
    snprintf(c->assets_dir, sizeof c->assets_dir, "assets");
    snprintf(c->templates_dir, sizeof c->templates_dir, "templates");
    snprintf(c->fonts_manifest, sizeof c->fonts_manifest, "fonts/fonts.json");
    snprintf(c->db_path, sizeof c->db_path, "var/cartouche.db");
    c->memcached_timeout_ms = 50;
    c->etag_bits = 128;
    const char *bits = getenv("CARTOUCHE_TEST_ETAG_BITS");
    if (bits && *bits) {
        char *end = NULL;
        long n = strtol(bits, &end, 10);
        if (!*end && n >= 0 && n < 128)
            c->etag_bits = (int)n;
    }
    c->max_age = 86400;
    c->max_uri = 8192;
    c->max_headers = 16384;
    c->max_header_count = 100;
    c->max_body = 4 << 20;
    c->max_connections = 1024;
    c->queue_depth = 1024;
    c->deadline_ms = 600;
    c->memory_budget_mb = 64;
    c->header_timeout_s = 10;
    c->io_timeout_s = 30;
    c->drain_s = 10;
    c->max_text = 1000;
    c->refusal_rate = 100;
}

void config_usage(FILE *f)
{
    fprintf(f, "usage: cartouche [--flag VALUE ...]      serve\n"
               "       cartouche bake [--assets DIR] [--templates DIR] [--device-art] [--image FILE --bounds W,S,E,N "
               "--layer NAME]\n"
               "       cartouche scenes index DIR\n\nflags:\n"
               "  --config FILE            JSON file with the settings below (flags override it)\n"
               "  --layer NAME=PATH        serve a raster .mbtiles or .pmtiles archive as tile layer NAME "
               "(repeatable)\n"
               "  --scenes DIR             alias of --scenes-dir\n");
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char flag[48];
        snprintf(flag, sizeof flag, "%s", opts[i].name);
        for (char *p = flag; *p; p++)
            if (*p == '_')
                *p = '-';
        fprintf(f, "  --%-22s %s\n", flag, opts[i].help);
    }
}

static const opt_def *find_opt(const char *name)
{
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        const char *a = opts[i].name, *b = name;
        while (*a && (*a == *b || (*a == '_' && *b == '-'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return &opts[i];
    }
    return NULL;
}

static int parse_listen(config *c, const char *v, err_t *err)
{
    const char *colon = strrchr(v, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == v || (size_t)(colon - v) >= sizeof c->listen_host || !colon[1] || *end ||
        port < 0 || port > 65535) {
        err_set(err, ERR_CONFIG, "listen", "listen must be ADDR:PORT (port 0..65535), got '%s'", v);
        return -1;
    }
    snprintf(c->listen_host, sizeof c->listen_host, "%.*s", (int)(colon - v), v);
    c->listen_port = (int)port;
    return 0;
}

static int set_opt(config *c, const opt_def *o, const char *v, err_t *err)
{
    char *field = (char *)c + o->offset;
    switch (o->type) {
    case OPT_LISTEN:
        return parse_listen(c, v, err);
    case OPT_STR:
        if (strlen(v) >= o->size) {
            err_set(err, ERR_CONFIG, o->name, "%s is too long (max %zu bytes)", o->name, o->size - 1);
            return -1;
        }
        memcpy(field, v, strlen(v) + 1);
        return 0;
    case OPT_LONG: {
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (!*v || *end || errno || x < o->lo || x > o->hi) {
            err_set(err, ERR_CONFIG, o->name, "%s must be an integer in %ld..%ld, got '%s'", o->name,
                    o->lo, o->hi, v);
            return -1;
        }
        memcpy(field, &x, sizeof x);
        return 0;
    }
    }
    return -1;
}

int config_load_file(config *c, const char *path, err_t *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        err_set(err, ERR_CONFIG, "config", "%s:%d: %s", path, je.line, je.text);
        return -1;
    }
    int rc = -1;
    if (!json_is_object(root)) {
        err_set(err, ERR_CONFIG, "config", "%s: top level must be an object", path);
        goto done;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        const opt_def *o = find_opt(key);
        char buf[64];
        const char *s = NULL;
        if (!o) {
            err_set(err, ERR_CONFIG, key, "%s: unknown setting '%s'", path, key);
            goto done;
        }
        if (json_is_string(val)) {
            s = json_string_value(val);
        } else if (json_is_integer(val)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(val));
            s = buf;
        } else {
            err_set(err, ERR_CONFIG, key, "%s: '%s' must be a string or an integer", path, key);
            goto done;
        }
        err_t e = {0};
        if (set_opt(c, o, s, &e) < 0) {
            err_set(err, ERR_CONFIG, key, "%s: %s", path, e.msg);
            goto done;
        }
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

int config_from_args(config *c, int argc, char **argv, err_t *err)
{
    /* --config first, so flags override the file whatever their order. */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc) {
                err_set(err, ERR_CONFIG, "config", "--config needs a FILE");
                return -1;
            }
            snprintf(c->config_path, sizeof c->config_path, "%s", argv[i + 1]);
            if (config_load_file(c, argv[i + 1], err) < 0)
                return -1;
        }
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 1;
        if (strcmp(a, "--config") == 0) {
            i++;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            err_set(err, ERR_CONFIG, a, "unexpected argument '%s'", a);
            return -1;
        }
        const char *name = a + 2, *v = NULL;
        char namebuf[64];
        const char *eq = strchr(name, '=');
        if (eq) {
            snprintf(namebuf, sizeof namebuf, "%.*s", (int)(eq - name), name);
            name = namebuf;
            v = eq + 1;
        }
        /* Short aliases of the issue: --assets, --templates. */
        if (strcmp(name, "assets") == 0)
            name = "assets-dir";
        else if (strcmp(name, "templates") == 0)
            name = "templates-dir";
        else if (strcmp(name, "fonts") == 0)
            name = "fonts-manifest";
        else if (strcmp(name, "memory-budget") == 0)
            name = "memory-budget-mb";
        else if (strcmp(name, "db") == 0)
            name = "db-path";
        else if (strcmp(name, "scenes") == 0)
            name = "scenes-dir";
        if (strcmp(name, "layer") == 0) { /* repeatable: NAME=PATH of a tile archive */
            if (!v && i + 1 < argc)
                v = argv[++i];
            if (!v) {
                err_set(err, ERR_CONFIG, name, "--layer needs NAME=PATH");
                return -1;
            }
            if (c->n_layers == CONFIG_MAX_LAYERS || strlen(v) >= sizeof c->layers[0]) {
                err_set(err, ERR_CONFIG, name, "--layer: at most %d layers of up to %zu bytes",
                        CONFIG_MAX_LAYERS, sizeof c->layers[0] - 1);
                return -1;
            }
            snprintf(c->layers[c->n_layers++], sizeof c->layers[0], "%s", v);
            continue;
        }
        const opt_def *o = find_opt(name);
        if (!o) {
            err_set(err, ERR_CONFIG, name, "unknown flag '--%s' (see --help)", name);
            return -1;
        }
        if (!v) {
            if (i + 1 >= argc) {
                err_set(err, ERR_CONFIG, name, "--%s needs a value", name);
                return -1;
            }
            v = argv[++i];
        }
        if (set_opt(c, o, v, err) < 0)
            return -1;
    }
    return config_validate(c, err);
}

int config_validate(config *c, err_t *err)
{
    char *u = c->public_url;
    size_t n = strlen(u);
    while (n && u[n - 1] == '/')
        u[--n] = 0;
    if (!n)
        return 0;
    const char *host = strncmp(u, "https://", 8) == 0 ? u + 8 : strncmp(u, "http://", 7) == 0 ? u + 7 : NULL;
    int ok = host && *host;
    for (const char *p = host ? host : ""; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             strchr(".-:[]/_~", *p) != NULL;
    if (!ok) {
        err_set(err, ERR_CONFIG, "public_url",
                "public-url must be http(s)://host[:port][/path] with no query, got '%s'", u);
        return -1;
    }
    return 0;
}
