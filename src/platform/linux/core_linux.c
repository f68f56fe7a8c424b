/* core_linux.c - core's Linux part: memory objects, boot modules, processes */

#include "internal.h"
#include "sandbox.h"
#include "../../core/core.h"

#include <base/log.h>
#include <base/signal.h>
#include <session/pd/pd.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *grow(size_t size, void **handle)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*handle = 0;
	return p == MAP_FAILED ? 0 : p;
}

static void shrink(void *addr, size_t size, void *handle) { (void)handle; munmap(addr, size); }

const cairn_heap_backing core_backing = { grow, shrink };

static int spawner_start(void);

void core_plat_init(void)
{
	int err = sandbox_init();
	if (err < 0) {
		/* no component runs unconfined: without the sandbox there is no system */
		fprintf(stderr, "Error: core: cannot set up the component sandbox (%s); "
		        "core needs root privileges on Linux\n", plat_errstr(err));
		_exit(1);
	}
	if (!sandbox_cgroups())
		fprintf(stderr, "Warning: core: no memory cgroup for components: their kernel memory "
		        "(socket buffers, epoll watches) is not bounded\n");
	/* core holds descriptors for every object in the system */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max = 1 << 20;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	/* now, while core is small: see the spawner below */
	err = spawner_start();
	if (err < 0) {
		fprintf(stderr, "Error: core: cannot start its spawner (%s)\n", plat_errstr(err));
		_exit(1);
	}
}

void core_plat_log(const char *text, size_t len)
{
	while (len) {
		ssize_t w = write(1, text, len);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) return;
		text += w;
		len  -= (size_t)w;
	}
}

int core_plat_memfd(size_t size)
{
	int fd = memfd_create("ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) return -errno;
	if (ftruncate(fd, (off_t)size) < 0) { int e = errno; close(fd); return -e; }
	/* holders map it: its size must stay as accounted */
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	return fd;
}

int core_plat_readonly(int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = open(path, O_RDONLY | O_CLOEXEC);
	return ro < 0 ? -errno : ro;
}

int core_plat_open_rom(const char *name, size_t *size)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		/* boot directories link their modules: follow links of the boot dir only */
		fd = open(name, O_RDONLY | O_CLOEXEC);
		if (fd < 0) return -errno;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) { close(fd); return -EINVAL; }
	*size = (size_t)st.st_size;
	return fd;
}

static void on_exit_event(void *data, uint32_t events)
{
	(void)events;
	struct core_pd *pd = data;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, (id_t)pd->pidfd, &si, WEXITED | WNOHANG) < 0 || !si.si_pid) return;
	pd->state      = si.si_code == CLD_EXITED ? CAIRN_PD_EXITED : CAIRN_PD_FAULTED;
	pd->exit_value = si.si_status;
	plat_ep_unwatch_fd(core.ep, pd->pidfd);
	close(pd->pidfd);
	pd->pidfd = -1;
	pd->pid   = 0;
	sandbox_cgroup_remove(pd->uid);
	sandbox_uid_free(pd->uid);
	pd->uid   = 0;
	if (pd == core.init_pd && pd->state == CAIRN_PD_FAULTED)
		cairn_error("init died of signal %ld", pd->exit_value);
	cairn_signal_submit(pd->exit_sigh, 1);
}

/*
 * Scheduling of the next process core_plat_spawn starts (core's pd.c sets
 * it at PD START; core is single-threaded). Applied in the new process
 * before its binary runs, so that every thread it ever creates inherits
 * it. Generic priorities (0 most urgent .. 65535) map to nice values the
 * way kernel priorities are derived in the original (framework.md 8, with
 * K = 20 levels, larger = more urgent): nice = 20 - ((65536 - p) * 20) / 65536,
 * i.e. 0 .. 19. Components never run above the host's default (nice 0):
 * a band can only be lowered, as with the original's priorities.
 */
struct sched {
	bool      set;
	int       nice;
	cpu_set_t cpus;
};

static struct sched next_sched;

