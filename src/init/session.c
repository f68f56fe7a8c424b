/* session.c - children's session requests: served locally, forwarded to the parent or a sibling */
#include "init.h"
#include "prio.h"

#include <base/log.h>
#include <base/root.h>
#include <session/pd/pd.h>

#include <stdio.h>
#include <string.h>

#include <util/args.h>

static int transfer(cairn_cap from, cairn_cap to, size_t amount)
{
	return amount ? cairn_pd_transfer(from, to, amount) : CAIRN_OK;
}

/* move a donation from the client to init, logging the 16.08 warning */
static int take_donation(init_main *m, init_child *client, size_t amount)
{
	if (transfer(client->pd, m->env->pd, amount) == CAIRN_OK)
		return CAIRN_OK;
	cairn_warning("not enough quota for a donation of %zu bytes", amount);
	return CAIRN_ERR_QUOTA;
}

static void give_back(init_main *m, init_child *client, size_t amount)
{
	if (transfer(m->env->pd, client->pd, amount) != CAIRN_OK)
		cairn_error("%s: could not return %zu bytes of session quota", client->name, amount);
}

/* server -> init -> client; false if the server did not give it back */
static bool return_from_server(init_main *m, init_session *s)
{
	if (transfer(s->server->pd, m->env->pd, s->donated) != CAIRN_OK) {
		cairn_error("Misbehaving server '%s'!", s->service);
		return false;
	}
	give_back(m, s->client, s->donated);
	return true;
}

/* errors a client may see from a session request (framework.md 7.5) */
static int client_error(int rc)
{
	return rc == CAIRN_ERR_QUOTA ? CAIRN_ERR_QUOTA : CAIRN_ERR_DENIED;
}

static int root_call(init_main *m, cairn_cap root, int op, cairn_cap session,
                     const char *args, cairn_cap *result)
{
	cairn_msg *msg = m->msg;

	cairn_msg_init(msg, op);
	if (op != CAIRN_ROOT_SESSION)
		cairn_msg_put_cap(msg, session);
	if (args)
		cairn_msg_put_str(msg, args);

	int rc = cairn_rpc_call(root, msg, msg);
	if (rc == CAIRN_OK && result) {
		*result = cairn_msg_get_cap(msg);
		if (msg->err || !cairn_cap_valid(*result))
			rc = CAIRN_ERR_DENIED;
	}
	return rc;
}

static init_session *new_session(init_main *m, init_child *client, const char *service,
                                 const char *args, size_t donation)
{
	init_session *s = cairn_heap_calloc(m->env->heap, 1, sizeof *s);
	if (!s) {
		cairn_error("%s: out of memory for session bookkeeping", client->name);
		return NULL;
	}
	s->client  = client;
	s->donated = donation;
	snprintf(s->service, sizeof s->service, "%s", service);
	snprintf(s->args, sizeof s->args, "%s", args);
	return s;
}

static void link_session(init_session *s)
{
	s->next = s->client->sessions;
	s->client->sessions = s;
}

/* args as the server gets them: our label, filtered physical constraints and priority */
static int forwarded_args(init_main *m, init_child *client, const char *service,
                          const char *args, const char *label, char *fwd)
{
	snprintf(fwd, CAIRN_ARGS_MAX, "%s", args);

	if (args_set_string(fwd, CAIRN_ARGS_MAX, "label", label) != ARGS_OK)
		return CAIRN_ERR_DENIED;

	if (!client->start->constrain_phys) {
		args_remove(fwd, CAIRN_ARGS_MAX, "phys_start");
		args_remove(fwd, CAIRN_ARGS_MAX, "phys_size");
	}

	unsigned levels = m->config->prio_levels;
	if (strcmp(service, "CPU") == 0 && levels > 1) {
		bool lost;
		unsigned long prio = init_prio_apply(levels, client->prio_band,
		                                     args_ulong(args, "priority", 0), &lost);
		if (lost)
			cairn_warning("priority band too small, losing least-significant priority bits");
		if (args_set_ulong(fwd, CAIRN_ARGS_MAX, "priority", prio) != ARGS_OK)
			return CAIRN_ERR_DENIED;
	}
	return CAIRN_OK;
}

static int local_session(init_main *m, init_child *client, const char *service,
                         const char *args, bool binary, cairn_cap *cap)
{
	size_t        donation = args_size(args, "ram_quota", 0);
	init_session *s = new_session(m, client, service, args, donation);
	init_local   *l;

	if (!s)
		return CAIRN_ERR_QUOTA;

	int rc = take_donation(m, client, donation);
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return rc;
	}
	rc = init_local_rom_create(m, client, binary, &l);
	if (rc != CAIRN_OK) {
		give_back(m, client, donation);
		cairn_heap_free(m->env->heap, s);
		return client_error(rc);
	}
	s->kind  = INIT_SESSION_LOCAL;
	s->local = l;
	s->cap   = init_local_cap(l);
	link_session(s);
	*cap = s->cap;
	return CAIRN_OK;
}

