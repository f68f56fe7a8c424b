/* rom_session.c - ROM sessions of servers whose modules change: dataspace, update, signals */

#include <base/dataspace.h>
#include <base/entrypoint.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/signal.h>
#include <rom/server.h>
#include <session/rom/rom.h>
#include <util/args.h>

#include <string.h>

static int rom_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

/* what the session may still spend on a dataspace of its own */
static size_t available(const rom_session *s)
{
	size_t spent = cairn_heap_consumed(s->heap) + s->buf.size;
	return s->budget > spent ? s->budget - spent : 0;
}

static void free_buf(rom_session *s)
{
	if (cairn_cap_valid(s->ro))
		cairn_cap_release(s->ro);
	s->ro = CAIRN_CAP_INVALID;
	rom_buf_free(&s->buf, s->env);
	s->used = 0;
}

/* copy the content into the dataspace, NUL-terminated, zeroing old bytes */
static void fill(rom_session *s, const struct rom_content *c)
{
	if (c->len)
		memcpy(s->buf.addr, c->data, c->len);
	size_t end = c->len + 1;
	if (s->used > end)
		memset(s->buf.addr + end, 0, s->used - end);
	s->buf.addr[c->len] = 0;
	s->used = end;
	s->seen = c->version;
}

static int readonly_cap(cairn_cap ds, cairn_cap *ro)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_READONLY);
	int r = cairn_rpc_call(ds, &m, &m);
	if (r != CAIRN_OK)
		return r;
	*ro = cairn_msg_get_cap(&m);
	return cairn_cap_valid(*ro) ? CAIRN_OK : CAIRN_ERR_MSG;
}

static int dataspace(rom_session *s, cairn_msg *reply)
{
	struct rom_content c;
	s->content(s, &c);
	if (!c.valid) {
		s->seen = c.version;
		cairn_msg_put_cap(reply, CAIRN_CAP_INVALID);
		return CAIRN_OK;
	}
	if (c.len + 1 > s->buf.size) {
		free_buf(s);
		size_t need = (c.len + 1 + 4095) & ~(size_t)4095;
		if (need > available(s)) {
			cairn_warning("ROM '%s': content of %zu bytes exceeds the session quota, "
			              "upgrade by %zu bytes", s->label, c.len, need - available(s));
			return CAIRN_ERR_QUOTA;
		}
		int r = rom_buf_alloc(&s->buf, s->env, need);
		if (r == CAIRN_OK)
			r = readonly_cap(s->buf.ds, &s->ro);
		if (r != CAIRN_OK) {
			cairn_warning("ROM '%s': no dataspace of %zu bytes (%s)", s->label, need,
			              cairn_err_str(r));
			free_buf(s);
			return r == CAIRN_ERR_QUOTA ? CAIRN_ERR_QUOTA : CAIRN_ERR_NO_MEMORY;
		}
		/* fresh RAM dataspaces are zero-filled: nothing to clear */
	}
	fill(s, &c);
	cairn_msg_put_cap(reply, s->ro);
	return CAIRN_OK;
}

static bool update(rom_session *s)
{
	struct rom_content c;
	if (!s->buf.size)
		return false;
	s->content(s, &c);
	if (!c.valid || c.len + 1 > s->buf.size)
		return false;
	fill(s, &c);
	return true;
}

static void sigh(rom_session *s, cairn_cap cap)
{
	if (cairn_cap_valid(s->sigh))
		cairn_cap_release(s->sigh);
	s->sigh = cap;
	rom_session_changed(s);
}

static int rom_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	rom_session *s = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_ROM_DATASPACE:
		r = dataspace(s, reply);
		break;
	case CAIRN_ROM_UPDATE:
		cairn_msg_put_u32(reply, update(s));
		break;
	case CAIRN_ROM_SIGH: {
		cairn_cap cap = cairn_msg_get_cap(req);
		if (req->err) { r = CAIRN_ERR_MSG; break; }
		sigh(s, cap);
		break;
	}
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

int rom_session_init(rom_session *s, cairn_env *env, cairn_heap *heap, const char *args,
                     const char *label, rom_content_fn fn, void *data)
{
	struct rom_content c;
	size_t quota = args_size(args, "ram_quota", 0);

	memset(s, 0, sizeof(*s));
	s->env     = env;
	s->heap    = heap;
	s->budget  = quota > ROM_SERVER_ROOT_SHARE ? quota - ROM_SERVER_ROOT_SHARE : 0;
	s->content = fn;
	s->data    = data;
	(void)str_copy(s->label, sizeof(s->label), str_z(label));
	fn(s, &c);
	s->seen = c.version;
	s->obj  = (cairn_rpc_obj){ .dispatch = rom_dispatch, .data = s };
	return cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj)) ? CAIRN_OK : CAIRN_ERR_NO_MEMORY;
}

void rom_session_fini(rom_session *s)
{
	cairn_ep_dissolve(s->env->ep, &s->obj);
	free_buf(s);
	if (cairn_cap_valid(s->sigh))
		cairn_cap_release(s->sigh);
	s->sigh = CAIRN_CAP_INVALID;
}

void rom_session_upgrade(rom_session *s, size_t ram_quota)
{
	s->budget += ram_quota;
}

void rom_session_changed(rom_session *s)
{
	struct rom_content c;
	if (!cairn_cap_valid(s->sigh))
		return;
	s->content(s, &c);
	if (c.version == s->seen)
		return;
	/* tell once per version: merged signals make later ones redundant */
	s->seen = c.version;
	cairn_signal_submit(s->sigh, 1);
}

rom_session *rom_session_lookup(cairn_ep *ep, cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_cap_valid(cap) ? cairn_ep_lookup(ep, cap) : 0;
	return o && o->dispatch == rom_dispatch ? o->data : 0;
}
