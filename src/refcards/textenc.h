/* textenc.h — turns a binding file's bytes into UTF-8 before any parser sees them: games write
 * UTF-8 with or without a BOM, UTF-16 (with a BOM, or without one from some Windows tools) and
 * Windows-1252 (IL-2, older Elite presets, files edited in Notepad). Line breaks are kept as
 * they are, so line numbers in messages stay those of the file. */
#ifndef CARTOUCHE_TEXTENC_H
#define CARTOUCHE_TEXTENC_H

#include <stddef.h>

#include "util/err.h"

/* Which encoding textenc_to_utf8 found. */
typedef enum { TEXTENC_UTF8, TEXTENC_UTF8_BOM, TEXTENC_UTF16LE, TEXTENC_UTF16BE, TEXTENC_CP1252 } textenc_kind;

/* *out = UTF-8 text without a BOM, *out_len its length; *out is a new allocation (free()) or,
 * when data is already BOM-less valid UTF-8, data itself (*owned = 0). -1 + err on out of memory
 * or a file over max_len once converted. */
int textenc_to_utf8(const char *data, size_t len, size_t max_len, const char **out, size_t *out_len,
                    int *owned, textenc_kind *kind, err_t *err);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int textenc_valid_utf8(const char *s, size_t len);

#endif
