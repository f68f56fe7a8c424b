/* rpc.h - RPC objects, synchronous calls and deferred replies */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/msg.h>

typedef struct cairn_rpc_obj cairn_rpc_obj;

enum { CAIRN_RPC_REPLY = 0, CAIRN_RPC_DEFER = 1 };

/*
 * Dispatch function of an RPC object: handle `req` (opcode in req->code),
 * fill `reply` (result in reply->code, payload, caps) and return
 * CAIRN_RPC_REPLY, or take a reply token with cairn_rpc_defer() and return
 * CAIRN_RPC_DEFER to answer later with cairn_rpc_reply(). Runs on the
 * entrypoint thread, never concurrently with other handlers of that
 * entrypoint. Capabilities the handler takes from `req` (cairn_msg_get_cap)
 * belong to it (release what it does not keep); those it does not take are
 * released by the entrypoint when the handler returns.
 */
typedef int (*cairn_rpc_dispatch_fn)(cairn_rpc_obj *obj, cairn_msg *req,
                                     cairn_msg *reply);

/* called on the entrypoint when the object was signalled (count merged) */
typedef void (*cairn_rpc_signal_fn)(cairn_rpc_obj *obj, unsigned count);

struct cairn_rpc_obj {
	cairn_rpc_dispatch_fn dispatch; /* NULL: calls fail with CAIRN_ERR_OPCODE */
	cairn_rpc_signal_fn   signal;   /* NULL: signals are dropped */
	void                 *data;     /* free for the owner */
	cairn_cap             cap;      /* set by cairn_ep_manage */
	void                 *_plat;    /* platform state */
};

/*
 * Call the object named by `cap` and wait for the reply. Returns
 * reply->code: CAIRN_OK, an error of the interface, or CAIRN_ERR_IPC if the
 * capability is invalid, the object was dissolved or its server died (never
 * a hang on a dead server). `req` and `reply` may be the same message.
 */
int cairn_rpc_call(cairn_cap cap, cairn_msg *req, cairn_msg *reply)
	__attribute__((warn_unused_result));

/* a pending reply, taken inside a dispatch function */
typedef struct cairn_reply_token { void *chan; uint32_t seq; uint32_t gen; } cairn_reply_token;

cairn_reply_token cairn_rpc_defer(void);

/* answer a deferred request (dropped silently if the client is gone) */
void cairn_rpc_reply(cairn_reply_token t, cairn_msg *reply);
