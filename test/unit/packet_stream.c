/* packet_stream.c - unit test of the packet-stream queues, allocator and validation */

/*
 * The packet stream's util part (src/lib/os/packet_stream.c) is compiled
 * into this test: the unit-test build links only libbase and libutil.
 * Source and sink share a plain buffer here, as two processes share the
 * transport dataspace.
 */
#include "../../src/lib/os/packet_stream.c"

#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

/* a session-type descriptor: the base plus fields of its own */
struct pkt {
	struct ps_desc base;
	uint32_t       tag;
	uint32_t       status;
};

enum { Q = 8, DS = 64 * 1024, MAXR = 16 };

static _Alignas(64) uint8_t buf[DS];
static struct ps_layout     L;
static struct ps_source     src;
static struct ps_sink       snk;
static struct ps_range      ranges[MAXR];
static unsigned             sigs[4];

static void on_sig(void *ctx, enum ps_signal s) { (void)ctx; sigs[s]++; }

static void setup(void)
{
	memset(buf, 0, sizeof(buf));
	memset(sigs, 0, sizeof(sigs));
	CHECK(ps_layout_init(&L, DS, Q, sizeof(struct pkt)) == PS_OK);
	ps_sink_init(&snk, buf, &L, on_sig, 0);
	ps_source_init(&src, buf, &L, ranges, MAXR, on_sig, 0);
}

static void test_layout(void)
{
	section("layout");
	struct ps_layout l;
	CHECK(ps_layout_init(&l, DS, Q, sizeof(struct pkt)) == PS_OK);
	CHECK(l.submit_off == 0 && l.ack_off == l.queue_bytes && l.bulk_off == 2 * l.queue_bytes);
	CHECK(l.queue_bytes >= PS_HDR_SIZE + Q * sizeof(struct pkt) && l.queue_bytes % PS_BULK_ALIGN == 0);
	CHECK(l.bulk_off + l.bulk_size == DS);
	CHECK(ps_layout_init(&l, DS, 1, 24) == PS_ERR_LAYOUT);               /* Q < 2 */
	CHECK(ps_layout_init(&l, DS, PS_QUEUE_MAX + 1, 24) == PS_ERR_LAYOUT);
	CHECK(ps_layout_init(&l, DS, Q, 12) == PS_ERR_LAYOUT);               /* not a multiple of 8 */
	CHECK(ps_layout_init(&l, DS, Q, 8) == PS_ERR_LAYOUT);                /* smaller than ps_desc */
	CHECK(ps_layout_init(&l, DS, Q, PS_DESC_MAX + 8) == PS_ERR_LAYOUT);
	CHECK(ps_layout_init(&l, 2 * l.queue_bytes, Q, 24) == PS_ERR_LAYOUT); /* no bulk buffer */
	size_t want = ps_buffer_size(4096, Q, 24);
	CHECK(ps_layout_init(&l, want, Q, 24) == PS_OK && l.bulk_size == 4096);
	CHECK(ps_buffer_size(SIZE_MAX - 10, Q, 24) == 0);
	CHECK(ps_buffer_size(10, 0, 24) == 0);
}

