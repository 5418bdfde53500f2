/* hash.h — the one hash table of cartouche: Debian's uthash (uthash-dev, header only), set up
 * so that running out of memory is an answer the caller sees, never exit().
 *
 * Use: a struct with a UT_hash_handle hh; HASH_FIND / HASH_ADD_KEYPTR / HASH_DEL / HASH_ITER as
 * uthash documents them. After an add, HASH_ADDED(item) is 0 when uthash could not allocate:
 * the item is then not in the table and still the caller's. */
#ifndef CARTOUCHE_UTIL_HASH_H
#define CARTOUCHE_UTIL_HASH_H

#include <stdlib.h>
#include <string.h>

#define HASH_NONFATAL_OOM 1
#include <uthash.h>

#define HASH_ADDED(item) ((item)->hh.tbl != NULL)

#endif
