/* caps.c - attempts at capabilities, session labels, descriptors and servers */

#include "escape.h"

#include <base/log.h>
#include <base/parent.h>
#include <session/log/log.h>
#include <session/pd/pd.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* an opcode no interface implements: an object that is reached answers Invalid_opcode */
enum { PROBE_OPCODE = 0x7ffffff0 };

static int call_probe(cairn_cap c)
{
	static cairn_msg m;
	cairn_msg_init(&m, PROBE_OPCODE);
	return cairn_rpc_call(c, &m, &m);
}

/* a name the platform filled is the same as itself */
static bool held(cairn_cap c) { return cairn_cap_same(c, c); }

static int victim_session(cairn_env *env, const char *label, cairn_cap *s)
{
	return cairn_session(env, "Escape_victim", s, "ram_quota=%d, label=\"%s\"", VICTIM_RAM, label);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13; *s ^= *s >> 17; *s ^= *s << 5;
	return *s;
}

/* ---------------------------------------------------------- forged names */

static void forge_cap(cairn_env *env)
{
	unsigned tried = 0, skipped = 0;
	int worst = CAIRN_ERR_IPC;
	uint32_t reached = 0, seed = 0x9e3779b9u;
	for (uint32_t i = 0; i < 0x40000 + 200000; i++) {
		uint32_t id = i < 0x40000 ? i : xorshift(&seed);   /* indices with generations 0-3, then random */
		cairn_cap c = { id };
		if (held(c)) { skipped++; continue; }
		tried++;
		int r = call_probe(c);
		if (r != CAIRN_ERR_IPC && !reached) { reached = id; worst = r; }
	}
	detail("%u invented names tried, %u held ones skipped", tried, skipped);
	if (reached) result("name 0x%08x reached an object (%s)", reached, cairn_err_str(worst));
	else result("%s", cairn_err_str(worst));
}

static void raw_fd_cap(cairn_env *env)
{
	unsigned fds = 0, tried = 0;
	for (int fd = 0; fd < 4096; fd++) {
		if (fcntl(fd, F_GETFD) < 0) continue;
		fds++;
		uint32_t ids[] = { (uint32_t)fd, 1u << 16 | (uint32_t)fd, (uint32_t)fd << 16 | 1u };
		for (unsigned i = 0; i < 3; i++) {
			cairn_cap c = { ids[i] };
			if (held(c)) continue;
			tried++;
			int r = call_probe(c);
			if (r != CAIRN_ERR_IPC) { result("descriptor %d as 0x%08x: %s", fd, ids[i], cairn_err_str(r)); return; }
		}
	}
	detail("%u open descriptors, %u names tried", fds, tried);
	result("%s", fds ? cairn_err_str(CAIRN_ERR_IPC) : "no descriptors found");
}

static void closed_session_cap(cairn_env *env)
{
	cairn_cap s;
	uint32_t v = 0;
	int r = victim_session(env, "closed", &s);
	if (r == CAIRN_OK) r = victim_ping(s, 1, &v);
	if (r != CAIRN_OK) { result("no working session to begin with: %s", cairn_err_str(r)); return; }
	(void)cairn_parent_close(env->parent, s);
	r = victim_ping(s, 1, &v);
	result("%s", cairn_err_str(r));
}

static void released_cap(cairn_env *env)
{
	cairn_cap s;
	uint32_t v = 0;
	int r = victim_session(env, "released", &s);
	if (r == CAIRN_OK) r = victim_ping(s, 1, &v);
	if (r != CAIRN_OK) { result("no working session to begin with: %s", cairn_err_str(r)); return; }
	cairn_cap_release(s);
	result("%s", cairn_err_str(victim_ping(s, 1, &v)));
}

/* ---------------------------------------------------------- labels */

static void label_of(cairn_cap s, char *buf, size_t cap)
{
	cairn_msg m;
	cairn_msg_init(&m, VICTIM_LABEL);
	int r = cairn_rpc_call(s, &m, &m);
	if (r != CAIRN_OK || !cairn_msg_get_str(&m, buf, cap)) snprintf(buf, cap, "(%s)", cairn_err_str(r));
}

static void spoof_with(cairn_env *env, const char *args)
{
	cairn_cap s;
	int r = cairn_parent_session(env->parent, "Escape_victim", args, &s);
	if (r != CAIRN_OK) { result("%s", cairn_err_str(r)); return; }
	char label[200];
	label_of(s, label, sizeof(label));
	result("server sees \"%s\"", label);
}

/* a label that claims to be a sibling's */
static void spoof_label(cairn_env *env)
{
	spoof_with(env, "ram_quota=8192, label=\"init -> other\"");
	/* and at core, whose LOG prints the label it got */
	cairn_cap log;
	if (cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"init -> other\"", CAIRN_LOG_RAM) == CAIRN_OK)
		(void)cairn_log_write(log, "written with the label \"init -> other\"");
}

/* two labels: which one does init rewrite, which one does the server read? */
static void spoof_label_twice(cairn_env *env)
{
	spoof_with(env, "ram_quota=8192, label=\"mine\", label=\"init -> other\"");
}

/* a label with a line break: a line of its own in core's log? */
static void label_newline(cairn_env *env)
{
	cairn_cap log;
	int r = cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"x\n[init] forged by label_newline\"",
	                      CAIRN_LOG_RAM);
	if (r != CAIRN_OK) { result("%s", cairn_err_str(r)); return; }
	r = cairn_log_write(log, "text");
	result("%s", r > 0 ? "session opened, label taken as given" : cairn_err_str(r));
}

