/* entrypoint.h - the event loop that dispatches RPC requests and signals */
#pragma once

#include <base/rpc.h>
#include <stdbool.h>

/*
 * An entrypoint is one thread that receives the requests for all objects it
 * manages and the signals for its signal handlers, and runs their handlers
 * one at a time, to completion. Every component has one, its initial
 * entrypoint (env->ep), which runs cairn_component_construct and afterwards
 * only reacts to requests and signals.
 */
typedef struct cairn_ep cairn_ep;

/* make `obj` reachable; returns its capability (also stored in obj->cap) */
cairn_cap cairn_ep_manage(cairn_ep *ep, cairn_rpc_obj *obj);

/* make `obj` unreachable: later calls through any copy of its cap fail */
void cairn_ep_dissolve(cairn_ep *ep, cairn_rpc_obj *obj);

/* identity check: the object behind `cap` if it is managed by `ep`, else NULL */
cairn_rpc_obj *cairn_ep_lookup(cairn_ep *ep, cairn_cap cap);

/* wait for and handle one event (request or signal batch) */
void cairn_ep_dispatch_one(cairn_ep *ep);

/* handle events forever */
_Noreturn void cairn_ep_run(cairn_ep *ep);

/*
 * Block the calling entrypoint until the signal handler `obj` was signalled,
 * dispatching RPC requests and other signals meanwhile would break the
 * one-at-a-time rule, so other events stay queued. Used by blocking
 * library calls (e.g. waiting for a resource grant).
 */
unsigned cairn_ep_wait_signal(cairn_ep *ep, cairn_rpc_obj *obj);

/* create an additional entrypoint with its own thread (stack from `env`) */
struct cairn_env;
cairn_ep *cairn_ep_create(struct cairn_env *env, const char *name);
