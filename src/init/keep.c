/* keep.c - which children survive a config update (init.md 14.1), free of I/O */
#include "init.h"
#include "prio.h"

#include <string.h>
#include <util/args.h>

/* would session s of a kept child take the same route under the new config? */
static bool same_route(const init_config *nc, const bool *present, const init_child *c,
                       const init_session *s)
{
	char              label[INIT_LABEL_MAX];
	init_route_result r;

	if (s->kind == INIT_SESSION_LOCAL)
		return true;  /* the same local ROM (a new <config> is pushed to it) */
	if (init_request_label(&nc->starts[c->new_idx], s->service, s->args, label) != INIT_REQ_ROUTE)
		return false;

	init_route(nc, present, c->new_idx, s->service, label, &r);

	/* the server must also see the same label (a target's label rewrite) */
	char old_label[INIT_LABEL_MAX];
	(void)args_string(s->fwd, "label", old_label, sizeof old_label, "");
	if (strcmp(old_label, r.label ? r.label : label) != 0)
		return false;

	if (s->kind == INIT_SESSION_PARENT)
		return r.kind == INIT_ROUTE_PARENT;
	return r.kind == INIT_ROUTE_CHILD && s->server->keep
	    && s->server->new_idx == r.server;
}

void init_select_kept(init_child *children, const init_config *nc, const bool *present)
{
	for (init_child *c = children; c; c = c->next) {
		int j = init_config_start_index(nc, c->name);
		bool crashed = c->gone && !c->exit_called;

		c->new_idx = j >= 0 ? (unsigned)j : 0;
		c->diff    = j >= 0 ? init_start_compare(c->start, &nc->starts[j]) : INIT_START_RESTART;
		if (j >= 0) {
			cairn_pd_sched p = init_placement(nc, &nc->starts[j]);
			if (memcmp(&p, &c->sched, sizeof p) != 0)
				c->diff |= INIT_START_RESTART;  /* prio_levels, affinity space */
		}
		c->keep    = j >= 0 && !crashed && !(c->diff & INIT_START_RESTART);
	}

	/* restarting a server restarts its clients, which may be servers too */
	for (bool changed = true; changed;) {
		changed = false;
		for (init_child *c = children; c; c = c->next) {
			if (!c->keep)
				continue;
			for (init_session *s = c->sessions; s; s = s->next) {
				if (!same_route(nc, present, c, s)) {
					c->keep = false;
					changed = true;
					break;
				}
			}
		}
	}
}
