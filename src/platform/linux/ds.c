/* ds.c - attaching dataspaces: map the descriptor their server hands out */

#include "internal.h"

#include <base/dataspace.h>
#include <base_internal.h>
#include <sys/mman.h>
#include <unistd.h>

int cairn_ds_size(cairn_cap ds, size_t *size)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_SIZE);
	int r = cairn_rpc_call(ds, &m, &m);
	*size = r == CAIRN_OK ? cairn_msg_get_u64(&m) : 0;
	return r;
}

int cairn_ds_readonly(cairn_cap ds, cairn_cap *ro)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_READONLY);
	int r = cairn_rpc_call(ds, &m, &m);
	*ro = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	return r == CAIRN_OK && !cairn_cap_valid(*ro) ? CAIRN_ERR_MSG : r;
}

/*
 * Mappings offered with PD_ALLOC replies, per thread, for the next attach
 * of that dataspace (a few: allocations are attached right away if at
 * all; the oldest goes when a new one comes).
 */
enum { OFFERS = 4 };
struct offer { uint32_t cap_id; int fd; uint64_t size; bool writable; };
static _Thread_local struct offer offers[OFFERS];
static _Thread_local unsigned     offer_next;

void cairn_ds_mapping_offered(cairn_cap ds, cairn_msg *reply)
{
	int fd = plat_msg_take_fd(reply);
	if (fd < 0) return;
	uint64_t size = cairn_msg_get_u64(reply);
	bool writable = cairn_msg_get_u32(reply) != 0;
	if (!cairn_cap_valid(ds) || reply->err) { close(fd); return; }
	struct offer *o = &offers[offer_next++ % OFFERS];
	if (o->cap_id) close(o->fd);
	*o = (struct offer){ ds.id, fd, size, writable };
}

static bool take_offer(cairn_cap ds, int *fd, uint64_t *size, bool *writable)
{
	for (unsigned i = 0; i < OFFERS; i++) {
		struct offer *o = &offers[i];
		if (!o->cap_id || o->cap_id != ds.id) continue;
		*fd = o->fd; *size = o->size; *writable = o->writable;
		o->cap_id = 0;
		return true;
	}
	return false;
}

/*
 * The server's DS_MAP reply carries the size, whether the memory may be
 * written, and the descriptor to map. A read-only dataspace comes with a
 * descriptor opened read-only, so the kernel refuses a writable mapping
 * whatever the client asks for.
 */
int cairn_ds_attach(cairn_cap ds, size_t offset, size_t size, bool readonly,
                    void **addr, size_t *attached_size)
{
	int fd;
	uint64_t ds_size;
	bool writable;
	if (!take_offer(ds, &fd, &ds_size, &writable)) {
		cairn_msg m;
		cairn_msg_init(&m, CAIRN_DS_MAP);
		int r = cairn_rpc_call(ds, &m, &m);
		fd = plat_msg_take_fd(&m);
		if (r != CAIRN_OK) { if (fd >= 0) close(fd); return r; }
		ds_size  = cairn_msg_get_u64(&m);
		writable = cairn_msg_get_u32(&m) != 0;
		if (m.err || fd < 0) { if (fd >= 0) close(fd); return CAIRN_ERR_MSG; }
	}
	if ((offset & 4095) || offset > ds_size || size > ds_size - offset) {
		close(fd);
		return CAIRN_ERR_INVALID_ARGS;
	}
	if (!size) size = ds_size - offset;
	if (!size) { close(fd); return CAIRN_ERR_INVALID_ARGS; }
	int prot = PROT_READ | ((writable && !readonly) ? PROT_WRITE : 0);
	void *p = mmap(0, size, prot, MAP_SHARED, fd, (off_t)offset);
	close(fd);
	if (p == MAP_FAILED) return CAIRN_ERR_NO_MEMORY;
	*addr = p;
	if (attached_size) *attached_size = size;
	return CAIRN_OK;
}

void cairn_ds_detach(void *addr, size_t size)
{
	if (addr && size) munmap(addr, (size + 4095) & ~4095ul);
}
