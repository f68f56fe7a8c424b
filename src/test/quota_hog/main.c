/* main.c - allocate until the quota says no, then hold the memory */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: <config how="heap" chunk="64K"/> or <config how="ram" chunk="64K"/>
 *
 * how="heap": cairn_heap_alloc in a loop; at the quota the heap asks the
 * parent for more (a resource request) and gets NULL when it is refused.
 * how="ram": RAM dataspaces from the PD session in a loop until
 * Quota_exceeded, then one explicit resource request.
 * Every byte is written, so the memory is really there. Afterwards the
 * component logs what it holds and stays, so that the run script can
 * look at the host's memory while it holds it.
 */

enum { KiB = 1024 };

static cairn_env *env;

static void touch(void *p, size_t size)
{
	memset(p, 0xa5, size);
}

static void hold(size_t got)
{
	size_t quota = 0, used = 0;
	(void)cairn_pd_quota(env->pd, &quota, &used);
	cairn_log("holding %zu KiB, PD quota %zu KiB, used %zu KiB", got / KiB, quota / KiB, used / KiB);
}

static void by_heap(size_t chunk)
{
	size_t got = 0;
	void *p;
	while ((p = cairn_heap_alloc(env->heap, chunk))) { touch(p, chunk); got += chunk; }
	/* why the heap gave up: its PD refuses, and the parent did not help */
	cairn_cap ds;
	int r = cairn_pd_alloc(env->pd, chunk, &ds);
	cairn_log("heap: stopped at the quota: %s", r == CAIRN_OK ? "the PD still grants" : cairn_err_str(r));
	hold(got);
}

static void by_ram(size_t chunk)
{
	size_t got = 0;
	int r;
	for (;;) {
		cairn_cap ds;
		void *p;
		r = cairn_pd_alloc(env->pd, chunk, &ds);
		if (r != CAIRN_OK) break;
		r = cairn_ds_attach(ds, 0, 0, false, &p, 0);
		if (r != CAIRN_OK) break;
		touch(p, chunk);
		got += chunk;
	}
	cairn_log("ram: stopped at the quota: %s", cairn_err_str(r));
	char args[64];
	snprintf(args, sizeof(args), "ram_quota=%zu", chunk);
	r = cairn_parent_resource_request(env->parent, args);
	cairn_log("ram: resource request: %s", r == CAIRN_OK ? "granted" : cairn_err_str(r));
	hold(got);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	char how[16] = "heap";
	size_t chunk = 64 * KiB;
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node n;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &n).error) {
			xml_attr_string(&n, "how", how, sizeof(how), "heap");
			chunk = xml_attr_size(&n, "chunk", chunk);
		}
		cairn_attached_rom_close(&config, env);
	}
	if (!chunk) cairn_fatal("chunk must not be 0");
	if (!strcmp(how, "heap")) by_heap(chunk);
	else if (!strcmp(how, "ram")) by_ram(chunk);
	else cairn_fatal("how must be \"heap\" or \"ram\"");
}