static int parent_session(init_main *m, init_child *client, const char *service,
                          const char *args, const char *fwd, cairn_cap *cap)
{
	size_t        donation = args_size(args, "ram_quota", 0);
	init_session *s = new_session(m, client, service, args, donation);

	if (!s)
		return CAIRN_ERR_QUOTA;

	int rc = take_donation(m, client, donation);
	if (rc == CAIRN_OK) {
		rc = cairn_parent_session(m->env->parent, service, fwd, &s->cap);
		if (rc != CAIRN_OK)
			give_back(m, client, donation);
	}
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return client_error(rc);
	}
	s->kind = INIT_SESSION_PARENT;
	link_session(s);
	*cap = s->cap;
	return CAIRN_OK;
}

static int provides_index(const init_start *s, const char *service)
{
	for (unsigned i = 0; i < s->num_provides; i++)
		if (strcmp(s->provides[i], service) == 0)
			return (int)i;
	return -1;
}

static int child_session(init_main *m, init_child *client, init_child *server,
                         const char *service, const char *args, const char *fwd,
                         cairn_cap *cap)
{
	int idx = provides_index(server->start, service);

	if (idx < 0)
		return CAIRN_ERR_DENIED;
	if (server->gone) {
		cairn_warning("%s: server \"%s\" of service \"%s\" is gone", client->name,
		              server->name, service);
		return CAIRN_ERR_DENIED;
	}
	if (server == client) {
		/* it is blocked in this very request and could not answer */
		cairn_warning("%s: request for its own service \"%s\" denied", client->name, service);
		return CAIRN_ERR_DENIED;
	}
	if (!cairn_cap_valid(server->roots[idx]))
		return INIT_SESSION_BLOCK;

	size_t        donation = args_size(args, "ram_quota", 0);
	init_session *s = new_session(m, client, service, args, donation);

	if (!s)
		return CAIRN_ERR_QUOTA;

	int rc = take_donation(m, client, donation);
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return rc;
	}
	rc = transfer(m->env->pd, server->pd, donation);
	if (rc != CAIRN_OK) {
		give_back(m, client, donation);
		cairn_heap_free(m->env->heap, s);
		return client_error(rc);
	}

	rc = root_call(m, server->roots[idx], CAIRN_ROOT_SESSION, CAIRN_CAP_INVALID, fwd, &s->cap);
	s->kind        = INIT_SESSION_CHILD;
	s->server      = server;
	s->service_idx = (unsigned)idx;
	if (rc != CAIRN_OK) {
		return_from_server(m, s);
		cairn_heap_free(m->env->heap, s);
		return client_error(rc);
	}
	link_session(s);
	*cap = s->cap;
	return CAIRN_OK;
}

int init_session_request(init_main *m, init_child *client, const char *service,
                         const char *args, cairn_cap *cap)
{
	char label[INIT_LABEL_MAX];
	char fwd[CAIRN_ARGS_MAX];

	*cap = CAIRN_CAP_INVALID;
	if (!service[0])
		return CAIRN_ERR_UNAVAILABLE;
	if (client->gone)
		return CAIRN_ERR_DENIED;

	switch (init_request_label(client->start, service, args, label)) {
	case INIT_REQ_ROUTE:
		break;
	case INIT_REQ_CONFIG:
		return local_session(m, client, service, args, false, cap);
	case INIT_REQ_BINARY:
		return local_session(m, client, service, args, true, cap);
	case INIT_REQ_NO_CONFIG:
		cairn_warning("%s: no configuration for ROM request \"config\"", client->name);
		return CAIRN_ERR_DENIED;
	case INIT_REQ_BAD_LABEL:
		cairn_warning("%s: label of \"%s\" session request too long", client->name, service);
		return CAIRN_ERR_DENIED;
	}

	init_route_result r;
	init_route(m->config, m->present, client->idx, service, label, &r);
	if (r.kind == INIT_ROUTE_DENIED) {
		init_log_diag(m, r.level, r.msg);
		return CAIRN_ERR_DENIED;
	}

	if (forwarded_args(m, client, service, args, label, fwd) != CAIRN_OK) {
		cairn_warning("%s: arguments of \"%s\" session request too long", client->name, service);
		return CAIRN_ERR_DENIED;
	}

	if (r.kind == INIT_ROUTE_PARENT)
		return parent_session(m, client, service, args, fwd, cap);

	init_child *server = init_child_by_idx(m, r.server);
	if (!server)
		return CAIRN_ERR_DENIED;
	return child_session(m, client, server, service, args, fwd, cap);
}

static init_session *find_session(init_child *client, cairn_cap cap)
{
	for (init_session *s = client->sessions; s; s = s->next)
		if (cairn_cap_same(s->cap, cap))
			return s;
	return NULL;
}

