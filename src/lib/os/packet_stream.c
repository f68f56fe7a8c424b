/* packet_stream.c - queues, source and sink of a packet stream on shared memory */

#include <util/packet_stream.h>

#include <string.h>

const char *ps_error_str(enum ps_error e)
{
	switch (e) {
	case PS_OK:          return "ok";
	case PS_ERR_FULL:    return "queue full";
	case PS_ERR_EMPTY:   return "queue empty";
	case PS_ERR_CORRUPT: return "peer corrupted the queue index";
	case PS_ERR_INVALID: return "packet outside the bulk buffer";
	case PS_ERR_ALLOC:   return "Packet_alloc_failed";
	case PS_ERR_UNKNOWN: return "packet was not allocated";
	case PS_ERR_LAYOUT:  return "bad packet-stream layout";
	}
	return "?";
}

/* ---------------------------------------------------------------- layout */

static size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

static bool sizes_ok(unsigned queue_size, size_t desc_size)
{
	return queue_size >= 2 && queue_size <= PS_QUEUE_MAX && desc_size >= sizeof(struct ps_desc)
	    && desc_size <= PS_DESC_MAX && desc_size % 8 == 0;
}

static size_t queue_bytes(unsigned queue_size, size_t desc_size)
{
	return round_up(PS_HDR_SIZE + (size_t)queue_size * desc_size, PS_BULK_ALIGN);
}

enum ps_error ps_layout_init(struct ps_layout *l, size_t ds_size, unsigned queue_size, size_t desc_size)
{
	if (!sizes_ok(queue_size, desc_size)) return PS_ERR_LAYOUT;
	size_t qb = queue_bytes(queue_size, desc_size);
	if (ds_size <= 2 * qb) return PS_ERR_LAYOUT;
	*l = (struct ps_layout){
		.queue_size  = queue_size,
		.desc_size   = desc_size,
		.queue_bytes = qb,
		.submit_off  = 0,
		.ack_off     = qb,
		.bulk_off    = 2 * qb,
		.bulk_size   = ds_size - 2 * qb,
		.ds_size     = ds_size,
	};
	return PS_OK;
}

size_t ps_buffer_size(size_t bulk_size, unsigned queue_size, size_t desc_size)
{
	if (!sizes_ok(queue_size, desc_size)) return 0;
	size_t qb = 2 * queue_bytes(queue_size, desc_size);
	return bulk_size > SIZE_MAX - qb ? 0 : bulk_size + qb;
}

/* ---------------------------------------------------------------- queues */

void ps_queue_init(struct ps_queue *q, void *hdr, unsigned slots, size_t desc_size,
                   bool producer, bool reset)
{
	q->hdr       = hdr;
	q->slots     = (uint8_t *)hdr + PS_HDR_SIZE;
	q->q         = slots;
	q->desc_size = desc_size;
	q->own       = 0;
	q->producer  = producer;
	if (reset) {
		atomic_store_explicit(&q->hdr->head, 0, memory_order_relaxed);
		atomic_store_explicit(&q->hdr->tail, 0, memory_order_release);
	}
}

/* the peer's index, read once; false if it is outside the queue */
static bool peer_index(const struct ps_queue *q, uint32_t *v)
{
	*v = q->producer ? atomic_load_explicit(&q->hdr->tail, memory_order_acquire)
	                 : atomic_load_explicit(&q->hdr->head, memory_order_acquire);
	return *v < q->q;
}

/*
 * Publish our index, then read the peer's anew. Both sides publish before
 * they look at the other's index to decide "empty" or "full" and go to
 * sleep (the fence orders our store before the load), so either the peer
 * sees our new index, or we see that it had caught up and may sleep: it
 * must be signalled. Deciding from the index read before publishing
 * loses that wake-up when the peer catches up in between. A corrupt index
 * counts as caught up (a signal too many does no harm).
 */
