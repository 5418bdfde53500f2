/* test_refcard_bundle.c — an upload unpacked into files (refcard/bundle.c): plain files and their
 * names, zips made here with libarchive's writer (a DCS folder, backslash names, folders, links,
 * macOS junk, nested and encrypted entries), every limit (files, entries, bytes, ratio) and
 * every path trick; the one order of bundle_sort; the store's container round trip. */
#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refcards/bundle.h"
#include "refcards/uploads.h"

#define assert_contains(s, needle) assert_non_null(strstr((s), (needle)))

typedef struct {
    const char *name;
    const char *data;   /* NULL: a folder */
    size_t len;         /* 0 with data: strlen(data) */
    const char *link;   /* a symbolic link to this */
} zent;

/* A zip of entries, made in memory; options as libarchive's writer takes them (may be NULL). */
static char *make_zip(const zent *e, size_t n, const char *options, size_t *len)
{
    size_t cap = 20 << 20, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    if (options)
        assert_int_equal(archive_write_set_options(a, options), ARCHIVE_OK);
    if (options && strstr(options, "encryption"))
        assert_int_equal(archive_write_set_passphrase(a, "secret"), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname_utf8(en, e[i].name);
        if (e[i].link) {
            archive_entry_set_filetype(en, AE_IFLNK);
            archive_entry_set_symlink(en, e[i].link);
            archive_entry_set_perm(en, 0777);
        } else if (!e[i].data) {
            archive_entry_set_filetype(en, AE_IFDIR);
            archive_entry_set_perm(en, 0755);
        } else {
            size_t l = e[i].len ? e[i].len : strlen(e[i].data);
            archive_entry_set_filetype(en, AE_IFREG);
            archive_entry_set_perm(en, 0644);
            archive_entry_set_size(en, (la_int64_t)l);
            assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
            assert_int_equal(archive_write_data(a, e[i].data, l), (la_ssize_t)l);
            archive_entry_free(en);
            continue;
        }
        assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
        archive_entry_free(en);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    *len = used;
    return buf;
}

static const games_file *find(const bundle *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->files[i].name, name) == 0)
            return &b->files[i];
    print_error("no file %s among %zu\n", name, b->n);
    fail();
    return NULL;
}

static int has_warning(const bundle *b, const char *file, const char *why)
{
    for (size_t i = 0; i < b->notes.n_warnings; i++)
        if (strcmp(b->notes.warnings[i].file, file) == 0 && strstr(b->notes.warnings[i].why, why))
            return 1;
    return 0;
}

/* The error of adding a zip of these entries to an empty bundle, which must fail. */
static err_t zip_fails(const zent *e, size_t n)
{
    size_t len;
    char *zip = make_zip(e, n, NULL, &len);
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "upload.zip", zip, len, &err), -1);
    bundle_free(&b);
    free(zip);
    return err;
}

static void test_plain_files_and_client_names(void **state)
{
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "elite.binds", "<Root/>", 7, &err), 0);
    assert_int_equal(bundle_add(&b, NULL, "raw", 3, &err), 0);
    /* Names a client sent are made relative: an old browser's full path, "..", a drive. */
    assert_int_equal(bundle_add(&b, "C:\\Users\\me\\Saved Games\\x.lua", "a", 1, &err), 0);
    assert_int_equal(bundle_add(&b, "../../etc/./passwd", "b", 1, &err), 0);
    assert_int_equal(bundle_add(&b, "Input/F-16C_50/joystick/stick.diff.lua", "c", 1, &err), 0);
    assert_int_equal(bundle_add(&b, "bad\xff\x01name\xc3\xa9.xml", "d", 1, &err), 0);
    assert_int_equal(b.n, 6);
    assert_string_equal(b.files[0].name, "elite.binds");
    assert_memory_equal(b.files[0].data, "<Root/>", 7);
    assert_string_equal(b.files[1].name, "");
    assert_string_equal(b.files[2].name, "Users/me/Saved Games/x.lua");
    assert_string_equal(b.files[3].name, "etc/passwd");
    assert_string_equal(b.files[4].name, "Input/F-16C_50/joystick/stick.diff.lua");
    assert_string_equal(b.files[5].name, "bad??name\xc3\xa9.xml"); /* valid UTF-8 kept */
    assert_int_equal(b.bytes, 7 + 3 + 4);
    assert_int_equal(b.notes.n_warnings, 0);
    bundle_free(&b);
}

