/* bundle.c — unpacks an upload into the files the game parsers read (see bundle.h): uploaded
 * files are kept as they are, zips are opened with libarchive's seekable zip reader (it trusts
 * the central directory, the listing every unzip tool shows) and read entry by entry under the
 * limits of bundle.h. */
#include "refcards/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refcards/textenc.h"

int bundle_is_zip(const char *data, size_t len)
{
    return len >= 4 && (memcmp(data, "PK\3\4", 4) == 0 || memcmp(data, "PK\5\6", 4) == 0);
}

static const char *base_of(const char *name)
{
    const char *s = strrchr(name, '/');
    return s ? s + 1 : name;
}

/* Files that the system which made the zip adds on its own and no game wrote: macOS resource
 * forks and folder settings, Windows thumbnails and folder settings. */
static int system_junk(const char *name)
{
    const char *base = base_of(name);
    return strncmp(name, "__MACOSX/", 9) == 0 || strstr(name, "/__MACOSX/") != NULL ||
           strncmp(base, "._", 2) == 0 || strcmp(base, ".DS_Store") == 0 ||
           strcasecmp(base, "Thumbs.db") == 0 || strcasecmp(base, "desktop.ini") == 0;
}

/* A file name as the summary and the parsers see it: '\\' is a folder separator (Windows tools,
 * PowerShell's Compress-Archive among them, write zips with it), "." parts go, and bytes that
 * are not UTF-8 or are control characters become '?' (the name goes into JSON).
 * strict (zip entries): an absolute path, a drive letter or a ".." part is refused (-1), as an
 * unzip tool would write such an entry outside the folder it unpacks to. Not strict (a name a
 * client sent): the same parts are dropped, so the name is made relative. Returns a new string
 * or NULL (out of memory, or refused with *refused = 1). */
static char *clean_name(const char *raw, size_t len, int strict, int *refused)
{
    *refused = 0;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    const char *p = raw, *end = raw + len;
    if (len >= 2 && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':') {
        if (strict)
            goto refuse;
        p += 2;
    }
    if (p < end && (*p == '/' || *p == '\\')) {
        if (strict)
            goto refuse;
    }
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '/' && *q != '\\')
            q++;
        size_t part = (size_t)(q - p);
        if (part == 2 && p[0] == '.' && p[1] == '.') {
            if (strict)
                goto refuse;
        } else if (part > 0 && !(part == 1 && p[0] == '.')) {
            if (n > 0)
                out[n++] = '/';
            for (size_t i = 0; i < part; i++) {
                unsigned char c = (unsigned char)p[i];
                out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
            }
        }
        p = q < end ? q + 1 : q;
    }
    out[n] = 0;
    /* Replace each byte of an invalid UTF-8 sequence by '?', keeping the valid ones. */
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (k <= 4 && i + k <= n && !textenc_valid_utf8(out + i, k))
            k++;
        if (k > 4 || i + k > n)
            out[i++] = '?';
        else
            i += k;
    }
    return out;
refuse:
    free(out);
    *refused = 1;
    return NULL;
}

/* Take ownership of name and data as the bundle's next file. */
static int push_file(bundle *b, char *name, char *data, size_t len, err_t *err)
{
    if (b->n >= BUNDLE_MAX_FILES) {
        err_set(err, ERR_TOO_LARGE, NULL, "the upload holds more than %d files (the limit of one upload)",
                BUNDLE_MAX_FILES);
        goto fail;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        games_file *f = realloc(b->files, cap * sizeof *f);
        if (!f) {
            err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto fail;
        }
        b->files = f;
        b->cap = cap;
    }
    b->files[b->n++] = (games_file){name, data, len};
    b->bytes += len;
    return 0;
fail:
    free(name);
    free(data);
    return -1;
}

static int too_large(err_t *err)
{
    err_set(err, ERR_TOO_LARGE, NULL,
            "the upload's files come to more than %u MiB once unzipped (the limit of one upload)",
            BUNDLE_MAX_BYTES >> 20);
    return -1;
}

/* A zip's entry names as its central directory holds them, with their full length: libarchive
 * gives C strings, so a name with a NUL inside ("evil.lua\0../../x") would reach us cut short.
 * Only the plain end record is read; a zip64 directory is left to libarchive. */
