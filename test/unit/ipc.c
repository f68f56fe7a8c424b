/* ipc.c - unit test of the platform's RPC: calls, delegation, identity, dissolve, signals */

#include <base/entrypoint.h>
#include <base/signal.h>
#include <plat.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;
#define CHECK(c, what) do { if (c) printf("ok   %s\n", what); \
                            else { printf("FAIL %s (line %d)\n", what, __LINE__); failed++; } } while (0)

static cairn_ep *server_ep;
static cairn_rpc_obj adder, factory;
static cairn_rpc_obj made[4];
static int nmade;

static int adder_dispatch(cairn_rpc_obj *o, cairn_msg *req, cairn_msg *rep)
{
	if (req->code != 1) { rep->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	uint64_t a = cairn_msg_get_u64(req), b = cairn_msg_get_u64(req);
	if (req->err) { rep->code = CAIRN_ERR_MSG; return CAIRN_RPC_REPLY; }
	cairn_msg_put_u64(rep, a + b + (uint64_t)(uintptr_t)o->data);
	return CAIRN_RPC_REPLY;
}

/* op 1: make a new adder and return its cap; op 2: is the argument one of ours? */
static int factory_dispatch(cairn_rpc_obj *o, cairn_msg *req, cairn_msg *rep)
{
	(void)o;
	if (req->code == 1 && nmade < 4) {
		cairn_rpc_obj *n = &made[nmade++];
		*n = (cairn_rpc_obj){ .dispatch = adder_dispatch, .data = (void *)(uintptr_t)(100 * nmade) };
		cairn_msg_put_cap(rep, cairn_ep_manage(server_ep, n));
	} else if (req->code == 2) {
		cairn_cap c = cairn_msg_get_cap(req);
		cairn_rpc_obj *found = cairn_ep_lookup(server_ep, c);
		cairn_msg_put_u32(rep, found && found >= made && found < made + 4 ? (uint32_t)(found - made) + 1 : 0);
		cairn_cap_release(c);
	} else if (req->code == 3) {
		int i = (int)cairn_msg_get_u32(req);
		if (i >= 0 && i < nmade) cairn_ep_dissolve(server_ep, &made[i]);
	} else if (req->code == 4) {
		/* echo a big payload */
		const void *p = cairn_msg_get_ptr(req, req->len);
		cairn_msg_put(rep, p, req->len);
	} else rep->code = CAIRN_ERR_OPCODE;
	return CAIRN_RPC_REPLY;
}

static int die_dispatch(cairn_rpc_obj *o, cairn_msg *req, cairn_msg *rep)
{
	(void)o; (void)req; (void)rep;
	_exit(0);   /* the server dies without replying */
}

static void send_fds(int sock, int fds[2])
{
	char c = 0, buf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type  = SCM_RIGHTS;
	cm->cmsg_len   = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, 2 * sizeof(int));
	(void)!sendmsg(sock, &mh, 0);
}

static void recv_fds(int sock, int fds[2])
{
	char c, buf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof(buf) };
	fds[0] = fds[1] = -1;
	if (recvmsg(sock, &mh, 0) == 1 && CMSG_FIRSTHDR(&mh))
		memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&mh)), 2 * sizeof(int));
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  cond = PTHREAD_COND_INITIALIZER;

static void *server(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	server_ep = plat_ep_create_here("server");
	adder   = (cairn_rpc_obj){ .dispatch = adder_dispatch };
	factory = (cairn_rpc_obj){ .dispatch = factory_dispatch };
	cairn_ep_manage(server_ep, &adder);
	cairn_ep_manage(server_ep, &factory);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	cairn_ep_run(server_ep);
}

/* a second server: an object of one entrypoint is no object of another */
static cairn_ep *other_ep;
static cairn_rpc_obj other;

static void *server2(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	other_ep = plat_ep_create_here("other");
	other    = (cairn_rpc_obj){ .dispatch = adder_dispatch, .data = (void *)(uintptr_t)7 };
	cairn_ep_manage(other_ep, &other);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	cairn_ep_run(other_ep);
}

