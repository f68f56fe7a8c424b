/* signal.c - signal handlers as RPC objects that only receive signals */

#include <base/signal.h>

static void on_signal(cairn_rpc_obj *obj, unsigned count)
{
	cairn_signal_handler *h = obj->data;
	if (h->fn) h->fn(h, count);
}

cairn_cap cairn_signal_handler_init(cairn_signal_handler *h, cairn_ep *ep,
                                   cairn_signal_fn fn, void *data)
{
	h->fn   = fn;
	h->data = data;
	h->obj  = (cairn_rpc_obj){ .dispatch = 0, .signal = on_signal, .data = h };
	return cairn_ep_manage(ep, &h->obj);
}

void cairn_signal_handler_fini(cairn_signal_handler *h, cairn_ep *ep)
{
	cairn_ep_dissolve(ep, &h->obj);
}
