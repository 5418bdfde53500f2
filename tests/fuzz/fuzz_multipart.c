/* fuzz_multipart.c — the multipart/form-data reader of uploads (multipart_file). The input is
 * the Content-Type header, a NUL, then the body. Invariant: an accepted part lies inside the
 * body and its file name is a C string within its buffer. */
#include "fuzz_util.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    const uint8_t *nul = memchr(data, 0, len);
    if (!nul)
        return 0;
    const char *ctype = (const char *)data; /* NUL-terminated by the split */
    /* The body in its own allocation so ASan sees any read past its end. */
    size_t blen = len - (size_t)(nul + 1 - data);
    char *body = malloc(blen ? blen : 1);
    if (!body)
        abort();
    memcpy(body, nul + 1, blen);
    multipart_part part;
    err_t err = {0};
    if (multipart_file(ctype, body, blen, &part, &err) == 0) {
        FUZZ_CHECK(part.data >= body && part.data + part.len <= body + blen);
        FUZZ_CHECK(memchr(part.filename, 0, sizeof part.filename) != NULL);
        FUZZ_CHECK(memchr(part.name, 0, sizeof part.name) != NULL);
    } else {
        FUZZ_CHECK(err.msg[0] != 0);
    }
    free(body);
    return 0;
}
