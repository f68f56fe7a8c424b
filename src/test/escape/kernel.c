/* kernel.c - attempts at kernel objects that no quota pays for */

#include "escape.h"

#include <base/log.h>
#include <session/pd/pd.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * The RAM quota pays for memory the component maps; RLIMIT_DATA bounds
 * its private mappings; RLIMIT_NOFILE its descriptors. Kernel memory
 * behind descriptors and threads is paid by nobody, and limits the kernel
 * keeps per user are shared by all components (they all run as uid
 * 65534). Each attempt is bounded so that a sandbox that does not stop it
 * does not hurt the host.
 */

enum { MiB = 1 << 20 };

/* ---------------------------------------------------------- threads */

static int thread_word;

static void *parked(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&thread_word, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &thread_word, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0);
	return 0;
}

static void unpark(void)
{
	__atomic_store_n(&thread_word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &thread_word, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0);
}

/* threads of the C library, with the smallest stacks it allows */
static void threads(cairn_env *env)
{
	enum { BOUND = 20000 };
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN);
	unsigned n = 0;
	int err = 0;
	pthread_t t;
	while (n < BOUND && !(err = pthread_create(&t, &a, parked, 0))) { pthread_detach(t); n++; }
	unpark();
	detail("%u threads", n);
	result("%s", n == BOUND ? "not stopped" : errno_name(err));
}

/*
 * Threads made with clone directly: no stack of their own (they run a
 * few instructions that touch only registers and a futex word), so
 * RLIMIT_DATA does not see them. Each still costs the kernel a task and a
 * kernel stack, and counts against the process limit of uid 65534, which
 * every component shares. Signals are blocked while they are created: a
 * signal handler must never run on the stack they share with us.
 */
static long raw_thread(void)
{
	long r;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register int *w __asm__("r9") = &thread_word;
	__asm__ volatile("syscall\n\t"
	                 "test %%rax, %%rax\n\t"
	                 "jnz 2f\n\t"
	                 "1:\n\t"
	                 "cmpl $0, (%%r9)\n\t"
	                 "jne 3f\n\t"
	                 "mov %[futex], %%eax\n\t"
	                 "mov %%r9, %%rdi\n\t"
	                 "mov %[wait], %%esi\n\t"
	                 "xor %%edx, %%edx\n\t"
	                 "xor %%r10d, %%r10d\n\t"
	                 "syscall\n\t"
	                 "jmp 1b\n\t"
	                 "3:\n\t"
	                 "mov %[exit], %%eax\n\t"
	                 "xor %%edi, %%edi\n\t"
	                 "syscall\n\t"
	                 "2:\n\t"
	                 : "=a"(r), "+r"(r10)
	                 : "0"((long)SYS_clone),
	                   "D"((long)(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)),
	                   "S"(0L), "d"(0L), "r"(r8), "r"(w),
	                   [futex] "i"(SYS_futex), [wait] "i"(FUTEX_WAIT_PRIVATE), [exit] "i"(SYS_exit)
	                 : "rcx", "r11", "memory");
	return r;
}

static void threads_raw(cairn_env *env)
{
	enum { BOUND = 5000 };
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	unsigned n = 0;
	long r = 0;
	while (n < BOUND && (r = raw_thread()) > 0) n++;
	pthread_sigmask(SIG_SETMASK, &old, 0);
	unpark();
	detail("%u threads without stacks (%u KiB of kernel stacks alone)", n, n * 16);
	if (n == BOUND) result("not stopped at %u threads", BOUND);
	else result("%s", errno_name((int)-r));
}

/* ---------------------------------------------------------- socket buffers */

static void socket_buffers(cairn_env *env)
{
	enum { BOUND = 256 * MiB };
	static char chunk[65536];
	size_t queued = 0;
	unsigned pairs = 0;
	int err = 0;
	while (queued < BOUND) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) { err = errno; break; }
		pairs++;
		for (int side = 0; side < 2; side++)
			for (;;) {
				ssize_t w = write(sv[side], chunk, sizeof(chunk));
				if (w <= 0) break;
				queued += (size_t)w;
			}
	}
	detail("%zu MiB queued in %u socket pairs", queued / MiB, pairs);
	if (queued >= BOUND) result("not stopped at %u MiB (the RAM quota is 1 MiB)", BOUND / MiB);
	else result("%s", errno_name(err));
}

/* ---------------------------------------------------------- descriptors in flight */

/*
 * Descriptors sent with SCM_RIGHTS and not yet received are "in flight";
 * the kernel limits them per user, to the sender's RLIMIT_NOFILE. The
 * IPC transport sends every capability that way, as uid 65534 in every
 * component but core.
 */
static int inflight_sock[2] = { -1, -1 };

static void inflight_release(void)
{
	close(inflight_sock[0]);
	close(inflight_sock[1]);
}

