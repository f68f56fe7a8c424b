/* session.c - children's session requests: served locally, forwarded to the parent or a sibling */
#include "init.h"
#include "prio.h"

#include <base/log.h>
#include <base/root.h>
#include <session/pd/pd.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <util/args.h>

/*
 * Quota of a session moves client -> init -> server when it is created or
 * upgraded, and back when it is closed or the operation failed (framework.md
 * 7.4). For a session at init's parent the parent takes it from init.
 */

static int transfer(cairn_cap from, cairn_cap to, size_t amount)
{
	return amount ? cairn_pd_transfer(from, to, amount) : CAIRN_OK;
}

/* client -> init, with the 16.08 warning when the client cannot pay */
static int take_donation(init_main *m, init_child *client, size_t amount)
{
	if (transfer(client->pd, m->env->pd, amount) == CAIRN_OK)
		return CAIRN_OK;
	cairn_warning("not enough quota for a donation of %zu bytes", amount);
	return CAIRN_ERR_QUOTA;
}

/* init -> client; a detached session's quota stays with init */
static void refund(init_main *m, init_session *s, size_t amount)
{
	if (!s->client || transfer(m->env->pd, s->client->pd, amount) == CAIRN_OK)
		return;
	cairn_error("%s: could not return %zu bytes of session quota", s->client->name, amount);
}

/* server child -> init */
static bool reclaim(init_main *m, init_session *s, size_t amount)
{
	if (transfer(s->server->pd, m->env->pd, amount) == CAIRN_OK)
		return true;
	cairn_error("Misbehaving server '%s'!", s->service);
	return false;
}

/* give `amount` of the donation back to where it came from */
static void revert_donation(init_main *m, init_session *s, size_t amount)
{
	if (s->kind == INIT_SESSION_CHILD && !reclaim(m, s, amount))
		return;
	refund(m, s, amount);
}

/* errors a client may see from a session request (framework.md 7.5) */
static int client_error(int rc)
{
	return rc == CAIRN_ERR_QUOTA ? CAIRN_ERR_QUOTA : CAIRN_ERR_DENIED;
}

/* ---- session records ---- */

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
	s->state   = INIT_SESSION_ACTIVE;
	snprintf(s->service, sizeof s->service, "%s", service);
	snprintf(s->args, sizeof s->args, "%s", args);
	snprintf(s->fwd, sizeof s->fwd, "%s", args);
	return s;
}

static void link_session(init_main *m, init_session *s)
{
	s->next = s->client->sessions;
	s->client->sessions = s;
	init_state_changed(m);
}

