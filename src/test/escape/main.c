/* main.c - escape test: one attempt (or role) per start, as the config says */

#include "escape.h"

#include <base/log.h>
#include <base/parent.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: steps in document order.
 *   <wait_for_end label="l"/>  open an "Escape_barrier" session labelled l:
 *                              its route leads to a sibling that declares
 *                              the service but never announces it, so init
 *                              answers (with a denial) only once that
 *                              sibling has ended. Orders the attempts
 *                              without any timing.
 *   <attempt name="n"/>        run attempt n, log its result, exit 0
 *   <victim/>                  serve "Escape_victim" (forever)
 *   <probe what="w"/>          look at the rest of the system while an
 *                              attempt holds what it exhausted
 *   <check/>                   the final check that everything still works
 * Other nodes are ignored (a binary exec'ed in place of this one may use
 * them, see exec.c).
 */

static const struct attempt *tables[] = {
	sys_attempts, proc_attempts, mem_attempts, exec_attempts, cap_attempts, kernel_attempts,
};

static const struct attempt *find(const char *name)
{
	for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct attempt *a = tables[t]; a->name; a++)
			if (!strcmp(a->name, name)) return a;
	return 0;
}

static void wait_for_end(cairn_env *env, const struct xml_node *n)
{
	char label[64], args[128];
	xml_attr_string(n, "label", label, sizeof(label), "");
	snprintf(args, sizeof(args), "ram_quota=0, label=\"%s\"", label);
	cairn_cap s;
	if (cairn_parent_session(env->parent, "Escape_barrier", args, &s) == CAIRN_OK) {
		cairn_error("barrier \"%s\": unexpectedly granted", label);
		(void)cairn_parent_close(env->parent, s);
	}
}

static void step(cairn_env *env, const struct xml_node *n)
{
	char buf[64];
	if (xml_has_type(n, "wait_for_end")) {
		wait_for_end(env, n);
	} else if (xml_has_type(n, "attempt")) {
		xml_attr_string(n, "name", buf, sizeof(buf), "");
		const struct attempt *a = find(buf);
		if (!a) cairn_fatal("unknown attempt \"%s\"", buf);
		attempt_name = a->name;
		a->fn(env);
		cairn_env_exit(env, 0);
	} else if (xml_has_type(n, "victim")) {
		victim_serve(env, xml_attr_bool(n, "log", false));
	} else if (xml_has_type(n, "probe")) {
		xml_attr_string(n, "what", buf, sizeof(buf), "");
		probe(env, buf);
	} else if (xml_has_type(n, "check")) {
		check(env);
	}
}

void cairn_component_construct(cairn_env *env)
{
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK)
		cairn_fatal("no config");
	struct xml_node root, n;
	struct xml_parse_result pr = xml_parse(config.data, strnlen(config.data, config.size), &root);
	if (pr.error) cairn_fatal("config: %s at byte %zu", xml_error_str(pr.error), pr.offset);
	struct xml_iter it;
	xml_iter_init(&it, &root, 0);
	while (xml_iter_next(&it, &n)) step(env, &n);
}
