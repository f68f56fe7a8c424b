/* heap.c - size-class heap on quota-paid backing store, and per-session heaps */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/pd/pd.h>
#include <base_internal.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Small blocks (up to 2 KiB) come from power-of-two size classes carved out
 * of 32 KiB chunks and are recycled through per-class free lists; larger
 * blocks get backing store of their own, which free returns. Every block
 * carries a 32-byte header in front of it. A session heap charges its
 * blocks against a limit (the client's donation) and frees all of them
 * when destroyed.
 */
enum { HDR = 32, MIN_SHIFT = 4, NCLASS = 8, MAX_SMALL = 16 << (NCLASS - 1), CHUNK = 32 * 1024 };
enum { MAGIC = 0x48ea0000u, LARGE = 0xff };

struct hdr {
	void    *handle;   /* large: backing handle; session: list link */
	size_t   size;     /* large: mapped size; session: block size */
	void    *prev;     /* session: list link */
	uint32_t owner;    /* session: 1 */
	uint32_t magic;    /* MAGIC | class */
};
_Static_assert(sizeof(struct hdr) == HDR, "heap header size");

struct free_blk { struct free_blk *next; };

struct cairn_heap {
	const cairn_heap_backing *backing;
	cairn_heap               *parent;    /* session heap: where blocks come from */
	size_t                    limit;
	size_t                    consumed;
	size_t                    quota_used;
	struct free_blk          *free[NCLASS];
	char                     *chunk;
	size_t                    chunk_left;
	struct hdr               *blocks;    /* session heap: live blocks */
	pthread_mutex_t           lock;
};

static int class_of(size_t size)
{
	int c = 0;
	while (((size_t)16 << c) < size) c++;
	return c;
}

/* what a block of `size` really costs its heap: class or pages, plus header */
size_t cairn_heap_block_cost(size_t size)
{
	if (!size) size = 1;
	if (size > MAX_SMALL) return (size + HDR + 4095) & ~(size_t)4095;
	return ((size_t)16 << class_of(size)) + HDR;
}

static void *root_alloc(cairn_heap *h, size_t size)
{
	if (size > MAX_SMALL) {
		size_t map = (size + HDR + 4095) & ~(size_t)4095;
		void *handle = 0;
		struct hdr *b = h->backing->grow(map, &handle);
		if (!b) return 0;
		*b = (struct hdr){ .handle = handle, .size = map, .magic = MAGIC | LARGE };
		h->quota_used += map;
		h->consumed   += map;
		return (char *)b + HDR;
	}
	int c = class_of(size);
	size_t bs = ((size_t)16 << c) + HDR;
	struct hdr *b;
	if (h->free[c]) {
		b = (struct hdr *)h->free[c];
		h->free[c] = h->free[c]->next;
	} else {
		if (h->chunk_left < bs) {
			void *handle;
			char *chunk = h->backing->grow(CHUNK, &handle);
			if (!chunk) return 0;
			h->chunk = chunk;
			h->chunk_left = CHUNK;
			h->quota_used += CHUNK;
		}
		b = (struct hdr *)h->chunk;
		h->chunk += bs;
		h->chunk_left -= bs;
	}
	*b = (struct hdr){ .magic = MAGIC | (uint32_t)c };
	h->consumed += bs;
	return (char *)b + HDR;
}

static void root_free(cairn_heap *h, struct hdr *b)
{
	uint32_t c = b->magic & 0xffff;
	if (c == LARGE) {
		h->quota_used -= b->size;
		h->consumed   -= b->size;
		h->backing->shrink(b, b->size, b->handle);
		return;
	}
	if (c >= NCLASS) return;
	h->consumed -= ((size_t)16 << c) + HDR;
	b->magic = 0;
	struct free_blk *f = (struct free_blk *)b;
	f->next = h->free[c];
	h->free[c] = f;
}

static void bad_free(void *p)
{
	cairn_error("heap: free of %p, which is no block of this heap", p);
}

void *cairn_heap_alloc(cairn_heap *h, size_t size)
{
	if (!h || size > ((size_t)1 << 40)) return 0;
	if (!size) size = 1;
	if (h->parent) {
		/* charged what the backing heap really spends, headers included */
		size_t cost = cairn_heap_block_cost(size + HDR);
		pthread_mutex_lock(&h->lock);
		if (h->consumed + cost > h->limit) { pthread_mutex_unlock(&h->lock); return 0; }
		char *p = cairn_heap_alloc(h->parent, size + HDR);
		if (p) {
			struct hdr *b = (struct hdr *)p;
			*b = (struct hdr){ .handle = h->blocks, .size = cost, .prev = 0, .owner = 1, .magic = MAGIC };
			if (h->blocks) h->blocks->prev = b;
			h->blocks = b;
			h->consumed += cost;
			p += HDR;
		}
		pthread_mutex_unlock(&h->lock);
		return p;
	}
	pthread_mutex_lock(&h->lock);
	void *p = root_alloc(h, size);
	pthread_mutex_unlock(&h->lock);
	return p;
}

void *cairn_heap_calloc(cairn_heap *h, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) return 0;
	void *p = cairn_heap_alloc(h, n * size);
	if (p) memset(p, 0, n * size);
	return p;
}

