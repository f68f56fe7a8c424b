/* main.c - quota test: session donations that are too small, too large, used up */

#include "quota.h"

#include <base/log.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Config: <config role="misbehave"/> or <config role="well_behaved"/>.
 * Both roles are clients of the Hello service (test/hello/server); see
 * quota.h for how they are ordered.
 */

unsigned failures;

void fail(const char *fmt, ...)
{
	char buf[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cairn_error("%s", buf);
	failures++;
}

size_t own_quota(cairn_env *env)
{
	size_t quota = 0, used = 0;
	if (cairn_pd_quota(env->pd, &quota, &used) != CAIRN_OK) fail("cannot read own PD quota");
	return quota;
}

void expect_quota(cairn_env *env, size_t want, const char *when)
{
	size_t q = own_quota(env);
	if (q == want) cairn_log("own quota %s: as expected", when);
	else fail("own quota %s: %zu, expected %zu", when, q, want);
}

void cairn_component_construct(cairn_env *env)
{
	char role[32] = "";
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node root;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &root).error)
			xml_attr_string(&root, "role", role, sizeof(role), "");
		cairn_attached_rom_close(&config, env);
	}

	if (!strcmp(role, "misbehave")) {
		misbehave(env);
		if (failures) cairn_env_exit(env, 1);
		return;   /* stay and serve the barrier */
	}
	if (!strcmp(role, "well_behaved")) {
		well_behaved(env);
		if (failures) {
			cairn_error("quota test failed (%u unexpected results)", failures);
			cairn_env_exit(env, 1);
		}
		cairn_log("quota test completed");
		cairn_env_exit(env, 0);
	}
	cairn_error("config: role must be \"misbehave\" or \"well_behaved\", not \"%s\"", role);
	cairn_env_exit(env, 1);
}
