/* pd.c - PD sessions: RAM accounts with quota, and the component's process */

#include "core.h"

#include <base/log.h>
#include <base/signal.h>
#include <session/pd/pd.h>
#include <stdio.h>
#include <string.h>

enum { PAGE = 4096 };

static int pd_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

struct core_pd *core_pd_create(const char *label, size_t quota)
{
	struct core_pd *pd = cairn_heap_calloc(core.heap, 1, sizeof(*pd));
	if (!pd) return 0;
	snprintf(pd->label, sizeof(pd->label), "%s", label);
	pd->quota = quota;
	pd->pidfd = -1;
	pd->obj   = (cairn_rpc_obj){ .dispatch = pd_dispatch, .data = pd };
	if (!cairn_cap_valid(cairn_ep_manage(core.ep, &pd->obj))) {
		cairn_heap_free(core.heap, pd);
		return 0;
	}
	pd->next = core.pds;
	core.pds = pd;
	return pd;
}

void core_pd_destroy(struct core_pd *pd)
{
	core_plat_kill(pd);
	while (pd->ds) {
		struct core_ds *ds = pd->ds;
		pd->ds = ds->next;
		core_ds_destroy(ds);
	}
	for (struct core_pd **p = &core.pds; *p; p = &(*p)->next)
		if (*p == pd) { *p = pd->next; break; }
	for (struct core_pd *o = core.pds; o; o = o->next)
		if (o->ref == pd) o->ref = 0;
	cairn_cap_release(pd->exit_sigh);
	cairn_ep_dissolve(core.ep, &pd->obj);
	cairn_heap_free(core.heap, pd);
}

struct core_pd *core_pd_lookup(cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_ep_lookup(core.ep, cap);
	return o && o->dispatch == pd_dispatch ? o->data : 0;
}

/* quota moves only between an account and its reference account */
int core_pd_transfer(struct core_pd *from, struct core_pd *to, size_t amount)
{
	if (!from || !to || from == to) return CAIRN_ERR_INVALID_ARGS;
	if (to->ref != from && from->ref != to) return CAIRN_ERR_INVALID_ARGS;
	if (from->quota - from->used < amount) return CAIRN_ERR_QUOTA;
	from->quota -= amount;
	to->quota   += amount;
	return CAIRN_OK;
}

int core_pd_alloc(struct core_pd *pd, size_t size, struct core_ds **out)
{
	if (!size || size > ((size_t)1 << 40)) return CAIRN_ERR_INVALID_ARGS;
	size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
	if (pd->used + size > pd->quota) return CAIRN_ERR_QUOTA;
	struct core_ds *ds = core_ds_ram(pd, size);
	if (!ds) return CAIRN_ERR_NO_MEMORY;
	pd->used += size;
	ds->next = pd->ds;
	pd->ds   = ds;
	*out = ds;
	return CAIRN_OK;
}

static int pd_alloc(struct core_pd *pd, size_t size, cairn_msg *reply)
{
	struct core_ds *ds;
	int r = core_pd_alloc(pd, size, &ds);
	if (r == CAIRN_OK) cairn_msg_put_cap(reply, ds->obj.cap);
	return r;
}

static int pd_free(struct core_pd *pd, cairn_cap cap)
{
	struct core_ds *ds = core_ds_lookup(cap);
	cairn_cap_release(cap);
	if (!ds || ds->owner != pd) return CAIRN_ERR_INVALID_ARGS;
	for (struct core_ds **p = &pd->ds; *p; p = &(*p)->next)
		if (*p == ds) { *p = ds->next; break; }
	pd->used -= ds->size;
	core_ds_destroy(ds);
	return CAIRN_OK;
}

static int pd_start(struct core_pd *pd, cairn_msg *req)
{
	cairn_cap bin = cairn_msg_get_cap(req), parent = cairn_msg_get_cap(req);
	char name[64];
	int r = CAIRN_ERR_INVALID_ARGS;
	if (cairn_msg_get_str(req, name, sizeof(name)) && pd->state == CAIRN_PD_NOT_STARTED) {
		struct core_ds *ds = core_ds_lookup(bin);
		if (ds && cairn_cap_valid(parent))
			r = core_plat_spawn(pd, ds->fd, ds->origin ? ds->origin->module : ds->module, parent, name);
	}
	cairn_cap_release(bin);
	cairn_cap_release(parent);
	return r;
}

static int pd_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct core_pd *pd = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_PD_ALLOC: {
		uint64_t size = cairn_msg_get_u64(req);
		r = req->err ? CAIRN_ERR_MSG : pd_alloc(pd, size, reply);
		break;
	}
	case CAIRN_PD_FREE:
		r = pd_free(pd, cairn_msg_get_cap(req));
		break;
	case CAIRN_PD_REF_ACCOUNT: {
		cairn_cap c = cairn_msg_get_cap(req);
		struct core_pd *ref = core_pd_lookup(c);
		cairn_cap_release(c);
		if (!ref || ref == pd) r = CAIRN_ERR_INVALID_ARGS;
		else if (pd->ref) r = CAIRN_ERR_INVALID_ARGS;
		else pd->ref = ref;
		break;
	}
	case CAIRN_PD_TRANSFER: {
		cairn_cap c = cairn_msg_get_cap(req);
		uint64_t amount = cairn_msg_get_u64(req);
		struct core_pd *to = core_pd_lookup(c);
		cairn_cap_release(c);
		r = req->err ? CAIRN_ERR_MSG : core_pd_transfer(pd, to, amount);
		break;
	}
	case CAIRN_PD_QUOTA:
		cairn_msg_put_u64(reply, pd->quota);
		cairn_msg_put_u64(reply, pd->used);
		break;
	case CAIRN_PD_START:
		r = pd_start(pd, req);
		break;
	case CAIRN_PD_EXIT_SIGH:
		cairn_cap_release(pd->exit_sigh);
		pd->exit_sigh = cairn_msg_get_cap(req);
		if (pd->state >= CAIRN_PD_EXITED) cairn_signal_submit(pd->exit_sigh, 1);
		break;
	case CAIRN_PD_EXIT_STATE:
		cairn_msg_put_u32(reply, pd->state);
		cairn_msg_put_i64(reply, pd->exit_value);
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}