static void test_zip_of_a_dcs_folder(void **state)
{
    const zent e[] = {
        {"Config/", NULL, 0, NULL},
        {"Config/Input/", NULL, 0, NULL},
        {"Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {AAA}.diff.lua", "local diff = {}", 0, NULL},
        {"Config/Input/A-10C/keyboard/Keyboard.diff.lua", "local diff = {k}", 0, NULL},
        {"__MACOSX/Config/Input/._A-10C", "junk", 0, NULL},
        {"Config/.DS_Store", "junk", 0, NULL},
        {"Config/Input/Thumbs.db", "junk", 0, NULL},
        {"Config/Input/modifiers.lua", "local modifiers = {}", 0, NULL},
    };
    size_t len;
    char *zip = make_zip(e, sizeof e / sizeof *e, NULL, &len);
    assert_true(bundle_is_zip(zip, len));
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "my input.zip", zip, len, &err), 0);
    assert_int_equal(b.n, 3); /* folders and what macOS and Windows add are not files of the game */
    const games_file *f = find(&b, "Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {AAA}.diff.lua");
    assert_int_equal(f->len, strlen("local diff = {}"));
    assert_memory_equal(f->data, "local diff = {}", f->len);
    find(&b, "Config/Input/A-10C/keyboard/Keyboard.diff.lua");
    find(&b, "Config/Input/modifiers.lua");
    assert_int_equal(b.notes.n_warnings, 0);
    /* A zip in a part among other files: its entries join them. */
    assert_int_equal(bundle_add(&b, "extra.binds", "<Root/>", 7, &err), 0);
    assert_int_equal(b.n, 4);
    bundle_free(&b);
    free(zip);
}

/* PowerShell 5's Compress-Archive writes '\\' between folders; "." parts are harmless. */
static void test_zip_backslash_dot_and_utf8_names(void **state)
{
    const zent e[] = {
        {"Input\\F-16C_50\\joystick\\stick.diff.lua", "x", 0, NULL},
        {"./Input/./A-10C/kb.diff.lua", "y", 0, NULL},
        {"Input/Ка-50/joystick/Джойстик {1}.diff.lua", "z", 0, NULL},
    };
    size_t len;
    /* Names flagged UTF-8, which libarchive reads through the locale: this test runs in "C". */
    char *zip = make_zip(e, 3, "zip:hdrcharset=UTF-8", &len);
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "in.zip", zip, len, &err), 0);
    assert_int_equal(b.n, 3);
    find(&b, "Input/F-16C_50/joystick/stick.diff.lua");
    find(&b, "Input/A-10C/kb.diff.lua");
    find(&b, "Input/Ка-50/joystick/Джойстик {1}.diff.lua");
    bundle_free(&b);
    free(zip);
}

static void test_zip_paths_outside_the_archive(void **state)
{
    const char *bad[] = {"../evil.lua", "Input/../../evil.lua", "/etc/passwd", "C:/Windows/evil.lua",
                         "..\\..\\evil.lua", "Input\\..\\..\\evil.lua", "c:evil.lua", "\\\\server\\share\\x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const zent e[] = {{"ok.lua", "x", 0, NULL}, {bad[i], "y", 0, NULL}};
        err_t err = zip_fails(e, 2);
        assert_int_equal(err.kind, ERR_UNPROCESSABLE);
        assert_contains(err.msg, "path outside the archive");
    }
    /* ".." inside a name is no trick. */
    const zent fine[] = {{"Input/a..b/x...lua", "x", 0, NULL}};
    size_t len;
    char *zip = make_zip(fine, 1, NULL, &len);
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "ok.zip", zip, len, &err), 0);
    find(&b, "Input/a..b/x...lua");
    bundle_free(&b);
    free(zip);
}

/* libarchive gives names as C strings: a NUL inside the zip's name would cut it short. */
static void test_zip_name_with_nul(void **state)
{
    const zent e[] = {{"evil.luaX../../x", "y", 0, NULL}};
    size_t len;
    char *zip = make_zip(e, 1, NULL, &len);
    int patched = 0;
    for (size_t i = 0; i + 4 < len; i++)
        if (memcmp(zip + i, "luaX", 4) == 0)
            zip[i + 3] = 0, patched++;
    assert_int_equal(patched, 2); /* local header and central directory */
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "nul.zip", zip, len, &err), -1);
    assert_int_equal(err.kind, ERR_UNPROCESSABLE);
    assert_contains(err.msg, "path outside the archive");
    assert_contains(err.msg, "NUL");
    bundle_free(&b);
    free(zip);
}

