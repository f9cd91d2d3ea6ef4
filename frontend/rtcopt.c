/* SPDX-License-Identifier: MIT */
/* -rtc base=utc|localtime|DATE[,clock=vm][,driftfix=none|slew] (QEMU's
 * syntax). A DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS) keeps runs
 * deterministic; utc/localtime read the host clock once (opt-in, DESIGN
 * rule 9). Without -rtc the RTC starts at 2026-01-01 00:00:00. */
#include <string.h>
#include <time.h>
#include "optvalues.h"
#include "../iodev/cmos.h"

static int rtc_base(const char *v, size_t n, struct options *o)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	if (n >= sizeof buf)
		return opt_error("-rtc: invalid base '%.*s'", (int)n, v);
	memcpy(buf, v, n);
	buf[n] = 0;
	o->rtc_base_set = true;
	if (!strcmp(buf, "utc")) {
		o->rtc_base = (int64_t)now;
	} else if (!strcmp(buf, "localtime")) {
		localtime_r(&now, &tm);
		o->rtc_base = (int64_t)timegm(&tm);
	} else if (cmos_parse_date(buf, &o->rtc_base) != 0) {
		return opt_error("-rtc: invalid base '%s' (utc, localtime, YYYY-MM-DD[THH:MM:SS])", buf);
	}
	return 0;
}

int parse_rtc(const char *s, struct options *o)
{
	while (*s) {
		size_t n = strcspn(s, ",");
		if (!strncmp(s, "base=", 5)) {
			if (rtc_base(s + 5, n - 5, o))
				return -1;
		} else if (!(n == 8 && !strncmp(s, "clock=vm", 8)) &&
			   !(n == 13 && !strncmp(s, "driftfix=none", 13)) &&
			   !(n == 13 && !strncmp(s, "driftfix=slew", 13))) {
			return opt_error("-rtc: unsupported setting '%.*s' (base=..., clock=vm)", (int)n, s);
		}
		s += n + (s[n] == ',');
	}
	return 0;
}
