/* usbids.c — reads usb.ids' vendor and product lines into two sorted arrays (see usbids.h). */
#include "refcards/usbids.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sha256.h"

typedef struct {
    unsigned id;   /* vid << 16 | pid for products, vid for vendors */
    char *name;
} usbids_entry;

struct usbids_table {
    usbids_entry *vendors, *products; /* sorted by id */
    size_t n_vendors, n_products;
    char digest[65];
};

const char *usbids_digest(const usbids_table *t)
{
    return t ? t->digest : "";
}

static int usbids_cmp(const void *a, const void *b)
{
    unsigned x = ((const usbids_entry *)a)->id, y = ((const usbids_entry *)b)->id;
    return x < y ? -1 : x > y;
}

static int hex4(const char *s, unsigned *out)
{
    for (int i = 0; i < 4; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    if (s[4] != ' ' || s[5] != ' ')
        return 0;
    *out = (unsigned)strtoul(s, NULL, 16);
    return 1;
}

/* "ThrustMaster, Inc." -> "ThrustMaster"; "Saitek PLC" -> "Saitek". */
static void drop_company_suffix(char *s)
{
    static const char *const suffixes[] = {", Inc.", " Inc.", ", Inc", " Inc", ", Ltd.", " Ltd.", ", Ltd",
                                           " Ltd", " Co.", " Corp.", ", LLC", " LLC", " PLC", " GmbH",
                                           " S.A.", " AG", ","};
    for (int again = 1; again;) {
        again = 0;
        size_t n = strlen(s);
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
            size_t k = strlen(suffixes[i]);
            if (n > k + 2 && strcmp(s + n - k, suffixes[i]) == 0) {
                s[n - k] = 0;
                again = 1;
                break;
            }
        }
    }
}

static int push(usbids_entry **arr, size_t *n, size_t *cap, unsigned id, const char *name)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        usbids_entry *a = realloc(*arr, c * sizeof *a);
        if (!a)
            return -1;
        *arr = a;
        *cap = c;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    size_t l = strlen(copy);
    while (l && isspace((unsigned char)copy[l - 1]))
        copy[--l] = 0;
    (*arr)[*n].id = id;
    (*arr)[*n].name = copy;
    (*n)++;
    return 0;
}

usbids_table *usbids_load(const char *path, const char *overlay_json, err_t *err)
{
    json_error_t je;
    json_t *overlay = NULL;
    if (overlay_json && access(overlay_json, F_OK) != 0)
        overlay_json = NULL; /* no overlay: usb.ids' names as they are */
    if (overlay_json && !(overlay = json_load_file(overlay_json, 0, &je))) {
        err_set(err, ERR_CONFIG, NULL, "%s: line %d: %s", overlay_json, je.line, je.text);
        return NULL;
    }
    if (overlay && !json_is_object(overlay)) {
        err_set(err, ERR_CONFIG, NULL, "%s: must be an object of vendor names", overlay_json);
        json_decref(overlay);
        return NULL;
    }
    usbids_table *t = calloc(1, sizeof *t);
    if (!t) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        json_decref(overlay);
        return NULL;
    }
    usbids_entry *vendors = NULL, *products = NULL;
    size_t n_vendors = 0, n_products = 0;
    sha256_ctx h;
    sha256_init(&h);
    sha256_update_file(&h, path ? path : USBIDS_DEFAULT_PATH); /* a missing file hashes as empty */
    if (overlay_json)
        sha256_update_file(&h, overlay_json);
    sha256_final_hex(&h, t->digest);
    char line[512];
    unsigned vid = 0;
    int have_vendor = 0;
    size_t cap_v = 0, cap_p = 0;
    const char *k;
    json_t *v;
    json_object_foreach(overlay, k, v)
    {
        if (json_is_string(v) && strlen(k) == 4 && isxdigit((unsigned char)k[0]))
            push(&vendors, &n_vendors, &cap_v, (unsigned)strtoul(k, NULL, 16), json_string_value(v));
    }
    json_decref(overlay);
    size_t n_overlay = n_vendors;
    FILE *f = fopen(path ? path : USBIDS_DEFAULT_PATH, "r");
    if (!f)
        goto sort;
    while (fgets(line, sizeof line, f)) {
        unsigned id;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (line[0] == 'C' && line[1] == ' ')
            break; /* device classes and the other lists follow the vendors */
        if (line[0] != '\t' && hex4(line, &id)) {
            vid = id;
            have_vendor = 1;
            int overlaid = 0;
            for (size_t i = 0; i < n_overlay; i++)
                overlaid |= vendors[i].id == id;
            if (overlaid)
                continue;
            if (push(&vendors, &n_vendors, &cap_v, id, line + 6) < 0)
                break;
            drop_company_suffix(vendors[n_vendors - 1].name);
        } else if (have_vendor && line[0] == '\t' && line[1] != '\t' && hex4(line + 1, &id)) {
            if (push(&products, &n_products, &cap_p, vid << 16 | id, line + 7) < 0)
                break;
        }
    }
    fclose(f);
sort:
    if (n_vendors)
        qsort(vendors, n_vendors, sizeof *vendors, usbids_cmp);
    if (n_products)
        qsort(products, n_products, sizeof *products, usbids_cmp);
    t->vendors = vendors, t->n_vendors = n_vendors;
    t->products = products, t->n_products = n_products;
    return t;
}

size_t usbids_count(const usbids_table *t)
{
    return t ? t->n_products : 0;
}

void usbids_free(usbids_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_vendors; i++)
        free(t->vendors[i].name);
    for (size_t i = 0; i < t->n_products; i++)
        free(t->products[i].name);
    free(t->vendors);
    free(t->products);
    free(t);
}

static const char *find(const usbids_entry *arr, size_t n, unsigned id)
{
    usbids_entry key = {id, NULL};
    const usbids_entry *e = n ? bsearch(&key, arr, n, sizeof *arr, usbids_cmp) : NULL;
    return e ? e->name : NULL;
}

const char *usbids_vendor(const usbids_table *t, unsigned vid)
{
    return t ? find(t->vendors, t->n_vendors, vid) : NULL;
}

const char *usbids_product(const usbids_table *t, unsigned vid, unsigned pid)
{
    return t ? find(t->products, t->n_products, vid << 16 | pid) : NULL;
}
