/* test_refcard_util.h — helpers shared by the refcard parser tests: read a test file, parse it
 * with the game tables loaded, find a binding. Tests run from the repository root. */
#ifndef TEST_REFCARD_UTIL_H
#define TEST_REFCARD_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refcards/games/games.h"

static games_registry *GT; /* the game tables under test */

#define TR_DATA "tests/data/bindings/"

static inline char *tr_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* Parse a test file that must parse. */
static inline binding_set tr_parse(const char *game, const char *file, const char *filename)
{
    char path[256];
    snprintf(path, sizeof path, TR_DATA "%s", file);
    size_t len;
    char *data = tr_read(path, &len);
    binding_set s;
    err_t e = {0};
    int rc = games_parse_named(GT, game, filename, data, len, &s, &e);
    if (rc != 0)
        print_error("%s: %s\n", file, e.msg);
    assert_int_equal(rc, 0);
    free(data);
    return s;
}

/* Parse a test file (or a string when file is NULL) that must fail; returns the error. */
static inline err_t tr_fail(const char *game, const char *file, const char *text)
{
    char path[256];
    size_t len;
    char *data;
    if (file) {
        snprintf(path, sizeof path, TR_DATA "%s", file);
        data = tr_read(path, &len);
    } else {
        len = strlen(text);
        data = malloc(len + 1);
        memcpy(data, text, len + 1);
    }
    binding_set s;
    err_t e = {0};
    assert_int_equal(games_parse(GT, game, data, len, &s, &e), -1);
    assert_int_equal(s.n, 0);
    assert_null(s.items);
    free(data);
    return e;
}

/* The nth (0-based) binding of action_id, or fail. */
static inline const binding *tr_find(const binding_set *s, const char *action_id, int nth)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].action_id, action_id) == 0 && nth-- == 0)
            return &s->items[i];
    print_error("no binding %s\n", action_id);
    fail();
    return NULL;
}

static inline int tr_count(const binding_set *s, const char *action_id)
{
    int n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += strcmp(s->items[i].action_id, action_id) == 0;
    return n;
}

static inline int tr_setup(void **state)
{
    err_t e = {0};
    if (!(GT = games_load("templates/games", &e))) {
        print_error("games_load: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static inline int tr_teardown(void **state)
{
    games_free(GT);
    return 0;
}

#define assert_prefix(s, prefix) assert_int_equal(strncmp((s), (prefix), strlen(prefix)), 0)
#define assert_contains(s, needle) assert_non_null(strstr((s), (needle)))

#endif
