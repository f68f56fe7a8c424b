/* state.c - the content of init's state report (init.md 14.2) */
#include "init.h"
#include "prio.h"

#include <session/pd/pd.h>
#include <util/args.h>
#include <util/xml_gen.h>

#include <stdio.h>
#include <string.h>

/*
 * <state version="...">
 *   <ram quota used avail/>                                    (init_ram)
 *   <child name binary version id priority kernel_priority state exit_value signal>
 *     <ram assigned quota used avail requested limit/>         (child_ram)
 *     <requested> <session service label state ram> <args/> </session> </requested>
 *     <provided> ... </provided>
 *   </child>
 * </state>
 *
 * Beyond 17.02: `priority` (the generic priority core applied) and
 * `kernel_priority` (what a kernel with 128 levels makes of it, as in
 * 10.02's table), `state` also `exited` (with `exit_value`) and
 * `crashed` (with the `signal` if the process died of one), RAM `limit`
 * when configured.
 */

static void attr_size(struct xml_gen *g, const char *name, size_t bytes)
{
	char buf[32];
	xml_gen_attr(g, name, init_size_str(bytes, buf, sizeof buf));
}

static void ram_node(struct xml_gen *g, cairn_cap pd)
{
	size_t quota = 0, used = 0;

	(void)cairn_pd_quota(pd, &quota, &used);
	attr_size(g, "quota", quota);
	attr_size(g, "used", used);
	attr_size(g, "avail", quota > used ? quota - used : 0);
}

static const char *session_state(const init_session *s)
{
	if (s->orphaned)
		return "CLOSED";
	switch (s->state) {
	case INIT_SESSION_CREATING:  return "CREATE_REQUESTED";
	case INIT_SESSION_ACTIVE:    return "CAP_HANDED_OUT";
	case INIT_SESSION_UPGRADING: return "UPGRADE_REQUESTED";
	case INIT_SESSION_CLOSING:   return "CLOSE_REQUESTED";
	}
	return "AVAILABLE";
}

/* one <session> node; `args` as the server sees them */
static void session_node(init_main *m, struct xml_gen *g, const char *service,
                         const char *args, const char *state, size_t ram)
{
	char label[INIT_LABEL_MAX];

	if (label_from_args(args, label, sizeof label) != LABEL_OK)
		label[0] = '\0';
	xml_gen_node_open(g, "session");
	xml_gen_attr(g, "service", service);
	/* the generator inserts values verbatim: a '"' in a label is dropped */
	for (char *q = label; (q = strchr(q, '"'));)
		memmove(q, q + 1, strlen(q));
	xml_gen_attr(g, "label", label);
	xml_gen_attr(g, "state", state);
	attr_size(g, "ram", ram);
	if (m->config->report.session_args) {
		xml_gen_node_open(g, "args");
		xml_gen_append_sanitized(g, args, strlen(args));
		xml_gen_node_close(g);
	}
	xml_gen_node_close(g);
}

static void requested(init_main *m, struct xml_gen *g, const init_child *c)
{
	xml_gen_node_open(g, "requested");
	for (const init_session *s = c->sessions; s; s = s->next)
		session_node(m, g, s->service, s->fwd, session_state(s), s->donated);
	for (const init_pending *p = m->pending; p; p = p->next)
		if (p->client == c)
			session_node(m, g, p->service, p->args, "CREATE_REQUESTED",
			             args_size(p->args, "ram_quota", 0));
	xml_gen_node_close(g);
}

static void provided_from(init_main *m, struct xml_gen *g, const init_child *server,
                          const init_session *list)
{
	for (const init_session *s = list; s; s = s->next)
		if (s->kind == INIT_SESSION_CHILD && s->server == server && !s->orphaned)
			session_node(m, g, s->service, s->fwd, session_state(s), s->donated);
}

static void provided(init_main *m, struct xml_gen *g, const init_child *c)
{
	xml_gen_node_open(g, "provided");
	for (const init_child *client = m->children; client; client = client->next)
		provided_from(m, g, c, client->sessions);
	provided_from(m, g, c, m->detached);
	xml_gen_node_close(g);
}

static void child_node(init_main *m, struct xml_gen *g, const init_child *c)
{
	const init_report_config *r = &m->config->report;

	xml_gen_node_open(g, "child");
	xml_gen_attr(g, "name", c->name);
	xml_gen_attr(g, "binary", c->start->binary);
	if (c->start->version)
		xml_gen_attr(g, "version", c->start->version);
	if (r->ids)
		xml_gen_attr_ulong(g, "id", c->id);
	if (c->priority < CAIRN_PRIORITY_LIMIT) {
		xml_gen_attr_ulong(g, "priority", c->priority);
		xml_gen_attr_ulong(g, "kernel_priority", init_kernel_priority(c->priority));
	}
	if (c->exit_called) {
		xml_gen_attr(g, "state", "exited");
		xml_gen_attr_long(g, "exit_value", c->exit_value);
	} else if (c->gone) {
		xml_gen_attr(g, "state", "crashed");
		if (c->crash_signal)
			xml_gen_attr_long(g, "signal", c->crash_signal);
	}

	if (r->child_ram) {
		xml_gen_node_open(g, "ram");
		attr_size(g, "assigned", c->assigned);
		if (!c->gone)
			ram_node(g, c->pd);
		if (c->requested)
			attr_size(g, "requested", c->requested);
		if (c->start->ram_limit)
			attr_size(g, "limit", c->start->ram_limit);
		xml_gen_node_close(g);
	}
	if (r->requested)
		requested(m, g, c);
	if (r->provided)
		provided(m, g, c);
	xml_gen_node_close(g);
}

size_t init_state_generate(init_main *m, char *buf, size_t size)
{
	const init_config *cfg = m->config;
	struct xml_gen     g;

	xml_gen_init(&g, buf, size, "state");
	if (cfg->version)
		xml_gen_attr(&g, "version", cfg->version);
	if (cfg->report.init_ram) {
		xml_gen_node_open(&g, "ram");
		ram_node(&g, m->env->pd);
		xml_gen_node_close(&g);
	}

	/* in config order, children that could not be created included */
	const init_child *c = m->children;
	for (unsigned i = 0; i < cfg->num_starts; i++) {
		if (c && c->idx == i) {
			child_node(m, &g, c);
			c = c->next;
		} else if (m->incomplete && m->incomplete[i]) {
			xml_gen_node_open(&g, "child");
			xml_gen_attr(&g, "name", cfg->starts[i].name);
			xml_gen_attr(&g, "binary", cfg->starts[i].binary);
			xml_gen_attr(&g, "state", "incomplete");
			xml_gen_node_close(&g);
		}
	}
	if (xml_gen_finish(&g) != XML_GEN_OK)
		return 0;
	return xml_gen_used(&g);
}
