/* pace.h — refusals paced per client address. A client that keeps sending requests the server
 * refuses (a closed-loop flood of oversized or malformed bodies) would otherwise take as much of
 * the machine as it can send: each refusal is cheap, but a client sends the next one as soon as
 * it is answered. Past a burst, its refusals are answered at most `rate` a second; the rest wait
 * (on a timer, costing nothing). Good requests are never paced. A generic cell-rate algorithm
 * per address: one number per address, no timers here, time given by the caller. */
#ifndef CARTOUCHE_HTTP_PACE_H
#define CARTOUCHE_HTTP_PACE_H

#include <stddef.h>

typedef struct pace pace;

/* rate: refusals a second per address past the burst (0: no pacing); at most max_addrs addresses
 * are remembered (an address idle long enough to have its whole burst back is forgotten first). */
pace *pace_new(double rate, double burst, size_t max_addrs);
void pace_free(pace *p);
/* A refusal to addr at time now (seconds): how long its answer waits (0: answer now). It counts
 * as sent at now + the delay. 0 as well when the table is full of addresses still owed time. */
double pace_refusal(pace *p, const char *addr, double now);
size_t pace_addrs(const pace *p); /* addresses remembered */

#endif
