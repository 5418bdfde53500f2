/* err.c — filling err_t and the single table from error kinds to HTTP statuses. */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static const struct {
    int status;
    const char *code;
} err_table[ERR__COUNT] = {
    [ERR_NONE] = {200, "ok"},
    [ERR_BAD_PARAM] = {400, "bad_parameter"},
    [ERR_UNKNOWN_PARAM] = {400, "unknown_parameter"},
    [ERR_DUP_PARAM] = {400, "duplicate_parameter"},
    [ERR_BAD_REQUEST] = {400, "bad_request"},
    [ERR_NOT_FOUND] = {404, "not_found"},
    [ERR_METHOD] = {405, "method_not_allowed"},
    [ERR_TOO_LARGE] = {413, "payload_too_large"},
    [ERR_URI_TOO_LONG] = {414, "uri_too_long"},
    [ERR_UNSUPPORTED] = {415, "unsupported_media_type"},
    [ERR_UNPROCESSABLE] = {422, "unprocessable"},
    [ERR_HEADERS] = {431, "headers_too_large"},
    [ERR_INTERNAL] = {500, "internal"},
    [ERR_BUSY] = {503, "overloaded"},
    [ERR_CONFIG] = {500, "config"},
};

/* Messages quote what the client sent, cut with "%.40s" and to the buffer's size: any byte
 * that is not part of a whole UTF-8 character becomes '?', so the JSON error can be written. */
static void err_clean_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 0 : *p >= 0xC2 && *p <= 0xDF ? 1 : *p >= 0xE0 && *p <= 0xEF ? 2
                 : *p >= 0xF0 && *p <= 0xF4 ? 3 : (size_t)-1;
        size_t k = 1;
        while (n != (size_t)-1 && k <= n && (p[k] & 0xC0) == 0x80)
            k++;
        /* no overlong forms, surrogates or code points past U+10FFFF (as JSON writers check) */
        int bad2 = n != (size_t)-1 && k > n &&
                   ((*p == 0xE0 && p[1] < 0xA0) || (*p == 0xED && p[1] > 0x9F) ||
                    (*p == 0xF0 && p[1] < 0x90) || (*p == 0xF4 && p[1] > 0x8F));
        if (n == (size_t)-1 || k <= n || bad2) {
            *p++ = '?';
            continue;
        }
        p += n + 1;
    }
}

void err_set(err_t *err, err_kind kind, const char *param, const char *fmt, ...)
{
    if (!err)
        return;
    err->kind = kind;
    snprintf(err->param, sizeof err->param, "%s", param ? param : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err_clean_utf8(err->msg);
    err_clean_utf8(err->param);
}

int err_status(err_kind kind)
{
    return (kind >= 0 && kind < ERR__COUNT) ? err_table[kind].status : 500;
}

const char *err_code(err_kind kind)
{
    return (kind >= 0 && kind < ERR__COUNT) ? err_table[kind].code : "internal";
}
