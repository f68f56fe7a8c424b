/* rom_buf.c - RAM dataspaces of a server, attached writable */

#include <base/dataspace.h>
#include <rom/server.h>
#include <session/pd/pd.h>

int rom_buf_alloc(struct rom_buf *b, cairn_env *env, size_t size)
{
	void  *addr;
	size_t mapped;

	*b = (struct rom_buf){ 0 };
	size = (size + 4095) & ~(size_t)4095;
	int r = cairn_pd_alloc(env->pd, size, &b->ds);
	if (r != CAIRN_OK)
		return r;
	r = cairn_ds_attach(b->ds, 0, 0, false, &addr, &mapped);
	if (r != CAIRN_OK) {
		(void)cairn_pd_free(env->pd, b->ds);
		cairn_cap_release(b->ds);
		*b = (struct rom_buf){ 0 };
		return r;
	}
	b->addr = addr;
	b->size = mapped;
	return CAIRN_OK;
}

void rom_buf_free(struct rom_buf *b, cairn_env *env)
{
	if (!b->size)
		return;
	cairn_ds_detach(b->addr, b->size);
	(void)cairn_pd_free(env->pd, b->ds);
	cairn_cap_release(b->ds);
	*b = (struct rom_buf){ 0 };
}
