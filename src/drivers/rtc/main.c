/* main.c - RTC driver: the Rtc service on top of the host clock */

#include "rtc.h"

#include <base/env.h>
#include <base/log.h>
#include <base/root.h>

static cairn_env *env;
static cairn_root root;

struct rtc_session { cairn_rpc_obj obj; };

static int session_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	(void)obj;
	if (req->code != CAIRN_RTC_CURRENT_TIME) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	int64_t s;
	unsigned us;
	int r = rtc_backend.now(&s, &us);
	if (r != CAIRN_OK) { reply->code = r; return CAIRN_RPC_REPLY; }
	cairn_rtc_timestamp t = rtc_civil(s, us);
	cairn_msg_put_u32(reply, t.microsecond);
	cairn_msg_put_u32(reply, t.second);
	cairn_msg_put_u32(reply, t.minute);
	cairn_msg_put_u32(reply, t.hour);
	cairn_msg_put_u32(reply, t.day);
	cairn_msg_put_u32(reply, t.month);
	cairn_msg_put_u32(reply, t.year);
	return CAIRN_RPC_REPLY;
}

static int session_create(cairn_root *rt, const char *args, const char *label,
                          cairn_heap *heap, cairn_rpc_obj **obj)
{
	(void)args; (void)label;
	int err;
	struct rtc_session *s = cairn_root_session_alloc(rt, heap, sizeof(*s), session_dispatch, &err);
	if (!s) return err;
	*obj = &s->obj;
	return CAIRN_OK;
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct rtc_session),
	.create       = session_create,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int r = cairn_root_announce(&root, env, "Rtc", &ops, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the Rtc service: %s", cairn_err_str(r));
}