static void test_alloc(void)
{
	section("bulk allocation: first fit, alignment, exhaustion, release");
	setup();
	struct ps_desc a, b, c, d, z;
	CHECK(ps_source_alloc(&src, 100, 0, &a) == PS_OK && a.offset == L.bulk_off && a.size == 100);
	CHECK(ps_source_alloc(&src, 100, 6, &b) == PS_OK && b.offset % 64 == 0 && b.offset >= a.offset + 100);
	CHECK(ps_source_alloc(&src, 0, 0, &z) == PS_OK && z.size == 0);
	CHECK(ps_source_alloc(&src, L.bulk_size, 0, &c) == PS_ERR_ALLOC);   /* does not fit any more */
	CHECK(ps_source_alloc(&src, 1, 40, &c) == PS_ERR_ALLOC);            /* absurd alignment */
	CHECK(ps_source_release(&src, &a) == PS_OK);
	CHECK(ps_source_release(&src, &a) == PS_ERR_UNKNOWN);               /* twice */
	CHECK(ps_source_alloc(&src, 50, 0, &c) == PS_OK && c.offset == L.bulk_off);  /* the hole is reused */
	struct ps_desc forged = { b.offset, b.size + 1 };
	CHECK(ps_source_release(&src, &forged) == PS_ERR_UNKNOWN);          /* size changed by the sink */
	forged = (struct ps_desc){ b.offset + 1, b.size };
	CHECK(ps_source_release(&src, &forged) == PS_ERR_UNKNOWN);
	CHECK(ps_source_release(&src, &z) == PS_OK);
	CHECK(ps_source_release(&src, &b) == PS_OK);
	CHECK(ps_source_release(&src, &c) == PS_OK);
	CHECK(src.nranges == 0);

	/* the whole buffer in one packet, then nothing more */
	CHECK(ps_source_alloc(&src, L.bulk_size, 0, &d) == PS_OK);
	CHECK(ps_source_alloc(&src, 1, 0, &a) == PS_ERR_ALLOC);
	CHECK(ps_source_release(&src, &d) == PS_OK);

	/* the range table bounds the outstanding packets */
	struct ps_desc many[MAXR + 1];
	unsigned n = 0;
	while (n < MAXR + 1 && ps_source_alloc(&src, 10, 0, &many[n]) == PS_OK) n++;
	CHECK(n == MAXR);
	for (unsigned i = 0; i < n; i++) CHECK(ps_source_release(&src, &many[i]) == PS_OK);

	/* allocations never overlap, under random alloc/free */
	srand(1);
	struct ps_desc live[MAXR];
	unsigned nlive = 0, overlaps = 0;
	for (unsigned round = 0; round < 20000; round++) {
		if (nlive && (rand() % 2 || nlive == MAXR)) {
			unsigned i = (unsigned)rand() % nlive;
			if (ps_source_release(&src, &live[i]) != PS_OK) overlaps++;
			live[i] = live[--nlive];
			continue;
		}
		struct ps_desc p;
		if (ps_source_alloc(&src, 1 + (size_t)rand() % 9000, (unsigned)rand() % 8, &p) != PS_OK) continue;
		for (unsigned i = 0; i < nlive; i++)
			if (p.offset < live[i].offset + live[i].size && live[i].offset < p.offset + p.size) overlaps++;
		if (!ps_source_content(&src, &p)) overlaps++;
		live[nlive++] = p;
	}
	CHECK(overlaps == 0);
}