static void inflight_engage(void)
{
	enum { PER_MSG = 253, BOUND = 1 << 20 };
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, inflight_sock) < 0) { result("socketpair: %s", errno_name(errno)); return; }
	union { char buf[CMSG_SPACE(sizeof(int) * PER_MSG)]; struct cmsghdr align; } u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type  = SCM_RIGHTS;
	c->cmsg_len   = CMSG_LEN(sizeof(int) * PER_MSG);
	int *fds = (int *)CMSG_DATA(c);
	for (int i = 0; i < PER_MSG; i++) fds[i] = inflight_sock[0];
	unsigned long n = 0;
	int err = 0;
	while (n < BOUND) {
		if (sendmsg(inflight_sock[0], &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) { err = errno; break; }
		n += PER_MSG;
	}
	detail("%lu descriptors in flight", n);
	if (n >= BOUND) result("not stopped at %lu descriptors in flight", n);
	else result("%s", errno_name(err));
}

static void fd_inflight(cairn_env *env)
{
	detail("waiting for the probe");   /* sets up our LOG channel before the flood */
	hold(env, inflight_engage, inflight_release, 8);
}

/* ---------------------------------------------------------- the parent's descriptors */

/*
 * A channel costs its server a descriptor (its end of the channel
 * socket), a mapping and a few KiB of private memory, and is set up by a
 * message on the server's entrypoint socket - the descriptor every holder
 * of one of its capabilities has. The parent's is descriptor 4 of every
 * component (the layout core starts it with, src/platform/linux/include/
 * plat.h). The SETUP message carries a sealed memory object of at least a
 * channel page: a RAM dataspace of our own quota will do.
 */
enum { FD_PARENT_EP = 4 };

struct sock_msg { uint8_t type, ncaps, valid, has_raw; uint32_t value; };

static int  *channel_ends;
static unsigned nchannels;

static void channels_release(void)
{
	for (unsigned i = 0; i < nchannels; i++) close(channel_ends[i]);
}

static int page_fd = -1;

static void channels_engage(void)
{
	enum { MAX = 4000 };
	static int ends[MAX];
	channel_ends = ends;
	int err = 0;
	while (nchannels < MAX) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) { err = errno; break; }
		/* keep descriptors for our own needs (the probe's are its own) */
		if (sv[1] >= 4096 - 64) { close(sv[0]); close(sv[1]); break; }
		struct sock_msg m = { .type = 'S' };
		union { char buf[CMSG_SPACE(sizeof(int) * 3)]; struct cmsghdr align; } u;
		memset(&u, 0, sizeof(u));
		struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type  = SCM_RIGHTS;
		c->cmsg_len   = CMSG_LEN(sizeof(int) * 3);
		int fds[3] = { page_fd, sv[1], sv[0] };
		memcpy(CMSG_DATA(c), fds, sizeof(fds));
		ssize_t s;
		while ((s = sendmsg(FD_PARENT_EP, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR) { }
		close(sv[1]);
		if (s < 0) { err = errno; close(sv[0]); break; }
		ends[nchannels++] = sv[0];
	}
	/* how many of them did the parent keep? A refused one is hung up. */
	sleep_ms(200);
	unsigned kept = 0;
	for (unsigned i = 0; i < nchannels; i++) {
		struct pollfd p = { .fd = ends[i], .events = POLLIN };
		if (poll(&p, 1, 0) == 0 || !(p.revents & POLLHUP)) kept++;
	}
	detail("%u channels set up at the parent, %u kept%s%s", nchannels, kept,
	       err ? ", then " : "", err ? errno_name(err) : "");
	/* the parent keeps a bounded number of channels per component (256) */
	result("%s", kept == nchannels ? "the parent kept every channel"
	           : kept < 256 ? "the parent refused channels beyond its limit per component"
	                        : "the parent ran out of descriptors");
}

static void parent_channels(cairn_env *env)
{
	cairn_cap page;
	int r = cairn_pd_alloc(env->pd, 64 * 1024, &page);
	page_fd = r == CAIRN_OK ? ds_fd(page, 0) : -1;
	if (page_fd < 0) { result("no page: %s", cairn_err_str(r)); return; }
	detail("waiting for the probe");
	hold(env, channels_engage, channels_release, 10);
}

/* ---------------------------------------------------------- epoll watches */

static void epoll_watches(cairn_env *env)
{
	enum { BOUND = 200000, SOCKS = 2000 };
	static int socks[SOCKS];
	unsigned ns = 0;
	for (; ns + 2 <= SOCKS; ns += 2) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) break;
		socks[ns] = sv[0];
		socks[ns + 1] = sv[1];
	}
	unsigned long watches = 0;
	int err = 0;
	while (watches < BOUND && !err) {
		int ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0) { err = errno; break; }
		for (unsigned i = 0; i < ns && watches < BOUND; i++) {
			struct epoll_event ev = { .events = EPOLLIN };
			if (epoll_ctl(ep, EPOLL_CTL_ADD, socks[i], &ev) < 0) { err = errno; break; }
			watches++;
		}
	}
	detail("%lu watches on %u sockets", watches, ns);
	if (watches >= BOUND) result("not stopped at %u watches", BOUND);
	else result("%s", errno_name(err));
}

const struct attempt kernel_attempts[] = {
	{ "threads",         threads },
	{ "threads_raw",     threads_raw },
	{ "socket_buffers",  socket_buffers },
	{ "fd_inflight",     fd_inflight },
	{ "parent_channels", parent_channels },
	{ "epoll_watches",   epoll_watches },
	{ 0, 0 },
};
