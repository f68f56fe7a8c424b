/* packet_client.c - bench_packet: packet-stream throughput to bench_server, against memcpy */

#include <base/log.h>
#include <base/packet_stream.h>
#include <base/parent.h>

#include "component.h"

/*
 * A tx packet stream to bench_server (base/packet_stream.h: transport
 * dataspace allocated by the server, the four signals, blocking submit
 * and get_acked on our entrypoint). Per packet the source takes the acks
 * that are there, allocates (waiting for an ack while the bulk buffer is
 * full), fills every byte, submits; the sink reads every byte and puts
 * the sum into the ack, which we check. A batch of n packets is timed
 * from the first allocation to the last ack and gives MB/s (10^6 B/s).
 *
 * The baseline, in the same rounds: memcpy through a source and a
 * destination buffer of the bulk buffer's size, in pieces of the packet
 * size at the packets' alignment, on the source's CPU. For orientation,
 * "touch": what source and sink do to the payload (fill, then read every
 * byte), on one CPU, without the stream.
 */
enum { BATCH_NS = 4000000, MAX_K = 1000000, ALIGN_LOG2 = 6, SESSION_RAM = 16 * 1024 };
enum { BULK_DEFAULT = 256 * 1024 };

static cairn_ps_tx_source tx;
static size_t             bulk;
static uint64_t           seq;          /* the last packet's number */
static unsigned           outstanding;  /* submitted, not acknowledged */
static uint8_t           *copy_src, *copy_dst;
static size_t             copy_at;

static double mb_per_s(uint64_t bytes, uint64_t ns) { return (double)bytes * 1e3 / (double)ns; }

static void take_ack(void)
{
	struct bench_packet a;
	if (cairn_ps_tx_get_acked(&tx, &a) != CAIRN_OK)
		cairn_fatal("the sink corrupted the ack queue");
	if (a.sum != bench_fill_sum(a.seq, a.d.size))
		cairn_fatal("packet %llu of %llu bytes: the sink read sum %llx, we wrote %llx",
		            (unsigned long long)a.seq, (unsigned long long)a.d.size,
		            (unsigned long long)a.sum, (unsigned long long)bench_fill_sum(a.seq, a.d.size));
	if (ps_source_release(&tx.source, &a.d) != PS_OK)
		cairn_fatal("ack of a packet we did not submit");
	outstanding--;
}

static double run_stream(void *arg, int n)
{
	struct bench_op *op = arg;
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		struct bench_packet p = { .seq = ++seq };
		while (ps_source_ack_avail(&tx.source))
			take_ack();
		while (ps_source_alloc(&tx.source, op->size, ALIGN_LOG2, &p.d) != PS_OK) {
			if (!outstanding) cairn_fatal("no room for a packet of %zu bytes", op->size);
			take_ack();
		}
		memset(ps_source_content(&tx.source, &p.d), bench_fill_byte(p.seq), op->size);
		if (cairn_ps_tx_submit(&tx, &p) != CAIRN_OK)
			cairn_fatal("the sink corrupted the submit queue");
		outstanding++;
	}
	while (outstanding)
		take_ack();
	return mb_per_s((uint64_t)op->size * (uint64_t)n, now_ns() - t0);
}

/* the next piece of `size` bytes of the copy buffers, at the packets' alignment */
static size_t next_piece(size_t size)
{
	size_t align = (size_t)1 << ALIGN_LOG2;
	if (copy_at + size > bulk) copy_at = 0;
	size_t at = copy_at;
	copy_at = (at + size + align - 1) & ~(align - 1);
	return at;
}

static double run_memcpy(void *arg, int n)
{
	struct bench_op *op = arg;
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		size_t at = next_piece(op->size);
		memcpy(copy_dst + at, copy_src + at, op->size);
	}
	uint64_t t = now_ns() - t0;
	__asm__ volatile("" : : "r"(copy_dst) : "memory");   /* the copies count */
	return mb_per_s((uint64_t)op->size * (uint64_t)n, t);
}

/* orientation: the two sides' work on the payload without the stream (fill, then read, one CPU) */
static double run_touch(void *arg, int n)
{
	struct bench_op *op = arg;
	uint64_t sum = 0, t0 = now_ns();
	for (int i = 0; i < n; i++) {
		size_t at = next_piece(op->size);
		memset(copy_dst + at, bench_fill_byte((uint64_t)i), op->size);
		sum += bench_sum(copy_dst + at, op->size);
	}
	uint64_t t = now_ns() - t0;
	__asm__ volatile("" : : "r"(sum) : "memory");
	return mb_per_s((uint64_t)op->size * (uint64_t)n, t);
}

static struct bench_op ops[] = {
	{ .name = "ps1500.x",  .run = run_stream, .size = 1500 },
	{ .name = "ps4k.x",    .run = run_stream, .size = 4096 },
	{ .name = "ps64k.x",   .run = run_stream, .size = 65536 },
	{ .name = "ps1500.s",  .run = run_stream, .size = 1500,  .same_core = true },
	{ .name = "ps4k.s",    .run = run_stream, .size = 4096,  .same_core = true },
	{ .name = "ps64k.s",   .run = run_stream, .size = 65536, .same_core = true },
	{ .name = "copy1500",  .run = run_memcpy, .size = 1500 },
	{ .name = "copy4k",    .run = run_memcpy, .size = 4096 },
	{ .name = "copy64k",   .run = run_memcpy, .size = 65536 },
	{ .name = "touch1500", .run = run_touch,  .size = 1500 },
	{ .name = "touch4k",   .run = run_touch,  .size = 4096 },
	{ .name = "touch64k",  .run = run_touch,  .size = 65536 },
};

void cairn_component_construct(cairn_env *env)
{
	static struct bench_client c;
	struct xml_node cfg;
	cairn_cap       session;

	bench_client_init(&c, env, BATCH_NS, MAX_K);
	(void)cairn_config_xml(&c.config, &cfg);
	bulk = xml_attr_size(&cfg, "buffer_size", BULK_DEFAULT);

	size_t cost = cairn_ps_tx_sink_cost(bulk, BENCH_QUEUE, sizeof(struct bench_packet));
	int err = cairn_session(env, "Bench", &session, "ram_quota=%zu, buffer_size=%zu",
	                        cost + SESSION_RAM, bulk);
	if (err == CAIRN_OK)
		err = cairn_ps_tx_source_init(&tx, env, session, BENCH_QUEUE, sizeof(struct bench_packet),
		                              BENCH_QUEUE - 1);
	if (err != CAIRN_OK)
		cairn_fatal("no packet stream with a bulk buffer of %zu bytes: %s", bulk, cairn_err_str(err));
	copy_src = cairn_heap_alloc(env->heap, bulk);
	copy_dst = cairn_heap_alloc(env->heap, bulk);
	if (!copy_src || !copy_dst)
		cairn_fatal("no memory for the memcpy buffers");
	memset(copy_src, 1, bulk);
	memset(copy_dst, 2, bulk);
	cairn_log("bulk buffer %zu bytes, queue %d", tx.source.l.bulk_size, BENCH_QUEUE);
	/* calibrate on runs of four bulk buffers' worth (fill and drain are part of a batch) */
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		ops[i].chunk = (int)(4 * bulk / ops[i].size);
	bench_client_run(&c, ops, sizeof(ops) / sizeof(ops[0]));
}
