/* rtc.h - internals of the RTC driver: the clock back end and the calendar */
#pragma once

#include <session/rtc/rtc.h>
#include <stdint.h>

/*
 * The back end (one per platform, e.g. linux/host_clock.c) reads the
 * host's real-time clock: seconds and microseconds since 1970-01-01 UTC.
 * It is the only part of the driver that touches a host resource.
 */
struct rtc_backend {
	const char *name;
	int       (*now)(int64_t *seconds, unsigned *microseconds);
};

extern const struct rtc_backend rtc_backend;

/* seconds since the epoch (UTC) as a calendar time stamp (civil.c) */
cairn_rtc_timestamp rtc_civil(int64_t seconds, unsigned microseconds);
