/* server.c - bench_server: the peer of the benchmark components (signal stamps, packet sink) */

#include <base/dataspace.h>
#include <base/log.h>
#include <base/packet_stream.h>
#include <base/root.h>
#include <session/pd/pd.h>
#include <util/args.h>

#include "component.h"

/*
 * Service "Bench" (component.h). The stamp page and its handler are one
 * per server; a session with a packet stream pays its transport
 * dataspace with its donation (at least the dataspace plus
 * SESSION_RAM), as a File_system session does.
 */
enum { SESSION_RAM = 16 * 1024, BULK_MAX = 64 << 20 };

struct session {
	cairn_rpc_obj    obj;   /* first: the root helper's common session */
	cairn_ps_tx_sink tx;
	bool             has_tx;
};

static cairn_env           *env;
static cairn_root           root;
static cairn_cap            stamp_ds;
static struct sig_stamp    *stamp;
static cairn_signal_handler stamp_handler;

static void on_stamp(cairn_signal_handler *h, unsigned count)
{
	sig_stamp_mark(stamp);
}

/* read every byte of each packet, acknowledge it with the sum; never block */
static void progress(cairn_ps_tx_sink *t, void *data)
{
	while (ps_sink_packet_avail(&t->sink) && ps_sink_ready_to_ack(&t->sink)) {
		struct bench_packet p;
		if (ps_sink_get(&t->sink, &p) != PS_OK) break;
		const uint8_t *content = ps_sink_content(&t->sink, &p.d);
		p.sum = content ? bench_sum(content, p.d.size) : ~bench_fill_sum(p.seq, p.d.size);
		if (ps_sink_ack(&t->sink, &p) != PS_OK) break;
	}
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct session *s = obj->data;
	int r = CAIRN_OK;
	if (s->has_tx && cairn_ps_tx_sink_dispatch(&s->tx, req, reply))
		r = CAIRN_OK;
	else if (req->code == BENCH_STAMP) {
		cairn_msg_put_cap(reply, stamp_ds);
		cairn_msg_put_cap(reply, stamp_handler.obj.cap);
	} else
		r = CAIRN_ERR_OPCODE;
	while (req->capos < req->ncaps)
		cairn_cap_release(cairn_msg_get_cap(req));
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *rt, const char *args, const char *label, cairn_heap *heap,
                  cairn_rpc_obj **obj)
{
	size_t bulk  = args_size(args, "buffer_size", 0);
	size_t quota = args_size(args, "ram_quota", 0);
	if (bulk > BULK_MAX) return CAIRN_ERR_INVALID_ARGS;
	if (bulk && quota < cairn_ps_tx_sink_cost(bulk, BENCH_QUEUE, sizeof(struct bench_packet)) + SESSION_RAM) {
		cairn_error("Insufficient ram quota for a bulk buffer of %zu bytes from %s", bulk, label);
		return CAIRN_ERR_QUOTA;
	}
	int err;
	struct session *s = cairn_root_session_alloc(rt, heap, sizeof(*s), dispatch, &err);
	if (!s) return err;
	if (bulk) {
		err = cairn_ps_tx_sink_init(&s->tx, env, bulk, BENCH_QUEUE, sizeof(struct bench_packet),
		                            progress, s);
		if (err != CAIRN_OK) {
			cairn_root_session_free(rt, &s->obj);
			return err;
		}
		s->has_tx = true;
	}
	*obj = &s->obj;
	return CAIRN_OK;
}

static void destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	struct session *s = obj->data;
	if (s->has_tx) cairn_ps_tx_sink_fini(&s->tx);
	cairn_root_session_free(rt, obj);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct session),
	.create       = create,
	.destroy      = destroy,
};

void cairn_component_construct(cairn_env *e)
{
	void  *addr;
	size_t size;

	env = e;
	if (cairn_pd_alloc(env->pd, sizeof(*stamp), &stamp_ds) != CAIRN_OK ||
	    cairn_ds_attach(stamp_ds, 0, 0, false, &addr, &size) != CAIRN_OK)
		cairn_fatal("no stamp page");
	stamp = addr;
	if (!cairn_cap_valid(cairn_signal_handler_init(&stamp_handler, env->ep, on_stamp, 0)))
		cairn_fatal("no signal handler");
	if (cairn_root_announce(&root, env, "Bench", &ops, 0) != CAIRN_OK)
		cairn_fatal("could not announce the Bench service");
}
