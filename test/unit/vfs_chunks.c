/* vfs_chunks.c - unit test of the ram plugin's chunked file content */

/*
 * chunks.c (src/lib/vfs) is compiled in; the heaps are the base library's,
 * backed by malloc here, with a session heap whose limit plays the full
 * file system.
 */
#include "../../src/lib/vfs/chunks.c"
#include "../../src/lib/base/include/base_internal.h"

#include <stdlib.h>

#include "check.h"

static void *grow(size_t size, void **handle) { *handle = 0; return aligned_alloc(4096, size); }
static void  shrink(void *addr, size_t size, void *handle) { (void)size; (void)handle; free(addr); }
static const cairn_heap_backing backing = { grow, shrink };

static char model[40000], got[40000];
static cairn_heap *root;   /* global: the root heap keeps its chunks for good */

/* content and model agree, and everything beyond the size reads as nothing */
static bool same(const struct chunks *c, size_t size)
{
	size_t n;
	chunks_read(c, 0, got, sizeof(got), &n);
	if (n != size || memcmp(got, model, size)) return false;
	chunks_read(c, size, got, 10, &n);
	return n == 0;
}

int main(void)
{
	root = cairn_heap_init_root(&backing);
	cairn_heap *h = cairn_heap_create(root, 1 << 20);
	struct chunks c = { 0 };
	size_t n;

	section("writes across chunk borders, holes read as zeros");
	CHECK(chunks_write(&c, h, 0, "hello", 5) == CAIRN_OK);
	memcpy(model, "hello", 5);
	CHECK(same(&c, 5));
	memset(model + 2010, 'x', 20);
	CHECK(chunks_write(&c, h, 2010, model + 2010, 20) == CAIRN_OK);   /* spans chunk 0 and 1 */
	CHECK(same(&c, 2030));
	CHECK(chunks_write(&c, h, 30000, "end", 3) == CAIRN_OK);          /* a hole of chunks */
	memcpy(model + 30000, "end", 3);
	CHECK(same(&c, 30003));
	CHECK(c.table[5] == 0);                                            /* never written */
	chunks_read(&c, 29998, got, 100, &n);
	CHECK(n == 5 && got[0] == 0 && got[1] == 0 && memcmp(got + 2, "end", 3) == 0);

	section("truncate: shrinking zeroes the tail, growing reads zeros");
	CHECK(chunks_truncate(&c, h, 2015) == CAIRN_OK);
	memset(model + 2015, 0, sizeof(model) - 2015);
	CHECK(same(&c, 2015));
	CHECK(c.table[1] == 0 && c.table[14] == 0);
	CHECK(chunks_truncate(&c, h, 5000) == CAIRN_OK);
	CHECK(same(&c, 5000));
	CHECK(chunks_truncate(&c, h, 0) == CAIRN_OK);
	CHECK(same(&c, 0) && c.table[0] == 0);

	section("random writes and truncations against a model");
	srand(7);
	size_t size = 0;
	memset(model, 0, sizeof(model));
	unsigned bad = 0;
	for (unsigned round = 0; round < 3000; round++) {
		if (rand() % 5 == 0) {
			size_t len = (size_t)rand() % 30000;
			if (chunks_truncate(&c, h, len) != CAIRN_OK) bad++;
			if (len < size) memset(model + len, 0, size - len);
			size = len;
		} else {
			size_t pos = (size_t)rand() % 30000, len = (size_t)rand() % 5000;
			char v = (char)('a' + rand() % 26);
			memset(got, v, len);
			if (chunks_write(&c, h, pos, got, len) != CAIRN_OK) bad++;
			memset(model + pos, v, len);
			if (len && pos + len > size) size = pos + len;
		}
		if (!same(&c, size)) bad++;
	}
	CHECK(bad == 0);
	chunks_free(&c, h);
	CHECK(cairn_heap_consumed(h) == 0);

	section("a full heap refuses a write and leaves the content as it was");
	cairn_heap *small = cairn_heap_create(root, 3 * 2200);
	struct chunks s = { 0 };
	memset(model, 'q', 4000);
	CHECK(chunks_write(&s, small, 0, model, 4000) == CAIRN_OK);       /* table and two chunks */
	CHECK(chunks_write(&s, small, 4000, model, 4000) == CAIRN_FS_ERR_NO_SPACE);
	CHECK(same(&s, 4000));
	chunks_free(&s, small);
	cairn_heap_destroy(small);
	cairn_heap_destroy(h);
	return check_summary("vfs_chunks");
}