void cairn_heap_free(cairn_heap *h, void *p)
{
	if (!p || !h) return;
	struct hdr *b = (struct hdr *)((char *)p - HDR);
	if ((b->magic & 0xffff0000u) != MAGIC) { bad_free(p); return; }
	if (h->parent) {
		if (b->owner != 1) { bad_free(p); return; }
		pthread_mutex_lock(&h->lock);
		struct hdr *next = b->handle, *prev = b->prev;
		if (prev) prev->handle = next; else h->blocks = next;
		if (next) next->prev = prev;
		h->consumed -= b->size;
		b->magic = 0;
		pthread_mutex_unlock(&h->lock);
		cairn_heap_free(h->parent, b);
		return;
	}
	pthread_mutex_lock(&h->lock);
	root_free(h, b);
	pthread_mutex_unlock(&h->lock);
}

size_t cairn_heap_quota_used(cairn_heap *h) { return h->parent ? h->consumed : h->quota_used; }
size_t cairn_heap_consumed(cairn_heap *h) { return h->consumed; }

cairn_heap *cairn_heap_init_root(const cairn_heap_backing *backing)
{
	void *handle;
	cairn_heap *h = backing->grow(4096, &handle);
	if (!h) return 0;
	memset(h, 0, sizeof(*h));
	h->backing    = backing;
	h->quota_used = 4096;
	pthread_mutex_init(&h->lock, 0);
	return h;
}

size_t cairn_heap_struct_size(void) { return sizeof(struct cairn_heap); }

cairn_heap *cairn_heap_create(cairn_heap *backing, size_t limit)
{
	cairn_heap *h = cairn_heap_alloc(backing, sizeof(*h));
	if (!h) return 0;
	memset(h, 0, sizeof(*h));
	h->parent = backing;
	h->limit  = limit;
	pthread_mutex_init(&h->lock, 0);
	return h;
}

void cairn_heap_set_limit(cairn_heap *h, size_t limit)
{
	if (h && h->parent) h->limit = limit;
}

void cairn_heap_destroy(cairn_heap *h)
{
	if (!h || !h->parent) return;
	while (h->blocks) cairn_heap_free(h, (char *)h->blocks + HDR);
	cairn_heap_free(h->parent, h);
}

/*
 * Backing of ordinary components: RAM dataspaces from the PD session. When
 * the quota is exhausted, ask the parent for more once (the parent answers
 * the request right away: granted or refused).
 */
static void *ds_grow(size_t size, void **handle)
{
	cairn_env *env = cairn_env_get();
	cairn_cap ds;
	int r = cairn_pd_alloc(env->pd, size, &ds);
	if (r == CAIRN_ERR_QUOTA) {
		char args[64];
		snprintf(args, sizeof(args), "ram_quota=%zu", size + 8192);
		cairn_log("resource_request: %s", args);
		if (cairn_parent_resource_request(env->parent, args) == CAIRN_OK)
			r = cairn_pd_alloc(env->pd, size, &ds);
	}
	if (r != CAIRN_OK) return 0;
	void *addr;
	if (cairn_ds_attach(ds, 0, 0, false, &addr, 0) != CAIRN_OK) {
		(void)cairn_pd_free(env->pd, ds);
		cairn_cap_release(ds);
		return 0;
	}
	*handle = (void *)(uintptr_t)ds.id;
	return addr;
}

static void ds_shrink(void *addr, size_t size, void *handle)
{
	cairn_env *env = cairn_env_get();
	cairn_cap ds = { (uint32_t)(uintptr_t)handle };
	cairn_ds_detach(addr, size);
	(void)cairn_pd_free(env->pd, ds);
	cairn_cap_release(ds);
}

const cairn_heap_backing cairn_ds_backing = { ds_grow, ds_shrink };
