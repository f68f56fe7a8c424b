/* chunks.c - file content as a table of small heap blocks */

#include "chunks.h"

#include <base/errors.h>
#include <session/file_system/file_system.h>
#include <string.h>

static int grow_table(struct chunks *c, cairn_heap *h, uint64_t slots)
{
	if (slots <= c->slots) return CAIRN_OK;
	uint64_t n = c->slots ? c->slots : 4;
	while (n < slots) n *= 2;
	if (n > SIZE_MAX / sizeof(char *)) return CAIRN_FS_ERR_NO_SPACE;
	char **t = cairn_heap_calloc(h, (size_t)n, sizeof(char *));
	if (!t) return CAIRN_FS_ERR_NO_SPACE;
	if (c->table) {
		memcpy(t, c->table, (size_t)c->slots * sizeof(char *));
		cairn_heap_free(h, c->table);
	}
	c->table = t;
	c->slots = n;
	return CAIRN_OK;
}

int chunks_write(struct chunks *c, cairn_heap *h, uint64_t pos, const void *buf, size_t len)
{
	if (!len) return CAIRN_OK;
	uint64_t first = pos / CHUNK_SIZE, last = (pos + len - 1) / CHUNK_SIZE;
	if (grow_table(c, h, last + 1) != CAIRN_OK) return CAIRN_FS_ERR_NO_SPACE;
	/* every chunk first, so that a refusal writes nothing (new chunks are zero) */
	for (uint64_t i = first; i <= last; i++)
		if (!c->table[i] && !(c->table[i] = cairn_heap_calloc(h, 1, CHUNK_SIZE)))
			return CAIRN_FS_ERR_NO_SPACE;
	const char *src = buf;
	for (uint64_t at = pos; at < pos + len;) {
		uint64_t i = at / CHUNK_SIZE, off = at % CHUNK_SIZE;
		size_t n = (size_t)(CHUNK_SIZE - off < pos + len - at ? CHUNK_SIZE - off : pos + len - at);
		memcpy(c->table[i] + off, src, n);
		src += n;
		at  += n;
	}
	if (pos + len > c->size) c->size = pos + len;
	return CAIRN_OK;
}

void chunks_read(const struct chunks *c, uint64_t pos, void *buf, size_t len, size_t *out)
{
	*out = 0;
	if (pos >= c->size) return;
	if (len > c->size - pos) len = (size_t)(c->size - pos);
	char *dst = buf;
	for (uint64_t at = pos; at < pos + len;) {
		uint64_t i = at / CHUNK_SIZE, off = at % CHUNK_SIZE;
		size_t n = (size_t)(CHUNK_SIZE - off < pos + len - at ? CHUNK_SIZE - off : pos + len - at);
		if (c->table[i]) memcpy(dst, c->table[i] + off, n);
		else memset(dst, 0, n);
		dst += n;
		at  += n;
	}
	*out = len;
}

int chunks_truncate(struct chunks *c, cairn_heap *h, uint64_t len)
{
	if (len >= c->size) {
		/* growing: the bytes are zero already (missing chunks read as zeros) */
		c->size = len;
		return CAIRN_OK;
	}
	uint64_t keep = (len + CHUNK_SIZE - 1) / CHUNK_SIZE;   /* chunks that hold content */
	for (uint64_t i = keep; i < c->slots; i++)
		if (c->table[i]) { cairn_heap_free(h, c->table[i]); c->table[i] = 0; }
	if (len % CHUNK_SIZE && c->table[len / CHUNK_SIZE])
		memset(c->table[len / CHUNK_SIZE] + len % CHUNK_SIZE, 0, CHUNK_SIZE - len % CHUNK_SIZE);
	c->size = len;
	return CAIRN_OK;
}

void chunks_free(struct chunks *c, cairn_heap *h)
{
	for (uint64_t i = 0; i < c->slots; i++)
		if (c->table[i]) cairn_heap_free(h, c->table[i]);
	if (c->table) cairn_heap_free(h, c->table);
	*c = (struct chunks){ 0 };
}
