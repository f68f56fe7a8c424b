/* main.c - test of the Timer service: order, no early expiry, periodic, sleep, close */

#include <base/env.h>
#include <base/log.h>
#include <session/rom/rom.h>
#include <session/timer/timer.h>
#include <util/xml.h>

#include <string.h>

/*
 * Event-driven, as a component should be: every phase arms timeouts and
 * returns to the entrypoint; signal handlers move on. Expiry times are
 * taken from the session's own clock (ELAPSED_US), read before the
 * TRIGGER call, so "never early" is checked exactly and no assumption
 * about how late a timeout may be is made. The time unit (config
 * `unit_ms`, default 100) only spaces the timeouts apart.
 */
enum { NSHOTS = 4 };
static const unsigned shot_units[NSHOTS] = { 4, 1, 3, 2 };

struct shot {
	cairn_timer          t;
	cairn_signal_handler h;
	uint64_t             us, start, fired_at;
	unsigned             count, order;
};

static cairn_env           *env;
static uint64_t             unit_us = 100000;
static unsigned             failures;
static struct shot          shots[NSHOTS];
static unsigned             nfired;
static cairn_timer          ctl;          /* msleep and phase timing */
static cairn_signal_handler ctl_h;
static void               (*ctl_next)(void);

static void fail(const char *what)
{
	cairn_error("%s", what);
	failures++;
}

/* call `fn` after `us` on the control session (event-driven wait) */
static void after(uint64_t us, void (*fn)(void))
{
	ctl_next = fn;
	if (cairn_timer_trigger_once(&ctl, us) != CAIRN_OK) fail("trigger_once on the control session failed");
}

static void ctl_signal(cairn_signal_handler *h, unsigned count)
{
	(void)h; (void)count;
	void (*fn)(void) = ctl_next;
	ctl_next = 0;
	if (fn) fn();
}

static void finish(void)
{
	cairn_log("--- timer test finished ---");
	cairn_env_exit(env, failures ? 1 : 0);
}

/* ---------------------------------------------------------------- phase 5 */

static void bad_args(void)
{
	int r = cairn_timer_trigger_periodic(&ctl, 0);
	cairn_log("trigger_periodic(0): %s", cairn_err_str(r));
	if (r != CAIRN_ERR_INVALID_ARGS) fail("trigger_periodic(0) was accepted");
	finish();
}

/* ---------------------------------------------------------------- phase 4 */

static cairn_timer          closed_t;
static cairn_signal_handler closed_h;
static unsigned             closed_count;

static void closed_signal(cairn_signal_handler *h, unsigned count) { (void)h; closed_count += count; }

static void check_closed(void)
{
	if (closed_count) fail("a closed session's timeout fired");
	else cairn_log("timeout of a closed session: no signal");
	bad_args();
}

static void sleeping(void)
{
	uint64_t ms = unit_us / 1000;
	uint64_t t0 = cairn_timer_elapsed_us(&ctl);
	int r = cairn_timer_msleep(&ctl, ms);
	uint64_t t1 = cairn_timer_elapsed_us(&ctl);
	if (r != CAIRN_OK) fail("msleep failed");
	else if (t1 - t0 < ms * 1000) fail("msleep returned early");
	else cairn_log("msleep(one unit): not early");

	t0 = cairn_timer_elapsed_us(&ctl);
	r = cairn_timer_usleep(&ctl, 0);
	cairn_log("usleep(0): %s", cairn_err_str(r));

	/* a session closed with a pending timeout must stay silent */
	if (cairn_timer_open(&closed_t, env, "closed") != CAIRN_OK) { fail("cannot open a Timer session"); finish(); }
	cairn_cap c = cairn_signal_handler_init(&closed_h, env->ep, closed_signal, 0);
	if (cairn_timer_sigh(&closed_t, c) != CAIRN_OK ||
	    cairn_timer_trigger_once(&closed_t, unit_us / 2) != CAIRN_OK)
		fail("cannot arm the timeout of the session to close");
	cairn_timer_close(&closed_t);
	after(2 * unit_us, check_closed);
}

/* ---------------------------------------------------------------- phase 3 */

static struct shot *per;
static uint64_t     per_total;
enum { PERIODS = 10 };

static void periodic_signal(cairn_signal_handler *h, unsigned count)
{
	struct shot *s = h->data;
	if (per_total >= PERIODS) return;   /* stale signal after the stop */
	uint64_t now = cairn_timer_elapsed_us(&s->t);
	per_total += count;
	if (now - s->start < per_total * s->us) fail("periodic timeout expired early");
	if (per_total < PERIODS) return;
	/* stop: no handler, and a one-shot that replaces the periodic timeout */
	(void)cairn_timer_sigh(&s->t, CAIRN_CAP_INVALID);
	(void)cairn_timer_trigger_once(&s->t, CAIRN_TIMER_MAX_US);
	cairn_log("periodic timeout: %d periods, none early", PERIODS);
	after(1, sleeping);
}

