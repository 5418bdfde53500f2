/* query.c — query-string parsing, validation, typed getters and canonical form. */
#include "http/query.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int unescape(const char *src, size_t len, int plus_is_space, char **out, size_t *outlen)
{
    char *d = malloc(len + 1);
    if (!d)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)src[i];
        if (c == '+' && plus_is_space) {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len) {
                free(d);
                return -1;
            }
            int a = hexval((unsigned char)src[i + 1]), b = hexval((unsigned char)src[i + 2]);
            if (a < 0 || b < 0) {
                free(d);
                return -1;
            }
            c = a * 16 + b;
            i += 2;
        }
        if (c == 0) {
            free(d);
            return -1;
        }
        d[j++] = (char)c;
    }
    d[j] = 0;
    *out = d;
    if (outlen)
        *outlen = j;
    return 0;
}

int query_unescape(const char *src, size_t len, char **out, size_t *outlen)
{
    return unescape(src, len, 1, out, outlen);
}

int query_unescape_path(const char *src, size_t len, char **out, size_t *outlen)
{
    return unescape(src, len, 0, out, outlen);
}

void query_free(query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->p[i].key);
        free(q->p[i].val);
    }
    free(q->p);
    q->p = NULL;
    q->n = q->cap = 0;
}

int query_parse(const char *raw, query *q, size_t max_params, err_t *err)
{
    q->p = NULL;
    q->n = q->cap = 0;
    if (!raw || !*raw)
        return 0;
    size_t cap = 0;
    const char *s = raw;
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t seglen = amp ? (size_t)(amp - s) : strlen(s);
        if (seglen > 0) {
            const char *eq = memchr(s, '=', seglen);
            size_t klen = eq ? (size_t)(eq - s) : seglen;
            const char *v = eq ? eq + 1 : s + seglen;
            size_t vlen = eq ? seglen - klen - 1 : 0;
            char *key = NULL, *val = NULL;
            size_t outvlen = 0;
            if (query_unescape(s, klen, &key, NULL) < 0) {
                err_set(err, ERR_BAD_PARAM, "", "malformed percent-escape in a parameter name");
                goto fail;
            }
            if (!*key) {
                free(key);
                err_set(err, ERR_BAD_PARAM, "", "parameter with an empty name");
                goto fail;
            }
            if (query_unescape(v, vlen, &val, &outvlen) < 0) {
                err_set(err, ERR_BAD_PARAM, key, "%.60s has a malformed percent-escape or NUL", key);
                free(key);
                goto fail;
            }
            if (q->n >= max_params) {
                free(key);
                free(val);
                err_set(err, ERR_TOO_LARGE, "", "more than %zu query parameters (QUERY_MAX_PARAMS)", max_params);
                goto fail;
            }
            if (q->n == cap) {
                cap = cap ? cap * 2 : 8;
                query_param *np = realloc(q->p, cap * sizeof *np);
                q->cap = np ? cap : q->cap;
                if (!np) {
                    free(key);
                    free(val);
                    err_set(err, ERR_INTERNAL, "", "out of memory");
                    goto fail;
                }
                q->p = np;
            }
            q->p[q->n++] = (query_param){key, val, outvlen};
        }
        if (!amp)
            break;
        s = amp + 1;
    }
    return 0;
fail:
    query_free(q);
    return -1;
}

int query_add(query *q, const char *key, const char *val, size_t vlen)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        query_param *np = realloc(q->p, cap * sizeof *np);
        if (!np)
            return -1;
        q->p = np;
        q->cap = cap;
    }
    char *k = strdup(key), *v = malloc(vlen + 1);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memcpy(v, val, vlen);
    v[vlen] = 0;
    q->p[q->n++] = (query_param){k, v, vlen};
    return 0;
}

static const query_key *find_key(const char *key, const query_key *allowed, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(allowed[i].key);
        if (l && allowed[i].key[l - 1] == '.') {
            if (strncmp(key, allowed[i].key, l) == 0 && key[l])
                return &allowed[i];
        } else if (strcmp(key, allowed[i].key) == 0) {
            return &allowed[i];
        }
    }
    return NULL;
}

static int cmp_param_ptr_key(const void *a, const void *b)
{
    const query_param *x = *(const query_param *const *)a, *y = *(const query_param *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x < y ? -1 : x > y);
}

int query_check(const query *q, const query_key *allowed, size_t n_allowed, err_t *err)
{
    if (q->n > QUERY_MAX_PARAMS) {
        err_set(err, ERR_TOO_LARGE, NULL, "more than %d parameters (QUERY_MAX_PARAMS, URL and body together)",
                QUERY_MAX_PARAMS);
        return -1;
    }
    const query_param *once[QUERY_MAX_PARAMS];
    size_t n_once = 0;
    for (size_t i = 0; i < q->n; i++) {
        const query_key *k = find_key(q->p[i].key, allowed, n_allowed);
        if (!k) {
            err_set(err, ERR_UNKNOWN_PARAM, q->p[i].key, "unknown parameter '%.60s'", q->p[i].key);
            return -1;
        }
        if (!k->repeatable)
            once[n_once++] = &q->p[i];
    }
    /* Duplicates by sorting, not by comparing every pair; the earliest repeat is named. */
    qsort(once, n_once, sizeof *once, cmp_param_ptr_key);
    const query_param *dup = NULL;
    for (size_t i = 1; i < n_once; i++)
        if (strcmp(once[i - 1]->key, once[i]->key) == 0 && (!dup || once[i] < dup))
            dup = once[i];
    if (dup) {
        err_set(err, ERR_DUP_PARAM, dup->key, "parameter '%.60s' given more than once", dup->key);
        return -1;
    }
    return 0;
}

