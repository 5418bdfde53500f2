/* bundle.h — an upload unpacked into the files the game parsers read: each uploaded file (a raw
 * body or one multipart part) is added as it is, or, when it is a zip (told by its "PK\3\4"
 * magic, never by its name), replaced by the regular files it holds, each named by its path
 * inside the zip ("Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {…}.diff.lua").
 *
 * A zip is untrusted: the unpacked size is counted while inflating (the sizes its headers claim
 * are not believed), entries are capped, and a name that would point outside the archive refuses
 * the upload. What can be skipped without harm (folders, links, encrypted entries, zips inside
 * the zip, the junk macOS and Windows add) is skipped, with a warning where a player may wonder
 * where a file went. */
#ifndef CARTOUCHE_REFCARD_BUNDLE_H
#define CARTOUCHE_REFCARD_BUNDLE_H

#include <stddef.h>

#include "util/err.h"
#include "refcards/bindings.h"
#include "refcards/games/games.h"

#define BUNDLE_MAX_FILES 1000             /* files in one upload, parts and zip entries together */
#define BUNDLE_MAX_ZIP_ENTRIES 2000       /* entries of one zip, folders and skipped ones included */
#define BUNDLE_MAX_BYTES (32u << 20)      /* all files of an upload together, once unzipped */
#define BUNDLE_MAX_RATIO 100              /* unzipped bytes per zip byte ... */
#define BUNDLE_RATIO_FLOOR (1u << 20)     /* ... checked once a zip has given this many bytes */

typedef struct {
    games_file *files;    /* in the order of bundle_sort(); names and data owned by the bundle */
    size_t n, cap;
    size_t bytes;         /* sum of the files' lengths */
    binding_set notes;    /* warnings only (items stay empty): what was skipped and why */
} bundle;

/* Add one uploaded file named name ("" if unnamed; a client's path is kept but made relative):
 * copied as it is, or unpacked when it is a zip. Errors (the bundle may then hold part of the
 * upload; its owner frees it):
 * ERR_TOO_LARGE naming the limit passed (files, entries, bytes, ratio); ERR_UNPROCESSABLE for a
 * damaged zip or an entry whose path leaves the archive ("path outside the archive: ../x"). */
int bundle_add(bundle *b, const char *name, const char *data, size_t len, err_t *err);

/* Put the files in one order whatever the order of the upload (name, then content), and drop
 * exact duplicates, so the same files always give the same cards and the same id. */
void bundle_sort(bundle *b);

/* The bundle as the parsers take it (valid until the bundle changes or is freed). */
games_bundle bundle_view(const bundle *b);

void bundle_free(bundle *b);

/* 1 if data starts like a zip archive (local header, or the end record of an empty zip). */
int bundle_is_zip(const char *data, size_t len);

#endif
