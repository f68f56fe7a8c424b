/* rpc.c - null-RPC, 4 KiB, delegation and signal latency against the socket design and the spin floor */

#include <base/entrypoint.h>
#include <base/signal.h>
#include <plat.h>

#include "common.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

/*
 * Process layout (all figures are taken in one run, interleaved):
 *
 *   parent   the RPC server: one entrypoint (its main thread) with the
 *            null object and a signal handler, created before the fork
 *   client   forked from the parent: calls the parent's object through the
 *            capability table it inherited; drives every measurement and
 *            pins itself and the servers for each batch
 *   sock     forked from the client: the socket design's server (the
 *            original base-linux: per call, the client makes a fresh
 *            SOCK_SEQPACKET reply socket pair and sends one end along
 *            with the request via SCM_RIGHTS; the server replies on it
 *            and closes it). It also answers plain pings on a fixed reply
 *            socket, for orientation.
 *   spin     forked from the client: the other end of the spin floor
 *            (one cache line bounced between two processes)
 *
 * Servers run on CPU a; the client on CPU b (cross-core, ".x") or on a
 * (same core, ".s"), set with sched_setaffinity before every batch.
 *
 * One round runs one batch of every configuration, in a rotating order; a
 * batch times K operations (K chosen so that a batch takes about BATCH_NS)
 * after K/8+4 untimed ones. Each figure is the median over the rounds of
 * the batch means, each ratio the median over the rounds of the per-round
 * ratio. Signal latency is the handler's CLOCK_MONOTONIC minus the
 * client's just before cairn_signal_submit, one signal at a time.
 *
 * --only NAME --iters N runs one configuration alone (for perf/strace,
 * see bench/profile) and prints the distribution of single operations.
 */

enum { OP_NULL = 0, OP_PID = 1, OP_BIG = 2, OP_CAP = 3, OP_RETCAP = 4 };
enum { BIG = 4096 };
enum { BATCH_NS = 2000000, MAX_K = 1000000, POOL_MAX = 4000000 };

enum kind { K_FLOOR, K_SOCK, K_RPC, K_RPC4K, K_RPCCAP, K_RPCRET, K_SIGNAL, K_RPC_SINGLE, K_FSTAT, K_EPOLL, K_PLAIN };

struct config {
	const char *name;
	const char *what;
	enum kind   kind;
	int         same_core;
	int         k;          /* operations per batch */
	double     *res;        /* ns per operation, one per round */
};

static struct config configs[] = {
	{ "floor.x",  "spin floor (cache line ping-pong), cross-core", K_FLOOR,  0, 0, 0 },
	{ "rpc.x",    "null RPC, cross-core",                          K_RPC,    0, 0, 0 },
	{ "sock.x",   "socket design null call, cross-core",           K_SOCK,   0, 0, 0 },
	{ "rpc4k.x",  "RPC with 4 KiB argument, cross-core",           K_RPC4K,  0, 0, 0 },
	{ "rpccap.x", "RPC delegating a capability, cross-core",       K_RPCCAP, 0, 0, 0 },
	{ "rpcret.x", "RPC returning a capability, cross-core",        K_RPCRET, 0, 0, 0 },
	{ "signal.x", "signal submit-to-handler, cross-core",          K_SIGNAL, 0, 0, 0 },
	{ "rpc.s",    "null RPC, same core",                           K_RPC,    1, 0, 0 },
	{ "sock.s",   "socket design null call, same core",            K_SOCK,   1, 0, 0 },
	{ "rpc4k.s",  "RPC with 4 KiB argument, same core",            K_RPC4K,  1, 0, 0 },
	{ "rpccap.s", "RPC delegating a capability, same core",        K_RPCCAP, 1, 0, 0 },
	{ "rpcret.s", "RPC returning a capability, same core",         K_RPCRET, 1, 0, 0 },
	{ "signal.s", "signal submit-to-handler, same core",           K_SIGNAL, 1, 0, 0 },
	/* for orientation: where the time of the RPC path goes */
	{ "rpc1.x",   "null RPC, cross-core, timed call by call",       K_RPC_SINGLE, 0, 0, 0 },
	{ "plain.x",  "plain socket ping-pong (no fd passing), cross", K_PLAIN,  0, 0, 0 },
	{ "plain.s",  "plain socket ping-pong (no fd passing), same",  K_PLAIN,  1, 0, 0 },
	{ "fstat",    "fstat() system call",                           K_FSTAT,  0, 0, 0 },
	{ "epoll0",   "epoll_wait() with timeout 0, 1 idle socket",    K_EPOLL,  0, 0, 0 },
};
enum { NCONF = sizeof(configs) / sizeof(configs[0]) };

