/* packet_stream.h - bulk transfer through a shared buffer: queues, source and sink roles */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A packet stream moves bulk data in one direction through one shared
 * memory buffer, the transport dataspace (framework.md 10):
 *
 *     offset 0            submit queue    source -> sink descriptors
 *     after it            ack queue       sink -> source descriptors
 *     the rest            bulk buffer     payload, allocated by the source
 *
 * A queue is a header {head, tail} and Q slots of one descriptor each; it
 * holds at most Q-1 entries (full when (head+1)%Q == tail, empty when
 * head == tail). The producer writes head, the consumer writes tail.
 * Every descriptor starts with {offset, size}; the offset is relative to
 * the start of the transport buffer, so a valid packet lies inside
 * [bulk_offset, bulk_offset + bulk_size). Session types extend the
 * descriptor (struct cairn_fs_packet, ...); both sides must agree on the
 * descriptor size and Q, which they take from the session type, never
 * from the shared memory.
 *
 * The **source** allocates bulk ranges (privately: the sink never
 * allocates), writes the payload, submits descriptors, takes acks back
 * and releases their ranges. The **sink** takes descriptors, processes
 * them and acknowledges them, possibly changed (lengths, status).
 *
 * Trust: everything in the shared buffer can be changed by the peer at
 * any time. Each side keeps its own index (head of the queue it produces,
 * tail of the queue it consumes) privately and only publishes it; the
 * peer's index is read once and checked (PS_ERR_CORRUPT if out of range);
 * descriptors are copied out before they are looked at. The sink checks
 * every descriptor against the bulk buffer (ps_sink_packet_valid) and the
 * source every ack against its own allocations (ps_source_release). A
 * payload can change while it is processed; whoever interprets it (a path
 * name, say) copies it first.
 *
 * Signals: each side registers a notify function; the queues call it for
 * the four events below, which the channel (base/packet_stream.h) turns
 * into signals to the peer:
 *
 *     PS_SIG_PACKET_AVAIL     to the sink: submit queue went from empty to one entry
 *     PS_SIG_READY_TO_SUBMIT  to the source: the sink took an entry from a full submit queue
 *     PS_SIG_ACK_AVAIL        to the source: ack queue went from empty to one entry
 *     PS_SIG_READY_TO_ACK     to the sink: the source took an entry from a full ack queue
 *
 * A side decides about a signal only after it has published its own
 * index (and a full fence), from the peer's index read then: the peer
 * does the same before it decides to wait, so a wake-up is never lost.
 *
 * This file is the util layer: no allocation, no system calls, usable in
 * a unit test or fuzzer on plain memory. Neither side is thread-safe;
 * each side is used by one thread (its entrypoint).
 */

enum ps_error {
	PS_OK = 0,
	PS_ERR_FULL,      /* the queue has no free slot */
	PS_ERR_EMPTY,     /* the queue holds no entry */
	PS_ERR_CORRUPT,   /* the peer published an index outside the queue */
	PS_ERR_INVALID,   /* the descriptor lies outside the bulk buffer */
	PS_ERR_ALLOC,     /* Packet_alloc_failed: no room in the bulk buffer */
	PS_ERR_UNKNOWN,   /* released packet was not allocated (a forged ack) */
	PS_ERR_LAYOUT,    /* the buffer cannot hold the queues (or bad sizes) */
};

const char *ps_error_str(enum ps_error e);

enum ps_signal {
	PS_SIG_PACKET_AVAIL,
	PS_SIG_READY_TO_SUBMIT,
	PS_SIG_ACK_AVAIL,
	PS_SIG_READY_TO_ACK,
};

typedef void (*ps_notify_fn)(void *ctx, enum ps_signal sig);

/* the part every descriptor starts with */
struct ps_desc {
	uint64_t offset;   /* from the start of the transport buffer */
	uint64_t size;     /* bytes of payload */
};

enum {
	PS_QUEUE_MAX  = 4096,   /* slots per queue, at most */
	PS_DESC_MAX   = 256,    /* bytes per descriptor, at most */
	PS_HDR_SIZE   = 128,    /* queue header: head and tail on cache lines of their own */
	PS_BULK_ALIGN = 64,     /* the bulk buffer starts at a multiple of this */
};

/*
 * Where everything lies, computed by both sides from the same numbers.
 * A queue of Q slots takes PS_HDR_SIZE + Q * desc_size bytes, rounded up
 * to PS_BULK_ALIGN.
 */
struct ps_layout {
	unsigned queue_size;   /* Q */
	size_t   desc_size;    /* bytes per slot: multiple of 8, >= sizeof(struct ps_desc) */
	size_t   queue_bytes;
	size_t   submit_off, ack_off, bulk_off, bulk_size, ds_size;
};

/*
 * Layout of a buffer of ds_size bytes; PS_ERR_LAYOUT if the sizes are out
 * of range (Q < 2 or > PS_QUEUE_MAX, desc_size not a multiple of 8 or out
 * of range) or the queues leave no bulk buffer.
 */
enum ps_error ps_layout_init(struct ps_layout *l, size_t ds_size, unsigned queue_size,
                             size_t desc_size) __attribute__((warn_unused_result));

/* buffer size whose bulk buffer holds bulk_size bytes (0 if it overflows) */
size_t ps_buffer_size(size_t bulk_size, unsigned queue_size, size_t desc_size);

