/* main.c - Hello client: exercises every operation of the Hello session */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/hello/hello.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Each step states what it expects; any deviation is logged as an error
 * and makes the component exit with 1 after the remaining steps.
 *
 * Config (optional): <config crash="yes"/> makes the client open its
 * session, create two counters and then crash (a test of the parent's
 * clean-up: the server must see the session closed).
 */

static int failures;

static void check(int got, int want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* log `<what>: <result>` and count it as a failure unless got == want */
static void check(int got, int want, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (got == want) {
		cairn_log("%s: %s", what, cairn_err_str(got));
		return;
	}
	cairn_error("%s: %s, expected %s", what, cairn_err_str(got), cairn_err_str(want));
	failures++;
}

static void check_value(uint64_t got, uint64_t want, const char *what)
{
	if (got == want) return;
	cairn_error("%s: got %llu, expected %llu", what, (unsigned long long)got, (unsigned long long)want);
	failures++;
}

static void test_add(cairn_cap hello)
{
	int64_t sum = 0;
	int r = cairn_hello_add(hello, 13, 29, &sum);
	if (r == CAIRN_OK && sum == 42) cairn_log("add(13, 29) = %lld", (long long)sum);
	else { cairn_error("add(13, 29): %s, sum %lld", cairn_err_str(r), (long long)sum); failures++; }

	r = cairn_hello_add(hello, -5, 3, &sum);
	check_value(r == CAIRN_OK ? (uint64_t)sum : 0, (uint64_t)-2, "add(-5, 3)");

	check(cairn_hello_add(hello, INT64_MAX, 1, &sum), CAIRN_ERR_INVALID_ARGS, "add(INT64_MAX, 1)");
}

static void test_say_hello(cairn_cap hello)
{
	check(cairn_hello_say_hello(hello, "Hello from the client!"), CAIRN_OK, "say_hello");

	char big[CAIRN_HELLO_TEXT_MAX + 16];
	for (size_t i = 0; i < sizeof(big) - 1; i++) big[i] = 'x';
	big[sizeof(big) - 1] = 0;
	check(cairn_hello_say_hello(hello, big), CAIRN_ERR_INVALID_ARGS,
	      "say_hello with %zu characters", sizeof(big) - 1);
}

/* increment `n` times, checking that the values count up from `first` */
static void increment(cairn_cap counter, const char *name, unsigned n, uint64_t first)
{
	char line[128];
	int len = snprintf(line, sizeof(line), "%s:", name);
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = 0;
		int r = cairn_counter_increment(counter, &v);
		if (r != CAIRN_OK) {
			cairn_error("%s: increment failed: %s", name, cairn_err_str(r));
			failures++;
			return;
		}
		check_value(v, first + i, name);
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %llu", (unsigned long long)v);
	}
	cairn_log("%s", line);
}

static void test_counters(cairn_env *env, cairn_cap hello, cairn_cap *keep)
{
	cairn_cap c1, c2;
	uint64_t  v = 0;

	check(cairn_hello_new_counter(hello, &c1), CAIRN_OK, "new_counter (counter 1)");
	check(cairn_hello_new_counter(hello, &c2), CAIRN_OK, "new_counter (counter 2)");
	if (!cairn_cap_valid(c1) || !cairn_cap_valid(c2)) return;
	if (cairn_cap_same(c1, c2)) { cairn_error("both counters are the same object"); failures++; }

	increment(c1, "counter 1", 3, 1);
	increment(c2, "counter 2", 1, 1);

	/* delegation in an argument: the server recognises its own object */
	int r = cairn_hello_adopt(hello, c1, &v);
	if (r == CAIRN_OK && v == 3) cairn_log("adopt(counter 1) = %llu", (unsigned long long)v);
	else { cairn_error("adopt(counter 1): %s, value %llu", cairn_err_str(r), (unsigned long long)v); failures++; }
	check(cairn_hello_adopt(hello, env->log, &v), CAIRN_ERR_INVALID_ARGS, "adopt(own LOG session)");
	check(cairn_hello_adopt(hello, hello, &v), CAIRN_ERR_INVALID_ARGS, "adopt(the Hello session)");
	check(cairn_hello_adopt(hello, CAIRN_CAP_INVALID, &v), CAIRN_ERR_INVALID_ARGS,
	      "adopt(invalid capability)");

	/* a destroyed object is unreachable through every copy of its capability */
	check(cairn_hello_destroy_counter(hello, c2), CAIRN_OK, "destroy_counter(counter 2)");
	check(cairn_counter_increment(c2, &v), CAIRN_ERR_IPC, "counter 2 after destroy");
	check(cairn_hello_adopt(hello, c2, &v), CAIRN_ERR_INVALID_ARGS, "adopt(destroyed counter 2)");
	check(cairn_hello_destroy_counter(hello, c2), CAIRN_ERR_INVALID_ARGS, "destroy_counter(counter 2) again");
	cairn_cap_release(c2);

	*keep = c1;
}

static bool crash_requested(cairn_env *env)
{
	bool crash = false;
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) return false;
	struct xml_node root;
	if (!xml_parse(config.data, strnlen(config.data, config.size), &root).error)
		crash = xml_attr_bool(&root, "crash", false);
	cairn_attached_rom_close(&config, env);
	return crash;
}

_Noreturn static void crash_with_counters(cairn_cap hello)
{
	cairn_cap c1, c2;
	if (cairn_hello_new_counter(hello, &c1) != CAIRN_OK || cairn_hello_new_counter(hello, &c2) != CAIRN_OK)
		cairn_fatal("no counters");
	cairn_log("going to crash with 2 counters");
	/* cppcheck-suppress nullPointer */
	*(volatile int *)0 = 1;
	cairn_fatal("still alive after the crash");
}

void cairn_component_construct(cairn_env *env)
{
	cairn_cap hello, counter = CAIRN_CAP_INVALID;
	uint64_t  v;
	bool      crash = crash_requested(env);

	int r = cairn_session(env, "Hello", &hello, "ram_quota=%d", CAIRN_HELLO_RAM);
	if (r != CAIRN_OK) {
		cairn_error("could not open a Hello session: %s", cairn_err_str(r));
		cairn_env_exit(env, 1);
	}
	cairn_log("Hello session opened");
	if (crash) crash_with_counters(hello);

	test_say_hello(hello);
	test_add(hello);
	test_counters(env, hello, &counter);

	/* closing the session destroys it and its counters */
	check(cairn_parent_close(env->parent, hello), CAIRN_OK, "close Hello session");
	check(cairn_hello_say_hello(hello, "still there?"), CAIRN_ERR_IPC, "Hello session after close");
	check(cairn_counter_increment(counter, &v), CAIRN_ERR_IPC, "counter 1 after close");
	cairn_cap_release(counter);
	cairn_cap_release(hello);

	if (failures) {
		cairn_error("hello test failed (%d unexpected results)", failures);
		cairn_env_exit(env, 1);
	}
	cairn_log("hello test completed");
	cairn_env_exit(env, 0);
}
