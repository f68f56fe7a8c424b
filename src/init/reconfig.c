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
	init_child **by_idx  = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *by_idx);
	size_t      *quantum = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *quantum);

	if (!present || !by_idx || !incompl || !quantum) {
		cairn_error("out of memory while applying the config");
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

	m->config     = nc;
	m->present    = present;
	m->incomplete = incompl;
	memset(present, 0, n * sizeof *present);
	print_parent_services(nc);

	/* children in document order: re-point the kept ones, create the others */
	init_child **tail = &m->children;
	m->children = NULL;
	for (unsigned i = 0; i < n; i++) {
		init_child *c = by_idx[i];
		if (c) {
			c->start = &nc->starts[i];
			c->idx   = i;
			apply_changes(m, c, quantum[i]);
		} else {
			c = init_child_create(m, i);
			if (!c) {
				incompl[i] = true;  /* retried with the next config */
				continue;
			}
		}
		c->next    = NULL;
		present[i] = true;
		*tail = c;
		tail  = &c->next;
	}

	/* init's own sessions for the state report (may wait for their servers) */
	init_report_configure(m);

	cairn_heap_free(m->env->heap, by_idx);
	cairn_heap_free(m->env->heap, quantum);
	if (old_present)
		cairn_heap_free(m->env->heap, old_present);
	if (old_incomplete)
		cairn_heap_free(m->env->heap, old_incomplete);
	init_config_free(old);

	/* requests waiting for a vanished or a new server */
	init_pending_kick(m);
	init_state_changed(m);
}