/* memory shared by all processes (mapped before the forks) */
struct shared {
	_Alignas(64) _Atomic uint32_t spin;   /* floor: odd = ping, even = pong */
	_Atomic uint32_t              park;   /* floor: the spinner may sleep */
	struct sig_stamp              sig;    /* signal: the handler's clock */
	_Alignas(64) uint8_t          pad[64];
};
static struct shared *sh;
static cairn_cap server_cap, sig_cap, own_cap;

static int cpu_a, cpu_b;           /* servers run on a; the client on b (cross) or a (same) */
static pid_t rpc_pid, sock_pid, spin_pid;
static int sock_fd;                /* client end of the socket server */
static int plain_fd;               /* where the socket server answers plain pings */
static int epfd;                   /* an epoll instance with one idle socket */
static double *pool;               /* single-call latencies of rpc1.x, all rounds */
static int npool;

/* ------------------------------------------------------------------ server */

static int null_dispatch(cairn_rpc_obj *o, cairn_msg *req, cairn_msg *rep)
{
	(void)o;
	switch (req->code) {
	case OP_NULL: break;
	case OP_PID:  cairn_msg_put_u32(rep, (uint32_t)getpid()); break;
	case OP_BIG:  if (req->len != BIG) rep->code = CAIRN_ERR_MSG; break;
	case OP_CAP: {
		cairn_cap c = cairn_msg_get_cap(req);
		if (!cairn_cap_valid(c)) rep->code = CAIRN_ERR_MSG;
		cairn_cap_release(c);
		break;
	}
	case OP_RETCAP: cairn_msg_put_cap(rep, sig_cap); break;
	default: rep->code = CAIRN_ERR_OPCODE;
	}
	return CAIRN_RPC_REPLY;
}

static void on_signal(cairn_signal_handler *h, unsigned count)
{
	(void)h; (void)count;
	sig_stamp_mark(&sh->sig);
}

static void on_child_exit(int sig)
{
	(void)sig;
	int st = 0;
	if (waitpid(-1, &st, WNOHANG) > 0) _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 3);
}

/* ------------------------------------------------------------------ helpers */

static _Noreturn void sock_server(int fd, int plain_reply)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		char req[64];
		union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
		struct iovec iov = { req, sizeof(req) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
		ssize_t r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (r == 0) _exit(0);
		if (r < 0) { if (errno == EINTR) continue; _exit(1); }
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		int32_t rep[2] = { 0, 0 };
		if (!c || c->cmsg_type != SCM_RIGHTS) {
			/* the plain ping-pong: reply on the one fixed reply socket */
			(void)!send(plain_reply, rep, sizeof(rep), MSG_NOSIGNAL);
			continue;
		}
		int reply_fd;
		memcpy(&reply_fd, CMSG_DATA(c), sizeof(int));
		(void)!send(reply_fd, rep, sizeof(rep), MSG_NOSIGNAL);
		close(reply_fd);
	}
}

static _Noreturn void spin_server(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		uint32_t v = atomic_load_explicit(&sh->spin, memory_order_acquire);
		if (v & 1) { atomic_store_explicit(&sh->spin, v + 1, memory_order_release); continue; }
		if (atomic_load_explicit(&sh->park, memory_order_relaxed)) futex_wait(&sh->spin, v);
		else cpu_relax();
	}
}

/* ------------------------------------------------------------------ client */

static cairn_msg req, rep;
static uint32_t spin_val;

static void fail(const char *what, int code)
{
	fprintf(stderr, "bench rpc: %s failed (%d)\n", what, code);
	exit(1);
}

static inline void rpc_null(void)
{
	cairn_msg_init(&req, OP_NULL);
	int r = cairn_rpc_call(server_cap, &req, &rep);
	if (r != CAIRN_OK) fail("null RPC", r);
}

static inline void rpc_big(void)
{
	static uint8_t arg[BIG];
	cairn_msg_init(&req, OP_BIG);
	cairn_msg_put(&req, arg, BIG);
	int r = cairn_rpc_call(server_cap, &req, &rep);
	if (r != CAIRN_OK) fail("4 KiB RPC", r);
}

static inline void rpc_cap(void)
{
	cairn_msg_init(&req, OP_CAP);
	cairn_msg_put_cap(&req, own_cap);
	int r = cairn_rpc_call(server_cap, &req, &rep);
	if (r != CAIRN_OK) fail("delegating RPC", r);
}

