/* parent.c - the parent interface core offers its only child, init */

#include "core.h"

#include <base/log.h>
#include <base/parent.h>
#include <util/args.h>

#include <stdio.h>
#include <string.h>

struct core_child {
	cairn_rpc_obj   obj;
	struct core_pd *pd;
};

/* core's policy: init's labels get the prefix "init" (16.08 rule for empty labels) */
static int rewrite_args(struct core_pd *pd, const char *args, char *out, size_t size)
{
	char label[160], prefixed[170];
	snprintf(out, size, "%s", args);
	(void)args_string(args, "label", label, sizeof(label), "");
	if (label[0]) snprintf(prefixed, sizeof(prefixed), "%s -> %s", pd->label, label);
	else          snprintf(prefixed, sizeof(prefixed), "%s", pd->label);
	return args_set_string(out, size, "label", prefixed) == ARGS_OK ? CAIRN_OK : CAIRN_ERR_UNAVAILABLE;
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct core_child *c = obj->data;
	char service[CAIRN_SERVICE_NAME_MAX], args[CAIRN_ARGS_MAX], rargs[CAIRN_ARGS_MAX + 200];
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_PARENT_SESSION: {
		cairn_cap cap;
		if (!cairn_msg_get_str(req, service, sizeof(service)) || !cairn_msg_get_str(req, args, sizeof(args))) {
			r = CAIRN_ERR_UNAVAILABLE;
			break;
		}
		r = rewrite_args(c->pd, args, rargs, sizeof(rargs));
		if (r == CAIRN_OK) r = core_session(c->pd, service, rargs, &cap);
		if (r == CAIRN_OK) cairn_msg_put_cap(reply, cap);
		else if (r != CAIRN_ERR_QUOTA && r != CAIRN_ERR_UNAVAILABLE) r = CAIRN_ERR_DENIED;
		break;
	}
	case CAIRN_PARENT_UPGRADE: {
		cairn_cap cap = cairn_msg_get_cap(req);
		if (!cairn_msg_get_str(req, args, sizeof(args))) r = CAIRN_ERR_UNAVAILABLE;
		else r = core_session_upgrade(c->pd, cap, args_size(args, "ram_quota", 0));
		cairn_cap_release(cap);
		break;
	}
	case CAIRN_PARENT_CLOSE: {
		cairn_cap cap = cairn_msg_get_cap(req);
		r = core_session_close(c->pd, cap);
		cairn_cap_release(cap);
		break;
	}
	case CAIRN_PARENT_EXIT: {
		int64_t v = cairn_msg_get_i64(req);
		cairn_log("child \"%s\" exited with exit value %lld", c->pd->label, (long long)v);
		break;
	}
	case CAIRN_PARENT_ANNOUNCE:
		/* core has no use for services of init (the entrypoint drops the root) */
		break;
	case CAIRN_PARENT_RESOURCE_REQUEST:
		if (cairn_msg_get_str(req, args, sizeof(args)))
			cairn_warning("%s requests resources: %s, core has none to spare", c->pd->label, args);
		r = CAIRN_ERR_QUOTA;
		break;
	case CAIRN_PARENT_RESOURCE_AVAIL_SIGH:
	case CAIRN_PARENT_YIELD_SIGH:
		break;
	case CAIRN_PARENT_YIELD_REQUEST:
		cairn_msg_put_str(reply, "");
		break;
	case CAIRN_PARENT_YIELD_RESPONSE:
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

cairn_cap core_parent_for(struct core_pd *child)
{
	struct core_child *c = cairn_heap_calloc(core.heap, 1, sizeof(*c));
	if (!c) return CAIRN_CAP_INVALID;
	c->pd  = child;
	c->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = c };
	return cairn_ep_manage(core.ep, &c->obj);
}
