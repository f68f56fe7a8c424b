/* scheduler.c - the timeouts of all sessions, in order, on one back-end alarm */

#include "timer.h"

#include <session/timer/timer.h>

/*
 * Armed sessions are kept sorted by wake-up time (ties: the one armed
 * first comes first), and the back end's single alarm is programmed for
 * the head. A one-shot timeout wakes at its deadline. A periodic one
 * wakes at the end of its next period, but not sooner than
 * CAIRN_TIMER_MIN_WAKEUP_US after it last fired, so that a tiny period
 * costs counting, not a storm of wake-ups: the signal's count is the
 * number of periods that ended. Nothing fires before the back end's clock
 * has reached its deadline.
 */
static struct timer_session *head;
static uint64_t programmed;

static void unlink_session(struct timer_session *s)
{
	if (s->prev) s->prev->next = s->next;
	else if (head == s) head = s->next;
	if (s->next) s->next->prev = s->prev;
	s->prev = s->next = 0;
}

static void insert_sorted(struct timer_session *s)
{
	struct timer_session **p = &head, *prev = 0;
	while (*p && (*p)->wake <= s->wake) { prev = *p; p = &(*p)->next; }
	s->prev = prev;
	s->next = *p;
	if (*p) (*p)->prev = s;
	*p = s;
}

static void reprogram(void)
{
	uint64_t next = head ? head->wake : 0;
	if (next == programmed) return;
	programmed = next;
	timer_backend.program(next);
}

void sched_init(void) { head = 0; programmed = 0; }

void sched_arm(struct timer_session *s, uint64_t deadline, uint64_t period)
{
	if (s->armed) unlink_session(s);
	s->deadline = deadline;
	s->wake     = deadline;
	s->period   = period;
	s->armed    = true;
	insert_sorted(s);
	reprogram();
}

void sched_cancel(struct timer_session *s)
{
	if (!s->armed) return;
	unlink_session(s);
	s->armed = false;
	reprogram();
}

/* fire a due session; returns the signal count */
static unsigned fire(struct timer_session *s, uint64_t now)
{
	if (!s->period) { s->armed = false; return 1; }

	/* periods that ended by now (deadline <= wake <= now), counted */
	uint64_t n = 1 + (now - s->deadline) / s->period;
	s->deadline += n * s->period;
	uint64_t min = now + CAIRN_TIMER_MIN_WAKEUP_US;
	s->wake = s->deadline > min ? s->deadline : min;
	insert_sorted(s);
	return n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
}

void sched_alarm(void *data)
{
	(void)data;
	uint64_t now = timer_backend.now_us();
	programmed = UINT64_MAX;   /* the alarm went off: program (or disarm) anew */
	while (head && head->wake <= now) {
		struct timer_session *s = head;
		unlink_session(s);
		unsigned count = fire(s, now);
		if (cairn_cap_valid(s->sigh)) cairn_signal_submit(s->sigh, count);
	}
	reprogram();
}