static void test_round_trip(void)
{
	section("submit, process, acknowledge, and the four signals");
	setup();
	struct pkt p = { 0 }, got;
	CHECK(ps_source_alloc(&src, 5, 0, &p.base) == PS_OK);
	memcpy(ps_source_content(&src, &p.base), "hello", 5);
	p.tag = 42;
	CHECK(!ps_sink_packet_avail(&snk));
	CHECK(ps_sink_get(&snk, &got) == PS_ERR_EMPTY);
	CHECK(ps_source_submit(&src, &p) == PS_OK);
	CHECK(sigs[PS_SIG_PACKET_AVAIL] == 1);                 /* empty -> one entry */
	CHECK(ps_source_submit(&src, &p) == PS_OK);
	CHECK(sigs[PS_SIG_PACKET_AVAIL] == 1);                 /* not again */
	CHECK(ps_sink_peek(&snk, &got) == PS_OK && got.tag == 42);
	CHECK(ps_sink_get(&snk, &got) == PS_OK && got.tag == 42);
	CHECK(ps_sink_packet_valid(&snk, &got.base));
	CHECK(memcmp(ps_sink_content(&snk, &got.base), "hello", 5) == 0);
	got.status = 1;
	CHECK(ps_sink_acks_queued(&snk) == 0);
	CHECK(ps_sink_ack(&snk, &got) == PS_OK);
	CHECK(sigs[PS_SIG_ACK_AVAIL] == 1);
	CHECK(ps_sink_acks_queued(&snk) == 1);
	CHECK(ps_sink_get(&snk, &got) == PS_OK);
	CHECK(ps_sink_ack(&snk, &got) == PS_OK);
	CHECK(sigs[PS_SIG_ACK_AVAIL] == 1);
	CHECK(ps_source_ack_avail(&src));
	CHECK(ps_source_get_acked(&src, &got) == PS_OK && got.status == 1 && got.tag == 42);
	CHECK(ps_source_get_acked(&src, &got) == PS_OK);
	CHECK(ps_source_get_acked(&src, &got) == PS_ERR_EMPTY);
	CHECK(ps_sink_acks_queued(&snk) == 0);
	CHECK(ps_source_release(&src, &p.base) == PS_OK);

	section("full queues: Q-1 entries, ready_to_submit and ready_to_ack");
	setup();
	struct pkt z = { 0 };
	unsigned n = 0;
	while (ps_source_ready_to_submit(&src)) { CHECK(ps_source_submit(&src, &z) == PS_OK); n++; }
	CHECK(n == Q - 1);
	CHECK(ps_source_submit(&src, &z) == PS_ERR_FULL);
	CHECK(ps_sink_get(&snk, &got) == PS_OK);
	CHECK(sigs[PS_SIG_READY_TO_SUBMIT] == 1);              /* taken from a full queue */
	CHECK(ps_sink_get(&snk, &got) == PS_OK);
	CHECK(sigs[PS_SIG_READY_TO_SUBMIT] == 1);
	n = 0;
	while (ps_sink_ready_to_ack(&snk)) { CHECK(ps_sink_ack(&snk, &z) == PS_OK); n++; }
	CHECK(n == Q - 1 && ps_sink_ack_slots_free(&snk) == 0);
	CHECK(ps_sink_ack(&snk, &z) == PS_ERR_FULL);
	CHECK(ps_source_get_acked(&src, &got) == PS_OK);
	CHECK(sigs[PS_SIG_READY_TO_ACK] == 1);
}

static void test_validation(void)
{
	section("the sink checks every descriptor against the bulk buffer");
	setup();
	uint64_t lo = L.bulk_off, hi = L.bulk_off + L.bulk_size;
	struct { uint64_t off, size; bool ok; } cases[] = {
		{ lo, 1, true }, { lo, L.bulk_size, true }, { hi - 1, 1, true }, { hi, 0, true },
		{ lo - 1, 1, false },                        /* inside the ack queue */
		{ 0, 16, false },                            /* the submit queue's header */
		{ hi, 1, false }, { hi - 1, 2, false }, { lo, L.bulk_size + 1, false },
		{ UINT64_MAX - 4, 10, false },               /* wraps around */
		{ lo + 8, UINT64_MAX - 4, false },
		{ UINT64_MAX, UINT64_MAX, false },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ps_desc d = { cases[i].off, cases[i].size };
		CHECK(ps_sink_packet_valid(&snk, &d) == cases[i].ok);
		CHECK((ps_sink_content(&snk, &d) != 0) == cases[i].ok);
		CHECK((ps_source_content(&src, &d) != 0) == cases[i].ok);
	}

	section("a peer's corrupted index is detected, not followed");
	setup();
	atomic_store(&snk.submit.hdr->head, Q + 3);          /* the client's head */
	struct pkt got;
	CHECK(ps_sink_get(&snk, &got) == PS_ERR_CORRUPT);
	CHECK(!ps_sink_packet_avail(&snk));
	atomic_store(&snk.ack.hdr->tail, 0xffffffffu);       /* the client's ack tail */
	CHECK(ps_sink_ack(&snk, &got) == PS_ERR_CORRUPT);
	CHECK(!ps_sink_ready_to_ack(&snk));
	setup();
	atomic_store(&src.submit.hdr->tail, Q);              /* the server's tail */
	CHECK(ps_source_submit(&src, &got) == PS_ERR_CORRUPT);
	atomic_store(&src.ack.hdr->head, Q * 2);
	CHECK(ps_source_get_acked(&src, &got) == PS_ERR_CORRUPT);

	section("the peer's published index does not overwrite our own");
	setup();
	struct pkt z = { 0 };
	CHECK(ps_source_submit(&src, &z) == PS_OK);
	atomic_store(&snk.submit.hdr->tail, 5);              /* the client fakes the sink's tail */
	CHECK(ps_sink_get(&snk, &got) == PS_OK);             /* the sink goes by its own */
	CHECK(ps_sink_get(&snk, &got) == PS_ERR_EMPTY);
	CHECK(atomic_load(&snk.submit.hdr->tail) == 1);      /* and publishes it again */

	section("descriptors are copied out before use");
	setup();
	struct pkt p = { .base = { L.bulk_off, 4 }, .tag = 7 };
	CHECK(ps_source_submit(&src, &p) == PS_OK);
	CHECK(ps_sink_get(&snk, &got) == PS_OK);
	((struct pkt *)(buf + L.submit_off + PS_HDR_SIZE))->base.offset = 0;  /* the peer rewrites the slot */
	CHECK(got.base.offset == L.bulk_off && ps_sink_packet_valid(&snk, &got.base));
}

