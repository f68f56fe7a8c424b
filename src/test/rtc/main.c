/* main.c - test of the Rtc service: plausible, advancing time stamps */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/rtc/rtc.h>
#include <session/timer/timer.h>

/*
 * Reads the RTC, sleeps a little more than a second (Timer), and reads it
 * again: both time stamps must be valid calendar values and the second
 * one later by at least a second. An unknown opcode must be refused.
 * Nothing is assumed about the host's date beyond year >= 2000.
 */
static unsigned failures;

static void fail(const char *what) { cairn_error("%s", what); failures++; }

static bool valid(const cairn_rtc_timestamp *t)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return t->year >= 2000 && t->month >= 1 && t->month <= 12 && t->day >= 1
	    && t->day <= mdays[t->month - 1] && t->hour < 24 && t->minute < 60
	    && t->second < 60 && t->microsecond < 1000000;
}

/* microseconds since 2000-01-01 (for comparing, leap years counted) */
static uint64_t micros(const cairn_rtc_timestamp *t)
{
	static const unsigned before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t y = t->year - 2000, days = y * 365 + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
	days += before[t->month - 1] + t->day - 1;
	bool leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
	if (leap && t->month > 2) days++;
	return (((days * 24 + t->hour) * 60 + t->minute) * 60 + t->second) * 1000000 + t->microsecond;
}

static void print(const char *what, const cairn_rtc_timestamp *t)
{
	cairn_log("%s: %04u-%02u-%02u %02u:%02u:%02u", what, t->year, t->month, t->day,
	          t->hour, t->minute, t->second);
}

void cairn_component_construct(cairn_env *env)
{
	cairn_log("--- RTC test started ---");
	cairn_cap rtc;
	cairn_timer timer;
	if (cairn_session(env, "Rtc", &rtc, "ram_quota=%d", CAIRN_RTC_RAM) != CAIRN_OK)
		cairn_fatal("cannot open an Rtc session");
	if (cairn_timer_open(&timer, env, "") != CAIRN_OK) cairn_fatal("cannot open a Timer session");

	cairn_rtc_timestamp a, b;
	int r = cairn_rtc_current_time(rtc, &a);
	if (r != CAIRN_OK) cairn_fatal("current_time: %s", cairn_err_str(r));
	print("first time stamp", &a);
	if (!valid(&a)) fail("first time stamp is no valid calendar time");

	(void)cairn_timer_msleep(&timer, 1100);
	r = cairn_rtc_current_time(rtc, &b);
	if (r != CAIRN_OK) cairn_fatal("current_time: %s", cairn_err_str(r));
	print("second time stamp", &b);
	if (!valid(&b)) fail("second time stamp is no valid calendar time");
	if (valid(&a) && valid(&b) && micros(&b) < micros(&a) + 1000000)
		fail("the RTC did not advance by a second in 1.1 s of timer time");
	else
		cairn_log("the RTC advanced by at least a second");

	cairn_msg m;
	cairn_msg_init(&m, 77);
	r = cairn_rpc_call(rtc, &m, &m);
	cairn_log("unknown opcode: %s", cairn_err_str(r));
	if (r != CAIRN_ERR_OPCODE) fail("an unknown opcode was accepted");

	cairn_log("--- RTC test finished ---");
	cairn_env_exit(env, failures ? 1 : 0);
}
