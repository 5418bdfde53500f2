/* multipart.c — enough of multipart/form-data to take one uploaded file out of a body. */
#include "multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *memmem_s(const char *h, size_t hl, const char *n, size_t nl)
{
    return memmem(h, hl, n, nl);
}

/* Value of a parameter (name="value" or name=value) in a header line. */
static void header_param(const char *line, size_t len, const char *param, char *out, size_t cap)
{
    out[0] = 0;
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 < len; i++) {
        if (strncasecmp(line + i, param, pl) != 0 || line[i + pl] != '=')
            continue;
        if (i > 0 && line[i - 1] != ' ' && line[i - 1] != ';' && line[i - 1] != '\t')
            continue;
        const char *v = line + i + pl + 1, *end = line + len;
        size_t n = 0;
        if (*v == '"') {
            v++;
            while (v < end && *v != '"' && n + 1 < cap)
                out[n++] = *v++;
        } else {
            while (v < end && *v != ';' && *v != ' ' && *v != '\r' && n + 1 < cap)
                out[n++] = *v++;
        }
        out[n] = 0;
        return;
    }
}

int multipart_file(const char *ctype, const char *body, size_t len, multipart_part *out, err_t *err)
{
    char boundary[128];
    header_param(ctype, strlen(ctype), "boundary", boundary, sizeof boundary);
    if (!boundary[0]) {
        err_set(err, ERR_BAD_REQUEST, NULL, "multipart/form-data without a boundary");
        return -1;
    }
    char delim[140];
    int dl = snprintf(delim, sizeof delim, "--%s", boundary);
    const char *p = memmem_s(body, len, delim, (size_t)dl), *end = body + len;
    multipart_part fallback = {0};
    int have_fallback = 0;
    while (p) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            goto malformed;
        p += 2;
        const char *hdr_end = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hdr_end)
            goto malformed;
        multipart_part part = {0};
        for (const char *line = p; line < hdr_end;) {
            const char *eol = memmem_s(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
            size_t ll = (size_t)((eol ? eol : hdr_end) - line);
            if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                header_param(line, ll, "name", part.name, sizeof part.name);
                header_param(line, ll, "filename", part.filename, sizeof part.filename);
            }
            line += ll + 2;
        }
        const char *data = hdr_end + 4;
        char close[144];
        int cl = snprintf(close, sizeof close, "\r\n--%s", boundary);
        const char *next = memmem_s(data, (size_t)(end - data), close, (size_t)cl);
        if (!next)
            goto malformed;
        part.data = data;
        part.len = (size_t)(next - data);
        if (part.filename[0]) {
            *out = part;
            return 0;
        }
        if (!have_fallback && strcmp(part.name, "file") == 0) {
            fallback = part;
            have_fallback = 1;
        }
        p = next + 2;
    }
    if (have_fallback) {
        *out = fallback;
        return 0;
    }
    err_set(err, ERR_BAD_REQUEST, "file", "the form has no file part");
    return -1;
malformed:
    err_set(err, ERR_BAD_REQUEST, NULL, "malformed multipart/form-data body");
    return -1;
}