static unsigned sig_total, sig_calls;
static void on_sig(cairn_signal_handler *h, unsigned n) { (void)h; sig_total += n; sig_calls++; }

int main(void)
{
	plat_cap_init();
	pthread_t t;
	pthread_mutex_lock(&lock);
	pthread_create(&t, 0, server, 0);
	while (!server_ep) pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	cairn_msg m;
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 2);
	cairn_msg_put_u64(&m, 40);
	CHECK(cairn_rpc_call(adder.cap, &m, &m) == CAIRN_OK && cairn_msg_get_u64(&m) == 42, "call returns result");

	for (int i = 0; i < 1000; i++) {
		cairn_msg_init(&m, 1);
		cairn_msg_put_u64(&m, (uint64_t)i);
		cairn_msg_put_u64(&m, 1);
		if (cairn_rpc_call(adder.cap, &m, &m) != CAIRN_OK || cairn_msg_get_u64(&m) != (uint64_t)i + 1) break;
		if (i == 999) CHECK(1, "1000 calls in a row");
	}

	cairn_msg_init(&m, 9);
	CHECK(cairn_rpc_call(adder.cap, &m, &m) == CAIRN_ERR_OPCODE, "unknown opcode is an error");

	cairn_msg_init(&m, 1);
	cairn_msg_put_u32(&m, 1);
	CHECK(cairn_rpc_call(adder.cap, &m, &m) == CAIRN_ERR_MSG, "short request is the client's error");

	/* delegation in a result */
	cairn_msg_init(&m, 1);
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK && m.ncaps == 1, "capability returned");
	cairn_cap got = cairn_msg_get_cap(&m);
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 1);
	cairn_msg_put_u64(&m, 2);
	CHECK(cairn_rpc_call(got, &m, &m) == CAIRN_OK && cairn_msg_get_u64(&m) == 103, "returned capability works");
	CHECK(cairn_cap_same(got, made[0].cap), "same object, same identity");
	CHECK(!cairn_cap_same(got, adder.cap), "other object, other identity");

	/* delegation in an argument, identity check at the server */
	cairn_msg_init(&m, 2);
	cairn_msg_put_cap(&m, got);
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK && cairn_msg_get_u32(&m) == 1, "server recognises its object");
	cairn_msg_init(&m, 2);
	cairn_msg_put_cap(&m, factory.cap);
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK && cairn_msg_get_u32(&m) == 0, "not a made object");
	cairn_msg_init(&m, 2);
	cairn_msg_put_cap(&m, CAIRN_CAP_INVALID);
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK && cairn_msg_get_u32(&m) == 0, "invalid cap arrives invalid");

	/* forged names reach nothing */
	int reached = 0;
	for (uint32_t id = 1; id < 70000; id += 7) {
		cairn_cap forged = { id * 2654435761u };
		if (cairn_cap_same(forged, got) || cairn_cap_same(forged, adder.cap) || cairn_cap_same(forged, factory.cap)) continue;
		cairn_msg_init(&m, 1);
		if (cairn_rpc_call(forged, &m, &m) != CAIRN_ERR_IPC) reached++;
	}
	CHECK(reached == 0, "forged capability names reach nothing");

	/*
	 * A descriptor that is no object of the entrypoint it is paired with
	 * (within one process the same object always has the same name, so
	 * the stranger is a plain socket): the call attaches it there, and
	 * that server knows no such object.
	 */
	pthread_t t2;
	pthread_mutex_lock(&lock);
	pthread_create(&t2, 0, server2, 0);
	while (!other_ep) pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	int oo, oe, stranger[2];
	plat_cap_fds(other.cap, &oo, &oe);
	socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, stranger);
	close(stranger[1]);
	cairn_cap mixed = plat_cap_install(stranger[0], dup(oe));
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 1);
	cairn_msg_put_u64(&m, 1);
	CHECK(cairn_rpc_call(mixed, &m, &m) == CAIRN_ERR_IPC, "a stranger descriptor called at an entrypoint: Ipc_error");
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 1);
	cairn_msg_put_u64(&m, 1);
	CHECK(cairn_rpc_call(other.cap, &m, &m) == CAIRN_OK && cairn_msg_get_u64(&m) == 9,
	      "that channel still serves the server's own object");
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 1);
	cairn_msg_put_u64(&m, 1);
	CHECK(cairn_rpc_call(mixed, &m, &m) == CAIRN_ERR_IPC, "and refuses the foreign one again");
	cairn_cap_release(mixed);
	CHECK(cairn_cap_same_server(adder.cap, factory.cap), "objects of one entrypoint: same server");
	CHECK(!cairn_cap_same_server(adder.cap, other.cap), "objects of two entrypoints: not the same server");
	CHECK(!cairn_cap_same_server(adder.cap, CAIRN_CAP_INVALID), "an invalid capability reaches no server");

	/* big payload both ways */
	cairn_msg_init(&m, 4);
	for (int i = 0; i < 4096; i++) { uint8_t b = (uint8_t)i; cairn_msg_put(&m, &b, 1); }
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK && m.len == 4096 && m.data[4095] == (uint8_t)4095,
	      "4 KiB payload echoed");

	/* dissolve: later calls fail with Ipc_error */
	cairn_msg_init(&m, 3);
	cairn_msg_put_u32(&m, 0);
	CHECK(cairn_rpc_call(factory.cap, &m, &m) == CAIRN_OK, "dissolve requested");
	cairn_msg_init(&m, 1);
	cairn_msg_put_u64(&m, 1);
	cairn_msg_put_u64(&m, 1);
	CHECK(cairn_rpc_call(got, &m, &m) == CAIRN_ERR_IPC, "dissolved object yields Ipc_error");
	cairn_cap_release(got);
	cairn_msg_init(&m, 1);
	CHECK(cairn_rpc_call(got, &m, &m) == CAIRN_ERR_IPC, "released name yields Ipc_error");

	/* signals merge: submit several times before the handler runs */
	cairn_ep *ep = plat_ep_create_here("main");
	cairn_signal_handler h;
	cairn_cap ctx = cairn_signal_handler_init(&h, ep, on_sig, 0);
	for (int i = 0; i < 5; i++) cairn_signal_submit(ctx, 2);
	unsigned n = cairn_ep_wait_signal(ep, &h.obj);
	CHECK(n == 10, "five submits of 2 merge into 10");
	cairn_signal_submit(ctx, 3);
	cairn_ep_dispatch_one(ep);
	CHECK(sig_total == 3 && sig_calls == 1, "handler called once with the count");
	cairn_signal_submit(CAIRN_CAP_INVALID, 1);
	CHECK(1, "submit to invalid context is harmless");

	/*
	 * A server that dies while a call is pending: a forked child makes its
	 * own entrypoint and object, hands the capability's descriptors over a
	 * socket, and dies on the call.
	 */
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid_t pid = fork();
	if (pid == 0) {
		cairn_ep *dying = plat_ep_create_here("dying");
		static cairn_rpc_obj victim = { .dispatch = die_dispatch };
		int fds[2];
		plat_cap_fds(cairn_ep_manage(dying, &victim), &fds[0], &fds[1]);
		send_fds(sv[1], fds);
		cairn_ep_run(dying);
	}
	int fds[2];
	recv_fds(sv[0], fds);
	cairn_cap victim = plat_cap_install(fds[0], fds[1]);
	cairn_msg_init(&m, 1);
	CHECK(cairn_rpc_call(victim, &m, &m) == CAIRN_ERR_IPC, "server death during a call yields Ipc_error");
	cairn_msg_init(&m, 1);
	CHECK(cairn_rpc_call(victim, &m, &m) == CAIRN_ERR_IPC, "calls to a dead server fail at once");
	waitpid(pid, 0, 0);

	printf("%s\n", failed ? "ipc: FAILED" : "ipc: all checks passed");
	return failed ? 1 : 0;
}
