/* reporter.c - client helper of the Report session */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/parent.h>
#include <session/report/report.h>

#include <string.h>

int cairn_reporter_open(cairn_reporter *r, cairn_env *env, const char *name, size_t buffer_size)
{
	void  *addr;
	size_t mapped;

	memset(r, 0, sizeof(*r));
	r->env = env;
	int err = cairn_session(env, "Report", &r->session,
	                        "ram_quota=%zu, buffer_size=%zu, label=\"%s\"",
	                        cairn_report_ram(buffer_size), buffer_size, name);
	if (err != CAIRN_OK)
		return err;
	err = cairn_report_dataspace(r->session, &r->ds);
	if (err == CAIRN_OK) {
		err = cairn_ds_attach(r->ds, 0, 0, false, &addr, &mapped);
		if (err != CAIRN_OK)
			cairn_cap_release(r->ds);
	}
	if (err == CAIRN_OK && mapped < buffer_size) {
		cairn_ds_detach(addr, mapped);
		cairn_cap_release(r->ds);
		err = CAIRN_ERR_MSG;
	}
	if (err != CAIRN_OK) {
		(void)cairn_parent_close(env->parent, r->session);
		cairn_cap_release(r->session);
		r->env = 0;
		return err;
	}
	r->buffer = addr;
	r->size   = buffer_size;
	r->mapped = mapped;
	return CAIRN_OK;
}

int cairn_reporter_submit_buffer(cairn_reporter *r, size_t len)
{
	if (!r->env)
		return CAIRN_ERR_IPC;
	return cairn_report_submit(r->session, len);
}

int cairn_reporter_submit(cairn_reporter *r, const void *data, size_t len)
{
	if (!r->env)
		return CAIRN_ERR_IPC;
	if (len > r->size)
		return CAIRN_ERR_INVALID_ARGS;
	memcpy(r->buffer, data, len);
	return cairn_report_submit(r->session, len);
}

void cairn_reporter_close(cairn_reporter *r)
{
	if (!r->env)
		return;
	cairn_ds_detach(r->buffer, r->mapped);
	cairn_cap_release(r->ds);
	(void)cairn_parent_close(r->env->parent, r->session);
	cairn_cap_release(r->session);
	r->env = 0;
}
