/* web.h — the web page at / and its static files (read into memory at start-up). */
#ifndef CARTOUCHE_WEB_H
#define CARTOUCHE_WEB_H

#include "http/router.h"
#include "util/err.h"

int web_load(const char *web_dir, const char *assets_dir, err_t *err);
void web_unload(void);
/* GET / and /static/... */
int web_register(router *r);

#endif