static int nice_of(uint32_t priority)
{
	int n = 20 - (int)(((uint64_t)(65536 - (priority > 65535 ? 65535 : priority)) * 20) / 65536);
	return n < 0 ? 0 : n > 19 ? 19 : n;
}

void core_plat_cpus(uint64_t *cpus, unsigned words)
{
	cpu_set_t set;
	memset(cpus, 0, words * sizeof(*cpus));
	if (sched_getaffinity(0, sizeof(set), &set) < 0) { cpus[0] = 1; return; }
	for (unsigned id = 0; id < words * 64 && id < CPU_SETSIZE; id++)
		if (CPU_ISSET(id, &set)) cpus[id / 64] |= 1ull << (id % 64);
}

void core_plat_sched_next(uint32_t priority, const uint64_t *cpus, unsigned words)
{
	next_sched.set  = true;
	next_sched.nice = nice_of(priority);
	CPU_ZERO(&next_sched.cpus);
	for (unsigned id = 0; id < words * 64 && id < CPU_SETSIZE; id++)
		if (cpus[id / 64] >> (id % 64) & 1) CPU_SET(id, &next_sched.cpus);
}

/* in the new process: its place as core computed it (still privileged here) */
static void apply_sched(const struct sched *s)
{
	if (!s->set) return;
	if (CPU_COUNT(&s->cpus)) sched_setaffinity(0, sizeof(s->cpus), &s->cpus);
	setpriority(PRIO_PROCESS, 0, s->nice);
}

/* move descriptors to fixed numbers without clobbering each other */
static int place(int const *from, int n)
{
	int tmp[8];
	for (int i = 0; i < n; i++)
		if ((tmp[i] = fcntl(from[i], F_DUPFD, 64)) < 0) return -1;
	for (int i = 0; i < n; i++)
		if (dup2(tmp[i], PLAT_FD_PARENT_OBJ + i) < 0) return -1;
	return 0;
}

/*
 * The spawner. Core holds a descriptor for every object in the system and
 * maps every channel page; a process forked from core would copy all of
 * that, only to close and unmap it again before its exec, and core would
 * pay the copy and the copy-on-write faults after it. So core forks, at
 * start while it is small, one helper that keeps only what the sandbox
 * needs. Core sends it the descriptors and parameters of a new process
 * (one message); the spawner clones the process with CLONE_PARENT, so
 * that it is core's child (core reaps it and learns how it ended, and its
 * parent-death signal is bound to core), answers with the pid and goes on.
 * The new process sets up its sandbox and executes its binary in parallel
 * to core. The spawner is as privileged as core and takes requests only
 * on its end of a socket pair with core.
 */
enum { SPAWN_FDS = 6, SPAWN_NAME = 64 };

struct spawn_req {
	struct sched       sched;
	int                profile;
	int                uid;
	unsigned long long quota;
	char               name[SPAWN_NAME];
};

struct spawn_rep { int pid; int err; };

static int spawner = -1;  /* core's end of the socket pair */

/* in the new process: fds are parent obj/ep, PD obj/ep, the boot page, the binary */
static _Noreturn void spawned(struct spawn_req const *rq, int const *fds)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	apply_sched(&rq->sched);
	sandbox_join_namespaces();
	int bin  = fcntl(fds[5], F_DUPFD, 64);
	int null = open("/dev/null", O_RDWR);
	if (bin < 0 || null < 0 || place(fds, 5) < 0) _exit(127);
	/* no descriptor of core's: its output is the LOG service's business */
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	/* close-on-exec: the component does not keep its binary open */
	if (dup3(bin, SANDBOX_BINARY_FD, O_CLOEXEC) != SANDBOX_BINARY_FD) _exit(127);
	syscall(SYS_close_range, SANDBOX_BINARY_FD + 1, ~0u, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sandbox_enter_and_exec((enum sandbox_profile)rq->profile, rq->name, rq->uid, rq->quota);
	_exit(126);
}

