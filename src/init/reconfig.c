/* reconfig.c - apply a (new) config: keep unchanged children, update, restart or add the rest */
#include "init.h"

#include <base/log.h>

#include <string.h>

static void destroy_unkept(init_main *m)
{
	init_child **p = &m->children;

	while (*p) {
		init_child *c = *p;
		if (c->keep) {
			p = &c->next;
			continue;
		}
		*p = c->next;
		init_child_destroy(m, c);
	}
}

static void print_parent_services(const init_config *c)
{
	if (!c->verbose)
		return;
	cairn_log("parent provides");
	for (unsigned i = 0; i < c->num_parent_services; i++)
		cairn_log("  service \"%s\"", c->parent_services[i]);
}

/* what a kept child's changed <start> node means for it at run time */
static void apply_changes(init_main *m, init_child *c, size_t old_quantum)
{
	if (c->diff & INIT_START_RAM)
		init_child_requantize(m, c, old_quantum);
	if (c->diff & INIT_START_CONFIG)
		init_local_config_changed(m, c);
	if (c->diff && m->config->verbose)
		cairn_log("child \"%s\" kept with a changed <start> node", c->name);
}

void init_reconfigure(init_main *m, init_config *nc)
{
	unsigned     n       = nc->num_starts;
	bool        *present = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *present);
	bool        *incompl = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *incompl);
	bool        *defer   = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *defer);
	init_child **by_idx  = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *by_idx);
	size_t      *quantum = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *quantum);

	if (!present || !by_idx || !incompl || !quantum || !defer) {
		cairn_error("out of memory while applying the config");
		if (defer)
			cairn_heap_free(m->env->heap, defer);
		if (present)
			cairn_heap_free(m->env->heap, present);
		if (incompl)
			cairn_heap_free(m->env->heap, incompl);
		if (by_idx)
			cairn_heap_free(m->env->heap, by_idx);
		if (quantum)
			cairn_heap_free(m->env->heap, quantum);
		init_config_free(nc);
		return;
	}

	/* compare routes as if every child of the new config existed */
	for (unsigned i = 0; i < n; i++)
		present[i] = true;
	init_select_kept(m->children, nc, present);
	destroy_unkept(m);

	for (init_child *c = m->children; c; c = c->next) {
		by_idx[c->new_idx]  = c;
		quantum[c->new_idx] = c->start->ram_quantum;
	}

	init_config *old            = m->config;
	bool        *old_present    = m->present;
	bool        *old_incomplete = m->incomplete;
	bool        *old_deferred   = m->deferred;

	m->config     = nc;
	m->present    = present;
	m->incomplete = incompl;
	m->deferred   = defer;
	memset(present, 0, n * sizeof *present);
	print_parent_services(nc);

	/*
	 * Children in document order: re-point the kept ones; the others are
	 * created one at a time from init's entrypoint (init_create_next), so
	 * that the requests of the first ones are served while the later ones
	 * are still being created. Until then they count as present: requests
	 * routed to them wait, as for a server that has not announced yet.
	 */
	init_child **tail = &m->children;
	m->children = NULL;
	unsigned num_deferred = 0;
	for (unsigned i = 0; i < n; i++) {
		init_child *c = by_idx[i];
		present[i] = true;
		if (!c) {
			defer[i] = true;
			num_deferred++;
			continue;
		}
		c->start = &nc->starts[i];
		c->idx   = i;
		apply_changes(m, c, quantum[i]);
		c->next = NULL;
		*tail = c;
		tail  = &c->next;
	}
	if (num_deferred)
		cairn_signal_submit(m->create_sigh.obj.cap, 1);

	/* init's own sessions for the state report (may wait for their servers) */
	init_report_configure(m);

	cairn_heap_free(m->env->heap, by_idx);
	cairn_heap_free(m->env->heap, quantum);
	if (old_present)
		cairn_heap_free(m->env->heap, old_present);
	if (old_incomplete)
		cairn_heap_free(m->env->heap, old_incomplete);
	if (old_deferred)
		cairn_heap_free(m->env->heap, old_deferred);
	init_config_free(old);

	/* requests waiting for a vanished or a new server */
	init_pending_kick(m);
	init_state_changed(m);
}

/* the first deferred child of the config, in document order (init_reconfigure) */
void init_create_next(init_main *m)
{
	init_config *nc = m->config;
	unsigned     i;

	if (!nc || !m->deferred)
		return;
	for (i = 0; i < nc->num_starts && !m->deferred[i]; i++)
		;
	if (i == nc->num_starts)
		return;
	m->deferred[i] = false;

	init_child *c = init_child_create(m, i);
	if (!c) {
		m->present[i]    = false;
		m->incomplete[i] = true;  /* retried with the next config */
	} else {
		init_child **p = &m->children;
		while (*p && (*p)->idx < i)
			p = &(*p)->next;
		c->next = *p;
		*p      = c;
	}
	/* more to come: after what arrived meanwhile (signals queue behind requests) */
	for (unsigned k = i + 1; k < nc->num_starts; k++)
		if (m->deferred[k]) {
			cairn_signal_submit(m->create_sigh.obj.cap, 1);
			break;
		}
	/* requests waiting for it as their server */
	init_pending_kick(m);
	init_state_changed(m);
}
