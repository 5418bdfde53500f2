/* refxml.h — the expat set-up shared by the XML binding parsers (Elite .binds, MSFS input
 * profiles). It refuses DTDs and entity declarations outright (billion laughs, external
 * entities), caps nesting depth, reads every document as UTF-8 whatever its declaration says
 * (uploads are converted before parsing), optionally wraps a file that has several top-level
 * elements (MSFS writes <Version/><FriendlyName/><Device/> side by side), and turns every
 * failure into "line N: reason" with ERR_UNPROCESSABLE. */
#ifndef CARTOUCHE_REFXML_H
#define CARTOUCHE_REFXML_H

#include <stddef.h>

#include "util/err.h"

#define REFXML_MAX_DEPTH 64

typedef struct refxml refxml;

typedef struct {
    /* depth: 1 for the document's top-level element(s), 2 for their children, ... */
    void (*start)(refxml *x, void *ud, const char *name, const char **attrs, int depth);
    void (*end)(refxml *x, void *ud, const char *name, int depth);
    void (*text)(refxml *x, void *ud, const char *s, int len); /* may be NULL */
    void *ud;
    int wrap; /* 1: accept several top-level elements */
} refxml_handlers;

/* Parse data; 0 on success, -1 with err (kind ERR_UNPROCESSABLE, "line N: ...") on a
 * malformed document, a DTD, or a handler that called refxml_fail(). */
int refxml_parse(const char *data, size_t len, const refxml_handlers *h, err_t *err);

/* From a handler: stop parsing with "line <current line>: <message>". */
void refxml_fail(refxml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* From a handler: stop parsing with an error already filled in (e.g. from bindings_add). */
void refxml_fail_err(refxml *x, const err_t *e);
int refxml_line(const refxml *x);

/* Value of attribute name in an expat attribute list, or NULL. An exact match wins; else
 * the name is compared without case (games write "key" as well as "Key"). */
const char *refxml_attr(const char **attrs, const char *name);

/* Name and line of the first element of data (for content sniffing). 0 on success; -1 with
 * err when the data is not XML up to that point or declares a DTD. */
int refxml_root(const char *data, size_t len, char *name, size_t n, int *line, err_t *err);

#endif
