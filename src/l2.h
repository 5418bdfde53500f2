/* l2.h — the optional shared L2 render cache in memcached (--memcached HOST:PORT, off by default).
 *
 * Several instances behind one proxy render the same URL once between them: a worker looks the
 * job's ETag up before rendering and stores the encoded bytes after. The L2 is an optimisation,
 * never a dependency: every failure is a miss (counted in cartouche_l2_errors_total, logged once
 * per outage) and the worker renders as if it were off. */
#ifndef CARTOUCHE_L2_H
#define CARTOUCHE_L2_H

#include "err.h"
#include "pool.h"

/* Values above this are not stored: memcached's default item size limit is 1 MiB, key and item
 * header included. */
#define L2_MAX_VALUE ((size_t)(1 << 20) - 4096)

/* On the I/O loop before the workers start. hostport "" leaves the L2 off; otherwise HOST:PORT
 * (HOST may be a name, resolved at connect, or [v6addr]); -1 with err on a malformed value. */
int l2_start(const char *hostport, err_t *err);
/* After the workers have stopped. */
void l2_stop(void);
int l2_enabled(void);

/* On a worker. The bytes stored under etag as a blob charged to the budget (refs = 1; waits for
 * budget until deadline), or NULL: off, miss, memcached unreachable, or no budget. */
blob *l2_get(const char *etag, double deadline);
/* On a worker. Store b under etag (skipped when off, unreachable or b->len > L2_MAX_VALUE). */
void l2_put(const char *etag, const blob *b);

#endif
