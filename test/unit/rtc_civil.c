/* rtc_civil.c - unit test of the RTC driver's calendar conversion against gmtime_r */

#include "../../src/drivers/rtc/civil.c"

#include <time.h>

#include "check.h"

static bool same(int64_t s, unsigned us)
{
	time_t t = (time_t)s;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) return true;   /* out of the host's range */
	cairn_rtc_timestamp r = rtc_civil(s, us);
	return r.year == (unsigned)(tm.tm_year + 1900) && r.month == (unsigned)(tm.tm_mon + 1)
	    && r.day == (unsigned)tm.tm_mday && r.hour == (unsigned)tm.tm_hour
	    && r.minute == (unsigned)tm.tm_min && r.second == (unsigned)tm.tm_sec
	    && r.microsecond == us;
}

int main(void)
{
	section("known dates");
	cairn_rtc_timestamp e = rtc_civil(0, 0);
	CHECK(e.year == 1970 && e.month == 1 && e.day == 1 && e.hour == 0 && e.minute == 0 && e.second == 0);
	cairn_rtc_timestamp g = rtc_civil(1409060760, 123456);   /* 2014-08-26 13:46:00 */
	CHECK(g.year == 2014 && g.month == 8 && g.day == 26 && g.hour == 13 && g.minute == 46 && g.microsecond == 123456);
	cairn_rtc_timestamp l = rtc_civil(951782400, 0);         /* 2000-02-29 */
	CHECK(l.year == 2000 && l.month == 2 && l.day == 29);
	cairn_rtc_timestamp n = rtc_civil(-1, 0);                /* 1969-12-31 23:59:59 */
	CHECK(n.year == 1969 && n.month == 12 && n.day == 31 && n.hour == 23 && n.second == 59);

	section("against gmtime_r, every day of 1900..2400 and odd seconds");
	unsigned bad = 0;
	for (int64_t s = -2208988800LL; s < 13569465600LL; s += 86400 - 7)
		if (!same(s, (unsigned)(s & 0xfffff) % 1000000u)) bad++;
	CHECK(bad == 0);
	return check_summary("rtc_civil");
}