static void free_session(init_main *m, init_session *s)
{
	init_session **p = s->client ? &s->client->sessions : &m->detached;

	for (; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	if (s->kind != INIT_SESSION_LOCAL && cairn_cap_valid(s->cap))
		cairn_cap_release(s->cap);
	cairn_heap_free(m->env->heap, s);
	init_state_changed(m);
}

static init_session *find_session(init_child *client, cairn_cap cap)
{
	for (init_session *s = client->sessions; s; s = s->next)
		if (cairn_cap_valid(s->cap) && cairn_cap_same(s->cap, cap))
			return s;
	return NULL;
}

/* ---- calls ---- */

static void begin_call(init_session *s, int op, const char *args)
{
	init_call *c = &s->call;

	c->to_parent = s->kind == INIT_SESSION_PARENT;
	c->op        = op;
	c->target    = c->to_parent ? CAIRN_CAP_INVALID
	                            : cairn_cap_ref(s->server->roots[s->service_idx]);
	c->session   = s->cap;
	c->has_token = false;
	c->rc        = CAIRN_OK;
	snprintf(c->service, sizeof c->service, "%s", s->service);
	snprintf(c->args, sizeof c->args, "%s", args ? args : "");
}

/* the client's reply waits for the call */
static int defer_reply(init_session *s, const cairn_reply_token *token)
{
	s->call.has_token = true;
	s->call.token     = token ? *token : cairn_rpc_defer();
	return INIT_SESSION_ASYNC;
}

static void reply(init_main *m, init_call *c, int rc, cairn_cap cap)
{
	if (!c->has_token)
		return;
	c->has_token = false;
	cairn_msg_init(m->msg, rc);
	if (rc == CAIRN_OK)
		cairn_msg_put_cap(m->msg, cap);
	cairn_rpc_reply(c->token, m->msg);
}

/* close s; with `wait`, the client's CLOSE is answered when it is done */
static int start_close(init_main *m, init_session *s, bool wait)
{
	if (s->kind == INIT_SESSION_LOCAL) {
		init_local_destroy(m, s->local);
		refund(m, s, s->donated);
		free_session(m, s);
		return CAIRN_OK;
	}
	if (s->orphaned) {
		free_session(m, s);
		return CAIRN_OK;
	}
	s->state = INIT_SESSION_CLOSING;
	begin_call(s, CAIRN_ROOT_CLOSE, NULL);
	int rc = wait ? defer_reply(s, NULL) : CAIRN_OK;
	init_call_start(m, &s->call);
	return rc;
}

static void created(init_main *m, init_session *s)
{
	init_call *c = &s->call;

	if (c->rc == CAIRN_OK && !s->orphaned) {
		s->cap   = c->result;
		s->state = INIT_SESSION_ACTIVE;
		if (s->client)
			reply(m, c, CAIRN_OK, s->cap);
		else
			start_close(m, s, false);  /* the client vanished meanwhile */
		return;
	}
	if (c->rc == CAIRN_OK)
		cairn_cap_release(c->result);  /* a session at a server that is gone */
	else if (!s->orphaned)
		revert_donation(m, s, s->donated);
	reply(m, c, c->rc == CAIRN_OK ? CAIRN_ERR_DENIED : client_error(c->rc), CAIRN_CAP_INVALID);
	free_session(m, s);
}

static void upgraded(init_main *m, init_session *s)
{
	init_call *c      = &s->call;
	size_t     amount = s->upgrade;
	int        rc     = c->rc;

	s->state   = INIT_SESSION_ACTIVE;
	s->upgrade = 0;
	if (s->orphaned) {
		rc = CAIRN_ERR_DENIED;  /* the donation went back with the server's end */
	} else if (rc != CAIRN_OK) {
		s->donated -= amount;
		revert_donation(m, s, amount);
	}
	reply(m, c, rc == CAIRN_OK ? CAIRN_OK : client_error(rc), CAIRN_CAP_INVALID);
	if (!s->client || s->close_requested)
		start_close(m, s, false);
}

static void closed(init_main *m, init_session *s)
{
	if (!s->orphaned)
		revert_donation(m, s, s->donated);
	reply(m, &s->call, CAIRN_OK, CAIRN_CAP_INVALID);
	free_session(m, s);
}

void init_session_call_done(init_main *m, init_call *c)
{
	init_session *s = (init_session *)((char *)c - offsetof(init_session, call));

	if (cairn_cap_valid(c->target)) {
		cairn_cap_release(c->target);
		c->target = CAIRN_CAP_INVALID;
	}
	switch (s->state) {
	case INIT_SESSION_CREATING:  created(m, s);  break;
	case INIT_SESSION_UPGRADING: upgraded(m, s); break;
	case INIT_SESSION_CLOSING:   closed(m, s);   break;
	case INIT_SESSION_ACTIVE:    break;
	}
	init_state_changed(m);
}

/* ---- creation ---- */

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
                         const char *args, const char *label, bool binary, cairn_cap *cap)
{
	size_t        donation = args_size(args, "ram_quota", 0);
	init_session *s = new_session(m, client, service, args, donation);
	init_local   *l;

	if (!s)
		return CAIRN_ERR_QUOTA;
	if (args_set_string(s->fwd, sizeof s->fwd, "label", label) != ARGS_OK)
		s->fwd[0] = 0;

	int rc = take_donation(m, client, donation);
	if (rc == CAIRN_OK) {
		rc = init_local_rom_create(m, client, binary, &l);
		if (rc != CAIRN_OK)
			refund(m, s, donation);
	}
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return client_error(rc);
	}
	s->kind  = INIT_SESSION_LOCAL;
	s->local = l;
	s->cap   = init_local_cap(l);
	link_session(m, s);
	*cap = s->cap;
	return CAIRN_OK;
}

