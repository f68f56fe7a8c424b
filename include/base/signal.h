/* signal.h - asynchronous notifications with counting */
#pragma once

#include <base/entrypoint.h>

/*
 * A signal handler is an RPC object whose capability (the signal context)
 * is handed to a transmitter, typically a server via a *_sigh RPC.
 * Submitting never blocks and carries no payload but a count; signals
 * that arrive before the handler ran are merged into one call with the sum.
 * Handlers re-check state rather than count events.
 */
typedef struct cairn_signal_handler cairn_signal_handler;
typedef void (*cairn_signal_fn)(cairn_signal_handler *h, unsigned count);

struct cairn_signal_handler {
	cairn_rpc_obj   obj;
	cairn_signal_fn fn;
	void           *data;
};

/* set up and manage the handler at `ep`; returns the context capability */
cairn_cap cairn_signal_handler_init(cairn_signal_handler *h, cairn_ep *ep,
                                   cairn_signal_fn fn, void *data);

void cairn_signal_handler_fini(cairn_signal_handler *h, cairn_ep *ep);

/*
 * Submit `count` to the context. Never blocks; submitting to an invalid or
 * stale context delivers nothing.
 */
void cairn_signal_submit(cairn_cap context, unsigned count);
