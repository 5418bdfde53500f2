/* multipart.c — enough of multipart/form-data to take the uploaded files out of a body: the
 * parts with their form names and file names, pointing into the body (nothing is copied). */
#include "http/multipart.h"

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

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* A file name as browsers send it (the HTML form encoding turns '"' into %22), or from RFC 5987's
 * filename*=UTF-8''percent-encoded form (which wins when both are present). */
static void part_filename(const char *line, size_t len, char *out, size_t cap)
{
    char ext[sizeof ((multipart_part *)0)->filename];
    header_param(line, len, "filename*", ext, sizeof ext);
    if (strncasecmp(ext, "UTF-8''", 7) == 0) {
        size_t n = 0;
        for (const char *p = ext + 7; *p && n + 1 < cap; p++) {
            if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
                out[n++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
                p += 2;
            } else {
                out[n++] = *p;
            }
        }
        out[n] = 0;
        return;
    }
    header_param(line, len, "filename", out, cap);
    char *w = out;
    for (const char *p = out; *p; p++) {
        if (p[0] == '%' && p[1] == '2' && p[2] == '2') {
            *w++ = '"';
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
}

int multipart_each(const char *ctype, const char *body, size_t len, multipart_fn on_part, void *ctx,
                   err_t *err)
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
    while (p) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            goto malformed;
        p += 2;
        const char *hdr_end = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
        /* A part without headers starts its data straight after the delimiter's CRLF. */
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            hdr_end = p - 2;
        if (!hdr_end)
            goto malformed;
        multipart_part part = {0};
        for (const char *line = p; line < hdr_end;) {
            const char *eol = memmem_s(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
            size_t ll = (size_t)((eol ? eol : hdr_end) - line);
            if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                header_param(line, ll, "name", part.name, sizeof part.name);
                part_filename(line, ll, part.filename, sizeof part.filename);
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
        if (on_part(&part, ctx, err) < 0)
            return -1;
        p = next + 2;
    }
malformed:
    err_set(err, ERR_BAD_REQUEST, NULL, "malformed multipart/form-data body");
    return -1;
}

int multipart_is_file(const multipart_part *part)
{
    return part->filename[0] || strcmp(part->name, "file") == 0;
}

typedef struct {
    multipart_part *out;
    int have_named, have_field;
} first_file;

static int take_first(const multipart_part *part, void *arg, err_t *err)
{
    first_file *ff = arg;
    if (!ff->have_named && part->filename[0]) {
        *ff->out = *part;
        ff->have_named = 1;
    } else if (!ff->have_named && !ff->have_field && strcmp(part->name, "file") == 0) {
        *ff->out = *part;
        ff->have_field = 1;
    }
    return 0;
}

int multipart_file(const char *ctype, const char *body, size_t len, multipart_part *out, err_t *err)
{
    first_file ff = {out, 0, 0};
    if (multipart_each(ctype, body, len, take_first, &ff, err) < 0)
        return -1;
    if (ff.have_named || ff.have_field)
        return 0;
    err_set(err, ERR_BAD_REQUEST, "file", "the form has no file part");
    return -1;
}
