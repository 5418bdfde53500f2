/* err.h — the one error type: a kind (mapped to an HTTP status in server.c), a message,
 * and the offending parameter if any. Every fallible function takes an err_t * and
 * returns -1 (or NULL) after filling it with err_set(). */
#ifndef CARTOUCHE_ERR_H
#define CARTOUCHE_ERR_H

#include <stdarg.h>

typedef enum {
    ERR_NONE = 0,
    ERR_BAD_PARAM,     /* 400 bad_parameter */
    ERR_UNKNOWN_PARAM, /* 400 unknown_parameter */
    ERR_DUP_PARAM,     /* 400 duplicate_parameter */
    ERR_BAD_REQUEST,   /* 400 bad_request */
    ERR_NOT_FOUND,     /* 404 not_found */
    ERR_METHOD,        /* 405 method_not_allowed */
    ERR_TOO_LARGE,     /* 413 payload_too_large */
    ERR_URI_TOO_LONG,  /* 414 uri_too_long */
    ERR_UNSUPPORTED,   /* 415 unsupported_media_type */
    ERR_UNPROCESSABLE, /* 422 unprocessable */
    ERR_HEADERS,       /* 431 headers_too_large */
    ERR_INTERNAL,      /* 500 internal */
    ERR_BUSY,          /* 503 overloaded */
    ERR_CONFIG,        /* start-up: bad flag, config or template (exit 2) */
    ERR__COUNT
} err_kind;

typedef struct {
    err_kind kind;
    char msg[256];
    char param[64];
} err_t;

/* Fill err (may be NULL) with kind, the parameter name (may be NULL) and a printf message. */
void err_set(err_t *err, err_kind kind, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* HTTP status and machine code ("bad_parameter") of a kind. */
int err_status(err_kind kind);
const char *err_code(err_kind kind);

#endif