static int parent_session(init_main *m, init_child *client, const char *service,
                          const char *args, const char *fwd, const cairn_reply_token *token)
{
	size_t        donation = args_size(args, "ram_quota", 0);
	init_session *s = new_session(m, client, service, args, donation);

	if (!s)
		return CAIRN_ERR_QUOTA;

	int rc = take_donation(m, client, donation);
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return rc;
	}
	s->kind  = INIT_SESSION_PARENT;
	s->state = INIT_SESSION_CREATING;
	snprintf(s->fwd, sizeof s->fwd, "%s", fwd);
	link_session(m, s);
	begin_call(s, CAIRN_ROOT_SESSION, fwd);
	rc = defer_reply(s, token);
	init_call_start(m, &s->call);
	return rc;
}

static int child_session(init_main *m, init_child *client, init_child *server,
                         const char *service, const char *args, const char *fwd,
                         const cairn_reply_token *token)
{
	int idx = init_start_service_index(server->start, service);

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
	if (rc == CAIRN_OK) {
		rc = transfer(m->env->pd, server->pd, donation);
		if (rc != CAIRN_OK)
			refund(m, s, donation);
	}
	if (rc != CAIRN_OK) {
		cairn_heap_free(m->env->heap, s);
		return rc == CAIRN_ERR_QUOTA ? rc : client_error(rc);
	}
	s->kind        = INIT_SESSION_CHILD;
	s->state       = INIT_SESSION_CREATING;
	s->server      = server;
	s->service_idx = (unsigned)idx;
	snprintf(s->fwd, sizeof s->fwd, "%s", fwd);
	link_session(m, s);
	begin_call(s, CAIRN_ROOT_SESSION, fwd);
	rc = defer_reply(s, token);
	init_call_start(m, &s->call);
	return rc;
}

int init_session_request(init_main *m, init_child *client, const char *service,
                         const char *args, const cairn_reply_token *token, cairn_cap *cap)
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
		return local_session(m, client, service, args, label, false, cap);
	case INIT_REQ_BINARY:
		return local_session(m, client, service, args, label, true, cap);
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

	/* a target's label="L" makes the server see exactly L (17.02) */
	if (forwarded_args(m, client, service, args, r.label ? r.label : label, fwd) != CAIRN_OK) {
		cairn_warning("%s: arguments of \"%s\" session request too long", client->name, service);
		return CAIRN_ERR_DENIED;
	}

	if (r.kind == INIT_ROUTE_PARENT)
		return parent_session(m, client, service, args, fwd, token);

	init_child *server = init_child_by_idx(m, r.server);
	if (!server && m->deferred && m->deferred[r.server])
		return INIT_SESSION_BLOCK;  /* created soon (init_create_next) */
	if (!server)
		return CAIRN_ERR_DENIED;
	return child_session(m, client, server, service, args, fwd, token);
}

/* ---- upgrade, close ---- */

