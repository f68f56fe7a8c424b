/* proc.c - attempts at other processes, new processes and other system-call ABIs */

#include "escape.h"

#include <base/log.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * The component is pid 1 of a PID namespace of its own: core, init and
 * its siblings have no pid it could name. Pids it can guess are 1 (itself,
 * where the filter refuses the call anyway), its parent's (getppid() is 0
 * in a fresh namespace) and low numbers.
 */

static void kill_pid1(cairn_env *env)   { TRY(kill(1, SIGKILL)); }

static void kill_parent(cairn_env *env)
{
	pid_t pp = getppid();
	detail("getppid() = %d", (int)pp);
	TRY(kill(pp ? pp : -1, SIGKILL));
}

static void tgkill_pids(cairn_env *env)
{
	/* tgkill is allowed (threads signal each other); other pids do not exist here */
	unsigned esrch = 0;
	for (pid_t p = 2; p <= 4096; p++) {
		long r = syscall(SYS_tgkill, p, p, 0);
		if (r == 0) { result("pid %d: succeeded", (int)p); return; }
		if (errno != ESRCH) { result("pid %d: %s", (int)p, errno_name(errno)); return; }
		esrch++;
	}
	detail("%u pids tried", esrch);
	result("ESRCH");
}

static void ptrace_attach(cairn_env *env)
{
	TRY(ptrace(PTRACE_ATTACH, 1, 0, 0));
}

static void process_vm_readv_pid1(cairn_env *env)
{
	char buf[16];
	struct iovec local = { buf, sizeof(buf) }, remote = { (void *)0x400000, sizeof(buf) };
	long r = syscall(SYS_process_vm_readv, 2, &local, 1, &remote, 1, 0);
	int err = errno;
	long r1 = syscall(SYS_process_vm_readv, 1, &local, 1, &remote, 1, 0);
	detail("pid 1: %s", r1 < 0 ? errno_name(errno) : "succeeded");
	result_sys(r, err);
}

static void pidfd_open_pid1(cairn_env *env)
{
	long fd = syscall(SYS_pidfd_open, 1, 0);
	int err = errno;
	if (fd >= 0) close((int)fd);
	result_sys(fd, err);
}

static void do_fork(cairn_env *env)
{
	pid_t p = fork();
	if (p == 0) _exit(0);
	TRY(p);
}

static void do_vfork(cairn_env *env)
{
	pid_t p = vfork();
	if (p == 0) _exit(0);
	TRY(p);
}

static void clone_process(cairn_env *env)
{
	long p = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (p == 0) syscall(SYS_exit_group, 0);
	TRY(p);
}

static void clone3_process(cairn_env *env)
{
	struct clone_args a;
	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	long p = syscall(SYS_clone3, &a, sizeof(a));
	if (p == 0) syscall(SYS_exit_group, 0);
	TRY(p);
}

/* clone; a child (if any) exits at once without touching memory (it shares our stack) */
static long raw_clone_exit(unsigned long flags)
{
	long r;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	__asm__ volatile("syscall\n\t"
	                 "test %%rax, %%rax\n\t"
	                 "jnz 1f\n\t"
	                 "mov $60, %%eax\n\t"      /* SYS_exit */
	                 "xor %%edi, %%edi\n\t"
	                 "syscall\n\t"
	                 "1:\n\t"
	                 : "=a"(r)
	                 : "0"((long)SYS_clone), "D"(flags), "S"(0L), "d"(0L), "r"(r10), "r"(r8)
	                 : "rcx", "r11", "memory");
	return r;
}

static void clone_thread_newns(cairn_env *env)
{
	/* the filter lets CLONE_THREAD through: do namespace flags ride along? */
	long p = raw_clone_exit(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWNET);
	result_sys(p < 0 ? -1 : p, p < 0 ? (int)-p : 0);
}

/*
 * Other system-call ABIs: the x32 numbers (bit 30) and the i386 entry
 * (int 0x80). A filter that checked only the number could be passed
 * with these; ours checks the architecture. The open goes to a host file.
 */
static void x32_open(cairn_env *env)
{
	long r = syscall(0x40000000L | SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY, 0);
	TRY(r);
}

static void int80_open(cairn_env *env)
{
	static const char path[] = "/etc/passwd";
	/* the string must be addressable with 32 bits: it is in the static binary's data */
	long r;
	__asm__ volatile("int $0x80"
	                 : "=a"(r)
	                 : "a"(5 /* i386 open */), "b"((uint32_t)(uintptr_t)path), "c"(0), "d"(0)
	                 : "memory");
	result_sys(r < 0 && r > -4096 ? -1 : r, r < 0 ? (int)-r : 0);
}

const struct attempt proc_attempts[] = {
	{ "kill_pid1",          kill_pid1 },
	{ "kill_parent",        kill_parent },
	{ "tgkill_pids",        tgkill_pids },
	{ "ptrace_attach",      ptrace_attach },
	{ "process_vm_readv",   process_vm_readv_pid1 },
	{ "pidfd_open",         pidfd_open_pid1 },
	{ "fork",               do_fork },
	{ "vfork",              do_vfork },
	{ "clone_process",      clone_process },
	{ "clone3",             clone3_process },
	{ "clone_thread_newns", clone_thread_newns },
	{ "x32_open",           x32_open },
	{ "int80_open",         int80_open },
	{ 0, 0 },
};
