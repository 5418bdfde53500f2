/* test_refcard_textenc.c — binding files in the encodings games and editors write, turned into
 * UTF-8 with their line breaks kept: UTF-8 with and without a BOM, UTF-16 LE/BE with a BOM and
 * without one, Windows-1252 (the bytes 0x80..0x9F too), and invalid UTF-8 read as 1252. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "refcards/textenc.h"

static void conv(const char *in, size_t len, const char *want, textenc_kind want_kind, int want_owned)
{
    const char *out;
    size_t out_len;
    int owned;
    textenc_kind kind;
    err_t e = {0};
    assert_int_equal(textenc_to_utf8(in, len, 1 << 20, &out, &out_len, &owned, &kind, &e), 0);
    assert_int_equal(kind, want_kind);
    assert_int_equal(owned, want_owned);
    assert_int_equal(out_len, strlen(want));
    assert_memory_equal(out, want, out_len);
    assert_true(textenc_valid_utf8(out, out_len));
    if (owned)
        free((char *)out);
}

static void test_utf8(void **state)
{
    conv("<Root>\r\n\xc3\xa9</Root>", 17, "<Root>\r\n\xc3\xa9</Root>", TEXTENC_UTF8, 0);
    conv("\xef\xbb\xbf<Root/>\n", 11, "<Root/>\n", TEXTENC_UTF8_BOM, 0);
    conv("", 0, "", TEXTENC_UTF8, 0);
}

static void test_cp1252(void **state)
{
    /* IL-2 and Notepad: "Gashebel – Schub" with an en dash (0x96), "é" (0xE9), euro (0x80). */
    conv("Schub \x96 \xe9\x80\r\n", 12, "Schub \xe2\x80\x93 \xc3\xa9\xe2\x82\xac\r\n", TEXTENC_CP1252, 1);
    /* a BOM followed by bytes that are not UTF-8 after all: the BOM goes, the rest is 1252 */
    conv("\xef\xbb\xbf" "a\xe9", 5, "a\xc3\xa9", TEXTENC_CP1252, 1);
    /* 1252 and UTF-8 mixed in one file (IL-2 after two editors): "é" as 0xE9, "’" as UTF-8 */
    conv("l\xe9 l\xe2\x80\x99" "avion", 12, "l\xc3\xa9 l\xe2\x80\x99" "avion", TEXTENC_CP1252, 1);
    /* overlong and surrogate encodings are not UTF-8 */
    assert_false(textenc_valid_utf8("\xc0\xaf", 2));
    assert_false(textenc_valid_utf8("\xed\xa0\x80", 3));
    assert_false(textenc_valid_utf8("\xe2\x82", 2));
    assert_true(textenc_valid_utf8("\xf0\x9f\x8e\xae", 4));
}

static void test_utf16(void **state)
{
    static const char le_bom[] = "\xff\xfe<\0R\0/\0>\0\r\0\n\0\xe9\0";
    conv(le_bom, sizeof le_bom - 1, "<R/>\r\n\xc3\xa9", TEXTENC_UTF16LE, 1);
    static const char be_bom[] = "\xfe\xff\0<\0R\0/\0>\0\n";
    conv(be_bom, sizeof be_bom - 1, "<R/>\n", TEXTENC_UTF16BE, 1);
    /* no BOM: the NUL pattern tells */
    static const char le[] = "<\0?\0x\0m\0l\0 \0v\0=\0\"\0001\0\"\0?\0>\0";
    conv(le, sizeof le - 1, "<?xml v=\"1\"?>", TEXTENC_UTF16LE, 1);
    /* a surrogate pair (U+1F3AE) and a lone surrogate (U+FFFD) */
    static const char pair[] = "\xff\xfe\x3c\xd8\xae\xdf\x3c\xd8";
    conv(pair, sizeof pair - 1, "\xf0\x9f\x8e\xae\xef\xbf\xbd", TEXTENC_UTF16LE, 1);
}

static void test_limit(void **state)
{
    const char *out;
    size_t out_len;
    int owned;
    textenc_kind kind;
    err_t e = {0};
    char big[64];
    memset(big, 0xe9, sizeof big);
    assert_int_equal(textenc_to_utf8(big, sizeof big, 16, &out, &out_len, &owned, &kind, &e), -1);
    assert_int_equal(e.kind, ERR_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