static void periodic(void)
{
	per = &shots[1];
	per->us = unit_us / 4;
	cairn_signal_handler_fini(&per->h, env->ep);
	cairn_cap c = cairn_signal_handler_init(&per->h, env->ep, periodic_signal, per);
	per->start = cairn_timer_elapsed_us(&per->t);
	if (cairn_timer_sigh(&per->t, c) != CAIRN_OK ||
	    cairn_timer_trigger_periodic(&per->t, per->us) != CAIRN_OK)
		fail("cannot program a periodic timeout");
}

/* ---------------------------------------------------------------- phase 2 */

static struct shot *rep;

static void replaced_signal(cairn_signal_handler *h, unsigned count)
{
	struct shot *s = h->data;
	s->count += count;
	s->fired_at = cairn_timer_elapsed_us(&s->t);
}

static void check_replaced(void)
{
	static unsigned retries;
	if (!rep->count && retries++ < 20) { after(unit_us, check_replaced); return; }
	if (rep->count != 1) fail("trigger_once did not replace the pending timeout");
	else if (rep->fired_at - rep->start < rep->us) fail("the replacing timeout expired early");
	else cairn_log("trigger_once replaces the pending timeout: one signal, not early");
	periodic();
}

static void replace(void)
{
	rep = &shots[0];
	cairn_signal_handler_fini(&rep->h, env->ep);
	cairn_cap c = cairn_signal_handler_init(&rep->h, env->ep, replaced_signal, rep);
	rep->count = 0;
	rep->us    = unit_us;
	rep->start = cairn_timer_elapsed_us(&rep->t);
	if (cairn_timer_sigh(&rep->t, c) != CAIRN_OK ||
	    cairn_timer_trigger_once(&rep->t, 3 * unit_us) != CAIRN_OK ||
	    cairn_timer_trigger_once(&rep->t, unit_us) != CAIRN_OK)
		fail("cannot program the one-shot timeouts");
	after(5 * unit_us, check_replaced);
}

/* ---------------------------------------------------------------- phase 1 */

/*
 * Signals of different sessions that are due at the same time may be
 * dispatched in any order. An order error is therefore a timeout seen
 * before one with an earlier deadline *while that deadline had not yet
 * passed*; everything else is the signal mechanism's freedom.
 */
static void check_order(void)
{
	for (unsigned i = 0; i < NSHOTS; i++)
		for (unsigned j = 0; j < NSHOTS; j++) {
			struct shot *a = &shots[i], *b = &shots[j];
			if (b->us < a->us && a->order < b->order && a->fired_at - a->start < b->us)
				fail("timeouts expired out of order");
		}
	/* report in deadline order */
	for (unsigned u = 1; u <= NSHOTS; u++)
		for (unsigned i = 0; i < NSHOTS; i++)
			if (shots[i].us == u * unit_us)
				cairn_log("one-shot timeout %u of %u expired, not early", u, NSHOTS);
	replace();
}

static void shot_signal(cairn_signal_handler *h, unsigned count)
{
	struct shot *s = h->data;
	s->fired_at = cairn_timer_elapsed_us(&s->t);
	s->count   += count;
	if (s->count > 1) { fail("one-shot timeout expired twice"); return; }
	s->order = ++nfired;
	if (s->fired_at - s->start < s->us) fail("one-shot timeout expired early");
	if (nfired == NSHOTS) check_order();
}

static void one_shots(void)
{
	for (unsigned i = 0; i < NSHOTS; i++) {
		struct shot *s = &shots[i];
		if (cairn_timer_open(&s->t, env, "shot") != CAIRN_OK) cairn_fatal("cannot open a Timer session");
		cairn_cap c = cairn_signal_handler_init(&s->h, env->ep, shot_signal, s);
		if (cairn_timer_sigh(&s->t, c) != CAIRN_OK) cairn_fatal("cannot register a timeout handler");
	}
	for (unsigned i = 0; i < NSHOTS; i++) {
		struct shot *s = &shots[i];
		s->us    = shot_units[i] * unit_us;
		s->start = cairn_timer_elapsed_us(&s->t);
		if (cairn_timer_trigger_once(&s->t, s->us) != CAIRN_OK) fail("trigger_once failed");
	}
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node root;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &root).error)
			unit_us = 1000 * xml_attr_ulong(&root, "unit_ms", 100);
		cairn_attached_rom_close(&config, env);
	}
	if (unit_us < 4000) unit_us = 4000;
	cairn_log("--- timer test ---");
	if (cairn_timer_open(&ctl, env, "control") != CAIRN_OK) cairn_fatal("cannot open a Timer session");
	cairn_cap c = cairn_signal_handler_init(&ctl_h, env->ep, ctl_signal, 0);
	if (cairn_timer_sigh(&ctl, c) != CAIRN_OK) cairn_fatal("cannot register the control handler");
	one_shots();
}
