/* rom_write.c - writing a ROM dataspace must fault, whatever the client asks for */

#include "cap_integrity.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/rom/rom.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Two kinds of ROM: a boot module served by core (a host file) and the
 * config that init serves from a RAM dataspace of its own (a read-only
 * view). For each, the test asks for a writable attachment, checks what
 * the dataspace says about itself, tries to make the mapping writable and
 * finally writes to it with a SIGSEGV handler in place. A write that goes
 * through stores the byte that was there, so even a failing test leaves
 * the module as it was.
 */

static sigjmp_buf fault_jmp;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)sig; (void)si; (void)ctx;
	siglongjmp(fault_jmp, 1);
}

/* true if storing to *p faults */
static bool write_faults(volatile char *p)
{
	struct sigaction sa, old_segv, old_bus;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags     = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);

	volatile bool faulted = true;
	if (sigsetjmp(fault_jmp, 1) == 0) {
		char c = *p;
		*p = c;
		faulted = false;
	}
	sigaction(SIGSEGV, &old_segv, 0);
	sigaction(SIGBUS, &old_bus, 0);
	return faulted;
}

static int ds_writable(cairn_cap ds, bool *writable)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_WRITABLE);
	int r = cairn_rpc_call(ds, &m, &m);
	*writable = r == CAIRN_OK && cairn_msg_get_u32(&m) != 0;
	return r == CAIRN_OK && m.err ? CAIRN_ERR_MSG : r;
}

static unsigned try_rom(cairn_env *env, const char *name, const char *kind)
{
	cairn_cap rom, ds;
	int r = cairn_session(env, "ROM", &rom, "ram_quota=%d, label=\"%s\"", CAIRN_ROM_RAM, name);
	if (r != CAIRN_OK || (r = cairn_rom_dataspace(rom, &ds)) != CAIRN_OK) {
		cairn_error("ROM \"%s\": no dataspace: %s", name, cairn_err_str(r));
		return 1;
	}
	unsigned bad = 0;
	bool writable = true;
	r = ds_writable(ds, &writable);
	cairn_log("%s ROM \"%s\": dataspace writable=%s", kind, name, r == CAIRN_OK ? (writable ? "yes" : "no") : cairn_err_str(r));
	if (r != CAIRN_OK || writable) bad++;

	void *addr = 0;
	size_t size = 0;
	r = cairn_ds_attach(ds, 0, 0, false, &addr, &size);
	if (r != CAIRN_OK) {
		cairn_error("%s ROM \"%s\": attach failed: %s", kind, name, cairn_err_str(r));
		bad++;
	} else {
		/* the mapping cannot be made writable: the descriptor is read-only */
		int mp = mprotect(addr, 4096, PROT_READ | PROT_WRITE);
		int err = errno;
		if (mp == 0) {
			cairn_error("%s ROM \"%s\": mprotect made the mapping writable", kind, name);
			(void)mprotect(addr, 4096, PROT_READ);
			bad++;
		} else {
			cairn_log("%s ROM \"%s\": mprotect to writable refused (%s)", kind, name,
			          err == EACCES ? "EACCES" : strerror(err));
		}
		if (write_faults(addr)) {
			cairn_log("%s ROM \"%s\": ROM write faulted as expected", kind, name);
		} else {
			cairn_error("%s ROM \"%s\": ROM write succeeded", kind, name);
			bad++;
		}
		cairn_ds_detach(addr, size);
	}
	cairn_cap_release(ds);
	(void)cairn_parent_close(env->parent, rom);
	cairn_cap_release(rom);
	return bad;
}

unsigned rom_write(cairn_env *env, const char *module)
{
	return try_rom(env, module, "boot-module") + try_rom(env, "config", "init-served");
}
