/* main.c - rom_fallback: a ROM request tries a list of routes, the first session that opens wins */

#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <rom/config.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/label.h>

#include <stdio.h>
#include <string.h>

/*
 * For a request labelled L, every <fallback label="P"/> of the config is
 * tried in order: a ROM session at our parent labelled "P -> L" (just L
 * if P is empty or absent), which the parent routes by that label. The
 * first session that opens is handed to the client as it is: rom_fallback
 * is not in the way of the session's calls, it only remembers the
 * capability to close it. The client's donation travels with the request.
 *
 * This root is written out instead of using the root helper, because the
 * sessions it returns are not its own objects.
 */
struct forwarded {
	cairn_cap         cap;
	struct forwarded *next;
};

static cairn_env        *env;
static cairn_config      config;
static cairn_rpc_obj     root;
static struct forwarded *sessions;

static int try_route(const char *args, const char *label, cairn_cap *cap)
{
	char fwd[CAIRN_ARGS_MAX];
	if (str_copy(fwd, sizeof(fwd), str_z(args)) >= sizeof(fwd)
	 || args_set_string(fwd, sizeof(fwd), "label", label) != ARGS_OK) {
		cairn_warning("'%s' does not fit a session request", label);
		return CAIRN_ERR_UNAVAILABLE;
	}
	int err = cairn_parent_session(env->parent, "ROM", fwd, cap);
	switch (err) {
	case CAIRN_OK:               break;
	case CAIRN_ERR_DENIED:       cairn_warning("'%s' was denied", label); break;
	case CAIRN_ERR_UNAVAILABLE:  cairn_warning("'%s' is unavailable", label); break;
	case CAIRN_ERR_QUOTA:        cairn_warning("'%s' needs more quota", label); break;
	default:                     cairn_warning("'%s' failed (%s)", label, cairn_err_str(err));
	}
	return err;
}

static int session(const char *args, cairn_msg *reply)
{
	char label[LABEL_MAX + 1], tried[LABEL_MAX + 1], prefix[LABEL_MAX + 1];
	struct xml_node cfg, fb;
	struct xml_iter it;
	cairn_cap cap;

	if (label_from_args(args, label, sizeof(label)) != LABEL_OK)
		return CAIRN_ERR_UNAVAILABLE;
	struct forwarded *f = cairn_heap_calloc(env->heap, 1, sizeof(*f));
	if (!f) return CAIRN_ERR_QUOTA;

	(void)cairn_config_xml(&config, &cfg);
	xml_iter_init(&it, &cfg, "fallback");
	while (xml_iter_next(&it, &fb)) {
		(void)xml_attr_string(&fb, "label", prefix, sizeof(prefix), "");
		if (label_prefixed(tried, sizeof(tried), str_z(prefix), str_z(label)) != LABEL_OK) {
			cairn_warning("'%s -> %s' is too long", prefix, label);
			continue;
		}
		if (try_route(args, tried, &cap) != CAIRN_OK) continue;
		f->cap   = cap;
		f->next  = sessions;
		sessions = f;
		cairn_msg_put_cap(reply, cap);
		return CAIRN_OK;
	}
	cairn_heap_free(env->heap, f);
	cairn_error("no service found for ROM '%s'", label);
	return CAIRN_ERR_DENIED;
}

static struct forwarded **lookup(cairn_cap cap)
{
	for (struct forwarded **p = &sessions; *p; p = &(*p)->next)
		if (cairn_cap_same((*p)->cap, cap)) return p;
	return 0;
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	char args[CAIRN_ARGS_MAX + 200];
	int r = CAIRN_OK;

	switch (req->code) {
	case CAIRN_ROOT_SESSION:
		r = cairn_msg_get_str(req, args, sizeof(args)) ? session(args, reply)
		                                                 : CAIRN_ERR_UNAVAILABLE;
		break;
	case CAIRN_ROOT_UPGRADE: {
		cairn_cap cap = cairn_msg_get_cap(req);
		struct forwarded **p = req->err ? 0 : lookup(cap);
		if (!p || !cairn_msg_get_str(req, args, sizeof(args)))
			r = CAIRN_ERR_INVALID_ARGS;
		else
			r = cairn_parent_upgrade(env->parent, (*p)->cap, args);
		if (cairn_cap_valid(cap)) cairn_cap_release(cap);
		break;
	}
	case CAIRN_ROOT_CLOSE: {
		cairn_cap cap = cairn_msg_get_cap(req);
		struct forwarded **p = req->err ? 0 : lookup(cap);
		if (p) {
			struct forwarded *f = *p;
			*p = f->next;
			(void)cairn_parent_close(env->parent, f->cap);
			cairn_cap_release(f->cap);
			cairn_heap_free(env->heap, f);
		} else {
			r = CAIRN_ERR_INVALID_ARGS;
		}
		if (cairn_cap_valid(cap)) cairn_cap_release(cap);
		break;
	}
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	/* the list is read at every request: a new config applies to the next one */
	int err = cairn_config_open(&config, env, 0, 0);
	if (err != CAIRN_OK) {
		cairn_error("no config (%s)", cairn_err_str(err));
		return;
	}
	root = (cairn_rpc_obj){ .dispatch = dispatch };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &root))
	 || cairn_parent_announce(env->parent, "ROM", root.cap) != CAIRN_OK)
		cairn_error("could not announce the ROM service");
}
