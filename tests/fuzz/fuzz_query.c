/* fuzz_query.c — the query-string parser: query_parse, query_check against a route-like key
 * table, the typed getters, and the canonical form. Invariants: an accepted query's canonical
 * form parses again to the same canonical form (ETags depend on it), and every error names a
 * message. */
#include <string.h>

#include "fuzz_util.h"
#include "http/query.h"

static const query_key keys[] = {
    {"q", 0}, {"scale", 0}, {"seed", 0}, {"subsampling", 0}, {"center", 0}, {"zoom", 0},
    {"marker", 1}, {"label", 1}, {"text.", 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    char *raw = fuzz_cstr(data, len);
    query q;
    err_t err = {0};
    if (query_parse(raw, &q, 64, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
        FUZZ_CHECK(q.n == 0 && q.p == NULL);
        free(raw);
        return 0;
    }
    for (size_t i = 0; i < q.n; i++) {
        FUZZ_CHECK(q.p[i].key[0] != 0);
        FUZZ_CHECK(strlen(q.p[i].val) == q.p[i].vlen); /* no NUL inside a value */
    }
    err_t e2 = {0};
    if (query_check(&q, keys, sizeof keys / sizeof keys[0], &e2) < 0)
        FUZZ_CHECK(e2.msg[0] != 0);
    long l;
    double d;
    int idx;
    static const char *const sub[] = {"420", "444", NULL};
    err_t e3 = {0};
    (void)query_long(&q, "q", 1, 100, 85, &l, &e3);
    (void)query_long(&q, "seed", 0, 1000000000L, 0, &l, &e3);
    (void)query_double(&q, "zoom", 0, 18, 0, &d, &e3);
    (void)query_enum(&q, "subsampling", sub, 0, &idx, &e3);
    (void)query_get(&q, "center");

    char *canon = query_canonical(&q);
    FUZZ_CHECK(canon != NULL);
    query q2;
    err_t e4 = {0};
    FUZZ_CHECK(query_parse(canon, &q2, 64, &e4) == 0);
    FUZZ_CHECK(q2.n == q.n);
    char *canon2 = query_canonical(&q2);
    FUZZ_CHECK(canon2 && strcmp(canon, canon2) == 0);
    free(canon2);
    query_free(&q2);
    free(canon);
    query_free(&q);

    /* The path-segment decoder shares the escape rules; it must never read past len. */
    char *seg = NULL;
    size_t seglen;
    if (query_unescape_path((const char *)data, len, &seg, &seglen) == 0) {
        FUZZ_CHECK(seglen <= len && strlen(seg) == seglen);
        free(seg);
    }
    free(raw);
    return 0;
}