static bool publish_and_check(struct ps_queue *q, _Atomic uint32_t *own_index, uint32_t caught_up)
{
	uint32_t peer;
	atomic_store_explicit(own_index, q->own, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	return !peer_index(q, &peer) || peer == caught_up;
}

enum ps_error ps_queue_put(struct ps_queue *q, const void *desc, bool *was_empty)
{
	uint32_t tail;
	if (!peer_index(q, &tail)) return PS_ERR_CORRUPT;
	uint32_t prev = q->own, next = (prev + 1) % q->q;
	if (next == tail) return PS_ERR_FULL;
	memcpy(q->slots + (size_t)prev * q->desc_size, desc, q->desc_size);
	q->own = next;
	/* empty but for this entry: the consumer's tail is where the entry went */
	*was_empty = publish_and_check(q, &q->hdr->head, prev);
	return PS_OK;
}

enum ps_error ps_queue_get(struct ps_queue *q, void *desc, bool *was_full, bool take)
{
	uint32_t head;
	if (!peer_index(q, &head)) return PS_ERR_CORRUPT;
	if (q->own == head) return PS_ERR_EMPTY;
	memcpy(desc, q->slots + (size_t)q->own * q->desc_size, q->desc_size);
	if (!take) return PS_OK;
	uint32_t prev = q->own;
	q->own = (prev + 1) % q->q;
	/* full but for the slot just freed: the producer's head is just before it */
	*was_full = publish_and_check(q, &q->hdr->tail, (prev + q->q - 1) % q->q);
	return PS_OK;
}

unsigned ps_queue_count(const struct ps_queue *q)
{
	uint32_t peer;
	if (!peer_index(q, &peer)) return 0;
	if (q->producer) return (peer + q->q - q->own - 1) % q->q;   /* free slots */
	return (peer + q->q - q->own) % q->q;                        /* entries */
}

/* ---------------------------------------------------------------- source */

static void notify(ps_notify_fn fn, void *ctx, enum ps_signal sig)
{
	if (fn) fn(ctx, sig);
}

void ps_source_init(struct ps_source *s, void *base, const struct ps_layout *l,
                    struct ps_range *ranges, unsigned max_ranges,
                    ps_notify_fn fn, void *ctx)
{
	s->l          = *l;
	s->base       = base;
	s->ranges     = ranges;
	s->nranges    = 0;
	s->max_ranges = max_ranges;
	s->notify     = fn;
	s->ctx        = ctx;
	ps_queue_init(&s->submit, s->base + l->submit_off, l->queue_size, l->desc_size, true, true);
	ps_queue_init(&s->ack, s->base + l->ack_off, l->queue_size, l->desc_size, false, true);
}

enum ps_error ps_source_alloc(struct ps_source *s, size_t size, unsigned align_log2, struct ps_desc *p)
{
	uint64_t start = s->l.bulk_off, end = s->l.bulk_off + s->l.bulk_size;
	if (!size) { *p = (struct ps_desc){ start, 0 }; return PS_OK; }
	if (align_log2 > 20 || size > s->l.bulk_size || s->nranges >= s->max_ranges) return PS_ERR_ALLOC;
	uint64_t align = (uint64_t)1 << align_log2;

	/* first fit: the gap before range i (i == nranges: the gap at the end) */
	uint64_t gap = start;
	for (unsigned i = 0; i <= s->nranges; i++) {
		uint64_t limit = i < s->nranges ? s->ranges[i].offset : end;
		uint64_t at = (gap + align - 1) & ~(align - 1);
		if (at >= gap && at <= limit && limit - at >= size) {
			memmove(&s->ranges[i + 1], &s->ranges[i], (s->nranges - i) * sizeof(*s->ranges));
			s->ranges[i] = (struct ps_range){ at, size };
			s->nranges++;
			*p = (struct ps_desc){ at, size };
			return PS_OK;
		}
		if (i < s->nranges) gap = s->ranges[i].offset + s->ranges[i].size;
	}
	return PS_ERR_ALLOC;
}

static bool in_bulk(const struct ps_layout *l, const struct ps_desc *p)
{
	return p->offset >= l->bulk_off && p->size <= l->bulk_size
	    && p->offset - l->bulk_off <= l->bulk_size - p->size;
}

void *ps_source_content(struct ps_source *s, const struct ps_desc *p)
{
	return in_bulk(&s->l, p) ? s->base + p->offset : 0;
}

bool ps_source_ready_to_submit(struct ps_source *s) { return ps_queue_count(&s->submit) > 0; }

enum ps_error ps_source_submit(struct ps_source *s, const void *desc)
{
	bool was_empty;
	enum ps_error e = ps_queue_put(&s->submit, desc, &was_empty);
	if (e == PS_OK && was_empty) notify(s->notify, s->ctx, PS_SIG_PACKET_AVAIL);
	return e;
}

bool ps_source_ack_avail(struct ps_source *s) { return ps_queue_count(&s->ack) > 0; }

enum ps_error ps_source_get_acked(struct ps_source *s, void *desc)
{
	bool was_full;
	enum ps_error e = ps_queue_get(&s->ack, desc, &was_full, true);
	if (e == PS_OK && was_full) notify(s->notify, s->ctx, PS_SIG_READY_TO_ACK);
	return e;
}

enum ps_error ps_source_release(struct ps_source *s, const struct ps_desc *p)
{
	if (!p->size) return PS_OK;
	unsigned lo = 0, hi = s->nranges;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (s->ranges[mid].offset < p->offset) lo = mid + 1;
		else hi = mid;
	}
	if (lo == s->nranges || s->ranges[lo].offset != p->offset || s->ranges[lo].size != p->size)
		return PS_ERR_UNKNOWN;
	memmove(&s->ranges[lo], &s->ranges[lo + 1], (s->nranges - lo - 1) * sizeof(*s->ranges));
	s->nranges--;
	return PS_OK;
}

