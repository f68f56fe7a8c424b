/* packet_stream.h - a packet-stream channel between a client and a server: dataspace, signals, RPCs */
#pragma once

#include <base/env.h>
#include <base/msg.h>
#include <base/signal.h>
#include <util/packet_stream.h>

/*
 * The queues and the bulk buffer of util/packet_stream.h, put into a
 * dataspace that the server allocates from the client's donation, with
 * the four signals wired between the two components (framework.md 10).
 *
 * A session type with a tx channel (the client is the source, the server
 * the sink; File_system, Block, Nic tx) answers these operations on its
 * session capability in addition to its own:
 *
 *   PS_DATASPACE              - -> cap ds     the transport dataspace
 *   PS_SIGH_ACK_AVAIL         cap -> -        the client's ack_avail context
 *   PS_SIGH_READY_TO_SUBMIT   cap -> -        the client's ready_to_submit context
 *   PS_SIGH_PACKET_AVAIL      - -> cap        the server's packet_avail context
 *   PS_SIGH_READY_TO_ACK      - -> cap        the server's ready_to_ack context
 *
 * Registering ack_avail while acks are queued signals it at once, so a
 * client that registers late misses nothing. The queue size and the
 * descriptor size belong to the session type; the client learns the
 * buffer size from the dataspace.
 *
 * Server side: the session creates a cairn_ps_tx_sink, forwards the
 * operations above to cairn_ps_tx_sink_dispatch, and processes packets
 * when its `progress` function is called (packet_avail or ready_to_ack
 * was signalled). It never blocks on the client: it takes a packet only
 * while an ack slot is free and resumes on the next signal.
 *
 * Client side: cairn_ps_tx_source connects to such a session and offers
 * blocking submit and get_acked, which wait on the entrypoint for the
 * corresponding signal (cairn_ep_wait_signal).
 */
enum cairn_ps_op {
	CAIRN_PS_DATASPACE = 0x100,
	CAIRN_PS_SIGH_ACK_AVAIL,
	CAIRN_PS_SIGH_READY_TO_SUBMIT,
	CAIRN_PS_SIGH_PACKET_AVAIL,
	CAIRN_PS_SIGH_READY_TO_ACK,
};

/* ---- server: the sink of a client's tx stream ---- */

typedef struct cairn_ps_tx_sink cairn_ps_tx_sink;

struct cairn_ps_tx_sink {
	struct ps_sink       sink;
	cairn_env           *env;
	cairn_cap            ds;
	void                *base;
	size_t               ds_size;
	cairn_signal_handler packet_avail, ready_to_ack;   /* our contexts */
	cairn_cap            ack_avail, ready_to_submit;   /* the client's */
	void               (*progress)(cairn_ps_tx_sink *t, void *data);
	void                *data;
};

/*
 * Allocate a transport dataspace of ps_buffer_size(bulk_size, ...) bytes
 * from env->pd (the caller accounts for it against the session's
 * donation) and set up the sink. Errors: CAIRN_ERR_INVALID_ARGS (sizes),
 * CAIRN_ERR_QUOTA (the PD has no room), CAIRN_ERR_NO_MEMORY.
 */
int  cairn_ps_tx_sink_init(cairn_ps_tx_sink *t, cairn_env *env, size_t bulk_size,
                           unsigned queue_size, size_t desc_size,
                           void (*progress)(cairn_ps_tx_sink *, void *), void *data)
	__attribute__((warn_unused_result));
void cairn_ps_tx_sink_fini(cairn_ps_tx_sink *t);

/* handle a CAIRN_PS_* request; false if req is no packet-stream operation */
bool cairn_ps_tx_sink_dispatch(cairn_ps_tx_sink *t, cairn_msg *req, cairn_msg *reply);

/* the dataspace's size for a bulk buffer (what the session is charged) */
size_t cairn_ps_tx_sink_cost(size_t bulk_size, unsigned queue_size, size_t desc_size);

/* ---- client: the source of its tx stream ---- */

typedef struct cairn_ps_tx_source {
	struct ps_source     source;
	struct ps_range     *ranges;
	cairn_env           *env;
	cairn_cap            session;
	cairn_cap            ds;
	void                *base;
	size_t               ds_size;
	cairn_signal_handler ack_avail, ready_to_submit;   /* our contexts */
	cairn_cap            packet_avail, ready_to_ack;   /* the server's */
} cairn_ps_tx_source;

/*
 * Connect to the tx channel of `session`: attach its dataspace, exchange
 * the signal contexts. At most `max_packets` packets may be outstanding
 * (allocated and not yet released). Errors: those of the RPCs and of
 * attaching, CAIRN_ERR_MSG (the dataspace cannot hold the queues).
 */
int  cairn_ps_tx_source_init(cairn_ps_tx_source *t, cairn_env *env, cairn_cap session,
                             unsigned queue_size, size_t desc_size, unsigned max_packets)
	__attribute__((warn_unused_result));
void cairn_ps_tx_source_fini(cairn_ps_tx_source *t);

/*
 * Submit (waiting while the submit queue is full) and take the next ack
 * (waiting while there is none). Errors: CAIRN_ERR_MSG when the server
 * corrupted a queue index. Both block the entrypoint; a server that died
 * without acknowledging leaves the caller waiting.
 */
int cairn_ps_tx_submit(cairn_ps_tx_source *t, const void *desc) __attribute__((warn_unused_result));
int cairn_ps_tx_get_acked(cairn_ps_tx_source *t, void *desc) __attribute__((warn_unused_result));
