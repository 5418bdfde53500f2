/* app.h — the running server's shared state as route handlers may read it: the settings and
 * the current template set. Owned by server.c; read on the I/O loop only. */
#ifndef CARTOUCHE_APP_H
#define CARTOUCHE_APP_H

#include "util/config.h"
#include "cards/template.h"

typedef struct {
    config cfg;
    template_set *templates; /* swapped atomically on SIGHUP; jobs hold their own reference */
    int ready;               /* assets and templates loaded */
    int draining;            /* SIGTERM received */
} app_state;

extern app_state app;

/* "public, max-age=N" from the settings. */
const char *app_cache_control(void);

/* Start serving with cfg; returns the process exit code (0 after a clean drain). */
int server_run(const config *cfg);
/* Reload templates (and the runtime-changeable settings of the config file) atomically. */
int server_reload(err_t *err);

#endif
