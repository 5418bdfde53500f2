/* fuzz_cards_body.c — the JSON body of POST /v1/cards/{template} (cards_body_query), up to the
 * body limit. Invariants: a refusal names a message and adds nothing; an accepted body adds at
 * most the parameters the cap leaves, each with a key, and "text" members as text.<slot>. */
#include <string.h>

#include "cards/cards.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len > 4 << 20)
        return 0;
    query q = {0};
    err_t err = {0};
    if (query_parse(len && data[0] == '?' ? "q=90" : "", &q, QUERY_MAX_PARAMS, &err) < 0)
        abort();
    size_t before = q.n;
    if (cards_body_query((const char *)data, len, &q, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
    } else {
        FUZZ_CHECK(q.n >= before && q.n <= QUERY_MAX_PARAMS + 1);
        for (size_t i = 0; i < q.n; i++) {
            FUZZ_CHECK(q.p[i].key[0] != 0);
            FUZZ_CHECK(strlen(q.p[i].val) == q.p[i].vlen);
        }
    }
    query_free(&q);
    return 0;
}
