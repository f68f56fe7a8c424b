/* route.c - session routing by first-match route tables (init.md 4.2), free of I/O */
#include "route.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


#include <util/policy.h>

enum { SEP_LEN = sizeof(LABEL_SEPARATOR) - 1 };

static void deny(init_route_result *r, init_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void deny(init_route_result *r, init_diag_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
	r->kind  = INIT_ROUTE_DENIED;
	r->level = level;
}

const char *init_scoped_label(const char *name, const char *label)
{
	size_t n = strlen(name);

	if (strncmp(label, name, n) != 0)
		return label;
	if (label[n] == '\0')
		return label + n;
	if (strncmp(label + n, LABEL_SEPARATOR, SEP_LEN) == 0)
		return label + n + SEP_LEN;
	return label;
}

bool init_entry_label_matches(const init_route_entry *e, const char *scoped_label)
{
	return policy_node_matches(&e->node, str_z(scoped_label));
}

/* outcome of one target of a matching entry */
typedef enum { TARGET_ROUTED, TARGET_NEXT, TARGET_DENIED } target_result;

static target_result try_parent(const init_config *c, const init_route_entry *e,
                                const char *client, const char *service,
                                init_route_result *r)
{
	if (init_config_parent_provides(c, service)) {
		r->kind = INIT_ROUTE_PARENT;
		return TARGET_ROUTED;
	}
	if (e->any_service)
		return TARGET_NEXT;
	deny(r, INIT_DIAG_WARNING, "%s: service lookup for \"%s\" at parent failed",
	     client, service);
	return TARGET_DENIED;
}

static target_result try_child(const init_config *c, const bool *present,
                               const init_route_entry *e, const init_target *t,
                               const char *client, const char *service,
                               init_route_result *r)
{
	const char *name = init_config_deref_alias(c, t->name);
	int idx = init_config_start_index(c, name);

	if (idx < 0 || !present[idx]) {
		deny(r, INIT_DIAG_WARNING, "%s: invalid route to non-existing server \"%s\"",
		     client, name);
		return TARGET_DENIED;
	}
	if (init_start_provides(&c->starts[idx], service)) {
		r->kind   = INIT_ROUTE_CHILD;
		r->server = (unsigned)idx;
		return TARGET_ROUTED;
	}
	if (e->any_service)
		return TARGET_NEXT;
	deny(r, INIT_DIAG_WARNING, "%s: lookup to child service \"%s\" failed", client, service);
	return TARGET_DENIED;
}

static target_result try_any_child(const init_config *c, const bool *present,
                                   const init_route_entry *e, const char *client,
                                   const char *service, init_route_result *r)
{
	unsigned found = 0, first = 0;

	for (unsigned i = 0; i < c->num_starts; i++) {
		if (!present[i] || !init_start_provides(&c->starts[i], service))
			continue;
		if (found++ == 0)
			first = i;
	}
	if (found == 1) {
		r->kind   = INIT_ROUTE_CHILD;
		r->server = first;
		return TARGET_ROUTED;
	}
	if (found > 1) {
		/* name every provider so that the config can be fixed */
		char   who[160] = "";
		size_t used = 0;
		for (unsigned i = 0; i < c->num_starts && used < sizeof who; i++) {
			if (!present[i] || !init_start_provides(&c->starts[i], service))
				continue;
			int n = snprintf(who + used, sizeof who - used, "%s\"%s\"",
			                 used ? ", " : "", c->starts[i].name);
			if (n < 0)
				break;
			used += (size_t)n;
		}
		deny(r, INIT_DIAG_ERROR, "%s: ambiguous routes to service \"%s\" (provided by %s)",
		     client, service, who);
		return TARGET_DENIED;
	}
	if (e->any_service)
		return TARGET_NEXT;
	deny(r, INIT_DIAG_WARNING, "%s: lookup for service \"%s\" failed", client, service);
	return TARGET_DENIED;
}

static bool entry_matches(const init_route_entry *e, const char *service,
                          const char *scoped_label)
{
	if (!e->any_service && strcmp(e->service, service) != 0)
		return false;
	return init_entry_label_matches(e, scoped_label);
}

void init_route(const init_config *c, const bool *present, unsigned client,
                const char *service, const char *label, init_route_result *r)
{
	const char             *name   = c->starts[client].name;
	const char             *scoped = init_scoped_label(name, label);
	const init_route_table *table  = init_config_route_table(c, client);

	memset(r, 0, sizeof *r);
	r->kind = INIT_ROUTE_DENIED;

	for (unsigned i = 0; i < table->num; i++) {
		const init_route_entry *e = &table->entries[i];

		if (!entry_matches(e, service, scoped))
			continue;

		for (unsigned j = 0; j < e->num_targets; j++) {
			const init_target *t = &e->targets[j];
			target_result res = TARGET_NEXT;

			switch (t->type) {
			case INIT_TARGET_PARENT:
				res = try_parent(c, e, name, service, r);
				break;
			case INIT_TARGET_CHILD:
				res = try_child(c, present, e, t, name, service, r);
				break;
			case INIT_TARGET_ANY_CHILD:
				res = try_any_child(c, present, e, name, service, r);
				break;
			}
			if (res == TARGET_ROUTED)
				r->label = t->label;
			if (res != TARGET_NEXT)
				return;
		}

		/* an explicit <service> entry never falls through */
		if (!e->any_service)
			break;
	}
	deny(r, INIT_DIAG_WARNING, "%s: no route to service \"%s\"", name, service);
}

const char *init_label_last_element(const char *label)
{
	return label_last_element(str_z(label)).ptr;
}

init_request_kind init_request_label(const init_start *s, const char *service,
                                     const char *args, char *label)
{
	char client[INIT_LABEL_MAX];

	if (label_from_args(args, client, sizeof client) != LABEL_OK
	    || label_prefixed(label, INIT_LABEL_MAX, str_z(s->name), str_z(client)) != LABEL_OK)
		return INIT_REQ_BAD_LABEL;

	if (strcmp(service, "ROM") != 0)
		return INIT_REQ_ROUTE;

	char *last = label + (init_label_last_element(label) - label);
	if (strcmp(last, "binary") == 0)
		return INIT_REQ_BINARY;
	if (strcmp(last, "config") != 0)
		return INIT_REQ_ROUTE;
	if (!s->configfile)
		return s->config ? INIT_REQ_CONFIG : INIT_REQ_NO_CONFIG;

	/* <configfile name="R"/>: `... -> config` becomes `... -> R` and is routed */
	size_t room = INIT_LABEL_MAX - (size_t)(last - label);
	if (strlen(s->configfile) >= room)
		return INIT_REQ_BAD_LABEL;
	memcpy(last, s->configfile, strlen(s->configfile) + 1);
	return INIT_REQ_ROUTE;
}
