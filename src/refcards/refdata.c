/* refdata.c — loads the refcards catalog part (game tables, devices, usb.ids) as one piece. */
#include "refcards/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcards/card.h"
#include "util/sha256.h"

refcards_data *refcards_data_load(const char *templates_dir, const char *usbids_path, err_t *err)
{
    refcards_data *d = calloc(1, sizeof *d);
    if (!d) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    char dir[600];
    snprintf(dir, sizeof dir, "%s/usb/vendors.json", templates_dir);
    if (!(d->usb = usbids_load(usbids_path, dir, err)))
        goto fail;
    snprintf(dir, sizeof dir, "%s/games", templates_dir);
    /* Device backgrounds are drawn live from their vector art: decoding all of them at 1x and
     * 2x would cost ~40 MB per device, far over the memory budget. */
    if (!(d->games = games_load(dir, err)) || !(d->devices = devices_load(templates_dir, NULL, err)))
        goto fail;
    sha256_ctx h;
    sha256_init(&h);
    const char *parts[] = {CARD_LAYOUT_VERSION, games_digest(d->games), devices_digest(d->devices),
                           usbids_digest(d->usb)};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        sha256_update(&h, parts[i], strlen(parts[i]) + 1);
    sha256_final_hex(&h, d->digest);
    return d;
fail:
    refcards_data_free(d);
    return NULL;
}

void refcards_data_free(refcards_data *d)
{
    if (!d)
        return;
    games_free(d->games);
    devices_registry_free(d->devices);
    usbids_free(d->usb);
    free(d);
}

static void *part_load(const config *cfg, err_t *err)
{
    return refcards_data_load(cfg->templates_dir, NULL, err);
}

static void part_free(void *p)
{
    refcards_data_free(p);
}

static const char *part_digest(const void *p)
{
    return ((const refcards_data *)p)->digest;
}

const catalog_part_ops refcards_part_ops = {"refcards", part_load, part_free, part_digest};
