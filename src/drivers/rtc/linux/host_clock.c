/* host_clock.c - Linux back end of the RTC driver: the host's CLOCK_REALTIME */

#include "rtc.h"

#include <time.h>

/*
 * The host's wall clock is the resource this driver hands out (the
 * original's Linux proxy used time(); the microseconds come along here).
 */
static int now(int64_t *seconds, unsigned *microseconds)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return CAIRN_ERR_UNAVAILABLE;
	*seconds      = (int64_t)ts.tv_sec;
	*microseconds = (unsigned)(ts.tv_nsec / 1000);
	return CAIRN_OK;
}

const struct rtc_backend rtc_backend = { .name = "linux CLOCK_REALTIME", .now = now };
