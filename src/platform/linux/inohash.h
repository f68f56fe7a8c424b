/* inohash.h - open-addressing map from inode identity to a table index */
#pragma once

#include <stdint.h>

/*
 * Maps the identity of a kernel object (device and inode of a descriptor)
 * to a non-zero index into the owner's table. The owner stores the key in
 * its table; `key` reads it back for probing. Not thread-safe.
 */
struct inohash {
	uint32_t *slots;
	uint32_t  mask;
	uint64_t (*key)(uint32_t idx);
};

void     inohash_init(struct inohash *h, unsigned log2_size, uint64_t (*key)(uint32_t));
uint32_t inohash_find(struct inohash *h, uint64_t ino);
void     inohash_insert(struct inohash *h, uint32_t idx);
void     inohash_remove(struct inohash *h, uint32_t idx);
