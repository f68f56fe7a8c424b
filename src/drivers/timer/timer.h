/* timer.h - internals of the timer driver: sessions, scheduler, clock back end */
#pragma once

#include <base/env.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A session's timeout. The scheduler keeps the armed ones in a list sorted
 * by deadline and programs the back end for the earliest.
 */
struct timer_session {
	cairn_rpc_obj         obj;
	cairn_cap             sigh;
	uint64_t              created;    /* back-end time at creation */
	uint64_t              deadline;   /* absolute back-end time: end of the
	                                     timeout or of the next period */
	uint64_t              wake;       /* when to fire, never before deadline */
	uint64_t              period;     /* 0: one-shot */
	bool                  armed;
	struct timer_session *prev, *next;
};

/* ---- scheduler (scheduler.c) ---- */

void sched_init(void);
void sched_arm(struct timer_session *s, uint64_t deadline, uint64_t period);
void sched_cancel(struct timer_session *s);

/* the back end's alarm went off: fire what is due, program the next one */
void sched_alarm(void *data);

/*
 * ---- clock back end (one per platform, e.g. linux/timer_fd.c) ----
 *
 * Time is in microseconds of a monotonic clock. `program` sets the one
 * alarm: the back end calls `alarm` on the entrypoint no earlier than
 * the deadline (0: no alarm). The back end drives a host resource and is
 * the only part of the driver that knows the platform.
 */
struct timer_backend {
	const char *name;
	int       (*init)(cairn_env *env, void (*alarm)(void *), void *data);
	uint64_t  (*now_us)(void);
	void      (*program)(uint64_t deadline_us);
};

extern const struct timer_backend timer_backend;
