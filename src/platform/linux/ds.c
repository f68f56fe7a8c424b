/* ds.c - attaching dataspaces: map the descriptor their server hands out */

#include "internal.h"

#include <base/dataspace.h>
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
 * The server's DS_MAP reply carries the size, whether the memory may be
 * written, and the descriptor to map. A read-only dataspace comes with a
 * descriptor opened read-only, so the kernel refuses a writable mapping
 * whatever the client asks for.
 */
int cairn_ds_attach(cairn_cap ds, size_t offset, size_t size, bool readonly,
                    void **addr, size_t *attached_size)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_MAP);
	int r = cairn_rpc_call(ds, &m, &m);
	int fd = plat_msg_take_fd(&m);
	if (r != CAIRN_OK) { if (fd >= 0) close(fd); return r; }
	uint64_t ds_size = cairn_msg_get_u64(&m);
	bool writable = cairn_msg_get_u32(&m) != 0;
	if (m.err || fd < 0) { if (fd >= 0) close(fd); return CAIRN_ERR_MSG; }
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
