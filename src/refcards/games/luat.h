/* luat.h — a reader for Lua table constructors, the data format of DCS World's input
 * files (`local diff = { ["keyDiffs"] = { ... } } return diff`). Not a Lua interpreter:
 * it reads assignments of constant values (strings with every Lua escape, numbers,
 * booleans, nil, nested tables with [key]=, name= and positional fields), long strings,
 * and both kinds of comment, and refuses anything else with "line N: reason". */
#ifndef CARTOUCHE_LUAT_H
#define CARTOUCHE_LUAT_H

#include <stddef.h>

#include "util/err.h"

#define LUAT_MAX_DEPTH 32

typedef enum { LUAT_NIL, LUAT_BOOL, LUAT_NUMBER, LUAT_STRING, LUAT_TABLE } luat_type;

typedef struct luat_field luat_field;

typedef struct {
    luat_type type;
    int line;
    int boolean;
    double number;
    const char *str;     /* NUL-terminated (may also hold NULs: see len) */
    size_t len;
    luat_field *fields;  /* LUAT_TABLE: in source order */
    size_t n_fields;
} luat_value;

struct luat_field {
    luat_value key;      /* positional fields get their 1-based index as a number */
    luat_value value;
};

typedef struct luat_doc luat_doc;

/* Parse a chunk of assignments and an optional `return NAME`; *root is the value returned,
 * else the first assigned. The document owns every value; free it with luat_free(). */
int luat_parse(const char *data, size_t len, luat_doc **doc, const luat_value **root, err_t *err);
void luat_free(luat_doc *doc);

/* Field of table t with string key k, or NULL. */
const luat_value *luat_get(const luat_value *t, const char *k);

#endif
