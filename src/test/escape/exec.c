/* exec.c - attempts to run another program than the component's own binary */

#include "escape.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * The filter allows one execveat: descriptor 8, empty path (the start of
 * the component's own binary; core passes it close-on-exec). Descriptor
 * numbers are the component's own business, though: any descriptor it
 * holds can be copied to 8 with fcntl(F_DUPFD). Which descriptors of
 * executable files does it get? Its dataspaces': RAM (a memfd core holds
 * open for writing) and ROM (a boot module, opened read-only by core).
 *
 * For a fair try the component prepares what a started binary expects
 * (descriptors 3-6 are its parent and PD capabilities anyway, 7 must be a
 * page for its first channel to core) and execs test/dummy, whose config
 * steps (<log>, <exit>) this component ignores. If the exec goes through,
 * dummy runs in its place and logs the line the run script gives it.
 */

enum { FD_PAGE = 7, FD_BINARY = 8 };

static void exec_descriptor(cairn_env *env, int bin)
{
	cairn_cap page;
	int r = cairn_pd_alloc(env->pd, 64 * 1024, &page);
	int page_fd = r == CAIRN_OK ? ds_fd(page, 0) : -1;
	if (page_fd < 0) { result("no page: %s", cairn_err_str(r)); return; }

	/*
	 * 7 and 8 are in use by the platform (its event loop, a channel):
	 * keep them aside and put them back if the exec fails, as it must.
	 */
	int keep7 = fcntl(FD_PAGE, F_DUPFD_CLOEXEC, 64), keep8 = fcntl(FD_BINARY, F_DUPFD_CLOEXEC, 64);
	close(FD_PAGE);
	close(FD_BINARY);
	if (fcntl(page_fd, F_DUPFD, FD_PAGE) != FD_PAGE || fcntl(bin, F_DUPFD, FD_BINARY) != FD_BINARY) {
		result("cannot place the descriptors: %s", errno_name(errno));
		return;
	}
	char *argv[] = { "dummy", 0 }, *envp[] = { 0 };
	long rc = syscall(SYS_execveat, FD_BINARY, "", argv, envp, AT_EMPTY_PATH);
	int err = errno;
	close(FD_PAGE);
	close(FD_BINARY);
	if (keep7 >= 0) { (void)fcntl(keep7, F_DUPFD_CLOEXEC, FD_PAGE); close(keep7); }
	if (keep8 >= 0) { (void)fcntl(keep8, F_DUPFD_CLOEXEC, FD_BINARY); close(keep8); }
	errno = err;
	TRY(rc);
}

/* the ROM dataspace of boot module "dummy", attached */
static int dummy_rom(cairn_env *env, cairn_cap *ds, const void **data, size_t *size)
{
	cairn_cap s;
	int r = cairn_session(env, "ROM", &s, "ram_quota=%d, label=\"dummy\"", CAIRN_ROM_RAM);
	if (r == CAIRN_OK) r = cairn_rom_dataspace(s, ds);
	if (r == CAIRN_OK && data) r = cairn_ds_attach(*ds, 0, 0, true, (void **)data, size);
	if (r != CAIRN_OK) result("no ROM \"dummy\": %s", cairn_err_str(r));
	return r;
}

static void exec_rom_ds(cairn_env *env)
{
	cairn_cap ds;
	if (dummy_rom(env, &ds, 0, 0) != CAIRN_OK) return;
	int fd = ds_fd(ds, 0);
	if (fd < 0) { result("no descriptor"); return; }
	exec_descriptor(env, fd);
}

static void exec_ram_ds(cairn_env *env)
{
	cairn_cap rom, ram;
	const void *data;
	size_t size;
	if (dummy_rom(env, &rom, &data, &size) != CAIRN_OK) return;
	int r = cairn_pd_alloc(env->pd, size, &ram);
	void *copy;
	if (r == CAIRN_OK) r = cairn_ds_attach(ram, 0, 0, false, &copy, 0);
	if (r != CAIRN_OK) { result("no RAM dataspace: %s", cairn_err_str(r)); return; }
	memcpy(copy, data, size);
	cairn_ds_detach(copy, size);
	int fd = ds_fd(ram, 0);
	if (fd < 0) { result("no descriptor"); return; }
	exec_descriptor(env, fd);
}

static void execve_host(cairn_env *env)
{
	char *argv[] = { "sh", 0 }, *envp[] = { 0 };
	TRY(execve("/bin/sh", argv, envp));
}

static void execveat_other_fd(cairn_env *env)
{
	/* the ROM's descriptor where it is, not at 8 */
	cairn_cap ds;
	if (dummy_rom(env, &ds, 0, 0) != CAIRN_OK) return;
	int fd = ds_fd(ds, 0);
	char *argv[] = { "dummy", 0 }, *envp[] = { 0 };
	TRY(syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH));
}

const struct attempt exec_attempts[] = {
	{ "execve_host",       execve_host },
	{ "execveat_other_fd", execveat_other_fd },
	{ "exec_rom_ds",       exec_rom_ds },
	{ "exec_ram_ds",       exec_ram_ds },
	{ 0, 0 },
};
