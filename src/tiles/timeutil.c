/* timeutil.c — ISO 8601 parsing and formatting (see timeutil.h). Calendar arithmetic is
 * done by hand (days from civil) so that no time zone or locale state is involved. */
#include "tiles/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int month_days(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : md[m - 1];
}

int tiles_time_parse(const char *s, double *t)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    double frac = 0;
    if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return -1;
    const char *p = s + 10;
    long off = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' ||
            digits(p + 7, 2, &se))
            return -1;
        if (h > 23 || mi > 59 || se > 60)
            return -1;
        p += 9;
        if (*p == '.') {
            char *end;
            frac = strtod(p, &end);
            if (end == p + 1)
                return -1;
            p = end;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
                om > 59)
                return -1;
            off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
            p += 6;
        } else {
            return -1; /* RFC 3339: a date-time needs its offset */
        }
    }
    if (*p)
        return -1;
    *t = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + se + frac -
         (double)off;
    return 0;
}

int tiles_time_parse_interval(const char *s, double *start, double *end)
{
    const char *slash = strchr(s, '/');
    if (!slash) {
        if (tiles_time_parse(s, start) != 0)
            return -1;
        *end = *start;
        return 0;
    }
    if (strchr(slash + 1, '/'))
        return -1;
    char a[64];
    size_t n = (size_t)(slash - s);
    if (n >= sizeof a)
        return -1;
    memcpy(a, s, n);
    a[n] = 0;
    const char *b = slash + 1;
    int open_a = !a[0] || !strcmp(a, ".."), open_b = !b[0] || !strcmp(b, "..");
    if (open_a && open_b)
        return -1;
    if (open_a)
        *start = -INFINITY;
    else if (tiles_time_parse(a, start) != 0)
        return -1;
    if (open_b)
        *end = INFINITY;
    else if (tiles_time_parse(b, end) != 0)
        return -1;
    return *start <= *end ? 0 : -1;
}

void tiles_time_format(double t, char *out, size_t cap)
{
    long secs = (long)floor(t);
    long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long rem = secs - days * 86400;
    long y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, cap, "%04ld-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, rem / 3600, rem / 60 % 60,
             rem % 60);
}
