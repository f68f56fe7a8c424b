/* civil.c - seconds since 1970 to year/month/day/hour/minute/second (UTC) */

#include "rtc.h"

/*
 * Days to a date in the proleptic Gregorian calendar, counted in eras of
 * 400 years (146097 days) so that every leap rule falls out of integer
 * arithmetic (H. Hinnant's civil_from_days). No time zones, no leap
 * seconds: UTC as POSIX counts it.
 */
cairn_rtc_timestamp rtc_civil(int64_t seconds, unsigned microseconds)
{
	int64_t days = seconds / 86400, rem = seconds % 86400;
	if (rem < 0) { rem += 86400; days--; }

	int64_t z   = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                  /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
	int64_t mp  = (5 * doy + 2) / 153;                              /* [0, 11], March first */
	int64_t d   = doy - (153 * mp + 2) / 5 + 1;
	int64_t m   = mp < 10 ? mp + 3 : mp - 9;
	int64_t y   = yoe + era * 400 + (m <= 2);

	return (cairn_rtc_timestamp){
		.microsecond = microseconds % 1000000u,
		.second      = (unsigned)(rem % 60),
		.minute      = (unsigned)(rem / 60 % 60),
		.hour        = (unsigned)(rem / 3600),
		.day         = (unsigned)d,
		.month       = (unsigned)m,
		.year        = y < 0 ? 0 : (unsigned)y,
	};
}
