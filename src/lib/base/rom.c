/* rom.c - ROM session client and the attached-ROM helper */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/parent.h>
#include <session/rom/rom.h>

int cairn_rom_dataspace(cairn_cap rom, cairn_cap *ds)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_ROM_DATASPACE);
	int r = cairn_rpc_call(rom, &m, &m);
	*ds = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	return r == CAIRN_OK && !cairn_cap_valid(*ds) ? CAIRN_ERR_DENIED : r;
}

int cairn_rom_sigh(cairn_cap rom, cairn_cap sigh)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_ROM_SIGH);
	cairn_msg_put_cap(&m, sigh);
	return cairn_rpc_call(rom, &m, &m);
}

bool cairn_rom_update(cairn_cap rom)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_ROM_UPDATE);
	return cairn_rpc_call(rom, &m, &m) == CAIRN_OK && cairn_msg_get_u32(&m);
}

static int attach(cairn_attached_rom *r)
{
	void *addr;
	size_t size;
	int err = cairn_rom_dataspace(r->session, &r->ds);
	if (err != CAIRN_OK) return err;
	err = cairn_ds_attach(r->ds, 0, 0, true, &addr, &size);
	if (err != CAIRN_OK) { cairn_cap_release(r->ds); r->ds = CAIRN_CAP_INVALID; return err; }
	r->data = addr;
	r->size = size;
	return CAIRN_OK;
}

static void detach(cairn_attached_rom *r)
{
	cairn_ds_detach((void *)r->data, r->size);
	cairn_cap_release(r->ds);
	r->ds   = CAIRN_CAP_INVALID;
	r->data = 0;
	r->size = 0;
}

int cairn_attached_rom_open(cairn_attached_rom *r, cairn_env *env, const char *label)
{
	r->data = 0;
	r->size = 0;
	r->ds   = CAIRN_CAP_INVALID;
	int err = cairn_session(env, "ROM", &r->session, "ram_quota=%d, label=\"%s\"", CAIRN_ROM_RAM, label);
	if (err != CAIRN_OK) return err;
	err = attach(r);
	if (err != CAIRN_OK) { cairn_parent_close(env->parent, r->session); cairn_cap_release(r->session); }
	return err;
}

int cairn_attached_rom_update(cairn_attached_rom *r)
{
	/* the dataspace stays the same when the new content fits into it */
	if (cairn_rom_update(r->session) && r->data) return CAIRN_OK;
	detach(r);
	return attach(r);
}

void cairn_attached_rom_close(cairn_attached_rom *r, cairn_env *env)
{
	if (r->data) detach(r);
	cairn_parent_close(env->parent, r->session);
	cairn_cap_release(r->session);
}