/* ---------------------------------------------------------------- sink */

void ps_sink_init(struct ps_sink *k, void *base, const struct ps_layout *l, ps_notify_fn fn, void *ctx)
{
	k->l      = *l;
	k->base   = base;
	k->notify = fn;
	k->ctx    = ctx;
	ps_queue_init(&k->submit, k->base + l->submit_off, l->queue_size, l->desc_size, false, false);
	ps_queue_init(&k->ack, k->base + l->ack_off, l->queue_size, l->desc_size, true, false);
	/* publish our own start indices; the peer's are checked on every use */
	atomic_store_explicit(&k->submit.hdr->tail, 0, memory_order_release);
	atomic_store_explicit(&k->ack.hdr->head, 0, memory_order_release);
}

bool ps_sink_packet_avail(struct ps_sink *k) { return ps_queue_count(&k->submit) > 0; }

enum ps_error ps_sink_get(struct ps_sink *k, void *desc)
{
	bool was_full;
	enum ps_error e = ps_queue_get(&k->submit, desc, &was_full, true);
	if (e == PS_OK && was_full) notify(k->notify, k->ctx, PS_SIG_READY_TO_SUBMIT);
	return e;
}

enum ps_error ps_sink_peek(struct ps_sink *k, void *desc)
{
	bool was_full;
	return ps_queue_get(&k->submit, desc, &was_full, false);
}

bool ps_sink_packet_valid(const struct ps_sink *k, const struct ps_desc *p) { return in_bulk(&k->l, p); }

void *ps_sink_content(struct ps_sink *k, const struct ps_desc *p)
{
	return in_bulk(&k->l, p) ? k->base + p->offset : 0;
}

bool ps_sink_ready_to_ack(struct ps_sink *k) { return ps_queue_count(&k->ack) > 0; }

unsigned ps_sink_ack_slots_free(struct ps_sink *k) { return ps_queue_count(&k->ack); }

unsigned ps_sink_acks_queued(struct ps_sink *k)
{
	uint32_t tail;
	if (!peer_index(&k->ack, &tail)) return 0;
	return (k->ack.own + k->ack.q - tail) % k->ack.q;
}

enum ps_error ps_sink_ack(struct ps_sink *k, const void *desc)
{
	bool was_empty;
	enum ps_error e = ps_queue_put(&k->ack, desc, &was_empty);
	if (e == PS_OK && was_empty) notify(k->notify, k->ctx, PS_SIG_ACK_AVAIL);
	return e;
}
