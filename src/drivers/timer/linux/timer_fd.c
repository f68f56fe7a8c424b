/* timer_fd.c - Linux back end of the timer driver: CLOCK_MONOTONIC and a timerfd */

#include "timer.h"

#include <plat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/*
 * The host clock is the resource this driver hands out. The timerfd is
 * armed with an absolute CLOCK_MONOTONIC time in nanoseconds, so the
 * kernel never reports it before the deadline; the entrypoint watches the
 * descriptor in its event loop (plat_ep_watch_fd) and calls the alarm
 * function there, serialized with the RPC handlers.
 */
static int   tfd = -1;
static void (*alarm_fn)(void *);
static void *alarm_data;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_fd(void *data, uint32_t events)
{
	uint64_t expirations;
	(void)events;
	(void)!read(tfd, &expirations, sizeof(expirations));   /* non-blocking: drain */
	alarm_fn(data);
}

static void program(uint64_t deadline_us)
{
	struct itimerspec its = { 0 };
	if (deadline_us) {
		its.it_value.tv_sec  = (time_t)(deadline_us / 1000000u);
		its.it_value.tv_nsec = (long)(deadline_us % 1000000u) * 1000;
	}
	timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, 0);
}

static int init(cairn_env *env, void (*fn)(void *), void *data)
{
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tfd < 0) return CAIRN_ERR_NO_MEMORY;
	alarm_fn   = fn;
	alarm_data = data;
	if (plat_ep_watch_fd(env->ep, tfd, on_fd, data) < 0) {
		close(tfd);
		tfd = -1;
		return CAIRN_ERR_NO_MEMORY;
	}
	return CAIRN_OK;
}

const struct timer_backend timer_backend = {
	.name    = "linux timerfd",
	.init    = init,
	.now_us  = now_us,
	.program = program,
};
