/* sandbox.c - namespaces, credentials, limits and seccomp for component processes */

#include "sandbox.h"
#include "sandbox_policy.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Built once in core: one BPF program per profile (libseccomp exports it,
 * the child only installs it), a descriptor of an empty network namespace
 * that all components share (creating one per component would cost more
 * than the rest of the start), and an empty directory as every
 * component's root.
 */
struct profile_prog { struct sock_filter *insns; unsigned short len; };

static struct profile_prog progs[SANDBOX_PROFILE_COUNT];
static int  net_ns = -1;
static char empty_root[256];

/*
 * Each component gets a user id of its own, so that the kernel's per-user
 * limits (processes and threads, descriptors in flight, epoll watches) are
 * per component and not one budget all components share.
 */
enum { UID_BASE = 200000, UID_COUNT = 1 << 16 };
static uint8_t uid_used[UID_COUNT / 8];

/* systems of several cores on one host (parallel tests) get disjoint ranges */
static int uid_base(void)
{
	static int base;
	if (!base) base = UID_BASE + (int)(getpid() % 30000) * UID_COUNT;
	return base;
}
static unsigned uid_hint;

int sandbox_uid_alloc(void)
{
	for (unsigned n = 0; n < UID_COUNT; n++) {
		unsigned i = (uid_hint + n) % UID_COUNT;
		if (uid_used[i / 8] & (1u << (i % 8))) continue;
		uid_used[i / 8] |= (uint8_t)(1u << (i % 8));
		uid_hint = i + 1;
		return uid_base() + (int)i;
	}
	return -1;
}

void sandbox_uid_free(int uid)
{
	unsigned i = (unsigned)(uid - uid_base());
	if (uid >= uid_base() && i < UID_COUNT) uid_used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

static int add(scmp_filter_ctx ctx, int nr) { return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0); }

static int build(enum sandbox_profile p, struct profile_prog *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx) return -ENOMEM;
	/*
	 * A binary tree of system-call numbers instead of a list: installing a
	 * filter makes the kernel run it once for every system call number (its
	 * action cache), so the length of the path through it is paid at every
	 * component start, and again at every call the cache does not cover.
	 */
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
#define ALLOW(name) r |= add(ctx, SCMP_SYS(name));
	SANDBOX_ALLOW_PLAIN(ALLOW)
	if (p == SANDBOX_PROFILE_TIMER) { SANDBOX_ALLOW_TIMER(ALLOW) }
#undef ALLOW
	/*
	 * Memory mappings: of descriptors (dataspaces from core) and private
	 * anonymous memory (bounded by RLIMIT_DATA); shared anonymous memory
	 * would be memory outside the quota that no limit counts.
	 */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	                      SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	                      SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS | MAP_SHARED_VALIDATE,
	                              MAP_ANONYMOUS | MAP_PRIVATE));
	/* stat of own descriptors only (paths resolve in the empty root anyway) */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
	                      SCMP_A3(SCMP_CMP_EQ, AT_EMPTY_PATH));
	/* adding filters only takes rights away (the start-up code drops exec) */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP));
	/* reading limits is fine, setting them is not */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A2(SCMP_CMP_EQ, 0));
	/* the IPC transport creates Unix socket pairs, nothing else */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	/* an entrypoint learns who sends on its socket (SO_PASSCRED), nothing else */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setsockopt), 2,
	                      SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET), SCMP_A2(SCMP_CMP_EQ, SO_PASSCRED));
	/* threads, not processes; clone3 is refused so the C library uses clone */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	                      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* the one exec of the component's binary, at start */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(execveat), 2,
	                      SCMP_A0(SCMP_CMP_EQ, SANDBOX_BINARY_FD), SCMP_A4(SCMP_CMP_EQ, AT_EMPTY_PATH));
	if (r) { seccomp_release(ctx); return -EINVAL; }

	int mfd = memfd_create("bpf", MFD_CLOEXEC);
	if (mfd < 0 || seccomp_export_bpf(ctx, mfd) < 0) { seccomp_release(ctx); return -EINVAL; }
	seccomp_release(ctx);
	off_t size = lseek(mfd, 0, SEEK_END);
	out->insns = mmap(0, (size_t)size, PROT_READ, MAP_PRIVATE, mfd, 0);
	close(mfd);
	if (out->insns == MAP_FAILED || size <= 0) return -ENOMEM;
	out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}

static int make_net_ns(void)
{
	int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own < 0) return -errno;
	if (unshare(CLONE_NEWNET) < 0) { int e = errno; close(own); return -e; }
	net_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int r = setns(own, CLONE_NEWNET);
	close(own);
	return (net_ns < 0 || r < 0) ? -EIO : 0;
}

static void cgroup_init(void);

int sandbox_init(void)
{
	for (int p = 0; p < SANDBOX_PROFILE_COUNT; p++)
		if (build((enum sandbox_profile)p, &progs[p]) < 0) return -EINVAL;
	if (make_net_ns() < 0) return -EPERM;
	cgroup_init();
	/* an empty directory, in core's boot directory (which holds only modules) */
	if (!getcwd(empty_root, sizeof(empty_root) - 16)) return -errno;
	strcat(empty_root, "/.sandbox");
	if (mkdir(empty_root, 0555) < 0 && errno != EEXIST) return -errno;
	return 0;
}

