/* mem.c - attempts at memory beyond the quota and the limits, and at ROM writes */

#include "escape.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MiB = 1 << 20, KiB = 1 << 10 };

/* write every page so that the memory is really there */
static void touch(void *p, size_t size)
{
	for (size_t o = 0; o < size; o += 4096) ((volatile char *)p)[o] = 1;
}

/*
 * The heap grows by RAM dataspaces from the PD session; at the quota it
 * asks the parent, which grants from its spare RAM or refuses. Either
 * way the allocation loop ends with a refusal, never with host memory
 * beyond what the parent had.
 */
static void heap_quota(cairn_env *env)
{
	size_t got = 0;
	void *p;
	while ((p = cairn_heap_alloc(env->heap, 64 * KiB))) {
		touch(p, 64 * KiB);
		got += 64 * KiB;
	}
	size_t quota = 0, used = 0;
	(void)cairn_pd_quota(env->pd, &quota, &used);
	detail("%zu KiB allocated from the heap, PD quota %zu KiB, used %zu KiB",
	       got / KiB, quota / KiB, used / KiB);
	/* what the heap saw: the PD refuses, the parent did not help */
	cairn_cap ds;
	int r = cairn_pd_alloc(env->pd, 64 * KiB, &ds);
	if (r == CAIRN_OK) { result("refused by the heap, but the PD still grants"); return; }
	result("%s", cairn_err_str(r));
}

/* objects at core: dataspaces until the quota refuses */
static void ram_dataspaces(cairn_env *env)
{
	enum { MAX = 100000 };
	static cairn_cap ds[MAX];
	unsigned n = 0;
	int r = CAIRN_OK;
	while (n < MAX && (r = cairn_pd_alloc(env->pd, 4096, &ds[n])) == CAIRN_OK) n++;
	detail("%u dataspaces of 4 KiB", n);
	for (unsigned i = 0; i < n; i++) { (void)cairn_pd_free(env->pd, ds[i]); cairn_cap_release(ds[i]); }
	result("%s", n == MAX ? "not stopped" : cairn_err_str(r));
}

/* anonymous private memory until RLIMIT_DATA stops it */
static void mmap_private(cairn_env *env)
{
	size_t got = 0;
	for (;;) {
		void *p = mmap(0, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) break;
		touch(p, MiB);
		got += MiB;
		if (got >= 4096ul * MiB) { result("not stopped at 4 GiB"); return; }
	}
	int err = errno;
	detail("%zu MiB mapped and touched", got / MiB);
	result("%s", errno_name(err));
}

/*
 * Shared anonymous memory is not "data" to the kernel's RLIMIT_DATA
 * accounting (only private writable mappings are). Bounded at 256 MiB,
 * four times the limit, so that a sandbox that does not stop it does not
 * take the host down.
 */
static void mmap_shared(cairn_env *env)
{
	enum { CHUNK = 16 * MiB, BOUND = 256 * MiB };
	size_t got = 0;
	while (got < BOUND) {
		void *p = mmap(0, CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			int err = errno;
			detail("%zu MiB mapped and touched", got / MiB);
			result("%s", errno_name(err));
			return;
		}
		touch(p, CHUNK);
		got += CHUNK;
	}
	result("not stopped at %u MiB (RLIMIT_DATA is 64 MiB, the RAM quota 1 MiB)", BOUND / MiB);
}

static void brk_grow(cairn_env *env)
{
	size_t got = 0;
	for (;;) {
		void *p = sbrk(MiB);
		if (p == (void *)-1) break;
		touch(p, MiB);
		got += MiB;
		if (got >= 4096ul * MiB) { result("not stopped at 4 GiB"); return; }
	}
	int err = errno;
	detail("%zu MiB of brk heap", got / MiB);
	result("%s", errno_name(err));
}

static void mremap_grow(cairn_env *env)
{
	void *p = mmap(0, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { result("mmap: %s", errno_name(errno)); return; }
	void *q = mremap(p, MiB, 256ul * MiB, MREMAP_MAYMOVE);
	TRY(q == MAP_FAILED ? -1 : 0);
}

/* ---------------------------------------------------------- ROM */

static sigjmp_buf fault_jmp;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)si; (void)ctx;
	siglongjmp(fault_jmp, sig);
}

/* the ROM dataspace of a boot module (our own binary) from core */
static cairn_cap rom_ds(cairn_env *env, cairn_cap *session)
{
	cairn_cap ds = CAIRN_CAP_INVALID;
	int r = cairn_session(env, "ROM", session, "ram_quota=%d, label=\"test-escape\"", CAIRN_ROM_RAM);
	if (r == CAIRN_OK) r = cairn_rom_dataspace(*session, &ds);
	if (r != CAIRN_OK) result("no ROM dataspace: %s", cairn_err_str(r));
	return ds;
}

static void rom_write(cairn_env *env)
{
	cairn_cap s, ds = rom_ds(env, &s);
	if (!cairn_cap_valid(ds)) return;
	void *addr;
	size_t size;
	int r = cairn_ds_attach(ds, 0, 0, false, &addr, &size);   /* asks for writable */
	if (r != CAIRN_OK) { result("attach: %s", cairn_err_str(r)); return; }

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0);
	sigaction(SIGBUS, &sa, 0);
	int sig = sigsetjmp(fault_jmp, 1);
	if (sig == 0) {
		volatile char *p = addr;
		char c = *p;
		*p = c;          /* the byte that is there: harmless if it went through */
		result("succeeded");
		return;
	}
	result("%s", sig == SIGSEGV ? "SIGSEGV" : "SIGBUS");
}

static void rom_mprotect(cairn_env *env)
{
	cairn_cap s, ds = rom_ds(env, &s);
	if (!cairn_cap_valid(ds)) return;
	void *addr;
	size_t size;
	int r = cairn_ds_attach(ds, 0, 0, false, &addr, &size);
	if (r != CAIRN_OK) { result("attach: %s", cairn_err_str(r)); return; }
	TRY(mprotect(addr, 4096, PROT_READ | PROT_WRITE));
}

static void rom_fd_write(cairn_env *env)
{
	cairn_cap s, ds = rom_ds(env, &s);
	if (!cairn_cap_valid(ds)) return;
	int fd = ds_fd(ds, 0);
	if (fd < 0) { result("no descriptor"); return; }
	char c = 0;
	ssize_t rd = pread(fd, &c, 1, 0);
	void *w = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	detail("read through it: %s, shared writable mapping: %s", rd == 1 ? "works" : errno_name(errno),
	       w == MAP_FAILED ? errno_name(errno) : "succeeded");
	TRY(pwrite(fd, &c, 1, 0));
}

const struct attempt mem_attempts[] = {
	{ "heap_quota",     heap_quota },
	{ "ram_dataspaces", ram_dataspaces },
	{ "mmap_private",   mmap_private },
	{ "mmap_shared",    mmap_shared },
	{ "brk",            brk_grow },
	{ "mremap_grow",    mremap_grow },
	{ "rom_write",      rom_write },
	{ "rom_mprotect",   rom_mprotect },
	{ "rom_fd_write",   rom_fd_write },
	{ 0, 0 },
};
