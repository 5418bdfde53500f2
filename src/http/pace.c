/* pace.c — refusals paced per client address (pace.h). */
#include "http/pace.h"

#include "util/hash.h"

typedef struct pace_addr {
    double tat; /* theoretical arrival time: when the address's bucket is full again, seconds */
    UT_hash_handle hh;
    char addr[];
} pace_addr;

struct pace {
    double interval, tolerance; /* 1 / rate, and burst intervals */
    size_t max_addrs;
    pace_addr *addrs;
};

pace *pace_new(double rate, double burst, size_t max_addrs)
{
    pace *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->interval = rate > 0 ? 1.0 / rate : 0;
    p->tolerance = burst * p->interval;
    p->max_addrs = max_addrs;
    return p;
}

void pace_free(pace *p)
{
    pace_addr *a, *tmp;
    if (!p)
        return;
    HASH_ITER(hh, p->addrs, a, tmp)
    {
        HASH_DEL(p->addrs, a);
        free(a);
    }
    free(p);
}

size_t pace_addrs(const pace *p)
{
    return HASH_COUNT(p->addrs);
}

/* Forget the addresses whose bucket is full again (they owe nothing). */
static void forget_idle(pace *p, double now)
{
    pace_addr *a, *tmp;
    HASH_ITER(hh, p->addrs, a, tmp)
    if (a->tat <= now) {
        HASH_DEL(p->addrs, a);
        free(a);
    }
}

double pace_refusal(pace *p, const char *addr, double now)
{
    if (!p || p->interval <= 0)
        return 0;
    pace_addr *a;
    size_t len = strlen(addr);
    HASH_FIND(hh, p->addrs, addr, len, a);
    if (!a) {
        if (HASH_COUNT(p->addrs) >= p->max_addrs)
            forget_idle(p, now);
        if (HASH_COUNT(p->addrs) >= p->max_addrs || !(a = malloc(sizeof *a + len + 1)))
            return 0;
        memcpy(a->addr, addr, len + 1);
        a->tat = now;
        HASH_ADD_KEYPTR(hh, p->addrs, a->addr, len, a);
        if (!HASH_ADDED(a)) {
            free(a);
            return 0;
        }
    }
    double tat = a->tat > now ? a->tat : now;
    /* Within the burst: now. Past it: when the bucket has room for one more. */
    double at = tat - p->tolerance > now ? tat - p->tolerance : now;
    a->tat = tat + p->interval;
    return at - now;
}
