/* fuzz_etag.c — the If-None-Match parser (etag_match). Invariants: any header matches "*"
 * semantics only when it is exactly "*" (with optional whitespace); a list that ends with the
 * tag itself after a well-formed prefix matches; garbage never crashes. */
#include <string.h>

#include "core/etag.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    char etag[ETAG_LEN];
    etag_make("fuzz", ETAG_BITS, etag);
    char *inm = fuzz_cstr(data, len);
    int m = etag_match(inm, etag);
    FUZZ_CHECK(m == 0 || m == 1);
    /* A header holding only quotes-free garbage can never match. */
    if (!memchr(data, '"', len) && !memchr(data, '*', len))
        FUZZ_CHECK(m == 0);
    FUZZ_CHECK(etag_match(etag, etag) == 1);
    /* Weak form of the same tag matches too (weak comparison for GET/HEAD). */
    char weak[ETAG_LEN + 2];
    snprintf(weak, sizeof weak, "W/%s", etag);
    FUZZ_CHECK(etag_match(weak, etag) == 1);
    /* The fuzzed text used as the tag to compare against: must not crash either. */
    (void)etag_match(etag, inm);
    (void)etag_hash(ETAG_SEED, data, len);
    free(inm);
    return 0;
}
