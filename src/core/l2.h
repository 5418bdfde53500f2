/* l2.h — the optional shared L2 render cache in memcached (--memcached HOST:PORT, off by default).
 *
 * Several instances behind one proxy render the same URL once between them: a worker looks the
 * job up before rendering and stores the encoded bytes after. The memcached key is made from the
 * job's ETag; the value carries the full canonical key before the bytes, and a value whose key is
 * not the job's is a miss, so a shared tag (or a poisoned entry) never serves another URL's bytes. The L2 is an optimisation,
 * never a dependency: every failure is a miss (counted in cartouche_l2_errors_total, logged once
 * per outage) and the worker renders as if it were off. */
#ifndef CARTOUCHE_L2_H
#define CARTOUCHE_L2_H

#include "util/err.h"
#include "core/budget.h"
#include "core/metrics.h"

/* Values (key record + bytes) above this are not stored: memcached's default item size limit is
 * 1 MiB, key and item header included. */
#define L2_MAX_VALUE ((size_t)(1 << 20) - 4096)

/* On the I/O loop before the workers start. hostport "" leaves the L2 off; otherwise HOST:PORT
 * (HOST may be a name, resolved at connect, or [v6addr]); NULL with err on a malformed value.
 * timeout_ms bounds every connect and reply wait of a worker (--memcached-timeout-ms). */
typedef struct l2 l2;
l2 *l2_start(const char *hostport, long timeout_ms, budget *b, metrics *m, err_t *err);
/* After the workers have stopped; frees l. */
void l2_stop(l2 *l);
int l2_enabled(const l2 *l);

/* On a worker. The bytes stored for key (whose ETag is etag) as a blob charged to the budget
 * (refs = 1; waits for budget until deadline), or NULL: off, miss, a value stored for another
 * key, memcached unreachable, or no budget. */
blob *l2_get(l2 *l, const char *key, const char *etag, double deadline);
/* On a worker. Store b for key (skipped when off, unreachable or the value would exceed
 * L2_MAX_VALUE). */
void l2_put(l2 *l, const char *key, const char *etag, const blob *b);

#endif
