/* luat.c — tokenizer and recursive-descent reader for Lua table constructors (see luat.h).
 * All values live in one arena owned by the document, so freeing is one walk of blocks. */
#include "refcards/games/luat.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VARS 16

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct luat_doc {
    block *blocks;
    struct {
        char name[64];
        luat_value value;
    } vars[MAX_VARS];
    int n_vars;
};

enum { T_EOF, T_NAME, T_STRING, T_NUMBER, T_PUNCT };

typedef struct {
    const char *s, *end;
    int line;
    luat_doc *doc;
    err_t *err;
    int failed;
    /* current token */
    int tok;
    int tok_line;
    char punct;           /* T_PUNCT: one of { } [ ] = , ; - */
    const char *name;     /* T_NAME: points into the input */
    size_t name_len;
    char *str;            /* T_STRING: arena copy */
    size_t str_len;
    double num;
} lexer;

static void fail(lexer *lx, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(lexer *lx, int line, const char *fmt, ...)
{
    if (lx->failed)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(lx->err, ERR_UNPROCESSABLE, NULL, "line %d: %s", line, msg);
    lx->failed = 1;
}

static void *arena_alloc(luat_doc *d, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!d->blocks || d->blocks->cap - d->blocks->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = d->blocks;
        b->used = 0;
        b->cap = cap;
        d->blocks = b;
    }
    void *p = (char *)d->blocks->data + d->blocks->used;
    d->blocks->used += n;
    return p;
}

