/* timer.c - Timer session client library: connection, sleeping */

#include <base/env.h>
#include <base/parent.h>
#include <session/timer/timer.h>

int cairn_timer_open(cairn_timer *t, cairn_env *env, const char *label)
{
	*t = (cairn_timer){ .env = env };
	return cairn_session(env, "Timer", &t->session, "ram_quota=%d, label=\"%s\"",
	                     CAIRN_TIMER_RAM, label ? label : "");
}

void cairn_timer_close(cairn_timer *t)
{
	if (!cairn_cap_valid(t->session)) return;
	(void)cairn_parent_close(t->env->parent, t->session);
	cairn_cap_release(t->session);
	t->session = CAIRN_CAP_INVALID;
	if (t->sleeper_ready) cairn_signal_handler_fini(&t->sleeper, t->env->ep);
	t->sleeper_ready = false;
}

int cairn_timer_sigh(cairn_timer *t, cairn_cap sigh)
{
	t->sigh = sigh;
	return cairn_timer_session_sigh(t->session, sigh);
}

int cairn_timer_trigger_once(cairn_timer *t, uint64_t us)
{
	return cairn_timer_session_trigger_once(t->session, us);
}

int cairn_timer_trigger_periodic(cairn_timer *t, uint64_t us)
{
	return cairn_timer_session_trigger_periodic(t->session, us);
}

uint64_t cairn_timer_elapsed_ms(cairn_timer *t)
{
	uint64_t v;
	return cairn_timer_session_elapsed(t->session, CAIRN_TIMER_ELAPSED_MS, &v) == CAIRN_OK ? v : 0;
}

uint64_t cairn_timer_elapsed_us(cairn_timer *t)
{
	uint64_t v;
	return cairn_timer_session_elapsed(t->session, CAIRN_TIMER_ELAPSED_US, &v) == CAIRN_OK ? v : 0;
}

/*
 * The sleeper handler's function is never called: cairn_ep_wait_signal
 * takes its signals before the entrypoint would dispatch them. A signal
 * may reach the sleeper before the one-shot timeout does (a period of a
 * timeout the user programmed, ending between SIGH and TRIGGER_ONCE), so
 * the wait repeats until the session's clock says the time is up.
 */
int cairn_timer_usleep(cairn_timer *t, uint64_t us)
{
	if (!us) return CAIRN_OK;
	if (!t->sleeper_ready) {
		if (!cairn_cap_valid(cairn_signal_handler_init(&t->sleeper, t->env->ep, 0, t)))
			return CAIRN_ERR_NO_MEMORY;
		t->sleeper_ready = true;
	}
	uint64_t start, now;
	int r = cairn_timer_session_elapsed(t->session, CAIRN_TIMER_ELAPSED_US, &start);
	if (r == CAIRN_OK) r = cairn_timer_session_sigh(t->session, t->sleeper.obj.cap);
	if (r == CAIRN_OK) r = cairn_timer_session_trigger_once(t->session, us);
	while (r == CAIRN_OK) {
		(void)cairn_ep_wait_signal(t->env->ep, &t->sleeper.obj);
		r = cairn_timer_session_elapsed(t->session, CAIRN_TIMER_ELAPSED_US, &now);
		if (r != CAIRN_OK || now - start >= us) break;
	}
	int r2 = cairn_timer_session_sigh(t->session, t->sigh);
	return r != CAIRN_OK ? r : r2;
}

int cairn_timer_msleep(cairn_timer *t, uint64_t ms)
{
	return cairn_timer_usleep(t, ms > UINT64_MAX / 1000 ? UINT64_MAX : ms * 1000);
}
