/* main.c - log_tee: each LOG session goes to the parent and, prefixed by its label, to our own LOG */

#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <session/log/log.h>
#include <util/label.h>

#include <stdio.h>
#include <string.h>

/*
 * For each client session, log_tee opens a LOG session at its parent with
 * the very same arguments: the label (init prefixes it with "log_tee"
 * and routes by it) and the donation, which thereby passes on to the
 * backend. log_tee's own session object is paid from its own RAM. Every
 * message goes to the backend and, as `[<client label>] <line>`, to
 * log_tee's own LOG session (the one with the empty label).
 */
struct tee {
	cairn_rpc_obj obj;
	cairn_cap     backend;
	char          label[LABEL_MAX + 1];
};

static cairn_env *env;
static cairn_root root;

static void copy_lines(const struct tee *t, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		cairn_log("[%s] %.*s", t->label, (int)n, text);
		text += n + (nl ? 1 : 0);
	}
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct tee *t = obj->data;
	static char text[CAIRN_LOG_MAX + 1];
	int r = CAIRN_OK;

	if (req->code != CAIRN_LOG_WRITE) {
		r = CAIRN_ERR_OPCODE;
	} else if (!cairn_msg_get_str(req, text, sizeof(text))) {
		r = CAIRN_ERR_MSG;
	} else {
		int n = cairn_log_write(t->backend, text);
		copy_lines(t, text);
		if (n < 0) r = n;
		else cairn_msg_put_u32(reply, (uint32_t)n);
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *rt, const char *args, const char *label,
                  cairn_heap *heap, cairn_rpc_obj **obj)
{
	struct tee *t = cairn_heap_calloc(env->heap, 1, sizeof(*t));
	if (!t) return CAIRN_ERR_QUOTA;
	(void)str_copy(t->label, sizeof(t->label), str_z(label));
	int err = cairn_parent_session(env->parent, "LOG", args, &t->backend);
	if (err != CAIRN_OK) {
		cairn_warning("no LOG session for '%s' (%s)", label, cairn_err_str(err));
		cairn_heap_free(env->heap, t);
		return err;
	}
	t->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = t };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &t->obj))) {
		(void)cairn_parent_close(env->parent, t->backend);
		cairn_cap_release(t->backend);
		cairn_heap_free(env->heap, t);
		return CAIRN_ERR_NO_MEMORY;
	}
	*obj = &t->obj;
	return CAIRN_OK;
}

static void upgrade(cairn_root *rt, cairn_rpc_obj *obj, size_t ram_quota)
{
	struct tee *t = obj->data;
	char args[48];
	snprintf(args, sizeof(args), "ram_quota=%zu", ram_quota);
	int err = cairn_parent_upgrade(env->parent, t->backend, args);
	if (err != CAIRN_OK)
		cairn_warning("upgrade of '%s' failed (%s)", t->label, cairn_err_str(err));
}

static void destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	struct tee *t = obj->data;
	cairn_ep_dissolve(env->ep, &t->obj);
	(void)cairn_parent_close(env->parent, t->backend);
	cairn_cap_release(t->backend);
	cairn_heap_free(env->heap, t);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct tee),
	.create       = create,
	.upgrade      = upgrade,
	.destroy      = destroy,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	if (cairn_root_announce(&root, env, "LOG", &ops, 0) != CAIRN_OK)
		cairn_error("could not announce the LOG service");
}