static int zip_name_has_nul(const unsigned char *z, size_t len)
{
    if (len < 22)
        return 0;
    size_t lo = len > 22 + 0xffff ? len - 22 - 0xffff : 0;
    for (size_t e = len - 22 + 1; e-- > lo;) {
        if (memcmp(z + e, "PK\5\6", 4) != 0)
            continue;
        size_t count = (size_t)z[e + 10] | (size_t)z[e + 11] << 8;
        size_t off = (size_t)z[e + 16] | (size_t)z[e + 17] << 8 | (size_t)z[e + 18] << 16 |
                     (size_t)z[e + 19] << 24;
        for (size_t i = 0; i < count && off + 46 <= len && memcmp(z + off, "PK\1\2", 4) == 0; i++) {
            size_t nl = (size_t)z[off + 28] | (size_t)z[off + 29] << 8;
            size_t xl = (size_t)z[off + 30] | (size_t)z[off + 31] << 8;
            size_t cl = (size_t)z[off + 32] | (size_t)z[off + 33] << 8;
            if (off + 46 + nl > len)
                return 0;
            if (memchr(z + off + 46, 0, nl))
                return 1;
            off += 46 + nl + xl + cl;
        }
        return 0;
    }
    return 0;
}

/* Inflate the current entry into a new buffer, counting against the upload's and the zip's
 * limits as the bytes come (a header's size is a claim, not a fact). */
static int read_entry(bundle *b, struct archive *a, size_t zip_len, size_t *zip_out, char **data,
                      size_t *len, err_t *err)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - n < 16384) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
                return -1;
            }
            buf = nb;
        }
        la_ssize_t got = archive_read_data(a, buf + n, cap - n);
        if (got == 0)
            break;
        if (got < 0) {
            free(buf);
            return -2;
        }
        n += (size_t)got;
        *zip_out += (size_t)got;
        if (b->bytes + n > BUNDLE_MAX_BYTES) {
            free(buf);
            return too_large(err);
        }
        if (*zip_out > BUNDLE_RATIO_FLOOR && *zip_out / BUNDLE_MAX_RATIO > zip_len) {
            free(buf);
            err_set(err, ERR_TOO_LARGE, NULL,
                    "the zip unpacks to more than %d times its size (the limit for zips over %u MiB "
                    "unpacked): it looks like a zip bomb",
                    BUNDLE_MAX_RATIO, BUNDLE_RATIO_FLOOR >> 20);
            return -1;
        }
    }
    *data = buf;
    *len = n;
    return 0;
}

