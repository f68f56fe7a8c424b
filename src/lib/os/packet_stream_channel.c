/* packet_stream_channel.c - packet-stream channels: transport dataspace, signals, RPCs */

#include <base/dataspace.h>
#include <base/packet_stream.h>
#include <base/rpc.h>
#include <session/pd/pd.h>

/* ---------------------------------------------------------------- server */

static void sink_notify(void *ctx, enum ps_signal sig)
{
	cairn_ps_tx_sink *t = ctx;
	if (sig == PS_SIG_ACK_AVAIL && cairn_cap_valid(t->ack_avail))
		cairn_signal_submit(t->ack_avail, 1);
	if (sig == PS_SIG_READY_TO_SUBMIT && cairn_cap_valid(t->ready_to_submit))
		cairn_signal_submit(t->ready_to_submit, 1);
}

static void sink_signal(cairn_signal_handler *h, unsigned count)
{
	(void)count;
	cairn_ps_tx_sink *t = h->data;
	if (t->progress) t->progress(t, t->data);
}

size_t cairn_ps_tx_sink_cost(size_t bulk_size, unsigned queue_size, size_t desc_size)
{
	size_t s = ps_buffer_size(bulk_size, queue_size, desc_size);
	return s ? (s + 4095) & ~(size_t)4095 : 0;
}

int cairn_ps_tx_sink_init(cairn_ps_tx_sink *t, cairn_env *env, size_t bulk_size,
                          unsigned queue_size, size_t desc_size,
                          void (*progress)(cairn_ps_tx_sink *, void *), void *data)
{
	*t = (cairn_ps_tx_sink){ .env = env, .progress = progress, .data = data };
	size_t size = cairn_ps_tx_sink_cost(bulk_size, queue_size, desc_size);
	if (!size || !bulk_size) return CAIRN_ERR_INVALID_ARGS;
	struct ps_layout l;
	if (ps_layout_init(&l, size, queue_size, desc_size) != PS_OK) return CAIRN_ERR_INVALID_ARGS;

	int r = cairn_pd_alloc(env->pd, size, &t->ds);
	if (r != CAIRN_OK) return r;
	r = cairn_ds_attach(t->ds, 0, 0, false, &t->base, &t->ds_size);
	if (r != CAIRN_OK) {
		(void)cairn_pd_free(env->pd, t->ds);
		cairn_cap_release(t->ds);
		return r;
	}
	ps_sink_init(&t->sink, t->base, &l, sink_notify, t);
	if (!cairn_cap_valid(cairn_signal_handler_init(&t->packet_avail, env->ep, sink_signal, t)) ||
	    !cairn_cap_valid(cairn_signal_handler_init(&t->ready_to_ack, env->ep, sink_signal, t))) {
		cairn_ps_tx_sink_fini(t);
		return CAIRN_ERR_NO_MEMORY;
	}
	return CAIRN_OK;
}

void cairn_ps_tx_sink_fini(cairn_ps_tx_sink *t)
{
	if (cairn_cap_valid(t->packet_avail.obj.cap)) cairn_signal_handler_fini(&t->packet_avail, t->env->ep);
	if (cairn_cap_valid(t->ready_to_ack.obj.cap)) cairn_signal_handler_fini(&t->ready_to_ack, t->env->ep);
	if (cairn_cap_valid(t->ack_avail)) cairn_cap_release(t->ack_avail);
	if (cairn_cap_valid(t->ready_to_submit)) cairn_cap_release(t->ready_to_submit);
	if (t->base) cairn_ds_detach(t->base, t->ds_size);
	if (cairn_cap_valid(t->ds)) {
		(void)cairn_pd_free(t->env->pd, t->ds);
		cairn_cap_release(t->ds);
	}
	*t = (cairn_ps_tx_sink){ 0 };
}

static void replace_cap(cairn_cap *slot, cairn_cap c)
{
	if (cairn_cap_valid(*slot)) cairn_cap_release(*slot);
	*slot = c;
}