static void test_zip_skips_links_nested_zips_and_encrypted(void **state)
{
    size_t inner_len;
    const zent inner_e[] = {{"inner.lua", "z", 0, NULL}};
    char *inner = make_zip(inner_e, 1, NULL, &inner_len);
    const zent e[] = {
        {"Input/stick.diff.lua", "x", 0, NULL},
        {"Input/link.lua", NULL, 0, "/etc/passwd"},
        {"Input/old backup.zip", inner, inner_len, NULL},
    };
    size_t len;
    char *zip = make_zip(e, 3, NULL, &len);
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "in.zip", zip, len, &err), 0);
    assert_int_equal(b.n, 1);
    find(&b, "Input/stick.diff.lua");
    assert_true(has_warning(&b, "Input/link.lua", "a link"));
    assert_true(has_warning(&b, "Input/old backup.zip", "zip inside the zip"));
    bundle_free(&b);
    free(zip);

    /* Encrypted entries (when this libarchive can write them) are skipped, not fatal. */
    struct archive *probe = archive_write_new();
    archive_write_set_format_zip(probe);
    int can_encrypt = archive_write_set_options(probe, "zip:encryption=zipcrypt") == ARCHIVE_OK;
    archive_write_free(probe);
    if (can_encrypt) {
        const zent s[] = {{"secret.binds", "<Root/>", 0, NULL}};
        zip = make_zip(s, 1, "zip:encryption=zipcrypt", &len);
        memset(&b, 0, sizeof b);
        assert_int_equal(bundle_add(&b, "locked.zip", zip, len, &err), 0);
        assert_int_equal(b.n, 0);
        assert_true(has_warning(&b, "secret.binds", "encrypted"));
        bundle_free(&b);
        free(zip);
    } else {
        print_message("this libarchive cannot write encrypted zips: that case is not tested\n");
    }
    free(inner);
}

