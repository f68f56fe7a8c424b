/* pd.c - client of core's PD session */

#include <base/rpc.h>
#include <base_internal.h>
#include <session/pd/pd.h>

int cairn_pd_alloc(cairn_cap pd, size_t size, cairn_cap *ds)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_ALLOC);
	cairn_msg_put_u64(&m, size);
	int r = cairn_rpc_call(pd, &m, &m);
	*ds = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	cairn_ds_mapping_offered(*ds, &m);
	return r == CAIRN_OK && !cairn_cap_valid(*ds) ? CAIRN_ERR_MSG : r;
}

int cairn_pd_free(cairn_cap pd, cairn_cap ds)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_FREE);
	cairn_msg_put_cap(&m, ds);
	return cairn_rpc_call(pd, &m, &m);
}

int cairn_pd_ref_account(cairn_cap pd, cairn_cap ref)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_REF_ACCOUNT);
	cairn_msg_put_cap(&m, ref);
	return cairn_rpc_call(pd, &m, &m);
}

int cairn_pd_transfer(cairn_cap from, cairn_cap to, size_t amount)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_TRANSFER);
	cairn_msg_put_cap(&m, to);
	cairn_msg_put_u64(&m, amount);
	return cairn_rpc_call(from, &m, &m);
}

int cairn_pd_quota(cairn_cap pd, size_t *quota, size_t *used)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_QUOTA);
	int r = cairn_rpc_call(pd, &m, &m);
	*quota = r == CAIRN_OK ? cairn_msg_get_u64(&m) : 0;
	*used  = r == CAIRN_OK ? cairn_msg_get_u64(&m) : 0;
	return r;
}

int cairn_pd_start(cairn_cap pd, cairn_cap binary, cairn_cap parent, const char *name)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_START);
	cairn_msg_put_cap(&m, binary);
	cairn_msg_put_cap(&m, parent);
	cairn_msg_put_str(&m, name);
	return cairn_rpc_call(pd, &m, &m);
}

int cairn_pd_start_sched(cairn_cap pd, cairn_cap binary, cairn_cap parent, const char *name,
                         const cairn_pd_sched *s, uint32_t *priority)
{
	return cairn_pd_start_full(pd, binary, parent, CAIRN_CAP_INVALID, name, s, priority);
}

int cairn_pd_start_full(cairn_cap pd, cairn_cap binary, cairn_cap parent, cairn_cap exit_sigh,
                        const char *name, const cairn_pd_sched *s, uint32_t *priority)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_START);
	cairn_msg_put_cap(&m, binary);
	cairn_msg_put_cap(&m, parent);
	if (cairn_cap_valid(exit_sigh)) cairn_msg_put_cap(&m, exit_sigh);
	cairn_msg_put_str(&m, name);
	cairn_msg_put_u32(&m, s->priority);
	cairn_msg_put_u32(&m, s->prio_levels);
	cairn_msg_put_u32(&m, s->space_w);
	cairn_msg_put_u32(&m, s->space_h);
	cairn_msg_put_u32(&m, s->xpos);
	cairn_msg_put_u32(&m, s->ypos);
	cairn_msg_put_u32(&m, s->width);
	cairn_msg_put_u32(&m, s->height);
	int r = cairn_rpc_call(pd, &m, &m);
	uint32_t p = r == CAIRN_OK && m.len >= sizeof(uint32_t) ? cairn_msg_get_u32(&m)
	                                                         : CAIRN_PRIORITY_LIMIT;
	if (priority) *priority = p;
	return r;
}

int cairn_pd_exit_sigh(cairn_cap pd, cairn_cap sigh)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_EXIT_SIGH);
	cairn_msg_put_cap(&m, sigh);
	return cairn_rpc_call(pd, &m, &m);
}

int cairn_pd_exit_state(cairn_cap pd, unsigned *state, long *value)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_EXIT_STATE);
	int r = cairn_rpc_call(pd, &m, &m);
	*state = r == CAIRN_OK ? cairn_msg_get_u32(&m) : 0;
	*value = r == CAIRN_OK ? (long)cairn_msg_get_i64(&m) : 0;
	return r;
}