void luat_free(luat_doc *doc)
{
    if (!doc)
        return;
    for (block *b = doc->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(doc);
}

/* ---- tokenizer ---- */

/* Level of a long bracket opening at s ("[[" = 0, "[==[" = 2), or -1. */
static int long_bracket(const char *s, const char *end)
{
    if (s >= end || *s != '[')
        return -1;
    const char *p = s + 1;
    while (p < end && *p == '=')
        p++;
    return p < end && *p == '[' ? (int)(p - s - 1) : -1;
}

/* Skip a long bracket body of the given level starting after its opening; *out/out_len
 * get the contents when out != NULL. */
static int read_long(lexer *lx, int level, int open_line, const char **out, size_t *out_len)
{
    const char *start = lx->s;
    for (; lx->s < lx->end; lx->s++) {
        if (*lx->s == '\n')
            lx->line++;
        if (*lx->s == ']') {
            const char *p = lx->s + 1;
            int l = 0;
            while (p < lx->end && *p == '=')
                p++, l++;
            if (l == level && p < lx->end && *p == ']') {
                if (out) {
                    *out = start;
                    *out_len = (size_t)(lx->s - start);
                }
                lx->s = p + 1;
                return 0;
            }
        }
    }
    fail(lx, open_line, "unfinished long string or comment");
    return -1;
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

static int read_string(lexer *lx, char quote)
{
    int open_line = lx->line;
    /* The decoded string is never longer than its source. */
    const char *p = lx->s;
    while (p < lx->end && *p != quote && *p != '\n') {
        if (*p == '\\' && p + 1 < lx->end)
            p++;
        p++;
    }
    size_t cap = (size_t)(p - lx->s) + 1;
    char *out = arena_alloc(lx->doc, cap + 4);
    if (!out) {
        err_set(lx->err, ERR_INTERNAL, NULL, "out of memory reading a Lua string");
        lx->failed = 1;
        return -1;
    }
    size_t n = 0;
    for (;;) {
        if (lx->s >= lx->end || *lx->s == '\n') {
            fail(lx, open_line, "unfinished string");
            return -1;
        }
        char c = *lx->s++;
        if (c == quote)
            break;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        if (lx->s >= lx->end) {
            fail(lx, open_line, "unfinished string");
            return -1;
        }
        c = *lx->s++;
        switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'a': out[n++] = '\a'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'v': out[n++] = '\v'; break;
        case '\\': case '"': case '\'': out[n++] = c; break;
        case '\n': out[n++] = '\n'; lx->line++; break;
        case 'z': /* skip following whitespace */
            while (lx->s < lx->end && isspace((unsigned char)*lx->s)) {
                if (*lx->s == '\n')
                    lx->line++;
                lx->s++;
            }
            break;
        case 'x': {
            int h1 = lx->s + 1 < lx->end ? hexval((unsigned char)lx->s[0]) : -1;
            int h2 = h1 >= 0 ? hexval((unsigned char)lx->s[1]) : -1;
            if (h2 < 0) {
                fail(lx, lx->line, "bad \\x escape in string");
                return -1;
            }
            out[n++] = (char)(h1 * 16 + h2);
            lx->s += 2;
            break;
        }
        default:
            if (isdigit((unsigned char)c)) {
                int v = c - '0';
                for (int k = 0; k < 2 && lx->s < lx->end && isdigit((unsigned char)*lx->s); k++)
                    v = v * 10 + (*lx->s++ - '0');
                if (v > 255) {
                    fail(lx, lx->line, "decimal escape \\%d is too large", v);
                    return -1;
                }
                out[n++] = (char)v;
            } else {
                fail(lx, lx->line, "invalid escape \\%c in string", isprint((unsigned char)c) ? c : '?');
                return -1;
            }
        }
    }
    out[n] = 0;
    lx->str = out;
    lx->str_len = n;
    lx->tok = T_STRING;
    return 0;
}

static int next(lexer *lx)
{
    for (;;) {
        while (lx->s < lx->end && isspace((unsigned char)*lx->s)) {
            if (*lx->s == '\n')
                lx->line++;
            lx->s++;
        }
        if (lx->end - lx->s >= 2 && lx->s[0] == '-' && lx->s[1] == '-') {
            int open_line = lx->line;
            lx->s += 2;
            int level = long_bracket(lx->s, lx->end);
            if (level >= 0) {
                lx->s += level + 2;
                if (read_long(lx, level, open_line, NULL, NULL) < 0)
                    return -1;
            } else {
                while (lx->s < lx->end && *lx->s != '\n')
                    lx->s++;
            }
            continue;
        }
        break;
    }
    lx->tok_line = lx->line;
    if (lx->s >= lx->end) {
        lx->tok = T_EOF;
        return 0;
    }
    unsigned char c = (unsigned char)*lx->s;
    if (c == '"' || c == '\'') {
        lx->s++;
        return read_string(lx, (char)c);
    }
    int level = long_bracket(lx->s, lx->end);
    if (level >= 0) {
        const char *body;
        size_t blen;
        int open_line = lx->line;
        lx->s += level + 2;
        if (lx->s < lx->end && *lx->s == '\r')
            lx->s++;
        if (lx->s < lx->end && *lx->s == '\n') { /* a first newline is not part of it */
            lx->s++;
            lx->line++;
        }
        if (read_long(lx, level, open_line, &body, &blen) < 0)
            return -1;
        char *out = arena_alloc(lx->doc, blen + 1);
        if (!out) {
            err_set(lx->err, ERR_INTERNAL, NULL, "out of memory reading a Lua string");
            lx->failed = 1;
            return -1;
        }
        memcpy(out, body, blen);
        out[blen] = 0;
        lx->str = out;
        lx->str_len = blen;
        lx->tok = T_STRING;
        return 0;
    }
    if (isalpha(c) || c == '_') {
        const char *p = lx->s;
        while (p < lx->end && (isalnum((unsigned char)*p) || *p == '_'))
            p++;
        lx->name = lx->s;
        lx->name_len = (size_t)(p - lx->s);
        lx->s = p;
        lx->tok = T_NAME;
        return 0;
    }
    if (isdigit(c) || (c == '.' && lx->s + 1 < lx->end && isdigit((unsigned char)lx->s[1]))) {
        char buf[64];
        size_t n = 0;
        const char *p = lx->s;
        int hex = lx->end - p > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
        while (p < lx->end && n + 1 < sizeof buf &&
               (isalnum((unsigned char)*p) || *p == '.' ||
                ((*p == '+' || *p == '-') && n > 0 &&
                 (hex ? (buf[n - 1] == 'p' || buf[n - 1] == 'P')
                      : (buf[n - 1] == 'e' || buf[n - 1] == 'E')))))
            buf[n++] = *p++;
        buf[n] = 0;
        char *end;
        errno = 0;
        lx->num = strtod(buf, &end);
        if (*end || n == sizeof buf - 1) {
            fail(lx, lx->line, "malformed number \"%.30s\"", buf);
            return -1;
        }
        lx->s = p;
        lx->tok = T_NUMBER;
        return 0;
    }
    if (strchr("{}[]=,;-", c)) {
        lx->punct = (char)c;
        lx->s++;
        lx->tok = T_PUNCT;
        return 0;
    }
    fail(lx, lx->line, "unexpected character '%c'", isprint(c) ? c : '?');
    return -1;
}

static int is_punct(const lexer *lx, char c)
{
    return lx->tok == T_PUNCT && lx->punct == c;
}

static int is_name(const lexer *lx, const char *w)
{
    return lx->tok == T_NAME && lx->name_len == strlen(w) && memcmp(lx->name, w, lx->name_len) == 0;
}

static const char *tok_desc(const lexer *lx, char *buf, size_t n)
{
    switch (lx->tok) {
    case T_EOF: return "end of file";
    case T_NAME: snprintf(buf, n, "'%.*s'", (int)(lx->name_len > 30 ? 30 : lx->name_len), lx->name); return buf;
    case T_STRING: return "a string";
    case T_NUMBER: return "a number";
    default: snprintf(buf, n, "'%c'", lx->punct); return buf;
    }
}

static int expect(lexer *lx, char c, const char *what)
{
    if (!is_punct(lx, c)) {
        char b[48];
        fail(lx, lx->tok_line, "expected '%c' %s, found %s", c, what, tok_desc(lx, b, sizeof b));
        return -1;
    }
    return next(lx);
}

/* ---- parser ---- */

static int parse_value(lexer *lx, luat_value *v, int depth);

typedef struct {
    luat_field *items;
    size_t n, cap;
} field_list;

static int parse_table(lexer *lx, luat_value *v, int depth)
{
    if (depth > LUAT_MAX_DEPTH) {
        fail(lx, lx->tok_line, "tables nested deeper than %d", LUAT_MAX_DEPTH);
        return -1;
    }
    v->type = LUAT_TABLE;
    v->line = lx->tok_line;
    if (next(lx) < 0) /* past '{' */
        return -1;
    field_list fl = {0};
    double index = 1;
    int rc = -1;
    while (!is_punct(lx, '}')) {
        luat_field f;
        memset(&f, 0, sizeof f);
        if (is_punct(lx, '[')) {
            if (next(lx) < 0 || parse_value(lx, &f.key, depth + 1) < 0 ||
                expect(lx, ']', "after a table key") < 0 || expect(lx, '=', "after a table key") < 0)
                goto done;
            if (f.key.type == LUAT_NIL || f.key.type == LUAT_TABLE) {
                fail(lx, f.key.line, "a table key must be a string, number or boolean");
                goto done;
            }
        } else if (lx->tok == T_NAME && !is_name(lx, "true") && !is_name(lx, "false") &&
                   !is_name(lx, "nil")) {
            char *k = arena_alloc(lx->doc, lx->name_len + 1);
            if (!k)
                goto oom;
            memcpy(k, lx->name, lx->name_len);
            k[lx->name_len] = 0;
            f.key = (luat_value){.type = LUAT_STRING, .line = lx->tok_line, .str = k, .len = lx->name_len};
            if (next(lx) < 0 || expect(lx, '=', "after a field name") < 0)
                goto done;
        } else {
            f.key = (luat_value){.type = LUAT_NUMBER, .line = lx->tok_line, .number = index++};
        }
        if (parse_value(lx, &f.value, depth + 1) < 0)
            goto done;
        if (fl.n == fl.cap) {
            size_t cap = fl.cap ? fl.cap * 2 : 8;
            luat_field *items = realloc(fl.items, cap * sizeof *items);
            if (!items)
                goto oom;
            fl.items = items;
            fl.cap = cap;
        }
        fl.items[fl.n++] = f;
        if (is_punct(lx, ',') || is_punct(lx, ';')) {
            if (next(lx) < 0)
                goto done;
        } else if (!is_punct(lx, '}')) {
            char b[48];
            fail(lx, lx->tok_line, "expected ',' or '}' in the table opened on line %d, found %s",
                 v->line, tok_desc(lx, b, sizeof b));
            goto done;
        }
    }
    if (next(lx) < 0) /* past '}' */
        goto done;
    v->fields = fl.n ? arena_alloc(lx->doc, fl.n * sizeof *fl.items) : NULL;
    if (fl.n && !v->fields)
        goto oom;
    if (fl.n)
        memcpy(v->fields, fl.items, fl.n * sizeof *fl.items);
    v->n_fields = fl.n;
    rc = 0;
    goto done;
oom:
    err_set(lx->err, ERR_INTERNAL, NULL, "out of memory reading a Lua table");
    lx->failed = 1;
done:
    free(fl.items);
    return rc;
}

static int parse_value(lexer *lx, luat_value *v, int depth)
{
    memset(v, 0, sizeof *v);
    v->line = lx->tok_line;
    if (is_punct(lx, '{'))
        return parse_table(lx, v, depth);
    if (lx->tok == T_STRING) {
        v->type = LUAT_STRING;
        v->str = lx->str;
        v->len = lx->str_len;
        return next(lx);
    }
    int neg = 0;
    if (is_punct(lx, '-')) {
        neg = 1;
        if (next(lx) < 0)
            return -1;
    }
    if (lx->tok == T_NUMBER) {
        v->type = LUAT_NUMBER;
        v->number = neg ? -lx->num : lx->num;
        return next(lx);
    }
    if (!neg && (is_name(lx, "true") || is_name(lx, "false"))) {
        v->type = LUAT_BOOL;
        v->boolean = is_name(lx, "true");
        return next(lx);
    }
    if (!neg && is_name(lx, "nil")) {
        v->type = LUAT_NIL;
        return next(lx);
    }
    char b[48];
    fail(lx, lx->tok_line, "expected a value, found %s", tok_desc(lx, b, sizeof b));
    return -1;
}

static const luat_value *var_value(const luat_doc *d, const char *name, size_t len)
{
    for (int i = 0; i < d->n_vars; i++)
        if (strlen(d->vars[i].name) == len && memcmp(d->vars[i].name, name, len) == 0)
            return &d->vars[i].value;
    return NULL;
}

int luat_parse(const char *data, size_t len, luat_doc **docp, const luat_value **root, err_t *err)
{
    luat_doc *d = calloc(1, sizeof *d);
    if (!d) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    lexer lx = {.s = data, .end = data + len, .line = 1, .doc = d, .err = err};
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        lx.s += 3;
    const luat_value *ret = NULL;
    if (next(&lx) < 0)
        goto fail;
    while (lx.tok != T_EOF) {
        if (is_name(&lx, "return")) {
            if (next(&lx) < 0)
                goto fail;
            if (lx.tok == T_NAME) {
                ret = var_value(d, lx.name, lx.name_len);
                if (!ret) {
                    fail(&lx, lx.tok_line, "return of an unknown variable '%.*s'",
                         (int)(lx.name_len > 30 ? 30 : lx.name_len), lx.name);
                    goto fail;
                }
                if (next(&lx) < 0)
                    goto fail;
            } else {
                if (d->n_vars == MAX_VARS) {
                    fail(&lx, lx.tok_line, "more than %d top-level values", MAX_VARS);
                    goto fail;
                }
                int i = d->n_vars++;
                d->vars[i].name[0] = 0;
                if (parse_value(&lx, &d->vars[i].value, 0) < 0)
                    goto fail;
                ret = &d->vars[i].value;
            }
            if (is_punct(&lx, ';') && next(&lx) < 0)
                goto fail;
            if (lx.tok != T_EOF) {
                char b[48];
                fail(&lx, lx.tok_line, "%s after return", tok_desc(&lx, b, sizeof b));
                goto fail;
            }
            break;
        }
        if (is_name(&lx, "local") && next(&lx) < 0)
            goto fail;
        if (lx.tok != T_NAME) {
            char b[48];
            fail(&lx, lx.tok_line, "expected an assignment, found %s", tok_desc(&lx, b, sizeof b));
            goto fail;
        }
        if (d->n_vars == MAX_VARS) {
            fail(&lx, lx.tok_line, "more than %d top-level values", MAX_VARS);
            goto fail;
        }
        int i = d->n_vars++;
        snprintf(d->vars[i].name, sizeof d->vars[i].name, "%.*s",
                 (int)(lx.name_len > 63 ? 63 : lx.name_len), lx.name);
        if (next(&lx) < 0 || expect(&lx, '=', "after a variable name") < 0 ||
            parse_value(&lx, &d->vars[i].value, 0) < 0)
            goto fail;
        if (is_punct(&lx, ';') && next(&lx) < 0)
            goto fail;
    }
    if (!ret && d->n_vars > 0)
        ret = &d->vars[0].value;
    if (!ret) {
        fail(&lx, lx.line, "no value in the file");
        goto fail;
    }
    *docp = d;
    *root = ret;
    return 0;
fail:
    luat_free(d);
    return -1;
}

const luat_value *luat_get(const luat_value *t, const char *k)
{
    if (!t || t->type != LUAT_TABLE)
        return NULL;
    size_t kl = strlen(k);
    for (size_t i = 0; i < t->n_fields; i++) {
        const luat_value *key = &t->fields[i].key;
        if (key->type == LUAT_STRING && key->len == kl && memcmp(key->str, k, kl) == 0)
            return &t->fields[i].value;
    }
    return NULL;
}