enum sandbox_profile sandbox_profile_for(const char *module)
{
#define MATCH(name, profile) if (module && !strcmp(module, name)) return profile;
	SANDBOX_PROFILES(MATCH)
#undef MATCH
	return SANDBOX_PROFILE_DEFAULT;
}

unsigned long sandbox_clone_flags(void) { return CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS; }

static bool joined;

void sandbox_join_namespaces(void)
{
	joined = setns(net_ns, CLONE_NEWNET) == 0;
}

/*
 * A memory cgroup per component bounds what no rlimit counts: kernel
 * memory such as data queued in sockets and epoll watches. Its limit is
 * the RAM quota plus headroom for the private memory the rlimits allow.
 * cgroup v2 or the v1 memory hierarchy, whichever the host has; without
 * either the system runs, with that memory unbounded (core warns once).
 */
static char cg_parent[32];   /* the hierarchy's root: v2, or the v1 memory one */
static char cg_base[128];
enum { CG_HEADROOM = 128u << 20 };

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) return false;
	bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/* cgroups of cores that are gone (killed, so they could not clean up) */
static void cgroup_sweep(const char *parent)
{
	DIR *d = opendir(parent);
	if (!d) return;
	struct dirent *e;
	while ((e = readdir(d))) {
		int pid;
		if (sscanf(e->d_name, "cairn-%d", &pid) != 1 || pid <= 0) continue;
		if (kill(pid, 0) == 0 || errno != ESRCH) continue;
		char dir[300];
		snprintf(dir, sizeof(dir), "%s/%s", parent, e->d_name);
		DIR *sub = opendir(dir);
		struct dirent *c;
		while (sub && (c = readdir(sub))) {
			char path[600];
			if (c->d_type != DT_DIR || c->d_name[0] == '.') continue;
			snprintf(path, sizeof(path), "%s/%s", dir, c->d_name);
			rmdir(path);
		}
		if (sub) closedir(sub);
		rmdir(dir);
	}
	closedir(d);
}

static void cgroup_init(void)
{
	char path[160];
	struct stat st;
	bool v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
	snprintf(cg_parent, sizeof(cg_parent), v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory");
	snprintf(cg_base, sizeof(cg_base), "%s/cairn-%d", cg_parent, (int)getpid());
	if (mkdir(cg_base, 0755) < 0 && errno != EEXIST) { cg_base[0] = 0; return; }
	if (v2) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg_base);
		if (!write_file(path, "+memory")) { rmdir(cg_base); cg_base[0] = 0; }
	}
}

bool sandbox_cgroups(void) { return cg_base[0] != 0; }

void sandbox_cgroup_sweep(void)
{
	if (cg_parent[0]) cgroup_sweep(cg_parent);
}

/* in the new process, still privileged: into a cgroup of its own */
static void cgroup_enter(int uid, unsigned long long quota)
{
	char dir[192], path[224], val[32];
	if (!cg_base[0]) return;
	snprintf(dir, sizeof(dir), "%s/%d", cg_base, uid);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) return;
	snprintf(val, sizeof(val), "%llu", quota + CG_HEADROOM);
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	if (!write_file(path, val)) {
		snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", dir);
		write_file(path, val);
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	write_file(path, "0");
}

void sandbox_cgroup_remove(int uid)
{
	char dir[192];
	if (!cg_base[0] || uid <= 0) return;
	snprintf(dir, sizeof(dir), "%s/%d", cg_base, uid);
	rmdir(dir);
}

static void set_limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };
	setrlimit(res, &rl);
}

void sandbox_enter_and_exec(enum sandbox_profile profile, const char *name, int uid,
                            unsigned long long quota)
{
	struct profile_prog *pp = &progs[profile];
	if (!pp->insns || !joined) return;
	cgroup_enter(uid, quota);
	if (chroot(empty_root) < 0 || chdir("/") < 0) return;

	/*
	 * Memory outside the RAM quota (private mappings: C library, stacks,
	 * the platform's tables) is bounded here; the quota covers the rest.
	 */
	set_limit(RLIMIT_DATA, 64ul << 20);
	set_limit(RLIMIT_STACK, 2ul << 20);
	set_limit(RLIMIT_NOFILE, 4096);
	set_limit(RLIMIT_CORE, 0);
	set_limit(RLIMIT_MEMLOCK, 0);
	set_limit(RLIMIT_MSGQUEUE, 0);

	/* threads count as processes of the component's user */
	set_limit(RLIMIT_NPROC, 256);
	if (uid < 0 || setgroups(0, 0) < 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0
	    || setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) return;
	/* cleared by the change of credentials: set it again */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return;
	struct sock_fprog prog = { .len = pp->len, .filter = pp->insns };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) return;

	char *argv[] = { (char *)name, 0 };
	char *envp[] = { 0 };
	syscall(SYS_execveat, SANDBOX_BINARY_FD, "", argv, envp, AT_EMPTY_PATH);
}
