/* main.c - core: the root of the component tree, owner of all resources */

#include "core.h"

#include <base/log.h>
#include <session/log/log.h>
#include <base_internal.h>
#include <plat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct core core;

/*
 * RAM that core hands to init, in bytes. Accounting only: host memory is
 * used as components allocate. Overridable for tests with the boot-module
 * independent command-line argument `--ram <bytes>`.
 */
enum { DEFAULT_RAM = 1024 * 1024 * 1024 };

static void log_backend(const char *text, size_t len)
{
	char buf[CAIRN_LOG_MAX + 2];
	if (len > CAIRN_LOG_MAX) len = CAIRN_LOG_MAX;
	memcpy(buf, text, len);
	buf[len] = '\n';
	core_plat_log(buf, len + 1);
}

int main(int argc, char **argv)
{
	size_t ram = DEFAULT_RAM;
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--ram")) ram = strtoull(argv[i + 1], 0, 0);

	core_plat_init();
	plat_cap_init();
	plat_ep_large_tables();
	cairn_log_set_backend(log_backend);
	core.ep      = plat_ep_create_here("core");
	core.env.ep  = core.ep;
	cairn_env_set(&core.env);
	core.heap    = cairn_heap_init_root(&core_backing);
	core.env.heap = core.heap;
	if (!core.heap) { cairn_error("core: cannot set up its heap"); return 1; }

	core.init_pd = core_pd_create("init", ram);
	struct core_ds *bin = core_ds_rom("init");
	if (!core.init_pd || !bin) {
		cairn_error("core: boot module \"init\" missing");
		return 1;
	}
	cairn_cap parent = core_parent_for(core.init_pd);
	int r = core_plat_spawn(core.init_pd, bin->fd, "init", parent, "init");
	if (r != CAIRN_OK) {
		cairn_error("core: could not start init (%s)", cairn_err_str(r));
		return 1;
	}
	core_ds_destroy(bin);
	cairn_ep_run(core.ep);
}
