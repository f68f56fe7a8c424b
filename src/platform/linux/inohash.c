/* inohash.c - open-addressing map from inode identity to a table index */

#include "inohash.h"
#include "internal.h"

#include <sys/mman.h>

void inohash_init(struct inohash *h, unsigned log2_size, uint64_t (*key)(uint32_t))
{
	size_t n = (size_t)1 << log2_size;
	h->slots = mmap(0, n * sizeof(uint32_t), PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h->slots == MAP_FAILED) plat_die("cannot map hash table");
	h->mask = (uint32_t)(n - 1);
	h->key  = key;
}

/*
 * The kernel hands out inode numbers of sockets and memory objects in
 * runs (per-CPU batches of 1024), so the identities a process meets come
 * in clusters. A block of 1024 numbers maps to one page of slots, placed
 * by a hash of the block: a process that holds a few objects touches a
 * few pages of its (large, lazily mapped) table instead of one page per
 * object, while runs from different blocks still spread over the table.
 */
enum { BLOCK_BITS = 10 };

static uint32_t home(struct inohash *h, uint64_t ino)
{
	uint64_t mix = (ino >> BLOCK_BITS) * 0x9e3779b97f4a7c15ull;
	if (h->mask < (1u << BLOCK_BITS)) return (uint32_t)(mix >> 40) & h->mask;
	return ((uint32_t)(mix >> 40) << BLOCK_BITS | (uint32_t)(ino & ((1u << BLOCK_BITS) - 1))) & h->mask;
}

uint32_t inohash_find(struct inohash *h, uint64_t ino)
{
	for (uint32_t s = home(h, ino);; s = (s + 1) & h->mask) {
		uint32_t i = h->slots[s];
		if (!i) return 0;
		if (h->key(i) == ino) return i;
	}
}

void inohash_insert(struct inohash *h, uint32_t idx)
{
	uint32_t s = home(h, h->key(idx));
	while (h->slots[s]) s = (s + 1) & h->mask;
	h->slots[s] = idx;
}

void inohash_remove(struct inohash *h, uint32_t idx)
{
	uint32_t s = home(h, h->key(idx));
	while (h->slots[s] != idx) {
		if (!h->slots[s]) return;
		s = (s + 1) & h->mask;
	}
	/* backward-shift deletion keeps every probe chain intact */
	for (uint32_t j = s;;) {
		h->slots[s] = 0;
		for (;;) {
			j = (j + 1) & h->mask;
			if (!h->slots[j]) return;
			uint32_t k = home(h, h->key(h->slots[j]));
			bool between = (s <= j) ? (s < k && k <= j) : (s < k || k <= j);
			if (!between) break;
		}
		h->slots[s] = h->slots[j];
		s = j;
	}
}
