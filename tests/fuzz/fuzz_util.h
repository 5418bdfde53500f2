/* fuzz_util.h — small helpers shared by the libFuzzer targets: a NUL-terminated copy of the
 * input, and a check that aborts (a libFuzzer crash) when an invariant does not hold. */
#ifndef CARTOUCHE_FUZZ_UTIL_H
#define CARTOUCHE_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer hands over bytes, the parsers under test take C strings. */
static inline char *fuzz_cstr(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        abort();
    memcpy(s, data, len);
    s[len] = 0;
    return s;
}

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* The repository root, where templates/ lives (the runner starts targets from there). */
static inline const char *fuzz_root(void)
{
    const char *r = getenv("CARTOUCHE_ROOT");
    return r && *r ? r : ".";
}

#endif
