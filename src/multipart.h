/* multipart.h — the one file part of a multipart/form-data body (RFC 7578). */
#ifndef CARTOUCHE_MULTIPART_H
#define CARTOUCHE_MULTIPART_H

#include <stddef.h>

#include "err.h"

typedef struct {
    const char *data;  /* points into the body */
    size_t len;
    char filename[256];
    char name[64];
} multipart_part;

/* Find the first part that carries a filename (else the part named "file") in body, given the
 * request's Content-Type (which holds the boundary). -1 with ERR_BAD_REQUEST on a malformed body. */
int multipart_file(const char *content_type, const char *body, size_t len, multipart_part *out,
                   err_t *err);

#endif
