/* reconfig.c - apply a (new) config: keep unchanged children, restart the rest */
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

void init_reconfigure(init_main *m, init_config *nc)
{
	unsigned     n       = nc->num_starts;
	bool        *present = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *present);
	init_child **by_idx  = cairn_heap_calloc(m->env->heap, n ? n : 1, sizeof *by_idx);

	if (!present || !by_idx) {
		cairn_error("out of memory while applying the config");
		if (present)
			cairn_heap_free(m->env->heap, present);
		if (by_idx)
			cairn_heap_free(m->env->heap, by_idx);
		init_config_free(nc);
		return;
	}

	/* compare routes as if every child of the new config existed */
	for (unsigned i = 0; i < n; i++)
		present[i] = true;
	init_select_kept(m->children, nc, present);
	destroy_unkept(m);

	for (init_child *c = m->children; c; c = c->next)
		by_idx[c->new_idx] = c;

	init_config *old         = m->config;
	bool        *old_present = m->present;

	m->config  = nc;
	m->present = present;
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
		} else {
			c = init_child_create(m, i);
			if (!c)
				continue;
		}
		c->next    = NULL;
		present[i] = true;
		*tail = c;
		tail  = &c->next;
	}

	cairn_heap_free(m->env->heap, by_idx);
	if (old_present)
		cairn_heap_free(m->env->heap, old_present);
	init_config_free(old);

	/* requests waiting for a vanished or a new server */
	init_pending_kick(m);
}
