/* fuzz_bundle.c — unpacking an upload (bundle_add): a zip read with libarchive under the limits
 * of bundle.h, or a plain file. Invariants: a refused upload says why; an accepted one stays
 * within BUNDLE_MAX_FILES and BUNDLE_MAX_BYTES, and every name is relative, uses '/', has no
 * "." or ".." part and is valid UTF-8; sorting keeps that and drops nothing but duplicates. */
#include "fuzz_util.h"
#include "refcards/bundle.h"
#include "refcards/textenc.h"

static void check_name(const char *name)
{
    size_t n = strlen(name);
    FUZZ_CHECK(textenc_valid_utf8(name, n));
    FUZZ_CHECK(name[0] != '/');
    FUZZ_CHECK(strchr(name, '\\') == NULL);
    for (const char *p = name; *p;) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        FUZZ_CHECK(!(l == 1 && p[0] == '.') && !(l == 2 && p[0] == '.' && p[1] == '.'));
        p += l + (e != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    /* Its own allocation so ASan sees any read past the end. */
    char *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    memcpy(copy, data, len);
    bundle b = {0};
    err_t err = {0};
    if (bundle_add(&b, "upload.zip", copy, len, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != 0);
    } else {
        FUZZ_CHECK(b.n <= BUNDLE_MAX_FILES);
        FUZZ_CHECK(b.bytes <= BUNDLE_MAX_BYTES);
        size_t before = b.n;
        bundle_sort(&b);
        FUZZ_CHECK(b.n <= before);
        for (size_t i = 0; i < b.n; i++)
            check_name(b.files[i].name);
        for (size_t i = 0; i < b.notes.n_warnings; i++)
            FUZZ_CHECK(b.notes.warnings[i].why[0] != 0);
    }
    bundle_free(&b);
    free(copy);
    return 0;
}
