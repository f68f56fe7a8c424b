/* main.c - timer driver: the Timer service on top of one clock back end */

#include "timer.h"

#include <base/log.h>
#include <base/root.h>
#include <session/timer/timer.h>

/*
 * Every session is an RPC object of the initial entrypoint, paid from its
 * client's donation (the root helper's session heap). Its timeout lives
 * in the scheduler; the back end's alarm runs on the same entrypoint, so
 * RPC handlers and expiring timeouts never interleave.
 */
static cairn_env *env;
static cairn_root root;

static uint64_t clamp(uint64_t us) { return us > CAIRN_TIMER_MAX_US ? CAIRN_TIMER_MAX_US : us; }

static int session_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct timer_session *s = obj->data;
	uint64_t now = timer_backend.now_us();
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_TIMER_TRIGGER_ONCE: {
		uint64_t us = cairn_msg_get_u64(req);
		if (req->err) { r = CAIRN_ERR_INVALID_ARGS; break; }
		sched_arm(s, now + clamp(us), 0);
		break;
	}
	case CAIRN_TIMER_TRIGGER_PERIODIC: {
		uint64_t us = cairn_msg_get_u64(req);
		if (req->err || !us) { r = CAIRN_ERR_INVALID_ARGS; break; }
		sched_arm(s, now + clamp(us), clamp(us));
		break;
	}
	case CAIRN_TIMER_SIGH: {
		cairn_cap c = cairn_msg_get_cap(req);
		if (req->err) { r = CAIRN_ERR_INVALID_ARGS; break; }
		if (cairn_cap_valid(s->sigh)) cairn_cap_release(s->sigh);
		s->sigh = c;
		break;
	}
	case CAIRN_TIMER_ELAPSED_MS:
		cairn_msg_put_u64(reply, (now - s->created) / 1000);
		break;
	case CAIRN_TIMER_ELAPSED_US:
		cairn_msg_put_u64(reply, now - s->created);
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	/* capabilities the handler did not take belong to us: drop them */
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int session_create(cairn_root *rt, const char *args, const char *label,
                          cairn_heap *heap, cairn_rpc_obj **obj)
{
	(void)args; (void)label;
	int err;
	struct timer_session *s = cairn_root_session_alloc(rt, heap, sizeof(*s), session_dispatch, &err);
	if (!s) return err;
	s->created = timer_backend.now_us();
	*obj = &s->obj;
	return CAIRN_OK;
}

static void session_destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	struct timer_session *s = obj->data;
	sched_cancel(s);
	if (cairn_cap_valid(s->sigh)) cairn_cap_release(s->sigh);
	cairn_root_session_free(rt, obj);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct timer_session),
	.create       = session_create,
	.destroy      = session_destroy,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	sched_init();
	int r = timer_backend.init(env, sched_alarm, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot set up the clock back end (%s): %s",
	                               timer_backend.name, cairn_err_str(r));
	r = cairn_root_announce(&root, env, "Timer", &ops, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the Timer service: %s", cairn_err_str(r));
}
