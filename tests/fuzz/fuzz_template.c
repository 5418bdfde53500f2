/* fuzz_template.c — the template loader (template_parse with a NULL assets dir: no background
 * images, no font check). A template that loads must have a name, a positive size and slots
 * with ids; everything else must be refused with a message. */
#include "fuzz_util.h"
#include "cards/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    err_t err = {0};
    template *t = template_parse((const char *)data, len, "fuzz.json", NULL, NULL, &err);
    if (!t) {
        FUZZ_CHECK(err.msg[0] != 0);
        return 0;
    }
    FUZZ_CHECK(t->name[0] != 0);
    FUZZ_CHECK(t->width > 0 && t->height > 0);
    for (int i = 0; i < t->n_slots; i++)
        FUZZ_CHECK(t->slots[i].id[0] != 0);
    if (t->desc) {
        char *s = json_dumps(t->desc, JSON_COMPACT);
        FUZZ_CHECK(s != NULL);
        free(s);
    }
    template_free(t);
    return 0;
}
