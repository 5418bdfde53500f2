/* query.h — query strings: parsing with percent-decoding, validation against a route's
 * allowed keys (unknown → 400, duplicated non-repeatable → 400), typed getters that name
 * the parameter and the allowed range in their error, and the canonical form used for
 * cache keys and ETags (keys sorted, values normalised, repeatables kept in order). */
#ifndef CARTOUCHE_QUERY_H
#define CARTOUCHE_QUERY_H

#include <stddef.h>

#include "util/err.h"

typedef struct {
    char *key;
    char *val;   /* percent-decoded, NUL-terminated; may contain no NUL (rejected) */
    size_t vlen;
} query_param;

typedef struct {
    query_param *p;
    size_t n, cap;
} query;

/* Most parameters one request may carry, URL and JSON body together (413 past it). */
#define QUERY_MAX_PARAMS 512

/* One allowed key of a route. A key ending in '.' is a prefix ("text." allows text.title). */
typedef struct {
    const char *key;
    int repeatable;
} query_key;

/* Parse "a=1&b=x%20y" (raw may be NULL or empty). '+' decodes to space. Rejects malformed
 * escapes and encoded NUL with ERR_BAD_PARAM naming the key. Limits: max_params. */
int query_parse(const char *raw, query *q, size_t max_params, err_t *err);
void query_free(query *q);

/* Append a copy of key=val (vlen bytes); -1 on out-of-memory. */
int query_add(query *q, const char *key, const char *val, size_t vlen);

/* Every key must match an entry of allowed (n_allowed entries); non-repeatable keys at most once. */
int query_check(const query *q, const query_key *allowed, size_t n_allowed, err_t *err);

/* First value of key, or NULL. */
const char *query_get(const query *q, const char *key);

/* Typed getters: absent → *out = def and return 0; present but malformed or out of [lo, hi]
 * → -1 with ERR_BAD_PARAM "KEY must be an integer in LO..HI". */
int query_long(const query *q, const char *key, long lo, long hi, long def, long *out, err_t *err);
int query_double(const query *q, const char *key, double lo, double hi, double def, double *out,
                 err_t *err);
/* Value must be one of the NULL-terminated choices; *out is its index (def if absent). */
int query_enum(const query *q, const char *key, const char *const *choices, int def, int *out,
               err_t *err);

/* Canonical form: "k1=v1&k2=v2" with keys sorted (stable for repeatables), values re-escaped.
 * Returns a malloc'd string. */
char *query_canonical(const query *q);

/* How query_canonical_norm rewrites one key's (already validated) value so that requests for
 * the same bytes share one cache key and ETag: numbers in one form ("1.0", "1.00", "1e0" → "1"),
 * and a value equal to the default dropped ("q=85" is no "q"). */
typedef enum {
    QUERY_NORM_LONG,    /* integer */
    QUERY_NORM_NUMBERS, /* comma-separated numbers ("48.850,2.35" → "48.85,2.35") */
    QUERY_NORM_NUMLIST, /* numbers before a comma-separated text tail: "lat,lng,text"; the text is
                           kept as is (markers, labels) */
    QUERY_NORM_ENUM,    /* kept as is; dropped when equal to def */
} query_norm_kind;

typedef struct {
    const char *key;
    query_norm_kind kind;
    const char *def;    /* canonical default, NULL if the key has none */
    int numbers;        /* QUERY_NORM_NUMLIST: how many leading numbers */
} query_norm;

/* query_canonical with the rules of norms applied (keys not listed are kept as they are). */
char *query_canonical_norm(const query *q, const query_norm *norms, size_t n_norms);

/* A decimal number as URLs carry them: [-]digits[.digits][e[+-]digits] — no hex floats ("0x1p3"),
 * inf, nan, blanks or leading '+'. *end is set past it. 0 or -1. */
int query_number(const char *s, double *out, const char **end);

/* The shortest decimal text that reads back as v ("%.15g", more digits only when needed). */
void query_format_number(double v, char *buf, size_t cap);

/* Percent-decode src[0..len) into a malloc'd string; -1 on a malformed escape or NUL. */
int query_unescape(const char *src, size_t len, char **out, size_t *outlen);

/* The same for a path segment, where '+' is a literal plus. */
int query_unescape_path(const char *src, size_t len, char **out, size_t *outlen);

#endif