bool cairn_ps_tx_sink_dispatch(cairn_ps_tx_sink *t, cairn_msg *req, cairn_msg *reply)
{
	switch (req->code) {
	case CAIRN_PS_DATASPACE:
		cairn_msg_put_cap(reply, t->ds);
		return true;
	case CAIRN_PS_SIGH_ACK_AVAIL:
		replace_cap(&t->ack_avail, cairn_msg_get_cap(req));
		/* acks queued already: tell the new context at once */
		if (cairn_cap_valid(t->ack_avail) && ps_sink_acks_queued(&t->sink))
			cairn_signal_submit(t->ack_avail, 1);
		return true;
	case CAIRN_PS_SIGH_READY_TO_SUBMIT:
		replace_cap(&t->ready_to_submit, cairn_msg_get_cap(req));
		return true;
	case CAIRN_PS_SIGH_PACKET_AVAIL:
		cairn_msg_put_cap(reply, t->packet_avail.obj.cap);
		return true;
	case CAIRN_PS_SIGH_READY_TO_ACK:
		cairn_msg_put_cap(reply, t->ready_to_ack.obj.cap);
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- client */

static void source_notify(void *ctx, enum ps_signal sig)
{
	cairn_ps_tx_source *t = ctx;
	if (sig == PS_SIG_PACKET_AVAIL) cairn_signal_submit(t->packet_avail, 1);
	if (sig == PS_SIG_READY_TO_ACK) cairn_signal_submit(t->ready_to_ack, 1);
}

static int call_cap(cairn_cap session, int op, cairn_cap arg, cairn_cap *result)
{
	cairn_msg m;
	cairn_msg_init(&m, op);
	if (!result) cairn_msg_put_cap(&m, arg);
	int r = cairn_rpc_call(session, &m, &m);
	if (r == CAIRN_OK && result) {
		*result = cairn_msg_get_cap(&m);
		if (m.err || !cairn_cap_valid(*result)) r = CAIRN_ERR_MSG;
	}
	return r;
}

int cairn_ps_tx_source_init(cairn_ps_tx_source *t, cairn_env *env, cairn_cap session,
                            unsigned queue_size, size_t desc_size, unsigned max_packets)
{
	*t = (cairn_ps_tx_source){ .env = env, .session = session };
	int r = call_cap(session, CAIRN_PS_DATASPACE, CAIRN_CAP_INVALID, &t->ds);
	if (r == CAIRN_OK) r = cairn_ds_attach(t->ds, 0, 0, false, &t->base, &t->ds_size);
	struct ps_layout l;
	if (r == CAIRN_OK && ps_layout_init(&l, t->ds_size, queue_size, desc_size) != PS_OK) r = CAIRN_ERR_MSG;
	if (r == CAIRN_OK) {
		t->ranges = cairn_heap_calloc(env->heap, max_packets ? max_packets : 1, sizeof(*t->ranges));
		if (!t->ranges) r = CAIRN_ERR_NO_MEMORY;
	}
	if (r == CAIRN_OK &&
	    (!cairn_cap_valid(cairn_signal_handler_init(&t->ack_avail, env->ep, 0, t)) ||
	     !cairn_cap_valid(cairn_signal_handler_init(&t->ready_to_submit, env->ep, 0, t))))
		r = CAIRN_ERR_NO_MEMORY;
	if (r == CAIRN_OK) {
		ps_source_init(&t->source, t->base, &l, t->ranges, max_packets ? max_packets : 1, source_notify, t);
		r = call_cap(session, CAIRN_PS_SIGH_PACKET_AVAIL, CAIRN_CAP_INVALID, &t->packet_avail);
	}
	if (r == CAIRN_OK) r = call_cap(session, CAIRN_PS_SIGH_READY_TO_ACK, CAIRN_CAP_INVALID, &t->ready_to_ack);
	if (r == CAIRN_OK) r = call_cap(session, CAIRN_PS_SIGH_ACK_AVAIL, t->ack_avail.obj.cap, 0);
	if (r == CAIRN_OK) r = call_cap(session, CAIRN_PS_SIGH_READY_TO_SUBMIT, t->ready_to_submit.obj.cap, 0);
	if (r != CAIRN_OK) cairn_ps_tx_source_fini(t);
	return r;
}

void cairn_ps_tx_source_fini(cairn_ps_tx_source *t)
{
	if (!t->env) return;
	cairn_ep *ep = t->env->ep;
	if (cairn_cap_valid(t->ack_avail.obj.cap)) cairn_signal_handler_fini(&t->ack_avail, ep);
	if (cairn_cap_valid(t->ready_to_submit.obj.cap)) cairn_signal_handler_fini(&t->ready_to_submit, ep);
	if (cairn_cap_valid(t->packet_avail)) cairn_cap_release(t->packet_avail);
	if (cairn_cap_valid(t->ready_to_ack)) cairn_cap_release(t->ready_to_ack);
	if (t->base) cairn_ds_detach(t->base, t->ds_size);
	if (cairn_cap_valid(t->ds)) cairn_cap_release(t->ds);
	if (t->ranges) cairn_heap_free(t->env->heap, t->ranges);
	*t = (cairn_ps_tx_source){ 0 };
}

int cairn_ps_tx_submit(cairn_ps_tx_source *t, const void *desc)
{
	for (;;) {
		enum ps_error e = ps_source_submit(&t->source, desc);
		if (e == PS_OK) return CAIRN_OK;
		if (e != PS_ERR_FULL) return CAIRN_ERR_MSG;
		(void)cairn_ep_wait_signal(t->env->ep, &t->ready_to_submit.obj);
	}
}

int cairn_ps_tx_get_acked(cairn_ps_tx_source *t, void *desc)
{
	for (;;) {
		enum ps_error e = ps_source_get_acked(&t->source, desc);
		if (e == PS_OK) return CAIRN_OK;
		if (e != PS_ERR_EMPTY) return CAIRN_ERR_MSG;
		(void)cairn_ep_wait_signal(t->env->ep, &t->ack_avail.obj);
	}
}