/* the reply carries a capability the client knows already (like a session cap) */
static inline void rpc_retcap(void)
{
	cairn_msg_init(&req, OP_RETCAP);
	int r = cairn_rpc_call(server_cap, &req, &rep);
	if (r != CAIRN_OK || rep.ncaps != 1) fail("RPC returning a capability", r);
	cairn_cap_release(cairn_msg_get_cap(&rep));
}

static inline void sock_call(void)
{
	int rp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rp) < 0) fail("socketpair", -errno);
	int32_t msg[4] = { OP_NULL, 0, 0, 0 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { msg, sizeof(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type  = SCM_RIGHTS;
	c->cmsg_len   = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &rp[1], sizeof(int));
	if (sendmsg(sock_fd, &mh, MSG_NOSIGNAL) != sizeof(msg)) fail("socket send", -errno);
	int32_t r[2];
	if (recv(rp[0], r, sizeof(r), 0) != sizeof(r)) fail("socket reply", -errno);
	close(rp[0]);
	close(rp[1]);
}

/* for orientation: a blocking socket round trip without descriptors */
static inline void plain_call(void)
{
	int32_t msg[4] = { OP_NULL, 0, 0, 0 }, r[2];
	if (send(sock_fd, msg, sizeof(msg), MSG_NOSIGNAL) != sizeof(msg)) fail("plain send", -errno);
	if (recv(plain_fd, r, sizeof(r), 0) != sizeof(r)) fail("plain reply", -errno);
}

static inline void floor_call(int wake)
{
	atomic_store_explicit(&sh->spin, spin_val + 1, memory_order_release);
	spin_val += 2;
	if (wake) futex_wake(&sh->spin);   /* after the store: the spinner cannot miss both */
	while (atomic_load_explicit(&sh->spin, memory_order_acquire) != spin_val) cpu_relax();
}

static void submit_signal(void *arg)
{
	(void)arg;
	cairn_signal_submit(sig_cap, 1);
}

/* one signal; returns submit-to-handler ns (across cores, spin a while; on one core the handler needs the CPU) */
static inline uint64_t signal_once(int same_core)
{
	return sig_stamp_once(&sh->sig, submit_signal, 0, !same_core);
}

static void place(struct config *c)
{
	pid_t srv = c->kind == K_FLOOR ? spin_pid : c->kind == K_SOCK || c->kind == K_PLAIN ? sock_pid : rpc_pid;
	if (c->kind != K_FSTAT && c->kind != K_EPOLL) pin(srv, cpu_a);   /* else: the client alone */
	pin(0, c->same_core ? cpu_a : cpu_b);
}

/* run `n` operations of the config `arg` (placed already); returns ns per operation */
static double run_ops(void *arg, int n)
{
	struct config *c = arg;
	uint64_t sig_sum = 0;
	if (c->kind == K_FLOOR) {
		atomic_store(&sh->park, 0);
		floor_call(1);         /* wakes the spinner; untimed */
	}
	uint64_t t0 = now_ns();
	switch (c->kind) {
	case K_FLOOR:  for (int i = 0; i < n; i++) floor_call(0); break;
	case K_SOCK:   for (int i = 0; i < n; i++) sock_call(); break;
	case K_RPC:    for (int i = 0; i < n; i++) rpc_null(); break;
	case K_RPC4K:  for (int i = 0; i < n; i++) rpc_big(); break;
	case K_RPCCAP: for (int i = 0; i < n; i++) rpc_cap(); break;
	case K_RPCRET: for (int i = 0; i < n; i++) rpc_retcap(); break;
	case K_PLAIN:  for (int i = 0; i < n; i++) plain_call(); break;
	case K_SIGNAL: for (int i = 0; i < n; i++) sig_sum += signal_once(c->same_core); break;
	case K_RPC_SINGLE:
		/* every call timed on its own; the samples are pooled over the rounds */
		for (int i = 0; i < n; i++) {
			uint64_t a = now_ns();
			rpc_null();
			double d = (double)(now_ns() - a);
			if (pool && npool < POOL_MAX) pool[npool++] = d;
		}
		break;
	case K_FSTAT: {
		struct stat st;
		for (int i = 0; i < n; i++) fstat(sock_fd, &st);
		break;
	}
	case K_EPOLL: {
		struct epoll_event ev;
		for (int i = 0; i < n; i++) epoll_wait(epfd, &ev, 1, 0);
		break;
	}
	}
	uint64_t t1 = now_ns();
	if (c->kind == K_FLOOR) atomic_store(&sh->park, 1);
	if (c->kind == K_SIGNAL) return (double)sig_sum / n;
	return (double)(t1 - t0) / n;
}

static double batch(struct config *c, int n)
{
	place(c);
	return bench_batch(run_ops, c, n);
}

static void calibrate(struct config *c)
{
	place(c);
	c->k = bench_calibrate(run_ops, c, BATCH_NS, MAX_K, 8);
}

static struct config *find(const char *name)
{
	for (int i = 0; i < NCONF; i++)
		if (!strcmp(configs[i].name, name)) return &configs[i];
	return 0;
}

static void print_figure(struct config *c, int rounds)
{
	print_series(c->name, c->what, c->res, rounds, c->k, "ns", 0);
}

static double ratio(const char *a, const char *b, int rounds)
{
	return paired_ratio(find(a)->res, find(b)->res, rounds);
}

static int client(int rounds, const char *only, int only_iters)
{
	/* verify the transport: the parent's object answers from the parent's pid */
	cairn_msg_init(&req, OP_PID);
	int r = cairn_rpc_call(server_cap, &req, &rep);
	uint32_t srv = cairn_msg_get_u32(&rep);
	if (r != CAIRN_OK || rep.err || srv != (uint32_t)rpc_pid || srv == (uint32_t)getpid()) {
		fprintf(stderr, "bench rpc: inherited capability does not reach the parent (r=%d pid %u)\n", r, srv);
		return 1;
	}
	printf("transport: client pid %d calls server pid %u through the capability inherited over fork\n",
	       (int)getpid(), srv);

	/* a capability of the client's own, to delegate */
	static cairn_rpc_obj own = { .dispatch = null_dispatch };
	own_cap = cairn_ep_manage(plat_ep_create_here("client"), &own);

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) fail("socketpair", -errno);
	int pp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pp) < 0) fail("socketpair", -errno);
	sock_pid = fork();
	if (sock_pid == 0) { close(sv[0]); close(pp[0]); sock_server(sv[1], pp[1]); }
	close(sv[1]);
	close(pp[1]);
	sock_fd  = sv[0];
	plain_fd = pp[0];
	epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(epfd, EPOLL_CTL_ADD, sock_fd, &ev);
	atomic_store(&sh->park, 1);
	spin_pid = fork();
	if (spin_pid == 0) spin_server();

	if (only) {
		struct config *c = find(only);
		if (!c) { fprintf(stderr, "bench rpc: no configuration %s\n", only); return 1; }
		place(c);
		run_ops(c, 100);
		uint64_t t0 = now_ns();
		double v = run_ops(c, only_iters);
		printf("%s: %.0f ns per operation, %d operations in %.2f s\n", c->name, v, only_iters, (now_ns() - t0) / 1e9);
		/* the distribution of single operations (clock read included) */
		double *d = calloc((size_t)only_iters, sizeof(double));
		for (int i = 0; d && i < only_iters; i++) d[i] = run_ops(c, 1);
		printf("%s: single operations: p10 %.0f  p50 %.0f  p90 %.0f  p99 %.0f ns\n", c->name,
		       quantile(d, only_iters, .1), quantile(d, only_iters, .5),
		       quantile(d, only_iters, .9), quantile(d, only_iters, .99));
		goto out;
	}

	struct load_probe load;
	load_read(&load);
	uint64_t own0 = proc_runtime_ns(rpc_pid) + proc_runtime_ns(getpid())
	              + proc_runtime_ns(sock_pid) + proc_runtime_ns(spin_pid);
	for (int i = 0; i < NCONF; i++) {
		configs[i].res = calloc((size_t)rounds, sizeof(double));
		calibrate(&configs[i]);
	}
	pool = calloc(POOL_MAX, sizeof(double));   /* after calibrating: rounds only */
	for (int round = 0; round < rounds; round++)
		for (int j = 0; j < NCONF; j++) {
			struct config *c = &configs[(j + round) % NCONF];   /* rotate the order */
			c->res[round] = batch(c, c->k);
		}

	uint64_t own1 = proc_runtime_ns(rpc_pid) + proc_runtime_ns(getpid())
	              + proc_runtime_ns(sock_pid) + proc_runtime_ns(spin_pid);
	load_report(&load, "RPC benchmark", own1 - own0);
	for (int i = 0; i < NCONF; i++) print_figure(&configs[i], rounds);
	/* the spin-then-sleep transport is bimodal: the fast path and the sleeping path */
	double fast = quantile(pool, npool, .1), p50 = quantile(pool, npool, .5);
	int slept = 0;
	for (int i = 0; i < npool; i++) slept += pool[i] > 4 * fast;
	printf("single    null RPC, cross-core, %d single calls: p10 %.0f  p50 %.0f  p90 %.0f  p99 %.0f ns; "
	       "%.1f %% took over 4x p10\n", npool, fast, p50, quantile(pool, npool, .9), quantile(pool, npool, .99),
	       100.0 * slept / (npool ? npool : 1));
	printf("bimodal   rounds whose batch mean exceeds 4x p10 of single calls:");
	static const char *bi[] = { "rpc.x", "rpc4k.x", "rpccap.x", "rpcret.x" };
	for (unsigned b = 0; b < sizeof(bi) / sizeof(bi[0]); b++) {
		int slow = 0;
		for (int k = 0; k < rounds; k++) slow += find(bi[b])->res[k] > 4 * fast;
		printf(" %s %d%%", bi[b], 100 * slow / rounds);
	}
	printf("\n");
	printf("ratios (median of per-round ratios):\n");
	print_ratio("null RPC / spin floor, cross-core",      ratio("rpc.x", "floor.x", rounds), "<=", 15);
	print_ratio("socket design / null RPC, cross-core",   ratio("sock.x", "rpc.x", rounds), ">=", 30);
	print_ratio("null RPC / socket design, same core",    ratio("rpc.s", "sock.s", rounds), "<=", 0.5);
	print_ratio("4 KiB RPC / null RPC, cross-core",       ratio("rpc4k.x", "rpc.x", rounds), 0, 0);
	print_ratio("4 KiB RPC / null RPC, same core",        ratio("rpc4k.s", "rpc.s", rounds), 0, 0);
	print_ratio("delegating RPC / null RPC, cross-core",  ratio("rpccap.x", "rpc.x", rounds), 0, 0);
	print_ratio("delegating RPC / null RPC, same core",   ratio("rpccap.s", "rpc.s", rounds), 0, 0);
	print_ratio("cap-returning RPC / null RPC, cross-core", ratio("rpcret.x", "rpc.x", rounds), 0, 0);
	print_ratio("cap-returning RPC / null RPC, same core",  ratio("rpcret.s", "rpc.s", rounds), 0, 0);
	print_ratio("signal latency / null RPC, cross-core",  ratio("signal.x", "rpc.x", rounds), 0, 0);
	print_ratio("signal latency / null RPC, same core",   ratio("signal.s", "rpc.s", rounds), 0, 0);
	print_ratio("null RPC same core / cross-core",        ratio("rpc.s", "rpc.x", rounds), 0, 0);
	print_ratio("socket design / plain socket, cross-core", ratio("sock.x", "plain.x", rounds), 0, 0);
	print_ratio("socket design / plain socket, same core",  ratio("sock.s", "plain.s", rounds), 0, 0);
	print_ratio("null RPC / plain socket, same core",       ratio("rpc.s", "plain.s", rounds), 0, 0);
	double fl = median(find("floor.x")->res, rounds);
	print_ratio("single-call p10 null RPC / floor, cross-core", fast / fl, 0, 0);
	print_ratio("single-call p50 null RPC / floor, cross-core", p50 / fl, 0, 0);
	print_ratio("fstat() / single-call p10 null RPC",     median(find("fstat")->res, rounds) / fast, 0, 0);
	print_ratio("epoll_wait(0) / single-call p10 null RPC", median(find("epoll0")->res, rounds) / fast, 0, 0);