/*
 * Source and sink in two threads that, like two components, sleep when
 * they cannot go on and are woken only by the other's signal (counted,
 * never lost once sent). A wake-up the queues fail to signal leaves both
 * asleep: the test hangs (the harness's timeout ends it), it never fails
 * by time. Before the queues re-read the peer's index after publishing
 * their own, this hung in each of 5 runs.
 */
enum { WAKE_Q = 4, WAKE_N = 200000 };

static struct ps_source wsrc;
static struct ps_sink   wsnk;
static _Atomic uint32_t wsig[4];   /* signals sent, per kind */

static void wake_sig(void *ctx, enum ps_signal s)
{
	atomic_fetch_add(&wsig[s], 1);
	syscall(SYS_futex, &wsig[s], FUTEX_WAKE, 1, 0, 0, 0);
}

/* sleep until signal `s` was sent after the ones already taken */
static void wake_wait(enum ps_signal s, uint32_t *taken)
{
	while (atomic_load(&wsig[s]) == *taken)
		syscall(SYS_futex, &wsig[s], FUTEX_WAIT, *taken, 0, 0, 0);
	*taken = atomic_load(&wsig[s]);
}

static void *wake_sink(void *arg)
{
	uint32_t taken = 0;
	struct pkt p;
	for (long n = 0; n < WAKE_N;) {
		if (ps_sink_get(&wsnk, &p) == PS_OK) n++;
		else wake_wait(PS_SIG_PACKET_AVAIL, &taken);
	}
	return 0;
}

static void test_wakeups(void)
{
	section("no lost wake-up between two threads");
	struct ps_layout l;
	pthread_t t;
	memset(buf, 0, sizeof(buf));
	CHECK(ps_layout_init(&l, DS, WAKE_Q, sizeof(struct pkt)) == PS_OK);
	ps_sink_init(&wsnk, buf, &l, wake_sig, 0);
	ps_source_init(&wsrc, buf, &l, ranges, MAXR, wake_sig, 0);
	CHECK(pthread_create(&t, 0, wake_sink, 0) == 0);
	uint32_t taken = 0;
	struct pkt p = { .base = { l.bulk_off, 0 } };
	for (long n = 0; n < WAKE_N;) {
		if (ps_source_submit(&wsrc, &p) == PS_OK) n++;
		else wake_wait(PS_SIG_READY_TO_SUBMIT, &taken);
	}
	CHECK(pthread_join(t, 0) == 0);
}

int main(void)
{
	test_layout();
	test_alloc();
	test_round_trip();
	test_validation();
	test_wakeups();
	return check_summary("packet_stream");
}