/* ---- one queue, seen from one side ---- */

struct ps_queue_hdr {
	_Atomic uint32_t head;
	uint8_t          pad0[60];
	_Atomic uint32_t tail;
	uint8_t          pad1[60];
};

struct ps_queue {
	struct ps_queue_hdr *hdr;
	uint8_t             *slots;
	unsigned             q;
	size_t               desc_size;
	uint32_t             own;       /* our index: head if we produce, tail if we consume */
	bool                 producer;
};

/* ---- source ---- */

/* an allocated bulk range (private to the source) */
struct ps_range { uint64_t offset, size; };

struct ps_source {
	struct ps_layout l;
	uint8_t         *base;
	struct ps_queue  submit;       /* we produce */
	struct ps_queue  ack;          /* we consume */
	struct ps_range *ranges;       /* allocated ranges sorted by offset */
	unsigned         nranges, max_ranges;
	ps_notify_fn     notify;
	void            *ctx;
};

/*
 * Set up the source side of the buffer at `base` (layout `l`). The source
 * initialises the queue headers (both empty). `ranges` holds up to
 * max_ranges outstanding allocations (allocated, submitted or acked but
 * not yet released); more make ps_source_alloc fail with PS_ERR_ALLOC.
 */
void ps_source_init(struct ps_source *s, void *base, const struct ps_layout *l,
                    struct ps_range *ranges, unsigned max_ranges,
                    ps_notify_fn notify, void *ctx);

/*
 * Allocate `size` bytes of bulk buffer aligned to 2^align_log2 (first
 * fit) and fill p->offset/p->size. Zero size is allowed (offset at the
 * start of the bulk buffer, nothing reserved).
 */
enum ps_error ps_source_alloc(struct ps_source *s, size_t size, unsigned align_log2,
                              struct ps_desc *p) __attribute__((warn_unused_result));

/* payload of a packet, NULL if it lies outside the bulk buffer */
void *ps_source_content(struct ps_source *s, const struct ps_desc *p);

bool          ps_source_ready_to_submit(struct ps_source *s);
/* submit a descriptor of desc_size bytes (PS_ERR_FULL, PS_ERR_CORRUPT) */
enum ps_error ps_source_submit(struct ps_source *s, const void *desc) __attribute__((warn_unused_result));
bool          ps_source_ack_avail(struct ps_source *s);
/* take an ack (copied to desc, desc_size bytes): PS_ERR_EMPTY, PS_ERR_CORRUPT */
enum ps_error ps_source_get_acked(struct ps_source *s, void *desc) __attribute__((warn_unused_result));
/*
 * Free the range of a packet. It must be an allocation of this source,
 * same offset and size (PS_ERR_UNKNOWN otherwise: the sink acked
 * something we never submitted). Zero-size packets need no release.
 */
enum ps_error ps_source_release(struct ps_source *s, const struct ps_desc *p);

/* ---- sink ---- */

struct ps_sink {
	struct ps_layout l;
	uint8_t         *base;
	struct ps_queue  submit;       /* we consume */
	struct ps_queue  ack;          /* we produce */
	ps_notify_fn     notify;
	void            *ctx;
};

/*
 * Set up the sink side. The sink trusts nothing in the buffer: it starts
 * from index 0 of both queues and publishes its own indices.
 */
void ps_sink_init(struct ps_sink *k, void *base, const struct ps_layout *l,
                  ps_notify_fn notify, void *ctx);

bool          ps_sink_packet_avail(struct ps_sink *k);
/* take the next descriptor (copied, desc_size bytes): PS_ERR_EMPTY, PS_ERR_CORRUPT */
enum ps_error ps_sink_get(struct ps_sink *k, void *desc) __attribute__((warn_unused_result));
/* copy the next descriptor without taking it */
enum ps_error ps_sink_peek(struct ps_sink *k, void *desc) __attribute__((warn_unused_result));
/* the packet lies inside the bulk buffer (checked without overflow) */
bool          ps_sink_packet_valid(const struct ps_sink *k, const struct ps_desc *p);
/* payload of a valid packet, NULL for an invalid one */
void         *ps_sink_content(struct ps_sink *k, const struct ps_desc *p);
bool          ps_sink_ready_to_ack(struct ps_sink *k);
unsigned      ps_sink_ack_slots_free(struct ps_sink *k);
/* acks queued that the source has not taken yet */
unsigned      ps_sink_acks_queued(struct ps_sink *k);
/* acknowledge a descriptor (desc_size bytes): PS_ERR_FULL, PS_ERR_CORRUPT */
enum ps_error ps_sink_ack(struct ps_sink *k, const void *desc) __attribute__((warn_unused_result));

/* ---- the queue primitives (used by both roles, exposed for tests) ---- */

void          ps_queue_init(struct ps_queue *q, void *hdr, unsigned slots, size_t desc_size,
                            bool producer, bool reset);
enum ps_error ps_queue_put(struct ps_queue *q, const void *desc, bool *was_empty);
enum ps_error ps_queue_get(struct ps_queue *q, void *desc, bool *was_full, bool take);
/* entries (consumer) or free slots (producer); 0 if the peer's index is corrupt */
unsigned      ps_queue_count(const struct ps_queue *q);