int init_session_upgrade(init_main *m, init_child *client, cairn_cap cap, const char *args)
{
	init_session *s      = find_session(client, cap);
	size_t        amount = args_size(args, "ram_quota", 0);
	char          up[64];
	int           rc     = CAIRN_OK;

	if (!s || amount == 0)
		return CAIRN_OK;  /* env sessions are not ours to upgrade */
	if (s->orphaned)
		return CAIRN_ERR_DENIED;

	rc = take_donation(m, client, amount);
	if (rc != CAIRN_OK)
		return rc;

	snprintf(up, sizeof up, "ram_quota=%zu", amount);
	switch (s->kind) {
	case INIT_SESSION_PARENT:
		rc = cairn_parent_upgrade(m->env->parent, s->cap, up);
		if (rc != CAIRN_OK)
			give_back(m, client, amount);
		break;
	case INIT_SESSION_CHILD:
		rc = transfer(m->env->pd, s->server->pd, amount);
		if (rc == CAIRN_OK) {
			rc = root_call(m, s->server->roots[s->service_idx], CAIRN_ROOT_UPGRADE,
			               s->cap, up, NULL);
			if (rc != CAIRN_OK && transfer(s->server->pd, m->env->pd, amount) != CAIRN_OK) {
				cairn_error("Misbehaving server '%s'!", s->service);
				break;
			}
		}
		if (rc != CAIRN_OK)
			give_back(m, client, amount);
		break;
	case INIT_SESSION_LOCAL:
		break;  /* init keeps it until the session is closed */
	}
	if (rc == CAIRN_OK)
		s->donated += amount;
	return rc == CAIRN_OK ? CAIRN_OK : client_error(rc);
}

static void unlink_session(init_session *s)
{
	for (init_session **p = &s->client->sessions; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			return;
		}
	}
}

void init_session_destroy(init_main *m, init_session *s)
{
	unlink_session(s);

	switch (s->kind) {
	case INIT_SESSION_PARENT:
		cairn_parent_close(m->env->parent, s->cap);
		give_back(m, s->client, s->donated);
		cairn_cap_release(s->cap);
		break;
	case INIT_SESSION_CHILD:
		if (!s->orphaned) {
			cairn_cap root = s->server->roots[s->service_idx];
			if (cairn_cap_valid(root) && !s->server->gone)
				(void)root_call(m, root, CAIRN_ROOT_CLOSE, s->cap, NULL, NULL);
			return_from_server(m, s);
		}
		cairn_cap_release(s->cap);
		break;
	case INIT_SESSION_LOCAL:
		init_local_destroy(m, s->local);
		give_back(m, s->client, s->donated);
		break;
	}
	cairn_heap_free(m->env->heap, s);
}

int init_session_close(init_main *m, init_child *client, cairn_cap cap)
{
	init_session *s = find_session(client, cap);

	if (s)
		init_session_destroy(m, s);
	return CAIRN_OK;
}

void init_sessions_orphan(init_main *m, init_child *server)
{
	for (init_child *c = m->children; c; c = c->next) {
		if (c == server)
			continue;
		for (init_session *s = c->sessions; s; s = s->next) {
			if (s->kind != INIT_SESSION_CHILD || s->server != server || s->orphaned)
				continue;
			return_from_server(m, s);
			s->orphaned = true;
		}
	}
}

/* ---- requests waiting for an announcement ---- */

void init_pending_add(init_main *m, init_child *client, const char *service,
                      const char *args, cairn_reply_token token)
{
	init_pending *p = cairn_heap_calloc(m->env->heap, 1, sizeof *p);
	init_pending **tail = &m->pending;

	if (!p) {
		cairn_msg *msg = m->msg;
		cairn_msg_init(msg, CAIRN_ERR_DENIED);
		cairn_rpc_reply(token, msg);
		return;
	}
	p->client = client;
	p->token  = token;
	snprintf(p->service, sizeof p->service, "%s", service);
	snprintf(p->args, sizeof p->args, "%s", args);
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
}

static void answer(init_main *m, init_pending *p, int rc, cairn_cap cap)
{
	cairn_msg *msg = m->msg;

	cairn_msg_init(msg, rc);
	if (rc == CAIRN_OK)
		cairn_msg_put_cap(msg, cap);
	cairn_rpc_reply(p->token, msg);
}

void init_pending_kick(init_main *m)
{
	if (m->pending)
		cairn_signal_submit(m->kick_sigh.obj.cap, 1);
}

void init_pending_retry(init_main *m)
{
	init_pending *list = m->pending, *blocked = NULL, **tail = &blocked;

	m->pending = NULL;
	while (list) {
		init_pending *p = list;
		cairn_cap     cap;

		list = p->next;
		p->next = NULL;

		int rc = init_session_request(m, p->client, p->service, p->args, &cap);
		if (rc == INIT_SESSION_BLOCK) {
			*tail = p;
			tail  = &p->next;
			continue;
		}
		answer(m, p, rc, cap);
		cairn_heap_free(m->env->heap, p);
	}
	*tail = m->pending;
	m->pending = blocked;
}

void init_pending_drop(init_main *m, init_child *client)
{
	for (init_pending **p = &m->pending; *p;) {
		init_pending *q = *p;
		if (q->client != client) {
			p = &q->next;
			continue;
		}
		*p = q->next;
		answer(m, q, CAIRN_ERR_DENIED, CAIRN_CAP_INVALID);
		cairn_heap_free(m->env->heap, q);
	}
}
