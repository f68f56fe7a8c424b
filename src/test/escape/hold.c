/* hold.c - take something shared, keep it while a sibling probes the system */

#include "escape.h"

#include <base/log.h>
#include <base/root.h>
#include <base/signal.h>

#include <pthread.h>
#include <stdatomic.h>

/*
 * The probe opens an "Escape_hold" session (init holds its request until
 * this component announced the service) and calls HOLD_ENGAGE: only then
 * does the attempt take what it takes, and answers when it holds it. Some
 * attempts break capability transfer (the probe could not get its session
 * afterwards), so the session comes first. The probe then looks at the
 * rest of the system and closes the session, which releases everything.
 * All without timing; a watchdog thread ends the attempt after `max_s`
 * seconds in any case, so that a probe that cannot reach us does not
 * stall the run.
 */

static cairn_env            *hold_env;
static void                (*hold_engage)(void);
static void                (*hold_release)(void);
static atomic_flag           released = ATOMIC_FLAG_INIT;
static cairn_root            hold_root;
static cairn_rpc_obj         session_obj;
static cairn_signal_handler  done;
static unsigned              watchdog_s;

static _Noreturn void finish(const char *why)
{
	if (!atomic_flag_test_and_set(&released)) {
		detail("released: %s", why);
		if (hold_release) hold_release();
		cairn_env_exit(hold_env, 0);
	}
	for (;;) sleep_ms(1000);
}

static void on_done(cairn_signal_handler *h, unsigned count)
{
	(void)h; (void)count;
	finish("the probe closed its session");
}

static int session_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	if (req->code != HOLD_ENGAGE) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	hold_engage();
	return CAIRN_RPC_REPLY;
}

static int hold_create(cairn_root *root, const char *args, const char *label,
                       cairn_heap *heap, cairn_rpc_obj **obj)
{
	session_obj = (cairn_rpc_obj){ .dispatch = session_dispatch };
	if (!cairn_cap_valid(cairn_ep_manage(root->env->ep, &session_obj))) return CAIRN_ERR_NO_MEMORY;
	*obj = &session_obj;
	return CAIRN_OK;
}

static void hold_destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	cairn_ep_dissolve(root->env->ep, obj);
	/* answer init's close first, then release (a signal to ourselves) */
	cairn_signal_submit(done.obj.cap, 1);
}

static const cairn_root_ops hold_ops = {
	.session_size = 64,
	.create       = hold_create,
	.destroy      = hold_destroy,
};

static void *watchdog(void *arg)
{
	(void)arg;
	sleep_ms(watchdog_s * 1000);
	finish("the watchdog expired");
}

_Noreturn void hold(cairn_env *env, void (*engage)(void), void (*release)(void), unsigned max_s)
{
	hold_env     = env;
	hold_engage  = engage;
	hold_release = release;
	watchdog_s   = max_s;
	pthread_t t;
	if (pthread_create(&t, 0, watchdog, 0) != 0) finish("no watchdog thread");
	cairn_signal_handler_init(&done, env->ep, on_done, 0);
	int r = cairn_root_announce(&hold_root, env, "Escape_hold", &hold_ops, 0);
	if (r != CAIRN_OK) {
		cairn_error("cannot announce Escape_hold: %s", cairn_err_str(r));
		finish("no announcement");
	}
	cairn_ep_run(env->ep);
}