/* a carriage return in LOG text: run scripts and terminals treat it as a line break */
static void log_carriage_return(cairn_env *env)
{
	int r = cairn_log_write(env->log, "text\r[init] forged by log_carriage_return");
	result("%s", r > 0 ? "written" : cairn_err_str(r));
}

/* ---------------------------------------------------------- servers that die */

static void dead_server_cap(cairn_env *env)
{
	cairn_cap s;
	uint32_t v = 0;
	int r = victim_session(env, "mortal", &s);
	if (r == CAIRN_OK) r = victim_ping(s, 1, &v);
	if (r != CAIRN_OK) { result("no working session to begin with: %s", cairn_err_str(r)); return; }
	cairn_msg m;
	cairn_msg_init(&m, VICTIM_CRASH);
	int in_flight = cairn_rpc_call(s, &m, &m);   /* the server dies without answering */
	int after = victim_ping(s, 1, &v);
	result("%s, then %s", cairn_err_str(in_flight), cairn_err_str(after));
}

/* ---------------------------------------------------------- exhaustion */

static void fd_exhaust(cairn_env *env)
{
	static int ends[8192];
	unsigned n = 0;
	int sv[2], err = 0;
	while (n + 2 <= sizeof(ends) / sizeof(ends[0])) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) { err = errno; break; }
		ends[n++] = sv[0];
		ends[n++] = sv[1];
	}
	/* at the limit: a call on an existing channel, and one that receives descriptors */
	int w = cairn_log_write(env->log, "a LOG write at the descriptor limit");
	cairn_cap log;
	int s = cairn_parent_session(env->parent, "LOG", "ram_quota=8192, label=\"at_limit\"", &log);
	detail("%u descriptors; at the limit: LOG write %s, new session %s", n,
	       w > 0 ? "works" : cairn_err_str(w), cairn_err_str(s));
	while (n) close(ends[--n]);
	s = cairn_parent_session(env->parent, "LOG", "ram_quota=8192, label=\"after\"", &log);
	if (s == CAIRN_OK) (void)cairn_log_write(log, "a new session after closing them");
	result("%s", err ? errno_name(err) : "not stopped at 8192 descriptors");
}

static void session_exhaust(cairn_env *env)
{
	enum { MAX = 4096 };
	static cairn_cap s[MAX];
	unsigned n = 0;
	int r = CAIRN_OK;
	/* no resource request: this is about what the quota allows */
	while (n < MAX && (r = cairn_parent_session(env->parent, "LOG", "ram_quota=8192, label=\"many\"", &s[n])) == CAIRN_OK)
		n++;
	int w = n ? cairn_log_write(s[0], "the first of the sessions still works") : -1;
	detail("%u LOG sessions at core, the first %s", n, w > 0 ? "works" : cairn_err_str(w));
	for (unsigned i = 0; i < n; i++) (void)cairn_parent_close(env->parent, s[i]);
	result("%s", n == MAX ? "not stopped" : cairn_err_str(r));
}

/* ---------------------------------------------------------- floods */

static pthread_t        flood_thread;
static atomic_bool      flood_stop;
static unsigned long    flood_calls, flood_errors;
static cairn_cap        flood_target;
static int              flood_kind;

static void *flood(void *arg)
{
	(void)arg;
	uint32_t v = 0;
	while (!atomic_load(&flood_stop)) {
		int r;
		if (flood_kind == 0) {
			size_t q, u;
			r = cairn_pd_quota(flood_target, &q, &u);
		} else {
			r = victim_ping(flood_target, v, &v);
		}
		flood_calls++;
		if (r != CAIRN_OK) flood_errors++;
	}
	return 0;
}

static void flood_release(void)
{
	atomic_store(&flood_stop, true);
	pthread_join(flood_thread, 0);
	detail("%lu calls, %lu failed", flood_calls, flood_errors);
	result("%s", flood_errors ? "some calls failed" : "every call answered");
}

static void flood_engage(void)
{
	if (pthread_create(&flood_thread, 0, flood, 0)) cairn_fatal("no flood thread");
	/* the probe starts once the flood is under way */
	while (flood_calls < 1000) sleep_ms(1);
}

static void start_flood(cairn_env *env, int kind, cairn_cap target)
{
	flood_kind = kind;
	flood_target = target;
	hold(env, flood_engage, flood_release, 60);
}

/* a thread calls core as fast as it can until the probe has seen the others served */
static void flood_core(cairn_env *env) { start_flood(env, 0, env->pd); }

static void flood_victim(cairn_env *env)
{
	cairn_cap s;
	int r = victim_session(env, "flood", &s);
	if (r != CAIRN_OK) { result("no session: %s", cairn_err_str(r)); return; }
	start_flood(env, 1, s);
}

const struct attempt cap_attempts[] = {
	{ "forge_cap",           forge_cap },
	{ "raw_fd_cap",          raw_fd_cap },
	{ "closed_session_cap",  closed_session_cap },
	{ "released_cap",        released_cap },
	{ "spoof_label",         spoof_label },
	{ "spoof_label_twice",   spoof_label_twice },
	{ "label_newline",       label_newline },
	{ "log_carriage_return", log_carriage_return },
	{ "dead_server_cap",     dead_server_cap },
	{ "fd_exhaust",          fd_exhaust },
	{ "session_exhaust",     session_exhaust },
	{ "flood_core",          flood_core },
	{ "flood_victim",        flood_victim },
	{ 0, 0 },
};