/*
 * The new process shares the spawner's memory until its exec, and the
 * spawner waits meanwhile (CLONE_VM | CLONE_VFORK, as posix_spawn does):
 * nothing is copied at the clone and nothing torn down at the exec. It
 * runs on a stack of its own. Core does not wait for any of this (START
 * is answered already), and the process needs the time anyway.
 */
enum { SPAWN_STACK = 64 << 10 };

struct spawn_args {
	struct spawn_req const *rq;
	int const              *fds;
};

static int spawned_entry(void *arg)
{
	struct spawn_args const *a = arg;
	spawned(a->rq, a->fds);
}

static _Noreturn void spawner_main(int sock)
{
	char *stack = mmap(0, SPAWN_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
	                   -1, 0);
	if (stack == MAP_FAILED) _exit(1);
	/*
	 * Cgroups that a killed core left behind (dozens after a test of many
	 * components) are removed by a helper of the spawner, in parallel to
	 * the boot instead of before it. It is reaped by the kernel.
	 */
	signal(SIGCHLD, SIG_IGN);
	if (fork() == 0) {
		sandbox_cgroup_sweep();
		_exit(0);
	}
	for (;;) {
		struct spawn_req rq;
		int              fds[SPAWN_FDS];
		unsigned         n = 0;
		struct pollfd    p = { .fd = sock, .events = POLLIN };

		if (poll(&p, 1, -1) < 0) continue;
		int r = sock_recv_buf(sock, &rq, sizeof(rq), fds, SPAWN_FDS, &n, 0);
		if (r == -EAGAIN || r == -EINTR) continue;
		if (r < 0 && r != -EBADMSG) _exit(0);  /* core is gone */
		struct spawn_rep rep = { 0, EINVAL };
		if (r == 0 && n == SPAWN_FDS && rq.profile >= 0 && rq.profile < SANDBOX_PROFILE_COUNT) {
			rq.name[SPAWN_NAME - 1] = 0;
			struct spawn_args args = { &rq, fds };
			/*
			 * A fresh process in fresh PID, IPC and UTS namespaces, core's
			 * child; with CLONE_PARENT its exit signal is the spawner's own
			 * (SIGCHLD), so core is told as of any child.
			 */
			pid_t pid = clone(spawned_entry, stack + SPAWN_STACK,
			                  CLONE_VM | CLONE_VFORK | CLONE_PARENT | (int)sandbox_clone_flags(), &args);
			rep = pid < 0 ? (struct spawn_rep){ 0, errno } : (struct spawn_rep){ pid, 0 };
		}
		for (unsigned i = 0; i < n; i++) close(fds[i]);
		if (sock_send_buf(sock, &rep, sizeof(rep), 0, 0, true) < 0) _exit(0);
	}
}

static int spawner_start(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return -errno;
	pid_t core_pid = getpid();
	pid_t pid = fork();
	if (pid < 0) { int e = errno; close(sv[0]); close(sv[1]); return -e; }
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != core_pid) _exit(0);
		close(sv[0]);
		spawner_main(sv[1]);
	}
	close(sv[1]);
	spawner = sv[0];
	return 0;
}

/*
 * Core does not wait for the spawner: START is answered when the request
 * is sent, and the answers (in the order of the requests) are taken when
 * the spawner's socket is readable, or at once when a PD that is still
 * being spawned is killed.
 */
static struct core_pd  *spawn_head, **spawn_tail = &spawn_head;

static void watch_process(struct core_pd *pd, struct spawn_rep rep)
{
	pd->spawning = false;
	if (rep.err || rep.pid <= 0) {
		cairn_error("cannot create the process of %s (%s)", pd->label, plat_errstr(rep.err));
		sandbox_uid_free(pd->uid);
		pd->uid        = 0;
		pd->state      = CAIRN_PD_FAULTED;
		pd->exit_value = SIGKILL;
		cairn_signal_submit(pd->exit_sigh, 1);
		return;
	}
	pd->pid   = rep.pid;
	pd->pidfd = (int)syscall(SYS_pidfd_open, rep.pid, 0);
	if (pd->pidfd < 0 || plat_ep_watch_fd(core.ep, pd->pidfd, on_exit_event, pd) < 0)
		cairn_error("cannot watch process of %s", pd->label);
}

