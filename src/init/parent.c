/* parent.c - the parent interface init serves to each of its children */
#include "init.h"

#include <base/log.h>
#include <session/pd/pd.h>

#include <stdio.h>

#include <util/args.h>

static void handle_exit(init_main *m, init_child *c, int value)
{
	if (c->exit_called)
		return;
	c->exit_called = true;
	c->exit_value  = value;
	init_state_changed(m);

	if (c->start->exit_propagate) {
		cairn_parent_exit(m->env->parent, value);
		return;
	}
	cairn_log("child \"%s\" exited with exit value %d", c->name, value);
}

static int handle_announce(init_main *m, init_child *c, const char *service, cairn_cap root)
{
	int i = init_start_service_index(c->start, service);

	if (i < 0) {
		cairn_error("%s: illegal announcement of service \"%s\"", c->name, service);
		cairn_cap_release(root);
		return CAIRN_ERR_DENIED;
	}
	if (cairn_cap_valid(c->roots[i]))
		cairn_cap_release(c->roots[i]);
	c->roots[i] = root;
	if (m->config->verbose)
		cairn_log("child \"%s\" announces service \"%s\"", c->name, service);
	init_state_changed(m);

	/* answered after this reply: the server's entrypoint must be free for it */
	init_pending_kick(m);
	return CAIRN_OK;
}

/*
 * Answered right away from init's spare RAM (16.08), within the child's
 * configured limit (<resource name="RAM" limit>, beyond 16.08): CAIRN_OK
 * when granted, CAIRN_ERR_QUOTA when refused, so that the child need not
 * wait for a signal that never comes. A child that is asked to yield gets
 * nothing.
 */
static int handle_resource_request(init_main *m, init_child *c, const char *args)
{
	size_t amount = args_size(args, "ram_quota", 0);
	size_t limit  = c->start->ram_limit;
	char   buf[32];

	cairn_log("child \"%s\" requests resources: %s", c->name, args);
	if (amount == 0)
		return CAIRN_OK;
	if (c->yield_need) {
		cairn_warning("%s: resource request refused while it is asked to yield", c->name);
		c->requested = amount;
		init_state_changed(m);
		return CAIRN_ERR_QUOTA;
	}
	if (limit && (c->assigned >= limit || amount > limit - c->assigned)) {
		cairn_warning("%s: resource request exceeds its RAM limit of %s", c->name,
		              init_size_str(limit, buf, sizeof buf));
		c->requested = amount;
		init_state_changed(m);
		return CAIRN_ERR_QUOTA;
	}
	if (init_avail_ram(m) < amount || cairn_pd_transfer(m->env->pd, c->pd, amount) != CAIRN_OK) {
		cairn_warning("cannot respond to resource request - out of memory");
		c->requested = amount;
		init_state_changed(m);
		return CAIRN_ERR_QUOTA;
	}
	c->assigned += amount;
	c->requested = 0;
	init_state_changed(m);
	if (cairn_cap_valid(c->resource_avail_sigh))
		cairn_signal_submit(c->resource_avail_sigh, 1);
	return CAIRN_OK;
}

/* what init wants back from the child (after its quantum was lowered) */
static void yield_request(init_child *c, cairn_msg *reply)
{
	char args[40] = "";

	if (c->yield_need)
		snprintf(args, sizeof args, "ram_quota=%zu", c->yield_need);
	cairn_msg_put_str(reply, args);
}

/* replace a stored signal-context capability */
static void set_sigh(cairn_cap *slot, cairn_cap sigh)
{
	if (cairn_cap_valid(*slot))
		cairn_cap_release(*slot);
	*slot = sigh;
}

static int session(init_main *m, init_child *c, cairn_msg *req, cairn_msg *reply)
{
	char      service[CAIRN_SERVICE_NAME_MAX];
	char      args[CAIRN_ARGS_MAX];
	cairn_cap cap;

	if (!cairn_msg_get_str(req, service, sizeof service)
	    || !cairn_msg_get_str(req, args, sizeof args))
		return CAIRN_ERR_UNAVAILABLE;

	int rc = init_session_request(m, c, service, args, NULL, &cap);
	if (rc == INIT_SESSION_BLOCK) {
		init_pending_add(m, c, service, args, cairn_rpc_defer());
		return CAIRN_RPC_DEFER;
	}
	if (rc == INIT_SESSION_ASYNC)
		return CAIRN_RPC_DEFER;
	if (rc == CAIRN_OK)
		cairn_msg_put_cap(reply, cap);
	return rc;
}

static int dispatch(init_main *m, init_child *c, cairn_msg *req, cairn_msg *reply)
{
	char      args[CAIRN_ARGS_MAX];
	cairn_cap cap;
	int       rc;

	switch (req->code) {
	case CAIRN_PARENT_EXIT: {
		int64_t value = cairn_msg_get_i64(req);
		if (req->err)
			return CAIRN_ERR_MSG;
		handle_exit(m, c, (int)value);
		return CAIRN_OK;
	}
	case CAIRN_PARENT_ANNOUNCE: {
		char service[CAIRN_SERVICE_NAME_MAX];
		if (!cairn_msg_get_str(req, service, sizeof service))
			return CAIRN_ERR_UNAVAILABLE;
		cap = cairn_msg_get_cap(req);
		if (req->err || !cairn_cap_valid(cap))
			return CAIRN_ERR_MSG;
		return handle_announce(m, c, service, cap);
	}
	case CAIRN_PARENT_SESSION:
		return session(m, c, req, reply);
	case CAIRN_PARENT_UPGRADE:
		cap = cairn_msg_get_cap(req);
		if (!cairn_msg_get_str(req, args, sizeof args))
			rc = CAIRN_ERR_UNAVAILABLE;
		else
			rc = init_session_upgrade(m, c, cap, args);
		if (cairn_cap_valid(cap))
			cairn_cap_release(cap);
		return rc;
	case CAIRN_PARENT_CLOSE:
		cap = cairn_msg_get_cap(req);
		rc = req->err ? CAIRN_ERR_MSG : init_session_close(m, c, cap);
		if (cairn_cap_valid(cap))
			cairn_cap_release(cap);
		return rc;
	case CAIRN_PARENT_RESOURCE_AVAIL_SIGH:
		set_sigh(&c->resource_avail_sigh, cairn_msg_get_cap(req));
		return CAIRN_OK;
	case CAIRN_PARENT_RESOURCE_REQUEST:
		if (!cairn_msg_get_str(req, args, sizeof args))
			return CAIRN_ERR_UNAVAILABLE;
		return handle_resource_request(m, c, args);
	case CAIRN_PARENT_YIELD_SIGH:
		set_sigh(&c->yield_sigh, cairn_msg_get_cap(req));
		if (c->yield_need && cairn_cap_valid(c->yield_sigh))
			cairn_signal_submit(c->yield_sigh, 1);
		return CAIRN_OK;
	case CAIRN_PARENT_YIELD_REQUEST:
		yield_request(c, reply);
		return CAIRN_OK;
	case CAIRN_PARENT_YIELD_RESPONSE:
		init_child_withdraw(m, c);
		return CAIRN_OK;
	default:
		return CAIRN_ERR_OPCODE;
	}
}

int init_parent_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	init_child *c  = obj->data;
	int         rc = dispatch(c->main, c, req, reply);

	if (rc == CAIRN_RPC_DEFER || rc == INIT_SESSION_ASYNC)
		return CAIRN_RPC_DEFER;
	reply->code = rc;
	return CAIRN_RPC_REPLY;
}
