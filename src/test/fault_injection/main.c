/* main.c - server and client whose processes the fault-injection run kills */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * Config:
 *   <config role="server"/>  provide "Fault" (PING answers its argument
 *                            plus one), log each session opened and closed
 *   <config role="client"/>  open a "Fault" session and call PING once a
 *                            millisecond; log a heartbeat every 200 ms. When
 *                            the server is gone, log how the call failed,
 *                            try once to open a new session (init denies it),
 *                            and go on with heartbeats from calls to core.
 * Faults on command: the run script (run/fault_injection.run) signals
 * processes of this binary from the host. A component is pid 1 of its
 * own PID namespace, so a signal from outside only arrives if it has a
 * handler (or is SIGKILL); the handlers here make the component fault for
 * real, in the way the signal names:
 *   SIGUSR1   store through a null pointer  -> SIGSEGV
 *   SIGUSR2   an undefined instruction      -> SIGILL
 *   SIGHUP    integer division by zero      -> SIGFPE
 *   SIGWINCH  end the process without the exit call (status 7)
 * SIGKILL needs no handler.
 */

enum { FAULT_PING = 1, FAULT_RAM = 8192, HEARTBEAT_MS = 200 };

static cairn_env *env;

static volatile int zero;

static void fault(int sig)
{
	switch (sig) {
	case SIGUSR1:  *(volatile int *)(uintptr_t)zero = 1; break;
	case SIGUSR2:  __builtin_trap();
	case SIGHUP: {
		/* in assembly: the compiler may turn a C division by zero into anything */
		int a = 1, d = zero;
		__asm__ volatile("cltd\n\tidivl %1" : "+a"(a) : "r"(d) : "rdx");
		break;
	}
	case SIGWINCH: _exit(7);
	}
}

static void faults_on_command(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fault;
	int sigs[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGWINCH };
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) sigaction(sigs[i], &sa, 0);
}

/* ---------------------------------------------------------- server */

struct session {
	cairn_rpc_obj obj;
	char          label[CAIRN_ARGS_MAX];
};

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	if (req->code != FAULT_PING) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	uint32_t v = cairn_msg_get_u32(req);
	if (req->err) { reply->code = CAIRN_ERR_MSG; return CAIRN_RPC_REPLY; }
	cairn_msg_put_u32(reply, v + 1);
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *root, const char *args, const char *label,
                  cairn_heap *heap, cairn_rpc_obj **obj)
{
	int err;
	struct session *s = cairn_root_session_alloc(root, heap, sizeof(*s), dispatch, &err);
	if (!s) return err;
	snprintf(s->label, sizeof(s->label), "%s", label);
	cairn_log("session \"%s\" opened", label);
	*obj = &s->obj;
	return CAIRN_OK;
}

static void destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	struct session *s = obj->data;
	cairn_log("session \"%s\" closed", s->label);
	cairn_root_session_free(root, obj);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct session),
	.create       = create,
	.destroy      = destroy,
};

static cairn_root root;

/* ---------------------------------------------------------- client */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pause_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) { }
}

static int ping(cairn_cap s, uint32_t v)
{
	cairn_msg m;
	cairn_msg_init(&m, FAULT_PING);
	cairn_msg_put_u32(&m, v);
	int r = cairn_rpc_call(s, &m, &m);
	if (r == CAIRN_OK && cairn_msg_get_u32(&m) != v + 1) r = CAIRN_ERR_MSG;
	return r;
}

static _Noreturn void client(void)
{
	cairn_cap s;
	int r = cairn_session(env, "Fault", &s, "ram_quota=%d, label=\"fault\"", FAULT_RAM);
	if (r != CAIRN_OK) cairn_log("no session: %s", cairn_err_str(r));
	bool served = r == CAIRN_OK;
	unsigned long answers = 0, beat = 0;
	double next = now_ms() + HEARTBEAT_MS;
	for (uint32_t i = 0;; i++) {
		if (served) {
			r = ping(s, i);
			if (r == CAIRN_OK) answers++;
			else {
				served = false;
				cairn_log("server gone: %s", cairn_err_str(r));
				cairn_cap again;
				r = cairn_session(env, "Fault", &again, "ram_quota=%d, label=\"again\"", FAULT_RAM);
				cairn_log("new session: %s", cairn_err_str(r));
			}
		} else {
			size_t q, u;
			r = cairn_pd_quota(env->pd, &q, &u);
			if (r != CAIRN_OK) cairn_log("core: %s", cairn_err_str(r));
		}
		if (now_ms() >= next) {
			cairn_log("heartbeat %lu (%lu answers)", ++beat, answers);
			next += HEARTBEAT_MS;
		}
		pause_ms(1);
	}
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	faults_on_command();
	char role[16] = "";
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node n;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &n).error)
			xml_attr_string(&n, "role", role, sizeof(role), "");
		cairn_attached_rom_close(&config, env);
	}
	if (!strcmp(role, "server")) {
		int r = cairn_root_announce(&root, env, "Fault", &ops, 0);
		if (r != CAIRN_OK) cairn_fatal("cannot announce: %s", cairn_err_str(r));
		return;
	}
	if (!strcmp(role, "client")) client();
	cairn_fatal("role must be \"server\" or \"client\"");
}
