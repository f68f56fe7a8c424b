/* chunks.h - file content as a table of small heap blocks (sparse, no big reallocations) */
#pragma once

#include <base/heap.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Content is kept in chunks of CHUNK_SIZE bytes, each a small block of
 * the heap (blocks up to 2 KiB share the heap's backing dataspaces; a
 * larger block would cost a dataspace, and a descriptor, of its own).
 * Chunks that were never written are missing and read as zeros, so
 * holes cost nothing. Invariant: every byte at or beyond `size` is zero.
 */
enum { CHUNK_SIZE = 2016 };   /* with the heap's header: the 2 KiB class */

struct chunks {
	char   **table;
	uint64_t slots;   /* entries of the table */
	uint64_t size;    /* bytes of content */
};

/* write len bytes at pos; CAIRN_FS_ERR_NO_SPACE (nothing written) if the heap refuses */
int  chunks_write(struct chunks *c, cairn_heap *h, uint64_t pos, const void *buf, size_t len);
void chunks_read(const struct chunks *c, uint64_t pos, void *buf, size_t len, size_t *out);
int  chunks_truncate(struct chunks *c, cairn_heap *h, uint64_t len);
void chunks_free(struct chunks *c, cairn_heap *h);