const char *query_get(const query *q, const char *key)
{
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->p[i].key, key) == 0)
            return q->p[i].val;
    return NULL;
}

int query_number(const char *s, double *out, const char **end)
{
    const char *p = s;
    if (*p == '-')
        p++;
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        digits += frac;
        p += 1 + frac;
    }
    if (!digits)
        return -1;
    if (*p == 'e' || *p == 'E') {
        const char *x = p + 1;
        if (*x == '+' || *x == '-')
            x++;
        size_t ed = strspn(x, "0123456789");
        if (!ed)
            return -1;
        p = x + ed;
    }
    char buf[64];
    if ((size_t)(p - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(p - s));
    buf[p - s] = 0;
    errno = 0;
    double v = strtod(buf, NULL);
    if (errno || !isfinite(v))
        return -1;
    *out = v == 0 ? 0 : v; /* -0 → 0 */
    *end = p;
    return 0;
}

void query_format_number(double v, char *buf, size_t cap)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int query_long(const query *q, const char *key, long lo, long hi, long def, long *out, err_t *err)
{
    const char *v = query_get(q, key);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || !(isdigit((unsigned char)*v) || (*v == '-' && isdigit((unsigned char)v[1]))) || *end ||
        errno || x < lo || x > hi) {
        err_set(err, ERR_BAD_PARAM, key, "%s must be an integer in %ld..%ld", key, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

int query_double(const query *q, const char *key, double lo, double hi, double def, double *out,
                 err_t *err)
{
    const char *v = query_get(q, key);
    if (!v) {
        *out = def;
        return 0;
    }
    const char *end;
    double x;
    if (query_number(v, &x, &end) < 0 || *end || x < lo || x > hi) {
        err_set(err, ERR_BAD_PARAM, key, "%s must be a number in %g..%g", key, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

int query_enum(const query *q, const char *key, const char *const *choices, int def, int *out,
               err_t *err)
{
    const char *v = query_get(q, key);
    if (!v) {
        *out = def;
        return 0;
    }
    for (int i = 0; choices[i]; i++) {
        if (strcmp(v, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[160] = "";
    for (int i = 0; choices[i]; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? "|" : "", choices[i]);
    }
    err_set(err, ERR_BAD_PARAM, key, "%s must be one of %s", key, list);
    return -1;
}

static int cmp_param(const void *a, const void *b)
{
    const query_param *x = *(const query_param *const *)a, *y = *(const query_param *const *)b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x < y ? -1 : x > y; /* stable: keep the original order of repeatables */
}

static void append_escaped(char **d, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':' || c == ';') {
            *(*d)++ = (char)c;
        } else {
            *(*d)++ = '%';
            *(*d)++ = hex[c >> 4];
            *(*d)++ = hex[c & 15];
        }
    }
}

char *query_canonical(const query *q)
{
    size_t need = 1;
    for (size_t i = 0; i < q->n; i++)
        need += 3 * strlen(q->p[i].key) + 3 * q->p[i].vlen + 2;
    const query_param **order = malloc((q->n ? q->n : 1) * sizeof *order);
    char *out = malloc(need);
    if (!order || !out) {
        free(order);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < q->n; i++)
        order[i] = &q->p[i];
    qsort(order, q->n, sizeof *order, cmp_param);
    char *d = out;
    for (size_t i = 0; i < q->n; i++) {
        if (i)
            *d++ = '&';
        append_escaped(&d, order[i]->key, strlen(order[i]->key));
        *d++ = '=';
        append_escaped(&d, order[i]->val, order[i]->vlen);
    }
    *d = 0;
    free(order);
    return out;
}

/* value of one param rewritten by rule r into out (malloc'd); NULL + *drop when it is the default. */
static char *norm_value(const query_param *p, const query_norm *r, int *drop)
{
    size_t cap = p->vlen + 64 * 8 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    *drop = 0;
    if (r->kind == QUERY_NORM_ENUM) {
        snprintf(out, cap, "%s", p->val);
    } else {
        const char *s = p->val;
        size_t n = 0;
        int max = r->kind == QUERY_NORM_LONG ? 1 : r->kind == QUERY_NORM_NUMLIST ? r->numbers : 1 << 20;
        out[0] = 0;
        for (int i = 0; i < max; i++) {
            double v;
            const char *e;
            if (query_number(s, &v, &e) < 0 || (*e && *e != ',')) {
                /* not numbers after all (the route validated something else): keep as given */
                snprintf(out, cap, "%s", p->val);
                n = strlen(out);
                s = "";
                break;
            }
            char num[40];
            query_format_number(v, num, sizeof num);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "", num);
            s = e;
            if (!*s)
                break;
            s++; /* the comma */
            if (i + 1 == max) {
                snprintf(out + n, cap - n, ",%s", s);
                s = "";
                break;
            }
        }
    }
    if (r->def && strcmp(out, r->def) == 0)
        *drop = 1;
    return out;
}

char *query_canonical_norm(const query *q, const query_norm *norms, size_t n_norms)
{
    query copy = {0};
    char *out = NULL;
    for (size_t i = 0; i < q->n; i++) {
        const query_norm *r = NULL;
        for (size_t k = 0; k < n_norms && !r; k++)
            if (strcmp(norms[k].key, q->p[i].key) == 0)
                r = &norms[k];
        if (!r) {
            if (query_add(&copy, q->p[i].key, q->p[i].val, q->p[i].vlen) < 0)
                goto done;
            continue;
        }
        int drop;
        char *v = norm_value(&q->p[i], r, &drop);
        if (!v)
            goto done;
        int rc = drop ? 0 : query_add(&copy, q->p[i].key, v, strlen(v));
        free(v);
        if (rc < 0)
            goto done;
    }
    out = query_canonical(&copy);
done:
    query_free(&copy);
    return out;
}
