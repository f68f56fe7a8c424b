/* start.c - start-up of a component process: capabilities, env, construct */

#include "internal.h"

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/log/log.h>
#include <base_internal.h>

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/*
 * Core created this process with the parent capability and the PD
 * capability at fixed descriptors. Everything else is asked of the parent.
 */
/*
 * Core's filter lets the process exec its binary once, from a fixed
 * descriptor. Now that it runs, take that away too: no exec at all.
 * (A binary that skips this start-up code could exec another one, but
 * only within the same sandbox and authority.)
 */
static void forbid_exec(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		plat_die("cannot drop the right to exec");
}

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	static cairn_env env;

	forbid_exec();

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