out:
	kill(sock_pid, SIGKILL);
	kill(spin_pid, SIGKILL);
	waitpid(sock_pid, 0, 0);
	waitpid(spin_pid, 0, 0);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = 101, only_iters = 100000;
	const char *only = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc) only_iters = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--rounds N] [--only NAME [--iters N]]\n", argv[0]);
			return 2;
		}
	}
	int cpu[2];
	if (usable_cpus(cpu) < 2) {
		fprintf(stderr, "bench rpc: needs two CPUs\n");
		return 2;
	}
	cpu_a = cpu[0];
	cpu_b = cpu[1];
	setvbuf(stdout, 0, _IOLBF, 0);

	sh = mmap(0, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) return 2;

	/* the server: entrypoint and objects exist before the fork */
	plat_cap_init();
	cairn_ep *ep = plat_ep_create_here("server");
	static cairn_rpc_obj obj = { .dispatch = null_dispatch };
	static cairn_signal_handler sigh;
	server_cap = cairn_ep_manage(ep, &obj);
	sig_cap    = cairn_signal_handler_init(&sigh, ep, on_signal, 0);
	if (!cairn_cap_valid(server_cap) || !cairn_cap_valid(sig_cap)) return 2;

	rpc_pid = getpid();
	signal(SIGCHLD, on_child_exit);
	pid_t c = fork();
	if (c < 0) return 2;
	if (c == 0) {
		signal(SIGCHLD, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return client(rounds, only, only_iters);
	}
	cairn_ep_run(ep);
}
