/* multipart.h — the parts of a multipart/form-data body (RFC 7578). */
#ifndef CARTOUCHE_MULTIPART_H
#define CARTOUCHE_MULTIPART_H

#include <stddef.h>

#include "util/err.h"

typedef struct {
    const char *data;  /* points into the body */
    size_t len;
    char filename[512]; /* as the client sent it (filename*=UTF-8'' decoded); "" if none */
    char name[64];
} multipart_part;

/* Calls on_part for every part of body, in order (the boundary comes from the request's
 * Content-Type); stops at the first on_part that returns -1 (its err is kept). -1 with
 * ERR_BAD_REQUEST on a malformed body; the parts before the damage were seen already. */
typedef int (*multipart_fn)(const multipart_part *part, void *ctx, err_t *err);
int multipart_each(const char *content_type, const char *body, size_t len, multipart_fn on_part,
                   void *ctx, err_t *err);

/* 1 if a part is an uploaded file: it carries a filename, or is a form field named "file". */
int multipart_is_file(const multipart_part *part);

/* The first part that carries a filename (else the part named "file"). -1 with ERR_BAD_REQUEST
 * on a malformed body or a form without a file. */
int multipart_file(const char *content_type, const char *body, size_t len, multipart_part *out,
                   err_t *err);

#endif