int init_session_upgrade(init_main *m, init_child *client, cairn_cap cap, const char *args)
{
	init_session *s      = find_session(client, cap);
	size_t        amount = args_size(args, "ram_quota", 0);
	char          up[40];

	if (!s || amount == 0)
		return CAIRN_OK;  /* env sessions are not ours to upgrade */
	if (s->orphaned || s->state != INIT_SESSION_ACTIVE)
		return CAIRN_ERR_DENIED;

	int rc = take_donation(m, client, amount);
	if (rc != CAIRN_OK)
		return rc;

	if (s->kind == INIT_SESSION_LOCAL) {
		s->donated += amount;  /* init keeps it until the session is closed */
		return CAIRN_OK;
	}
	if (s->kind == INIT_SESSION_CHILD
	    && transfer(m->env->pd, s->server->pd, amount) != CAIRN_OK) {
		refund(m, s, amount);
		return CAIRN_ERR_QUOTA;
	}
	s->donated += amount;
	s->upgrade  = amount;
	s->state    = INIT_SESSION_UPGRADING;
	snprintf(up, sizeof up, "ram_quota=%zu", amount);
	begin_call(s, CAIRN_ROOT_UPGRADE, up);
	rc = defer_reply(s, NULL);
	init_call_start(m, &s->call);
	return rc;
}

int init_session_close(init_main *m, init_child *client, cairn_cap cap)
{
	init_session *s = find_session(client, cap);

	if (!s)
		return CAIRN_OK;  /* closing env sessions is ignored */
	if (s->state != INIT_SESSION_ACTIVE) {
		s->close_requested = true;  /* after the call in flight */
		return CAIRN_OK;
	}
	return start_close(m, s, true);
}

/* ---- vanishing clients and servers ---- */

void init_sessions_detach(init_main *m, init_child *client)
{
	while (client->sessions) {
		init_session *s = client->sessions;

		client->sessions = s->next;
		s->client        = NULL;
		s->call.has_token = false;
		s->next          = m->detached;
		m->detached      = s;
		if (s->state == INIT_SESSION_ACTIVE)
			start_close(m, s, false);
	}
}

static void orphan_list(init_main *m, init_session *list, init_child *server)
{
	for (init_session *s = list; s; s = s->next) {
		if (s->kind != INIT_SESSION_CHILD || s->server != server || s->orphaned)
			continue;
		revert_donation(m, s, s->donated);
		s->donated  = 0;
		s->upgrade  = 0;
		s->orphaned = true;

		/*
		 * A call in flight ends with an error when the server is gone,
		 * but its client need not wait for that: answer it now (a
		 * close counts as done). The completion finds no one to answer.
		 */
		reply(m, &s->call, s->state == INIT_SESSION_CLOSING ? CAIRN_OK : CAIRN_ERR_DENIED,
		      CAIRN_CAP_INVALID);
	}
	init_state_changed(m);
}

void init_sessions_orphan(init_main *m, init_child *server)
{
	for (init_child *c = m->children; c; c = c->next)
		orphan_list(m, c->sessions, server);
	orphan_list(m, m->detached, server);
}

/* ---- requests waiting for an announcement ---- */

void init_pending_add(init_main *m, init_child *client, const char *service,
                      const char *args, cairn_reply_token token)
{
	init_pending  *p    = cairn_heap_calloc(m->env->heap, 1, sizeof *p);
	init_pending **tail = &m->pending;

	if (!p) {
		cairn_msg_init(m->msg, CAIRN_ERR_DENIED);
		cairn_rpc_reply(token, m->msg);
		return;
	}
	p->client = client;
	p->token  = token;
	snprintf(p->service, sizeof p->service, "%s", service);
	snprintf(p->args, sizeof p->args, "%s", args);
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	init_state_changed(m);
}

static void answer(init_main *m, init_pending *p, int rc, cairn_cap cap)
{
	cairn_msg_init(m->msg, rc);
	if (rc == CAIRN_OK)
		cairn_msg_put_cap(m->msg, cap);
	cairn_rpc_reply(p->token, m->msg);
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

		list    = p->next;
		p->next = NULL;

		int rc = init_session_request(m, p->client, p->service, p->args, &p->token, &cap);
		if (rc == INIT_SESSION_BLOCK) {
			*tail = p;
			tail  = &p->next;
			continue;
		}
		if (rc != INIT_SESSION_ASYNC)
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
