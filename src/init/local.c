/* local.c - ROM sessions init serves itself: a child's inline config and its binary */
#include "init.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <session/pd/pd.h>

#include <string.h>

struct init_local {
	cairn_rpc_obj obj;
	init_child   *child;
	cairn_cap     ds;    /* RAM dataspace paid by the child (config), or invalid */
	cairn_cap     ro;    /* what DATASPACE hands out: read-only */
	cairn_cap     sigh;  /* signalled when a new <config> replaced the content (17.02) */
};

static int local_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	init_local *l = obj->data;

	switch (req->code) {
	case CAIRN_ROM_DATASPACE:
		cairn_msg_put_cap(reply, l->ro);
		reply->code = CAIRN_OK;
		return CAIRN_RPC_REPLY;
	case CAIRN_ROM_SIGH: {
		cairn_cap sigh = cairn_msg_get_cap(req);
		if (cairn_cap_valid(l->sigh))
			cairn_cap_release(l->sigh);
		l->sigh = sigh;
		reply->code = req->err ? CAIRN_ERR_MSG : CAIRN_OK;
		return CAIRN_RPC_REPLY;
	}
	case CAIRN_ROM_UPDATE:
		/* a new version never fits the old dataspace: the client asks for the new one */
		cairn_msg_put_u32(reply, 0);
		reply->code = CAIRN_OK;
		return CAIRN_RPC_REPLY;
	default:
		reply->code = CAIRN_ERR_OPCODE;
		return CAIRN_RPC_REPLY;
	}
}

static int readonly_cap(cairn_cap ds, cairn_cap *ro)
{
	cairn_msg msg;

	cairn_msg_init(&msg, CAIRN_DS_READONLY);
	int rc = cairn_rpc_call(ds, &msg, &msg);
	if (rc != CAIRN_OK)
		return rc;
	*ro = cairn_msg_get_cap(&msg);
	return cairn_cap_valid(*ro) ? CAIRN_OK : CAIRN_ERR_MSG;
}

/* a dataspace from the child's account holding the <config> node, NUL-terminated */
static int fill_config(init_local *l)
{
	const init_start *s = l->child->start;
	void   *addr;
	size_t  size;

	int rc = cairn_pd_alloc(l->child->pd, s->config_len + 1, &l->ds);
	if (rc != CAIRN_OK)
		return rc;
	rc = cairn_ds_attach(l->ds, 0, 0, false, &addr, &size);
	if (rc != CAIRN_OK)
		return rc;
	memcpy(addr, s->config, s->config_len);
	((char *)addr)[s->config_len] = '\0';
	cairn_ds_detach(addr, size);
	return readonly_cap(l->ds, &l->ro);
}

static void release(init_local *l)
{
	if (cairn_cap_valid(l->ro))
		cairn_cap_release(l->ro);
	if (cairn_cap_valid(l->sigh))
		cairn_cap_release(l->sigh);
	if (cairn_cap_valid(l->ds)) {
		cairn_pd_free(l->child->pd, l->ds);
		cairn_cap_release(l->ds);
	}
}

/* give the session a dataspace with the child's current <config>, signal the client */
static void refill(init_local *l)
{
	init_local old = *l;

	l->ds = CAIRN_CAP_INVALID;
	l->ro = CAIRN_CAP_INVALID;
	int rc = fill_config(l);
	if (rc != CAIRN_OK) {
		cairn_warning("%s: could not provide its new config ROM (%s)", l->child->name,
		              cairn_err_str(rc));
		if (cairn_cap_valid(l->ds)) {
			cairn_pd_free(l->child->pd, l->ds);
			cairn_cap_release(l->ds);
		}
		l->ds = old.ds;
		l->ro = old.ro;
		return;
	}
	old.sigh = CAIRN_CAP_INVALID;
	release(&old);
	if (cairn_cap_valid(l->sigh))
		cairn_signal_submit(l->sigh, 1);
}

void init_local_config_changed(init_main *m, init_child *c)
{
	for (init_session *s = c->sessions; s; s = s->next)
		if (s->kind == INIT_SESSION_LOCAL && cairn_cap_valid(s->local->ds))
			refill(s->local);
}

int init_local_rom_create(init_main *m, init_child *c, bool binary, init_local **out)
{
	init_local *l = cairn_heap_calloc(m->env->heap, 1, sizeof *l);
	int rc = CAIRN_OK;

	if (!l)
		return CAIRN_ERR_QUOTA;
	l->child = c;

	if (binary)
		l->ro = cairn_cap_ref(c->binary);
	else
		rc = fill_config(l);

	if (rc != CAIRN_OK) {
		cairn_warning("%s: could not provide its %s ROM (%s)", c->name,
		              binary ? "binary" : "config", cairn_err_str(rc));
		release(l);
		cairn_heap_free(m->env->heap, l);
		return rc;
	}
	l->obj.dispatch = local_dispatch;
	l->obj.data     = l;
	cairn_ep_manage(m->env->ep, &l->obj);
	*out = l;
	return CAIRN_OK;
}

void init_local_destroy(init_main *m, init_local *l)
{
	cairn_ep_dissolve(m->env->ep, &l->obj);
	release(l);
	cairn_heap_free(m->env->heap, l);
}

cairn_cap init_local_cap(init_local *l)
{
	return l->obj.cap;
}
