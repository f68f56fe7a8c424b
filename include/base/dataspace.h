/* dataspace.h - memory objects and attaching them to the address space */
#pragma once

#include <base/cap.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A dataspace is a memory object named by a capability. RAM dataspaces
 * come from a PD session (zero-filled, size rounded up to 4 KiB) and are
 * writable; ROM dataspaces are read-only, and the kernel refuses writes to
 * them: attaching maps them read-only, and no mapping can make them
 * writable. Any holder of the capability may attach it: this is how
 * client and server share memory.
 */
enum cairn_ds_op {
	CAIRN_DS_SIZE = 1,  /* -> u64 size */
	CAIRN_DS_WRITABLE,  /* -> u32 bool */
	CAIRN_DS_READONLY,  /* -> cap: a read-only capability of the same memory */
	CAIRN_DS_MAP,       /* platform: hand out the mapping handle */
};

int cairn_ds_size(cairn_cap ds, size_t *size) __attribute__((warn_unused_result));

/*
 * A read-only capability of the same memory (for handing out ROMs a
 * server writes itself); for a read-only dataspace, itself again.
 */
int cairn_ds_readonly(cairn_cap ds, cairn_cap *ro) __attribute__((warn_unused_result));

/*
 * Attach `size` bytes (0: all) from `offset` (page aligned) of the
 * dataspace; writable dataspaces are mapped writable unless `readonly`.
 * Errors: CAIRN_ERR_IPC (invalid cap), CAIRN_ERR_INVALID_ARGS (range).
 */
int cairn_ds_attach(cairn_cap ds, size_t offset, size_t size, bool readonly,
                    void **addr, size_t *attached_size)
	__attribute__((warn_unused_result));

void cairn_ds_detach(void *addr, size_t size);
