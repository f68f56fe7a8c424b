/* main.c - capability-integrity test: try to reach objects never given */

#include "cap_integrity.h"

#include <base/log.h>
#include <base/parent.h>
#include <session/log/log.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <string.h>

/*
 * Config (all optional):
 *   <config rom="test-cap_integrity" host_probes="no"/>
 * `rom`: boot module whose ROM dataspace the test tries to write;
 * `host_probes`: also probe authority outside the capability system (host
 * file system, other processes' descriptors, signals, network), which a
 * sandboxed component must not have.
 */

int probe(cairn_cap cap)
{
	static cairn_msg m;
	cairn_msg_init(&m, PROBE_OPCODE);
	return cairn_rpc_call(cap, &m, &m);
}

bool held(cairn_cap cap)
{
	/* a name is the same as itself only if the platform filled its entry */
	return cairn_cap_same(cap, cap);
}

/* the capabilities the test was given do work: the probe method is sound */
static unsigned given_caps_work(cairn_env *env)
{
	unsigned bad = 0;
	cairn_cap log;
	int r = cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"genuine\"", CAIRN_LOG_RAM);
	if (r != CAIRN_OK) {
		cairn_error("could not open a LOG session: %s", cairn_err_str(r));
		return 1;
	}
	r = cairn_log_write(log, "genuine LOG capability works");
	cairn_log("given cap (LOG session): %s", r > 0 ? "works" : cairn_err_str(r));
	if (r <= 0) bad++;

	r = probe(log);
	cairn_log("given cap with an unknown opcode: %s", cairn_err_str(r));
	if (r != CAIRN_ERR_OPCODE) bad++;
	(void)cairn_parent_close(env->parent, log);
	cairn_cap_release(log);
	return bad;
}

void cairn_component_construct(cairn_env *env)
{
	char module[64] = "test-cap_integrity";
	bool with_host_probes = false;

	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node root;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &root).error) {
			xml_attr_string(&root, "rom", module, sizeof(module), module);
			with_host_probes = xml_attr_bool(&root, "host_probes", false);
		}
		cairn_attached_rom_close(&config, env);
	}

	unsigned given = given_caps_work(env);
	if (given) {
		cairn_error("cap_integrity: the capabilities given do not work (%u)", given);
		cairn_env_exit(env, 1);
	}

	unsigned reached = 0;
	reached += forge_invented(env);
	reached += forge_raw_descriptors();
	reached += forge_closed_session(env);
	reached += forge_released(env);
	reached += rom_write(env, module);
	if (with_host_probes) reached += host_probes();

	if (reached) {
		cairn_error("cap_integrity: %u forgery attempt%s succeeded", reached, reached == 1 ? "" : "s");
		cairn_env_exit(env, 1);
	}
	cairn_log("cap_integrity: all forgery attempts failed");
	cairn_env_exit(env, 0);
}
