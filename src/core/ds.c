/* ds.c - core's dataspaces: RAM, boot modules, read-only views */

#include "core.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <plat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int ds_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

/* size, writable, and a descriptor to map: the DS_MAP reply (also part of PD_ALLOC's) */
bool core_ds_map_reply(struct core_ds *ds, cairn_msg *reply)
{
	int fd = dup(ds->fd);
	if (fd < 0) return false;
	cairn_msg_put_u64(reply, ds->size);
	cairn_msg_put_u32(reply, ds->writable);
	plat_msg_attach_fd(reply, fd);
	return true;
}

static struct core_ds *ds_new(int fd, size_t size, bool writable)
{
	struct core_ds *ds = cairn_heap_calloc(core.heap, 1, sizeof(*ds));
	if (!ds) { close(fd); return 0; }
	ds->fd       = fd;
	ds->size     = size;
	ds->writable = writable;
	ds->obj      = (cairn_rpc_obj){ .dispatch = ds_dispatch, .data = ds };
	if (!cairn_cap_valid(cairn_ep_manage(core.ep, &ds->obj))) {
		close(fd);
		cairn_heap_free(core.heap, ds);
		return 0;
	}
	return ds;
}

struct core_ds *core_ds_ram(struct core_pd *owner, size_t size)
{
	int fd = core_plat_memfd(size);
	if (fd < 0) return 0;
	struct core_ds *ds = ds_new(fd, size, true);
	if (ds) ds->owner = owner;
	return ds;
}

struct core_ds *core_ds_rom(const char *name)
{
	size_t size;
	int fd = core_plat_open_rom(name, &size);
	struct core_ds *ds = fd < 0 ? 0 : ds_new(fd, size, false);
	if (ds) snprintf(ds->module, sizeof(ds->module), "%s", name);
	return ds;
}

static struct core_ds *view_of(struct core_ds *ds)
{
	if (!ds->writable) return ds;
	int fd = core_plat_readonly(ds->fd);
	if (fd < 0) return 0;
	struct core_ds *v = ds_new(fd, ds->size, false);
	if (!v) return 0;
	v->origin = ds;
	v->next   = ds->views;
	ds->views = v;
	return v;
}

void core_ds_destroy(struct core_ds *ds)
{
	while (ds->views) {
		struct core_ds *v = ds->views;
		ds->views = v->next;
		core_ds_destroy(v);
	}
	cairn_ep_dissolve(core.ep, &ds->obj);
	close(ds->fd);
	cairn_heap_free(core.heap, ds);
}

struct core_ds *core_ds_lookup(cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_ep_lookup(core.ep, cap);
	return o && o->dispatch == ds_dispatch ? o->data : 0;
}

static int ds_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct core_ds *ds = obj->data;
	switch (req->code) {
	case CAIRN_DS_SIZE:
		cairn_msg_put_u64(reply, ds->size);
		return CAIRN_RPC_REPLY;
	case CAIRN_DS_WRITABLE:
		cairn_msg_put_u32(reply, ds->writable);
		return CAIRN_RPC_REPLY;
	case CAIRN_DS_READONLY: {
		struct core_ds *v = view_of(ds);
		if (!v) reply->code = CAIRN_ERR_NO_MEMORY;
		else cairn_msg_put_cap(reply, v->obj.cap);
		return CAIRN_RPC_REPLY;
	}
	case CAIRN_DS_MAP:
		if (!core_ds_map_reply(ds, reply)) reply->code = CAIRN_ERR_NO_MEMORY;
		return CAIRN_RPC_REPLY;
	}
	reply->code = CAIRN_ERR_OPCODE;
	return CAIRN_RPC_REPLY;
}
