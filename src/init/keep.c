/* keep.c - which children survive a config update (init.md 14.1), free of I/O */
#include "init.h"

#include <string.h>

static bool same_node(const init_start *a, const init_start *b)
{
	return a->node_len == b->node_len && memcmp(a->node, b->node, a->node_len) == 0;
}

/* would session s of a kept child take the same route under the new config? */
static bool same_route(const init_config *nc, const bool *present, const init_child *c,
                       const init_session *s)
{
	char              label[INIT_LABEL_MAX];
	init_route_result r;

	if (s->kind == INIT_SESSION_LOCAL)
		return true;  /* identical <start> node, identical local ROM */
	if (init_request_label(&nc->starts[c->new_idx], s->service, s->args, label) != INIT_REQ_ROUTE)
		return false;

	init_route(nc, present, c->new_idx, s->service, label, &r);
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

		c->keep    = j >= 0 && !crashed && same_node(c->start, &nc->starts[j]);
		c->new_idx = j >= 0 ? (unsigned)j : 0;
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
