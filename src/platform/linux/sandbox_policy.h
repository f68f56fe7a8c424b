/* sandbox_policy.h - the one reviewable list of what a component process may do */
#pragma once

/*
 * Every component runs with this system-call allowlist (anything else fails
 * with EPERM). Entries with an argument condition are allowed only when
 * the condition holds. The list is what the base library and the static
 * C library need: memory, the component's own descriptors, the IPC
 * sockets it creates in pairs, threads, time, and the one exec of its
 * binary at start. No open, no socket, no kill of others, no ptrace, no
 * fork, no limits, no memory objects of its own making (shared memory comes
 * from core, paid from the RAM quota).
 *
 * Components that drive a host resource get a named extra profile;
 * core picks it by the boot-module name of the binary (sandbox.c).
 */

#define SANDBOX_ALLOW_PLAIN(X) \
	X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64) X(lseek) \
	X(close) X(fstat) X(dup) X(fcntl) \
	X(munmap) X(mprotect) X(mremap) X(madvise) X(brk) \
	X(sendmsg) X(recvmsg) X(recvfrom) \
	X(poll) X(ppoll) X(epoll_create1) X(epoll_ctl) X(epoll_wait) X(epoll_pwait) \
	X(futex) X(set_robust_list) X(get_robust_list) X(rseq) X(set_tid_address) \
	X(sched_yield) X(sched_getaffinity) X(nanosleep) X(clock_nanosleep) \
	X(clock_gettime) X(clock_getres) X(gettimeofday) X(time) \
	X(getpid) X(gettid) X(getppid) X(getuid) X(geteuid) X(getgid) X(getegid) \
	X(rt_sigaction) X(rt_sigprocmask) X(rt_sigreturn) X(sigaltstack) X(restart_syscall) \
	X(tgkill) X(tkill) \
	X(getrandom) X(uname) X(arch_prctl) X(exit) X(exit_group)

/* extra system calls of host-resource profiles */
#define SANDBOX_ALLOW_TIMER(X) X(timerfd_create) X(timerfd_settime) X(timerfd_gettime)

/* boot-module name -> profile (doc/sandbox.md lists them with their reasons) */
#define SANDBOX_PROFILES(X) \
	X("timer", SANDBOX_PROFILE_TIMER)
