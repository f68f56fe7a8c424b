/* packet_desc.c - libFuzzer target: the sink side of a packet stream against a hostile source */
#include "../../src/lib/os/packet_stream.c"

#include <stdio.h>
#include <stdlib.h>

/*
 * The input is what a malicious client can control: the whole transport
 * buffer (queue headers, descriptor slots, payload) plus, after it, a
 * script of index changes that it makes while the server works. The sink
 * (a server) must never touch memory outside the buffer, never hand out
 * a payload range outside the bulk buffer, take at most one entry per
 * slot between changes, and keep its own indices in range. The source
 * side is checked the same way against a hostile sink: every ack is
 * either released as one of its own allocations or refused.
 */
#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct pkt { struct ps_desc base; uint32_t handle, opcode; uint64_t position, length; uint32_t ok, pad; };

enum { Q = 16, DS = 16384 };

static void as_sink(uint8_t *buf, const uint8_t *script, size_t nscript)
{
	struct ps_layout l;
	REQUIRE(ps_layout_init(&l, DS, Q, sizeof(struct pkt)) == PS_OK);
	struct ps_sink k;
	uint32_t saved_head = atomic_load(&((struct ps_queue_hdr *)buf)->head);
	ps_sink_init(&k, buf, &l, 0, 0);
	atomic_store(&((struct ps_queue_hdr *)buf)->head, saved_head);   /* the client's choice */
	size_t si = 0;
	for (unsigned round = 0; round < 4 * Q; round++) {
		if (si + 2 <= nscript) {   /* the client moves its head, or rewrites a slot */
			uint8_t op = script[si++], v = script[si++];
			if (op & 1) atomic_store(&k.submit.hdr->head, v);
			else buf[PS_HDR_SIZE + (size_t)(op >> 1) % (Q * sizeof(struct pkt))] = v;
			if (op & 2) atomic_store(&k.ack.hdr->tail, v);
		}
		struct pkt p;
		enum ps_error e = ps_sink_get(&k, &p);
		REQUIRE(k.submit.own < Q && k.ack.own < Q);
		if (e != PS_OK) continue;
		uint8_t *c = ps_sink_content(&k, &p.base);
		if (c) {
			REQUIRE(ps_sink_packet_valid(&k, &p.base));
			REQUIRE(c >= buf + l.bulk_off && p.base.size <= l.bulk_size);
			REQUIRE((size_t)(c - buf) + p.base.size <= DS);
			volatile uint8_t sum = 0;
			for (uint64_t i = 0; i < p.base.size; i++) sum += c[i];   /* ASan checks the range */
			(void)sum;
			p.ok = 1;
		} else {
			REQUIRE(!ps_sink_packet_valid(&k, &p.base));
			p.ok = 0;
		}
		(void)ps_sink_ack(&k, &p);
		REQUIRE(k.ack.own < Q);
	}
}

static void as_source(uint8_t *buf, const uint8_t *data, size_t size)
{
	struct ps_layout l;
	REQUIRE(ps_layout_init(&l, DS, Q, sizeof(struct pkt)) == PS_OK);
	struct ps_source s;
	struct ps_range ranges[Q];
	ps_source_init(&s, buf, &l, ranges, Q, 0, 0);
	struct pkt mine[4];
	for (unsigned i = 0; i < 4; i++) {
		memset(&mine[i], 0, sizeof(mine[i]));
		REQUIRE(ps_source_alloc(&s, 100 * (i + 1), 3, &mine[i].base) == PS_OK);
		REQUIRE(ps_source_submit(&s, &mine[i]) == PS_OK);
	}
	/* the hostile sink writes acks and its head from the input */
	memcpy(buf + l.ack_off + PS_HDR_SIZE, data, size < Q * sizeof(struct pkt) ? size : Q * sizeof(struct pkt));
	atomic_store(&s.ack.hdr->head, size ? data[0] : 0);
	unsigned released = 0;
	for (unsigned round = 0; round < 2 * Q; round++) {
		struct pkt a;
		if (ps_source_get_acked(&s, &a) != PS_OK) break;
		if (ps_source_release(&s, &a.base) == PS_OK && a.base.size) {
			bool ours = false;
			for (unsigned i = 0; i < 4; i++)
				ours |= a.base.offset == mine[i].base.offset && a.base.size == mine[i].base.size;
			REQUIRE(ours);
			released++;
		}
	}
	REQUIRE(released + s.nranges == 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(64) uint8_t buf[DS];
	memset(buf, 0, sizeof(buf));
	size_t n = size < DS ? size : DS;
	memcpy(buf, data, n);
	as_sink(buf, data + n, size - n);
	memset(buf, 0, sizeof(buf));
	as_source(buf, data, size);
	return 0;
}