static void test_zip_bomb_ratio(void **state)
{
    size_t big = 8u << 20;
    char *zeros = calloc(1, big);
    assert_non_null(zeros);
    const zent e[] = {{"bomb.lua", zeros, big, NULL}};
    err_t err = zip_fails(e, 1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_contains(err.msg, "100 times");
    assert_contains(err.msg, "zip bomb");
    free(zeros);
}

static void test_total_bytes_limit(void **state)
{
    /* Bytes that do not compress: the ratio is fine, the sum is not. */
    size_t part = 12u << 20;
    char *noise = malloc(part);
    assert_non_null(noise);
    unsigned x = 12345;
    for (size_t i = 0; i < part; i++)
        noise[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
    bundle b = {0};
    err_t err = {0};
    assert_int_equal(bundle_add(&b, "a.bin", noise, part, &err), 0);
    assert_int_equal(bundle_add(&b, "b.bin", noise, part, &err), 0);
    assert_int_equal(bundle_add(&b, "c.bin", noise, part, &err), -1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_contains(err.msg, "32 MiB");
    assert_int_equal(b.n, 2); /* what it had is kept (and freed by its owner) */
    /* The same limit counts bytes as a zip inflates them, whatever its headers claim. */
    const zent e[] = {{"c.bin", noise, part, NULL}};
    size_t len;
    char *zip = make_zip(e, 1, NULL, &len);
    err = (err_t){0};
    assert_int_equal(bundle_add(&b, "c.zip", zip, len, &err), -1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_contains(err.msg, "32 MiB");
    bundle_free(&b);
    free(zip);
    free(noise);
}

static void test_too_many_entries_and_files(void **state)
{
    size_t n = BUNDLE_MAX_ZIP_ENTRIES + 1;
    zent *e = calloc(n, sizeof *e);
    char (*names)[32] = calloc(n, sizeof *names);
    assert_non_null(e);
    assert_non_null(names);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "d%zu/", i);
        e[i].name = names[i]; /* folders: even entries that are skipped count */
    }
    err_t err = zip_fails(e, n);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_contains(err.msg, "2000 entries");
    free(e);
    free(names);

    bundle b = {0};
    err = (err_t){0};
    int rc = 0;
    for (int i = 0; i <= BUNDLE_MAX_FILES && rc == 0; i++)
        rc = bundle_add(&b, "f.xml", "x", 1, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.kind, ERR_TOO_LARGE);
    assert_contains(err.msg, "1000 files");
    assert_int_equal(b.n, BUNDLE_MAX_FILES);
    bundle_free(&b);
}

static void test_damaged_and_empty_zips(void **state)
{
    bundle b = {0};
    err_t err = {0};
    const char bad[] = "PK\3\4 this is no zip at all, only its first bytes";
    assert_int_equal(bundle_add(&b, "broken.zip", bad, sizeof bad - 1, &err), -1);
    assert_int_equal(err.kind, ERR_UNPROCESSABLE);
    assert_contains(err.msg, "\"broken.zip\" is not a zip that can be read");
    size_t len;
    char *zip = make_zip(NULL, 0, NULL, &len);
    assert_true(bundle_is_zip(zip, len));
    assert_int_equal(bundle_add(&b, "empty.zip", zip, len, &err), 0);
    assert_int_equal(b.n, 0);
    assert_true(has_warning(&b, "empty.zip", "the zip is empty"));
    assert_false(bundle_is_zip("PK", 2));
    assert_false(bundle_is_zip("<?xml", 5));
    bundle_free(&b);
    free(zip);
}

static void test_sort_is_one_order_without_duplicates(void **state)
{
    bundle a = {0}, b = {0};
    err_t err = {0};
    const char *names[] = {"z.lua", "a.lua", "m/x.lua", "a.lua"};
    const char *data[] = {"1", "2", "3", "0"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(bundle_add(&a, names[i], data[i], 1, &err), 0);
    for (int i = 3; i >= 0; i--)
        assert_int_equal(bundle_add(&b, names[i], data[i], 1, &err), 0);
    assert_int_equal(bundle_add(&b, "z.lua", "1", 1, &err), 0); /* the same file twice */
    bundle_sort(&a);
    bundle_sort(&b);
    assert_int_equal(a.n, 4);
    assert_int_equal(b.n, 4);
    assert_int_equal(b.bytes, 4);
    const char *want[][2] = {{"a.lua", "0"}, {"a.lua", "2"}, {"m/x.lua", "3"}, {"z.lua", "1"}};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(a.files[i].name, want[i][0]);
        assert_string_equal(b.files[i].name, want[i][0]);
        assert_memory_equal(a.files[i].data, want[i][1], 1);
        assert_memory_equal(b.files[i].data, want[i][1], 1);
    }
    games_bundle v = bundle_view(&a);
    assert_ptr_equal(v.files, a.files);
    assert_int_equal(v.n, 4);
    bundle_free(&a);
    bundle_free(&b);
}

static void test_store_container_round_trip(void **state)
{
    const char bin[] = {'\0', '\xff', 'P', 'K', '\3', '\4'};
    store_file in[] = {{"Config/Input/A-10C/keyboard/Keyboard.diff.lua", "local diff = {}", 15},
                       {"", bin, sizeof bin},
                       {"empty.txt", "", 0}};
    char *blob;
    size_t len;
    assert_int_equal(store_bundle_encode(in, 3, &blob, &len), 0);
    store_file *out;
    size_t n;
    assert_int_equal(store_bundle_decode(blob, len, &out, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(out[i].name, in[i].name);
        assert_int_equal(out[i].len, in[i].len);
        assert_memory_equal(out[i].data, in[i].data, in[i].len);
    }
    free(out);
    /* Cut anywhere, or with a byte more, it is not a container (and nothing is read past it). */
    for (size_t cut = 0; cut < len; cut++) {
        char *part = malloc(cut ? cut : 1);
        memcpy(part, blob, cut);
        assert_int_equal(store_bundle_decode(part, cut, &out, &n), -1);
        free(part);
    }
    char *more = malloc(len + 1);
    memcpy(more, blob, len);
    more[len] = 'x';
    assert_int_equal(store_bundle_decode(more, len + 1, &out, &n), -1);
    free(more);
    free(blob);
    /* A file stored before bundles (its bytes as uploaded) is not taken for one. */
    const char *old = "<?xml version=\"1.0\"?><Root/>";
    assert_int_equal(store_bundle_decode(old, strlen(old), &out, &n), -1);
    const char utf16[] = {'\xff', '\xfe', '<', '\0', 'R', '\0'};
    assert_int_equal(store_bundle_decode(utf16, sizeof utf16, &out, &n), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_files_and_client_names),
        cmocka_unit_test(test_zip_of_a_dcs_folder),
        cmocka_unit_test(test_zip_backslash_dot_and_utf8_names),
        cmocka_unit_test(test_zip_paths_outside_the_archive),
        cmocka_unit_test(test_zip_name_with_nul),
        cmocka_unit_test(test_zip_skips_links_nested_zips_and_encrypted),
        cmocka_unit_test(test_zip_bomb_ratio),
        cmocka_unit_test(test_total_bytes_limit),
        cmocka_unit_test(test_too_many_entries_and_files),
        cmocka_unit_test(test_damaged_and_empty_zips),
        cmocka_unit_test(test_sort_is_one_order_without_duplicates),
        cmocka_unit_test(test_store_container_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
