/* start.c - start-up of a component process: capabilities, env, construct */

#include "internal.h"

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/log/log.h>
#include <base_internal.h>

#include <stdio.h>

/*
 * Core created this process with the parent capability and the PD
 * capability at fixed descriptors. Everything else is asked of the parent.
 */
int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	static cairn_env env;

	plat_cap_init();
	env.parent = plat_cap_install(PLAT_FD_PARENT_OBJ, PLAT_FD_PARENT_EP);
	env.pd     = plat_cap_install(PLAT_FD_PD_OBJ, PLAT_FD_PD_EP);
	if (!cairn_cap_valid(env.parent) || !cairn_cap_valid(env.pd))
		plat_die("started without parent or PD capability");
	plat_service_init(env.pd, PLAT_FD_BOOT_PAGE);
	env.ep = plat_ep_create_here("ep");
	cairn_env_set(&env);

	env.heap = cairn_heap_init_root(&cairn_ds_backing);
	if (!env.heap) plat_die("no RAM quota for the heap");

	char args[64];
	snprintf(args, sizeof(args), "ram_quota=%d", CAIRN_LOG_RAM);
	if (cairn_parent_session(env.parent, "LOG", args, &env.log) != CAIRN_OK)
		env.log = CAIRN_CAP_INVALID;

	cairn_component_construct(&env);
	cairn_ep_run(env.ep);
}