/* the next answer of the spawner, if there is one (or, if `block`, when it comes) */
static bool spawn_collect(bool block)
{
	struct spawn_rep rep;
	unsigned n;
	if (!spawn_head) return false;
	for (;;) {
		int r = sock_recv_buf(spawner, &rep, sizeof(rep), 0, 0, &n, 0);
		if (r == 0) break;
		if (r == -EINTR) continue;
		if (r != -EAGAIN) {
			/* without a spawner no process is made: the waiting ones failed */
			rep = (struct spawn_rep){ 0, -r };
			break;
		}
		if (!block) return false;
		struct pollfd p = { .fd = spawner, .events = POLLIN };
		poll(&p, 1, -1);
	}
	struct core_pd *pd = spawn_head;
	if (!(spawn_head = pd->spawn_next)) spawn_tail = &spawn_head;
	pd->spawn_next = 0;
	watch_process(pd, rep);
	return true;
}

static void on_spawner(void *data, uint32_t events)
{
	(void)data;
	while (spawn_collect(false)) { }
	if (events & (EPOLLHUP | EPOLLERR)) {
		/* the spawner is gone (it never is while core lives): fail what waits */
		while (spawn_collect(true)) { }
		plat_ep_unwatch_fd(core.ep, spawner);
		cairn_error("core: the spawner is gone, no component can be started");
	}
}

int core_plat_spawn(struct core_pd *pd, int binary_fd, const char *module, cairn_cap parent,
                    const char *name)
{
	static bool watched;
	struct spawn_req rq = { .sched = next_sched, .profile = sandbox_profile_for(module),
	                        .quota = pd->quota };
	next_sched.set = false;
	snprintf(rq.name, sizeof(rq.name), "%s", name);
	int fds[SPAWN_FDS];
	if (!plat_cap_fds(parent, &fds[0], &fds[1]) || !plat_cap_fds(pd->obj.cap, &fds[2], &fds[3]))
		return CAIRN_ERR_INVALID_ARGS;
	if (!watched && plat_ep_watch_fd(core.ep, spawner, on_spawner, 0) < 0)
		return CAIRN_ERR_NO_MEMORY;
	watched = true;
	/* the page of the component's first channel to core, from its quota */
	struct core_ds *page;
	int r = core_pd_alloc(pd, CHAN_SHM_SIZE, &page);
	if (r != CAIRN_OK) return r;
	fds[4] = page->fd;
	fds[5] = binary_fd;
	rq.uid = sandbox_uid_alloc();
	if (rq.uid < 0) return CAIRN_ERR_NO_MEMORY;
	r = sock_send_buf(spawner, &rq, sizeof(rq), fds, SPAWN_FDS, true);
	if (r < 0) {
		cairn_error("cannot create the process of %s (%s)", pd->label, plat_errstr(r));
		sandbox_uid_free(rq.uid);
		return CAIRN_ERR_NO_MEMORY;
	}
	pd->uid      = rq.uid;
	pd->state    = CAIRN_PD_RUNNING;
	pd->spawning = true;
	*spawn_tail  = pd;
	spawn_tail   = &pd->spawn_next;
	return CAIRN_OK;
}

void core_plat_kill(struct core_pd *pd)
{
	while (pd->spawning && spawn_collect(true)) { }
	if (pd->pidfd < 0) return;
	syscall(SYS_pidfd_send_signal, pd->pidfd, SIGKILL, 0, 0);
	siginfo_t si;
	waitid(P_PIDFD, (id_t)pd->pidfd, &si, WEXITED);
	plat_ep_unwatch_fd(core.ep, pd->pidfd);
	close(pd->pidfd);
	pd->pidfd = -1;
	pd->pid   = 0;
	sandbox_cgroup_remove(pd->uid);
	sandbox_uid_free(pd->uid);
	pd->uid   = 0;
	pd->state = CAIRN_PD_FAULTED;
	pd->exit_value = SIGKILL;
}
