/* root.c - generic root: session creation with quota checks, upgrade, close */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <base_internal.h>
#include <util/args.h>

#include <string.h>

struct root_session {
	cairn_rpc_obj       *obj;
	cairn_heap          *heap;
	cairn_root          *root;
	size_t               limit;
	struct root_session *next;
};

static struct root_session *sessions;

static struct root_session *find(cairn_root *root, cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_ep_lookup(root->env->ep, cap);
	for (struct root_session *s = sessions; o && s; s = s->next)
		if (s->obj == o && s->root == root) return s;
	return 0;
}

cairn_heap *cairn_root_session_heap(cairn_rpc_obj *obj)
{
	for (struct root_session *s = sessions; s; s = s->next)
		if (s->obj == obj) return s->heap;
	return 0;
}

int cairn_root_session_charge(cairn_rpc_obj *obj, long bytes)
{
	struct root_session *s = 0;
	for (struct root_session *i = sessions; i; i = i->next)
		if (i->obj == obj) s = i;
	if (!s) return CAIRN_ERR_INVALID_ARGS;
	if (bytes > 0 && ((size_t)bytes > s->limit || cairn_heap_consumed(s->heap) > s->limit - (size_t)bytes))
		return CAIRN_ERR_QUOTA;
	s->limit -= (size_t)bytes;   /* a negative charge raises it */
	cairn_heap_set_limit(s->heap, s->limit);
	return CAIRN_OK;
}

void *cairn_root_session_alloc(cairn_root *root, cairn_heap *heap, size_t size,
                               cairn_rpc_dispatch_fn dispatch, int *err)
{
	cairn_rpc_obj *o = size >= sizeof(*o) ? cairn_heap_calloc(heap, 1, size) : 0;
	if (!o) { *err = CAIRN_ERR_QUOTA; return 0; }
	*o = (cairn_rpc_obj){ .dispatch = dispatch, .data = o };
	if (!cairn_cap_valid(cairn_ep_manage(root->env->ep, o))) {
		cairn_heap_free(heap, o);
		*err = CAIRN_ERR_NO_MEMORY;
		return 0;
	}
	return o;
}

void cairn_root_session_free(cairn_root *root, cairn_rpc_obj *obj)
{
	cairn_heap *heap = cairn_root_session_heap(obj);
	cairn_ep_dissolve(root->env->ep, obj);
	cairn_heap_free(heap, obj);
}

static int create(cairn_root *root, const char *args, cairn_msg *reply)
{
	/* the helper's own bookkeeping per session, at what the heap really spends */
	size_t overhead = cairn_heap_block_cost(sizeof(struct root_session))
	                + cairn_heap_block_cost(cairn_heap_struct_size());
	size_t quota = args_size(args, "ram_quota", 0);
	size_t need  = overhead + cairn_heap_block_cost(root->ops->session_size + 32);
	if (quota < need) {
		cairn_error("Insufficient ram quota, provided=%zu, required=%zu", quota, need);
		return CAIRN_ERR_QUOTA;
	}
	char label[CAIRN_ARGS_MAX];
	(void)args_string(args, "label", label, sizeof(label), "");
	struct root_session *s = cairn_heap_calloc(root->env->heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	s->limit = quota - overhead;
	s->heap  = cairn_heap_create(root->env->heap, s->limit);
	s->root  = root;
	if (!s->heap) { cairn_heap_free(root->env->heap, s); return CAIRN_ERR_QUOTA; }
	int r = root->ops->create(root, args, label, s->heap, &s->obj);
	if (r != CAIRN_OK) {
		cairn_heap_destroy(s->heap);
		cairn_heap_free(root->env->heap, s);
		return r;
	}
	s->next  = sessions;
	sessions = s;
	cairn_msg_put_cap(reply, s->obj->cap);
	return CAIRN_OK;
}

static void destroy(struct root_session *s)
{
	for (struct root_session **p = &sessions; *p; p = &(*p)->next)
		if (*p == s) { *p = s->next; break; }
	if (s->root->ops->destroy) s->root->ops->destroy(s->root, s->obj);
	else cairn_root_session_free(s->root, s->obj);
	cairn_heap_destroy(s->heap);
	cairn_heap_free(s->root->env->heap, s);
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	cairn_root *root = obj->data;
	char args[CAIRN_ARGS_MAX + 200];
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_ROOT_SESSION:
		r = cairn_msg_get_str(req, args, sizeof(args)) ? create(root, args, reply) : CAIRN_ERR_UNAVAILABLE;
		break;
	case CAIRN_ROOT_UPGRADE: {
		cairn_cap c = cairn_msg_get_cap(req);
		struct root_session *s = find(root, c);
		cairn_cap_release(c);
		if (!s || !cairn_msg_get_str(req, args, sizeof(args))) { r = CAIRN_ERR_INVALID_ARGS; break; }
		size_t q = args_size(args, "ram_quota", 0);
		s->limit += q;
		if (root->ops->upgrade) root->ops->upgrade(root, s->obj, q);
		cairn_heap_set_limit(s->heap, s->limit);
		break;
	}
	case CAIRN_ROOT_CLOSE: {
		cairn_cap c = cairn_msg_get_cap(req);
		struct root_session *s = find(root, c);
		cairn_cap_release(c);
		if (s) destroy(s);
		else r = CAIRN_ERR_INVALID_ARGS;
		break;
	}
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

int cairn_root_announce(cairn_root *root, cairn_env *env, const char *service,
                        const cairn_root_ops *ops, void *data)
{
	root->ops  = ops;
	root->env  = env;
	root->data = data;
	root->obj  = (cairn_rpc_obj){ .dispatch = dispatch, .data = root };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &root->obj))) return CAIRN_ERR_NO_MEMORY;
	return cairn_parent_announce(env->parent, service, root->obj.cap);
}
