/* timeutil.h — ISO 8601 instants and intervals for the scene catalogue (STAC `datetime`):
 * "2004-07-01", "2004-07-01T12:00:00Z", "...T12:00:00.5+02:00"; intervals "A/B" with open
 * ends "../B", "A/..", "A/" and "/B". Times are seconds since the Unix epoch, UTC. */
#ifndef CARTOUCHE_TILES_TIMEUTIL_H
#define CARTOUCHE_TILES_TIMEUTIL_H

#include <stddef.h>

/* 0 and *t on success, -1 if s is not a valid date or date-time. */
int tiles_time_parse(const char *s, double *t);
/* An instant or an interval; an open end is ±INFINITY. */
int tiles_time_parse_interval(const char *s, double *start, double *end);
/* "YYYY-MM-DDTHH:MM:SSZ". */
void tiles_time_format(double t, char *out, size_t cap);

#endif
