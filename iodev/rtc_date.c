/* SPDX-License-Identifier: MIT */
/* Calendar arithmetic for the RTC: days since 1970-01-01 in the proleptic
 * Gregorian calendar (eras of 400 years = 146097 days), and the -rtc
 * base= date parser. */
#include <stdio.h>
#include "cmos.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t days_from_civil(int64_t y, unsigned mon, unsigned day)
{
	if (mon <= 2)
		y--;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;                            /* 0 .. 399 */
	int64_t mp = mon > 2 ? mon - 3 : mon + 9;               /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;    /* 0 .. 365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0 .. 146096 */
	return era * 146097 + doe - 719468;                     /* 719468: 0000-03-01 to 1970 */
}

void civil_from_days(int64_t days, int64_t *y, unsigned *mon, unsigned *day)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*mon <= 2);
}

int cmos_parse_date(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	if (s[n] == 'T' || s[n] == ' ') {
		int m2 = 0;
		if (sscanf(s + n + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m2) != 3)
			return -1;
		n += 1 + m2;
	}
	if (s[n] != '\0' || y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}
