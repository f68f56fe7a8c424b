/* victim.c - the server the attempts aim at, the probe and the final check */

#include "escape.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <session/log/log.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>

#include <stdio.h>
#include <string.h>

int victim_ping(cairn_cap s, uint32_t v, uint32_t *out)
{
	cairn_msg m;
	cairn_msg_init(&m, VICTIM_PING);
	cairn_msg_put_u32(&m, v);
	int r = cairn_rpc_call(s, &m, &m);
	uint32_t got = r == CAIRN_OK ? cairn_msg_get_u32(&m) : 0;
	if (r == CAIRN_OK && (m.err || got != v + 1)) r = CAIRN_ERR_MSG;
	*out = got;
	return r;
}

/* ---------------------------------------------------------- the victim */

struct victim_session {
	cairn_rpc_obj obj;
	char          label[CAIRN_ARGS_MAX];
};

static int victim_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct victim_session *s = obj->data;
	switch (req->code) {
	case VICTIM_PING: {
		uint32_t v = cairn_msg_get_u32(req);
		if (req->err) { reply->code = CAIRN_ERR_MSG; break; }
		cairn_msg_put_u32(reply, v + 1);
		break;
	}
	case VICTIM_LABEL:
		cairn_msg_put_str(reply, s->label);
		break;
	case VICTIM_CRASH:
		cairn_log("crashing on request of \"%s\"", s->label);
		*(volatile int *)0 = 1;
		break;
	default:
		reply->code = CAIRN_ERR_OPCODE;
	}
	return CAIRN_RPC_REPLY;
}

static int victim_create(cairn_root *root, const char *args, const char *label,
                         cairn_heap *heap, cairn_rpc_obj **obj)
{
	int err;
	struct victim_session *s = cairn_root_session_alloc(root, heap, sizeof(*s), victim_dispatch, &err);
	if (!s) return err;
	snprintf(s->label, sizeof(s->label), "%s", label);
	if (root->data) cairn_log("session \"%s\"", label);
	*obj = &s->obj;
	return CAIRN_OK;
}

static const cairn_root_ops victim_ops = {
	.session_size = sizeof(struct victim_session),
	.create       = victim_create,
};

static cairn_root victim_root;

void victim_serve(cairn_env *env, bool log_sessions)
{
	int r = cairn_root_announce(&victim_root, env, "Escape_victim", &victim_ops,
	                            log_sessions ? (void *)1 : 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce Escape_victim: %s", cairn_err_str(r));
}

/* ---------------------------------------------------------- the rest of the system */

/*
 * What every component needs from the rest of the system: a new session
 * through init at a sibling and at core (both carry capabilities back),
 * calls on them, RAM from its PD. Returns the number of failures and logs
 * each; `slowest` gets the slowest call in ms.
 */
static unsigned system_works(cairn_env *env, const char *who, unsigned calls, double *slowest)
{
	unsigned bad = 0;
	*slowest = 0;
	cairn_cap v, log, ds;
	uint32_t out;
	int r = cairn_session(env, "Escape_victim", &v, "ram_quota=%d, label=\"%s\"", VICTIM_RAM, who);
	if (r != CAIRN_OK) { cairn_log("%s: new session at the victim: %s", who, cairn_err_str(r)); bad++; }
	r = cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"%s\"", CAIRN_LOG_RAM, who);
	if (r != CAIRN_OK) { cairn_log("%s: new LOG session at core: %s", who, cairn_err_str(r)); bad++; }
	else if ((r = cairn_log_write(log, "core's LOG serves a new session")) <= 0) {
		cairn_log("%s: LOG write: %s", who, cairn_err_str(r)); bad++;
	}
	r = cairn_pd_alloc(env->pd, 4096, &ds);
	void *p;
	if (r == CAIRN_OK) r = cairn_ds_attach(ds, 0, 0, false, &p, 0);
	if (r != CAIRN_OK) { cairn_log("%s: RAM dataspace: %s", who, cairn_err_str(r)); bad++; }
	else { cairn_ds_detach(p, 4096); (void)cairn_pd_free(env->pd, ds); cairn_cap_release(ds); }

	/* calls at the victim and at core, each timed */
	unsigned failed = 0;
	for (unsigned i = 0; i < calls && bad == 0; i++) {
		double t0 = now_ms();
		size_t q, u;
		int a = victim_ping(v, i, &out), b = cairn_pd_quota(env->pd, &q, &u);
		double dt = now_ms() - t0;
		if (dt > *slowest) *slowest = dt;
		if (a != CAIRN_OK || b != CAIRN_OK) failed++;
		if (i % 16 == 15) sleep_ms(1);
	}
	if (failed) { cairn_log("%s: %u of %u calls failed", who, failed, calls); bad++; }
	if (cairn_cap_valid(v)) (void)cairn_parent_close(env->parent, v);
	if (cairn_cap_valid(log)) (void)cairn_parent_close(env->parent, log);
	return bad;
}

void probe(cairn_env *env, const char *what)
{
	cairn_cap hold;
	int r = cairn_session(env, "Escape_hold", &hold, "ram_quota=%d, label=\"hold\"", 4096);
	if (r != CAIRN_OK) {
		cairn_log("probe %s: no session at the attempt: %s", what, cairn_err_str(r));
		cairn_env_exit(env, 0);
	}
	/* our LOG channel exists before the attempt takes what it takes */
	detail("probe: engaging %s", what);
	cairn_msg m;
	cairn_msg_init(&m, HOLD_ENGAGE);
	r = cairn_rpc_call(hold, &m, &m);
	if (r != CAIRN_OK) cairn_log("probe %s: engage: %s", what, cairn_err_str(r));
	double slowest;
	unsigned bad = system_works(env, "probe", 400, &slowest);
	detail("slowest call pair %.1f ms", slowest);
	if (bad) cairn_log("probe %s: the rest of the system does not work", what);
	else if (slowest > 1000) cairn_log("probe %s: the rest of the system answers, but slowly (%.0f ms)", what, slowest);
	else cairn_log("probe %s: the rest of the system works", what);
	(void)cairn_parent_close(env->parent, hold);
	cairn_env_exit(env, 0);
}

void check(cairn_env *env)
{
	double slowest;
	unsigned bad = system_works(env, "check", 100, &slowest);
	if (bad) cairn_log("check: %u failures", bad);
	else cairn_log("check: the system keeps running");
	cairn_env_exit(env, bad ? 1 : 0);
}
