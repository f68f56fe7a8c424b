/* rtc.h - Rtc session: the current wall-clock time as a structured time stamp */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/msg.h>
#include <base/rpc.h>
#include <stdint.h>

/*
 * The Rtc service (drivers/rtc, binary `rtc_drv`) tells the current date
 * and time of a real-time clock, in UTC. Since 15.02 the time comes as a
 * structured time stamp rather than an integer.
 *
 * Session args: `ram_quota` (at least CAIRN_RTC_RAM_MIN; less is refused
 * with CAIRN_ERR_QUOTA), `label`. The donation pays for the session
 * object; the operation allocates nothing.
 *
 *   CURRENT_TIME  - -> u32 microsecond, second, minute, hour, day, month, year
 *                 Fields as on a calendar: month 1-12, day 1-31, hour
 *                 0-23, minute 0-59, second 0-59 (60 never appears),
 *                 microsecond 0-999999.
 */
enum cairn_rtc_op { CAIRN_RTC_CURRENT_TIME = 1 };

enum {
	CAIRN_RTC_RAM_MIN = 1024,
	CAIRN_RTC_RAM     = 4096,   /* the donation clients usually make */
};

typedef struct cairn_rtc_timestamp {
	unsigned microsecond;
	unsigned second;
	unsigned minute;
	unsigned hour;
	unsigned day;
	unsigned month;
	unsigned year;
} cairn_rtc_timestamp;

__attribute__((warn_unused_result))
static inline int cairn_rtc_current_time(cairn_cap s, cairn_rtc_timestamp *ts)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_RTC_CURRENT_TIME);
	int r = cairn_rpc_call(s, &m, &m);
	*ts = (cairn_rtc_timestamp){ 0 };
	if (r != CAIRN_OK) return r;
	ts->microsecond = cairn_msg_get_u32(&m);
	ts->second      = cairn_msg_get_u32(&m);
	ts->minute      = cairn_msg_get_u32(&m);
	ts->hour        = cairn_msg_get_u32(&m);
	ts->day         = cairn_msg_get_u32(&m);
	ts->month       = cairn_msg_get_u32(&m);
	ts->year        = cairn_msg_get_u32(&m);
	return m.err ? CAIRN_ERR_MSG : CAIRN_OK;
}