static int add_zip(bundle *b, const char *zip_name, const char *zip, size_t zip_len, err_t *err)
{
    if (zip_name_has_nul((const unsigned char *)zip, zip_len)) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "path outside the archive: an entry's name holds a NUL byte");
        return -1;
    }
    if (memcmp(zip, "PK\5\6", 4) == 0) {
        /* Only the end record: the zip of an empty folder (libarchive does not take it). */
        bindings_warn(&b->notes, 0, "zip", "%s", "the zip is empty");
        b->notes.cur_file[0] = 0;
        return 0;
    }
    struct archive *a = archive_read_new();
    if (!a) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    int rc = -1, entries = 0;
    size_t zip_out = 0;
    archive_read_support_format_zip_seekable(a);
    /* libarchive converts names flagged UTF-8 to the locale's charset, which is ASCII in a
     * server started without one: this thread reads the zip in C.UTF-8. Names without the flag
     * come as their bytes (macOS writes UTF-8 so; Windows' OEM code page gets '?'). */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t was = utf8 ? uselocale(utf8) : (locale_t)0;
    if (archive_read_open_memory(a, zip, zip_len) != ARCHIVE_OK)
        goto damaged;
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        if (++entries > BUNDLE_MAX_ZIP_ENTRIES) {
            err_set(err, ERR_TOO_LARGE, NULL, "the zip holds more than %d entries (the limit of one zip)",
                    BUNDLE_MAX_ZIP_ENTRIES);
            goto done;
        }
        const char *raw = archive_entry_pathname_utf8(e);
        if (!raw)
            raw = archive_entry_pathname(e);
        if (!raw) {
            snprintf(b->notes.cur_file, sizeof b->notes.cur_file, "entry %d", entries);
            bindings_warn(&b->notes, 0, "zip entry", "its name cannot be read: skipped");
            continue;
        }
        int refused;
        char *name = clean_name(raw, strlen(raw), 1, &refused);
        if (!name) {
            if (refused)
                err_set(err, ERR_UNPROCESSABLE, NULL, "path outside the archive: %.120s", raw);
            else
                err_set(err, ERR_INTERNAL, NULL, "out of memory");
            goto done;
        }
        snprintf(b->notes.cur_file, sizeof b->notes.cur_file, "%s", name);
        mode_t type = archive_entry_filetype(e);
        if (type == AE_IFDIR || !name[0] || system_junk(name)) {
            free(name);
            continue;
        }
        if (type == AE_IFLNK || archive_entry_hardlink(e)) {
            bindings_warn(&b->notes, 0, "zip entry", "a link, not a file: skipped");
            free(name);
            continue;
        }
        if (type != AE_IFREG) {
            bindings_warn(&b->notes, 0, "zip entry", "not a regular file: skipped");
            free(name);
            continue;
        }
        if (archive_entry_is_encrypted(e)) {
            bindings_warn(&b->notes, 0, "zip entry", "encrypted with a password: skipped");
            free(name);
            continue;
        }
        char *data;
        size_t len;
        int got = read_entry(b, a, zip_len, &zip_out, &data, &len, err);
        if (got == -2) {
            bindings_warn(&b->notes, 0, "zip entry", "cannot be unpacked (%.100s): skipped",
                          archive_error_string(a) ? archive_error_string(a) : "damaged");
            free(name);
            continue;
        }
        if (got < 0) {
            free(name);
            goto done;
        }
        if (bundle_is_zip(data, len)) {
            bindings_warn(&b->notes, 0, "zip entry", "a zip inside the zip is not opened: skipped");
            free(name);
            free(data);
            continue;
        }
        if (push_file(b, name, data, len, err) < 0)
            goto done;
    }
    if (r != ARCHIVE_EOF)
        goto damaged;
    if (entries == 0)
        bindings_warn(&b->notes, 0, "zip", "%s", "the zip is empty");
    rc = 0;
    goto done;
damaged:
    err_set(err, ERR_UNPROCESSABLE, NULL, "%s%.80s%sis not a zip that can be read: %.100s",
            zip_name[0] ? "\"" : "", zip_name, zip_name[0] ? "\" " : "the upload ",
            archive_error_string(a) ? archive_error_string(a) : "damaged");
done:
    b->notes.cur_file[0] = 0;
    archive_read_free(a);
    if (utf8) {
        uselocale(was);
        freelocale(utf8);
    }
    return rc;
}

int bundle_add(bundle *b, const char *name, const char *data, size_t len, err_t *err)
{
    int refused;
    char *clean = clean_name(name ? name : "", name ? strlen(name) : 0, 0, &refused);
    if (!clean) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    if (bundle_is_zip(data, len)) {
        snprintf(b->notes.cur_file, sizeof b->notes.cur_file, "%s", clean);
        int rc = add_zip(b, clean, data, len, err);
        free(clean);
        return rc;
    }
    if (b->bytes + len > BUNDLE_MAX_BYTES) {
        free(clean);
        return too_large(err);
    }
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        free(clean);
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return -1;
    }
    memcpy(copy, data, len);
    return push_file(b, clean, copy, len, err);
}

static int file_cmp(const void *pa, const void *pb)
{
    const games_file *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    size_t n = a->len < b->len ? a->len : b->len;
    c = memcmp(a->data, b->data, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

void bundle_sort(bundle *b)
{
    if (b->n < 2)
        return;
    qsort(b->files, b->n, sizeof *b->files, file_cmp);
    size_t k = 1;
    for (size_t i = 1; i < b->n; i++) {
        if (file_cmp(&b->files[k - 1], &b->files[i]) == 0) {
            b->bytes -= b->files[i].len;
            free((char *)b->files[i].name);
            free((char *)b->files[i].data);
        } else {
            b->files[k++] = b->files[i];
        }
    }
    b->n = k;
}

games_bundle bundle_view(const bundle *b)
{
    return (games_bundle){b->files, b->n};
}

void bundle_free(bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free((char *)b->files[i].name);
        free((char *)b->files[i].data);
    }
    free(b->files);
    bindings_free(&b->notes);
    memset(b, 0, sizeof *b);
}
