/* report.c - delivering init's state report through a Report session, paced by a Timer */
#include "init.h"

#include <base/log.h>

#include <string.h>

/*
 * With a <report> node, init opens a Report session labelled "state" and
 * a Timer session at its parent (routed there like any of init's own
 * sessions; init.md 14.2). A change of the state programs a one-shot
 * timeout of `delay_ms`; when it expires init generates the report and
 * submits it if it differs from the last one. Changes meanwhile ride
 * along: at most one report per `delay_ms`.
 *
 * The sessions are opened when a config first asks for the report (init
 * waits for the servers to be there, as for any session of its own; a
 * failure is retried with the next config) and kept open; a different
 * buffer size reopens the Report session.
 */

static void free_buffers(init_main *m)
{
	init_report *r = &m->report;

	if (r->last)
		cairn_heap_free(m->env->heap, r->last);
	if (r->scratch)
		cairn_heap_free(m->env->heap, r->scratch);
	r->last    = NULL;
	r->scratch = NULL;
}

static void submit(init_main *m)
{
	init_report *r   = &m->report;
	size_t       len = init_state_generate(m, r->scratch, r->buffer);

	if (!len) {
		static const char error[] = "<state error=\"report buffer exceeded\"/>\n";
		if (!r->overflowed)
			cairn_error("state report exceeds maximum size");
		r->overflowed = true;
		memcpy(r->scratch, error, sizeof error);
		len = sizeof error - 1;
	} else {
		r->overflowed = false;
	}
	if (len == r->last_len && memcmp(r->scratch, r->last, len) == 0)
		return;
	int rc = cairn_reporter_submit(&r->reporter, r->scratch, len);
	if (rc != CAIRN_OK) {
		cairn_warning("could not submit the state report (%s)", cairn_err_str(rc));
		return;
	}
	memcpy(r->last, r->scratch, len);
	r->last_len = len;
}

static void on_timeout(cairn_signal_handler *h, unsigned count)
{
	init_main *m = h->data;

	m->report.scheduled = false;
	if (m->report.open && m->config && m->config->report.enabled)
		submit(m);
}

static bool open_reporter(init_main *m, size_t buffer)
{
	init_report *r = &m->report;

	r->last    = cairn_heap_alloc(m->env->heap, buffer);
	r->scratch = cairn_heap_alloc(m->env->heap, buffer);
	if (!r->last || !r->scratch) {
		free_buffers(m);
		cairn_error("out of memory for the state report");
		return false;
	}
	int rc = cairn_reporter_open(&r->reporter, m->env, "state", buffer);
	if (rc != CAIRN_OK) {
		free_buffers(m);
		cairn_warning("no state report: Report session denied (%s)", cairn_err_str(rc));
		return false;
	}
	r->buffer   = buffer;
	r->last_len = 0;
	return true;
}

static bool open_sessions(init_main *m, size_t buffer)
{
	init_report *r = &m->report;

	int rc = cairn_timer_open(&r->timer, m->env, "state");
	if (rc != CAIRN_OK) {
		cairn_warning("no state report: Timer session denied (%s)", cairn_err_str(rc));
		return false;
	}
	cairn_cap sigh = cairn_signal_handler_init(&r->timeout, m->env->ep, on_timeout, m);
	if (cairn_timer_sigh(&r->timer, sigh) != CAIRN_OK || !open_reporter(m, buffer)) {
		cairn_signal_handler_fini(&r->timeout, m->env->ep);
		cairn_timer_close(&r->timer);
		return false;
	}
	return true;
}

void init_report_configure(init_main *m)
{
	init_report              *r = &m->report;
	const init_report_config *c = &m->config->report;

	if (!c->enabled)
		return;
	if (!r->open) {
		r->open = open_sessions(m, c->buffer);  /* tried again on each update */
	} else if (r->buffer != c->buffer) {
		cairn_reporter_close(&r->reporter);
		free_buffers(m);
		r->open = open_reporter(m, c->buffer);
	}
	init_state_changed(m);
}

void init_state_changed(init_main *m)
{
	init_report *r = &m->report;

	if (!r->open || r->scheduled || !m->config || !m->config->report.enabled)
		return;
	r->scheduled = true;
	if (cairn_timer_trigger_once(&r->timer, (uint64_t)m->config->report.delay_ms * 1000)
	    != CAIRN_OK) {
		r->scheduled = false;
		submit(m);
	}
}
