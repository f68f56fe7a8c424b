/* well_behaved.c - a paying client: the server serves it, each session on its own donation */

#include "quota.h"

#include <base/log.h>
#include <base/parent.h>
#include <session/hello/hello.h>

#include <stdio.h>

enum { TIGHT = 4096, ROOMY = 8192, UPGRADE = 4096, MAX_COUNTERS = 64 };

struct session {
	const char *name;
	cairn_cap   cap;
	cairn_cap   counters[MAX_COUNTERS];
	unsigned    n;
};

static bool open_session(cairn_env *env, struct session *s, size_t donation)
{
	size_t before = own_quota(env);
	int r = cairn_session(env, "Hello", &s->cap, "ram_quota=%zu, label=\"%s\"", donation, s->name);
	if (r != CAIRN_OK) {
		fail("session \"%s\" with %zu bytes: %s", s->name, donation, cairn_err_str(r));
		return false;
	}
	cairn_log("session \"%s\" with ram_quota=%zu: %s", s->name, donation, cairn_err_str(r));
	expect_quota(env, before - donation, "after the donation");
	return true;
}

/* create counters until the session's donation is used up; returns how many */
static unsigned fill(struct session *s)
{
	unsigned before = s->n;
	for (;;) {
		cairn_cap c;
		int r = cairn_hello_new_counter(s->cap, &c);
		if (r == CAIRN_OK && s->n < MAX_COUNTERS) { s->counters[s->n++] = c; continue; }
		if (r != CAIRN_ERR_QUOTA) fail("session \"%s\": new_counter: %s", s->name, cairn_err_str(r));
		break;
	}
	unsigned made = s->n - before;
	cairn_log("session \"%s\": %u more counter%s, then Quota_exceeded", s->name, made, made == 1 ? "" : "s");
	if (!made) fail("session \"%s\": no counter at all", s->name);
	return made;
}

/* every counter of the session still counts */
static void counters_work(struct session *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		uint64_t v = 0;
		int r = cairn_counter_increment(s->counters[i], &v);
		if (r != CAIRN_OK || v != 1) {
			fail("session \"%s\": counter %u: %s, value %llu", s->name, i, cairn_err_str(r),
			     (unsigned long long)v);
			return;
		}
	}
	cairn_log("session \"%s\": all %u counters work", s->name, s->n);
}

static void close_session(cairn_env *env, struct session *s)
{
	for (unsigned i = 0; i < s->n; i++) cairn_cap_release(s->counters[i]);
	(void)cairn_parent_close(env->parent, s->cap);
	cairn_cap_release(s->cap);
}

void well_behaved(cairn_env *env)
{
	/* wait until the misbehaving client is done */
	cairn_cap barrier;
	int r = cairn_session(env, "Quota_barrier", &barrier, "ram_quota=%d", 4096);
	if (r != CAIRN_OK) { fail("barrier: %s", cairn_err_str(r)); return; }
	(void)cairn_parent_close(env->parent, barrier);
	cairn_cap_release(barrier);

	size_t initial = own_quota(env);
	struct session tight = { .name = "tight" }, roomy = { .name = "roomy" };
	if (!open_session(env, &tight, TIGHT) || !open_session(env, &roomy, ROOMY)) return;

	int64_t sum = 0;
	if (cairn_hello_say_hello(tight.cap, "the server still serves well-behaved clients") != CAIRN_OK
	    || cairn_hello_add(roomy.cap, 2, 3, &sum) != CAIRN_OK || sum != 5)
		fail("say_hello/add after the misbehaving requests");

	/* the tight session runs out, the roomy one does not mind */
	unsigned t1 = fill(&tight);
	uint64_t v = 0;
	cairn_cap extra;
	r = cairn_hello_new_counter(roomy.cap, &extra);
	if (r == CAIRN_OK && cairn_counter_increment(extra, &v) == CAIRN_OK && v == 1) {
		cairn_log("session \"roomy\" still creates counters: ok");
		roomy.counters[roomy.n++] = extra;
	} else {
		fail("session \"roomy\" after \"tight\" ran out: %s", cairn_err_str(r));
	}
	unsigned r1 = fill(&roomy);
	if (r1 + 1 <= t1) fail("twice the donation bought no more counters (%u vs %u)", r1 + 1, t1);
	counters_work(&tight);

	/* more donation, more counters */
	size_t before = own_quota(env);
	char up[32];
	snprintf(up, sizeof(up), "ram_quota=%d", UPGRADE);
	r = cairn_parent_upgrade(env->parent, tight.cap, up);
	if (r == CAIRN_OK) cairn_log("upgrade of \"tight\" by %d: ok", UPGRADE);
	else fail("upgrade of \"tight\": %s", cairn_err_str(r));
	expect_quota(env, before - UPGRADE, "after the upgrade");
	unsigned t2 = fill(&tight);
	/* it paid no session object, and each counter costs at least its charge */
	if (t2 < t1 || t2 > (UPGRADE + CAIRN_HELLO_COUNTER_RAM) / CAIRN_HELLO_COUNTER_RAM)
		fail("the upgrade bought %u counters, the first %d bytes %u", t2, TIGHT, t1);

	/* a destroyed counter returns its charge */
	r = cairn_hello_destroy_counter(tight.cap, tight.counters[--tight.n]);
	cairn_cap_release(tight.counters[tight.n]);
	if (r != CAIRN_OK || cairn_hello_new_counter(tight.cap, &extra) != CAIRN_OK)
		fail("no counter after destroying one");
	else {
		cairn_log("session \"tight\": destroying a counter makes room for another");
		tight.counters[tight.n++] = extra;
	}
	if (cairn_hello_new_counter(tight.cap, &extra) != CAIRN_ERR_QUOTA) fail("room for two after destroying one");

	close_session(env, &tight);
	close_session(env, &roomy);
	expect_quota(env, initial, "after closing both sessions");
}
