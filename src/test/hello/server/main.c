/* main.c - Hello server: a custom RPC interface with capability delegation */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <session/hello/hello.h>
#include <util/args.h>

#include <stdio.h>
#include <string.h>

/*
 * Each session and each of its counters is an RPC object managed by the
 * initial entrypoint. Their memory comes from the session heap, which the
 * root helper limits to the client's donation: a client that creates too
 * many counters exhausts its own session, never the server or other
 * sessions. A counter capability received as an argument is believed only
 * if the entrypoint knows the object behind it (cairn_ep_lookup) and that
 * object is a counter.
 */

static cairn_env *env;

struct hello_session;

struct counter {
	cairn_rpc_obj         obj;
	struct hello_session *session;
	uint64_t              value;
	struct counter       *next;
};

struct hello_session {
	cairn_rpc_obj   obj;
	cairn_heap     *heap;       /* limited to the donation */
	size_t          donated;    /* initial donation plus upgrades */
	struct counter *counters;
	unsigned        ncounters;
	char            label[CAIRN_ARGS_MAX];
};

/* ---------------------------------------------------------------- counters */

static int counter_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct counter *c = obj->data;
	if (req->code != CAIRN_COUNTER_INCREMENT) {
		reply->code = CAIRN_ERR_OPCODE;
		return CAIRN_RPC_REPLY;
	}
	cairn_msg_put_u64(reply, ++c->value);
	return CAIRN_RPC_REPLY;
}

/* the counter behind `cap` if it is one of ours, by object identity */
static struct counter *counter_of(cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_cap_valid(cap) ? cairn_ep_lookup(env->ep, cap) : 0;
	return o && o->dispatch == counter_dispatch ? o->data : 0;
}

static void counter_destroy(struct hello_session *s, struct counter *c)
{
	for (struct counter **p = &s->counters; *p; p = &(*p)->next)
		if (*p == c) { *p = c->next; break; }
	s->ncounters--;
	cairn_ep_dissolve(env->ep, &c->obj);
	cairn_heap_free(s->heap, c);
}

static int new_counter(struct hello_session *s, cairn_msg *reply)
{
	size_t before = cairn_heap_consumed(s->heap);
	struct counter *c = cairn_heap_calloc(s->heap, 1, CAIRN_HELLO_COUNTER_RAM);
	if (!c) {
		cairn_warning("Quota exceeded! amount=%zu, size=%d, consumed=%zu",
		              s->donated, CAIRN_HELLO_COUNTER_RAM, before);
		return CAIRN_ERR_QUOTA;
	}
	c->obj     = (cairn_rpc_obj){ .dispatch = counter_dispatch, .data = c };
	c->session = s;
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &c->obj))) {
		cairn_heap_free(s->heap, c);
		return CAIRN_ERR_NO_MEMORY;
	}
	c->next     = s->counters;
	s->counters = c;
	s->ncounters++;
	cairn_msg_put_cap(reply, c->obj.cap);
	return CAIRN_OK;
}

/* ---------------------------------------------------------------- sessions */

static int say_hello(struct hello_session *s, cairn_msg *req)
{
	char text[CAIRN_HELLO_TEXT_MAX];
	if (!cairn_msg_get_str(req, text, sizeof(text))) return CAIRN_ERR_INVALID_ARGS;
	cairn_log("say_hello from \"%s\": %s", s->label, text);
	return CAIRN_OK;
}

static int add(cairn_msg *req, cairn_msg *reply)
{
	int64_t a = cairn_msg_get_i64(req), b = cairn_msg_get_i64(req), sum;
	if (req->err || __builtin_add_overflow(a, b, &sum)) return CAIRN_ERR_INVALID_ARGS;
	cairn_msg_put_i64(reply, sum);
	return CAIRN_OK;
}

static int adopt(cairn_msg *req, cairn_msg *reply)
{
	cairn_cap cap = cairn_msg_get_cap(req);
	struct counter *c = req->err ? 0 : counter_of(cap);
	cairn_cap_release(cap);
	if (!c) return CAIRN_ERR_INVALID_ARGS;
	cairn_msg_put_u64(reply, c->value);
	return CAIRN_OK;
}

static int destroy_counter(struct hello_session *s, cairn_msg *req)
{
	cairn_cap cap = cairn_msg_get_cap(req);
	struct counter *c = req->err ? 0 : counter_of(cap);
	cairn_cap_release(cap);
	if (!c || c->session != s) return CAIRN_ERR_INVALID_ARGS;
	counter_destroy(s, c);
	return CAIRN_OK;
}

static int session_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct hello_session *s = obj->data;
	int r;
	switch (req->code) {
	case CAIRN_HELLO_SAY_HELLO:       r = say_hello(s, req);       break;
	case CAIRN_HELLO_ADD:             r = add(req, reply);          break;
	case CAIRN_HELLO_NEW_COUNTER:     r = new_counter(s, reply);    break;
	case CAIRN_HELLO_ADOPT:           r = adopt(req, reply);        break;
	case CAIRN_HELLO_DESTROY_COUNTER: r = destroy_counter(s, req);  break;
	default:                          r = CAIRN_ERR_OPCODE;
	}
	/* capabilities the handlers did not take belong to us: drop them */
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int session_create(cairn_root *root, const char *args, const char *label,
                          cairn_heap *heap, cairn_rpc_obj **obj)
{
	struct hello_session *s = cairn_heap_calloc(heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	s->obj     = (cairn_rpc_obj){ .dispatch = session_dispatch, .data = s };
	s->heap    = heap;
	s->donated = args_size(args, "ram_quota", 0);
	snprintf(s->label, sizeof(s->label), "%s", label);
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj))) {
		cairn_heap_free(heap, s);
		return CAIRN_ERR_NO_MEMORY;
	}
	cairn_log("session opened by \"%s\" (ram_quota=%zu)", s->label, s->donated);
	*obj = &s->obj;
	return CAIRN_OK;
}

static void session_upgrade(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota)
{
	struct hello_session *s = obj->data;
	s->donated += ram_quota;
	cairn_log("session of \"%s\" upgraded by %zu to ram_quota=%zu", s->label, ram_quota, s->donated);
}

static void session_destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	struct hello_session *s = obj->data;
	unsigned n = s->ncounters;
	while (s->counters) counter_destroy(s, s->counters);
	cairn_log("session of \"%s\" closed (%u counter%s destroyed)", s->label, n, n == 1 ? "" : "s");
	cairn_ep_dissolve(env->ep, &s->obj);
	cairn_heap_free(s->heap, s);
}

static const cairn_root_ops hello_ops = {
	/* the session object and its bookkeeping, with CAIRN_HELLO_RAM_MIN in mind */
	.session_size = 1536,
	.create       = session_create,
	.upgrade      = session_upgrade,
	.destroy      = session_destroy,
};

static cairn_root hello_root;

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int r = cairn_root_announce(&hello_root, env, "Hello", &hello_ops, 0);
	if (r != CAIRN_OK) cairn_fatal("could not announce the Hello service: %s", cairn_err_str(r));
	cairn_log("announced service \"Hello\"");
}
